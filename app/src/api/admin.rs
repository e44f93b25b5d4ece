use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A tenant as the super administrator's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantListItem {
    pub slug: String,
    pub name: String,
    pub state: String,
}

/// Every tenant, for super administrators only.
#[server(prefix = "/fn", endpoint = "admin/tenants")]
pub async fn list_tenants() -> Result<Vec<TenantListItem>, AppError> {
    use crate::server::{auth, db};
    auth::require_super()?;
    let state = auth::state()?;
    let mut conn = state.db.conn().await?;
    Ok(db::tenants::list(&mut conn)
        .await?
        .into_iter()
        .map(|t| TenantListItem {
            slug: t.slug,
            name: t.name,
            state: t.state,
        })
        .collect())
}
