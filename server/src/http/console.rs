//! The console's tenant forms: new tenant, state, refill, new API key, revoke. Plain form posts, so they
//! work the same with and without JavaScript; each answers with a redirect back to the tenant's
//! page saying what was done, or which field was refused and why (nothing saved).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use serde::Deserialize;

use app::error::AppError;
use app::model::TenantId;
use app::model::console::NewTenantForm;
use app::model::console::Refusal;
use app::model::contract::ContractForm;
use app::paths;
use app::server::auth::{Identity, SuperAdmin};
use app::server::service::{api_keys, contract, onboarding, refills, tenants};
use app::server::state::AppState;

/// Back to the tenant's page, at the form that was sent, with the outcome in the query.
fn answer(slug: &str, form: &str, outcome: Result<(), AppError>) -> Response {
    answer_at(&paths::admin_tenant(slug), form, outcome)
}

/// Back to `page`, at the form that was sent, with the outcome in the query.
fn answer_at(page: &str, form: &str, outcome: Result<(), AppError>) -> Response {
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
    Redirect::to(&format!("{page}?{query}#{form}")).into_response()
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

/// `POST /admin/tenants/{slug}/contract`: the subscription and contract form. Refused: back
/// to the form as it was typed (but the reason), with every wrong field named.
pub async fn contract(
    State(state): State<AppState>,
    SuperAdmin(identity): SuperAdmin,
    Path(slug): Path<String>,
    Form(form): Form<ContractForm>,
) -> Response {
    let outcome = async {
        let tenant = tenants::by_slug(&state.db, &slug).await?;
        contract::update(&state.db, tenant, &form, &identity.email).await
    };
    let refusals = match outcome.await {
        Err(AppError::RefusedFields(refusals)) => refusals,
        Err(AppError::Refused(refusal)) => vec![refusal],
        other => return answer(&slug, "contract", other),
    };
    let typed = serde_urlencoded::to_string(form.without_reason()).unwrap_or_default();
    let codes: Vec<&str> = refusals.iter().map(|r| r.code()).collect();
    Redirect::to(&format!(
        "{}?{typed}&refused=contract&code={}#contract",
        paths::admin_tenant(&slug),
        codes.join(",")
    ))
    .into_response()
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

/// What an administrators form asks, done for the tenant (`None`: the super administrators).
async fn administer(
    state: &AppState,
    identity: &Identity,
    tenant: Option<TenantId>,
    form: &AdminForm,
) -> Result<(), AppError> {
    let (db, me, actor) = (
        &state.db,
        identity.administrator_id,
        identity.email.as_str(),
    );
    let (who, reason) = (form.administrator.unwrap_or_default(), &form.reason);
    match form.action.as_str() {
        "invite" => {
            onboarding::invite_administrator(db, tenant, &form.email, reason, me, actor).await
        }
        "reinvite" => onboarding::reinvite(db, tenant, who, reason, me, actor).await,
        "disable" => onboarding::disable(db, tenant, who, reason, (me, actor)).await,
        other => Err(AppError::Invalid(format!("unknown action `{other}`"))),
    }
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
        administer(&state, &identity, Some(tenant), &form).await
    };
    answer(&slug, "admins", outcome.await)
}

/// `POST /admin/administrators`: the same for the super administrators; the link is shown once
/// on their page.
pub async fn super_administrators(
    State(state): State<AppState>,
    SuperAdmin(identity): SuperAdmin,
    Form(form): Form<AdminForm>,
) -> Response {
    let outcome = administer(&state, &identity, None, &form).await;
    answer_at(paths::ADMIN_SUPERS, "admins", outcome)
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
