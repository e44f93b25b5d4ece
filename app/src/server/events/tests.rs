//! Validation of request bodies, case by case.

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
    let reordered = br#"{"events": [{"channel": "Teams", "role": "Employee", "user_name": "ana",
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
