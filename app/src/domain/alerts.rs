//! When alerts are due, in integers: which usage threshold a pool has reached, which
//! contract-end notice is due, when a projected run-out is worth announcing, and how long a
//! failed email waits before its next attempt.

use chrono::NaiveDate;

/// Days ahead within which a projected run-out is announced.
pub const FORECAST_HORIZON_DAYS: i64 = 14;

/// The longest wait between two delivery attempts of one email, in milliseconds.
pub const RETRY_CAP_MS: i64 = 60_000;

/// How long an email keeps being retried before it is given up as dead, in milliseconds.
pub const GIVE_UP_AFTER_MS: i64 = 3 * 24 * 60 * 60 * 1000;

/// Whether `consumed` of `purchased` reaches `percent`: `consumed × 100 ≥ percent ×
/// purchased`, so exactly 100% counts and nothing is lost to rounding.
pub fn reaches(consumed: i64, purchased: i64, percent: u32) -> bool {
    i128::from(consumed) * 100 >= i128::from(percent) * i128::from(purchased)
}

/// The highest of `thresholds` (ascending) that `consumed` of `purchased` reaches; 0 for none.
pub fn highest_reached(thresholds: &[u32], consumed: i64, purchased: i64) -> u32 {
    thresholds
        .iter()
        .rev()
        .copied()
        .find(|&t| reaches(consumed, purchased, t))
        .unwrap_or(0)
}

/// A threshold to announce now: the highest reached above those already announced this
/// cycle (`latched`), and the lower ones it covers in the same jump.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crossing {
    pub percent: u32,
    pub covers: Vec<u32>,
}

/// What usage at `consumed` of `purchased` announces, given the highest threshold already
/// announced this cycle; `None` when nothing new is reached.
pub fn crossing(
    thresholds: &[u32],
    latched: u32,
    consumed: i64,
    purchased: i64,
) -> Option<Crossing> {
    let percent = highest_reached(thresholds, consumed, purchased);
    (percent > latched).then(|| Crossing {
        percent,
        covers: thresholds
            .iter()
            .copied()
            .filter(|&t| t > latched && t < percent)
            .collect(),
    })
}

/// The contract-end notice due `today` for a contract ending on `end`, with notices `days`
/// before it (any order): the nearest one whose day has come, so a contract already inside
/// the window gets one notice, not a burst. `None` once the contract has ended or before the
/// first notice.
pub fn notice_due(days: &[u32], today: NaiveDate, end: NaiveDate) -> Option<u32> {
    let left = (end - today).num_days();
    if left < 0 {
        return None;
    }
    days.iter().copied().filter(|&d| i64::from(d) >= left).min()
}

/// Whether a projected run-out on `runs_out` is announced `today`: it comes before the contract
/// ends on `end` and within `FORECAST_HORIZON_DAYS`. A pool already used up is announced by
/// its thresholds instead.
pub fn run_out_worth_announcing(
    runs_out: NaiveDate,
    today: NaiveDate,
    end: NaiveDate,
    used_up: bool,
) -> bool {
    !used_up && runs_out < end && (runs_out - today).num_days() <= FORECAST_HORIZON_DAYS
}

/// Milliseconds to wait after failed attempt number `attempt` (1 for the first): doubling from
/// one second, capped at `cap_ms`, then drawn between half of that and all of it (`jitter` in
/// `[0, 1)`), so many emails failing together do not come back together.
pub fn retry_delay_ms(attempt: u32, cap_ms: i64, jitter: f64) -> i64 {
    let exponent = attempt.saturating_sub(1).min(30);
    let full = (1000_i64 << exponent).min(cap_ms.max(1));
    let jitter = jitter.clamp(0.0, 1.0);
    (full as f64 * (0.5 + jitter / 2.0)).round() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &[u32] = &[75, 85, 95, 100];

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("date")
    }

    #[test]
    fn a_threshold_is_reached_at_exactly_its_share_and_not_a_license_before() {
        assert!(reaches(75, 100, 75));
        assert!(!reaches(74, 100, 75));
        assert!(reaches(100, 100, 100));
        assert!(!reaches(99, 100, 100));
        // 3 of 4 is exactly 75%; 2 of 3 is under 67%.
        assert!(reaches(3, 4, 75));
        assert!(!reaches(2, 3, 67));
        // Nothing purchased: any usage is all of it.
        assert!(reaches(1, 0, 100));
        // No overflow at the edges of i64.
        assert!(reaches(i64::MAX, i64::MAX, 100));
    }

    #[test]
    fn a_jump_names_the_highest_threshold_and_covers_the_lower_ones() {
        assert_eq!(crossing(T, 0, 74, 100), None);
        assert_eq!(
            crossing(T, 0, 75, 100),
            Some(Crossing {
                percent: 75,
                covers: vec![]
            })
        );
        assert_eq!(
            crossing(T, 75, 100, 100),
            Some(Crossing {
                percent: 100,
                covers: vec![85, 95]
            })
        );
        // Already announced this cycle: nothing again.
        assert_eq!(crossing(T, 95, 96, 100), None);
        assert_eq!(crossing(T, 100, 150, 100), None);
    }

    #[test]
    fn only_the_nearest_contract_notice_is_due_and_none_after_the_end() {
        let days = [30, 7, 1];
        let end = day("2026-12-31");
        assert_eq!(notice_due(&days, day("2026-11-30"), end), None);
        assert_eq!(notice_due(&days, day("2026-12-01"), end), Some(30));
        assert_eq!(notice_due(&days, day("2026-12-20"), end), Some(30));
        // Inside the 7-day window straight away: the 7-day notice only.
        assert_eq!(notice_due(&days, day("2026-12-26"), end), Some(7));
        assert_eq!(notice_due(&days, day("2026-12-30"), end), Some(1));
        assert_eq!(notice_due(&days, day("2026-12-31"), end), Some(1));
        assert_eq!(notice_due(&days, day("2027-01-01"), end), None);
    }

    #[test]
    fn a_run_out_is_announced_within_two_weeks_and_before_the_contract_ends() {
        let today = day("2026-06-01");
        let end = day("2026-12-31");
        assert!(run_out_worth_announcing(
            day("2026-06-15"),
            today,
            end,
            false
        ));
        assert!(!run_out_worth_announcing(
            day("2026-06-16"),
            today,
            end,
            false
        ));
        assert!(!run_out_worth_announcing(
            day("2026-06-10"),
            today,
            day("2026-06-10"),
            false
        ));
        assert!(!run_out_worth_announcing(today, today, end, true));
    }

    #[test]
    fn retries_back_off_exponentially_with_jitter_up_to_the_cap() {
        assert_eq!(retry_delay_ms(1, RETRY_CAP_MS, 1.0), 1000);
        assert_eq!(retry_delay_ms(1, RETRY_CAP_MS, 0.0), 500);
        assert_eq!(retry_delay_ms(4, RETRY_CAP_MS, 1.0), 8000);
        assert_eq!(retry_delay_ms(7, RETRY_CAP_MS, 1.0), 60_000);
        assert_eq!(retry_delay_ms(500, RETRY_CAP_MS, 1.0), 60_000);
        assert!((30_000..=60_000).contains(&retry_delay_ms(40, RETRY_CAP_MS, 0.3)));
    }
}
