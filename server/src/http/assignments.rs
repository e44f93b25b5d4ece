//! The console's license assignment forms of a tenant: a bulk file uploaded for its preview,
//! applied all or nothing, reported; and one assignee assigned or released. Plain form posts
//! answered with a redirect to the assignment page, which shows the rows and their outcome.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use serde::Deserialize;

use app::error::AppError;
use app::model::console::Refusal;
use app::paths;
use app::server::auth::SuperAdmin;
use app::server::service::{bulk, tenants};
use app::server::state::AppState;

/// Where the bulk assignment page of a tenant is.
fn bulk_page(slug: &str) -> String {
    format!("{}/assignments", paths::admin_tenant(slug))
}

/// `POST /admin/tenants/{slug}/assignments`: a bulk file uploaded (multipart, field `file`),
/// kept for its preview.
pub async fn upload_bulk(
    State(state): State<AppState>,
    SuperAdmin(identity): SuperAdmin,
    Path(slug): Path<String>,
    mut multipart: axum::extract::Multipart,
) -> Response {
    let outcome = async {
        let tenant = tenants::by_slug(&state.db, &slug).await?;
        let mut content = None;
        // A body past the server's limit fails while it is read, at a field or at its bytes:
        // refused, never kept as a shorter (or empty) file.
        let unread = |error: axum::extract::multipart::MultipartError| {
            if error.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::Refused(Refusal::FileTooLarge)
            } else {
                AppError::Invalid(format!(
                    "The upload could not be read: {}",
                    error.body_text()
                ))
            }
        };
        while let Some(field) = multipart.next_field().await.map_err(unread)? {
            if field.name() == Some("file") {
                let bytes = field.bytes().await.map_err(unread)?;
                content = Some(String::from_utf8_lossy(&bytes).into_owned());
            }
        }
        let content = content.unwrap_or_default();
        bulk::upload(&state.db, tenant, identity.administrator_id, &content).await
    };
    match outcome.await {
        Ok(upload) => {
            Redirect::to(&format!("{}?upload={upload}", bulk_page(&slug))).into_response()
        }
        Err(AppError::Refused(refusal)) => Redirect::to(&format!(
            "{}?refused=upload&code={}",
            bulk_page(&slug),
            refusal.code()
        ))
        .into_response(),
        Err(error) => error.into_response(),
    }
}

#[derive(Debug, Deserialize)]
pub struct ApplyForm {
    upload: i64,
    #[serde(default)]
    reason: String,
}

/// `POST /admin/tenants/{slug}/assignments/apply`: applies a previewed file, all or nothing.
pub async fn apply_bulk(
    State(state): State<AppState>,
    SuperAdmin(identity): SuperAdmin,
    Path(slug): Path<String>,
    Form(form): Form<ApplyForm>,
) -> Response {
    let outcome = async {
        let tenant = tenants::by_slug(&state.db, &slug).await?;
        bulk::apply(
            &state.db,
            tenant,
            form.upload,
            &form.reason,
            &identity.email,
        )
        .await
    };
    let page = format!("{}?upload={}", bulk_page(&slug), form.upload);
    match outcome.await {
        Ok(_) => Redirect::to(&format!("{page}&done=apply")).into_response(),
        Err(AppError::Refused(refusal)) => {
            Redirect::to(&format!("{page}&refused=apply&code={}", refusal.code())).into_response()
        }
        Err(error) => error.into_response(),
    }
}

#[derive(Debug, Deserialize)]
pub struct ReportQuery {
    upload: i64,
}

/// `GET /admin/tenants/{slug}/assignments/report.csv?upload=N`: each row of the file and what
/// it does (or did), or why it cannot.
pub async fn bulk_report(
    State(state): State<AppState>,
    SuperAdmin(_): SuperAdmin,
    Path(slug): Path<String>,
    axum::extract::Query(query): axum::extract::Query<ReportQuery>,
) -> Result<Response, AppError> {
    let tenant = tenants::by_slug(&state.db, &slug).await?;
    let preview = bulk::preview(&state.db, tenant, query.upload, app::model::Locale::En).await?;
    let body = bulk::report(&preview)?;
    let disposition = format!(
        "attachment; filename=\"{slug}-assignments-{}.csv\"",
        query.upload
    );
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/csv; charset=utf-8".to_string(),
            ),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OneForm {
    pool: String,
    assignee_id: String,
    assignee_name: String,
    action: String,
    reason: String,
}

/// `POST /admin/tenants/{slug}/assignments/one`: one assignee assigned or released, through
/// the same checks and ingestion as a file; the page then shows its row and what it did.
pub async fn assign_one(
    State(state): State<AppState>,
    SuperAdmin(identity): SuperAdmin,
    Path(slug): Path<String>,
    Form(form): Form<OneForm>,
) -> Response {
    let tenant = match tenants::by_slug(&state.db, &slug).await {
        Ok(tenant) => tenant,
        Err(error) => return error.into_response(),
    };
    let row = [
        form.pool.as_str(),
        &form.assignee_id,
        &form.assignee_name,
        &form.action,
    ];
    let admin = identity.administrator_id;
    match bulk::single(&state.db, tenant, admin, row, &form.reason, &identity.email).await {
        Ok((upload, applied)) => {
            let outcome = if applied {
                "done=one"
            } else {
                "refused=one&code=file_has_errors"
            };
            Redirect::to(&format!("{}?upload={upload}&{outcome}", bulk_page(&slug))).into_response()
        }
        Err(AppError::Refused(refusal)) => Redirect::to(&format!(
            "{}?refused=one&code={}",
            bulk_page(&slug),
            refusal.code()
        ))
        .into_response(),
        Err(error) => error.into_response(),
    }
}
