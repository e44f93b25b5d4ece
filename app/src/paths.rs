//! Every path Tally answers, spelled once. The route table (`routes.rs`) and the OpenAPI
//! attributes need literals; a server test checks that each page path here is served.

/// The sign-in page and form.
pub const LOGIN: &str = "/login";
/// Signing out (a form post; the page asks first).
pub const LOGOUT: &str = "/logout";
/// Accepting an invitation: choosing a password (the page, and its form's target).
pub const INVITE: &str = "/invite";
/// The language switch (a form post).
pub const LANGUAGE: &str = "/language";
/// The tenant administrator's area: everything under it needs one.
pub const SETTINGS: &str = "/settings";
/// Tenant Settings › Subscription.
pub const SUBSCRIPTION: &str = "/settings/subscription";
/// The License Consumption History drill-down.
pub const HISTORY: &str = "/settings/subscription/history";
/// The download confirmation page (without JavaScript).
pub const DOWNLOAD: &str = "/settings/subscription/download";
/// The tenant's alert log.
pub const ALERTS: &str = "/settings/subscription/alerts";
/// "Send me a test alert" (a form post).
pub const TEST_ALERT: &str = "/settings/subscription/alerts/test";
/// The Contact Details form's target.
pub const CONTACTS: &str = "/settings/subscription/contacts";
/// The history download.
pub const HISTORY_CSV: &str = "/settings/subscription/history.csv";
/// The Transaction History Log download.
pub const TRANSACTIONS_CSV: &str = "/settings/subscription/transactions.csv";
/// The Purchase History download.
pub const PURCHASES_CSV: &str = "/settings/subscription/purchases.csv";
/// Conversation History.
pub const CONVERSATIONS: &str = "/conversations";
/// The super administrator's console.
pub const ADMIN: &str = "/admin";
/// The console's alert and email log, across tenants.
pub const ADMIN_ALERTS: &str = "/admin/alerts";
/// Resending a given-up email (a form post).
pub const ADMIN_RESEND: &str = "/admin/alerts/resend";
/// The audit log across tenants.
pub const ADMIN_AUDIT: &str = "/admin/audit";
/// The audit log's download, filtered like the page.
pub const ADMIN_AUDIT_CSV: &str = "/admin/audit.csv";
/// The console's tenant pages, `/admin/tenants/{slug}`, and their forms' targets below them:
/// `state`, `refill`, `keys` and `keys/revoke`.
pub const ADMIN_TENANTS: &str = "/admin/tenants";
/// Liveness and readiness.
pub const HEALTHZ: &str = "/healthz";
/// Prometheus metrics.
pub const METRICS: &str = "/metrics";
/// The usage API's prefix.
pub const API: &str = "/api/v1";

/// The pages a signed-in administrator opens, for the test that checks each is served.
pub const PAGES: [&str; 9] = [
    LOGIN,
    SUBSCRIPTION,
    HISTORY,
    ALERTS,
    DOWNLOAD,
    CONVERSATIONS,
    ADMIN,
    ADMIN_ALERTS,
    ADMIN_AUDIT,
];

/// A tenant's page in the console.
pub fn admin_tenant(slug: &str) -> String {
    format!("{ADMIN_TENANTS}/{slug}")
}

/// Whether `path` is `prefix` itself or below it.
pub fn is_within(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}
