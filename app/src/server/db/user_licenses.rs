//! User licenses: one row per allocation, closed by its release.

use crate::model::TenantId;
use crate::model::event::UserLicenseAssigned;
use sqlx::FromRow;

use super::Conn;

/// Opens an allocation to the person the platform reported; `false` when the user already
/// holds one (nothing changes).
pub async fn allocate(
    conn: &mut Conn,
    tenant: TenantId,
    user: &UserLicenseAssigned,
    at: i64,
) -> sqlx::Result<bool> {
    let inserted = sqlx::query(
        "insert into user_licenses (tenant_id, user_id, user_name, email, first_name, last_name, role, allocated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8)
         on conflict (tenant_id, user_id) where released_at is null do nothing",
    )
    .bind(tenant.0)
    .bind(&user.user_id)
    .bind(&user.user_name)
    .bind(&user.email)
    .bind(&user.first_name)
    .bind(&user.last_name)
    .bind(&user.role)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// Closes the user's open allocation; `false` when there was none.
pub async fn release(
    conn: &mut Conn,
    tenant: TenantId,
    user_id: &str,
    at: i64,
) -> sqlx::Result<bool> {
    let updated = sqlx::query(
        "update user_licenses set released_at = $3
         where tenant_id = $1 and user_id = $2 and released_at is null",
    )
    .bind(tenant.0)
    .bind(user_id)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// Its fields run in the order `history` selects them: downloads read rows as JSON arrays.
#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Deserialize)]
pub struct UserLicenseRow {
    pub id: i64,
    pub user_id: String,
    pub user_name: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: String,
    pub allocated_at: i64,
    pub released_at: Option<i64>,
    pub conversations: i64,
}
