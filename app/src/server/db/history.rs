//! The License Consumption History and the Transaction History Log as keyset-paginated,
//! filterable lists, and as row streams for the downloads. A page is found by seeking an index
//! to the last row shown, so page 10 000 costs what page 1 costs.

use crate::model::TenantId;
use sqlx::any::AnyRow;
use sqlx::{Database, Encode, FromRow, Row, Type};

use super::Conn;

/// Which history, by the tenant's license model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// User licenses: allocations and releases.
    Users,
    /// Sessions.
    Sessions,
    /// Conversation and workflow transactions.
    Transactions,
}

/// A row's place in its history: its date (epoch ms) and id. Unique, so it is a cursor.
pub type Key = (i64, i64);

/// The filters a person sets; both optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Matched case-insensitively anywhere in the ids, names and emails.
    pub text: String,
    /// Users: license held (`Active`) or released. Sessions: still open or ended.
    /// Transactions: billable or not.
    pub active: Option<bool>,
    /// Only rows dated in `[from, to)` (epoch ms).
    pub between: Option<(i64, i64)>,
}

/// Which way the list runs, and where a page starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seek {
    pub newest_first: bool,
    /// Rows strictly past this key in the list's order; `None` starts at the top.
    pub after: Option<Key>,
    pub limit: i64,
}

impl Source {
    /// The selected columns as (expression, name), in the order of the row struct's fields:
    /// pages read them by name, downloads as JSON arrays in this order.
    fn columns(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Self::Users => &[
                ("r.id", "id"),
                ("r.user_id", "user_id"),
                ("r.user_name", "user_name"),
                ("r.email", "email"),
                ("r.first_name", "first_name"),
                ("r.last_name", "last_name"),
                ("r.role", "role"),
                ("r.allocated_at", "allocated_at"),
                ("r.released_at", "released_at"),
                (
                    "(select count(*) from conversations c where c.tenant_id = r.tenant_id and c.user_id = r.user_id)",
                    "conversations",
                ),
            ],
            Self::Sessions => &[
                ("r.id", "id"),
                ("r.session_id", "session_id"),
                ("r.started_at", "started_at"),
                ("r.ended_at", "ended_at"),
                ("r.initiated_by", "initiated_by"),
                ("r.user_name", "user_name"),
                ("r.email", "email"),
                ("r.role", "role"),
                ("r.agent_name", "agent_name"),
                ("r.channel", "channel"),
                ("r.licenses", "licenses"),
                (
                    "(select count(*) from conversations c where c.tenant_id = r.tenant_id and c.session_id = r.session_id)",
                    "conversations",
                ),
            ],
            Self::Transactions => &[
                ("r.transaction_id", "transaction_id"),
                ("r.occurred_at", "occurred_at"),
                ("r.bot_name", "bot_name"),
                ("r.skill_name", "skill_name"),
                ("r.tx_type", "tx_type"),
                ("r.fulfillment_type", "fulfillment_type"),
                ("r.fulfillment_details", "fulfillment_details"),
                // A bigint on both: Postgres casts a boolean only to `integer`, and the native
                // driver, which Postgres downloads use, decodes an `i64` only from a bigint.
                ("cast(cast(r.billable as integer) as bigint)", "billable"),
                ("r.reason", "reason"),
                ("r.user_name", "user_name"),
                ("r.role", "role"),
                ("r.channel", "channel"),
            ],
        }
    }

    /// `expression as name, …`: the select list.
    fn select_list(self) -> String {
        self.columns()
            .iter()
            .map(|(expression, name)| format!("{expression} as {name}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Table, date expression (the one the keyset index holds) and the filters' SQL. Static
    /// text only: every value is bound.
    fn parts(self) -> (&'static str, &'static str, &'static str, &'static str) {
        match self {
            Self::Users => (
                "user_licenses",
                "coalesce(r.released_at, r.allocated_at)",
                "lower(r.user_id) like $T escape '\\' or lower(r.user_name) like $T escape '\\'
                 or lower(r.email) like $T escape '\\' or lower(r.first_name) like $T escape '\\'
                 or lower(r.last_name) like $T escape '\\'",
                "r.released_at is null",
            ),
            Self::Sessions => (
                "usage_sessions",
                "r.started_at",
                "lower(r.session_id) like $T escape '\\' or lower(r.user_name) like $T escape '\\'
                 or lower(r.email) like $T escape '\\' or lower(coalesce(r.agent_name, '')) like $T escape '\\'",
                "r.ended_at is null",
            ),
            Self::Transactions => (
                "transactions",
                "r.occurred_at",
                "lower(r.transaction_id) like $T escape '\\' or lower(r.bot_name) like $T escape '\\'
                 or lower(r.skill_name) like $T escape '\\' or lower(r.user_name) like $T escape '\\'",
                "r.billable = true",
            ),
        }
    }
}

/// A value bound to a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    Int(i64),
    Text(String),
}

/// A statement and its parameters, numbered in the order they first appear in the text (which
/// is how SQLite numbers `$N` parameters too).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    sql: String,
    values: Vec<Value>,
}

impl Statement {
    fn param(&mut self, value: Value) -> String {
        self.values.push(value);
        format!("${}", self.values.len())
    }

    /// The list of `source` matching `filter`; with `seek`, one page of it (newest first
    /// otherwise).
    pub fn new(source: Source, tenant: TenantId, filter: &Filter, seek: Option<Seek>) -> Self {
        let (table, date, text, active) = source.parts();
        let columns = source.select_list();
        let mut st = Self {
            sql: String::new(),
            values: Vec::new(),
        };
        let p = st.param(Value::Int(tenant.0));
        st.sql = format!(
            "select {columns}, {date} as k_at, r.id as k_id from {table} r where r.tenant_id = {p}"
        );
        if !filter.text.trim().is_empty() {
            let p = st.param(Value::Text(contains_pattern(&filter.text)));
            st.sql
                .push_str(&format!(" and ({})", text.replace("$T", &p)));
        }
        match filter.active {
            Some(true) => st.sql.push_str(&format!(" and ({active})")),
            Some(false) => st.sql.push_str(&format!(" and not ({active})")),
            None => {}
        }
        let newest_first = seek.is_none_or(|s| s.newest_first);
        let (cmp, dir) = if newest_first {
            ("<", "desc")
        } else {
            (">", "asc")
        };
        let mut after = seek.and_then(|s| s.after);
        if let Some((from, to)) = filter.between {
            // With a key, the range's bound on the side the pages move toward is folded into
            // the key: SQLite seeks the index with one upper (or lower) bound, and given both it
            // took the range's and scanned from there to the key, which made every page of a
            // long download slower than the one before. A key outside the range is clamped to
            // it. Only the bounds that stay are bound: SQLite numbers parameters as they appear.
            let (lower, upper) = match after.as_mut() {
                None => (Some(from), Some(to)),
                Some(key) if newest_first => {
                    *key = (*key).min((to, i64::MIN));
                    (Some(from), None)
                }
                Some(key) => {
                    *key = (*key).max((from.saturating_sub(1), i64::MAX));
                    (None, Some(to))
                }
            };
            if let Some(from) = lower {
                let from = st.param(Value::Int(from));
                st.sql.push_str(&format!(" and {date} >= {from}"));
            }
            if let Some(to) = upper {
                let to = st.param(Value::Int(to));
                st.sql.push_str(&format!(" and {date} < {to}"));
            }
        }
        if let Some((at, id)) = after {
            let at = st.param(Value::Int(at));
            let id = st.param(Value::Int(id));
            st.sql
                .push_str(&format!(" and ({date}, r.id) {cmp} ({at}, {id})"));
        }
        st.sql
            .push_str(&format!(" order by {date} {dir}, r.id {dir}"));
        if let Some(seek) = seek {
            let limit = st.param(Value::Int(seek.limit));
            st.sql.push_str(&format!(" limit {limit}"));
        }
        st
    }

    /// Up to `limit` rows past `after`, newest first, as one JSON text: an array of
    /// `[at, id, [column, …]]`, or nothing when no row is left. `json` is the backend's pair
    /// from `db::json_arrays`. A download reads its rows this way, a batch per query: the
    /// database writes thousands of rows into one value, where a row per value costs the
    /// driver a copy of every column and a hand-over between threads for each row.
    pub fn batch(
        source: Source,
        tenant: TenantId,
        filter: &Filter,
        after: Option<Key>,
        limit: i64,
        (aggregate, array): (&str, &str),
    ) -> Self {
        let seek = Seek {
            newest_first: true,
            after,
            limit,
        };
        let mut st = Self::new(source, tenant, filter, Some(seek));
        let columns = source
            .columns()
            .iter()
            .map(|(_, name)| format!("b.{name}"))
            .collect::<Vec<_>>()
            .join(", ");
        st.sql = format!(
            "select cast({aggregate}({array}(b.k_at, b.k_id, {array}({columns})) \
             order by b.k_at desc, b.k_id desc) as text) from ({}) b",
            st.sql
        );
        st
    }

    /// The statement's single text value (a `batch`), or `None` when it is null.
    pub async fn fetch_text(&self, conn: &mut Conn) -> sqlx::Result<Option<String>> {
        self.rows::<sqlx::Any>()
            .fetch_one(&mut *conn)
            .await?
            .try_get(0)
    }

    /// The statement with its values bound, on any driver, its rows left undecoded: pages and
    /// SQLite's batches decode them as they arrive; a Postgres download reads them through the
    /// native driver and decodes them where they become CSV.
    pub fn rows<'q, DB>(&'q self) -> sqlx::query::Query<'q, DB, <DB as Database>::Arguments<'q>>
    where
        DB: Database,
        i64: Encode<'q, DB> + Type<DB>,
        &'q str: Encode<'q, DB> + Type<DB>,
    {
        let mut query = sqlx::query(&self.sql);
        for value in &self.values {
            query = match value {
                Value::Int(n) => query.bind(*n),
                Value::Text(text) => query.bind(text.as_str()),
            };
        }
        query
    }
}

/// A `like` pattern matching `text` anywhere, with its own `%`, `_` and `\` taken literally.
fn contains_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// A row with its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyed<R> {
    pub key: Key,
    pub row: R,
}

impl<'r, R: FromRow<'r, AnyRow>> FromRow<'r, AnyRow> for Keyed<R> {
    fn from_row(row: &'r AnyRow) -> sqlx::Result<Self> {
        Ok(Self {
            key: (row.try_get("k_at")?, row.try_get("k_id")?),
            row: R::from_row(row)?,
        })
    }
}

/// One page: up to `seek.limit` rows past `seek.after` in the chosen order.
pub async fn page<R>(
    conn: &mut Conn,
    tenant: TenantId,
    source: Source,
    filter: &Filter,
    seek: Seek,
) -> sqlx::Result<Vec<Keyed<R>>>
where
    R: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
{
    Statement::new(source, tenant, filter, Some(seek))
        .rows::<sqlx::Any>()
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(Keyed::from_row)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_filters_take_wildcards_literally() {
        assert_eq!(contains_pattern(" Ana "), "%ana%");
        assert_eq!(contains_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }

    #[test]
    fn parameters_are_numbered_in_the_order_they_appear() {
        let filter = Filter {
            text: "x".into(),
            active: Some(true),
            between: Some((0, 1)),
        };
        let seek = Seek {
            newest_first: false,
            after: Some((5, 6)),
            limit: 10,
        };
        let st = Statement::new(Source::Users, TenantId(1), &filter, Some(seek));
        let mut last = 0;
        for n in 1..=6 {
            let at = st.sql.find(&format!("${n}")).expect("parameter present");
            assert!(at > last, "${n} out of order: {}", st.sql);
            last = at;
        }
        assert_eq!(st.values.len(), 6, "the range's lower bound is in the key");
        assert!(
            st.sql.contains("> ($4, $5)") && st.sql.ends_with("limit $6"),
            "{}",
            st.sql
        );
        let plain = Statement::new(Source::Sessions, TenantId(1), &Filter::default(), None);
        assert_eq!(plain.values.len(), 1);
        assert!(plain.sql.contains("desc"), "{}", plain.sql);
    }

    /// A key from outside the range (a crafted URL) is clamped to the range's end, so folding
    /// the bound into the key never widens the range.
    #[test]
    fn a_key_past_the_range_is_clamped_to_it() {
        let filter = Filter {
            between: Some((100, 200)),
            ..Filter::default()
        };
        let seek = |newest_first, after| Seek {
            newest_first,
            after: Some(after),
            limit: 10,
        };
        let newest = Statement::new(
            Source::Transactions,
            TenantId(1),
            &filter,
            Some(seek(true, (500, 9))),
        );
        assert_eq!(
            newest.values[1..4],
            [Value::Int(100), Value::Int(200), Value::Int(i64::MIN)],
            "{}",
            newest.sql
        );
        let inside = Statement::new(
            Source::Transactions,
            TenantId(1),
            &filter,
            Some(seek(true, (150, 9))),
        );
        assert_eq!(
            inside.values[1..4],
            [Value::Int(100), Value::Int(150), Value::Int(9)]
        );
        let oldest = Statement::new(
            Source::Transactions,
            TenantId(1),
            &filter,
            Some(seek(false, (5, 9))),
        );
        assert_eq!(
            oldest.values[1..4],
            [Value::Int(200), Value::Int(99), Value::Int(i64::MAX)]
        );
    }
}
