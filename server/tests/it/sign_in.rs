//! Sign-in, sign-out, role guards and tenant isolation, through the real router.

use crate::support;

use axum::http::StatusCode;

use app::model::{LicenseModel, TenantState};
use app::server::db::{Db, tenants};
use support::db::TestDb;
use support::fixtures::{self, PASSWORD};
use support::http::TestApp;

const SAME_ORIGIN: Option<&str> = Some("http://127.0.0.1:3000");

async fn two_tenants(db: &app::server::db::Db) -> TestApp {
    fixtures::tenant(db, "acme", LicenseModel::UserBased, TenantState::Active).await;
    fixtures::tenant(
        db,
        "globex",
        LicenseModel::SessionBased,
        TenantState::Active,
    )
    .await;
    fixtures::super_admin(db).await;
    TestApp::new(db.clone())
}

on_both_backends!(
    async fn a_tenant_administrator_signs_in_reads_the_summary_and_signs_out(db: Db) {
        let app = two_tenants(&db).await;
        let reply = app
            .post_form(
                "/login",
                &[("email", "Admin@Acme.test"), ("password", PASSWORD)],
                None,
                SAME_ORIGIN,
            )
            .await;
        assert_eq!(
            (reply.status, reply.location.as_deref()),
            (StatusCode::SEE_OTHER, Some("/settings/subscription"))
        );
        let session = reply.session.expect("session cookie");
        let page = app.get("/settings/subscription", Some(&session)).await;
        assert_eq!(page.status, StatusCode::OK);
        for text in [
            "ACME Ltd",
            "User-Based Licensing",
            "01/01/2026",
            "12/31/2026",
            "tech@acme.test",
            "billing@acme.test",
            "Total Purchase",
            "Consumed",
            "Available",
        ] {
            assert!(page.body.contains(text), "summary lacks {text}");
        }
        assert!(
            !page.body.contains("GLOBEX"),
            "another tenant's name leaked"
        );
        let reply = app
            .post_form("/logout", &[], Some(&session), SAME_ORIGIN)
            .await;
        assert_eq!(reply.location.as_deref(), Some("/login?signed_out=1"));
        let after = app.get("/settings/subscription", Some(&session)).await;
        assert_eq!(
            after.location.as_deref(),
            Some("/login?next=%2Fsettings%2Fsubscription"),
            "the old cookie is dead"
        );
    }
);

on_both_backends!(
    async fn the_session_cookie_is_httponly_samesite_and_renewed_at_each_sign_in(db: Db) {
        let app = two_tenants(&db).await;
        let request = axum::http::Request::post("/login")
            .header("host", "127.0.0.1:3000")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(format!(
                "email=admin%40acme.test&password={}",
                PASSWORD.replace(' ', "+")
            )))
            .expect("request");
        let response = tower::ServiceExt::oneshot(app.router.clone(), request)
            .await
            .expect("answer");
        let cookie = response
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .expect("cookie")
            .to_string();
        assert!(
            cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Lax")
                && cookie.contains("Path=/"),
            "{cookie}"
        );
        let first = app.sign_in("admin@acme.test", PASSWORD).await;
        let reply = app
            .post_form(
                "/login",
                &[("email", "admin@acme.test"), ("password", PASSWORD)],
                Some(&first),
                SAME_ORIGIN,
            )
            .await;
        let second = reply.session.expect("new session");
        assert_ne!(first, second);
        assert_eq!(
            app.get("/settings/subscription", Some(&second))
                .await
                .status,
            StatusCode::OK
        );
        assert_eq!(
            app.get("/settings/subscription", Some(&first)).await.status,
            StatusCode::SEE_OTHER,
            "the previous id no longer works"
        );
    }
);

on_both_backends!(
    async fn a_wrong_password_and_an_unknown_email_get_the_same_answer(db: Db) {
        let app = two_tenants(&db).await;
        let wrong = app
            .post_form(
                "/login",
                &[("email", "admin@acme.test"), ("password", "nope nope nope")],
                None,
                SAME_ORIGIN,
            )
            .await;
        let unknown = app
            .post_form(
                "/login",
                &[("email", "ghost@acme.test"), ("password", "nope nope nope")],
                None,
                SAME_ORIGIN,
            )
            .await;
        assert_eq!(
            (
                wrong.status,
                wrong.location.as_deref(),
                wrong.session.is_none()
            ),
            (StatusCode::SEE_OTHER, Some("/login?error=invalid"), true)
        );
        assert_eq!(
            (unknown.status, unknown.location),
            (wrong.status, wrong.location)
        );
        let page = app.get("/login?error=invalid", None).await;
        assert!(page.body.contains("The email or password is not right."));
    }
);

on_both_backends!(
    async fn repeated_failures_slow_sign_in_down(db: Db) {
        let app = two_tenants(&db).await;
        for _ in 0..5 {
            app.post_form(
                "/login",
                &[("email", "admin@acme.test"), ("password", "guess guess")],
                None,
                SAME_ORIGIN,
            )
            .await;
        }
        let reply = app
            .post_form(
                "/login",
                &[("email", "admin@acme.test"), ("password", PASSWORD)],
                None,
                SAME_ORIGIN,
            )
            .await;
        assert!(reply.session.is_none(), "even the right password waits");
        assert_eq!(
            reply.location.as_deref(),
            Some("/login?error=throttled&wait=15")
        );
        let page = app.get("/login?error=throttled&wait=15", None).await;
        assert!(page.body.contains("Too many failed sign-ins"));
        // Another account is not affected.
        app.sign_in("admin@globex.test", PASSWORD).await;
    }
);

on_both_backends!(
    async fn a_suspended_or_canceled_tenant_cannot_sign_in_and_is_told_why(db: Db) {
        let app = two_tenants(&db).await;
        let session = app.sign_in("admin@acme.test", PASSWORD).await;
        let mut conn = db.conn().await.expect("connection");
        let acme = tenants::by_slug(&mut conn, "acme")
            .await
            .expect("tenant")
            .expect("acme")
            .tenant_id();
        tenants::set_state(
            &mut conn,
            acme,
            TenantState::Suspended,
            "unpaid",
            "root@tally.test",
            1,
        )
        .await
        .expect("suspend");
        let page = app.get("/settings/subscription", Some(&session)).await;
        assert_eq!(
            page.location.as_deref(),
            Some("/login?error=suspended"),
            "a live session ends too"
        );
        let reply = app
            .post_form(
                "/login",
                &[("email", "admin@acme.test"), ("password", PASSWORD)],
                None,
                SAME_ORIGIN,
            )
            .await;
        assert!(reply.session.is_none());
        assert_eq!(reply.location.as_deref(), Some("/login?error=suspended"));
        assert!(
            app.get("/login?error=suspended", None)
                .await
                .body
                .contains("subscription is suspended")
        );
        tenants::set_state(
            &mut conn,
            acme,
            TenantState::Canceled,
            "closed",
            "root@tally.test",
            2,
        )
        .await
        .expect("cancel");
        let reply = app
            .post_form(
                "/login",
                &[("email", "admin@acme.test"), ("password", PASSWORD)],
                None,
                SAME_ORIGIN,
            )
            .await;
        assert_eq!(reply.location.as_deref(), Some("/login?error=canceled"));
        tenants::set_state(
            &mut conn,
            acme,
            TenantState::Expired,
            "contract ended",
            "system",
            3,
        )
        .await
        .expect("expire");
        let session = app.sign_in("admin@acme.test", PASSWORD).await;
        let page = app.get("/settings/subscription", Some(&session)).await;
        assert!(
            page.body.contains("This subscription has expired"),
            "expired tenants may sign in and read"
        );
    }
);

on_both_backends!(
    async fn each_area_is_for_its_role_only(db: Db) {
        let app = two_tenants(&db).await;
        let anonymous = app.get("/admin", None).await;
        assert_eq!(anonymous.location.as_deref(), Some("/login?next=%2Fadmin"));
        let tenant_admin = app.sign_in("admin@acme.test", PASSWORD).await;
        assert_eq!(
            app.get("/admin", Some(&tenant_admin)).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.get("/admin/tenants/globex", Some(&tenant_admin))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let root = app.sign_in("root@tally.test", PASSWORD).await;
        let admin_page = app.get("/admin", Some(&root)).await;
        assert_eq!(admin_page.status, StatusCode::OK);
        assert!(admin_page.body.contains("ACME Ltd") && admin_page.body.contains("GLOBEX Ltd"));
        assert_eq!(
            app.get("/settings/subscription", Some(&root)).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.get("/", Some(&root)).await.location.as_deref(),
            Some("/admin")
        );
        assert_eq!(
            app.get("/", Some(&tenant_admin)).await.location.as_deref(),
            Some("/settings/subscription")
        );
        assert_eq!(app.get("/", None).await.location.as_deref(), Some("/login"));
        // Server functions guard themselves as well.
        let listed = app
            .post_form("/fn/admin/tenants", &[], Some(&tenant_admin), SAME_ORIGIN)
            .await;
        assert_eq!(listed.status, StatusCode::FORBIDDEN);
        assert!(!listed.body.contains("GLOBEX"));
        let overview = app
            .post_form("/fn/subscription/overview", &[], None, SAME_ORIGIN)
            .await;
        assert_eq!(overview.status, StatusCode::UNAUTHORIZED);
    }
);

on_both_backends!(
    async fn a_tenant_administrator_gets_nothing_of_another_tenant(db: Db) {
        let app = two_tenants(&db).await;
        let acme = app.sign_in("admin@acme.test", PASSWORD).await;
        // Whatever the request names, the tenant comes from the session.
        for (path, form) in [
            ("/fn/subscription/overview", vec![]),
            ("/fn/subscription/overview", vec![("tenant", "globex")]),
            (
                "/fn/subscription/overview?tenant=globex",
                vec![("slug", "globex")],
            ),
        ] {
            let reply = app.post_form(path, &form, Some(&acme), SAME_ORIGIN).await;
            assert!(
                reply.body.contains("ACME Ltd") || reply.status != StatusCode::OK,
                "{path}: {}",
                reply.body
            );
            assert!(
                !reply.body.contains("GLOBEX") && !reply.body.contains("globex"),
                "{path}: {}",
                reply.body
            );
        }
        for path in [
            "/settings/subscription?tenant=globex",
            "/settings/subscription?slug=globex",
        ] {
            let page = app.get(path, Some(&acme)).await;
            assert!(
                page.body.contains("ACME Ltd") && !page.body.contains("GLOBEX"),
                "{path}"
            );
        }
        let globex = app.sign_in("admin@globex.test", PASSWORD).await;
        let page = app.get("/settings/subscription", Some(&globex)).await;
        assert!(
            page.body.contains("GLOBEX Ltd")
                && page.body.contains("Session-Based Licensing")
                && !page.body.contains("ACME")
        );
    }
);

on_both_backends!(
    async fn state_changing_requests_from_another_origin_are_refused(db: Db) {
        let app = two_tenants(&db).await;
        let session = app.sign_in("admin@acme.test", PASSWORD).await;
        let reply = app
            .post_form("/logout", &[], Some(&session), Some("https://evil.test"))
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        assert_eq!(
            app.get("/settings/subscription", Some(&session))
                .await
                .status,
            StatusCode::OK,
            "still signed in"
        );
        let reply = app
            .post_form(
                "/login",
                &[("email", "admin@acme.test"), ("password", PASSWORD)],
                None,
                Some("https://evil.test"),
            )
            .await;
        assert_eq!((reply.status, reply.session), (StatusCode::FORBIDDEN, None));
        let reply = app
            .post_form(
                "/fn/subscription/overview",
                &[],
                Some(&session),
                Some("https://evil.test"),
            )
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
    }
);

on_both_backends!(
    async fn health_metrics_and_unknown_paths(db: Db) {
        let app = TestApp::new(db.clone());
        let health = app.get("/healthz", None).await;
        assert_eq!(
            (health.status, health.body.as_str()),
            (StatusCode::OK, "ok")
        );
        app.get("/login", None).await;
        let metrics = app.get("/metrics", None).await;
        assert_eq!(metrics.status, StatusCode::OK);
        assert!(
            metrics.body.contains("tally_http_requests_total"),
            "{}",
            metrics.body
        );
        assert_eq!(
            app.get("/no/such/page", None).await.status,
            StatusCode::NOT_FOUND
        );
    }
);

/// Several instances on one Postgres database may start (and migrate) together and see one
/// another's sessions.
#[tokio::test]
async fn instances_starting_together_migrate_once_and_share_sessions() {
    support::db::run(
        "instances_starting_together_migrate_once_and_share_sessions",
        TestDb::postgres(),
        instances_share_sessions,
    )
    .await;
}

async fn instances_share_sessions(db: Db) {
    let url = {
        let (name,): (String,) = sqlx::query_as("select current_database()::text")
            .fetch_one(&mut *db.conn().await.expect("connection"))
            .await
            .expect("database name");
        let admin = std::env::var("TALLY_TEST_POSTGRES")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string());
        let base = admin
            .rsplit_once('/')
            .map_or(admin.as_str(), |(base, _)| base);
        format!("{base}/{name}")
    };
    let starts = (0..4).map(|_| {
        let url = url.clone();
        tokio::spawn(async move {
            let db = Db::connect(&url).await.expect("connect");
            db.migrate().await.expect("concurrent migration");
            db
        })
    });
    let mut instances = Vec::new();
    for start in starts {
        instances.push(start.await.expect("instance starts"));
    }
    fixtures::tenant(
        &instances[0],
        "acme",
        LicenseModel::UserBased,
        TenantState::Active,
    )
    .await;
    let first = TestApp::new(instances[1].clone());
    let second = TestApp::new(instances[2].clone());
    let session = first.sign_in("admin@acme.test", PASSWORD).await;
    let page = second.get("/settings/subscription", Some(&session)).await;
    assert!(
        page.body.contains("ACME Ltd"),
        "a session opened on one instance works on another"
    );
    for instance in instances {
        instance.close().await;
    }
}
