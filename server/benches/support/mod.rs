//! What the benchmarks share: the release `tally serve` as a separate process, and a fresh
//! database per backend.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// The Postgres server the benchmarks make their databases on: `TALLY_TEST_POSTGRES`, or the
/// local one.
pub fn postgres() -> String {
    std::env::var("TALLY_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A size from the environment variable `name` (`TALLY_BENCH_…`), or `default`.
pub fn scale<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `tally serve` on a free port, as its own process.
pub struct Server {
    child: Child,
    pub address: String,
}

impl Server {
    pub fn start(url: &str) -> anyhow::Result<Self> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tally"))
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env("DATABASE_URL", url)
            // The benchmarks measure the server, not the per-key limit in front of it.
            .env("TALLY_API_RATE_LIMIT", "0")
            .env("RUST_LOG", "warn,tally_server=info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()?;
        let stderr = child
            .stderr
            .take()
            .ok_or_else(|| anyhow::anyhow!("serve stderr"))?;
        let mut lines = BufReader::new(stderr).lines();
        let address = loop {
            let Some(line) = lines.next() else {
                anyhow::bail!("tally serve exited before listening");
            };
            if let Some((_, rest)) = line?.split_once("listening on http://") {
                break rest.trim().to_string();
            }
        };
        // Keep draining the log so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Ok(Self { child, address })
    }

    pub fn stop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

impl Server {
    /// A memory figure of the server process from `/proc/PID/status`, in KiB: `VmRSS` (now) or
    /// `VmHWM` (the peak so far).
    pub fn memory_kib(&self, field: &str) -> Option<u64> {
        memory_kib(self.pid(), field)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

pub fn memory_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
}

/// A fresh database for one backend's run, as a URL: the SQLite file `file` in `dir`, or a new
/// database on the Postgres server of `postgres`, whose name comes second (for
/// `drop_database`).
pub async fn fresh_database(
    backend: &str,
    dir: &std::path::Path,
    file: &str,
    postgres: &str,
) -> anyhow::Result<(String, Option<String>)> {
    if backend == "sqlite" {
        return Ok((format!("sqlite://{}", dir.join(file).display()), None));
    }
    let name = format!("tally_bench_{:08x}", rand::random::<u32>());
    let admin = app::server::db::Db::connect(postgres).await?;
    sqlx::query(&format!("create database {name}"))
        .execute(&mut *admin.conn().await?)
        .await?;
    admin.close().await;
    let base = postgres.rsplit_once('/').map_or(postgres, |(b, _)| b);
    Ok((format!("{base}/{name}"), Some(name)))
}

/// Drops a database `fresh_database` made on the Postgres server of `postgres`.
pub async fn drop_database(postgres: &str, name: &str) -> anyhow::Result<()> {
    let admin = app::server::db::Db::connect(postgres).await?;
    sqlx::query(&format!("drop database if exists {name} with (force)"))
        .execute(&mut *admin.conn().await?)
        .await?;
    admin.close().await;
    Ok(())
}

/// Signs `email` in at the server `base` (`http://ADDRESS`); the session cookie as
/// `tally_session=…`.
pub async fn sign_in(base: &str, email: &str, password: &str) -> anyhow::Result<String> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let reply = client
        .post(format!("{base}/login"))
        .form(&[("email", email), ("password", password)])
        .send()
        .await?;
    reply
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| {
            c.split(';')
                .next()
                .filter(|kv| kv.starts_with("tally_session="))
        })
        .map(str::to_string)
        .ok_or_else(|| anyhow::anyhow!("sign-in of {email} refused"))
}
