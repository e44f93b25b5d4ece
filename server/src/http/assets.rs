//! The site (wasm, JavaScript, CSS, public files) embedded in the binary.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

/// Debug builds read the site cargo-leptos writes from disk.
#[cfg(debug_assertions)]
#[derive(RustEmbed)]
#[folder = "../target/site"]
struct Site;

/// Release builds carry a copy that `scripts/build-release` syncs from `target/site` once
/// cargo-leptos has finished writing it (cargo-leptos compiles the server while it is still
/// writing the site, so embedding `target/site` directly races).
#[cfg(not(debug_assertions))]
#[derive(RustEmbed)]
#[folder = "../target/site-embed"]
struct Site;

/// Serves an embedded file, or the not-found page.
pub async fn serve(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    match Site::get(path) {
        Some(file) => {
            let mime = file.metadata.mimetype();
            let mut response = Body::from(file.data.into_owned()).into_response();
            let headers = response.headers_mut();
            if let Ok(value) = HeaderValue::from_str(mime) {
                headers.insert(header::CONTENT_TYPE, value);
            }
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
            response
        }
        None => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            "<!DOCTYPE html><title>Not found</title><h1>Page not found</h1><p><a href=\"/\">Back to Tally</a></p>",
        )
            .into_response(),
    }
}
