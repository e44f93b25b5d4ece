//! `POST /invite`: an invited administrator chooses a password, and is signed in.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::Form;
use serde::Deserialize;

use app::error::AppError;
use app::paths;
use app::server::AppState;
use app::server::auth;
use app::server::service::onboarding;

use super::session::{home_of, session_cookie};

#[derive(Debug, Deserialize)]
pub struct AcceptForm {
    token: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

/// Back to the invitation page, saying what is wrong.
fn again(token: &str, error: &str) -> Response {
    let query =
        serde_urlencoded::to_string([("token", token), ("error", error)]).unwrap_or_default();
    Redirect::to(&format!("{}?{query}", paths::INVITE)).into_response()
}

pub async fn accept(
    State(state): State<AppState>,
    jar: CookieJar,
    Form(form): Form<AcceptForm>,
) -> Response {
    if form.password != form.confirm {
        return again(&form.token, "mismatch");
    }
    let email = match onboarding::accept(&state.db, &form.token, &form.password).await {
        Ok(email) => email,
        Err(AppError::Invalid(_)) => return again(&form.token, "short"),
        Err(AppError::NotFound) => return again(&form.token, "used"),
        Err(error) => return error.into_response(),
    };
    match auth::sign_in(&state.db, &email, &form.password).await {
        Ok(token) => {
            let identity = auth::identify(&state.db, &token).await.ok().flatten();
            let home = identity.as_ref().map_or(paths::LOGIN, home_of);
            (jar.add(session_cookie(&state, token)), Redirect::to(home)).into_response()
        }
        // Chosen, but the tenant may not sign in now (suspended): the sign-in page says why.
        Err(_) => Redirect::to(paths::LOGIN).into_response(),
    }
}
