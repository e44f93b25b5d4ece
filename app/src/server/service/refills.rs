//! Purchases: licenses added to (or taken from) a pool through its ledger, by an operator or
//! by the auto-refill of ingestion. Usage itself is recorded only by `ingest`.

use super::super::db::{Conn, pools, subscriptions};
use super::alerts::UsageAlerts;
use crate::model::TenantId;

pub use pools::Refill;

/// Adds (or with a negative `delta` removes) purchased licenses of the tenant's pool
/// `pool_key` through the ledger, in the caller's transaction, and decides the alerts it
/// calls for: adding re-arms the thresholds usage is back under, removing may cross one. The
/// total after, or `None` when the tenant holds no such pool.
pub async fn refill(
    conn: &mut Conn,
    tenant: TenantId,
    pool_key: &str,
    refill: &Refill<'_>,
) -> sqlx::Result<Option<i64>> {
    // The same lock ingestion takes, so the latch read below stays true until commit.
    pools::lock_all(conn, tenant).await?;
    let Some(mut pool) = pools::by_key(conn, tenant, pool_key).await? else {
        return Ok(None);
    };
    let Some(recorded) = pools::record_refill(conn, tenant, pool.id, refill).await? else {
        return Ok(None);
    };
    let thresholds = subscriptions::get(conn, tenant)
        .await?
        .map(|sub| sub.thresholds.as_slice().to_vec())
        .unwrap_or_default();
    let mut alerts = UsageAlerts::new(tenant, &thresholds, super::super::db::now_ms());
    alerts
        .refilled(conn, &mut pool, recorded, refill.at)
        .await?;
    Ok(Some(recorded.purchased))
}
