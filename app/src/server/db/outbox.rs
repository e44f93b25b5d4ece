//! Emails waiting to go out: written in the transaction that decides their alert, claimed
//! with a lease by the delivery worker of any instance, then marked sent, retried, failed or
//! dead.

use sqlx::FromRow;

use super::Conn;
use crate::model::TenantId;
use crate::model::alert::{Delivery, DeliveryState};

/// Queues one email per recipient of alert `alert_id`, due at once.
pub async fn enqueue(
    conn: &mut Conn,
    tenant: TenantId,
    alert_id: i64,
    recipients: &[String],
    now: i64,
) -> sqlx::Result<()> {
    for recipient in recipients {
        sqlx::query(
            "insert into outbox (tenant_id, alert_id, recipient, created_at, next_attempt_at)
             values ($1, $2, $3, $4, $4)
             on conflict (alert_id, recipient) do nothing",
        )
        .bind(tenant.0)
        .bind(alert_id)
        .bind(recipient)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// An email claimed for delivery.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Claimed {
    pub id: i64,
    pub alert_id: i64,
    pub recipient: String,
    pub attempts: i32,
    pub created_at: i64,
}

/// Whether any email is due now; a cheap read before `claim` writes.
pub async fn any_due(conn: &mut Conn, now: i64) -> sqlx::Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as(
        "select id from outbox
         where state = 'queued' and next_attempt_at <= $1 and coalesce(locked_until, 0) < $1
         limit 1",
    )
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.is_some())
}

/// Leases up to `limit` due emails until `now + lease_ms` and counts the attempt. An email
/// whose lease ran out (its instance died mid-send) is due again. Postgres skips rows another
/// instance is claiming; SQLite's single writer already keeps claims apart.
pub async fn claim(
    conn: &mut Conn,
    now: i64,
    lease_ms: i64,
    limit: i64,
) -> sqlx::Result<Vec<Claimed>> {
    let skip_locked = if conn.backend_name() == "SQLite" {
        ""
    } else {
        "for update skip locked"
    };
    sqlx::query_as(&format!(
        "update outbox set locked_until = $2, attempts = attempts + 1
         where id in (
             select id from outbox
             where state = 'queued' and next_attempt_at <= $1 and coalesce(locked_until, 0) < $1
             order by next_attempt_at, id limit $3 {skip_locked})
         returning id, alert_id, recipient, attempts, created_at"
    ))
    .bind(now)
    .bind(now + lease_ms)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await
}

/// Queued emails with an id above `after`, in id order: (id, recipient, alert id).
pub async fn queued_after(conn: &mut Conn, after: i64) -> sqlx::Result<Vec<(i64, String, i64)>> {
    sqlx::query_as(
        "select id, recipient, alert_id from outbox where state = 'queued' and id > $1
         order by id limit 1000",
    )
    .bind(after)
    .fetch_all(&mut *conn)
    .await
}

/// Handed to the SMTP server.
pub async fn mark_sent(conn: &mut Conn, id: i64, now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "update outbox set state = 'sent', sent_at = $2, locked_until = null where id = $1",
    )
    .bind(id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A temporary failure: due again at `next_at`.
pub async fn retry_at(conn: &mut Conn, id: i64, error: &str, next_at: i64) -> sqlx::Result<()> {
    sqlx::query(
        "update outbox set last_error = $2, next_attempt_at = $3, locked_until = null
         where id = $1 and state = 'queued'",
    )
    .bind(id)
    .bind(error)
    .bind(next_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Given up: `failed` (the server refused it for good) or `dead` (retried too long).
pub async fn give_up(
    conn: &mut Conn,
    id: i64,
    state: DeliveryState,
    error: &str,
) -> sqlx::Result<()> {
    sqlx::query("update outbox set state = $2, last_error = $3, locked_until = null where id = $1")
        .bind(id)
        .bind(state.as_str())
        .bind(error)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Queues a failed or dead email again, with a fresh retry window; false when there is no
/// such email or it is not given up.
pub async fn resend(conn: &mut Conn, id: i64, now: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update outbox set state = 'queued', attempts = 0, created_at = $2, next_attempt_at = $2,
             locked_until = null
         where id = $1 and state in ('failed', 'dead')",
    )
    .bind(id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks every queued email sent at its creation: `tally demo`'s history was announced
/// before, so starting it sends nothing for the past.
pub async fn mark_all_delivered(conn: &mut Conn) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "update outbox set state = 'sent', sent_at = created_at, attempts = 1 where state = 'queued'",
    )
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// An email of the log; a stored state that does not read is an error, never a default.
struct DeliveryRow(i64, Delivery);

impl<'r> FromRow<'r, sqlx::any::AnyRow> for DeliveryRow {
    fn from_row(row: &'r sqlx::any::AnyRow) -> sqlx::Result<Self> {
        use sqlx::Row;
        Ok(Self(
            row.try_get("alert_id")?,
            Delivery {
                outbox_id: row.try_get("id")?,
                recipient: row.try_get("recipient")?,
                state: super::parsed(row, "state")?,
                attempts: row.try_get("attempts")?,
                last_error: row.try_get("last_error")?,
                sent_at: row.try_get("sent_at")?,
            },
        ))
    }
}

/// The emails of the given alerts, by alert id, in recipient order.
pub async fn for_alerts(conn: &mut Conn, alert_ids: &[i64]) -> sqlx::Result<Vec<(i64, Delivery)>> {
    if alert_ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids = serde_json::to_string(alert_ids).unwrap_or_default();
    let rows: Vec<DeliveryRow> = sqlx::query_as(&format!(
        "select id, alert_id, recipient, state, attempts, last_error, sent_at from outbox
         where alert_id in (select cast(value as bigint) from {})
         order by alert_id, recipient",
        super::json_rows(conn)
    ))
    .bind(ids)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|DeliveryRow(alert, d)| (alert, d))
        .collect())
}

/// Emails per state, and how many of the queued ones failed before (`/metrics`).
pub async fn depth(conn: &mut Conn) -> sqlx::Result<(Vec<(String, i64)>, i64)> {
    let states = sqlx::query_as("select state, count(*) from outbox group by state order by state")
        .fetch_all(&mut *conn)
        .await?;
    let (retrying,): (i64,) = sqlx::query_as(
        "select count(*) from outbox where state = 'queued' and last_error is not null",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok((states, retrying))
}
