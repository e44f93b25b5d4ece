//! Accepting an invitation: the invited administrator chooses a password and is signed in.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::session::invitation;
use crate::components::layout::Layout;
use crate::components::page_data::page_data;
use crate::i18n::td_string;
use crate::locale::use_locale;
use crate::paths;

#[component]
pub fn InvitePage() -> impl IntoView {
    let l = use_locale();
    let query = use_query_map();
    let token = Memo::new(move |_| query.with(|q| q.get("token").unwrap_or_default()));
    let found = page_data(move || token.get(), invitation);
    let problem = move || match query.with(|q| q.get("error")).as_deref() {
        Some("mismatch") => Some(td_string!(l, invite.mismatch)),
        Some("short") => Some(td_string!(l, invite.short)),
        Some("used") => Some(td_string!(l, invite.used)),
        _ => None,
    };
    view! {
        <Layout>
            <h1>{td_string!(l, invite.title)}</h1>
            {move || problem().map(|text| view! { <p class="error" role="alert" data-field="invite-error">{text}</p> })}
            <Suspense fallback=move || view! { <p>{td_string!(l, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match found.await {
                        Ok(Some(email)) => view! {
                            <form method="post" action=paths::INVITE class="stacked narrow" data-form="invite">
                                <p>{td_string!(l, invite.for_email)}" "<strong data-field="email">{email}</strong></p>
                                <input type="hidden" name="token" value=token.get_untracked() />
                                <label class="field">{td_string!(l, invite.password)}" "<input type="password" name="password" required minlength="8" autocomplete="new-password" /></label>
                                <label class="field">{td_string!(l, invite.confirm)}" "<input type="password" name="confirm" required minlength="8" autocomplete="new-password" /></label>
                                <button type="submit" class="button primary" data-action="accept-invitation">{td_string!(l, invite.accept)}</button>
                            </form>
                        }.into_any(),
                        Ok(None) => view! { <p class="error" role="alert" data-field="invite-gone">{td_string!(l, invite.gone)}</p> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </Layout>
    }
}
