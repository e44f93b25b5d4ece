//! The super administrator's home.

use leptos::prelude::*;

use crate::api::admin::list_tenants;
use crate::components::layout::Layout;

#[component]
pub fn AdminHome() -> impl IntoView {
    let tenants = Resource::new(|| (), |_| list_tenants());
    view! {
        <Layout>
            <h1>"Tenants"</h1>
            <p><a href=crate::paths::ADMIN_ALERTS data-action="alert-log">{crate::i18n::td_string!(crate::locale::use_locale(), console.log_title)}</a>
                " · "<a href=crate::paths::ADMIN_AUDIT data-action="audit-log">{crate::i18n::td_string!(crate::locale::use_locale(), console.audit_title)}</a></p>
            <crate::pages::new_tenant::NewTenant />
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match tenants.await {
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                        Ok(list) => view! {
                            <table class="data">
                                <thead><tr><th>"Name"</th><th>"Slug"</th><th>"State"</th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|t| view! {
                                        <tr>
                                            <td><a href=crate::paths::admin_tenant(&t.slug) data-tenant=t.slug.clone()>{t.name}</a></td>
                                            <td><code>{t.slug}</code></td>
                                            <td><span class=format!("state state-{}", t.state)>{t.state.as_str()}</span></td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </Layout>
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
            before: p.get("before").unwrap_or_default(),
        })
    });
    let page = Resource::new(move || query.get(), admin_alert_page);
    let notice = move || {
        params.with(|p| match p.get("resend").as_deref() {
            Some("queued") => Some(("notice", td_string!(l, console.resent))),
            Some("refused") => Some(("error", td_string!(l, console.resend_refused))),
            _ => None,
        })
    };
    let kind_label = move |kind: AlertKind| match kind {
        AlertKind::Threshold => td_string!(l, console.kind_threshold),
        AlertKind::AutoRefill => td_string!(l, console.kind_auto_refill),
        AlertKind::AutoRefillCap => td_string!(l, console.kind_auto_refill_cap),
        AlertKind::ContractEnd => td_string!(l, console.kind_contract_end),
        AlertKind::Forecast => td_string!(l, console.kind_forecast),
        AlertKind::Test => td_string!(l, console.kind_test),
    };
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
                                    for (name, value) in [("tenant", q.tenant), ("kind", q.kind), ("state", q.state)] {
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
