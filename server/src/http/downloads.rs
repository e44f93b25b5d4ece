//! The tenant administrator's CSV downloads (SPEC.md, "Downloads"). Rows stream from the
//! database through a small channel into the response: an export of a million rows holds a
//! chunk at a time, never the file.

use axum::Extension;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::Deserialize;
use serde::de::{DeserializeOwned, IgnoredAny};
use tokio::sync::mpsc;

use app::domain::reports::{check_range, default_range};
use app::error::AppError;
use app::model::Locale;
use app::model::history::HistoryQuery;
use app::pages::download::{RangeProblem, range_message};
use app::server::auth::Identity;
use app::server::db::history::{Filter, Source, Statement};
use app::server::db::tenants::TenantId;
use app::server::db::{Db, json_arrays, pools};
use app::server::reports::{self, Cell, CsvChunks};
use app::server::service::history::{self, ReportContext};
use app::server::state::AppState;
use app::server::zone;

/// Chunks waiting to be sent; with `CHUNK_BYTES` each, and a batch being read and one being
/// written, what an export holds at most.
const CHANNEL_CHUNKS: usize = 4;

fn refuse(status: StatusCode, message: impl Into<String>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message.into(),
    )
        .into_response()
}

/// The tenant of the signed-in tenant administrator (the session guard lets no one else into
/// `/settings`), with what its reports need.
async fn context(
    state: &AppState,
    identity: Option<Extension<Identity>>,
) -> Result<(TenantId, ReportContext), Response> {
    let tenant = identity
        .and_then(|Extension(identity)| identity.tenant())
        .ok_or_else(|| AppError::Forbidden.into_response())?;
    let mut conn = state
        .db
        .pool
        .acquire()
        .await
        .map_err(|e| AppError::from(e).into_response())?;
    let ctx = ReportContext::load(&mut conn, tenant)
        .await
        .map_err(|e| e.into_response())?;
    Ok((tenant, ctx))
}

/// A `200 text/csv` attachment whose body is what `rx` yields.
fn attachment(filename: &str, rx: mpsc::Receiver<Result<Bytes, std::io::Error>>) -> Response {
    let stream = tokio_stream::wrappers::ReceiverStream::new(rx);
    let mut response = Body::from_stream(stream).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Rows read per query: a batch is one JSON text of a few hundred kilobytes.
pub const BATCH_ROWS: i64 = 2_000;

/// A batch of rows as the database wrote it, or why reading stopped.
type Batch = Result<String, String>;

/// Reads the rows of `source` matching `filter`, newest first, `BATCH_ROWS` at a time, into
/// `out`. It finds where the next batch starts without decoding the rows, so the database
/// writes the next batch while the previous one becomes CSV.
async fn read_batches(
    db: Db,
    source: Source,
    tenant: TenantId,
    filter: Filter,
    out: mpsc::Sender<Batch>,
) {
    let read: Result<(), String> = async {
        let mut conn = db.pool.acquire().await.map_err(|e| e.to_string())?;
        let json = json_arrays(&conn);
        let mut after = None;
        loop {
            let batch = Statement::batch(source, tenant, &filter, after, BATCH_ROWS, json)
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
            if out.send(Ok(text)).await.is_err() {
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

/// Streams the rows of `source` matching `filter`, newest first, as CSV. A failure after the
/// first bytes ends the body with an error, so the browser reports a failed download rather
/// than saving half a file.
#[expect(clippy::too_many_arguments, reason = "one call site per report")]
fn export<R>(
    db: Db,
    source: Source,
    tenant: TenantId,
    filter: Filter,
    header: &'static [&'static str],
    zone: Tz,
    cells: fn(Tz, &R) -> Vec<Cell<'_>>,
    filename: &str,
) -> Response
where
    R: DeserializeOwned + Send + Sync + 'static,
{
    let (batches_tx, mut batches) = mpsc::channel(1);
    tokio::spawn(read_batches(db, source, tenant, filter, batches_tx));
    let (tx, rx) = mpsc::channel(CHANNEL_CHUNKS);
    tokio::spawn(async move {
        let produced: Result<(), String> = async {
            let mut csv = CsvChunks::new(header).map_err(|e| e.to_string())?;
            while let Some(batch) = batches.recv().await {
                let rows: Vec<(i64, i64, R)> =
                    serde_json::from_str(&batch?).map_err(|e| e.to_string())?;
                for (_, _, row) in &rows {
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
    attachment(filename, rx)
}

/// `GET /settings/subscription/history.csv`: the License Consumption History with the columns
/// of the tenant's model, filtered like the page it was downloaded from.
pub async fn history_csv(
    State(state): State<AppState>,
    identity: Option<Extension<Identity>>,
    Query(query): Query<HistoryQuery>,
) -> Response {
    let (tenant, ctx) = match context(&state, identity).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let source = ctx.source();
    let filter = history::filter(&query);
    let filename = format!("{}-license-consumption-history.csv", ctx.slug);
    let header = history::header(source);
    match source {
        Source::Users => export(
            state.db,
            source,
            tenant,
            filter,
            header,
            ctx.zone,
            reports::user_cells,
            &filename,
        ),
        Source::Sessions => export(
            state.db,
            source,
            tenant,
            filter,
            header,
            ctx.zone,
            reports::session_cells,
            &filename,
        ),
        Source::Transactions => export(
            state.db,
            source,
            tenant,
            filter,
            header,
            ctx.zone,
            reports::transaction_cells,
            &filename,
        ),
    }
}

#[derive(Debug, Deserialize)]
pub struct RangeQuery {
    from: Option<String>,
    to: Option<String>,
}

/// The range of a query: both given, or neither (the default, ending today in the tenant's zone).
pub fn requested_range(
    from: Option<&str>,
    to: Option<&str>,
    today: NaiveDate,
) -> Result<(NaiveDate, NaiveDate), RangeProblem> {
    let (default_from, default_to) = default_range(today);
    let parse = |value: Option<&str>, default: NaiveDate, problem| match value
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        None => Ok(default),
        Some(text) => text.parse::<NaiveDate>().map_err(|_| problem),
    };
    let from = parse(from, default_from, RangeProblem::BadFrom)?;
    let to = parse(to, default_to, RangeProblem::BadTo)?;
    check_range(from, to).map_err(RangeProblem::Range)
}

/// `GET /settings/subscription/transactions.csv?from=YYYY-MM-DD&to=YYYY-MM-DD`: the Transaction
/// History Log of those days (both included, in the tenant's zone), newest first. A range over
/// 90 days, or reversed, is a 400 that says why.
pub async fn transactions_csv(
    State(state): State<AppState>,
    identity: Option<Extension<Identity>>,
    Extension(locale): Extension<Locale>,
    Query(range): Query<RangeQuery>,
) -> Response {
    let (tenant, ctx) = match context(&state, identity).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let today = zone::today(ctx.zone, chrono::Utc::now());
    let (from, to) = match requested_range(range.from.as_deref(), range.to.as_deref(), today) {
        Ok(range) => range,
        Err(problem) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                range_message(locale.into(), problem),
            );
        }
    };
    let filter = Filter {
        between: Some(zone::day_range_ms(ctx.zone, from, to)),
        ..Filter::default()
    };
    export(
        state.db,
        Source::Transactions,
        tenant,
        filter,
        &reports::TRANSACTIONS_HEADER,
        ctx.zone,
        reports::transaction_cells,
        &format!("{}-transactions-{from}-{to}.csv", ctx.slug),
    )
}

/// `GET /settings/subscription/purchases.csv`: the License Purchase History, newest first.
/// The ledger is a few rows a month, so it is read whole and written in one go.
pub async fn purchases_csv(
    State(state): State<AppState>,
    identity: Option<Extension<Identity>>,
) -> Response {
    let (tenant, ctx) = match context(&state, identity).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let refills = match state.db.pool.acquire().await {
        Ok(mut conn) => pools::refills(&mut conn, tenant).await,
        Err(error) => Err(error),
    };
    let refills = match refills {
        Ok(refills) => refills,
        Err(error) => return AppError::from(error).into_response(),
    };
    let (tx, rx) = mpsc::channel(CHANNEL_CHUNKS);
    let body: Result<Vec<Bytes>, csv::Error> = (|| {
        let mut csv = CsvChunks::new(&reports::PURCHASES_HEADER)?;
        let mut chunks = Vec::new();
        for refill in &refills {
            chunks.extend(csv.push(&reports::refill_cells(ctx.zone, refill))?);
        }
        chunks.push(csv.take()?);
        Ok(chunks)
    })();
    match body {
        Ok(chunks) => {
            tokio::spawn(async move {
                for chunk in chunks {
                    if tx.send(Ok(chunk)).await.is_err() {
                        break;
                    }
                }
            });
            attachment(&format!("{}-license-purchase-history.csv", ctx.slug), rx)
        }
        Err(error) => refuse(StatusCode::INTERNAL_SERVER_ERROR, error.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("date")
    }

    #[test]
    fn ranges_default_to_the_last_thirty_days_and_refuse_bad_dates() {
        let today = day("2026-11-22");
        assert_eq!(
            requested_range(None, None, today),
            Ok((day("2026-10-24"), today))
        );
        assert_eq!(
            requested_range(Some("2026-11-01"), Some(""), today),
            Ok((day("2026-11-01"), today))
        );
        let problem = requested_range(Some("22/11/2026"), None, today).unwrap_err();
        assert_eq!(problem, RangeProblem::BadFrom);
        assert_eq!(
            range_message(Locale::En.into(), problem),
            "Enter the From date as YYYY-MM-DD."
        );
        let problem = requested_range(Some("2026-08-01"), Some("2026-11-01"), today).unwrap_err();
        assert_eq!(
            problem,
            RangeProblem::Range(app::domain::reports::RangeError::TooLong { days: 93 })
        );
        assert_eq!(
            range_message(Locale::PtBr.into(), problem),
            "O período cobre 93 dias; escolha no máximo 90."
        );
    }
}
