//! The audit log: who changed what, when, before and after.

use crate::model::TenantId;
use sqlx::FromRow;

use super::Conn;

pub async fn record(
    conn: &mut Conn,
    tenant: Option<TenantId>,
    actor: &str,
    action: &str,
    before: Option<&serde_json::Value>,
    after: Option<&serde_json::Value>,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into audit_log (tenant_id, actor, action, before_json, after_json, at) values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(tenant.map(|t| t.0))
    .bind(actor)
    .bind(action)
    .bind(before.map(serde_json::Value::to_string))
    .bind(after.map(serde_json::Value::to_string))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct AuditRow {
    pub actor: String,
    pub action: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub at: i64,
}

pub async fn for_tenant(
    conn: &mut Conn,
    tenant: TenantId,
    limit: i64,
) -> sqlx::Result<Vec<AuditRow>> {
    sqlx::query_as(
        "select actor, action, before_json, after_json, at from audit_log
         where tenant_id = $1 order by at desc, id desc limit $2",
    )
    .bind(tenant.0)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await
}
