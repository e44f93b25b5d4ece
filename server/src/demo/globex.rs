//! Globex Inc.: session-based, sessions opened by people or agents over months, each with a
//! few conversations, ended unless still open today.

use chrono::NaiveDate;
use rand::{Rng, seq::SliceRandom};
use rand_chacha::ChaCha8Rng;

use app::model::TenantId;
use app::model::event::{EventBody, InitiatedBy, SessionEnded, SessionStarted};
use app::server::db::Db;

use super::people::{self, Person, pick};
use super::report::{Report, conversation, ms, purchase};

pub async fn history(
    db: &Db,
    tenant: TenantId,
    rng: &mut ChaCha8Rng,
    start: NaiveDate,
    today: NaiveDate,
    sessions: usize,
) -> anyhow::Result<()> {
    let bought = (sessions as i64) * 6 / 5;
    purchase(
        db,
        tenant,
        &[("session_licenses", bought, "Initial purchase", ms(start))],
    )
    .await?;
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
