//! The tenant administrator's CSV downloads through the real router, on SQLite and Postgres:
//! exact headers, RFC 4180 and formula-safe cells, dates in the tenant's zone, the Transaction
//! History Log's range rules, filters shared with the page, and who may download what.

use crate::support;

use app::model::TenantId;
use axum::http::StatusCode;
use serde_json::{Value, json};

use app::model::{LicenseModel, TenantState};
use app::server::db::Db;
use app::server::service::{self, accounts, refills};
use support::api::{event, skill};
use support::fixtures::{self, PASSWORD};
use support::http::TestApp;

/// A tenant in São Paulo's zone (UTC−3) with an administrator, an API key and a signed-in
/// session.
async fn tenant(
    app: &TestApp,
    db: &Db,
    slug: &str,
    model: LicenseModel,
) -> (TenantId, String, String) {
    let mut spec = fixtures::spec(slug, model, TenantState::Active);
    spec.time_zone = "America/Sao_Paulo".into();
    let tenant = service::tenants::create(db, &spec, "test")
        .await
        .expect("create tenant");
    accounts::create_administrator(db, &format!("admin@{slug}.test"), PASSWORD, Some(tenant))
        .await
        .expect("create admin");
    let (_, key) = service::api_keys::create(db, tenant, "platform", "test")
        .await
        .expect("key");
    let session = app.sign_in(&format!("admin@{slug}.test"), PASSWORD).await;
    (tenant, key, session)
}

async fn send(app: &TestApp, key: &str, events: &[Value]) {
    let (status, body) = app.post_events(key, events).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// A CSV download: status, then header and rows as parsed by a CSV reader.
async fn download(app: &TestApp, path: &str, session: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let reply = app.get(path, Some(session)).await;
    assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
    assert!(
        reply.body.ends_with("\r\n"),
        "RFC 4180 lines end in CRLF: {:?}",
        reply.body
    );
    let mut reader = csv::Reader::from_reader(reply.body.as_bytes());
    let header = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("record").iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

fn user(id: &str, name: &str, at: &str) -> Value {
    let mut e = event(
        &format!("assign-{id}"),
        "user.license_assigned",
        json!({"user_id": id, "user_name": name, "email": format!("{id}@acme.test"),
               "first_name": "First", "last_name": "Last", "role": "Agent"}),
    );
    e["occurred_at"] = json!(at);
    e
}

on_both_backends!(
    async fn user_history_downloads_with_exact_columns_safe_cells_and_local_dates(db: Db) {
        let app = TestApp::new(db.clone());
        let (_, key, session) = tenant(&app, &db, "acme", LicenseModel::UserBased).await;
        let mut release = event(
            "release-u2",
            "user.license_released",
            json!({"user_id": "u2"}),
        );
        release["occurred_at"] = json!("2026-06-03T12:00:00Z");
        let mut talk = event(
            "c1",
            "conversation",
            json!({"conversation_id": "c1", "user_id": "u1", "user_name": "ana", "channel": "Teams",
                   "handled_by": "bot", "messages": [{"at": "2026-06-02T10:00:00Z", "from": "ana", "text": "hi"}]}),
        );
        talk["occurred_at"] = json!("2026-06-02T10:00:00Z");
        send(
            &app,
            &key,
            &[
                user(
                    "u1",
                    "=HYPERLINK(\"http://evil.test\")",
                    "2026-06-01T02:30:00Z",
                ),
                user("u2", "Silva, \"Bob\"", "2026-06-02T09:00:00Z"),
                release,
                talk,
            ],
        )
        .await;
        let (header, rows) = download(&app, "/settings/subscription/history.csv", &session).await;
        assert_eq!(
            header.join(","),
            "User ID,User Name,Email,First Name,Last Name,Role,Status,Created On,Conversations"
        );
        assert_eq!(
            rows,
            [
                vec![
                    "u2",
                    "Silva, \"Bob\"",
                    "u2@acme.test",
                    "First",
                    "Last",
                    "Agent",
                    "Inactive",
                    "2026-06-03T09:00:00-03:00",
                    "0"
                ],
                vec![
                    "u1",
                    "'=HYPERLINK(\"http://evil.test\")",
                    "u1@acme.test",
                    "First",
                    "Last",
                    "Agent",
                    "Active",
                    "2026-05-31T23:30:00-03:00",
                    "1"
                ],
            ],
            "newest change first; a release dates its row; names neutralised, not altered"
        );
        let (_, active) = download(
            &app,
            "/settings/subscription/history.csv?status=active",
            &session,
        )
        .await;
        assert_eq!(active.len(), 1);
        assert_eq!(active[0][0], "u1");
        let (_, found) =
            download(&app, "/settings/subscription/history.csv?q=SILVA", &session).await;
        assert_eq!(
            found.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(),
            ["u2"]
        );
    }
);

on_both_backends!(
    async fn session_history_has_the_session_columns(db: Db) {
        let app = TestApp::new(db.clone());
        let (_, key, session) = tenant(&app, &db, "globex", LicenseModel::SessionBased).await;
        let mut start = event(
            "s1-start",
            "session.started",
            json!({"session_id": "s1", "initiated_by": "end_user", "user_name": "ana",
                   "email": "ana@globex.test", "role": "Customer", "agent_name": "@bob",
                   "channel": "Web"}),
        );
        start["occurred_at"] = json!("2026-06-01T15:00:00Z");
        send(&app, &key, &[start]).await;
        let (header, rows) = download(&app, "/settings/subscription/history.csv", &session).await;
        assert_eq!(
            header.join(","),
            "Session ID,Started On,Initiated By,User Name,Email,Role,Agent Name,Channel,Conversations"
        );
        assert_eq!(
            rows,
            [vec![
                "s1",
                "2026-06-01T12:00:00-03:00",
                "End User",
                "ana",
                "ana@globex.test",
                "Customer",
                "'@bob",
                "Web",
                "0"
            ]]
        );
    }
);

on_both_backends!(
    async fn the_transaction_log_covers_whole_local_days_and_refuses_bad_ranges(db: Db) {
        let app = TestApp::new(db.clone());
        let (_, key, session) = tenant(&app, &db, "initech", LicenseModel::TransactionBased).await;
        let at = |id: &str, when: &str, changes: Value| {
            let mut e = skill(id, changes);
            e["occurred_at"] = json!(when);
            e
        };
        send(
            &app,
            &key,
            &[
                at("late-may", "2026-06-01T02:30:00Z", json!({})),
                at(
                    "first-june",
                    "2026-06-01T03:30:00Z",
                    json!({"skill_name": "-1+1"}),
                ),
                at(
                    "staging",
                    "2026-06-15T10:00:00Z",
                    json!({"environment": "staging"}),
                ),
                at("last-june", "2026-07-01T02:59:59Z", json!({})),
                at("july", "2026-07-01T03:00:00Z", json!({})),
            ],
        )
        .await;
        let (header, rows) = download(
            &app,
            "/settings/subscription/transactions.csv?from=2026-06-01&to=2026-06-30",
            &session,
        )
        .await;
        assert_eq!(
            header.join(","),
            "Transaction ID,Transaction Date & Time,Bot Name,Associated Skill Name,Transaction Type,Fulfillment Type,Fulfillment Details,Billable,User Name,Role,Channel"
        );
        let seen: Vec<(&str, &str, &str)> = rows
            .iter()
            .map(|r| (r[1].as_str(), r[3].as_str(), r[7].as_str()))
            .collect();
        assert_eq!(
            seen,
            [
                ("2026-06-30T23:59:59-03:00", "Reset password", "Yes"),
                ("2026-06-15T07:00:00-03:00", "Reset password", "No"),
                ("2026-06-01T00:30:00-03:00", "'-1+1", "Yes"),
            ],
            "June in São Paulo, newest first, non-billable rows listed"
        );
        assert!(
            rows.iter()
                .all(|r| r[4] == "Conversation" && r[5] == "Text")
        );

        for (query, message) in [
            (
                "from=2026-06-01&to=2026-08-30",
                "The range covers 91 days; choose at most 90.",
            ),
            (
                "from=2026-06-02&to=2026-06-01",
                "The From date is after the To date.",
            ),
            (
                "from=junho&to=2026-06-01",
                "Enter the From date as YYYY-MM-DD.",
            ),
        ] {
            let reply = app
                .get(
                    &format!("/settings/subscription/transactions.csv?{query}"),
                    Some(&session),
                )
                .await;
            assert_eq!(
                (reply.status, reply.body.as_str()),
                (StatusCode::BAD_REQUEST, message)
            );
        }
        let (_, ninety) = download(
            &app,
            "/settings/subscription/transactions.csv?from=2026-05-01&to=2026-07-29",
            &session,
        )
        .await;
        assert_eq!(ninety.len(), 5, "90 days, both ends included, are accepted");
    }
);

on_both_backends!(
    async fn purchases_list_every_refill_newest_first(db: Db) {
        let app = TestApp::new(db.clone());
        let (acme, _, session) = tenant(&app, &db, "acme", LicenseModel::UserBased).await;
        let mut conn = db.conn().await.expect("connection");
        for (delta, at, kind) in [
            (50, 1_780_000_000_000, "manual"),
            (-5, 1_781_000_000_000, "manual"),
            (20, 1_782_000_000_000, "auto"),
        ] {
            refills::refill(
                &mut conn,
                acme,
                "user_licenses",
                &refills::Refill {
                    kind,
                    ..refills::Refill::manual(delta, "test", at)
                },
            )
            .await
            .expect("refill")
            .expect("pool");
        }
        drop(conn);
        let (header, rows) = download(&app, "/settings/subscription/purchases.csv", &session).await;
        assert_eq!(
            header.join(","),
            "Refill Date,Refill Type,+/- Licenses,Total Licenses"
        );
        let newest: Vec<_> = rows
            .iter()
            .take(3)
            .map(|r| (r[1].as_str(), r[2].as_str()))
            .collect();
        assert_eq!(newest, [("Auto", "20"), ("Manual", "-5"), ("Manual", "50")]);
        assert_eq!(rows[0][0], "2026-06-20T21:00:00-03:00");
        let totals: Vec<i64> = rows.iter().map(|r| r[3].parse().expect("number")).collect();
        assert_eq!(
            (totals[0] - 20, totals[1] + 5),
            (totals[1], totals[2]),
            "each total follows from the one before: {totals:?}"
        );
    }
);

on_both_backends!(
    async fn downloads_need_a_tenant_administrator_and_show_only_their_tenant(db: Db) {
        let app = TestApp::new(db.clone());
        let (_, acme_key, _) = tenant(&app, &db, "acme", LicenseModel::UserBased).await;
        let (_, _, globex_session) = tenant(&app, &db, "globex", LicenseModel::UserBased).await;
        fixtures::super_admin(&db).await;
        send(
            &app,
            &acme_key,
            &[user("u1", "ana", "2026-06-01T10:00:00Z")],
        )
        .await;

        let anonymous = app.get("/settings/subscription/history.csv", None).await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
        assert!(
            anonymous
                .location
                .as_deref()
                .is_some_and(|l| l.starts_with("/login?next=")),
            "{anonymous:?}"
        );
        let root = app.sign_in("root@tally.test", PASSWORD).await;
        let refused = app
            .get("/settings/subscription/purchases.csv", Some(&root))
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let (_, rows) = download(&app, "/settings/subscription/history.csv", &globex_session).await;
        assert!(rows.is_empty(), "acme's users leaked to globex: {rows:?}");
    }
);

on_both_backends!(
    async fn long_exports_list_every_row_once_across_batches(db: Db) {
        // Exports read BATCH_ROWS rows per query, resuming after the last (date, id): rows that
        // share a date must neither repeat nor vanish where one batch ends and the next begins.
        let batch = usize::try_from(app::server::service::exports::BATCH_ROWS).expect("size");
        let app = TestApp::new(db.clone());
        let (_, key, session) = tenant(&app, &db, "acme", LicenseModel::UserBased).await;
        let total = 2 * batch + 1;
        let events: Vec<Value> = (0..total)
            .map(|n| {
                let minute = n / 7;
                user(
                    &format!("u{n:05}"),
                    "ana",
                    &format!("2026-06-01T{:02}:{:02}:00Z", minute / 60, minute % 60),
                )
            })
            .collect();
        for chunk in events.chunks(500) {
            send(&app, &key, chunk).await;
        }
        let (_, rows) = download(&app, "/settings/subscription/history.csv", &session).await;
        assert_eq!(rows.len(), total);
        let mut ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
        let dates: Vec<&str> = rows.iter().map(|r| r[7].as_str()).collect();
        assert!(
            dates.windows(2).all(|w| w[0] >= w[1]),
            "newest first throughout"
        );
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), total, "every user exactly once");

        // Exactly two full batches: the third query finds nothing and the file ends cleanly.
        let mut release = event(
            "release-u00000",
            "user.license_released",
            json!({"user_id": "u00000"}),
        );
        release["occurred_at"] = json!("2026-06-02T00:00:00Z");
        send(&app, &key, &[release]).await;
        let (_, active) = download(
            &app,
            "/settings/subscription/history.csv?status=active",
            &session,
        )
        .await;
        assert_eq!(active.len(), 2 * batch);
        assert!(active.iter().all(|r| r[6] == "Active" && r[0] != "u00000"));
    }
);

on_both_backends!(
    async fn a_dated_export_longer_than_a_batch_lists_the_range_once_and_nothing_outside(db: Db) {
        // A range's bound on the side the batches move toward is folded into each batch's
        // resume key: rows past the other end must still stay out, and none repeat.
        let batch = usize::try_from(app::server::service::exports::BATCH_ROWS).expect("size");
        let app = TestApp::new(db.clone());
        let (_, key, session) = tenant(&app, &db, "acme", LicenseModel::TransactionBased).await;
        let inside = 2 * batch + 1;
        // 30 rows on each side: 31 May and 2 June in São Paulo (UTC-3).
        let mut events: Vec<Value> = (0..30)
            .map(|n| {
                skill(
                    &format!("may-{n}"),
                    json!({"occurred_at": format!("2026-06-01T02:{n:02}:00Z")}),
                )
            })
            .chain((0..30).map(|n| {
                skill(
                    &format!("jun2-{n}"),
                    json!({"occurred_at": format!("2026-06-02T03:{n:02}:00Z")}),
                )
            }))
            .collect();
        events.extend((0..inside).map(|n| {
            let second = n / 3;
            skill(
                &format!("in-{n:05}"),
                json!({"occurred_at": format!(
                    "2026-06-01T{:02}:{:02}:{:02}Z",
                    3 + second / 3600,
                    second / 60 % 60,
                    second % 60
                )}),
            )
        }));
        for chunk in events.chunks(500) {
            send(&app, &key, chunk).await;
        }
        let (_, rows) = download(
            &app,
            "/settings/subscription/transactions.csv?from=2026-06-01&to=2026-06-01",
            &session,
        )
        .await;
        let mut ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
        assert!(
            ids.iter().all(|id| id.starts_with("in-")),
            "only 1 June's rows"
        );
        let dates: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
        assert!(
            dates.windows(2).all(|w| w[0] >= w[1]),
            "newest first throughout"
        );
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(
            (rows.len(), ids.len()),
            (inside, inside),
            "each row of the day once"
        );
    }
);

on_both_backends!(
    async fn the_subscription_tab_shows_the_newest_twenty_refills_and_the_download_has_all(db: Db) {
        let app = TestApp::new(db.clone());
        let (acme, _, session) = tenant(&app, &db, "acme", LicenseModel::UserBased).await;
        let purchases = |page: &str| {
            page.split(r#"class="data purchases""#)
                .nth(1)
                .and_then(|rest| rest.split("</table>").next())
                .unwrap_or_default()
                .matches("<tr>")
                .count()
        };
        let tab = app.get("/settings/subscription", Some(&session)).await.body;
        assert!(
            !tab.contains(r#"data-purchases="newest""#),
            "a short ledger is shown whole"
        );
        let mut conn = db.conn().await.expect("connection");
        for n in 1..=25_i64 {
            refills::refill(
                &mut conn,
                acme,
                "user_licenses",
                &refills::Refill {
                    kind: "auto",
                    ..refills::Refill::manual(n, "test", 1_780_000_000_000 + n * 60_000)
                },
            )
            .await
            .expect("refill")
            .expect("pool");
        }
        drop(conn);
        let tab = app.get("/settings/subscription", Some(&session)).await.body;
        assert_eq!(purchases(&tab), 21, "a header and the 20 newest rows");
        assert!(
            tab.contains("+25") && tab.contains("+6"),
            "the newest are shown"
        );
        assert!(!tab.contains(">+5<"), "the 21st newest is not");
        assert!(
            tab.contains("The 20 newest refills are shown. Download has every one."),
            "the page says the list is cut and where the rest is"
        );
        let (_, rows) = download(&app, "/settings/subscription/purchases.csv", &session).await;
        let autos = rows.iter().filter(|r| r[1] == "Auto").count();
        assert_eq!(autos, 25, "the download has every row");
    }
);
