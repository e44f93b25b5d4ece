//! Conversations and their messages.

use crate::model::TenantId;
use sqlx::FromRow;

use super::Conn;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConversation<'a> {
    pub conversation_id: &'a str,
    pub session_id: Option<&'a str>,
    pub user_id: Option<&'a str>,
    pub user_name: &'a str,
    pub channel: &'a str,
    pub handled_by: &'a str,
    pub agent_name: Option<&'a str>,
    pub started_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct MessageRow {
    pub sent_at: i64,
    pub sender: String,
    pub body: String,
}

/// Stores a conversation with its messages; `false` when the id is already known.
pub async fn insert(
    conn: &mut Conn,
    tenant: TenantId,
    conversation: &NewConversation<'_>,
    messages: &[MessageRow],
) -> sqlx::Result<bool> {
    let row: Option<(i64,)> = sqlx::query_as(
        "insert into conversations (tenant_id, conversation_id, session_id, user_id, user_name, channel, handled_by, agent_name, started_at, message_count)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         on conflict (tenant_id, conversation_id) do nothing returning id",
    )
    .bind(tenant.0)
    .bind(conversation.conversation_id)
    .bind(conversation.session_id)
    .bind(conversation.user_id)
    .bind(conversation.user_name)
    .bind(conversation.channel)
    .bind(conversation.handled_by)
    .bind(conversation.agent_name)
    .bind(conversation.started_at)
    .bind(messages.len() as i64)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((id,)) = row else { return Ok(false) };
    for (n, chunk) in messages.chunks(200).enumerate() {
        let sql = format!(
            "insert into messages (conversation_ref, seq, sent_at, sender, body) values {}",
            super::placeholders(conn, chunk.len(), 5)
        );
        let mut query = sqlx::query(&sql);
        for (i, message) in chunk.iter().enumerate() {
            query = query
                .bind(id)
                .bind((n * 200 + i) as i64)
                .bind(message.sent_at)
                .bind(&message.sender)
                .bind(&message.body);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(true)
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ConversationRow {
    pub id: i64,
    pub conversation_id: String,
    pub session_id: Option<String>,
    pub user_id: Option<String>,
    pub user_name: String,
    pub channel: String,
    pub handled_by: String,
    pub agent_name: Option<String>,
    pub started_at: i64,
    pub message_count: i32,
}

/// Whose conversations to list.
#[derive(Debug, Clone, Copy)]
pub enum Party<'a> {
    User(&'a str),
    Session(&'a str),
}

pub async fn list(
    conn: &mut Conn,
    tenant: TenantId,
    party: Party<'_>,
    limit: i64,
) -> sqlx::Result<Vec<ConversationRow>> {
    let (column, value) = match party {
        Party::User(id) => ("user_id", id),
        Party::Session(id) => ("session_id", id),
    };
    sqlx::query_as(&format!(
        "select id, conversation_id, session_id, user_id, user_name, channel, handled_by, agent_name, started_at, message_count
         from conversations where tenant_id = $1 and {column} = $2 order by started_at desc, id desc limit $3"
    ))
    .bind(tenant.0)
    .bind(value)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await
}

/// A conversation's messages in order; empty when it is not the tenant's.
pub async fn messages(
    conn: &mut Conn,
    tenant: TenantId,
    conversation_id: &str,
) -> sqlx::Result<Vec<MessageRow>> {
    sqlx::query_as(
        "select m.sent_at, m.sender, m.body from messages m
         join conversations c on c.id = m.conversation_ref
         where c.tenant_id = $1 and c.conversation_id = $2 order by m.seq",
    )
    .bind(tenant.0)
    .bind(conversation_id)
    .fetch_all(&mut *conn)
    .await
}
