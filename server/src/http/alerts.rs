//! `POST /settings/subscription/alerts/test`: "Send me a test alert". A plain form post, the
//! same with and without JavaScript; the answer is a redirect to the alert log saying what
//! happened.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};

use app::paths;
use app::server::auth::TenantAdmin;
use app::server::service::alerts::log::{self, TestRefused};
use app::server::state::AppState;

pub async fn send_test(
    State(state): State<AppState>,
    TenantAdmin { tenant, identity }: TenantAdmin,
) -> Response {
    let query = match log::send_test(
        &state.db,
        tenant,
        &identity.email,
        chrono::Utc::now().timestamp_millis(),
    )
    .await
    {
        Ok(_) => "test=sent".to_string(),
        Err(TestRefused::TooSoon(seconds)) => format!("test=wait&seconds={seconds}"),
        Err(TestRefused::Store(error)) => {
            tracing::error!(%error, "test alert not queued");
            "test=failed".to_string()
        }
    };
    Redirect::to(&format!("{}?{query}", paths::ALERTS)).into_response()
}
