//! What every request handler and server function reaches through context.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

use super::db::Db;

/// Settings the web side needs at run time.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// The address people reach Tally at; decides the `Secure` cookie flag and allowed origins.
    pub base_url: Option<String>,
    /// Requests per second each API key may make to the usage API (bursts of twice that);
    /// `None`: no limit.
    pub api_rate_limit: Option<std::num::NonZeroU32>,
}

impl WebConfig {
    /// Cookies are `Secure` when Tally is reached over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.base_url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://"))
    }
}

/// Cloned for every request, by every layer that reads it and for every server function, so it
/// is one shared pointer: cloned part by part (the pools, Leptos's options, the settings: a
/// dozen reference counts) it showed in the server's profile under load.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// What `AppState` points to.
pub struct Shared {
    pub db: Db,
    pub leptos_options: LeptosOptions,
    pub config: WebConfig,
    /// What the Subscription tab read, per tenant, while the tenant's revision stands.
    pub overviews: super::service::subscription::Kept,
}

impl AppState {
    pub fn new(db: Db, leptos_options: LeptosOptions, config: WebConfig) -> Self {
        Self(Arc::new(Shared {
            db,
            leptos_options,
            config,
            overviews: Default::default(),
        }))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// Leptos's handlers read their options from the router's state.
impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
