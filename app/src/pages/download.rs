//! The confirmation page behind every Download button (what a browser without JavaScript sees),
//! and the Transaction History Log form, which checks its range before anything downloads.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::subscription::get_tenant_today;
use crate::components::page_data::page_data;
use crate::components::{download::ConfirmDownload, layout::Layout};
use crate::domain::reports::{MAX_RANGE_DAYS, default_range};
use crate::i18n::td_string;
use crate::locale::{fill, number, use_locale};
use crate::model::range::DateRange;
use crate::paths;

fn transactions_csv(range: DateRange) -> String {
    format!(
        "{}?from={}&to={}",
        paths::TRANSACTIONS_CSV,
        range.from(),
        range.to()
    )
}

/// From and To, defaulting to the last 30 days; Download asks before downloading, and a range
/// the server would refuse is refused here first.
#[component]
pub fn TransactionLogForm(
    #[prop(into)] from: String,
    #[prop(into)] to: String,
    #[prop(optional, into)] error: Option<String>,
) -> impl IntoView {
    let l = use_locale();
    let (from_typed, to_typed) = (from.clone(), to.clone());
    let from = RwSignal::new(from);
    let to = RwSignal::new(to);
    let error = RwSignal::new(error);
    let confirm = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match DateRange::typed(&from.get(), &to.get()) {
            Ok(range) => {
                error.set(None);
                confirm.set(Some(transactions_csv(range)));
            }
            Err(problem) => {
                confirm.set(None);
                error.set(Some(problem.message(l)));
            }
        }
    };
    view! {
        <form method="get" action=paths::DOWNLOAD class="range" on:submit=submit novalidate>
            <input type="hidden" name="file" value="transactions" />
            <label>{td_string!(l, download.from)}" "<input type="date" name="from" value=from_typed prop:value=move || from.get()
                on:input=move |ev| from.set(event_target_value(&ev)) /></label>
            <label>{td_string!(l, download.to)}" "<input type="date" name="to" value=to_typed prop:value=move || to.get()
                on:input=move |ev| to.set(event_target_value(&ev)) /></label>
            <button type="submit" class="button">{td_string!(l, common.download)}</button>
            <p class="hint">{fill(td_string!(l, download.at_most), &[("days", &number(l, MAX_RANGE_DAYS))])}</p>
            {move || error.get().map(|e| view! { <p class="error" role="alert" data-field="range-error">{e}</p> })}
        </form>
        {move || confirm.get().map(|csv| view! {
            <div class="dialog-backdrop">
                <div class="dialog" role="dialog" aria-modal="true" aria-label=td_string!(l, download.confirm_label)>
                    <ConfirmDownload question=td_string!(l, download.transactions) csv=csv
                        on_close=Callback::new(move |()| confirm.set(None)) />
                </div>
            </div>
        })}
    }
}

/// `/settings/subscription/download?file=history|transactions|purchases&…`.
#[component]
pub fn DownloadPage() -> impl IntoView {
    let params = use_query_map();
    let today = page_data(|| (), |_| get_tenant_today());
    let l = use_locale();
    view! {
        <Layout>
            <h1>{td_string!(l, download.title)}</h1>
            <Suspense fallback=move || view! { <p>{td_string!(l, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    let today = match today.await {
                        Ok(today) => crate::model::day::parse(&today).unwrap_or_default(),
                        Err(e) => return view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    };
                    let p = params.get();
                    let file = p.get("file").unwrap_or_default();
                    match file.as_str() {
                        "purchases" => view! {
                            <section class="card confirm">
                                <ConfirmDownload question=td_string!(l, download.purchases)
                                    csv=paths::PURCHASES_CSV cancel_href=paths::SUBSCRIPTION />
                            </section>
                        }.into_any(),
                        "history" => {
                            let rest: Vec<(String, String)> = ["q", "status"]
                                .into_iter()
                                .filter_map(|k| p.get(k).filter(|v| !v.is_empty()).map(|v| (k.to_string(), v)))
                                .collect();
                            let query = serde_urlencoded::to_string(&rest).unwrap_or_default();
                            let suffix = if query.is_empty() { String::new() } else { format!("?{query}") };
                            view! {
                                <section class="card confirm">
                                    <ConfirmDownload question=td_string!(l, download.history)
                                        csv=format!("{}{suffix}", paths::HISTORY_CSV)
                                        cancel_href=format!("{}{suffix}", paths::HISTORY) />
                                </section>
                            }.into_any()
                        }
                        "transactions" => {
                            let (default_from, default_to) = default_range(today);
                            let from = p.get("from").filter(|v| !v.is_empty()).unwrap_or_else(|| default_from.to_string());
                            let to = p.get("to").filter(|v| !v.is_empty()).unwrap_or_else(|| default_to.to_string());
                            match DateRange::typed(&from, &to) {
                                Ok(range) => view! {
                                    <section class="card confirm">
                                        <ConfirmDownload question=fill(td_string!(l, download.transactions_between),
                                            &[("from", &range.from().to_string()), ("to", &range.to().to_string())])
                                            csv=transactions_csv(range) cancel_href=paths::SUBSCRIPTION />
                                    </section>
                                }.into_any(),
                                Err(problem) => view! {
                                    <section class="card">
                                        <h2>{td_string!(l, subscription.transactions)}</h2>
                                        <TransactionLogForm from=from to=to error=problem.message(l) />
                                        <p><a href=paths::SUBSCRIPTION>{td_string!(l, common.back_to_subscription)}</a></p>
                                    </section>
                                }.into_any(),
                            }
                        }
                        _ => view! {
                            <p class="error" role="alert">{td_string!(l, download.no_such)}</p>
                            <p><a href=paths::SUBSCRIPTION>{td_string!(l, common.back_to_subscription)}</a></p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </Layout>
    }
}
