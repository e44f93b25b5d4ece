//! Conversation History: the conversations of one user or session, each opened to read.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::subscription::get_conversations;
use crate::components::layout::Layout;
use crate::model::conversation::ConversationsPage;

#[component]
pub fn ConversationsPageView() -> impl IntoView {
    let params = use_query_map();
    let page = Resource::new(
        move || params.with(|p| (p.get("user"), p.get("session"), p.get("open"))),
        |(user, session, open)| get_conversations(user, session, open),
    );
    view! {
        <Layout>
            <p class="crumbs">
                <a href="/settings/subscription">"Subscription"</a>" › "
                <a href="/settings/subscription/history">"License Consumption History"</a>" › Conversation History"
            </p>
            <h1>"Conversation History"</h1>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) => view! { <Conversations page /> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </Layout>
    }
}

#[component]
fn Conversations(page: ConversationsPage) -> impl IntoView {
    let ConversationsPage {
        party,
        party_id,
        conversations,
        opened,
    } = page;
    let base = format!(
        "/conversations?{}",
        serde_urlencoded::to_string([(party.as_str(), party_id.as_str())]).unwrap_or_default()
    );
    let who = if party == "user" { "User" } else { "Session" };
    let opened_id = opened.as_ref().map(|(id, _)| id.clone());
    view! {
        <p data-field="party">{format!("{who} {party_id}")}</p>
        {if conversations.is_empty() {
            view! { <p class="muted">"No conversations."</p> }.into_any()
        } else {
            view! {
                <table class="data conversations">
                    <thead><tr>
                        <th scope="col">"Conversation"</th><th scope="col">"Channel"</th>
                        <th scope="col">"Bot or Agent"</th><th scope="col">"Started On"</th><th scope="col">"Messages"</th>
                    </tr></thead>
                    <tbody>
                        {conversations.into_iter().map(|c| {
                            let href = format!("{base}&{}", serde_urlencoded::to_string([("open", c.conversation_id.as_str())]).unwrap_or_default());
                            let current = opened_id.as_deref() == Some(c.conversation_id.as_str());
                            view! {
                                <tr class:current=current>
                                    <td><a href=href>{c.conversation_id}</a></td>
                                    <td>{c.channel}</td><td>{c.handled_by}</td><td>{c.started_on}</td><td>{c.messages}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        {opened.map(|(id, messages)| view! {
            <section class="card transcript" aria-labelledby="transcript">
                <h2 id="transcript">{format!("Conversation {id}")}</h2>
                <ol class="messages">
                    {messages.into_iter().map(|m| view! {
                        <li><span class="from">{m.from}</span>" "<time>{m.at}</time><p>{m.text}</p></li>
                    }).collect_view()}
                </ol>
            </section>
        })}
    }
}
