//! SQLite on a full disk, under a running `tally serve`: the database sits on a small tmpfs the
//! test mounts, and a platform writes batches until the disk is full. Writes are then refused
//! with 507 and a clear message (never a 500, never a panic), reads still answer, nothing
//! acknowledged is lost, the database passes its integrity check and every batch is whole or
//! absent; once the operator makes room, Tally takes writes again without a restart.
//!
//! Mounting needs root (CI runs as root); elsewhere the test says so and passes only outside CI.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use app::server::db::Db;
use support::bound::Watchdog;
use support::privileged::skip_outside_ci;
use support::serving::serve_on;
use support::writer::{BATCH, batch, stored_batches, tenant_with_key};

/// A tmpfs of `size` mounted on a fresh folder, unmounted when dropped.
struct SmallDisk {
    path: PathBuf,
    _dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(size: &str) -> Result<Self, String> {
        let dir = tempfile::tempdir().expect("folder");
        let path = dir.path().to_path_buf();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&path)
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).into_owned());
        }
        Ok(Self { path, _dir: dir })
    }

    /// Makes room: the operator grows the disk.
    fn grow(&self, size: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,size={size}")])
            .arg(&self.path)
            .status()
            .expect("remount");
        assert!(status.success(), "remount");
    }

    fn file(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
    }
}

/// SQLite's own check of the file, read by a fresh connection.
async fn integrity(path: &Path) -> String {
    let db = Db::connect(&format!("sqlite://{}", path.display()))
        .await
        .expect("open");
    let (verdict,): (String,) = sqlx::query_as("pragma integrity_check")
        .fetch_one(&mut *db.conn().await.expect("connection"))
        .await
        .expect("integrity check");
    db.close().await;
    verdict
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_writes_clearly_and_loses_nothing() {
    let _watchdog = Watchdog::new(
        "full_disk::a_full_disk_refuses_writes_clearly_and_loses_nothing",
        Duration::from_secs(180),
    );
    let disk = match SmallDisk::mount("3m") {
        Ok(disk) => disk,
        Err(why) => {
            skip_outside_ci("mount a tmpfs", &why);
            return;
        }
    };
    let url = format!("sqlite://{}", disk.file("tally.db").display());
    let db = Db::connect(&url).await.expect("open SQLite");
    db.migrate().await.expect("migrate");
    let (_, key) = tenant_with_key(&db).await;

    let mut serving = serve_on(None, url.clone());
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    let address = serving.address.clone();
    let post = |n: usize| {
        client
            .post(format!("http://{address}/api/v1/events"))
            .bearer_auth(&key)
            .json(&batch(n))
            .send()
    };
    // Batches until the disk is full, then on: each is stored (200) or refused (507), never
    // anything else, until three were refused. (A refusal can make a little room, the write
    // ahead log being checkpointed, so the next batch may still fit.)
    let mut acked = Vec::new();
    let mut refused = Vec::new();
    let mut n = 0;
    while refused.len() < 3 {
        assert!(n < 5_000, "3 MB never filled up");
        let answer = post(n).await.expect("an answer");
        match answer.status().as_u16() {
            200 => acked.push(n),
            507 => {
                let body: serde_json::Value = answer.json().await.expect("JSON");
                let error = body["error"].as_str().expect("error").to_string();
                assert!(
                    error.contains("no space left") && error.contains("request "),
                    "{error}"
                );
                assert!(
                    !error.contains("SQLITE") && !error.contains("tally.db"),
                    "{error}"
                );
                refused.push(n);
            }
            status => panic!("batch {n} answered {status}"),
        }
        n += 1;
    }
    assert!(
        acked.len() > 5,
        "batches were stored before the disk filled"
    );
    serving.log_line_with(&["disk is full"]);
    let health = client
        .get(format!("http://{}/healthz", serving.address))
        .send()
        .await
        .expect("answer");
    assert_eq!(health.status(), 200);
    let entitlements = client
        .get(format!("http://{}/api/v1/entitlements", serving.address))
        .bearer_auth(&key)
        .send()
        .await
        .expect("answer");
    assert_eq!(entitlements.status(), 200, "reads still answer");

    // Nothing acknowledged is lost, nothing is half there.
    let stored = stored_batches(&db).await;
    for n in &acked {
        assert_eq!(stored.get(n), Some(&BATCH), "acknowledged batch {n}");
    }
    assert!(stored.values().all(|events| *events == BATCH), "{stored:?}");
    assert_eq!(stored.len(), acked.len(), "refused batches left nothing");
    assert!(refused.iter().all(|n| !stored.contains_key(n)));

    // The operator makes room: writes go through again, without a restart.
    disk.grow("64m");
    let retried = post(refused[0]).await.expect("an answer");
    assert_eq!(retried.status(), 200, "the refused batch, sent again");
    serving.stops_cleanly_on_sigterm();
    db.close().await;
    assert_eq!(integrity(&disk.file("tally.db")).await, "ok");
}
