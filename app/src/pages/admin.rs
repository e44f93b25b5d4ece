//! The super administrator's home.

use leptos::prelude::*;

use crate::api::admin::list_tenants;
use crate::components::layout::Layout;
use crate::components::page_data::page_data;

/// The super administrator's home: the New tenant form, and every tenant, searched by name or
/// slug and filtered by state and license model from the URL (a GET form), a keyset page at a
/// time, each with its main pool's use, projected run-out and newest alert.
#[component]
pub fn AdminHome() -> impl IntoView {
    use crate::i18n::td_string;
    use crate::locale::{decimal, use_locale};
    use crate::model::tenant::TenantQuery;
    use crate::model::{LicenseModel, TenantState};
    use crate::pages::subscription::{model_label, state_label};
    use leptos_router::hooks::use_query_map;

    let l = use_locale();
    let params = use_query_map();
    let query = Memo::new(move |_| {
        params.with(|p| {
            let get = |name: &str| p.get(name).unwrap_or_default();
            TenantQuery {
                q: get("q"),
                state: get("state"),
                model: get("model"),
                after: get("after"),
            }
        })
    });
    let tenants = page_data(move || query.get(), list_tenants);
    view! {
        <Layout>
            <h1>{td_string!(l, console.tenants)}</h1>
            <p><a href=crate::paths::ADMIN_ALERTS data-action="alert-log">{td_string!(l, console.log_title)}</a>
                " · "<a href=crate::paths::ADMIN_AUDIT data-action="audit-log">{td_string!(l, console.audit_title)}</a>
                " · "<a href=crate::paths::ADMIN_SUPERS data-action="supers">{td_string!(l, console.supers)}</a></p>
            <crate::pages::new_tenant::NewTenant />
            {move || {
                let q = query.get();
                view! {
                    <form method="get" action=crate::paths::ADMIN class="filters" data-form="tenants">
                        <label>{td_string!(l, console.search)}" "<input type="search" name="q" value=q.q.clone() /></label>
                        <label>{td_string!(l, console.state_title)}" "<select name="state">
                            <option value="">{td_string!(l, console.any)}</option>
                            {TenantState::ALL.iter().map(|s| view! {
                                <option value=s.as_str() selected=q.state == s.as_str()>{state_label(l, *s)}</option>
                            }).collect_view()}
                        </select></label>
                        <label>{td_string!(l, console.model)}" "<select name="model">
                            <option value="">{td_string!(l, console.any)}</option>
                            {LicenseModel::ALL.iter().map(|m| view! {
                                <option value=m.as_str() selected=q.model == m.as_str()>{model_label(l, *m)}</option>
                            }).collect_view()}
                        </select></label>
                        <button type="submit" class="button" data-action="filter-tenants">{td_string!(l, console.filter)}</button>
                    </form>
                }
            }}
            <Suspense fallback=move || view! { <p>{td_string!(l, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    let q = query.get_untracked();
                    match tenants.await {
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                        Ok(page) => {
                            let next = page.next.map(|after| {
                                let pairs = [("q", q.q), ("state", q.state), ("model", q.model), ("after", after)];
                                let pairs: Vec<_> = pairs.into_iter().filter(|(_, v)| !v.is_empty()).collect();
                                format!("{}?{}", crate::paths::ADMIN, serde_urlencoded::to_string(&pairs).unwrap_or_default())
                            });
                            view! {
                                <table class="data" data-table="tenants">
                                    <thead><tr>
                                        <th>{td_string!(l, console.name)}</th><th>{td_string!(l, console.slug)}</th>
                                        <th>{td_string!(l, console.state_title)}</th><th>{td_string!(l, console.model)}</th>
                                        <th>{td_string!(l, console.main_pool_used)}</th><th>{td_string!(l, console.runs_out)}</th>
                                        <th>{td_string!(l, console.last_alert)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {page.items.into_iter().map(|t| {
                                            let (used, out) = t.main_pool.map_or((String::new(), String::new()), |(_, percent, out)| {
                                                (format!("{}%", decimal(l, percent, 1)), out.unwrap_or_default())
                                            });
                                            let alert = t.last_alert.map(|(kind, at)| format!("{} · {at}", kind_label(l, &kind)));
                                            let (href, slug) = (crate::paths::admin_tenant(&t.slug), t.slug.clone());
                                            view! {
                                                <tr data-tenant=slug>
                                                    <td><a href=href>{t.name}</a></td>
                                                    <td><code>{t.slug}</code></td>
                                                    <td><span class=format!("state state-{}", t.state)>{state_label(l, t.state)}</span></td>
                                                    <td>{model_label(l, t.license_model)}</td>
                                                    <td data-field="used">{used}</td>
                                                    <td data-field="runs-out">{out}</td>
                                                    <td data-field="last-alert">{alert}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                {next.map(|href| view! { <nav class="pager"><a href=href rel="next" data-action="next-tenants">{td_string!(l, console.next_page)}</a></nav> })}
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </Layout>
    }
}

/// An alert kind as the console names it.
fn kind_label(l: crate::i18n::Locale, kind: &str) -> &'static str {
    use crate::i18n::td_string;
    use crate::model::alert::AlertKind;
    match kind.parse::<AlertKind>() {
        Ok(AlertKind::Threshold) => td_string!(l, console.kind_threshold),
        Ok(AlertKind::AutoRefill) => td_string!(l, console.kind_auto_refill),
        Ok(AlertKind::AutoRefillCap) => td_string!(l, console.kind_auto_refill_cap),
        Ok(AlertKind::ContractEnd) => td_string!(l, console.kind_contract_end),
        Ok(AlertKind::Forecast) => td_string!(l, console.kind_forecast),
        Ok(AlertKind::Test) | Err(_) => td_string!(l, console.kind_test),
    }
}

/// The alert and email log across tenants: filtered by tenant, kind and delivery state from
/// the URL (a GET form, the same with and without JavaScript), a keyset page at a time; emails
/// given up can be resent.
#[component]
pub fn AdminAlertsPage() -> impl IntoView {
    use crate::api::admin::admin_alert_page;
    use crate::i18n::td_string;
    use crate::locale::use_locale;
    use crate::model::alert::{AlertKind, AlertQuery, DeliveryState};
    use crate::pages::alerts::AlertTable;
    use crate::paths;
    use leptos_router::hooks::use_query_map;

    let l = use_locale();
    let params = use_query_map();
    let query = Memo::new(move |_| {
        params.with(|p| AlertQuery {
            tenant: p.get("tenant").unwrap_or_default(),
            kind: p.get("kind").unwrap_or_default(),
            state: p.get("state").unwrap_or_default(),
            from: p.get("from").unwrap_or_default(),
            to: p.get("to").unwrap_or_default(),
            before: p.get("before").unwrap_or_default(),
        })
    });
    let page = page_data(move || query.get(), admin_alert_page);
    let notice = move || {
        params.with(|p| match p.get("resend").as_deref() {
            Some("queued") => Some(("notice", td_string!(l, console.resent))),
            Some("refused") => Some(("error", td_string!(l, console.resend_refused))),
            _ => None,
        })
    };
    let kind_label = move |kind: AlertKind| kind_label(l, kind.as_str());
    let state_label = move |state: DeliveryState| match state {
        DeliveryState::Queued => td_string!(l, alerts.queued),
        DeliveryState::Sent => td_string!(l, alerts.sent),
        DeliveryState::Failed => td_string!(l, alerts.failed),
        DeliveryState::Dead => td_string!(l, alerts.dead),
    };
    view! {
        <Layout>
            <p class="crumbs"><a href=paths::ADMIN>"Tenants"</a>" › "{td_string!(l, console.log_title)}</p>
            <h1>{td_string!(l, console.log_title)}</h1>
            {move || notice().map(|(class, text)| view! { <p class=class role="status" data-field="resend">{text}</p> })}
            {move || {
                let q = query.get();
                view! {
                    <form method="get" action=paths::ADMIN_ALERTS class="filters">
                        <label>{td_string!(l, console.tenant_slug)}" "<input type="text" name="tenant" value=q.tenant.clone() /></label>
                        <label>{td_string!(l, console.kind)}" "<select name="kind">
                            <option value="">{td_string!(l, console.any)}</option>
                            {AlertKind::ALL.iter().map(|k| view! {
                                <option value=k.as_str() selected=q.kind == k.as_str()>{kind_label(*k)}</option>
                            }).collect_view()}
                        </select></label>
                        <label>{td_string!(l, console.state)}" "<select name="state">
                            <option value="">{td_string!(l, console.any)}</option>
                            {DeliveryState::ALL.iter().map(|s| view! {
                                <option value=s.as_str() selected=q.state == s.as_str()>{state_label(*s)}</option>
                            }).collect_view()}
                        </select></label>
                        <label>{td_string!(l, console.from_day)}" "<input type="date" name="from" value=q.from.clone() /></label>
                        <label>{td_string!(l, console.to_day)}" "<input type="date" name="to" value=q.to.clone() /></label>
                        <button type="submit" class="button" data-action="filter-alerts">{td_string!(l, console.filter)}</button>
                    </form>
                }
            }}
            <Suspense fallback=move || view! { <p>{td_string!(l, common.loading)}</p> }>
                {move || {
                    let q = query.get();
                    Suspend::new(async move {
                        match page.await {
                            Ok(page) => {
                                let older = page.next.map(|next| {
                                    let mut pairs = vec![("before", next.to_string())];
                                    for (name, value) in [("tenant", q.tenant), ("kind", q.kind), ("state", q.state), ("from", q.from), ("to", q.to)] {
                                        if !value.is_empty() {
                                            pairs.push((name, value));
                                        }
                                    }
                                    format!("{}?{}", paths::ADMIN_ALERTS, serde_urlencoded::to_string(&pairs).unwrap_or_default())
                                });
                                view! {
                                    <AlertTable entries=page.entries console=true />
                                    {older.map(|href| view! { <nav class="pager"><a href=href rel="next" data-action="older-alerts">{td_string!(l, alerts.older)}</a></nav> })}
                                }.into_any()
                            }
                            Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </Layout>
    }
}
