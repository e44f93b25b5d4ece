//! A download that asks first. Without JavaScript the button is a link to a confirmation page;
//! with it, the same confirmation opens in a dialog. Cancel downloads nothing.

use leptos::prelude::*;

use crate::i18n::td_string;
use crate::locale::use_locale;

/// The confirmation itself: a question, OK (the download) and Cancel.
#[component]
pub fn ConfirmDownload(
    /// The question asked, as in "Download the License Purchase History?".
    #[prop(into)]
    question: String,
    /// The CSV's URL.
    #[prop(into)]
    csv: String,
    /// Cancel: where a link goes (the page without JavaScript), or, in a dialog, a callback.
    #[prop(optional, into)]
    cancel_href: Option<String>,
    #[prop(optional)] on_close: Option<Callback<()>>,
) -> impl IntoView {
    let l = use_locale();
    let close = move || {
        if let Some(on_close) = on_close {
            on_close.run(());
        }
    };
    view! {
        <p class="question">{question}</p>
        <p class="hint">{td_string!(l, download.hint)}</p>
        <div class="actions">
            <a class="button primary" href=csv download="" data-action="confirm-download" on:click=move |_| close()>{td_string!(l, common.ok)}</a>
            {match cancel_href {
                Some(href) => view! { <a class="button" href=href data-action="cancel-download">{td_string!(l, common.cancel)}</a> }.into_any(),
                None => view! {
                    <button type="button" class="button" data-action="cancel-download" on:click=move |_| close()>{td_string!(l, common.cancel)}</button>
                }.into_any(),
            }}
        </div>
    }
}

/// A Download button: `confirm` is the confirmation page (no JavaScript), `csv` the file.
#[component]
pub fn DownloadButton(
    #[prop(into)] label: String,
    #[prop(into)] question: String,
    /// Which file (`purchases`, `history`), for tests and styles.
    file: &'static str,
    #[prop(into)] csv: Signal<String>,
    #[prop(into)] confirm: Signal<String>,
) -> impl IntoView {
    let l = use_locale();
    let open = RwSignal::new(false);
    view! {
        <a class="button" href=move || confirm.get() data-download=file
            on:click=move |ev| { ev.prevent_default(); open.set(true); }>{label}</a>
        <Show when=move || open.get()>
            <div class="dialog-backdrop">
                <div class="dialog" role="dialog" aria-modal="true" aria-label=td_string!(l, download.confirm_label)>
                    <ConfirmDownload question=question.clone() csv=csv.get()
                        on_close=Callback::new(move |()| open.set(false)) />
                </div>
            </div>
        </Show>
    }
}
