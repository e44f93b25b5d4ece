//! What every demo tenant's history is made of: purchases, written through the refill service
//! in one transaction, and reported usage, gathered then sent in time order through ingestion
//! in API-sized batches, so the demo holds exactly what the usage API would have stored.

use chrono::{DateTime, FixedOffset, NaiveDate};
use rand::{Rng, seq::SliceRandom};
use rand_chacha::ChaCha8Rng;

use app::model::TenantId;
use app::model::event::{Conversation, Event, EventBody, HandledBy, Message, UserLicenseAssigned};
use app::server::db::Db;
use app::server::service::{ingest, refills};

use super::people::{self, Person};

/// What a tenant's generator writes into: the tenant, the demo's seeded randomness, and the
/// days of the contract so far.
pub struct Tenant<'a> {
    pub db: &'a Db,
    pub id: TenantId,
    pub rng: &'a mut ChaCha8Rng,
    pub start: NaiveDate,
    pub today: NaiveDate,
}

/// Epoch milliseconds of the start of `day` (UTC).
pub fn ms(day: NaiveDate) -> i64 {
    day.and_hms_opt(0, 0, 0)
        .map_or(0, |t| t.and_utc().timestamp_millis())
}

/// Licenses bought by the operator: (pool, licenses, note, when), all or none.
pub async fn purchase(
    db: &Db,
    tenant: TenantId,
    purchases: &[(&str, i64, &str, i64)],
) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    for &(pool_key, delta, note, at) in purchases {
        let bought = refills::Refill {
            note,
            ..refills::Refill::manual(delta, "root@tally.test", at)
        };
        refills::refill(&mut tx, tenant, pool_key, &bought).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A tenant's reported history, gathered then sent in time order through the ingestion
/// service in API-sized batches: the demo holds exactly what the usage API would have stored.
pub struct Report {
    events: Vec<Event>,
    next: usize,
    prefix: &'static str,
}

impl Report {
    pub fn new(prefix: &'static str) -> Self {
        Self {
            events: Vec::new(),
            next: 0,
            prefix,
        }
    }

    pub fn push(&mut self, at: i64, body: EventBody) {
        self.next += 1;
        self.events.push(Event {
            id: format!("{}-{:07}", self.prefix, self.next),
            occurred_at: instant(at),
            body,
        });
    }

    pub async fn send(mut self, db: &Db, tenant: TenantId) -> anyhow::Result<()> {
        // Stable: what happened at the same instant keeps the order it was reported in.
        self.events.sort_by_key(Event::occurred_at_ms);
        for batch in self.events.chunks(app::server::events::MAX_BATCH / 2) {
            match ingest::ingest(db, tenant, batch, chrono::Utc::now().timestamp_millis()).await {
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

/// A conversation of `person`, with a bot or with `agent`, of a dialogue drawn from `people`.
pub fn conversation(
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

pub fn assigned(person: &Person) -> EventBody {
    EventBody::UserLicenseAssigned(UserLicenseAssigned {
        user_id: person.id.clone(),
        user_name: person.user_name.clone(),
        email: person.email.clone(),
        first_name: person.first_name.clone(),
        last_name: person.last_name.clone(),
        role: person.role.clone(),
    })
}
