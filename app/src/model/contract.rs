//! A tenant's subscription and contract as the console's form edits them: license model, dates,
//! session duration, alert thresholds, contract-end notice days and auto-refill.

use serde::{Deserialize, Serialize};

/// The form as typed (or, on the page, as the subscription stands). Every field is text so a
/// refused form comes back exactly as it was typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContractForm {
    pub license_model: String,
    /// YYYY-MM-DD.
    pub contract_start: String,
    /// YYYY-MM-DD.
    pub contract_end: String,
    /// Empty: the 30-minute default window.
    pub session_minutes: String,
    /// Percentages, comma-separated: `75,85,95,100`.
    pub thresholds: String,
    /// Days before the end, comma-separated: `30,7,1`.
    pub contract_notice_days: String,
    /// A checkbox: `on` when ticked, absent otherwise.
    pub auto_refill: String,
    /// Licenses added per automatic refill.
    pub auto_refill_amount: String,
    /// The percent used at which an automatic refill happens.
    pub auto_refill_percent: String,
    /// At most this many automatic refills per calendar month.
    pub auto_refill_max_per_month: String,
    pub reason: String,
}

impl ContractForm {
    /// Whether the auto-refill box is ticked.
    pub fn auto_refill_on(&self) -> bool {
        matches!(self.auto_refill.trim(), "on" | "true" | "1")
    }

    /// The form without its reason, as a refused form is sent back.
    pub fn without_reason(self) -> Self {
        Self {
            reason: String::new(),
            ..self
        }
    }
}
