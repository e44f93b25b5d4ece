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
/// The super administrators: invite, send a new invitation, disable (the page, and its
/// form's target).
pub const ADMIN_SUPERS: &str = "/admin/administrators";
/// The audit log across tenants.
pub const ADMIN_AUDIT: &str = "/admin/audit";
/// The audit log's download, filtered like the page.
pub const ADMIN_AUDIT_CSV: &str = "/admin/audit.csv";
/// The console's tenant pages, `/admin/tenants/{slug}`, and below them their forms' targets,
/// the assignment page and the tenant's own pages viewed as it (`view`, `view/history`).
pub const ADMIN_TENANTS: &str = "/admin/tenants";
/// Liveness and readiness.
pub const HEALTHZ: &str = "/healthz";
/// Prometheus metrics.
pub const METRICS: &str = "/metrics";
/// The usage API's prefix.
pub const API: &str = "/api/v1";

/// The pages a signed-in administrator opens, for the test that checks each is served.
pub const PAGES: [&str; 10] = [
    LOGIN,
    SUBSCRIPTION,
    HISTORY,
    ALERTS,
    DOWNLOAD,
    CONVERSATIONS,
    ADMIN,
    ADMIN_ALERTS,
    ADMIN_AUDIT,
    ADMIN_SUPERS,
];

/// A tenant's page in the console.
pub fn admin_tenant(slug: &str) -> String {
    format!("{ADMIN_TENANTS}/{slug}")
}

/// A tenant page's `path` (under `SUBSCRIPTION`) as a super administrator viewing tenant
/// `view_as` reaches it: `/admin/tenants/{slug}/view…`; unchanged without one.
pub fn as_viewed(view_as: Option<&str>, path: &str) -> String {
    match (view_as, path.strip_prefix(SUBSCRIPTION)) {
        (Some(slug), Some(rest)) => format!("{}/view{rest}", admin_tenant(slug)),
        _ => path.to_string(),
    }
}

/// Whether `path` is `prefix` itself or below it.
pub fn is_within(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenant_pages_viewed_as_a_tenant_move_under_its_console_page() {
        assert_eq!(as_viewed(None, HISTORY), HISTORY);
        assert_eq!(
            as_viewed(Some("acme"), SUBSCRIPTION),
            "/admin/tenants/acme/view"
        );
        assert_eq!(
            as_viewed(Some("acme"), &format!("{HISTORY}?page=2")),
            "/admin/tenants/acme/view/history?page=2"
        );
        assert_eq!(as_viewed(Some("acme"), CONVERSATIONS), CONVERSATIONS);
    }
}
