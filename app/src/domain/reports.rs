//! Rules of the downloadable reports: which date ranges the Transaction History Log accepts, and
//! how a cell is made safe to open in a spreadsheet.

use std::borrow::Cow;

use chrono::{Duration, NaiveDate};

/// The longest Transaction History Log range, in days, both ends included.
pub const MAX_RANGE_DAYS: i64 = 90;
/// The range offered when none is chosen: the last 30 days, today included.
pub const DEFAULT_RANGE_DAYS: i64 = 30;

/// Why a range is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeError {
    /// From is after To.
    Reversed,
    /// More than `MAX_RANGE_DAYS` days.
    TooLong { days: i64 },
}

impl std::fmt::Display for RangeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Reversed => f.write_str("The From date is after the To date."),
            Self::TooLong { days } => write!(
                f,
                "The range covers {days} days; choose at most {MAX_RANGE_DAYS}."
            ),
        }
    }
}

/// The default range ending `today`.
pub fn default_range(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    (today - Duration::days(DEFAULT_RANGE_DAYS - 1), today)
}

/// Checks a chosen range; both dates are included in it.
pub fn check_range(from: NaiveDate, to: NaiveDate) -> Result<(NaiveDate, NaiveDate), RangeError> {
    if from > to {
        return Err(RangeError::Reversed);
    }
    let days = (to - from).num_days() + 1;
    if days > MAX_RANGE_DAYS {
        return Err(RangeError::TooLong { days });
    }
    Ok((from, to))
}

/// A cell a spreadsheet would read as a formula (OWASP "CSV injection"): one starting with `=`,
/// `+`, `-`, `@`, a tab, a carriage return or a line feed gets a leading apostrophe, so it is
/// shown as text. Quoting (RFC 4180) is the CSV writer's job.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("date")
    }

    #[test]
    fn ranges_of_up_to_ninety_days_in_order_are_accepted() {
        let cases = [
            ("2026-11-01", "2026-11-01", Ok(())),
            ("2026-09-01", "2026-11-29", Ok(())),
            (
                "2026-09-01",
                "2026-11-30",
                Err(RangeError::TooLong { days: 91 }),
            ),
            ("2026-11-02", "2026-11-01", Err(RangeError::Reversed)),
            (
                "2025-01-01",
                "2026-01-01",
                Err(RangeError::TooLong { days: 366 }),
            ),
        ];
        for (from, to, expected) in cases {
            assert_eq!(
                check_range(day(from), day(to)).map(|_| ()),
                expected,
                "{from}..{to}"
            );
        }
        assert_eq!(
            default_range(day("2026-11-22")),
            (day("2026-10-24"), day("2026-11-22"))
        );
        assert!(check_range(day("2026-10-24"), day("2026-11-22")).is_ok());
        assert_eq!(
            RangeError::TooLong { days: 91 }.to_string(),
            "The range covers 91 days; choose at most 90."
        );
    }

    #[test]
    fn cells_that_start_like_formulas_are_neutralised() {
        let cases = [
            ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
            ("+55 11 5555", "'+55 11 5555"),
            ("-2", "'-2"),
            ("@cmd", "'@cmd"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("\nx", "'\nx"),
            ("Reset Password", "Reset Password"),
            ("a=b", "a=b"),
            ("", ""),
            ("'quoted", "'quoted"),
        ];
        for (cell, expected) in cases {
            assert_eq!(neutralise(cell), expected, "{cell:?}");
        }
    }
}
