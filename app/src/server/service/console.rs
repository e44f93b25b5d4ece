//! What the super administrator's console reads of one tenant. Its changes go through the
//! services that own them (`tenants`, `refills`, `api_keys`).

use super::super::db::{
    Conn, Db, alerts, api_keys, now_ms, pools, shown_once, subscriptions, tenants,
};
use super::super::{language, zone};
use crate::error::AppError;
use crate::model::console::{
    AdministratorEntry, ApiKeyEntry, ConsolePool, LedgerEntry, StateChange, SupersConsole,
    TenantConsole,
};
use crate::model::tenant::{TenantListItem, TenantPage, TenantQuery};
use crate::model::{Locale, PoolKey, TenantId};

/// How many ledger rows the tenant page lists.
const LEDGER_ROWS: i64 = 20;

/// The tenant page of the console for `slug`, as the super administrator `administrator`
/// reads it in `locale`, with a key they have just made (taken: shown this once).
pub async fn tenant(
    db: &Db,
    slug: &str,
    administrator: i64,
    locale: Locale,
) -> Result<TenantConsole, AppError> {
    let mut conn = db.conn().await?;
    let row = tenants::by_slug(&mut conn, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let tenant = row.tenant_id();
    let sub = subscriptions::get(&mut conn, tenant)
        .await?
        .ok_or(AppError::NotFound)?;
    let tz = zone::parse(&row.time_zone);
    let at = |ms: i64| language::date_time(locale, tz, ms);
    let pools = pools::list(&mut conn, tenant)
        .await?
        .into_iter()
        .map(|pool| ConsolePool {
            available: pool.usage().available(),
            percent_used: pool.usage().percent_used(),
            key: pool.pool_key,
            enforcement: pool.enforcement,
            purchased: pool.purchased,
            consumed: pool.consumed,
        })
        .collect();
    let states = tenants::state_changes(&mut conn, tenant)
        .await?
        .into_iter()
        .map(|change| StateChange {
            from: change.from_state.and_then(|s| s.parse().ok()),
            to: change.to_state.parse().unwrap_or(row.state()),
            reason: change.reason,
            by: change.changed_by,
            at: at(change.changed_at),
        })
        .collect();
    let ledger = pools::newest_refills(&mut conn, tenant, LEDGER_ROWS)
        .await?
        .into_iter()
        .map(|r| LedgerEntry {
            at: at(r.refilled_at),
            pool: r.pool_key,
            kind: r.kind,
            delta: r.delta,
            total_after: r.total_after,
            actor: r.actor,
            note: r.note,
        })
        .collect();
    let keys = api_keys::list(&mut conn, tenant)
        .await?
        .into_iter()
        .map(|k| ApiKeyEntry {
            id: k.id,
            name: k.name,
            prefix: k.prefix,
            created_at: at(k.created_at),
            created_by: k.created_by,
            last_used_at: k.last_used_at.map(at),
            revoked_at: k.revoked_at.map(at),
            revoked_by: k.revoked_by,
            revoked_reason: k.revoked_reason,
        })
        .collect();
    let subject = super::api_keys::shown_subject(tenant);
    let new_key = shown_once::take(&mut conn, administrator, &subject, now_ms()).await?;
    let administrators = administrators(&mut conn, Some(tenant), &at).await?;
    let subject = super::onboarding::shown_subject(Some(tenant));
    let invitation = shown_once::take(&mut conn, administrator, &subject, now_ms()).await?;
    Ok(TenantConsole {
        state: row.state(),
        license_model: sub.license_model,
        locale: row.locale.parse().unwrap_or(Locale::En),
        contract_start: sub.contract_start.to_string(),
        contract_end: sub.contract_end.to_string(),
        contract: super::contract::form_of(&sub),
        slug: row.slug,
        name: row.name,
        time_zone: row.time_zone,
        pools,
        states,
        ledger,
        keys,
        new_key,
        invitation,
        administrators,
    })
}

/// The tenant's administrators (`None`: the super administrators), by email.
async fn administrators(
    conn: &mut Conn,
    tenant: Option<TenantId>,
    at: &impl Fn(i64) -> String,
) -> Result<Vec<AdministratorEntry>, AppError> {
    Ok(super::super::db::administrators::for_tenant(conn, tenant)
        .await?
        .into_iter()
        .map(|a| AdministratorEntry {
            id: a.id,
            invited: !a.has_password(),
            email: a.email,
            created_at: at(a.created_at),
            disabled: a.disabled_at.is_some(),
        })
        .collect())
}

/// The super administrators as `administrator` reads them in `locale`, with the invitation
/// link they have just made (taken: shown this once).
pub async fn supers(
    db: &Db,
    administrator: i64,
    locale: Locale,
) -> Result<SupersConsole, AppError> {
    let mut conn = db.conn().await?;
    let at = |ms: i64| language::date_time(locale, zone::parse("UTC"), ms);
    let administrators = administrators(&mut conn, None, &at).await?;
    let subject = super::onboarding::shown_subject(None);
    let invitation = shown_once::take(&mut conn, administrator, &subject, now_ms()).await?;
    Ok(SupersConsole {
        administrators,
        invitation,
    })
}

/// Tenants per page of the list.
const TENANTS_PAGE: i64 = 25;

/// A page of the console's tenant list as the query asks, by slug: each with its main pool's
/// percent used and projected run-out day, and its newest alert.
pub async fn tenants(db: &Db, query: &TenantQuery, locale: Locale) -> Result<TenantPage, AppError> {
    let text = |value: &str| Some(value.trim().to_string()).filter(|v| !v.is_empty());
    let search = tenants::Search {
        // As the history's search: a longer text finds nothing more, and SQLite refuses a
        // LIKE pattern past 50,000 bytes.
        text: text(&query.q).map(|q| q.chars().take(200).collect()),
        state: text(&query.state).and_then(|s| s.parse().ok()),
        model: text(&query.model).and_then(|m| m.parse().ok()),
    };
    let after = text(&query.after);
    let mut conn = db.conn().await?;
    let mut rows = tenants::search(&mut conn, &search, after.as_deref(), TENANTS_PAGE + 1).await?;
    let next =
        (rows.len() as i64 > TENANTS_PAGE).then(|| rows[TENANTS_PAGE as usize - 1].slug.clone());
    rows.truncate(TENANTS_PAGE as usize);
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let tenant = TenantId(row.id);
        let tz = zone::parse(&row.time_zone);
        let model = row
            .license_model
            .parse()
            .unwrap_or(crate::model::LicenseModel::UserBased);
        let contract = (row.contract_start.parse(), row.contract_end.parse());
        let main = PoolKey::main_pools(model).into_iter().next();
        let pool = match &main {
            Some(key) => pools::by_key(&mut conn, tenant, key.as_str()).await?,
            None => None,
        };
        let main_pool = match (pool, contract) {
            (Some(pool), (Ok(start), Ok(end))) => {
                let today = zone::today(tz, chrono::Utc::now());
                let out = super::alerts::scheduled::runs_out(
                    &mut conn,
                    tenant,
                    &pool,
                    today,
                    (start, end),
                )
                .await?;
                Some((
                    pool.pool_key.clone(),
                    pool.usage().percent_used(),
                    out.map(|d| d.to_string()),
                ))
            }
            _ => None,
        };
        let last_alert = alerts::latest(&mut conn, tenant)
            .await?
            .map(|(kind, at)| (kind, language::date_time(locale, tz, at)));
        items.push(TenantListItem {
            state: row
                .state
                .parse()
                .unwrap_or(crate::model::TenantState::Suspended),
            slug: row.slug,
            name: row.name,
            license_model: model,
            main_pool,
            last_alert,
        });
    }
    Ok(TenantPage { items, next })
}
