//! Tenant Settings › Subscription.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::subscription::get_subscription_overview;
use crate::components::{
    chart::UsageChart, download::DownloadButton, layout::Layout, usage_bar::UsageBar,
};
use crate::domain::reports::default_range;
use crate::model::email::{ListErrors, parse_list};
use crate::model::overview::{PoolSummary, Purchase, SubscriptionOverview};
use crate::model::{LicenseModel, PoolGroup, TenantState};
use crate::pages::download::TransactionLogForm;

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
    let overview = Resource::new(|| (), |_| get_subscription_overview());
    let params = use_query_map();
    let contacts = Memo::new(move |_| {
        params.with(|p| ContactsState {
            editing: p.get("edit").as_deref() == Some("contacts"),
            technical: p.get_all("technical"),
            billing: p.get_all("billing"),
            check: p.get("check").is_some(),
            saved: p.get("saved").as_deref() == Some("contacts"),
        })
    });
    view! {
        <Layout>
            <nav class="tabs" aria-label="Tenant Settings">
                <a href="/settings/subscription" aria-current="page">"Subscription"</a>
            </nav>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
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
    let banner = match overview.state {
        TenantState::Trial => Some("This tenant is on a trial subscription."),
        TenantState::Lab => Some("This is a lab tenant, for test purposes."),
        TenantState::Expired => Some(
            "This subscription has expired: usage is no longer accepted. Contact your provider to renew.",
        ),
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
    let (from, to) = default_range(overview.today.parse().unwrap_or_default());
    view! {
        <h1>"Subscription"</h1>
        {banner.map(|b| view! { <p class=format!("banner state-{}", overview.state) role="status">{b}</p> })}
        <section class="card" aria-labelledby="subscription-details">
            <h2 id="subscription-details">"Subscription details"</h2>
            <dl class="facts">
                <dt>"License Type"</dt><dd data-field="license-model">{overview.license_model.label()}</dd>
                <dt>"Tenant State"</dt>
                <dd data-field="state"><span class=format!("state state-{}", overview.state)>{overview.state.as_str()}</span></dd>
                <dt>"Start Date"</dt><dd data-field="contract-start">{overview.contract_start}</dd>
                <dt>"End Date"</dt><dd data-field="contract-end">{overview.contract_end}</dd>
                <dt>"Days left"</dt><dd data-field="days-left">{overview.days_left}</dd>
                {overview.session_minutes.map(|m| view! {
                    <dt>"Session Duration"</dt><dd data-field="session-duration">{format!("{m} minutes")}</dd>
                })}
                {consumption_count.map(|n| view! {
                    <dt>"Consumption Count"</dt><dd data-field="consumption-count">{n}</dd>
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
                        <h2 id="contacts-title">"Contact Details"</h2>
                        <a class="button" href="/settings/subscription?edit=contacts#contacts" rel="external" data-action="edit-contacts">"Edit"</a>
                    </header>
                    {contacts.saved.then(|| view! { <p class="notice" role="status">"Contact details saved."</p> })}
                    <dl class="facts">
                        <dt>"Technical Email"</dt>
                        <dd data-field="technical-emails"><EmailList emails=overview.technical_emails /></dd>
                        <dt>"Billing Email"</dt>
                        <dd data-field="billing-emails"><EmailList emails=overview.billing_emails /></dd>
                    </dl>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="summary">
            <h2 id="summary">"License Consumption Summary"</h2>
            {groups.into_iter().map(|(group, pools)| view! {
                <h3 class="group">{group.label()}</h3>
                <div class="pool-grid">
                    {pools.into_iter().map(|pool| view! { <PoolCard pool /> }).collect_view()}
                </div>
            }).collect_view()}
        </section>
        {(!overview.charts.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="daily">
                <h2 id="daily">"Daily Consumption"</h2>
                {overview.charts.into_iter().map(|chart| view! { <UsageChart chart /> }).collect_view()}
            </section>
        })}
        <section class="card" aria-labelledby="purchases">
            <header class="section-head">
                <h2 id="purchases">"License Purchase History"</h2>
                <DownloadButton label="Download" what="the License Purchase History"
                    csv="/settings/subscription/purchases.csv".to_string()
                    confirm="/settings/subscription/download?file=purchases".to_string() />
            </header>
            <PurchaseTable purchases=overview.purchases />
        </section>
        {overview.has_transactions.then(|| view! {
            <section class="card" aria-labelledby="transactions">
                <h2 id="transactions">"Transaction History Log"</h2>
                <TransactionLogForm from=from.to_string() to=to.to_string() />
            </section>
        })}
    }
}

#[component]
fn PurchaseTable(purchases: Vec<Purchase>) -> impl IntoView {
    if purchases.is_empty() {
        return view! { <p class="muted">"No refills yet."</p> }.into_any();
    }
    view! {
        <table class="data purchases">
            <thead><tr>
                <th scope="col">"Refill Date"</th><th scope="col">"Pool"</th><th scope="col">"Refill Type"</th>
                <th scope="col" class="num">"+/- Licenses"</th><th scope="col" class="num">"Total Licenses"</th>
            </tr></thead>
            <tbody>
                {purchases.into_iter().map(|p| view! {
                    <tr>
                        <td>{p.date}</td><td>{p.pool}</td>
                        <td>{crate::model::pool_key::title_case(&p.kind)}</td>
                        <td class="num">{if p.delta > 0 { format!("+{}", p.delta) } else { p.delta.to_string() }}</td>
                        <td class="num">{p.total_after}</td>
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
    let lists = [
        ("technical", "Technical Email", technical),
        ("billing", "Billing Email", billing),
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
        <h2 id="contacts-title">"Contact Details"</h2>
        {refused.then(|| view! {
            <p class="error" role="alert" data-field="contacts-error">"Nothing was saved: correct the addresses marked below."</p>
        })}
        <form method="post" action="/settings/subscription/contacts" class="contacts-edit" novalidate>
            // First in the form, so Enter in a field saves rather than removing something.
            <div class="actions save-row">
                <button type="submit" class="button primary" data-action="save-contacts">"Save"</button>
                <a class="button" href="/settings/subscription#contacts" rel="external" data-action="cancel-contacts">"Cancel"</a>
            </div>
            {lists.into_iter().zip(errors).map(|((name, legend, list), errors)| {
                let list = if list.is_empty() { vec![String::new()] } else { list };
                view! {
                    <fieldset data-list=name>
                        <legend>{legend}</legend>
                        {errors.list.clone().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                        {list.into_iter().enumerate().map(|(i, value)| {
                            let message = errors.at(i).map(str::to_string);
                            let id = format!("{name}-{i}");
                            let error_id = format!("{id}-error");
                            view! {
                                <div class="entry">
                                    <input type="text" inputmode="email" autocomplete="email" name=name id=id.clone()
                                        value=value aria-label=format!("{legend} {}", i + 1)
                                        aria-invalid=message.is_some().then_some("true")
                                        aria-describedby=message.is_some().then(|| error_id.clone()) />
                                    <button type="submit" class="button small" name="remove" value=format!("{name}:{i}")
                                        aria-label=format!("Remove {legend} {}", i + 1)>"Remove"</button>
                                    {message.map(|m| view! { <p class="error field-error" id=error_id>{m}</p> })}
                                </div>
                            }
                        }).collect_view()}
                        <button type="submit" class="button small" name="add" value=name>"Add address"</button>
                    </fieldset>
                }
            }).collect_view()}
        </form>
    }
}

#[component]
fn EmailList(emails: Vec<String>) -> impl IntoView {
    if emails.is_empty() {
        return view! { <span class="muted">"None"</span> }.into_any();
    }
    view! { <ul class="emails">{emails.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul> }.into_any()
}

#[component]
fn PoolCard(pool: PoolSummary) -> impl IntoView {
    view! {
        <article class="pool" data-pool=pool.key.clone()>
            <header>
                <h4>{pool.label}</h4>
                <span class=format!("enforcement {}", pool.enforcement) title="Enforcement">{pool.enforcement.clone()}</span>
            </header>
            <dl class="counts">
                <div><dt>"Total Purchase"</dt><dd data-field="purchased">{pool.purchased}</dd></div>
                <div>
                    <dt>"Consumed"</dt>
                    <dd data-field="consumed">{pool.consumed}
                        {(pool.group == PoolGroup::Main).then(|| view! {
                            " "<a class="button small" href="/settings/subscription/history" data-action="history">"History"</a>
                        })}
                    </dd>
                </div>
                <div><dt>"Available"</dt><dd data-field="available">{pool.available}</dd></div>
            </dl>
            <UsageBar percent=pool.percent_used />
            <p class="percent" data-field="percent">{format!("{:.1}% used", pool.percent_used)}</p>
            {(pool.overage > 0).then(|| view! { <p class="overage" data-field="overage">{format!("Overage: {}", pool.overage)}</p> })}
        </article>
    }
}
