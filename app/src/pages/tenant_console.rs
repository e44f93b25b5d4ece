//! A tenant in the super administrator's console: its state and the history of changes, its
//! pools with a refill form and the ledger, and its API keys. Every form is a plain post that
//! comes back here saying what was done or why it was refused (`?done=` / `?refused=&code=`).

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::admin::admin_tenant;
use crate::components::layout::Layout;
use crate::components::page_data::page_data;
use crate::i18n::Locale as Ui;
use crate::i18n::td_string;
use crate::locale::{decimal, number, pool_label, use_locale};
use crate::model::console::{
    ApiKeyEntry, ConsolePool, LedgerEntry, Refusal, StateChange, TenantConsole,
};
use crate::model::{PoolKey, TenantState};
use crate::pages::subscription::{model_label, state_label};
use crate::paths;

/// What the redirect back from a form says: the form, and its refusal if it was refused.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    pub(crate) form: &'static str,
    refusal: Option<Refusal>,
}

const FORMS: [&str; 7] = [
    "created", "state", "pool", "refill", "keys", "revoke", "admins",
];

pub(crate) fn outcome(query: &leptos_router::params::ParamsMap) -> Option<Outcome> {
    let known = |name: Option<String>| FORMS.into_iter().find(|f| Some(*f) == name.as_deref());
    if let Some(form) = known(query.get("done")) {
        return Some(Outcome {
            form,
            refusal: None,
        });
    }
    let form = known(query.get("refused"))?;
    let available = query.get("available").and_then(|n| n.parse().ok());
    let refusal = Refusal::parse(&query.get("code")?, available)?;
    Some(Outcome {
        form,
        refusal: Some(refusal),
    })
}

pub(crate) fn refusal_text(l: Ui, refusal: Refusal) -> String {
    match refusal {
        Refusal::ReasonMissing => td_string!(l, console.refused_reason).into(),
        Refusal::SameState => td_string!(l, console.refused_same_state).into(),
        Refusal::AmountInvalid => td_string!(l, console.refused_amount).into(),
        Refusal::AmountTooLarge => td_string!(l, console.refused_amount_too_large).into(),
        Refusal::MoreThanAvailable { available } => crate::locale::fill(
            td_string!(l, console.refused_more_than_available),
            &[("n", &number(l, available))],
        ),
        Refusal::UnknownPool => td_string!(l, console.refused_pool).into(),
        Refusal::NameInvalid => td_string!(l, console.refused_name).into(),
        Refusal::KeyNotRevocable => td_string!(l, console.refused_key).into(),
        Refusal::TenantNameInvalid => td_string!(l, console.refused_tenant_name).into(),
        Refusal::SlugInvalid => td_string!(l, console.refused_slug).into(),
        Refusal::SlugTaken => td_string!(l, console.refused_slug_taken).into(),
        Refusal::TimeZoneInvalid => td_string!(l, console.refused_time_zone).into(),
        Refusal::LanguageInvalid => td_string!(l, console.refused_language).into(),
        Refusal::ModelInvalid => td_string!(l, console.refused_model).into(),
        Refusal::StartInvalid | Refusal::EndInvalid => td_string!(l, console.refused_date).into(),
        Refusal::EndsBeforeStart => td_string!(l, console.refused_ends_before_start).into(),
        Refusal::SessionInvalid => td_string!(l, console.refused_session).into(),
        Refusal::LicensesInvalid => td_string!(l, console.refused_licenses).into(),
        Refusal::EmailInvalid => td_string!(l, console.refused_email).into(),
        Refusal::EmailTaken => td_string!(l, console.refused_email_taken).into(),
        Refusal::FileTooLarge => td_string!(l, console.refused_file_too_large).into(),
        Refusal::FileHasErrors => td_string!(l, console.refused_file_errors).into(),
        Refusal::PoolNameInvalid => td_string!(l, console.refused_pool_name).into(),
        Refusal::EnforcementInvalid => td_string!(l, console.refused_enforcement).into(),
        Refusal::NothingChanges => td_string!(l, console.refused_nothing_changes).into(),
        Refusal::NoSuchAdministrator => td_string!(l, console.refused_no_admin).into(),
        Refusal::ThresholdsInvalid => td_string!(l, console.refused_thresholds).into(),
        Refusal::NoticeDaysInvalid => td_string!(l, console.refused_notice_days).into(),
        Refusal::RefillAmountInvalid => td_string!(l, console.refused_refill_amount).into(),
        Refusal::RefillPercentInvalid => td_string!(l, console.refused_refill_percent).into(),
        Refusal::RefillCapInvalid => td_string!(l, console.refused_refill_cap).into(),
        Refusal::AssigneeInvalid => td_string!(l, console.refused_assignee).into(),
        Refusal::ActionInvalid => td_string!(l, console.refused_action).into(),
        Refusal::DisablingYourself => td_string!(l, console.refused_yourself).into(),
    }
}

fn done_text(l: Ui, form: &str) -> &'static str {
    match form {
        "created" => td_string!(l, console.done_created),
        "state" => td_string!(l, console.done_state),
        "refill" => td_string!(l, console.done_refill),
        "pool" => td_string!(l, console.done_pool),
        "admins" => td_string!(l, console.done_admins),
        "keys" => td_string!(l, console.done_key),
        _ => td_string!(l, console.done_revoke),
    }
}

/// The outcome of `form`, where the form is: a notice when it was done, the refusal beside
/// the field it concerns otherwise.
#[component]
pub(crate) fn Said(outcome: Option<Outcome>, form: &'static str) -> impl IntoView {
    let l = use_locale();
    outcome.filter(|o| o.form == form).map(|o| match o.refusal {
        None => view! { <p class="notice" role="status" data-outcome="done">{done_text(l, form)}</p> }.into_any(),
        Some(refusal) => view! {
            <p class="error" role="alert" data-outcome="refused" data-field=refusal.field()>{refusal_text(l, refusal)}</p>
        }
        .into_any(),
    })
}

#[component]
pub fn TenantConsolePage() -> impl IntoView {
    let l = use_locale();
    let params = use_params_map();
    let query = use_query_map();
    let slug = Memo::new(move |_| params.with(|p| p.get("slug").unwrap_or_default()));
    let tenant = page_data(move || slug.get(), admin_tenant);
    view! {
        <Layout>
            <Suspense fallback=move || view! { <p>{td_string!(l, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    let said = query.with(outcome);
                    let contract = query.with(crate::pages::tenant_contract::outcome);
                    match tenant.await {
                        Ok(t) => view! { <TenantView t=t said=said contract=contract /> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </Layout>
    }
}

#[component]
fn TenantView(
    t: TenantConsole,
    said: Option<Outcome>,
    contract: Option<Result<(), (crate::model::contract::ContractForm, Vec<Refusal>)>>,
) -> impl IntoView {
    let l = use_locale();
    let base = paths::admin_tenant(&t.slug);
    view! {
        <p class="crumbs"><a href=paths::ADMIN>{td_string!(l, console.tenants)}</a>" › "{t.name.clone()}</p>
        <h1>{t.name.clone()}" "<span class=format!("state state-{}", t.state) data-field="state">{state_label(l, t.state)}</span></h1>
        <Said outcome=said form="created" />
        <crate::pages::tenant_admins::InvitationLink link=t.invitation.clone() text=td_string!(l, console.invitation) />
        <dl class="details">
            <div><dt>{td_string!(l, console.slug)}</dt><dd><code>{t.slug.clone()}</code></dd></div>
            <div><dt>{td_string!(l, subscription.license_type)}</dt><dd>{model_label(l, t.license_model)}</dd></div>
            <div><dt>{td_string!(l, subscription.start_date)}</dt><dd>{t.contract_start.clone()}</dd></div>
            <div><dt>{td_string!(l, subscription.end_date)}</dt><dd>{t.contract_end.clone()}</dd></div>
            <div><dt>{td_string!(l, console.time_zone)}</dt><dd>{t.time_zone.clone()}</dd></div>
        </dl>
        <p><a class="button" href=format!("{base}/assignments") data-action="bulk">{td_string!(l, bulk.link)}</a>
            " "<a class="button" href=format!("{base}/view") data-action="view-as">{td_string!(l, console.view_as)}</a></p>
        <StateSection action=format!("{base}/state") current=t.state states=t.states said=said />
        <crate::pages::tenant_contract::ContractSection action=format!("{base}/contract") current=t.contract said=contract />
        <PoolSection action=format!("{base}/refill") pools=t.pools ledger=t.ledger said=said />
        <KeySection base=base.clone() keys=t.keys new_key=t.new_key said=said />
        <crate::pages::tenant_admins::AdminSection action=format!("{base}/admins") administrators=t.administrators said=said />
    }
}

/// A required reason field.
#[component]
pub(crate) fn Reason(
    #[prop(default = "reason")] name: &'static str,
    label: &'static str,
) -> impl IntoView {
    view! { <label>{label}" "<input type="text" name=name required maxlength="500" /></label> }
}

#[component]
fn StateSection(
    action: String,
    current: TenantState,
    states: Vec<StateChange>,
    said: Option<Outcome>,
) -> impl IntoView {
    let l = use_locale();
    view! {
        <section id="state" class="card">
            <h2>{td_string!(l, console.state_title)}</h2>
            <Said outcome=said form="state" />
            <form method="post" action=action class="inline" data-form="state">
                <label>{td_string!(l, console.new_state)}" "<select name="state">
                    {TenantState::ALL.iter().filter(|s| **s != current).map(|s| view! {
                        <option value=s.as_str()>{state_label(l, *s)}</option>
                    }).collect_view()}
                </select></label>
                <Reason label=td_string!(l, console.reason) />
                <button type="submit" class="button" data-action="change-state">{td_string!(l, console.change_state)}</button>
            </form>
            <table class="data" data-table="states">
                <thead><tr>
                    <th>{td_string!(l, console.when)}</th><th>{td_string!(l, console.from)}</th><th>{td_string!(l, console.to)}</th>
                    <th>{td_string!(l, console.by)}</th><th>{td_string!(l, console.reason)}</th>
                </tr></thead>
                <tbody>
                    {states.into_iter().map(|c| view! {
                        <tr>
                            <td>{c.at}</td>
                            <td>{c.from.map(|s| state_label(l, s))}</td>
                            <td>{state_label(l, c.to)}</td>
                            <td>{c.by}</td>
                            <td>{c.reason}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

fn label_of(l: Ui, key: &str) -> String {
    let label = PoolKey::parse(key).map_or_else(|_| key.to_string(), |k| k.label());
    pool_label(l, key, label)
}

#[component]
fn PoolSection(
    action: String,
    pools: Vec<ConsolePool>,
    ledger: Vec<LedgerEntry>,
    said: Option<Outcome>,
) -> impl IntoView {
    let l = use_locale();
    let options: Vec<(String, String)> = pools
        .iter()
        .map(|p| (p.key.clone(), label_of(l, &p.key)))
        .collect();
    view! {
        <section id="refill" class="card">
            <h2>{td_string!(l, console.pools)}</h2>
            <table class="data" data-table="pools">
                <thead><tr>
                    <th>{td_string!(l, subscription.pool)}</th><th>{td_string!(l, subscription.enforcement)}</th>
                    <th>{td_string!(l, subscription.total_purchase)}</th><th>{td_string!(l, subscription.consumed)}</th>
                    <th>{td_string!(l, subscription.available)}</th><th>"%"</th>
                </tr></thead>
                <tbody>
                    {pools.into_iter().map(|p| view! {
                        <tr data-pool=p.key.clone()>
                            <td>{label_of(l, &p.key)}</td>
                            <td>{p.enforcement}</td>
                            <td data-field="purchased">{number(l, p.purchased)}</td>
                            <td data-field="consumed">{number(l, p.consumed)}</td>
                            <td data-field="available">{number(l, p.available)}</td>
                            <td data-field="percent">{decimal(l, p.percent_used, 1)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <span id="pool"></span>
            <Said outcome=said form="pool" />
            <form method="post" action=action.replace("/refill", "/pool") class="inline" data-form="pool">
                <label>{td_string!(l, console.pool_name)}" "<input type="text" name="pool" required /></label>
                <label>{td_string!(l, subscription.enforcement)}" "<select name="enforcement">
                    <option value="hard">{td_string!(l, subscription.hard)}</option>
                    <option value="soft">{td_string!(l, subscription.soft)}</option>
                </select></label>
                <Reason label=td_string!(l, console.reason) />
                <button type="submit" class="button" data-action="set-pool">{td_string!(l, console.set_pool)}</button>
            </form>
            <h3>{td_string!(l, console.refill)}</h3>
            <Said outcome=said form="refill" />
            <form method="post" action=action class="inline" data-form="refill">
                <label>{td_string!(l, subscription.pool)}" "<select name="pool">
                    {options.into_iter().map(|(key, label)| view! { <option value=key>{label}</option> }).collect_view()}
                </select></label>
                <label>{td_string!(l, console.licenses)}" "<input type="text" name="delta" inputmode="numeric" required size="8" /></label>
                <Reason name="note" label=td_string!(l, console.note) />
                <button type="submit" class="button" data-action="refill">{td_string!(l, console.refill)}</button>
            </form>
            <table class="data" data-table="ledger">
                <thead><tr>
                    <th>{td_string!(l, console.when)}</th><th>{td_string!(l, subscription.pool)}</th><th>{td_string!(l, subscription.refill_type)}</th>
                    <th>{td_string!(l, subscription.delta)}</th><th>{td_string!(l, subscription.total_licenses)}</th>
                    <th>{td_string!(l, console.by)}</th><th>{td_string!(l, console.note)}</th>
                </tr></thead>
                <tbody>
                    {ledger.into_iter().map(|r| view! {
                        <tr>
                            <td>{r.at}</td>
                            <td>{label_of(l, &r.pool)}</td>
                            <td>{if r.kind == "auto" { td_string!(l, subscription.auto) } else { td_string!(l, subscription.manual) }}</td>
                            <td data-field="delta">{format!("{:+}", r.delta)}</td>
                            <td>{number(l, r.total_after)}</td>
                            <td>{r.actor}</td>
                            <td>{r.note}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn KeySection(
    base: String,
    keys: Vec<ApiKeyEntry>,
    new_key: Option<String>,
    said: Option<Outcome>,
) -> impl IntoView {
    let l = use_locale();
    let revoke = format!("{base}/keys/revoke");
    view! {
        <section id="keys" class="card">
            <h2>{td_string!(l, console.keys)}</h2>
            <Said outcome=said form="keys" />
            {new_key.map(|key| view! {
                <div class="notice" role="status">
                    <p>{td_string!(l, console.new_key)}</p>
                    <p><code data-field="new-key">{key}</code></p>
                </div>
            })}
            <form method="post" action=format!("{base}/keys") class="inline" data-form="keys">
                <label>{td_string!(l, console.key_name)}" "<input type="text" name="name" required maxlength="100" /></label>
                <Reason label=td_string!(l, console.reason) />
                <button type="submit" class="button" data-action="create-key">{td_string!(l, console.create_key)}</button>
            </form>
            <span id="revoke"></span>
            <Said outcome=said form="revoke" />
            <table class="data" data-table="keys">
                <thead><tr>
                    <th>{td_string!(l, console.key_name)}</th><th>{td_string!(l, console.prefix)}</th><th>{td_string!(l, console.created)}</th>
                    <th>{td_string!(l, console.last_used)}</th><th>{td_string!(l, console.revoked)}</th><th></th>
                </tr></thead>
                <tbody>
                    {keys.into_iter().map(|k| {
                        let revoked = k.revoked_at.clone().map(|at| format!(
                            "{at} · {} · {}", k.revoked_by.clone().unwrap_or_default(), k.revoked_reason.clone().unwrap_or_default()
                        ));
                        let prefix = k.prefix.clone();
                        view! {
                            <tr data-key=prefix>
                                <td>{k.name}</td>
                                <td><code>{k.prefix}"…"</code></td>
                                <td>{k.created_at}" · "{k.created_by}</td>
                                <td>{k.last_used_at.unwrap_or_else(|| td_string!(l, console.never).into())}</td>
                                <td data-field="revoked">{revoked.clone()}</td>
                                <td>{revoked.is_none().then(|| view! {
                                    <form method="post" action=revoke.clone() class="inline" data-form="revoke">
                                        <input type="hidden" name="key" value=k.id />
                                        <Reason label=td_string!(l, console.reason) />
                                        <button type="submit" class="button small" data-action="revoke-key">{td_string!(l, console.revoke)}</button>
                                    </form>
                                })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
