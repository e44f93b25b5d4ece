//! The confirmation page behind every Download button (what a browser without JavaScript sees),
//! and the Transaction History Log form, which checks its range before anything downloads.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::subscription::get_tenant_today;
use crate::components::{download::ConfirmDownload, layout::Layout};
use crate::domain::reports::{MAX_RANGE_DAYS, RangeError, check_range, default_range};
use crate::i18n::{Locale as Ui, td_string};
use crate::locale::{fill, number, use_locale};
use crate::paths;

/// Why a typed range was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeProblem {
    BadFrom,
    BadTo,
    Range(RangeError),
}

/// The range typed in the form, checked as the server will check it.
pub fn checked_range(from: &str, to: &str) -> Result<(NaiveDate, NaiveDate), RangeProblem> {
    let parse = |text: &str, problem| text.trim().parse::<NaiveDate>().map_err(|_| problem);
    let from = parse(from, RangeProblem::BadFrom)?;
    let to = parse(to, RangeProblem::BadTo)?;
    check_range(from, to).map_err(RangeProblem::Range)
}

/// The refusal in the reader's words.
pub fn range_message(l: Ui, problem: RangeProblem) -> String {
    match problem {
        RangeProblem::BadFrom => td_string!(l, download.enter_from).to_string(),
        RangeProblem::BadTo => td_string!(l, download.enter_to).to_string(),
        RangeProblem::Range(RangeError::Reversed) => td_string!(l, download.reversed).to_string(),
        RangeProblem::Range(RangeError::TooLong { days }) => fill(
            td_string!(l, download.too_long),
            &[
                ("days", &number(l, days)),
                ("max", &number(l, MAX_RANGE_DAYS)),
            ],
        ),
    }
}

fn transactions_csv(from: NaiveDate, to: NaiveDate) -> String {
    format!("{}?from={from}&to={to}", paths::TRANSACTIONS_CSV)
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
        match checked_range(&from.get(), &to.get()) {
            Ok((f, t)) => {
                error.set(None);
                confirm.set(Some(transactions_csv(f, t)));
            }
            Err(problem) => {
                confirm.set(None);
                error.set(Some(range_message(l, problem)));
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
    let today = Resource::new(|| (), |_| get_tenant_today());
    let l = use_locale();
    view! {
        <Layout>
            <h1>{td_string!(l, download.title)}</h1>
            <Suspense fallback=move || view! { <p>{td_string!(l, common.loading)}</p> }>
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
                            match checked_range(&from, &to) {
                                Ok((f, t)) => view! {
                                    <section class="card confirm">
                                        <ConfirmDownload question=fill(td_string!(l, download.transactions_between),
                                            &[("from", &f.to_string()), ("to", &t.to_string())])
                                            csv=transactions_csv(f, t) cancel_href=paths::SUBSCRIPTION />
                                    </section>
                                }.into_any(),
                                Err(problem) => view! {
                                    <section class="card">
                                        <h2>{td_string!(l, subscription.transactions)}</h2>
                                        <TransactionLogForm from=from to=to error=range_message(l, problem) />
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

#[cfg(test)]
mod tests {
    use super::*;

    fn said(l: Ui, from: &str, to: &str) -> Option<String> {
        checked_range(from, to).err().map(|p| range_message(l, p))
    }

    #[test]
    fn the_form_refuses_what_the_server_refuses() {
        assert!(checked_range("2026-09-01", "2026-11-29").is_ok());
        assert_eq!(
            said(Ui::en, "2026-09-01", "2026-11-30").as_deref(),
            Some("The range covers 91 days; choose at most 90.")
        );
        assert_eq!(
            said(Ui::pt_BR, "2026-09-01", "2026-11-30").as_deref(),
            Some("O período cobre 91 dias; escolha no máximo 90.")
        );
        assert_eq!(
            said(Ui::en, "2026-11-02", "2026-11-01").as_deref(),
            Some("The From date is after the To date.")
        );
        assert_eq!(
            said(Ui::pt_BR, "", "2026-11-01").as_deref(),
            Some("Informe a data De no formato AAAA-MM-DD.")
        );
        assert_eq!(checked_range("2026-11-01", "x"), Err(RangeProblem::BadTo));
    }
}
