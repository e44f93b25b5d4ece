//! A tenant's platform reporting usage to a running `tally serve`: batches of skill runs, one
//! after another, each remembered once Tally acknowledged it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use app::model::{LicenseModel, TenantId, TenantState};
use app::server::db::Db;

use super::api::skill;
use super::fixtures;

/// A transaction-based tenant `acme` and an API key for its platform.
pub async fn tenant_with_key(db: &Db) -> (TenantId, String) {
    let tenant = fixtures::tenant(
        db,
        "acme",
        LicenseModel::TransactionBased,
        TenantState::Active,
    )
    .await;
    let (_, key) = app::server::service::api_keys::create(db, tenant, "platform", "test")
        .await
        .expect("key");
    (tenant, key)
}

/// Events per batch.
pub const BATCH: usize = 20;

/// The events of batch `n`: ids `b{n}-e{i}`.
pub fn batch(n: usize) -> Value {
    let events: Vec<Value> = (0..BATCH)
        .map(|i| skill(&format!("b{n}-e{i}"), json!({})))
        .collect();
    json!({ "events": events })
}

/// Posts batch `n`; the status, or `None` when no answer came (the server died).
pub async fn post(client: &reqwest::Client, address: &str, key: &str, n: usize) -> Option<u16> {
    let reply = client
        .post(format!("http://{address}/api/v1/events"))
        .bearer_auth(key)
        .json(&batch(n))
        .send()
        .await
        .ok()?;
    Some(reply.status().as_u16())
}

pub struct Writer {
    acked: Arc<Mutex<Vec<usize>>>,
    stop: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<usize>,
}

impl Writer {
    /// Starts posting batches 0, 1, 2, … until stopped or Tally stops answering.
    pub fn start(address: &str, key: &str) -> Self {
        let acked = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let task = tokio::spawn({
            let (acked, stop) = (acked.clone(), stop.clone());
            let (address, key) = (address.to_string(), key.to_string());
            async move {
                let client = reqwest::Client::new();
                let mut n = 0;
                while !stop.load(Ordering::SeqCst) {
                    let answer = post(&client, &address, &key, n).await;
                    // Sent, whatever the answer: one with no answer may still have been stored.
                    n += 1;
                    match answer {
                        Some(200) => acked.lock().expect("lock").push(n - 1),
                        Some(status) => panic!("batch {} answered {status}", n - 1),
                        None => break,
                    }
                }
                n
            }
        });
        Self { acked, stop, task }
    }

    /// The batches acknowledged so far.
    pub fn acked(&self) -> Vec<usize> {
        self.acked.lock().expect("lock").clone()
    }

    /// Waits until at least `count` batches were acknowledged.
    pub async fn until_acked(&self, count: usize) {
        for _ in 0..600 {
            if self.acked.lock().expect("lock").len() >= count {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the writer never reached {count} acknowledged batches");
    }

    /// Stops after the batch in flight; how many batches were sent (answered or not).
    pub async fn stop(self) -> usize {
        self.stop.store(true, Ordering::SeqCst);
        self.task.await.expect("writer")
    }
}

/// Events stored of each batch number.
pub async fn stored_batches(db: &Db) -> std::collections::BTreeMap<usize, usize> {
    let ids: Vec<(String,)> = sqlx::query_as("select event_id from usage_events")
        .fetch_all(&mut *db.conn().await.expect("connection"))
        .await
        .expect("event ids");
    let mut batches = std::collections::BTreeMap::new();
    for (id,) in ids {
        let batch = id
            .strip_prefix('b')
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(n, _)| n.parse().ok())
            .unwrap_or_else(|| panic!("an event not of the test: {id}"));
        *batches.entry(batch).or_insert(0) += 1;
    }
    batches
}
