use leptos::prelude::*;

use crate::error::AppError;
use crate::model::overview::SubscriptionOverview;

/// The signed-in tenant administrator's subscription: header, contacts and pool summary.
#[server(prefix = "/fn", endpoint = "subscription/overview")]
pub async fn get_subscription_overview() -> Result<SubscriptionOverview, AppError> {
    use crate::server::{auth, service};
    let (tenant, _) = auth::require_tenant_admin()?;
    let state = auth::state()?;
    service::subscription::overview(&state.db, tenant, chrono::Utc::now().date_naive()).await
}
