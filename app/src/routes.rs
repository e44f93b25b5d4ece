//! The route table.

use leptos::prelude::*;
use leptos_router::components::{Route, Routes};
use leptos_router::{SsrMode, path};

use crate::pages::{
    admin::AdminAlertsPage, admin::AdminHome, alerts::AlertsPage, audit::AdminAuditPage,
    bulk::BulkPage, conversations::ConversationsPageView, download::DownloadPage,
    history::HistoryPageView, invite::InvitePage, login::LoginPage, login::LogoutPage,
    not_found::NotFound, subscription::SubscriptionPage, supers::SupersPage,
    tenant_console::TenantConsolePage, view_as::ViewAsHistory, view_as::ViewAsSubscription,
};

/// Every page. Pages render whole on the server (`SsrMode::Async`) so they read the same
/// without JavaScript.
#[component]
pub fn AppRoutes() -> impl IntoView {
    view! {
        <Routes fallback=NotFound>
            <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
            <Route path=path!("/logout") view=LogoutPage ssr=SsrMode::Async />
            <Route path=path!("/invite") view=InvitePage ssr=SsrMode::Async />
            <Route path=path!("/settings/subscription") view=SubscriptionPage ssr=SsrMode::Async />
            <Route path=path!("/settings/subscription/history") view=HistoryPageView ssr=SsrMode::Async />
            <Route path=path!("/settings/subscription/alerts") view=AlertsPage ssr=SsrMode::Async />
            <Route path=path!("/settings/subscription/download") view=DownloadPage ssr=SsrMode::Async />
            <Route path=path!("/conversations") view=ConversationsPageView ssr=SsrMode::Async />
            <Route path=path!("/admin") view=AdminHome ssr=SsrMode::Async />
            <Route path=path!("/admin/alerts") view=AdminAlertsPage ssr=SsrMode::Async />
            <Route path=path!("/admin/audit") view=AdminAuditPage ssr=SsrMode::Async />
            <Route path=path!("/admin/administrators") view=SupersPage ssr=SsrMode::Async />
            <Route path=path!("/admin/tenants/:slug/assignments") view=BulkPage ssr=SsrMode::Async />
            <Route path=path!("/admin/tenants/:slug/view") view=ViewAsSubscription ssr=SsrMode::Async />
            <Route path=path!("/admin/tenants/:slug/view/history") view=ViewAsHistory ssr=SsrMode::Async />
            <Route path=path!("/admin/tenants/:slug") view=TenantConsolePage ssr=SsrMode::Async />
        </Routes>
    }
}
