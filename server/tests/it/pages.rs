//! The tenant administrator's pages rendered on the server, as a browser without JavaScript
//! reads them: the Subscription tab's new sections, the history drill-down with its keyset
//! pages and filters in the URL, Conversation History, and the download confirmations.

use crate::support;

use axum::http::StatusCode;
use serde_json::{Value, json};

use app::model::{LicenseModel, TenantId, TenantState};
use app::server::db::Db;
use app::server::service;
use support::api::event;
use support::fixtures::{self, PASSWORD};
use support::http::TestApp;

async fn tenant(app: &TestApp, db: &Db, slug: &str, model: LicenseModel) -> (String, String) {
    let tenant = fixtures::tenant(db, slug, model, TenantState::Active).await;
    let (_, key) = service::api_keys::create(db, tenant, "platform", "test")
        .await
        .expect("key");
    let session = app.sign_in(&format!("admin@{slug}.test"), PASSWORD).await;
    (key, session)
}

/// `acme`, under contract from 60 days ago to 300 days ahead, with its administrator
/// (`admin@acme.test`); the tenant and an API key.
async fn tenant_in_contract(db: &Db, model: LicenseModel) -> (TenantId, String) {
    let today = chrono::Utc::now().date_naive();
    let mut spec = fixtures::spec("acme", model, TenantState::Active);
    spec.subscription.contract_start = today - chrono::Duration::days(60);
    spec.subscription.contract_end = today + chrono::Duration::days(300);
    let acme = service::tenants::create(db, &spec, "test")
        .await
        .expect("tenant");
    service::accounts::create_administrator(db, "admin@acme.test", PASSWORD, Some(acme))
        .await
        .expect("admin");
    let (_, key) = service::api_keys::create(db, acme, "platform", "test")
        .await
        .expect("key");
    (acme, key)
}

fn user(n: usize) -> Value {
    let mut e = event(
        &format!("assign-{n}"),
        "user.license_assigned",
        json!({"user_id": format!("u{n:03}"), "user_name": format!("user {n:03}"),
               "email": format!("u{n:03}@acme.test"), "first_name": "First", "last_name": "Last",
               "role": "Agent"}),
    );
    e["occurred_at"] = json!(format!("2026-06-01T{:02}:{:02}:00Z", n / 60, n % 60));
    e
}

/// The `href` of the link whose `rel` is `rel`, decoded from HTML.
fn link(body: &str, rel: &str) -> Option<String> {
    let at = body.find(&format!("rel=\"{rel}\" href=\""))?;
    let rest = &body[at + rel.len() + 13..];
    Some(rest[..rest.find('"')?].replace("&amp;", "&"))
}

fn count(body: &str, needle: &str) -> usize {
    body.matches(needle).count()
}

on_both_backends!(
    async fn history_pages_follow_keys_in_the_url_both_ways(db: Db) {
        let app = TestApp::new(db.clone());
        let (key, session) = tenant(&app, &db, "acme", LicenseModel::UserBased).await;
        let events: Vec<Value> = (0..60).map(user).collect();
        let (status, body) = app.post_events(&key, &events).await;
        assert_eq!(status, StatusCode::OK, "{body}");

        let first = app
            .get("/settings/subscription/history", Some(&session))
            .await;
        assert_eq!(first.status, StatusCode::OK);
        for column in [
            "User ID",
            "User Name",
            "Email",
            "First Name",
            "Last Name",
            "Role",
            "Status",
            "Created On",
            "Conversations",
        ] {
            assert!(first.body.contains(&format!(">{column}</th>")), "{column}");
        }
        assert!(first.body.contains(">u059<"), "newest first");
        assert!(!first.body.contains(">u034<"), "25 rows a page");
        assert_eq!(link(&first.body, "prev"), None);
        let next = link(&first.body, "next").expect("a next page");
        let second = app
            .get(
                &format!(
                    "/settings/subscription/history?{}",
                    next.trim_start_matches("/settings/subscription/history?")
                ),
                Some(&session),
            )
            .await;
        assert!(second.body.contains(">u034<") && second.body.contains(">u010<"));
        assert!(!second.body.contains(">u035<") && !second.body.contains(">u009<"));
        assert!(second.body.contains("Page 2"));
        let third = app
            .get(&link(&second.body, "next").expect("third"), Some(&session))
            .await;
        assert!(third.body.contains(">u009<") && third.body.contains(">u000<"));
        assert_eq!(link(&third.body, "next"), None, "the last page");
        let back = app
            .get(&link(&third.body, "prev").expect("back"), Some(&session))
            .await;
        let table = |body: &str| {
            let start = body.find("<tbody>").expect("table");
            let end = body.find("</tbody>").expect("table end");
            body[start..end].to_string()
        };
        assert!(
            table(&back.body) == table(&second.body),
            "going back shows the same page as going forward"
        );
        let home = app
            .get(&link(&second.body, "prev").expect("home"), Some(&session))
            .await;
        assert!(home.body.contains(">u059<") && home.body.contains("Page 1"));

        let oldest = app
            .get(
                "/settings/subscription/history?order=oldest&q=u00",
                Some(&session),
            )
            .await;
        assert_eq!(count(&oldest.body, "<tr"), 11, "header and u000..u009");
        assert!(oldest.body.find(">u000<") < oldest.body.find(">u009<"));
        assert!(
            oldest.body.contains("value=\"u00\""),
            "the filter stays in the form"
        );
    }
);

on_both_backends!(
    async fn conversation_counts_open_the_conversation_history(db: Db) {
        let app = TestApp::new(db.clone());
        let (key, session) = tenant(&app, &db, "globex", LicenseModel::SessionBased).await;
        let start = event(
            "start",
            "session.started",
            json!({"session_id": "s-1", "initiated_by": "agent", "user_name": "ana",
                   "email": "ana@globex.test", "role": "Agent", "channel": "Web"}),
        );
        let talk = event(
            "talk",
            "conversation",
            json!({"conversation_id": "c-7", "session_id": "s-1", "user_name": "ana", "channel": "Web",
                   "handled_by": "agent", "agent_name": "Bruno",
                   "messages": [{"at": "2026-06-01T10:00:00Z", "from": "ana", "text": "My <b>printer</b> is on fire"},
                                {"at": "2026-06-01T10:01:00Z", "from": "Bruno", "text": "On my way"}]}),
        );
        let (status, body) = app.post_events(&key, &[start, talk]).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let history = app
            .get("/settings/subscription/history", Some(&session))
            .await;
        for column in [
            "Session ID",
            "Started On",
            "Initiated By",
            "Agent Name",
            "Channel",
        ] {
            assert!(
                history.body.contains(&format!(">{column}</th>")),
                "{column}"
            );
        }
        assert!(
            history
                .body
                .contains("href=\"/conversations?session=s-1\">1</a>"),
            "{}",
            history.body
        );
        let list = app.get("/conversations?session=s-1", Some(&session)).await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains(">Bruno<") && list.body.contains(">2<"));
        assert!(
            !list.body.contains("On my way"),
            "messages only once opened"
        );
        let opened = app
            .get("/conversations?session=s-1&open=c-7", Some(&session))
            .await;
        assert!(opened.body.contains("On my way"));
        assert!(
            opened
                .body
                .contains("My &lt;b&gt;printer&lt;/b&gt; is on fire"),
            "text escaped"
        );
        let other = app
            .get("/conversations?session=nope&open=c-7", Some(&session))
            .await;
        assert!(
            !other.body.contains("On my way"),
            "a conversation opens only under its own session"
        );
        let anonymous = app.get("/conversations?session=s-1", None).await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    }
);

on_both_backends!(
    async fn downloads_ask_first_and_bad_ranges_are_refused_before_downloading(db: Db) {
        let app = TestApp::new(db.clone());
        let (_, session) = tenant(&app, &db, "initech", LicenseModel::TransactionBased).await;
        let tab = app.get("/settings/subscription", Some(&session)).await;
        assert!(tab.body.contains("License Purchase History"));
        assert!(tab.body.contains("Transaction History Log"));
        assert!(
            tab.body
                .contains("href=\"/settings/subscription/download?file=purchases\"")
        );

        let confirm = app
            .get(
                "/settings/subscription/download?file=purchases",
                Some(&session),
            )
            .await;
        assert!(
            confirm
                .body
                .contains("Download the License Purchase History?")
        );
        assert!(
            confirm
                .body
                .contains("href=\"/settings/subscription/purchases.csv\"")
        );
        assert!(
            confirm
                .body
                .contains("href=\"/settings/subscription\" data-action=\"cancel-download\"")
        );

        let good = app
            .get(
                "/settings/subscription/download?file=transactions&from=2026-06-01&to=2026-06-30",
                Some(&session),
            )
            .await;
        assert!(
            good.body
                .contains("transactions.csv?from=2026-06-01&amp;to=2026-06-30"),
            "{}",
            good.body
        );
        let long = app
            .get(
                "/settings/subscription/download?file=transactions&from=2026-06-01&to=2026-08-30",
                Some(&session),
            )
            .await;
        assert!(
            long.body
                .contains("The range covers 91 days; choose at most 90.")
        );
        assert!(
            !long.body.contains("transactions.csv"),
            "nothing to download"
        );
        assert!(
            long.body.contains("value=\"2026-08-30\""),
            "the dates typed stay in the form"
        );

        let history = app
            .get(
                "/settings/subscription/download?file=history&q=ana&status=active",
                Some(&session),
            )
            .await;
        assert!(history.body.contains("history.csv?q=ana&amp;status=active"));
    }
);

on_both_backends!(
    async fn contact_lists_are_edited_checked_deduplicated_and_audited(db: Db) {
        let app = TestApp::new(db.clone());
        let (_, session) = tenant(&app, &db, "acme", LicenseModel::UserBased).await;
        let origin = Some("http://127.0.0.1:3000");
        let edit = app
            .get("/settings/subscription?edit=contacts", Some(&session))
            .await;
        assert!(
            edit.body
                .contains("name=\"technical\" id=\"technical-0\" value=\"tech@acme.test\""),
            "the saved address is in the form"
        );

        let refused = app
            .post_form(
                "/settings/subscription/contacts",
                &[
                    ("technical", "ops@acme.test"),
                    ("technical", "not an email"),
                    ("billing", "billing@acme.test"),
                ],
                Some(&session),
                origin,
            )
            .await;
        assert_eq!(refused.status, StatusCode::SEE_OTHER);
        let back = refused.location.expect("back to the form");
        let page = app.get(&back, Some(&session)).await;
        assert!(page.body.contains("Nothing was saved"));
        assert!(
            page.body
                .contains("“not an email” is not a valid email address.")
        );
        assert!(
            page.body.contains("value=\"not an email\""),
            "what was typed stays"
        );
        let unchanged = app.get("/settings/subscription", Some(&session)).await;
        assert!(
            unchanged.body.contains("tech@acme.test") && !unchanged.body.contains("ops@acme.test")
        );

        let added = app
            .post_form(
                "/settings/subscription/contacts",
                &[
                    ("technical", "tech@acme.test"),
                    ("billing", "billing@acme.test"),
                    ("add", "billing"),
                ],
                Some(&session),
                origin,
            )
            .await;
        let page = app
            .get(&added.location.expect("edit"), Some(&session))
            .await;
        assert!(
            page.body.contains("id=\"billing-1\" value=\"\""),
            "a blank field to fill"
        );
        let removed = app
            .post_form(
                "/settings/subscription/contacts",
                &[
                    ("technical", "a@acme.test"),
                    ("technical", "b@acme.test"),
                    ("billing", ""),
                    ("remove", "technical:0"),
                ],
                Some(&session),
                origin,
            )
            .await;
        let page = app
            .get(&removed.location.expect("edit"), Some(&session))
            .await;
        assert!(
            !page.body.contains("a@acme.test")
                && page
                    .body
                    .contains("id=\"technical-0\" value=\"b@acme.test\"")
        );

        let saved = app
            .post_form(
                "/settings/subscription/contacts",
                &[
                    ("technical", "Ops@Acme.test"),
                    ("technical", "ops@acme.test"),
                    ("technical", ""),
                    ("technical", "noc@acme.test"),
                    ("billing", ""),
                ],
                Some(&session),
                origin,
            )
            .await;
        assert_eq!(
            saved.location.as_deref(),
            Some("/settings/subscription?saved=contacts#contacts")
        );
        let page = app
            .get("/settings/subscription?saved=contacts", Some(&session))
            .await;
        assert!(page.body.contains("Contact details saved."));
        let mut conn = db.conn().await.expect("connection");
        let tenant = app::server::db::tenants::by_slug(&mut conn, "acme")
            .await
            .expect("tenant")
            .expect("acme");
        let audit = app::server::db::audit::for_tenant(&mut conn, tenant.tenant_id(), 10)
            .await
            .expect("audit");
        let change = audit
            .iter()
            .find(|a| a.action == "contacts.update")
            .expect("audited");
        assert_eq!(change.actor, "admin@acme.test");
        assert_eq!(
            change.before_json.as_deref(),
            Some(r#"{"billing":["billing@acme.test"],"technical":["tech@acme.test"]}"#)
        );
        assert_eq!(
            change.after_json.as_deref(),
            Some(r#"{"billing":[],"technical":["ops@acme.test","noc@acme.test"]}"#)
        );
        let foreign = app
            .post_form(
                "/settings/subscription/contacts",
                &[("technical", "evil@evil.test")],
                Some(&session),
                Some("https://evil.test"),
            )
            .await;
        assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    }
);

on_both_backends!(
    async fn the_daily_chart_shows_usage_and_when_the_pool_runs_out(db: Db) {
        use chrono::{Duration, Utc};
        let app = TestApp::new(db.clone());
        let today = Utc::now().date_naive();
        let (acme, key) = tenant_in_contract(&db, LicenseModel::UserBased).await;
        let mut conn = db.conn().await.expect("connection");
        let purchased = app::server::db::pools::by_key(&mut conn, acme, "user_licenses")
            .await
            .expect("pool")
            .expect("user pool")
            .purchased;
        drop(conn);
        // Two users a day over the last fourteen days (today included): 2 a day.
        let events: Vec<Value> = (0..28)
            .map(|n| {
                let mut e = user(n);
                let at = Utc::now() - Duration::days(13 - (n as i64) / 2) - Duration::minutes(1);
                e["occurred_at"] = json!(at.to_rfc3339());
                e
            })
            .collect();
        let (status, body) = app.post_events(&key, &events).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let session = app.sign_in("admin@acme.test", PASSWORD).await;
        let tab = app.get("/settings/subscription", Some(&session)).await;
        assert!(tab.body.contains("Daily consumption of User Licenses"));
        let bars = tab.body.matches("class=\"bar\"").count();
        assert!((13..=15).contains(&bars), "{bars} days with usage");
        let left = purchased - 28;
        let expected = if left <= 0 {
            today
        } else {
            today + Duration::days((left + 1) / 2)
        };
        assert!(
            tab.body.contains(&format!(
                "(2.0 a day) this pool runs out on {}",
                expected.format("%m/%d/%Y")
            )),
            "forecast missing; purchased {purchased}: {}",
            tab.body
                .split("data-field=\"forecast\">")
                .nth(1)
                .unwrap_or("")
                .chars()
                .take(200)
                .collect::<String>()
        );
    }
);

on_both_backends!(
    async fn each_pools_chart_shows_only_that_pools_usage(db: Db) {
        use chrono::{Duration, Utc};
        let app = TestApp::new(db.clone());
        let (_, key) = tenant_in_contract(&db, LicenseModel::TransactionBased).await;
        // Billable conversation transactions on three days; no workflow at all.
        let events: Vec<Value> = [10, 5, 2]
            .iter()
            .map(|days| {
                let at = Utc::now() - Duration::days(*days);
                support::api::skill(
                    &format!("skill-{days}"),
                    json!({ "occurred_at": at.to_rfc3339() }),
                )
            })
            .collect();
        let (status, body) = app.post_events(&key, &events).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let session = app.sign_in("admin@acme.test", PASSWORD).await;
        let tab = app.get("/settings/subscription", Some(&session)).await;
        let bars_of = |pool: &str| {
            let chart = tab
                .body
                .split(&format!("<figure data-pool=\"{pool}\" class=\"chart\""))
                .nth(1)
                .unwrap_or_else(|| panic!("no chart for {pool}"));
            let chart = chart.split("</figure>").next().unwrap_or("");
            count(chart, "class=\"bar\"")
        };
        assert_eq!(bars_of("conversation_transactions"), 3);
        assert_eq!(bars_of("workflow_transactions"), 0);
    }
);

on_both_backends!(
    async fn usage_bars_mark_the_tenants_own_thresholds(db: Db) {
        let app = TestApp::new(db.clone());
        let mut spec = fixtures::spec("acme", LicenseModel::UserBased, TenantState::Active);
        spec.subscription.thresholds = "90, 50".parse().expect("thresholds");
        let tenant = service::tenants::create(&db, &spec, "test")
            .await
            .expect("tenant");
        service::accounts::create_administrator(&db, "admin@acme.test", PASSWORD, Some(tenant))
            .await
            .expect("admin");
        let session = app.sign_in("admin@acme.test", PASSWORD).await;
        let tab = app.get("/settings/subscription", Some(&session)).await;
        assert_eq!(tab.status, StatusCode::OK);
        let pools = count(&tab.body, "class=\"pool\"");
        assert!(pools > 0);
        assert_eq!(count(&tab.body, "data-threshold=\"50\""), pools);
        assert_eq!(count(&tab.body, "data-threshold=\"90\""), pools);
        assert_eq!(count(&tab.body, "data-threshold=\"75\""), 0);
    }
);
