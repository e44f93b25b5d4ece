//! Administrators' accounts.

use super::super::auth::hash_password;
use super::super::db::{self, Db, now_ms};
use crate::error::AppError;
use crate::model::EmailAddress;
use crate::model::TenantId;

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Creates an administrator: a super administrator when `tenant` is `None`.
pub async fn create_administrator(
    db: &Db,
    email: &str,
    password: &str,
    tenant: Option<TenantId>,
) -> Result<i64, AppError> {
    let email = EmailAddress::parse(email).map_err(AppError::Invalid)?;
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AppError::Invalid(format!(
            "The password needs at least {MIN_PASSWORD_CHARS} characters."
        )));
    }
    let password = password.to_string();
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| super::super::error::internal("hashing a password", &e))??;
    let mut conn = db.conn().await?;
    match db::administrators::insert(&mut conn, email.as_str(), &hash, tenant, now_ms()).await {
        Err(e) if db::violates_unique(&e, "administrators_email_key", "administrators.email") => {
            Err(AppError::Invalid(format!(
                "An administrator with the email {email} already exists."
            )))
        }
        other => Ok(other?),
    }
}

/// Keeps the language an administrator chose.
pub async fn set_locale(
    db: &Db,
    identity: &super::super::auth::Identity,
    locale: crate::model::Locale,
) -> Result<(), AppError> {
    let mut conn = db.conn().await?;
    db::administrators::set_locale(&mut conn, identity.administrator_id, locale.as_str()).await?;
    Ok(())
}
