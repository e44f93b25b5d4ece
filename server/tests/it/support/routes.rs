//! The router's own routes, read from its source (`server/src/router.rs`): the sweeps that must
//! ask every route check their lists against it, so a route added there and not swept fails.

use app::paths;

/// One `.route(PATH, METHOD(handler))` of the router.
pub struct Route {
    /// As axum spells it: `/admin/tenants/{slug}/state`.
    pub path: String,
    pub post: bool,
}

/// Every `.route(…)` of the router, `paths::NAME` resolved to its value.
pub fn router_routes() -> Vec<Route> {
    let source = include_str!("../../../src/router.rs");
    let routes: Vec<Route> = source
        .split(".route(")
        .skip(1)
        .map(|call| {
            let (path, handler) = call.split_once(',').expect("route, handler");
            let path = path.trim();
            let path = match path.strip_prefix("paths::") {
                Some(name) => path_constant(name).to_string(),
                None => path.trim_matches('"').to_string(),
            };
            let post = handler.trim_start().starts_with("post(");
            Route { path, post }
        })
        .collect();
    assert!(
        routes.len() >= 20,
        "read the router's routes: {}",
        routes.len()
    );
    routes
}

/// `paths::NAME` as the router names it.
fn path_constant(name: &str) -> &'static str {
    match name {
        "LOGIN" => paths::LOGIN,
        "LOGOUT" => paths::LOGOUT,
        "LANGUAGE" => paths::LANGUAGE,
        "HEALTHZ" => paths::HEALTHZ,
        "METRICS" => paths::METRICS,
        "CONTACTS" => paths::CONTACTS,
        "TEST_ALERT" => paths::TEST_ALERT,
        "ADMIN_RESEND" => paths::ADMIN_RESEND,
        "ADMIN_AUDIT_CSV" => paths::ADMIN_AUDIT_CSV,
        "ADMIN_TENANTS" => paths::ADMIN_TENANTS,
        "ADMIN_SUPERS" => paths::ADMIN_SUPERS,
        "INVITE" => paths::INVITE,
        "HISTORY_CSV" => paths::HISTORY_CSV,
        "TRANSACTIONS_CSV" => paths::TRANSACTIONS_CSV,
        "PURCHASES_CSV" => paths::PURCHASES_CSV,
        other => panic!("the router uses paths::{other}: add it to path_constant"),
    }
}
