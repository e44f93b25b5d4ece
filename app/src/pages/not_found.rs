use leptos::prelude::*;

/// Any path no page answers.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let l = crate::locale::use_locale();
    view! {
        <main class="page narrow">
            <h1>{crate::i18n::td_string!(l, common.page_not_found)}</h1>
            <p><a href="/">{crate::i18n::td_string!(l, common.back_to_tally)}</a></p>
        </main>
    }
}
