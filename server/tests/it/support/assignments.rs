//! The console's license assignment pages in tests: a tenant `acme` with a hard assignment pool
//! and a signed-in super administrator, files uploaded, previewed and applied, and who holds a
//! license.

use axum::body::Body;
use axum::http::{Request, header};

use app::model::{LicenseModel, PoolKey, TenantId, TenantState};
use app::server::db::{Db, assignments, pools};
use app::server::service::{refills, tenants};

use super::fixtures::{self, PASSWORD};
use super::http::{Reply, TestApp};

pub const ORIGIN: Option<&str> = Some("http://127.0.0.1:3000");
pub const POOL: &str = "service:contact_center";
pub const HEADER: &str = "pool,assignee_id,assignee_name,action\r\n";

/// `acme` with a hard assignment pool of 2 licenses, and a signed-in super administrator.
pub async fn setting(db: &Db) -> (TestApp, TenantId, String) {
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

pub async fn upload(app: &TestApp, session: &str, csv: &str) -> Reply {
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
pub fn upload_id(reply: &Reply) -> String {
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
pub async fn preview(app: &TestApp, session: &str, id: &str) -> String {
    let page = format!("/admin/tenants/acme/assignments?upload={id}");
    app.get(&page, Some(session)).await.body
}

pub async fn apply(app: &TestApp, session: &str, id: &str, reason: &str) -> Reply {
    let form = [("upload", id), ("reason", reason)];
    app.post_form(
        "/admin/tenants/acme/assignments/apply",
        &form,
        Some(session),
        ORIGIN,
    )
    .await
}

pub async fn held(db: &Db, acme: TenantId) -> (i64, Vec<String>) {
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
