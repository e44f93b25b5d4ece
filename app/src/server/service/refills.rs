//! Purchases: licenses added to (or taken from) a pool through its ledger, by an operator or
//! by the auto-refill of ingestion. Usage itself is recorded only by `ingest`.

use super::super::db::{Conn, pools};
use crate::model::TenantId;

/// A change of purchased licenses asked for by a person or the auto-refill job.
#[derive(Debug, Clone)]
pub struct RefillRequest<'a> {
    pub pool_key: &'a str,
    pub kind: &'a str,
    pub delta: i64,
    pub actor: &'a str,
    pub note: &'a str,
    pub at: i64,
}

/// Adds (or with a negative `delta` removes) purchased licenses through the ledger; the total
/// after, or `None` when the tenant holds no such pool.
pub async fn refill(
    conn: &mut Conn,
    tenant: TenantId,
    request: &RefillRequest<'_>,
) -> sqlx::Result<Option<i64>> {
    let Some(pool) = pools::by_key(conn, tenant, request.pool_key).await? else {
        return Ok(None);
    };
    let refill = pools::Refill {
        pool_id: pool.id,
        kind: request.kind,
        delta: request.delta,
        actor: request.actor,
        note: request.note,
        at: request.at,
    };
    pools::record_refill(conn, tenant, &refill).await
}
