//! `tally backup` and `tally restore`: a consistent copy of the database taken while Tally
//! serves and writes, and the way back from it.
//!
//! - SQLite: `VACUUM INTO` writes the database as one read transaction sees it, so the copy is
//!   consistent whatever is being written meanwhile; it is checked (`pragma integrity_check`)
//!   before the command says it is done. Restoring checks the file the same way, then puts it in
//!   place of the database file in one rename.
//! - Postgres: `pg_dump` in its custom format, which reads everything in one snapshot;
//!   `pg_restore` brings it back in a single transaction, so a failed restore changes nothing.
//!   Both must be on `PATH` (Debian's `postgresql-client`).
//!
//! Restore replaces what the database holds: stop `tally serve` first.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use app::server::db::Db;

/// `tally backup --to FILE`; what was done, for the operator.
pub async fn backup(database_url: &str, to: &Path) -> anyhow::Result<String> {
    if to.exists() {
        bail!(
            "{} exists already; back up to a new file (nothing was written)",
            to.display()
        );
    }
    match sqlite_path(database_url) {
        Some(_) => {
            let db = Db::connect(database_url).await?;
            let target = to.to_str().context("the backup path is not UTF-8")?;
            let copied = sqlx::query("vacuum into $1")
                .bind(target)
                .execute(&mut *db.conn().await?)
                .await;
            db.close().await;
            copied.with_context(|| format!("copying the database to {}", to.display()))?;
            if let Err(error) = check_sqlite(to).await {
                let _ = std::fs::remove_file(to);
                return Err(error);
            }
            let bytes = std::fs::metadata(to).map(|m| m.len()).unwrap_or(0);
            Ok(format!(
                "backed up to {} ({bytes} bytes, integrity ok); restore with \
                 `tally restore --from {}`",
                to.display(),
                to.display()
            ))
        }
        None => {
            run(
                Command::new("pg_dump")
                    .args(["--format=custom", "--no-owner", "--file"])
                    .arg(to)
                    .arg(postgres_url(database_url)?),
                "pg_dump",
            )?;
            Ok(format!(
                "backed up with pg_dump (custom format, one consistent snapshot) to {}; \
                 restore with `tally restore --from {}`",
                to.display(),
                to.display()
            ))
        }
    }
}

/// `tally restore --from FILE`; what was done, for the operator.
pub async fn restore(database_url: &str, from: &Path) -> anyhow::Result<String> {
    if !from.is_file() {
        bail!("{} is not a file", from.display());
    }
    match sqlite_path(database_url) {
        Some(target) => {
            check_sqlite(from)
                .await
                .with_context(|| format!("{} is not a sound Tally backup", from.display()))?;
            // Copied beside the database first, so the database file is replaced in one rename
            // and never seen half-written.
            let staging = with_suffix(&target, ".restoring");
            std::fs::copy(from, &staging)
                .with_context(|| format!("copying {} beside the database", from.display()))?;
            for stale in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(with_suffix(&target, stale));
            }
            std::fs::rename(&staging, &target)
                .with_context(|| format!("putting the backup in place of {}", target.display()))?;
            Ok(format!(
                "restored {} from {}",
                target.display(),
                from.display()
            ))
        }
        None => {
            run(
                Command::new("pg_restore")
                    .args([
                        "--clean",
                        "--if-exists",
                        "--no-owner",
                        "--single-transaction",
                        "--exit-on-error",
                        "--dbname",
                    ])
                    .arg(postgres_url(database_url)?)
                    .arg(from),
                "pg_restore",
            )?;
            Ok(format!(
                "restored the database from {} with pg_restore",
                from.display()
            ))
        }
    }
}

/// The file of a `sqlite://` URL; `None` for any other.
fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.trim_start_matches("//");
    Some(PathBuf::from(rest.split('?').next().unwrap_or(rest)))
}

fn postgres_url(url: &str) -> anyhow::Result<&str> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(url)
    } else {
        bail!("the database URL is neither sqlite:// nor postgres://")
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Opens an SQLite file read-only and runs its integrity check; it must also be Tally's.
async fn check_sqlite(path: &Path) -> anyhow::Result<()> {
    use sqlx::Connection;
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .read_only(true);
    let mut conn = sqlx::SqliteConnection::connect_with(&options)
        .await
        .with_context(|| format!("opening {}", path.display()))?;
    let checked: anyhow::Result<()> = async {
        let (verdict,): (String,) = sqlx::query_as("pragma integrity_check")
            .fetch_one(&mut conn)
            .await
            .context("not an SQLite database")?;
        if verdict != "ok" {
            bail!("integrity check: {verdict}");
        }
        let (tables,): (i64,) = sqlx::query_as(
            "select count(*) from sqlite_master where type = 'table' and name = 'usage_events'",
        )
        .fetch_one(&mut conn)
        .await?;
        if tables == 0 {
            bail!("it holds no Tally tables");
        }
        Ok(())
    }
    .await;
    let _ = conn.close().await;
    checked
}

fn run(command: &mut Command, name: &str) -> anyhow::Result<()> {
    let out = command
        .output()
        .with_context(|| format!("running {name} (is postgresql-client installed?)"))?;
    if !out.status.success() {
        bail!(
            "{name} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}
