//! Conversation History: the conversations of one user or session, each opened to read.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::subscription::get_conversations;
use crate::components::layout::Layout;
use crate::components::page_data::page_data;
use crate::i18n::td_string;
use crate::locale::{fill, number, use_locale};
use crate::model::conversation::ConversationsPage;
use crate::paths;

#[component]
pub fn ConversationsPageView() -> impl IntoView {
    let params = use_query_map();
    let page = page_data(
        move || params.with(|p| (p.get("user"), p.get("session"), p.get("open"))),
        |(user, session, open)| get_conversations(user, session, open),
    );
    let l = use_locale();
    view! {
        <Layout>
            <p class="crumbs">
                <a href=paths::SUBSCRIPTION>{td_string!(l, common.subscription)}</a>" › "
                <a href=paths::HISTORY>{td_string!(l, history.title)}</a>" › "
                {td_string!(l, conversations.title)}
            </p>
            <h1>{td_string!(l, conversations.title)}</h1>
            <Suspense fallback=move || view! { <p>{td_string!(l, common.loading)}</p> }>
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
        "{}?{}",
        paths::CONVERSATIONS,
        serde_urlencoded::to_string([(party.as_str(), party_id.as_str())]).unwrap_or_default()
    );
    let l = use_locale();
    let who = if party == "user" {
        td_string!(l, conversations.user)
    } else {
        td_string!(l, conversations.session)
    };
    let opened_id = opened.as_ref().map(|(id, _)| id.clone());
    view! {
        <p data-field="party">{fill(who, &[("id", &party_id)])}</p>
        {if conversations.is_empty() {
            view! { <p class="muted">{td_string!(l, conversations.none)}</p> }.into_any()
        } else {
            view! {
                <table class="data conversations">
                    <thead><tr>
                        <th scope="col">{td_string!(l, conversations.conversation)}</th>
                        <th scope="col">{td_string!(l, conversations.channel)}</th>
                        <th scope="col">{td_string!(l, conversations.bot_or_agent)}</th>
                        <th scope="col">{td_string!(l, conversations.started_on)}</th>
                        <th scope="col" class="num">{td_string!(l, conversations.messages)}</th>
                    </tr></thead>
                    <tbody>
                        {conversations.into_iter().map(|c| {
                            let href = format!("{base}&{}", serde_urlencoded::to_string([("open", c.conversation_id.as_str())]).unwrap_or_default());
                            let current = opened_id.as_deref() == Some(c.conversation_id.as_str());
                            view! {
                                <tr class:current=current>
                                    <td><a href=href>{c.conversation_id}</a></td>
                                    <td>{c.channel}</td><td>{c.handled_by}</td><td>{c.started_on}</td><td class="num">{number(l, i64::from(c.messages))}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        {opened.map(|(id, messages)| view! {
            <section class="card transcript" aria-labelledby="transcript">
                <h2 id="transcript">{fill(td_string!(l, conversations.opened), &[("id", &id)])}</h2>
                <ol class="messages">
                    {messages.into_iter().map(|m| view! {
                        <li><span class="from">{m.from}</span>" "<time>{m.at}</time><p>{m.text}</p></li>
                    }).collect_view()}
                </ol>
            </section>
        })}
    }
}
