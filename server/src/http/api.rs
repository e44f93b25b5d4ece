//! The usage API for tenants' platforms (`/api/v1`): bearer API keys, JSON in and out, every
//! refusal a JSON body with a message.

use app::model::TenantId;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use serde::Serialize;
use std::num::NonZeroU32;
use std::sync::Arc;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

use app::model::TenantState;
use app::model::event;
use app::server::events::{self, BatchError, Problem};
use app::server::service::api_keys;
use app::server::service::entitlements::{self, Check, Entitlements, PoolEntitlement};
use app::server::service::ingest::{self, EventResult, EventStatus, IngestError, Outcome};
use app::server::state::{AppState, WebConfig};

/// Largest request body: a full batch of conversations with their messages fits easily.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// The `/api/v1` routes, each API key held to `config.api_rate_limit`.
pub fn routes(config: &WebConfig) -> Router<AppState> {
    let routes = Router::new()
        .route("/events", post(post_events))
        .route("/entitlements", get(get_entitlements))
        .route("/entitlements/{pool}/check", get(check_pool))
        .route("/openapi.json", get(openapi))
        .fallback(|| async {
            ApiError::new(StatusCode::NOT_FOUND, "No such API route.").into_response()
        });
    match config.api_rate_limit {
        Some(rate) => routes.layer(Extension(KeyLimits::new(rate))),
        None => routes,
    }
}

/// How many requests each API key may still make: `rate` a second, in bursts of twice that.
/// Only keys that authenticated are counted, so unknown keys cannot fill it.
#[derive(Clone)]
struct KeyLimits(Arc<DefaultKeyedRateLimiter<String>>);

impl KeyLimits {
    fn new(rate: NonZeroU32) -> Self {
        let burst = rate.saturating_add(rate.get());
        Self(Arc::new(RateLimiter::keyed(
            Quota::per_second(rate).allow_burst(burst),
        )))
    }

    /// Counts one request of `key`, or refuses it with the seconds to wait.
    fn admit(&self, key: &str) -> Result<(), ApiError> {
        self.0.check_key(&key.to_owned()).map_err(|refused| {
            let wait = refused.wait_time_from(DefaultClock::default().now());
            ApiError {
                reason: Some("rate_limited".into()),
                retry_after: Some(wait.as_secs() + u64::from(wait.subsec_nanos() > 0)),
                ..ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "Too many requests with this API key; retry after the seconds in `Retry-After`.",
                )
            }
        })
    }
}

/// A refusal: the status and a JSON body saying why.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiError {
    #[serde(skip)]
    status: StatusCode,
    /// What went wrong, for a person.
    error: String,
    /// A stable code where one applies (`tenant_suspended`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    /// Every problem found in the batch.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    problems: Vec<Problem>,
    /// Ids already stored with other content.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    conflicts: Vec<String>,
    /// Seconds to wait before retrying (the `Retry-After` header).
    #[serde(skip)]
    retry_after: Option<u64>,
}

impl ApiError {
    fn new(status: StatusCode, error: impl Into<String>) -> Self {
        Self {
            status,
            error: error.into(),
            reason: None,
            problems: Vec::new(),
            conflicts: Vec::new(),
            retry_after: None,
        }
    }

    fn refused(state: TenantState) -> Self {
        Self {
            reason: Some(format!("tenant_{state}")),
            ..Self::new(
                StatusCode::FORBIDDEN,
                format!("This tenant is {state}: its usage is not accepted."),
            )
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(&self)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<app::error::AppError> for ApiError {
    fn from(error: app::error::AppError) -> Self {
        let retry_after = matches!(error, app::error::AppError::Unavailable(_))
            .then_some(app::server::db::ACQUIRE_TIMEOUT.as_secs());
        Self {
            retry_after,
            ..Self::new(error.status_code(), error.to_string())
        }
    }
}

/// The tenant whose API key signed the request. Its id comes from the key alone.
pub struct ApiTenant(pub TenantId);

impl FromRequestParts<AppState> for ApiTenant {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let key = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| {
                value
                    .strip_prefix("Bearer ")
                    .or_else(|| value.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|key| !key.is_empty())
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "Send the tenant's API key as `Authorization: Bearer <key>`.",
                )
            })?;
        match api_keys::authenticate(&state.db, key).await? {
            Some(tenant) => {
                if let Some(limits) = parts.extensions.get::<KeyLimits>() {
                    limits.admit(key)?;
                }
                Ok(Self(tenant))
            }
            None => Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "This API key is unknown or revoked.",
            )),
        }
    }
}

/// Report usage: up to 1000 events, stored atomically and at most once each.
#[utoipa::path(
    post, path = "/api/v1/events", tag = "usage",
    request_body = event::EventBatch,
    responses(
        (status = 200, description = "Stored (or already stored)", body = Outcome),
        (status = 400, description = "Not JSON", body = ApiError),
        (status = 401, description = "No valid API key", body = ApiError),
        (status = 403, description = "The tenant is suspended, canceled or expired", body = ApiError),
        (status = 409, description = "An id was stored before with other content", body = ApiError),
        (status = 413, description = "Body over 8 MiB", body = ApiError),
        (status = 422, description = "Invalid events, each problem listed; nothing stored", body = ApiError),
        (status = 429, description = "Over this key's rate limit; nothing done", body = ApiError,
            headers(("Retry-After" = u64, description = "Seconds to wait before retrying"))),
        (status = 503, description = "The database is out of reach; nothing done", body = ApiError,
            headers(("Retry-After" = u64, description = "Seconds to wait before retrying"))),
        (status = 507, description = "The database's disk is full; nothing stored", body = ApiError),
    ),
    security(("api_key" = []))
)]
async fn post_events(
    State(state): State<AppState>,
    ApiTenant(tenant): ApiTenant,
    body: Body,
) -> Result<Json<Outcome>, ApiError> {
    let bytes: Bytes = axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "The body is over {} MiB; send fewer events per call.",
                    MAX_BODY_BYTES >> 20
                ),
            )
        })?;
    let batch = events::parse_batch(&bytes, chrono::Utc::now()).map_err(|e| match e {
        BatchError::Malformed(message) => ApiError::new(StatusCode::BAD_REQUEST, message),
        BatchError::Invalid(problems) => ApiError {
            problems,
            ..ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "The batch has invalid events; nothing was stored.",
            )
        },
    })?;
    match ingest::ingest(
        &state.db,
        tenant,
        &batch,
        chrono::Utc::now().timestamp_millis(),
    )
    .await
    {
        Ok(outcome) => {
            metrics::counter!("tally_events_accepted_total").increment(outcome.accepted as u64);
            metrics::counter!("tally_events_duplicate_total").increment(outcome.duplicates as u64);
            Ok(Json(outcome))
        }
        Err(IngestError::Refused(tenant_state)) => Err(ApiError::refused(tenant_state)),
        Err(IngestError::Conflict(ids)) => Err(ApiError {
            conflicts: ids,
            ..ApiError::new(
                StatusCode::CONFLICT,
                "Some ids were stored before with other content; nothing was stored.",
            )
        }),
        Err(IngestError::Invalid(problems)) => Err(ApiError {
            problems,
            ..ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "The batch has invalid events; nothing was stored.",
            )
        }),
        Err(IngestError::Store(error)) => Err(error.into()),
    }
}

/// Every pool with its counters and whether it may be used now.
#[utoipa::path(
    get, path = "/api/v1/entitlements", tag = "licenses",
    responses(
        (status = 200, body = Entitlements),
        (status = 401, body = ApiError),
        (status = 403, description = "The tenant is suspended or canceled", body = ApiError),
        (status = 429, description = "Over this key's rate limit; nothing done", body = ApiError,
            headers(("Retry-After" = u64, description = "Seconds to wait before retrying"))),
        (status = 503, description = "The database is out of reach; nothing done", body = ApiError,
            headers(("Retry-After" = u64, description = "Seconds to wait before retrying"))),
    ),
    security(("api_key" = []))
)]
async fn get_entitlements(
    State(state): State<AppState>,
    ApiTenant(tenant): ApiTenant,
) -> Result<Json<Entitlements>, ApiError> {
    let answer = entitlements::entitlements(&state.db, tenant).await?;
    if !answer.state.may_sign_in() {
        return Err(ApiError::refused(answer.state));
    }
    Ok(Json(answer))
}

/// Whether one more license of a pool may be used now.
#[utoipa::path(
    get, path = "/api/v1/entitlements/{pool}/check", tag = "licenses",
    params(("pool" = String, Path, description = "e.g. `user_licenses`, `service:contact_center`")),
    responses(
        (status = 200, description = "The decision (the tenant is usable)", body = Check),
        (status = 401, body = ApiError),
        (status = 403, description = "Suspended or canceled: not allowed", body = Check),
        (status = 404, description = "The tenant holds no such pool: not allowed", body = Check),
        (status = 429, description = "Over this key's rate limit; nothing done", body = ApiError,
            headers(("Retry-After" = u64, description = "Seconds to wait before retrying"))),
        (status = 503, description = "The database is out of reach; nothing done", body = ApiError,
            headers(("Retry-After" = u64, description = "Seconds to wait before retrying"))),
    ),
    security(("api_key" = []))
)]
async fn check_pool(
    State(state): State<AppState>,
    ApiTenant(tenant): ApiTenant,
    Path(pool): Path<String>,
) -> Result<Response, ApiError> {
    let (tenant_state, answer) = entitlements::check(&state.db, tenant, &pool).await?;
    let (status, answer) = match answer {
        Some(answer) if !tenant_state.may_sign_in() => (StatusCode::FORBIDDEN, answer),
        Some(answer) => (StatusCode::OK, answer),
        None => (
            StatusCode::NOT_FOUND,
            Check {
                allowed: false,
                reason: "unknown_pool".into(),
            },
        ),
    };
    Ok((status, Json(answer)).into_response())
}

/// This API, described.
async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

struct BearerKey;

impl Modify for BearerKey {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A tenant API key from `tally apikey create`."))
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Tally usage API", description = "Report usage and check licenses."),
    paths(post_events, get_entitlements, check_pool),
    components(schemas(
        event::Event, event::EventBody, event::EventBatch, Problem, Outcome, EventResult,
        EventStatus, Entitlements, PoolEntitlement, Check, ApiError, TenantState,
    )),
    modifiers(&BearerKey)
)]
pub struct ApiDoc;
