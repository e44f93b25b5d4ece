use leptos::prelude::*;

use crate::error::AppError;
use crate::model::tenant::TenantListItem;

/// Every tenant, for super administrators only.
#[server(prefix = "/fn", endpoint = "admin/tenants")]
pub async fn list_tenants() -> Result<Vec<TenantListItem>, AppError> {
    use crate::server::{auth, service};
    auth::require_super()?;
    service::tenants::list(&auth::state()?.db).await
}
