//! Sign-in and sign-out. Both are plain forms the server answers with a redirect, so they work
//! the same with and without JavaScript.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::language::LanguageSwitch;
use crate::i18n::{Locale as Ui, td_string};
use crate::locale::{fill, use_locale};
use crate::paths;

/// The message for the `error` the sign-in handler redirected with.
fn refusal(l: Ui, code: &str, wait: Option<&str>) -> Option<String> {
    Some(match code {
        "invalid" => td_string!(l, login.invalid).to_string(),
        "throttled" => {
            let minutes = wait.and_then(|w| w.parse::<u32>().ok()).unwrap_or(15);
            fill(
                td_string!(l, login.throttled),
                &[("minutes", &minutes.to_string())],
            )
        }
        "session" => td_string!(l, login.session).to_string(),
        "suspended" => td_string!(l, login.suspended).to_string(),
        "canceled" => td_string!(l, login.canceled).to_string(),
        _ => return None,
    })
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let l = use_locale();
    let message = move || {
        query.with(|q| {
            q.get("error")
                .and_then(|code| refusal(l, &code, q.get("wait").as_deref()))
        })
    };
    let signed_out = move || query.with(|q| q.get("signed_out").is_some());
    let next = move || query.with(|q| q.get("next").unwrap_or_default());
    view! {
        <main class="page narrow login">
            <LanguageSwitch />
            <h1>{td_string!(l, login.title)}</h1>
            <Show when=signed_out>
                <p class="notice" role="status">{td_string!(l, login.signed_out)}</p>
            </Show>
            {move || message().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <form method="post" action=paths::LOGIN class="stack">
                <input type="hidden" name="next" value=next />
                <label>
                    {td_string!(l, login.email)}
                    <input type="email" name="email" autocomplete="username" required />
                </label>
                <label>
                    {td_string!(l, login.password)}
                    <input type="password" name="password" autocomplete="current-password" required />
                </label>
                <button type="submit">{td_string!(l, login.sign_in)}</button>
            </form>
        </main>
    }
}

#[component]
pub fn LogoutPage() -> impl IntoView {
    let l = use_locale();
    view! {
        <main class="page narrow">
            <h1>{td_string!(l, login.sign_out_title)}</h1>
            <form method="post" action=paths::LOGOUT>
                <button type="submit">{td_string!(l, login.sign_out_button)}</button>
            </form>
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_has_its_message() {
        let english = Ui::en;
        assert!(refusal(english, "invalid", None).is_some_and(|m| m.contains("email or password")));
        assert!(refusal(english, "throttled", Some("7")).is_some_and(|m| m.contains("7 minute")));
        assert!(refusal(english, "suspended", None).is_some_and(|m| m.contains("suspended")));
        assert!(refusal(english, "canceled", None).is_some_and(|m| m.contains("canceled")));
        assert!(refusal(Ui::pt_BR, "suspended", None).is_some_and(|m| m.contains("suspensa")));
        assert!(refusal(Ui::pt_BR, "throttled", Some("<b>")).is_some_and(|m| m.contains(" 15 ")));
        assert_eq!(refusal(english, "active", None), None);
        assert_eq!(refusal(english, "<script>", None), None);
    }
}
