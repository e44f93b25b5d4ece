//! `POST /admin/alerts/resend`: the console's Resend of an email given up. A plain form post;
//! the answer is a redirect back to the log saying what happened.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use serde::Deserialize;

use app::paths;
use app::server::auth::SuperAdmin;
use app::server::service::alerts::log;
use app::server::state::AppState;

#[derive(Debug, Deserialize)]
pub struct ResendForm {
    /// The outbox id of the email.
    email: i64,
}

pub async fn resend(
    State(state): State<AppState>,
    SuperAdmin(identity): SuperAdmin,
    Form(form): Form<ResendForm>,
) -> Response {
    let now = chrono::Utc::now().timestamp_millis();
    let outcome = match log::resend(&state.db, form.email, &identity.email, now).await {
        Ok(true) => "queued",
        Ok(false) => "refused",
        Err(error) => return error.into_response(),
    };
    Redirect::to(&format!("{}?resend={outcome}", paths::ADMIN_ALERTS)).into_response()
}

/// `GET /admin/audit.csv`: the audit log as the page's filters take it, streamed.
pub async fn audit_csv(
    State(state): State<AppState>,
    SuperAdmin(_): SuperAdmin,
    axum::extract::Query(query): axum::extract::Query<app::model::audit::AuditQuery>,
) -> Result<Response, app::error::AppError> {
    let export = app::server::service::audit::csv(&state.db, &query).await?;
    Ok(super::downloads::attachment(export))
}
