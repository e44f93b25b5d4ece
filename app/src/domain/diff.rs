//! Before and after of a change, as the fields that differ.

use serde_json::Value;

use crate::model::audit::FieldChange;

/// How a value reads in the log: text as itself, anything else as compact JSON.
fn shown(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The fields that differ between `before` and `after` (objects, compared key by key; either
/// may be absent, as for a creation or a deletion), in the order the keys appear. Anything
/// other than an object is one field named `value`.
pub fn changes(before: Option<&Value>, after: Option<&Value>) -> Vec<FieldChange> {
    let fields = |value: Option<&Value>| -> Vec<(String, Value)> {
        match value {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Object(map)) => map.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            Some(other) => vec![("value".to_string(), other.clone())],
        }
    };
    let (before, after) = (fields(before), fields(after));
    let find = |list: &[(String, Value)], key: &str| {
        list.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    };
    let mut keys: Vec<&str> = before.iter().map(|(k, _)| k.as_str()).collect();
    keys.extend(
        after
            .iter()
            .map(|(k, _)| k.as_str())
            .filter(|k| !before.iter().any(|(b, _)| b == k)),
    );
    keys.into_iter()
        .filter_map(|key| {
            let (was, is) = (find(&before, key), find(&after, key));
            (was != is).then(|| FieldChange {
                field: key.to_string(),
                before: was.as_ref().map(shown),
                after: is.as_ref().map(shown),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn change(field: &str, before: Option<&str>, after: Option<&str>) -> FieldChange {
        FieldChange {
            field: field.into(),
            before: before.map(Into::into),
            after: after.map(Into::into),
        }
    }

    #[test]
    fn only_the_fields_that_differ() {
        let before = json!({ "pool": "conversation_transactions", "purchased": 8 });
        let after = json!({ "pool": "conversation_transactions", "purchased": 38, "delta": 30 });
        assert_eq!(
            changes(Some(&before), Some(&after)),
            [
                change("purchased", Some("8"), Some("38")),
                change("delta", None, Some("30")),
            ]
        );
    }

    #[test]
    fn creations_deletions_and_plain_values() {
        let created = json!({ "name": "platform", "tags": ["a", "b"] });
        assert_eq!(
            changes(None, Some(&created)),
            [
                change("name", None, Some("platform")),
                change("tags", None, Some(r#"["a","b"]"#)),
            ]
        );
        assert_eq!(
            changes(Some(&json!({ "state": "active" })), None),
            [change("state", Some("active"), None)]
        );
        assert_eq!(
            changes(Some(&json!(1)), Some(&json!(2))),
            [change("value", Some("1"), Some("2"))]
        );
        assert!(changes(Some(&created), Some(&created)).is_empty());
        assert!(changes(None, None).is_empty());
    }
}
