//! API keys: shown once at creation, stored hashed, revocable with a reason.

use super::super::auth::{random_token, token_hash};
use super::super::db::{self, Db, audit::Change, now_ms, shown_once};
use super::tenants::reason;
use crate::error::AppError;
use crate::model::TenantId;
use crate::model::console::Refusal;

/// Every key starts with this, so a leaked one is recognisable in logs and scanners.
pub const KEY_PREFIX: &str = "tly_";

/// What `shown_once` files a new key under, for the tenant page that shows it.
pub fn shown_subject(tenant: TenantId) -> String {
    format!("api_key:{}", tenant.0)
}

/// A new key: its id and the plaintext, which is never stored or shown again.
pub async fn create(
    db: &Db,
    tenant: TenantId,
    name: &str,
    actor: &str,
) -> Result<(i64, String), AppError> {
    let mut tx = db.begin().await?;
    let created = insert(&mut tx, tenant, name, "", actor).await?;
    tx.commit().await?;
    Ok(created)
}

/// A key made in the console, for the reason given: kept for the administrator who made it
/// (`administrator`) to see once, on the next page they open.
pub async fn issue(
    db: &Db,
    tenant: TenantId,
    name: &str,
    reason_given: &str,
    administrator: i64,
    actor: &str,
) -> Result<i64, AppError> {
    let reason = reason(reason_given)?;
    let mut tx = db.begin().await?;
    let (id, key) = insert(&mut tx, tenant, name, reason, actor).await?;
    shown_once::put(
        &mut tx,
        administrator,
        &shown_subject(tenant),
        &key,
        now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

async fn insert(
    conn: &mut db::Conn,
    tenant: TenantId,
    name: &str,
    reason: &str,
    actor: &str,
) -> Result<(i64, String), AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::Refused(Refusal::NameInvalid));
    }
    let key = format!("{KEY_PREFIX}{}", random_token());
    let prefix: String = key.chars().take(KEY_PREFIX.len() + 6).collect();
    let now = now_ms();
    let id =
        db::api_keys::insert(conn, tenant, name, &prefix, &token_hash(&key), actor, now).await?;
    let change = Change::new(Some(tenant), actor, "api_key.create", now)
        .because(reason)
        .after(serde_json::json!({ "id": id, "name": name, "prefix": prefix }));
    db::audit::record(conn, &change).await?;
    Ok((id, key))
}

/// Revokes one of the tenant's keys for the reason given; the API refuses it from then on.
pub async fn revoke(
    db: &Db,
    tenant: TenantId,
    key: i64,
    reason_given: &str,
    actor: &str,
) -> Result<(), AppError> {
    let (reason, now, mut tx) = super::tenants::begin_change(db, reason_given).await?;
    if !db::api_keys::revoke(&mut tx, tenant, key, actor, reason, now).await? {
        return Err(AppError::Refused(Refusal::KeyNotRevocable));
    }
    let change = Change::new(Some(tenant), actor, "api_key.revoke", now)
        .because(reason)
        .before(serde_json::json!({ "id": key, "revoked": false }))
        .after(serde_json::json!({ "id": key, "revoked": true }));
    db::audit::record(&mut tx, &change).await?;
    tx.commit().await?;
    Ok(())
}

/// The tenant an unrevoked key belongs to.
pub async fn authenticate(db: &Db, key: &str) -> Result<Option<TenantId>, AppError> {
    let mut conn = db.conn().await?;
    Ok(db::api_keys::find_active(&mut conn, &token_hash(key))
        .await?
        .map(|row| TenantId(row.tenant_id)))
}
