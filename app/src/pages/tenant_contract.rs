//! The subscription and contract of a tenant in the console: license model, dates, session
//! duration, alert thresholds, contract-end notices and auto-refill, in one plain form. A
//! refused form comes back as it was typed, each wrong field with its reason beside it.

use leptos::prelude::*;

use crate::i18n::td_string;
use crate::locale::use_locale;
use crate::model::console::Refusal;
use crate::model::contract::ContractForm;
use crate::pages::new_tenant::{Field, ModelSelect};
use crate::pages::tenant_console::refusal_text;

/// The form's name in the redirect back (`?done=contract` / `?refused=contract&code=a,b`).
pub const FORM: &str = "contract";

/// The fields of the form; a refusal about any other is said above it.
const FIELDS: [&str; 11] = [
    "license_model",
    "contract_start",
    "contract_end",
    "session_minutes",
    "thresholds",
    "contract_notice_days",
    "auto_refill",
    "auto_refill_amount",
    "auto_refill_percent",
    "auto_refill_max_per_month",
    "reason",
];

/// What the redirect back says of this form: done, or the form as typed and its refusals.
pub(crate) fn outcome(
    query: &leptos_router::params::ParamsMap,
) -> Option<Result<(), (ContractForm, Vec<Refusal>)>> {
    if query.get("done").as_deref() == Some(FORM) {
        return Some(Ok(()));
    }
    if query.get("refused").as_deref() != Some(FORM) {
        return None;
    }
    let refusals = query
        .get("code")?
        .split(',')
        .filter_map(|code| Refusal::parse(code, None))
        .collect();
    let get = |name: &str| query.get(name).unwrap_or_default();
    let typed = ContractForm {
        license_model: get("license_model"),
        contract_start: get("contract_start"),
        contract_end: get("contract_end"),
        session_minutes: get("session_minutes"),
        thresholds: get("thresholds"),
        contract_notice_days: get("contract_notice_days"),
        auto_refill: get("auto_refill"),
        auto_refill_amount: get("auto_refill_amount"),
        auto_refill_percent: get("auto_refill_percent"),
        auto_refill_max_per_month: get("auto_refill_max_per_month"),
        reason: String::new(),
    };
    Some(Err((typed, refusals)))
}

#[component]
pub fn ContractSection(
    action: String,
    current: ContractForm,
    said: Option<Result<(), (ContractForm, Vec<Refusal>)>>,
) -> impl IntoView {
    let l = use_locale();
    let (form, refused, done) = match said {
        Some(Err((typed, refused))) => (typed, refused, false),
        Some(Ok(())) => (current, Vec::new(), true),
        None => (current, Vec::new(), false),
    };
    let general: Vec<Refusal> = refused
        .iter()
        .copied()
        .filter(|r| !FIELDS.contains(&r.field()))
        .collect();
    let auto = form.auto_refill_on();
    let model = form.license_model.clone();
    view! {
        <section id=FORM class="card">
            <h2>{td_string!(l, console.contract_title)}</h2>
            {done.then(|| view! { <p class="notice" role="status" data-outcome="done">{td_string!(l, console.done_contract)}</p> })}
            {general.into_iter().map(|r| view! {
                <p class="error" role="alert" data-outcome="refused" data-field=r.field()>{refusal_text(l, r)}</p>
            }).collect_view()}
            <form method="post" action=action class="stacked" data-form=FORM>
                <ModelSelect selected=model />
                <Field name="contract_start" kind="date" label=td_string!(l, console.contract_start) value=form.contract_start refused=refused.clone() />
                <Field name="contract_end" kind="date" label=td_string!(l, console.contract_end) value=form.contract_end refused=refused.clone() />
                <Field name="session_minutes" label=td_string!(l, console.session_minutes) value=form.session_minutes refused=refused.clone() />
                <Field name="thresholds" label=td_string!(l, console.thresholds) value=form.thresholds refused=refused.clone() />
                <Field name="contract_notice_days" label=td_string!(l, console.notice_days) value=form.contract_notice_days refused=refused.clone() />
                <label class="field check"><input type="checkbox" name="auto_refill" value="on" checked=auto />" "{td_string!(l, console.auto_refill)}</label>
                <Field name="auto_refill_amount" label=td_string!(l, console.auto_refill_amount) value=form.auto_refill_amount refused=refused.clone() />
                <Field name="auto_refill_percent" label=td_string!(l, console.auto_refill_percent) value=form.auto_refill_percent refused=refused.clone() />
                <Field name="auto_refill_max_per_month" label=td_string!(l, console.auto_refill_cap) value=form.auto_refill_max_per_month refused=refused.clone() />
                <Field name="reason" label=td_string!(l, console.reason) value=String::new() refused=refused />
                <button type="submit" class="button primary" data-action="save-contract">{td_string!(l, console.save_contract)}</button>
            </form>
        </section>
    }
}
