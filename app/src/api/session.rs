use leptos::prelude::*;
use leptos::server_fn::codec::Postcard;

use crate::error::AppError;
use crate::model::Viewer;

/// Who is signed in, if anyone.
#[server(prefix = "/fn", endpoint = "viewer", output = Postcard)]
pub async fn current_viewer() -> Result<Option<Viewer>, AppError> {
    Ok(crate::server::auth::current().map(|identity| identity.viewer()))
}

/// The email an invitation is for, while it works; `None` for one unknown, used or expired.
#[server(prefix = "/fn", endpoint = "invitation", output = Postcard)]
pub async fn invitation(token: String) -> Result<Option<String>, AppError> {
    use crate::server::{auth, service};
    service::onboarding::invited(&auth::state()?.db, &token).await
}
