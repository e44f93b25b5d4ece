//! Sign-in and sign-out. Both are plain forms the server answers with a redirect, so they work
//! the same with and without JavaScript.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::model::TenantState;

/// The message for the `error` the sign-in handler redirected with.
fn refusal(code: &str, wait: Option<&str>) -> Option<String> {
    Some(match code {
        "invalid" => "The email or password is not right.".to_string(),
        "throttled" => format!(
            "Too many failed sign-ins. Please wait {} minute(s) and try again.",
            wait.unwrap_or("15")
        ),
        "session" => "Your session has ended. Please sign in again.".to_string(),
        other => other
            .parse::<TenantState>()
            .ok()?
            .sign_in_refusal()?
            .to_string(),
    })
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let message = move || {
        query.with(|q| {
            q.get("error")
                .and_then(|code| refusal(&code, q.get("wait").as_deref()))
        })
    };
    let signed_out = move || query.with(|q| q.get("signed_out").is_some());
    let next = move || query.with(|q| q.get("next").unwrap_or_default());
    view! {
        <main class="page narrow login">
            <h1>"Sign in to Tally"</h1>
            <Show when=signed_out>
                <p class="notice" role="status">"You are signed out."</p>
            </Show>
            {move || message().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <form method="post" action="/login" class="stack">
                <input type="hidden" name="next" value=next />
                <label>
                    "Email"
                    <input type="email" name="email" autocomplete="username" required />
                </label>
                <label>
                    "Password"
                    <input type="password" name="password" autocomplete="current-password" required />
                </label>
                <button type="submit">"Sign in"</button>
            </form>
        </main>
    }
}

#[component]
pub fn LogoutPage() -> impl IntoView {
    view! {
        <main class="page narrow">
            <h1>"Sign out"</h1>
            <form method="post" action="/logout">
                <button type="submit">"Sign out of Tally"</button>
            </form>
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::refusal;

    #[test]
    fn each_code_has_its_message() {
        assert!(refusal("invalid", None).is_some_and(|m| m.contains("email or password")));
        assert!(refusal("throttled", Some("7")).is_some_and(|m| m.contains("7 minute")));
        assert!(refusal("suspended", None).is_some_and(|m| m.contains("suspended")));
        assert!(refusal("canceled", None).is_some_and(|m| m.contains("canceled")));
        assert_eq!(refusal("active", None), None);
        assert_eq!(refusal("<script>", None), None);
    }
}
