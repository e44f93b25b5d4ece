//! Bulk license assignment from a CSV file: uploaded, previewed row by row with the capacity
//! check, then applied all or nothing through ingestion (as the API's `license.assigned` and
//! `license.released` events), and reported. A file applied twice changes nothing: its rows
//! are already done.

use std::collections::HashMap;

use super::super::db::{self, Db, assignments, audit::Change, bulk_uploads, now_ms, pools};
use super::super::reports::{Cell, CsvChunks};
use super::ingest::{self, IngestError};
use crate::domain::bulk::{PoolState, plan};
use crate::error::AppError;
use crate::model::bulk::{BulkPreview, HEADER};
use crate::model::console::Refusal;
use crate::model::event::{Event, EventBody, PoolLicense};
use crate::model::{Locale, PoolKey, TenantId};

/// The largest file taken.
pub const MAX_BYTES: usize = 1 << 20;

/// What an applied file's rows did, as kept.
#[derive(serde::Serialize, serde::Deserialize)]
struct Applied {
    rows: Vec<crate::model::bulk::BulkRow>,
}

/// Keeps an uploaded file for its preview; its id.
pub async fn upload(
    db: &Db,
    tenant: TenantId,
    administrator: i64,
    content: &str,
) -> Result<i64, AppError> {
    if content.len() > MAX_BYTES {
        return Err(AppError::Refused(Refusal::FileTooLarge));
    }
    let mut conn = db.conn().await?;
    Ok(bulk_uploads::insert(&mut conn, tenant, administrator, content, now_ms()).await?)
}

/// The file's rows after the header, with their line numbers; `None` when the header is not
/// `pool,assignee_id,assignee_name,action` or the file is not CSV.
fn records(content: &str) -> Option<Vec<(u64, Vec<String>)>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(content.trim_start_matches('\u{feff}').as_bytes());
    let mut records = reader.records();
    let header = records.next()?.ok()?;
    if header.iter().map(str::trim).ne(HEADER) {
        return None;
    }
    // Rows are numbered as a spreadsheet shows them: the header is row 1.
    records
        .zip(2..)
        .map(|(record, line)| {
            Some((
                line,
                record.ok()?.iter().map(str::to_string).collect::<Vec<_>>(),
            ))
        })
        .filter(|row| {
            row.as_ref()
                .is_none_or(|(_, fields)| fields.iter().any(|f| !f.trim().is_empty()))
        })
        .collect()
}

/// The upload as previewed now: each row's outcome and the capacity check.
pub async fn preview(
    db: &Db,
    tenant: TenantId,
    upload: i64,
    locale: Locale,
) -> Result<BulkPreview, AppError> {
    let mut conn = db.conn().await?;
    let stored = bulk_uploads::get(&mut conn, tenant, upload)
        .await?
        .ok_or(AppError::NotFound)?;
    let applied = match (stored.applied_at, stored.applied_by) {
        (Some(at), Some(by)) => {
            let zone = super::super::zone::parse("UTC");
            Some((super::super::language::date_time(locale, zone, at), by))
        }
        _ => None,
    };
    // Once applied, the report is what each row did then.
    if let Some(done) = stored
        .report
        .as_deref()
        .and_then(|r| serde_json::from_str::<Applied>(r).ok())
    {
        return Ok(BulkPreview {
            upload,
            bad_header: false,
            rows: done.rows,
            over_capacity: Vec::new(),
            applied,
        });
    }
    let Some(records) = records(&stored.content) else {
        return Ok(BulkPreview {
            upload,
            bad_header: true,
            rows: Vec::new(),
            over_capacity: Vec::new(),
            applied,
        });
    };
    let mut states = HashMap::new();
    for pool in pools::list(&mut conn, tenant).await? {
        let assignable = PoolKey::parse(&pool.pool_key).is_ok_and(|k| k.is_assignment_pool());
        let holders = if assignable {
            assignments::holders(&mut conn, tenant, pool.id)
                .await?
                .into_iter()
                .collect()
        } else {
            Default::default()
        };
        let state = PoolState {
            hard: pool.enforcement == "hard",
            assignable,
            purchased: pool.purchased,
            holders,
        };
        states.insert(pool.pool_key, state);
    }
    let (rows, over_capacity) = plan(records, &states);
    Ok(BulkPreview {
        upload,
        bad_header: false,
        rows,
        over_capacity,
        applied,
    })
}

/// One license assigned or released from the console's single form: a one-row file through
/// the same preview, checks, ingestion and report as any bulk file. Its upload id, and whether
/// it was applied: a row the preview finds wrong is not, and its upload shows why.
pub async fn single(
    db: &Db,
    tenant: TenantId,
    administrator: i64,
    row: [&str; 4],
    reason: &str,
    actor: &str,
) -> Result<(i64, bool), AppError> {
    let [pool, assignee_id, assignee_name, action] = row.map(str::trim);
    if assignee_id.is_empty() || assignee_id.chars().count() > 255 {
        return Err(AppError::Refused(Refusal::AssigneeInvalid));
    }
    if !matches!(action, "assign" | "release") {
        return Err(AppError::Refused(Refusal::ActionInvalid));
    }
    let reason = super::tenants::reason(reason)?;
    let mut file = csv::Writer::from_writer(Vec::new());
    let written = file
        .write_record(HEADER)
        .and_then(|()| file.write_record([pool, assignee_id, assignee_name, action]));
    let content = written
        .and_then(|()| file.into_inner().map_err(|e| e.into_error().into()))
        .map_err(|e| super::super::error::internal("writing a one-row file", &e))?;
    let content = String::from_utf8_lossy(&content);
    let upload = upload(db, tenant, administrator, &content).await?;
    match apply_as(db, tenant, upload, reason, actor, "assignments.single").await {
        Ok(_) => Ok((upload, true)),
        Err(AppError::Refused(Refusal::FileHasErrors)) => Ok((upload, false)),
        Err(error) => Err(error),
    }
}

/// Applies the upload for the reason given, all or nothing: refused while the preview shows
/// any error. Its changing rows go through ingestion in one batch; the rest change nothing.
pub async fn apply(
    db: &Db,
    tenant: TenantId,
    upload: i64,
    reason: &str,
    actor: &str,
) -> Result<BulkPreview, AppError> {
    apply_as(db, tenant, upload, reason, actor, "assignments.bulk").await
}

/// `apply`, audited as `action`.
async fn apply_as(
    db: &Db,
    tenant: TenantId,
    upload: i64,
    reason: &str,
    actor: &str,
    action: &str,
) -> Result<BulkPreview, AppError> {
    let reason = super::tenants::reason(reason)?;
    let preview = preview(db, tenant, upload, Locale::En).await?;
    if preview.applied.is_some() {
        return Ok(preview);
    }
    if preview.errors() > 0 {
        return Err(AppError::Refused(Refusal::FileHasErrors));
    }
    let now = now_ms();
    let at = chrono::DateTime::from_timestamp_millis(now)
        .unwrap_or_default()
        .fixed_offset();
    let events: Vec<Event> = preview
        .rows
        .iter()
        .filter(|row| row.outcome.changes())
        .map(|row| {
            let license = PoolLicense {
                pool: row.pool.clone(),
                assignee_id: row.assignee_id.clone(),
                assignee_name: Some(row.assignee_name.clone()).filter(|n| !n.trim().is_empty()),
            };
            let body = match row.outcome {
                crate::model::bulk::RowOutcome::Assign => EventBody::LicenseAssigned(license),
                _ => EventBody::LicenseReleased(license),
            };
            Event {
                id: format!("bulk-{upload}-{}-{}", row.line, now),
                occurred_at: at,
                body,
            }
        })
        .collect();
    for batch in events.chunks(1000) {
        match ingest::ingest(db, tenant, batch, now).await {
            Ok(_) => {}
            Err(IngestError::Refused(state)) => {
                return Err(AppError::Invalid(
                    state
                        .sign_in_refusal()
                        .unwrap_or("This tenant does not accept usage now.")
                        .into(),
                ));
            }
            Err(IngestError::Store(error)) => return Err(error),
            Err(other) => {
                return Err(super::super::error::internal(
                    "applying a bulk file",
                    &format!("{other:?}"),
                ));
            }
        }
    }
    let mut tx = db.begin().await?;
    let report = serde_json::to_string(&Applied {
        rows: preview.rows.clone(),
    })
    .map_err(|e| super::super::error::internal("keeping a bulk report", &e))?;
    bulk_uploads::mark_applied(&mut tx, upload, actor, &report, now).await?;
    let count = |outcome| preview.rows.iter().filter(|r| r.outcome == outcome).count();
    let mut after = serde_json::json!({
        "file": upload,
        "assigned": count(crate::model::bulk::RowOutcome::Assign),
        "released": count(crate::model::bulk::RowOutcome::Release),
        "unchanged": preview.rows.len() - preview.changes(),
    });
    if let ([row], Some(fields)) = (preview.rows.as_slice(), after.as_object_mut()) {
        fields.insert("pool".into(), row.pool.clone().into());
        fields.insert("assignee_id".into(), row.assignee_id.clone().into());
    }
    let change = Change::new(Some(tenant), actor, action, now)
        .because(reason)
        .after(after);
    db::audit::record(&mut tx, &change).await?;
    tx.commit().await?;
    Ok(preview)
}

/// The report of a preview: every row with what it does (or did) or why it cannot.
pub fn report(preview: &BulkPreview) -> Result<Vec<u8>, AppError> {
    let fail = |e: csv::Error| super::super::error::internal("writing CSV", &e);
    let mut csv = CsvChunks::new(&[
        "line",
        "pool",
        "assignee_id",
        "assignee_name",
        "action",
        "result",
    ])
    .map_err(fail)?;
    let mut out = Vec::new();
    for row in &preview.rows {
        let cells = [
            Cell::Number(row.line as i64),
            Cell::text(&row.pool),
            Cell::text(&row.assignee_id),
            Cell::text(&row.assignee_name),
            Cell::text(&row.action),
            Cell::text(row.outcome.code()),
        ];
        if let Some(chunk) = csv.push(&cells).map_err(fail)? {
            out.extend_from_slice(&chunk);
        }
    }
    out.extend_from_slice(&csv.take().map_err(fail)?);
    Ok(out)
}
