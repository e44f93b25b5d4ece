//! Validation of the usage API's request bodies: a body becomes a batch of typed events
//! (`model::event`) or one message per problem. Pure: no I/O.

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::model::PoolKey;
use crate::model::event::*;

/// Most events one call may carry.
pub const MAX_BATCH: usize = 1000;
/// Longest id, in characters, of an event or of anything an event names.
pub const MAX_ID_CHARS: usize = 255;
/// How far ahead of the server's clock an event may be stamped (clock skew).
pub const MAX_FUTURE_MS: i64 = 5 * 60 * 1000;

/// One thing wrong with a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    /// Position of the event in `events`, when the problem is in one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    /// The event's id, when it has a readable one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The field at fault, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub message: String,
}

impl Problem {
    fn whole(message: impl Into<String>) -> Self {
        Self {
            index: None,
            id: None,
            field: None,
            message: message.into(),
        }
    }
}

/// Why a body is not a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchError {
    /// Not JSON at all (400).
    Malformed(String),
    /// JSON, but not a valid batch (422), with every problem found.
    Invalid(Vec<Problem>),
}

/// Reads a request body into a batch, or lists every problem with it. `now` bounds how far in
/// the future an event may be stamped.
pub fn parse_batch(body: &[u8], now: DateTime<Utc>) -> Result<Vec<Event>, BatchError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| BatchError::Malformed(format!("The body is not valid JSON: {e}.")))?;
    let Some(events) = value.get("events") else {
        return Err(BatchError::Invalid(vec![Problem::whole(
            "The body must be an object with an `events` array.",
        )]));
    };
    let Some(events) = events.as_array() else {
        return Err(BatchError::Invalid(vec![Problem::whole(
            "`events` must be an array.",
        )]));
    };
    if events.is_empty() {
        return Err(BatchError::Invalid(vec![Problem::whole(
            "`events` is empty: send between 1 and 1000 events.",
        )]));
    }
    if events.len() > MAX_BATCH {
        return Err(BatchError::Invalid(vec![Problem::whole(format!(
            "{} events in one call; at most {MAX_BATCH} are accepted.",
            events.len()
        ))]));
    }
    let mut parsed = Vec::with_capacity(events.len());
    let mut problems = Vec::new();
    for (index, value) in events.iter().enumerate() {
        match parse_event(value, now) {
            Ok(event) => parsed.push(event),
            Err(found) => problems.extend(found.into_iter().map(|(field, message)| {
                Problem {
                    index: Some(index),
                    id: value
                        .get("id")
                        .and_then(Value::as_str)
                        .map(|id| id.chars().take(MAX_ID_CHARS).collect()),
                    field,
                    message,
                }
            })),
        }
    }
    if problems.is_empty() {
        Ok(parsed)
    } else {
        Err(BatchError::Invalid(problems))
    }
}

type FieldProblem = (Option<String>, String);

fn field_problem(field: &str, message: impl Into<String>) -> FieldProblem {
    (Some(field.to_string()), message.into())
}

/// Checks one event; every problem found, not only the first.
fn parse_event(value: &Value, now: DateTime<Utc>) -> Result<Event, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    if !value.is_object() {
        return Err(vec![(None, "An event must be a JSON object.".into())]);
    }
    if contains_nul(value) {
        return Err(vec![(
            None,
            "Text must not contain NUL (\\u0000) characters.".into(),
        )]);
    }
    let id = match value.get("id") {
        None => {
            problems.push(field_problem("id", "missing"));
            None
        }
        Some(Value::String(id)) => {
            if let Err(message) = check_identifier(id) {
                problems.push(field_problem("id", message));
            }
            Some(id.clone())
        }
        Some(_) => {
            problems.push(field_problem("id", "must be a string"));
            None
        }
    };
    let occurred_at = match value.get("occurred_at") {
        None => {
            problems.push(field_problem("occurred_at", "missing"));
            None
        }
        Some(Value::String(text)) => match DateTime::parse_from_rfc3339(text) {
            Ok(at) if at.timestamp_millis() > now.timestamp_millis() + MAX_FUTURE_MS => {
                problems.push(field_problem(
                    "occurred_at",
                    format!(
                        "{text} is in the future (the server's clock reads {})",
                        now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                    ),
                ));
                None
            }
            Ok(at) => Some(at),
            Err(e) => {
                problems.push(field_problem(
                    "occurred_at",
                    format!("`{text}` is not an RFC 3339 date and time ({e})"),
                ));
                None
            }
        },
        Some(_) => {
            problems.push(field_problem(
                "occurred_at",
                "must be an RFC 3339 date and time string",
            ));
            None
        }
    };
    let body = match value.get("type").map(|t| (t, t.as_str())) {
        None => {
            problems.push(field_problem("type", "missing"));
            None
        }
        Some((_, Some(kind))) => match parse_body(kind, value) {
            Ok(body) => {
                problems.extend(check_body(&body));
                Some(body)
            }
            Err(problem) => {
                problems.push(problem);
                None
            }
        },
        Some((_, None)) => {
            problems.push(field_problem("type", "must be a string"));
            None
        }
    };
    match (id, occurred_at, body) {
        (Some(id), Some(occurred_at), Some(body)) if problems.is_empty() => Ok(Event {
            id,
            occurred_at,
            body,
        }),
        _ => Err(problems),
    }
}

fn contains_nul(value: &Value) -> bool {
    match value {
        Value::String(text) => text.contains('\0'),
        Value::Array(items) => items.iter().any(contains_nul),
        Value::Object(fields) => fields
            .iter()
            .any(|(key, value)| key.contains('\0') || contains_nul(value)),
        _ => false,
    }
}

fn parse_body(kind: &str, value: &Value) -> Result<EventBody, FieldProblem> {
    EventBody::from_fields(kind, &Fields(value)).unwrap_or_else(|| {
        Err(field_problem(
            "type",
            format!(
                "unknown type `{kind}` (expected one of: {})",
                EVENT_TYPES.join(", ")
            ),
        ))
    })
}

/// An event's JSON object, read as the fields of its type.
struct Fields<'a>(&'a Value);

impl ReadFields for Fields<'_> {
    type Error = FieldProblem;

    fn read<T: DeserializeOwned>(&self) -> Result<T, FieldProblem> {
        fields(self.0)
    }
}

/// The fields of one type, with the path of the first one at fault.
fn fields<T: DeserializeOwned>(value: &Value) -> Result<T, FieldProblem> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        let missing = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.strip_suffix('`'));
        match (path.as_str(), missing) {
            (".", Some(field)) => (Some(field.to_string()), "missing".into()),
            (".", None) => (None, message),
            (_, Some(field)) => (Some(format!("{path}.{field}")), "missing".into()),
            _ => (Some(path), message),
        }
    })
}

fn check_identifier(id: &str) -> Result<(), String> {
    if id.trim().is_empty() {
        Err("must not be empty".into())
    } else if id.chars().count() > MAX_ID_CHARS {
        Err(format!(
            "is {} characters long; at most {MAX_ID_CHARS} are allowed",
            id.chars().count()
        ))
    } else {
        Ok(())
    }
}

/// What serde cannot say: identifiers present and bounded, pools that exist.
fn check_body(body: &EventBody) -> Vec<FieldProblem> {
    let mut ids: Vec<(&str, &str)> = Vec::new();
    let mut problems = Vec::new();
    match body {
        EventBody::UserLicenseAssigned(e) => ids.push(("user_id", &e.user_id)),
        EventBody::UserLicenseReleased(e) => ids.push(("user_id", &e.user_id)),
        EventBody::SessionStarted(e) => ids.push(("session_id", &e.session_id)),
        EventBody::SessionEnded(e) => ids.push(("session_id", &e.session_id)),
        EventBody::Conversation(e) => {
            ids.push(("conversation_id", &e.conversation_id));
            if let Some(session) = &e.session_id {
                ids.push(("session_id", session));
            }
            if let Some(user) = &e.user_id {
                ids.push(("user_id", user));
            }
        }
        EventBody::SkillExecuted(e) => {
            ids.push(("bot_name", &e.bot_name));
            ids.push(("skill_name", &e.skill_name));
            if e.fulfillment_type == FulfillmentType::AutomationWorkflow
                && e.workflow_name
                    .as_deref()
                    .is_none_or(|w| w.trim().is_empty())
            {
                problems.push(field_problem(
                    "workflow_name",
                    "is required when fulfillment_type is automation_workflow",
                ));
            }
        }
        EventBody::WorkflowExecuted(e) => {
            ids.push(("bot_name", &e.bot_name));
            ids.push(("workflow_name", &e.workflow_name));
        }
        EventBody::LicenseAssigned(e) | EventBody::LicenseReleased(e) => {
            ids.push(("assignee_id", &e.assignee_id));
            match PoolKey::parse(&e.pool) {
                Ok(key) if key.is_assignment_pool() => {}
                Ok(_) => problems.push(field_problem(
                    "pool",
                    format!(
                        "`{}` is a main pool; it is consumed by usage, not by assignment",
                        e.pool
                    ),
                )),
                Err(message) => problems.push(field_problem("pool", message)),
            }
        }
    }
    for (field, id) in ids {
        if let Err(message) = check_identifier(id) {
            problems.push(field_problem(field, message));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-11-22T15:00:00Z".parse().expect("instant")
    }

    fn skill(id: &str) -> Value {
        serde_json::json!({
            "id": id, "type": "skill.executed", "occurred_at": "2026-11-22T11:00:00-03:00",
            "bot_name": "Helpdesk", "skill_name": "Reset password", "skill_kind": "custom",
            "fulfillment_type": "automation_workflow", "fulfillment_details": "AD reset",
            "workflow_name": "reset-ad", "outcome": "fulfilled", "trigger": "user",
            "environment": "production", "user_name": "ana", "role": "Employee", "channel": "Teams"
        })
    }

    fn batch(events: Vec<Value>) -> Vec<u8> {
        serde_json::to_vec(&serde_json::json!({ "events": events })).expect("json")
    }

    fn problems(body: &[u8]) -> Vec<Problem> {
        match parse_batch(body, now()) {
            Err(BatchError::Invalid(problems)) => problems,
            other => panic!("expected problems, got {other:?}"),
        }
    }

    #[test]
    fn a_valid_batch_parses_into_typed_events() {
        let events = parse_batch(&batch(vec![skill("a"), skill("b")]), now()).expect("valid");
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].type_name(), "skill.executed");
        let EventBody::SkillExecuted(run) = &events[1].body else {
            panic!("{:?}", events[1]);
        };
        assert_eq!(run.fulfillment_type, FulfillmentType::AutomationWorkflow);
        assert_eq!(events[0].occurred_at_ms(), 1_795_356_000_000);
    }

    #[test]
    fn malformed_json_is_told_apart_from_an_invalid_batch() {
        assert!(matches!(
            parse_batch(b"{\"events\": [", now()),
            Err(BatchError::Malformed(_))
        ));
        assert_eq!(problems(b"[]")[0].index, None);
        assert!(problems(b"{\"events\": []}")[0].message.contains("empty"));
        let many = batch((0..1001).map(|i| skill(&i.to_string())).collect());
        assert!(problems(&many)[0].message.contains("at most 1000"));
    }

    #[test]
    fn every_problem_is_reported_with_its_event_and_field() {
        let mut wrong_type = skill("w");
        wrong_type["external_call"] = serde_json::json!("yes");
        let mut missing = skill("m");
        missing
            .as_object_mut()
            .expect("object")
            .remove("skill_name");
        let mut future = skill("f");
        future["occurred_at"] = serde_json::json!("2026-11-22T15:06:00Z");
        let mut bad_enum = skill("e");
        bad_enum["outcome"] = serde_json::json!("exploded");
        let found = problems(&batch(vec![
            skill("ok"),
            wrong_type,
            missing,
            serde_json::json!({"id": "x".repeat(256), "type": "teleport", "occurred_at": "yesterday"}),
            future,
            bad_enum,
            serde_json::json!(7),
            skill("nul\u{0}"),
        ]));
        let at = |index: usize| -> Vec<&Problem> {
            found.iter().filter(|p| p.index == Some(index)).collect()
        };
        assert!(at(0).is_empty());
        assert_eq!(at(1)[0].field.as_deref(), Some("external_call"));
        assert!(at(1)[0].message.contains("invalid type"), "{:?}", at(1));
        assert_eq!(
            (at(2)[0].field.as_deref(), at(2)[0].message.as_str()),
            (Some("skill_name"), "missing")
        );
        let third: Vec<_> = at(3).iter().filter_map(|p| p.field.as_deref()).collect();
        assert_eq!(third, ["id", "occurred_at", "type"]);
        assert!(at(3)[0].message.contains("256 characters"));
        assert!(at(4)[0].message.contains("future"), "{:?}", at(4));
        assert_eq!(at(5)[0].field.as_deref(), Some("outcome"));
        assert!(at(5)[0].message.contains("unknown variant"), "{:?}", at(5));
        assert_eq!(at(6)[0].message, "An event must be a JSON object.");
        assert!(at(7)[0].message.contains("NUL"), "{:?}", at(7));
        assert_eq!(at(1)[0].id.as_deref(), Some("w"));
    }

    #[test]
    fn pools_must_be_assignment_pools_and_ids_must_be_present() {
        let assign = |pool: &str, assignee: &str| {
            serde_json::json!({"id": pool, "type": "license.assigned",
                "occurred_at": "2026-11-01T00:00:00Z", "pool": pool, "assignee_id": assignee})
        };
        assert!(parse_batch(&batch(vec![assign("user:interact", "u1")]), now()).is_ok());
        let found = problems(&batch(vec![
            assign("user_licenses", "u1"),
            assign("user:nothing", "u1"),
            assign("addon:recording", " "),
        ]));
        assert!(found[0].message.contains("main pool"), "{found:?}");
        assert!(found[1].message.contains("not a license pool"), "{found:?}");
        assert_eq!(found[2].field.as_deref(), Some("assignee_id"));
        let mut no_workflow = skill("n");
        no_workflow
            .as_object_mut()
            .expect("object")
            .remove("workflow_name");
        assert_eq!(
            problems(&batch(vec![no_workflow]))[0].field.as_deref(),
            Some("workflow_name")
        );
    }

    #[test]
    fn the_content_hash_ignores_field_order_and_zone_spelling() {
        let a = parse_batch(&batch(vec![skill("a")]), now()).expect("valid");
        let reordered =
            br#"{"events": [{"channel": "Teams", "role": "Employee", "user_name": "ana",
            "environment": "production", "trigger": "user", "outcome": "fulfilled",
            "workflow_name": "reset-ad", "fulfillment_details": "AD reset",
            "fulfillment_type": "automation_workflow", "skill_kind": "custom",
            "skill_name": "Reset password", "bot_name": "Helpdesk",
            "occurred_at": "2026-11-22T14:00:00Z", "type": "skill.executed", "id": "a"}]}"#;
        let b = parse_batch(reordered, now()).expect("valid");
        assert_eq!(a[0].content_hash(), b[0].content_hash());
        let mut other = skill("a");
        other["skill_name"] = serde_json::json!("Something else");
        let c = parse_batch(&batch(vec![other]), now()).expect("valid");
        assert_ne!(a[0].content_hash(), c[0].content_hash());
        let mut later = skill("a");
        later["occurred_at"] = serde_json::json!("2026-11-22T14:00:01Z");
        let d = parse_batch(&batch(vec![later]), now()).expect("valid");
        assert_ne!(a[0].content_hash(), d[0].content_hash());
    }
}
