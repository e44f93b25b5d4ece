//! The console's audit log through the real router, on SQLite and Postgres: every change by
//! anyone with its reason and before/after as a readable diff, filtered by tenant, actor,
//! action and dates, a keyset page at a time, and its CSV the same as the page.

use crate::support;

use axum::http::StatusCode;

use app::model::{LicenseModel, TenantState};
use app::server::db::Db;
use app::server::service::{api_keys, refills, subscription, tenants};
use support::fixtures::{self, PASSWORD};
use support::http::TestApp;

const ORIGIN: Option<&str> = Some("http://127.0.0.1:3000");
const POOL: &str = "conversation_transactions";

/// Changes by a super administrator, a tenant administrator and the system, over two tenants.
async fn history(db: &Db) -> TestApp {
    let mut made = Vec::new();
    for slug in ["acme", "globex"] {
        let model = LicenseModel::TransactionBased;
        made.push(fixtures::tenant(db, slug, model, TenantState::Active).await);
    }
    let (acme, globex) = (made[0], made[1]);
    fixtures::super_admin(db).await;
    refills::manual(db, acme, POOL, 8, "order 1", "root@tally.test")
        .await
        .expect("refill");
    refills::manual(db, acme, POOL, 30, "=HYPERLINK(\"x\")", "root@tally.test")
        .await
        .expect("refill");
    tenants::change_state(
        db,
        globex,
        TenantState::Suspended,
        "unpaid",
        "root@tally.test",
    )
    .await
    .expect("state");
    let (id, _) = api_keys::create(db, acme, "platform", "root@tally.test")
        .await
        .expect("key");
    api_keys::revoke(db, acme, id, "leaked", "root@tally.test")
        .await
        .expect("revoke");
    let contacts = vec!["ops@acme.test".to_string()];
    subscription::save_contacts(db, acme, "admin@acme.test", &contacts, &contacts)
        .await
        .expect("contacts");
    TestApp::new(db.clone())
}

/// The CSV's lines after the header.
fn lines(csv: &str) -> Vec<&str> {
    csv.split("\r\n")
        .skip(1)
        .filter(|l| !l.is_empty())
        .collect()
}

on_both_backends!(
    async fn the_audit_log_lists_filters_and_downloads_every_change(db: Db) {
        let app = history(&db).await;
        let root = app.sign_in("root@tally.test", PASSWORD).await;

        let all = app.get("/admin/audit", Some(&root)).await;
        assert_eq!(all.status, StatusCode::OK);
        let actions = [
            "contacts.update",
            "api_key.revoke",
            "api_key.create",
            "tenant.state",
            "pool.refill",
            "tenant.create",
        ];
        for action in actions {
            assert!(
                all.body
                    .contains(&format!(r#"<code data-field="action">{action}</code>"#)),
                "{action}"
            );
        }
        assert_eq!(
            all.body.matches("data-audit=").count(),
            8,
            "two tenants created, six changes"
        );
        // Before and after as the fields that changed.
        assert!(
            all.body.contains("<del>8</del> → <ins>38</ins>"),
            "{}",
            all.body
        );
        assert!(
            all.body
                .contains("<del>active</del> → <ins>suspended</ins>")
        );
        assert!(all.body.contains("unpaid") && all.body.contains("leaked"));

        let acme = app.get("/admin/audit?tenant=acme", Some(&root)).await.body;
        assert_eq!(acme.matches("data-audit=").count(), 6);
        assert!(!acme.contains("<del>active</del> → <ins>suspended</ins>"));
        let by_admin = app
            .get("/admin/audit?actor=admin%40acme.test", Some(&root))
            .await
            .body;
        assert_eq!(by_admin.matches("data-audit=").count(), 1);
        assert!(by_admin.contains("ops@acme.test"));
        let refills = app
            .get("/admin/audit?action=pool.refill", Some(&root))
            .await
            .body;
        assert_eq!(refills.matches("data-audit=").count(), 2);
        let today = chrono::Utc::now().date_naive();
        let yesterday = today.pred_opt().expect("day").to_string();
        let dated = format!("/admin/audit?from={today}&to={today}");
        assert_eq!(
            app.get(&dated, Some(&root))
                .await
                .body
                .matches("data-audit=")
                .count(),
            8
        );
        let before = format!("/admin/audit?to={yesterday}");
        assert!(
            app.get(&before, Some(&root))
                .await
                .body
                .contains("No change matches these filters.")
        );
        let reversed = format!("/admin/audit?from={today}&to={yesterday}");
        assert!(
            app.get(&reversed, Some(&root))
                .await
                .body
                .contains("The range ends before it starts.")
        );
        assert!(
            app.get("/admin/audit?from=yesterday", Some(&root))
                .await
                .body
                .contains("is not a date")
        );
        let nobody = app
            .get("/admin/audit?tenant=nobody", Some(&root))
            .await
            .body;
        assert!(nobody.contains("No change matches these filters."));

        // The download holds what the page shows, formula-safe.
        let csv = app.get("/admin/audit.csv?tenant=acme", Some(&root)).await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(
            csv.body
                .starts_with("Time (UTC),Tenant,Actor,Action,Reason,Changes\r\n"),
            "{}",
            csv.body
        );
        let rows = lines(&csv.body);
        assert_eq!(rows.len(), 6, "{}", csv.body);
        assert!(
            rows[0].contains(",acme,admin@acme.test,contacts.update,,"),
            "{}",
            rows[0]
        );
        let refill = rows
            .iter()
            .find(|r| r.contains("purchased: 8 → 38"))
            .expect("the refill, with its diff");
        assert!(refill.contains(r#"'=HYPERLINK(""x"")"#), "{refill}");
        assert!(acme.contains("=HYPERLINK(&quot;x&quot;)") || acme.contains("=HYPERLINK(\"x\")"));
        let filtered = app
            .get("/admin/audit.csv?action=tenant.state", Some(&root))
            .await
            .body;
        assert_eq!(lines(&filtered).len(), 1);
        assert!(
            lines(&filtered)[0]
                .contains("globex,root@tally.test,tenant.state,unpaid,state: active → suspended")
        );
    }
);

on_both_backends!(
    async fn the_audit_log_pages_by_keyset_and_the_csv_holds_every_page(db: Db) {
        let app = history(&db).await;
        let acme = tenants::by_slug(&db, "acme").await.expect("acme");
        for i in 0..30 {
            refills::manual(&db, acme, POOL, 1, &format!("order {i}"), "root@tally.test")
                .await
                .expect("refill");
        }
        let root = app.sign_in("root@tally.test", PASSWORD).await;
        let first = app
            .get("/admin/audit?action=pool.refill", Some(&root))
            .await
            .body;
        assert_eq!(first.matches("data-audit=").count(), 25);
        assert!(first.contains("order 29") && !first.contains(">order 4<"));
        let next = first
            .split(r#"href=""#)
            .filter_map(|rest| rest.split('"').next())
            .find(|href| href.contains("before="))
            .expect("an Older link")
            .replace("&amp;", "&");
        assert!(
            next.contains("action=pool.refill"),
            "the filters stay: {next}"
        );
        let second = app.get(&next, Some(&root)).await.body;
        assert_eq!(
            second.matches("data-audit=").count(),
            7,
            "30 + 2 refills in all"
        );
        assert!(second.contains(">order 4<") && !second.contains(">order 29<"));
        assert!(!second.contains("data-action=\"older-audit\""));
        let csv = app
            .get("/admin/audit.csv?action=pool.refill", Some(&root))
            .await
            .body;
        assert_eq!(lines(&csv).len(), 32);
    }
);

on_both_backends!(
    async fn tenant_administrators_reach_none_of_the_audit_log(db: Db) {
        let app = history(&db).await;
        let admin = app.sign_in("admin@acme.test", PASSWORD).await;
        assert_eq!(
            app.get("/admin/audit", Some(&admin)).await.status,
            StatusCode::FORBIDDEN
        );
        let csv = app.get("/admin/audit.csv", Some(&admin)).await;
        assert_eq!(csv.status, StatusCode::FORBIDDEN);
        assert!(!csv.body.contains("pool.refill"));
        let function = app
            .post_form("/fn/admin/audit", &[], Some(&admin), ORIGIN)
            .await;
        assert_eq!(function.status, StatusCode::FORBIDDEN);
        assert!(!function.body.contains("pool.refill"));
        let signed_out = app.get("/admin/audit.csv", None).await;
        assert!(
            signed_out.location.is_some_and(|l| l.starts_with("/login")),
            "signed out: sent to sign in"
        );
    }
);
