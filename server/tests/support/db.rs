//! Fresh databases for integration tests: a SQLite file in a temporary folder, or a new
//! Postgres database on the local server (`TALLY_TEST_POSTGRES`, default
//! `postgres://postgres@127.0.0.1:5432/postgres`).

use app::server::db::Db;

pub struct TestDb {
    pub db: Db,
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
            .execute(&admin.pool)
            .await
            .expect("create test database");
        admin.pool.close().await;
        let base = admin_url
            .rsplit_once('/')
            .map_or(admin_url.as_str(), |(base, _)| base)
            .to_string();
        let db = Db::connect(&format!("{base}/{name}"))
            .await
            .expect("open test database");
        db.migrate().await.expect("migrate Postgres");
        Self {
            db,
            _dir: None,
            pg: Some((admin_url, name)),
        }
    }

    /// Drops a Postgres test database (SQLite's folder goes away on drop).
    pub async fn cleanup(self) {
        self.db.pool.close().await;
        if let Some((admin_url, name)) = self.pg
            && let Ok(admin) = Db::connect(&admin_url).await
        {
            let _ = sqlx::query(&format!("drop database if exists {name} with (force)"))
                .execute(&admin.pool)
                .await;
        }
    }
}

/// Runs an async test body against a fresh SQLite database and a fresh Postgres database.
#[macro_export]
macro_rules! on_both_backends {
    ($(#[$meta:meta])* async fn $name:ident($db:ident: Db) $body:block) => {
        async fn $name($db: app::server::db::Db) $body

        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let test = $crate::support::db::TestDb::sqlite().await;
                super::$name(test.db.clone()).await;
                test.cleanup().await;
            }

            #[tokio::test]
            async fn postgres() {
                let test = $crate::support::db::TestDb::postgres().await;
                super::$name(test.db.clone()).await;
                test.cleanup().await;
            }
        }
    };
}
