//! The outbox's delivery worker, one in every `tally serve`: it leases due emails, renders
//! each in its tenant's language, hands it to the SMTP server, and records the outcome. A
//! temporary failure comes back later (exponential backoff with jitter), for three days; a
//! permanent one is kept as failed with the server's answer. Without an SMTP server the
//! emails are logged once and stay queued until one is configured.

use std::sync::atomic::{AtomicI64, Ordering};

use super::super::db::{self, Db, alerts, contacts, outbox, pools, subscriptions, tenants};
use super::super::mail::{self, Facts, Mailer, SendFailure};
use super::super::zone;
use super::alerts::scheduled::runs_out;
use crate::domain::alerts::{GIVE_UP_AFTER_MS, RETRY_CAP_MS, retry_delay_ms};
use crate::error::AppError;
use crate::model::TenantId;
use crate::model::alert::DeliveryState;

/// How the worker delivers.
#[derive(Debug)]
pub struct Delivery {
    /// `None`: no SMTP server configured; emails wait.
    pub mailer: Option<Mailer>,
    /// Where people reach Tally, for the link in every email.
    pub base_url: String,
    /// How long a claimed email is this instance's to send before another may take it.
    pub lease_ms: i64,
    /// The longest wait between attempts.
    pub retry_cap_ms: i64,
    /// How long an email is retried before it is dead.
    pub give_up_after_ms: i64,
    /// Emails claimed (and sent concurrently) at a time.
    pub batch: i64,
    /// The highest outbox id logged while no SMTP server is configured.
    logged: AtomicI64,
}

impl Delivery {
    pub fn new(mailer: Option<Mailer>, base_url: &str) -> Self {
        Self {
            mailer,
            base_url: base_url.trim_end_matches('/').to_string(),
            lease_ms: 5 * 60_000,
            retry_cap_ms: RETRY_CAP_MS,
            give_up_after_ms: GIVE_UP_AFTER_MS,
            batch: 32,
            logged: AtomicI64::new(0),
        }
    }
}

/// What one round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
    pub dead: usize,
}

/// Delivers every email due at `now` (epoch ms), a batch at a time.
pub async fn run_round(db: &Db, delivery: &Delivery, now: i64) -> Result<Round, AppError> {
    let mut round = Round::default();
    let Some(mailer) = &delivery.mailer else {
        log_waiting(db, delivery).await?;
        return Ok(round);
    };
    loop {
        if !outbox::any_due(&mut *db.conn().await?, now).await? {
            return Ok(round);
        }
        let mut tx = db.begin().await?;
        let claimed = outbox::claim(&mut tx, now, delivery.lease_ms, delivery.batch).await?;
        tx.commit().await?;
        if claimed.is_empty() {
            return Ok(round);
        }
        let mut sending = tokio::task::JoinSet::new();
        for email in claimed {
            let db = db.clone();
            let mailer = mailer.clone();
            let base_url = delivery.base_url.clone();
            sending.spawn(async move {
                let outcome = deliver(&db, &mailer, &base_url, &email).await;
                (email, outcome)
            });
        }
        while let Some(done) = sending.join_next().await {
            let Ok((email, outcome)) = done else { continue };
            record(db, delivery, &email, outcome, now, &mut round).await?;
        }
    }
}

/// Renders and sends one claimed email.
async fn deliver(
    db: &Db,
    mailer: &Mailer,
    base_url: &str,
    email: &outbox::Claimed,
) -> Result<(), SendFailure> {
    let composed = render(db, base_url, email.alert_id, chrono::Utc::now())
        .await
        .map_err(|e| SendFailure::Temporary(format!("cannot read the alert: {e}")))?;
    let message_id = mailer.message_id(email.id, email.created_at);
    mailer.send(&composed, &email.recipient, &message_id).await
}

async fn record(
    db: &Db,
    delivery: &Delivery,
    email: &outbox::Claimed,
    outcome: Result<(), SendFailure>,
    round_started: i64,
    round: &mut Round,
) -> Result<(), AppError> {
    let now = round_started.max(db::now_ms());
    let mut tx = db.begin().await?;
    match outcome {
        Ok(()) => {
            outbox::mark_sent(&mut tx, email.id, now).await?;
            metrics::counter!("tally_emails_sent_total").increment(1);
            round.sent += 1;
        }
        Err(SendFailure::Permanent(answer)) => {
            tracing::warn!(outbox = email.id, %answer, "the SMTP server refused an alert email");
            outbox::give_up(&mut tx, email.id, DeliveryState::Failed, &answer).await?;
            metrics::counter!("tally_emails_failed_total").increment(1);
            round.failed += 1;
        }
        Err(SendFailure::Temporary(error))
            if now - email.created_at >= delivery.give_up_after_ms =>
        {
            tracing::warn!(outbox = email.id, %error, "an alert email could not be sent for days; giving up");
            outbox::give_up(&mut tx, email.id, DeliveryState::Dead, &error).await?;
            metrics::counter!("tally_emails_dead_total").increment(1);
            round.dead += 1;
        }
        Err(SendFailure::Temporary(error)) => {
            let attempt = u32::try_from(email.attempts).unwrap_or(1);
            let wait = retry_delay_ms(attempt, delivery.retry_cap_ms, rand::random::<f64>());
            tracing::info!(outbox = email.id, %error, wait_ms = wait, "alert email will be retried");
            outbox::retry_at(&mut tx, email.id, &error, now + wait).await?;
            metrics::counter!("tally_emails_retried_total").increment(1);
            round.retried += 1;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// The email of alert `alert_id`, in its tenant's language, with the numbers it was decided
/// on and the pool's projected run-out date as of `now`.
pub async fn render(
    db: &Db,
    base_url: &str,
    alert_id: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<mail::Email, AppError> {
    let mut conn = db.conn().await?;
    let alert = alerts::get(&mut conn, alert_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let tenant = TenantId(alert.tenant_id);
    let row = tenants::get(&mut conn, tenant)
        .await?
        .ok_or(AppError::NotFound)?;
    let sub = subscriptions::get(&mut conn, tenant)
        .await?
        .ok_or(AppError::NotFound)?;
    let billing = contacts::list(&mut conn, tenant, contacts::ContactKind::Billing).await?;
    let today = zone::today(zone::parse(&row.time_zone), now);
    let pool = match &alert.pool_key {
        Some(key) => pools::by_key(&mut conn, tenant, key).await?,
        None => None,
    };
    let runs_out = match (&pool, alert.kind) {
        (_, crate::model::alert::AlertKind::Forecast) => {
            alert.on_date.as_deref().and_then(|d| d.parse().ok())
        }
        (Some(pool), _) => {
            runs_out(
                &mut conn,
                tenant,
                pool,
                today,
                (sub.contract_start, sub.contract_end),
            )
            .await?
        }
        (None, _) => None,
    };
    let locale = row.locale.parse().unwrap_or(crate::model::Locale::En);
    Ok(mail::compose(&Facts {
        tenant_name: &row.name,
        locale,
        alert: &alert,
        runs_out,
        refills_per_month: sub.auto_refill_max_per_month,
        billing: &billing,
        base_url,
    }))
}

/// Without an SMTP server: says once per email that it waits, and keeps it queued.
async fn log_waiting(db: &Db, delivery: &Delivery) -> Result<(), AppError> {
    let after = delivery.logged.load(Ordering::Relaxed);
    let mut conn = db.conn().await?;
    let waiting = outbox::queued_after(&mut conn, after).await?;
    for (id, recipient, alert_id) in &waiting {
        tracing::info!(
            outbox = id,
            alert = alert_id,
            to = %recipient,
            "alert email queued; no SMTP server is configured (--smtp-url), so it waits"
        );
    }
    if let Some((id, _, _)) = waiting.last() {
        delivery.logged.store(*id, Ordering::Relaxed);
    }
    Ok(())
}
