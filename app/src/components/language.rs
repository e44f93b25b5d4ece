//! The language switch: a plain form, so it works without JavaScript. Signed in, the choice is
//! kept with the administrator's account; before signing in, in a cookie.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::i18n::{Locale as Ui, td_string};
use crate::locale::use_locale;
use crate::paths;

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let l = use_locale();
    let location = use_location();
    let next = move || {
        let search = location.search.get();
        if search.is_empty() {
            location.pathname.get()
        } else {
            format!(
                "{}?{}",
                location.pathname.get(),
                search.trim_start_matches('?')
            )
        }
    };
    let choices = [
        (Ui::en, "en", "English"),
        (Ui::pt_BR, "pt-BR", "Português (Brasil)"),
    ];
    view! {
        <form method="post" action=paths::LANGUAGE class="language" aria-label=td_string!(l, common.language)>
            <input type="hidden" name="next" value=next />
            {choices.into_iter().map(|(locale, code, name)| view! {
                <button type="submit" name="locale" value=code lang=code class="link"
                    aria-pressed=if locale == l { "true" } else { "false" }
                    data-locale=code>{name}</button>
            }).collect_view()}
        </form>
    }
}
