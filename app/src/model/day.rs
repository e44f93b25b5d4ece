//! Calendar days as the browser meets them. chrono's text parser (`NaiveDate: FromStr`, which
//! its serde impl also goes through) carries every format chrono reads, RFC 2822 included, into
//! the wasm; the pages only ever read `YYYY-MM-DD`. So a day crosses the wire as its day number
//! and a typed day is read here, accepting what chrono accepts for that layout.

use chrono::{Datelike, NaiveDate};

/// A typed `YYYY-MM-DD` day: each part digits only, the month and day one or two of them,
/// spaces around a part allowed (as chrono's `NaiveDate::from_str` reads them). `None` when it
/// is not a day of the calendar. Signed years, which chrono also reads, are refused.
pub fn parse(text: &str) -> Option<NaiveDate> {
    let mut parts = text.split('-').map(str::trim);
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let digits = |part: &str| {
        let all_digits = !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        all_digits.then(|| part.parse::<u32>().ok())?
    };
    let short = |part: &str| if part.len() <= 2 { digits(part) } else { None };
    let year = i32::try_from(digits(year)?).ok()?;
    NaiveDate::from_ymd_opt(year, short(month)?, short(day)?)
}

/// The day of a day number, or a decoding error naming it.
fn from_number<E: serde::de::Error>(n: i32) -> Result<NaiveDate, E> {
    NaiveDate::from_num_days_from_ce_opt(n)
        .ok_or_else(|| E::custom(format!("day number {n} is out of range")))
}

/// Serde for a `NaiveDate` as its day number (days since 1 January of year 1, that day being 1).
pub mod number {
    use super::*;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(day: &NaiveDate, to: S) -> Result<S::Ok, S::Error> {
        to.serialize_i32(day.num_days_from_ce())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(from: D) -> Result<NaiveDate, D::Error> {
        from_number(i32::deserialize(from)?)
    }
}

/// Serde for an `Option<NaiveDate>` as an optional day number.
pub mod optional_number {
    use super::*;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(day: &Option<NaiveDate>, to: S) -> Result<S::Ok, S::Error> {
        day.map(|day| day.num_days_from_ce()).serialize(to)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(from: D) -> Result<Option<NaiveDate>, D::Error> {
        Option::<i32>::deserialize(from)?
            .map(from_number)
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_chrono_reads_for_the_layout() {
        for text in [
            "2026-11-30",
            "2026-1-5",
            " 2026-01-05 ",
            "2026 - 01 - 05",
            "0026-01-05",
            "2024-02-29",
        ] {
            assert_eq!(parse(text), text.parse().ok(), "{text:?}");
            assert!(parse(text).is_some(), "{text:?}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_day() {
        for text in [
            "",
            "2026",
            "2026-11",
            "2026-11-31",
            "2025-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-11-30-1",
            "2026/11/30",
            "30-11-2026x",
            "2026-011-30",
            "2026-+1-30",
            "２０２６-11-30",
            "-2026-11-30",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn a_day_number_reads_back_as_the_same_day() {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct Both {
            #[serde(with = "number")]
            day: NaiveDate,
            #[serde(with = "optional_number")]
            maybe: Option<NaiveDate>,
        }
        for both in [
            Both {
                day: NaiveDate::from_ymd_opt(2026, 11, 30).expect("day"),
                maybe: None,
            },
            Both {
                day: NaiveDate::from_ymd_opt(1, 1, 1).expect("day"),
                maybe: NaiveDate::from_ymd_opt(2099, 12, 31),
            },
        ] {
            let bytes = postcard::to_allocvec(&both).expect("encode");
            assert_eq!(postcard::from_bytes::<Both>(&bytes).expect("decode"), both);
            let json = serde_json::to_string(&both).expect("json");
            assert_eq!(
                serde_json::from_str::<Both>(&json).expect("json back"),
                both
            );
        }
        assert!(serde_json::from_str::<Both>(r#"{"day":2147483647,"maybe":null}"#).is_err());
    }
}
