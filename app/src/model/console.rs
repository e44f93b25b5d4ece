//! What the super administrator's console shows of one tenant, and why it refuses a change.

use serde::{Deserialize, Serialize};

use super::{LicenseModel, Locale, TenantState};

/// One tenant as the console's tenant page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TenantConsole {
    pub slug: String,
    pub name: String,
    pub state: TenantState,
    pub license_model: LicenseModel,
    pub time_zone: String,
    pub locale: Locale,
    pub contract_start: String,
    pub contract_end: String,
    /// The subscription and contract as their form starts.
    pub contract: super::contract::ContractForm,
    pub pools: Vec<ConsolePool>,
    /// Newest first.
    pub states: Vec<StateChange>,
    /// The newest ledger rows, newest first.
    pub ledger: Vec<LedgerEntry>,
    /// Newest first, revoked ones too.
    pub keys: Vec<ApiKeyEntry>,
    /// A key the viewer has just created, shown this once.
    pub new_key: Option<String>,
    /// The path of an invitation the viewer has just made, shown this once.
    pub invitation: Option<String>,
    pub administrators: Vec<AdministratorEntry>,
}

/// The console's page of super administrators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupersConsole {
    pub administrators: Vec<AdministratorEntry>,
    /// The path of an invitation the viewer has just made, shown this once.
    pub invitation: Option<String>,
}

/// One of the tenant's administrators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdministratorEntry {
    pub id: i64,
    pub email: String,
    pub created_at: String,
    /// Invited and no password chosen yet.
    pub invited: bool,
    pub disabled: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsolePool {
    pub key: String,
    pub enforcement: String,
    pub purchased: i64,
    pub consumed: i64,
    pub available: i64,
    pub percent_used: f64,
}

/// A move of the tenant between states: who made it, when and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateChange {
    pub from: Option<TenantState>,
    pub to: TenantState,
    pub reason: String,
    pub by: String,
    /// As displayed, in the tenant's zone.
    pub at: String,
}

/// A row of the purchase ledger: licenses added (or removed) by hand or by auto-refill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    pub at: String,
    pub pool: String,
    /// `manual` or `auto`.
    pub kind: String,
    pub delta: i64,
    pub total_after: i64,
    pub actor: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeyEntry {
    pub id: i64,
    pub name: String,
    /// The key's first characters, enough to recognise it.
    pub prefix: String,
    pub created_at: String,
    pub created_by: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
    pub revoked_by: Option<String>,
    pub revoked_reason: Option<String>,
}

/// The console's New tenant form, as typed; sent back to the form when a field is refused.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewTenantForm {
    pub name: String,
    pub slug: String,
    pub time_zone: String,
    /// `en` or `pt-BR`.
    pub locale: String,
    pub license_model: String,
    /// YYYY-MM-DD.
    pub contract_start: String,
    /// YYYY-MM-DD.
    pub contract_end: String,
    /// Empty: no session limit.
    pub session_minutes: String,
    /// The first purchase of each of the model's main pools.
    pub licenses: String,
    /// The first administrator's email: invited to choose a password.
    pub administrator: String,
    pub reason: String,
}

/// Why the console refused a change. Nothing was saved; the page words it beside the field
/// it concerns, in the reader's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    /// Every change needs a reason (a refill: a note).
    ReasonMissing,
    /// The tenant is already in the state asked for.
    SameState,
    /// A refill of zero licenses, or a number that is not one.
    AmountInvalid,
    /// A refill of more than a million licenses at once.
    AmountTooLarge,
    /// Removing more licenses than the pool has available.
    MoreThanAvailable {
        available: i64,
    },
    /// The tenant holds no pool of that name.
    UnknownPool,
    /// A key's name: 1 to 100 characters.
    NameInvalid,
    /// No such key of this tenant, or it is revoked already.
    KeyNotRevocable,
    /// A tenant's name: 1 to 100 characters.
    TenantNameInvalid,
    /// A slug: 2 to 40 lowercase letters, digits and dashes.
    SlugInvalid,
    SlugTaken,
    /// Not a time zone of the IANA database.
    TimeZoneInvalid,
    LanguageInvalid,
    ModelInvalid,
    StartInvalid,
    EndInvalid,
    EndsBeforeStart,
    /// A session duration: empty, or 1 to 1440 minutes.
    SessionInvalid,
    /// The first purchase: 0 to 1,000,000 licenses.
    LicensesInvalid,
    EmailInvalid,
    /// An administrator with that email exists already.
    EmailTaken,
    /// A bulk file over 1 MB.
    FileTooLarge,
    /// A bulk file whose preview shows errors: nothing is applied.
    FileHasErrors,
    /// Not a pool name SPEC.md gives.
    PoolNameInvalid,
    /// Neither `hard` nor `soft`.
    EnforcementInvalid,
    /// No enabled administrator of this tenant by that id.
    NoSuchAdministrator,
    /// The change asked for is already so.
    NothingChanges,
    /// Alert thresholds: percentages from 1 to 100, comma-separated.
    ThresholdsInvalid,
    /// Contract-end notices: days from 1 to 366, comma-separated.
    NoticeDaysInvalid,
    /// Licenses per automatic refill: 1 to 1,000,000 when auto-refill is on.
    RefillAmountInvalid,
    /// The percent used that triggers an automatic refill: 1 to 100.
    RefillPercentInvalid,
    /// Automatic refills per month: 1 to 100.
    RefillCapInvalid,
    /// The assignee of a single assignment: 1 to 255 characters.
    AssigneeInvalid,
    /// Neither `assign` nor `release`.
    ActionInvalid,
    /// A super administrator disabling themself.
    DisablingYourself,
}

impl Refusal {
    /// The form field the refusal is about.
    pub fn field(self) -> &'static str {
        match self {
            Self::ReasonMissing => "reason",
            Self::SameState => "state",
            Self::AmountInvalid | Self::AmountTooLarge | Self::MoreThanAvailable { .. } => "delta",
            Self::UnknownPool => "pool",
            Self::NameInvalid => "name",
            Self::KeyNotRevocable => "key",
            Self::TenantNameInvalid => "name",
            Self::SlugInvalid | Self::SlugTaken => "slug",
            Self::TimeZoneInvalid => "time_zone",
            Self::LanguageInvalid => "locale",
            Self::ModelInvalid => "license_model",
            Self::StartInvalid => "contract_start",
            Self::EndInvalid | Self::EndsBeforeStart => "contract_end",
            Self::SessionInvalid => "session_minutes",
            Self::LicensesInvalid => "licenses",
            Self::EmailInvalid | Self::EmailTaken => "administrator",
            Self::FileTooLarge | Self::FileHasErrors => "file",
            Self::PoolNameInvalid => "pool",
            Self::EnforcementInvalid | Self::NothingChanges => "enforcement",
            Self::NoSuchAdministrator => "administrator",
            Self::ThresholdsInvalid => "thresholds",
            Self::NoticeDaysInvalid => "contract_notice_days",
            Self::RefillAmountInvalid => "auto_refill_amount",
            Self::RefillPercentInvalid => "auto_refill_percent",
            Self::RefillCapInvalid => "auto_refill_max_per_month",
            Self::AssigneeInvalid => "assignee_id",
            Self::ActionInvalid => "action",
            Self::DisablingYourself => "administrator",
        }
    }

    /// Every refusal but `MoreThanAvailable`, with its spelling in a redirect's query.
    const CODES: [(Refusal, &'static str); 34] = [
        (Self::ReasonMissing, "reason_missing"),
        (Self::SameState, "same_state"),
        (Self::AmountInvalid, "amount_invalid"),
        (Self::AmountTooLarge, "amount_too_large"),
        (Self::UnknownPool, "unknown_pool"),
        (Self::NameInvalid, "name_invalid"),
        (Self::KeyNotRevocable, "key_not_revocable"),
        (Self::TenantNameInvalid, "tenant_name_invalid"),
        (Self::SlugInvalid, "slug_invalid"),
        (Self::SlugTaken, "slug_taken"),
        (Self::TimeZoneInvalid, "time_zone_invalid"),
        (Self::LanguageInvalid, "language_invalid"),
        (Self::ModelInvalid, "model_invalid"),
        (Self::StartInvalid, "start_invalid"),
        (Self::EndInvalid, "end_invalid"),
        (Self::EndsBeforeStart, "ends_before_start"),
        (Self::SessionInvalid, "session_invalid"),
        (Self::LicensesInvalid, "licenses_invalid"),
        (Self::EmailInvalid, "email_invalid"),
        (Self::EmailTaken, "email_taken"),
        (Self::FileTooLarge, "file_too_large"),
        (Self::FileHasErrors, "file_has_errors"),
        (Self::PoolNameInvalid, "pool_name_invalid"),
        (Self::EnforcementInvalid, "enforcement_invalid"),
        (Self::NothingChanges, "nothing_changes"),
        (Self::NoSuchAdministrator, "no_such_administrator"),
        (Self::ThresholdsInvalid, "thresholds_invalid"),
        (Self::NoticeDaysInvalid, "notice_days_invalid"),
        (Self::RefillAmountInvalid, "refill_amount_invalid"),
        (Self::RefillPercentInvalid, "refill_percent_invalid"),
        (Self::RefillCapInvalid, "refill_cap_invalid"),
        (Self::AssigneeInvalid, "assignee_invalid"),
        (Self::ActionInvalid, "action_invalid"),
        (Self::DisablingYourself, "disabling_yourself"),
    ];

    /// The spelling in a redirect's query (with `available` for `MoreThanAvailable`).
    pub fn code(self) -> &'static str {
        match self {
            Self::MoreThanAvailable { .. } => "more_than_available",
            other => Self::CODES
                .iter()
                .find(|(refusal, _)| *refusal == other)
                .map_or("", |(_, code)| code),
        }
    }

    /// The inverse of `code`; `available` completes `more_than_available`.
    pub fn parse(code: &str, available: Option<i64>) -> Option<Self> {
        if code == "more_than_available" {
            return Some(Self::MoreThanAvailable {
                available: available?,
            });
        }
        Self::CODES
            .iter()
            .find(|(_, spelled)| *spelled == code)
            .map(|(refusal, _)| *refusal)
    }

    /// The English wording, for the API and logs.
    pub fn english(self) -> String {
        match self {
            Self::ReasonMissing => "Give a reason for the change.".into(),
            Self::SameState => "The tenant is already in that state.".into(),
            Self::AmountInvalid => "Give a whole number of licenses other than zero.".into(),
            Self::AmountTooLarge => "At most 1,000,000 licenses per refill.".into(),
            Self::MoreThanAvailable { available } => {
                format!("That removes more licenses than the pool has available ({available}).")
            }
            Self::UnknownPool => "The tenant has no such pool.".into(),
            Self::NameInvalid => "A key name needs 1 to 100 characters.".into(),
            Self::KeyNotRevocable => "That key is not this tenant's, or is revoked already.".into(),
            Self::TenantNameInvalid => "A tenant name needs 1 to 100 characters.".into(),
            Self::SlugInvalid => "Use 2 to 40 lowercase letters, digits and dashes.".into(),
            Self::SlugTaken => "A tenant with that slug exists already.".into(),
            Self::TimeZoneInvalid => "Give a time zone such as America/Sao_Paulo.".into(),
            Self::LanguageInvalid => "Choose English or Portuguese (Brazil).".into(),
            Self::ModelInvalid => "Choose a license model.".into(),
            Self::StartInvalid | Self::EndInvalid => "Give a date (YYYY-MM-DD).".into(),
            Self::EndsBeforeStart => "The contract ends before it starts.".into(),
            Self::SessionInvalid => "Leave it empty or give 1 to 1440 minutes.".into(),
            Self::LicensesInvalid => "Give 0 to 1,000,000 licenses.".into(),
            Self::EmailInvalid => "Give an email address.".into(),
            Self::EmailTaken => "An administrator with that email exists already.".into(),
            Self::FileTooLarge => "The file is over 1 MB.".into(),
            Self::FileHasErrors => "The file has errors: nothing was applied.".into(),
            Self::PoolNameInvalid => {
                "Not a pool name (user_licenses, service:contact_center, addon:NAME, …).".into()
            }
            Self::EnforcementInvalid => "Choose hard or soft.".into(),
            Self::NothingChanges => "It is so already: nothing to change.".into(),
            Self::NoSuchAdministrator => "No such enabled administrator of this tenant.".into(),
            Self::ThresholdsInvalid => {
                "Give percentages from 1 to 100, separated by commas.".into()
            }
            Self::NoticeDaysInvalid => "Give days from 1 to 366, separated by commas.".into(),
            Self::RefillAmountInvalid => {
                "Give 1 to 1,000,000 licenses per refill (0 only with auto-refill off).".into()
            }
            Self::RefillPercentInvalid => "Give a percentage from 1 to 100.".into(),
            Self::RefillCapInvalid => "Give 1 to 100 refills per month.".into(),
            Self::AssigneeInvalid => "Give the assignee's id (1 to 255 characters).".into(),
            Self::ActionInvalid => "Choose assign or release.".into(),
            Self::DisablingYourself => "You cannot disable yourself.".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusal_codes_round_trip() {
        let all = Refusal::CODES.iter().map(|(refusal, _)| *refusal);
        for refusal in all.chain([Refusal::MoreThanAvailable { available: 3 }]) {
            let available = match refusal {
                Refusal::MoreThanAvailable { available } => Some(available),
                _ => None,
            };
            assert_eq!(Refusal::parse(refusal.code(), available), Some(refusal));
        }
        let codes: std::collections::HashSet<_> = Refusal::CODES.iter().map(|(_, c)| c).collect();
        assert_eq!(codes.len(), Refusal::CODES.len(), "one code each");
        assert_eq!(Refusal::parse("more_than_available", None), None);
        assert_eq!(Refusal::parse("nonsense", Some(1)), None);
    }
}
