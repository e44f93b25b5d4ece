//! The Conversation History page.

use serde::{Deserialize, Serialize};

/// One conversation in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationSummary {
    pub conversation_id: String,
    pub channel: String,
    /// `Bot`, or the agent's name.
    pub handled_by: String,
    pub started_on: String,
    pub messages: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub at: String,
    pub from: String,
    pub text: String,
}

/// The conversations of one user or session, and the one opened, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationsPage {
    /// `user` or `session`.
    pub party: String,
    pub party_id: String,
    pub conversations: Vec<ConversationSummary>,
    pub opened: Option<(String, Vec<Message>)>,
}
