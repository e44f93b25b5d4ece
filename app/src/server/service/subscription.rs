//! What a tenant administrator reads on the Subscription tab.

use chrono::NaiveDate;

use super::super::db::{
    Db, contacts, contacts::ContactKind, pools, subscriptions, tenants, tenants::TenantId,
    transactions,
};
use crate::error::AppError;
use crate::model::PoolKey;
use crate::model::overview::{PoolSummary, Purchase, SubscriptionOverview};

/// The header, contacts and summary of every pool, main pools first.
pub async fn overview(
    db: &Db,
    tenant: TenantId,
    today: NaiveDate,
) -> Result<SubscriptionOverview, AppError> {
    let mut conn = db.pool.acquire().await?;
    let row = tenants::get(&mut conn, tenant)
        .await?
        .ok_or(AppError::NotFound)?;
    let sub = subscriptions::get(&mut conn, tenant)
        .await?
        .ok_or(AppError::NotFound)?;
    let technical_emails = contacts::list(&mut conn, tenant, ContactKind::Technical).await?;
    let billing_emails = contacts::list(&mut conn, tenant, ContactKind::Billing).await?;
    let mut pools: Vec<(PoolKey, pools::PoolRow)> = pools::list(&mut conn, tenant)
        .await?
        .into_iter()
        .filter_map(|pool| PoolKey::parse(&pool.pool_key).ok().map(|key| (key, pool)))
        .collect();
    pools.sort_by(|(a, _), (b, _)| a.display_order().cmp(&b.display_order()));
    let zone = super::super::zone::parse(&row.time_zone);
    let purchases = pools::refills(&mut conn, tenant)
        .await?
        .into_iter()
        .map(|refill| Purchase {
            date: super::super::zone::iso(zone, refill.refilled_at),
            pool: PoolKey::parse(&refill.pool_key).map_or(refill.pool_key.clone(), |k| k.label()),
            kind: refill.kind,
            delta: refill.delta,
            total_after: refill.total_after,
        })
        .collect();
    let license_model: crate::model::LicenseModel = sub
        .license_model
        .parse()
        .map_err(|e: String| AppError::Invalid(e))?;
    let has_transactions = license_model == crate::model::LicenseModel::TransactionBased
        || transactions::any(&mut conn, tenant).await?;
    let days_left = NaiveDate::parse_from_str(&sub.contract_end, "%Y-%m-%d")
        .map(|end| (end - today).num_days().max(0))
        .unwrap_or(0);
    Ok(SubscriptionOverview {
        tenant_name: row.name.clone(),
        state: row.state(),
        license_model,
        contract_start: sub.contract_start,
        contract_end: sub.contract_end,
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
        today: super::super::zone::today(zone, chrono::Utc::now()).to_string(),
        has_transactions,
    })
}
