//! Conversation and workflow transactions.

use crate::model::TenantId;
use sqlx::FromRow;

use super::{Conn, INSERT_ROWS, placeholders};

/// One row of the Transaction History Log, with the rule that decided Billable.
/// Its fields run in the order `history` selects them: downloads read rows as JSON arrays.
#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Deserialize)]
pub struct TransactionRow {
    pub transaction_id: String,
    pub occurred_at: i64,
    pub bot_name: String,
    pub skill_name: String,
    pub tx_type: String,
    pub fulfillment_type: String,
    pub fulfillment_details: String,
    #[sqlx(try_from = "super::IntFlag")]
    #[serde(deserialize_with = "super::int_flag")]
    pub billable: bool,
    pub reason: String,
    pub user_name: String,
    pub role: String,
    pub channel: String,
}

/// Stores many transactions, each with the event it came from; returns the ids stored (an id
/// already known is skipped). A multi-row insert with bound values: SQLite took three times
/// as long to read the same rows out of one JSON parameter.
pub async fn insert_many(
    conn: &mut Conn,
    tenant: TenantId,
    rows: &[(TransactionRow, &str)],
) -> sqlx::Result<Vec<String>> {
    let mut inserted = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(INSERT_ROWS) {
        let sql = format!(
            "insert into transactions (tenant_id, transaction_id, occurred_at, bot_name, skill_name, tx_type,
                 fulfillment_type, fulfillment_details, billable, reason, user_name, role, channel, event_id)
             values {} on conflict (tenant_id, transaction_id) do nothing returning transaction_id",
            placeholders(conn, chunk.len(), 14)
        );
        let mut query = sqlx::query_as::<_, (String,)>(&sql);
        for (tx, event_id) in chunk {
            query = query
                .bind(tenant.0)
                .bind(&tx.transaction_id)
                .bind(tx.occurred_at)
                .bind(&tx.bot_name)
                .bind(&tx.skill_name)
                .bind(&tx.tx_type)
                .bind(&tx.fulfillment_type)
                .bind(&tx.fulfillment_details)
                .bind(tx.billable)
                .bind(&tx.reason)
                .bind(&tx.user_name)
                .bind(&tx.role)
                .bind(&tx.channel)
                .bind(*event_id);
        }
        inserted.extend(
            query
                .fetch_all(&mut *conn)
                .await?
                .into_iter()
                .map(|(id,)| id),
        );
    }
    Ok(inserted)
}

/// Transactions in `[from, to)` (epoch ms), oldest first.
pub async fn between(
    conn: &mut Conn,
    tenant: TenantId,
    from: i64,
    to: i64,
) -> sqlx::Result<Vec<TransactionRow>> {
    sqlx::query_as(
        "select transaction_id, occurred_at, bot_name, skill_name, tx_type, fulfillment_type,
                fulfillment_details, cast(billable as integer) as billable, reason, user_name, role, channel
         from transactions where tenant_id = $1 and occurred_at >= $2 and occurred_at < $3
         order by occurred_at, id",
    )
    .bind(tenant.0)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await
}

/// Whether the tenant has any transaction at all.
pub async fn any(conn: &mut Conn, tenant: TenantId) -> sqlx::Result<bool> {
    let found: Option<(i64,)> =
        sqlx::query_as("select id from transactions where tenant_id = $1 limit 1")
            .bind(tenant.0)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(found.is_some())
}
