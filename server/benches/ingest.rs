//! Ingestion throughput over HTTP, on SQLite and on Postgres, beside the raw speed of writing
//! the same rows into the same schema in one transaction (`sqlite3`, `psql` with `COPY`).
//!
//! `cargo bench -p tally-server --bench ingest` starts the release `tally serve` as its own
//! process and drives it from this one. Postgres comes from `TALLY_TEST_POSTGRES` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`); `TALLY_BENCH_EVENTS` scales the run
//! (default 100000 events for the largest batch size).

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::model::{LicenseModel, Locale, TenantState};
use app::server::db::{Db, subscriptions::SubscriptionRow};
use app::server::service::{self, refills, tenants::TenantSpec};
use serde_json::{Value, json};
use tokio::sync::Mutex;

#[expect(dead_code, reason = "the helpers serve the other benchmarks too")]
mod support;

use support::Server;

const CLIENTS: usize = 8;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let largest: usize = support::scale("TALLY_BENCH_EVENTS", 100_000);
    let postgres = support::postgres();
    let dir = tempfile::tempdir()?;
    println!("Tally ingestion benchmark: skill.executed events (one billable transaction each),");
    println!("{CLIENTS} concurrent HTTP clients, keep-alive, against `tally serve` (release).\n");
    println!(
        "{:<9} {:>6} {:>9} {:>10} {:>12}",
        "backend", "batch", "events", "seconds", "events/s"
    );
    let mut summary = Vec::new();
    for backend in ["sqlite", "postgres"] {
        let (url, cleanup) =
            support::fresh_database(backend, dir.path(), "api.db", &postgres).await?;
        // Exactly what the run uses: usage crosses every alert threshold on the way, so the
        // figures include deciding the alerts and writing their emails to the outbox.
        let licenses = (largest / 20 + largest / 2 + largest) as i64;
        let key = prepare(&url, licenses).await?;
        let mut server = Server::start(&url)?;
        let mut best = 0.0;
        for batch in [1usize, 100, 500] {
            let events = match batch {
                1 => largest / 20,
                100 => largest / 2,
                _ => largest,
            };
            let rate = drive(&server.address, &key, batch, events, backend).await?;
            println!(
                "{backend:<9} {batch:>6} {events:>9} {:>10.2} {:>12.0}",
                events as f64 / rate,
                rate
            );
            if batch == 500 {
                best = rate;
            }
        }
        if let Some(peak) = server.memory_kib("VmHWM") {
            println!(
                "{backend:<9} server peak memory {:.1} MiB",
                peak as f64 / 1024.0
            );
        }
        server.stop();
        let alerts = alerts_raised(&url).await?;
        println!("{backend:<9} alerts raised during the run: {alerts}");
        breakdown(&url, 40).await?;
        let raw = match backend {
            "sqlite" => raw_sqlite(dir.path(), largest)?,
            _ => raw_postgres(&url, largest)?,
        };
        println!(
            "{backend:<9} {:>6} {largest:>9} {:>10.2} {:>12.0}   raw: {} in one transaction",
            "raw",
            largest as f64 / raw,
            raw,
            if backend == "sqlite" {
                "sqlite3, multi-row INSERT"
            } else {
                "psql COPY"
            }
        );
        summary.push((backend, best, raw));
        if let Some(name) = cleanup {
            support::drop_database(&postgres, &name).await?;
        }
    }
    println!();
    for (backend, api, raw) in summary {
        println!(
            "{backend}: batches of 500 reach {api:.0} events/s, {:.0}% of the raw {raw:.0} rows/s",
            api * 100.0 / raw
        );
    }
    Ok(())
}

/// Alerts in the log, with their emails.
async fn alerts_raised(url: &str) -> anyhow::Result<String> {
    let db = Db::connect(url).await?;
    let stats = service::alerts::log::stats(&db).await?;
    db.close().await;
    let alerts: i64 = stats.alerts.iter().map(|(_, n)| n).sum();
    let emails: i64 = stats.emails.iter().map(|(_, n)| n).sum();
    Ok(format!("{alerts} ({emails} emails queued)"))
}

/// Migrates the database and creates a transaction-based tenant with `licenses` licenses;
/// returns its API key.
async fn prepare(url: &str, licenses: i64) -> anyhow::Result<String> {
    let db = Db::connect(url).await?;
    db.migrate().await?;
    let spec = TenantSpec {
        slug: "bench".into(),
        name: "Bench".into(),
        state: TenantState::Active,
        time_zone: "UTC".into(),
        locale: Locale::En,
        subscription: SubscriptionRow::new(
            LicenseModel::TransactionBased,
            chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
            chrono::NaiveDate::from_ymd_opt(2027, 12, 31).expect("date"),
        ),
        extra_pools: Vec::new(),
        technical_emails: vec!["it@bench.test".into()],
        billing_emails: vec!["billing@bench.test".into()],
    };
    let tenant = service::tenants::create(&db, &spec, "bench").await?;
    let mut conn = db.conn().await?;
    let bought = refills::Refill::manual(licenses, "bench", 0);
    refills::refill(&mut conn, tenant, "conversation_transactions", &bought).await?;
    drop(conn);
    let (_, key) = service::api_keys::create(&db, tenant, "bench", "bench").await?;
    db.close().await;
    Ok(key)
}

/// When event `n` happened: spread over the days of June 2026 and the hours of a day, so a
/// batch touches many days (and many places in the transactions' time index), as a platform
/// sending late or replayed usage does. The raw side writes the same times.
fn occurred_at(n: usize) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    let (day, hour, minute) = (1 + n % 28, n % 24, n % 60);
    chrono::Utc
        .with_ymd_and_hms(2026, 6, day as u32, hour as u32, minute as u32, 0)
        .single()
        .unwrap_or_default()
}

/// The `daily_usage` rows ingesting `events` events leaves: (day, licenses consumed).
fn daily_usage(events: usize) -> Vec<(String, usize)> {
    let mut days = std::collections::BTreeMap::new();
    for n in 0..events {
        *days
            .entry(occurred_at(n).format("%Y-%m-%d").to_string())
            .or_insert(0) += 1;
    }
    days.into_iter().collect()
}

fn skill(id: &str, n: usize) -> Value {
    json!({
        "id": id, "type": "skill.executed",
        "occurred_at": occurred_at(n).to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "bot_name": "Helpdesk", "skill_name": "View Ticket", "skill_kind": "itsm",
        "fulfillment_type": "web_service", "fulfillment_details": "ServiceDesk connector: getTicket",
        "outcome": "fulfilled", "trigger": "user", "environment": "production",
        "user_name": format!("user{}", n % 977), "role": "Employee", "channel": "MS Teams"
    })
}

/// Where the time of one batch of 500 goes, in this process: reading the JSON, and storing.
async fn breakdown(url: &str, batches: usize) -> anyhow::Result<()> {
    let db = Db::connect(url).await?;
    let mut conn = db.conn().await?;
    let tenant = app::server::db::tenants::by_slug(&mut conn, "bench")
        .await?
        .ok_or_else(|| anyhow::anyhow!("bench tenant"))?
        .tenant_id();
    drop(conn);
    // As in `tally serve`: SQLite's log is checkpointed in the background.
    let jobs = app::server::jobs::Jobs::start(
        &db,
        app::server::service::delivery::Delivery::new(None, "http://127.0.0.1:3000"),
    );
    let now = chrono::Utc::now();
    let (mut parsing, mut storing) = (Duration::ZERO, Duration::ZERO);
    for b in 0..batches {
        let events: Vec<Value> = (0..500)
            .map(|n| skill(&format!("breakdown-{b}-{n}"), n))
            .collect();
        let body = serde_json::to_vec(&json!({ "events": events }))?;
        let started = Instant::now();
        let parsed =
            app::server::events::parse_batch(&body, now).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        parsing += started.elapsed();
        let started = Instant::now();
        app::server::service::ingest::ingest(&db, tenant, &parsed, 0)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        storing += started.elapsed();
    }
    println!(
        "          one batch of 500 in-process: parse {:.2} ms, store {:.2} ms",
        parsing.as_secs_f64() * 1000.0 / batches as f64,
        storing.as_secs_f64() * 1000.0 / batches as f64
    );
    jobs.stop().await;
    db.close().await;
    Ok(())
}

/// Sends `events` events in batches of `batch` from `CLIENTS` concurrent clients; events/s.
async fn drive(
    address: &str,
    key: &str,
    batch: usize,
    events: usize,
    tag: &str,
) -> anyhow::Result<f64> {
    // Bodies are built before the clock starts: only the server is measured.
    let bodies: Vec<Vec<u8>> = (0..events)
        .collect::<Vec<_>>()
        .chunks(batch)
        .map(|chunk| {
            let events: Vec<Value> = chunk
                .iter()
                .map(|n| skill(&format!("{tag}-{batch}-{n}"), *n))
                .collect();
            serde_json::to_vec(&json!({ "events": events })).unwrap_or_default()
        })
        .collect();
    let queue = Arc::new(Mutex::new(bodies));
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CLIENTS)
        .timeout(Duration::from_secs(120))
        .build()?;
    let url = format!("http://{address}/api/v1/events");
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..CLIENTS {
        let (queue, client, url, key) =
            (queue.clone(), client.clone(), url.clone(), key.to_string());
        tasks.spawn(async move {
            loop {
                let Some(body) = queue.lock().await.pop() else {
                    return Ok::<usize, anyhow::Error>(0);
                };
                let answer = client
                    .post(&url)
                    .bearer_auth(&key)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await?;
                let status = answer.status();
                if !status.is_success() {
                    anyhow::bail!("{status}: {}", answer.text().await.unwrap_or_default());
                }
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done??;
    }
    Ok(events as f64 / started.elapsed().as_secs_f64())
}

/// The same rows the API stores for `events` events (the ledger row and the transaction, with
/// the events' own times; then the pool's counter and a row a day), written by `sqlite3` in
/// one transaction into a fresh copy of the schema; rows/s counted per event.
fn raw_sqlite(dir: &std::path::Path, events: usize) -> anyhow::Result<f64> {
    let path = dir.join("raw.db");
    let runtime = tokio::runtime::Handle::current();
    let url = format!("sqlite://{}", path.display());
    tokio::task::block_in_place(|| {
        runtime.block_on(async {
            let db = Db::connect(&url).await?;
            db.migrate().await?;
            sqlx::query("insert into tenants (id, slug, name, state, created_at, updated_at) values (1, 'raw', 'Raw', 'active', 0, 0)")
                .execute(&mut *db.conn().await?)
                .await?;
            sqlx::query("insert into pools (id, tenant_id, pool_key, purchased, created_at) values (1, 1, 'conversation_transactions', 1000000000, 0)")
                .execute(&mut *db.conn().await?)
                .await?;
            db.close().await;
            anyhow::Ok(())
        })
    })?;
    let mut sql = String::from("pragma journal_mode = wal; pragma synchronous = normal;\nbegin;\n");
    for chunk in (0..events).collect::<Vec<_>>().chunks(500) {
        sql.push_str("insert into usage_events (tenant_id, event_id, event_type, content_hash, occurred_at, received_at) values ");
        let rows: Vec<String> = chunk
            .iter()
            .map(|n| {
                format!(
                    "(1, 'raw-{n}', 'skill.executed', '{:064x}', {}, 0)",
                    n,
                    occurred_at(*n).timestamp_millis()
                )
            })
            .collect();
        sql.push_str(&rows.join(", "));
        sql.push_str(";\ninsert into transactions (tenant_id, transaction_id, occurred_at, bot_name, skill_name, tx_type, fulfillment_type, fulfillment_details, billable, reason, user_name, role, channel, event_id) values ");
        let rows: Vec<String> = chunk
            .iter()
            .map(|n| format!("(1, 'raw-{n}', {}, 'Helpdesk', 'View Ticket', 'conversation', 'web_service', 'ServiceDesk connector: getTicket', 1, 'fulfilled', 'user{}', 'Employee', 'MS Teams', 'raw-{n}')", occurred_at(*n).timestamp_millis(), n % 977))
            .collect();
        sql.push_str(&rows.join(", "));
        sql.push_str(";\n");
    }
    sql.push_str(&format!(
        "update pools set consumed = consumed + {events} where id = 1;\n\
         insert into daily_usage (tenant_id, pool_id, day, consumed) values {};\ncommit;\n",
        daily_usage(events)
            .iter()
            .map(|(day, n)| format!("(1, 1, '{day}', {n})"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let seconds = timed_with_input(Command::new("sqlite3").arg(&path), &sql)?;
    Ok(events as f64 / seconds)
}

/// The same rows, loaded by `psql` with `COPY` in one transaction into the benchmark's own
/// Postgres database (another tenant and pool id, so nothing collides).
fn raw_postgres(url: &str, events: usize) -> anyhow::Result<f64> {
    let mut input = String::from(
        "insert into tenants (id, slug, name, state, created_at, updated_at) values (999999, 'raw', 'Raw', 'active', 0, 0);\n\
         insert into pools (id, tenant_id, pool_key, purchased, created_at) values (999999, 999999, 'conversation_transactions', 1000000000, 0);\n\
         copy usage_events (tenant_id, event_id, event_type, content_hash, occurred_at, received_at) from stdin (format csv);\n",
    );
    for n in 0..events {
        input.push_str(&format!(
            "999999,raw-{n},skill.executed,{n:064x},{},0\n",
            occurred_at(n).timestamp_millis()
        ));
    }
    input.push_str("\\.\ncopy transactions (tenant_id, transaction_id, occurred_at, bot_name, skill_name, tx_type, fulfillment_type, fulfillment_details, billable, reason, user_name, role, channel, event_id) from stdin (format csv);\n");
    for n in 0..events {
        input.push_str(&format!(
            "999999,raw-{n},{},Helpdesk,View Ticket,conversation,web_service,ServiceDesk connector: getTicket,true,fulfilled,user{},Employee,MS Teams,raw-{n}\n",
            occurred_at(n).timestamp_millis(),
            n % 977
        ));
    }
    input.push_str("\\.\n");
    input.push_str(&format!(
        "update pools set consumed = consumed + {events} where id = 999999;\n\
         insert into daily_usage (tenant_id, pool_id, day, consumed) values {};\n",
        daily_usage(events)
            .iter()
            .map(|(day, n)| format!("(999999, 999999, '{day}', {n})"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let seconds = timed_with_input(
        Command::new("psql").args(["-q", "-v", "ON_ERROR_STOP=1", "-1", url]),
        &input,
    )?;
    Ok(events as f64 / seconds)
}

/// Runs `command` with `input` on its standard input; the seconds it took, start to exit.
fn timed_with_input(command: &mut Command, input: &str) -> anyhow::Result<f64> {
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()?;
    child
        .stdin
        .take()
        .ok_or_else(|| anyhow::anyhow!("no stdin"))?
        .write_all(input.as_bytes())?;
    let status = child.wait()?;
    anyhow::ensure!(status.success(), "{command:?} failed: {status}");
    Ok(started.elapsed().as_secs_f64())
}
