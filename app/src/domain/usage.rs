//! How a pool's counters read to a person, and what they allow.

use crate::model::TenantState;

/// Purchased, consumed and what follows from them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Usage {
    pub purchased: i64,
    pub consumed: i64,
}

impl Usage {
    /// Remaining licenses, never shown below zero.
    pub fn available(self) -> i64 {
        (self.purchased - self.consumed).max(0)
    }

    /// Usage past the purchase.
    pub fn overage(self) -> i64 {
        (self.consumed - self.purchased).max(0)
    }

    /// Percent of the purchase consumed; a pool with nothing purchased is at 0% when unused and
    /// at 100% as soon as anything is consumed.
    pub fn percent_used(self) -> f64 {
        match (self.purchased, self.consumed) {
            (_, c) if c <= 0 => 0.0,
            (p, _) if p <= 0 => 100.0,
            (p, c) => c as f64 * 100.0 / p as f64,
        }
    }
}

/// Whether a license of a pool may be used now, with the reason code the API answers.
/// A `hard` pool with nothing left refuses (the bot is disabled); a `soft` one allows and
/// counts overage; a tenant that may not report usage refuses everything.
pub fn entitlement(state: TenantState, enforcement: &str, usage: Usage) -> (bool, &'static str) {
    match state {
        TenantState::Suspended => return (false, "tenant_suspended"),
        TenantState::Canceled => return (false, "tenant_canceled"),
        TenantState::Expired => return (false, "tenant_expired"),
        TenantState::Trial | TenantState::Active | TenantState::Lab => {}
    }
    match (usage.consumed < usage.purchased, enforcement) {
        (true, _) => (true, "available"),
        (false, "soft") => (true, "overage_allowed"),
        (false, _) => (false, "exhausted"),
    }
}

#[cfg(test)]
mod tests {
    use super::{TenantState, Usage, entitlement};

    #[test]
    fn hard_pools_refuse_when_used_up_and_soft_ones_allow_overage() {
        let usage = |purchased, consumed| Usage {
            purchased,
            consumed,
        };
        let active = TenantState::Active;
        let cases = [
            (active, "hard", usage(10, 9), true, "available"),
            (active, "hard", usage(10, 10), false, "exhausted"),
            (active, "hard", usage(10, 12), false, "exhausted"),
            (active, "hard", usage(0, 0), false, "exhausted"),
            (active, "soft", usage(10, 10), true, "overage_allowed"),
            (active, "soft", usage(10, 3), true, "available"),
            (TenantState::Trial, "hard", usage(5, 1), true, "available"),
            (TenantState::Lab, "hard", usage(5, 1), true, "available"),
            (
                TenantState::Suspended,
                "soft",
                usage(5, 1),
                false,
                "tenant_suspended",
            ),
            (
                TenantState::Canceled,
                "hard",
                usage(5, 1),
                false,
                "tenant_canceled",
            ),
            (
                TenantState::Expired,
                "hard",
                usage(5, 1),
                false,
                "tenant_expired",
            ),
        ];
        for (state, enforcement, usage, allowed, reason) in cases {
            assert_eq!(
                entitlement(state, enforcement, usage),
                (allowed, reason),
                "{state} {enforcement} {usage:?}"
            );
        }
    }

    #[test]
    fn available_overage_and_percent() {
        // (purchased, consumed) -> (available, overage, percent)
        let cases = [
            (100, 0, 100, 0, 0.0),
            (100, 75, 25, 0, 75.0),
            (100, 100, 0, 0, 100.0),
            (100, 130, 0, 30, 130.0),
            (0, 0, 0, 0, 0.0),
            (0, 5, 0, 5, 100.0),
            (3, 1, 2, 0, 100.0 / 3.0),
        ];
        for (purchased, consumed, available, overage, percent) in cases {
            let usage = Usage {
                purchased,
                consumed,
            };
            assert_eq!(usage.available(), available, "{usage:?}");
            assert_eq!(usage.overage(), overage, "{usage:?}");
            assert!((usage.percent_used() - percent).abs() < 1e-9, "{usage:?}");
        }
    }
}
