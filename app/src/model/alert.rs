//! Alerts as the log shows them: what was decided, for which pool, and what became of each email.

use serde::{Deserialize, Serialize};

use super::tenant::text_enum;

text_enum!(
    /// Why an alert was raised.
    AlertKind {
        Threshold => "threshold",
        AutoRefill => "auto_refill",
        AutoRefillCap => "auto_refill_cap",
        ContractEnd => "contract_end",
        Forecast => "forecast",
        Test => "test",
    }
);

text_enum!(
    /// Where one email stands. `Queued` with a last error is being retried.
    DeliveryState {
        Queued => "queued",
        Sent => "sent",
        Failed => "failed",
        Dead => "dead",
    }
);

/// One email of an alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub outbox_id: i64,
    pub recipient: String,
    pub state: DeliveryState,
    pub attempts: i32,
    /// The SMTP server's answer (or the connection error) of the last failed attempt.
    pub last_error: Option<String>,
    /// When it was handed to the SMTP server (epoch ms).
    pub sent_at: Option<i64>,
}

impl Delivery {
    /// Queued after a failed attempt: it will be tried again.
    pub fn retrying(&self) -> bool {
        self.state == DeliveryState::Queued && self.last_error.is_some()
    }
}

/// One alert in the log, with its emails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertEntry {
    pub id: i64,
    pub tenant_slug: String,
    pub kind: AlertKind,
    /// Epoch ms.
    pub created_at: i64,
    /// As displayed, in the tenant's zone.
    pub created_label: String,
    pub pool_key: Option<String>,
    pub percent: Option<i32>,
    /// Lower thresholds the same jump reached, announced by this alert.
    pub covers: String,
    /// The contract end date or projected run-out date the alert is about.
    pub on_date: Option<String>,
    pub days: Option<i32>,
    /// The ledger row of an automatic refill: licenses added.
    pub refill_delta: Option<i64>,
    /// When a later refill re-armed this threshold: that refill's time (epoch ms) and id.
    pub rearmed_by: Option<i64>,
    pub deliveries: Vec<Delivery>,
}

/// A page of the log, newest first.
pub type AlertPage = super::KeysetPage<AlertEntry>;

/// The admin console's log as its URL asks: every field as typed, empty for any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertQuery {
    /// A tenant's slug.
    #[serde(default)]
    pub tenant: String,
    #[serde(default)]
    pub kind: String,
    /// A delivery state one of the alert's emails is in.
    #[serde(default)]
    pub state: String,
    /// The first UTC day (YYYY-MM-DD).
    #[serde(default)]
    pub from: String,
    /// The last UTC day (YYYY-MM-DD).
    #[serde(default)]
    pub to: String,
    /// The previous page's `next`.
    #[serde(default)]
    pub before: String,
}
