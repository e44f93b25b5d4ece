//! The outbox's delivery rate: emails rendered (in the tenant's language, text and HTML) and
//! handed to a local SMTP server (the tests' aiosmtpd sink) by the delivery worker's rounds, on
//! SQLite and on Postgres.
//!
//! `cargo bench -p tally-server --bench outbox`; `TALLY_BENCH_EMAILS` sets how many (default
//! 2000). Postgres comes from `TALLY_TEST_POSTGRES`.

use std::process::Stdio;
use std::time::{Duration, Instant};

use app::model::alert::AlertKind;
use app::model::{LicenseModel, Locale, TenantState};
use app::server::db::{Db, alerts::NewAlert, now_ms, subscriptions::SubscriptionRow};
use app::server::mail::Mailer;
use app::server::service::delivery::{self, Delivery};
use app::server::service::{self, tenants::TenantSpec};
use tokio::io::{AsyncBufReadExt, BufReader};

#[expect(dead_code, reason = "only the database helpers serve here")]
mod support;

/// Recipients per alert: each alert writes this many emails.
const RECIPIENTS: usize = 10;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let emails: usize = support::scale("TALLY_BENCH_EMAILS", 2000);
    let postgres = support::postgres();
    let dir = tempfile::tempdir()?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/support/smtp_sink.py");
    let mut sink = tokio::process::Command::new("python3")
        .args([script, &port.to_string()])
        .arg(dir.path().join("mail"))
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    let mut ready = BufReader::new(
        sink.stdout
            .take()
            .ok_or_else(|| anyhow::anyhow!("stdout"))?,
    )
    .lines();
    tokio::time::timeout(Duration::from_secs(20), ready.next_line()).await??;
    println!("Tally outbox delivery: {emails} alert emails rendered and sent to a local SMTP");
    println!(
        "server (aiosmtpd), {RECIPIENTS} recipients per alert, by the delivery worker's rounds.\n"
    );
    println!(
        "{:<9} {:>7} {:>9} {:>10}",
        "backend", "emails", "seconds", "emails/s"
    );
    for backend in ["sqlite", "postgres"] {
        let (url, cleanup) =
            support::fresh_database(backend, dir.path(), "outbox.db", &postgres).await?;
        let db = Db::connect(&url).await?;
        db.migrate().await?;
        queue(&db, emails).await?;
        let mailer = Mailer::new(
            &format!("smtp://127.0.0.1:{port}"),
            "Tally <bench@tally.test>",
            None,
        )?;
        let worker = Delivery::new(Some(mailer), "https://tally.example.com");
        let started = Instant::now();
        let mut sent = 0;
        while sent < emails {
            let round = delivery::run_round(&db, &worker, now_ms()).await?;
            anyhow::ensure!(round.retried + round.failed + round.dead == 0, "{round:?}");
            sent += round.sent;
        }
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "{backend:<9} {sent:>7} {seconds:>9.2} {:>10.0}",
            sent as f64 / seconds
        );
        db.close().await;
        if let Some(name) = cleanup {
            support::drop_database(&postgres, &name).await?;
        }
    }
    let _ = sink.kill().await;
    Ok(())
}

/// A tenant and `emails` queued alert emails.
async fn queue(db: &Db, emails: usize) -> anyhow::Result<()> {
    let spec = TenantSpec {
        slug: "bench".into(),
        name: "Bench".into(),
        state: TenantState::Active,
        time_zone: "America/Sao_Paulo".into(),
        locale: Locale::PtBr,
        subscription: SubscriptionRow::new(
            LicenseModel::TransactionBased,
            chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
            chrono::NaiveDate::from_ymd_opt(2027, 12, 31).expect("date"),
        ),
        extra_pools: Vec::new(),
        technical_emails: vec!["it@bench.test".into()],
        billing_emails: vec!["billing@bench.test".into()],
    };
    let tenant = service::tenants::create(db, &spec, "bench").await?;
    let to: Vec<String> = (0..RECIPIENTS)
        .map(|i| format!("person{i}@bench.test"))
        .collect();
    let now = now_ms();
    let mut tx = db.begin().await?;
    for i in 0..emails.div_ceil(RECIPIENTS) {
        let mut alert = NewAlert::new(AlertKind::Threshold, format!("bench:{i}"), now);
        alert.percent = Some(75);
        alert.purchased = Some(1000);
        alert.consumed = Some(750);
        service::alerts::raise(&mut tx, tenant, &alert, &to, now).await?;
    }
    tx.commit().await?;
    Ok(())
}
