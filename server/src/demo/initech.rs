//! Initech: transaction-based, a helpdesk bot's skill runs and workflows, decided billable or
//! not by the rules of `domain::billable` as the usage API would.

use chrono::NaiveDate;
use rand::{Rng, seq::SliceRandom};
use rand_chacha::ChaCha8Rng;

use app::model::TenantId;
use app::model::event::{
    Environment, EventBody, FulfillmentType, SkillExecuted, SkillOutcome, Trigger, WorkflowExecuted,
};
use app::server::db::Db;

use super::people::{self, Person, pick};
use super::report::{Report, ms, purchase};

const BOT: &str = "Initech Helpdesk";

pub async fn history(
    db: &Db,
    tenant: TenantId,
    rng: &mut ChaCha8Rng,
    start: NaiveDate,
    today: NaiveDate,
    runs: usize,
) -> anyhow::Result<()> {
    let begin = ms(start);
    purchase(
        db,
        tenant,
        &[
            (
                "conversation_transactions",
                (runs as i64) / 5,
                "Initial purchase",
                begin,
            ),
            (
                "workflow_transactions",
                (runs as i64) / 4,
                "Initial purchase",
                begin,
            ),
        ],
    )
    .await?;
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
