//! Which language a request is answered in, and the server's locale-aware formatting of dates
//! (pages receive dates already written for the reader; numbers are formatted where shown).

use chrono::{DateTime, NaiveDate};
use chrono_tz::Tz;

use crate::model::Locale;

/// The cookie that keeps the language last chosen in this browser.
pub const LOCALE_COOKIE: &str = "tally_locale";

/// Who is asking, as far as the language goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Preferences<'a> {
    /// What the signed-in administrator chose with the switch (kept with their account).
    pub chosen: Option<Locale>,
    /// What was last chosen in this browser (the switch's cookie), signed in or not.
    pub cookie: Option<&'a str>,
    /// The signed-in tenant administrator's tenant's language.
    pub tenant: Option<Locale>,
    /// The browser's `Accept-Language`.
    pub accept_language: Option<&'a str>,
}

/// The language of a request: the administrator's own choice; else the one made in this
/// browser (on the sign-in page, say); else their tenant's; else the browser's languages;
/// English when nothing matches.
pub fn resolve(p: Preferences<'_>) -> Locale {
    p.chosen
        .or_else(|| p.cookie.and_then(|c| c.parse().ok()))
        .or(p.tenant)
        .or_else(|| p.accept_language.and_then(from_accept_language))
        .unwrap_or(Locale::En)
}

/// The first language of the header Tally speaks; any Portuguese reads as Brazilian.
fn from_accept_language(header: &str) -> Option<Locale> {
    accept_language::parse(header).into_iter().find_map(|tag| {
        let primary = tag
            .split('-')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Locale::En),
            "pt" => Some(Locale::PtBr),
            _ => None,
        }
    })
}

/// The language of the request being served (pages and server functions).
pub fn current() -> Locale {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Locale>().copied())
        .unwrap_or(Locale::En)
}

fn chrono_locale(locale: Locale) -> chrono::Locale {
    match locale {
        Locale::En => chrono::Locale::en_US,
        Locale::PtBr => chrono::Locale::pt_BR,
    }
}

/// A calendar day as the reader writes it: `11/22/2026`, `22/11/2026`.
pub fn date(locale: Locale, day: NaiveDate) -> String {
    day.format_localized("%x", chrono_locale(locale))
        .to_string()
}

/// An instant in the tenant's zone as the reader writes it, to the minute.
pub fn date_time(locale: Locale, zone: Tz, ms: i64) -> String {
    super::zone::at(zone, ms).map_or_else(String::new, |t| local_date_time(locale, &t))
}

pub fn local_date_time(locale: Locale, t: &DateTime<Tz>) -> String {
    let time = match locale {
        Locale::En => "%I:%M %p",
        Locale::PtBr => "%H:%M",
    };
    t.format_localized(&format!("%x {time}"), chrono_locale(locale))
        .to_string()
}

/// Tally's own words and the reports' column names as the reader reads them (files keep the
/// English of SPEC.md; pages translate it). Anything else is shown as it is.
pub fn phrase(locale: Locale, english: &str) -> String {
    use crate::i18n::td_string;
    let l: crate::i18n::Locale = locale.into();
    let translated = match english {
        "Active" => td_string!(l, history.active),
        "Inactive" => td_string!(l, history.inactive),
        "Open" => td_string!(l, history.open),
        "Ended" => td_string!(l, history.ended),
        "Not billable" => td_string!(l, history.not_billable),
        "Yes" => td_string!(l, history.yes),
        "No" => td_string!(l, history.no),
        "User" => td_string!(l, history.user),
        "Agent" => td_string!(l, history.agent),
        "Bot" => td_string!(l, history.bot),
        "User ID" => td_string!(l, history.user_id),
        "User Name" => td_string!(l, history.user_name),
        "Email" => td_string!(l, history.email),
        "First Name" => td_string!(l, history.first_name),
        "Last Name" => td_string!(l, history.last_name),
        "Role" => td_string!(l, history.role),
        "Status" => td_string!(l, history.status),
        "Created On" => td_string!(l, history.created_on),
        "Conversations" => td_string!(l, history.conversations),
        "Session ID" => td_string!(l, history.session_id),
        "Started On" => td_string!(l, history.started_on),
        "Initiated By" => td_string!(l, history.initiated_by),
        "Agent Name" => td_string!(l, history.agent_name),
        "Channel" => td_string!(l, history.channel),
        "Transaction ID" => td_string!(l, history.transaction_id),
        "Transaction Date & Time" => td_string!(l, history.transaction_time),
        "Bot Name" => td_string!(l, history.bot_name),
        "Associated Skill Name" => td_string!(l, history.skill_name),
        "Transaction Type" => td_string!(l, history.transaction_type),
        "Fulfillment Type" => td_string!(l, history.fulfillment_type),
        "Fulfillment Details" => td_string!(l, history.fulfillment_details),
        "Billable" => td_string!(l, history.billable),
        _ => return english.to_string(),
    };
    translated.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_choice_beats_the_cookie_which_beats_the_tenant_which_beats_the_browser() {
        use Locale::{En, PtBr};
        let cases = [
            (Some(PtBr), Some("en"), Some(En), Some("en-US"), PtBr),
            (Some(En), Some("pt-BR"), Some(PtBr), Some("pt-BR"), En),
            (None, Some("pt-BR"), Some(En), Some("en-US,en;q=0.9"), PtBr),
            (None, Some("en"), Some(PtBr), None, En),
            (None, None, Some(PtBr), Some("en-US"), PtBr),
            (None, None, Some(En), Some("pt-BR"), En),
            (None, Some("fr"), None, Some("pt-PT,pt;q=0.9"), PtBr),
            (None, None, None, Some("de-DE,pt;q=0.8,en;q=0.5"), PtBr),
            (None, None, None, Some("de-DE,en;q=0.5,pt;q=0.8"), PtBr),
            (None, None, None, Some("fr-FR,de;q=0.9"), En),
            (None, None, None, Some(";;;garbage"), En),
            (None, None, None, None, En),
        ];
        for (chosen, cookie, tenant, accept_language, want) in cases {
            let p = Preferences {
                chosen,
                cookie,
                tenant,
                accept_language,
            };
            assert_eq!(resolve(p), want, "{p:?}");
        }
    }

    #[test]
    fn every_column_of_every_report_has_its_portuguese_name() {
        use crate::server::reports::{
            SESSION_HISTORY_HEADER, TRANSACTIONS_HEADER, USER_HISTORY_HEADER,
        };
        for column in USER_HISTORY_HEADER
            .iter()
            .chain(&SESSION_HISTORY_HEADER)
            .chain(&TRANSACTIONS_HEADER)
        {
            assert_eq!(phrase(Locale::En, column), *column);
            assert_ne!(phrase(Locale::PtBr, column), *column, "{column}");
        }
        assert_eq!(phrase(Locale::PtBr, "Inactive"), "Inativo");
        assert_eq!(phrase(Locale::PtBr, "Acme Bot"), "Acme Bot");
    }

    #[test]
    fn dates_are_written_the_readers_way() {
        let day: NaiveDate = "2026-11-02".parse().expect("date");
        assert_eq!(date(Locale::En, day), "11/02/2026");
        assert_eq!(date(Locale::PtBr, day), "02/11/2026");
        let zone: Tz = "America/Sao_Paulo".parse().expect("zone");
        // 2026-11-02T15:05:00Z is 12:05 in São Paulo.
        let ms = 1_793_631_900_000;
        assert_eq!(date_time(Locale::PtBr, zone, ms), "02/11/2026 12:05");
        assert_eq!(date_time(Locale::En, zone, ms), "11/02/2026 12:05 PM");
    }
}
