//! A tenant's time zone: its days and how its instants are written.

use chrono::{DateTime, NaiveDate, SecondsFormat, TimeZone, Utc};
use chrono_tz::Tz;

/// The tenant's zone; UTC when the stored name is unknown (the admin form only offers known ones).
pub fn parse(name: &str) -> Tz {
    name.parse().unwrap_or(Tz::UTC)
}

/// The day it is in `zone` at `now`.
pub fn today(zone: Tz, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&zone).date_naive()
}

/// Epoch milliseconds of the first instant of `day` in `zone` (a day that starts inside a
/// daylight-saving gap starts at the first instant that exists).
pub fn day_start_ms(zone: Tz, day: NaiveDate) -> i64 {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    (0..=3)
        .find_map(|hours| {
            zone.from_local_datetime(&(midnight + chrono::Duration::hours(hours)))
                .earliest()
        })
        .map_or_else(
            || midnight.and_utc().timestamp_millis(),
            |t| t.timestamp_millis(),
        )
}

/// `[from, to]` as epoch-ms bounds `[start of from, start of the day after to)` in `zone`.
pub fn day_range_ms(zone: Tz, from: NaiveDate, to: NaiveDate) -> (i64, i64) {
    let after = to.succ_opt().unwrap_or(to);
    (day_start_ms(zone, from), day_start_ms(zone, after))
}

/// The calendar month around the instant `ms` in `zone`, as epoch-ms bounds `[start, end)`.
pub fn month_range_ms(zone: Tz, ms: i64) -> (i64, i64) {
    use chrono::Datelike;
    let day = day_of(zone, ms);
    let first = day.with_day(1).unwrap_or(day);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    (day_start_ms(zone, first), day_start_ms(zone, next))
}

/// The instant of epoch milliseconds `ms` in `zone` (`None` out of chrono's range).
pub fn at(zone: Tz, ms: i64) -> Option<DateTime<Tz>> {
    Utc.timestamp_millis_opt(ms)
        .single()
        .map(|t| t.with_timezone(&zone))
}

/// ISO 8601 with the zone's offset, to the second: `2026-11-22T09:30:00-03:00`.
pub fn iso_of(t: &DateTime<Tz>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// [`iso_of`] the instant `ms`; empty out of range.
pub fn iso(zone: Tz, ms: i64) -> String {
    at(zone, ms).map(|t| iso_of(&t)).unwrap_or_default()
}

/// The calendar day of an instant in `zone`.
pub fn day_of(zone: Tz, ms: i64) -> NaiveDate {
    at(zone, ms).map(|t| t.date_naive()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_counted_in_the_tenants_zone() {
        let zone: Tz = "America/Sao_Paulo".parse().expect("zone");
        // 2026-12-01T01:00Z is still November 30th in São Paulo (UTC-3).
        let at = 1_796_086_800_000;
        let (start, end) = month_range_ms(zone, at);
        assert_eq!(start, 1_793_502_000_000, "2026-11-01T03:00Z");
        assert_eq!(end, 1_796_094_000_000, "2026-12-01T03:00Z");
        let (start, end) = month_range_ms(Tz::UTC, at);
        assert_eq!(start, 1_796_083_200_000, "2026-12-01T00:00Z");
        assert_eq!(end, 1_798_761_600_000, "2027-01-01T00:00Z");
    }

    #[test]
    fn days_and_instants_follow_the_tenant_zone() {
        let sao_paulo = parse("America/Sao_Paulo");
        let day: NaiveDate = "2026-11-22".parse().expect("date");
        let start = day_start_ms(sao_paulo, day);
        assert_eq!(iso(sao_paulo, start), "2026-11-22T00:00:00-03:00");
        assert_eq!(iso(Tz::UTC, start), "2026-11-22T03:00:00+00:00");
        assert_eq!(
            day_of(sao_paulo, start - 1),
            "2026-11-21".parse().expect("date")
        );
        let (from, to) = day_range_ms(sao_paulo, day, day);
        assert_eq!(to - from, 24 * 3600 * 1000);
        assert_eq!(parse("Not/AZone"), Tz::UTC);
    }

    #[test]
    fn a_day_starting_in_a_gap_starts_when_the_clock_resumes() {
        // Havana moves from 00:00 to 01:00 on 2026-03-08.
        let havana = parse("America/Havana");
        let day: NaiveDate = "2026-03-08".parse().expect("date");
        assert_eq!(
            iso(havana, day_start_ms(havana, day)),
            "2026-03-08T01:00:00-04:00"
        );
    }
}
