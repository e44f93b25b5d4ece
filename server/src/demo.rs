//! `tally demo`: four tenants with months of history, generated in time order through the same
//! consumption service the usage API uses, deterministic from a seed and the day taken as today.

mod people;

use std::fmt::Write as _;

use chrono::{Duration, NaiveDate};
use rand::{Rng, SeedableRng, seq::SliceRandom};
use rand_chacha::ChaCha8Rng;

use app::domain::billable::{SkillRun, decide_skill, decide_workflow};
use app::model::{LicenseModel, Locale, PoolKey, TenantState};
use app::server::db::{
    self, Conn, Db, conversations, pools, subscriptions::SubscriptionRow, tenants::TenantId,
    transactions::TransactionRow, usage_sessions, user_licenses,
};
use app::server::service::{self, consumption, tenants::TenantSpec};

use people::{Person, pick};

/// The password of every demo administrator.
pub const DEMO_PASSWORD: &str = "tally-demo";
const ACTOR: &str = "demo";

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
    reset(db).await?;
    let n = |count: f64| ((count * scale).round() as usize).max(3);

    let mut out =
        String::from("Demo data loaded.\n\nSign in at /login with password `tally-demo`:\n");
    service::accounts::create_administrator(db, "root@tally.test", DEMO_PASSWORD, None).await?;
    out.push_str("  super administrator   root@tally.test\n");

    let acme = create(
        db,
        "acme",
        "Acme Corporation",
        TenantState::Active,
        LicenseModel::UserBased,
        today,
        240,
        125,
        &[],
    )
    .await?;
    acme_history(
        db,
        acme,
        &mut rng,
        today - Duration::days(240),
        today,
        n(2300.0),
    )
    .await?;
    let globex = create(
        db,
        "globex",
        "Globex Inc.",
        TenantState::Active,
        LicenseModel::SessionBased,
        today,
        270,
        95,
        &[],
    )
    .await?;
    globex_history(
        db,
        globex,
        &mut rng,
        today - Duration::days(270),
        today,
        n(5000.0),
    )
    .await?;
    let initech = create(
        db,
        "initech",
        "Initech",
        TenantState::Active,
        LicenseModel::TransactionBased,
        today,
        180,
        185,
        &[],
    )
    .await?;
    initech_history(
        db,
        initech,
        &mut rng,
        today - Duration::days(180),
        today,
        n(20000.0),
    )
    .await?;
    let nimbus_pools = umbrella_pools();
    let extra: Vec<(&str, &str)> = nimbus_pools.iter().map(|(k, e, _, _)| (*k, *e)).collect();
    let umbrella = create(
        db,
        "umbrella",
        "Umbrella Health",
        TenantState::Trial,
        LicenseModel::UserBased,
        today,
        60,
        30,
        &extra,
    )
    .await?;
    umbrella_history(
        db,
        umbrella,
        &mut rng,
        today - Duration::days(60),
        today,
        &nimbus_pools,
    )
    .await?;

    for slug in ["acme", "globex", "initech", "umbrella"] {
        let _ = writeln!(out, "  tenant administrator  admin@{slug}.test");
    }
    out.push_str("\nAPI keys (shown once):\n");
    for (slug, tenant) in [
        ("acme", acme),
        ("globex", globex),
        ("initech", initech),
        ("umbrella", umbrella),
    ] {
        let (_, key) = service::api_keys::create(db, tenant, "demo", ACTOR).await?;
        let _ = writeln!(out, "  {slug:<9} {key}");
    }
    Ok(out)
}

async fn reset(db: &Db) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    db::tenants::delete_all(&mut tx).await?;
    db::administrators::delete_all(&mut tx).await?;
    for table in ["sign_in_failures", "audit_log", "outbox"] {
        sqlx::query(&format!("delete from {table}"))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[expect(
    clippy::too_many_arguments,
    reason = "one call per demo tenant reads best flat"
)]
async fn create(
    db: &Db,
    slug: &str,
    name: &str,
    state: TenantState,
    model: LicenseModel,
    today: NaiveDate,
    days_in: i64,
    days_left: i64,
    extra_pools: &[(&str, &str)],
) -> anyhow::Result<TenantId> {
    let spec = TenantSpec {
        slug: slug.into(),
        name: name.into(),
        state,
        time_zone: "America/Sao_Paulo".into(),
        locale: if slug == "umbrella" {
            Locale::PtBr
        } else {
            Locale::En
        },
        subscription: SubscriptionRow {
            license_model: model.as_str().into(),
            contract_start: (today - Duration::days(days_in)).to_string(),
            contract_end: (today + Duration::days(days_left)).to_string(),
            session_minutes: (model == LicenseModel::SessionBased).then_some(30),
            thresholds: "75,85,95,100".into(),
            contract_notice_days: "30,7,1".into(),
            auto_refill: model != LicenseModel::UserBased,
            auto_refill_amount: if model == LicenseModel::SessionBased {
                2000
            } else {
                5000
            },
            auto_refill_percent: 95,
            auto_refill_max_per_month: 1,
        },
        extra_pools: extra_pools
            .iter()
            .map(|(key, enforcement)| {
                Ok((
                    PoolKey::parse(key).map_err(anyhow::Error::msg)?,
                    enforcement.to_string(),
                ))
            })
            .collect::<anyhow::Result<_>>()?,
        technical_emails: vec![
            format!("it-ops@{slug}.test"),
            format!("platform@{slug}.test"),
        ],
        billing_emails: vec![format!("finance@{slug}.test")],
    };
    let tenant = service::tenants::create(db, &spec, ACTOR).await?;
    service::accounts::create_administrator(
        db,
        &format!("admin@{slug}.test"),
        DEMO_PASSWORD,
        Some(tenant),
    )
    .await?;
    Ok(tenant)
}

fn ms(day: NaiveDate) -> i64 {
    day.and_hms_opt(0, 0, 0)
        .map_or(0, |t| t.and_utc().timestamp_millis())
}

async fn refill(
    conn: &mut Conn,
    tenant: TenantId,
    pool: &str,
    kind: &str,
    delta: i64,
    note: &str,
    at: i64,
) -> anyhow::Result<()> {
    let request = consumption::RefillRequest {
        pool_key: pool,
        kind,
        delta,
        actor: if kind == "auto" {
            "auto-refill"
        } else {
            "root@tally.test"
        },
        note,
        at,
    };
    consumption::refill(conn, tenant, &request).await?;
    Ok(())
}

/// Refills a pool the way the auto-refill job does: at 95% used, at most once a month.
struct AutoRefill {
    amount: i64,
    last_month: Option<(i32, u32)>,
}

impl AutoRefill {
    async fn check(
        &mut self,
        conn: &mut Conn,
        tenant: TenantId,
        pool: &pools::PoolRow,
        at: i64,
    ) -> anyhow::Result<()> {
        use chrono::Datelike;
        let month = chrono::DateTime::from_timestamp_millis(at).map(|t| (t.year(), t.month()));
        if pool.consumed * 100 >= pool.purchased * 95 && month != self.last_month {
            self.last_month = month;
            refill(
                conn,
                tenant,
                &pool.pool_key,
                "auto",
                self.amount,
                "usage reached 95%",
                at,
            )
            .await?;
        }
        Ok(())
    }
}

fn conversation_messages(
    rng: &mut ChaCha8Rng,
    start: i64,
    person: &Person,
    agent: Option<&str>,
) -> Vec<conversations::MessageRow> {
    let lines = people::DIALOGUE
        .choose(rng)
        .copied()
        .unwrap_or(people::DIALOGUE[0]);
    let mut at = start;
    lines
        .iter()
        .enumerate()
        .map(|(i, text)| {
            at += rng.gen_range(5_000..90_000);
            let sender = if i % 2 == 0 {
                person.user_name.clone()
            } else {
                agent.unwrap_or("bot").to_string()
            };
            conversations::MessageRow {
                sent_at: at,
                sender,
                body: (*text).to_string(),
            }
        })
        .collect()
}

async fn acme_history(
    db: &Db,
    tenant: TenantId,
    rng: &mut ChaCha8Rng,
    start: NaiveDate,
    today: NaiveDate,
    users: usize,
) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    let first = ((users as f64) * 0.87).round() as i64;
    refill(
        &mut tx,
        tenant,
        "user_licenses",
        "manual",
        first,
        "Initial purchase",
        ms(start),
    )
    .await?;
    refill(
        &mut tx,
        tenant,
        "user_licenses",
        "manual",
        (users as i64) - first + (users as i64) / 10,
        "Expansion for the support team",
        ms(start + Duration::days(150)),
    )
    .await?;
    let span = (today - start).num_days().max(1);
    let mut allocations: Vec<(i64, Person)> = (0..users)
        .map(|i| {
            // Most seats are handed out early in the contract, the rest trickle in.
            let day = ((rng.gen_range(0.0f64..1.0).powf(1.8)) * span as f64) as i64;
            (
                ms(start + Duration::days(day)) + rng.gen_range(28_800_000..64_800_000),
                people::person(rng, "acme", i),
            )
        })
        .collect();
    allocations.sort_by_key(|(at, _)| *at);
    let now = ms(today);
    for (i, (at, person)) in allocations.iter().enumerate() {
        let user = user_licenses::LicensedUser {
            user_id: &person.id,
            user_name: &person.user_name,
            email: &person.email,
            first_name: &person.first_name,
            last_name: &person.last_name,
            role: &person.role,
        };
        consumption::assign_user_license(&mut tx, tenant, &user, *at).await?;
        let conversations_count = rng.gen_range(0..=5);
        for c in 0..conversations_count {
            let started = rng.gen_range(*at..now.max(at + 1));
            let agent = rng
                .gen_bool(0.2)
                .then(|| pick(rng, people::AGENTS).to_string());
            let messages = conversation_messages(rng, started, person, agent.as_deref());
            let conversation_id = format!("acme-conv-{i}-{c}");
            let new = conversations::NewConversation {
                conversation_id: &conversation_id,
                session_id: None,
                user_id: Some(&person.id),
                user_name: &person.user_name,
                channel: pick(rng, people::CHANNELS),
                handled_by: if agent.is_some() { "agent" } else { "bot" },
                agent_name: agent.as_deref(),
                started_at: started,
            };
            consumption::record_conversation(&mut tx, tenant, &new, &messages).await?;
        }
        // About one in twelve people leave again; their seat is released.
        if rng.gen_bool(0.08) {
            let released = rng.gen_range(*at..now.max(at + 1));
            consumption::release_user_license(&mut tx, tenant, &person.id, released).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

async fn globex_history(
    db: &Db,
    tenant: TenantId,
    rng: &mut ChaCha8Rng,
    start: NaiveDate,
    today: NaiveDate,
    sessions: usize,
) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    let initial = (sessions as i64) * 6 / 5;
    refill(
        &mut tx,
        tenant,
        "session_licenses",
        "manual",
        initial,
        "Initial purchase",
        ms(start),
    )
    .await?;
    let mut auto = AutoRefill {
        amount: (sessions as i64) * 2 / 5,
        last_month: None,
    };
    let span_ms = ms(today) - ms(start);
    let mut starts: Vec<i64> = (0..sessions)
        .map(|_| ms(start) + rng.gen_range(0..span_ms))
        .collect();
    starts.sort_unstable();
    let population: Vec<Person> = (0..(sessions / 6).max(3))
        .map(|i| people::person(rng, "globex", i))
        .collect();
    for (i, started) in starts.into_iter().enumerate() {
        let person = population
            .choose(rng)
            .cloned()
            .unwrap_or_else(|| people::person(rng, "globex", i));
        let by_agent = rng.gen_bool(0.15);
        let agent = (by_agent || rng.gen_bool(0.25)).then(|| pick(rng, people::AGENTS).to_string());
        let session_id = format!("globex-s{i:06}");
        let session = usage_sessions::NewSession {
            session_id: &session_id,
            initiated_by: if by_agent { "agent" } else { "end_user" },
            user_name: &person.user_name,
            email: &person.email,
            role: &person.role,
            agent_name: agent.as_deref(),
            channel: pick(rng, people::CHANNELS),
        };
        consumption::start_session(&mut tx, tenant, &session, started).await?;
        let minutes = rng.gen_range(3..100);
        let ended = started + minutes * 60_000;
        for c in 0..rng.gen_range(1..=3) {
            let conversation_id = format!("{session_id}-c{c}");
            let at = started + c * 60_000;
            let messages = conversation_messages(rng, at, &person, agent.as_deref());
            let new = conversations::NewConversation {
                conversation_id: &conversation_id,
                session_id: Some(&session_id),
                user_id: Some(&person.id),
                user_name: &person.user_name,
                channel: session.channel,
                handled_by: if agent.is_some() { "agent" } else { "bot" },
                agent_name: agent.as_deref(),
                started_at: at,
            };
            consumption::record_conversation(&mut tx, tenant, &new, &messages).await?;
        }
        if ended < ms(today)
            && let Some(pool) =
                consumption::end_session(&mut tx, tenant, &session_id, ended, 30).await?
        {
            auto.check(&mut tx, tenant, &pool, ended).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

async fn initech_history(
    db: &Db,
    tenant: TenantId,
    rng: &mut ChaCha8Rng,
    start: NaiveDate,
    today: NaiveDate,
    runs: usize,
) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    let conversation_pool = (runs as i64) / 5;
    refill(
        &mut tx,
        tenant,
        "conversation_transactions",
        "manual",
        conversation_pool,
        "Initial purchase",
        ms(start),
    )
    .await?;
    refill(
        &mut tx,
        tenant,
        "workflow_transactions",
        "manual",
        (runs as i64) / 4,
        "Initial purchase",
        ms(start),
    )
    .await?;
    let mut conversation_refill = AutoRefill {
        amount: (runs as i64) / 10,
        last_month: None,
    };
    let mut workflow_refill = AutoRefill {
        amount: (runs as i64) / 12,
        last_month: None,
    };
    let span_ms = ms(today) - ms(start);
    let mut times: Vec<i64> = (0..runs)
        .map(|_| ms(start) + rng.gen_range(0..span_ms))
        .collect();
    times.sort_unstable();
    let population: Vec<Person> = (0..(runs / 40).max(3))
        .map(|i| people::person(rng, "initech", i))
        .collect();
    for (i, at) in times.into_iter().enumerate() {
        let person = population
            .choose(rng)
            .cloned()
            .unwrap_or_else(|| people::person(rng, "initech", i));
        let (skill, kind, fulfillment, details) =
            *people::SKILLS.choose(rng).unwrap_or(&people::SKILLS[0]);
        let run = SkillRun {
            skill_kind: kind,
            fulfillment_type: fulfillment,
            outcome: [
                "fulfilled",
                "fulfilled",
                "fulfilled",
                "fulfilled",
                "fulfilled",
                "fulfilled",
                "aborted",
                "idle",
                "timeout",
            ]
            .choose(rng)
            .unwrap_or(&"fulfilled"),
            trigger: [
                "user",
                "user",
                "user",
                "user",
                "user",
                "test_bot",
                "api_notification",
                "follow_up_reply",
            ]
            .choose(rng)
            .unwrap_or(&"user"),
            external_call: (fulfillment == "pre_conversation_action").then(|| rng.gen_bool(0.5)),
            environment: if rng.gen_bool(0.05) {
                "staging"
            } else {
                "production"
            },
        };
        let decisions = if i % 9 == 8 {
            vec![decide_workflow(run.environment)]
        } else {
            decide_skill(&run)
        };
        for (n, decision) in decisions.into_iter().enumerate() {
            let row = TransactionRow {
                transaction_id: format!("TX-{:07}-{n}", i + 1),
                occurred_at: at,
                bot_name: "Initech Helpdesk".into(),
                skill_name: skill.into(),
                tx_type: decision.tx_type.as_str().into(),
                fulfillment_type: fulfillment.into(),
                fulfillment_details: details.into(),
                billable: decision.billable,
                reason: decision.reason.into(),
                user_name: person.user_name.clone(),
                role: person.role.clone(),
                channel: pick(rng, people::CHANNELS).into(),
            };
            if let Some(pool) = consumption::record_transaction(&mut tx, tenant, &row, None).await?
            {
                let refiller = if row.tx_type == "workflow" {
                    &mut workflow_refill
                } else {
                    &mut conversation_refill
                };
                refiller.check(&mut tx, tenant, &pool, at).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Umbrella's Nimbus-style pools: (pool, enforcement, purchased, assigned).
fn umbrella_pools() -> Vec<(&'static str, &'static str, i64, i64)> {
    vec![
        ("service:advanced_routing", "hard", 40, 31),
        ("service:enterprise_routing", "hard", 15, 9),
        ("service:contact_center", "hard", 10, 10),
        ("user:contact_center", "hard", 60, 52),
        ("user:interact", "soft", 120, 77),
        ("user:attendant_console", "hard", 20, 12),
        ("user:assistant", "soft", 30, 29),
        ("user:companion", "soft", 25, 8),
        ("addon:recording", "soft", 10, 13),
        ("modality:chat", "hard", 80, 64),
        ("modality:voice", "hard", 60, 41),
        ("virtual_user", "hard", 5, 3),
    ]
}

async fn umbrella_history(
    db: &Db,
    tenant: TenantId,
    rng: &mut ChaCha8Rng,
    start: NaiveDate,
    today: NaiveDate,
    nimbus_pools: &[(&str, &str, i64, i64)],
) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    let begin = ms(start);
    let span = ms(today) - begin;
    refill(
        &mut tx,
        tenant,
        "user_licenses",
        "manual",
        50,
        "Trial allocation",
        begin,
    )
    .await?;
    for i in 0..45 {
        let person = people::person(rng, "umbrella", i);
        let user = user_licenses::LicensedUser {
            user_id: &person.id,
            user_name: &person.user_name,
            email: &person.email,
            first_name: &person.first_name,
            last_name: &person.last_name,
            role: &person.role,
        };
        consumption::assign_user_license(&mut tx, tenant, &user, begin + rng.gen_range(0..span))
            .await?;
    }
    for (pool, _, purchased, assigned) in nimbus_pools {
        refill(
            &mut tx,
            tenant,
            pool,
            "manual",
            *purchased,
            "Trial allocation",
            begin,
        )
        .await?;
        for n in 0..*assigned {
            let assignee = format!("umbrella-{}-{n}", pool.replace(':', "-"));
            consumption::assign_pool_license(
                &mut tx,
                tenant,
                pool,
                &assignee,
                &assignee,
                begin + rng.gen_range(0..span),
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
