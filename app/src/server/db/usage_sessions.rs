//! Sessions of session-based tenants.

use crate::model::TenantId;
use sqlx::FromRow;

use super::Conn;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession<'a> {
    pub session_id: &'a str,
    pub initiated_by: &'a str,
    pub user_name: &'a str,
    pub email: &'a str,
    pub role: &'a str,
    pub agent_name: Option<&'a str>,
    pub channel: &'a str,
}

/// Records a started session holding one license; `false` when the id is already known.
pub async fn start(
    conn: &mut Conn,
    tenant: TenantId,
    session: &NewSession<'_>,
    at: i64,
) -> sqlx::Result<bool> {
    let inserted = sqlx::query(
        "insert into usage_sessions (tenant_id, session_id, started_at, initiated_by, user_name, email, role, agent_name, channel, licenses)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1)
         on conflict (tenant_id, session_id) do nothing",
    )
    .bind(tenant.0)
    .bind(session.session_id)
    .bind(at)
    .bind(session.initiated_by)
    .bind(session.user_name)
    .bind(session.email)
    .bind(session.role)
    .bind(session.agent_name)
    .bind(session.channel)
    .execute(&mut *conn)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// The start instant and licenses held by a session still open.
pub async fn open_session(
    conn: &mut Conn,
    tenant: TenantId,
    session_id: &str,
) -> sqlx::Result<Option<(i64, i64)>> {
    sqlx::query_as(
        "select started_at, licenses from usage_sessions
         where tenant_id = $1 and session_id = $2 and ended_at is null",
    )
    .bind(tenant.0)
    .bind(session_id)
    .fetch_optional(&mut *conn)
    .await
}

/// Closes a session with the licenses its whole duration consumed.
pub async fn close(
    conn: &mut Conn,
    tenant: TenantId,
    session_id: &str,
    at: i64,
    licenses: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "update usage_sessions set ended_at = $3, licenses = $4
         where tenant_id = $1 and session_id = $2 and ended_at is null",
    )
    .bind(tenant.0)
    .bind(session_id)
    .bind(at)
    .bind(licenses)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Its fields run in the order `history` selects them: downloads read rows as JSON arrays.
#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Deserialize)]
pub struct SessionRow {
    pub id: i64,
    pub session_id: String,
    pub started_at: i64,
    pub ended_at: Option<i64>,
    pub initiated_by: String,
    pub user_name: String,
    pub email: String,
    pub role: String,
    pub agent_name: Option<String>,
    pub channel: String,
    pub licenses: i64,
    pub conversations: i64,
}
