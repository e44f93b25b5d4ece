//! Umbrella Health: a user-based trial in Portuguese with Nimbus-style assignment pools
//! (services, user features, an add-on, modalities and virtual users).

use rand::Rng;

use app::model::event::{EventBody, PoolLicense};

use super::people;
use super::report::{Report, Tenant, assigned, ms, purchase};

/// The assignment pools: (pool, enforcement, purchased, assigned).
pub const POOLS: &[(&str, &str, i64, i64)] = &[
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
];

pub async fn history(t: Tenant<'_>) -> anyhow::Result<()> {
    let begin = ms(t.start);
    let span = ms(t.today) - begin;
    let mut purchases = vec![("user_licenses", 50, "Trial allocation", begin)];
    purchases.extend(
        POOLS
            .iter()
            .map(|(pool, _, purchased, _)| (*pool, *purchased, "Trial allocation", begin)),
    );
    purchase(t.db, t.id, &purchases).await?;
    let mut report = Report::new("umbrella");
    for i in 0..45 {
        let person = people::person(t.rng, "umbrella", i);
        report.push(begin + t.rng.gen_range(0..span), assigned(&person));
    }
    for (pool, _, _, assigned) in POOLS {
        for n in 0..*assigned {
            let assignee = format!("umbrella-{}-{n}", pool.replace(':', "-"));
            report.push(
                begin + t.rng.gen_range(0..span),
                EventBody::LicenseAssigned(PoolLicense {
                    pool: (*pool).to_string(),
                    assignee_id: assignee.clone(),
                    assignee_name: Some(assignee),
                }),
            );
        }
    }
    report.send(t.db, t.id).await
}
