//! Technical and billing contact emails.

use super::Conn;
use crate::model::TenantId;

/// Which list an address belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactKind {
    Technical,
    Billing,
}

impl ContactKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Technical => "technical",
            Self::Billing => "billing",
        }
    }
}

/// The addresses of one list, in the order they were entered.
pub async fn list(
    conn: &mut Conn,
    tenant: TenantId,
    kind: ContactKind,
) -> sqlx::Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "select email from contacts where tenant_id = $1 and kind = $2 order by position",
    )
    .bind(tenant.0)
    .bind(kind.as_str())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(email,)| email).collect())
}

/// Both lists, technical then billing, each in the order it was entered: one query.
pub async fn both(conn: &mut Conn, tenant: TenantId) -> sqlx::Result<(Vec<String>, Vec<String>)> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("select kind, email from contacts where tenant_id = $1 order by position")
            .bind(tenant.0)
            .fetch_all(&mut *conn)
            .await?;
    let (mut technical, mut billing) = (Vec::new(), Vec::new());
    for (kind, email) in rows {
        if kind == ContactKind::Technical.as_str() {
            technical.push(email);
        } else if kind == ContactKind::Billing.as_str() {
            billing.push(email);
        }
    }
    Ok((technical, billing))
}

/// Replaces a list with `emails` (already validated and deduplicated by the caller).
pub async fn replace(
    conn: &mut Conn,
    tenant: TenantId,
    kind: ContactKind,
    emails: &[String],
) -> sqlx::Result<()> {
    sqlx::query("delete from contacts where tenant_id = $1 and kind = $2")
        .bind(tenant.0)
        .bind(kind.as_str())
        .execute(&mut *conn)
        .await?;
    for (position, email) in emails.iter().enumerate() {
        sqlx::query(
            "insert into contacts (tenant_id, kind, email, position) values ($1, $2, $3, $4)",
        )
        .bind(tenant.0)
        .bind(kind.as_str())
        .bind(email)
        .bind(position as i64)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
