//! Bulk assignment files between their preview and their application.

use crate::model::TenantId;

use super::Conn;

/// How long an upload is kept.
pub const KEEP_MS: i64 = 24 * 3_600_000;

pub async fn insert(
    conn: &mut Conn,
    tenant: TenantId,
    administrator: i64,
    content: &str,
    now: i64,
) -> sqlx::Result<i64> {
    sqlx::query("delete from bulk_uploads where created_at < $1")
        .bind(now - KEEP_MS)
        .execute(&mut *conn)
        .await?;
    let (id,): (i64,) = sqlx::query_as(
        "insert into bulk_uploads (tenant_id, administrator_id, content, created_at)
         values ($1, $2, $3, $4) returning id",
    )
    .bind(tenant.0)
    .bind(administrator)
    .bind(content)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// An upload as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UploadRow {
    pub content: String,
    pub applied_at: Option<i64>,
    pub applied_by: Option<String>,
    /// What each row did, once applied (JSON).
    pub report: Option<String>,
}

/// An upload of the tenant.
pub async fn get(conn: &mut Conn, tenant: TenantId, id: i64) -> sqlx::Result<Option<UploadRow>> {
    sqlx::query_as(
        "select content, applied_at, applied_by, report from bulk_uploads
         where tenant_id = $1 and id = $2",
    )
    .bind(tenant.0)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
}

/// Marks the upload applied, with what each row did; `false` when it was already.
pub async fn mark_applied(
    conn: &mut Conn,
    id: i64,
    by: &str,
    report: &str,
    now: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update bulk_uploads set applied_at = $2, applied_by = $3, report = $4
         where id = $1 and applied_at is null",
    )
    .bind(id)
    .bind(now)
    .bind(by)
    .bind(report)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
