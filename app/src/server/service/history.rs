//! The License Consumption History: which list a tenant's model shows, one page of it with the
//! links around it, and the rows the downloads stream.

use crate::model::TenantId;
use chrono_tz::Tz;

use super::super::db::{
    Conn, Db,
    history::{self, Filter, Keyed, Seek, Source},
    subscriptions, tenants,
    transactions::TransactionRow,
    usage_sessions::SessionRow,
    user_licenses::UserLicenseRow,
};
use super::super::reports::{self, Cell};
use super::super::{language, zone};
use crate::error::AppError;
use crate::model::history::{HistoryPage, HistoryQuery, HistoryRow, PAGE_SIZE};
use crate::model::{LicenseModel, Locale};

/// What every report of a tenant needs: its slug (for file names), zone and license model.
#[derive(Debug, Clone)]
pub struct ReportContext {
    pub slug: String,
    pub zone: Tz,
    pub model: LicenseModel,
}

impl ReportContext {
    pub async fn load(conn: &mut Conn, tenant: TenantId) -> Result<Self, AppError> {
        let row = tenants::get(conn, tenant)
            .await?
            .ok_or(AppError::NotFound)?;
        let sub = subscriptions::get(conn, tenant)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(Self {
            slug: row.slug,
            zone: zone::parse(&row.time_zone),
            model: sub.license_model,
        })
    }

    /// The list behind the History button of the tenant's main pool(s).
    pub fn source(&self) -> Source {
        match self.model {
            LicenseModel::UserBased => Source::Users,
            LicenseModel::SessionBased => Source::Sessions,
            LicenseModel::TransactionBased => Source::Transactions,
        }
    }
}

/// The CSV header of a source.
pub fn header(source: Source) -> &'static [&'static str] {
    match source {
        Source::Users => &reports::USER_HISTORY_HEADER,
        Source::Sessions => &reports::SESSION_HISTORY_HEADER,
        Source::Transactions => &reports::TRANSACTIONS_HEADER,
    }
}

/// The two values of the status filter, as a person reads them.
fn status_labels(source: Source) -> (&'static str, &'static str) {
    match source {
        Source::Users => ("Active", "Inactive"),
        Source::Sessions => ("Open", "Ended"),
        Source::Transactions => ("Billable", "Not billable"),
    }
}

/// The filters of a page's URL.
pub fn filter(query: &HistoryQuery) -> Filter {
    Filter {
        text: query.q.trim().chars().take(200).collect(),
        active: query.active(),
        between: None,
    }
}

/// A row's cells as the reader reads them.
fn text(cells: Vec<Cell>, locale: Locale) -> Vec<String> {
    cells
        .into_iter()
        .map(|cell| match cell {
            Cell::Text(text) => text.into_owned(),
            Cell::Number(n) => crate::locale::number(locale.into(), n),
            Cell::Time(t) => language::local_date_time(locale, &t),
            Cell::Word(word) => language::phrase(locale, word),
        })
        .collect()
}

fn link(name: &str, value: &str) -> String {
    format!(
        "{}?{}",
        crate::paths::CONVERSATIONS,
        serde_urlencoded::to_string([(name, value)]).unwrap_or_default()
    )
}

/// Reads one page (one more row than shown, to know whether another follows).
async fn rows(
    conn: &mut Conn,
    tenant: TenantId,
    ctx: &ReportContext,
    filter: &Filter,
    seek: Seek,
    locale: Locale,
) -> Result<Vec<((i64, i64), HistoryRow)>, AppError> {
    let zone = ctx.zone;
    Ok(match ctx.source() {
        Source::Users => history::page::<UserLicenseRow>(conn, tenant, Source::Users, filter, seek)
            .await?
            .into_iter()
            .map(|Keyed { key, row }| {
                let conversations = Some((row.conversations, link("user", &row.user_id)));
                let active = row.released_at.is_none();
                let cells = text(reports::user_cells(zone, &row), locale);
                (
                    key,
                    HistoryRow {
                        cells,
                        conversations,
                        active,
                    },
                )
            })
            .collect(),
        Source::Sessions => {
            history::page::<SessionRow>(conn, tenant, Source::Sessions, filter, seek)
                .await?
                .into_iter()
                .map(|Keyed { key, row }| {
                    let conversations = Some((row.conversations, link("session", &row.session_id)));
                    let active = row.ended_at.is_none();
                    let cells = text(reports::session_cells(zone, &row), locale);
                    (
                        key,
                        HistoryRow {
                            cells,
                            conversations,
                            active,
                        },
                    )
                })
                .collect()
        }
        Source::Transactions => {
            history::page::<TransactionRow>(conn, tenant, Source::Transactions, filter, seek)
                .await?
                .into_iter()
                .map(|Keyed { key, row }| {
                    let active = row.billable;
                    let cells = text(reports::transaction_cells(zone, &row), locale);
                    (
                        key,
                        HistoryRow {
                            cells,
                            conversations: None,
                            active,
                        },
                    )
                })
                .collect()
        }
    })
}

/// The page a history URL asks for.
pub async fn page(
    db: &Db,
    tenant: TenantId,
    query: HistoryQuery,
    locale: Locale,
) -> Result<HistoryPage, AppError> {
    let mut conn = db.conn().await?;
    let ctx = ReportContext::load(&mut conn, tenant).await?;
    let filter = filter(&query);
    let before = HistoryQuery::parse_key(&query.before);
    let after = HistoryQuery::parse_key(&query.after);
    let backward = before.is_some();
    let seek = Seek {
        // Going back reads the other way from the first row of the page after, then turns round.
        newest_first: query.newest_first() != backward,
        after: before.or(after),
        limit: PAGE_SIZE + 1,
    };
    let mut found = rows(&mut conn, tenant, &ctx, &filter, seek, locale).await?;
    let more = found.len() as i64 > PAGE_SIZE;
    found.truncate(PAGE_SIZE as usize);
    if backward {
        found.reverse();
    }
    let number = query.page_number();
    let first_key = found.first().map(|(key, _)| *key);
    let last_key = found.last().map(|(key, _)| *key);
    let has_previous = if backward { more } else { after.is_some() };
    let has_next = if backward { true } else { more };
    let previous = first_key.filter(|_| has_previous).map(|key| {
        if number <= 2 {
            query.first_page().to_query()
        } else {
            HistoryQuery {
                before: HistoryQuery::key_text(key),
                page: (number - 1).to_string(),
                ..query.first_page()
            }
            .to_query()
        }
    });
    let next = last_key.filter(|_| has_next).map(|key| {
        HistoryQuery {
            after: HistoryQuery::key_text(key),
            page: (number + 1).to_string(),
            ..query.first_page()
        }
        .to_query()
    });
    let (on, off) = status_labels(ctx.source());
    Ok(HistoryPage {
        columns: header(ctx.source())
            .iter()
            .map(|c| language::phrase(locale, c))
            .collect(),
        rows: found.into_iter().map(|(_, row)| row).collect(),
        query,
        previous,
        next,
        status_labels: (language::phrase(locale, on), language::phrase(locale, off)),
    })
}
