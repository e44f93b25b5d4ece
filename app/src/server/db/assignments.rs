//! Assignments in Nimbus-style pools: consumed is the number of open assignments.

use super::Conn;
use crate::model::TenantId;

/// Opens an assignment; `false` when the assignee already holds one in this pool.
pub async fn assign(
    conn: &mut Conn,
    tenant: TenantId,
    pool_id: i64,
    assignee_id: &str,
    assignee_name: &str,
    at: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "insert into pool_assignments (tenant_id, pool_id, assignee_id, assignee_name, assigned_at)
         values ($1, $2, $3, $4, $5)
         on conflict (pool_id, assignee_id) where released_at is null do nothing",
    )
    .bind(tenant.0)
    .bind(pool_id)
    .bind(assignee_id)
    .bind(assignee_name)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Closes an assignment; `false` when there was none open.
pub async fn release(
    conn: &mut Conn,
    tenant: TenantId,
    pool_id: i64,
    assignee_id: &str,
    at: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "update pool_assignments set released_at = $4
         where tenant_id = $1 and pool_id = $2 and assignee_id = $3 and released_at is null",
    )
    .bind(tenant.0)
    .bind(pool_id)
    .bind(assignee_id)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Open assignments in a pool.
pub async fn open_count(conn: &mut Conn, tenant: TenantId, pool_id: i64) -> sqlx::Result<i64> {
    let (count,): (i64,) = sqlx::query_as(
        "select count(*) from pool_assignments where tenant_id = $1 and pool_id = $2 and released_at is null",
    )
    .bind(tenant.0)
    .bind(pool_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(count)
}

/// Who holds a license of the pool now.
pub async fn holders(conn: &mut Conn, tenant: TenantId, pool_id: i64) -> sqlx::Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "select assignee_id from pool_assignments where tenant_id = $1 and pool_id = $2 and released_at is null",
    )
    .bind(tenant.0)
    .bind(pool_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}
