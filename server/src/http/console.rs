//! The console's tenant forms: new tenant, state, refill, new API key, revoke. Plain form posts, so they
//! work the same with and without JavaScript; each answers with a redirect back to the tenant's
//! page saying what was done, or which field was refused and why (nothing saved).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use serde::Deserialize;

use app::error::AppError;
use app::model::console::NewTenantForm;
use app::model::console::Refusal;
use app::paths;
use app::server::auth::SuperAdmin;
use app::server::service::{api_keys, bulk, onboarding, refills, tenants};
use app::server::state::AppState;

/// Back to the tenant's page, at the form that was sent, with the outcome in the query.
fn answer(slug: &str, form: &str, outcome: Result<(), AppError>) -> Response {
    let mut pairs = Vec::new();
    match outcome {
        Ok(()) => pairs.push(("done", form.to_string())),
        Err(AppError::Refused(refusal)) => {
            pairs.push(("refused", form.to_string()));
            pairs.push(("code", refusal.code().to_string()));
            if let Refusal::MoreThanAvailable { available } = refusal {
                pairs.push(("available", available.to_string()));
            }
        }
        Err(error) => return error.into_response(),
    }
    let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    Redirect::to(&format!("{}?{query}#{form}", paths::admin_tenant(slug))).into_response()
}

#[derive(Debug, Deserialize)]
pub struct StateForm {
    state: String,
    #[serde(default)]
    reason: String,
}

pub async fn change_state(
    State(state): State<AppState>,
    SuperAdmin(identity): SuperAdmin,
    Path(slug): Path<String>,
    Form(form): Form<StateForm>,
) -> Response {
    let outcome = async {
        let tenant = tenants::by_slug(&state.db, &slug).await?;
        let to = form.state.parse().map_err(AppError::Invalid)?;
        tenants::change_state(&state.db, tenant, to, &form.reason, &identity.email).await
    };
    answer(&slug, "state", outcome.await)
}

#[derive(Debug, Deserialize)]
pub struct RefillForm {
    pool: String,
    #[serde(default)]
    delta: String,
    #[serde(default)]
    note: String,
}

pub async fn refill(
    State(state): State<AppState>,
    SuperAdmin(identity): SuperAdmin,
    Path(slug): Path<String>,
    Form(form): Form<RefillForm>,
) -> Response {
    let outcome = async {
        let tenant = tenants::by_slug(&state.db, &slug).await?;
        let delta = refills::parse_delta(&form.delta)?;
        refills::manual(
            &state.db,
            tenant,
            &form.pool,
            delta,
            &form.note,
            &identity.email,
        )
        .await
    };
    answer(&slug, "refill", outcome.await.map(drop))
}

#[derive(Debug, Deserialize)]
pub struct PoolForm {
    pool: String,
    enforcement: String,
    #[serde(default)]
    reason: String,
}

pub async fn set_pool(
    State(state): State<AppState>,
    SuperAdmin(identity): SuperAdmin,
    Path(slug): Path<String>,
    Form(form): Form<PoolForm>,
) -> Response {
    let outcome = async {
        let tenant = tenants::by_slug(&state.db, &slug).await?;
        let (pool, enforcement, actor) = (&form.pool, &form.enforcement, &identity.email);
        refills::set_pool(&state.db, tenant, pool, enforcement, &form.reason, actor).await
    };
    answer(&slug, "pool", outcome.await)
}

#[derive(Debug, Deserialize)]
pub struct AdminForm {
    /// `invite`, `reinvite` or `disable`.
    #[serde(rename = "do")]
    action: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    administrator: Option<i64>,
    #[serde(default)]
    reason: String,
}

/// `POST /admin/tenants/{slug}/admins`: invite an administrator, send one a new invitation, or
/// disable one. A new invitation's link is shown once on the tenant's page.
pub async fn administrators(
    State(state): State<AppState>,
    SuperAdmin(identity): SuperAdmin,
    Path(slug): Path<String>,
    Form(form): Form<AdminForm>,
) -> Response {
    let outcome = async {
        let tenant = tenants::by_slug(&state.db, &slug).await?;
        let (db, me, actor) = (
            &state.db,
            identity.administrator_id,
            identity.email.as_str(),
        );
        let who = form.administrator.unwrap_or_default();
        match form.action.as_str() {
            "invite" => {
                onboarding::invite_administrator(db, tenant, &form.email, &form.reason, me, actor)
                    .await
            }
            "reinvite" => onboarding::reinvite(db, tenant, who, &form.reason, me, actor).await,
            "disable" => onboarding::disable(db, tenant, who, &form.reason, actor).await,
            other => Err(AppError::Invalid(format!("unknown action `{other}`"))),
        }
    };
    answer(&slug, "admins", outcome.await)
}

#[derive(Debug, Deserialize)]
pub struct NewKeyForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    reason: String,
}

pub async fn create_key(
    State(state): State<AppState>,
    SuperAdmin(identity): SuperAdmin,
    Path(slug): Path<String>,
    Form(form): Form<NewKeyForm>,
) -> Response {
    let outcome = async {
        let tenant = tenants::by_slug(&state.db, &slug).await?;
        let (name, reason) = (&form.name, &form.reason);
        let admin = identity.administrator_id;
        api_keys::issue(&state.db, tenant, name, reason, admin, &identity.email).await
    };
    answer(&slug, "keys", outcome.await.map(drop))
}

#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    key: i64,
    #[serde(default)]
    reason: String,
}

pub async fn revoke_key(
    State(state): State<AppState>,
    SuperAdmin(identity): SuperAdmin,
    Path(slug): Path<String>,
    Form(form): Form<RevokeForm>,
) -> Response {
    let outcome = async {
        let tenant = tenants::by_slug(&state.db, &slug).await?;
        api_keys::revoke(&state.db, tenant, form.key, &form.reason, &identity.email).await
    };
    answer(&slug, "revoke", outcome.await)
}

/// `POST /admin/tenants`: the New tenant form. Created: to the tenant's page, which shows the
/// administrator's invitation link once. Refused: back to the form as it was typed (but the
/// reason), with the refused field named.
pub async fn create_tenant(
    State(state): State<AppState>,
    SuperAdmin(identity): SuperAdmin,
    Form(form): Form<NewTenantForm>,
) -> Response {
    let admin = identity.administrator_id;
    match onboarding::create_tenant(&state.db, &form, Some(admin), &identity.email).await {
        Ok(_) => {
            let page = paths::admin_tenant(form.slug.trim());
            Redirect::to(&format!("{page}?done=created#state")).into_response()
        }
        Err(AppError::Refused(refusal)) => {
            let typed = NewTenantForm {
                reason: String::new(),
                ..form
            };
            let query = serde_urlencoded::to_string(&typed).unwrap_or_default();
            let code = refusal.code();
            Redirect::to(&format!(
                "{}?{query}&refused=create&code={code}#create",
                paths::ADMIN
            ))
            .into_response()
        }
        Err(error) => error.into_response(),
    }
}

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
        while let Ok(Some(field)) = multipart.next_field().await {
            if field.name() == Some("file") {
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|_| AppError::Refused(Refusal::FileTooLarge))?;
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
