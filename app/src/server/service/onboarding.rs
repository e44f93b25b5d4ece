//! A new tenant from the console's one form, and its first administrator's invitation to
//! choose a password.

use super::super::auth::{hash_password, random_token, token_hash};
use super::super::db::{self, Db, administrators, audit::Change, invitations, now_ms, shown_once};
use super::contract;
use super::refills::{self, Refill};
use super::tenants::{self, TenantSpec};
use crate::error::AppError;
use crate::model::console::{NewTenantForm, Refusal};
use crate::model::{EmailAddress, Locale, PoolKey, TenantId, TenantState};

/// How long an invitation works.
pub const INVITATION_DAYS: i64 = 7;

/// What `shown_once` files a new invitation link under, for the page that shows it: the
/// tenant's, or with no tenant the super administrators'.
pub fn shown_subject(tenant: Option<TenantId>) -> String {
    match tenant {
        Some(tenant) => format!("invitation:{}", tenant.0),
        None => "invitation:super".into(),
    }
}

/// The form as a tenant to create, its first purchase and its administrator; or the first
/// field refused, in the form's order.
fn validate(form: &NewTenantForm) -> Result<(TenantSpec, i64, EmailAddress), AppError> {
    let refused = |refusal| Err(AppError::Refused(refusal));
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return refused(Refusal::TenantNameInvalid);
    }
    let slug = tenants::parse_slug(form.slug.trim())
        .map_err(|_| AppError::Refused(Refusal::SlugInvalid))?;
    let time_zone = match form.time_zone.trim() {
        "" => "UTC",
        zone => zone,
    };
    if time_zone.parse::<chrono_tz::Tz>().is_err() {
        return refused(Refusal::TimeZoneInvalid);
    }
    let locale: Locale =
        contract::read(&form.locale, Refusal::LanguageInvalid).map_err(AppError::Refused)?;
    let model = contract::model(&form.license_model).map_err(AppError::Refused)?;
    let start = contract::start(&form.contract_start).map_err(AppError::Refused)?;
    let end = contract::end(&form.contract_end).map_err(AppError::Refused)?;
    if end < start {
        return refused(Refusal::EndsBeforeStart);
    }
    let session_minutes =
        contract::session_minutes(&form.session_minutes).map_err(AppError::Refused)?;
    let licenses = contract::within(
        &form.licenses,
        0,
        0..=refills::MAX_DELTA,
        Refusal::LicensesInvalid,
    )
    .map_err(AppError::Refused)?;
    let administrator = EmailAddress::parse(form.administrator.trim())
        .map_err(|_| AppError::Refused(Refusal::EmailInvalid))?;
    let mut subscription = db::subscriptions::SubscriptionRow::new(model, start, end);
    subscription.session_minutes = session_minutes;
    let spec = TenantSpec {
        slug: slug.to_string(),
        name: name.to_string(),
        state: TenantState::Active,
        time_zone: time_zone.to_string(),
        locale,
        subscription,
        extra_pools: Vec::new(),
        technical_emails: Vec::new(),
        billing_emails: Vec::new(),
    };
    Ok((spec, licenses, administrator))
}

/// Creates the tenant the console's form describes, active, in one transaction: its
/// subscription, its model's main pools with the first purchase of each on the ledger, and its
/// first administrator, invited to choose a password. Every field is checked before anything
/// is saved; the first one refused is named. The tenant and the invitation link's path, which
/// is kept for `shown_to` (the super administrator creating it, if any) to see once.
pub async fn create_tenant(
    db: &Db,
    form: &NewTenantForm,
    shown_to: Option<i64>,
    actor: &str,
) -> Result<(TenantId, String), AppError> {
    let (spec, licenses, email) = validate(form)?;
    let reason = tenants::reason(&form.reason)?;
    let now = now_ms();
    let mut tx = db.begin().await?;
    let tenant = tenants::create_in(&mut tx, &spec, actor, reason).await?;
    for pool in PoolKey::main_pools(spec.subscription.license_model) {
        if licenses > 0 {
            let first = Refill {
                kind: "manual",
                delta: licenses,
                actor,
                note: reason,
                at: now,
            };
            refills::refill(&mut tx, tenant, pool.as_str(), &first).await?;
        }
    }
    let link = add_administrator(&mut tx, Some(tenant), &email, reason, shown_to, actor).await?;
    tx.commit().await?;
    Ok((tenant, link))
}

/// A new administrator of the tenant (`None`: a super administrator), invited: no password
/// works until the invitation is accepted. The link's path, kept for `shown_to` to see once.
async fn add_administrator(
    tx: &mut db::Conn,
    tenant: Option<TenantId>,
    email: &EmailAddress,
    reason: &str,
    shown_to: Option<i64>,
    actor: &str,
) -> Result<String, AppError> {
    let now = now_ms();
    // `!` is no hash: no password matches it.
    let admin = match administrators::insert(tx, email.as_str(), "!", tenant, now).await {
        Err(e) if db::violates_unique(&e, "administrators_email_key", "administrators.email") => {
            return Err(AppError::Refused(Refusal::EmailTaken));
        }
        other => other?,
    };
    let link = invite(tx, admin, actor, now).await?;
    if let Some(administrator) = shown_to {
        shown_once::put(tx, administrator, &shown_subject(tenant), &link, now).await?;
    }
    let change = Change::new(tenant, actor, "administrator.invite", now)
        .because(reason)
        .after(serde_json::json!({ "email": email.as_str() }));
    db::audit::record(tx, &change).await?;
    Ok(link)
}

/// Invites one more administrator to the tenant (`None`: one more super administrator), for
/// the reason given; the link is kept for the super administrator `shown_to` to see once.
pub async fn invite_administrator(
    db: &Db,
    tenant: Option<TenantId>,
    email: &str,
    reason: &str,
    shown_to: i64,
    actor: &str,
) -> Result<(), AppError> {
    let email =
        EmailAddress::parse(email.trim()).map_err(|_| AppError::Refused(Refusal::EmailInvalid))?;
    let reason = tenants::reason(reason)?;
    let mut tx = db.begin().await?;
    add_administrator(&mut tx, tenant, &email, reason, Some(shown_to), actor).await?;
    tx.commit().await?;
    Ok(())
}

/// The email of one of the tenant's (`None`: the super) enabled administrators, or the
/// refusal.
async fn enabled(
    tx: &mut db::Conn,
    tenant: Option<TenantId>,
    administrator: i64,
) -> Result<String, AppError> {
    administrators::enabled_email(tx, tenant, administrator)
        .await?
        .ok_or(AppError::Refused(Refusal::NoSuchAdministrator))
}

/// A new invitation for one of the tenant's enabled administrators (the old link stops
/// working), for the reason given; kept for `shown_to` to see once.
pub async fn reinvite(
    db: &Db,
    tenant: Option<TenantId>,
    administrator: i64,
    reason: &str,
    shown_to: i64,
    actor: &str,
) -> Result<(), AppError> {
    let (reason, now, mut tx) = tenants::begin_change(db, reason).await?;
    let email = enabled(&mut tx, tenant, administrator).await?;
    let link = invite(&mut tx, administrator, actor, now).await?;
    shown_once::put(&mut tx, shown_to, &shown_subject(tenant), &link, now).await?;
    let change = Change::new(tenant, actor, "administrator.reinvite", now)
        .because(reason)
        .after(serde_json::json!({ "email": email }));
    db::audit::record(&mut tx, &change).await?;
    tx.commit().await?;
    Ok(())
}

/// Disables one of the tenant's (`None`: the super) administrators, for the reason given:
/// signed out at once, and no sign-in or invitation of theirs works from then on. `me`, the
/// super administrator doing it, cannot disable themself (someone must stay to sign in).
pub async fn disable(
    db: &Db,
    tenant: Option<TenantId>,
    administrator: i64,
    reason: &str,
    (me, actor): (i64, &str),
) -> Result<(), AppError> {
    if administrator == me {
        return Err(AppError::Refused(Refusal::DisablingYourself));
    }
    let (reason, now, mut tx) = tenants::begin_change(db, reason).await?;
    let email = enabled(&mut tx, tenant, administrator).await?;
    administrators::disable(&mut tx, tenant, administrator, now).await?;
    let change = Change::new(tenant, actor, "administrator.disable", now)
        .because(reason)
        .before(serde_json::json!({ "email": email, "enabled": true }))
        .after(serde_json::json!({ "email": email, "enabled": false }));
    db::audit::record(&mut tx, &change).await?;
    tx.commit().await?;
    Ok(())
}

/// A new invitation for the administrator (any earlier one stops working): its link's path.
async fn invite(
    tx: &mut db::Conn,
    administrator: i64,
    actor: &str,
    now: i64,
) -> Result<String, AppError> {
    let token = random_token();
    let expires = now + INVITATION_DAYS * 24 * 3_600_000;
    invitations::replace(tx, administrator, &token_hash(&token), actor, now, expires).await?;
    Ok(format!("{}?token={token}", crate::paths::INVITE))
}

/// The email an invitation token is for, while it works.
pub async fn invited(db: &Db, token: &str) -> Result<Option<String>, AppError> {
    let found = invitations::find(&mut *db.conn().await?, &token_hash(token), now_ms()).await?;
    Ok(found.map(|(_, email, _)| email))
}

/// Accepts an invitation: the administrator's password becomes `password` and the invitation
/// is used up. The administrator's email, for signing in; `NotFound` for a token that does not
/// work (unknown, used or expired).
pub async fn accept(db: &Db, token: &str, password: &str) -> Result<String, AppError> {
    let min = super::accounts::MIN_PASSWORD_CHARS;
    if password.chars().count() < min {
        return Err(AppError::Invalid(format!(
            "The password needs at least {min} characters."
        )));
    }
    let owned = password.to_string();
    let hash = tokio::task::spawn_blocking(move || hash_password(&owned))
        .await
        .map_err(|e| super::super::error::internal("hashing a password", &e))??;
    let hashed_token = token_hash(token);
    let now = now_ms();
    let mut tx = db.begin().await?;
    let (id, email, tenant) = invitations::find(&mut tx, &hashed_token, now)
        .await?
        .ok_or(AppError::NotFound)?;
    if !invitations::consume(&mut tx, &hashed_token).await? {
        return Err(AppError::NotFound);
    }
    administrators::set_password(&mut tx, id, &hash).await?;
    let change = Change::new(tenant.map(TenantId), &email, "administrator.accept", now)
        .after(serde_json::json!({ "email": email }));
    db::audit::record(&mut tx, &change).await?;
    tx.commit().await?;
    Ok(email)
}
