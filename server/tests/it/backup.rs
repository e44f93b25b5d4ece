//! `tally backup` while `tally serve` takes batches of usage, then `tally restore` into another
//! database, on SQLite and on Postgres: the restored database is sound and holds every batch
//! acknowledged before the backup began, each batch whole or not at all.

use crate::support;

use std::path::Path;
use std::time::Duration;

use app::server::db::Db;
use support::bound::Watchdog;
use support::db::TestDb;
use support::serving::serve_on;
use support::writer::{BATCH, Writer, stored_batches, tenant_with_key};

async fn tally(args: &[&str], url: &str) -> std::process::Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_tally"))
        .args(args)
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .output()
        .await
        .expect("run tally")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

async fn backup_under_writes(source: TestDb, target_url: &str, folder: &Path) {
    let (_, key) = tenant_with_key(&source.db).await;
    let serving = serve_on(None, source.url.clone());

    let writer = Writer::start(&serving.address, &key);
    writer.until_acked(10).await;
    let before = writer.acked();
    let file = folder.join("tally.backup");
    let file_arg = file.to_str().expect("path");
    let backup = tally(&["backup", "--to", file_arg], &source.url).await;
    assert!(backup.status.success(), "{}", text(&backup.stderr));
    assert!(
        text(&backup.stdout).contains("restore with"),
        "{}",
        text(&backup.stdout)
    );
    // Writes went on through the backup and after it.
    writer.until_acked(before.len() + 5).await;
    writer.stop().await;
    let again = tally(&["backup", "--to", file_arg], &source.url).await;
    assert!(!again.status.success());
    assert!(
        text(&again.stderr).contains("exists already"),
        "{}",
        text(&again.stderr)
    );
    serving.stops_cleanly_on_sigterm();
    let written = stored_batches(&source.db).await;
    source.cleanup("backup::source").await;

    // A file that is no backup is refused, and the target keeps what it has.
    let junk = folder.join("junk.backup");
    std::fs::write(&junk, "not a database").expect("junk");
    let refused = tally(
        &["restore", "--from", junk.to_str().expect("path")],
        target_url,
    )
    .await;
    assert!(!refused.status.success());

    let restored = tally(&["restore", "--from", file_arg], target_url).await;
    assert!(restored.status.success(), "{}", text(&restored.stderr));
    let target = Db::connect(target_url)
        .await
        .expect("open the restored database");
    if target.backend == app::server::db::Backend::Sqlite {
        let (verdict,): (String,) = sqlx::query_as("pragma integrity_check")
            .fetch_one(&mut *target.conn().await.expect("connection"))
            .await
            .expect("integrity check");
        assert_eq!(verdict, "ok");
    }
    let batches = stored_batches(&target).await;
    for batch in &before {
        assert_eq!(
            batches.get(batch),
            Some(&BATCH),
            "acknowledged batch {batch}"
        );
    }
    for (batch, events) in &batches {
        assert_eq!(*events, BATCH, "batch {batch} is whole");
        assert_eq!(
            written.get(batch),
            Some(&BATCH),
            "batch {batch} was written"
        );
    }
    assert!(
        batches.len() < written.len(),
        "the batches after the backup are not in it"
    );
    target.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    let _watchdog = Watchdog::new("backup::sqlite", Duration::from_secs(180));
    let folder = tempfile::tempdir().expect("folder");
    let target = format!("sqlite://{}", folder.path().join("restored.db").display());
    backup_under_writes(TestDb::sqlite().await, &target, folder.path()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    let _watchdog = Watchdog::new("backup::postgres", Duration::from_secs(180));
    let folder = tempfile::tempdir().expect("folder");
    let target = TestDb::postgres().await;
    let url = target.url.clone();
    backup_under_writes(TestDb::postgres().await, &url, folder.path()).await;
    target.cleanup("backup::postgres target").await;
}
