//! The browser entry: hydrates the server-rendered page. Most pages' code sits in wasm files of
//! its own (see `app::routes`), which the first page may need before it can hydrate, so
//! hydration is asynchronous: it waits for them.

use leptos::prelude::document;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async {
        let Some(body) = document().body() else {
            return;
        };
        leptos::mount::hydrate_from_async(body.clone(), app::App)
            .await
            .forget();
        // Marks the page once the browser has taken it over, so tests (and styles) can tell.
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
