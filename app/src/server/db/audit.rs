//! The audit log: who changed what, when, why, before and after.

use crate::model::TenantId;
use serde_json::Value;
use sqlx::FromRow;

use super::Conn;

/// One change, as the service that made it describes it.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub tenant: Option<TenantId>,
    /// The administrator's email, or `system`.
    pub actor: &'a str,
    /// `tenant.state`, `pool.refill`, `api_key.revoke`, …
    pub action: &'a str,
    pub reason: &'a str,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub at: i64,
}

impl<'a> Change<'a> {
    /// A change with no reason given and no before/after yet.
    pub fn new(tenant: Option<TenantId>, actor: &'a str, action: &'a str, at: i64) -> Self {
        Self {
            tenant,
            actor,
            action,
            reason: "",
            before: None,
            after: None,
            at,
        }
    }

    pub fn because(self, reason: &'a str) -> Self {
        Self { reason, ..self }
    }

    pub fn before(self, before: Value) -> Self {
        Self {
            before: Some(before),
            ..self
        }
    }

    pub fn after(self, after: Value) -> Self {
        Self {
            after: Some(after),
            ..self
        }
    }
}

/// Writes the change's row, in the caller's transaction: the change and its record commit
/// together or not at all.
pub async fn record(conn: &mut Conn, change: &Change<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "insert into audit_log (tenant_id, actor, action, reason, before_json, after_json, at)
         values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(change.tenant.map(|t| t.0))
    .bind(change.actor)
    .bind(change.action)
    .bind(change.reason)
    .bind(change.before.as_ref().map(Value::to_string))
    .bind(change.after.as_ref().map(Value::to_string))
    .bind(change.at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The tenant's changes, newest first.
pub async fn for_tenant(
    conn: &mut Conn,
    tenant: TenantId,
    limit: i64,
) -> sqlx::Result<Vec<AuditRow>> {
    let filter = Filter {
        tenant: Some(tenant),
        ..Filter::default()
    };
    page(conn, &filter, None, limit).await
}

/// Which changes a page of the log holds; `None` takes any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub tenant: Option<TenantId>,
    pub actor: Option<String>,
    pub action: Option<String>,
    /// Epoch ms, included.
    pub from: Option<i64>,
    /// Epoch ms, excluded.
    pub until: Option<i64>,
}

/// A change as the log lists it, with its tenant's slug.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub slug: Option<String>,
    pub actor: String,
    pub action: String,
    pub reason: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub at: i64,
}

/// Up to `limit` changes the filter takes, newest first, before id `before`.
pub async fn page(
    conn: &mut Conn,
    filter: &Filter,
    before: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<AuditRow>> {
    sqlx::query_as(
        "select a.id, t.slug, a.actor, a.action, a.reason, a.before_json, a.after_json, a.at
         from audit_log a left join tenants t on t.id = a.tenant_id
         where ($1 is null or a.tenant_id = $1) and ($2 is null or a.actor = $2)
           and ($3 is null or a.action = $3) and ($4 is null or a.at >= $4)
           and ($5 is null or a.at < $5) and ($6 is null or a.id < $6)
         order by a.id desc limit $7",
    )
    .bind(filter.tenant.map(|t| t.0))
    .bind(filter.actor.as_deref())
    .bind(filter.action.as_deref())
    .bind(filter.from)
    .bind(filter.until)
    .bind(before)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await
}
