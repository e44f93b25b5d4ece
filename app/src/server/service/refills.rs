//! Purchases: licenses added to (or taken from) a pool through its ledger, by an operator or
//! by the auto-refill of ingestion. Usage itself is recorded only by `ingest`.

use super::super::db::{Conn, pools};
use crate::model::TenantId;

pub use pools::Refill;

/// Adds (or with a negative `delta` removes) purchased licenses of the tenant's pool
/// `pool_key` through the ledger; the total after, or `None` when the tenant holds no such
/// pool.
pub async fn refill(
    conn: &mut Conn,
    tenant: TenantId,
    pool_key: &str,
    refill: &Refill<'_>,
) -> sqlx::Result<Option<i64>> {
    let Some(pool) = pools::by_key(conn, tenant, pool_key).await? else {
        return Ok(None);
    };
    pools::record_refill(conn, tenant, pool.id, refill).await
}
