use leptos::prelude::*;

use crate::error::AppError;
use crate::model::Viewer;

/// Who is signed in, if anyone.
#[server(prefix = "/fn", endpoint = "viewer")]
pub async fn current_viewer() -> Result<Option<Viewer>, AppError> {
    Ok(crate::server::auth::current().map(|identity| identity.viewer()))
}
