//! License Consumption History: the rows behind a pool's Consumed count, paginated by keyset,
//! filtered and ordered by the URL, and downloadable.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::subscription::get_history_page;
use crate::components::page_data::page_data;
use crate::components::{download::DownloadButton, layout::Layout};
use crate::i18n::td_string;
use crate::locale::{fill, number, use_locale};
use crate::model::history::{HistoryPage, HistoryQuery};
use crate::pages::view_as::{ViewAsBanner, reach, use_view_as};
use crate::paths;

/// The page state the URL holds.
pub fn query_from_url() -> Memo<HistoryQuery> {
    let params = use_query_map();
    Memo::new(move |_| {
        params.with(|p| HistoryQuery {
            q: p.get("q").unwrap_or_default(),
            status: p.get("status").unwrap_or_default(),
            order: p.get("order").unwrap_or_default(),
            after: p.get("after").unwrap_or_default(),
            before: p.get("before").unwrap_or_default(),
            page: p.get("page").unwrap_or_default(),
        })
    })
}

#[component]
pub fn HistoryPageView() -> impl IntoView {
    let query = query_from_url();
    let view_as = use_view_as();
    let page = page_data(
        move || (query.get(), view_as.clone()),
        |(query, view_as)| get_history_page(query, view_as),
    );
    let l = use_locale();
    view! {
        <Layout>
            <ViewAsBanner />
            <p class="crumbs">
                <a href=reach(paths::SUBSCRIPTION)>{td_string!(l, common.subscription)}</a>" › "{td_string!(l, history.title)}
            </p>
            <h1>{td_string!(l, history.title)}</h1>
            <Suspense fallback=move || view! { <p>{td_string!(l, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) => view! { <History page /> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </Layout>
    }
}

#[component]
fn History(page: HistoryPage) -> impl IntoView {
    let HistoryPage {
        columns,
        rows,
        query,
        previous,
        next,
        status_labels: (on, off),
    } = page;
    let filters = query.first_page();
    let download_query = HistoryQuery {
        order: String::new(),
        ..filters.clone()
    }
    .to_query();
    let with_query = |path: &str, query: &str| {
        if query.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{query}")
        }
    };
    let csv = with_query(paths::HISTORY_CSV, &download_query);
    let confirm = format!(
        "{}?file=history{}{}",
        paths::DOWNLOAD,
        if download_query.is_empty() { "" } else { "&" },
        download_query
    );
    let empty = rows.is_empty();
    let l = use_locale();
    let read_only = use_view_as().is_some();
    let here = reach(paths::HISTORY);
    let status = query.status.clone();
    view! {
        <form method="get" action=here.clone() class="filters" role="search">
            <label>{td_string!(l, history.search)}" "
                <input type="search" name="q" value=query.q.clone() placeholder=td_string!(l, history.search_placeholder) /></label>
            <label>{td_string!(l, history.status)}" "
                <select name="status">
                    <option value="" selected=status.is_empty()>{td_string!(l, history.all)}</option>
                    <option value="active" selected=status == "active">{on}</option>
                    <option value="inactive" selected=status == "inactive">{off}</option>
                </select>
            </label>
            <label>{td_string!(l, history.order)}" "
                <select name="order">
                    <option value="" selected=query.newest_first()>{td_string!(l, history.newest)}</option>
                    <option value="oldest" selected=!query.newest_first()>{td_string!(l, history.oldest)}</option>
                </select>
            </label>
            <button type="submit" class="button">{td_string!(l, history.apply)}</button>
            {(!read_only).then(|| view! {
                <DownloadButton label=td_string!(l, common.download) question=td_string!(l, download.history) file="history"
                    csv=csv confirm=confirm />
            })}
        </form>
        {if empty {
            view! { <p class="muted" data-field="no-rows">{td_string!(l, history.no_rows)}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="data history">
                        <thead><tr>{columns.into_iter().map(|c| view! { <th scope="col">{c}</th> }).collect_view()}</tr></thead>
                        <tbody>
                            {rows.into_iter().map(|row| {
                                let last = row.cells.len().saturating_sub(1);
                                let link = row.conversations.clone();
                                view! {
                                    <tr class:inactive=!row.active>
                                        {row.cells.into_iter().enumerate().map(|(i, cell)| {
                                            match (&link, i == last && !read_only) {
                                                (Some((_, href)), true) => view! { <td class="num"><a href=href.clone()>{cell}</a></td> }.into_any(),
                                                _ => view! { <td>{cell}</td> }.into_any(),
                                            }
                                        }).collect_view()}
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <nav class="pager" aria-label=td_string!(l, history.pages)>
            {previous.map(|q| view! { <a rel="prev" href=with_query(&here, &q)>{td_string!(l, history.previous)}</a> })}
            <span data-field="page">{fill(td_string!(l, history.page), &[("n", &number(l, query.page_number() as i64))])}</span>
            {next.map(|q| view! { <a rel="next" href=with_query(&here, &q)>{td_string!(l, history.next)}</a> })}
        </nav>
    }
}
