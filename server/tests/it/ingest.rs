//! Usage as a platform reports it, through the one path that records it (`service::ingest`):
//! events parsed from JSON, then the rows and counters they leave, on SQLite and on Postgres.

use crate::support;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use app::model::{LicenseModel, TenantId, TenantState};
use app::server::db::{
    Db, assignments, conversations, history, pools, transactions, usage_sessions::SessionRow,
    user_licenses::UserLicenseRow,
};
use app::server::events;
use app::server::service::ingest::{self, EventStatus, IngestError, Outcome};
use support::fixtures;

const MINUTE: i64 = 60_000;

/// The instant the events of these tests count from.
fn base() -> DateTime<Utc> {
    "2026-06-01T10:00:00Z".parse().expect("instant")
}

fn ms(offset: i64) -> i64 {
    base().timestamp_millis() + offset
}

/// An event of `kind` at `offset` ms after `base()`, with `fields`.
fn event(id: &str, kind: &str, offset: i64, fields: Value) -> Value {
    let at = base() + Duration::milliseconds(offset);
    let mut event = json!({ "id": id, "type": kind, "occurred_at": at.to_rfc3339() });
    if let (Some(event), Value::Object(fields)) = (event.as_object_mut(), fields) {
        event.extend(fields);
    }
    event
}

/// Sends `events` as a platform would: a JSON body, validated, then ingested.
async fn send(db: &Db, tenant: TenantId, events: &[Value]) -> Result<Outcome, IngestError> {
    let body = serde_json::to_vec(&json!({ "events": events })).expect("json");
    let batch = events::parse_batch(&body, Utc::now()).expect("a valid batch");
    ingest::ingest(db, tenant, &batch, Utc::now().timestamp_millis()).await
}

async fn stored(db: &Db, tenant: TenantId, events: &[Value]) -> Vec<EventStatus> {
    send(db, tenant, events)
        .await
        .expect("stored")
        .results
        .into_iter()
        .map(|r| r.status)
        .collect()
}

async fn consumed(db: &Db, tenant: TenantId, pool: &str) -> Option<i64> {
    let mut conn = db.conn().await.expect("connection");
    pools::by_key(&mut conn, tenant, pool)
        .await
        .expect("pool")
        .map(|p| p.consumed)
}

fn assigned(id: &str, user: &str, offset: i64) -> Value {
    event(
        id,
        "user.license_assigned",
        offset,
        json!({"user_id": user, "user_name": user, "email": "u@acme.test",
               "first_name": "Ana", "last_name": "Lima", "role": "Employee"}),
    )
}

fn released(id: &str, user: &str, offset: i64) -> Value {
    event(
        id,
        "user.license_released",
        offset,
        json!({"user_id": user}),
    )
}

on_both_backends!(
    async fn user_licenses_are_allocated_released_and_kept_in_history(db: Db) {
        let acme =
            fixtures::tenant(&db, "acme", LicenseModel::UserBased, TenantState::Active).await;
        stored(
            &db,
            acme,
            &[
                assigned("e1", "u1", 10),
                assigned("e2", "u1", 11),
                assigned("e3", "u2", 12),
            ],
        )
        .await;
        assert_eq!(
            consumed(&db, acme, "user_licenses").await,
            Some(2),
            "one seat per user"
        );
        stored(&db, acme, &[released("e4", "u1", 20)]).await;
        assert_eq!(
            consumed(&db, acme, "user_licenses").await,
            Some(1),
            "a release frees the seat"
        );
        stored(&db, acme, &[released("e5", "u1", 21)]).await;
        assert_eq!(consumed(&db, acme, "user_licenses").await, Some(1));
        let statuses = stored(
            &db,
            acme,
            &[assigned("e6", "u1", 30), released("e4", "u1", 20)],
        )
        .await;
        assert_eq!(statuses, [EventStatus::Accepted, EventStatus::Duplicate]);
        assert_eq!(consumed(&db, acme, "user_licenses").await, Some(2));
        let mut conn = db.conn().await.expect("connection");
        let newest = |after| history::Seek {
            newest_first: true,
            after,
            limit: 10,
        };
        let read = async |conn: &mut sqlx::AnyConnection, after| {
            history::page::<UserLicenseRow>(
                conn,
                acme,
                history::Source::Users,
                &history::Filter::default(),
                newest(after),
            )
            .await
            .expect("history")
        };
        let rows = read(&mut conn, None).await;
        let seen: Vec<_> = rows
            .iter()
            .map(|r| {
                (
                    r.row.user_id.as_str(),
                    r.row.allocated_at,
                    r.row.released_at,
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("u1", ms(30), None),
                ("u1", ms(10), Some(ms(20))),
                ("u2", ms(12), None)
            ],
            "newest change first: a release dates its row"
        );
        assert_eq!(read(&mut conn, rows.get(1).map(|r| r.key)).await.len(), 1);
        assert!(read(&mut conn, rows.last().map(|r| r.key)).await.is_empty());
    }
);

on_both_backends!(
    async fn sessions_consume_one_license_per_started_window(db: Db) {
        let globex = fixtures::tenant(
            &db,
            "globex",
            LicenseModel::SessionBased,
            TenantState::Active,
        )
        .await;
        let started = |id: &str| {
            event(
                id,
                "session.started",
                0,
                json!({"session_id": "s1", "initiated_by": "end_user", "user_name": "ana",
                       "email": "ana@globex.test", "role": "Employee", "channel": "Slack"}),
            )
        };
        stored(&db, globex, &[started("e1")]).await;
        assert_eq!(
            consumed(&db, globex, "session_licenses").await,
            Some(1),
            "a session consumes a license as it starts"
        );
        stored(&db, globex, &[started("e2")]).await;
        assert_eq!(consumed(&db, globex, "session_licenses").await, Some(1));
        let ended =
            |id: &str, offset| event(id, "session.ended", offset, json!({"session_id": "s1"}));
        stored(&db, globex, &[ended("e3", 70 * MINUTE)]).await;
        assert_eq!(
            consumed(&db, globex, "session_licenses").await,
            Some(3),
            "70 minutes of 30-minute windows"
        );
        stored(&db, globex, &[ended("e4", 80 * MINUTE)]).await;
        assert_eq!(consumed(&db, globex, "session_licenses").await, Some(3));
        let conversation = |id: &str| {
            event(
                id,
                "conversation",
                MINUTE,
                json!({"conversation_id": "c1", "session_id": "s1", "user_name": "ana",
                "channel": "Slack", "handled_by": "bot", "messages": [
                    {"at": (base() + Duration::minutes(1)).to_rfc3339(), "from": "ana", "text": "hi"},
                    {"at": (base() + Duration::minutes(2)).to_rfc3339(), "from": "bot", "text": "hello"},
                ]}),
            )
        };
        stored(&db, globex, &[conversation("e5"), conversation("e6")]).await;
        assert_eq!(
            consumed(&db, globex, "session_licenses").await,
            Some(3),
            "conversations consume nothing by themselves"
        );
        let mut conn = db.conn().await.expect("connection");
        let rows: Vec<_> = history::page::<SessionRow>(
            &mut conn,
            globex,
            history::Source::Sessions,
            &history::Filter::default(),
            history::Seek {
                newest_first: true,
                after: None,
                limit: 10,
            },
        )
        .await
        .expect("history")
        .into_iter()
        .map(|keyed| keyed.row)
        .collect();
        assert_eq!(
            rows.iter()
                .map(|r| (r.licenses, r.conversations, r.ended_at))
                .collect::<Vec<_>>(),
            [(3, 1, Some(ms(70 * MINUTE)))],
            "the same conversation sent twice is stored once"
        );
        let listed =
            conversations::list(&mut conn, globex, conversations::Party::Session("s1"), 10)
                .await
                .expect("list");
        assert_eq!(
            listed
                .iter()
                .map(|c| (c.conversation_id.as_str(), c.message_count))
                .collect::<Vec<_>>(),
            [("c1", 2)]
        );
        let messages: Vec<_> = conversations::messages(&mut conn, globex, "c1")
            .await
            .expect("messages")
            .into_iter()
            .map(|m| (m.sent_at, m.sender, m.body))
            .collect();
        assert_eq!(
            messages,
            [
                (ms(MINUTE), "ana".to_string(), "hi".to_string()),
                (ms(2 * MINUTE), "bot".to_string(), "hello".to_string())
            ]
        );
        assert!(
            conversations::list(&mut conn, globex, conversations::Party::User("ana"), 10)
                .await
                .expect("list")
                .is_empty()
        );
    }
);

on_both_backends!(
    async fn only_billable_transactions_consume(db: Db) {
        let initech = fixtures::tenant(
            &db,
            "initech",
            LicenseModel::TransactionBased,
            TenantState::Active,
        )
        .await;
        let skill = |id: &str, offset, trigger: &str| {
            event(
                id,
                "skill.executed",
                offset,
                json!({"bot_name": "Bot", "skill_name": "View Ticket", "skill_kind": "custom",
                       "fulfillment_type": "web_service", "fulfillment_details": "getTicket",
                       "outcome": "fulfilled", "trigger": trigger, "environment": "production",
                       "user_name": "ana", "role": "Employee", "channel": "Slack"}),
            )
        };
        let workflow = event(
            "t3",
            "workflow.executed",
            3,
            json!({"bot_name": "Bot", "workflow_name": "sync-users", "environment": "production"}),
        );
        stored(
            &db,
            initech,
            &[skill("t1", 1, "user"), skill("t2", 2, "test_bot"), workflow],
        )
        .await;
        let statuses = stored(&db, initech, &[skill("t1", 1, "user")]).await;
        assert_eq!(statuses, [EventStatus::Duplicate], "same id counted once");
        assert_eq!(
            consumed(&db, initech, "conversation_transactions").await,
            Some(1)
        );
        assert_eq!(
            consumed(&db, initech, "workflow_transactions").await,
            Some(1)
        );
        let mut conn = db.conn().await.expect("connection");
        let between = async |conn: &mut sqlx::AnyConnection, from, to| {
            transactions::between(conn, initech, ms(from), ms(to))
                .await
                .expect("between")
                .into_iter()
                .map(|t| (t.transaction_id, t.tx_type, t.billable, t.reason))
                .collect::<Vec<_>>()
        };
        let row = |id: &str, tx_type: &str, billable, reason: &str| {
            (
                id.to_string(),
                tx_type.to_string(),
                billable,
                reason.to_string(),
            )
        };
        assert_eq!(
            between(&mut conn, 0, 10).await,
            [
                row("t1", "conversation", true, "fulfilled"),
                row("t2", "conversation", false, "test_bot"),
                row("t3", "workflow", true, "workflow_executed"),
            ]
        );
        assert_eq!(
            between(&mut conn, 2, 3).await,
            [row("t2", "conversation", false, "test_bot")]
        );
    }
);

on_both_backends!(
    async fn assignment_pools_count_open_assignments(db: Db) {
        let umbrella =
            fixtures::tenant(&db, "umbrella", LicenseModel::UserBased, TenantState::Trial).await;
        let license = |id: &str, kind: &str, pool: &str, who: &str, offset| {
            event(
                id,
                kind,
                offset,
                json!({"pool": pool, "assignee_id": who, "assignee_name": format!("Agent {who}")}),
            )
        };
        stored(
            &db,
            umbrella,
            &[
                license("e1", "license.assigned", "addon:recording", "a1", 1),
                license("e2", "license.assigned", "addon:recording", "a2", 2),
                license("e3", "license.assigned", "addon:recording", "a2", 3),
            ],
        )
        .await;
        assert_eq!(
            consumed(&db, umbrella, "addon:recording").await,
            Some(2),
            "one license per assignee"
        );
        let refused = send(
            &db,
            umbrella,
            &[
                license("e4", "license.released", "addon:recording", "a1", 4),
                license("e5", "license.assigned", "modality:chat", "a1", 4),
            ],
        )
        .await;
        match refused {
            Err(IngestError::Invalid(problems)) => assert_eq!(
                problems
                    .iter()
                    .map(|p| (p.id.as_deref(), p.message.as_str()))
                    .collect::<Vec<_>>(),
                [(Some("e5"), "this tenant holds no `modality:chat` pool")]
            ),
            other => panic!("a pool the tenant does not hold is refused: {other:?}"),
        }
        assert_eq!(
            consumed(&db, umbrella, "addon:recording").await,
            Some(2),
            "a refused batch stores nothing, not even its valid events"
        );
        stored(
            &db,
            umbrella,
            &[license(
                "e4",
                "license.released",
                "addon:recording",
                "a1",
                4,
            )],
        )
        .await;
        assert_eq!(consumed(&db, umbrella, "addon:recording").await, Some(1));
        let mut conn = db.conn().await.expect("connection");
        let pool = pools::by_key(&mut conn, umbrella, "addon:recording")
            .await
            .expect("pool")
            .expect("held");
        assert_eq!(
            assignments::open_count(&mut conn, umbrella, pool.id)
                .await
                .expect("count"),
            1
        );
    }
);
