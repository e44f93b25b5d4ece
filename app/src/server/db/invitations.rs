//! Invitations to choose a password: only the token's hash is stored.

use super::Conn;

/// Replaces the administrator's invitation with a new one.
pub async fn replace(
    conn: &mut Conn,
    administrator: i64,
    token_hash: &str,
    created_by: &str,
    now: i64,
    expires_at: i64,
) -> sqlx::Result<()> {
    sqlx::query("delete from invitations where administrator_id = $1")
        .bind(administrator)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "insert into invitations (administrator_id, token_hash, created_by, created_at, expires_at)
         values ($1, $2, $3, $4, $5)",
    )
    .bind(administrator)
    .bind(token_hash)
    .bind(created_by)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The administrator an unexpired invitation is for: id, email and tenant.
pub async fn find(
    conn: &mut Conn,
    token_hash: &str,
    now: i64,
) -> sqlx::Result<Option<(i64, String, Option<i64>)>> {
    sqlx::query_as(
        "select a.id, a.email, a.tenant_id from invitations i join administrators a on a.id = i.administrator_id
         where i.token_hash = $1 and i.expires_at >= $2 and a.disabled_at is null",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await
}

/// Uses the invitation up: `false` when another request used it first.
pub async fn consume(conn: &mut Conn, token_hash: &str) -> sqlx::Result<bool> {
    let done = sqlx::query("delete from invitations where token_hash = $1")
        .bind(token_hash)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
