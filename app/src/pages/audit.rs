//! The audit log across tenants: every change by anyone, with its reason and its before and
//! after as the fields that changed. Filtered from the URL (a GET form, the same with and
//! without JavaScript), a keyset page at a time, and downloadable as the filters take it.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::admin::admin_audit_page;
use crate::components::layout::Layout;
use crate::components::page_data::page_data;
use crate::i18n::td_string;
use crate::locale::use_locale;
use crate::model::audit::{AuditEntry, AuditQuery};
use crate::paths;

fn link(base: &str, pairs: &[(&'static str, String)]) -> String {
    match serde_urlencoded::to_string(pairs).unwrap_or_default() {
        query if query.is_empty() => base.to_string(),
        query => format!("{base}?{query}"),
    }
}

#[component]
pub fn AdminAuditPage() -> impl IntoView {
    let l = use_locale();
    let params = use_query_map();
    let query = Memo::new(move |_| {
        params.with(|p| {
            let get = |name: &str| p.get(name).unwrap_or_default();
            AuditQuery {
                tenant: get("tenant"),
                actor: get("actor"),
                action: get("action"),
                from: get("from"),
                to: get("to"),
                before: get("before"),
            }
        })
    });
    let page = page_data(move || query.get(), admin_audit_page);
    let field = move |name: &'static str,
                      label: &'static str,
                      kind: &'static str,
                      value: String| {
        view! { <label>{label}" "<input type=kind name=name value=value data-filter=name /></label> }
    };
    view! {
        <Layout>
            <p class="crumbs"><a href=paths::ADMIN>{td_string!(l, console.tenants)}</a>" › "{td_string!(l, console.audit_title)}</p>
            <h1>{td_string!(l, console.audit_title)}</h1>
            {move || {
                let q = query.get();
                view! {
                    <form method="get" action=paths::ADMIN_AUDIT class="filters">
                        {field("tenant", td_string!(l, console.tenant_slug), "text", q.tenant.clone())}
                        {field("actor", td_string!(l, console.actor), "text", q.actor.clone())}
                        {field("action", td_string!(l, console.action), "text", q.action.clone())}
                        {field("from", td_string!(l, console.from_day), "date", q.from.clone())}
                        {field("to", td_string!(l, console.to_day), "date", q.to.clone())}
                        <button type="submit" class="button" data-action="filter-audit">{td_string!(l, console.filter)}</button>
                        " "<a class="button" rel="external" download="" href=link(paths::ADMIN_AUDIT_CSV, &q.pairs()) data-action="download-audit">{td_string!(l, common.download)}</a>
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
                                    let mut pairs = q.pairs();
                                    pairs.push(("before", next.to_string()));
                                    link(paths::ADMIN_AUDIT, &pairs)
                                });
                                view! {
                                    <AuditTable entries=page.entries />
                                    {older.map(|href| view! { <nav class="pager"><a href=href rel="next" data-action="older-audit">{td_string!(l, alerts.older)}</a></nav> })}
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

#[component]
fn AuditTable(entries: Vec<AuditEntry>) -> impl IntoView {
    let l = use_locale();
    if entries.is_empty() {
        return view! { <p class="muted" data-field="audit-empty">{td_string!(l, console.audit_empty)}</p> }.into_any();
    }
    view! {
        <table class="data" data-table="audit">
            <thead><tr>
                <th>{td_string!(l, console.when_utc)}</th><th>{td_string!(l, console.tenant)}</th><th>{td_string!(l, console.actor)}</th>
                <th>{td_string!(l, console.action)}</th><th>{td_string!(l, console.reason)}</th><th>{td_string!(l, console.changes)}</th>
            </tr></thead>
            <tbody>
                {entries.into_iter().map(|e| view! {
                    <tr data-audit=e.id>
                        <td>{e.at}</td>
                        <td>{e.tenant.map(|slug| view! { <a href=paths::admin_tenant(&slug)><code>{slug.clone()}</code></a> })}</td>
                        <td>{e.actor}</td>
                        <td><code data-field="action">{e.action}</code></td>
                        <td data-field="reason">{e.reason}</td>
                        <td><ul class="changes">
                            {e.changes.iter().map(|c| view! {
                                <li data-field=c.field.clone()>
                                    <code>{c.field.clone()}</code>": "
                                    <del>{c.before.clone().unwrap_or_else(|| "—".into())}</del>" → "
                                    <ins>{c.after.clone().unwrap_or_else(|| "—".into())}</ins>
                                </li>
                            }).collect_view()}
                        </ul></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
