//! The usage API's idempotency ledger: one row per event id per tenant. The primary key is
//! what makes a replay, even a concurrent one, count once.

use super::{Conn, INSERT_ROWS, placeholders};
use crate::model::TenantId;

/// An event about to be recorded.
#[derive(Debug, Clone, Copy)]
pub struct NewEvent<'a> {
    pub event_id: &'a str,
    pub event_type: &'a str,
    pub content_hash: &'a str,
    pub occurred_at: i64,
}

/// Records the events whose ids the tenant has not sent before; returns the ids recorded.
pub async fn insert_new(
    conn: &mut Conn,
    tenant: TenantId,
    events: &[NewEvent<'_>],
    received_at: i64,
) -> sqlx::Result<Vec<String>> {
    let mut inserted = Vec::with_capacity(events.len());
    for chunk in events.chunks(INSERT_ROWS) {
        let sql = format!(
            "insert into usage_events (tenant_id, event_id, event_type, content_hash, occurred_at, received_at)
             values {} on conflict (tenant_id, event_id) do nothing returning event_id",
            placeholders(conn, chunk.len(), 6)
        );
        let mut query = sqlx::query_as::<_, (String,)>(&sql);
        for event in chunk {
            query = query
                .bind(tenant.0)
                .bind(event.event_id)
                .bind(event.event_type)
                .bind(event.content_hash)
                .bind(event.occurred_at)
                .bind(received_at);
        }
        inserted.extend(
            query
                .fetch_all(&mut *conn)
                .await?
                .into_iter()
                .map(|(id,)| id),
        );
    }
    Ok(inserted)
}

/// Rows per lookup statement: well under both backends' limits on bound parameters.
const CHUNK: usize = 200;

/// The content hashes already stored for `ids`, as `(event_id, content_hash)`.
pub async fn stored_hashes(
    conn: &mut Conn,
    tenant: TenantId,
    ids: &[&str],
) -> sqlx::Result<Vec<(String, String)>> {
    let mut found = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(CHUNK) {
        let list: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "select event_id, content_hash from usage_events where tenant_id = $1 and event_id in ({})",
            list.join(", ")
        );
        let mut query = sqlx::query_as::<_, (String, String)>(&sql).bind(tenant.0);
        for id in chunk {
            query = query.bind(*id);
        }
        found.extend(query.fetch_all(&mut *conn).await?);
    }
    Ok(found)
}
