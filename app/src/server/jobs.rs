//! Background jobs each `tally serve` instance runs, started and stopped together through
//! `Jobs`, so that whoever started them (the server at SIGTERM, a test at its end) can stop them
//! before closing the pool: a stopped job holds no connection.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinSet;

use super::db::{Backend, Db};
use super::service::alerts::scheduled;
use super::service::delivery::{self, Delivery};
use super::service::housekeeping;

/// How often housekeeping runs.
pub const HOUSEKEEPING_EVERY: Duration = Duration::from_secs(5 * 60);

/// How often contract-end notices and run-out forecasts are looked for.
pub const SCHEDULED_ALERTS_EVERY: Duration = Duration::from_secs(60);

/// How often the delivery worker looks for due emails.
pub const DELIVERY_EVERY: Duration = Duration::from_millis(500);

/// How often `sqlite_checkpoints` runs.
pub const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);

/// How long `Jobs::stop` lets a round in progress finish before cutting it short.
pub const STOP_GRACE: Duration = Duration::from_secs(10);

/// The running background jobs. Dropping it aborts them; `stop` lets a round in progress end.
pub struct Jobs {
    stop: watch::Sender<bool>,
    running: JoinSet<()>,
}

impl Jobs {
    /// Starts housekeeping, the scheduled alerts, the outbox's delivery worker and, on
    /// SQLite, the background checkpoints.
    pub fn start(db: &Db, delivery: Delivery) -> Self {
        let mut jobs = Self {
            stop: watch::Sender::new(false),
            running: JoinSet::new(),
        };
        jobs.every(HOUSEKEEPING_EVERY, db.clone(), housekeeping_round);
        jobs.every(SCHEDULED_ALERTS_EVERY, db.clone(), scheduled_alerts_round);
        let delivery = Arc::new(delivery);
        jobs.every(DELIVERY_EVERY, db.clone(), move |db| {
            delivery_round(db, delivery.clone())
        });
        if db.backend == Backend::Sqlite {
            jobs.every(CHECKPOINT_EVERY, db.clone(), checkpoint_round);
        }
        jobs
    }

    /// Runs `round` now and then every `period` until stopped. A round is never interrupted
    /// by `stop`, only waited for.
    fn every<F, Fut>(&mut self, period: Duration, db: Db, round: F)
    where
        F: Fn(Db) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send,
    {
        let mut stopped = self.stop.subscribe();
        self.running.spawn(async move {
            let mut ticker = tokio::time::interval(period);
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                let stop = tokio::select! {
                    biased;
                    _ = stopped.wait_for(|stop| *stop) => true,
                    _ = ticker.tick() => false,
                };
                if stop {
                    return;
                }
                round(db.clone()).await;
            }
        });
    }

    /// Asks every job to stop after its current round and waits for them (at most
    /// `STOP_GRACE`, then the rest are aborted). Afterwards no job holds a connection.
    pub async fn stop(mut self) {
        self.stop.send_replace(true);
        let running = &mut self.running;
        let drained = tokio::time::timeout(STOP_GRACE, async {
            while running.join_next().await.is_some() {}
        })
        .await;
        if drained.is_err() {
            tracing::warn!("background jobs did not stop in time; aborting them");
            self.running.shutdown().await;
        }
    }
}

async fn housekeeping_round(db: Db) {
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

async fn scheduled_alerts_round(db: Db) {
    match scheduled::run_round(&db, chrono::Utc::now()).await {
        Ok(round) => tracing::debug!(
            contract_notices = round.contract_notices,
            forecasts = round.forecasts,
            "scheduled alerts done"
        ),
        Err(error) => tracing::warn!(%error, "scheduled alerts failed; will retry"),
    }
}

async fn delivery_round(db: Db, delivery: Arc<Delivery>) {
    match delivery::run_round(&db, &delivery, super::db::now_ms()).await {
        Ok(round) if round != delivery::Round::default() => tracing::info!(
            sent = round.sent,
            retried = round.retried,
            failed = round.failed,
            dead = round.dead,
            "outbox delivery round"
        ),
        Ok(_) => {}
        Err(error) => tracing::warn!(%error, "outbox delivery failed; will retry"),
    }
}

/// Keeps SQLite's write-ahead log short in the background, so commits do not pay for it.
async fn checkpoint_round(db: Db) {
    if let Err(error) = db.checkpoint().await {
        tracing::debug!(%error, "checkpoint skipped");
    }
}
