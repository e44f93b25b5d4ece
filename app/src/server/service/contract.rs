//! A tenant's subscription and contract, edited from the console: every field checked, each
//! wrong one refused beside it and nothing saved; a change is audited with before and after.

use chrono::NaiveDate;

use super::super::db::{
    self, Db, audit::Change, pools, subscriptions, subscriptions::SubscriptionRow,
};
use super::refills::MAX_DELTA;
use crate::error::AppError;
use crate::model::console::Refusal;
use crate::model::contract::ContractForm;
use crate::model::{LicenseModel, PoolKey, TenantId};

/// A typed value read, or the refusal that names its field.
pub(super) fn read<T: std::str::FromStr>(text: &str, refusal: Refusal) -> Result<T, Refusal> {
    text.trim().parse().map_err(|_| refusal)
}

pub(super) fn model(text: &str) -> Result<LicenseModel, Refusal> {
    read(text, Refusal::ModelInvalid)
}

pub(super) fn start(text: &str) -> Result<NaiveDate, Refusal> {
    read(text, Refusal::StartInvalid)
}

pub(super) fn end(text: &str) -> Result<NaiveDate, Refusal> {
    read(text, Refusal::EndInvalid)
}

/// A session duration: empty (the default window), or 1 to 1440 minutes.
pub(super) fn session_minutes(text: &str) -> Result<Option<i32>, Refusal> {
    match text.trim() {
        "" => Ok(None),
        text => read::<i32>(text, Refusal::SessionInvalid)
            .ok()
            .filter(|m| (1..=1440).contains(m))
            .map(Some)
            .ok_or(Refusal::SessionInvalid),
    }
}

/// A whole number in `range`, or the refusal; empty reads as `empty`.
pub(super) fn within(
    text: &str,
    empty: i64,
    range: std::ops::RangeInclusive<i64>,
    refusal: Refusal,
) -> Result<i64, Refusal> {
    let n = match text.trim() {
        "" => empty,
        text => read::<i64>(text, refusal)?,
    };
    if range.contains(&n) {
        Ok(n)
    } else {
        Err(refusal)
    }
}

/// Collects the refusals of a form's fields while reading them.
#[derive(Default)]
struct Refusals(Vec<Refusal>);

impl Refusals {
    fn take<T>(&mut self, read: Result<T, Refusal>) -> Option<T> {
        read.map_err(|refusal| self.0.push(refusal)).ok()
    }
}

/// The subscription the form describes, or every field refused, in the form's order.
pub fn validate(form: &ContractForm) -> Result<SubscriptionRow, Vec<Refusal>> {
    let mut refusals = Refusals::default();
    let model = refusals.take(model(&form.license_model));
    let start = refusals.take(start(&form.contract_start));
    let end = refusals.take(end(&form.contract_end));
    if let (Some(start), Some(end)) = (start, end)
        && end < start
    {
        refusals.0.push(Refusal::EndsBeforeStart);
    }
    let session = refusals.take(session_minutes(&form.session_minutes));
    let thresholds = refusals.take(read(&form.thresholds, Refusal::ThresholdsInvalid));
    let notices = refusals.take(read(&form.contract_notice_days, Refusal::NoticeDaysInvalid));
    let on = form.auto_refill_on();
    let amounts = if on { 1..=MAX_DELTA } else { 0..=MAX_DELTA };
    let amount = refusals.take(within(
        &form.auto_refill_amount,
        0,
        amounts,
        Refusal::RefillAmountInvalid,
    ));
    let percent = refusals.take(within(
        &form.auto_refill_percent,
        95,
        1..=100,
        Refusal::RefillPercentInvalid,
    ));
    let cap = refusals.take(within(
        &form.auto_refill_max_per_month,
        1,
        1..=100,
        Refusal::RefillCapInvalid,
    ));
    let (
        Some(model),
        Some(start),
        Some(end),
        Some(session),
        Some(thresholds),
        Some(notices),
        Some(amount),
        Some(percent),
        Some(cap),
    ) = (
        model, start, end, session, thresholds, notices, amount, percent, cap,
    )
    else {
        return Err(refusals.0);
    };
    if !refusals.0.is_empty() {
        return Err(refusals.0);
    }
    Ok(SubscriptionRow {
        license_model: model,
        contract_start: start,
        contract_end: end,
        session_minutes: session,
        thresholds,
        contract_notice_days: notices,
        auto_refill: on,
        auto_refill_amount: amount,
        // Both are within 1..=100.
        auto_refill_percent: percent as i32,
        auto_refill_max_per_month: cap as i32,
    })
}

/// The form as the subscription stands: what the console's page starts from.
pub fn form_of(sub: &SubscriptionRow) -> ContractForm {
    ContractForm {
        license_model: sub.license_model.as_str().to_string(),
        contract_start: sub.contract_start.to_string(),
        contract_end: sub.contract_end.to_string(),
        session_minutes: sub
            .session_minutes
            .map(|m| m.to_string())
            .unwrap_or_default(),
        thresholds: sub.thresholds.to_string(),
        contract_notice_days: sub.contract_notice_days.to_string(),
        auto_refill: if sub.auto_refill { "on" } else { "" }.to_string(),
        auto_refill_amount: sub.auto_refill_amount.to_string(),
        auto_refill_percent: sub.auto_refill_percent.to_string(),
        auto_refill_max_per_month: sub.auto_refill_max_per_month.to_string(),
        reason: String::new(),
    }
}

/// The subscription as the audit log keeps it.
fn logged(sub: &SubscriptionRow) -> serde_json::Value {
    serde_json::json!({
        "license_model": sub.license_model.as_str(),
        "contract_start": sub.contract_start.to_string(),
        "contract_end": sub.contract_end.to_string(),
        "session_minutes": sub.session_minutes,
        "thresholds": sub.thresholds.to_string(),
        "contract_notice_days": sub.contract_notice_days.to_string(),
        "auto_refill": sub.auto_refill,
        "auto_refill_amount": sub.auto_refill_amount,
        "auto_refill_percent": sub.auto_refill_percent,
        "auto_refill_max_per_month": sub.auto_refill_max_per_month,
    })
}

/// Saves the tenant's subscription as the form gives it, for the form's reason, with its audit
/// row in the same transaction. Every wrong field is refused (`RefusedFields`) and nothing is
/// saved; so is a form that changes nothing. A new license model gains its main pools (the
/// old model's pools stay, with their history).
pub async fn update(
    db: &Db,
    tenant: TenantId,
    form: &ContractForm,
    actor: &str,
) -> Result<(), AppError> {
    // The reason's rule is the one every console change keeps.
    let mut refused: Vec<Refusal> = match super::tenants::reason(&form.reason) {
        Err(AppError::Refused(refusal)) => vec![refusal],
        _ => Vec::new(),
    };
    let sub = match validate(form) {
        Ok(sub) if refused.is_empty() => sub,
        Ok(_) => return Err(AppError::RefusedFields(refused)),
        Err(mut fields) => {
            refused.append(&mut fields);
            return Err(AppError::RefusedFields(refused));
        }
    };
    let (reason, now, mut tx) = super::tenants::begin_change(db, &form.reason).await?;
    let before = subscriptions::get(&mut tx, tenant)
        .await?
        .ok_or(AppError::NotFound)?;
    if before == sub {
        return Err(AppError::Refused(Refusal::NothingChanges));
    }
    subscriptions::upsert(&mut tx, tenant, &sub, now).await?;
    for key in PoolKey::main_pools(sub.license_model) {
        pools::ensure(&mut tx, tenant, key.as_str(), "hard", now).await?;
    }
    let change = Change::new(Some(tenant), actor, "subscription.update", now)
        .because(reason)
        .before(logged(&before))
        .after(logged(&sub));
    db::audit::record(&mut tx, &change).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ContractForm {
        ContractForm {
            license_model: "session_based".into(),
            contract_start: "2026-01-01".into(),
            contract_end: "2026-12-31".into(),
            session_minutes: "45".into(),
            thresholds: "50, 90".into(),
            contract_notice_days: "14".into(),
            auto_refill: "on".into(),
            auto_refill_amount: "100".into(),
            auto_refill_percent: "90".into(),
            auto_refill_max_per_month: "2".into(),
            reason: "renewal".into(),
        }
    }

    #[test]
    fn a_whole_form_reads_and_round_trips_through_the_page() {
        let sub = validate(&form()).expect("valid");
        assert_eq!(sub.session_minutes, Some(45));
        assert_eq!(sub.thresholds.as_slice(), [50, 90]);
        assert!(sub.auto_refill);
        assert_eq!((sub.auto_refill_amount, sub.auto_refill_percent), (100, 90));
        assert_eq!(validate(&form_of(&sub)), Ok(sub));
    }

    #[test]
    fn every_wrong_field_is_named_in_the_forms_order() {
        let bad = ContractForm {
            license_model: "seat".into(),
            contract_start: "2026-02-30".into(),
            session_minutes: "0".into(),
            thresholds: "75,120".into(),
            contract_notice_days: "x".into(),
            auto_refill_amount: "".into(),
            auto_refill_percent: "0".into(),
            auto_refill_max_per_month: "101".into(),
            ..form()
        };
        assert_eq!(
            validate(&bad),
            Err(vec![
                Refusal::ModelInvalid,
                Refusal::StartInvalid,
                Refusal::SessionInvalid,
                Refusal::ThresholdsInvalid,
                Refusal::NoticeDaysInvalid,
                Refusal::RefillAmountInvalid,
                Refusal::RefillPercentInvalid,
                Refusal::RefillCapInvalid,
            ])
        );
        let backwards = ContractForm {
            contract_end: "2025-12-31".into(),
            ..form()
        };
        assert_eq!(validate(&backwards), Err(vec![Refusal::EndsBeforeStart]));
    }

    #[test]
    fn auto_refill_off_takes_no_amount() {
        let off = ContractForm {
            auto_refill: String::new(),
            auto_refill_amount: String::new(),
            ..form()
        };
        let sub = validate(&off).expect("valid");
        assert!(!sub.auto_refill);
        assert_eq!(sub.auto_refill_amount, 0);
    }
}
