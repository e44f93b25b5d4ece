//! The usage API's events as a platform sends them: the nine types, their fields and the
//! vocabulary their fields use. Validation of a request body lives in `server::events`.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::tenant::text_enum;

text_enum!(
    /// Who started a session.
    InitiatedBy { EndUser => "end_user", Agent => "agent" }
);

text_enum!(
    /// Who answered a conversation.
    HandledBy { Bot => "bot", Agent => "agent" }
);

text_enum!(
    /// What kind of skill ran.
    SkillKind {
        Custom => "custom",
        Itsm => "itsm",
        System => "system",
        TransferToAgent => "transfer_to_agent",
        SmallTalk => "small_talk",
        Faq => "faq",
    }
);

text_enum!(
    /// How a skill was fulfilled.
    FulfillmentType {
        AutomationWorkflow => "automation_workflow",
        WebService => "web_service",
        Text => "text",
        Email => "email",
        PreConversationAction => "pre_conversation_action",
        Faq => "faq",
    }
);

text_enum!(
    /// How a skill run ended.
    SkillOutcome {
        Fulfilled => "fulfilled",
        Aborted => "aborted",
        Idle => "idle",
        Timeout => "timeout",
        UnexpectedReply => "unexpected_reply",
    }
);

text_enum!(
    /// What set a skill off.
    Trigger {
        User => "user",
        TestBot => "test_bot",
        ApiNotification => "api_notification",
        AutomatedFollowUp => "automated_follow_up",
        FollowUpReply => "follow_up_reply",
    }
);

text_enum!(
    /// Where the bot ran.
    Environment { Production => "production", Staging => "staging" }
);

/// `user.license_assigned`: a user received a user license.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UserLicenseAssigned {
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 1, max_length = 255, pattern = r"\S")
    )]
    pub user_id: String,
    pub user_name: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: String,
}

/// `user.license_released`: the user's license is free again (the user was deactivated).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UserLicenseReleased {
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 1, max_length = 255, pattern = r"\S")
    )]
    pub user_id: String,
}

/// `session.started`: consumes a session license at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SessionStarted {
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 1, max_length = 255, pattern = r"\S")
    )]
    pub session_id: String,
    pub initiated_by: InitiatedBy,
    pub user_name: String,
    pub email: String,
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_name: Option<String>,
    pub channel: String,
}

/// `session.ended`: one license per started session-duration window in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SessionEnded {
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 1, max_length = 255, pattern = r"\S")
    )]
    pub session_id: String,
}

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Message {
    /// When it was sent (RFC 3339).
    #[cfg_attr(feature = "ssr", schema(value_type = String, format = DateTime))]
    pub at: DateTime<FixedOffset>,
    pub from: String,
    pub text: String,
}

/// `conversation`: a conversation and its messages; it consumes nothing by itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Conversation {
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 1, max_length = 255, pattern = r"\S")
    )]
    pub conversation_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 1, max_length = 255, pattern = r"\S")
    )]
    pub session_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 1, max_length = 255, pattern = r"\S")
    )]
    pub user_id: Option<String>,
    pub user_name: String,
    pub channel: String,
    pub handled_by: HandledBy,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_name: Option<String>,
    pub messages: Vec<Message>,
}

/// `skill.executed`: Tally decides from it which transactions are billable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SkillExecuted {
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 1, max_length = 255, pattern = r"\S")
    )]
    pub bot_name: String,
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 1, max_length = 255, pattern = r"\S")
    )]
    pub skill_name: String,
    pub skill_kind: SkillKind,
    pub fulfillment_type: FulfillmentType,
    pub fulfillment_details: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow_name: Option<String>,
    pub outcome: SkillOutcome,
    pub trigger: Trigger,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_call: Option<bool>,
    pub environment: Environment,
    pub user_name: String,
    pub role: String,
    pub channel: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation_id: Option<String>,
}

/// `workflow.executed`: a workflow run on its own (not through a skill).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WorkflowExecuted {
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 1, max_length = 255, pattern = r"\S")
    )]
    pub bot_name: String,
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 1, max_length = 255, pattern = r"\S")
    )]
    pub workflow_name: String,
    pub environment: Environment,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
}

/// `license.assigned` / `license.released`: a license of an assignment pool (service, user
/// feature, add-on, modality, virtual user).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PoolLicense {
    /// e.g. `service:contact_center`, `user:interact`, `addon:recording`, `virtual_user`.
    /// (The pattern is what `PoolKey::parse` accepts as an assignment pool; a server test
    /// checks the two agree.)
    #[cfg_attr(
        feature = "ssr",
        schema(
            pattern = r"^(service:(advanced_routing|enterprise_routing|contact_center)|user:(contact_center|interact|attendant_console|assistant|companion)|(addon|modality):[a-z0-9_]{1,64}|virtual_user)$"
        )
    )]
    pub pool: String,
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 1, max_length = 255, pattern = r"\S")
    )]
    pub assignee_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee_name: Option<String>,
}

/// Declares `EventBody` from one table of (variant, fields, `type`): each `type` is spelled
/// once, here, and serde, the OpenAPI schema, `EVENT_TYPES`, `type_name` and `from_fields` all
/// read it. (`tt`, not `literal`: the schema derive does not see a literal a macro wraps.)
macro_rules! event_types {
    ($($(#[$doc:meta])* $variant:ident($fields:ty) => $name:tt),+ $(,)?) => {
        /// What happened, by `type`.
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
        #[serde(tag = "type")]
        pub enum EventBody {
            $($(#[$doc])* #[serde(rename = $name)] $variant($fields)),+
        }

        /// Every `type` the API knows.
        pub const EVENT_TYPES: &[&str] = &[$($name),+];

        impl EventBody {
            /// The `type` of the event.
            pub fn type_name(&self) -> &'static str {
                match self {
                    $(Self::$variant(_) => $name),+
                }
            }

            /// The body of an event of type `kind`, its fields read by `read`; `None` for a
            /// type the API does not know.
            pub fn from_fields<R: ReadFields>(kind: &str, read: &R) -> Option<Result<Self, R::Error>> {
                match kind {
                    $($name => Some(read.read().map(Self::$variant)),)+
                    _ => None,
                }
            }
        }
    };
}

/// Reads the fields of one event type (validation says which field is at fault).
pub trait ReadFields {
    type Error;
    fn read<T: serde::de::DeserializeOwned>(&self) -> Result<T, Self::Error>;
}

event_types! {
    UserLicenseAssigned(UserLicenseAssigned) => "user.license_assigned",
    UserLicenseReleased(UserLicenseReleased) => "user.license_released",
    SessionStarted(SessionStarted) => "session.started",
    SessionEnded(SessionEnded) => "session.ended",
    Conversation(Conversation) => "conversation",
    SkillExecuted(SkillExecuted) => "skill.executed",
    WorkflowExecuted(WorkflowExecuted) => "workflow.executed",
    LicenseAssigned(PoolLicense) => "license.assigned",
    LicenseReleased(PoolLicense) => "license.released",
}

/// One reported event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Event {
    /// Unique per tenant; at most 255 characters. Sending it again is harmless.
    #[cfg_attr(
        feature = "ssr",
        schema(min_length = 1, max_length = 255, pattern = r"\S")
    )]
    pub id: String,
    /// When it happened (RFC 3339).
    #[cfg_attr(feature = "ssr", schema(value_type = String, format = DateTime))]
    pub occurred_at: DateTime<FixedOffset>,
    #[serde(flatten)]
    pub body: EventBody,
}

impl Event {
    pub fn type_name(&self) -> &'static str {
        self.body.type_name()
    }

    pub fn occurred_at_ms(&self) -> i64 {
        self.occurred_at.timestamp_millis()
    }

    /// A fingerprint of the content: the same event sent twice has the same one, whatever the
    /// order of its fields or the spelling of its time zone.
    #[cfg(feature = "ssr")]
    pub fn content_hash(&self) -> String {
        use sha2::{Digest, Sha256};
        let canonical = serde_json::json!({
            "id": self.id,
            "occurred_at": self.occurred_at.with_timezone(&chrono::Utc).to_rfc3339(),
            "body": self.body,
        });
        hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
    }
}

/// A request body: `{"events": [...]}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EventBatch {
    pub events: Vec<Event>,
}
