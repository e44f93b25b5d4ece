//! Calling the usage API through the real router, as a tenant's platform would.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};

use super::http::TestApp;

impl TestApp {
    /// Calls the usage API with an optional bearer key and JSON body; the status and the JSON
    /// answer (`Value::Null` when the body is not JSON).
    pub async fn api(
        &self,
        method: &str,
        path: &str,
        key: Option<&str>,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        let body = body.map(|b| serde_json::to_vec(b).expect("json"));
        self.api_raw(method, path, key, body).await
    }

    /// Like `api`, with the body as raw bytes.
    pub async fn api_raw(
        &self,
        method: &str,
        path: &str,
        key: Option<&str>,
        body: Option<Vec<u8>>,
    ) -> (StatusCode, Value) {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(key) = key {
            request = request.header(header::AUTHORIZATION, format!("Bearer {key}"));
        }
        let reply = self
            .send(
                request
                    .body(body.map_or_else(Body::empty, Body::from))
                    .expect("request"),
            )
            .await;
        let answer = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
        (reply.status, answer)
    }

    /// Posts `{"events": events}`.
    pub async fn post_events(&self, key: &str, events: &[Value]) -> (StatusCode, Value) {
        self.api(
            "POST",
            "/api/v1/events",
            Some(key),
            Some(&json!({ "events": events })),
        )
        .await
    }
}

/// A `skill.executed` event, fulfilled in production by a user, with `changes` merged in.
pub fn skill(id: &str, changes: Value) -> Value {
    let mut event = json!({
        "id": id, "type": "skill.executed", "occurred_at": "2026-06-01T10:00:00Z",
        "bot_name": "Helpdesk", "skill_name": "Reset password", "skill_kind": "custom",
        "fulfillment_type": "text", "fulfillment_details": "Sent the reset link",
        "outcome": "fulfilled", "trigger": "user", "environment": "production",
        "user_name": "ana.lima", "role": "Employee", "channel": "Teams"
    });
    merge(&mut event, changes);
    event
}

/// Any event: `id`, `type`, a fixed `occurred_at` and the given fields.
pub fn event(id: &str, kind: &str, fields: Value) -> Value {
    let mut event = json!({ "id": id, "type": kind, "occurred_at": "2026-06-01T10:00:00Z" });
    merge(&mut event, fields);
    event
}

fn merge(event: &mut Value, changes: Value) {
    if let (Some(event), Value::Object(changes)) = (event.as_object_mut(), changes) {
        event.extend(changes);
    }
}
