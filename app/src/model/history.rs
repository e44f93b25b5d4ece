//! The state of a License Consumption History page, as its URL holds it, so a page can be
//! shared and reloaded.

use serde::{Deserialize, Serialize};

/// Rows per history page.
pub const PAGE_SIZE: i64 = 25;

/// `?q=…&status=active|inactive&order=newest|oldest&after=AT.ID|before=AT.ID&page=N`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryQuery {
    #[serde(default)]
    pub q: String,
    /// `active`, `inactive`, or empty for both.
    #[serde(default)]
    pub status: String,
    /// `oldest` runs oldest first; anything else newest first.
    #[serde(default)]
    pub order: String,
    /// The key of the last row of the previous page.
    #[serde(default)]
    pub after: String,
    /// The key of the first row of the next page (going back).
    #[serde(default)]
    pub before: String,
    /// The page number shown, for people; the keys decide what is read.
    #[serde(default)]
    pub page: String,
}

impl HistoryQuery {
    pub fn newest_first(&self) -> bool {
        self.order != "oldest"
    }

    pub fn active(&self) -> Option<bool> {
        match self.status.as_str() {
            "active" => Some(true),
            "inactive" => Some(false),
            _ => None,
        }
    }

    pub fn page_number(&self) -> u64 {
        self.page.parse().ok().filter(|n| *n >= 1).unwrap_or(1)
    }

    /// A key written as `AT.ID`; anything else reads as no key (the first page).
    pub fn parse_key(text: &str) -> Option<(i64, i64)> {
        let (at, id) = text.split_once('.')?;
        Some((at.parse().ok()?, id.parse().ok()?))
    }

    pub fn key_text((at, id): (i64, i64)) -> String {
        format!("{at}.{id}")
    }

    /// The query string of this state (without the `?`), leaving out what is empty.
    pub fn to_query(&self) -> String {
        let fields = [
            ("q", &self.q),
            ("status", &self.status),
            ("order", &self.order),
            ("after", &self.after),
            ("before", &self.before),
            ("page", &self.page),
        ];
        let given: Vec<_> = fields.into_iter().filter(|(_, v)| !v.is_empty()).collect();
        serde_urlencoded::to_string(given).unwrap_or_default()
    }

    /// The same filters and order from the first page.
    pub fn first_page(&self) -> Self {
        Self {
            q: self.q.clone(),
            status: self.status.clone(),
            order: self.order.clone(),
            ..Self::default()
        }
    }
}

/// One row of the License Consumption History as the page shows it; the columns depend on the
/// license model, in the order of the CSV headers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryRow {
    pub cells: Vec<String>,
    /// Conversations of this user or session, and the link to them.
    pub conversations: Option<(i64, String)>,
    pub active: bool,
}

/// A page of history with the links around it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryPage {
    pub columns: Vec<String>,
    pub rows: Vec<HistoryRow>,
    pub query: HistoryQuery,
    /// Query strings of the neighbouring pages, when there are any.
    pub previous: Option<String>,
    pub next: Option<String>,
    /// What the status filter chooses between, for this model (`Active`/`Inactive`, …).
    pub status_labels: (String, String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_round_trips_the_page_state() {
        let query = HistoryQuery {
            q: "ana & bob".into(),
            status: "active".into(),
            order: "oldest".into(),
            after: HistoryQuery::key_text((1_700_000_000_000, 42)),
            before: String::new(),
            page: "3".into(),
        };
        let text = query.to_query();
        assert_eq!(
            text,
            "q=ana+%26+bob&status=active&order=oldest&after=1700000000000.42&page=3"
        );
        let back: HistoryQuery = serde_urlencoded::from_str(&text).expect("parses");
        assert_eq!(back, query);
        assert_eq!(
            HistoryQuery::parse_key(&back.after),
            Some((1_700_000_000_000, 42))
        );
        assert_eq!(HistoryQuery::parse_key("x.1"), None);
        assert_eq!(HistoryQuery::parse_key(""), None);
        assert!(!back.newest_first());
        assert_eq!(back.active(), Some(true));
        assert_eq!(back.page_number(), 3);
        assert_eq!(HistoryQuery::default().page_number(), 1);
        assert_eq!(
            query.first_page().to_query(),
            "q=ana+%26+bob&status=active&order=oldest"
        );
    }
}
