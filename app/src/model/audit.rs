//! The audit log as the console shows it.

use serde::{Deserialize, Serialize};

/// One field a change touched: what it was and what it became (`None`: absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// One change in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    /// When, in UTC, as displayed.
    pub at: String,
    /// The tenant's slug; `None` for a change of no tenant's.
    pub tenant: Option<String>,
    pub actor: String,
    pub action: String,
    pub reason: String,
    /// The fields that differ between before and after, in the order they were written.
    pub changes: Vec<FieldChange>,
}

/// A page of the log, newest first.
pub type AuditPage = super::KeysetPage<AuditEntry>;

/// The audit log as its URL asks: every field as typed, empty for any. Dates are UTC days,
/// both included.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    /// A tenant's slug.
    #[serde(default)]
    pub tenant: String,
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub action: String,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub from: String,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub to: String,
    /// The previous page's `next`.
    #[serde(default)]
    pub before: String,
}

impl AuditQuery {
    /// The filters as query pairs, without the page position: for links and the download.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        [
            ("tenant", &self.tenant),
            ("actor", &self.actor),
            ("action", &self.action),
            ("from", &self.from),
            ("to", &self.to),
        ]
        .into_iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(name, value)| (name, value.trim().to_string()))
        .collect()
    }
}

impl FieldChange {
    /// `field: before → after`, with `—` for a side that is absent: the same on the page and
    /// in the download.
    pub fn line(&self) -> String {
        let side = |value: &Option<String>| value.clone().unwrap_or_else(|| "—".into());
        format!(
            "{}: {} → {}",
            self.field,
            side(&self.before),
            side(&self.after)
        )
    }
}
