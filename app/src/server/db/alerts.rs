//! The alert log: one row per alert decided, made unique by its dedup key.

use sqlx::FromRow;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Conn, parsed};
use crate::model::TenantId;
use crate::model::alert::AlertKind;

/// An alert to record.
#[derive(Debug, Clone)]
pub struct NewAlert {
    pub kind: AlertKind,
    pub pool_id: Option<i64>,
    /// Unique per tenant: a second attempt to raise the same alert records nothing.
    pub dedup_key: String,
    pub percent: Option<u32>,
    pub covers: Vec<u32>,
    pub purchased: Option<i64>,
    pub consumed: Option<i64>,
    pub refill_id: Option<i64>,
    pub on_date: Option<String>,
    pub days: Option<u32>,
    pub requested_by: Option<String>,
    pub created_at: i64,
}

impl NewAlert {
    pub fn new(kind: AlertKind, dedup_key: String, created_at: i64) -> Self {
        Self {
            kind,
            pool_id: None,
            dedup_key,
            percent: None,
            covers: Vec::new(),
            purchased: None,
            consumed: None,
            refill_id: None,
            on_date: None,
            days: None,
            requested_by: None,
            created_at,
        }
    }
}

/// Records the alert; its id, or `None` when one with the same key exists (already raised,
/// perhaps by another instance).
pub async fn insert(
    conn: &mut Conn,
    tenant: TenantId,
    alert: &NewAlert,
) -> sqlx::Result<Option<i64>> {
    let covers = alert
        .covers
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let row: Option<(i64,)> = sqlx::query_as(
        "insert into alerts (tenant_id, pool_id, kind, dedup_key, percent, covers, purchased,
             consumed, refill_id, on_date, days, requested_by, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         on conflict (tenant_id, dedup_key) do nothing
         returning id",
    )
    .bind(tenant.0)
    .bind(alert.pool_id)
    .bind(alert.kind.as_str())
    .bind(&alert.dedup_key)
    .bind(alert.percent.map(i64::from))
    .bind(covers)
    .bind(alert.purchased)
    .bind(alert.consumed)
    .bind(alert.refill_id)
    .bind(alert.on_date.as_deref())
    .bind(alert.days.map(i64::from))
    .bind(alert.requested_by.as_deref())
    .bind(alert.created_at)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(id,)| id))
}

/// Whether the tenant raised the alert with this key already.
pub async fn exists(conn: &mut Conn, tenant: TenantId, dedup_key: &str) -> sqlx::Result<bool> {
    let row: Option<(i64,)> =
        sqlx::query_as("select id from alerts where tenant_id = $1 and dedup_key = $2")
            .bind(tenant.0)
            .bind(dedup_key)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.is_some())
}

/// Notes on the pool's threshold alerts above `percent` not yet re-armed that refill
/// `refill_id` re-armed them.
pub async fn mark_rearmed(
    conn: &mut Conn,
    tenant: TenantId,
    pool_id: i64,
    percent: u32,
    refill_id: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "update alerts set rearmed_by = $4
         where tenant_id = $1 and pool_id = $2 and kind = 'threshold' and percent > $3
           and rearmed_by is null",
    )
    .bind(tenant.0)
    .bind(pool_id)
    .bind(i64::from(percent))
    .bind(refill_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// An alert as the log and the emails read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertRow {
    pub id: i64,
    pub tenant_id: i64,
    pub tenant_slug: String,
    pub time_zone: String,
    pub kind: AlertKind,
    pub pool_key: Option<String>,
    pub enforcement: Option<String>,
    pub percent: Option<i32>,
    pub covers: String,
    pub purchased: Option<i64>,
    pub consumed: Option<i64>,
    pub refill_delta: Option<i64>,
    pub rearmed_by: Option<i64>,
    pub on_date: Option<String>,
    pub days: Option<i32>,
    pub created_at: i64,
}

impl<'r> FromRow<'r, AnyRow> for AlertRow {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(Self {
            id: row.try_get("id")?,
            tenant_id: row.try_get("tenant_id")?,
            tenant_slug: row.try_get("slug")?,
            time_zone: row.try_get("time_zone")?,
            kind: parsed(row, "kind")?,
            pool_key: row.try_get("pool_key")?,
            enforcement: row.try_get("enforcement")?,
            percent: row.try_get("percent")?,
            covers: row.try_get("covers")?,
            purchased: row.try_get("purchased")?,
            consumed: row.try_get("consumed")?,
            refill_delta: row.try_get("refill_delta")?,
            rearmed_by: row.try_get("rearmed_by")?,
            on_date: row.try_get("on_date")?,
            days: row.try_get("days")?,
            created_at: row.try_get("created_at")?,
        })
    }
}

const SELECT: &str = "select a.id, a.tenant_id, t.slug, t.time_zone, a.kind, p.pool_key,
        p.enforcement, a.percent, a.covers, a.purchased, a.consumed, r.delta as refill_delta,
        a.rearmed_by, a.on_date, a.days, a.created_at
    from alerts a
    join tenants t on t.id = a.tenant_id
    left join pools p on p.id = a.pool_id
    left join refills r on r.id = a.refill_id";

pub async fn get(conn: &mut Conn, id: i64) -> sqlx::Result<Option<AlertRow>> {
    sqlx::query_as(&format!("{SELECT} where a.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
}

/// Which alerts a page of the log holds; `None` takes any.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Filter {
    pub tenant: Option<TenantId>,
    pub kind: Option<AlertKind>,
    /// Alerts with at least one email in this state.
    pub state: Option<crate::model::alert::DeliveryState>,
    /// Raised at or after (epoch ms).
    pub from: Option<i64>,
    /// Raised before (epoch ms).
    pub until: Option<i64>,
}

/// Up to `limit` alerts the filter takes, newest first, before id `before`.
pub async fn page(
    conn: &mut Conn,
    filter: Filter,
    before: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<AlertRow>> {
    sqlx::query_as(&format!(
        "{SELECT} where ($1 is null or a.tenant_id = $1) and ($2 is null or a.id < $2)
           and ($3 is null or a.kind = $3)
           and ($4 is null or exists (select 1 from outbox o where o.alert_id = a.id and o.state = $4))
           and ($5 is null or a.created_at >= $5) and ($6 is null or a.created_at < $6)
         order by a.id desc limit $7"
    ))
    .bind(filter.tenant.map(|t| t.0))
    .bind(before)
    .bind(filter.kind.map(AlertKind::as_str))
    .bind(filter.state.map(|s| s.as_str()))
    .bind(filter.from)
    .bind(filter.until)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await
}

/// The tenant of an email, and its delivery state.
pub async fn email_owner(conn: &mut Conn, outbox_id: i64) -> sqlx::Result<Option<(i64, String)>> {
    sqlx::query_as("select tenant_id, state from outbox where id = $1")
        .bind(outbox_id)
        .fetch_optional(&mut *conn)
        .await
}

/// When `requested_by` last asked for a test alert of the tenant (epoch ms).
pub async fn last_test(
    conn: &mut Conn,
    tenant: TenantId,
    requested_by: &str,
) -> sqlx::Result<Option<i64>> {
    let (at,): (Option<i64>,) = sqlx::query_as(
        "select max(created_at) from alerts
         where tenant_id = $1 and kind = 'test' and requested_by = $2",
    )
    .bind(tenant.0)
    .bind(requested_by)
    .fetch_one(&mut *conn)
    .await?;
    Ok(at)
}

/// Alerts per kind, across tenants (`/metrics`).
pub async fn count_by_kind(conn: &mut Conn) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as("select kind, count(*) from alerts group by kind order by kind")
        .fetch_all(&mut *conn)
        .await
}

/// The tenant's newest alert: its kind and when it was raised.
pub async fn latest(conn: &mut Conn, tenant: TenantId) -> sqlx::Result<Option<(String, i64)>> {
    sqlx::query_as(
        "select kind, created_at from alerts where tenant_id = $1 order by id desc limit 1",
    )
    .bind(tenant.0)
    .fetch_optional(&mut *conn)
    .await
}
