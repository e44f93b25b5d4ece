//! License pools, their counters, and the refill ledger that is the only writer of `purchased`.

use crate::model::TenantId;
use sqlx::FromRow;

use super::Conn;

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct PoolRow {
    pub id: i64,
    pub pool_key: String,
    pub enforcement: String,
    pub purchased: i64,
    pub consumed: i64,
    pub alerted_percent: i32,
    /// The refill that last re-armed the thresholds (0: none): the alert cycle.
    pub alert_cycle: i64,
}

impl PoolRow {
    /// The counters as a person reads them.
    pub fn usage(&self) -> crate::domain::usage::Usage {
        crate::domain::usage::Usage {
            purchased: self.purchased,
            consumed: self.consumed,
        }
    }
}

const COLUMNS: &str =
    "id, pool_key, enforcement, purchased, consumed, alerted_percent, alert_cycle";

/// Creates the pool if the tenant does not hold it yet; returns its id either way.
pub async fn ensure(
    conn: &mut Conn,
    tenant: TenantId,
    key: &str,
    enforcement: &str,
    now: i64,
) -> sqlx::Result<i64> {
    sqlx::query(
        "insert into pools (tenant_id, pool_key, enforcement, created_at) values ($1, $2, $3, $4)
         on conflict (tenant_id, pool_key) do nothing",
    )
    .bind(tenant.0)
    .bind(key)
    .bind(enforcement)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let (id,): (i64,) =
        sqlx::query_as("select id from pools where tenant_id = $1 and pool_key = $2")
            .bind(tenant.0)
            .bind(key)
            .fetch_one(&mut *conn)
            .await?;
    Ok(id)
}

/// Sets how a pool of the tenant enforces its purchase (`hard` or `soft`).
pub async fn set_enforcement(
    conn: &mut Conn,
    tenant: TenantId,
    key: &str,
    enforcement: &str,
) -> sqlx::Result<()> {
    sqlx::query("update pools set enforcement = $3 where tenant_id = $1 and pool_key = $2")
        .bind(tenant.0)
        .bind(key)
        .bind(enforcement)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn list(conn: &mut Conn, tenant: TenantId) -> sqlx::Result<Vec<PoolRow>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from pools where tenant_id = $1 order by id"
    ))
    .bind(tenant.0)
    .fetch_all(&mut *conn)
    .await
}

pub async fn by_key(conn: &mut Conn, tenant: TenantId, key: &str) -> sqlx::Result<Option<PoolRow>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from pools where tenant_id = $1 and pool_key = $2"
    ))
    .bind(tenant.0)
    .bind(key)
    .fetch_optional(&mut *conn)
    .await
}

/// Adds `delta` (negative to free licenses) to a pool's consumed counter; `None` when the
/// tenant holds no such pool.
pub async fn add_consumed(
    conn: &mut Conn,
    tenant: TenantId,
    key: &str,
    delta: i64,
) -> sqlx::Result<Option<PoolRow>> {
    sqlx::query_as(&format!(
        "update pools set consumed = consumed + $3 where tenant_id = $1 and pool_key = $2 returning {COLUMNS}"
    ))
    .bind(tenant.0)
    .bind(key)
    .bind(delta)
    .fetch_optional(&mut *conn)
    .await
}

/// A change of purchased licenses, as the ledger keeps it.
#[derive(Debug, Clone)]
pub struct Refill<'a> {
    /// `manual` or `auto`.
    pub kind: &'a str,
    pub delta: i64,
    pub actor: &'a str,
    pub note: &'a str,
    pub at: i64,
}

impl<'a> Refill<'a> {
    /// Licenses bought (or, negative, given back) by `actor` at `at`, without a note.
    pub fn manual(delta: i64, actor: &'a str, at: i64) -> Self {
        Self {
            kind: "manual",
            delta,
            actor,
            note: "",
            at,
        }
    }
}

/// A refill as recorded: its ledger row and the pool's counters after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded {
    pub refill_id: i64,
    pub purchased: i64,
    pub consumed: i64,
    pub alerted_percent: i32,
}

/// Appends a ledger row and moves `purchased` of the tenant's pool `pool_id` by the same
/// amount; `None` when the tenant holds no such pool.
pub async fn record_refill(
    conn: &mut Conn,
    tenant: TenantId,
    pool_id: i64,
    refill: &Refill<'_>,
) -> sqlx::Result<Option<Recorded>> {
    let after: Option<(i64, i64, i32)> = sqlx::query_as(
        "update pools set purchased = purchased + $3 where tenant_id = $1 and id = $2
         returning purchased, consumed, alerted_percent",
    )
    .bind(tenant.0)
    .bind(pool_id)
    .bind(refill.delta)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((purchased, consumed, alerted_percent)) = after else {
        return Ok(None);
    };
    let (refill_id,): (i64,) = sqlx::query_as(
        "insert into refills (tenant_id, pool_id, refilled_at, kind, delta, total_after, actor, note)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
    )
    .bind(tenant.0)
    .bind(pool_id)
    .bind(refill.at)
    .bind(refill.kind)
    .bind(refill.delta)
    .bind(purchased)
    .bind(refill.actor)
    .bind(refill.note)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Some(Recorded {
        refill_id,
        purchased,
        consumed,
        alerted_percent,
    }))
}

/// Announces threshold `percent` for the pool unless this cycle announced it (or a higher
/// one) already: true for the one caller, of any instance, that moved the latch.
pub async fn latch(conn: &mut Conn, pool_id: i64, percent: u32) -> sqlx::Result<bool> {
    let done =
        sqlx::query("update pools set alerted_percent = $2 where id = $1 and alerted_percent < $2")
            .bind(pool_id)
            .bind(i64::from(percent))
            .execute(&mut *conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Re-arms the thresholds above `percent` after refill `refill_id`, which starts a new cycle.
pub async fn rearm(
    conn: &mut Conn,
    pool_id: i64,
    percent: u32,
    refill_id: i64,
) -> sqlx::Result<()> {
    sqlx::query("update pools set alerted_percent = $2, alert_cycle = $3 where id = $1")
        .bind(pool_id)
        .bind(i64::from(percent))
        .bind(refill_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct RefillRow {
    pub refilled_at: i64,
    pub pool_key: String,
    pub kind: String,
    pub delta: i64,
    pub total_after: i64,
    pub actor: String,
    pub note: String,
}

/// The License Purchase History, newest first.
pub async fn refills(conn: &mut Conn, tenant: TenantId) -> sqlx::Result<Vec<RefillRow>> {
    newest_refills(conn, tenant, i64::MAX).await
}

/// The newest `limit` rows of the License Purchase History, newest first.
pub async fn newest_refills(
    conn: &mut Conn,
    tenant: TenantId,
    limit: i64,
) -> sqlx::Result<Vec<RefillRow>> {
    sqlx::query_as(
        "select r.refilled_at, p.pool_key, r.kind, r.delta, r.total_after, r.actor, r.note
         from refills r join pools p on p.id = r.pool_id
         where r.tenant_id = $1 order by r.refilled_at desc, r.id desc limit $2",
    )
    .bind(tenant.0)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await
}

/// The ledger's sum per pool; equal to `purchased` unless something bypassed the ledger.
pub async fn ledger_total(conn: &mut Conn, tenant: TenantId, pool_id: i64) -> sqlx::Result<i64> {
    let (total,): (i64,) = sqlx::query_as(
        "select cast(coalesce(sum(delta), 0) as bigint) from refills where tenant_id = $1 and pool_id = $2",
    )
    .bind(tenant.0)
    .bind(pool_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(total)
}

/// The pool's latest ledger row, if any: a forecast is announced once per refill cycle.
pub async fn last_refill(conn: &mut Conn, pool_id: i64) -> sqlx::Result<Option<i64>> {
    let (id,): (Option<i64>,) = sqlx::query_as("select max(id) from refills where pool_id = $1")
        .bind(pool_id)
        .fetch_one(&mut *conn)
        .await?;
    Ok(id)
}

/// Automatic refills of a pool in `[from, to)` (epoch ms): the monthly cap counts them.
pub async fn auto_refills_between(
    conn: &mut Conn,
    tenant: TenantId,
    pool_id: i64,
    from: i64,
    to: i64,
) -> sqlx::Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "select count(*) from refills
         where tenant_id = $1 and pool_id = $2 and kind = 'auto' and refilled_at >= $3 and refilled_at < $4",
    )
    .bind(tenant.0)
    .bind(pool_id)
    .bind(from)
    .bind(to)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n)
}

/// Locks every pool of the tenant until the transaction ends, so concurrent batches of one
/// tenant apply one after the other. Postgres locks the rows in id order (no deadlock between
/// two batches); SQLite's `begin immediate` already holds the only write lock.
pub async fn lock_all(conn: &mut Conn, tenant: TenantId) -> sqlx::Result<()> {
    if conn.backend_name() == "SQLite" {
        return Ok(());
    }
    sqlx::query("select id from pools where tenant_id = $1 order by id for update")
        .bind(tenant.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
