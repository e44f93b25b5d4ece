//! The Conversation History of a user or a session.

use super::super::db::{Db, conversations, conversations::Party};
use super::super::language;
use super::history::ReportContext;
use crate::error::AppError;
use crate::model::Locale;
use crate::model::TenantId;
use crate::model::conversation::{ConversationSummary, ConversationsPage, Message};

/// Most conversations listed for one user or session.
pub const LIMIT: i64 = 500;

/// The conversations of `user` or `session` (exactly one is given), newest first, with the
/// messages of `open` when it is one of them.
pub async fn page(
    db: &Db,
    tenant: TenantId,
    user: Option<&str>,
    session: Option<&str>,
    open: Option<&str>,
    locale: Locale,
) -> Result<ConversationsPage, AppError> {
    let (party, label, id) = match (user, session) {
        (Some(user), None) => (Party::User(user), "user", user),
        (None, Some(session)) => (Party::Session(session), "session", session),
        _ => {
            return Err(AppError::Invalid(
                "Choose a user or a session to see their conversations.".into(),
            ));
        }
    };
    let mut conn = db.conn().await?;
    let ctx = ReportContext::load(&mut conn, tenant).await?;
    let rows = conversations::list(&mut conn, tenant, party, LIMIT).await?;
    let opened = match open.filter(|o| rows.iter().any(|r| r.conversation_id == *o)) {
        Some(open) => Some((
            open.to_string(),
            conversations::messages(&mut conn, tenant, open)
                .await?
                .into_iter()
                .map(|m| Message {
                    at: language::date_time(locale, ctx.zone, m.sent_at),
                    from: m.sender,
                    text: m.body,
                })
                .collect(),
        )),
        None => None,
    };
    Ok(ConversationsPage {
        party: label.to_string(),
        party_id: id.to_string(),
        conversations: rows
            .into_iter()
            .map(|row| ConversationSummary {
                conversation_id: row.conversation_id,
                channel: row.channel,
                handled_by: match row.handled_by.as_str() {
                    "agent" => row
                        .agent_name
                        .unwrap_or_else(|| language::phrase(locale, "Agent")),
                    _ => language::phrase(locale, "Bot"),
                },
                started_on: language::date_time(locale, ctx.zone, row.started_at),
                messages: row.message_count,
            })
            .collect(),
        opened,
    })
}
