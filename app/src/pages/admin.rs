//! The super administrator's home.

use leptos::prelude::*;

use crate::api::admin::list_tenants;
use crate::components::layout::Layout;

#[component]
pub fn AdminHome() -> impl IntoView {
    let tenants = Resource::new(|| (), |_| list_tenants());
    view! {
        <Layout>
            <h1>"Tenants"</h1>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match tenants.await {
                        Err(e) => view! { <p class="error">{e.to_string()}</p> }.into_any(),
                        Ok(list) => view! {
                            <table class="data">
                                <thead><tr><th>"Name"</th><th>"Slug"</th><th>"State"</th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|t| view! {
                                        <tr>
                                            <td>{t.name}</td>
                                            <td><code>{t.slug}</code></td>
                                            <td><span class=format!("state state-{}", t.state)>{t.state.as_str()}</span></td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </Layout>
    }
}
