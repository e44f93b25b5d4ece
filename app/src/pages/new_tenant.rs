//! The console's New tenant form: one plain post creates the tenant, its first purchase and
//! its first administrator's invitation. A refused field comes back with the form as typed and
//! the reason beside that field.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::i18n::td_string;
use crate::locale::use_locale;
use crate::model::console::{NewTenantForm, Refusal};
use crate::model::{LicenseModel, Locale};
use crate::pages::subscription::model_label;
use crate::pages::tenant_console::refusal_text;
use crate::paths;

/// One labelled input, with the refusal beside it when it is one of those refused.
#[component]
pub(crate) fn Field(
    name: &'static str,
    label: &'static str,
    value: String,
    refused: Vec<Refusal>,
    #[prop(default = "text")] kind: &'static str,
) -> impl IntoView {
    let l = use_locale();
    let problem = refused.into_iter().find(|r| r.field() == name);
    let required = !matches!(
        name,
        "session_minutes" | "licenses" | "time_zone" | "auto_refill_amount"
    );
    view! {
        <label class="field">{label}" "
            <input type=kind name=name value=value required=required aria-invalid=problem.is_some().then_some("true") />
            {problem.map(|r| view! { <span class="error" role="alert" data-refused=name>{refusal_text(l, r)}</span> })}
        </label>
    }
}

/// The license model, one of three.
#[component]
pub(crate) fn ModelSelect(selected: String) -> impl IntoView {
    let l = use_locale();
    view! {
        <label class="field">{td_string!(l, console.model)}" "<select name="license_model">
            {LicenseModel::ALL.iter().map(|m| view! {
                <option value=m.as_str() selected=selected == m.as_str()>{model_label(l, *m)}</option>
            }).collect_view()}
        </select></label>
    }
}

/// A language by its own name.
fn language_name(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "English",
        Locale::PtBr => "Português (Brasil)",
    }
}

#[component]
pub fn NewTenant() -> impl IntoView {
    let l = use_locale();
    let query = use_query_map();
    move || {
        let (typed, refused) = query.with(|q| {
            let get = |name: &str| q.get(name).unwrap_or_default();
            let typed = NewTenantForm {
                name: get("name"),
                slug: get("slug"),
                time_zone: get("time_zone"),
                locale: get("locale"),
                license_model: get("license_model"),
                contract_start: get("contract_start"),
                contract_end: get("contract_end"),
                session_minutes: get("session_minutes"),
                licenses: get("licenses"),
                administrator: get("administrator"),
                reason: String::new(),
            };
            let refused: Vec<Refusal> = (q.get("refused").as_deref() == Some("create"))
                .then(|| q.get("code").and_then(|code| Refusal::parse(&code, None)))
                .flatten()
                .into_iter()
                .collect();
            (typed, refused)
        });
        let model = typed.license_model.clone();
        let locale = typed.locale.clone();
        view! {
            <details class="card" id="create" open=!refused.is_empty()>
                <summary><h2>{td_string!(l, console.new_tenant)}</h2></summary>
                <form method="post" action=paths::ADMIN_TENANTS class="stacked" data-form="create">
                    <Field name="name" label=td_string!(l, console.name) value=typed.name refused=refused.clone() />
                    <Field name="slug" label=td_string!(l, console.slug) value=typed.slug refused=refused.clone() />
                    <Field name="time_zone" label=td_string!(l, console.time_zone) value=typed.time_zone refused=refused.clone() />
                    <label class="field">{td_string!(l, console.language)}" "<select name="locale">
                        {Locale::ALL.iter().map(|loc| view! {
                            <option value=loc.as_str() selected=locale == loc.as_str()>{language_name(*loc)}</option>
                        }).collect_view()}
                    </select></label>
                    <ModelSelect selected=model />
                    <Field name="contract_start" kind="date" label=td_string!(l, console.contract_start) value=typed.contract_start refused=refused.clone() />
                    <Field name="contract_end" kind="date" label=td_string!(l, console.contract_end) value=typed.contract_end refused=refused.clone() />
                    <Field name="session_minutes" label=td_string!(l, console.session_minutes) value=typed.session_minutes refused=refused.clone() />
                    <Field name="licenses" label=td_string!(l, console.first_licenses) value=typed.licenses refused=refused.clone() />
                    <Field name="administrator" kind="email" label=td_string!(l, console.administrator) value=typed.administrator refused=refused.clone() />
                    <Field name="reason" label=td_string!(l, console.reason) value=String::new() refused=refused.clone() />
                    <button type="submit" class="button primary" data-action="create-tenant">{td_string!(l, console.create_tenant)}</button>
                </form>
            </details>
        }
    }
}
