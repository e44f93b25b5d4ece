//! Tally under load from a real load generator, Apache Bench (`ab`, Debian's `apache2-utils`):
//! 50 concurrent connections, a new connection per request, against the release `tally serve`
//! as its own process, on SQLite and on Postgres, and with two instances on one Postgres.
//!
//! `cargo bench -p tally-server --bench load` prints requests per second and the p50 and p99
//! latency of
//! - `GET /healthz`, the ceiling every other figure is compared with;
//! - the Subscription tab, signed in as the tenant's administrator (the whole server-rendered
//!   page);
//! - `GET /api/v1/entitlements` with an API key;
//! - `POST /api/v1/events` with an API key: one batch of one event, the same every time, so
//!   after the first request each one is the platform's retry of a batch already counted (the
//!   writing path is the ingestion benchmark's).
//!
//! `TALLY_BENCH_REQUESTS` sets the requests per figure (default 5000); Postgres comes from
//! `TALLY_TEST_POSTGRES`.

#[expect(dead_code, reason = "the helpers serve the other benchmarks too")]
mod support;

use std::process::{Command, Stdio};

use app::model::{LicenseModel, Locale, TenantState};
use app::server::db::{Db, subscriptions::SubscriptionRow};
use app::server::service::{self, accounts, refills, tenants::TenantSpec};
use support::Server;

const CONNECTIONS: usize = 50;
const PASSWORD: &str = "bench-password";

/// What one `ab` run measured.
#[derive(Debug, Clone, Copy, Default)]
struct Figures {
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    failed: u64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let requests: usize = support::scale("TALLY_BENCH_REQUESTS", 5_000);
    let postgres = support::postgres();
    anyhow::ensure!(
        Command::new("ab").arg("-V").output().is_ok(),
        "the load benchmark needs `ab`: apt-get install apache2-utils"
    );
    let dir = tempfile::tempdir()?;
    let body = dir.path().join("event.json");
    std::fs::write(&body, EVENT)?;
    println!(
        "Tally load benchmark: ab, {CONNECTIONS} connections, no keep-alive, {requests} requests per figure\n"
    );
    println!(
        "{:<22} {:<34} {:>10} {:>8} {:>8} {:>8} {:>10}",
        "setup", "request", "req/s", "p50 ms", "p99 ms", "failed", "x healthz"
    );
    for backend in ["sqlite", "postgres"] {
        let (url, cleanup) =
            support::fresh_database(backend, dir.path(), "load.db", &postgres).await?;
        let key = prepare(&url).await?;
        let mut servers = vec![Server::start(&url)?];
        let mut setups = vec![(backend.to_string(), 1)];
        if backend == "postgres" {
            setups.push(("postgres, 2 instances".to_string(), 2));
        }
        for (setup, instances) in setups {
            while servers.len() < instances {
                servers.push(Server::start(&url)?);
            }
            let addresses: Vec<String> = servers.iter().map(|s| s.address.clone()).collect();
            let cookie = support::sign_in(
                &format!("http://{}", addresses[0]),
                "admin@load.test",
                PASSWORD,
            )
            .await?;
            let healthz = run(&addresses, requests, &[], "/healthz")?;
            print_row(&setup, "GET /healthz", healthz, healthz);
            let tab = run(
                &addresses,
                requests,
                &["-H".into(), format!("Cookie: {cookie}")],
                "/settings/subscription",
            )?;
            print_row(&setup, "GET /settings/subscription", tab, healthz);
            let bearer = format!("Authorization: Bearer {key}");
            let entitlements = run(
                &addresses,
                requests,
                &["-H".into(), bearer.clone()],
                "/api/v1/entitlements",
            )?;
            print_row(&setup, "GET /api/v1/entitlements", entitlements, healthz);
            let events = run(
                &addresses,
                requests,
                &[
                    "-H".into(),
                    bearer,
                    "-T".into(),
                    "application/json".into(),
                    "-p".into(),
                    body.display().to_string(),
                ],
                "/api/v1/events",
            )?;
            print_row(&setup, "POST /api/v1/events (retry)", events, healthz);
        }
        for mut server in servers {
            server.stop();
        }
        if let Some(name) = cleanup {
            support::drop_database(&postgres, &name).await?;
        }
    }
    println!(
        "\nTwo ab processes share the connections (one per instance with 2 instances); figures are\n\
         their sum (requests/s) and the slower one's latencies. Everything runs on this machine's\n\
         2 cores, the load generator included."
    );
    Ok(())
}

const EVENT: &str = r#"{"events": [{"id": "load-1", "type": "skill.executed",
  "occurred_at": "2026-06-01T10:00:00Z", "bot_name": "Helpdesk", "skill_name": "View Ticket",
  "skill_kind": "itsm", "fulfillment_type": "web_service",
  "fulfillment_details": "ServiceDesk connector: getTicket", "outcome": "fulfilled",
  "trigger": "user", "environment": "production", "user_name": "user1", "role": "Employee",
  "channel": "MS Teams"}]}"#;

fn print_row(setup: &str, request: &str, figures: Figures, healthz: Figures) {
    println!(
        "{setup:<22} {request:<34} {:>10.0} {:>8.1} {:>8.1} {:>8} {:>10.2}",
        figures.per_second,
        figures.p50_ms,
        figures.p99_ms,
        figures.failed,
        figures.per_second / healthz.per_second
    );
}

/// `ab` with `options` for `path` against every address at once, the connections and requests
/// split evenly. Always at least two `ab` processes: one alone tops out near 4 000 requests/s
/// on this machine, below what `/healthz` can serve, which flattered every ratio to it.
fn run(
    addresses: &[String],
    requests: usize,
    options: &[String],
    path: &str,
) -> anyhow::Result<Figures> {
    let share = addresses.len().max(2);
    let children = addresses
        .iter()
        .cycle()
        .take(share)
        .map(|address| {
            Command::new("ab")
                .args(["-q", "-r", "-s", "30"])
                .args(["-n", &(requests / share).to_string()])
                .args(["-c", &(CONNECTIONS / share).to_string()])
                .args(options)
                .arg(format!("http://{address}{path}"))
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut total = Figures::default();
    for child in children {
        let output = child.wait_with_output()?;
        let text = String::from_utf8_lossy(&output.stdout);
        anyhow::ensure!(
            output.status.success(),
            "ab failed on {path}: {}{text}",
            String::from_utf8_lossy(&output.stderr)
        );
        let figures = parse(&text)?;
        total.per_second += figures.per_second;
        total.p50_ms = total.p50_ms.max(figures.p50_ms);
        total.p99_ms = total.p99_ms.max(figures.p99_ms);
        total.failed += figures.failed;
    }
    Ok(total)
}

/// The figures in `ab`'s report. Requests that did not answer 2xx count as failed (`ab`'s own
/// "Failed requests" also counts pages whose length varies, which a rendered page may).
fn parse(report: &str) -> anyhow::Result<Figures> {
    let field = |label: &str| {
        report.lines().find_map(|line| {
            line.trim_start()
                .strip_prefix(label)
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|n| n.parse::<f64>().ok())
        })
    };
    let per_second = field("Requests per second:")
        .ok_or_else(|| anyhow::anyhow!("no requests per second in:\n{report}"))?;
    let non_2xx = field("Non-2xx responses:").unwrap_or(0.0);
    let broken = field("Exceptions:").unwrap_or(0.0);
    Ok(Figures {
        per_second,
        p50_ms: field("50%").unwrap_or(f64::NAN),
        p99_ms: field("99%").unwrap_or(f64::NAN),
        failed: (non_2xx + broken) as u64,
    })
}

/// Migrates the database and makes a transaction-based tenant with an administrator, 10 000
/// transactions' worth of usage and an API key; returns the key.
async fn prepare(url: &str) -> anyhow::Result<String> {
    let db = Db::connect(url).await?;
    db.migrate().await?;
    let today = chrono::Utc::now().date_naive();
    let spec = TenantSpec {
        slug: "load".into(),
        name: "Load".into(),
        state: TenantState::Active,
        time_zone: "UTC".into(),
        locale: Locale::En,
        subscription: SubscriptionRow::new(
            LicenseModel::TransactionBased,
            today - chrono::Duration::days(100),
            today + chrono::Duration::days(265),
        ),
        extra_pools: Vec::new(),
        technical_emails: vec!["it@load.test".into()],
        billing_emails: vec!["billing@load.test".into()],
    };
    let tenant = service::tenants::create(&db, &spec, "bench").await?;
    accounts::create_administrator(&db, "admin@load.test", PASSWORD, Some(tenant)).await?;
    let mut conn = db.conn().await?;
    for pool in ["conversation_transactions", "workflow_transactions"] {
        let bought = refills::Refill::manual(1_000_000, "bench", 0);
        refills::refill(&mut conn, tenant, pool, &bought).await?;
    }
    drop(conn);
    let (_, key) = service::api_keys::create(&db, tenant, "bench", "bench").await?;
    db.close().await;
    Ok(key)
}
