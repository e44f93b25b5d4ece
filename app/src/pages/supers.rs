//! The super administrators in the console: invite one more (the link shown once), send a new
//! invitation, disable; each with a reason, audited.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::admin::admin_supers;
use crate::components::layout::Layout;
use crate::components::page_data::page_data;
use crate::i18n::td_string;
use crate::locale::use_locale;
use crate::pages::tenant_admins::{AdminSection, InvitationLink};
use crate::pages::tenant_console::outcome;
use crate::paths;

#[component]
pub fn SupersPage() -> impl IntoView {
    let l = use_locale();
    let query = use_query_map();
    let supers = page_data(|| (), |_| admin_supers());
    view! {
        <Layout>
            <p class="crumbs"><a href=paths::ADMIN>{td_string!(l, console.tenants)}</a>" › "{td_string!(l, console.supers)}</p>
            <h1>{td_string!(l, console.supers)}</h1>
            <Suspense fallback=move || view! { <p>{td_string!(l, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    let said = query.with(outcome);
                    match supers.await {
                        Ok(s) => view! {
                            <InvitationLink link=s.invitation text=td_string!(l, console.supers_invitation) />
                            <AdminSection action=paths::ADMIN_SUPERS.to_string() administrators=s.administrators said=said />
                        }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </Layout>
    }
}
