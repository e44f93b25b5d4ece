//! A request id for every request: in the `x-request-id` response header, in every log line the
//! request causes (its span), and in the message of an internal error, so what a person reports
//! can be found in the log. Ids are Tally's own; one sent by the client is replaced.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

use app::server::error::{REQUEST_ID, REQUEST_ID_HEADER, fresh_request_id};

pub const HEADER: HeaderName = HeaderName::from_static(REQUEST_ID_HEADER);

pub async fn tag(mut request: Request, next: Next) -> Response {
    let id = fresh_request_id();
    let value = HeaderValue::from_str(&id).unwrap_or(HeaderValue::from_static("none"));
    request.headers_mut().insert(HEADER, value.clone());
    let span = tracing::info_span!(
        "request",
        id = %id,
        method = %request.method(),
        path = %request.uri().path(),
    );
    let mut response = REQUEST_ID
        .scope(id, next.run(request).instrument(span.clone()))
        .await;
    let status = response.status();
    if status.is_server_error() {
        tracing::error!(parent: &span, status = status.as_u16(), "answered with a server error");
    } else if status.is_client_error() {
        tracing::info!(parent: &span, status = status.as_u16(), "refused");
    }
    response.headers_mut().insert(HEADER, value);
    response
}
