//! The console's tenant list through the real router, on SQLite and Postgres: searched by
//! name or slug, filtered by state and license model, a keyset page at a time, each tenant with
//! its main pool's use, projected run-out and newest alert.

use crate::support;

use serde_json::json;

use app::model::{LicenseModel, TenantState};
use app::server::service::{api_keys, refills, tenants};
use support::api::skill;
use support::fixtures::{self, PASSWORD};
use support::http::TestApp;

/// The slugs a page lists, in order.
fn slugs(page: &str) -> Vec<String> {
    page.split(r#"<tr data-tenant=""#)
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect()
}

/// The text of a row's cell, trimmed.
fn cell(row: &str, field: &str) -> String {
    row.split(&format!(r#"<td data-field="{field}">"#))
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .map(|text| text.trim().to_string())
        .unwrap_or_default()
}

on_both_backends!(
    async fn the_tenant_list_searches_filters_and_pages(db: Db) {
        let app = TestApp::new(db.clone());
        fixtures::super_admin(&db).await;
        for i in 0..28 {
            let (model, state) = match i % 3 {
                0 => (LicenseModel::UserBased, TenantState::Active),
                1 => (LicenseModel::SessionBased, TenantState::Trial),
                _ => (LicenseModel::TransactionBased, TenantState::Suspended),
            };
            let spec = fixtures::spec(&format!("t{i:02}"), model, state);
            tenants::create(&db, &spec, "test").await.expect("tenant");
        }
        let mut spec = fixtures::spec("wayne", LicenseModel::UserBased, TenantState::Active);
        spec.name = "Wayne 100% Enterprises".into();
        tenants::create(&db, &spec, "test").await.expect("wayne");
        let root = app.sign_in("root@tally.test", PASSWORD).await;

        let first = app.get("/admin", Some(&root)).await.body;
        let listed = slugs(&first);
        assert_eq!(listed.len(), 25);
        assert_eq!(listed[0], "t00");
        let next = first
            .split(r#"data-action="next-tenants""#)
            .next()
            .and_then(|head| head.rsplit(r#"href=""#).next())
            .and_then(|rest| rest.split('"').next())
            .expect("a Next link")
            .replace("&amp;", "&");
        let second = slugs(&app.get(&next, Some(&root)).await.body);
        assert_eq!(second, ["t25", "t26", "t27", "wayne"]);

        assert_eq!(
            slugs(&app.get("/admin?q=WAYNE", Some(&root)).await.body),
            ["wayne"],
            "any case"
        );
        assert_eq!(
            slugs(&app.get("/admin?q=ayn", Some(&root)).await.body),
            ["wayne"]
        );
        assert_eq!(
            slugs(&app.get("/admin?q=t1", Some(&root)).await.body).len(),
            10,
            "by slug"
        );
        assert_eq!(
            slugs(&app.get("/admin?q=100%25", Some(&root)).await.body),
            ["wayne"],
            "% is a character"
        );
        assert!(
            slugs(&app.get("/admin?q=_", Some(&root)).await.body).is_empty(),
            "_ is a character"
        );
        let suspended = slugs(&app.get("/admin?state=suspended", Some(&root)).await.body);
        assert_eq!(suspended.len(), 9);
        assert!(
            suspended
                .iter()
                .all(|s| s[1..].parse::<u32>().is_ok_and(|i| i % 3 == 2))
        );
        let trial_sessions = slugs(
            &app.get("/admin?state=trial&model=session_based", Some(&root))
                .await
                .body,
        );
        assert_eq!(trial_sessions.len(), 9);
        assert!(
            slugs(
                &app.get("/admin?state=trial&model=user_based", Some(&root))
                    .await
                    .body
            )
            .is_empty()
        );
        let paged = app
            .get("/admin?state=suspended&after=t20", Some(&root))
            .await
            .body;
        assert_eq!(slugs(&paged), ["t23", "t26"]);
    }
);

on_both_backends!(
    async fn each_tenant_shows_its_main_pool_run_out_and_newest_alert(db: Db) {
        let app = TestApp::new(db.clone());
        fixtures::super_admin(&db).await;
        let acme = fixtures::tenant(
            &db,
            "acme",
            LicenseModel::TransactionBased,
            TenantState::Active,
        )
        .await;
        let mut spec = fixtures::spec("quiet", LicenseModel::TransactionBased, TenantState::Active);
        spec.subscription.contract_end = chrono::Utc::now().date_naive() + chrono::Days::new(365);
        let quiet = tenants::create(&db, &spec, "test").await.expect("quiet");
        refills::manual(
            &db,
            quiet,
            "conversation_transactions",
            5,
            "order",
            "root@tally.test",
        )
        .await
        .expect("refill");
        let root = app.sign_in("root@tally.test", PASSWORD).await;
        let pool = "conversation_transactions";
        refills::manual(&db, acme, pool, 10, "order", "root@tally.test")
            .await
            .expect("refill");
        let (_, key) = api_keys::create(&db, acme, "platform", "test")
            .await
            .expect("key");
        let now = chrono::Utc::now().to_rfc3339();
        let events: Vec<_> = (0..8)
            .map(|i| skill(&format!("e{i}"), json!({ "occurred_at": now })))
            .collect();
        assert!(app.post_events(&key, &events).await.0.is_success());

        let page = app.get("/admin", Some(&root)).await.body;
        let row = |slug: &str| {
            page.split(&format!(r#"<tr data-tenant="{slug}">"#))
                .nth(1)
                .and_then(|rest| rest.split("</tr>").next())
                .map(str::to_string)
                .expect("listed")
        };
        let acme_row = row("acme");
        assert!(
            acme_row.contains(r#"<td data-field="used">80.0%</td>"#),
            "{acme_row}"
        );
        let today = chrono::Utc::now().date_naive();
        let runs_out = acme_row
            .split(r#"<td data-field="runs-out">"#)
            .nth(1)
            .and_then(|rest| rest.split('<').next())
            .and_then(|day| day.parse::<chrono::NaiveDate>().ok())
            .expect("a run-out day");
        // The day the Subscription tab's forecast gives for the same usage.
        let contract = (fixtures::date("2026-01-01"), fixtures::date("2026-12-31"));
        let expected =
            app::domain::forecast::forecast(&[(today, 8)], 8, 10, today, contract).runs_out;
        assert_eq!(Some(runs_out), expected);
        assert!(acme_row.contains("Threshold reached · "), "{acme_row}");
        let quiet = row("quiet");
        assert!(
            quiet.contains(r#"<td data-field="used">0.0%</td>"#),
            "{quiet}"
        );
        assert_eq!(cell(&quiet, "runs-out"), "", "nothing used: no run-out day");
        assert!(!quiet.contains(" · "), "no alert yet: {quiet}");
    }
);
