//! A super administrator viewing a tenant as it sees itself, through the real router on SQLite
//! and Postgres: its Subscription tab and history with the tenant's own numbers, read only,
//! under a banner, each visit audited; nobody else gets in by that door.

use crate::support;

use axum::http::StatusCode;
use serde_json::json;

use app::model::{LicenseModel, TenantState};
use support::api::skill;
use support::console::{ORIGIN, json, licensed, setting, trail};
use support::fixtures::PASSWORD;

on_both_backends!(
    async fn the_tenants_own_pages_read_only_under_a_banner_and_audited(db: Db) {
        let (app, acme, root) = setting(&db).await;
        let key = licensed(&db, acme, 10).await;
        // 8 of 10: the 75% alert goes out.
        let events: Vec<_> = (0..8).map(|i| skill(&format!("e{i}"), json!({}))).collect();
        assert!(app.post_events(&key, &events).await.0.is_success());

        let admin = app.sign_in("admin@acme.test", PASSWORD).await;
        let own = app.get("/settings/subscription", Some(&admin)).await.body;
        let viewed = app.get("/admin/tenants/acme/view", Some(&root)).await;
        assert_eq!(viewed.status, StatusCode::OK);
        let page = viewed.body;
        assert!(page.contains(r#"data-field="view-as""#), "{page}");
        assert!(page.contains("acme"), "the banner names the tenant");
        // The same numbers the tenant reads.
        for field in [r#"data-field="contract-end""#, r#"data-field="consumed""#] {
            let value = |body: &str| {
                body.split(field)
                    .nth(1)
                    .and_then(|rest| rest.split('<').next())
                    .map(str::to_string)
            };
            assert!(value(&page).is_some(), "{field}: {page}");
            assert_eq!(value(&page), value(&own), "{field}");
        }
        // The tenant's alerts, as the tenant reads them.
        let alerts = |body: &str| body.matches(r#"data-alert="threshold""#).count();
        assert!(page.contains("Usage reached 75%"), "{page}");
        assert_eq!(alerts(&page), alerts(&own));
        assert_eq!(alerts(&page), 1);
        // Read only: no editing, no test alert, no downloads.
        assert!(own.contains(r#"data-action="edit-contacts""#));
        for action in ["edit-contacts", "test-alert"] {
            assert!(
                !page.contains(&format!(r#"data-action="{action}""#)),
                "{action}: {page}"
            );
        }
        assert!(own.contains("data-download=") && !page.contains("data-download="));
        assert!(
            page.contains(r#"href="/admin/tenants/acme/view/history""#),
            "{page}"
        );

        let history = app
            .get("/admin/tenants/acme/view/history", Some(&root))
            .await;
        assert_eq!(history.status, StatusCode::OK);
        assert!(history.body.contains(r#"data-field="view-as""#));
        assert!(
            history
                .body
                .contains(r#"action="/admin/tenants/acme/view/history""#)
        );

        let visits: Vec<_> = trail(&db, acme)
            .await
            .into_iter()
            .filter(|r| r.action == "tenant.view")
            .map(|r| (r.actor, json(&r.after_json)["page"].clone()))
            .collect();
        assert_eq!(
            visits,
            [
                ("root@tally.test".to_string(), json!("history")),
                ("root@tally.test".to_string(), json!("subscription")),
            ]
        );
    }
);

on_both_backends!(
    async fn nobody_else_views_a_tenant_through_the_console(db: Db) {
        let (app, acme, root) = setting(&db).await;
        support::fixtures::tenant(&db, "globex", LicenseModel::UserBased, TenantState::Active)
            .await;
        let globex = app.sign_in("admin@globex.test", PASSWORD).await;
        let acme_admin = app.sign_in("admin@acme.test", PASSWORD).await;
        for session in [&globex, &acme_admin] {
            for path in [
                "/admin/tenants/acme/view",
                "/admin/tenants/acme/view/history",
            ] {
                assert_eq!(
                    app.get(path, Some(session)).await.status,
                    StatusCode::FORBIDDEN,
                    "{path}"
                );
            }
            let function = app
                .post_form(
                    "/fn/subscription/overview",
                    &[("view_as", "acme")],
                    Some(session),
                    ORIGIN,
                )
                .await;
            assert_eq!(function.status, StatusCode::FORBIDDEN, "{}", function.body);
        }
        let unknown = app.get("/admin/tenants/nope/view", Some(&root)).await;
        assert!(unknown.body.contains("Not found"), "{}", unknown.body);
        assert!(
            !trail(&db, acme)
                .await
                .iter()
                .any(|r| r.action == "tenant.view"),
            "no visit was made"
        );
    }
);
