//! Browser sessions and the failed sign-ins that slow guessing down.

use sqlx::FromRow;

use super::Conn;

pub async fn insert(
    conn: &mut Conn,
    token_hash: &str,
    administrator_id: i64,
    now: i64,
    expires_at: i64,
) -> sqlx::Result<()> {
    sqlx::query("insert into web_sessions (token_hash, administrator_id, created_at, expires_at) values ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(administrator_id)
        .bind(now)
        .bind(expires_at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A live session joined with who holds it and, for tenant administrators, their tenant.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct SessionIdentityRow {
    pub administrator_id: i64,
    pub email: String,
    pub role: String,
    pub tenant_id: Option<i64>,
    pub tenant_slug: Option<String>,
    pub tenant_name: Option<String>,
    pub tenant_state: Option<String>,
    /// The tenant's revision: moves with every write to what its Subscription tab shows.
    pub tenant_revision: Option<i64>,
    /// The language the administrator chose, if they did.
    pub locale: Option<String>,
    pub tenant_locale: Option<String>,
}

pub async fn find(
    conn: &mut Conn,
    token_hash: &str,
    now: i64,
) -> sqlx::Result<Option<SessionIdentityRow>> {
    sqlx::query_as(
        "select a.id as administrator_id, a.email, a.role, a.tenant_id,
                t.slug as tenant_slug, t.name as tenant_name, t.state as tenant_state, t.revision as tenant_revision,
                a.locale, t.locale as tenant_locale
         from web_sessions s
         join administrators a on a.id = s.administrator_id
         left join tenants t on t.id = a.tenant_id
         where s.token_hash = $1 and s.expires_at > $2 and a.disabled_at is null",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await
}

pub async fn delete(conn: &mut Conn, token_hash: &str) -> sqlx::Result<()> {
    sqlx::query("delete from web_sessions where token_hash = $1")
        .bind(token_hash)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn delete_expired(conn: &mut Conn, now: i64) -> sqlx::Result<u64> {
    let done = sqlx::query("delete from web_sessions where expires_at <= $1")
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}

pub async fn record_failure(conn: &mut Conn, email: &str, now: i64) -> sqlx::Result<()> {
    sqlx::query("insert into sign_in_failures (email, failed_at) values ($1, $2)")
        .bind(email)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Failures for `email` since `since`, and the oldest of them.
pub async fn failures_since(
    conn: &mut Conn,
    email: &str,
    since: i64,
) -> sqlx::Result<(i64, Option<i64>)> {
    sqlx::query_as(
        "select count(*), min(failed_at) from sign_in_failures where email = $1 and failed_at > $2",
    )
    .bind(email)
    .bind(since)
    .fetch_one(&mut *conn)
    .await
}

pub async fn clear_failures(conn: &mut Conn, email: &str) -> sqlx::Result<()> {
    sqlx::query("delete from sign_in_failures where email = $1")
        .bind(email)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Forgets failed sign-ins older than `before`; they no longer slow anyone down.
pub async fn prune_failures(conn: &mut Conn, before: i64) -> sqlx::Result<u64> {
    let done = sqlx::query("delete from sign_in_failures where failed_at <= $1")
        .bind(before)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}
