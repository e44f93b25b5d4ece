//! Property tests of what reads outside input: the usage API's batch parser, the content hash
//! that tells a replay from a conflict, the report's date range, contact addresses and the CSV
//! cells a spreadsheet would run. Each property holds for every input proptest can find.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use proptest::prelude::*;
use serde_json::Value;

use crate::domain::reports::{MAX_RANGE_DAYS, neutralise};
use crate::model::email::EmailAddress;
use crate::model::range::{DateRange, RangeProblem};
use crate::server::events::{BatchError, parse_batch};

fn now() -> DateTime<Utc> {
    "2026-11-22T15:00:00Z".parse().expect("instant")
}

/// A skill event's fields, besides `occurred_at`, as JSON text.
fn skill_fields(id: &str, skill: &str) -> Vec<(String, String)> {
    [
        ("id", id),
        ("type", "skill.executed"),
        ("bot_name", "Helpdesk"),
        ("skill_name", skill),
        ("skill_kind", "custom"),
        ("fulfillment_type", "text"),
        ("fulfillment_details", "Sent the link"),
        ("outcome", "fulfilled"),
        ("trigger", "user"),
        ("environment", "production"),
        ("user_name", "ana.lima"),
        ("role", "Employee"),
        ("channel", "Teams"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), Value::from(v).to_string()))
    .collect()
}

/// `{"events": [event]}` with the event's fields in the given order.
fn batch_of(fields: &[(String, String)]) -> Vec<u8> {
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("\"{k}\": {v}"))
        .collect();
    format!("{{\"events\": [{{{}}}]}}", body.join(", ")).into_bytes()
}

/// `at` written in the zone `offset_minutes` east of UTC: the same instant, another spelling.
fn spelled(at: DateTime<Utc>, offset_minutes: i32) -> String {
    let zone = FixedOffset::east_opt(offset_minutes * 60).expect("offset");
    let text = at.with_timezone(&zone).to_rfc3339();
    if offset_minutes == 0 {
        text.replace("+00:00", "Z")
    } else {
        text
    }
}

const SPREADSHEET_LEADS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\n'];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_body_is_a_batch_or_a_refusal_never_a_panic(body in proptest::collection::vec(any::<u8>(), 0..400)) {
        match parse_batch(&body, now()) {
            Err(BatchError::Malformed(_)) => {
                prop_assert!(serde_json::from_slice::<Value>(&body).is_err());
            }
            Err(BatchError::Invalid(problems)) => prop_assert!(!problems.is_empty()),
            Ok(events) => prop_assert!(!events.is_empty()),
        }
    }

    #[test]
    fn any_text_in_an_events_fields_is_stored_or_refused_with_a_reason(
        id in "\\PC{0,300}",
        skill in "\\PC{0,300}",
    ) {
        let mut fields = skill_fields(&id, &skill);
        fields.push(("occurred_at".into(), "\"2026-11-22T14:00:00Z\"".into()));
        match parse_batch(&batch_of(&fields), now()) {
            Ok(events) => {
                prop_assert_eq!(events.len(), 1);
                prop_assert_eq!(&events[0].id, &id);
            }
            Err(BatchError::Invalid(problems)) => {
                prop_assert!(problems.iter().all(|p| p.index == Some(0) && !p.message.is_empty()));
            }
            Err(BatchError::Malformed(message)) => prop_assert!(false, "valid JSON read as malformed: {}", message),
        }
    }

    #[test]
    fn the_content_hash_ignores_field_order_and_zone_spelling(
        order in Just((0..14).collect::<Vec<usize>>()).prop_shuffle(),
        seconds in 0i64..86_400 * 300,
        offset_quarters in -48i32..=56,
        other_offset_quarters in -48i32..=56,
    ) {
        let at = DateTime::<Utc>::from_timestamp(1_767_225_600 + seconds, 0).expect("instant");
        let mut fields = skill_fields("run-1", "Reset password");
        fields.push(("occurred_at".into(), format!("\"{}\"", spelled(at, offset_quarters * 15))));
        let first = parse_batch(&batch_of(&fields), at.with_timezone(&Utc) + Duration::days(1))
            .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        let shuffled: Vec<_> = order.iter().map(|&i| fields[i].clone()).collect();
        let mut respelled = shuffled.clone();
        for field in &mut respelled {
            if field.0 == "occurred_at" {
                field.1 = format!("\"{}\"", spelled(at, other_offset_quarters * 15));
            }
        }
        let second = parse_batch(&batch_of(&respelled), at + Duration::days(1))
            .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(first[0].content_hash(), second[0].content_hash());
        // A second later is other content.
        for field in &mut respelled {
            if field.0 == "occurred_at" {
                field.1 = format!("\"{}\"", spelled(at + Duration::seconds(1), offset_quarters * 15));
            }
        }
        let later = parse_batch(&batch_of(&respelled), at + Duration::days(1))
            .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_ne!(first[0].content_hash(), later[0].content_hash());
    }

    #[test]
    fn a_date_range_is_in_order_and_at_most_its_limit_or_refused(from in -2000i64..2000, length in -200i64..200) {
        let start = NaiveDate::from_ymd_opt(2026, 1, 1).expect("day") + Duration::days(from);
        let end = start + Duration::days(length);
        let typed = DateRange::typed(&start.to_string(), &end.to_string());
        match DateRange::new(start, end) {
            Ok(range) => {
                prop_assert!((0..MAX_RANGE_DAYS).contains(&length));
                prop_assert_eq!((range.from(), range.to()), (start, end));
                prop_assert_eq!(typed, Ok(range));
            }
            Err(RangeProblem::Range(_)) => {
                prop_assert!(!(0..MAX_RANGE_DAYS).contains(&length));
                prop_assert_eq!(typed, DateRange::new(start, end));
            }
            Err(other) => prop_assert!(false, "days refused as text: {:?}", other),
        }
    }

    #[test]
    fn a_typed_day_reads_as_chrono_reads_it(text in "[0-9 -]{0,14}|\\PC{0,12}|[0-9]{4}-[0-9]{1,3}-[0-9]{1,3}") {
        let chrono_reads = text.parse::<NaiveDate>().ok();
        // chrono also reads signed years; the pages never write one.
        if !text.trim_start().starts_with(['+', '-']) {
            prop_assert_eq!(crate::model::day::parse(&text), chrono_reads);
        } else {
            prop_assert_eq!(crate::model::day::parse(&text), None);
        }
    }

    #[test]
    fn any_typed_range_text_is_a_range_or_a_refusal(from in "\\PC{0,20}", to in "\\PC{0,20}") {
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).expect("day");
        if let Ok(range) = DateRange::parse(Some(&from), Some(&to), today) {
            prop_assert!(range.from() <= range.to());
            prop_assert!((range.to() - range.from()).num_days() < MAX_RANGE_DAYS);
        }
    }

    #[test]
    fn an_accepted_address_is_kept_lowercase_and_reads_back_the_same(input in "\\PC{0,80}|[A-Za-z0-9._%+-]{1,20}@[A-Za-z0-9-]{1,12}\\.[A-Za-z]{2,6}") {
        if let Ok(address) = EmailAddress::parse(&input) {
            let text = address.as_str();
            prop_assert_eq!(text, input.trim().to_lowercase());
            prop_assert!(text.len() <= 254 && text.contains('@') && !text.contains(' '));
            prop_assert_eq!(EmailAddress::parse(text), Ok(address.clone()));
        }
    }

    #[test]
    fn no_cell_reaches_a_spreadsheet_as_a_formula(cell in "\\PC{0,40}|[=+@\\t\\r\\n-]\\PC{0,20}") {
        let safe = neutralise(&cell);
        prop_assert!(!safe.starts_with(SPREADSHEET_LEADS));
        if cell.starts_with(SPREADSHEET_LEADS) {
            prop_assert_eq!(safe.as_ref(), format!("'{cell}"));
        } else {
            prop_assert_eq!(safe.as_ref(), cell.as_str());
        }
    }
}
