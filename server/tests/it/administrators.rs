//! A tenant's administrators in the console, through the real router on SQLite and Postgres:
//! invited with a link shown once, sent a new invitation (the old link stops working), and
//! disabled (signed out at once, no sign-in or invitation works), every change with a reason.

use crate::support;

use app::model::{LicenseModel, TenantState};
use app::server::db::administrators;
use support::console::{ORIGIN, post, setting, trail};
use support::fixtures::PASSWORD;
use support::http::TestApp;

/// The invitation link the tenant page shows, once.
async fn shown_link(app: &TestApp, root: &str) -> Option<String> {
    let page = app
        .get("/admin/tenants/acme?done=admins", Some(root))
        .await
        .body;
    support::console::invitation(&page)
}

async fn accept(app: &TestApp, link: &str, password: &str) -> Option<String> {
    let token = link.trim_start_matches("/invite?token=");
    let form = [
        ("token", token),
        ("password", password),
        ("confirm", password),
    ];
    app.post_form("/invite", &form, None, ORIGIN).await.session
}

on_both_backends!(
    async fn administrators_are_invited_reinvited_and_disabled_with_a_reason(db: Db) {
        let (app, acme, root) = setting(&db).await;
        let admins = |form: Vec<(&'static str, String)>| {
            let (app, root) = (&app, &root);
            async move {
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                post(app, root, "admins", &form)
                    .await
                    .location
                    .unwrap_or_default()
            }
        };
        let invite = |email: &str, reason: &str| {
            vec![
                ("do", "invite".to_string()),
                ("email", email.to_string()),
                ("reason", reason.to_string()),
            ]
        };
        let refused = |code: &str| format!("/admin/tenants/acme?refused=admins&code={code}#admins");
        let done = "/admin/tenants/acme?done=admins#admins".to_string();
        assert_eq!(
            admins(invite("not an email", "x")).await,
            refused("email_invalid")
        );
        assert_eq!(
            admins(invite("ops@acme.test", "")).await,
            refused("reason_missing")
        );
        assert_eq!(
            admins(invite("admin@acme.test", "again")).await,
            refused("email_taken")
        );
        assert_eq!(admins(invite("ops@acme.test", "new operator")).await, done);
        let first = shown_link(&app, &root).await.expect("the link is shown");
        assert_eq!(shown_link(&app, &root).await, None, "once");
        let listed = administrators::for_tenant(&mut db.conn().await.expect("c"), Some(acme))
            .await
            .expect("list");
        let ops = listed
            .iter()
            .find(|a| a.email == "ops@acme.test")
            .expect("listed");
        assert!(!ops.has_password(), "invited, no password yet");
        let page = app.get("/admin/tenants/acme", Some(&root)).await.body;
        assert!(
            page.contains(r#"<tr data-admin="ops@acme.test">"#) && page.contains(">invited<"),
            "{page}"
        );

        let act = |what: &str, id: i64, reason: &str| {
            vec![
                ("do", what.to_string()),
                ("administrator", id.to_string()),
                ("reason", reason.to_string()),
            ]
        };
        assert_eq!(
            admins(act("reinvite", ops.id, "")).await,
            refused("reason_missing")
        );
        assert_eq!(
            admins(act("reinvite", ops.id, "lost the email")).await,
            done
        );
        let second = shown_link(&app, &root).await.expect("a new link");
        assert_ne!(first, second);
        assert_eq!(
            accept(&app, &first, "a long enough secret").await,
            None,
            "the old link stopped working"
        );
        let session = accept(&app, &second, "a long enough secret")
            .await
            .expect("signed in");
        assert_eq!(
            app.get("/settings/subscription", Some(&session))
                .await
                .status,
            axum::http::StatusCode::OK
        );

        assert_eq!(
            admins(act("disable", ops.id, "left the company")).await,
            done
        );
        let after = app.get("/settings/subscription", Some(&session)).await;
        assert!(
            after.location.is_some_and(|l| l.starts_with("/login")),
            "signed out at once"
        );
        let again = app
            .post_form(
                "/login",
                &[
                    ("email", "ops@acme.test"),
                    ("password", "a long enough secret"),
                ],
                None,
                ORIGIN,
            )
            .await;
        assert!(
            again.session.is_none(),
            "a disabled administrator cannot sign in"
        );
        assert_eq!(
            admins(act("disable", ops.id, "twice")).await,
            refused("no_such_administrator")
        );
        assert_eq!(
            admins(act("reinvite", ops.id, "back?")).await,
            refused("no_such_administrator")
        );
        support::fixtures::tenant(&db, "globex", LicenseModel::UserBased, TenantState::Active)
            .await;
        let globex_admin =
            administrators::by_email(&mut db.conn().await.expect("c"), "admin@globex.test")
                .await
                .expect("by email")
                .expect("globex's admin");
        assert_eq!(
            admins(act("disable", globex_admin.id, "not acme's")).await,
            refused("no_such_administrator")
        );
        app.sign_in("admin@globex.test", PASSWORD).await;

        let actions: Vec<_> = trail(&db, acme)
            .await
            .into_iter()
            .map(|r| (r.action, r.reason))
            .collect();
        let expected = [
            ("administrator.disable", "left the company"),
            ("administrator.accept", ""),
            ("administrator.reinvite", "lost the email"),
            ("administrator.invite", "new operator"),
        ];
        let got: Vec<(&str, &str)> = actions
            .iter()
            .take(4)
            .map(|(a, r)| (a.as_str(), r.as_str()))
            .collect();
        assert_eq!(got, expected);
    }
);

on_both_backends!(
    async fn super_administrators_are_invited_and_disabled_the_same_way(db: Db) {
        let (app, _, root) = setting(&db).await;
        let supers = |form: Vec<(&'static str, String)>| {
            let (app, root) = (&app, &root);
            async move {
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let reply = app.post_form("/admin/administrators", &form, Some(root), ORIGIN);
                reply.await.location.unwrap_or_default()
            }
        };
        let form = |action: &str, field: (&'static str, String), reason: &str| {
            vec![
                ("do", action.to_string()),
                field,
                ("reason", reason.to_string()),
            ]
        };
        let invited = supers(form(
            "invite",
            ("email", "ops@tally.test".into()),
            "on call",
        ))
        .await;
        assert_eq!(invited, "/admin/administrators?done=admins#admins");
        let page = app.get("/admin/administrators", Some(&root)).await.body;
        let link = support::console::invitation(&page).expect("the link is shown once");
        assert!(page.contains(r#"data-admin="ops@tally.test""#), "{page}");
        let again = app.get("/admin/administrators", Some(&root)).await.body;
        assert_eq!(support::console::invitation(&again), None);

        // The new super administrator signs in and reaches the console.
        let session = accept(&app, &link, "a long enough password")
            .await
            .expect("signed in");
        assert_eq!(
            app.get("/admin", Some(&session)).await.status,
            axum::http::StatusCode::OK
        );

        let listed = administrators::for_tenant(&mut db.conn().await.expect("c"), None)
            .await
            .expect("list");
        let id = |email: &str| {
            listed
                .iter()
                .find(|a| a.email == email)
                .map(|a| a.id.to_string())
                .expect(email)
        };
        let (root_id, ops_id) = (id("root@tally.test"), id("ops@tally.test"));
        let refused =
            |code: &str| format!("/admin/administrators?refused=admins&code={code}#admins");
        assert_eq!(
            supers(form("disable", ("administrator", root_id), "leaving")).await,
            refused("disabling_yourself")
        );
        assert_eq!(
            supers(form("disable", ("administrator", ops_id.clone()), "")).await,
            refused("reason_missing")
        );
        assert_eq!(
            supers(form(
                "disable",
                ("administrator", ops_id),
                "left the company"
            ))
            .await,
            "/admin/administrators?done=admins#admins"
        );
        let after = app.get("/admin", Some(&session)).await;
        assert!(
            after.location.is_some_and(|l| l.starts_with("/login")),
            "signed out at once"
        );
        // Another origin reaches none of it (the log below shows nothing more).
        let form = [("do", "invite"), ("email", "y@tally.test"), ("reason", "x")];
        let elsewhere = app
            .post_form(
                "/admin/administrators",
                &form,
                Some(&root),
                Some("https://evil.test"),
            )
            .await;
        assert_eq!(elsewhere.status, axum::http::StatusCode::FORBIDDEN);
        let audited = app::server::db::audit::page(
            &mut db.conn().await.expect("c"),
            &app::server::db::audit::Filter::default(),
            None,
            50,
        )
        .await
        .expect("audit");
        let actions: Vec<(&str, &str)> = audited
            .iter()
            .filter(|r| r.slug.is_none() && r.action.starts_with("administrator."))
            .map(|r| (r.action.as_str(), r.reason.as_str()))
            .collect();
        assert_eq!(
            actions,
            [
                ("administrator.disable", "left the company"),
                ("administrator.accept", ""),
                ("administrator.invite", "on call"),
            ]
        );

        // A tenant administrator reaches none of it.
        let admin = app.sign_in("admin@acme.test", PASSWORD).await;
        assert_eq!(
            app.get("/admin/administrators", Some(&admin)).await.status,
            axum::http::StatusCode::FORBIDDEN
        );
        let form = [("do", "invite"), ("email", "x@acme.test"), ("reason", "x")];
        let reply = app
            .post_form("/admin/administrators", &form, Some(&admin), ORIGIN)
            .await;
        assert_eq!(reply.status, axum::http::StatusCode::FORBIDDEN);
        let function = app
            .post_form("/fn/admin/supers", &[], Some(&admin), ORIGIN)
            .await;
        assert_eq!(function.status, axum::http::StatusCode::FORBIDDEN);
    }
);
