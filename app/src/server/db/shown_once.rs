//! Secrets shown once to the administrator whose action made them: a new API key, an
//! invitation link. The page that shows one takes it; it is never kept long.

use super::Conn;

/// How long a secret waits to be shown: the redirect that follows its creation takes
/// milliseconds, so this only bounds what an abandoned one leaves behind.
pub const KEEP_MS: i64 = 5 * 60 * 1000;

pub async fn put(
    conn: &mut Conn,
    administrator: i64,
    subject: &str,
    secret: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into shown_once (administrator_id, subject, secret, expires_at) values ($1, $2, $3, $4)",
    )
    .bind(administrator)
    .bind(subject)
    .bind(secret)
    .bind(now + KEEP_MS)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The administrator's newest unexpired secret about `subject`, deleted as it is read, with
/// every other one of theirs about it and every expired one.
pub async fn take(
    conn: &mut Conn,
    administrator: i64,
    subject: &str,
    now: i64,
) -> sqlx::Result<Option<String>> {
    let mut taken: Vec<(i64, String, i64)> = sqlx::query_as(
        "delete from shown_once where administrator_id = $1 and subject = $2
         returning id, secret, expires_at",
    )
    .bind(administrator)
    .bind(subject)
    .fetch_all(&mut *conn)
    .await?;
    sqlx::query("delete from shown_once where expires_at < $1")
        .bind(now)
        .execute(&mut *conn)
        .await?;
    taken.retain(|(_, _, expires_at)| *expires_at >= now);
    Ok(taken
        .into_iter()
        .max_by_key(|(id, ..)| *id)
        .map(|(_, secret, _)| secret))
}
