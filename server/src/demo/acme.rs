//! Acme Corporation: user-based, a seat per person who signs in, conversations with a bot or
//! an agent, and about one person in twelve leaving again.

use chrono::Duration;
use rand::Rng;

use app::model::event::{EventBody, UserLicenseReleased};

use super::people::{self, pick};
use super::report::{Report, Tenant, assigned, conversation, ms, purchase};

pub async fn history(t: Tenant<'_>, users: usize) -> anyhow::Result<()> {
    let first = ((users as f64) * 0.87).round() as i64;
    let expansion = (users as i64) - first + (users as i64) / 10;
    let expanded = ms(t.start + Duration::days(150));
    purchase(
        t.db,
        t.id,
        &[
            ("user_licenses", first, "Initial purchase", ms(t.start)),
            (
                "user_licenses",
                expansion,
                "Expansion for the support team",
                expanded,
            ),
        ],
    )
    .await?;
    let span = (t.today - t.start).num_days().max(1);
    let now = ms(t.today);
    let mut report = Report::new("acme");
    for i in 0..users {
        // Most seats are handed out early in the contract, the rest trickle in.
        let day = ((t.rng.gen_range(0.0f64..1.0).powf(1.8)) * span as f64) as i64;
        let at = ms(t.start + Duration::days(day)) + t.rng.gen_range(28_800_000..64_800_000);
        let person = people::person(t.rng, "acme", i);
        report.push(at, assigned(&person));
        for c in 0..t.rng.gen_range(0..=5) {
            let started = t.rng.gen_range(at..now.max(at + 1));
            let agent = t
                .rng
                .gen_bool(0.2)
                .then(|| pick(t.rng, people::AGENTS).to_string());
            let channel = pick(t.rng, people::CHANNELS);
            let body = conversation(
                t.rng,
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
        if t.rng.gen_bool(0.08) {
            let released = t.rng.gen_range(at + 1..now.max(at + 2));
            report.push(
                released,
                EventBody::UserLicenseReleased(UserLicenseReleased {
                    user_id: person.id.clone(),
                }),
            );
        }
    }
    report.send(t.db, t.id).await
}
