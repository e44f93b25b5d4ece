//! Alerts, decided exactly once in the transaction that changes what they are about, each
//! writing its emails to the outbox there too. `UsageAlerts` decides as pool counters move
//! (ingestion, refills); `scheduled` decides what time brings (contract ends, run-out
//! forecasts); `log` reads the log back and sends test alerts.

pub mod log;
pub mod scheduled;

use super::super::db::alerts::NewAlert;
use super::super::db::pools::{PoolRow, Recorded};
use super::super::db::{Conn, administrators, alerts, contacts, outbox, pools};
use crate::domain::alerts::{crossing, highest_reached};
use crate::model::TenantId;
use crate::model::alert::AlertKind;

/// Who receives a tenant's alerts: its technical and billing contacts and its active
/// administrators, each address once (compared without regard to case), in that order.
pub async fn recipients(conn: &mut Conn, tenant: TenantId) -> sqlx::Result<Vec<String>> {
    let (mut all, billing) = contacts::both(conn, tenant).await?;
    all.extend(billing);
    all.extend(administrators::tenant_emails(conn, tenant).await?);
    let mut seen = std::collections::HashSet::new();
    all.retain(|email| seen.insert(email.to_lowercase()));
    Ok(all)
}

/// Records `alert` and queues its emails to `to`; the alert's id, or `None` when it was raised
/// before.
pub async fn raise(
    conn: &mut Conn,
    tenant: TenantId,
    alert: &NewAlert,
    to: &[String],
    now: i64,
) -> sqlx::Result<Option<i64>> {
    let id = alerts::insert(conn, tenant, alert).await?;
    if let Some(id) = id {
        outbox::enqueue(conn, tenant, id, to, now).await?;
        tracing::info!(tenant = tenant.0, alert = id, kind = %alert.kind, "alert raised");
    }
    Ok(id)
}

/// Thresholds a pool crossed in a transaction: those above `from` (announced before it) up
/// to `percent`.
#[derive(Debug, Clone, Copy)]
struct Pending {
    from: u32,
    percent: u32,
}

/// The usage alerts of one tenant inside one transaction that moves its pool counters. The
/// caller holds the pools' rows (ingestion locks them), so each pool's latch read with the
/// row is current; the conditional update of the latch and the alert's unique key still keep
/// two instances from announcing one threshold twice.
///
/// Thresholds crossed are gathered while the counters move and announced by `finish`, with
/// the counters as they end: a batch that goes from 80% to 100% announces 100% once.
pub struct UsageAlerts {
    tenant: TenantId,
    thresholds: Vec<u32>,
    /// Per pool id: thresholds crossed in this transaction, not announced yet.
    pending: std::collections::BTreeMap<i64, Pending>,
    /// Read on the first alert of the transaction.
    recipients: Option<Vec<String>>,
    /// When the emails are queued (epoch ms).
    now: i64,
}

impl UsageAlerts {
    pub fn new(tenant: TenantId, thresholds: &[u32], now: i64) -> Self {
        Self {
            tenant,
            thresholds: thresholds.to_vec(),
            pending: std::collections::BTreeMap::new(),
            recipients: None,
            now,
        }
    }

    async fn raise(&mut self, conn: &mut Conn, alert: &NewAlert) -> sqlx::Result<Option<i64>> {
        if self.recipients.is_none() {
            self.recipients = Some(recipients(conn, self.tenant).await?);
        }
        let to = self.recipients.as_deref().unwrap_or_default();
        raise(conn, self.tenant, alert, to, self.now).await
    }

    /// Usage of `pool` grew (or its purchase shrank) to the counters it holds: notes the
    /// highest threshold newly reached, covering the lower ones of the same jump.
    pub fn usage_grew(&mut self, pool: &mut PoolRow) {
        let latched = u32::try_from(pool.alerted_percent).unwrap_or(0);
        let Some(crossed) = crossing(&self.thresholds, latched, pool.consumed, pool.purchased)
        else {
            return;
        };
        pool.alerted_percent = crossed.percent as i32;
        self.pending
            .entry(pool.id)
            .or_insert(Pending {
                from: latched,
                percent: 0,
            })
            .percent = crossed.percent;
    }

    /// The thresholds above `from` and below `percent`.
    fn between(&self, from: u32, percent: u32) -> Vec<u32> {
        self.thresholds
            .iter()
            .copied()
            .filter(|&t| t > from && t < percent)
            .collect()
    }

    /// Announces the thresholds noted since the last call, each pool's with its counters now
    /// (`pools` holds them).
    pub async fn finish<'p>(
        &mut self,
        conn: &mut Conn,
        pools: impl IntoIterator<Item = &'p PoolRow>,
        at: i64,
    ) -> sqlx::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        for pool in pools {
            let Some(crossed) = self.pending.remove(&pool.id) else {
                continue;
            };
            let covers = self.between(crossed.from, crossed.percent);
            if !pools::latch(conn, pool.id, crossed.percent).await? {
                continue;
            }
            let mut alert = NewAlert::new(
                AlertKind::Threshold,
                format!(
                    "threshold:{}:{}:{}",
                    pool.id, pool.alert_cycle, crossed.percent
                ),
                at,
            );
            alert.pool_id = Some(pool.id);
            alert.percent = Some(crossed.percent);
            alert.covers = covers;
            alert.purchased = Some(pool.purchased);
            alert.consumed = Some(pool.consumed);
            self.raise(conn, &alert).await?;
        }
        Ok(())
    }

    /// An automatic refill set off at `percent` was recorded: one alert names it and the new
    /// totals, covering the thresholds reached on the way; then the refill re-arms what it
    /// brought usage back under.
    pub async fn auto_refilled(
        &mut self,
        conn: &mut Conn,
        pool: &mut PoolRow,
        recorded: Recorded,
        percent: u32,
        at: i64,
    ) -> sqlx::Result<()> {
        // Thresholds crossed earlier in the transaction are announced by the refill's alert.
        let from = self
            .pending
            .remove(&pool.id)
            .map_or(u32::try_from(pool.alerted_percent).unwrap_or(0), |p| p.from);
        let reached = highest_reached(&self.thresholds, pool.consumed, pool.purchased);
        let mut alert = NewAlert::new(
            AlertKind::AutoRefill,
            format!("auto_refill:{}", recorded.refill_id),
            at,
        );
        alert.pool_id = Some(pool.id);
        alert.percent = Some(percent);
        alert.covers = self
            .between(from, reached.saturating_add(1))
            .into_iter()
            .filter(|&t| t != percent)
            .collect();
        alert.purchased = Some(recorded.purchased);
        alert.consumed = Some(pool.consumed);
        alert.refill_id = Some(recorded.refill_id);
        self.raise(conn, &alert).await?;
        if reached > from {
            pools::latch(conn, pool.id, reached).await?;
        }
        pool.alerted_percent = pool.alerted_percent.max(reached as i32);
        self.refilled(conn, pool, recorded, at).await
    }

    /// The month's automatic refills of `pool` are used up while usage calls for another: one
    /// alert per pool per month (`month` is `YYYY-MM` in the tenant's zone).
    pub async fn auto_refill_capped(
        &mut self,
        conn: &mut Conn,
        pool: &PoolRow,
        month: &str,
        at: i64,
    ) -> sqlx::Result<()> {
        let mut alert = NewAlert::new(
            AlertKind::AutoRefillCap,
            format!("auto_refill_cap:{}:{month}", pool.id),
            at,
        );
        alert.pool_id = Some(pool.id);
        alert.purchased = Some(pool.purchased);
        alert.consumed = Some(pool.consumed);
        self.raise(conn, &alert).await?;
        Ok(())
    }

    /// A refill was recorded on `pool`, whose `consumed` is current (`purchased` becomes the
    /// total after the refill). One that adds
    /// licenses re-arms the thresholds usage is now back under, noting the refill on their
    /// alerts; one that takes licenses away may cross a threshold.
    pub async fn refilled(
        &mut self,
        conn: &mut Conn,
        pool: &mut PoolRow,
        recorded: Recorded,
        at: i64,
    ) -> sqlx::Result<()> {
        let grew = recorded.purchased > pool.purchased;
        pool.purchased = recorded.purchased;
        if !grew {
            self.usage_grew(pool);
            return self.finish(conn, [&*pool], at).await;
        }
        let reached = highest_reached(&self.thresholds, pool.consumed, pool.purchased);
        if (reached as i32) < pool.alerted_percent {
            pools::rearm(conn, pool.id, reached, recorded.refill_id).await?;
            alerts::mark_rearmed(conn, self.tenant, pool.id, reached, recorded.refill_id).await?;
            pool.alerted_percent = reached as i32;
            pool.alert_cycle = recorded.refill_id;
        }
        Ok(())
    }
}
