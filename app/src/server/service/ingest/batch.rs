//! One batch being applied: each new event becomes its rows, the pool counters move in memory
//! (with auto-refills as usage reaches the tenant's percentage), transactions are written
//! together, and the counters are written once at the end.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::super::super::db::{
    self, Conn, assignments, conversations, pools, pools::PoolRow, subscriptions::SubscriptionRow,
    transactions::TransactionRow, usage_sessions, user_licenses,
};
use super::super::super::events::Problem;
use super::super::super::zone;
use super::super::alerts::UsageAlerts;
use super::IngestError;
use crate::domain::billable::{Decision, SkillRun, TxType, decide_skill, decide_workflow};
use crate::domain::consumption::{
    AutoRefill, auto_refill_amount, auto_refill_due, session_licenses,
};
use crate::model::event::{Event, EventBody, SkillExecuted, WorkflowExecuted};
use crate::model::{PoolKey, TenantId};

/// The main pool of user-based tenants.
const USER_POOL: &str = "user_licenses";
/// The main pool of session-based tenants.
const SESSION_POOL: &str = "session_licenses";

/// The pool a transaction type draws from.
fn transaction_pool(tx_type: &str) -> &'static str {
    if tx_type == "workflow" {
        "workflow_transactions"
    } else {
        "conversation_transactions"
    }
}

/// A batch being applied: the tenant's counters as they move, and transactions waiting to be
/// written together.
pub(super) struct Batch<'e> {
    tenant: TenantId,
    zone: chrono_tz::Tz,
    /// Minutes of a session-duration window.
    session_minutes: i32,
    /// The subscription's auto-refill settings, read once per batch.
    auto_refill: AutoRefill,
    /// Threshold, auto-refill and cap alerts, decided as the counters move.
    alerts: UsageAlerts,
    /// Pools whose automatic refills this month are used up, found during this batch.
    capped: HashSet<i64>,
    /// When the latest usage of the batch happened: the time of its threshold alerts.
    last_at: i64,
    pools: HashMap<String, PoolRow>,
    /// Consumed licenses to add per pool at the end.
    delta: HashMap<String, i64>,
    /// The same, per pool id and day in the tenant's zone, for the daily chart.
    daily: HashMap<(i64, chrono::NaiveDate), i64>,
    touched: BTreeSet<String>,
    pending: Vec<(TransactionRow, &'e str)>,
    problems: Vec<Problem>,
}

impl<'e> Batch<'e> {
    pub(super) fn new(
        tenant: TenantId,
        zone: chrono_tz::Tz,
        sub: SubscriptionRow,
        pools: Vec<PoolRow>,
        now: i64,
    ) -> Self {
        Self {
            tenant,
            zone,
            alerts: UsageAlerts::new(tenant, sub.thresholds.as_slice(), now),
            capped: HashSet::new(),
            last_at: 0,
            pools: pools
                .into_iter()
                .map(|pool| (pool.pool_key.clone(), pool))
                .collect(),
            auto_refill: AutoRefill {
                enabled: sub.auto_refill,
                amount: sub.auto_refill_amount,
                percent: sub.auto_refill_percent,
                max_per_month: sub.auto_refill_max_per_month,
            },
            session_minutes: sub.session_minutes.unwrap_or(30),
            touched: BTreeSet::new(),
            pending: Vec::new(),
            problems: Vec::new(),
            delta: HashMap::new(),
            daily: HashMap::new(),
        }
    }

    /// The events that did not fit the tenant, each with its problem.
    pub(super) fn take_problems(&mut self) -> Vec<Problem> {
        std::mem::take(&mut self.problems)
    }

    pub(super) async fn apply(
        &mut self,
        conn: &mut Conn,
        index: usize,
        event: &'e Event,
    ) -> Result<(), IngestError> {
        let at = event.occurred_at_ms();
        let tenant = self.tenant;
        match &event.body {
            EventBody::SkillExecuted(run) => {
                for decision in decide_skill(&skill_run(run)) {
                    self.pending
                        .push((skill_transaction(event, run, decision), &event.id));
                }
                return Ok(());
            }
            EventBody::WorkflowExecuted(run) => {
                let decision = decide_workflow(run.environment);
                self.pending
                    .push((workflow_transaction(event, run, decision), &event.id));
                return Ok(());
            }
            _ => {}
        }
        // Keep the stored order: transactions reported before this event are counted first.
        self.flush_transactions(conn).await?;
        match &event.body {
            EventBody::UserLicenseAssigned(user) => {
                if user_licenses::allocate(conn, tenant, user, at).await? {
                    self.consume(conn, USER_POOL, 1, at).await?;
                }
            }
            EventBody::UserLicenseReleased(user) => {
                if user_licenses::release(conn, tenant, &user.user_id, at).await? {
                    self.consume(conn, USER_POOL, -1, at).await?;
                }
            }
            EventBody::SessionStarted(session) => {
                let new = usage_sessions::NewSession {
                    session_id: &session.session_id,
                    initiated_by: session.initiated_by.as_str(),
                    user_name: &session.user_name,
                    email: &session.email,
                    role: &session.role,
                    agent_name: session.agent_name.as_deref(),
                    channel: &session.channel,
                };
                if usage_sessions::start(conn, tenant, &new, at).await? {
                    self.consume(conn, SESSION_POOL, 1, at).await?;
                }
            }
            EventBody::SessionEnded(session) => {
                if let Some((started_at, held)) =
                    usage_sessions::open_session(conn, tenant, &session.session_id).await?
                {
                    let window = self.session_minutes;
                    let licenses = session_licenses(at - started_at, window);
                    usage_sessions::close(conn, tenant, &session.session_id, at, licenses).await?;
                    self.consume(conn, SESSION_POOL, licenses - held, at)
                        .await?;
                }
            }
            EventBody::Conversation(conversation) => {
                let new = conversations::NewConversation {
                    conversation_id: &conversation.conversation_id,
                    session_id: conversation.session_id.as_deref(),
                    user_id: conversation.user_id.as_deref(),
                    user_name: &conversation.user_name,
                    channel: &conversation.channel,
                    handled_by: conversation.handled_by.as_str(),
                    agent_name: conversation.agent_name.as_deref(),
                    started_at: at,
                };
                let messages: Vec<conversations::MessageRow> = conversation
                    .messages
                    .iter()
                    .map(|m| conversations::MessageRow {
                        sent_at: m.at.timestamp_millis(),
                        sender: m.from.clone(),
                        body: m.text.clone(),
                    })
                    .collect();
                conversations::insert(conn, tenant, &new, &messages).await?;
            }
            EventBody::LicenseAssigned(license) | EventBody::LicenseReleased(license) => {
                let Some(pool_id) = self.pools.get(&license.pool).map(|p| p.id) else {
                    self.problems.push(Problem {
                        index: Some(index),
                        id: Some(event.id.clone()),
                        field: Some("pool".into()),
                        message: format!("this tenant holds no `{}` pool", license.pool),
                    });
                    return Ok(());
                };
                let changed = if matches!(event.body, EventBody::LicenseAssigned(_)) {
                    let name = license.assignee_name.as_deref().unwrap_or("");
                    assignments::assign(conn, tenant, pool_id, &license.assignee_id, name, at)
                        .await?
                        .then_some(1)
                } else {
                    assignments::release(conn, tenant, pool_id, &license.assignee_id, at)
                        .await?
                        .then_some(-1)
                };
                if let Some(delta) = changed {
                    self.consume(conn, &license.pool, delta, at).await?;
                }
            }
            EventBody::SkillExecuted(_) | EventBody::WorkflowExecuted(_) => {}
        }
        Ok(())
    }

    /// Writes the waiting transactions and counts the billable ones, in order.
    pub(super) async fn flush_transactions(&mut self, conn: &mut Conn) -> Result<(), IngestError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.pending);
        let stored: HashSet<String> = db::transactions::insert_many(conn, self.tenant, &pending)
            .await?
            .into_iter()
            .collect();
        for (row, _) in &pending {
            if row.billable && stored.contains(&row.transaction_id) {
                let pool = transaction_pool(&row.tx_type);
                self.consume(conn, pool, 1, row.occurred_at).await?;
            }
        }
        Ok(())
    }

    /// Moves a pool's consumed counter (in memory until `write_counters`), refills it
    /// automatically when the subscription says so, and decides the alerts the move calls for.
    async fn consume(
        &mut self,
        conn: &mut Conn,
        key: &str,
        delta: i64,
        at: i64,
    ) -> Result<(), IngestError> {
        let Some(pool) = self.pools.get_mut(key) else {
            return Ok(());
        };
        pool.consumed += delta;
        *self.delta.entry(key.to_string()).or_default() += delta;
        *self
            .daily
            .entry((pool.id, zone::day_of(self.zone, at)))
            .or_default() += delta;
        self.touched.insert(key.to_string());
        if delta <= 0 {
            return Ok(());
        }
        let policy = self.auto_refill;
        let main_pool = PoolKey::parse(key).is_ok_and(|k| !k.is_assignment_pool());
        if auto_refill_due(&policy, main_pool, delta, pool.consumed, pool.purchased)
            && !self.capped.contains(&pool.id)
        {
            let (month_start, month_end) = zone::month_range_ms(self.zone, at);
            let done =
                pools::auto_refills_between(conn, self.tenant, pool.id, month_start, month_end)
                    .await?;
            if let Some(amount) = auto_refill_amount(&policy, done) {
                let note = format!("usage reached {}%", policy.percent);
                let refill = pools::Refill {
                    kind: "auto",
                    delta: amount,
                    actor: "auto-refill",
                    note: &note,
                    at,
                };
                if let Some(recorded) =
                    pools::record_refill(conn, self.tenant, pool.id, &refill).await?
                {
                    let percent = u32::try_from(policy.percent).unwrap_or(0);
                    self.alerts
                        .auto_refilled(conn, pool, recorded, percent, at)
                        .await?;
                }
                return Ok(());
            }
            self.capped.insert(pool.id);
            let month = zone::day_of(self.zone, at).format("%Y-%m").to_string();
            self.alerts
                .auto_refill_capped(conn, pool, &month, at)
                .await?;
        }
        self.alerts.usage_grew(pool);
        self.last_at = self.last_at.max(at);
        Ok(())
    }

    /// Writes the moved counters and announces the thresholds the batch crossed, with the
    /// counters as the batch leaves them.
    pub(super) async fn write_counters(&mut self, conn: &mut Conn) -> Result<(), IngestError> {
        self.alerts
            .finish(conn, self.pools.values(), self.last_at)
            .await?;
        for (key, delta) in &self.delta {
            if *delta != 0 {
                pools::add_consumed(conn, self.tenant, key, *delta).await?;
            }
        }
        let days: Vec<(i64, String, i64)> = self
            .daily
            .iter()
            .filter(|(_, n)| **n != 0)
            .map(|((pool, day), n)| (*pool, day.to_string(), *n))
            .collect();
        db::daily_usage::add_many(conn, self.tenant, &days).await?;
        Ok(())
    }

    pub(super) fn exhausted(&self) -> Vec<String> {
        self.touched
            .iter()
            .filter(|key| {
                self.pools
                    .get(*key)
                    .is_some_and(|p| p.consumed >= p.purchased)
            })
            .cloned()
            .collect()
    }
}

fn skill_run(run: &SkillExecuted) -> SkillRun {
    SkillRun {
        skill_kind: run.skill_kind,
        fulfillment_type: run.fulfillment_type,
        outcome: run.outcome,
        trigger: run.trigger,
        external_call: run.external_call,
        environment: run.environment,
    }
}

/// The conversation transaction carries the event's id; the workflow transaction of a skill
/// fulfilled by a workflow carries it with `/workflow` appended.
fn skill_transaction(event: &Event, run: &SkillExecuted, decision: Decision) -> TransactionRow {
    let workflow = decision.tx_type == TxType::Workflow;
    TransactionRow {
        transaction_id: if workflow {
            format!("{}/workflow", event.id)
        } else {
            event.id.clone()
        },
        occurred_at: event.occurred_at_ms(),
        bot_name: run.bot_name.clone(),
        skill_name: run.skill_name.clone(),
        tx_type: decision.tx_type.as_str().into(),
        fulfillment_type: run.fulfillment_type.as_str().into(),
        fulfillment_details: match (&run.workflow_name, workflow) {
            (Some(name), true) => name.clone(),
            _ => run.fulfillment_details.clone(),
        },
        billable: decision.billable,
        reason: decision.reason.into(),
        user_name: run.user_name.clone(),
        role: run.role.clone(),
        channel: run.channel.clone(),
    }
}

fn workflow_transaction(
    event: &Event,
    run: &WorkflowExecuted,
    decision: Decision,
) -> TransactionRow {
    TransactionRow {
        transaction_id: event.id.clone(),
        occurred_at: event.occurred_at_ms(),
        bot_name: run.bot_name.clone(),
        skill_name: String::new(),
        tx_type: decision.tx_type.as_str().into(),
        fulfillment_type: "automation_workflow".into(),
        fulfillment_details: run.workflow_name.clone(),
        billable: decision.billable,
        reason: decision.reason.into(),
        user_name: run.user_name.clone().unwrap_or_default(),
        role: run.role.clone().unwrap_or_default(),
        channel: run.channel.clone().unwrap_or_default(),
    }
}
