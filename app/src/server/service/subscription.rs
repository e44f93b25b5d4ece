//! What a tenant administrator reads on the Subscription tab.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::model::TenantId;

use super::super::db::{
    Db, audit, contacts, contacts::ContactKind, pools, subscriptions, transactions,
};
use super::super::language;
use crate::domain::forecast::forecast;
use crate::error::AppError;
use crate::model::overview::{
    ALERTS_SHOWN, ChartDates, PURCHASES_SHOWN, PoolChart, PoolSummary, Purchase,
    SubscriptionOverview,
};
use crate::model::{Locale, PoolKey};

/// Overviews read at a tenant's revision (migration 0007), one per tenant and language. The
/// tab is the page tenant administrators open most, and it reads the database seven times;
/// while the revision stands (no write since to anything the tab shows, from this instance or
/// another) and the day in the tenant's zone is the same, what was read is what would be read
/// again.
#[derive(Default)]
pub struct Kept(std::sync::Mutex<HashMap<(TenantId, Locale), KeptOverview>>);

struct KeptOverview {
    revision: i64,
    zone: chrono_tz::Tz,
    today: NaiveDate,
    overview: SubscriptionOverview,
}

/// More tenants than this kept at once (a console visiting every tenant, say): start over.
const KEPT_MOST: usize = 1024;

/// [`overview`], answered from `kept` while the tenant is at `revision` (what the session was
/// looked up at) and its day has not turned.
///
/// Whether the tenant has any transactions (the tab's link to the list of transactions) is read
/// each time: a transaction does not move the revision, as one trigger per event would slow
/// ingestion.
pub async fn overview_kept(
    db: &Db,
    kept: &Kept,
    tenant: TenantId,
    revision: i64,
    now: chrono::DateTime<chrono::Utc>,
    locale: Locale,
) -> Result<SubscriptionOverview, AppError> {
    let hit = {
        let map = kept
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.get(&(tenant, locale))
            .filter(|k| k.revision == revision && k.today == super::super::zone::today(k.zone, now))
            .map(|k| k.overview.clone())
    };
    if let Some(mut overview) = hit {
        if !overview.has_transactions {
            let mut conn = db.conn().await?;
            overview.has_transactions = transactions::any(&mut conn, tenant).await?;
        }
        return Ok(overview);
    }
    let (overview, zone, today) = read(db, tenant, now, locale).await?;
    let mut map = kept
        .0
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if map.len() >= KEPT_MOST {
        map.clear();
    }
    map.insert(
        (tenant, locale),
        KeptOverview {
            revision,
            zone,
            today,
            overview: overview.clone(),
        },
    );
    Ok(overview)
}

/// The header, contacts and summary of every pool, main pools first.
pub async fn overview(
    db: &Db,
    tenant: TenantId,
    now: chrono::DateTime<chrono::Utc>,
    locale: Locale,
) -> Result<SubscriptionOverview, AppError> {
    Ok(read(db, tenant, now, locale).await?.0)
}

/// [`overview`], with the tenant's zone and its day then.
async fn read(
    db: &Db,
    tenant: TenantId,
    now: chrono::DateTime<chrono::Utc>,
    locale: Locale,
) -> Result<(SubscriptionOverview, chrono_tz::Tz, NaiveDate), AppError> {
    let mut conn = db.conn().await?;
    let (row, sub) = subscriptions::with_tenant(&mut conn, tenant)
        .await?
        .ok_or(AppError::NotFound)?;
    let (technical_emails, billing_emails) = contacts::both(&mut conn, tenant).await?;
    let mut pools: Vec<(PoolKey, pools::PoolRow)> = pools::list(&mut conn, tenant)
        .await?
        .into_iter()
        .filter_map(|pool| PoolKey::parse(&pool.pool_key).ok().map(|key| (key, pool)))
        .collect();
    pools.sort_by(|(a, _), (b, _)| a.display_order().cmp(&b.display_order()));
    let zone = super::super::zone::parse(&row.time_zone);
    let mut purchases: Vec<Purchase> =
        pools::newest_refills(&mut conn, tenant, PURCHASES_SHOWN as i64 + 1)
            .await?
            .into_iter()
            .map(|refill| Purchase {
                date: language::date_time(locale, zone, refill.refilled_at),
                pool: PoolKey::parse(&refill.pool_key)
                    .map_or(refill.pool_key.clone(), |k| k.label()),
                kind: refill.kind,
                delta: refill.delta,
                total_after: refill.total_after,
            })
            .collect();
    let older_purchases = purchases.len() > PURCHASES_SHOWN;
    purchases.truncate(PURCHASES_SHOWN);
    let license_model = sub.license_model;
    let has_transactions = license_model == crate::model::LicenseModel::TransactionBased
        || transactions::any(&mut conn, tenant).await?;
    let today = super::super::zone::today(zone, now);
    let contract = (sub.contract_start, sub.contract_end);
    let mut daily = super::alerts::scheduled::daily_by_pool(
        &mut conn,
        tenant,
        sub.contract_start,
        today.min(sub.contract_end),
    )
    .await?;
    let charts = pools
        .iter()
        .filter(|(key, _)| !key.is_assignment_pool())
        .map(|(key, pool)| {
            let days = daily.remove(&pool.id).unwrap_or_default();
            chart(key, pool, &days, today, contract, locale)
        })
        .collect();
    let alerts = super::alerts::log::search_on(
        &mut conn,
        super::super::db::alerts::Filter {
            tenant: Some(tenant),
            ..Default::default()
        },
        None,
        ALERTS_SHOWN,
        locale,
    )
    .await?
    .entries;
    let days_left = (sub.contract_end - today).num_days().max(0);
    let overview = SubscriptionOverview {
        tenant_name: row.name.clone(),
        state: row.state(),
        license_model,
        contract_start: language::date(locale, sub.contract_start),
        contract_end: language::date(locale, sub.contract_end),
        days_left,
        session_minutes: sub.session_minutes,
        technical_emails,
        billing_emails,
        pools: pools
            .into_iter()
            .map(|(key, pool)| {
                let usage = pool.usage();
                PoolSummary {
                    label: key.label(),
                    group: key.group(),
                    key: pool.pool_key,
                    enforcement: pool.enforcement,
                    purchased: usage.purchased,
                    consumed: usage.consumed,
                    available: usage.available(),
                    overage: usage.overage(),
                    percent_used: usage.percent_used(),
                }
            })
            .collect(),
        purchases,
        older_purchases,
        today: today.to_string(),
        charts,
        has_transactions,
        thresholds: sub.thresholds.as_slice().to_vec(),
        alerts,
    };
    Ok((overview, zone, today))
}

/// One main pool's chart from its `daily` consumption: every day of the contract up to today,
/// and the forecast.
fn chart(
    key: &PoolKey,
    pool: &pools::PoolRow,
    daily: &[(NaiveDate, i64)],
    today: NaiveDate,
    (start, end): (NaiveDate, NaiveDate),
    locale: Locale,
) -> PoolChart {
    let last = today.min(end);
    let span = usize::try_from((last - start).num_days() + 1).unwrap_or(0);
    let mut days = vec![0; span];
    for (day, n) in daily {
        if let Some(slot) = usize::try_from((*day - start).num_days())
            .ok()
            .and_then(|i| days.get_mut(i))
        {
            *slot += n;
        }
    }
    let forecast = forecast(daily, pool.consumed, pool.purchased, today, (start, end));
    PoolChart {
        key: pool.pool_key.clone(),
        label: key.label(),
        contract_start: start,
        contract_end: end,
        days,
        dates: ChartDates {
            start: language::date(locale, start),
            end: language::date(locale, end),
            runs_out: forecast.runs_out.map(|day| language::date(locale, day)),
        },
        forecast,
    }
}

/// Both contact lists as typed, each refused with its own messages.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContactErrors {
    pub technical: crate::model::email::ListErrors,
    pub billing: crate::model::email::ListErrors,
}

/// Why contacts were not saved.
#[derive(Debug)]
pub enum SaveContactsError {
    Invalid(ContactErrors),
    Store(AppError),
}

impl From<sqlx::Error> for SaveContactsError {
    fn from(error: sqlx::Error) -> Self {
        Self::Store(error.into())
    }
}

/// Replaces the technical and billing lists when every address in both is valid (nothing is
/// saved otherwise), recording before and after in the audit log when anything changed.
pub async fn save_contacts(
    db: &Db,
    tenant: TenantId,
    actor: &str,
    technical: &[String],
    billing: &[String],
) -> Result<(), SaveContactsError> {
    use crate::model::email::parse_list;
    let (technical, billing) = match (parse_list(technical), parse_list(billing)) {
        (Ok(t), Ok(b)) => (t, b),
        (t, b) => {
            return Err(SaveContactsError::Invalid(ContactErrors {
                technical: t.err().unwrap_or_default(),
                billing: b.err().unwrap_or_default(),
            }));
        }
    };
    let strings = |list: Vec<crate::model::EmailAddress>| {
        list.into_iter()
            .map(|a| a.as_str().to_string())
            .collect::<Vec<_>>()
    };
    let (technical, billing) = (strings(technical), strings(billing));
    let mut tx = db.begin().await?;
    let (technical_before, billing_before) = contacts::both(&mut tx, tenant).await?;
    let before = serde_json::json!({ "technical": technical_before, "billing": billing_before });
    let after = serde_json::json!({ "technical": technical, "billing": billing });
    if before != after {
        contacts::replace(&mut tx, tenant, ContactKind::Technical, &technical).await?;
        contacts::replace(&mut tx, tenant, ContactKind::Billing, &billing).await?;
        let now = super::super::db::now_ms();
        let change = audit::Change::new(Some(tenant), actor, "contacts.update", now)
            .before(before)
            .after(after);
        audit::record(&mut tx, &change).await?;
    }
    tx.commit().await?;
    Ok(())
}
