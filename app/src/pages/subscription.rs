//! Tenant Settings › Subscription.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::subscription::get_subscription_overview;
use crate::components::page_data::page_data;
use crate::components::{
    chart::UsageChart, download::DownloadButton, layout::Layout, usage_bar::UsageBar,
};
use crate::domain::reports::default_range;
use crate::i18n::{Locale as Ui, td_string};
use crate::locale::{decimal, fill, number, pool_label, use_locale};
use crate::model::email::{ListErrors, Problem, parse_list};
use crate::model::overview::{PURCHASES_SHOWN, PoolSummary, Purchase, SubscriptionOverview};
use crate::model::{LicenseModel, PoolGroup, TenantState};
use crate::pages::alerts::AlertsSection;
use crate::pages::download::TransactionLogForm;
use crate::pages::view_as::{ViewAsBanner, reach, use_view_as};
use crate::paths;

/// What the URL says about the Contact Details: being edited (with the lists as typed, and
/// whether to show the errors), or just saved.
#[derive(Debug, Clone, Default, PartialEq)]
struct ContactsState {
    editing: bool,
    technical: Option<Vec<String>>,
    billing: Option<Vec<String>>,
    check: bool,
    saved: bool,
}

#[component]
pub fn SubscriptionPage() -> impl IntoView {
    let view_as = use_view_as();
    let read_only = view_as.is_some();
    let overview = page_data(move || view_as.clone(), get_subscription_overview);
    let l = use_locale();
    let params = use_query_map();
    let contacts = Memo::new(move |_| {
        params.with(|p| ContactsState {
            editing: !read_only && p.get("edit").as_deref() == Some("contacts"),
            technical: p.get_all("technical"),
            billing: p.get_all("billing"),
            check: p.get("check").is_some(),
            saved: p.get("saved").as_deref() == Some("contacts"),
        })
    });
    view! {
        <Layout>
            <nav class="tabs" aria-label=td_string!(l, common.tenant_settings)>
                <a href=reach(paths::SUBSCRIPTION) aria-current="page">{td_string!(l, common.subscription)}</a>
            </nav>
            <ViewAsBanner />
            <Suspense fallback=move || view! { <p>{td_string!(l, common.loading)}</p> }>
                {move || {
                    // Read before the await, so a change of URL (Edit, Cancel) re-renders.
                    let contacts = contacts.get();
                    Suspend::new(async move {
                    match overview.await {
                        Ok(overview) => view! { <Overview overview contacts /> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}}
            </Suspense>
        </Layout>
    }
}

#[component]
fn Overview(overview: SubscriptionOverview, contacts: ContactsState) -> impl IntoView {
    let l = use_locale();
    let read_only = use_view_as().is_some();
    let banner = match overview.state {
        TenantState::Trial => Some(td_string!(l, subscription.banner_trial)),
        TenantState::Lab => Some(td_string!(l, subscription.banner_lab)),
        TenantState::Expired => Some(td_string!(l, subscription.banner_expired)),
        _ => None,
    };
    let consumption_count = (overview.license_model == LicenseModel::SessionBased).then(|| {
        overview
            .pools
            .iter()
            .find(|p| p.key == "session_licenses")
            .map_or(0, |p| p.consumed)
    });
    let groups = group_pools(overview.pools);
    let thresholds = overview.thresholds;
    let (from, to) = default_range(crate::model::day::parse(&overview.today).unwrap_or_default());
    view! {
        <h1>{td_string!(l, common.subscription)}</h1>
        {banner.map(|b| view! { <p class=format!("banner state-{}", overview.state) role="status">{b}</p> })}
        <section class="card" aria-labelledby="subscription-details">
            <h2 id="subscription-details">{td_string!(l, subscription.details)}</h2>
            <dl class="facts">
                <dt>{td_string!(l, subscription.license_type)}</dt><dd data-field="license-model">{model_label(l, overview.license_model)}</dd>
                <dt>{td_string!(l, subscription.tenant_state)}</dt>
                <dd data-field="state"><span class=format!("state state-{}", overview.state)>{state_label(l, overview.state)}</span></dd>
                <dt>{td_string!(l, subscription.start_date)}</dt><dd data-field="contract-start">{overview.contract_start}</dd>
                <dt>{td_string!(l, subscription.end_date)}</dt><dd data-field="contract-end">{overview.contract_end}</dd>
                <dt>{td_string!(l, subscription.days_left)}</dt><dd data-field="days-left">{number(l, overview.days_left)}</dd>
                {overview.session_minutes.map(|m| view! {
                    <dt>{td_string!(l, subscription.session_duration)}</dt>
                    <dd data-field="session-duration">{fill(td_string!(l, subscription.minutes), &[("minutes", &number(l, i64::from(m)))])}</dd>
                })}
                {consumption_count.map(|n| view! {
                    <dt>{td_string!(l, subscription.consumption_count)}</dt><dd data-field="consumption-count">{number(l, n)}</dd>
                })}
            </dl>
        </section>
        <section class="card" id="contacts" aria-labelledby="contacts-title">
            {if contacts.editing {
                view! {
                    <ContactsEditor
                        technical=contacts.technical.unwrap_or(overview.technical_emails)
                        billing=contacts.billing.unwrap_or(overview.billing_emails)
                        check=contacts.check />
                }.into_any()
            } else {
                view! {
                    <header class="section-head">
                        <h2 id="contacts-title">{td_string!(l, subscription.contacts)}</h2>
                        {(!read_only).then(|| view! {
                            <a class="button" href=format!("{}?edit=contacts#contacts", paths::SUBSCRIPTION) rel="external" data-action="edit-contacts">{td_string!(l, subscription.edit)}</a>
                        })}
                    </header>
                    {contacts.saved.then(|| view! { <p class="notice" role="status">{td_string!(l, subscription.contacts_saved)}</p> })}
                    <dl class="facts">
                        <dt>{td_string!(l, subscription.technical_email)}</dt>
                        <dd data-field="technical-emails"><EmailList emails=overview.technical_emails /></dd>
                        <dt>{td_string!(l, subscription.billing_email)}</dt>
                        <dd data-field="billing-emails"><EmailList emails=overview.billing_emails /></dd>
                    </dl>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="summary">
            <h2 id="summary">{td_string!(l, subscription.summary)}</h2>
            {groups.into_iter().map(|(group, pools)| view! {
                <h3 class="group">{group_label(l, group)}</h3>
                <div class="pool-grid">
                    {pools.into_iter().map(|pool| view! { <PoolCard pool thresholds=thresholds.clone() /> }).collect_view()}
                </div>
            }).collect_view()}
        </section>
        {(!overview.charts.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="daily">
                <h2 id="daily">{td_string!(l, subscription.daily)}</h2>
                {overview.charts.into_iter().map(|chart| view! { <UsageChart chart /> }).collect_view()}
            </section>
        })}
        <AlertsSection entries=overview.alerts />
        <section class="card" aria-labelledby="purchases">
            <header class="section-head">
                <h2 id="purchases">{td_string!(l, subscription.purchases)}</h2>
                {(!read_only).then(|| view! {
                    <DownloadButton label=td_string!(l, common.download) question=td_string!(l, download.purchases) file="purchases"
                        csv=paths::PURCHASES_CSV.to_string()
                        confirm=format!("{}?file=purchases", paths::DOWNLOAD) />
                })}
            </header>
            <PurchaseTable purchases=overview.purchases />
            {overview.older_purchases.then(|| {
                let shown = fill(td_string!(l, subscription.purchases_newest), &[("n", &number(l, PURCHASES_SHOWN as i64))]);
                let note = if read_only { shown } else { format!("{shown} {}", td_string!(l, subscription.purchases_in_download)) };
                view! { <p class="muted" data-purchases="newest">{note}</p> }
            })}
        </section>
        {(overview.has_transactions && !read_only).then(|| view! {
            <section class="card" aria-labelledby="transactions">
                <h2 id="transactions">{td_string!(l, subscription.transactions)}</h2>
                <TransactionLogForm from=from.to_string() to=to.to_string() />
            </section>
        })}
    }
}

#[component]
fn PurchaseTable(purchases: Vec<Purchase>) -> impl IntoView {
    let l = use_locale();
    if purchases.is_empty() {
        return view! { <p class="muted">{td_string!(l, subscription.no_refills)}</p> }.into_any();
    }
    view! {
        <table class="data purchases">
            <thead><tr>
                <th scope="col">{td_string!(l, subscription.refill_date)}</th><th scope="col">{td_string!(l, subscription.pool)}</th>
                <th scope="col">{td_string!(l, subscription.refill_type)}</th>
                <th scope="col" class="num">{td_string!(l, subscription.delta)}</th>
                <th scope="col" class="num">{td_string!(l, subscription.total_licenses)}</th>
            </tr></thead>
            <tbody>
                {purchases.into_iter().map(|p| view! {
                    <tr>
                        <td>{p.date}</td><td>{p.pool}</td>
                        <td>{match p.kind.as_str() {
                            "auto" => td_string!(l, subscription.auto).to_string(),
                            "manual" => td_string!(l, subscription.manual).to_string(),
                            other => crate::model::pool_key::title_case(other),
                        }}</td>
                        <td class="num">{if p.delta > 0 { format!("+{}", number(l, p.delta)) } else { number(l, p.delta) }}</td>
                        <td class="num">{number(l, p.total_after)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }.into_any()
}

fn group_pools(pools: Vec<PoolSummary>) -> Vec<(PoolGroup, Vec<PoolSummary>)> {
    let mut groups: Vec<(PoolGroup, Vec<PoolSummary>)> = Vec::new();
    for pool in pools {
        match groups.last_mut() {
            Some((group, list)) if *group == pool.group => list.push(pool),
            _ => groups.push((pool.group, vec![pool])),
        }
    }
    groups
}

/// The Contact Details form. A plain form: Add and Remove post it and come back with the lists
/// as typed, Save checks every address (nothing is saved while one is wrong), Cancel leaves.
/// Edit and Cancel load the page whole (`rel="external"`), so the form always starts from what
/// the server holds, with JavaScript as without.
#[component]
fn ContactsEditor(technical: Vec<String>, billing: Vec<String>, check: bool) -> impl IntoView {
    let l = use_locale();
    let lists = [
        (
            "technical",
            td_string!(l, subscription.technical_email),
            technical,
        ),
        (
            "billing",
            td_string!(l, subscription.billing_email),
            billing,
        ),
    ];
    let errors: Vec<ListErrors> = lists
        .iter()
        .map(|(_, _, list)| {
            if check {
                parse_list(list).err().unwrap_or_default()
            } else {
                ListErrors::default()
            }
        })
        .collect();
    let refused = errors.iter().any(|e| !e.is_empty());
    view! {
        <h2 id="contacts-title">{td_string!(l, subscription.contacts)}</h2>
        {refused.then(|| view! {
            <p class="error" role="alert" data-field="contacts-error">{td_string!(l, subscription.contacts_refused)}</p>
        })}
        <form method="post" action=paths::CONTACTS class="contacts-edit" novalidate>
            // First in the form, so Enter in a field saves rather than removing something.
            <div class="actions save-row">
                <button type="submit" class="button primary" data-action="save-contacts">{td_string!(l, subscription.save)}</button>
                <a class="button" href=format!("{}#contacts", paths::SUBSCRIPTION) rel="external" data-action="cancel-contacts">{td_string!(l, common.cancel)}</a>
            </div>
            {lists.into_iter().zip(errors).map(|((name, legend, list), errors)| {
                let list = if list.is_empty() { vec![String::new()] } else { list };
                view! {
                    <fieldset data-list=name>
                        <legend>{legend}</legend>
                        {errors.list.clone().map(|m| view! { <p class="error" role="alert">{problem(l, &m)}</p> })}
                        {list.into_iter().enumerate().map(|(i, value)| {
                            let message = errors.at(i).map(|p| problem(l, p));
                            let id = format!("{name}-{i}");
                            let error_id = format!("{id}-error");
                            view! {
                                <div class="entry">
                                    <input type="text" inputmode="email" autocomplete="email" name=name id=id.clone()
                                        value=value aria-label=fill(td_string!(l, subscription.address_label), &[("list", legend), ("n", &(i + 1).to_string())])
                                        aria-invalid=message.is_some().then_some("true")
                                        aria-describedby=message.is_some().then(|| error_id.clone()) />
                                    <button type="submit" class="button small" name="remove" value=format!("{name}:{i}")
                                        aria-label=fill(td_string!(l, subscription.remove_label), &[("list", legend), ("n", &(i + 1).to_string())])>{td_string!(l, subscription.remove)}</button>
                                    {message.map(|m| view! { <p class="error field-error" id=error_id>{m}</p> })}
                                </div>
                            }
                        }).collect_view()}
                        <button type="submit" class="button small" name="add" value=name>{td_string!(l, subscription.add_address)}</button>
                    </fieldset>
                }
            }).collect_view()}
        </form>
    }
}

#[component]
fn EmailList(emails: Vec<String>) -> impl IntoView {
    if emails.is_empty() {
        return view! { <span class="muted">{td_string!(use_locale(), common.none)}</span> }
            .into_any();
    }
    view! { <ul class="emails">{emails.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul> }.into_any()
}

#[component]
fn PoolCard(pool: PoolSummary, thresholds: Vec<u32>) -> impl IntoView {
    let l = use_locale();
    let enforcement = match pool.enforcement.as_str() {
        "hard" => td_string!(l, subscription.hard).to_string(),
        "soft" => td_string!(l, subscription.soft).to_string(),
        other => other.to_string(),
    };
    let used = fill(
        td_string!(l, subscription.percent_used),
        &[("percent", &decimal(l, pool.percent_used, 1))],
    );
    view! {
        <article class="pool" data-pool=pool.key.clone()>
            <header>
                <h4>{pool_label(l, &pool.key, pool.label)}</h4>
                <span class=format!("enforcement {}", pool.enforcement) title=td_string!(l, subscription.enforcement)>{enforcement}</span>
            </header>
            <dl class="counts">
                <div><dt>{td_string!(l, subscription.total_purchase)}</dt><dd data-field="purchased">{number(l, pool.purchased)}</dd></div>
                <div>
                    <dt>{td_string!(l, subscription.consumed)}</dt>
                    <dd data-field="consumed">{number(l, pool.consumed)}
                        {(pool.group == PoolGroup::Main).then(|| view! {
                            " "<a class="button small" href=reach(paths::HISTORY) data-action="history">{td_string!(l, subscription.history)}</a>
                        })}
                    </dd>
                </div>
                <div><dt>{td_string!(l, subscription.available)}</dt><dd data-field="available">{number(l, pool.available)}</dd></div>
            </dl>
            <UsageBar percent=pool.percent_used thresholds=thresholds label=used.clone() />
            <p class="percent" data-field="percent">{used}</p>
            {(pool.overage > 0).then(|| view! {
                <p class="overage" data-field="overage">{fill(td_string!(l, subscription.overage), &[("n", &number(l, pool.overage))])}</p>
            })}
        </article>
    }
}

pub(crate) fn state_label(l: Ui, state: TenantState) -> &'static str {
    match state {
        TenantState::Trial => td_string!(l, state.trial),
        TenantState::Active => td_string!(l, state.active),
        TenantState::Suspended => td_string!(l, state.suspended),
        TenantState::Expired => td_string!(l, state.expired),
        TenantState::Canceled => td_string!(l, state.canceled),
        TenantState::Lab => td_string!(l, state.lab),
    }
}

pub(crate) fn model_label(l: Ui, model: LicenseModel) -> &'static str {
    match model {
        LicenseModel::UserBased => td_string!(l, model.user_based),
        LicenseModel::SessionBased => td_string!(l, model.session_based),
        LicenseModel::TransactionBased => td_string!(l, model.transaction_based),
    }
}

fn group_label(l: Ui, group: PoolGroup) -> &'static str {
    match group {
        PoolGroup::Main => td_string!(l, group.main),
        PoolGroup::Service => td_string!(l, group.service),
        PoolGroup::UserFeature => td_string!(l, group.user_feature),
        PoolGroup::Addon => td_string!(l, group.addon),
        PoolGroup::Modality => td_string!(l, group.modality),
        PoolGroup::VirtualUser => td_string!(l, group.virtual_user),
    }
}

/// Why an address or a list was refused, in the reader's words.
fn problem(l: Ui, problem: &Problem) -> String {
    match problem {
        Problem::Invalid(address) => fill(
            td_string!(l, subscription.invalid_address),
            &[("address", address)],
        ),
        Problem::TooMany { count, max } => fill(
            td_string!(l, subscription.too_many),
            &[("count", &count.to_string()), ("max", &max.to_string())],
        ),
    }
}
