//! A tenant's subscription: license model, contract and alert settings.

use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

use super::tenants::TenantRow;
use super::{Conn, parsed};
use crate::model::subscription::{NoticeDays, Thresholds};
use crate::model::{LicenseModel, TenantId};

/// A subscription, its values read and checked once: a stored value that does not read is an
/// error, never a silent default.
#[derive(Debug, Clone, PartialEq)]
pub struct SubscriptionRow {
    pub license_model: LicenseModel,
    pub contract_start: NaiveDate,
    pub contract_end: NaiveDate,
    pub session_minutes: Option<i32>,
    pub thresholds: Thresholds,
    pub contract_notice_days: NoticeDays,
    pub auto_refill: bool,
    pub auto_refill_amount: i64,
    pub auto_refill_percent: i32,
    pub auto_refill_max_per_month: i32,
}

impl<'r> FromRow<'r, AnyRow> for SubscriptionRow {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(Self {
            license_model: parsed(row, "license_model")?,
            contract_start: parsed(row, "contract_start")?,
            contract_end: parsed(row, "contract_end")?,
            session_minutes: row.try_get("session_minutes")?,
            thresholds: parsed(row, "thresholds")?,
            contract_notice_days: parsed(row, "contract_notice_days")?,
            auto_refill: row.try_get::<i64, _>("auto_refill")? != 0,
            auto_refill_amount: row.try_get("auto_refill_amount")?,
            auto_refill_percent: row.try_get("auto_refill_percent")?,
            auto_refill_max_per_month: row.try_get("auto_refill_max_per_month")?,
        })
    }
}

impl SubscriptionRow {
    /// A contract of `model` from `start` to `end` with the default alert settings, a
    /// 30-minute session window for session-based licensing, and no auto-refill.
    pub fn new(model: LicenseModel, start: NaiveDate, end: NaiveDate) -> Self {
        Self {
            license_model: model,
            contract_start: start,
            contract_end: end,
            session_minutes: (model == LicenseModel::SessionBased).then_some(30),
            thresholds: Thresholds::default(),
            contract_notice_days: NoticeDays::default(),
            auto_refill: false,
            auto_refill_amount: 0,
            auto_refill_percent: 95,
            auto_refill_max_per_month: 1,
        }
    }

    /// Refills `amount` licenses when usage reaches 95%, at most once a month.
    pub fn with_auto_refill(self, amount: i64) -> Self {
        Self {
            auto_refill: true,
            auto_refill_amount: amount,
            ..self
        }
    }
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
    .bind(sub.license_model.as_str())
    .bind(sub.contract_start.to_string())
    .bind(sub.contract_end.to_string())
    .bind(sub.session_minutes)
    .bind(sub.thresholds.to_string())
    .bind(sub.contract_notice_days.to_string())
    .bind(sub.auto_refill)
    .bind(sub.auto_refill_amount)
    .bind(sub.auto_refill_percent)
    .bind(sub.auto_refill_max_per_month)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The columns `SubscriptionRow` reads, as `s.…` of the subscriptions table.
const COLUMNS: &str = "s.license_model, s.contract_start, s.contract_end, s.session_minutes, \
    s.thresholds, s.contract_notice_days, cast(s.auto_refill as integer) as auto_refill, \
    s.auto_refill_amount, s.auto_refill_percent, s.auto_refill_max_per_month";

pub async fn get(conn: &mut Conn, tenant: TenantId) -> sqlx::Result<Option<SubscriptionRow>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from subscriptions s where s.tenant_id = $1"
    ))
    .bind(tenant.0)
    .fetch_optional(&mut *conn)
    .await
}

/// The tenant and its subscription in one query: the Subscription tab and every ingested
/// batch read both, and on Postgres each query is a round trip.
pub async fn with_tenant(
    conn: &mut Conn,
    tenant: TenantId,
) -> sqlx::Result<Option<(TenantRow, SubscriptionRow)>> {
    let row: Option<AnyRow> = sqlx::query(&format!(
        "select {}, {COLUMNS} from tenants t join subscriptions s on s.tenant_id = t.id \
         where t.id = $1",
        super::tenants::COLUMNS_OF_T
    ))
    .bind(tenant.0)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|row| Ok((TenantRow::from_row(&row)?, SubscriptionRow::from_row(&row)?)))
        .transpose()
}
