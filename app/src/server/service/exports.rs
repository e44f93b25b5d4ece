//! The tenant administrator's CSV downloads (SPEC.md, "Downloads"), whole: given the tenant, the
//! report and its filters, a file name and the file as a stream of chunks. Rows come from the
//! database a batch at a time, newest first (SQLite: a query per batch, in keyset order;
//! Postgres: one query, streamed), and become CSV while the next batch is read, so an export of
//! a million rows holds a chunk at a time, never the file.

use crate::model::TenantId;
use bytes::Bytes;
use chrono_tz::Tz;
use serde::de::{DeserializeOwned, IgnoredAny};
use sqlx::FromRow;
use sqlx::postgres::PgRow;
use tokio::sync::mpsc;
use tokio_stream::StreamExt;

use super::super::db::history::{Filter, Source, Statement};
use super::super::db::{Backend, Db, json_arrays, pools};
use super::super::reports::{self, Cell, CsvChunks};
use super::super::zone;
use super::history::{self, ReportContext};
use crate::error::AppError;
use crate::model::history::HistoryQuery;
use crate::model::range::{DateRange, RangeProblem};

/// Chunks waiting to be sent; with `CHUNK_BYTES` each, and a batch being read and one being
/// written, what an export holds at most.
const CHANNEL_CHUNKS: usize = 4;

/// Rows per batch; on SQLite a batch is one query and one JSON text of a few hundred kilobytes.
pub const BATCH_ROWS: i64 = 2_000;

/// The chunks of a file. An error after the first chunk ends the file early, so the browser
/// reports a failed download rather than saving half a file.
pub type Chunks = mpsc::Receiver<Result<Bytes, std::io::Error>>;

/// A file on its way to the browser.
pub struct Export {
    pub filename: String,
    pub chunks: Chunks,
}

/// `history.csv`: the License Consumption History with the columns of the tenant's model,
/// filtered like the page it was downloaded from.
pub async fn history(db: &Db, tenant: TenantId, query: &HistoryQuery) -> Result<Export, AppError> {
    let ctx = context(db, tenant).await?;
    let source = ctx.source();
    let filter = history::filter(query);
    let header = history::header(source);
    let filename = format!("{}-license-consumption-history.csv", ctx.slug);
    let rows = Rows {
        db: db.clone(),
        source,
        tenant,
        filter,
        header,
        zone: ctx.zone,
    };
    let chunks = match source {
        Source::Users => rows.csv(reports::user_cells),
        Source::Sessions => rows.csv(reports::session_cells),
        Source::Transactions => rows.csv(reports::transaction_cells),
    };
    Ok(Export { filename, chunks })
}

/// `transactions.csv`: the Transaction History Log of the days `from` to `to` (both included,
/// each defaulting to the last 30 days that end today in the tenant's zone), newest first; or
/// why the range is refused.
pub async fn transactions(
    db: &Db,
    tenant: TenantId,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Result<Export, RangeProblem>, AppError> {
    let ctx = context(db, tenant).await?;
    let today = zone::today(ctx.zone, chrono::Utc::now());
    let range = match DateRange::parse(from, to, today) {
        Ok(range) => range,
        Err(problem) => return Ok(Err(problem)),
    };
    let filter = Filter {
        between: Some(zone::day_range_ms(ctx.zone, range.from(), range.to())),
        ..Filter::default()
    };
    let rows = Rows {
        db: db.clone(),
        source: Source::Transactions,
        tenant,
        filter,
        header: &reports::TRANSACTIONS_HEADER,
        zone: ctx.zone,
    };
    let chunks = rows.csv(reports::transaction_cells);
    Ok(Ok(Export {
        filename: format!(
            "{}-transactions-{}-{}.csv",
            ctx.slug,
            range.from(),
            range.to()
        ),
        chunks,
    }))
}

/// `purchases.csv`: the License Purchase History, newest first. The ledger is a few rows a
/// month, so it is read whole and written in one go.
pub async fn purchases(db: &Db, tenant: TenantId) -> Result<Export, AppError> {
    let ctx = context(db, tenant).await?;
    let refills = pools::refills(&mut *db.conn().await?, tenant).await?;
    let mut csv = CsvChunks::new(&reports::PURCHASES_HEADER).map_err(csv_error)?;
    let mut body = Vec::new();
    for refill in &refills {
        body.extend(
            csv.push(&reports::refill_cells(ctx.zone, refill))
                .map_err(csv_error)?,
        );
    }
    body.push(csv.take().map_err(csv_error)?);
    let (tx, chunks) = mpsc::channel(CHANNEL_CHUNKS);
    tokio::spawn(async move {
        for chunk in body {
            if tx.send(Ok(chunk)).await.is_err() {
                break;
            }
        }
    });
    Ok(Export {
        filename: format!("{}-license-purchase-history.csv", ctx.slug),
        chunks,
    })
}

fn csv_error(error: csv::Error) -> AppError {
    super::super::error::internal("writing CSV", &error)
}

async fn context(db: &Db, tenant: TenantId) -> Result<ReportContext, AppError> {
    ReportContext::load(&mut *db.conn().await?, tenant).await
}

/// A batch of rows, as the backend hands it over.
enum Batch {
    /// SQLite writes a batch into one JSON text (`Statement::batch`): a value per row would
    /// cost its driver a copy of every column and a hand-over between threads for each row.
    Json(String),
    /// Postgres streams the rows of one query through the native driver (`Db::download_conn`).
    /// They are decoded by the task that writes them, so reading the next rows and decoding
    /// these share the work: building JSON on the server cost Postgres three times what
    /// sending the rows does.
    Rows(Vec<PgRow>),
}

impl Batch {
    fn rows<R>(self) -> Result<Vec<R>, String>
    where
        R: DeserializeOwned + for<'r> FromRow<'r, PgRow>,
    {
        match self {
            Self::Json(text) => {
                let keyed: Vec<(i64, i64, R)> =
                    serde_json::from_str(&text).map_err(|e| e.to_string())?;
                Ok(keyed.into_iter().map(|(_, _, row)| row).collect())
            }
            Self::Rows(rows) => rows
                .iter()
                .map(|row| R::from_row(row))
                .collect::<Result<_, _>>()
                .map_err(|e| e.to_string()),
        }
    }
}

/// Where the reading task sends batches, or why reading stopped.
type BatchSender = mpsc::Sender<Result<Batch, String>>;

/// The rows of one report: which list, whose, which of them, and how they are written.
struct Rows {
    db: Db,
    source: Source,
    tenant: TenantId,
    filter: Filter,
    header: &'static [&'static str],
    zone: Tz,
}

impl Rows {
    /// The rows, newest first, as CSV chunks: one task reads batches, another writes them.
    fn csv<R>(self, cells: fn(Tz, &R) -> Vec<Cell<'_>>) -> Chunks
    where
        R: DeserializeOwned + for<'r> FromRow<'r, PgRow> + Send + Sync + 'static,
    {
        let (batches_tx, mut batches) = mpsc::channel(1);
        let (header, zone) = (self.header, self.zone);
        match self.db.backend {
            Backend::Sqlite => tokio::spawn(self.read_batches(batches_tx)),
            Backend::Postgres => tokio::spawn(self.stream_rows(batches_tx)),
        };
        let (tx, chunks) = mpsc::channel(CHANNEL_CHUNKS);
        tokio::spawn(async move {
            let produced: Result<(), String> = async {
                let mut csv = CsvChunks::new(header).map_err(|e| e.to_string())?;
                while let Some(batch) = batches.recv().await {
                    for row in &batch?.rows::<R>()? {
                        let chunk = csv.push(&cells(zone, row)).map_err(|e| e.to_string())?;
                        if let Some(chunk) = chunk
                            && tx.send(Ok(chunk)).await.is_err()
                        {
                            // The browser went away: stop reading.
                            return Ok(());
                        }
                    }
                }
                let last = csv.take().map_err(|e| e.to_string())?;
                let _ = tx.send(Ok(last)).await;
                Ok(())
            }
            .await;
            if let Err(error) = produced {
                tracing::error!(%error, "CSV export failed");
                let _ = tx.send(Err(std::io::Error::other(error))).await;
            }
        });
        chunks
    }

    /// Reads the rows, `BATCH_ROWS` at a time, into `out`. It finds where the next batch
    /// starts without decoding the rows, so the database writes the next batch while the
    /// previous one becomes CSV.
    async fn read_batches(self, out: BatchSender) {
        let read: Result<(), String> = async {
            let mut conn = self.db.conn().await.map_err(|e| e.to_string())?;
            let json = json_arrays(&conn);
            let mut after = None;
            loop {
                let statement = Statement::batch(
                    self.source,
                    self.tenant,
                    &self.filter,
                    after,
                    BATCH_ROWS,
                    json,
                );
                let batch = statement
                    .fetch_text(&mut conn)
                    .await
                    .map_err(|e| e.to_string())?;
                let Some(text) = batch else {
                    return Ok(());
                };
                let keys: Vec<(i64, i64, IgnoredAny)> =
                    serde_json::from_str(&text).map_err(|e| e.to_string())?;
                let next = match keys.last() {
                    Some((at, id, _)) if keys.len() as i64 == BATCH_ROWS => Some((*at, *id)),
                    _ => None,
                };
                if out.send(Ok(Batch::Json(text))).await.is_err() {
                    // The download ended early.
                    return Ok(());
                }
                match next {
                    Some(key) => after = Some(key),
                    None => return Ok(()),
                }
            }
        }
        .await;
        if let Err(error) = read {
            let _ = out.send(Err(error)).await;
        }
    }

    /// Reads the rows with one query, as they arrive, into `out` in batches of `BATCH_ROWS`.
    /// While `out` is full the query waits on its connection, so what the export holds stays
    /// bounded.
    async fn stream_rows(self, out: BatchSender) {
        let read: Result<(), String> = async {
            let mut conn = match self.db.download_conn().await {
                Some(conn) => conn.map_err(|e| e.to_string())?,
                None => return Err("streamed rows need Postgres".to_string()),
            };
            let statement = Statement::new(self.source, self.tenant, &self.filter, None);
            let mut rows = statement.rows().fetch(&mut *conn);
            let capacity = usize::try_from(BATCH_ROWS).unwrap_or(1);
            let mut batch = Vec::with_capacity(capacity);
            while let Some(row) = rows.next().await {
                batch.push(row.map_err(|e| e.to_string())?);
                if batch.len() == capacity {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(capacity));
                    if out.send(Ok(Batch::Rows(full))).await.is_err() {
                        // The download ended early.
                        return Ok(());
                    }
                }
            }
            if !batch.is_empty() {
                let _ = out.send(Ok(Batch::Rows(batch))).await;
            }
            Ok(())
        }
        .await;
        if let Err(error) = read {
            let _ = out.send(Err(error)).await;
        }
    }
}
