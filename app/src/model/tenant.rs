//! Tenant-level enumerations, spelled as SPEC.md spells them.

use serde::{Deserialize, Serialize};

/// A tenant as the super administrator's list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TenantListItem {
    pub slug: String,
    pub name: String,
    pub state: TenantState,
    pub license_model: LicenseModel,
    /// The model's first main pool: its key, percent used and projected run-out day.
    pub main_pool: Option<(String, f64, Option<String>)>,
    /// The newest alert: its kind and when, as displayed.
    pub last_alert: Option<(String, String)>,
}

/// The tenant list as its URL asks: every field as typed, empty for any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TenantQuery {
    /// Part of a name or slug.
    pub q: String,
    pub state: String,
    pub model: String,
    /// The slug the previous page ended at.
    pub after: String,
}

/// A page of tenants by slug; `next` continues after the last one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TenantPage {
    pub items: Vec<TenantListItem>,
    pub next: Option<String>,
}

/// The tenant a query serves. Only the session, an API key or a super administrator's choice
/// produce one; never a URL or form field of a tenant administrator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TenantId(pub i64);

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }

        // Written out rather than derived: the derive does not see a `rename` a macro passes
        // it, and would describe the variants' Rust names instead of the spellings on the wire.
        #[cfg(feature = "ssr")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($text),+]))
                    .into()
            }
        }

        #[cfg(feature = "ssr")]
        impl utoipa::ToSchema for $name {}

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored and displayed spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(format!(
                        concat!("unknown ", stringify!($name), " `{}` (expected one of: {})"),
                        other,
                        [$($text),+].join(", ")
                    )),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use text_enum;

text_enum!(
    /// Where a tenant stands with its provider; only a super administrator changes it, except
    /// the automatic move to `expired` once the contract has ended.
    TenantState {
        Trial => "trial",
        Active => "active",
        Suspended => "suspended",
        Expired => "expired",
        Canceled => "canceled",
        Lab => "lab",
    }
);

impl TenantState {
    /// Suspended and canceled tenants' administrators may not sign in.
    pub fn may_sign_in(self) -> bool {
        !matches!(self, Self::Suspended | Self::Canceled)
    }

    /// Whether the usage API accepts the tenant's reports.
    pub fn accepts_usage(self) -> bool {
        matches!(self, Self::Trial | Self::Active | Self::Lab)
    }

    /// Why administrators of a tenant in this state are refused, if they are.
    pub fn sign_in_refusal(self) -> Option<&'static str> {
        match self {
            Self::Suspended => Some(
                "This tenant's subscription is suspended, so its administrators cannot sign in. \
                 Please contact your provider.",
            ),
            Self::Canceled => Some(
                "This tenant's subscription is canceled, so its administrators cannot sign in. \
                 Please contact your provider.",
            ),
            _ => None,
        }
    }
}

text_enum!(
    /// How the tenant is charged; it decides the main license pools.
    LicenseModel {
        UserBased => "user_based",
        SessionBased => "session_based",
        TransactionBased => "transaction_based",
    }
);

impl LicenseModel {
    /// The label a tenant administrator reads.
    pub fn label(self) -> &'static str {
        match self {
            Self::UserBased => "User-Based Licensing",
            Self::SessionBased => "Session-Based Licensing",
            Self::TransactionBased => "Transaction-Based Licensing",
        }
    }
}

text_enum!(
    /// The languages Tally speaks.
    Locale {
        En => "en",
        PtBr => "pt-BR",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip_through_their_spelling() {
        for state in TenantState::ALL {
            assert_eq!(state.as_str().parse::<TenantState>(), Ok(*state));
        }
        assert!("paused".parse::<TenantState>().is_err());
    }

    #[test]
    fn only_suspended_and_canceled_are_refused_at_sign_in() {
        let refused: Vec<_> = TenantState::ALL
            .iter()
            .filter(|s| !s.may_sign_in())
            .collect();
        assert_eq!(refused, [&TenantState::Suspended, &TenantState::Canceled]);
        assert!(TenantState::Suspended.sign_in_refusal().is_some());
        assert!(TenantState::Expired.sign_in_refusal().is_none());
    }

    #[test]
    fn expired_tenants_read_but_do_not_report_usage() {
        assert!(TenantState::Expired.may_sign_in());
        assert!(!TenantState::Expired.accepts_usage());
        assert!(TenantState::Trial.accepts_usage() && TenantState::Lab.accepts_usage());
    }
}
