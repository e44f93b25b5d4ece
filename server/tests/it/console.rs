//! The admin console's alert and email log, through the real router on SQLite and Postgres:
//! every tenant's alerts, filtered from the URL, and Resend of an email given up, audited.
//! Super administrators only.

use crate::support;

use axum::http::StatusCode;
use serde_json::json;

use app::model::alert::DeliveryState;
use app::model::{LicenseModel, TenantId, TenantState};
use app::server::db::{Db, audit, outbox};
use app::server::service::{self, refills};
use support::api::skill;
use support::fixtures::{self, PASSWORD};
use support::http::TestApp;

const ORIGIN: Option<&str> = Some("http://127.0.0.1:3000");

/// A transaction-based tenant at 75% of 4 licenses: one alert, three emails queued.
async fn alerted(db: &Db, app: &TestApp, slug: &str) -> TenantId {
    let tenant = fixtures::tenant(
        db,
        slug,
        LicenseModel::TransactionBased,
        TenantState::Active,
    )
    .await;
    let mut tx = db.begin().await.expect("tx");
    refills::refill(
        &mut tx,
        tenant,
        "conversation_transactions",
        &refills::Refill::manual(4, "test", 0),
    )
    .await
    .expect("refill")
    .expect("pool");
    tx.commit().await.expect("commit");
    let (_, key) = service::api_keys::create(db, tenant, "platform", "test")
        .await
        .expect("key");
    let events: Vec<_> = (0..3)
        .map(|i| skill(&format!("{slug}-{i}"), json!({})))
        .collect();
    let (status, answer) = app.post_events(&key, &events).await;
    assert!(status.is_success(), "{answer}");
    tenant
}

/// The outbox ids of a tenant's emails.
async fn emails(db: &Db, tenant: TenantId) -> Vec<i64> {
    let rows: Vec<(i64,)> =
        sqlx::query_as("select id from outbox where tenant_id = $1 order by id")
            .bind(tenant.0)
            .fetch_all(&mut *db.conn().await.expect("connection"))
            .await
            .expect("emails");
    rows.into_iter().map(|(id,)| id).collect()
}

/// Where an email stands.
async fn state_of(db: &Db, email: i64) -> String {
    let (state,): (String,) = sqlx::query_as("select state from outbox where id = $1")
        .bind(email)
        .fetch_one(&mut *db.conn().await.expect("connection"))
        .await
        .expect("state");
    state
}

on_both_backends!(
    async fn the_console_lists_filters_and_resends_alert_emails(db: Db) {
        let app = TestApp::new(db.clone());
        alerted(&db, &app, "acme").await;
        let globex = alerted(&db, &app, "globex").await;
        fixtures::super_admin(&db).await;
        let root = app.sign_in("root@tally.test", PASSWORD).await;

        let all = app.get("/admin/alerts", Some(&root)).await;
        assert_eq!(all.status, StatusCode::OK);
        assert!(
            all.body.contains("<code>acme</code>") && all.body.contains("<code>globex</code>"),
            "{}",
            all.body
        );
        let only = app
            .get("/admin/alerts?tenant=globex", Some(&root))
            .await
            .body;
        assert!(only.contains("<code>globex</code>") && !only.contains("<code>acme</code>"));
        let unknown = app
            .get("/admin/alerts?tenant=nobody", Some(&root))
            .await
            .body;
        assert!(
            !unknown.contains("<code>"),
            "an unknown tenant matches nothing"
        );
        let none_failed = app
            .get("/admin/alerts?state=failed", Some(&root))
            .await
            .body;
        assert!(!none_failed.contains("data-action=\"resend\""));

        // One of globex's emails was refused for good.
        let failed = emails(&db, globex).await[0];
        let mut tx = db.begin().await.expect("tx");
        // Tried once (every due email is claimed), then refused for good.
        let later = app::server::db::now_ms() + 60_000;
        outbox::claim(&mut tx, later, 60_000, 100)
            .await
            .expect("claim");
        outbox::give_up(
            &mut tx,
            failed,
            DeliveryState::Failed,
            "550 5.1.1 no such mailbox",
        )
        .await
        .expect("fail");
        tx.commit().await.expect("commit");
        let listed = app
            .get("/admin/alerts?state=failed", Some(&root))
            .await
            .body;
        assert!(listed.contains("<code>globex</code>") && !listed.contains("<code>acme</code>"));
        assert!(listed.contains("550 5.1.1 no such mailbox"));
        assert!(
            listed.contains(r#"data-field="attempts" class="muted">Attempts: 1<"#),
            "{listed}"
        );
        assert_eq!(listed.matches("data-action=\"resend\"").count(), 1);

        let email = failed.to_string();
        let resent = app
            .post_form(
                "/admin/alerts/resend",
                &[("email", &email)],
                Some(&root),
                ORIGIN,
            )
            .await;
        assert_eq!(
            resent.location.as_deref(),
            Some("/admin/alerts?resend=queued")
        );
        let again = app
            .post_form(
                "/admin/alerts/resend",
                &[("email", &email)],
                Some(&root),
                ORIGIN,
            )
            .await;
        assert_eq!(
            again.location.as_deref(),
            Some("/admin/alerts?resend=refused"),
            "queued already"
        );
        let page = app
            .get("/admin/alerts?resend=queued", Some(&root))
            .await
            .body;
        assert!(page.contains("The email is queued again."));
        let trail = audit::for_tenant(&mut db.conn().await.expect("connection"), globex, 10)
            .await
            .expect("audit");
        let entry = trail
            .iter()
            .find(|e| e.action == "email.resend")
            .expect("the resend is audited");
        assert_eq!(entry.actor, "root@tally.test");
        assert!(
            entry
                .before_json
                .as_deref()
                .is_some_and(|b| b.contains("failed"))
        );
        assert!(
            entry
                .after_json
                .as_deref()
                .is_some_and(|a| a.contains("queued"))
        );
        assert_eq!(state_of(&db, failed).await, "queued");
    }
);

on_both_backends!(
    async fn tenant_administrators_reach_none_of_the_console_log(db: Db) {
        let app = TestApp::new(db.clone());
        let acme = alerted(&db, &app, "acme").await;
        let mut tx = db.begin().await.expect("tx");
        let email = emails(&db, acme).await[0];
        outbox::give_up(&mut tx, email, DeliveryState::Dead, "timed out")
            .await
            .expect("dead");
        tx.commit().await.expect("commit");
        let session = app.sign_in("admin@acme.test", PASSWORD).await;
        assert_eq!(
            app.get("/admin/alerts", Some(&session)).await.status,
            StatusCode::FORBIDDEN
        );
        let resend = app
            .post_form(
                "/admin/alerts/resend",
                &[("email", &email.to_string())],
                Some(&session),
                ORIGIN,
            )
            .await;
        assert_eq!(resend.status, StatusCode::FORBIDDEN);
        let function = app
            .post_form("/fn/admin/alerts", &[], Some(&session), ORIGIN)
            .await;
        assert!(function.status.is_client_error(), "{:?}", function.status);
        let anonymous = app
            .post_form("/admin/alerts/resend", &[("email", "1")], None, ORIGIN)
            .await;
        assert!(anonymous.status.is_client_error() || anonymous.location.is_some());
        assert_eq!(state_of(&db, email).await, "dead", "nothing was resent");
    }
);

on_both_backends!(
    async fn the_console_log_is_filtered_by_utc_days(db: Db) {
        let app = TestApp::new(db.clone());
        alerted(&db, &app, "acme").await;
        fixtures::super_admin(&db).await;
        let root = app.sign_in("root@tally.test", PASSWORD).await;
        // An alert is dated when usage reached the threshold: the events' day.
        let today = fixtures::date("2026-06-01");
        let yesterday = today.pred_opt().expect("day");
        let listed = |query: String| {
            let (app, root) = (&app, &root);
            async move {
                app.get(&format!("/admin/alerts?{query}"), Some(root))
                    .await
                    .body
            }
        };
        let body = listed(format!("from={today}&to={today}")).await;
        assert!(body.contains("<code>acme</code>"), "{body}");
        assert!(
            listed(format!("from={today}"))
                .await
                .contains("<code>acme</code>")
        );
        assert!(
            !listed(format!("to={yesterday}"))
                .await
                .contains("<code>acme</code>")
        );
        let tomorrow = today.succ_opt().expect("day");
        assert!(
            !listed(format!("from={tomorrow}"))
                .await
                .contains("<code>acme</code>")
        );
        let reversed = listed(format!("from={today}&to={yesterday}")).await;
        assert!(reversed.contains("The range ends before it starts."));
        assert!(
            listed("from=someday".into())
                .await
                .contains("is not a date")
        );
    }
);
