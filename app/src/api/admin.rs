use leptos::prelude::*;
use leptos::server_fn::codec::Postcard;

use crate::error::AppError;
use crate::model::tenant::{TenantPage, TenantQuery};

/// A page of the tenant list as the URL asks, for super administrators only.
#[server(prefix = "/fn", endpoint = "admin/tenants", output = Postcard)]
pub async fn list_tenants(#[server(default)] query: TenantQuery) -> Result<TenantPage, AppError> {
    use crate::server::{auth, service};
    auth::require_super()?;
    let db = auth::state()?.db.clone();
    service::console::tenants(&db, &query, crate::server::language::current()).await
}

/// A page of the alert and email log across tenants, as the URL asks.
#[server(prefix = "/fn", endpoint = "admin/alerts", output = Postcard)]
pub async fn admin_alert_page(
    #[server(default)] query: crate::model::alert::AlertQuery,
) -> Result<crate::model::alert::AlertPage, AppError> {
    use crate::server::{auth, service};
    auth::require_super()?;
    service::alerts::log::for_console(
        &auth::state()?.db,
        &query,
        crate::server::language::current(),
    )
    .await
}

/// One tenant as the console shows it; a key the viewer just made is in it this once.
#[server(prefix = "/fn", endpoint = "admin/tenant", output = Postcard)]
pub async fn admin_tenant(slug: String) -> Result<crate::model::console::TenantConsole, AppError> {
    use crate::server::{auth, service};
    let identity = auth::require_super()?;
    service::console::tenant(
        &auth::state()?.db,
        &slug,
        identity.administrator_id,
        crate::server::language::current(),
    )
    .await
    .map_err(auth::refuse)
}

/// A page of the audit log across tenants, as the URL asks.
#[server(prefix = "/fn", endpoint = "admin/audit", output = Postcard)]
pub async fn admin_audit_page(
    #[server(default)] query: crate::model::audit::AuditQuery,
) -> Result<crate::model::audit::AuditPage, AppError> {
    use crate::server::{auth, service};
    auth::require_super()?;
    service::audit::page(
        &auth::state()?.db,
        &query,
        crate::server::language::current(),
    )
    .await
}

/// A bulk assignment file of a tenant as previewed now (or as applied).
#[server(prefix = "/fn", endpoint = "admin/bulk", output = Postcard)]
pub async fn admin_bulk_preview(
    slug: String,
    upload: i64,
) -> Result<crate::model::bulk::BulkPreview, AppError> {
    use crate::server::{auth, service};
    auth::require_super()?;
    let db = auth::state()?.db.clone();
    let locale = crate::server::language::current();
    let found = async {
        let tenant = service::tenants::by_slug(&db, &slug).await?;
        service::bulk::preview(&db, tenant, upload, locale).await
    };
    found.await.map_err(auth::refuse)
}

/// The super administrators; an invitation link the viewer just made is in it this once.
#[server(prefix = "/fn", endpoint = "admin/supers", output = Postcard)]
pub async fn admin_supers() -> Result<crate::model::console::SupersConsole, AppError> {
    use crate::server::{auth, service};
    let identity = auth::require_super()?;
    service::console::supers(
        &auth::state()?.db,
        identity.administrator_id,
        crate::server::language::current(),
    )
    .await
}
