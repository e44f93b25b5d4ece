//! Bulk license assignment of a tenant: upload a CSV file, read the dry-run preview (every
//! row's outcome and error, and the capacity check), apply it all or nothing, download the
//! report. Plain forms, the same with and without JavaScript.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::admin::admin_bulk_preview;
use crate::components::layout::Layout;
use crate::components::page_data::page_data;
use crate::i18n::Locale as Ui;
use crate::i18n::td_string;
use crate::locale::{number, use_locale};
use crate::model::bulk::{BulkPreview, RowOutcome};
use crate::model::console::Refusal;
use crate::pages::tenant_console::refusal_text;
use crate::paths;

fn outcome_text(l: Ui, outcome: RowOutcome) -> &'static str {
    match outcome {
        RowOutcome::Assign => td_string!(l, bulk.assign),
        RowOutcome::Release => td_string!(l, bulk.release),
        RowOutcome::AlreadyAssigned => td_string!(l, bulk.already_assigned),
        RowOutcome::NotAssigned => td_string!(l, bulk.not_assigned),
        RowOutcome::UnknownPool => td_string!(l, bulk.unknown_pool),
        RowOutcome::NotAssignmentPool => td_string!(l, bulk.not_assignment_pool),
        RowOutcome::BadAssignee => td_string!(l, bulk.bad_assignee),
        RowOutcome::BadAction => td_string!(l, bulk.bad_action),
        RowOutcome::Repeated => td_string!(l, bulk.repeated),
        RowOutcome::BadRow => td_string!(l, bulk.bad_row),
    }
}

#[component]
pub fn BulkPage() -> impl IntoView {
    let l = use_locale();
    let params = use_params_map();
    let query = use_query_map();
    let slug = Memo::new(move |_| params.with(|p| p.get("slug").unwrap_or_default()));
    let upload =
        Memo::new(move |_| query.with(|q| q.get("upload").and_then(|u| u.parse::<i64>().ok())));
    let preview = page_data(
        move || (slug.get(), upload.get()),
        |(slug, upload)| async move {
            match upload {
                Some(upload) => admin_bulk_preview(slug, upload).await.map(Some),
                None => Ok(None),
            }
        },
    );
    // `one`: the single form's refusal, said beside it; any other form's, above.
    let refused = move |single: bool| {
        query.with(|q| {
            let one = q.get("refused").as_deref() == Some("one");
            let code = q.get("code").filter(|_| one == single)?;
            Refusal::parse(&code, None)
        })
    };
    let base = move || format!("{}/assignments", paths::admin_tenant(&slug.get()));
    view! {
        <Layout>
            <p class="crumbs"><a href=paths::ADMIN>{td_string!(l, console.tenants)}</a>" › "
                <a href=move || paths::admin_tenant(&slug.get())>{move || slug.get()}</a>" › "{td_string!(l, bulk.title)}</p>
            <h1>{td_string!(l, bulk.title)}</h1>
            {move || refused(false).map(|r| view! { <p class="error" role="alert" data-outcome="refused">{refusal_text(l, r)}</p> })}
            {move || query.with(|q| q.get("done")).map(|done| view! {
                <p class="notice" role="status" data-outcome="done">
                    {if done == "one" { td_string!(l, bulk.one_done) } else { td_string!(l, bulk.applied) }}
                </p>
            })}
            <section class="card" id="one">
                <h2>{td_string!(l, bulk.one_title)}</h2>
                {move || refused(true).map(|r| view! {
                    <p class="error" role="alert" data-outcome="refused" data-field=r.field()>{refusal_text(l, r)}</p>
                })}
                <form method="post" action=move || format!("{}/one", base()) class="inline" data-form="one">
                    <label>"pool "<input type="text" name="pool" required /></label>
                    <label>"assignee_id "<input type="text" name="assignee_id" required maxlength="255" /></label>
                    <label>"assignee_name "<input type="text" name="assignee_name" /></label>
                    <label>"action "<select name="action">
                        <option value="assign">"assign"</option>
                        <option value="release">"release"</option>
                    </select></label>
                    <label>{td_string!(l, console.reason)}" "<input type="text" name="reason" required maxlength="500" /></label>
                    <button type="submit" class="button" data-action="assign-one">{td_string!(l, bulk.one_submit)}</button>
                </form>
            </section>
            <h2>{td_string!(l, bulk.file_title)}</h2>
            <form method="post" action=base enctype="multipart/form-data" class="inline" data-form="upload">
                <label>{td_string!(l, bulk.file)}" "<input type="file" name="file" accept=".csv,text/csv" required /></label>
                <button type="submit" class="button" data-action="preview">{td_string!(l, bulk.preview)}</button>
            </form>
            <p class="muted">{td_string!(l, bulk.format)}" "<code>"pool,assignee_id,assignee_name,action"</code></p>
            <Suspense fallback=move || view! { <p>{td_string!(l, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match preview.await {
                        Ok(Some(p)) => view! { <Preview p=p base=base() /> }.into_any(),
                        Ok(None) => ().into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </Layout>
    }
}

#[component]
fn Preview(p: BulkPreview, base: String) -> impl IntoView {
    let l = use_locale();
    let (errors, changes, upload) = (p.errors(), p.changes(), p.upload);
    view! {
        <section class="card" data-preview=upload>
            <p data-field="summary">
                {td_string!(l, bulk.changes)}": "<strong data-field="changes">{number(l, changes as i64)}</strong>" · "
                {td_string!(l, bulk.errors)}": "<strong data-field="errors">{number(l, errors as i64)}</strong>
            </p>
            {p.bad_header.then(|| view! { <p class="error" data-field="bad-header">{td_string!(l, bulk.bad_header)}</p> })}
            {p.over_capacity.into_iter().map(|o| { let pool = o.pool.clone(); view! {
                <p class="error" data-over=pool>
                    {td_string!(l, bulk.over_capacity)}" "<code>{o.pool}</code>": "{number(l, o.after)}" / "{number(l, o.purchased)}
                </p>
            }}).collect_view()}
            <table class="data" data-table="bulk">
                <thead><tr>
                    <th>"#"</th><th>"pool"</th><th>"assignee_id"</th><th>"assignee_name"</th><th>"action"</th><th>{td_string!(l, bulk.result)}</th>
                </tr></thead>
                <tbody>
                    {p.rows.into_iter().map(|r| view! {
                        <tr data-line=r.line data-outcome=r.outcome.code() class:error=r.outcome.is_error()>
                            <td>{r.line}</td><td><code>{r.pool}</code></td><td>{r.assignee_id}</td>
                            <td>{r.assignee_name}</td><td>{r.action}</td><td>{outcome_text(l, r.outcome)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            {match p.applied {
                Some((at, by)) => view! {
                    <p class="notice" data-field="applied">{td_string!(l, bulk.applied_at)}" "{at}" · "{by}</p>
                }.into_any(),
                None => view! {
                    <form method="post" action=format!("{base}/apply") class="inline" data-form="apply">
                        <input type="hidden" name="upload" value=upload />
                        <label>{td_string!(l, console.reason)}" "<input type="text" name="reason" required maxlength="500" /></label>
                        <button type="submit" class="button primary" data-action="apply">{td_string!(l, bulk.apply)}</button>
                    </form>
                }.into_any(),
            }}
            <p><a class="button" rel="external" download="" href=format!("{base}/report.csv?upload={upload}") data-action="report">{td_string!(l, bulk.report)}</a></p>
        </section>
    }
}
