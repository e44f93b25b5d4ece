use leptos::prelude::*;
use leptos::server_fn::codec::Postcard;

use crate::error::AppError;
use crate::model::overview::SubscriptionOverview;

/// The signed-in tenant administrator's subscription: header, contacts and pool summary. With
/// `view_as` (a slug), a super administrator's read-only view of that tenant's, audited.
#[server(prefix = "/fn", endpoint = "subscription/overview", output = Postcard)]
pub async fn get_subscription_overview(
    view_as: Option<String>,
) -> Result<SubscriptionOverview, AppError> {
    use crate::server::{auth, service};
    let state = auth::state()?;
    let now = chrono::Utc::now();
    let locale = crate::server::language::current();
    // A tenant administrator's own tab: the session lookup read the tenant's revision.
    let own = auth::current().and_then(|identity| match identity.role {
        auth::Role::Tenant { revision, .. } if view_as.is_none() => Some(revision),
        _ => None,
    });
    let tenant = auth::reading_tenant(&state.db, view_as, Some("subscription")).await?;
    match own {
        Some(revision) => {
            service::subscription::overview_kept(
                &state.db,
                &state.overviews,
                tenant,
                revision,
                now,
                locale,
            )
            .await
        }
        None => service::subscription::overview(&state.db, tenant, now, locale).await,
    }
}

/// One page of the License Consumption History, as the URL asks.
#[server(prefix = "/fn", endpoint = "subscription/history", output = Postcard)]
pub async fn get_history_page(
    // The first page has every field empty, and an empty struct is sent as nothing at all.
    #[server(default)] query: crate::model::history::HistoryQuery,
    view_as: Option<String>,
) -> Result<crate::model::history::HistoryPage, AppError> {
    use crate::server::{auth, service};
    let state = auth::state()?;
    let tenant = auth::reading_tenant(&state.db, view_as, Some("history")).await?;
    service::history::page(&state.db, tenant, query, crate::server::language::current()).await
}

/// The conversations of a user or a session, with one opened.
#[server(prefix = "/fn", endpoint = "conversations", output = Postcard)]
pub async fn get_conversations(
    user: Option<String>,
    session: Option<String>,
    open: Option<String>,
) -> Result<crate::model::conversation::ConversationsPage, AppError> {
    use crate::server::{auth, service};
    let (tenant, _) = auth::require_tenant_admin()?;
    let state = auth::state()?;
    service::conversations::page(
        &state.db,
        tenant,
        user.as_deref(),
        session.as_deref(),
        open.as_deref(),
        crate::server::language::current(),
    )
    .await
}

/// Today in the signed-in administrator's tenant's time zone (`YYYY-MM-DD`): where the default
/// report ranges end.
#[server(prefix = "/fn", endpoint = "subscription/today", output = Postcard)]
pub async fn get_tenant_today() -> Result<String, AppError> {
    use crate::server::{auth, service::tenants};
    let (tenant, _) = auth::require_tenant_admin()?;
    let state = auth::state()?;
    Ok(tenants::today(&state.db, tenant).await?.to_string())
}

/// A page of the signed-in administrator's tenant's alert log, newest first, before alert id
/// `before`.
#[server(prefix = "/fn", endpoint = "subscription/alerts", output = Postcard)]
pub async fn get_alert_page(
    before: Option<i64>,
    limit: i64,
) -> Result<crate::model::alert::AlertPage, AppError> {
    use crate::server::{auth, service};
    let (tenant, _) = auth::require_tenant_admin()?;
    let state = auth::state()?;
    service::alerts::log::page(
        &state.db,
        Some(tenant),
        before,
        limit,
        crate::server::language::current(),
    )
    .await
}
