//! `tally demo`: four tenants with months of history, deterministic from a seed and the day
//! taken as today. Each tenant is a row of `TENANTS` and a generator of its own (one module
//! each); purchases go through the refill service, usage through ingestion, as in production.

mod acme;
mod globex;
mod initech;
mod people;
mod report;
mod umbrella;

use std::fmt::Write as _;

use chrono::{Duration, NaiveDate};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use app::model::{LicenseModel, Locale, PoolKey, TenantId, TenantState};
use app::server::db::{Db, subscriptions::SubscriptionRow};
use app::server::service::{self, tenants::TenantSpec};

/// The password of every demo administrator.
pub const DEMO_PASSWORD: &str = "tally-demo";
const ACTOR: &str = "demo";

/// Which generator writes a tenant's history.
#[derive(Debug, Clone, Copy)]
enum History {
    /// People holding user licenses, `volume` of them.
    Acme,
    /// `volume` sessions.
    Globex,
    /// `volume` skill runs and workflows.
    Initech,
    /// A trial with assignment pools.
    Umbrella,
}

/// One demo tenant.
struct DemoTenant {
    slug: &'static str,
    name: &'static str,
    state: TenantState,
    model: LicenseModel,
    locale: Locale,
    /// Days of the contract behind today, and ahead of it.
    days_in: i64,
    days_left: i64,
    /// Licenses an auto-refill adds (before scaling), when the tenant has one.
    auto_refill: Option<f64>,
    /// Assignment pools beyond the model's: (pool, enforcement, purchased, assigned).
    extra_pools: &'static [(&'static str, &'static str, i64, i64)],
    history: History,
    /// How much history (before scaling).
    volume: f64,
}

const TENANTS: [DemoTenant; 4] = [
    DemoTenant {
        slug: "acme",
        name: "Acme Corporation",
        state: TenantState::Active,
        model: LicenseModel::UserBased,
        locale: Locale::En,
        days_in: 240,
        days_left: 125,
        auto_refill: None,
        extra_pools: &[],
        history: History::Acme,
        volume: 2300.0,
    },
    DemoTenant {
        slug: "globex",
        name: "Globex Inc.",
        state: TenantState::Active,
        model: LicenseModel::SessionBased,
        locale: Locale::En,
        days_in: 270,
        days_left: 95,
        auto_refill: Some(2000.0),
        extra_pools: &[],
        history: History::Globex,
        volume: 5000.0,
    },
    DemoTenant {
        slug: "initech",
        name: "Initech",
        state: TenantState::Active,
        model: LicenseModel::TransactionBased,
        locale: Locale::En,
        days_in: 180,
        days_left: 185,
        auto_refill: Some(2000.0),
        extra_pools: &[],
        history: History::Initech,
        volume: 20000.0,
    },
    DemoTenant {
        slug: "umbrella",
        name: "Umbrella Health",
        state: TenantState::Trial,
        model: LicenseModel::UserBased,
        locale: Locale::PtBr,
        days_in: 60,
        days_left: 30,
        auto_refill: None,
        extra_pools: umbrella::POOLS,
        history: History::Umbrella,
        volume: 0.0,
    },
];

/// Replaces the database's content with the demo; returns what to tell the operator.
pub async fn load(db: &Db, seed: u64, today: NaiveDate) -> anyhow::Result<String> {
    load_scaled(db, seed, today, 1.0).await
}

/// The demo at `scale` times its usual volume (tests load a small one).
pub async fn load_scaled(
    db: &Db,
    seed: u64,
    today: NaiveDate,
    scale: f64,
) -> anyhow::Result<String> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let scaled = |count: f64| ((count * scale).round() as usize).max(3);
    db.clear_all().await?;
    let mut out =
        String::from("Demo data loaded.\n\nSign in at /login with password `tally-demo`:\n");
    service::accounts::create_administrator(db, "root@tally.test", DEMO_PASSWORD, None).await?;
    out.push_str("  super administrator   root@tally.test\n");
    let mut created = Vec::new();
    for demo in &TENANTS {
        let auto_refill = demo.auto_refill.map(|amount| scaled(amount) as i64);
        let tenant = create(db, demo, today, auto_refill).await?;
        let into = report::Tenant {
            db,
            id: tenant,
            rng: &mut rng,
            start: today - Duration::days(demo.days_in),
            today,
        };
        let volume = scaled(demo.volume);
        match demo.history {
            History::Acme => acme::history(into, volume).await?,
            History::Globex => globex::history(into, volume).await?,
            History::Initech => initech::history(into, volume).await?,
            History::Umbrella => umbrella::history(into).await?,
        }
        created.push((demo.slug, tenant));
    }
    // The history's alerts were announced when they happened: starting the demo sends none.
    service::alerts::log::mark_all_delivered(db).await?;
    for (slug, _) in &created {
        let _ = writeln!(
            out,
            "  tenant administrators admin@{slug}.test, analyst@{slug}.test"
        );
    }
    out.push_str("\nAPI keys (shown once):\n");
    for (slug, tenant) in created {
        let (_, key) = service::api_keys::create(db, tenant, "demo", ACTOR).await?;
        let _ = writeln!(out, "  {slug:<9} {key}");
    }
    Ok(out)
}

/// The tenant of `demo`, its contract around `today`, and its two administrators.
async fn create(
    db: &Db,
    demo: &DemoTenant,
    today: NaiveDate,
    auto_refill: Option<i64>,
) -> anyhow::Result<TenantId> {
    let slug = demo.slug;
    let subscription = SubscriptionRow::new(
        demo.model,
        today - Duration::days(demo.days_in),
        today + Duration::days(demo.days_left),
    );
    let extra_pools = demo
        .extra_pools
        .iter()
        .map(|(key, enforcement, _, _)| {
            Ok((
                PoolKey::parse(key).map_err(anyhow::Error::msg)?,
                enforcement.to_string(),
            ))
        })
        .collect::<anyhow::Result<_>>()?;
    let spec = TenantSpec {
        slug: slug.into(),
        name: demo.name.into(),
        state: demo.state,
        time_zone: "America/Sao_Paulo".into(),
        locale: demo.locale,
        subscription: match auto_refill {
            Some(amount) => subscription.with_auto_refill(amount),
            None => subscription,
        },
        extra_pools,
        technical_emails: vec![
            format!("it-ops@{slug}.test"),
            format!("platform@{slug}.test"),
        ],
        billing_emails: vec![format!("finance@{slug}.test")],
    };
    let tenant = service::tenants::create(db, &spec, ACTOR).await?;
    for who in ["admin", "analyst"] {
        service::accounts::create_administrator(
            db,
            &format!("{who}@{slug}.test"),
            DEMO_PASSWORD,
            Some(tenant),
        )
        .await?;
    }
    Ok(tenant)
}
