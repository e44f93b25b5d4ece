//! The tenant's alert log: the latest alerts on the Subscription tab, and the whole log on its
//! own page a keyset page at a time, each alert with its recipients and what became of each
//! email, and "Send me a test alert" (a plain form: the same with and without JavaScript).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::subscription::get_alert_page;
use crate::components::layout::Layout;
use crate::components::page_data::page_data;
use crate::i18n::{Locale as Ui, td_string};
use crate::locale::{fill, number, pool_label, use_locale};
use crate::model::PoolKey;
use crate::model::alert::{AlertEntry, AlertKind, Delivery, DeliveryState};
use crate::paths;

/// Alerts per page of the log.
const PAGE: i64 = 25;

#[component]
pub fn AlertsPage() -> impl IntoView {
    let l = use_locale();
    let params = use_query_map();
    let before =
        Memo::new(move |_| params.with(|p| p.get("before").and_then(|b| b.parse::<i64>().ok())));
    let page = page_data(move || before.get(), |before| get_alert_page(before, PAGE));
    view! {
        <Layout>
            <p class="crumbs">
                <a href=paths::SUBSCRIPTION>{td_string!(l, common.subscription)}</a>" › "{td_string!(l, alerts.title)}
            </p>
            <h1>{td_string!(l, alerts.title)}</h1>
            <p class="muted">{td_string!(l, alerts.intro)}</p>
            <TestAlert />
            <Suspense fallback=move || view! { <p>{td_string!(l, common.loading)}</p> }>
                {move || {
                    // Read before the await: the page's signals may be gone once it resolves.
                    let paged = before.get().is_some();
                    Suspend::new(async move {
                    match page.await {
                        Ok(page) => view! {
                            <AlertTable entries=page.entries />
                            <nav class="pager">
                                {paged.then(|| view! {
                                    <a href=paths::ALERTS data-action="newest-alerts">{td_string!(l, alerts.newest)}</a>
                                })}
                                {page.next.map(|next| view! {
                                    <a href=format!("{}?before={next}", paths::ALERTS) rel="next" data-action="older-alerts">{td_string!(l, alerts.older)}</a>
                                })}
                            </nav>
                        }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}}
            </Suspense>
        </Layout>
    }
}

/// The Alerts section of the Subscription tab: the latest few (read with the rest of the tab),
/// and the way to the rest.
#[component]
pub fn AlertsSection(entries: Vec<AlertEntry>) -> impl IntoView {
    let l = use_locale();
    let view_as = crate::pages::view_as::use_view_as();
    let all = match &view_as {
        Some(slug) => format!("{}?tenant={slug}", paths::ADMIN_ALERTS),
        None => paths::ALERTS.to_string(),
    };
    let read_only = view_as.is_some();
    view! {
        <section class="card" id="alerts" aria-labelledby="alerts-title">
            <header class="section-head">
                <h2 id="alerts-title">{td_string!(l, alerts.title)}</h2>
                <a class="button" href=all data-action="all-alerts">{td_string!(l, alerts.all)}</a>
            </header>
            {(!read_only).then(|| view! { <TestAlert /> })}
            <AlertTable entries />
        </section>
    }
}

/// The test alert's button, and what became of the last request (the redirect's query).
#[component]
fn TestAlert() -> impl IntoView {
    let l = use_locale();
    let params = use_query_map();
    let notice = move || {
        params.with(|p| match p.get("test").as_deref() {
            Some("sent") => Some(("notice", td_string!(l, alerts.test_sent).to_string())),
            Some("wait") => Some((
                "error",
                fill(
                    td_string!(l, alerts.test_wait),
                    &[("seconds", &p.get("seconds").unwrap_or_default())],
                ),
            )),
            Some("failed") => Some(("error", td_string!(l, alerts.test_failed).to_string())),
            _ => None,
        })
    };
    view! {
        {move || notice().map(|(class, text)| view! { <p class=class role="status" data-field="test-alert">{text}</p> })}
        <form method="post" action=paths::TEST_ALERT class="actions">
            <button type="submit" class="button" data-action="test-alert">{td_string!(l, alerts.send_test)}</button>
        </form>
    }
}

/// The alerts with their emails; in the admin console (`console`) with each alert's tenant and a
/// Resend button on every email given up.
#[component]
pub fn AlertTable(entries: Vec<AlertEntry>, #[prop(optional)] console: bool) -> impl IntoView {
    let l = use_locale();
    if entries.is_empty() {
        return view! { <p class="muted" data-field="no-alerts">{td_string!(l, alerts.none)}</p> }
            .into_any();
    }
    view! {
        <table class="data alerts">
            <thead><tr>
                {console.then(|| view! { <th scope="col">{td_string!(l, console.tenant)}</th> })}
                <th scope="col">{td_string!(l, alerts.time)}</th>
                <th scope="col">{td_string!(l, alerts.alert)}</th>
                <th scope="col">{td_string!(l, alerts.pool)}</th>
                <th scope="col">{td_string!(l, alerts.recipients)}</th>
            </tr></thead>
            <tbody>
                {entries.into_iter().map(|entry| {
                    let pool = entry.pool_key.clone().map(|key| {
                        let label = PoolKey::parse(&key).map_or_else(|_| key.clone(), |k| k.label());
                        pool_label(l, &key, label)
                    });
                    view! {
                        <tr data-alert=entry.kind.as_str()>
                            {console.then(|| view! { <td><code>{entry.tenant_slug.clone()}</code></td> })}
                            <td>{entry.created_label.clone()}</td>
                            <td>{describe(l, &entry)}{notes(l, &entry).map(|n| view! { <br /><small class="muted">{n}</small> })}</td>
                            <td>{pool}</td>
                            <td><ul class="deliveries">
                                {entry.deliveries.into_iter().map(|d| view! { <DeliveryItem delivery=d console /> }).collect_view()}
                            </ul></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn DeliveryItem(delivery: Delivery, console: bool) -> impl IntoView {
    let l = use_locale();
    let (state, label) = match delivery.state {
        DeliveryState::Queued if delivery.retrying() => {
            ("retrying", td_string!(l, alerts.retrying))
        }
        DeliveryState::Queued => ("queued", td_string!(l, alerts.queued)),
        DeliveryState::Sent => ("sent", td_string!(l, alerts.sent)),
        DeliveryState::Failed => ("failed", td_string!(l, alerts.failed)),
        DeliveryState::Dead => ("dead", td_string!(l, alerts.dead)),
    };
    let error = (delivery.state != DeliveryState::Sent)
        .then_some(delivery.last_error)
        .flatten();
    let given_up = matches!(delivery.state, DeliveryState::Failed | DeliveryState::Dead);
    view! {
        <li data-delivery=state>
            {delivery.recipient}" "<span class=format!("delivery delivery-{state}")>{label}</span>
            {console.then(|| view! {
                " "<small class="muted" data-field="attempts">{fill(td_string!(l, console.attempts), &[("n", &delivery.attempts.to_string())])}</small>
            })}
            {error.map(|e| view! { <br /><small class="muted">{e}</small> })}
            {(console && given_up).then(|| view! {
                <form method="post" action=paths::ADMIN_RESEND class="inline">
                    <input type="hidden" name="email" value=delivery.outbox_id.to_string() />
                    <button type="submit" class="button" data-action="resend">{td_string!(l, console.resend)}</button>
                </form>
            })}
        </li>
    }
}

/// What the alert announced, in the reader's language.
fn describe(l: Ui, entry: &AlertEntry) -> String {
    let percent = entry.percent.unwrap_or(0).to_string();
    let date = entry.on_date.clone().unwrap_or_default();
    match entry.kind {
        AlertKind::Threshold => fill(td_string!(l, alerts.threshold), &[("percent", &percent)]),
        AlertKind::AutoRefill => fill(
            td_string!(l, alerts.auto_refill),
            &[
                ("percent", &percent),
                ("n", &number(l, entry.refill_delta.unwrap_or(0))),
            ],
        ),
        AlertKind::AutoRefillCap => td_string!(l, alerts.auto_refill_cap).to_string(),
        AlertKind::ContractEnd => fill(
            td_string!(l, alerts.contract_end),
            &[
                ("date", &date),
                ("days", &entry.days.unwrap_or(0).to_string()),
            ],
        ),
        AlertKind::Forecast => fill(td_string!(l, alerts.forecast), &[("date", &date)]),
        AlertKind::Test => td_string!(l, alerts.test).to_string(),
    }
}

/// The thresholds an alert covered on the way, and whether a refill re-armed it.
fn notes(l: Ui, entry: &AlertEntry) -> Option<String> {
    let mut notes = Vec::new();
    if !entry.covers.is_empty() {
        let list = entry
            .covers
            .split(',')
            .map(|t| format!("{t}%"))
            .collect::<Vec<_>>()
            .join(", ");
        notes.push(fill(td_string!(l, alerts.covers), &[("list", &list)]));
    }
    if entry.rearmed_by.is_some() {
        notes.push(td_string!(l, alerts.rearmed).to_string());
    }
    (!notes.is_empty()).then(|| notes.join(" · "))
}
