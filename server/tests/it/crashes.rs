//! Tally killed while it writes, on SQLite and on Postgres: `kill -9` of `tally serve` in the
//! middle of a stream of batches. After a restart every batch is all there or not at all, the
//! pool's counter equals the billable rows behind it, every acknowledged batch is kept, and the
//! platform's retry of every batch it sent stores each one exactly once. The same kill while
//! the outbox is sending: after a restart every email is delivered, those recorded as sent are
//! never sent again, and only those in flight at the kill may arrive twice (with the same
//! Message-ID). And `SIGTERM` with a request held open: the request completes, then Tally exits
//! 0.

use crate::support;

use std::io::{Read, Write};
use std::time::Duration;

use app::model::TenantId;
use app::server::db::{Db, pools};
use support::bound::Watchdog;
use support::db::TestDb;
use support::serving::{serve_on, serve_with};
use support::smtp::SmtpSink;
use support::writer::{BATCH, Writer, batch, post, stored_batches, tenant_with_key};

const POOL: &str = "conversation_transactions";

/// The pool's counter, and the billable transactions it counts.
async fn counted(db: &Db, tenant: TenantId) -> (i64, i64) {
    let mut conn = db.conn().await.expect("connection");
    let pool = pools::by_key(&mut conn, tenant, POOL)
        .await
        .expect("pool")
        .expect("pool exists");
    let (rows,): (i64,) =
        sqlx::query_as("select count(*) from transactions where tenant_id = $1 and billable")
            .bind(tenant.0)
            .fetch_one(&mut *conn)
            .await
            .expect("count");
    (pool.consumed, rows)
}

async fn killed_mid_write(source: TestDb) {
    let (tenant, key) = tenant_with_key(&source.db).await;
    let mut serving = serve_on(None, source.url.clone());
    let writer = Writer::start(&serving.address, &key);
    writer.until_acked(8).await;
    serving.child.kill().expect("kill -9");
    serving.child.wait().expect("reaped");
    let acked = writer.acked();
    let sent = writer.stop().await;

    let serving = serve_on(None, source.url.clone());
    let stored = stored_batches(&source.db).await;
    for n in &acked {
        assert_eq!(
            stored.get(n),
            Some(&BATCH),
            "acknowledged batch {n} is kept"
        );
    }
    for (n, events) in &stored {
        assert_eq!(*events, BATCH, "batch {n} is whole or absent");
    }
    let (consumed, rows) = counted(&source.db, tenant).await;
    assert_eq!(consumed, rows, "the counter equals the rows behind it");
    assert_eq!(rows, (stored.len() * BATCH) as i64);

    // The platform sends again every batch it is not sure of, acknowledged or not.
    let client = reqwest::Client::new();
    for n in 0..sent {
        let status = post(&client, &serving.address, &key, n).await;
        assert_eq!(status, Some(200), "retry of batch {n}");
    }
    let answer: serde_json::Value = client
        .post(format!("http://{}/api/v1/events", serving.address))
        .bearer_auth(&key)
        .json(&batch(acked[0]))
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("JSON");
    assert_eq!(answer["duplicates"], BATCH, "{answer}");
    let stored = stored_batches(&source.db).await;
    assert_eq!(stored.len(), sent);
    assert!(stored.values().all(|events| *events == BATCH));
    let (consumed, rows) = counted(&source.db, tenant).await;
    assert_eq!(
        (consumed, rows),
        ((sent * BATCH) as i64, (sent * BATCH) as i64)
    );
    serving.stops_cleanly_on_sigterm();
    source.cleanup("crashes").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_mid_write_on_sqlite() {
    let _watchdog = Watchdog::new(
        "crashes::kill_9_mid_write_on_sqlite",
        Duration::from_secs(180),
    );
    killed_mid_write(TestDb::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_mid_write_on_postgres() {
    let _watchdog = Watchdog::new(
        "crashes::kill_9_mid_write_on_postgres",
        Duration::from_secs(180),
    );
    killed_mid_write(TestDb::postgres().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_a_request_in_flight_finish_then_exits_0() {
    let _watchdog = Watchdog::new(
        "crashes::sigterm_lets_a_request_in_flight_finish_then_exits_0",
        Duration::from_secs(120),
    );
    let source = TestDb::sqlite().await;
    let (_, key) = tenant_with_key(&source.db).await;
    let serving = serve_on(None, source.url.clone());
    let body = serde_json::to_vec(&batch(0)).expect("JSON");
    let (head, tail) = body.split_at(body.len() / 2);
    let mut stream = std::net::TcpStream::connect(&serving.address).expect("connect");
    write!(
        stream,
        "POST /api/v1/events HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {key}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        serving.address,
        body.len()
    )
    .expect("headers");
    stream.write_all(head).expect("half the body");
    stream.flush().expect("flush");
    std::thread::sleep(Duration::from_millis(300));
    let pid = serving.child.id().to_string();
    let signalled = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(signalled.success());
    std::thread::sleep(Duration::from_millis(300));
    stream.write_all(tail).expect("the rest of the body");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("answer");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"accepted\":20"), "{answer}");
    serving.exits_cleanly();
    assert_eq!(stored_batches(&source.db).await.get(&0), Some(&BATCH));
    source.cleanup("crashes::sigterm").await;
}

/// Outbox rows by state: (id, state).
async fn outbox(db: &Db) -> Vec<(i64, String)> {
    sqlx::query_as("select id, state from outbox order by id")
        .fetch_all(&mut *db.conn().await.expect("connection"))
        .await
        .expect("outbox")
}

/// The outbox id in a Message-ID (`<alert-{id}.{created_at}@…>`).
fn outbox_id(message_id: &str) -> i64 {
    message_id
        .strip_prefix("<alert-")
        .and_then(|rest| rest.split_once('.'))
        .and_then(|(id, _)| id.parse().ok())
        .unwrap_or_else(|| panic!("not an alert's Message-ID: {message_id}"))
}

async fn killed_mid_send(source: TestDb) {
    const EMAILS: usize = 120;
    let (tenant, _) = tenant_with_key(&source.db).await;
    let now = app::server::db::now_ms();
    for i in 0..EMAILS {
        let to = format!("r{i}@acme.test");
        app::server::service::alerts::log::send_test(&source.db, tenant, &to, now)
            .await
            .unwrap_or_else(|e| panic!("queue {to}: {e:?}"));
    }
    let sink = SmtpSink::start().await;
    let smtp = sink.url();
    // A short lease: what the killed instance held is due again two seconds later.
    let env = [
        ("TALLY_SMTP_URL", smtp.as_str()),
        ("TALLY_OUTBOX_LEASE_SECS", "2"),
    ];
    let mut serving = serve_with(None, source.url.clone(), &env);
    for _ in 0..600 {
        if sink.received().len() >= 10 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    serving.child.kill().expect("kill -9");
    serving.child.wait().expect("reaped");
    let sent_before: Vec<i64> = outbox(&source.db)
        .await
        .into_iter()
        .filter(|(_, state)| state == "sent")
        .map(|(id, _)| id)
        .collect();
    assert!(
        sent_before.len() < EMAILS,
        "the kill came before the outbox was through"
    );

    let serving = serve_with(None, source.url.clone(), &env);
    let mut all_sent = false;
    for _ in 0..300 {
        if outbox(&source.db)
            .await
            .iter()
            .all(|(_, state)| state == "sent")
        {
            all_sent = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(all_sent, "every email is sent after the restart");
    let received = sink.wait_for(EMAILS, Duration::from_secs(5)).await;
    let mut times = std::collections::BTreeMap::<i64, usize>::new();
    for message in &received {
        *times.entry(outbox_id(&message.message_id)).or_default() += 1;
    }
    let ids: Vec<i64> = outbox(&source.db)
        .await
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert!(ids.len() >= EMAILS, "{} emails", ids.len());
    for id in &ids {
        assert!(times.contains_key(id), "email {id} was delivered");
    }
    for id in &sent_before {
        assert_eq!(
            times[id], 1,
            "email {id}, recorded as sent, was not sent again"
        );
    }
    let twice: Vec<_> = times.iter().filter(|(_, n)| **n > 1).collect();
    // At most one batch (32) was in flight at the kill.
    assert!(twice.len() <= 32, "{twice:?}");
    assert!(twice.iter().all(|(_, n)| **n == 2), "{twice:?}");
    eprintln!(
        "killed with {} of {} emails recorded as sent; {} delivered twice",
        sent_before.len(),
        ids.len(),
        twice.len()
    );
    serving.stops_cleanly_on_sigterm();
    source.cleanup("crashes::mid_send").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_mid_send_on_sqlite() {
    let _watchdog = Watchdog::new(
        "crashes::kill_9_mid_send_on_sqlite",
        Duration::from_secs(180),
    );
    killed_mid_send(TestDb::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_mid_send_on_postgres() {
    let _watchdog = Watchdog::new(
        "crashes::kill_9_mid_send_on_postgres",
        Duration::from_secs(180),
    );
    killed_mid_send(TestDb::postgres().await).await;
}
