//! Periodic work every instance may run: it is idempotent and safe to run concurrently.

use chrono::{DateTime, Utc};

use super::super::auth::FAILURE_WINDOW_MS;
use super::super::db::{self, Db, tenants};
use crate::error::AppError;
use crate::model::TenantState;

/// What one round did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Round {
    pub sessions_pruned: u64,
    pub failures_pruned: u64,
    /// Slugs of the tenants that became `expired`.
    pub expired: Vec<String>,
}

/// The day it is for a tenant, in its own time zone (UTC when the zone is unknown).
fn tenant_today(now: DateTime<Utc>, time_zone: &str) -> String {
    match time_zone.parse::<chrono_tz::Tz>() {
        Ok(zone) => now.with_timezone(&zone).date_naive().to_string(),
        Err(_) => now.date_naive().to_string(),
    }
}

/// Prunes dead sessions and old sign-in failures, and moves tenants whose contract end date has
/// passed (in their time zone) to `expired`, recording the change as made by `system`.
pub async fn run_round(db: &Db, now: DateTime<Utc>) -> Result<Round, AppError> {
    let now_ms = now.timestamp_millis();
    let mut conn = db.conn().await?;
    let mut round = Round {
        sessions_pruned: db::web_sessions::delete_expired(&mut conn, now_ms).await?,
        failures_pruned: db::web_sessions::prune_failures(&mut conn, now_ms - FAILURE_WINDOW_MS)
            .await?,
        expired: Vec::new(),
    };
    drop(conn);
    // A day ahead of UTC covers every zone; each candidate is then checked in its own zone.
    let latest_today = (now + chrono::Duration::days(1)).date_naive().to_string();
    let mut conn = db.conn().await?;
    let candidates = tenants::ended_contracts(&mut conn, &latest_today).await?;
    drop(conn);
    for tenant in candidates {
        let today = tenant_today(now, &tenant.time_zone);
        let mut tx = db.begin().await?;
        // Re-read inside the transaction: another instance may have expired it already.
        let still_due = tenants::ended_contracts(&mut tx, &today)
            .await?
            .iter()
            .any(|t| t.id == tenant.id);
        if still_due {
            tenants::set_state(
                &mut tx,
                tenant.tenant_id(),
                TenantState::Expired,
                "contract end date passed",
                "system",
                now_ms,
            )
            .await?;
            let change =
                db::audit::Change::new(Some(tenant.tenant_id()), "system", "tenant.state", now_ms)
                    .because("contract end date passed")
                    .before(serde_json::json!({ "state": tenant.state }))
                    .after(serde_json::json!({ "state": "expired" }));
            db::audit::record(&mut tx, &change).await?;
            round.expired.push(tenant.slug.clone());
        }
        tx.commit().await?;
    }
    Ok(round)
}

#[cfg(test)]
mod tests {
    use super::tenant_today;

    #[test]
    fn a_tenants_day_follows_its_time_zone() {
        let now = "2026-11-22T01:30:00Z".parse().expect("instant");
        assert_eq!(tenant_today(now, "UTC"), "2026-11-22");
        assert_eq!(tenant_today(now, "America/Sao_Paulo"), "2026-11-21");
        assert_eq!(tenant_today(now, "Asia/Tokyo"), "2026-11-22");
        assert_eq!(tenant_today(now, "Not/AZone"), "2026-11-22");
    }
}
