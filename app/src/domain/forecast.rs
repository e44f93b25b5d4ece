//! When a pool runs out at the recent burn rate.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// Days of history the burn rate is averaged over.
pub const BURN_WINDOW_DAYS: i64 = 14;

/// A pool's outlook.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    /// Licenses consumed per day, on average over the recent window (net of releases).
    pub burn_per_day: f64,
    /// The day usage reaches the purchase at that rate; `None` when it never does (no usage,
    /// or usage falling). Today when the pool is already used up.
    #[serde(with = "crate::model::day::optional_number")]
    pub runs_out: Option<NaiveDate>,
    /// Whether that day comes before the contract ends.
    pub before_contract_end: bool,
}

/// The outlook of a pool with `consumed` of `purchased` used, given its net consumption per day
/// (`daily`, any order, days without usage left out). The window is the last
/// `BURN_WINDOW_DAYS` days up to `today`, or fewer when the contract is younger.
pub fn forecast(
    daily: &[(NaiveDate, i64)],
    consumed: i64,
    purchased: i64,
    today: NaiveDate,
    contract: (NaiveDate, NaiveDate),
) -> Forecast {
    let (start, end) = contract;
    let window_start = (today - Duration::days(BURN_WINDOW_DAYS - 1)).max(start);
    let window_days = ((today - window_start).num_days() + 1).max(1);
    let used: i64 = daily
        .iter()
        .filter(|(day, _)| *day >= window_start && *day <= today)
        .map(|(_, n)| n)
        .sum();
    let burn_per_day = used as f64 / window_days as f64;
    let runs_out = if consumed >= purchased {
        Some(today)
    } else if burn_per_day <= 0.0 {
        None
    } else {
        let days = ((purchased - consumed) as f64 / burn_per_day).ceil();
        // Beyond a century is "never" for a contract.
        (days < 36_500.0).then(|| today + Duration::days(days as i64))
    };
    Forecast {
        burn_per_day,
        runs_out,
        before_contract_end: runs_out.is_some_and(|day| day <= end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("date")
    }

    const YEAR: (&str, &str) = ("2026-01-01", "2026-12-31");

    fn contract() -> (NaiveDate, NaiveDate) {
        (day(YEAR.0), day(YEAR.1))
    }

    #[test]
    fn a_steady_burn_runs_out_when_the_rest_is_used() {
        // 10 a day for the last two weeks; 300 left → 30 more days.
        let daily: Vec<_> = (0..30)
            .map(|i| (day("2026-06-01") + Duration::days(i), 10))
            .collect();
        let f = forecast(&daily, 700, 1000, day("2026-06-30"), contract());
        assert_eq!(f.burn_per_day, 10.0);
        assert_eq!(f.runs_out, Some(day("2026-07-30")));
        assert!(f.before_contract_end);
    }

    #[test]
    fn only_the_recent_window_counts() {
        // A burst long ago, nothing lately: never runs out.
        let f = forecast(
            &[(day("2026-02-01"), 900)],
            900,
            1000,
            day("2026-06-30"),
            contract(),
        );
        assert_eq!((f.burn_per_day, f.runs_out), (0.0, None));
        assert!(!f.before_contract_end);
        // Falling usage (users released) never runs out either.
        let f = forecast(
            &[(day("2026-06-29"), -5)],
            10,
            100,
            day("2026-06-30"),
            contract(),
        );
        assert_eq!(f.runs_out, None);
    }

    #[test]
    fn a_young_contract_averages_over_its_own_days() {
        let f = forecast(
            &[(day("2026-01-01"), 30), (day("2026-01-02"), 30)],
            60,
            100,
            day("2026-01-02"),
            contract(),
        );
        assert_eq!(f.burn_per_day, 30.0);
        assert_eq!(f.runs_out, Some(day("2026-01-04")));
    }

    #[test]
    fn past_the_contract_end_or_already_out() {
        let f = forecast(
            &[(day("2026-12-20"), 140)],
            140,
            1130,
            day("2026-12-20"),
            contract(),
        );
        assert_eq!(f.runs_out, Some(day("2027-03-29")));
        assert!(!f.before_contract_end, "runs out after the contract ends");
        let f = forecast(&[], 120, 100, day("2026-06-30"), contract());
        assert_eq!(f.runs_out, Some(day("2026-06-30")));
        assert!(f.before_contract_end);
    }
}
