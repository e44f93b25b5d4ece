//! Tenants and their state history.

use sqlx::FromRow;

use super::Conn;
use crate::model::{Locale, TenantId, TenantState};

#[derive(Debug, Clone, FromRow)]
pub struct TenantRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub state: String,
    pub time_zone: String,
    pub locale: String,
}

impl TenantRow {
    pub fn tenant_id(&self) -> TenantId {
        TenantId(self.id)
    }

    /// The stored state; the schema's check constraint keeps it one of the known values.
    pub fn state(&self) -> TenantState {
        self.state.parse().unwrap_or(TenantState::Suspended)
    }
}

/// A tenant to create.
#[derive(Debug, Clone)]
pub struct NewTenant<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub state: TenantState,
    pub time_zone: &'a str,
    pub locale: Locale,
}

pub async fn insert(conn: &mut Conn, tenant: &NewTenant<'_>, now: i64) -> sqlx::Result<TenantId> {
    let (id,): (i64,) = sqlx::query_as(
        "insert into tenants (slug, name, state, time_zone, locale, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $6) returning id",
    )
    .bind(tenant.slug)
    .bind(tenant.name)
    .bind(tenant.state.as_str())
    .bind(tenant.time_zone)
    .bind(tenant.locale.as_str())
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(TenantId(id))
}

const COLUMNS: &str = "id, slug, name, state, time_zone, locale";
/// The same columns of `tenants t`, for a join.
pub(super) const COLUMNS_OF_T: &str = "t.id, t.slug, t.name, t.state, t.time_zone, t.locale";

pub async fn get(conn: &mut Conn, tenant: TenantId) -> sqlx::Result<Option<TenantRow>> {
    sqlx::query_as(&format!("select {COLUMNS} from tenants where id = $1"))
        .bind(tenant.0)
        .fetch_optional(&mut *conn)
        .await
}

pub async fn by_slug(conn: &mut Conn, slug: &str) -> sqlx::Result<Option<TenantRow>> {
    sqlx::query_as(&format!("select {COLUMNS} from tenants where slug = $1"))
        .bind(slug)
        .fetch_optional(&mut *conn)
        .await
}

pub async fn list(conn: &mut Conn) -> sqlx::Result<Vec<TenantRow>> {
    sqlx::query_as(&format!("select {COLUMNS} from tenants order by name, id"))
        .fetch_all(&mut *conn)
        .await
}

/// Moves a tenant to `to` and records the change; returns the state it left.
pub async fn set_state(
    conn: &mut Conn,
    tenant: TenantId,
    to: TenantState,
    reason: &str,
    actor: &str,
    now: i64,
) -> sqlx::Result<Option<String>> {
    let from: Option<(String,)> = sqlx::query_as("select state from tenants where id = $1")
        .bind(tenant.0)
        .fetch_optional(&mut *conn)
        .await?;
    let Some((from,)) = from else { return Ok(None) };
    sqlx::query("update tenants set state = $2, updated_at = $3 where id = $1")
        .bind(tenant.0)
        .bind(to.as_str())
        .bind(now)
        .execute(&mut *conn)
        .await?;
    record_state_change(conn, tenant, Some(&from), to, reason, actor, now).await?;
    Ok(Some(from))
}

pub async fn record_state_change(
    conn: &mut Conn,
    tenant: TenantId,
    from: Option<&str>,
    to: TenantState,
    reason: &str,
    actor: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into tenant_state_changes (tenant_id, from_state, to_state, reason, changed_by, changed_at)
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(tenant.0)
    .bind(from)
    .bind(to.as_str())
    .bind(reason)
    .bind(actor)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Deletes every tenant and everything that hangs off them (the schema cascades).
pub async fn delete_all(conn: &mut Conn) -> sqlx::Result<()> {
    sqlx::query("delete from tenants")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Tenants still open for usage whose contract ended before `today` (ISO date).
pub async fn ended_contracts(conn: &mut Conn, today: &str) -> sqlx::Result<Vec<TenantRow>> {
    sqlx::query_as(
        "select t.id, t.slug, t.name, t.state, t.time_zone, t.locale
         from tenants t join subscriptions s on s.tenant_id = t.id
         where s.contract_end < $1 and t.state in ('active', 'trial', 'lab')
         order by t.id",
    )
    .bind(today)
    .fetch_all(&mut *conn)
    .await
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct StateChangeRow {
    pub from_state: Option<String>,
    pub to_state: String,
    pub reason: String,
    pub changed_by: String,
    pub changed_at: i64,
}

/// The tenant's state history, newest first.
pub async fn state_changes(conn: &mut Conn, tenant: TenantId) -> sqlx::Result<Vec<StateChangeRow>> {
    sqlx::query_as(
        "select from_state, to_state, reason, changed_by, changed_at from tenant_state_changes
         where tenant_id = $1 order by changed_at desc, id desc",
    )
    .bind(tenant.0)
    .fetch_all(&mut *conn)
    .await
}

/// A tenant as the console's list reads it.
#[derive(Debug, Clone, FromRow)]
pub struct ListedRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub state: String,
    pub time_zone: String,
    pub license_model: String,
    pub contract_start: String,
    pub contract_end: String,
}

/// Which tenants the console lists; `None` takes any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Search {
    /// Part of the name (any case) or of the slug.
    pub text: Option<String>,
    pub state: Option<TenantState>,
    pub model: Option<crate::model::LicenseModel>,
}

/// Up to `limit` tenants the search takes, by slug, after slug `after`.
pub async fn search(
    conn: &mut Conn,
    search: &Search,
    after: Option<&str>,
    limit: i64,
) -> sqlx::Result<Vec<ListedRow>> {
    let pattern = search.text.as_deref().map(|text| {
        let escaped = text
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        format!("%{escaped}%")
    });
    sqlx::query_as(
        "select t.id, t.slug, t.name, t.state, t.time_zone, s.license_model, s.contract_start,
                s.contract_end
         from tenants t join subscriptions s on s.tenant_id = t.id
         where ($1 is null or lower(t.name) like $1 escape '\\' or t.slug like $1 escape '\\')
           and ($2 is null or t.state = $2) and ($3 is null or s.license_model = $3)
           and ($4 is null or t.slug > $4)
         order by t.slug limit $5",
    )
    .bind(pattern)
    .bind(search.state.map(TenantState::as_str))
    .bind(search.model.map(crate::model::LicenseModel::as_str))
    .bind(after)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await
}
