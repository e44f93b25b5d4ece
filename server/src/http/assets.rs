//! The site (wasm, JavaScript, CSS, public files) embedded in the binary.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

/// cargo-leptos writes the site here before the server is compiled; release builds carry it,
/// debug builds read it from disk.
#[derive(RustEmbed)]
#[folder = "../target/site"]
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
