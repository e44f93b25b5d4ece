//! The usage API through the real router, on SQLite and on Postgres: keys, validation,
//! idempotency, the billable rules, refills, enforcement and tenant isolation.

use crate::support;

use app::model::TenantId;
use axum::http::StatusCode;
use serde_json::{Value, json};

use app::model::{LicenseModel, TenantState};
use app::server::db::{self, Db, pools, tenants};
use app::server::service::{self, refills};
use support::api::{event, skill};
use support::fixtures::{self, PASSWORD};
use support::http::TestApp;

/// A tenant with an API key.
async fn tenant(db: &Db, slug: &str, model: LicenseModel) -> (TenantId, String) {
    let tenant = fixtures::tenant(db, slug, model, TenantState::Active).await;
    let (_, key) = service::api_keys::create(db, tenant, "platform", "test")
        .await
        .expect("key");
    (tenant, key)
}

async fn buy(db: &Db, tenant: TenantId, pool: &str, licenses: i64) {
    let mut conn = db.conn().await.expect("connection");
    refills::refill(
        &mut conn,
        tenant,
        pool,
        &refills::Refill::manual(licenses, "test", 0),
    )
    .await
    .expect("refill")
    .expect("pool exists");
}

async fn pool(db: &Db, tenant: TenantId, key: &str) -> pools::PoolRow {
    let mut conn = db.conn().await.expect("connection");
    pools::by_key(&mut conn, tenant, key)
        .await
        .expect("pool")
        .expect("pool exists")
}

/// Rows of `table` belonging to `tenant`.
async fn rows(db: &Db, table: &str, tenant: TenantId) -> i64 {
    let (n,): (i64,) = sqlx::query_as(&format!(
        "select count(*) from {table} where tenant_id = $1"
    ))
    .bind(tenant.0)
    .fetch_one(&mut *db.conn().await.expect("connection"))
    .await
    .expect("count");
    n
}

async fn set_state(db: &Db, tenant: TenantId, state: TenantState) {
    let mut conn = db.conn().await.expect("connection");
    tenants::set_state(&mut conn, tenant, state, "test", "test", 0)
        .await
        .expect("state");
}

fn problem_fields(answer: &Value) -> Vec<(u64, String)> {
    answer["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| {
            (
                p["index"].as_u64().unwrap_or(u64::MAX),
                p["field"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

on_both_backends!(
    async fn only_a_valid_unrevoked_key_is_let_in(db: Db) {
        let app = TestApp::new(db.clone());
        let (acme, key) = tenant(&db, "acme", LicenseModel::TransactionBased).await;
        let (status, answer) = app.api("GET", "/api/v1/entitlements", None, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(
            answer["error"]
                .as_str()
                .expect("message")
                .contains("Bearer")
        );
        let (status, _) = app
            .api("GET", "/api/v1/entitlements", Some("tly_nonsense"), None)
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, _) = app.post_events(&key, &[skill("e1", json!({}))]).await;
        assert_eq!(status, StatusCode::OK);
        let mut conn = db.conn().await.expect("connection");
        let keys = db::api_keys::list(&mut conn, acme).await.expect("keys");
        db::api_keys::revoke(&mut conn, acme, keys[0].id, "root", "leaked", 1)
            .await
            .expect("revoke");
        drop(conn);
        let (status, _) = app.post_events(&key, &[skill("e2", json!({}))]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "a revoked key");
        assert_eq!(rows(&db, "usage_events", acme).await, 1);
    }
);

on_both_backends!(
    async fn skill_runs_become_transactions_by_the_billable_rules(db: Db) {
        let app = TestApp::new(db.clone());
        let (initech, key) = tenant(&db, "initech", LicenseModel::TransactionBased).await;
        buy(&db, initech, "conversation_transactions", 100).await;
        buy(&db, initech, "workflow_transactions", 100).await;
        let events = [
            skill("plain", json!({})),
            skill(
                "wf",
                json!({"fulfillment_type": "automation_workflow", "workflow_name": "reset-ad"}),
            ),
            skill("staging", json!({"environment": "staging"})),
            skill("tested", json!({"trigger": "test_bot"})),
            skill(
                "welcome",
                json!({"skill_kind": "system", "skill_name": "Welcome"}),
            ),
            skill("handoff", json!({"skill_kind": "transfer_to_agent"})),
            skill("notice", json!({"trigger": "api_notification"})),
            skill("reply", json!({"trigger": "follow_up_reply"})),
            skill("chat", json!({"skill_kind": "small_talk"})),
            skill("bye", json!({"outcome": "aborted"})),
            skill(
                "faq",
                json!({"skill_kind": "faq", "fulfillment_type": "faq"}),
            ),
            skill(
                "pre",
                json!({"fulfillment_type": "pre_conversation_action", "external_call": false}),
            ),
            skill("idle", json!({"outcome": "idle"})),
            skill("late", json!({"outcome": "timeout"})),
            skill("odd", json!({"outcome": "unexpected_reply"})),
            skill("auto", json!({"trigger": "automated_follow_up"})),
            skill(
                "pre-ext",
                json!({"fulfillment_type": "pre_conversation_action", "external_call": true}),
            ),
            event(
                "staged",
                "workflow.executed",
                json!({"bot_name": "Helpdesk", "workflow_name": "sync-users", "environment": "staging"}),
            ),
            event(
                "nightly",
                "workflow.executed",
                json!({"bot_name": "Helpdesk", "workflow_name": "sync-users", "environment": "production"}),
            ),
        ];
        let (status, answer) = app.post_events(&key, &events).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        assert_eq!(answer["accepted"], 19);
        let mut conn = db.conn().await.expect("connection");
        let stored = db::transactions::between(&mut conn, initech, 0, i64::MAX)
            .await
            .expect("transactions");
        let decided: Vec<(&str, &str, bool, &str)> = stored
            .iter()
            .map(|t| {
                (
                    t.transaction_id.as_str(),
                    t.tx_type.as_str(),
                    t.billable,
                    t.reason.as_str(),
                )
            })
            .collect();
        for expected in [
            ("plain", "conversation", true, "fulfilled"),
            ("wf", "conversation", true, "fulfilled"),
            ("wf/workflow", "workflow", true, "workflow_executed"),
            ("staging", "conversation", false, "staging_environment"),
            ("tested", "conversation", false, "test_bot"),
            ("welcome", "conversation", false, "system_skill"),
            ("handoff", "conversation", false, "transfer_to_agent"),
            ("notice", "conversation", false, "api_notification"),
            ("reply", "conversation", true, "follow_up_reply"),
            ("chat", "conversation", false, "small_talk"),
            ("bye", "conversation", false, "aborted_exit_word"),
            ("faq", "conversation", false, "faq"),
            (
                "pre",
                "conversation",
                false,
                "pre_conversation_no_external_call",
            ),
            ("nightly", "workflow", true, "workflow_executed"),
            ("idle", "conversation", false, "aborted_idle"),
            ("late", "conversation", false, "aborted_timeout"),
            ("odd", "conversation", false, "unexpected_reply"),
            ("auto", "conversation", false, "automated_follow_up"),
            ("pre-ext", "conversation", true, "fulfilled"),
            ("staged", "workflow", false, "staging_environment"),
        ] {
            assert!(
                decided.contains(&expected),
                "{expected:?} not in {decided:?}"
            );
        }
        assert_eq!(stored.len(), 20);
        let wf = stored
            .iter()
            .find(|t| t.transaction_id == "wf/workflow")
            .expect("workflow row");
        assert_eq!(
            (
                wf.skill_name.as_str(),
                wf.fulfillment_details.as_str(),
                wf.user_name.as_str(),
                wf.channel.as_str()
            ),
            ("Reset password", "reset-ad", "ana.lima", "Teams")
        );
        drop(conn);
        assert_eq!(
            pool(&db, initech, "conversation_transactions")
                .await
                .consumed,
            4,
            "plain, wf, reply and pre-ext"
        );
        assert_eq!(
            pool(&db, initech, "workflow_transactions").await.consumed,
            2,
            "wf/workflow and nightly"
        );
    }
);

on_both_backends!(
    async fn user_licenses_are_assigned_and_released(db: Db) {
        let app = TestApp::new(db.clone());
        let (acme, key) = tenant(&db, "acme", LicenseModel::UserBased).await;
        buy(&db, acme, "user_licenses", 10).await;
        let assign = |id: &str, user: &str| {
            event(
                id,
                "user.license_assigned",
                json!({"user_id": user, "user_name": user, "email": format!("{user}@acme.test"),
                       "first_name": "Ana", "last_name": "Lima", "role": "Agent"}),
            )
        };
        let (status, answer) = app
            .post_events(
                &key,
                &[
                    assign("a1", "u1"),
                    assign("a2", "u2"),
                    assign("a3", "u1"),
                    event("r1", "user.license_released", json!({"user_id": "u2"})),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        assert_eq!(answer["accepted"], 4);
        assert_eq!(
            pool(&db, acme, "user_licenses").await.consumed,
            1,
            "u1 holds one seat once; u2's is free again"
        );
        let mut conn = db.conn().await.expect("connection");
        let history = db::history::page::<db::user_licenses::UserLicenseRow>(
            &mut conn,
            acme,
            db::history::Source::Users,
            &db::history::Filter::default(),
            db::history::Seek {
                newest_first: true,
                after: None,
                limit: 100,
            },
        )
        .await
        .expect("history");
        let u2 = history
            .iter()
            .map(|keyed| &keyed.row)
            .find(|row| row.user_id == "u2")
            .expect("u2 kept");
        assert!(u2.released_at.is_some(), "{u2:?}");
    }
);

on_both_backends!(
    async fn sessions_consume_one_license_per_started_window(db: Db) {
        let app = TestApp::new(db.clone());
        let (globex, key) = tenant(&db, "globex", LicenseModel::SessionBased).await;
        buy(&db, globex, "session_licenses", 100).await;
        let started = json!({"session_id": "s1", "initiated_by": "end_user", "user_name": "ana",
            "email": "ana@globex.test", "role": "Customer", "channel": "Web"});
        let mut end = event("e-end", "session.ended", json!({"session_id": "s1"}));
        end["occurred_at"] = json!("2026-06-01T11:10:00Z");
        let conversation = event(
            "e-conv",
            "conversation",
            json!({"conversation_id": "c1", "session_id": "s1", "user_name": "ana",
                "channel": "Web", "handled_by": "agent", "agent_name": "Bia",
                "messages": [{"at": "2026-06-01T10:01:00Z", "from": "ana", "text": "Hi"},
                             {"at": "2026-06-01T10:02:00Z", "from": "Bia", "text": "Hello!"}]}),
        );
        let (status, answer) = app
            .post_events(
                &key,
                &[event("e-start", "session.started", started), conversation],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        assert_eq!(pool(&db, globex, "session_licenses").await.consumed, 1);
        let (status, _) = app.post_events(&key, &[end]).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            pool(&db, globex, "session_licenses").await.consumed,
            3,
            "70 minutes with a 30-minute duration"
        );
        let mut conn = db.conn().await.expect("connection");
        let listed = db::conversations::list(
            &mut conn,
            globex,
            db::conversations::Party::Session("s1"),
            10,
        )
        .await
        .expect("conversations");
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].message_count, 2);
    }
);

on_both_backends!(
    async fn assignment_pools_count_current_assignments(db: Db) {
        let app = TestApp::new(db.clone());
        let (umbrella, key) = tenant(&db, "umbrella", LicenseModel::UserBased).await;
        buy(&db, umbrella, "addon:recording", 1).await;
        let license = |id: &str, kind: &str, who: &str| {
            event(
                id,
                kind,
                json!({"pool": "addon:recording", "assignee_id": who}),
            )
        };
        let (status, answer) = app
            .post_events(
                &key,
                &[
                    license("l1", "license.assigned", "agent-1"),
                    license("l2", "license.assigned", "agent-2"),
                    license("l3", "license.released", "agent-1"),
                    license("l4", "license.assigned", "agent-3"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        assert_eq!(pool(&db, umbrella, "addon:recording").await.consumed, 2);
        assert_eq!(
            answer["exhausted"],
            json!(["addon:recording"]),
            "past its one license"
        );
        let (status, check) = app
            .api(
                "GET",
                "/api/v1/entitlements/addon:recording/check",
                Some(&key),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            check,
            json!({"allowed": true, "reason": "overage_allowed"}),
            "the pool is soft"
        );
        // A pool the tenant does not hold: the whole batch is refused.
        let (status, answer) = app
            .post_events(
                &key,
                &[
                    license("l5", "license.assigned", "agent-4"),
                    event(
                        "l6",
                        "license.assigned",
                        json!({"pool": "modality:voice", "assignee_id": "agent-4"}),
                    ),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert_eq!(problem_fields(&answer), [(1, "pool".to_string())]);
        assert_eq!(pool(&db, umbrella, "addon:recording").await.consumed, 2);
        assert_eq!(rows(&db, "usage_events", umbrella).await, 4);
    }
);

on_both_backends!(
    async fn invalid_batches_store_nothing_and_say_why(db: Db) {
        let app = TestApp::new(db.clone());
        let (initech, key) = tenant(&db, "initech", LicenseModel::TransactionBased).await;
        let mut future = skill("future", json!({}));
        future["occurred_at"] = json!("2099-01-01T00:00:00Z");
        let (status, answer) = app
            .post_events(
                &key,
                &[
                    skill("fine", json!({})),
                    skill("typed", json!({"external_call": "yes"})),
                    event("odd", "teleport", json!({})),
                    skill(&"x".repeat(256), json!({})),
                    future,
                    json!({"type": "skill.executed"}),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        let fields = problem_fields(&answer);
        for expected in [
            (1, "external_call"),
            (2, "type"),
            (3, "id"),
            (4, "occurred_at"),
            (5, "id"),
        ] {
            assert!(
                fields.contains(&(expected.0, expected.1.to_string())),
                "{expected:?} in {fields:?}"
            );
        }
        assert!(
            !fields.iter().any(|(i, _)| *i == 0),
            "the valid one is fine"
        );
        let (status, answer) = app
            .api_raw(
                "POST",
                "/api/v1/events",
                Some(&key),
                Some(b"{\"events\": [".to_vec()),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(answer["error"].as_str().expect("message").contains("JSON"));
        let too_many: Vec<Value> = (0..1001)
            .map(|i| skill(&format!("m{i}"), json!({})))
            .collect();
        let (status, answer) = app.post_events(&key, &too_many).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            answer["problems"][0]["message"]
                .as_str()
                .expect("message")
                .contains("1000")
        );
        let huge = vec![b' '; 9 * 1024 * 1024];
        let (status, answer) = app
            .api_raw("POST", "/api/v1/events", Some(&key), Some(huge))
            .await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(answer["error"].is_string());
        assert_eq!(rows(&db, "usage_events", initech).await, 0);
        assert_eq!(rows(&db, "transactions", initech).await, 0);
    }
);

on_both_backends!(
    async fn replays_count_once_and_changed_content_conflicts(db: Db) {
        let app = TestApp::new(db.clone());
        let (initech, key) = tenant(&db, "initech", LicenseModel::TransactionBased).await;
        buy(&db, initech, "conversation_transactions", 100).await;
        let batch = [
            skill("r1", json!({})),
            skill("r2", json!({})),
            skill("r1", json!({})),
        ];
        let (status, answer) = app.post_events(&key, &batch).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        assert_eq!(
            (answer["accepted"].clone(), answer["duplicates"].clone()),
            (json!(2), json!(1))
        );
        assert_eq!(
            answer["results"][2],
            json!({"id": "r1", "status": "duplicate"})
        );
        let (status, answer) = app.post_events(&key, &batch).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            (answer["accepted"].clone(), answer["duplicates"].clone()),
            (json!(0), json!(3))
        );
        assert_eq!(
            pool(&db, initech, "conversation_transactions")
                .await
                .consumed,
            2
        );
        let (status, answer) = app
            .post_events(
                &key,
                &[
                    skill("r3", json!({})),
                    skill("r2", json!({"skill_name": "Other"})),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{answer}");
        assert_eq!(answer["conflicts"], json!(["r2"]));
        assert_eq!(
            rows(&db, "usage_events", initech).await,
            2,
            "r3 was not kept"
        );
        assert_eq!(
            pool(&db, initech, "conversation_transactions")
                .await
                .consumed,
            2
        );
    }
);

on_both_backends!(
    async fn the_same_event_sent_a_thousand_times_at_once_counts_once(db: Db) {
        let app = TestApp::new(db.clone());
        let (initech, key) = tenant(&db, "initech", LicenseModel::TransactionBased).await;
        buy(&db, initech, "conversation_transactions", 100).await;
        buy(&db, initech, "workflow_transactions", 100).await;
        let once = skill(
            "storm",
            json!({"fulfillment_type": "automation_workflow", "workflow_name": "w"}),
        );
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..1000 {
            let (app, key, once) = (app.router.clone(), key.clone(), once.clone());
            tasks.spawn(async move {
                let app = TestApp { router: app };
                // A platform sends again what was refused with 503 (a connection not free
                // within the pool's wait: 1 000 requests at once on a busy machine).
                let mut answer = app.post_events(&key, std::slice::from_ref(&once)).await;
                for _ in 0..5 {
                    if answer.0 != StatusCode::SERVICE_UNAVAILABLE {
                        break;
                    }
                    answer = app.post_events(&key, std::slice::from_ref(&once)).await;
                }
                answer
            });
        }
        let mut accepted = 0;
        let mut duplicates = 0;
        while let Some(done) = tasks.join_next().await {
            let (status, answer) = done.expect("task");
            assert_eq!(status, StatusCode::OK, "{answer}");
            accepted += answer["accepted"].as_i64().expect("accepted");
            duplicates += answer["duplicates"].as_i64().expect("duplicates");
        }
        assert_eq!((accepted, duplicates), (1, 999));
        assert_eq!(rows(&db, "transactions", initech).await, 2);
        assert_eq!(
            pool(&db, initech, "conversation_transactions")
                .await
                .consumed,
            1
        );
        assert_eq!(
            pool(&db, initech, "workflow_transactions").await.consumed,
            1
        );
    }
);

on_both_backends!(
    async fn a_tenant_that_may_not_report_is_refused_with_the_reason(db: Db) {
        let app = TestApp::new(db.clone());
        let (acme, key) = tenant(&db, "acme", LicenseModel::UserBased).await;
        buy(&db, acme, "user_licenses", 10).await;
        for (state, events, entitlements, check) in [
            (TenantState::Suspended, 403, 403, 403),
            (TenantState::Canceled, 403, 403, 403),
            (TenantState::Expired, 403, 200, 200),
        ] {
            set_state(&db, acme, state).await;
            let reason = format!("tenant_{state}");
            let (status, answer) = app.post_events(&key, &[skill("s", json!({}))]).await;
            assert_eq!(status.as_u16(), events, "{state}");
            assert_eq!(answer["reason"], reason.as_str());
            let (status, answer) = app
                .api("GET", "/api/v1/entitlements", Some(&key), None)
                .await;
            assert_eq!(status.as_u16(), entitlements, "{state}");
            if status == StatusCode::OK {
                assert_eq!(answer["state"], "expired");
                assert_eq!(answer["pools"][0]["allowed"], false);
            } else {
                assert_eq!(answer["reason"], reason.as_str());
            }
            let (status, answer) = app
                .api(
                    "GET",
                    "/api/v1/entitlements/user_licenses/check",
                    Some(&key),
                    None,
                )
                .await;
            assert_eq!(status.as_u16(), check, "{state}");
            assert_eq!(answer, json!({"allowed": false, "reason": reason}));
        }
        assert_eq!(rows(&db, "usage_events", acme).await, 0);
        set_state(&db, acme, TenantState::Lab).await;
        let (status, answer) = app
            .api(
                "GET",
                "/api/v1/entitlements/user_licenses/check",
                Some(&key),
                None,
            )
            .await;
        assert_eq!(
            (status, answer["allowed"].clone()),
            (StatusCode::OK, json!(true))
        );
    }
);

on_both_backends!(
    async fn a_hard_pool_at_its_limit_disables_the_bot_but_loses_nothing(db: Db) {
        let app = TestApp::new(db.clone());
        let (initech, key) = tenant(&db, "initech", LicenseModel::TransactionBased).await;
        buy(&db, initech, "conversation_transactions", 2).await;
        let check = "/api/v1/entitlements/conversation_transactions/check";
        let (_, answer) = app.api("GET", check, Some(&key), None).await;
        assert_eq!(answer, json!({"allowed": true, "reason": "available"}));
        let (status, answer) = app
            .post_events(
                &key,
                &[
                    skill("h1", json!({})),
                    skill("h2", json!({})),
                    skill("h3", json!({})),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(answer["accepted"], 3, "stored though over the limit");
        assert_eq!(answer["exhausted"], json!(["conversation_transactions"]));
        let (_, answer) = app.api("GET", check, Some(&key), None).await;
        assert_eq!(answer, json!({"allowed": false, "reason": "exhausted"}));
        let (_, entitlements) = app
            .api("GET", "/api/v1/entitlements", Some(&key), None)
            .await;
        let row = entitlements["pools"]
            .as_array()
            .expect("pools")
            .iter()
            .find(|p| p["pool"] == "conversation_transactions")
            .expect("pool")
            .clone();
        assert_eq!(
            (
                row["purchased"].clone(),
                row["consumed"].clone(),
                row["available"].clone(),
                row["percent_used"].clone(),
                row["allowed"].clone()
            ),
            (json!(2), json!(3), json!(0), json!(150.0), json!(false))
        );
        // A refill brings it back.
        buy(&db, initech, "conversation_transactions", 5).await;
        let (_, answer) = app.api("GET", check, Some(&key), None).await;
        assert_eq!(answer["allowed"], true);
        let (status, answer) = app
            .api(
                "GET",
                "/api/v1/entitlements/nothing/check",
                Some(&key),
                None,
            )
            .await;
        assert_eq!(
            (status, answer),
            (
                StatusCode::NOT_FOUND,
                json!({"allowed": false, "reason": "unknown_pool"})
            )
        );
    }
);

on_both_backends!(
    async fn auto_refill_adds_licenses_at_its_threshold_up_to_the_monthly_cap(db: Db) {
        let app = TestApp::new(db.clone());
        let mut spec = fixtures::spec(
            "initech",
            LicenseModel::TransactionBased,
            TenantState::Active,
        );
        spec.subscription.auto_refill = true;
        spec.subscription.auto_refill_amount = 10;
        spec.subscription.auto_refill_percent = 95;
        spec.subscription.auto_refill_max_per_month = 1;
        let initech = service::tenants::create(&db, &spec, "test")
            .await
            .expect("tenant");
        let (_, key) = service::api_keys::create(&db, initech, "p", "test")
            .await
            .expect("key");
        buy(&db, initech, "conversation_transactions", 20).await;
        let june: Vec<Value> = (0..40)
            .map(|i| {
                skill(
                    &format!("j{i}"),
                    json!({"occurred_at": format!("2026-06-{:02}T10:00:00Z", 1 + i % 28)}),
                )
            })
            .collect();
        let (status, answer) = app.post_events(&key, &june).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        let row = pool(&db, initech, "conversation_transactions").await;
        assert_eq!(
            (row.purchased, row.consumed),
            (30, 40),
            "one refill in June, at 19 of 20"
        );
        let mut conn = db.conn().await.expect("connection");
        let ledger = pools::refills(&mut conn, initech).await.expect("refills");
        drop(conn);
        assert_eq!(
            (
                ledger[0].kind.as_str(),
                ledger[0].delta,
                ledger[0].total_after
            ),
            ("auto", 10, 30)
        );
        assert_eq!(answer["exhausted"], json!(["conversation_transactions"]));
        // July is a new month: the next event refills again.
        let july = skill("july", json!({"occurred_at": "2026-07-02T10:00:00Z"}));
        app.post_events(&key, &[july]).await;
        let row = pool(&db, initech, "conversation_transactions").await;
        assert_eq!((row.purchased, row.consumed), (40, 41));
    }
);

on_both_backends!(
    async fn one_tenants_key_never_reaches_another_tenant(db: Db) {
        let app = TestApp::new(db.clone());
        let (acme, acme_key) = tenant(&db, "acme", LicenseModel::TransactionBased).await;
        let (globex, globex_key) = tenant(&db, "globex", LicenseModel::TransactionBased).await;
        buy(&db, acme, "conversation_transactions", 7).await;
        buy(&db, globex, "conversation_transactions", 1000).await;
        // The same id from two tenants is two events.
        for key in [&acme_key, &globex_key] {
            let (status, answer) = app.post_events(key, &[skill("shared-id", json!({}))]).await;
            assert_eq!(
                (status, answer["accepted"].clone()),
                (StatusCode::OK, json!(1))
            );
        }
        let (_, mine) = app
            .api("GET", "/api/v1/entitlements", Some(&acme_key), None)
            .await;
        let purchased: Vec<i64> = mine["pools"]
            .as_array()
            .expect("pools")
            .iter()
            .map(|p| p["purchased"].as_i64().expect("number"))
            .collect();
        assert!(
            purchased.contains(&7) && !purchased.contains(&1000),
            "{mine}"
        );
        assert_eq!(
            pool(&db, acme, "conversation_transactions").await.consumed,
            1
        );
        assert_eq!(
            pool(&db, globex, "conversation_transactions")
                .await
                .consumed,
            1
        );
        assert_eq!(rows(&db, "transactions", acme).await, 1);
        assert_eq!(rows(&db, "transactions", globex).await, 1);
    }
);

on_both_backends!(
    async fn entitlements_agree_with_the_subscription_page(db: Db) {
        let app = TestApp::new(db.clone());
        let (initech, key) = tenant(&db, "initech", LicenseModel::TransactionBased).await;
        buy(&db, initech, "conversation_transactions", 3).await;
        buy(&db, initech, "addon:recording", 2).await;
        let (status, answer) = app
            .post_events(
                &key,
                &[
                    skill("a", json!({})),
                    skill(
                        "b",
                        json!({"fulfillment_type": "automation_workflow", "workflow_name": "w"}),
                    ),
                    event(
                        "c",
                        "license.assigned",
                        json!({"pool": "addon:recording", "assignee_id": "x"}),
                    ),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        assert_eq!(answer["accepted"], 3, "{answer}");

        // Two conversations (one fulfilled by a workflow, which also counts a workflow
        // transaction) and one recording assignment:
        // (pool, purchased, consumed, available, percent as the page writes it)
        let expected = [
            ("conversation_transactions", 3, 2, 1, "66.7%"),
            ("workflow_transactions", 0, 1, 0, "100.0%"),
            ("addon:recording", 2, 1, 1, "50.0%"),
        ];
        let (_, api) = app
            .api("GET", "/api/v1/entitlements", Some(&key), None)
            .await;
        let api_pools = api["pools"].as_array().expect("pools");
        assert_eq!(api_pools.len(), expected.len(), "{api}");
        let session = app.sign_in("admin@initech.test", PASSWORD).await;
        let page = app.get("/settings/subscription", Some(&session)).await;
        assert_eq!(page.status, StatusCode::OK);
        for (key, purchased, consumed, available, percent) in expected {
            let answered = api_pools
                .iter()
                .find(|p| p["pool"] == key)
                .unwrap_or_else(|| panic!("{key} answered: {api}"));
            assert_eq!(
                (
                    &answered["purchased"],
                    &answered["consumed"],
                    &answered["available"]
                ),
                (&json!(purchased), &json!(consumed), &json!(available)),
                "{key} over the API"
            );
            let shown = pool_on_page(&page.body, key);
            assert_eq!(
                shown,
                [
                    purchased.to_string(),
                    consumed.to_string(),
                    available.to_string(),
                    format!("{percent} used"),
                    answered["enforcement"]
                        .as_str()
                        .expect("enforcement")
                        .to_string(),
                ],
                "{key} on the page"
            );
        }
    }
);

/// What the Subscription tab shows of one pool: purchased, consumed, available, the percent
/// line and the enforcement, as text.
fn pool_on_page(body: &str, key: &str) -> [String; 5] {
    let start = body
        .find(&format!("data-pool=\"{key}\""))
        .unwrap_or_else(|| panic!("{key} is on the page"));
    let article = &body[start..start + body[start..].find("</article>").expect("article end")];
    let field = |name: &str| {
        let at = article
            .find(&format!("data-field=\"{name}\""))
            .unwrap_or_else(|| panic!("{key} shows {name}: {article}"));
        let rest = &article[at..];
        let rest = &rest[rest.find('>').expect("tag end") + 1..];
        rest[..rest.find('<').expect("text end")].trim().to_string()
    };
    let enforcement = article
        .split("class=\"enforcement ")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("enforcement")
        .to_string();
    [
        field("purchased"),
        field("consumed"),
        field("available"),
        field("percent"),
        enforcement,
    ]
}

on_both_backends!(
    async fn the_api_describes_itself(db: Db) {
        let app = TestApp::new(db);
        let (status, doc) = app.api("GET", "/api/v1/openapi.json", None, None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(doc["openapi"].as_str().expect("version").starts_with("3."));
        for path in [
            "/api/v1/events",
            "/api/v1/entitlements",
            "/api/v1/entitlements/{pool}/check",
        ] {
            assert!(doc["paths"][path].is_object(), "{path} described");
        }
        let schemas = &doc["components"]["schemas"];
        // Each schema the API names, with the fields a client reads or sends: a rename or a
        // second type under the same name (two `Outcome`s once) fails here.
        let fields = |schema: &str| -> Vec<String> {
            let described = &schemas[schema];
            // A flattened body comes as `allOf`: its own part carries the properties.
            let parts = described["allOf"]
                .as_array()
                .cloned()
                .unwrap_or_else(|| vec![described.clone()]);
            let mut names: Vec<String> = parts
                .iter()
                .filter_map(|part| part["properties"].as_object())
                .flat_map(|properties| properties.keys().cloned())
                .collect();
            assert!(!names.is_empty(), "{schema} is described: {described}");
            names.sort();
            names
        };
        let expected: [(&str, &[&str]); 9] = [
            ("Event", &["id", "occurred_at"]),
            ("EventBatch", &["events"]),
            (
                "Outcome",
                &["accepted", "duplicates", "exhausted", "results"],
            ),
            ("EventResult", &["id", "status"]),
            ("Check", &["allowed", "reason"]),
            ("Entitlements", &["pools", "state"]),
            (
                "PoolEntitlement",
                &[
                    "allowed",
                    "available",
                    "consumed",
                    "enforcement",
                    "percent_used",
                    "pool",
                    "purchased",
                ],
            ),
            (
                "SkillExecuted",
                &[
                    "bot_name",
                    "channel",
                    "conversation_id",
                    "environment",
                    "external_call",
                    "fulfillment_details",
                    "fulfillment_type",
                    "outcome",
                    "role",
                    "skill_kind",
                    "skill_name",
                    "trigger",
                    "user_name",
                    "workflow_name",
                ],
            ),
            ("ApiError", &["conflicts", "error", "problems", "reason"]),
        ];
        for (schema, names) in expected {
            assert_eq!(fields(schema), names, "{schema}'s fields");
        }
        let values = |schema: &str| schemas[schema]["enum"].clone();
        assert_eq!(
            values("SkillOutcome"),
            json!([
                "fulfilled",
                "aborted",
                "idle",
                "timeout",
                "unexpected_reply"
            ])
        );
        assert_eq!(values("EventStatus"), json!(["accepted", "duplicate"]));
        assert_eq!(
            values("TenantState"),
            json!(["trial", "active", "suspended", "expired", "canceled", "lab"])
        );
        let body_types: Vec<&str> = schemas["EventBody"]["oneOf"]
            .as_array()
            .expect("EventBody is one of the nine types")
            .iter()
            .filter_map(|variant| {
                variant["allOf"].as_array().and_then(|parts| {
                    parts
                        .iter()
                        .find_map(|part| part["properties"]["type"]["enum"][0].as_str())
                })
            })
            .collect();
        assert_eq!(body_types, app::model::event::EVENT_TYPES);
        assert!(doc["components"]["securitySchemes"]["api_key"].is_object());
        // The document's pattern for an assignment pool accepts what the parser accepts.
        let pattern = schemas["PoolLicense"]["properties"]["pool"]["pattern"]
            .as_str()
            .expect("pool pattern");
        let pattern = regex::Regex::new(pattern).expect("a regular expression");
        for pool in [
            "service:contact_center",
            "service:advanced_routing",
            "user:interact",
            "user:companion",
            "addon:recording",
            "modality:voice_2",
            "virtual_user",
            "user_licenses",
            "service:nothing",
            "user:",
            "addon:",
            "addon:Upper",
            "modality:a-b",
            "virtual_user:x",
            "other:thing",
            "",
            " virtual_user",
        ] {
            let parsed = app::model::PoolKey::parse(pool).is_ok_and(|k| k.is_assignment_pool());
            assert_eq!(pattern.is_match(pool), parsed, "{pool:?}");
        }
        let id = &schemas["Event"]["allOf"][1]["properties"]["id"];
        let id = if id.is_null() {
            &schemas["Event"]["properties"]["id"]
        } else {
            id
        };
        assert_eq!(
            (id["minLength"].clone(), id["maxLength"].clone()),
            (json!(1), json!(255)),
            "{id}"
        );
        let (status, answer) = app.api("GET", "/api/v1/nothing", None, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(answer["error"].is_string());
    }
);
