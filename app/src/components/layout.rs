//! The frame around signed-in pages: brand, who is signed in, sign-out.

use leptos::prelude::*;

use super::language::LanguageSwitch;
use crate::api::session::current_viewer;
use crate::components::page_data::page_data;
use crate::i18n::td_string;
use crate::locale::use_locale;
use crate::paths;

/// Header and main area; `children` is the page.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let viewer = page_data(|| (), |_| current_viewer());
    let l = use_locale();
    view! {
        <header class="topbar">
            <a class="brand" href="/">"Tally"</a>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    viewer.await.ok().flatten().map(|viewer| {
                        let whereabouts = match viewer.tenant {
                            Some((name, _)) => name,
                            None => td_string!(l, common.super_administrator).to_string(),
                        };
                        view! {
                            <nav class="who">
                                <span class="tenant">{whereabouts}</span>
                                <span class="email">{viewer.email}</span>
                                <form method="post" action=paths::LOGOUT>
                                    <button type="submit" class="link">{td_string!(l, common.sign_out)}</button>
                                </form>
                                <LanguageSwitch />
                            </nav>
                        }
                    })
                })}
            </Suspense>
        </header>
        <main class="page">{children()}</main>
    }
}
