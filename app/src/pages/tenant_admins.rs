//! Administrators in the console, a tenant's or the super ones: invite one more, send a new
//! invitation, disable.

use leptos::prelude::*;

use crate::i18n::td_string;
use crate::locale::use_locale;
use crate::model::console::AdministratorEntry;
use crate::pages::tenant_console::{Outcome, Reason, Said};

#[component]
pub fn AdminSection(
    /// Where the forms post.
    action: String,
    administrators: Vec<AdministratorEntry>,
    said: Option<Outcome>,
) -> impl IntoView {
    let l = use_locale();
    view! {
        <section id="admins" class="card">
            <h2>{td_string!(l, console.admins)}</h2>
            <Said outcome=said form="admins" />
            <form method="post" action=action.clone() class="inline" data-form="invite">
                <input type="hidden" name="do" value="invite" />
                <label>{td_string!(l, console.email)}" "<input type="email" name="email" required /></label>
                <Reason label=td_string!(l, console.reason) />
                <button type="submit" class="button" data-action="invite">{td_string!(l, console.invite)}</button>
            </form>
            <table class="data" data-table="admins">
                <thead><tr>
                    <th>{td_string!(l, console.email)}</th><th>{td_string!(l, console.created)}</th><th>{td_string!(l, console.status)}</th><th></th>
                </tr></thead>
                <tbody>
                    {administrators.into_iter().map(|a| {
                        let status = match (a.disabled, a.invited) {
                            (true, _) => td_string!(l, console.disabled),
                            (false, true) => td_string!(l, console.invited),
                            (false, false) => td_string!(l, console.active),
                        };
                        let form = |what: &'static str, label: &'static str| view! {
                            <form method="post" action=action.clone() class="inline" data-form=what>
                                <input type="hidden" name="do" value=what />
                                <input type="hidden" name="administrator" value=a.id />
                                <Reason label=td_string!(l, console.reason) />
                                <button type="submit" class="button small" data-action=what>{label}</button>
                            </form>
                        };
                        let forms = (!a.disabled).then(|| view! {
                            {form("reinvite", td_string!(l, console.reinvite))}
                            {form("disable", td_string!(l, console.disable))}
                        });
                        view! {
                            <tr data-admin=a.email.clone()>
                                <td>{a.email.clone()}</td><td>{a.created_at}</td><td data-field="status">{status}</td><td>{forms}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// An invitation link just made, shown this once, with `text` saying so.
#[component]
pub fn InvitationLink(link: Option<String>, text: &'static str) -> impl IntoView {
    link.map(|link| {
        view! {
            <div class="notice" role="status">
                <p>{text}</p>
                <p><a href=link.clone() data-field="invitation" rel="external">{link.clone()}</a></p>
            </div>
        }
    })
}
