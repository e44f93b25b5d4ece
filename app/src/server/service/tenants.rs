//! Creating and listing tenants.

use super::super::db::{
    self, Db, contacts, contacts::ContactKind, now_ms, pools, subscriptions, tenants,
};
use crate::error::AppError;
use crate::model::TenantId;
use crate::model::console::Refusal;
use crate::model::{EmailAddress, Locale, PoolKey, TenantState};

/// Everything a new tenant starts with.
#[derive(Debug, Clone)]
pub struct TenantSpec {
    pub slug: String,
    pub name: String,
    pub state: TenantState,
    pub time_zone: String,
    pub locale: Locale,
    pub subscription: subscriptions::SubscriptionRow,
    /// Pools beyond the model's main pools, with their enforcement.
    pub extra_pools: Vec<(PoolKey, String)>,
    pub technical_emails: Vec<String>,
    pub billing_emails: Vec<String>,
}

/// The day it is for the tenant, in its time zone: where the default report ranges end.
pub async fn today(db: &Db, tenant: TenantId) -> Result<chrono::NaiveDate, AppError> {
    let row = tenants::get(&mut *db.conn().await?, tenant)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(super::super::zone::today(
        super::super::zone::parse(&row.time_zone),
        chrono::Utc::now(),
    ))
}

/// A slug names a tenant in URLs and the CLI: 2 to 40 lowercase letters, digits and dashes.
pub fn parse_slug(slug: &str) -> Result<&str, AppError> {
    let ok = (2..=40).contains(&slug.len())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    if ok {
        Ok(slug)
    } else {
        Err(AppError::Invalid(format!(
            "`{slug}` is not a valid slug: use 2 to 40 lowercase letters, digits and dashes"
        )))
    }
}

/// Parses, deduplicates and caps a contact list.
pub fn parse_contacts(emails: &[String]) -> Result<Vec<String>, AppError> {
    let mut parsed: Vec<String> = Vec::new();
    for email in emails.iter().filter(|e| !e.trim().is_empty()) {
        let email = EmailAddress::parse(email)
            .map_err(AppError::Invalid)?
            .to_string();
        if !parsed.contains(&email) {
            parsed.push(email);
        }
    }
    if parsed.len() > 20 {
        return Err(AppError::Invalid("At most 20 addresses per list.".into()));
    }
    Ok(parsed)
}

/// Creates a tenant with its subscription, pools and contacts in one transaction.
pub async fn create(db: &Db, spec: &TenantSpec, actor: &str) -> Result<TenantId, AppError> {
    let mut tx = db.begin().await?;
    let tenant = create_in(&mut tx, spec, actor, "").await?;
    tx.commit().await?;
    Ok(tenant)
}

/// `create` in the caller's transaction, audited with `reason`.
pub async fn create_in(
    tx: &mut db::Conn,
    spec: &TenantSpec,
    actor: &str,
    reason: &str,
) -> Result<TenantId, AppError> {
    parse_slug(&spec.slug)?;
    let model = spec.subscription.license_model;
    if spec.subscription.contract_end < spec.subscription.contract_start {
        return Err(AppError::Invalid(
            "The contract ends before it starts.".into(),
        ));
    }
    let technical = parse_contacts(&spec.technical_emails)?;
    let billing = parse_contacts(&spec.billing_emails)?;
    let now = now_ms();
    let new = tenants::NewTenant {
        slug: &spec.slug,
        name: &spec.name,
        state: spec.state,
        time_zone: &spec.time_zone,
        locale: spec.locale,
    };
    let tenant = match tenants::insert(tx, &new, now).await {
        Err(e) if db::violates_unique(&e, "tenants_slug_key", "tenants.slug") => {
            return Err(AppError::Refused(Refusal::SlugTaken));
        }
        other => other?,
    };
    let why = if reason.is_empty() { "created" } else { reason };
    tenants::record_state_change(tx, tenant, None, spec.state, why, actor, now).await?;
    subscriptions::upsert(tx, tenant, &spec.subscription, now).await?;
    for key in PoolKey::main_pools(model) {
        pools::ensure(tx, tenant, key.as_str(), "hard", now).await?;
    }
    for (key, enforcement) in &spec.extra_pools {
        pools::ensure(tx, tenant, key.as_str(), enforcement, now).await?;
    }
    contacts::replace(tx, tenant, ContactKind::Technical, &technical).await?;
    contacts::replace(tx, tenant, ContactKind::Billing, &billing).await?;
    let after = serde_json::json!({
        "slug": spec.slug, "name": spec.name, "state": spec.state, "license_model": model,
        "contract_start": spec.subscription.contract_start, "contract_end": spec.subscription.contract_end,
    });
    let change = db::audit::Change::new(Some(tenant), actor, "tenant.create", now)
        .because(reason)
        .after(after);
    db::audit::record(tx, &change).await?;
    Ok(tenant)
}

/// The tenant a slug names, or `NotFound`.
pub async fn by_slug(db: &Db, slug: &str) -> Result<TenantId, AppError> {
    tenants::by_slug(&mut *db.conn().await?, slug)
        .await?
        .map(|row| row.tenant_id())
        .ok_or(AppError::NotFound)
}

/// The reason a console change was given, trimmed; refused when there is none.
pub fn reason(text: &str) -> Result<&str, AppError> {
    match text.trim() {
        "" => Err(AppError::Refused(Refusal::ReasonMissing)),
        reason => Ok(reason),
    }
}

/// A console change begins: its reason checked (refused when there is none), the time it is
/// made at, and the transaction it and its audit row go into.
pub async fn begin_change<'r>(
    db: &Db,
    reason_given: &'r str,
) -> Result<(&'r str, i64, db::WriteTx), AppError> {
    let reason = reason(reason_given)?;
    Ok((reason, now_ms(), db.begin().await?))
}

/// Moves a tenant to another state, for the reason given: its state history and the audit log
/// record the move in the same transaction. The state decides the rest where it is read
/// (suspended and canceled: sign-in and the API refused; expired: read only).
pub async fn change_state(
    db: &Db,
    tenant: TenantId,
    to: TenantState,
    reason_given: &str,
    actor: &str,
) -> Result<(), AppError> {
    let (reason, now, mut tx) = begin_change(db, reason_given).await?;
    let from = tenants::get(&mut tx, tenant)
        .await?
        .ok_or(AppError::NotFound)?
        .state();
    if from == to {
        return Err(AppError::Refused(Refusal::SameState));
    }
    tenants::set_state(&mut tx, tenant, to, reason, actor, now).await?;
    let change = db::audit::Change::new(Some(tenant), actor, "tenant.state", now)
        .because(reason)
        .before(serde_json::json!({ "state": from }))
        .after(serde_json::json!({ "state": to }));
    db::audit::record(&mut tx, &change).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        for ok in ["acme", "a1", "big-co-2"] {
            assert!(parse_slug(ok).is_ok(), "{ok}");
        }
        for bad in ["", "a", "Acme", "-acme", "acme-", "ac me", "acme/../x"] {
            assert!(parse_slug(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn contact_lists_are_validated_deduplicated_and_capped() {
        let list = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            parse_contacts(&list(&[
                "Ops@Acme.test",
                "ops@acme.test",
                " ",
                "bill@acme.test"
            ])),
            Ok(list(&["ops@acme.test", "bill@acme.test"]))
        );
        assert!(
            matches!(parse_contacts(&list(&["ops@acme.test", "nope"])), Err(AppError::Invalid(m)) if m.contains("nope"))
        );
        let many: Vec<String> = (0..21).map(|i| format!("p{i}@acme.test")).collect();
        assert!(parse_contacts(&many).is_err());
        assert_eq!(parse_contacts(&many[..20]).map(|v| v.len()), Ok(20));
    }
}
