//! The confirmation page behind every Download button (what a browser without JavaScript sees),
//! and the Transaction History Log form, which checks its range before anything downloads.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::subscription::get_tenant_today;
use crate::components::{download::ConfirmDownload, layout::Layout};
use crate::domain::reports::{MAX_RANGE_DAYS, check_range, default_range};

/// The range typed in the form, checked as the server will check it.
pub fn checked_range(from: &str, to: &str) -> Result<(NaiveDate, NaiveDate), String> {
    let parse = |name: &str, text: &str| {
        text.trim()
            .parse::<NaiveDate>()
            .map_err(|_| format!("Enter the {name} date as YYYY-MM-DD."))
    };
    let from = parse("From", from)?;
    let to = parse("To", to)?;
    check_range(from, to).map_err(|e| e.to_string())
}

fn transactions_csv(from: NaiveDate, to: NaiveDate) -> String {
    format!("/settings/subscription/transactions.csv?from={from}&to={to}")
}

/// From and To, defaulting to the last 30 days; Download asks before downloading, and a range
/// the server would refuse is refused here first.
#[component]
pub fn TransactionLogForm(
    #[prop(into)] from: String,
    #[prop(into)] to: String,
    #[prop(optional, into)] error: Option<String>,
) -> impl IntoView {
    let (from_typed, to_typed) = (from.clone(), to.clone());
    let from = RwSignal::new(from);
    let to = RwSignal::new(to);
    let error = RwSignal::new(error);
    let confirm = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match checked_range(&from.get(), &to.get()) {
            Ok((f, t)) => {
                error.set(None);
                confirm.set(Some(transactions_csv(f, t)));
            }
            Err(message) => {
                confirm.set(None);
                error.set(Some(message));
            }
        }
    };
    view! {
        <form method="get" action="/settings/subscription/download" class="range" on:submit=submit novalidate>
            <input type="hidden" name="file" value="transactions" />
            <label>"From" <input type="date" name="from" value=from_typed prop:value=move || from.get()
                on:input=move |ev| from.set(event_target_value(&ev)) /></label>
            <label>"To" <input type="date" name="to" value=to_typed prop:value=move || to.get()
                on:input=move |ev| to.set(event_target_value(&ev)) /></label>
            <button type="submit" class="button">"Download"</button>
            <p class="hint">{format!("At most {MAX_RANGE_DAYS} days.")}</p>
            {move || error.get().map(|e| view! { <p class="error" role="alert" data-field="range-error">{e}</p> })}
        </form>
        {move || confirm.get().map(|csv| view! {
            <div class="dialog-backdrop">
                <div class="dialog" role="dialog" aria-modal="true" aria-label="Confirm download">
                    <ConfirmDownload what="the Transaction History Log" csv=csv
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
    let today = Resource::new(|| (), |_| get_tenant_today());
    view! {
        <Layout>
            <h1>"Download"</h1>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let today = match today.await {
                        Ok(today) => today.parse::<NaiveDate>().unwrap_or_default(),
                        Err(e) => return view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    };
                    let p = params.get();
                    let file = p.get("file").unwrap_or_default();
                    match file.as_str() {
                        "purchases" => view! {
                            <section class="card confirm">
                                <ConfirmDownload what="the License Purchase History"
                                    csv="/settings/subscription/purchases.csv" cancel_href="/settings/subscription" />
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
                                    <ConfirmDownload what="the License Consumption History"
                                        csv=format!("/settings/subscription/history.csv{suffix}")
                                        cancel_href=format!("/settings/subscription/history{suffix}") />
                                </section>
                            }.into_any()
                        }
                        "transactions" => {
                            let (default_from, default_to) = default_range(today);
                            let from = p.get("from").filter(|v| !v.is_empty()).unwrap_or_else(|| default_from.to_string());
                            let to = p.get("to").filter(|v| !v.is_empty()).unwrap_or_else(|| default_to.to_string());
                            match checked_range(&from, &to) {
                                Ok((f, t)) => view! {
                                    <section class="card confirm">
                                        <ConfirmDownload what=format!("the Transaction History Log from {f} to {t}")
                                            csv=transactions_csv(f, t) cancel_href="/settings/subscription" />
                                    </section>
                                }.into_any(),
                                Err(message) => view! {
                                    <section class="card">
                                        <h2>"Transaction History Log"</h2>
                                        <TransactionLogForm from=from to=to error=message />
                                        <p><a href="/settings/subscription">"Back to Subscription"</a></p>
                                    </section>
                                }.into_any(),
                            }
                        }
                        _ => view! {
                            <p class="error" role="alert">"There is no such download."</p>
                            <p><a href="/settings/subscription">"Back to Subscription"</a></p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </Layout>
    }
}

#[cfg(test)]
mod tests {
    use super::checked_range;

    #[test]
    fn the_form_refuses_what_the_server_refuses() {
        assert!(checked_range("2026-09-01", "2026-11-29").is_ok());
        assert_eq!(
            checked_range("2026-09-01", "2026-11-30"),
            Err("The range covers 91 days; choose at most 90.".into())
        );
        assert_eq!(
            checked_range("2026-11-02", "2026-11-01"),
            Err("The From date is after the To date.".into())
        );
        assert_eq!(
            checked_range("", "2026-11-01"),
            Err("Enter the From date as YYYY-MM-DD.".into())
        );
    }
}
