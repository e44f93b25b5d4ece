//! A tenant's own pages as a super administrator sees them from the console: its Subscription
//! tab and its License Consumption History, read only, under a banner that says whose they are.
//! Each visit is in the audit log.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::i18n::td_string;
use crate::locale::use_locale;
use crate::pages::history::HistoryPageView;
use crate::pages::subscription::SubscriptionPage;
use crate::paths;

/// The tenant (its slug) the pages below are viewed as, provided by the routes under
/// `/admin/tenants/{slug}/view`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ViewAs(String);

/// The slug of the tenant being viewed as, when a super administrator is doing so.
pub fn use_view_as() -> Option<String> {
    use_context::<ViewAs>().map(|v| v.0)
}

/// A tenant page's path as the reader reaches it (see `paths::as_viewed`).
pub fn reach(path: &str) -> String {
    paths::as_viewed(use_view_as().as_deref(), path)
}

fn provide_from_route() {
    let slug = use_params_map().with_untracked(|p| p.get("slug").unwrap_or_default());
    provide_context(ViewAs(slug));
}

/// The banner over a page viewed as its tenant: whose it is, read only, and the way back.
#[component]
pub fn ViewAsBanner() -> impl IntoView {
    let l = use_locale();
    use_view_as().map(|slug| {
        view! {
            <p class="banner view-as" role="status" data-field="view-as">
                {crate::locale::fill(td_string!(l, console.view_as_banner), &[("tenant", &slug)])}" "
                <a href=paths::admin_tenant(&slug) data-action="leave-view">{td_string!(l, console.view_as_leave)}</a>
            </p>
        }
    })
}

#[component]
pub fn ViewAsSubscription() -> impl IntoView {
    provide_from_route();
    view! { <SubscriptionPage /> }
}

#[component]
pub fn ViewAsHistory() -> impl IntoView {
    provide_from_route();
    view! { <HistoryPageView /> }
}
