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

/// The page's language: on the server the one chosen for this request (see
/// `server::language::resolve`), in the browser the one the server wrote into `<html lang>`.
fn request_locale() -> model::Locale {
    #[cfg(feature = "ssr")]
    {
        server::language::current()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        locale::document_locale()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
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
    locale::provide_locale(request_locale());
    view! {
        <Title text="Tally" />
        <Router>
            <routes::AppRoutes />
        </Router>
    }
}
