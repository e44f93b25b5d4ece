//! Tally's web application: pages and server functions shared by the server and the browser.

// The Subscription tab is one deep view type; the optimised wasm build needs more room for it.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod domain;
pub mod error;
pub mod locale;
pub mod model;
pub mod pages;
pub mod paths;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod server;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::Router;

// The macro is marked deprecated in favour of generating the module from a build script, which
// would pull ICU's data exporter into every build; the macro generates the same module.
#[expect(
    deprecated,
    reason = "the build-script generator needs ICU's data exporter"
)]
mod translations {
    leptos_i18n::load_locales!();
}
pub use translations::i18n;

use i18n::I18nContextProvider;

/// The language the server chose for this request (see `server::language::resolve`).
fn request_locale() -> model::Locale {
    #[cfg(feature = "ssr")]
    {
        server::language::current()
    }
    #[cfg(not(feature = "ssr"))]
    {
        model::Locale::En
    }
}

/// The HTML document around every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = request_locale().as_str();
    #[cfg(feature = "ssr")]
    server::security::set_page_policy();
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <link rel="stylesheet" id="leptos" href="/pkg/tally.css" />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The application root.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // The server decides the language; the browser reads it back from `<html lang>`. A change
    // of language is a form that reloads the page, so no cookie of the i18n crate is needed.
    view! {
        <I18nContextProvider enable_cookie=false set_lang_attr_on_html=false set_dir_attr_on_html=false>
            <ServerLocale />
            <Title text="Tally" />
            <Router>
                <routes::AppRoutes />
            </Router>
        </I18nContextProvider>
    }
}

/// On the server, sets the request's language before anything is rendered; in the browser the
/// context already starts from `<html lang>`.
#[component]
fn ServerLocale() -> impl IntoView {
    #[cfg(feature = "ssr")]
    i18n::use_i18n().set_locale(request_locale().into());
}
