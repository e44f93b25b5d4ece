//! Fresh databases for integration tests: a SQLite file in a temporary folder, or a new
//! Postgres database on the local server (`TALLY_TEST_POSTGRES`, default
//! `postgres://postgres@127.0.0.1:5432/postgres`).
//!
//! Every test runs bounded (`run`): each phase — opening the database, the test body, closing
//! the pool — has its own limit and, past it, fails with the test's name and what it was
//! waiting for; a `Watchdog` backs that up for a thread that is itself blocked.

use std::future::Future;
use std::time::Duration;

use app::server::db::Db;

use super::bound::{Watchdog, bounded};

/// Opening (and for Postgres creating and migrating) a test database.
pub const SETUP_LIMIT: Duration = Duration::from_secs(60);
/// One test body. The slowest today (1 000 concurrent requests, 4 001-row exports, debug
/// build, two cores shared by parallel tests) takes well under a minute.
/// `TALLY_TEST_BODY_LIMIT_SECS` overrides it (to see a hang fail fast).
pub fn body_limit() -> Duration {
    std::env::var("TALLY_TEST_BODY_LIMIT_SECS")
        .ok()
        .and_then(|secs| secs.parse().ok())
        .map_or(Duration::from_secs(240), Duration::from_secs)
}
/// Closing the pool: every connection must have come back by then.
pub const CLOSE_LIMIT: Duration = Duration::from_secs(30);

pub struct TestDb {
    pub db: Db,
    /// Where `db` points, for a `tally` process to open the same database.
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl TestDb {
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        let url = format!("sqlite://{}", dir.path().join("tally.db").display());
        let db = Db::connect(&url).await.expect("open SQLite");
        db.migrate().await.expect("migrate SQLite");
        Self {
            db,
            url,
            _dir: Some(dir),
            pg: None,
        }
    }

    pub async fn postgres() -> Self {
        let admin_url = std::env::var("TALLY_TEST_POSTGRES")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string());
        let name = format!("tally_test_{:016x}", rand::random::<u64>());
        let admin = Db::connect(&admin_url)
            .await
            .expect("reach the test Postgres server");
        sqlx::query(&format!("create database {name}"))
            .execute(&mut *admin.conn().await.expect("admin connection"))
            .await
            .expect("create test database");
        admin.close().await;
        let base = admin_url
            .rsplit_once('/')
            .map_or(admin_url.as_str(), |(base, _)| base)
            .to_string();
        let url = format!("{base}/{name}");
        let db = Db::connect(&url).await.expect("open test database");
        db.migrate().await.expect("migrate Postgres");
        Self {
            db,
            url,
            _dir: None,
            pg: Some((admin_url, name)),
        }
    }

    /// Closes the pool, then drops a Postgres test database (SQLite's folder goes away on
    /// drop). Fails, naming what is still out, when a connection never comes back.
    pub async fn cleanup(self, test: &str) {
        if tokio::time::timeout(CLOSE_LIMIT, self.db.close())
            .await
            .is_err()
        {
            panic!(
                "{test}: closing the pool of {} still waits after {CLOSE_LIMIT:?} for {} \
                 connection(s) to come back (something holds a connection it never returns)",
                self.url,
                self.db.connections_out()
            );
        }
        if let Some((admin_url, name)) = self.pg
            && let Ok(admin) = Db::connect(&admin_url).await
        {
            let _ = sqlx::query(&format!("drop database if exists {name} with (force)"))
                .execute(&mut *admin.conn().await.expect("admin connection"))
                .await;
            admin.close().await;
        }
    }
}

/// One test on one backend: open the database, run the body, close the pool, each bounded.
pub async fn run<F, Fut>(test: &str, open: impl Future<Output = TestDb>, body: F)
where
    F: FnOnce(Db) -> Fut,
    Fut: Future<Output = ()>,
{
    let limit = body_limit();
    let _watchdog = Watchdog::new(
        test,
        SETUP_LIMIT + limit + CLOSE_LIMIT + Duration::from_secs(30),
    );
    let db = bounded(test, "the test database to open", SETUP_LIMIT, open).await;
    bounded(test, "the test body to finish", limit, body(db.db.clone())).await;
    db.cleanup(test).await;
}

/// Runs an async test body against a fresh SQLite database and a fresh Postgres database,
/// each bounded (see `run`).
#[macro_export]
macro_rules! on_both_backends {
    ($(#[$meta:meta])* async fn $name:ident($db:ident: Db) $body:block) => {
        async fn $name($db: app::server::db::Db) $body

        mod $name {
            #[tokio::test]
            async fn sqlite() {
                $crate::support::db::run(
                    concat!(module_path!(), "::sqlite"),
                    $crate::support::db::TestDb::sqlite(),
                    super::$name,
                )
                .await;
            }

            #[tokio::test]
            async fn postgres() {
                $crate::support::db::run(
                    concat!(module_path!(), "::postgres"),
                    $crate::support::db::TestDb::postgres(),
                    super::$name,
                )
                .await;
            }
        }
    };
}
