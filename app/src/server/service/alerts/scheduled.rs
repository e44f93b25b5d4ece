//! Alerts that time brings rather than usage: contract-end notices and run-out forecasts.
//! Every instance runs the round; the alerts' unique keys make a second instance's attempt a
//! no-op, so running it anywhere, any number of times, announces each once.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::super::super::db::alerts::{self, NewAlert};
use super::super::super::db::subscriptions::{self, SubscriptionRow};
use super::super::super::db::{Conn, Db, daily_usage, pools, tenants};
use super::super::super::zone;
use super::{raise, recipients};
use crate::domain::alerts::{notice_due, run_out_worth_announcing};
use crate::domain::forecast::forecast;
use crate::error::AppError;
use crate::model::alert::AlertKind;
use crate::model::{PoolKey, TenantId};

/// What one round raised.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Round {
    pub contract_notices: usize,
    pub forecasts: usize,
}

/// A pool's net consumption per day in the tenant's zone, from `start` to `last`.
pub async fn daily(
    conn: &mut Conn,
    tenant: TenantId,
    pool_id: i64,
    start: NaiveDate,
    last: NaiveDate,
) -> sqlx::Result<Vec<(NaiveDate, i64)>> {
    Ok(
        daily_usage::between(conn, tenant, pool_id, &start.to_string(), &last.to_string())
            .await?
            .into_iter()
            .filter_map(|(day, n)| day.parse().ok().map(|day| (day, n)))
            .collect(),
    )
}

/// Every pool's net consumption per day in the tenant's zone, from `start` to `last`, by pool
/// id: one query for all the charts of a page.
pub async fn daily_by_pool(
    conn: &mut Conn,
    tenant: TenantId,
    start: NaiveDate,
    last: NaiveDate,
) -> sqlx::Result<HashMap<i64, Vec<(NaiveDate, i64)>>> {
    let mut by_pool: HashMap<i64, Vec<(NaiveDate, i64)>> = HashMap::new();
    for (pool, day, n) in
        daily_usage::all_between(conn, tenant, &start.to_string(), &last.to_string()).await?
    {
        if let Ok(day) = day.parse() {
            by_pool.entry(pool).or_default().push((day, n));
        }
    }
    Ok(by_pool)
}

/// The day `pool` runs out at the recent burn rate (the chart's forecast), seen `today`.
pub async fn runs_out(
    conn: &mut Conn,
    tenant: TenantId,
    pool: &pools::PoolRow,
    today: NaiveDate,
    contract: (NaiveDate, NaiveDate),
) -> sqlx::Result<Option<NaiveDate>> {
    let daily = daily(conn, tenant, pool.id, contract.0, today.min(contract.1)).await?;
    Ok(forecast(&daily, pool.consumed, pool.purchased, today, contract).runs_out)
}

/// Raises the contract-end notices and run-out forecasts due at `now` for every tenant open
/// for usage.
pub async fn run_round(db: &Db, now: DateTime<Utc>) -> Result<Round, AppError> {
    let mut round = Round::default();
    let mut conn = db.conn().await?;
    let open: Vec<tenants::TenantRow> = tenants::list(&mut conn)
        .await?
        .into_iter()
        .filter(|t| t.state().accepts_usage())
        .collect();
    drop(conn);
    for tenant in open {
        let id = tenant.tenant_id();
        let today = zone::today(zone::parse(&tenant.time_zone), now);
        let Some(sub) = subscriptions::get(&mut *db.conn().await?, id).await? else {
            continue;
        };
        if contract_notice(db, id, &sub, today, now).await? {
            round.contract_notices += 1;
        }
        round.forecasts += forecasts(db, id, &sub, today, now).await?;
    }
    Ok(round)
}

/// The nearest contract-end notice due `today`, once per (end date, days).
async fn contract_notice(
    db: &Db,
    tenant: TenantId,
    sub: &SubscriptionRow,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let end = sub.contract_end;
    let Some(days) = notice_due(sub.contract_notice_days.as_slice(), today, end) else {
        return Ok(false);
    };
    let key = format!("contract_end:{end}:{days}");
    if alerts::exists(&mut *db.conn().await?, tenant, &key).await? {
        return Ok(false);
    }
    let now_ms = now.timestamp_millis();
    let mut alert = NewAlert::new(AlertKind::ContractEnd, key, now_ms);
    alert.on_date = Some(end.to_string());
    alert.days = u32::try_from((end - today).num_days()).ok();
    let mut tx = db.begin().await?;
    let to = recipients(&mut tx, tenant).await?;
    let raised = raise(&mut tx, tenant, &alert, &to, now_ms).await?.is_some();
    tx.commit().await?;
    Ok(raised)
}

/// One "projected to run out" alert per main pool per refill cycle, when the run-out comes
/// before the contract ends and within two weeks.
async fn forecasts(
    db: &Db,
    tenant: TenantId,
    sub: &SubscriptionRow,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let mut conn = db.conn().await?;
    let contract = (sub.contract_start, sub.contract_end);
    let mut due = Vec::new();
    for pool in pools::list(&mut conn, tenant).await? {
        if PoolKey::parse(&pool.pool_key).map_or(true, |k| k.is_assignment_pool()) {
            continue;
        }
        let Some(day) = runs_out(&mut conn, tenant, &pool, today, contract).await? else {
            continue;
        };
        let used_up = pool.consumed >= pool.purchased;
        if !run_out_worth_announcing(day, today, contract.1, used_up) {
            continue;
        }
        let cycle = pools::last_refill(&mut conn, pool.id).await?.unwrap_or(0);
        let key = format!("forecast:{}:{cycle}", pool.id);
        if !alerts::exists(&mut conn, tenant, &key).await? {
            due.push((pool, day, key));
        }
    }
    drop(conn);
    if due.is_empty() {
        return Ok(0);
    }
    let now_ms = now.timestamp_millis();
    let mut raised = 0;
    let mut tx = db.begin().await?;
    let to = recipients(&mut tx, tenant).await?;
    for (pool, day, key) in due {
        let mut alert = NewAlert::new(AlertKind::Forecast, key, now_ms);
        alert.pool_id = Some(pool.id);
        alert.on_date = Some(day.to_string());
        alert.purchased = Some(pool.purchased);
        alert.consumed = Some(pool.consumed);
        raised += usize::from(raise(&mut tx, tenant, &alert, &to, now_ms).await?.is_some());
    }
    tx.commit().await?;
    Ok(raised)
}
