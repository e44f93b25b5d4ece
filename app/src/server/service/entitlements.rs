//! What a tenant's platform may use now: the same counters the Subscription page shows, with
//! the enforcement decision of each pool.

use crate::model::TenantId;
use serde::Serialize;
use utoipa::ToSchema;

use super::super::db::{Db, pools, tenants};
use crate::domain::usage::entitlement;
use crate::error::AppError;
use crate::model::TenantState;

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PoolEntitlement {
    pub pool: String,
    pub purchased: i64,
    pub consumed: i64,
    /// Never below zero; usage past the purchase is overage.
    pub available: i64,
    pub percent_used: f64,
    /// `hard` or `soft`.
    pub enforcement: String,
    pub allowed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Entitlements {
    pub state: TenantState,
    pub pools: Vec<PoolEntitlement>,
}

/// The answer to a license check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Check {
    pub allowed: bool,
    /// `available`, `overage_allowed`, `exhausted`, `unknown_pool`, `tenant_suspended`,
    /// `tenant_canceled` or `tenant_expired`.
    pub reason: String,
}

/// Every pool of the tenant with what it allows.
pub async fn entitlements(db: &Db, tenant: TenantId) -> Result<Entitlements, AppError> {
    let mut conn = db.conn().await?;
    let state = tenants::get(&mut conn, tenant)
        .await?
        .ok_or(AppError::NotFound)?
        .state();
    let pools = pools::list(&mut conn, tenant)
        .await?
        .into_iter()
        .map(|pool| {
            let usage = pool.usage();
            PoolEntitlement {
                allowed: entitlement(state, &pool.enforcement, usage).0,
                pool: pool.pool_key,
                purchased: usage.purchased,
                consumed: usage.consumed,
                available: usage.available(),
                percent_used: usage.percent_used(),
                enforcement: pool.enforcement,
            }
        })
        .collect();
    Ok(Entitlements { state, pools })
}

/// Whether one license of `pool` may be used now; `None` when the tenant holds no such pool.
pub async fn check(
    db: &Db,
    tenant: TenantId,
    pool: &str,
) -> Result<(TenantState, Option<Check>), AppError> {
    let mut conn = db.conn().await?;
    let state = tenants::get(&mut conn, tenant)
        .await?
        .ok_or(AppError::NotFound)?
        .state();
    let answer = pools::by_key(&mut conn, tenant, pool).await?.map(|pool| {
        let usage = pool.usage();
        let (allowed, reason) = entitlement(state, &pool.enforcement, usage);
        Check {
            allowed,
            reason: reason.into(),
        }
    });
    Ok((state, answer))
}
