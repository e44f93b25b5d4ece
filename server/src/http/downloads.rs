//! The tenant administrator's CSV downloads (SPEC.md, "Downloads"): who is asking, which report
//! with which filters, then the file from `service::exports`, streamed as it is written.

use axum::Extension;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use app::error::AppError;
use app::model::Locale;
use app::model::history::HistoryQuery;
use app::server::auth::TenantAdmin;
use app::server::service::exports::{self, Export};
use app::server::state::AppState;

/// A `200 text/csv` attachment whose body is the export's chunks.
pub fn attachment(export: Export) -> Response {
    let stream = tokio_stream::wrappers::ReceiverStream::new(export.chunks);
    let mut response = Body::from_stream(stream).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    let disposition = format!("attachment; filename=\"{}\"", export.filename);
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// `GET /settings/subscription/history.csv`: the License Consumption History with the columns
/// of the tenant's model, filtered like the page it was downloaded from.
pub async fn history_csv(
    State(state): State<AppState>,
    admin: TenantAdmin,
    Query(query): Query<HistoryQuery>,
) -> Result<Response, AppError> {
    Ok(attachment(
        exports::history(&state.db, admin.tenant, &query).await?,
    ))
}

#[derive(Debug, Deserialize)]
pub struct RangeQuery {
    from: Option<String>,
    to: Option<String>,
}

/// `GET /settings/subscription/transactions.csv?from=YYYY-MM-DD&to=YYYY-MM-DD`: the Transaction
/// History Log of those days (both included, in the tenant's zone), newest first. A range over
/// 90 days, or reversed, is a 400 that says why, in the reader's language.
pub async fn transactions_csv(
    State(state): State<AppState>,
    admin: TenantAdmin,
    Extension(locale): Extension<Locale>,
    Query(query): Query<RangeQuery>,
) -> Result<Response, AppError> {
    let export = exports::transactions(
        &state.db,
        admin.tenant,
        query.from.as_deref(),
        query.to.as_deref(),
    )
    .await?;
    Ok(match export {
        Ok(export) => attachment(export),
        Err(problem) => (StatusCode::BAD_REQUEST, problem.message(locale.into())).into_response(),
    })
}

/// `GET /settings/subscription/purchases.csv`: the License Purchase History, newest first.
pub async fn purchases_csv(
    State(state): State<AppState>,
    admin: TenantAdmin,
) -> Result<Response, AppError> {
    Ok(attachment(
        exports::purchases(&state.db, admin.tenant).await?,
    ))
}
