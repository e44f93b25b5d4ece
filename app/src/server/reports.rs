//! The downloadable reports: their exact headers (SPEC.md), how each stored row becomes a line,
//! and a CSV writer that hands out the file in chunks so an export never holds it whole.

use std::borrow::Cow;
use std::fmt::Write as _;

use bytes::Bytes;
use chrono_tz::Tz;

use super::db::{
    pools::RefillRow, transactions::TransactionRow, usage_sessions::SessionRow,
    user_licenses::UserLicenseRow,
};
use super::zone;
use crate::domain::reports::neutralise;
pub use crate::model::pool_key::title_case;

pub const USER_HISTORY_HEADER: [&str; 9] = [
    "User ID",
    "User Name",
    "Email",
    "First Name",
    "Last Name",
    "Role",
    "Status",
    "Created On",
    "Conversations",
];
pub const SESSION_HISTORY_HEADER: [&str; 9] = [
    "Session ID",
    "Started On",
    "Initiated By",
    "User Name",
    "Email",
    "Role",
    "Agent Name",
    "Channel",
    "Conversations",
];
pub const TRANSACTIONS_HEADER: [&str; 11] = [
    "Transaction ID",
    "Transaction Date & Time",
    "Bot Name",
    "Associated Skill Name",
    "Transaction Type",
    "Fulfillment Type",
    "Fulfillment Details",
    "Billable",
    "User Name",
    "Role",
    "Channel",
];
pub const PURCHASES_HEADER: [&str; 4] = [
    "Refill Date",
    "Refill Type",
    "+/- Licenses",
    "Total Licenses",
];

/// One cell. Text comes from people and platforms and is neutralised; numbers are Tally's own
/// and are written as numbers (a spreadsheet reads `-5` as minus five, never as a formula).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell<'a> {
    Text(Cow<'a, str>),
    Number(i64),
    /// An instant in the tenant's zone: ISO 8601 in files, the reader's way on pages.
    Time(chrono::DateTime<Tz>),
    /// A word of Tally's own (`Active`, `Yes`, …): as is in files, translated on pages.
    Word(&'static str),
}

impl<'a> Cell<'a> {
    pub(crate) fn text(value: &'a str) -> Self {
        Self::Text(Cow::Borrowed(value))
    }

    pub(crate) fn owned(value: String) -> Self {
        Self::Text(Cow::Owned(value))
    }

    pub(crate) fn time(zone: Tz, ms: i64) -> Self {
        zone::at(zone, ms).map_or(Self::Text(Cow::Borrowed("")), Self::Time)
    }
}

/// Active while the license is held; the date is the allocation's, or the release's once released.
pub fn user_status(row: &UserLicenseRow) -> (&'static str, i64) {
    match row.released_at {
        Some(released) => ("Inactive", released),
        None => ("Active", row.allocated_at),
    }
}

pub fn user_cells(zone: Tz, row: &UserLicenseRow) -> Vec<Cell<'_>> {
    let (status, on) = user_status(row);
    vec![
        Cell::text(&row.user_id),
        Cell::text(&row.user_name),
        Cell::text(&row.email),
        Cell::text(&row.first_name),
        Cell::text(&row.last_name),
        Cell::text(&row.role),
        Cell::Word(status),
        Cell::time(zone, on),
        Cell::Number(row.conversations),
    ]
}

pub fn session_cells(zone: Tz, row: &SessionRow) -> Vec<Cell<'_>> {
    vec![
        Cell::text(&row.session_id),
        Cell::time(zone, row.started_at),
        match row.initiated_by.as_str() {
            "agent" => Cell::Word("Agent"),
            "user" => Cell::Word("User"),
            other => Cell::owned(title_case(other)),
        },
        Cell::text(&row.user_name),
        Cell::text(&row.email),
        Cell::text(&row.role),
        Cell::text(row.agent_name.as_deref().unwrap_or("")),
        Cell::text(&row.channel),
        Cell::Number(row.conversations),
    ]
}

pub fn transaction_cells(zone: Tz, row: &TransactionRow) -> Vec<Cell<'_>> {
    vec![
        Cell::text(&row.transaction_id),
        Cell::time(zone, row.occurred_at),
        Cell::text(&row.bot_name),
        Cell::text(&row.skill_name),
        Cell::owned(title_case(&row.tx_type)),
        Cell::owned(title_case(&row.fulfillment_type)),
        Cell::text(&row.fulfillment_details),
        Cell::Word(if row.billable { "Yes" } else { "No" }),
        Cell::text(&row.user_name),
        Cell::text(&row.role),
        Cell::text(&row.channel),
    ]
}

pub fn refill_cells(zone: Tz, row: &RefillRow) -> Vec<Cell<'_>> {
    vec![
        Cell::time(zone, row.refilled_at),
        Cell::owned(title_case(&row.kind)),
        Cell::Number(row.delta),
        Cell::Number(row.total_after),
    ]
}

/// Bytes gathered before a chunk is handed out.
pub const CHUNK_BYTES: usize = 64 * 1024;

/// RFC 4180 CSV (CRLF, quotes only where needed), written into a buffer that `push` empties
/// every `CHUNK_BYTES`.
pub struct CsvChunks {
    writer: csv::Writer<Vec<u8>>,
    /// Where numbers are written before they become fields, reused line after line.
    scratch: String,
}

impl CsvChunks {
    fn writer() -> csv::Writer<Vec<u8>> {
        csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .quote_style(csv::QuoteStyle::Necessary)
            .from_writer(Vec::with_capacity(CHUNK_BYTES + CHUNK_BYTES / 4))
    }

    pub fn new(header: &[&str]) -> csv::Result<Self> {
        let mut writer = Self::writer();
        writer.write_record(header)?;
        Ok(Self {
            writer,
            scratch: String::with_capacity(32),
        })
    }

    /// Writes one line; returns a chunk when enough has gathered.
    pub fn push(&mut self, cells: &[Cell<'_>]) -> csv::Result<Option<Bytes>> {
        for cell in cells {
            match cell {
                Cell::Text(text) => self.writer.write_field(neutralise(text).as_bytes())?,
                Cell::Word(word) => self.writer.write_field(word.as_bytes())?,
                Cell::Time(t) => self.writer.write_field(zone::iso_of(t).as_bytes())?,
                Cell::Number(n) => {
                    self.scratch.clear();
                    // Writing into a String cannot fail.
                    let _ = write!(self.scratch, "{n}");
                    self.writer.write_field(self.scratch.as_bytes())?;
                }
            }
        }
        self.writer.write_record(None::<&[u8]>)?;
        if self.writer.get_ref().len() >= CHUNK_BYTES {
            return self.take().map(Some);
        }
        Ok(None)
    }

    /// Whatever is buffered, emptying the buffer.
    pub fn take(&mut self) -> csv::Result<Bytes> {
        let full = std::mem::replace(&mut self.writer, Self::writer());
        let buffer = full
            .into_inner()
            .map_err(|e| csv::Error::from(e.into_error()))?;
        Ok(Bytes::from(buffer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(header: &[&str], rows: &[Vec<Cell>]) -> String {
        let mut csv = CsvChunks::new(header).expect("header");
        let mut out = Vec::new();
        for row in rows {
            if let Some(chunk) = csv.push(row).expect("row") {
                out.extend_from_slice(&chunk);
            }
        }
        out.extend_from_slice(&csv.take().expect("flush"));
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn lines_are_rfc4180_and_text_is_formula_safe() {
        let text = write(
            &PURCHASES_HEADER,
            &[
                vec![
                    Cell::text("=HYPERLINK(\"http://evil\")"),
                    Cell::text("a, \"quoted\"\nline"),
                    Cell::Number(-5),
                    Cell::Number(120),
                ],
                vec![
                    Cell::text("São Paulo"),
                    Cell::text("@once"),
                    Cell::Number(10),
                    Cell::Number(0),
                ],
            ],
        );
        assert_eq!(
            text,
            "Refill Date,Refill Type,+/- Licenses,Total Licenses\r\n\
             \"'=HYPERLINK(\"\"http://evil\"\")\",\"a, \"\"quoted\"\"\nline\",-5,120\r\n\
             São Paulo,'@once,10,0\r\n"
        );
    }

    #[test]
    fn large_exports_come_out_in_bounded_chunks() {
        let mut csv = CsvChunks::new(&["a"]).expect("header");
        let long = "x".repeat(1000);
        let row = vec![Cell::text(&long)];
        let mut chunks = 0;
        let mut largest = 0;
        for _ in 0..1000 {
            if let Some(chunk) = csv.push(&row).expect("row") {
                chunks += 1;
                largest = largest.max(chunk.len());
            }
        }
        assert!(chunks >= 10, "{chunks} chunks");
        assert!(largest < CHUNK_BYTES + 2000, "chunk of {largest} bytes");
    }

    #[test]
    fn codes_read_as_words() {
        assert_eq!(title_case("automation_workflow"), "Automation Workflow");
        assert_eq!(title_case("end_user"), "End User");
        assert_eq!(title_case("auto"), "Auto");
        assert_eq!(title_case(""), "");
    }
}
