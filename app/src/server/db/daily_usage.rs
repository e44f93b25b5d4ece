//! Net licenses consumed per pool per day (the tenant's calendar), for the consumption chart.

use super::{Conn, json_rows};
use crate::model::TenantId;

/// Adds `(pool id, day, licenses)` amounts to the days' totals.
pub async fn add_many(
    conn: &mut Conn,
    tenant: TenantId,
    rows: &[(i64, String, i64)],
) -> sqlx::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let json: Vec<serde_json::Value> = rows
        .iter()
        .map(|(pool, day, consumed)| serde_json::json!([pool, day, consumed]))
        .collect();
    let sql = format!(
        "insert into daily_usage (tenant_id, pool_id, day, consumed)
         select $2, cast(value->>0 as bigint), value->>1, cast(value->>2 as bigint)
         from {} where true
         on conflict (tenant_id, pool_id, day) do update set consumed = daily_usage.consumed + excluded.consumed",
        json_rows(conn)
    );
    sqlx::query(&sql)
        .bind(serde_json::Value::Array(json).to_string())
        .bind(tenant.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// `(day, licenses)` of one pool from `from` to `to` (ISO days, both included), in day order.
pub async fn between(
    conn: &mut Conn,
    tenant: TenantId,
    pool_id: i64,
    from: &str,
    to: &str,
) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query_as(
        "select day, consumed from daily_usage
         where tenant_id = $1 and pool_id = $2 and day >= $3 and day <= $4 order by day",
    )
    .bind(tenant.0)
    .bind(pool_id)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await
}

/// `(pool id, day, licenses)` of every pool from `from` to `to` (ISO days, both included), in
/// day order.
pub async fn all_between(
    conn: &mut Conn,
    tenant: TenantId,
    from: &str,
    to: &str,
) -> sqlx::Result<Vec<(i64, String, i64)>> {
    sqlx::query_as(
        "select pool_id, day, consumed from daily_usage
         where tenant_id = $1 and day >= $2 and day <= $3 order by day",
    )
    .bind(tenant.0)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await
}
