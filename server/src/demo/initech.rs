//! Initech: transaction-based, a helpdesk bot's skill runs and workflows, decided billable or
//! not by the rules of `domain::billable` as the usage API would.

use rand::{Rng, seq::SliceRandom};

use app::model::event::{
    Environment, EventBody, FulfillmentType, SkillExecuted, SkillOutcome, Trigger, WorkflowExecuted,
};

use super::people::{self, Population, pick};
use super::report::{Report, Tenant, ms, purchase};

const BOT: &str = "Initech Helpdesk";

pub async fn history(t: Tenant<'_>, runs: usize) -> anyhow::Result<()> {
    let begin = ms(t.start);
    purchase(
        t.db,
        t.id,
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
    let span_ms = ms(t.today) - ms(t.start);
    let population = Population::new(t.rng, "initech", runs / 40);
    let mut report = Report::new("TX");
    for i in 0..runs {
        let at = ms(t.start) + t.rng.gen_range(0..span_ms);
        let person = population.anyone(t.rng, i);
        let (skill, kind, fulfillment, details) =
            *people::SKILLS.choose(t.rng).unwrap_or(&people::SKILLS[0]);
        let environment = if t.rng.gen_bool(0.05) {
            Environment::Staging
        } else {
            Environment::Production
        };
        let channel = pick(t.rng, people::CHANNELS).to_string();
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
        .choose(t.rng)
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
        .choose(t.rng)
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
                    .then(|| t.rng.gen_bool(0.5)),
                environment,
                user_name: person.user_name.clone(),
                role: person.role.clone(),
                channel,
                conversation_id: None,
            }),
        );
    }
    report.send(t.db, t.id).await
}
