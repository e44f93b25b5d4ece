//! Passwords, browser sessions and who is asking.

use crate::model::TenantId;
use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use base64::Engine;
use sha2::{Digest, Sha256};

use super::db::{self, Db, now_ms, web_sessions};
use super::error::internal;
use crate::error::AppError;
use crate::model::{Locale, TenantState, Viewer};

/// The cookie that carries a browser session's token.
pub const SESSION_COOKIE: &str = "tally_session";
/// How long a browser session lasts.
pub const SESSION_TTL_MS: i64 = 12 * 60 * 60 * 1000;
/// Failed sign-ins for one address within this window…
pub const FAILURE_WINDOW_MS: i64 = 15 * 60 * 1000;
/// …beyond this many make further attempts wait until the window has passed.
pub const MAX_FAILURES: i64 = 5;

/// Hashes a password with argon2id and a fresh salt.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| internal("hashing a password", &e))
}

fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Verified against when the email is unknown, so both answers take as long.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_password("not a password anyone has").unwrap_or_default());

/// A random token for a cookie or API key, URL-safe.
pub fn random_token() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

/// What the store keeps of a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The signed-in administrator of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub administrator_id: i64,
    pub email: String,
    pub role: Role,
    /// The language the administrator chose, if they did.
    pub locale: Option<Locale>,
    /// Their tenant's language (tenant administrators).
    pub tenant_locale: Option<Locale>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    Super,
    Tenant {
        tenant: TenantId,
        slug: String,
        name: String,
        state: TenantState,
        /// The tenant's revision when the session was looked up (migration 0007).
        revision: i64,
    },
}

impl Identity {
    pub fn is_super(&self) -> bool {
        self.role == Role::Super
    }

    /// The tenant a tenant administrator may see; `None` for a super administrator.
    pub fn tenant(&self) -> Option<TenantId> {
        match self.role {
            Role::Tenant { tenant, .. } => Some(tenant),
            Role::Super => None,
        }
    }

    pub fn viewer(&self) -> Viewer {
        Viewer {
            email: self.email.clone(),
            is_super: self.is_super(),
            tenant: match &self.role {
                Role::Tenant { slug, name, .. } => Some((name.clone(), slug.clone())),
                Role::Super => None,
            },
        }
    }
}

/// Why a sign-in was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignInError {
    /// Wrong password and unknown address alike.
    #[error("The email or password is not right.")]
    Invalid,
    #[error("Too many failed sign-ins. Please wait {minutes} minute(s) and try again.")]
    Throttled { minutes: i64 },
    #[error("{}", .0.sign_in_refusal().unwrap_or_default())]
    TenantClosed(TenantState),
    #[error(transparent)]
    Internal(#[from] AppError),
}

impl From<sqlx::Error> for SignInError {
    fn from(error: sqlx::Error) -> Self {
        Self::Internal(error.into())
    }
}

/// Checks the credentials and opens a session; returns the new session token.
pub async fn sign_in(db: &Db, email: &str, password: &str) -> Result<String, SignInError> {
    let email = email.trim().to_lowercase();
    // No account's email holds a control character (nor could Postgres compare one with a NUL).
    if email.is_empty() || email.len() > 320 || email.chars().any(char::is_control) {
        return Err(SignInError::Invalid);
    }
    let now = now_ms();
    let mut conn = db.conn().await?;
    let (failures, oldest) =
        web_sessions::failures_since(&mut conn, &email, now - FAILURE_WINDOW_MS).await?;
    if failures >= MAX_FAILURES {
        let wait_ms = oldest.unwrap_or(now) + FAILURE_WINDOW_MS - now;
        return Err(SignInError::Throttled {
            minutes: (wait_ms + 59_999) / 60_000,
        });
    }
    let admin = db::administrators::by_email(&mut conn, &email).await?;
    let hash = admin
        .as_ref()
        .map_or_else(|| DUMMY_HASH.clone(), |a| a.password_hash.clone());
    let password = password.to_string();
    let verified = tokio::task::spawn_blocking(move || verify_password(&hash, &password))
        .await
        .map_err(|e| internal("verifying a password", &e))?;
    let admin = match admin {
        Some(admin) if verified && admin.disabled_at.is_none() => admin,
        _ => {
            web_sessions::record_failure(&mut conn, &email, now).await?;
            return Err(SignInError::Invalid);
        }
    };
    if let Some(tenant) = admin.tenant_id {
        let state = db::tenants::get(&mut conn, TenantId(tenant))
            .await?
            .map(|t| t.state());
        if let Some(state) = state.filter(|s| !s.may_sign_in()) {
            return Err(SignInError::TenantClosed(state));
        }
    }
    web_sessions::clear_failures(&mut conn, &email).await?;
    let token = random_token();
    web_sessions::insert(
        &mut conn,
        &token_hash(&token),
        admin.id,
        now,
        now + SESSION_TTL_MS,
    )
    .await?;
    Ok(token)
}

/// The administrator a session token belongs to, if the session is live.
pub async fn identify(db: &Db, token: &str) -> Result<Option<Identity>, AppError> {
    let mut conn = db.conn().await?;
    let Some(row) = web_sessions::find(&mut conn, &token_hash(token), now_ms()).await? else {
        return Ok(None);
    };
    let role = match (
        row.tenant_id,
        row.tenant_slug,
        row.tenant_name,
        row.tenant_state,
    ) {
        (Some(id), Some(slug), Some(name), Some(state)) => Role::Tenant {
            tenant: TenantId(id),
            slug,
            name,
            state: state.parse().unwrap_or(TenantState::Suspended),
            revision: row.tenant_revision.unwrap_or_default(),
        },
        _ if row.role == "super" => Role::Super,
        _ => return Ok(None),
    };
    Ok(Some(Identity {
        administrator_id: row.administrator_id,
        email: row.email,
        role,
        locale: row.locale.and_then(|l| l.parse().ok()),
        tenant_locale: row.tenant_locale.and_then(|l| l.parse().ok()),
    }))
}

/// Ends a session.
pub async fn sign_out(db: &Db, token: &str) -> Result<(), AppError> {
    let mut conn = db.conn().await?;
    web_sessions::delete(&mut conn, &token_hash(token)).await?;
    Ok(())
}

/// The identity the session layer attached to the request being served.
pub fn current() -> Option<Identity> {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Identity>().cloned())
}

/// Answers the request with the refusal's status (pages and server functions alike).
pub(crate) fn refuse(error: AppError) -> AppError {
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(error.status_code());
    }
    error
}

/// The tenant a tenant page reads: the signed-in tenant administrator's own or, for a super
/// administrator viewing a tenant as it sees itself (`view_as`: its slug), that one, read
/// only. With `visit` (the page's name), a super administrator's visit goes into the audit log.
pub async fn reading_tenant(
    db: &Db,
    view_as: Option<String>,
    visit: Option<&str>,
) -> Result<TenantId, AppError> {
    let Some(slug) = view_as else {
        return Ok(require_tenant_admin()?.0);
    };
    let identity = require_super()?;
    let tenant = super::service::tenants::by_slug(db, &slug)
        .await
        .map_err(refuse)?;
    if let Some(page) = visit {
        super::service::audit::visited(db, tenant, &identity.email, page).await?;
    }
    Ok(tenant)
}

/// The tenant of the signed-in tenant administrator, or the refusal to answer with.
pub fn require_tenant_admin() -> Result<(TenantId, Identity), AppError> {
    let identity = current().ok_or_else(|| refuse(AppError::Unauthorized))?;
    let tenant = identity
        .tenant()
        .ok_or_else(|| refuse(AppError::Forbidden))?;
    Ok((tenant, identity))
}

/// The signed-in super administrator, or the refusal to answer with.
pub fn require_super() -> Result<Identity, AppError> {
    let identity = current().ok_or_else(|| refuse(AppError::Unauthorized))?;
    if identity.is_super() {
        Ok(identity)
    } else {
        Err(refuse(AppError::Forbidden))
    }
}

/// The signed-in tenant administrator of an axum request, with their tenant; a request without
/// one is refused (401 signed out, 403 a super administrator).
#[derive(Debug, Clone)]
pub struct TenantAdmin {
    pub tenant: TenantId,
    pub identity: Identity,
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for TenantAdmin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut http::request::Parts, _: &S) -> Result<Self, AppError> {
        let identity = parts
            .extensions
            .get::<Identity>()
            .cloned()
            .ok_or(AppError::Unauthorized)?;
        let tenant = identity.tenant().ok_or(AppError::Forbidden)?;
        Ok(Self { tenant, identity })
    }
}

/// The signed-in super administrator of an axum request; anyone else is refused.
#[derive(Debug, Clone)]
pub struct SuperAdmin(pub Identity);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for SuperAdmin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut http::request::Parts, _: &S) -> Result<Self, AppError> {
        match parts.extensions.get::<Identity>() {
            Some(identity) if identity.is_super() => Ok(Self(identity.clone())),
            Some(_) => Err(AppError::Forbidden),
            None => Err(AppError::Unauthorized),
        }
    }
}

/// The application state from context.
pub fn state() -> Result<super::AppState, AppError> {
    leptos::prelude::use_context::<super::AppState>()
        .ok_or_else(|| internal("server state", &"AppState missing from context"))
}

#[cfg(test)]
mod tests {
    use axum::extract::FromRequestParts;

    use super::*;

    async fn extract<T: FromRequestParts<()>>(who: Option<Identity>) -> Result<T, T::Rejection> {
        let (mut parts, ()) = http::Request::new(()).into_parts();
        if let Some(identity) = who {
            parts.extensions.insert(identity);
        }
        T::from_request_parts(&mut parts, &()).await
    }

    fn identity(role: Role) -> Identity {
        Identity {
            administrator_id: 1,
            email: "someone@tally.test".into(),
            role,
            locale: None,
            tenant_locale: None,
        }
    }

    #[tokio::test]
    async fn each_extractor_lets_in_its_role_only() {
        let tenant_admin = identity(Role::Tenant {
            tenant: TenantId(7),
            slug: "acme".into(),
            name: "Acme".into(),
            state: TenantState::Active,
            revision: 0,
        });
        let root = identity(Role::Super);
        let admin = extract::<TenantAdmin>(Some(tenant_admin.clone()))
            .await
            .expect("a tenant administrator");
        assert_eq!(
            (admin.tenant, admin.identity),
            (TenantId(7), tenant_admin.clone())
        );
        let refused = extract::<TenantAdmin>(Some(root.clone())).await.err();
        assert_eq!(refused, Some(AppError::Forbidden));
        let refused = extract::<TenantAdmin>(None).await.err();
        assert_eq!(refused, Some(AppError::Unauthorized));
        let SuperAdmin(found) = extract::<SuperAdmin>(Some(root.clone()))
            .await
            .expect("a super administrator");
        assert_eq!(found, root);
        let refused = extract::<SuperAdmin>(Some(tenant_admin)).await.err();
        assert_eq!(refused, Some(AppError::Forbidden));
        let refused = extract::<SuperAdmin>(None).await.err();
        assert_eq!(refused, Some(AppError::Unauthorized));
    }
}
