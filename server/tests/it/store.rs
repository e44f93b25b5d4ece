//! Every store function, on SQLite and on Postgres. Usage goes through ingestion
//! (`ingest`).

use crate::support;

use app::error::AppError;
use app::model::console::Refusal;
use app::model::{LicenseModel, TenantState};
use app::server::db::{
    administrators, api_keys, audit, contacts, contacts::ContactKind, pools, subscriptions,
    tenants, web_sessions,
};
use app::server::service;
use support::fixtures;

on_both_backends!(
    async fn tenants_and_their_state_history(db: Db) {
        let acme =
            fixtures::tenant(&db, "acme", LicenseModel::UserBased, TenantState::Active).await;
        fixtures::tenant(
            &db,
            "globex",
            LicenseModel::SessionBased,
            TenantState::Trial,
        )
        .await;
        let mut conn = db.conn().await.expect("connection");
        let row = tenants::get(&mut conn, acme)
            .await
            .expect("get")
            .expect("acme exists");
        assert_eq!(
            (row.slug.as_str(), row.state()),
            ("acme", TenantState::Active)
        );
        assert_eq!(
            tenants::by_slug(&mut conn, "globex")
                .await
                .expect("by slug")
                .map(|t| t.state()),
            Some(TenantState::Trial)
        );
        assert!(
            tenants::by_slug(&mut conn, "nobody")
                .await
                .expect("by slug")
                .is_none()
        );
        let slugs: Vec<_> = tenants::list(&mut conn)
            .await
            .expect("list")
            .into_iter()
            .map(|t| t.slug)
            .collect();
        assert_eq!(slugs, ["acme", "globex"]);
        let from = tenants::set_state(
            &mut conn,
            acme,
            TenantState::Suspended,
            "unpaid invoice",
            "root@tally.test",
            5,
        )
        .await
        .expect("set state");
        assert_eq!(from.as_deref(), Some("active"));
        assert_eq!(
            tenants::get(&mut conn, acme)
                .await
                .expect("get")
                .map(|t| t.state()),
            Some(TenantState::Suspended)
        );
        let history: Vec<(Option<String>, String, String)> = sqlx::query_as(
            "select from_state, to_state, reason from tenant_state_changes where tenant_id = $1 order by id",
        )
        .bind(acme.0)
        .fetch_all(&mut *conn)
        .await
        .expect("history");
        assert_eq!(
            history,
            [
                (None, "active".into(), "created".into()),
                (
                    Some("active".into()),
                    "suspended".into(),
                    "unpaid invoice".into()
                )
            ]
        );
    }
);

on_both_backends!(
    async fn a_second_tenant_with_the_same_slug_is_refused_by_name(db: Db) {
        fixtures::tenant(&db, "acme", LicenseModel::UserBased, TenantState::Active).await;
        let again = service::tenants::create(
            &db,
            &fixtures::spec("acme", LicenseModel::UserBased, TenantState::Active),
            "test",
        )
        .await;
        assert!(
            matches!(&again, Err(AppError::Refused(Refusal::SlugTaken))),
            "{again:?}"
        );
    }
);

on_both_backends!(
    async fn subscription_and_contacts(db: Db) {
        let acme =
            fixtures::tenant(&db, "acme", LicenseModel::UserBased, TenantState::Active).await;
        let mut conn = db.conn().await.expect("connection");
        let mut sub = subscriptions::get(&mut conn, acme)
            .await
            .expect("get")
            .expect("subscription");
        assert_eq!(
            (sub.license_model, sub.auto_refill),
            (LicenseModel::UserBased, false)
        );
        sub.auto_refill = true;
        sub.auto_refill_amount = 500;
        subscriptions::upsert(&mut conn, acme, &sub, 1)
            .await
            .expect("upsert");
        assert_eq!(
            subscriptions::get(&mut conn, acme).await.expect("get"),
            Some(sub)
        );
        // A value that does not read is an error naming it, never a silent default.
        sqlx::query("update subscriptions set thresholds = '90,bad' where tenant_id = $1")
            .bind(acme.0)
            .execute(&mut *conn)
            .await
            .expect("corrupt the stored list");
        let refused = subscriptions::get(&mut conn, acme)
            .await
            .expect_err("a list that does not read");
        assert!(
            refused.to_string().contains("`bad` is not a percentage"),
            "{refused}"
        );
        let emails = vec!["b@acme.test".to_string(), "a@acme.test".to_string()];
        contacts::replace(&mut conn, acme, ContactKind::Technical, &emails)
            .await
            .expect("replace");
        assert_eq!(
            contacts::list(&mut conn, acme, ContactKind::Technical)
                .await
                .expect("list"),
            emails
        );
        assert_eq!(
            contacts::list(&mut conn, acme, ContactKind::Billing)
                .await
                .expect("list"),
            ["billing@acme.test"]
        );
    }
);

on_both_backends!(
    async fn pools_counters_and_the_refill_ledger(db: Db) {
        let acme =
            fixtures::tenant(&db, "acme", LicenseModel::UserBased, TenantState::Active).await;
        let globex =
            fixtures::tenant(&db, "globex", LicenseModel::UserBased, TenantState::Active).await;
        let mut conn = db.conn().await.expect("connection");
        let keys: Vec<_> = pools::list(&mut conn, acme)
            .await
            .expect("list")
            .into_iter()
            .map(|p| p.pool_key)
            .collect();
        assert_eq!(keys, ["user_licenses", "addon:recording"]);
        let id = pools::ensure(&mut conn, acme, "user_licenses", "hard", 0)
            .await
            .expect("ensure is idempotent");
        for (delta, at) in [(100, 1), (50, 2), (-30, 3)] {
            pools::record_refill(
                &mut conn,
                acme,
                id,
                &pools::Refill::manual(delta, "root", at),
            )
            .await
            .expect("refill");
        }
        // Another tenant cannot refill acme's pool by its id.
        let foreign = pools::Refill::manual(999, "x", 4);
        assert_eq!(
            pools::record_refill(&mut conn, globex, id, &foreign)
                .await
                .expect("refill"),
            None
        );
        let pool = pools::by_key(&mut conn, acme, "user_licenses")
            .await
            .expect("by key")
            .expect("pool");
        assert_eq!(pool.purchased, 120);
        assert_eq!(
            pools::ledger_total(&mut conn, acme, id)
                .await
                .expect("ledger"),
            120
        );
        let history: Vec<_> = pools::refills(&mut conn, acme)
            .await
            .expect("refills")
            .into_iter()
            .map(|r| (r.delta, r.total_after))
            .collect();
        assert_eq!(
            history,
            [(-30, 120), (50, 150), (100, 100)],
            "newest first with the total after each"
        );
        assert!(
            pools::refills(&mut conn, globex)
                .await
                .expect("refills")
                .is_empty()
        );
        let after = pools::add_consumed(&mut conn, acme, "user_licenses", 7)
            .await
            .expect("consume")
            .expect("pool");
        assert_eq!(after.consumed, 7);
        assert_eq!(
            pools::add_consumed(&mut conn, acme, "session_licenses", 1)
                .await
                .expect("consume"),
            None
        );
    }
);

on_both_backends!(
    async fn administrators_sessions_and_failures(db: Db) {
        let acme =
            fixtures::tenant(&db, "acme", LicenseModel::UserBased, TenantState::Active).await;
        fixtures::super_admin(&db).await;
        let mut conn = db.conn().await.expect("connection");
        let admin = administrators::by_email(&mut conn, "admin@acme.test")
            .await
            .expect("by email")
            .expect("admin");
        assert_eq!(
            (admin.role.as_str(), admin.tenant_id),
            ("tenant", Some(acme.0))
        );
        assert!(
            admin.password_hash.starts_with("$argon2id$"),
            "argon2id, never plaintext"
        );
        assert_eq!(
            administrators::tenant_emails(&mut conn, acme)
                .await
                .expect("emails"),
            ["admin@acme.test"]
        );
        web_sessions::insert(&mut conn, "h1", admin.id, 0, 100)
            .await
            .expect("insert");
        let found = web_sessions::find(&mut conn, "h1", 50)
            .await
            .expect("find")
            .expect("live");
        assert_eq!(
            (found.tenant_slug.as_deref(), found.tenant_state.as_deref()),
            (Some("acme"), Some("active"))
        );
        assert!(
            web_sessions::find(&mut conn, "h1", 100)
                .await
                .expect("find")
                .is_none(),
            "expired"
        );
        assert_eq!(
            web_sessions::delete_expired(&mut conn, 100)
                .await
                .expect("prune"),
            1
        );
        web_sessions::insert(&mut conn, "h2", admin.id, 0, 100)
            .await
            .expect("insert");
        web_sessions::delete(&mut conn, "h2").await.expect("delete");
        assert!(
            web_sessions::find(&mut conn, "h2", 1)
                .await
                .expect("find")
                .is_none()
        );
        for at in [10, 20, 30] {
            web_sessions::record_failure(&mut conn, "x@acme.test", at)
                .await
                .expect("failure");
        }
        assert_eq!(
            web_sessions::failures_since(&mut conn, "x@acme.test", 15)
                .await
                .expect("count"),
            (2, Some(20))
        );
        web_sessions::clear_failures(&mut conn, "x@acme.test")
            .await
            .expect("clear");
        assert_eq!(
            web_sessions::failures_since(&mut conn, "x@acme.test", 0)
                .await
                .expect("count"),
            (0, None)
        );
        let duplicate = service::accounts::create_administrator(
            &db,
            "ADMIN@acme.test",
            fixtures::PASSWORD,
            None,
        )
        .await;
        assert!(matches!(duplicate, Err(AppError::Invalid(m)) if m.contains("already exists")));
        let short =
            service::accounts::create_administrator(&db, "new@acme.test", "short", None).await;
        assert!(matches!(short, Err(AppError::Invalid(m)) if m.contains("at least")));
    }
);

on_both_backends!(
    async fn api_keys_are_stored_hashed_and_revocable(db: Db) {
        let acme =
            fixtures::tenant(&db, "acme", LicenseModel::UserBased, TenantState::Active).await;
        let globex =
            fixtures::tenant(&db, "globex", LicenseModel::UserBased, TenantState::Active).await;
        let (id, key) = service::api_keys::create(&db, acme, "platform", "root")
            .await
            .expect("create");
        assert!(key.starts_with("tly_") && key.len() > 40);
        assert_eq!(
            service::api_keys::authenticate(&db, &key)
                .await
                .expect("auth"),
            Some(acme)
        );
        assert_eq!(
            service::api_keys::authenticate(&db, "tly_wrong")
                .await
                .expect("auth"),
            None
        );
        let mut conn = db.conn().await.expect("connection");
        let stored: Vec<(String,)> = sqlx::query_as("select key_hash from api_keys")
            .fetch_all(&mut *conn)
            .await
            .expect("rows");
        assert!(
            stored.iter().all(|(hash,)| !hash.contains(&key[4..])),
            "the key itself is not stored"
        );
        assert_eq!(
            api_keys::list(&mut conn, acme).await.expect("list").len(),
            1
        );
        assert!(
            !api_keys::revoke(&mut conn, globex, id, "root", "test", 5)
                .await
                .expect("revoke"),
            "not globex's key"
        );
        assert!(
            api_keys::revoke(&mut conn, acme, id, "root", "test", 5)
                .await
                .expect("revoke")
        );
        assert_eq!(
            service::api_keys::authenticate(&db, &key)
                .await
                .expect("auth"),
            None
        );
        let log = audit::for_tenant(&mut conn, acme, 10).await.expect("audit");
        assert_eq!(
            log.iter().map(|r| r.action.as_str()).collect::<Vec<_>>(),
            ["api_key.create", "tenant.create"]
        );
        assert!(
            log[0]
                .after_json
                .as_deref()
                .is_some_and(|j| j.contains("platform") && !j.contains(&key))
        );
        let change = audit::Change::new(
            Some(globex),
            "root",
            "tenant.state",
            app::server::db::now_ms() + 1_000,
        )
        .because("unpaid invoice")
        .before(serde_json::json!({"state": "active"}));
        audit::record(&mut conn, &change).await.expect("record");
        assert_eq!(
            audit::for_tenant(&mut conn, globex, 10)
                .await
                .expect("audit")[0]
                .before_json
                .as_deref(),
            Some(r#"{"state":"active"}"#)
        );
    }
);

on_both_backends!(
    async fn the_demo_is_consistent_and_deterministic(db: Db) {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
        tally_server::demo::load_scaled(&db, 7, today, 0.02)
            .await
            .expect("demo");
        let mut conn = db.conn().await.expect("connection");
        let slugs: Vec<_> = tenants::list(&mut conn)
            .await
            .expect("list")
            .into_iter()
            .map(|t| t.slug)
            .collect();
        assert_eq!(slugs, ["acme", "globex", "initech", "umbrella"]);
        // The history crossed thresholds; their alerts are in the log, already delivered.
        let stats = app::server::service::alerts::log::stats(&db)
            .await
            .expect("stats");
        let count = |state| {
            stats
                .emails
                .iter()
                .find(|(s, _)| *s == state)
                .map_or(0, |(_, n)| *n)
        };
        assert!(
            count(app::model::alert::DeliveryState::Sent) > 0,
            "{stats:?}"
        );
        assert_eq!(
            count(app::model::alert::DeliveryState::Queued),
            0,
            "{stats:?}"
        );
        let first = counters(&mut conn).await;
        // purchased is the ledger's sum; consumed matches the rows behind it.
        for tenant in tenants::list(&mut conn).await.expect("list") {
            for pool in pools::list(&mut conn, tenant.tenant_id())
                .await
                .expect("pools")
            {
                assert_eq!(
                    pools::ledger_total(&mut conn, tenant.tenant_id(), pool.id)
                        .await
                        .expect("ledger"),
                    pool.purchased,
                    "{}",
                    pool.pool_key
                );
            }
        }
        let (open,): (i64,) = sqlx::query_as(
            "select count(*) from user_licenses u join tenants t on t.id = u.tenant_id where t.slug = 'acme' and u.released_at is null",
        )
        .fetch_one(&mut *conn)
        .await
        .expect("open seats");
        assert!(
            first.contains(&("acme".into(), "user_licenses".into(), first[0].2, open)),
            "{first:?}"
        );
        let (billable,): (i64,) = sqlx::query_as(
            "select count(*) from transactions x join tenants t on t.id = x.tenant_id where t.slug = 'initech' and x.billable and x.tx_type = 'conversation'",
        )
        .fetch_one(&mut *conn)
        .await
        .expect("billable");
        let initech = first
            .iter()
            .find(|r| r.0 == "initech" && r.1 == "conversation_transactions")
            .expect("initech pool");
        assert_eq!(initech.3, billable);
        let (sessions,): (i64,) = sqlx::query_as(
            "select cast(coalesce(sum(licenses), 0) as bigint) from usage_sessions s join tenants t on t.id = s.tenant_id where t.slug = 'globex'",
        )
        .fetch_one(&mut *conn)
        .await
        .expect("sessions");
        assert_eq!(
            first.iter().find(|r| r.0 == "globex").map(|r| r.3),
            Some(sessions)
        );
        // Everything came through the ingestion service: each transaction, session, seat and
        // assignment has the reported event behind it.
        let (orphans,): (i64,) = sqlx::query_as(
            "select count(*) from transactions x where not exists (select 1 from usage_events e
               where e.tenant_id = x.tenant_id and (e.event_id = x.event_id))",
        )
        .fetch_one(&mut *conn)
        .await
        .expect("orphans");
        assert_eq!(orphans, 0);
        let (reported,): (i64,) = sqlx::query_as(
            "select count(*) from usage_events e join tenants t on t.id = e.tenant_id where t.slug = 'umbrella' and e.event_type = 'license.assigned'",
        )
        .fetch_one(&mut *conn)
        .await
        .expect("reported");
        let (assigned,): (i64,) = sqlx::query_as(
            "select count(*) from pool_assignments a join tenants t on t.id = a.tenant_id where t.slug = 'umbrella'",
        )
        .fetch_one(&mut *conn)
        .await
        .expect("assigned");
        assert!(
            reported > 0 && reported == assigned,
            "{reported} {assigned}"
        );
        drop(conn);
        tally_server::demo::load_scaled(&db, 7, today, 0.02)
            .await
            .expect("demo again starts over");
        let mut conn = db.conn().await.expect("connection");
        assert_eq!(counters(&mut conn).await, first, "same seed, same data");
    }
);

async fn counters(conn: &mut app::server::db::Conn) -> Vec<(String, String, i64, i64)> {
    sqlx::query_as("select t.slug, p.pool_key, p.purchased, p.consumed from pools p join tenants t on t.id = p.tenant_id order by 1, 2")
        .fetch_all(&mut *conn)
        .await
        .expect("counters")
}

on_both_backends!(
    async fn housekeeping_expires_ended_contracts_and_prunes(db: Db) {
        let acme =
            fixtures::tenant(&db, "acme", LicenseModel::UserBased, TenantState::Active).await;
        let globex = fixtures::tenant(
            &db,
            "globex",
            LicenseModel::UserBased,
            TenantState::Suspended,
        )
        .await;
        let initech = fixtures::tenant(
            &db,
            "initech",
            LicenseModel::TransactionBased,
            TenantState::Trial,
        )
        .await;
        // Contracts end 2026-12-31 (fixtures); initech's runs a year longer.
        let mut conn = db.conn().await.expect("connection");
        let mut sub = subscriptions::get(&mut conn, initech)
            .await
            .expect("get")
            .expect("sub");
        sub.contract_end = fixtures::date("2027-12-31");
        subscriptions::upsert(&mut conn, initech, &sub, 0)
            .await
            .expect("upsert");
        let admin = administrators::by_email(&mut conn, "admin@acme.test")
            .await
            .expect("admin")
            .expect("row");
        web_sessions::insert(&mut conn, "old", admin.id, 0, 10)
            .await
            .expect("session");
        web_sessions::record_failure(&mut conn, "x@acme.test", 0)
            .await
            .expect("failure");
        drop(conn);
        let on_last_day = "2026-12-31T23:00:00Z".parse().expect("instant");
        let round = service::housekeeping::run_round(&db, on_last_day)
            .await
            .expect("round");
        assert!(
            round.expired.is_empty(),
            "the contract's last day still counts"
        );
        assert_eq!((round.sessions_pruned, round.failures_pruned), (1, 1));
        let next_day = "2027-01-01T12:00:00Z".parse().expect("instant");
        let round = service::housekeeping::run_round(&db, next_day)
            .await
            .expect("round");
        assert_eq!(
            round.expired,
            ["acme"],
            "suspended tenants stay suspended; initech's contract runs on"
        );
        let again = service::housekeeping::run_round(&db, next_day)
            .await
            .expect("round");
        assert!(again.expired.is_empty(), "once only");
        let mut conn = db.conn().await.expect("connection");
        let state = |row: Option<tenants::TenantRow>| row.map(|t| t.state());
        assert_eq!(
            state(tenants::get(&mut conn, acme).await.expect("get")),
            Some(TenantState::Expired)
        );
        assert_eq!(
            state(tenants::get(&mut conn, globex).await.expect("get")),
            Some(TenantState::Suspended)
        );
        assert_eq!(
            state(tenants::get(&mut conn, initech).await.expect("get")),
            Some(TenantState::Trial)
        );
        let log = audit::for_tenant(&mut conn, acme, 1).await.expect("audit");
        assert_eq!(
            (
                log[0].actor.as_str(),
                log[0].action.as_str(),
                log[0].reason.as_str()
            ),
            ("system", "tenant.state", "contract end date passed")
        );
    }
);
