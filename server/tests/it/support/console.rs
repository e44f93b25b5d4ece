//! The console's tenant page in tests: a tenant `acme` with a signed-in super administrator,
//! its forms posted, and what they left behind.

use serde_json::Value;

use app::model::{LicenseModel, TenantId, TenantState};
use app::server::db::{Db, audit, pools};

use super::fixtures::{self, PASSWORD};
use super::http::{Reply, TestApp};

pub const ORIGIN: Option<&str> = Some("http://127.0.0.1:3000");
pub const POOL: &str = "conversation_transactions";

/// A transaction-based tenant `acme` and a signed-in super administrator.
pub async fn setting(db: &Db) -> (TestApp, TenantId, String) {
    let app = TestApp::new(db.clone());
    let acme = fixtures::tenant(
        db,
        "acme",
        LicenseModel::TransactionBased,
        TenantState::Active,
    )
    .await;
    fixtures::super_admin(db).await;
    let root = app.sign_in("root@tally.test", PASSWORD).await;
    (app, acme, root)
}

pub async fn post(app: &TestApp, session: &str, path: &str, form: &[(&str, &str)]) -> Reply {
    app.post_form(
        &format!("/admin/tenants/acme/{path}"),
        form,
        Some(session),
        ORIGIN,
    )
    .await
}

/// `licenses` bought for `POOL` and an API key for the tenant's platform: the key.
pub async fn licensed(db: &Db, tenant: TenantId, licenses: i64) -> String {
    app::server::service::refills::manual(db, tenant, POOL, licenses, "order", "root@tally.test")
        .await
        .expect("refill");
    let (_, key) = app::server::service::api_keys::create(db, tenant, "platform", "test")
        .await
        .expect("key");
    key
}

/// The audit trail of the tenant, newest first.
pub async fn trail(db: &Db, tenant: TenantId) -> Vec<audit::AuditRow> {
    audit::for_tenant(&mut db.conn().await.expect("connection"), tenant, 50)
        .await
        .expect("audit")
}

pub async fn pool(db: &Db, tenant: TenantId) -> pools::PoolRow {
    pools::by_key(&mut db.conn().await.expect("connection"), tenant, POOL)
        .await
        .expect("pool")
        .expect("held")
}

pub async fn ledger_rows(db: &Db, tenant: TenantId) -> usize {
    pools::refills(&mut db.conn().await.expect("connection"), tenant)
        .await
        .expect("ledger")
        .len()
}

pub fn json(text: &Option<String>) -> Value {
    text.as_deref()
        .map_or(Value::Null, |t| serde_json::from_str(t).expect("json"))
}

/// The invitation link on a page, once.
pub fn invitation(page: &str) -> Option<String> {
    let rest = page.split(r#"data-field="invitation""#).nth(1)?;
    Some(
        rest.split('>')
            .nth(1)?
            .split('<')
            .next()?
            .replace("&amp;", "&"),
    )
}
