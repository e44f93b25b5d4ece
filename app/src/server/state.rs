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

#[derive(Clone, FromRef)]
pub struct AppState {
    pub db: Db,
    pub leptos_options: LeptosOptions,
    pub config: Arc<WebConfig>,
}
