//! The route table.

use leptos::prelude::*;
use leptos_router::components::{Route, Routes};
use leptos_router::{Lazy, LazyRoute, SsrMode, path};

use crate::pages::{
    admin::AdminAlertsPage, admin::AdminHome, alerts::AlertsPage, audit::AdminAuditPage,
    bulk::BulkPage, conversations::ConversationsPageView, download::DownloadPage,
    history::HistoryPageView, invite::InvitePage, login::LoginPage, login::LogoutPage,
    not_found::NotFound, subscription::SubscriptionPage, supers::SupersPage,
    tenant_console::TenantConsolePage, view_as::ViewAsHistory, view_as::ViewAsSubscription,
};

/// The pages behind the sign-in, in two wasm files the browser loads when it first needs one
/// of their pages (`cargo leptos build --split`): the tenant administrators' pages, and the
/// super administrators' console, which tenant administrators never open. The sign-in page
/// needs neither, and no one downloads the console to see a tenant page. One loader per file:
/// each `#[lazy]` function becomes a file, and code two of them share a file of its own.
#[derive(Clone, Copy)]
#[repr(u8)]
enum TenantPage {
    Invite,
    Subscription,
    History,
    Alerts,
    Download,
    Conversations,
}

#[lazy]
fn tenant_page(page: TenantPage) -> AnyView {
    match page {
        TenantPage::Invite => view! { <InvitePage /> }.into_any(),
        TenantPage::Subscription => view! { <SubscriptionPage /> }.into_any(),
        TenantPage::History => view! { <HistoryPageView /> }.into_any(),
        TenantPage::Alerts => view! { <AlertsPage /> }.into_any(),
        TenantPage::Download => view! { <DownloadPage /> }.into_any(),
        TenantPage::Conversations => view! { <ConversationsPageView /> }.into_any(),
    }
}

#[derive(Clone, Copy)]
#[repr(u8)]
enum ConsolePage {
    Home,
    Alerts,
    Audit,
    Supers,
    Bulk,
    ViewAsSubscription,
    ViewAsHistory,
    Tenant,
}

#[lazy]
fn console_page(page: ConsolePage) -> AnyView {
    match page {
        ConsolePage::Home => view! { <AdminHome /> }.into_any(),
        ConsolePage::Alerts => view! { <AdminAlertsPage /> }.into_any(),
        ConsolePage::Audit => view! { <AdminAuditPage /> }.into_any(),
        ConsolePage::Supers => view! { <SupersPage /> }.into_any(),
        ConsolePage::Bulk => view! { <BulkPage /> }.into_any(),
        ConsolePage::ViewAsSubscription => view! { <ViewAsSubscription /> }.into_any(),
        ConsolePage::ViewAsHistory => view! { <ViewAsHistory /> }.into_any(),
        ConsolePage::Tenant => view! { <TenantConsolePage /> }.into_any(),
    }
}

/// A route whose view comes from one of the loaders above.
/// The router awaits `preload` before it hydrates the first page, and `view` must then find
/// the file loaded: hydration cannot wait in the middle.
macro_rules! lazy_page {
    ($($route:ident => $loader:ident($page:expr), $preload:ident;)*) => {$(
        struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            async fn view(_this: Self) -> AnyView {
                $loader($page).await
            }

            async fn preload() {
                #[cfg(feature = "hydrate")]
                $preload().await;
            }
        }
    )*};
}

lazy_page! {
    InviteRoute => tenant_page(TenantPage::Invite), __preload_tenant_page;
    SubscriptionRoute => tenant_page(TenantPage::Subscription), __preload_tenant_page;
    HistoryRoute => tenant_page(TenantPage::History), __preload_tenant_page;
    AlertsRoute => tenant_page(TenantPage::Alerts), __preload_tenant_page;
    DownloadRoute => tenant_page(TenantPage::Download), __preload_tenant_page;
    ConversationsRoute => tenant_page(TenantPage::Conversations), __preload_tenant_page;
    AdminHomeRoute => console_page(ConsolePage::Home), __preload_console_page;
    AdminAlertsRoute => console_page(ConsolePage::Alerts), __preload_console_page;
    AdminAuditRoute => console_page(ConsolePage::Audit), __preload_console_page;
    SupersRoute => console_page(ConsolePage::Supers), __preload_console_page;
    BulkRoute => console_page(ConsolePage::Bulk), __preload_console_page;
    ViewAsSubscriptionRoute => console_page(ConsolePage::ViewAsSubscription), __preload_console_page;
    ViewAsHistoryRoute => console_page(ConsolePage::ViewAsHistory), __preload_console_page;
    TenantConsoleRoute => console_page(ConsolePage::Tenant), __preload_console_page;
}

/// Every page. Pages render whole on the server (`SsrMode::Async`) so they read the same
/// without JavaScript.
#[component]
pub fn AppRoutes() -> impl IntoView {
    view! {
        <Routes fallback=NotFound>
            <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
            <Route path=path!("/logout") view=LogoutPage ssr=SsrMode::Async />
            <Route path=path!("/invite") view={Lazy::<InviteRoute>::new()} ssr=SsrMode::Async />
            <Route path=path!("/settings/subscription") view={Lazy::<SubscriptionRoute>::new()} ssr=SsrMode::Async />
            <Route path=path!("/settings/subscription/history") view={Lazy::<HistoryRoute>::new()} ssr=SsrMode::Async />
            <Route path=path!("/settings/subscription/alerts") view={Lazy::<AlertsRoute>::new()} ssr=SsrMode::Async />
            <Route path=path!("/settings/subscription/download") view={Lazy::<DownloadRoute>::new()} ssr=SsrMode::Async />
            <Route path=path!("/conversations") view={Lazy::<ConversationsRoute>::new()} ssr=SsrMode::Async />
            <Route path=path!("/admin") view={Lazy::<AdminHomeRoute>::new()} ssr=SsrMode::Async />
            <Route path=path!("/admin/alerts") view={Lazy::<AdminAlertsRoute>::new()} ssr=SsrMode::Async />
            <Route path=path!("/admin/audit") view={Lazy::<AdminAuditRoute>::new()} ssr=SsrMode::Async />
            <Route path=path!("/admin/administrators") view={Lazy::<SupersRoute>::new()} ssr=SsrMode::Async />
            <Route path=path!("/admin/tenants/:slug/assignments") view={Lazy::<BulkRoute>::new()} ssr=SsrMode::Async />
            <Route path=path!("/admin/tenants/:slug/view") view={Lazy::<ViewAsSubscriptionRoute>::new()} ssr=SsrMode::Async />
            <Route path=path!("/admin/tenants/:slug/view/history") view={Lazy::<ViewAsHistoryRoute>::new()} ssr=SsrMode::Async />
            <Route path=path!("/admin/tenants/:slug") view={Lazy::<TenantConsoleRoute>::new()} ssr=SsrMode::Async />
        </Routes>
    }
}
