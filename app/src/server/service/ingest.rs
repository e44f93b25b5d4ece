//! Ingestion: a validated batch of usage events becomes rows and counters in one database
//! transaction, or nothing at all. The usage API and `tally demo` both come through here: it
//! is the only way usage is recorded. `batch` applies the new events of a batch.

mod batch;

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use utoipa::ToSchema;

use super::super::db::{self, Conn, Db, pools, usage_events};
use super::super::events::Problem;
use crate::error::AppError;
use crate::model::event::Event;
use crate::model::{TenantId, TenantState};
use batch::Batch;

/// What became of one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    /// Stored and counted now.
    Accepted,
    /// Already stored with the same content: counted once, before.
    Duplicate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct EventResult {
    pub id: String,
    pub status: EventStatus,
}

/// The answer to a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Outcome {
    pub accepted: usize,
    pub duplicates: usize,
    pub results: Vec<EventResult>,
    /// Pools this batch touched that are now used up (at or past 100%). The events were
    /// stored and counted all the same.
    pub exhausted: Vec<String>,
}

/// Why a batch was not stored.
#[derive(Debug)]
pub enum IngestError {
    /// The tenant's state does not accept usage.
    Refused(TenantState),
    /// These ids were stored before with other content.
    Conflict(Vec<String>),
    /// The events are well formed but do not fit the tenant (an unknown pool, say).
    Invalid(Vec<Problem>),
    Store(AppError),
}

impl From<sqlx::Error> for IngestError {
    fn from(error: sqlx::Error) -> Self {
        Self::Store(error.into())
    }
}

impl From<AppError> for IngestError {
    fn from(error: AppError) -> Self {
        Self::Store(error)
    }
}

/// Stores and counts `events` for `tenant`, atomically: on any error nothing is stored.
pub async fn ingest(
    db: &Db,
    tenant: TenantId,
    events: &[Event],
    received_at: i64,
) -> Result<Outcome, IngestError> {
    // Hashing before the transaction keeps the time a writer holds the lock short.
    let hashes: Vec<String> = events.iter().map(Event::content_hash).collect();
    let mut tx = db.begin().await?;
    let (row, sub) = db::subscriptions::with_tenant(&mut tx, tenant)
        .await?
        .ok_or(AppError::NotFound)?;
    if !row.state().accepts_usage() {
        return Err(IngestError::Refused(row.state()));
    }
    // Lock before reading the counters, so they stay true until commit.
    pools::lock_all(&mut tx, tenant).await?;
    let (statuses, fresh) = sort_out(&mut tx, tenant, events, &hashes, received_at).await?;
    let zone = row.time_zone.parse().unwrap_or(chrono_tz::UTC);
    let pools = pools::list(&mut tx, tenant).await?;
    let mut batch = Batch::new(tenant, zone, sub, pools, received_at);
    for (index, event) in events.iter().enumerate() {
        if fresh.contains(&index) {
            batch.apply(&mut tx, index, event).await?;
        }
    }
    batch.flush_transactions(&mut tx).await?;
    let problems = batch.take_problems();
    if !problems.is_empty() {
        return Err(IngestError::Invalid(problems));
    }
    batch.write_counters(&mut tx).await?;
    tx.commit().await?;
    let duplicates = statuses
        .iter()
        .filter(|s| **s == EventStatus::Duplicate)
        .count();
    Ok(Outcome {
        accepted: statuses.len() - duplicates,
        duplicates,
        results: events
            .iter()
            .zip(statuses)
            .map(|(event, status)| EventResult {
                id: event.id.clone(),
                status,
            })
            .collect(),
        exhausted: batch.exhausted(),
    })
}

/// Records the batch's new ids in the idempotency ledger and tells each event's fate: the
/// statuses, and the positions of the events to apply now. Fails with the ids sent before
/// with other content.
async fn sort_out(
    conn: &mut Conn,
    tenant: TenantId,
    events: &[Event],
    hashes: &[String],
    received_at: i64,
) -> Result<(Vec<EventStatus>, HashSet<usize>), IngestError> {
    let mut first: HashMap<&str, usize> = HashMap::with_capacity(events.len());
    let mut conflicts = Vec::new();
    let mut statuses = vec![EventStatus::Accepted; events.len()];
    for (index, event) in events.iter().enumerate() {
        match first.get(event.id.as_str()) {
            Some(&earlier) if hashes[earlier] == hashes[index] => {
                statuses[index] = EventStatus::Duplicate;
            }
            Some(_) => conflicts.push(event.id.clone()),
            None => {
                first.insert(&event.id, index);
            }
        }
    }
    let mut unique: Vec<usize> = first.values().copied().collect();
    unique.sort_unstable();
    let rows: Vec<usage_events::NewEvent<'_>> = unique
        .iter()
        .map(|&i| usage_events::NewEvent {
            event_id: &events[i].id,
            event_type: events[i].type_name(),
            content_hash: &hashes[i],
            occurred_at: events[i].occurred_at_ms(),
        })
        .collect();
    let inserted: HashSet<String> = usage_events::insert_new(conn, tenant, &rows, received_at)
        .await?
        .into_iter()
        .collect();
    let known: Vec<&str> = unique
        .iter()
        .map(|&i| events[i].id.as_str())
        .filter(|id| !inserted.contains(*id))
        .collect();
    for (id, stored_hash) in usage_events::stored_hashes(conn, tenant, &known).await? {
        let index = first[id.as_str()];
        if stored_hash == hashes[index] {
            statuses[index] = EventStatus::Duplicate;
        } else {
            conflicts.push(id);
        }
    }
    if !conflicts.is_empty() {
        conflicts.sort();
        conflicts.dedup();
        return Err(IngestError::Conflict(conflicts));
    }
    let fresh = unique
        .into_iter()
        .filter(|&i| inserted.contains(&events[i].id))
        .collect();
    Ok((statuses, fresh))
}
