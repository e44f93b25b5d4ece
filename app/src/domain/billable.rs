//! Which reported work is a billable transaction (seed 004). The platform reports what
//! happened; these rules decide, and every decision carries the code of the rule behind it.

use serde::{Deserialize, Serialize};

use crate::model::event::{Environment, FulfillmentType, SkillKind, SkillOutcome, Trigger};

/// A skill execution as the platform reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SkillRun {
    pub skill_kind: SkillKind,
    pub fulfillment_type: FulfillmentType,
    pub outcome: SkillOutcome,
    pub trigger: Trigger,
    pub external_call: Option<bool>,
    pub environment: Environment,
}

/// The transaction types of the Transaction History Log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TxType {
    Conversation,
    Workflow,
}

impl TxType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Conversation => "conversation",
            Self::Workflow => "workflow",
        }
    }
}

/// One transaction the rules produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub tx_type: TxType,
    pub billable: bool,
    pub reason: &'static str,
}

/// Why a conversation transaction is not billable, first matching rule wins; `None` when it is.
fn conversation_exemption(run: &SkillRun) -> Option<&'static str> {
    Some(match run {
        SkillRun {
            environment: Environment::Staging,
            ..
        } => "staging_environment",
        SkillRun {
            trigger: Trigger::TestBot,
            ..
        } => "test_bot",
        SkillRun {
            skill_kind: SkillKind::System,
            ..
        } => "system_skill",
        SkillRun {
            skill_kind: SkillKind::TransferToAgent,
            ..
        } => "transfer_to_agent",
        SkillRun {
            trigger: Trigger::ApiNotification,
            ..
        } => "api_notification",
        SkillRun {
            trigger: Trigger::AutomatedFollowUp,
            ..
        } => "automated_follow_up",
        SkillRun {
            skill_kind: SkillKind::SmallTalk,
            ..
        } => "small_talk",
        SkillRun {
            outcome: SkillOutcome::Aborted,
            ..
        } => "aborted_exit_word",
        SkillRun {
            outcome: SkillOutcome::Idle,
            ..
        } => "aborted_idle",
        SkillRun {
            outcome: SkillOutcome::Timeout,
            ..
        } => "aborted_timeout",
        SkillRun {
            outcome: SkillOutcome::UnexpectedReply,
            ..
        } => "unexpected_reply",
        SkillRun {
            fulfillment_type: FulfillmentType::PreConversationAction,
            external_call: None | Some(false),
            ..
        } => "pre_conversation_no_external_call",
        SkillRun {
            skill_kind: SkillKind::Faq,
            ..
        }
        | SkillRun {
            fulfillment_type: FulfillmentType::Faq,
            ..
        } => "faq",
        _ => return None,
    })
}

/// The transactions a skill execution yields: always a conversation transaction (billable or
/// not), and a workflow transaction too when an automation workflow fulfilled it.
pub fn decide_skill(run: &SkillRun) -> Vec<Decision> {
    let conversation = match conversation_exemption(run) {
        Some(reason) => Decision {
            tx_type: TxType::Conversation,
            billable: false,
            reason,
        },
        None => Decision {
            tx_type: TxType::Conversation,
            billable: true,
            reason: if run.trigger == Trigger::FollowUpReply {
                "follow_up_reply"
            } else {
                "fulfilled"
            },
        },
    };
    let mut decisions = vec![conversation];
    if run.fulfillment_type == FulfillmentType::AutomationWorkflow
        && run.outcome == SkillOutcome::Fulfilled
    {
        decisions.push(decide_workflow(run.environment));
    }
    decisions
}

/// A workflow execution is one workflow transaction, billable unless run on staging.
pub fn decide_workflow(environment: Environment) -> Decision {
    if environment == Environment::Staging {
        Decision {
            tx_type: TxType::Workflow,
            billable: false,
            reason: "staging_environment",
        }
    } else {
        Decision {
            tx_type: TxType::Workflow,
            billable: true,
            reason: "workflow_executed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: SkillRun = SkillRun {
        skill_kind: SkillKind::Custom,
        fulfillment_type: FulfillmentType::Text,
        outcome: SkillOutcome::Fulfilled,
        trigger: Trigger::User,
        external_call: None,
        environment: Environment::Production,
    };

    /// One row per case seed 004 lists: (case, run, conversation billable, reason).
    fn cases() -> Vec<(&'static str, SkillRun, bool, &'static str)> {
        vec![
            ("custom skill, text response", BASE, true, "fulfilled"),
            (
                "custom skill, web service",
                SkillRun {
                    fulfillment_type: FulfillmentType::WebService,
                    ..BASE
                },
                true,
                "fulfilled",
            ),
            (
                "custom skill, email fulfillment",
                SkillRun {
                    fulfillment_type: FulfillmentType::Email,
                    ..BASE
                },
                true,
                "fulfilled",
            ),
            (
                "ITSM skill",
                SkillRun {
                    skill_kind: SkillKind::Itsm,
                    fulfillment_type: FulfillmentType::WebService,
                    ..BASE
                },
                true,
                "fulfilled",
            ),
            (
                "user's reply to a notification runs a skill",
                SkillRun {
                    trigger: Trigger::FollowUpReply,
                    ..BASE
                },
                true,
                "follow_up_reply",
            ),
            (
                "pre-conversation action with external call",
                SkillRun {
                    fulfillment_type: FulfillmentType::PreConversationAction,
                    external_call: Some(true),
                    ..BASE
                },
                true,
                "fulfilled",
            ),
            (
                "simple skill text fulfillment",
                SkillRun {
                    fulfillment_type: FulfillmentType::Text,
                    ..BASE
                },
                true,
                "fulfilled",
            ),
            (
                "left with an exit word",
                SkillRun {
                    outcome: SkillOutcome::Aborted,
                    ..BASE
                },
                false,
                "aborted_exit_word",
            ),
            (
                "sat idle",
                SkillRun {
                    outcome: SkillOutcome::Idle,
                    ..BASE
                },
                false,
                "aborted_idle",
            ),
            (
                "session timed out",
                SkillRun {
                    outcome: SkillOutcome::Timeout,
                    ..BASE
                },
                false,
                "aborted_timeout",
            ),
            (
                "Test Bot",
                SkillRun {
                    trigger: Trigger::TestBot,
                    ..BASE
                },
                false,
                "test_bot",
            ),
            (
                "welcome / registration / fallback skill",
                SkillRun {
                    skill_kind: SkillKind::System,
                    ..BASE
                },
                false,
                "system_skill",
            ),
            (
                "transfer to agent",
                SkillRun {
                    skill_kind: SkillKind::TransferToAgent,
                    ..BASE
                },
                false,
                "transfer_to_agent",
            ),
            (
                "notification through the API",
                SkillRun {
                    trigger: Trigger::ApiNotification,
                    ..BASE
                },
                false,
                "api_notification",
            ),
            (
                "automated follow-up",
                SkillRun {
                    trigger: Trigger::AutomatedFollowUp,
                    ..BASE
                },
                false,
                "automated_follow_up",
            ),
            (
                "pre-conversation action without external call",
                SkillRun {
                    fulfillment_type: FulfillmentType::PreConversationAction,
                    external_call: Some(false),
                    ..BASE
                },
                false,
                "pre_conversation_no_external_call",
            ),
            (
                "pre-conversation action, external call not reported",
                SkillRun {
                    fulfillment_type: FulfillmentType::PreConversationAction,
                    ..BASE
                },
                false,
                "pre_conversation_no_external_call",
            ),
            (
                "small talk",
                SkillRun {
                    skill_kind: SkillKind::SmallTalk,
                    ..BASE
                },
                false,
                "small_talk",
            ),
            (
                "staging environment",
                SkillRun {
                    environment: Environment::Staging,
                    ..BASE
                },
                false,
                "staging_environment",
            ),
            (
                "unexpected reply to a pre-conversation prompt",
                SkillRun {
                    fulfillment_type: FulfillmentType::PreConversationAction,
                    outcome: SkillOutcome::UnexpectedReply,
                    external_call: Some(true),
                    ..BASE
                },
                false,
                "unexpected_reply",
            ),
            (
                "FAQ answer",
                SkillRun {
                    skill_kind: SkillKind::Faq,
                    fulfillment_type: FulfillmentType::Faq,
                    ..BASE
                },
                false,
                "faq",
            ),
        ]
    }

    #[test]
    fn every_seed_case_decides_the_conversation_transaction() {
        for (case, run, billable, reason) in cases() {
            let decisions = decide_skill(&run);
            assert_eq!(
                decisions[0],
                Decision {
                    tx_type: TxType::Conversation,
                    billable,
                    reason
                },
                "{case}"
            );
        }
    }

    #[test]
    fn a_skill_fulfilled_by_a_workflow_yields_two_transactions() {
        let run = SkillRun {
            fulfillment_type: FulfillmentType::AutomationWorkflow,
            ..BASE
        };
        let decisions = decide_skill(&run);
        assert_eq!(decisions.len(), 2);
        assert_eq!(
            decisions[1],
            Decision {
                tx_type: TxType::Workflow,
                billable: true,
                reason: "workflow_executed"
            }
        );
        assert!(decisions[0].billable);
    }

    #[test]
    fn workflows_on_staging_are_not_billable_and_aborted_skills_run_none() {
        assert_eq!(
            decide_workflow(Environment::Staging),
            Decision {
                tx_type: TxType::Workflow,
                billable: false,
                reason: "staging_environment"
            }
        );
        let staged = decide_skill(&SkillRun {
            fulfillment_type: FulfillmentType::AutomationWorkflow,
            environment: Environment::Staging,
            ..BASE
        });
        assert!(staged.iter().all(|d| !d.billable));
        let aborted = decide_skill(&SkillRun {
            fulfillment_type: FulfillmentType::AutomationWorkflow,
            outcome: SkillOutcome::Aborted,
            ..BASE
        });
        assert_eq!(aborted.len(), 1);
    }

    #[test]
    fn every_reason_code_is_distinct_per_rule() {
        let mut reasons: Vec<_> = cases().into_iter().filter(|c| !c.2).map(|c| c.3).collect();
        reasons.sort_unstable();
        reasons.dedup();
        assert_eq!(reasons.len(), 13);
    }
}
