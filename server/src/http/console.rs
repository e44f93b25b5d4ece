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
use app::server::service::{api_keys, onboarding, refills, tenants};
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
    match onboarding::create_tenant(&state.db, &form, admin, &identity.email).await {
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
