//! The tenant administrator's pages and downloads at scale, on SQLite: one tenant holding
//! 1 000 000 transactions and 100 000 users beside small ones, served by the release
//! `tally serve` as its own process and driven over HTTP.
//!
//! `cargo bench -p tally-server --bench reports` prints
//! - the Subscription tab at 1 000 000 rows against a tenant of 1 000 rows;
//! - the history page 10 000 pages deep against page 1 (keyset pagination);
//! - history.csv at 10 000 and at 1 000 000 rows: rows per second and the server's memory
//!   growth while streaming, beside `sqlite3 -csv` running the same query.
//!
//! `TALLY_BENCH_ROWS` scales the large tenant (default 1000000).

#[expect(dead_code, reason = "the database helpers serve the other benchmarks")]
mod support;

use app::model::TenantId;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use app::model::{LicenseModel, Locale, TenantState};
use app::server::db::{Db, subscriptions::SubscriptionRow};
use app::server::service::{self, accounts, refills, tenants::TenantSpec};
use support::Server;

const PASSWORD: &str = "bench-password";
const REPEAT: usize = 15;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let large: i64 = std::env::var("TALLY_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("reports.db");
    let url = format!("sqlite://{}", file.display());
    println!("Tally reports benchmark (SQLite, release `tally serve`, one client)\n");
    let db = Db::connect(&url).await?;
    db.migrate().await?;
    let started = Instant::now();
    tenant(&db, "small", 1_000, 1_000).await?;
    let mid = tenant(&db, "mid", 10_000, 1_000).await?;
    let big = tenant(&db, "big", large, large / 10).await?;
    sqlx::query("analyze")
        .execute(&mut *db.conn().await?)
        .await?;
    db.close().await;
    println!(
        "loaded: small 1 000 transactions + 1 000 users, mid 10 000 + 1 000, big {large} + {} ({:.1} s)\n",
        large / 10,
        started.elapsed().as_secs_f64()
    );

    let server = Server::start(&url)?;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let base = format!("http://{}", server.address);
    let small_cookie = sign_in(&client, &base, "small").await?;
    let big_cookie = sign_in(&client, &base, "big").await?;
    let mid_cookie = sign_in(&client, &base, "mid").await?;

    let page = |cookie: &str, path: &str| {
        let (client, base, cookie, path) = (
            client.clone(),
            base.clone(),
            cookie.to_string(),
            path.to_string(),
        );
        async move { median_ms(&client, &base, &cookie, &path).await }
    };
    let summary_small = page(&small_cookie, "/settings/subscription").await?;
    let summary_big = page(&big_cookie, "/settings/subscription").await?;
    println!(
        "Subscription tab        1 000 rows {summary_small:>8.2} ms   {large} rows {summary_big:>8.2} ms   ratio {:.2}",
        summary_big / summary_small
    );

    let first = page(&big_cookie, "/settings/subscription/history").await?;
    let key = deep_key(&file, big, 10_000 * app::model::history::PAGE_SIZE)?;
    let deep = page(
        &big_cookie,
        &format!("/settings/subscription/history?after={key}&page=10001"),
    )
    .await?;
    println!(
        "History page            page 1 {first:>8.2} ms   page 10 001 {deep:>8.2} ms   ratio {:.2}",
        deep / first
    );

    println!(
        "\nhistory.csv (transactions), streamed over HTTP, beside sqlite3 -csv of the same query:"
    );
    println!(
        "{:>10} {:>10} {:>12} {:>14} {:>14} {:>8}",
        "rows", "seconds", "rows/s", "sqlite3 rows/s", "server +MiB", "ratio"
    );
    for (tenant, cookie, rows) in [(mid, &mid_cookie, 10_000), (big, &big_cookie, large)] {
        // The median of a few runs of each; the memory figure is the largest growth seen.
        let runs = if rows > 100_000 { 3 } else { 7 };
        let mut seconds = Vec::with_capacity(runs);
        let mut raw = Vec::with_capacity(runs);
        let mut grown = 0;
        for _ in 0..runs {
            let (took, lines, growth) = export(&client, &base, cookie, &server).await?;
            anyhow::ensure!(lines == rows, "exported {lines} rows, expected {rows}");
            seconds.push(took);
            grown = grown.max(growth);
            raw.push(sqlite3_csv(&file, tenant)?);
        }
        let rate = rows as f64 / median(seconds);
        let raw_rate = rows as f64 / median(raw);
        println!(
            "{rows:>10} {:>10.3} {rate:>12.0} {raw_rate:>14.0} {:>14.1} {:>8.2}",
            rows as f64 / rate,
            grown as f64 / 1024.0,
            rate / raw_rate
        );
    }
    let mut server = server;
    server.stop();
    Ok(())
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// A transaction-based tenant with `transactions` spread over the last 80 days and `users`
/// allocations, written straight into the schema (the shape ingestion leaves).
async fn tenant(db: &Db, slug: &str, transactions: i64, users: i64) -> anyhow::Result<TenantId> {
    let spec = TenantSpec {
        slug: slug.into(),
        name: slug.to_uppercase(),
        state: TenantState::Active,
        time_zone: "America/Sao_Paulo".into(),
        locale: Locale::En,
        subscription: SubscriptionRow::new(
            LicenseModel::TransactionBased,
            (chrono::Utc::now() - chrono::Duration::days(100)).date_naive(),
            (chrono::Utc::now() + chrono::Duration::days(265)).date_naive(),
        ),
        extra_pools: Vec::new(),
        technical_emails: vec![format!("it@{slug}.test")],
        billing_emails: vec![format!("billing@{slug}.test")],
    };
    let tenant = service::tenants::create(db, &spec, "bench").await?;
    accounts::create_administrator(db, &format!("admin@{slug}.test"), PASSWORD, Some(tenant))
        .await?;
    let mut conn = db.conn().await?;
    for pool in ["conversation_transactions", "workflow_transactions"] {
        let at = chrono::Utc::now().timestamp_millis() - 90 * 86_400_000;
        let bought = refills::Refill::manual(transactions * 2, "bench", at);
        refills::refill(&mut conn, tenant, pool, &bought).await?;
    }
    let start = chrono::Utc::now().timestamp_millis() - 80 * 86_400_000;
    let step = (80 * 86_400_000 / transactions.max(1)).max(1);
    sqlx::query(
        "insert into transactions (tenant_id, transaction_id, occurred_at, bot_name, skill_name, tx_type,
             fulfillment_type, fulfillment_details, billable, reason, user_name, role, channel)
         with recursive n(i) as (select 1 union all select i + 1 from n where i < $2)
         select $1, 'tx-' || i, $3 + i * $4, 'Helpdesk', 'View Ticket',
                case when i % 5 = 0 then 'workflow' else 'conversation' end, 'web_service',
                'ServiceDesk connector: getTicket', i % 7 <> 0,
                case when i % 7 = 0 then 'staging' else 'billable' end,
                'user' || (i % 5000), 'Employee', 'Teams'
         from n",
    )
    .bind(tenant.0)
    .bind(transactions)
    .bind(start)
    .bind(step)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "insert into user_licenses (tenant_id, user_id, user_name, email, first_name, last_name, role, allocated_at, released_at)
         with recursive n(i) as (select 1 union all select i + 1 from n where i < $2)
         select $1, 'u' || i, 'user' || i, 'user' || i || '@bench.test', 'First', 'Last', 'Agent',
                $3 + i * 1000, case when i % 10 = 0 then $3 + i * 1000 + 5000 end
         from n",
    )
    .bind(tenant.0)
    .bind(users)
    .bind(start)
    .execute(&mut *conn)
    .await?;
    // The counters and the daily table ingestion would have kept.
    sqlx::query(
        "update pools set consumed = (select count(*) from transactions t
             where t.tenant_id = pools.tenant_id and t.billable and pools.pool_key = t.tx_type || '_transactions')
         where tenant_id = $1",
    )
    .bind(tenant.0)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "insert into daily_usage (tenant_id, pool_id, day, consumed)
         select t.tenant_id, p.id, date(t.occurred_at / 1000, 'unixepoch'), count(*)
         from transactions t join pools p on p.tenant_id = t.tenant_id and p.pool_key = t.tx_type || '_transactions'
         where t.tenant_id = $1 and t.billable group by 1, 2, 3",
    )
    .bind(tenant.0)
    .execute(&mut *conn)
    .await?;
    Ok(tenant)
}

async fn sign_in(client: &reqwest::Client, base: &str, slug: &str) -> anyhow::Result<String> {
    let email = format!("admin@{slug}.test");
    let reply = client
        .post(format!("{base}/login"))
        .form(&[("email", email.as_str()), ("password", PASSWORD)])
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

/// The median time of `REPEAT` requests for a page, after one warm-up.
async fn median_ms(
    client: &reqwest::Client,
    base: &str,
    cookie: &str,
    path: &str,
) -> anyhow::Result<f64> {
    let mut times = Vec::with_capacity(REPEAT);
    for round in 0..=REPEAT {
        let started = Instant::now();
        let reply = client
            .get(format!("{base}{path}"))
            .header("cookie", cookie)
            .send()
            .await?;
        anyhow::ensure!(reply.status().is_success(), "{path}: {}", reply.status());
        let body = reply.text().await?;
        anyhow::ensure!(body.contains("</html>"), "{path}: incomplete page");
        if round > 0 {
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    Ok(median(times))
}

/// The key (`AT.ID`) of the row `offset` rows into the big tenant's history, newest first.
fn deep_key(file: &std::path::Path, tenant: TenantId, offset: i64) -> anyhow::Result<String> {
    let output = Command::new("sqlite3")
        .arg(file)
        .arg(format!(
            "select occurred_at || '.' || id from transactions where tenant_id = {} order by occurred_at desc, id desc limit 1 offset {}",
            tenant.0,
            offset - 1
        ))
        .output()?;
    let key = String::from_utf8(output.stdout)?.trim().to_string();
    anyhow::ensure!(!key.is_empty(), "no row {offset} deep");
    Ok(key)
}

/// Streams history.csv, counting rows as they arrive; the seconds, the rows, and how far the
/// server's resident memory rose above where it started (KiB), sampled every 2 ms.
async fn export(
    client: &reqwest::Client,
    base: &str,
    cookie: &str,
    server: &Server,
) -> anyhow::Result<(f64, i64, u64)> {
    let before = server.memory_kib("VmRSS").unwrap_or(0);
    let peak = Arc::new(AtomicU64::new(before));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, done) = (peak.clone(), done.clone());
        let pid = server.pid();
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                if let Some(rss) = support::memory_kib(pid, "VmRSS") {
                    peak.fetch_max(rss, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(2));
            }
        })
    };
    let started = Instant::now();
    let mut reply = client
        .get(format!("{base}/settings/subscription/history.csv"))
        .header("cookie", cookie)
        .send()
        .await?;
    anyhow::ensure!(reply.status().is_success(), "export: {}", reply.status());
    let mut lines: i64 = 0;
    while let Some(chunk) = reply.chunk().await? {
        lines += chunk.iter().filter(|b| **b == b'\n').count() as i64;
    }
    let seconds = started.elapsed().as_secs_f64();
    done.store(true, Ordering::Relaxed);
    let _ = sampler.join();
    Ok((
        seconds,
        lines - 1,
        peak.load(Ordering::Relaxed).saturating_sub(before),
    ))
}

/// Seconds `sqlite3 -csv` takes to write the same rows, in the same order, to /dev/null.
fn sqlite3_csv(file: &std::path::Path, tenant: TenantId) -> anyhow::Result<f64> {
    let query = format!(
        "select transaction_id, occurred_at, bot_name, skill_name, tx_type, fulfillment_type,
                fulfillment_details, billable, user_name, role, channel
         from transactions where tenant_id = {} order by occurred_at desc, id desc",
        tenant.0
    );
    let started = Instant::now();
    let status = Command::new("sqlite3")
        .args(["-csv", "-header"])
        .arg(file)
        .arg(query)
        .stdout(Stdio::null())
        .status()?;
    anyhow::ensure!(status.success(), "sqlite3 failed");
    Ok(started.elapsed().as_secs_f64())
}
