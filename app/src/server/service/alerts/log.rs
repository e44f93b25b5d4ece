//! The alert log as people read it (a tenant's on the Subscription tab, every tenant's in the
//! admin console), test alerts, and resending an email that was given up.

use super::super::super::db::alerts::{self, AlertRow, NewAlert};
use super::super::super::db::{Conn, Db, audit, outbox, pools};
use super::super::super::{language, zone};
use super::raise;
use crate::error::AppError;
use crate::model::alert::{AlertEntry, AlertKind, AlertPage, DeliveryState};
use crate::model::{Locale, PoolKey, TenantId};

/// The longest page of the log.
pub const MAX_PAGE: i64 = 100;

/// How long an administrator waits between two test alerts, in milliseconds.
pub const TEST_EVERY_MS: i64 = 60_000;

/// A page of the log, newest first: one tenant's or (`None`) every tenant's, before alert id
/// `before` (the previous page's `next`).
pub async fn page(
    db: &Db,
    tenant: Option<TenantId>,
    before: Option<i64>,
    limit: i64,
    locale: Locale,
) -> Result<AlertPage, AppError> {
    let filter = alerts::Filter {
        tenant,
        ..alerts::Filter::default()
    };
    search(db, filter, before, limit, locale).await
}

/// The admin console's page of the log across tenants, as its URL asks. A value that does not
/// read (an unknown tenant, kind or state) matches nothing rather than everything.
pub async fn for_console(
    db: &Db,
    query: &crate::model::alert::AlertQuery,
    locale: Locale,
) -> Result<AlertPage, AppError> {
    let empty = AlertPage::empty();
    let (from, until) = super::super::audit::utc_days(&query.from, &query.to)?;
    let mut filter = alerts::Filter {
        from,
        until,
        ..alerts::Filter::default()
    };
    if !query.tenant.trim().is_empty() {
        let mut conn = db.conn().await?;
        match super::super::super::db::tenants::by_slug(&mut conn, query.tenant.trim()).await? {
            Some(tenant) => filter.tenant = Some(tenant.tenant_id()),
            None => return Ok(empty),
        }
    }
    if !query.kind.is_empty() {
        let Ok(kind) = query.kind.parse() else {
            return Ok(empty);
        };
        filter.kind = Some(kind);
    }
    if !query.state.is_empty() {
        let Ok(state) = query.state.parse() else {
            return Ok(empty);
        };
        filter.state = Some(state);
    }
    let before = query.before.parse().ok();
    search(db, filter, before, 25, locale).await
}

/// A page of the alerts `filter` takes, newest first, before alert id `before`.
pub async fn search(
    db: &Db,
    filter: alerts::Filter,
    before: Option<i64>,
    limit: i64,
    locale: Locale,
) -> Result<AlertPage, AppError> {
    search_on(&mut *db.conn().await?, filter, before, limit, locale).await
}

/// [`search`] on a connection the caller holds (the Subscription tab reads its latest alerts
/// with the rest of the tab).
pub async fn search_on(
    conn: &mut Conn,
    filter: alerts::Filter,
    before: Option<i64>,
    limit: i64,
    locale: Locale,
) -> Result<AlertPage, AppError> {
    let limit = limit.clamp(1, MAX_PAGE);
    let mut rows = alerts::page(&mut *conn, filter, before, limit + 1).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    let mut deliveries: std::collections::HashMap<i64, Vec<_>> = std::collections::HashMap::new();
    for (alert, delivery) in outbox::for_alerts(&mut *conn, &ids).await? {
        deliveries.entry(alert).or_default().push(delivery);
    }
    let entries = rows
        .into_iter()
        .map(|row| {
            let mine = deliveries.remove(&row.id).unwrap_or_default();
            entry(row, mine, locale)
        })
        .collect::<Vec<_>>();
    Ok(AlertPage {
        next: if more {
            entries.last().map(|e| e.id)
        } else {
            None
        },
        entries,
    })
}

fn entry(
    row: AlertRow,
    deliveries: Vec<crate::model::alert::Delivery>,
    locale: Locale,
) -> AlertEntry {
    let zone = zone::parse(&row.time_zone);
    AlertEntry {
        id: row.id,
        tenant_slug: row.tenant_slug,
        kind: row.kind,
        created_at: row.created_at,
        created_label: language::date_time(locale, zone, row.created_at),
        pool_key: row.pool_key,
        percent: row.percent,
        covers: row.covers,
        on_date: row.on_date.map(|d| {
            d.parse()
                .map_or(d.clone(), |day| language::date(locale, day))
        }),
        days: row.days,
        refill_delta: row.refill_delta,
        rearmed_by: row.rearmed_by,
        deliveries,
    }
}

/// Why a test alert was not sent.
#[derive(Debug, PartialEq, Eq)]
pub enum TestRefused {
    /// Asked again too soon: seconds to wait.
    TooSoon(i64),
    Store(String),
}

impl From<sqlx::Error> for TestRefused {
    fn from(error: sqlx::Error) -> Self {
        Self::Store(error.to_string())
    }
}

/// A real alert email with the tenant's live numbers (its first main pool), to `email` only,
/// recorded as a test; no threshold latch moves. One per administrator per minute.
pub async fn send_test(
    db: &Db,
    tenant: TenantId,
    email: &str,
    now: i64,
) -> Result<i64, TestRefused> {
    let mut tx = db.begin().await?;
    if let Some(last) = alerts::last_test(&mut tx, tenant, email).await?
        && now - last < TEST_EVERY_MS
    {
        let wait = (TEST_EVERY_MS - (now - last) + 999) / 1000;
        return Err(TestRefused::TooSoon(wait));
    }
    let main = pools::list(&mut tx, tenant)
        .await?
        .into_iter()
        .find(|pool| PoolKey::parse(&pool.pool_key).is_ok_and(|k| !k.is_assignment_pool()));
    let mut alert = NewAlert::new(AlertKind::Test, format!("test:{email}:{now}"), now);
    alert.requested_by = Some(email.to_string());
    if let Some(pool) = main {
        alert.pool_id = Some(pool.id);
        alert.purchased = Some(pool.purchased);
        alert.consumed = Some(pool.consumed);
        alert.percent = Some(pool.usage().percent_used().floor() as u32);
    }
    let id = raise(&mut tx, tenant, &alert, &[email.to_string()], now)
        .await?
        .ok_or(TestRefused::TooSoon(1))?;
    tx.commit().await?;
    Ok(id)
}

/// Queues a failed or dead email again (the admin console's resend), recording who did it in
/// the audit log; false when there is no such email or it was not given up.
pub async fn resend(db: &Db, outbox_id: i64, actor: &str, now: i64) -> Result<bool, AppError> {
    let mut tx = db.begin().await?;
    let Some((tenant, state)) = alerts::email_owner(&mut tx, outbox_id).await? else {
        return Ok(false);
    };
    let done = outbox::resend(&mut tx, outbox_id, now).await?;
    if done {
        let change = audit::Change::new(Some(TenantId(tenant)), actor, "email.resend", now)
            .before(serde_json::json!({ "email": outbox_id, "state": state }))
            .after(serde_json::json!({ "email": outbox_id, "state": "queued" }));
        audit::record(&mut tx, &change).await?;
    }
    tx.commit().await?;
    Ok(done)
}

/// Marks every queued email delivered (`tally demo`: its history's alerts went out when they
/// happened).
pub async fn mark_all_delivered(db: &Db) -> Result<u64, AppError> {
    let mut tx = db.begin().await?;
    let marked = outbox::mark_all_delivered(&mut tx).await?;
    tx.commit().await?;
    Ok(marked)
}

/// The outbox and the alert log in numbers, across tenants (`/metrics`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    /// Emails per delivery state, every state listed.
    pub emails: Vec<(DeliveryState, i64)>,
    /// Queued emails that failed before and wait for another attempt.
    pub retrying: i64,
    /// Alerts per kind, every kind listed.
    pub alerts: Vec<(AlertKind, i64)>,
}

pub async fn stats(db: &Db) -> Result<Stats, AppError> {
    let mut conn = db.conn().await?;
    let (states, retrying) = outbox::depth(&mut conn).await?;
    let kinds = alerts::count_by_kind(&mut conn).await?;
    let count = |list: &[(String, i64)], name: &str| {
        list.iter().find(|(n, _)| n == name).map_or(0, |(_, c)| *c)
    };
    Ok(Stats {
        emails: DeliveryState::ALL
            .iter()
            .map(|s| (*s, count(&states, s.as_str())))
            .collect(),
        retrying,
        alerts: AlertKind::ALL
            .iter()
            .map(|k| (*k, count(&kinds, k.as_str())))
            .collect(),
    })
}
