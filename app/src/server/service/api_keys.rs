//! API keys: shown once at creation, stored hashed, revocable.

use super::super::auth::{random_token, token_hash};
use super::super::db::{self, Db, now_ms};
use crate::error::AppError;
use crate::model::TenantId;

/// Every key starts with this, so a leaked one is recognisable in logs and scanners.
pub const KEY_PREFIX: &str = "tly_";

/// A new key: its id and the plaintext, which is never stored or shown again.
pub async fn create(
    db: &Db,
    tenant: TenantId,
    name: &str,
    actor: &str,
) -> Result<(i64, String), AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::Invalid(
            "A key name needs 1 to 100 characters.".into(),
        ));
    }
    let key = format!("{KEY_PREFIX}{}", random_token());
    let prefix: String = key.chars().take(KEY_PREFIX.len() + 6).collect();
    let now = now_ms();
    let mut tx = db.begin().await?;
    let id = db::api_keys::insert(
        &mut tx,
        tenant,
        name,
        &prefix,
        &token_hash(&key),
        actor,
        now,
    )
    .await?;
    let after = serde_json::json!({ "id": id, "name": name, "prefix": prefix });
    db::audit::record(
        &mut tx,
        Some(tenant),
        actor,
        "api_key.create",
        None,
        Some(&after),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((id, key))
}

/// The tenant an unrevoked key belongs to.
pub async fn authenticate(db: &Db, key: &str) -> Result<Option<TenantId>, AppError> {
    let mut conn = db.conn().await?;
    Ok(db::api_keys::find_active(&mut conn, &token_hash(key))
        .await?
        .map(|row| TenantId(row.tenant_id)))
}
