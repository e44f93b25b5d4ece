//! Purchases: licenses added to (or taken from) a pool through its ledger, by an operator or
//! by the auto-refill of ingestion. Usage itself is recorded only by `ingest`.

use super::super::db::{Conn, Db, audit, now_ms, pools, subscriptions};
use super::alerts::UsageAlerts;
use crate::error::AppError;
use crate::model::TenantId;
use crate::model::console::Refusal;

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

/// Adds a pool of any kind SPEC.md names to the tenant, or changes an existing pool's
/// enforcement (`hard`: refused past the purchase; `soft`: overage counted), for the reason
/// given, audited with before and after.
pub async fn set_pool(
    db: &Db,
    tenant: TenantId,
    key: &str,
    enforcement: &str,
    reason: &str,
    actor: &str,
) -> Result<(), AppError> {
    let key = crate::model::PoolKey::parse(key.trim())
        .map_err(|_| AppError::Refused(Refusal::PoolNameInvalid))?;
    if !matches!(enforcement, "hard" | "soft") {
        return Err(AppError::Refused(Refusal::EnforcementInvalid));
    }
    let reason = super::tenants::reason(reason)?;
    let now = now_ms();
    let mut tx = db.begin().await?;
    let before = pools::by_key(&mut tx, tenant, key.as_str()).await?;
    let before = match before {
        Some(pool) if pool.enforcement == enforcement => {
            return Err(AppError::Refused(Refusal::NothingChanges));
        }
        Some(pool) => {
            pools::set_enforcement(&mut tx, tenant, key.as_str(), enforcement).await?;
            Some(serde_json::json!({ "pool": key.as_str(), "enforcement": pool.enforcement }))
        }
        None => {
            pools::ensure(&mut tx, tenant, key.as_str(), enforcement, now).await?;
            None
        }
    };
    let mut change = audit::Change::new(Some(tenant), actor, "pool.set", now)
        .because(reason)
        .after(serde_json::json!({ "pool": key.as_str(), "enforcement": enforcement }));
    change.before = before;
    audit::record(&mut tx, &change).await?;
    tx.commit().await?;
    Ok(())
}

/// The most licenses one refill may add or remove.
pub const MAX_DELTA: i64 = 1_000_000;

/// The licenses a refill form asks for: a whole number, signed, not zero, at most a million.
pub fn parse_delta(text: &str) -> Result<i64, AppError> {
    // `i64`'s parser takes one optional sign, `+` or `-`.
    let delta: i64 = text
        .trim()
        .parse()
        .map_err(|_| AppError::Refused(Refusal::AmountInvalid))?;
    check_delta(delta)
}

/// A refill's licenses as a number: not zero, at most a million either way.
fn check_delta(delta: i64) -> Result<i64, AppError> {
    match delta {
        0 => Err(AppError::Refused(Refusal::AmountInvalid)),
        d if d.unsigned_abs() > MAX_DELTA.unsigned_abs() => {
            Err(AppError::Refused(Refusal::AmountTooLarge))
        }
        d => Ok(d),
    }
}

/// A refill an operator asks for, in the console or on the command line: `delta` licenses of
/// the tenant's pool (negative: removed), with the note that says why. Lands on the ledger and
/// in the audit log with who and when, in one transaction, and re-arms or crosses thresholds
/// by the alert rules. Refused, with nothing saved, without a note, for a pool the tenant does
/// not hold, or when it removes more licenses than are available. The purchased total after.
pub async fn manual(
    db: &Db,
    tenant: TenantId,
    pool_key: &str,
    delta: i64,
    note: &str,
    actor: &str,
) -> Result<i64, AppError> {
    let note = super::tenants::reason(note)?;
    let delta = check_delta(delta)?;
    let mut tx = db.begin().await?;
    pools::lock_all(&mut tx, tenant).await?;
    let pool = pools::by_key(&mut tx, tenant, pool_key)
        .await?
        .ok_or(AppError::Refused(Refusal::UnknownPool))?;
    let available = (pool.purchased - pool.consumed).max(0);
    if -delta > available {
        return Err(AppError::Refused(Refusal::MoreThanAvailable { available }));
    }
    let now = now_ms();
    let asked = Refill {
        kind: "manual",
        delta,
        actor,
        note,
        at: now,
    };
    let total = refill(&mut tx, tenant, pool_key, &asked)
        .await?
        .ok_or(AppError::Refused(Refusal::UnknownPool))?;
    let change = audit::Change::new(Some(tenant), actor, "pool.refill", now)
        .because(note)
        .before(serde_json::json!({ "pool": pool_key, "purchased": pool.purchased }))
        .after(serde_json::json!({ "pool": pool_key, "purchased": total, "delta": delta }));
    audit::record(&mut tx, &change).await?;
    tx.commit().await?;
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refill_amounts() {
        assert_eq!(parse_delta("5"), Ok(5));
        assert_eq!(parse_delta(" +12 "), Ok(12));
        assert_eq!(parse_delta("-3"), Ok(-3));
        assert_eq!(parse_delta("1000000"), Ok(1_000_000));
        assert_eq!(parse_delta("-1000000"), Ok(-1_000_000));
        for bad in ["", "0", "-0", "1.5", "ten", "+-1", "9999999999999999999999"] {
            assert_eq!(
                parse_delta(bad),
                Err(AppError::Refused(Refusal::AmountInvalid)),
                "{bad}"
            );
        }
        assert_eq!(
            parse_delta("1000001"),
            Err(AppError::Refused(Refusal::AmountTooLarge))
        );
        assert_eq!(
            parse_delta("-1000001"),
            Err(AppError::Refused(Refusal::AmountTooLarge))
        );
    }
}
