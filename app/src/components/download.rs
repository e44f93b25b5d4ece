//! A download that asks first. Without JavaScript the button is a link to a confirmation page;
//! with it, the same confirmation opens in a dialog. Cancel downloads nothing.

use leptos::prelude::*;

/// The confirmation itself: a question, OK (the download) and Cancel.
#[component]
pub fn ConfirmDownload(
    /// What is downloaded, as in "Download the License Purchase History?".
    #[prop(into)]
    what: String,
    /// The CSV's URL.
    #[prop(into)]
    csv: String,
    /// Cancel: where a link goes (the page without JavaScript), or, in a dialog, a callback.
    #[prop(optional, into)]
    cancel_href: Option<String>,
    #[prop(optional)] on_close: Option<Callback<()>>,
) -> impl IntoView {
    let close = move || {
        if let Some(on_close) = on_close {
            on_close.run(());
        }
    };
    view! {
        <p class="question">{format!("Download {what}?")}</p>
        <p class="hint">"The file is a CSV with one row per line; dates are in your tenant's time zone."</p>
        <div class="actions">
            <a class="button primary" href=csv download="" data-action="confirm-download" on:click=move |_| close()>"OK"</a>
            {match cancel_href {
                Some(href) => view! { <a class="button" href=href data-action="cancel-download">"Cancel"</a> }.into_any(),
                None => view! {
                    <button type="button" class="button" data-action="cancel-download" on:click=move |_| close()>"Cancel"</button>
                }.into_any(),
            }}
        </div>
    }
}

/// A Download button: `confirm` is the confirmation page (no JavaScript), `csv` the file.
#[component]
pub fn DownloadButton(
    #[prop(into)] label: String,
    #[prop(into)] what: String,
    #[prop(into)] csv: Signal<String>,
    #[prop(into)] confirm: Signal<String>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let what_dialog = what.clone();
    view! {
        <a class="button" href=move || confirm.get() data-download=what
            on:click=move |ev| { ev.prevent_default(); open.set(true); }>{label}</a>
        <Show when=move || open.get()>
            <div class="dialog-backdrop">
                <div class="dialog" role="dialog" aria-modal="true" aria-label="Confirm download">
                    <ConfirmDownload what=what_dialog.clone() csv=csv.get()
                        on_close=Callback::new(move |()| open.set(false)) />
                </div>
            </div>
        </Show>
    }
}
