//! Background jobs each `tally serve` instance runs.

use std::time::Duration;

use super::db::Db;
use super::service::housekeeping;

/// How often housekeeping runs.
pub const HOUSEKEEPING_EVERY: Duration = Duration::from_secs(5 * 60);

/// Runs housekeeping now and then every `HOUSEKEEPING_EVERY`, until the task is dropped.
pub async fn housekeeping_loop(db: Db) {
    let mut ticker = tokio::time::interval(HOUSEKEEPING_EVERY);
    loop {
        ticker.tick().await;
        match housekeeping::run_round(&db, chrono::Utc::now()).await {
            Ok(round) => {
                for slug in &round.expired {
                    tracing::info!(tenant = %slug, "contract ended: tenant is now expired");
                }
                tracing::debug!(
                    sessions = round.sessions_pruned,
                    failures = round.failures_pruned,
                    "housekeeping done"
                );
            }
            Err(error) => tracing::warn!(%error, "housekeeping failed; will retry"),
        }
    }
}

/// How often `sqlite_checkpoints` runs.
pub const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);

/// Keeps SQLite's write-ahead log short in the background, so commits do not pay for it.
pub async fn sqlite_checkpoints(db: Db) {
    let mut ticker = tokio::time::interval(CHECKPOINT_EVERY);
    loop {
        ticker.tick().await;
        if let Err(error) = db.checkpoint().await {
            tracing::debug!(%error, "checkpoint skipped");
        }
    }
}
