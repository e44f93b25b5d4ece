//! `POST /settings/subscription/contacts`: the Contact Details form. The form is plain HTML, so
//! it works the same with and without JavaScript: Save, Add another and Remove all post here,
//! and every answer is a redirect back to the Subscription tab.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use serde::Deserialize;

use app::paths;
use app::server::auth::TenantAdmin;
use app::server::service::subscription::{self, SaveContactsError};
use app::server::state::AppState;

#[derive(Debug, Default, Deserialize)]
pub struct ContactsForm {
    #[serde(default)]
    technical: Vec<String>,
    #[serde(default)]
    billing: Vec<String>,
    /// `technical` or `billing`: add an empty field to that list.
    #[serde(default)]
    add: Option<String>,
    /// `technical:N` or `billing:N`: drop that field.
    #[serde(default)]
    remove: Option<String>,
}

/// The Subscription tab in edit mode with these lists typed in.
fn edit_url(form: &ContactsForm, check: bool) -> String {
    let mut pairs: Vec<(&str, &str)> = vec![("edit", "contacts")];
    // An emptied list still appears (as one blank field), so the page does not fall back to
    // the saved addresses.
    for (name, list) in [("technical", &form.technical), ("billing", &form.billing)] {
        if list.is_empty() {
            pairs.push((name, ""));
        }
        pairs.extend(list.iter().map(|e| (name, e.as_str())));
    }
    if check {
        pairs.push(("check", "1"));
    }
    let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    format!("{}?{query}#contacts", paths::SUBSCRIPTION)
}

pub async fn save(
    State(state): State<AppState>,
    TenantAdmin { tenant, identity }: TenantAdmin,
    Form(mut form): Form<ContactsForm>,
) -> Response {
    if let Some(list) = form.add.take() {
        match list.as_str() {
            "technical" => form.technical.push(String::new()),
            "billing" => form.billing.push(String::new()),
            _ => {}
        }
        return Redirect::to(&edit_url(&form, false)).into_response();
    }
    if let Some(target) = form.remove.take() {
        if let Some((list, index)) = target.split_once(':')
            && let Ok(index) = index.parse::<usize>()
        {
            let list = match list {
                "technical" => Some(&mut form.technical),
                "billing" => Some(&mut form.billing),
                _ => None,
            };
            if let Some(list) = list.filter(|l| index < l.len()) {
                list.remove(index);
            }
        }
        return Redirect::to(&edit_url(&form, false)).into_response();
    }
    match subscription::save_contacts(
        &state.db,
        tenant,
        &identity.email,
        &form.technical,
        &form.billing,
    )
    .await
    {
        Ok(()) => Redirect::to(&format!("{}?saved=contacts#contacts", paths::SUBSCRIPTION))
            .into_response(),
        Err(SaveContactsError::Invalid(_)) => Redirect::to(&edit_url(&form, true)).into_response(),
        Err(SaveContactsError::Store(error)) => error.into_response(),
    }
}
