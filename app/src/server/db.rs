//! All SQL. One `Any` pool serves SQLite and Postgres with the same query texts; where the
//! dialects differ the two texts sit side by side in the function that needs them.

pub mod administrators;
pub mod alerts;
pub mod api_keys;
pub mod assignments;
pub mod audit;
pub mod bulk_uploads;
pub mod contacts;
pub mod conversations;
pub mod daily_usage;
pub mod history;
pub mod invitations;
pub mod outbox;
pub mod pools;
pub mod shown_once;
pub mod subscriptions;
pub mod tenants;
pub mod transactions;
pub mod usage_events;
pub mod usage_sessions;
pub mod user_licenses;
pub mod web_sessions;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, Connection, Executor};

/// How long a request waits for a connection. While the database is out of reach every request
/// waits this long, then is refused with 503, so it is short; a busy pool hands connections back
/// in milliseconds.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// A connection idle in the pool at least this long is pinged before it is lent out again.
const PING_AFTER_IDLE: Duration = Duration::from_secs(1);

/// Downloads read at the same time on Postgres; one more waits for a connection as long as a
/// request does (`ACQUIRE_TIMEOUT`).
const DOWNLOAD_CONNECTIONS: u32 = 8;

/// Which database is behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The connection pool and the backend it talks to.
#[derive(Debug, Clone)]
pub struct Db {
    pool: AnyPool,
    pub backend: Backend,
    /// Postgres only: native connections for downloads, which stream up to millions of rows.
    /// The `Any` driver copies every column of every row into a value of its own (2–3 µs for
    /// a row of 14 columns), which held a download to a third of `psql`'s rate; the native
    /// driver decodes the row where it lies. Opened on first use.
    downloads: Option<sqlx::PgPool>,
    /// SQLite has one writer at a time; writers of this process queue here, in order, instead
    /// of polling the file lock through the busy timeout.
    writer: Arc<tokio::sync::Mutex<()>>,
}

/// A write transaction. On SQLite it also holds this process's turn to write.
pub struct WriteTx {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl WriteTx {
    pub async fn commit(self) -> sqlx::Result<()> {
        self.tx.commit().await
    }

    pub async fn rollback(self) -> sqlx::Result<()> {
        self.tx.rollback().await
    }
}

impl std::ops::Deref for WriteTx {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }
}

/// Errors opening the store, worded for an operator.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("unsupported database URL scheme `{0}`: use sqlite://FILE or postgres://…")]
    Scheme(String),
    #[error("cannot open the database: {0}")]
    Open(#[from] sqlx::Error),
    #[error("cannot migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

impl Db {
    /// A connection from the pool, for the query functions of `db`'s modules.
    pub async fn conn(&self) -> sqlx::Result<sqlx::pool::PoolConnection<sqlx::Any>> {
        self.pool.acquire().await
    }

    /// Whether the database answers (`/healthz`).
    pub async fn ping(&self) -> sqlx::Result<()> {
        sqlx::query("select 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    /// Deletes every tenant (and all that hangs off it), administrator, audit entry, sign-in
    /// failure and queued email, in one transaction: `tally demo` starts from nothing.
    pub async fn clear_all(&self) -> sqlx::Result<()> {
        let mut tx = self.begin().await?;
        tenants::delete_all(&mut tx).await?;
        administrators::delete_all(&mut tx).await?;
        for table in ["sign_in_failures", "audit_log", "outbox"] {
            sqlx::query(&format!("delete from {table}"))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    }

    /// On Postgres, a native connection for a download's rows (see `Db::downloads`); `None`
    /// on SQLite.
    pub async fn download_conn(
        &self,
    ) -> Option<sqlx::Result<sqlx::pool::PoolConnection<sqlx::Postgres>>> {
        match &self.downloads {
            Some(pool) => Some(pool.acquire().await),
            None => None,
        }
    }

    /// Connections lent out of the pools and not yet back.
    pub fn connections_out(&self) -> u32 {
        let out = |size: u32, idle: usize| size.saturating_sub(idle as u32);
        out(self.pool.size(), self.pool.num_idle())
            + self
                .downloads
                .as_ref()
                .map_or(0, |pool| out(pool.size(), pool.num_idle()))
    }

    /// Closes the pools: waits for the connections out to come back, then closes them.
    pub async fn close(&self) {
        self.pool.close().await;
        if let Some(pool) = &self.downloads {
            pool.close().await;
        }
    }

    /// Opens `url` (`sqlite://FILE`, created when missing, or `postgres://…`).
    pub async fn connect(url: &str) -> Result<Self, ConnectError> {
        sqlx::any::install_default_drivers();
        let (backend, url) = if url.starts_with("sqlite:") {
            let create = if url.contains("mode=") {
                ""
            } else if url.contains('?') {
                "&mode=rwc"
            } else {
                "?mode=rwc"
            };
            (Backend::Sqlite, format!("{url}{create}"))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_string())
        } else {
            // Only the scheme: the rest of the URL may carry a password.
            let scheme = url.split_once(':').map_or("", |(scheme, _)| scheme);
            return Err(ConnectError::Scheme(scheme.to_string()));
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let downloads = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => Some(
                sqlx::postgres::PgPoolOptions::new()
                    .max_connections(DOWNLOAD_CONNECTIONS)
                    .acquire_timeout(ACQUIRE_TIMEOUT)
                    .connect_lazy_with(sqlx::postgres::PgConnectOptions::from_str(&url)?),
            ),
        };
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .acquire_timeout(ACQUIRE_TIMEOUT)
            // sqlx pings every connection as it comes back to the pool, and closes one that
            // does not answer; by default it pings again before lending it out. Under load a
            // connection is lent again within milliseconds, so that second round trip is paid
            // on every acquire for nothing: only a connection idle for a while is pinged again
            // (the database may have restarted meanwhile). One that broke in between fails its
            // request with 503 and is closed when it comes back.
            .test_before_acquire(false)
            .before_acquire(|conn, meta| {
                Box::pin(async move {
                    if meta.idle_for >= PING_AFTER_IDLE {
                        conn.ping().await?;
                    }
                    Ok(true)
                })
            })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers proceed during a write; the busy timeout makes
                        // concurrent writers wait instead of failing. `tally serve` checkpoints
                        // in the background (jobs::sqlite_checkpoints), so a commit rarely has
                        // to; the high automatic threshold is only a safety net.
                        conn.execute(
                            "pragma journal_mode = wal; pragma synchronous = normal; \
                             pragma busy_timeout = 10000; pragma foreign_keys = on; \
                             pragma wal_autocheckpoint = 10000;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            // A transaction dropped unfinished leaves its rollback queued: flush it, and close
            // a connection still inside a transaction afterwards. SQLite rolls a transaction
            // back by itself when its COMMIT fails for want of disk space; sqlx's own rollback
            // then fails, and the connection would refuse every later `begin` forever.
            .after_release(|conn, _| {
                Box::pin(async move {
                    if conn.is_in_transaction() {
                        conn.ping().await?;
                        return Ok(!conn.is_in_transaction());
                    }
                    Ok(true)
                })
            })
            .connect_with(options)
            .await?;
        Ok(Self {
            pool,
            backend,
            downloads,
            writer: Arc::new(tokio::sync::Mutex::new(())),
        })
    }

    /// Brings the schema up to date; safe to run from several instances at once.
    pub async fn migrate(&self) -> Result<(), ConnectError> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        Ok(())
    }

    /// Copies what the SQLite write-ahead log holds into the database file without blocking
    /// writers; nothing to do on Postgres.
    pub async fn checkpoint(&self) -> Result<(), sqlx::Error> {
        if self.backend == Backend::Sqlite {
            sqlx::query("pragma wal_checkpoint(passive)")
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// Starts a write transaction. On SQLite it waits for this process's turn, then takes the
    /// database's write lock up front (other processes wait on the busy timeout), so a read
    /// lock never has to be upgraded mid-transaction.
    pub async fn begin(&self) -> Result<WriteTx, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => {
                let turn = self.writer.clone().lock_owned().await;
                Ok(WriteTx {
                    tx: self.pool.begin_with("begin immediate").await?,
                    _turn: Some(turn),
                })
            }
            Backend::Postgres => Ok(WriteTx {
                tx: self.pool.begin().await?,
                _turn: None,
            }),
        }
    }
}

/// The current instant in epoch milliseconds, the unit every `_at` column holds.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// A connection borrowed from the pool or a transaction; every query function takes one.
pub type Conn = AnyConnection;

/// Whether `error` is the violation of the unique constraint or index named `name`. Postgres
/// reports the name; SQLite reports the columns, so callers also pass those.
pub fn violates_unique(error: &sqlx::Error, name: &str, sqlite_columns: &str) -> bool {
    let Some(db_error) = error.as_database_error() else {
        return false;
    };
    db_error.is_unique_violation()
        && match db_error.constraint() {
            Some(constraint) => constraint == name,
            None => db_error.message().ends_with(sqlite_columns),
        }
}

/// A boolean column read as an integer: the Any driver cannot decode SQLite's `boolean`, so
/// queries select `cast(flag as integer)` and rows convert through this.
#[derive(Debug, Clone, Copy, sqlx::Type)]
#[sqlx(transparent)]
pub struct IntFlag(pub i64);

impl From<IntFlag> for bool {
    fn from(flag: IntFlag) -> bool {
        flag.0 != 0
    }
}

/// A text column read through `FromStr`; a value that does not read is a decoding error that
/// names the column and the value, never a silent default.
pub fn parsed<T>(row: &sqlx::any::AnyRow, column: &str) -> sqlx::Result<T>
where
    T: FromStr,
    T::Err: std::fmt::Display,
{
    use sqlx::Row;
    let text: String = row.try_get(column)?;
    text.parse().map_err(|e| sqlx::Error::ColumnDecode {
        index: column.into(),
        source: format!("`{text}`: {e}").into(),
    })
}

/// Serde's reading of the same integer flag, for rows that arrive as JSON.
pub fn int_flag<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    <i64 as serde::Deserialize>::deserialize(deserializer).map(|flag| flag != 0)
}

/// The rows of the JSON array bound as `$1`, each as a `value` column whose elements are read
/// with `value->>N` (the same operator on both backends); only this table function differs.
/// One text parameter carries a list of any length.
pub fn json_rows(conn: &Conn) -> &'static str {
    if conn.backend_name() == "SQLite" {
        "json_each($1)"
    } else {
        "jsonb_array_elements(cast($1 as jsonb))"
    }
}

/// The aggregate and the constructor that turn rows into one JSON array of arrays, which a
/// download reads a batch at a time: `(json_group_array, json_array)` on SQLite,
/// `(json_agg, json_build_array)` on Postgres. Both take `order by` inside the aggregate.
pub fn json_arrays(conn: &Conn) -> (&'static str, &'static str) {
    if conn.backend_name() == "SQLite" {
        ("json_group_array", "json_array")
    } else {
        ("json_agg", "json_build_array")
    }
}

/// Rows per multi-row insert statement: at the widest row (a transaction's 14 values) that
/// stays well under both backends' limits on bound parameters (SQLite 32,766, Postgres 65,535).
pub const INSERT_ROWS: usize = 1_000;

/// The VALUES list of a multi-row insert of `rows` rows of `columns` columns, bound in row
/// order: `($1, $2, …), (…)` on Postgres, `(?, ?, …), (…)` on SQLite. SQLite looks a numbered
/// parameter up by its name, one after another, so binding thousands of `$N` took it longer
/// than inserting the rows; a bare `?` is simply the next one.
pub fn placeholders(conn: &Conn, rows: usize, columns: usize) -> String {
    numbered_placeholders(rows, columns, conn.backend_name() != "SQLite")
}

fn numbered_placeholders(rows: usize, columns: usize, numbered: bool) -> String {
    let mut sql = String::with_capacity(rows * columns * 5);
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for column in 0..columns {
            if column > 0 {
                sql.push_str(", ");
            }
            if numbered {
                sql.push('$');
                sql.push_str(&(row * columns + column + 1).to_string());
            } else {
                sql.push('?');
            }
        }
        sql.push(')');
    }
    sql
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_number_rows_in_order() {
        assert_eq!(
            super::numbered_placeholders(2, 3, true),
            "($1, $2, $3), ($4, $5, $6)"
        );
        assert_eq!(super::numbered_placeholders(1, 1, true), "($1)");
        assert_eq!(super::numbered_placeholders(2, 2, false), "(?, ?), (?, ?)");
    }
}
