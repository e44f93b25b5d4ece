//! The date range of the Transaction History Log: typed in the form, sent in the download's URL,
//! checked the same way on both sides, refused in the same words.

use chrono::NaiveDate;

use crate::domain::reports::{MAX_RANGE_DAYS, RangeError, check_range, default_range};
use crate::i18n::{Locale as Ui, td_string};
use crate::locale::{fill, number};

/// Days from `from` to `to`, both included, in order and at most `MAX_RANGE_DAYS` long: there
/// is no other way to make one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    from: NaiveDate,
    to: NaiveDate,
}

/// Why a range was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeProblem {
    BadFrom,
    BadTo,
    Range(RangeError),
}

/// A value that is there and not blank.
fn given(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.trim().is_empty())
}

/// A typed `YYYY-MM-DD` day, or `problem`.
fn day(text: &str, problem: RangeProblem) -> Result<NaiveDate, RangeProblem> {
    super::day::parse(text).ok_or(problem)
}

impl DateRange {
    /// The range of a form or query: an empty or missing end takes the default range's (the last
    /// 30 days, ending `today`).
    pub fn parse(
        from: Option<&str>,
        to: Option<&str>,
        today: NaiveDate,
    ) -> Result<Self, RangeProblem> {
        let (default_from, default_to) = default_range(today);
        let from = given(from).map_or(Ok(default_from), |t| day(t, RangeProblem::BadFrom))?;
        let to = given(to).map_or(Ok(default_to), |t| day(t, RangeProblem::BadTo))?;
        Self::new(from, to)
    }

    /// Both ends typed: neither may be empty.
    pub fn typed(from: &str, to: &str) -> Result<Self, RangeProblem> {
        Self::new(
            day(from, RangeProblem::BadFrom)?,
            day(to, RangeProblem::BadTo)?,
        )
    }

    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Self, RangeProblem> {
        let (from, to) = check_range(from, to).map_err(RangeProblem::Range)?;
        Ok(Self { from, to })
    }

    pub fn from(&self) -> NaiveDate {
        self.from
    }

    pub fn to(&self) -> NaiveDate {
        self.to
    }
}

impl RangeProblem {
    /// The refusal in the reader's words.
    pub fn message(self, l: Ui) -> String {
        match self {
            Self::BadFrom => td_string!(l, download.enter_from).to_string(),
            Self::BadTo => td_string!(l, download.enter_to).to_string(),
            Self::Range(RangeError::Reversed) => td_string!(l, download.reversed).to_string(),
            Self::Range(RangeError::TooLong { days }) => fill(
                td_string!(l, download.too_long),
                &[
                    ("days", &number(l, days)),
                    ("max", &number(l, MAX_RANGE_DAYS)),
                ],
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("date")
    }

    fn said(l: Ui, from: &str, to: &str) -> Option<String> {
        DateRange::typed(from, to).err().map(|p| p.message(l))
    }

    #[test]
    fn typed_ranges_are_refused_in_the_readers_words() {
        assert!(DateRange::typed("2026-09-01", "2026-11-29").is_ok());
        assert_eq!(
            said(Ui::en, "2026-09-01", "2026-11-30").as_deref(),
            Some("The range covers 91 days; choose at most 90.")
        );
        assert_eq!(
            said(Ui::pt_BR, "2026-09-01", "2026-11-30").as_deref(),
            Some("O período cobre 91 dias; escolha no máximo 90.")
        );
        assert_eq!(
            said(Ui::en, "2026-11-02", "2026-11-01").as_deref(),
            Some("The From date is after the To date.")
        );
        assert_eq!(
            said(Ui::pt_BR, "", "2026-11-01").as_deref(),
            Some("Informe a data De no formato AAAA-MM-DD.")
        );
        assert_eq!(
            DateRange::typed("2026-11-01", "x"),
            Err(RangeProblem::BadTo)
        );
    }

    #[test]
    fn query_ranges_default_to_the_last_thirty_days_and_refuse_bad_dates() {
        let today = day("2026-11-22");
        let range = DateRange::parse(None, None, today).expect("default");
        assert_eq!((range.from(), range.to()), (day("2026-10-24"), today));
        let range = DateRange::parse(Some("2026-11-01"), Some(""), today).expect("from only");
        assert_eq!((range.from(), range.to()), (day("2026-11-01"), today));
        let problem = DateRange::parse(Some("22/11/2026"), None, today).unwrap_err();
        assert_eq!(problem, RangeProblem::BadFrom);
        assert_eq!(
            problem.message(Ui::en),
            "Enter the From date as YYYY-MM-DD."
        );
        let problem = DateRange::parse(Some("2026-08-01"), Some("2026-11-01"), today).unwrap_err();
        assert_eq!(
            problem,
            RangeProblem::Range(RangeError::TooLong { days: 93 })
        );
        assert_eq!(
            problem.message(Ui::pt_BR),
            "O período cobre 93 dias; escolha no máximo 90."
        );
    }
}
