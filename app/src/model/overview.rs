//! What the Subscription tab shows.

use serde::{Deserialize, Serialize};

use super::{LicenseModel, PoolGroup, TenantState};

/// How many ledger rows the Subscription tab shows: auto-refill adds rows as usage grows, and
/// the page must not grow with it.
pub const PURCHASES_SHOWN: usize = 20;

/// How many alerts, newest first, the Subscription tab shows (the rest are a page away).
pub const ALERTS_SHOWN: i64 = 5;

/// One pool's line in the License Consumption Summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolSummary {
    pub key: String,
    pub label: String,
    pub group: PoolGroup,
    pub enforcement: String,
    pub purchased: i64,
    pub consumed: i64,
    /// Never below zero; usage past the purchase shows as `overage`.
    pub available: i64,
    pub overage: i64,
    pub percent_used: f64,
}

/// The header and summary of a tenant's subscription.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubscriptionOverview {
    pub tenant_name: String,
    pub state: TenantState,
    pub license_model: LicenseModel,
    pub contract_start: String,
    pub contract_end: String,
    pub days_left: i64,
    pub session_minutes: Option<i32>,
    pub technical_emails: Vec<String>,
    pub billing_emails: Vec<String>,
    pub pools: Vec<PoolSummary>,
    /// The newest rows of the License Purchase History, newest first (at most
    /// [`PURCHASES_SHOWN`]).
    pub purchases: Vec<Purchase>,
    /// Whether the ledger holds older rows than `purchases` (`purchases.csv` has them all).
    pub older_purchases: bool,
    /// Today in the tenant's time zone: where the Transaction History Log's default range ends.
    pub today: String,
    /// Daily consumption of each main pool over the contract, with its forecast.
    pub charts: Vec<PoolChart>,
    /// Whether the Transaction History Log is offered (transaction-based, or any transactions).
    pub has_transactions: bool,
    /// The tenant's alert thresholds, in percent, lowest first.
    pub thresholds: Vec<u32>,
    /// The newest alerts (at most [`ALERTS_SHOWN`]), with their emails.
    pub alerts: Vec<super::alert::AlertEntry>,
}

/// One refill of the License Purchase History.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Purchase {
    pub date: String,
    pub pool: String,
    /// `manual` or `auto`.
    pub kind: String,
    pub delta: i64,
    pub total_after: i64,
}

/// A main pool's daily consumption across the contract and when it runs out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolChart {
    pub key: String,
    pub label: String,
    #[serde(with = "super::day::number")]
    pub contract_start: chrono::NaiveDate,
    #[serde(with = "super::day::number")]
    pub contract_end: chrono::NaiveDate,
    /// Net licenses consumed each day from the contract start up to today (or the end).
    pub days: Vec<i64>,
    pub forecast: crate::domain::forecast::Forecast,
    /// The chart's dates written for the reader.
    pub dates: ChartDates,
}

/// A chart's dates as the reader writes them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartDates {
    pub start: String,
    pub end: String,
    pub runs_out: Option<String>,
}
