//! Recording usage. Every function runs inside the caller's transaction and moves the pool
//! counter in that same transaction, so a counter never disagrees with the rows behind it.

use super::super::db::{
    Conn, assignments, conversations, pools, pools::PoolRow, transactions, usage_sessions,
    user_licenses,
};
use crate::domain::consumption::session_licenses;
use crate::model::TenantId;

/// The main pool of user-based tenants.
pub const USER_POOL: &str = "user_licenses";
/// The main pool of session-based tenants.
pub const SESSION_POOL: &str = "session_licenses";

/// Allocates a user license; the pool row after, or `None` when the user already held one.
pub async fn assign_user_license(
    conn: &mut Conn,
    tenant: TenantId,
    user: &user_licenses::LicensedUser<'_>,
    at: i64,
) -> sqlx::Result<Option<PoolRow>> {
    if !user_licenses::allocate(conn, tenant, user, at).await? {
        return Ok(None);
    }
    pools::add_consumed(conn, tenant, USER_POOL, 1).await
}

/// Releases a user's license, freeing the seat.
pub async fn release_user_license(
    conn: &mut Conn,
    tenant: TenantId,
    user_id: &str,
    at: i64,
) -> sqlx::Result<Option<PoolRow>> {
    if !user_licenses::release(conn, tenant, user_id, at).await? {
        return Ok(None);
    }
    pools::add_consumed(conn, tenant, USER_POOL, -1).await
}

/// A started session consumes its first license at once.
pub async fn start_session(
    conn: &mut Conn,
    tenant: TenantId,
    session: &usage_sessions::NewSession<'_>,
    at: i64,
) -> sqlx::Result<Option<PoolRow>> {
    if !usage_sessions::start(conn, tenant, session, at).await? {
        return Ok(None);
    }
    pools::add_consumed(conn, tenant, SESSION_POOL, 1).await
}

/// An ended session consumes one license per started session-duration window.
pub async fn end_session(
    conn: &mut Conn,
    tenant: TenantId,
    session_id: &str,
    at: i64,
    window_minutes: i32,
) -> sqlx::Result<Option<PoolRow>> {
    let Some((started_at, held)) = usage_sessions::open_session(conn, tenant, session_id).await?
    else {
        return Ok(None);
    };
    let licenses = session_licenses(at - started_at, window_minutes);
    usage_sessions::close(conn, tenant, session_id, at, licenses).await?;
    pools::add_consumed(conn, tenant, SESSION_POOL, licenses - held).await
}

/// Stores a conversation; conversations consume nothing by themselves.
pub async fn record_conversation(
    conn: &mut Conn,
    tenant: TenantId,
    conversation: &conversations::NewConversation<'_>,
    messages: &[conversations::MessageRow],
) -> sqlx::Result<bool> {
    conversations::insert(conn, tenant, conversation, messages).await
}

/// The pool a transaction type draws from.
pub fn transaction_pool(tx_type: &str) -> &'static str {
    if tx_type == "workflow" {
        "workflow_transactions"
    } else {
        "conversation_transactions"
    }
}

/// Stores a transaction; a billable one consumes one license of its type's pool.
pub async fn record_transaction(
    conn: &mut Conn,
    tenant: TenantId,
    tx: &transactions::TransactionRow,
    event_id: Option<&str>,
) -> sqlx::Result<Option<PoolRow>> {
    if !transactions::insert(conn, tenant, tx, event_id).await? || !tx.billable {
        return Ok(None);
    }
    pools::add_consumed(conn, tenant, transaction_pool(&tx.tx_type), 1).await
}

/// Assigns a license of an assignment pool; `None` when the tenant holds no such pool or the
/// assignee already holds one.
pub async fn assign_pool_license(
    conn: &mut Conn,
    tenant: TenantId,
    pool_key: &str,
    assignee_id: &str,
    assignee_name: &str,
    at: i64,
) -> sqlx::Result<Option<PoolRow>> {
    let Some(pool) = pools::by_key(conn, tenant, pool_key).await? else {
        return Ok(None);
    };
    if !assignments::assign(conn, tenant, pool.id, assignee_id, assignee_name, at).await? {
        return Ok(None);
    }
    pools::add_consumed(conn, tenant, pool_key, 1).await
}

/// Releases an assignment, freeing the license.
pub async fn release_pool_license(
    conn: &mut Conn,
    tenant: TenantId,
    pool_key: &str,
    assignee_id: &str,
    at: i64,
) -> sqlx::Result<Option<PoolRow>> {
    let Some(pool) = pools::by_key(conn, tenant, pool_key).await? else {
        return Ok(None);
    };
    if !assignments::release(conn, tenant, pool.id, assignee_id, at).await? {
        return Ok(None);
    }
    pools::add_consumed(conn, tenant, pool_key, -1).await
}

/// A change of purchased licenses asked for by a person or the auto-refill job.
#[derive(Debug, Clone)]
pub struct RefillRequest<'a> {
    pub pool_key: &'a str,
    pub kind: &'a str,
    pub delta: i64,
    pub actor: &'a str,
    pub note: &'a str,
    pub at: i64,
}

/// Adds (or with a negative `delta` removes) purchased licenses through the ledger; the total
/// after, or `None` when the tenant holds no such pool.
pub async fn refill(
    conn: &mut Conn,
    tenant: TenantId,
    request: &RefillRequest<'_>,
) -> sqlx::Result<Option<i64>> {
    let Some(pool) = pools::by_key(conn, tenant, request.pool_key).await? else {
        return Ok(None);
    };
    let refill = pools::Refill {
        pool_id: pool.id,
        kind: request.kind,
        delta: request.delta,
        actor: request.actor,
        note: request.note,
        at: request.at,
    };
    pools::record_refill(conn, tenant, &refill).await
}
