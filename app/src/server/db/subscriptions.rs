//! A tenant's subscription: license model, contract and alert settings.

use crate::model::TenantId;
use sqlx::FromRow;

use super::Conn;

#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct SubscriptionRow {
    pub license_model: String,
    pub contract_start: String,
    pub contract_end: String,
    pub session_minutes: Option<i32>,
    pub thresholds: String,
    pub contract_notice_days: String,
    #[sqlx(try_from = "super::IntFlag")]
    pub auto_refill: bool,
    pub auto_refill_amount: i64,
    pub auto_refill_percent: i32,
    pub auto_refill_max_per_month: i32,
}

pub async fn upsert(
    conn: &mut Conn,
    tenant: TenantId,
    sub: &SubscriptionRow,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into subscriptions (tenant_id, license_model, contract_start, contract_end,
             session_minutes, thresholds, contract_notice_days, auto_refill, auto_refill_amount,
             auto_refill_percent, auto_refill_max_per_month, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         on conflict (tenant_id) do update set
             license_model = excluded.license_model, contract_start = excluded.contract_start,
             contract_end = excluded.contract_end, session_minutes = excluded.session_minutes,
             thresholds = excluded.thresholds, contract_notice_days = excluded.contract_notice_days,
             auto_refill = excluded.auto_refill, auto_refill_amount = excluded.auto_refill_amount,
             auto_refill_percent = excluded.auto_refill_percent,
             auto_refill_max_per_month = excluded.auto_refill_max_per_month,
             updated_at = excluded.updated_at",
    )
    .bind(tenant.0)
    .bind(&sub.license_model)
    .bind(&sub.contract_start)
    .bind(&sub.contract_end)
    .bind(sub.session_minutes)
    .bind(&sub.thresholds)
    .bind(&sub.contract_notice_days)
    .bind(sub.auto_refill)
    .bind(sub.auto_refill_amount)
    .bind(sub.auto_refill_percent)
    .bind(sub.auto_refill_max_per_month)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn get(conn: &mut Conn, tenant: TenantId) -> sqlx::Result<Option<SubscriptionRow>> {
    sqlx::query_as(
        "select license_model, contract_start, contract_end, session_minutes, thresholds,
                contract_notice_days, cast(auto_refill as integer) as auto_refill, auto_refill_amount, auto_refill_percent,
                auto_refill_max_per_month
         from subscriptions where tenant_id = $1",
    )
    .bind(tenant.0)
    .fetch_optional(&mut *conn)
    .await
}
