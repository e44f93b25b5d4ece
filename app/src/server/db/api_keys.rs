//! API keys of the tenants' platforms; only a hash of each key is stored.

use crate::model::TenantId;
use sqlx::FromRow;

use super::Conn;

pub async fn insert(
    conn: &mut Conn,
    tenant: TenantId,
    name: &str,
    prefix: &str,
    key_hash: &str,
    created_by: &str,
    now: i64,
) -> sqlx::Result<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "insert into api_keys (tenant_id, name, prefix, key_hash, created_at, created_by)
         values ($1, $2, $3, $4, $5, $6) returning id",
    )
    .bind(tenant.0)
    .bind(name)
    .bind(prefix)
    .bind(key_hash)
    .bind(now)
    .bind(created_by)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ApiKeyRow {
    pub id: i64,
    pub tenant_id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

/// A key as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct KeyListRow {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: i64,
    pub created_by: String,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub revoked_by: Option<String>,
    pub revoked_reason: Option<String>,
}

/// The unrevoked key with this hash, whichever tenant holds it.
pub async fn find_active(conn: &mut Conn, key_hash: &str) -> sqlx::Result<Option<ApiKeyRow>> {
    sqlx::query_as(
        "select id, tenant_id, name, prefix, created_at, revoked_at, last_used_at
         from api_keys where key_hash = $1 and revoked_at is null",
    )
    .bind(key_hash)
    .fetch_optional(&mut *conn)
    .await
}

pub async fn list(conn: &mut Conn, tenant: TenantId) -> sqlx::Result<Vec<KeyListRow>> {
    sqlx::query_as(
        "select id, name, prefix, created_at, created_by, last_used_at, revoked_at, revoked_by,
                revoked_reason
         from api_keys where tenant_id = $1 order by created_at desc, id desc",
    )
    .bind(tenant.0)
    .fetch_all(&mut *conn)
    .await
}

/// Revokes one of the tenant's keys; `false` when it is not theirs or already revoked.
pub async fn revoke(
    conn: &mut Conn,
    tenant: TenantId,
    id: i64,
    by: &str,
    reason: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update api_keys set revoked_at = $3, revoked_by = $4, revoked_reason = $5
         where tenant_id = $1 and id = $2 and revoked_at is null",
    )
    .bind(tenant.0)
    .bind(id)
    .bind(now)
    .bind(by)
    .bind(reason)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
