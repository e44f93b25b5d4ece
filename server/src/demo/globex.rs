//! Globex Inc.: session-based, sessions opened by people or agents over months, each with a
//! few conversations, ended unless still open today.

use rand::Rng;

use app::model::event::{EventBody, InitiatedBy, SessionEnded, SessionStarted};

use super::people::{self, Population, pick};
use super::report::{Report, Tenant, conversation, ms, purchase};

pub async fn history(t: Tenant<'_>, sessions: usize) -> anyhow::Result<()> {
    let bought = (sessions as i64) * 6 / 5;
    purchase(
        t.db,
        t.id,
        &[("session_licenses", bought, "Initial purchase", ms(t.start))],
    )
    .await?;
    let span_ms = ms(t.today) - ms(t.start);
    let population = Population::new(t.rng, "globex", sessions / 6);
    let mut report = Report::new("globex");
    for i in 0..sessions {
        let started = ms(t.start) + t.rng.gen_range(0..span_ms);
        let person = population.anyone(t.rng, i);
        let by_agent = t.rng.gen_bool(0.15);
        let agent =
            (by_agent || t.rng.gen_bool(0.25)).then(|| pick(t.rng, people::AGENTS).to_string());
        let session_id = format!("globex-s{i:06}");
        let channel = pick(t.rng, people::CHANNELS);
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
        let minutes = t.rng.gen_range(3..100);
        let ended = started + minutes * 60_000;
        for c in 0..t.rng.gen_range(1..=3) {
            let at = started + c * 60_000;
            let body = conversation(
                t.rng,
                format!("{session_id}-c{c}"),
                Some(&session_id),
                at,
                &person,
                agent.as_deref(),
                channel,
            );
            report.push(at, body);
        }
        if ended < ms(t.today) {
            report.push(
                ended,
                EventBody::SessionEnded(SessionEnded {
                    session_id: session_id.clone(),
                }),
            );
        }
    }
    report.send(t.db, t.id).await
}
