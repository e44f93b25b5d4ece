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
/// needs neither, and no one downloads the console to see a tenant page.
///
/// `page_file!(loader, preload, Pages { Route => Page, .. })` makes one file: the `#[lazy]`
/// function `loader` (each becomes a file; code two of them share goes into a file of its own)
/// renders any of its pages, named by the enum `Pages`, and each `Route` is a lazy route to its
/// page. The router awaits `preload` before it hydrates the first page, and `view` must then
/// find the file loaded: hydration cannot wait in the middle.
macro_rules! page_file {
    ($loader:ident, $preload:ident, $pages:ident { $($route:ident => $page:ident),* $(,)? }) => {
        #[derive(Clone, Copy)]
        #[repr(u8)]
        enum $pages {
            $($page),*
        }

        #[lazy]
        fn $loader(page: $pages) -> AnyView {
            match page {
                $($pages::$page => view! { <$page /> }.into_any()),*
            }
        }

        $(
            struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    Self
                }

                async fn view(_this: Self) -> AnyView {
                    $loader($pages::$page).await
                }

                async fn preload() {
                    #[cfg(feature = "hydrate")]
                    $preload().await;
                }
            }
        )*
    };
}

page_file!(tenant_page, __preload_tenant_page, TenantFile {
    InviteRoute => InvitePage,
    SubscriptionRoute => SubscriptionPage,
    HistoryRoute => HistoryPageView,
    AlertsRoute => AlertsPage,
    DownloadRoute => DownloadPage,
    ConversationsRoute => ConversationsPageView,
});

page_file!(console_page, __preload_console_page, ConsoleFile {
    AdminHomeRoute => AdminHome,
    AdminAlertsRoute => AdminAlertsPage,
    AdminAuditRoute => AdminAuditPage,
    SupersRoute => SupersPage,
    BulkRoute => BulkPage,
    ViewAsSubscriptionRoute => ViewAsSubscription,
    ViewAsHistoryRoute => ViewAsHistory,
    TenantConsoleRoute => TenantConsolePage,
});

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
