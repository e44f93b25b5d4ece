//! People who sign in to the browser side.

use crate::model::TenantId;
use sqlx::FromRow;

use super::Conn;

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct AdministratorRow {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub role: String,
    pub tenant_id: Option<i64>,
    pub disabled_at: Option<i64>,
}

/// Creates an administrator; `tenant` is `None` for a super administrator.
pub async fn insert(
    conn: &mut Conn,
    email: &str,
    password_hash: &str,
    tenant: Option<TenantId>,
    now: i64,
) -> sqlx::Result<i64> {
    let role = if tenant.is_some() { "tenant" } else { "super" };
    let (id,): (i64,) = sqlx::query_as(
        "insert into administrators (email, password_hash, role, tenant_id, created_at)
         values ($1, $2, $3, $4, $5) returning id",
    )
    .bind(email)
    .bind(password_hash)
    .bind(role)
    .bind(tenant.map(|t| t.0))
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn by_email(conn: &mut Conn, email: &str) -> sqlx::Result<Option<AdministratorRow>> {
    sqlx::query_as(
        "select id, email, password_hash, role, tenant_id, disabled_at from administrators where email = $1",
    )
    .bind(email)
    .fetch_optional(&mut *conn)
    .await
}

/// Records the language an administrator chose.
pub async fn set_locale(conn: &mut Conn, id: i64, locale: &str) -> sqlx::Result<()> {
    sqlx::query("update administrators set locale = $1 where id = $2")
        .bind(locale)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The tenant's administrators' addresses (alert recipients).
pub async fn tenant_emails(conn: &mut Conn, tenant: TenantId) -> sqlx::Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "select email from administrators where tenant_id = $1 and disabled_at is null order by email",
    )
    .bind(tenant.0)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(email,)| email).collect())
}

/// Removes every administrator (demo data starts over).
pub async fn delete_all(conn: &mut Conn) -> sqlx::Result<()> {
    sqlx::query("delete from administrators")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Sets an administrator's password hash.
pub async fn set_password(conn: &mut Conn, id: i64, password_hash: &str) -> sqlx::Result<()> {
    sqlx::query("update administrators set password_hash = $1 where id = $2")
        .bind(password_hash)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A tenant's id, or 0 (no tenant's) for the super administrators, whose `tenant_id` is null.
fn tenant_or_super(tenant: Option<TenantId>) -> i64 {
    tenant.map_or(0, |t| t.0)
}

/// An administrator as the console lists them (a tenant's, or with no tenant a super one).
#[derive(Debug, Clone, FromRow)]
pub struct TenantAdminRow {
    pub id: i64,
    pub email: String,
    pub created_at: i64,
    pub disabled_at: Option<i64>,
    /// The stored hash's length: 1 (`!`, no hash) until the invitation is accepted.
    pub hash_len: i64,
}

impl TenantAdminRow {
    /// Whether a password was ever chosen (an invited administrator has none yet).
    pub fn has_password(&self) -> bool {
        self.hash_len > 1
    }
}

pub async fn for_tenant(
    conn: &mut Conn,
    tenant: Option<TenantId>,
) -> sqlx::Result<Vec<TenantAdminRow>> {
    sqlx::query_as(
        "select id, email, created_at, disabled_at,
                cast(length(password_hash) as bigint) as hash_len
         from administrators where coalesce(tenant_id, 0) = $1 order by email",
    )
    .bind(tenant_or_super(tenant))
    .fetch_all(&mut *conn)
    .await
}

/// Disables one of the tenant's (`None`: the super) administrators and ends their sessions; `false` when there is
/// no such enabled administrator.
pub async fn disable(
    conn: &mut Conn,
    tenant: Option<TenantId>,
    id: i64,
    now: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update administrators set disabled_at = $3
         where coalesce(tenant_id, 0) = $1 and id = $2 and disabled_at is null",
    )
    .bind(tenant_or_super(tenant))
    .bind(id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query("delete from web_sessions where administrator_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The email of one of the tenant's (`None`: the super) enabled administrators.
pub async fn enabled_email(
    conn: &mut Conn,
    tenant: Option<TenantId>,
    id: i64,
) -> sqlx::Result<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as(
        "select email from administrators
         where coalesce(tenant_id, 0) = $1 and id = $2 and disabled_at is null",
    )
    .bind(tenant_or_super(tenant))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(email,)| email))
}
