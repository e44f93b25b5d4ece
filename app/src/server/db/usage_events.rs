//! The usage API's idempotency ledger: one row per event id per tenant. The primary key is
//! what makes a replay, even a concurrent one, count once.

use super::{Conn, json_rows};
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
    if events.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<serde_json::Value> = events
        .iter()
        .map(|e| serde_json::json!([e.event_id, e.event_type, e.content_hash, e.occurred_at]))
        .collect();
    let sql = format!(
        "insert into usage_events (tenant_id, event_id, event_type, content_hash, occurred_at, received_at)
         select $2, value->>0, value->>1, value->>2, cast(value->>3 as bigint), $3 from {} where true
         on conflict (tenant_id, event_id) do nothing returning event_id",
        json_rows(conn)
    );
    let inserted: Vec<(String,)> = sqlx::query_as(&sql)
        .bind(serde_json::Value::Array(rows).to_string())
        .bind(tenant.0)
        .bind(received_at)
        .fetch_all(&mut *conn)
        .await?;
    Ok(inserted.into_iter().map(|(id,)| id).collect())
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
