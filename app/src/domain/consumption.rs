//! How usage turns into consumed licenses.

/// Licenses a session consumes: one per started session-duration window, at least one.
pub fn session_licenses(duration_ms: i64, window_minutes: i32) -> i64 {
    let window_ms = i64::from(window_minutes.max(1)) * 60_000;
    let duration_ms = duration_ms.max(0);
    (duration_ms / window_ms + i64::from(duration_ms % window_ms != 0)).max(1)
}

/// A subscription's auto-refill settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AutoRefill {
    pub enabled: bool,
    /// Licenses each refill adds.
    pub amount: i64,
    /// The usage, in percent of the purchased licenses, that sets a refill off.
    pub percent: i32,
    pub max_per_month: i32,
}

/// Whether a move of `delta` licenses that left a pool at `consumed` of `purchased` calls for
/// an automatic refill: only growing usage of a main pool, once the tenant's percentage is
/// reached. Whether this month still allows one is `auto_refill_amount`'s answer.
pub fn auto_refill_due(
    policy: &AutoRefill,
    main_pool: bool,
    delta: i64,
    consumed: i64,
    purchased: i64,
) -> bool {
    policy.enabled
        && policy.amount > 0
        && main_pool
        && delta > 0
        && consumed * 100 >= purchased * i64::from(policy.percent)
}

/// The licenses to add when a refill is due and `done` refills already happened this month.
pub fn auto_refill_amount(policy: &AutoRefill, done: i64) -> Option<i64> {
    (done < i64::from(policy.max_per_month)).then_some(policy.amount)
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: AutoRefill = AutoRefill {
        enabled: true,
        amount: 500,
        percent: 95,
        max_per_month: 1,
    };

    #[test]
    fn an_auto_refill_is_due_when_growing_main_pool_usage_reaches_the_percentage() {
        let off = AutoRefill {
            enabled: false,
            ..POLICY
        };
        let nothing = AutoRefill {
            amount: 0,
            ..POLICY
        };
        // (case, policy, main pool, delta, consumed, purchased) -> due
        let cases = [
            ("reaches 95%", POLICY, true, 1, 95, 100, true),
            ("past 100%", POLICY, true, 1, 130, 100, true),
            ("below 95%", POLICY, true, 1, 94, 100, false),
            ("usage going down", POLICY, true, -1, 99, 100, false),
            ("no change", POLICY, true, 0, 99, 100, false),
            ("an assignment pool", POLICY, false, 1, 99, 100, false),
            ("switched off", off, true, 1, 99, 100, false),
            ("refills nothing", nothing, true, 1, 99, 100, false),
            ("nothing purchased yet", POLICY, true, 1, 1, 0, true),
        ];
        for (case, policy, main, delta, consumed, purchased, due) in cases {
            assert_eq!(
                auto_refill_due(&policy, main, delta, consumed, purchased),
                due,
                "{case}"
            );
        }
    }

    #[test]
    fn auto_refills_stop_at_the_monthly_maximum() {
        assert_eq!(auto_refill_amount(&POLICY, 0), Some(500));
        assert_eq!(auto_refill_amount(&POLICY, 1), None);
        let twice = AutoRefill {
            max_per_month: 2,
            ..POLICY
        };
        assert_eq!(auto_refill_amount(&twice, 1), Some(500));
        assert_eq!(auto_refill_amount(&twice, 2), None);
    }

    #[test]
    fn one_license_per_started_window() {
        let minute = 60_000;
        // (duration, window minutes) -> licenses
        let cases = [
            (0, 30, 1),
            (1, 30, 1),
            (30 * minute, 30, 1),
            (30 * minute + 1, 30, 2),
            (70 * minute, 30, 3),
            (90 * minute, 30, 3),
            (5 * minute, 0, 5),
            (-10, 30, 1),
        ];
        for (duration, window, licenses) in cases {
            assert_eq!(
                session_licenses(duration, window),
                licenses,
                "{duration} ms / {window} min"
            );
        }
    }
}
