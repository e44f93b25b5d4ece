//! The audit log across tenants, for the console: a page at a time, or the whole of what a
//! filter takes as a CSV file streamed a batch at a time.

use bytes::Bytes;
use chrono::NaiveDate;
use tokio::sync::mpsc;

use super::super::db::audit::{self, AuditRow, Filter};
use super::super::db::{Db, tenants};
use super::super::reports::{Cell, CsvChunks};
use super::super::{language, zone};
use super::exports::Export;
use crate::domain::diff::changes;
use crate::error::AppError;
use crate::model::audit::{AuditEntry, AuditPage, AuditQuery};
use crate::model::{Locale, TenantId};

/// Changes per page.
const PAGE: i64 = 25;
/// Changes read per query of a download.
const BATCH: i64 = 1_000;

pub const AUDIT_HEADER: [&str; 6] = [
    "Time (UTC)",
    "Tenant",
    "Actor",
    "Action",
    "Reason",
    "Changes",
];

/// A super administrator's look at a tenant's own page (`page`), viewing it as the tenant.
pub async fn visited(db: &Db, tenant: TenantId, actor: &str, page: &str) -> Result<(), AppError> {
    let change = audit::Change::new(
        Some(tenant),
        actor,
        "tenant.view",
        super::super::db::now_ms(),
    )
    .after(serde_json::json!({ "page": page }));
    audit::record(&mut *db.conn().await?, &change).await?;
    Ok(())
}

fn day(text: &str) -> Result<Option<NaiveDate>, AppError> {
    match text.trim() {
        "" => Ok(None),
        day => NaiveDate::parse_from_str(day, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| AppError::Invalid(format!("`{day}` is not a date (YYYY-MM-DD)."))),
    }
}

/// A range of UTC days (both included, either open) as epoch ms: from the first day's start to
/// the day after the last. Refused when a day is not YYYY-MM-DD or the range is reversed.
pub fn utc_days(from: &str, to: &str) -> Result<(Option<i64>, Option<i64>), AppError> {
    let (from, to) = (day(from)?, day(to)?);
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        return Err(AppError::Invalid("The range ends before it starts.".into()));
    }
    Ok((
        from.map(|d| zone::day_start_ms(chrono_tz::UTC, d)),
        to.map(|d| zone::day_start_ms(chrono_tz::UTC, d + chrono::Days::new(1))),
    ))
}

/// What the query asks for as a database filter; `None` when it can match nothing (a tenant
/// that does not exist). Dates are UTC days, both included.
async fn filter(db: &Db, query: &AuditQuery) -> Result<Option<Filter>, AppError> {
    let text = |value: &str| Some(value.trim().to_string()).filter(|v| !v.is_empty());
    let (from, until) = utc_days(&query.from, &query.to)?;
    let mut filter = Filter {
        actor: text(&query.actor),
        action: text(&query.action),
        from,
        until,
        tenant: None,
    };
    if let Some(slug) = text(&query.tenant) {
        match tenants::by_slug(&mut *db.conn().await?, &slug).await? {
            Some(row) => filter.tenant = Some(row.tenant_id()),
            None => return Ok(None),
        }
    }
    Ok(Some(filter))
}

fn entry(row: AuditRow, locale: Locale) -> AuditEntry {
    let json = |text: &Option<String>| text.as_deref().and_then(|t| serde_json::from_str(t).ok());
    let (before, after) = (json(&row.before_json), json(&row.after_json));
    AuditEntry {
        id: row.id,
        at: language::date_time(locale, chrono_tz::UTC, row.at),
        tenant: row.slug,
        actor: row.actor,
        action: row.action,
        reason: row.reason,
        changes: changes(before.as_ref(), after.as_ref()),
    }
}

/// A page of the log as the query asks, newest first.
pub async fn page(db: &Db, query: &AuditQuery, locale: Locale) -> Result<AuditPage, AppError> {
    let Some(filter) = filter(db, query).await? else {
        return Ok(AuditPage::empty());
    };
    let before = query.before.trim().parse().ok();
    let rows = audit::page(&mut *db.conn().await?, &filter, before, PAGE + 1).await?;
    let next = (rows.len() as i64 > PAGE).then(|| rows[PAGE as usize - 1].id);
    Ok(AuditPage {
        entries: rows
            .into_iter()
            .take(PAGE as usize)
            .map(|row| entry(row, locale))
            .collect(),
        next,
    })
}

/// `audit.csv`: every change the query's filters take, newest first, one line each, its
/// changes written as the page writes them. Read `BATCH` rows at a time while the previous
/// batch is sent.
pub async fn csv(db: &Db, query: &AuditQuery) -> Result<Export, AppError> {
    let filter = filter(db, query).await?;
    let db = db.clone();
    let (tx, chunks) = mpsc::channel(4);
    tokio::spawn(async move {
        if let Err(error) = write(&db, filter, &tx).await {
            tracing::error!(%error, "audit log export failed");
            let _ = tx.send(Err(std::io::Error::other(error))).await;
        }
    });
    Ok(Export {
        filename: "tally-audit-log.csv".into(),
        chunks,
    })
}

type Sender = mpsc::Sender<Result<Bytes, std::io::Error>>;

async fn write(db: &Db, filter: Option<Filter>, tx: &Sender) -> Result<(), String> {
    let mut csv = CsvChunks::new(&AUDIT_HEADER).map_err(|e| e.to_string())?;
    let mut before = None;
    while let Some(filter) = &filter {
        let mut conn = db.conn().await.map_err(|e| e.to_string())?;
        let rows = audit::page(&mut conn, filter, before, BATCH)
            .await
            .map_err(|e| e.to_string())?;
        drop(conn);
        before = rows.last().map(|row| row.id);
        let full = rows.len() as i64 == BATCH;
        for row in rows {
            let at = row.at;
            let entry = entry(row, Locale::En);
            let lines: Vec<String> = entry.changes.iter().map(|c| c.line()).collect();
            let cells = [
                Cell::time(chrono_tz::UTC, at),
                Cell::text(entry.tenant.as_deref().unwrap_or("")),
                Cell::text(&entry.actor),
                Cell::text(&entry.action),
                Cell::text(&entry.reason),
                Cell::owned(lines.join("; ")),
            ];
            if let Some(chunk) = csv.push(&cells).map_err(|e| e.to_string())?
                && tx.send(Ok(chunk)).await.is_err()
            {
                return Ok(());
            }
        }
        if !full {
            break;
        }
    }
    let last = csv.take().map_err(|e| e.to_string())?;
    let _ = tx.send(Ok(last)).await;
    Ok(())
}
