//! `tally demo`: four tenants with months of history, deterministic from a seed and the day
//! taken as today. Usage is reported in time order as usage events, in API-sized batches,
//! through the ingestion service the usage API uses; purchases and refills go through the
//! consumption service's `refill`, as an operator's would.

mod people;

use app::model::TenantId;
use std::fmt::Write as _;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use rand::{Rng, SeedableRng, seq::SliceRandom};
use rand_chacha::ChaCha8Rng;

use app::model::event::{
    Conversation, Environment, Event, EventBody, FulfillmentType, HandledBy, InitiatedBy, Message,
    PoolLicense, SessionEnded, SessionStarted, SkillExecuted, SkillOutcome, Trigger,
    UserLicenseAssigned, UserLicenseReleased, WorkflowExecuted,
};
use app::model::{LicenseModel, Locale, PoolKey, TenantState};
use app::server::db::{self, Conn, Db, subscriptions::SubscriptionRow};
use app::server::service::{self, ingest, refills, tenants::TenantSpec};

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
        None,
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
        Some(n(2000.0) as i64),
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
        Some(n(2000.0) as i64),
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
        None,
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
        let _ = writeln!(
            out,
            "  tenant administrators admin@{slug}.test, analyst@{slug}.test"
        );
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
    auto_refill: Option<i64>,
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
        subscription: {
            let row = SubscriptionRow::new(
                model,
                today - Duration::days(days_in),
                today + Duration::days(days_left),
            );
            match auto_refill {
                Some(amount) => row.with_auto_refill(amount),
                None => row,
            }
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
    let request = refills::RefillRequest {
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
    refills::refill(conn, tenant, &request).await?;
    Ok(())
}

/// A tenant's reported history, gathered then sent in time order through the ingestion
/// service in API-sized batches: the demo holds exactly what the usage API would have stored.
struct Report {
    events: Vec<Event>,
    next: usize,
    prefix: &'static str,
}

impl Report {
    fn new(prefix: &'static str) -> Self {
        Self {
            events: Vec::new(),
            next: 0,
            prefix,
        }
    }

    fn push(&mut self, at: i64, body: EventBody) {
        self.next += 1;
        self.events.push(Event {
            id: format!("{}-{:07}", self.prefix, self.next),
            occurred_at: instant(at),
            body,
        });
    }

    async fn send(mut self, db: &Db, tenant: TenantId) -> anyhow::Result<()> {
        // Stable: what happened at the same instant keeps the order it was reported in.
        self.events.sort_by_key(Event::occurred_at_ms);
        for batch in self.events.chunks(app::server::events::MAX_BATCH / 2) {
            match ingest::ingest(db, tenant, batch, db::now_ms()).await {
                Ok(_) => {}
                Err(ingest::IngestError::Store(error)) => return Err(error.into()),
                Err(other) => anyhow::bail!("demo events refused: {other:?}"),
            }
        }
        Ok(())
    }
}

fn instant(ms: i64) -> DateTime<FixedOffset> {
    DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .fixed_offset()
}

fn conversation(
    rng: &mut ChaCha8Rng,
    conversation_id: String,
    session_id: Option<&str>,
    start: i64,
    person: &Person,
    agent: Option<&str>,
    channel: &str,
) -> EventBody {
    let lines = people::DIALOGUE
        .choose(rng)
        .copied()
        .unwrap_or(people::DIALOGUE[0]);
    let mut at = start;
    let messages = lines
        .iter()
        .enumerate()
        .map(|(i, text)| {
            at += rng.gen_range(5_000..90_000);
            let from = if i % 2 == 0 {
                person.user_name.clone()
            } else {
                agent.unwrap_or("bot").to_string()
            };
            Message {
                at: instant(at),
                from,
                text: (*text).to_string(),
            }
        })
        .collect();
    EventBody::Conversation(Conversation {
        conversation_id,
        session_id: session_id.map(str::to_string),
        user_id: Some(person.id.clone()),
        user_name: person.user_name.clone(),
        channel: channel.to_string(),
        handled_by: if agent.is_some() {
            HandledBy::Agent
        } else {
            HandledBy::Bot
        },
        agent_name: agent.map(str::to_string),
        messages,
    })
}

fn assigned(person: &Person) -> EventBody {
    EventBody::UserLicenseAssigned(UserLicenseAssigned {
        user_id: person.id.clone(),
        user_name: person.user_name.clone(),
        email: person.email.clone(),
        first_name: person.first_name.clone(),
        last_name: person.last_name.clone(),
        role: person.role.clone(),
    })
}

async fn acme_history(
    db: &Db,
    tenant: TenantId,
    rng: &mut ChaCha8Rng,
    start: NaiveDate,
    today: NaiveDate,
    users: usize,
) -> anyhow::Result<()> {
    let mut conn = db.conn().await?;
    let first = ((users as f64) * 0.87).round() as i64;
    refill(
        &mut conn,
        tenant,
        "user_licenses",
        "manual",
        first,
        "Initial purchase",
        ms(start),
    )
    .await?;
    refill(
        &mut conn,
        tenant,
        "user_licenses",
        "manual",
        (users as i64) - first + (users as i64) / 10,
        "Expansion for the support team",
        ms(start + Duration::days(150)),
    )
    .await?;
    drop(conn);
    let span = (today - start).num_days().max(1);
    let now = ms(today);
    let mut report = Report::new("acme");
    for i in 0..users {
        // Most seats are handed out early in the contract, the rest trickle in.
        let day = ((rng.gen_range(0.0f64..1.0).powf(1.8)) * span as f64) as i64;
        let at = ms(start + Duration::days(day)) + rng.gen_range(28_800_000..64_800_000);
        let person = people::person(rng, "acme", i);
        report.push(at, assigned(&person));
        for c in 0..rng.gen_range(0..=5) {
            let started = rng.gen_range(at..now.max(at + 1));
            let agent = rng
                .gen_bool(0.2)
                .then(|| pick(rng, people::AGENTS).to_string());
            let channel = pick(rng, people::CHANNELS);
            let body = conversation(
                rng,
                format!("acme-conv-{i}-{c}"),
                None,
                started,
                &person,
                agent.as_deref(),
                channel,
            );
            report.push(started, body);
        }
        // About one in twelve people leave again; their seat is released.
        if rng.gen_bool(0.08) {
            let released = rng.gen_range(at + 1..now.max(at + 2));
            report.push(
                released,
                EventBody::UserLicenseReleased(UserLicenseReleased {
                    user_id: person.id.clone(),
                }),
            );
        }
    }
    report.send(db, tenant).await
}

async fn globex_history(
    db: &Db,
    tenant: TenantId,
    rng: &mut ChaCha8Rng,
    start: NaiveDate,
    today: NaiveDate,
    sessions: usize,
) -> anyhow::Result<()> {
    let mut conn = db.conn().await?;
    refill(
        &mut conn,
        tenant,
        "session_licenses",
        "manual",
        (sessions as i64) * 6 / 5,
        "Initial purchase",
        ms(start),
    )
    .await?;
    drop(conn);
    let span_ms = ms(today) - ms(start);
    let population: Vec<Person> = (0..(sessions / 6).max(3))
        .map(|i| people::person(rng, "globex", i))
        .collect();
    let mut report = Report::new("globex");
    for i in 0..sessions {
        let started = ms(start) + rng.gen_range(0..span_ms);
        let person = population
            .choose(rng)
            .cloned()
            .unwrap_or_else(|| people::person(rng, "globex", i));
        let by_agent = rng.gen_bool(0.15);
        let agent = (by_agent || rng.gen_bool(0.25)).then(|| pick(rng, people::AGENTS).to_string());
        let session_id = format!("globex-s{i:06}");
        let channel = pick(rng, people::CHANNELS);
        report.push(
            started,
            EventBody::SessionStarted(SessionStarted {
                session_id: session_id.clone(),
                initiated_by: if by_agent {
                    InitiatedBy::Agent
                } else {
                    InitiatedBy::EndUser
                },
                user_name: person.user_name.clone(),
                email: person.email.clone(),
                role: person.role.clone(),
                agent_name: agent.clone(),
                channel: channel.to_string(),
            }),
        );
        let minutes = rng.gen_range(3..100);
        let ended = started + minutes * 60_000;
        for c in 0..rng.gen_range(1..=3) {
            let at = started + c * 60_000;
            let body = conversation(
                rng,
                format!("{session_id}-c{c}"),
                Some(&session_id),
                at,
                &person,
                agent.as_deref(),
                channel,
            );
            report.push(at, body);
        }
        if ended < ms(today) {
            report.push(
                ended,
                EventBody::SessionEnded(SessionEnded {
                    session_id: session_id.clone(),
                }),
            );
        }
    }
    report.send(db, tenant).await
}

async fn initech_history(
    db: &Db,
    tenant: TenantId,
    rng: &mut ChaCha8Rng,
    start: NaiveDate,
    today: NaiveDate,
    runs: usize,
) -> anyhow::Result<()> {
    let mut conn = db.conn().await?;
    refill(
        &mut conn,
        tenant,
        "conversation_transactions",
        "manual",
        (runs as i64) / 5,
        "Initial purchase",
        ms(start),
    )
    .await?;
    refill(
        &mut conn,
        tenant,
        "workflow_transactions",
        "manual",
        (runs as i64) / 4,
        "Initial purchase",
        ms(start),
    )
    .await?;
    drop(conn);
    let span_ms = ms(today) - ms(start);
    let population: Vec<Person> = (0..(runs / 40).max(3))
        .map(|i| people::person(rng, "initech", i))
        .collect();
    let mut report = Report::new("TX");
    for i in 0..runs {
        let at = ms(start) + rng.gen_range(0..span_ms);
        let person = population
            .choose(rng)
            .cloned()
            .unwrap_or_else(|| people::person(rng, "initech", i));
        let (skill, kind, fulfillment, details) =
            *people::SKILLS.choose(rng).unwrap_or(&people::SKILLS[0]);
        let environment = if rng.gen_bool(0.05) {
            Environment::Staging
        } else {
            Environment::Production
        };
        let channel = pick(rng, people::CHANNELS).to_string();
        if i % 9 == 8 {
            report.push(
                at,
                EventBody::WorkflowExecuted(WorkflowExecuted {
                    bot_name: BOT.into(),
                    workflow_name: "Nightly account sync".into(),
                    environment,
                    user_name: Some(person.user_name.clone()),
                    role: Some(person.role.clone()),
                    channel: Some(channel),
                }),
            );
            continue;
        }
        let outcome = *[
            SkillOutcome::Fulfilled,
            SkillOutcome::Fulfilled,
            SkillOutcome::Fulfilled,
            SkillOutcome::Fulfilled,
            SkillOutcome::Fulfilled,
            SkillOutcome::Fulfilled,
            SkillOutcome::Aborted,
            SkillOutcome::Idle,
            SkillOutcome::Timeout,
        ]
        .choose(rng)
        .unwrap_or(&SkillOutcome::Fulfilled);
        let trigger = *[
            Trigger::User,
            Trigger::User,
            Trigger::User,
            Trigger::User,
            Trigger::User,
            Trigger::TestBot,
            Trigger::ApiNotification,
            Trigger::FollowUpReply,
        ]
        .choose(rng)
        .unwrap_or(&Trigger::User);
        let workflow = fulfillment == FulfillmentType::AutomationWorkflow;
        report.push(
            at,
            EventBody::SkillExecuted(SkillExecuted {
                bot_name: BOT.into(),
                skill_name: skill.into(),
                skill_kind: kind,
                fulfillment_type: fulfillment,
                fulfillment_details: details.into(),
                workflow_name: workflow.then(|| details.to_string()),
                outcome,
                trigger,
                external_call: (fulfillment == FulfillmentType::PreConversationAction)
                    .then(|| rng.gen_bool(0.5)),
                environment,
                user_name: person.user_name.clone(),
                role: person.role.clone(),
                channel,
                conversation_id: None,
            }),
        );
    }
    report.send(db, tenant).await
}

const BOT: &str = "Initech Helpdesk";

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
    let begin = ms(start);
    let span = ms(today) - begin;
    let mut conn = db.conn().await?;
    refill(
        &mut conn,
        tenant,
        "user_licenses",
        "manual",
        50,
        "Trial allocation",
        begin,
    )
    .await?;
    for (pool, _, purchased, _) in nimbus_pools {
        refill(
            &mut conn,
            tenant,
            pool,
            "manual",
            *purchased,
            "Trial allocation",
            begin,
        )
        .await?;
    }
    drop(conn);
    let mut report = Report::new("umbrella");
    for i in 0..45 {
        let person = people::person(rng, "umbrella", i);
        report.push(begin + rng.gen_range(0..span), assigned(&person));
    }
    for (pool, _, _, assigned) in nimbus_pools {
        for n in 0..*assigned {
            let assignee = format!("umbrella-{}-{n}", pool.replace(':', "-"));
            report.push(
                begin + rng.gen_range(0..span),
                EventBody::LicenseAssigned(PoolLicense {
                    pool: (*pool).to_string(),
                    assignee_id: assignee.clone(),
                    assignee_name: Some(assignee),
                }),
            );
        }
    }
    report.send(db, tenant).await
}
