//! Postgres restarted under load: a private Postgres server of the test's own (initdb and
//! pg_ctl, run as the `postgres` user), a platform writing batches to `tally serve` on it, and
//! `pg_ctl stop -m fast` / `start` in the middle. While it is down every answer is a prompt 503
//! (no other error, no hang, no panic); once it is back Tally serves again by itself, every
//! acknowledged batch is there whole, and the pool's counter equals the rows behind it.
//!
//! Needs root (to run Postgres as `postgres`) and the server binaries; CI has both. Elsewhere the
//! test says so and passes only outside CI.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use app::server::db::{Db, pools};
use support::bound::Watchdog;
use support::privileged::skip_outside_ci;
use support::serving::serve_on;
use support::writer::{BATCH, batch, stored_batches, tenant_with_key};

/// A Postgres server in a temporary folder, on a free port, stopped (immediately) when dropped.
struct PrivatePostgres {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
}

impl PrivatePostgres {
    fn create() -> Result<Self, String> {
        let version = std::fs::read_dir("/usr/lib/postgresql")
            .map_err(|e| format!("no Postgres server binaries: {e}"))?
            .flatten()
            .map(|entry| entry.path())
            .max()
            .ok_or("no Postgres server binaries")?;
        let bin = version.join("bin");
        let dir = tempfile::tempdir().expect("folder");
        let chown = Command::new("chown")
            .args(["postgres"])
            .arg(dir.path())
            .output()
            .map_err(|e| e.to_string())?;
        if !chown.status.success() {
            return Err(String::from_utf8_lossy(&chown.stderr).into_owned());
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let server = Self { bin, dir, port };
        server.as_postgres(
            "initdb",
            &[
                "-D",
                &server.data().display().to_string(),
                "--auth=trust",
                "-U",
                "postgres",
            ],
        )?;
        server.pg_ctl(&["start"])?;
        Ok(server)
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn as_postgres(&self, program: &str, args: &[&str]) -> Result<(), String> {
        let out = Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(self.bin.join(program))
            .args(args)
            .output()
            .map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{program}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }

    /// `pg_ctl ACTION` (`start`, or `stop -m fast`: connections are terminated at once).
    fn pg_ctl(&self, action: &[&str]) -> Result<(), String> {
        let data = self.data().display().to_string();
        let socket: &Path = self.dir.path();
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1",
            self.port,
            socket.display()
        );
        let log = self.dir.path().join("log").display().to_string();
        let mut args = vec!["-D", &data, "-o", &options, "-l", &log, "-w"];
        args.extend_from_slice(action);
        self.as_postgres("pg_ctl", &args)
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        let _ = self.pg_ctl(&["stop", "-m", "immediate"]);
    }
}

/// What the platform saw: batches acknowledged, and every answer that was not a 200.
#[derive(Default)]
struct Seen {
    acked: Vec<usize>,
    refused: usize,
    other: Vec<String>,
    slowest_refusal: Duration,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_restarted_under_load_is_503_then_recovered_losing_nothing() {
    let _watchdog = Watchdog::new(
        "pg_restart::postgres_restarted_under_load_is_503_then_recovered_losing_nothing",
        Duration::from_secs(180),
    );
    let postgres = match PrivatePostgres::create() {
        Ok(postgres) => postgres,
        Err(why) => {
            skip_outside_ci("run a private Postgres", &why);
            return;
        }
    };
    let db = Db::connect(&postgres.url()).await.expect("connect");
    db.migrate().await.expect("migrate");
    let (tenant, key) = tenant_with_key(&db).await;
    let serving = serve_on(None, postgres.url());

    // The platform: batch after batch, each sent again after a 503 until it is stored.
    let seen = Arc::new(Mutex::new(Seen::default()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let platform = tokio::spawn({
        let (seen, stop) = (seen.clone(), stop.clone());
        let (address, key) = (serving.address.clone(), key.clone());
        async move {
            let client = reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .expect("client");
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                let started = Instant::now();
                let answer = client
                    .post(format!("http://{address}/api/v1/events"))
                    .bearer_auth(&key)
                    .json(&batch(n))
                    .send()
                    .await;
                {
                    let mut seen = seen.lock().expect("lock");
                    match answer.map(|a| a.status().as_u16()) {
                        Ok(200) => {
                            seen.acked.push(n);
                            n += 1;
                        }
                        Ok(503) => {
                            seen.refused += 1;
                            seen.slowest_refusal = seen.slowest_refusal.max(started.elapsed());
                        }
                        other => seen.other.push(format!("batch {n}: {other:?}")),
                    }
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    });
    let acked = || seen.lock().expect("lock").acked.len();
    let wait_for_acked = |count: usize| async move {
        for _ in 0..1500 {
            if acked() >= count {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("the platform never reached {count} acknowledged batches");
    };
    wait_for_acked(5).await;

    postgres.pg_ctl(&["stop", "-m", "fast"]).expect("stop");
    let before_restart = acked();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let health = reqwest::get(format!("http://{}/healthz", serving.address))
        .await
        .expect("an answer while Postgres is down");
    assert_eq!(health.status(), 503);
    postgres.pg_ctl(&["start"]).expect("start");
    wait_for_acked(before_restart + 10).await;
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    platform.await.expect("platform");

    let seen = std::mem::take(&mut *seen.lock().expect("lock"));
    assert!(
        seen.other.is_empty(),
        "answers besides 200 and 503: {:?}",
        seen.other
    );
    assert!(seen.refused > 0, "the restart was noticed");
    assert!(
        seen.slowest_refusal < Duration::from_secs(12),
        "a refusal took {:?}",
        seen.slowest_refusal
    );
    let stored = stored_batches(&db).await;
    assert_eq!(stored.len(), seen.acked.len(), "{stored:?}");
    for n in &seen.acked {
        assert_eq!(stored.get(n), Some(&BATCH), "acknowledged batch {n}");
    }
    let mut conn = db.conn().await.expect("connection");
    let pool = pools::by_key(&mut conn, tenant, "conversation_transactions")
        .await
        .expect("pool")
        .expect("pool exists");
    assert_eq!(pool.consumed, (seen.acked.len() * BATCH) as i64);
    drop(conn);
    eprintln!(
        "{} batches stored, {} answers 503 while Postgres restarted (slowest {:?})",
        seen.acked.len(),
        seen.refused,
        seen.slowest_refusal
    );
    serving.stops_cleanly_on_sigterm();
    db.close().await;
}
