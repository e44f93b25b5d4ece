//! Conversation and workflow transactions.

use crate::model::TenantId;
use sqlx::FromRow;

use super::{Conn, json_rows};

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

/// Stores a transaction; `false` when its id is already known.
pub async fn insert(
    conn: &mut Conn,
    tenant: TenantId,
    tx: &TransactionRow,
    event_id: Option<&str>,
) -> sqlx::Result<bool> {
    let inserted = sqlx::query(
        "insert into transactions (tenant_id, transaction_id, occurred_at, bot_name, skill_name, tx_type,
             fulfillment_type, fulfillment_details, billable, reason, user_name, role, channel, event_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         on conflict (tenant_id, transaction_id) do nothing",
    )
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
    .bind(event_id)
    .execute(&mut *conn)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// Stores many transactions, each with the event it came from; returns the ids stored (an id
/// already known is skipped).
pub async fn insert_many(
    conn: &mut Conn,
    tenant: TenantId,
    rows: &[(TransactionRow, &str)],
) -> sqlx::Result<Vec<String>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let json: Vec<serde_json::Value> = rows
        .iter()
        .map(|(tx, event_id)| {
            serde_json::json!([
                tx.transaction_id,
                tx.occurred_at,
                tx.bot_name,
                tx.skill_name,
                tx.tx_type,
                tx.fulfillment_type,
                tx.fulfillment_details,
                i32::from(tx.billable),
                tx.reason,
                tx.user_name,
                tx.role,
                tx.channel,
                event_id,
            ])
        })
        .collect();
    let sql = format!(
        "insert into transactions (tenant_id, transaction_id, occurred_at, bot_name, skill_name, tx_type,
             fulfillment_type, fulfillment_details, billable, reason, user_name, role, channel, event_id)
         select $2, value->>0, cast(value->>1 as bigint), value->>2, value->>3, value->>4, value->>5,
                value->>6, cast(value->>7 as boolean), value->>8, value->>9, value->>10, value->>11,
                value->>12
         from {} where true
         on conflict (tenant_id, transaction_id) do nothing returning transaction_id",
        json_rows(conn)
    );
    let inserted: Vec<(String,)> = sqlx::query_as(&sql)
        .bind(serde_json::Value::Array(json).to_string())
        .bind(tenant.0)
        .fetch_all(&mut *conn)
        .await?;
    Ok(inserted.into_iter().map(|(id,)| id).collect())
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
