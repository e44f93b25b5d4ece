//! Bulk license assignment from a CSV file through the real router, on SQLite and Postgres:
//! the dry-run preview with row-level errors and the capacity check, all-or-nothing apply
//! through ingestion, the report, and a second apply that changes nothing.

mod support {
    pub mod bound;
    pub mod db;
    pub mod fixtures;
    pub mod http;
}

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use app::model::{LicenseModel, PoolKey, TenantId, TenantState};
use app::server::db::{Db, assignments, audit, pools};
use app::server::service::{refills, tenants};
use support::fixtures::{self, PASSWORD};
use support::http::{Reply, TestApp};

const ORIGIN: Option<&str> = Some("http://127.0.0.1:3000");
const POOL: &str = "service:contact_center";
const HEADER: &str = "pool,assignee_id,assignee_name,action\r\n";

/// `acme` with a hard assignment pool of 2 licenses, and a signed-in super administrator.
async fn setting(db: &Db) -> (TestApp, TenantId, String) {
    let mut spec = fixtures::spec("acme", LicenseModel::UserBased, TenantState::Active);
    spec.extra_pools
        .push((PoolKey::parse(POOL).expect("pool"), "hard".into()));
    let acme = tenants::create(db, &spec, "test").await.expect("tenant");
    refills::manual(db, acme, POOL, 2, "order", "root@tally.test")
        .await
        .expect("refill");
    fixtures::super_admin(db).await;
    let app = TestApp::new(db.clone());
    let root = app.sign_in("root@tally.test", PASSWORD).await;
    (app, acme, root)
}

async fn upload(app: &TestApp, session: &str, csv: &str) -> Reply {
    let boundary = "tally-test-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n"
    );
    let request = Request::post("/admin/tenants/acme/assignments")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, ORIGIN.unwrap_or_default())
        .header(header::COOKIE, format!("tally_session={session}"))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .expect("request");
    app.send(request).await
}

/// The upload id a redirect names.
fn upload_id(reply: &Reply) -> String {
    let location = reply.location.clone().unwrap_or_default();
    location
        .split("upload=")
        .nth(1)
        .expect(&location)
        .split('&')
        .next()
        .unwrap_or("")
        .to_string()
}

/// The preview page of an upload.
async fn preview(app: &TestApp, session: &str, id: &str) -> String {
    let page = format!("/admin/tenants/acme/assignments?upload={id}");
    app.get(&page, Some(session)).await.body
}

async fn apply(app: &TestApp, session: &str, id: &str, reason: &str) -> Reply {
    let form = [("upload", id), ("reason", reason)];
    app.post_form(
        "/admin/tenants/acme/assignments/apply",
        &form,
        Some(session),
        ORIGIN,
    )
    .await
}

async fn held(db: &Db, acme: TenantId) -> (i64, Vec<String>) {
    let mut conn = db.conn().await.expect("connection");
    let pool = pools::by_key(&mut conn, acme, POOL)
        .await
        .expect("pool")
        .expect("held");
    let mut who = assignments::holders(&mut conn, acme, pool.id)
        .await
        .expect("holders");
    who.sort();
    (pool.consumed, who)
}

on_both_backends!(
    async fn a_file_is_previewed_applied_all_or_nothing_and_twice_changes_nothing(db: Db) {
        let (app, acme, root) = setting(&db).await;
        let bad = format!("{HEADER}{POOL},u1,Ana Lima,assign\r\naddon:nothing,u2,Bo,assign\r\n");
        let sent = upload(&app, &root, &bad).await;
        let id = upload_id(&sent);
        let page = preview(&app, &root, &id).await;
        assert!(
            page.contains(r#"data-line="2" data-outcome="assign""#),
            "{page}"
        );
        assert!(page.contains(r#"data-line="3" data-outcome="unknown_pool""#));
        assert!(page.contains(r#"<strong data-field="errors">1</strong>"#));
        let refused = apply(&app, &root, &id, "go-live").await;
        assert!(
            refused
                .location
                .as_deref()
                .is_some_and(|l| l.ends_with("&refused=apply&code=file_has_errors")),
            "{refused:?}"
        );
        assert_eq!(held(&db, acme).await, (0, vec![]), "nothing applied");

        let good = format!("{HEADER}{POOL},u1,Ana Lima,assign\r\n{POOL},u2,Bo,assign\r\n");
        let id = upload_id(&upload(&app, &root, &good).await);
        let unreasoned = apply(&app, &root, &id, " ").await;
        assert!(
            unreasoned
                .location
                .is_some_and(|l| l.ends_with("code=reason_missing"))
        );
        let done = apply(&app, &root, &id, "go-live").await;
        assert!(
            done.location
                .as_deref()
                .is_some_and(|l| l.ends_with("&done=apply")),
            "{done:?}"
        );
        assert_eq!(held(&db, acme).await, (2, vec!["u1".into(), "u2".into()]));
        let report = app
            .get(
                &format!("/admin/tenants/acme/assignments/report.csv?upload={id}"),
                Some(&root),
            )
            .await;
        assert_eq!(report.status, StatusCode::OK);
        assert_eq!(
            report.body,
            format!(
                "line,pool,assignee_id,assignee_name,action,result\r\n2,{POOL},u1,Ana Lima,assign,assign\r\n3,{POOL},u2,Bo,assign,assign\r\n"
            )
        );
        let again = apply(&app, &root, &id, "go-live").await;
        assert!(again.location.is_some_and(|l| l.ends_with("&done=apply")));

        // The same file once more: every row is already done.
        let id = upload_id(&upload(&app, &root, &good).await);
        let page = preview(&app, &root, &id).await;
        assert_eq!(
            page.matches(r#"data-outcome="already_assigned""#).count(),
            2
        );
        assert!(page.contains(r#"<strong data-field="changes">0</strong>"#));
        apply(&app, &root, &id, "again").await;
        assert_eq!(
            held(&db, acme).await,
            (2, vec!["u1".into(), "u2".into()]),
            "nothing changed"
        );
        let (events,): (i64,) =
            sqlx::query_as("select count(*) from usage_events where tenant_id = $1")
                .bind(acme.0)
                .fetch_one(&mut *db.conn().await.expect("connection"))
                .await
                .expect("events");
        assert_eq!(events, 2, "the assignments went through ingestion, once");
        let trail = audit::for_tenant(&mut db.conn().await.expect("connection"), acme, 5)
            .await
            .expect("audit");
        let bulk: Vec<_> = trail
            .iter()
            .filter(|r| r.action == "assignments.bulk")
            .collect();
        assert_eq!(bulk.len(), 2);
        assert!(
            bulk[1]
                .after_json
                .as_deref()
                .is_some_and(|a| a.contains(r#""assigned":2"#)),
            "{:?}",
            bulk[1]
        );
        assert!(
            bulk[0]
                .after_json
                .as_deref()
                .is_some_and(|a| a.contains(r#""assigned":0"#))
        );

        // Releasing one and assigning another fits; passing the purchase does not.
        let swap = format!("{HEADER}{POOL},u1,,release\r\n{POOL},u3,Cy,assign\r\n");
        let id = upload_id(&upload(&app, &root, &swap).await);
        assert!(
            apply(&app, &root, &id, "swap")
                .await
                .location
                .is_some_and(|l| l.ends_with("&done=apply"))
        );
        assert_eq!(held(&db, acme).await, (2, vec!["u2".into(), "u3".into()]));
        let over = format!("{HEADER}{POOL},u4,,assign\r\n");
        let id = upload_id(&upload(&app, &root, &over).await);
        let page = preview(&app, &root, &id).await;
        assert!(page.contains(&format!(r#"data-over="{POOL}""#)), "{page}");
        assert!(
            apply(&app, &root, &id, "more")
                .await
                .location
                .is_some_and(|l| l.ends_with("code=file_has_errors"))
        );
        assert_eq!(held(&db, acme).await.0, 2);
    }
);

on_both_backends!(
    async fn a_file_without_its_header_is_refused_whole(db: Db) {
        let (app, acme, root) = setting(&db).await;
        let id = upload_id(&upload(&app, &root, &format!("{POOL},u1,Ana,assign\r\n")).await);
        let page = preview(&app, &root, &id).await;
        assert!(page.contains(r#"data-field="bad-header""#), "{page}");
        assert!(
            apply(&app, &root, &id, "x")
                .await
                .location
                .is_some_and(|l| l.ends_with("code=file_has_errors"))
        );
        assert_eq!(held(&db, acme).await, (0, vec![]));
    }
);

on_both_backends!(
    async fn tenant_administrators_reach_none_of_bulk_assignment(db: Db) {
        let (app, acme, root) = setting(&db).await;
        let id =
            upload_id(&upload(&app, &root, &format!("{HEADER}{POOL},u1,Ana,assign\r\n")).await);
        support::fixtures::tenant(&db, "globex", LicenseModel::UserBased, TenantState::Active)
            .await;
        let admin = app.sign_in("admin@globex.test", PASSWORD).await;
        assert_eq!(
            upload(&app, &admin, HEADER).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            apply(&app, &admin, &id, "x").await.status,
            StatusCode::FORBIDDEN
        );
        let report = format!("/admin/tenants/acme/assignments/report.csv?upload={id}");
        assert_eq!(
            app.get(&report, Some(&admin)).await.status,
            StatusCode::FORBIDDEN
        );
        let page = format!("/admin/tenants/acme/assignments?upload={id}");
        assert_eq!(
            app.get(&page, Some(&admin)).await.status,
            StatusCode::FORBIDDEN
        );
        let function = app
            .post_form(
                "/fn/admin/bulk",
                &[("slug", "acme"), ("upload", &id)],
                Some(&admin),
                ORIGIN,
            )
            .await;
        assert_eq!(function.status, StatusCode::FORBIDDEN);
        assert_eq!(held(&db, acme).await, (0, vec![]));
    }
);

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

on_both_backends!(
    async fn a_file_over_a_megabyte_is_refused_and_nothing_is_kept(db: Db) {
        let (app, acme, root) = setting(&db).await;
        let row = format!("{POOL},u1,Ana,assign\r\n");
        // Just over the limit, and far over what the server reads of a request.
        for size in [(1 << 20) + 1, 3 << 20] {
            let csv = format!("{HEADER}{}", row.repeat(size / row.len() + 1));
            let refused = upload(&app, &root, &csv).await;
            assert!(
                refused
                    .location
                    .as_deref()
                    .is_some_and(|l| l.ends_with("?refused=upload&code=file_too_large")),
                "{size}: {:?} {}",
                refused.location,
                refused.status
            );
        }
        let page = app
            .get(
                "/admin/tenants/acme/assignments?refused=upload&code=file_too_large",
                Some(&root),
            )
            .await
            .body;
        assert!(page.contains("The file is over 1 MB."), "{page}");
        assert_eq!(held(&db, acme).await, (0, vec![]));
    }
);
