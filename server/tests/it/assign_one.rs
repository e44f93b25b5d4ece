//! One assignee assigned or released from the console's single form, through the real router
//! on SQLite and Postgres: the same checks, ingestion and audit as a bulk file.

use crate::support;

use axum::http::StatusCode;

use app::server::db::audit;
use support::assignments::{ORIGIN, POOL, held, preview, setting, upload_id};
use support::fixtures::PASSWORD;
use support::http::{Reply, TestApp};

/// The single form posted: `[pool, assignee_id, assignee_name, action]` and a reason.
async fn one(app: &TestApp, session: &str, row: [&str; 4], reason: &str) -> Reply {
    let [pool, assignee_id, assignee_name, action] = row;
    let form = [
        ("pool", pool),
        ("assignee_id", assignee_id),
        ("assignee_name", assignee_name),
        ("action", action),
        ("reason", reason),
    ];
    let path = "/admin/tenants/acme/assignments/one";
    app.post_form(path, &form, Some(session), ORIGIN).await
}

on_both_backends!(
    async fn one_assignee_is_assigned_and_released_through_the_same_path(db: Db) {
        let (app, acme, root) = setting(&db).await;
        let ends = |reply: &Reply, end: &str| {
            let location = reply.location.clone().unwrap_or_default();
            assert!(location.ends_with(end), "{location}");
        };
        ends(
            &one(&app, &root, [POOL, "u1", "Ana", "assign"], " ").await,
            "refused=one&code=reason_missing",
        );
        ends(
            &one(&app, &root, [POOL, " ", "Ana", "assign"], "x").await,
            "refused=one&code=assignee_invalid",
        );
        ends(
            &one(&app, &root, [POOL, "u1", "Ana", "grant"], "x").await,
            "refused=one&code=action_invalid",
        );
        assert_eq!(held(&db, acme).await, (0, vec![]), "nothing saved");

        let unknown = one(
            &app,
            &root,
            ["service:advanced_routing", "u1", "Ana", "assign"],
            "x",
        )
        .await;
        ends(&unknown, "&refused=one&code=file_has_errors");
        let page = preview(&app, &root, &upload_id(&unknown)).await;
        assert!(
            page.contains(r#"data-outcome="unknown_pool""#),
            "the row says why: {page}"
        );
        assert_eq!(held(&db, acme).await.0, 0);

        let assigned = one(&app, &root, [POOL, "u1", "Ana", "assign"], "new hire").await;
        ends(&assigned, "&done=one");
        assert_eq!(held(&db, acme).await, (1, vec!["u1".into()]));
        let page = preview(&app, &root, &upload_id(&assigned)).await;
        assert!(page.contains(r#"data-outcome="assign""#), "{page}");
        let again = one(&app, &root, [POOL, "u1", "Ana", "assign"], "again").await;
        ends(&again, "&done=one");
        assert_eq!(
            held(&db, acme).await.0,
            1,
            "assigning twice changes nothing"
        );

        let audited = audit::for_tenant(&mut db.conn().await.expect("connection"), acme, 10)
            .await
            .expect("audit");
        let single: Vec<_> = audited
            .iter()
            .filter(|r| r.action == "assignments.single")
            .collect();
        assert_eq!(single.len(), 2);
        assert_eq!(single[1].reason, "new hire");
        let after: serde_json::Value =
            serde_json::from_str(single[1].after_json.as_deref().unwrap_or("null")).expect("json");
        assert_eq!(
            (
                after["pool"].as_str(),
                after["assignee_id"].as_str(),
                after["assigned"].as_i64()
            ),
            (Some(POOL), Some("u1"), Some(1))
        );

        ends(
            &one(&app, &root, [POOL, "u1", "", "release"], "left").await,
            "&done=one",
        );
        assert_eq!(held(&db, acme).await, (0, vec![]));

        let tenant_admin = Some(acme);
        app::server::service::accounts::create_administrator(
            &db,
            "admin@acme.test",
            PASSWORD,
            tenant_admin,
        )
        .await
        .expect("administrator");
        let admin = app.sign_in("admin@acme.test", PASSWORD).await;
        let refused = one(&app, &admin, [POOL, "u2", "Bo", "assign"], "x").await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(held(&db, acme).await.0, 0);
    }
);
