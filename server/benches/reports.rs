//! The tenant administrator's pages and downloads at scale, on SQLite and on Postgres: one
//! tenant holding 1 000 000 transactions and 100 000 users beside small ones, served by the
//! release `tally serve` as its own process and driven over HTTP.
//!
//! `cargo bench -p tally-server --bench reports` prints, for each backend,
//! - the Subscription tab at 1 000 000 rows against a tenant of 1 000 rows;
//! - the history page 10 000 pages deep against page 1 (keyset pagination);
//! - `history.csv` and `transactions.csv` at 10 000 and at 1 000 000 rows: rows per second and
//!   the server's memory growth while streaming, beside the database's own CSV writer running
//!   the same query (`sqlite3 -csv`, `psql \copy (select …) to stdout csv`).
//!
//! `TALLY_BENCH_ROWS` scales the large tenant (default 1000000); `TALLY_BENCH_BACKENDS` picks
//! the backends (default `sqlite,postgres`); Postgres comes from `TALLY_TEST_POSTGRES`.

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

/// The two downloads measured, by name and path.
const EXPORTS: [(&str, &str); 2] = [
    ("history.csv", "/settings/subscription/history.csv"),
    (
        "transactions.csv",
        "/settings/subscription/transactions.csv?from={from}&to={to}",
    ),
];

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let large: i64 = support::scale("TALLY_BENCH_ROWS", 1_000_000);
    let backends =
        std::env::var("TALLY_BENCH_BACKENDS").unwrap_or_else(|_| "sqlite,postgres".into());
    let postgres = support::postgres();
    let dir = tempfile::tempdir()?;
    println!("Tally reports benchmark (release `tally serve`, one client)");
    for backend in backends.split(',') {
        let (url, cleanup) =
            support::fresh_database(backend, dir.path(), "reports.db", &postgres).await?;
        run(backend, &url, large).await?;
        if let Some(name) = cleanup {
            support::drop_database(&postgres, &name).await?;
        }
    }
    Ok(())
}

async fn run(backend: &str, url: &str, large: i64) -> anyhow::Result<()> {
    println!("\n== {backend}");
    let db = Db::connect(url).await?;
    db.migrate().await?;
    let started = Instant::now();
    let small = tenant(&db, backend, "small", 1_000, 1_000).await?;
    let mid = tenant(&db, backend, "mid", 10_000, 1_000).await?;
    let big = tenant(&db, backend, "big", large, large / 10).await?;
    sqlx::query("analyze")
        .execute(&mut *db.conn().await?)
        .await?;
    println!(
        "loaded: small 1 000 transactions + 1 000 users, mid 10 000 + 1 000, big {large} + {} ({:.1} s)\n",
        large / 10,
        started.elapsed().as_secs_f64()
    );

    let server = Server::start(url)?;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let base = format!("http://{}", server.address);
    let small_cookie = support::sign_in(&base, "admin@small.test", PASSWORD).await?;
    let big_cookie = support::sign_in(&base, "admin@big.test", PASSWORD).await?;
    let mid_cookie = support::sign_in(&base, "admin@mid.test", PASSWORD).await?;

    let page = |cookie: &str, path: &str| {
        let (client, base, cookie, path) = (
            client.clone(),
            base.clone(),
            cookie.to_string(),
            path.to_string(),
        );
        async move { median_ms(&client, &base, &cookie, &path, None).await }
    };
    // Read from the database each time: the tenant's revision moves before every request, as a
    // write would move it, so the tab is never the one kept (migration 0007).
    let read = |cookie: &str, tenant: TenantId| {
        let (client, base, cookie, db) =
            (client.clone(), base.clone(), cookie.to_string(), db.clone());
        async move {
            median_ms(
                &client,
                &base,
                &cookie,
                "/settings/subscription",
                Some((&db, tenant)),
            )
            .await
        }
    };
    let summary_small = read(&small_cookie, small).await?;
    let summary_big = read(&big_cookie, big).await?;
    println!(
        "Subscription tab, read 1 000 rows {summary_small:>8.2} ms   {large} rows {summary_big:>8.2} ms   ratio {:.2}",
        summary_big / summary_small
    );
    let kept_small = page(&small_cookie, "/settings/subscription").await?;
    let kept_big = page(&big_cookie, "/settings/subscription").await?;
    println!(
        "Subscription tab, kept 1 000 rows {kept_small:>8.2} ms   {large} rows {kept_big:>8.2} ms   ratio {:.2}",
        kept_big / kept_small
    );

    let first = page(&big_cookie, "/settings/subscription/history").await?;
    let key = deep_key(&db, big, 10_000 * app::model::history::PAGE_SIZE).await?;
    let deep = page(
        &big_cookie,
        &format!("/settings/subscription/history?after={key}&page=10001"),
    )
    .await?;
    println!(
        "History page            page 1 {first:>8.2} ms   page 10 001 {deep:>8.2} ms   ratio {:.2}",
        deep / first
    );

    // The bench's transactions span the last 80 days: the 90-day range holds them all.
    let today = chrono::Utc::now().date_naive();
    let (from, to) = (today - chrono::Duration::days(89), today);
    println!(
        "\nDownloads streamed over HTTP, beside {} writing the same query:",
        if backend == "sqlite" {
            "sqlite3 -csv"
        } else {
            "psql \\copy … to stdout csv"
        }
    );
    println!(
        "{:<17} {:>10} {:>10} {:>12} {:>12} {:>12} {:>8}",
        "report", "rows", "seconds", "rows/s", "raw rows/s", "server +MiB", "ratio"
    );
    for (name, path) in EXPORTS {
        let path = path
            .replace("{from}", &from.to_string())
            .replace("{to}", &to.to_string());
        for (tenant, cookie, rows) in [(mid, &mid_cookie, 10_000), (big, &big_cookie, large)] {
            // The median of a few runs of each; the memory figure is the largest growth seen.
            let runs = if rows > 100_000 { 3 } else { 7 };
            let mut seconds = Vec::with_capacity(runs);
            let mut raw = Vec::with_capacity(runs);
            let mut grown = 0;
            for _ in 0..runs {
                let (took, lines, growth) = export(&client, &base, cookie, &path, &server).await?;
                anyhow::ensure!(
                    lines == rows,
                    "{name}: exported {lines} rows, expected {rows}"
                );
                seconds.push(took);
                grown = grown.max(growth);
                raw.push(raw_csv(backend, url, &query(name, tenant))?);
            }
            let rate = rows as f64 / median(seconds);
            let raw_rate = rows as f64 / median(raw);
            println!(
                "{name:<17} {rows:>10} {:>10.3} {rate:>12.0} {raw_rate:>12.0} {:>12.1} {:>8.2}",
                rows as f64 / rate,
                grown as f64 / 1024.0,
                rate / raw_rate
            );
        }
    }
    let mut server = server;
    server.stop();
    db.close().await;
    Ok(())
}

/// The rows an export reads, in its order, as the database's own writer is given them.
fn query(export: &str, tenant: TenantId) -> String {
    let columns = if export == "history.csv" {
        "transaction_id, occurred_at, bot_name, skill_name, tx_type, fulfillment_type,
         fulfillment_details, billable, user_name, role, channel"
    } else {
        "transaction_id, occurred_at, bot_name, skill_name, tx_type, fulfillment_type,
         fulfillment_details, billable, reason, user_name, role, channel"
    };
    format!(
        "select {columns} from transactions where tenant_id = {} order by occurred_at desc, id desc",
        tenant.0
    )
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// A transaction-based tenant with `transactions` spread over the last 80 days and `users`
/// allocations, written straight into the schema (the shape ingestion leaves).
async fn tenant(
    db: &Db,
    backend: &str,
    slug: &str,
    transactions: i64,
    users: i64,
) -> anyhow::Result<TenantId> {
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
    // Auto-refill's ledger rows: one per 1 000 transactions, as a tenant topping up by small
    // amounts would have (1 000 rows at 1 000 000 transactions). The Subscription tab lists
    // the ledger, so it is part of what grows with usage.
    sqlx::query(
        "insert into refills (tenant_id, pool_id, refilled_at, kind, delta, total_after, actor, note)
         with recursive n(i) as (select 1 union all select i + 1 from n where i < $2)
         select $1, p.id, $3 + i * 60000, 'auto', 1000, p.purchased + i * 1000, 'auto-refill',
                'usage reached 80%'
         from n join pools p on p.tenant_id = $1 and p.pool_key = 'conversation_transactions'",
    )
    .bind(tenant.0)
    .bind((transactions / 1_000).max(1))
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
    let day = if backend == "sqlite" {
        "date(t.occurred_at / 1000, 'unixepoch')"
    } else {
        "to_char(to_timestamp(t.occurred_at / 1000) at time zone 'UTC', 'YYYY-MM-DD')"
    };
    sqlx::query(&format!(
        "insert into daily_usage (tenant_id, pool_id, day, consumed)
         select t.tenant_id, p.id, {day}, count(*)
         from transactions t join pools p on p.tenant_id = t.tenant_id and p.pool_key = t.tx_type || '_transactions'
         where t.tenant_id = $1 and t.billable group by 1, 2, 3"
    ))
    .bind(tenant.0)
    .execute(&mut *conn)
    .await?;
    Ok(tenant)
}

/// The median time of `REPEAT` requests for a page, after one warm-up; with `moved`, the
/// tenant's revision moves before each request (outside the time).
async fn median_ms(
    client: &reqwest::Client,
    base: &str,
    cookie: &str,
    path: &str,
    moved: Option<(&Db, TenantId)>,
) -> anyhow::Result<f64> {
    let mut times = Vec::with_capacity(REPEAT);
    for round in 0..=REPEAT {
        if let Some((db, tenant)) = moved {
            sqlx::query("update tenants set revision = revision + 1 where id = $1")
                .bind(tenant.0)
                .execute(&mut *db.conn().await?)
                .await?;
        }
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
async fn deep_key(db: &Db, tenant: TenantId, offset: i64) -> anyhow::Result<String> {
    let (at, id): (i64, i64) = sqlx::query_as(
        "select occurred_at, id from transactions where tenant_id = $1
         order by occurred_at desc, id desc limit 1 offset $2",
    )
    .bind(tenant.0)
    .bind(offset - 1)
    .fetch_one(&mut *db.conn().await?)
    .await?;
    Ok(format!("{at}.{id}"))
}

/// Streams the export at `path`, counting rows as they arrive; the seconds, the rows, and how far the
/// server's resident memory rose above where it started (KiB), sampled every 2 ms.
async fn export(
    client: &reqwest::Client,
    base: &str,
    cookie: &str,
    path: &str,
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
        .get(format!("{base}{path}"))
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

/// Seconds the database's own CSV writer takes to write the rows of `query`, with a header, to
/// /dev/null: `sqlite3 -csv`, or `psql` with `\copy (…) to stdout csv`.
fn raw_csv(backend: &str, url: &str, query: &str) -> anyhow::Result<f64> {
    let mut command = if backend == "sqlite" {
        let mut command = Command::new("sqlite3");
        command
            .args(["-csv", "-header"])
            .arg(url.trim_start_matches("sqlite://"))
            .arg(query);
        command
    } else {
        let mut command = Command::new("psql");
        command.args(["-X", "-q", "-d", url, "-c"]).arg(format!(
            "\\copy ({}) to stdout with (format csv, header)",
            query.replace('\n', " ")
        ));
        command
    };
    let started = Instant::now();
    let status = command.stdout(Stdio::null()).status()?;
    anyhow::ensure!(status.success(), "{backend}'s CSV writer failed");
    Ok(started.elapsed().as_secs_f64())
}
