//! A new tenant from the console's one form, through the real router on SQLite and Postgres:
//! every field checked before anything is saved, the first purchase on the ledger, and the
//! first administrator's invitation shown once and accepted with a password.

use crate::support;

use axum::http::StatusCode;

use app::model::{LicenseModel, TenantState};
use app::server::db::{Db, audit, pools};
use app::server::service::tenants;
use support::console::invitation;
use support::fixtures::{self, PASSWORD};
use support::http::{Reply, TestApp};

const ORIGIN: Option<&str> = Some("http://127.0.0.1:3000");

fn form<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("name", "Wayne Enterprises"),
        ("slug", "wayne"),
        ("time_zone", "America/Sao_Paulo"),
        ("locale", "pt-BR"),
        ("license_model", "session_based"),
        ("contract_start", "2026-01-01"),
        ("contract_end", "2026-12-31"),
        ("session_minutes", "30"),
        ("licenses", "50"),
        ("administrator", "bruce@wayne.test"),
        ("reason", "signed contract 2026-117"),
    ];
    for (name, value) in changes {
        match form.iter_mut().find(|(n, _)| n == name) {
            Some(field) => field.1 = value,
            None => form.push((name, value)),
        }
    }
    form
}

async fn create(app: &TestApp, root: &str, changes: &[(&str, &str)]) -> Reply {
    app.post_form("/admin/tenants", &form(changes), Some(root), ORIGIN)
        .await
}

async fn tenant_count(db: &Db) -> i64 {
    let (n,): (i64,) = sqlx::query_as("select count(*) from tenants")
        .fetch_one(&mut *db.conn().await.expect("connection"))
        .await
        .expect("count");
    n
}

on_both_backends!(
    async fn every_field_is_checked_before_anything_is_saved(db: Db) {
        let app = TestApp::new(db.clone());
        fixtures::tenant(&db, "acme", LicenseModel::UserBased, TenantState::Active).await;
        fixtures::super_admin(&db).await;
        let root = app.sign_in("root@tally.test", PASSWORD).await;
        let before = tenant_count(&db).await;
        for (field, value, code) in [
            ("name", " ", "tenant_name_invalid"),
            ("slug", "Wayne Corp", "slug_invalid"),
            ("slug", "acme", "slug_taken"),
            ("time_zone", "Mars/Olympus", "time_zone_invalid"),
            ("locale", "fr", "language_invalid"),
            ("license_model", "per_seat", "model_invalid"),
            ("contract_start", "2026-13-01", "start_invalid"),
            ("contract_end", "soon", "end_invalid"),
            ("contract_end", "2025-12-31", "ends_before_start"),
            ("session_minutes", "0", "session_invalid"),
            ("session_minutes", "a while", "session_invalid"),
            ("licenses", "-5", "licenses_invalid"),
            ("administrator", "bruce", "email_invalid"),
            ("administrator", "admin@acme.test", "email_taken"),
            ("reason", "", "reason_missing"),
        ] {
            let reply = create(&app, &root, &[(field, value)]).await;
            let location = reply.location.unwrap_or_default();
            assert!(location.starts_with("/admin?"), "{field}: {location}");
            assert!(
                location.ends_with(&format!("&refused=create&code={code}#create")),
                "{field}={value}: {location}"
            );
            assert!(
                location.contains("name=") && !location.contains("reason=signed"),
                "typed values come back, the reason does not"
            );
            assert_eq!(
                tenant_count(&db).await,
                before,
                "{field}={value}: nothing saved"
            );
        }
        let page = app
            .get(
                "/admin?name=Wayne&slug=acme&refused=create&code=slug_taken",
                Some(&root),
            )
            .await
            .body;
        assert!(
            page.contains(r#"data-refused="slug""#)
                && page.contains("A tenant with that slug exists already."),
            "{page}"
        );
        assert!(
            page.contains(r#"value="Wayne""#),
            "the form keeps what was typed"
        );
        let taken: (i64,) =
            sqlx::query_as("select count(*) from administrators where email = 'bruce@wayne.test'")
                .fetch_one(&mut *db.conn().await.expect("connection"))
                .await
                .expect("count");
        assert_eq!(taken.0, 0);
    }
);

on_both_backends!(
    async fn a_new_tenant_starts_with_its_purchase_and_an_invitation_shown_once(db: Db) {
        let app = TestApp::new(db.clone());
        fixtures::super_admin(&db).await;
        let root = app.sign_in("root@tally.test", PASSWORD).await;
        let made = create(&app, &root, &[]).await;
        assert_eq!(
            made.location.as_deref(),
            Some("/admin/tenants/wayne?done=created#state")
        );
        let page = app
            .get("/admin/tenants/wayne?done=created", Some(&root))
            .await
            .body;
        assert!(page.contains("The tenant is created."), "{page}");
        let link = invitation(&page).expect("the invitation link is shown");
        assert!(link.starts_with("/invite?token="), "{link}");
        let again = app.get("/admin/tenants/wayne", Some(&root)).await.body;
        assert!(invitation(&again).is_none(), "shown once");

        let wayne = tenants::by_slug(&db, "wayne").await.expect("created");
        let mut conn = db.conn().await.expect("connection");
        let held = pools::list(&mut conn, wayne).await.expect("pools");
        assert_eq!(
            held.iter()
                .map(|p| (p.pool_key.as_str(), p.purchased))
                .collect::<Vec<_>>(),
            [("session_licenses", 50)]
        );
        let ledger = pools::refills(&mut conn, wayne).await.expect("ledger");
        assert_eq!(
            (ledger[0].delta, ledger[0].note.as_str()),
            (50, "signed contract 2026-117")
        );
        let trail = audit::for_tenant(&mut conn, wayne, 10)
            .await
            .expect("audit");
        let actions: Vec<_> = trail
            .iter()
            .map(|r| (r.action.as_str(), r.reason.as_str()))
            .collect();
        assert!(
            actions.contains(&("tenant.create", "signed contract 2026-117")),
            "{actions:?}"
        );
        assert!(actions.contains(&("administrator.invite", "signed contract 2026-117")));
        drop(conn);

        // The administrator accepts: a password, then signed in to their tenant.
        let token = link.trim_start_matches("/invite?token=").to_string();
        let shown = app.get(&link, None).await;
        assert_eq!(shown.status, StatusCode::OK);
        assert!(shown.body.contains("bruce@wayne.test"));
        let accept = |password: &'static str, confirm: &'static str| {
            let (app, token) = (&app, token.clone());
            async move {
                let form = [
                    ("token", token.as_str()),
                    ("password", password),
                    ("confirm", confirm),
                ];
                app.post_form("/invite", &form, None, ORIGIN).await
            }
        };
        let differ = accept("correct horse battery", "correct horse").await;
        assert!(
            differ
                .location
                .is_some_and(|l| l.contains("error=mismatch"))
        );
        let short = accept("short", "short").await;
        assert!(short.location.is_some_and(|l| l.contains("error=short")));
        assert!(
            app.post_form(
                "/login",
                &[("email", "bruce@wayne.test"), ("password", "")],
                None,
                ORIGIN
            )
            .await
            .session
            .is_none()
        );
        let done = accept("correct horse battery", "correct horse battery").await;
        assert_eq!(done.location.as_deref(), Some("/settings/subscription"));
        assert!(done.session.is_some(), "signed in");
        let used = accept("another good password", "another good password").await;
        assert!(used.location.is_some_and(|l| l.contains("error=used")));
        assert!(
            app.get(&link, None)
                .await
                .body
                .contains("This invitation no longer works")
        );
        app.sign_in("bruce@wayne.test", "correct horse battery")
            .await;
    }
);

on_both_backends!(
    async fn tenant_administrators_cannot_create_tenants(db: Db) {
        let app = TestApp::new(db.clone());
        fixtures::tenant(&db, "acme", LicenseModel::UserBased, TenantState::Active).await;
        let admin = app.sign_in("admin@acme.test", PASSWORD).await;
        let before = tenant_count(&db).await;
        let reply = create(&app, &admin, &[]).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        let elsewhere = app
            .post_form(
                "/admin/tenants",
                &form(&[]),
                Some(&admin),
                Some("https://evil.test"),
            )
            .await;
        assert_eq!(elsewhere.status, StatusCode::FORBIDDEN);
        assert_eq!(tenant_count(&db).await, before);
    }
);
