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
mod tests;
