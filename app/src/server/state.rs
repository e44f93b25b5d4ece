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
