//! Alerts, end to end on SQLite and Postgres: usage through the real router decides them,
//! the real delivery worker (`Jobs`) sends them to a real SMTP server (aiosmtpd), and what it
//! received is read back.

use crate::support;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use chrono::{TimeZone, Utc};
use serde_json::{Value, json};

use app::model::alert::{AlertKind, DeliveryState};
use app::model::{LicenseModel, Locale, TenantId, TenantState};
use app::server::db::{self, Db, contacts, outbox, subscriptions::SubscriptionRow};
use app::server::jobs::Jobs;
use app::server::mail::Mailer;
use app::server::service;
use app::server::service::alerts::{log, scheduled};
use app::server::service::delivery::{self, Delivery};
use support::api::skill;
use support::fixtures::{self, date};
use support::http::TestApp;
use support::smtp::{Received, SmtpSink};

const BASE_URL: &str = "https://tally.example.com";
const POOL: &str = "conversation_transactions";

/// A transaction-based tenant with `licenses` conversation transactions bought, an API key,
/// and contacts that overlap its administrator; a contract far from its end.
async fn tenant(
    db: &Db,
    slug: &str,
    licenses: i64,
    sub: Option<SubscriptionRow>,
) -> (TenantId, String) {
    let mut spec = fixtures::spec(slug, LicenseModel::TransactionBased, TenantState::Active);
    spec.subscription = sub.unwrap_or_else(|| {
        SubscriptionRow::new(
            LicenseModel::TransactionBased,
            date("2026-01-01"),
            date("2030-12-31"),
        )
    });
    if slug.ends_with("-br") {
        spec.locale = Locale::PtBr;
    }
    let tenant = service::tenants::create(db, &spec, "test")
        .await
        .expect("tenant");
    service::accounts::create_administrator(
        db,
        &format!("admin@{slug}.test"),
        fixtures::PASSWORD,
        Some(tenant),
    )
    .await
    .expect("admin");
    let mut conn = db.conn().await.expect("connection");
    // The administrator is a technical contact too: one email each all the same.
    contacts::replace(
        &mut conn,
        tenant,
        contacts::ContactKind::Technical,
        &[format!("tech@{slug}.test"), format!("ADMIN@{slug}.test")],
    )
    .await
    .expect("contacts");
    drop(conn);
    buy(db, tenant, licenses).await;
    let (_, key) = service::api_keys::create(db, tenant, "platform", "test")
        .await
        .expect("key");
    (tenant, key)
}

async fn buy(db: &Db, tenant: TenantId, licenses: i64) {
    fixtures::buy(db, tenant, POOL, licenses).await;
}

/// Each address once, the administrator as the technical list spells it.
fn recipients(slug: &str) -> BTreeSet<String> {
    [
        format!("tech@{slug}.test"),
        format!("billing@{slug}.test"),
        format!("ADMIN@{slug}.test"),
    ]
    .into_iter()
    .collect()
}

/// Billable skill runs `from..to`, on 1 June 2026: long enough ago that no run-out is
/// projected today, so the background forecast stays out of these tests.
fn skills(from: usize, to: usize) -> Vec<Value> {
    (from..to)
        .map(|i| skill(&format!("run-{i}"), json!({})))
        .collect()
}

async fn post(app: &TestApp, key: &str, events: &[Value]) {
    let (status, answer) = app.post_events(key, events).await;
    assert!(status.is_success(), "{status}: {answer}");
}

fn worker(sink: &SmtpSink) -> Delivery {
    let mailer = Mailer::new(&sink.url(), "Tally <alerts@tally.test>", None).expect("mailer");
    let mut delivery = Delivery::new(Some(mailer), BASE_URL);
    delivery.retry_cap_ms = 1000;
    delivery
}

/// The real router, a real SMTP server, and the real background jobs delivering to it.
async fn running(db: &Db) -> (TestApp, SmtpSink, Jobs) {
    let app = TestApp::new(db.clone());
    let sink = SmtpSink::start().await;
    let jobs = Jobs::start(db, worker(&sink));
    (app, sink, jobs)
}

async fn stop(mut sink: SmtpSink, jobs: Jobs) {
    sink.pause().await;
    jobs.stop().await;
}

/// Messages by subject, each with its recipients.
fn by_subject(received: &[Received]) -> BTreeMap<String, Vec<String>> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for message in received {
        map.entry(message.subject.clone())
            .or_default()
            .extend(message.to.iter().cloned());
    }
    for list in map.values_mut() {
        list.sort();
    }
    map
}

fn sorted(set: &BTreeSet<String>) -> Vec<String> {
    set.iter().cloned().collect()
}

on_both_backends!(
    async fn each_threshold_emails_each_recipient_once_and_replays_send_nothing(db: Db) {
        let (_, key) = tenant(&db, "acme", 20, None).await;
        let (app, sink, jobs) = running(&db).await;

        post(&app, &key, &skills(0, 14)).await; // 70%: nothing yet
        post(&app, &key, &skills(14, 15)).await; // 75%
        post(&app, &key, &skills(15, 17)).await; // 85%
        post(&app, &key, &skills(0, 17)).await; // a replay
        let received = sink.wait_for(6, Duration::from_secs(30)).await;
        let subjects = by_subject(&received);
        let to = sorted(&recipients("acme"));
        assert_eq!(
            subjects,
            BTreeMap::from([
                (
                    "[Tally] ACME Ltd · Conversation Transactions · usage reached 75%".to_string(),
                    to.clone()
                ),
                (
                    "[Tally] ACME Ltd · Conversation Transactions · usage reached 85%".to_string(),
                    to
                ),
            ]),
            "one email per threshold per recipient"
        );
        let first = received
            .iter()
            .find(|m| m.subject.ends_with("75%") && m.to == ["tech@acme.test"])
            .expect("the 75% email");
        assert_eq!(first.content_type, "multipart/alternative");
        assert!(
            first.from.starts_with("alerts@tally.test"),
            "{}",
            first.from
        );
        assert!(
            first.message_id.ends_with("@tally.test>"),
            "{}",
            first.message_id
        );
        for needle in [
            "Usage reached 75% of the purchased licenses",
            "Purchased: 20",
            "Consumed: 15",
            "Available: 5",
            "Usage: 75%",
            "https://tally.example.com/settings/subscription",
            "billing@acme.test",
        ] {
            assert!(first.text.contains(needle), "{needle} in:\n{}", first.text);
        }
        assert!(
            first
                .html
                .contains("href=\"https://tally.example.com/settings/subscription\"")
        );
        assert!(first.html.contains(
            "<th style=\"text-align: left; padding: 0.25rem 1rem 0.25rem 0;\">Consumed</th>"
        ));
        assert!(
            first
                .text
                .contains("Projected run-out: not at the recent rate"),
            "{}",
            first.text
        );
        stop(sink, jobs).await;
    }
);

on_both_backends!(
    async fn a_jump_from_80_to_100_sends_one_email_naming_100_that_says_usage_is_refused(db: Db) {
        let (tenant, key) = tenant(&db, "acme", 10, None).await;
        let (app, sink, jobs) = running(&db).await;
        post(&app, &key, &skills(0, 8)).await; // 80%: the 75% email
        post(&app, &key, &skills(8, 10)).await; // 100% in one batch
        let received = sink.wait_for(6, Duration::from_secs(30)).await;
        let subjects: BTreeSet<String> = received.iter().map(|m| m.subject.clone()).collect();
        assert_eq!(
            subjects,
            BTreeSet::from([
                "[Tally] ACME Ltd · Conversation Transactions · usage reached 75%".to_string(),
                "[Tally] ACME Ltd · Conversation Transactions · usage reached 100%".to_string(),
            ])
        );
        assert_eq!(received.len(), 6, "three recipients, two alerts");
        let full = received
            .iter()
            .find(|m| m.subject.ends_with("100%"))
            .expect("100%");
        assert!(
            full.text.contains("new usage is now refused"),
            "{}",
            full.text
        );
        assert!(
            full.text.contains("85%, 95%"),
            "covers the thresholds jumped over: {}",
            full.text
        );
        let page = log::page(&db, Some(tenant), None, 10, Locale::En)
            .await
            .expect("log");
        let percents: Vec<_> = page
            .entries
            .iter()
            .map(|e| (e.kind, e.percent, e.covers.clone()))
            .collect();
        assert_eq!(
            percents,
            [
                (AlertKind::Threshold, Some(100), "85,95".to_string()),
                (AlertKind::Threshold, Some(75), String::new()),
            ]
        );
        stop(sink, jobs).await;
    }
);

on_both_backends!(
    async fn a_refill_rearms_a_threshold_sends_nothing_itself_and_the_log_names_it(db: Db) {
        let (tenant, key) = tenant(&db, "acme", 10, None).await;
        let (app, sink, jobs) = running(&db).await;
        post(&app, &key, &skills(0, 8)).await; // 8/10: 75%
        sink.wait_for(3, Duration::from_secs(30)).await;
        buy(&db, tenant, 10).await; // 8/20: back under every threshold
        post(&app, &key, &skills(8, 14)).await; // 14/20: 70%, nothing
        post(&app, &key, &skills(14, 15)).await; // 15/20: 75% again
        let received = sink.wait_for(6, Duration::from_secs(30)).await;
        assert_eq!(received.len(), 6, "{:#?}", by_subject(&received));
        assert!(
            received
                .iter()
                .all(|m| m.subject.ends_with("usage reached 75%"))
        );
        let page = log::page(&db, Some(tenant), None, 10, Locale::En)
            .await
            .expect("log");
        assert_eq!(page.entries.len(), 2);
        let (second, first) = (&page.entries[0], &page.entries[1]);
        assert_eq!(second.rearmed_by, None);
        let (refill_id,): (i64,) =
            sqlx::query_as("select max(id) from refills where tenant_id = $1")
                .bind(tenant.0)
                .fetch_one(&mut *db.conn().await.expect("connection"))
                .await
                .expect("refill");
        assert_eq!(
            first.rearmed_by,
            Some(refill_id),
            "the first 75% names the refill that re-armed it"
        );
        stop(sink, jobs).await;
    }
);

on_both_backends!(
    async fn taking_licenses_away_can_cross_a_threshold_in_the_same_transaction(db: Db) {
        let (tenant, key) = tenant(&db, "acme", 10, None).await;
        let app = TestApp::new(db.clone());
        post(&app, &key, &skills(0, 7)).await; // 70%: nothing
        buy(&db, tenant, -2).await; // 7 of 8: 87.5%
        let page = log::page(&db, Some(tenant), None, 10, Locale::En)
            .await
            .expect("log");
        let decided: Vec<_> = page
            .entries
            .iter()
            .map(|e| (e.kind, e.percent, e.covers.clone()))
            .collect();
        assert_eq!(
            decided,
            [(AlertKind::Threshold, Some(85), "75".to_string())]
        );
        assert_eq!(
            page.entries[0].deliveries.len(),
            3,
            "its emails were queued with it"
        );
    }
);

on_both_backends!(
    async fn auto_refill_at_95_sends_one_email_naming_it_then_one_cap_alert(db: Db) {
        let sub = SubscriptionRow::new(
            LicenseModel::TransactionBased,
            date("2026-01-01"),
            date("2030-12-31"),
        )
        .with_auto_refill(10);
        let (tenant, key) = tenant(&db, "acme", 20, Some(sub)).await;
        let (app, sink, jobs) = running(&db).await;
        post(&app, &key, &skills(0, 15)).await; // 75%
        post(&app, &key, &skills(15, 19)).await; // 95%: +10, now 19/30
        post(&app, &key, &skills(19, 29)).await; // 29/30: no refill left this month
        let received = sink.wait_for(12, Duration::from_secs(30)).await;
        let subjects: BTreeMap<String, usize> = by_subject(&received)
            .into_iter()
            .map(|(subject, to)| (subject, to.len()))
            .collect();
        assert_eq!(
            subjects,
            BTreeMap::from([
                ("[Tally] ACME Ltd · Conversation Transactions · usage reached 75%".to_string(), 3),
                ("[Tally] ACME Ltd · Conversation Transactions · 10 licenses added automatically".to_string(), 3),
                ("[Tally] ACME Ltd · Conversation Transactions · automatic refills used up this month".to_string(), 3),
                ("[Tally] ACME Ltd · Conversation Transactions · usage reached 95%".to_string(), 3),
            ])
        );
        let refill = received
            .iter()
            .find(|m| m.subject.contains("added automatically"))
            .expect("refill email");
        for needle in [
            "Usage reached 95%: 10 licenses were added automatically",
            "Purchased: 30",
            "Consumed: 19",
        ] {
            assert!(
                refill.text.contains(needle),
                "{needle} in:\n{}",
                refill.text
            );
        }
        let mut conn = db.conn().await.expect("connection");
        let ledger = app::server::db::pools::refills(&mut conn, tenant)
            .await
            .expect("ledger");
        assert_eq!(ledger.iter().filter(|r| r.kind == "auto").count(), 1);
        drop(conn);
        stop(sink, jobs).await;
    }
);

on_both_backends!(
    async fn contract_notices_come_once_each_and_catch_up_with_only_the_nearest(db: Db) {
        let sub = |end| {
            SubscriptionRow::new(
                LicenseModel::TransactionBased,
                date("2026-01-01"),
                date(end),
            )
        };
        let (early, _) = tenant(&db, "early", 10, Some(sub("2027-01-10"))).await;
        let (late, _) = tenant(&db, "late-br", 10, Some(sub("2026-12-15"))).await;
        let at = |day: &str| Utc.from_utc_datetime(&date(day).and_hms_opt(12, 0, 0).expect("noon"));
        let notices = |db: Db, tenant| async move {
            log::page(&db, Some(tenant), None, 20, Locale::En)
                .await
                .expect("log")
                .entries
                .iter()
                .filter(|e| e.kind == AlertKind::ContractEnd)
                .map(|e| e.days)
                .collect::<Vec<_>>()
        };
        scheduled::run_round(&db, at("2026-12-05"))
            .await
            .expect("round");
        assert_eq!(
            notices(db.clone(), early).await,
            [],
            "36 days before: nothing"
        );
        // 10 days before the end, `late` is past its 30-day notice: only that one, not a burst.
        assert_eq!(notices(db.clone(), late).await, [Some(10)]);
        scheduled::run_round(&db, at("2026-12-12"))
            .await
            .expect("round");
        scheduled::run_round(&db, at("2026-12-12"))
            .await
            .expect("again");
        assert_eq!(notices(db.clone(), early).await, [Some(29)]);
        assert_eq!(
            notices(db.clone(), late).await,
            [Some(3), Some(10)],
            "the 7-day one"
        );
        scheduled::run_round(&db, at("2026-12-13"))
            .await
            .expect("round");
        assert_eq!(notices(db.clone(), late).await, [Some(3), Some(10)]);
        scheduled::run_round(&db, at("2026-12-14"))
            .await
            .expect("round");
        assert_eq!(
            notices(db.clone(), late).await,
            [Some(1), Some(3), Some(10)]
        );
        scheduled::run_round(&db, at("2027-01-09"))
            .await
            .expect("round");
        assert_eq!(
            notices(db.clone(), early).await,
            [Some(1), Some(29)],
            "the 7-day one slipped past: the 1-day one"
        );
        // A renewal re-arms the notices for the new end date.
        let mut tx = db.begin().await.expect("tx");
        sqlx::query("update subscriptions set contract_end = '2027-03-31' where tenant_id = $1")
            .bind(early.0)
            .execute(&mut *tx)
            .await
            .expect("renew");
        tx.commit().await.expect("commit");
        scheduled::run_round(&db, at("2027-03-25"))
            .await
            .expect("round");
        assert_eq!(
            notices(db.clone(), early).await,
            [Some(6), Some(1), Some(29)]
        );

        let mut sink = SmtpSink::start().await;
        let then = at("2027-03-26").timestamp_millis();
        let round = delivery::run_round(&db, &worker(&sink), then)
            .await
            .expect("deliver");
        assert_eq!(round.sent, 6 * 3);
        let received = sink.received();
        assert!(
            received
                .iter()
                .any(|m| m.subject == "[Tally] EARLY Ltd · contract ends in 6 days")
        );
        assert!(
            received
                .iter()
                .any(|m| m.subject == "[Tally] EARLY Ltd · contract ends tomorrow")
        );
        let portuguese = received
            .iter()
            .find(|m| m.subject == "[Tally] LATE-BR Ltd · contrato termina em 3 dias")
            .expect("the pt-BR notice");
        assert!(
            portuguese
                .text
                .contains("Seu contrato termina em 15/12/2026"),
            "{}",
            portuguese.text
        );
        sink.pause().await;
    }
);

on_both_backends!(
    async fn a_projected_run_out_within_two_weeks_is_announced_once_per_refill_cycle(db: Db) {
        let (tenant, key) = tenant(&db, "acme", 200, None).await;
        let app = TestApp::new(db.clone());
        // Ten a day for the fortnight up to 14 June, then 10 more: 150 of 200 (75%), 50 left
        // at 150/14 a day: five days to go.
        let events: Vec<Value> = (0..150)
            .map(|i| {
                let day = (1 + i / 10).min(14);
                skill(
                    &format!("run-{i}"),
                    json!({ "occurred_at": format!("2026-06-{day:02}T10:00:00Z") }),
                )
            })
            .collect();
        post(&app, &key, &events).await;
        let now = Utc
            .with_ymd_and_hms(2026, 6, 14, 18, 0, 0)
            .single()
            .expect("time");
        let forecasts = |db: Db| async move {
            log::page(&db, Some(tenant), None, 20, Locale::En)
                .await
                .expect("log")
                .entries
                .into_iter()
                .filter(|e| e.kind == AlertKind::Forecast)
                .map(|e| e.on_date)
                .collect::<Vec<_>>()
        };
        scheduled::run_round(&db, now).await.expect("round");
        scheduled::run_round(&db, now).await.expect("again");
        assert_eq!(
            forecasts(db.clone()).await,
            [Some("06/19/2026".to_string())]
        );
        // The usage email of the same day carries the projected date too.
        let page = log::page(&db, Some(tenant), None, 20, Locale::En)
            .await
            .expect("log");
        let threshold = page
            .entries
            .iter()
            .find(|e| e.kind == AlertKind::Threshold)
            .expect("75%");
        let email = delivery::render(&db, BASE_URL, threshold.id, now)
            .await
            .expect("render");
        assert!(
            email.text.contains("Projected run-out: 06/19/2026"),
            "{}",
            email.text
        );
        buy(&db, tenant, 150).await; // a new cycle: 200 left, 19 days: beyond two weeks
        scheduled::run_round(&db, now).await.expect("round");
        assert_eq!(forecasts(db.clone()).await.len(), 1);
        let mut sink = SmtpSink::start().await;
        delivery::run_round(&db, &worker(&sink), db::now_ms())
            .await
            .expect("deliver");
        let subjects = by_subject(&sink.received());
        assert_eq!(
            subjects.keys().collect::<Vec<_>>(),
            [
                "[Tally] ACME Ltd · Conversation Transactions · projected to run out on 06/19/2026",
                "[Tally] ACME Ltd · Conversation Transactions · usage reached 75%",
            ]
        );
        assert!(subjects.values().all(|to| to.len() == 3));
        sink.pause().await;
    }
);

on_both_backends!(
    async fn an_smtp_outage_delays_emails_and_loses_none(db: Db) {
        let (_, key) = tenant(&db, "acme", 4, None).await;
        let app = TestApp::new(db.clone());
        let mut sink = SmtpSink::stopped(support::smtp::free_port());
        let jobs = Jobs::start(&db, worker(&sink));
        post(&app, &key, &skills(0, 3)).await; // 75%
        post(&app, &key, &skills(3, 4)).await; // 100%
        // The server is down: every email is retried, none is lost.
        let mut retrying = 0;
        for _ in 0..100 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let (states, retried) = outbox::depth(&mut db.conn().await.expect("connection"))
                .await
                .expect("depth");
            retrying = retried;
            if retried == 6 && states == [("queued".to_string(), 6)] {
                break;
            }
        }
        assert_eq!(
            retrying, 6,
            "every email failed once and waits for another try"
        );
        let metrics = app.get("/metrics", None).await.body;
        assert!(
            metrics.contains("tally_outbox_emails{state=\"queued\"} 6"),
            "{metrics}"
        );
        assert!(metrics.contains("tally_outbox_retrying 6"), "{metrics}");
        assert!(
            metrics.contains("tally_alerts{kind=\"threshold\"} 2"),
            "{metrics}"
        );
        tokio::time::sleep(Duration::from_secs(2)).await;
        sink.resume().await;
        let received = sink.wait_for(6, Duration::from_secs(30)).await;
        assert_eq!(
            received.len(),
            6,
            "each email once: {:#?}",
            by_subject(&received)
        );
        let ids: BTreeSet<_> = received.iter().map(|m| m.message_id.clone()).collect();
        assert_eq!(ids.len(), 6);
        stop(sink, jobs).await;
    }
);

on_both_backends!(
    async fn an_email_whose_lease_ran_out_is_sent_again_with_the_same_message_id(db: Db) {
        let (_, key) = tenant(&db, "acme", 4, None).await;
        TestApp::new(db.clone())
            .post_events(&key, &skills(0, 3))
            .await;
        let mut sink = SmtpSink::start().await;
        let delivery = worker(&sink);
        let now = db::now_ms();
        // An instance claims every email, then dies before sending any.
        let mut tx = db.begin().await.expect("tx");
        let claimed = outbox::claim(&mut tx, now, delivery.lease_ms, 10)
            .await
            .expect("claim");
        tx.commit().await.expect("commit");
        assert_eq!(claimed.len(), 3);
        let round = delivery::run_round(&db, &delivery, now + 1000)
            .await
            .expect("round");
        assert_eq!(round.sent, 0, "leased to the other instance");
        let later = now + delivery.lease_ms + 1;
        let round = delivery::run_round(&db, &delivery, later)
            .await
            .expect("round");
        assert_eq!(round.sent, 3, "the lease ran out: taken again");
        // An instance dies after sending, before recording it: the resend carries the same id.
        let id = claimed[0].id;
        let mut tx = db.begin().await.expect("tx");
        sqlx::query(
            "update outbox set state = 'queued', sent_at = null, locked_until = $2 where id = $1",
        )
        .bind(id)
        .bind(later + 10)
        .execute(&mut *tx)
        .await
        .expect("crash");
        tx.commit().await.expect("commit");
        let round = delivery::run_round(&db, &delivery, later + delivery.lease_ms + 20)
            .await
            .expect("round");
        assert_eq!(round.sent, 1);
        let received = sink.received();
        assert_eq!(received.len(), 4);
        let expected = Mailer::new(&sink.url(), "Tally <alerts@tally.test>", None)
            .expect("mailer")
            .message_id(id, claimed[0].created_at);
        assert_eq!(
            received.iter().filter(|m| m.message_id == expected).count(),
            2
        );
        sink.pause().await;
    }
);

on_both_backends!(
    async fn a_refused_address_fails_with_the_answer_and_one_never_accepted_dies(db: Db) {
        let (tenant, key) = tenant(&db, "acme", 4, None).await;
        let mut conn = db.conn().await.expect("connection");
        contacts::replace(
            &mut conn,
            tenant,
            contacts::ContactKind::Technical,
            &["reject@acme.test".into()],
        )
        .await
        .expect("contacts");
        contacts::replace(
            &mut conn,
            tenant,
            contacts::ContactKind::Billing,
            &["later@acme.test".into()],
        )
        .await
        .expect("contacts");
        drop(conn);
        TestApp::new(db.clone())
            .post_events(&key, &skills(0, 3))
            .await;
        let mut sink = SmtpSink::start().await;
        let mut delivery = worker(&sink);
        delivery.give_up_after_ms = 1500;
        let start = db::now_ms();
        delivery::run_round(&db, &delivery, start)
            .await
            .expect("round");
        for step in 1..=4 {
            delivery::run_round(&db, &delivery, start + step * 1100)
                .await
                .expect("round");
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        let page = log::page(&db, Some(tenant), None, 10, Locale::En)
            .await
            .expect("log");
        let states: BTreeMap<_, _> = page.entries[0]
            .deliveries
            .iter()
            .map(|d| {
                (
                    d.recipient.clone(),
                    (d.state, d.last_error.clone().unwrap_or_default()),
                )
            })
            .collect();
        assert_eq!(states["admin@acme.test"].0, DeliveryState::Sent);
        assert_eq!(states["reject@acme.test"].0, DeliveryState::Failed);
        assert!(
            states["reject@acme.test"].1.contains("no such mailbox"),
            "{states:?}"
        );
        assert_eq!(states["later@acme.test"].0, DeliveryState::Dead);
        assert!(
            states["later@acme.test"].1.contains("try again later"),
            "{states:?}"
        );
        // The console's resend queues a dead email again.
        let dead = page.entries[0]
            .deliveries
            .iter()
            .find(|d| d.state == DeliveryState::Dead)
            .expect("dead");
        assert!(
            log::resend(&db, dead.outbox_id, "root@tally.test", db::now_ms())
                .await
                .expect("resend")
        );
        assert!(
            !log::resend(&db, dead.outbox_id, "root@tally.test", db::now_ms())
                .await
                .expect("resend"),
            "only a given-up email"
        );
        sink.pause().await;
    }
);

on_both_backends!(
    async fn the_subscription_tab_lists_alerts_and_sends_a_rate_limited_test_alert(db: Db) {
        let (tenant, key) = tenant(&db, "acme", 10, None).await;
        let app = TestApp::new(db.clone());
        post(&app, &key, &skills(0, 8)).await; // 75%
        let session = app.sign_in("admin@acme.test", fixtures::PASSWORD).await;
        let tab = app.get("/settings/subscription", Some(&session)).await;
        assert!(tab.body.contains("id=\"alerts-title\""), "{}", tab.body);
        assert!(
            tab.body.contains("Usage reached 75%"),
            "the latest alert is listed"
        );
        assert!(
            tab.body.contains("data-delivery=\"queued\""),
            "not sent yet: queued"
        );

        let origin = Some("http://127.0.0.1:3000");
        let sent = app
            .post_form(
                "/settings/subscription/alerts/test",
                &[],
                Some(&session),
                origin,
            )
            .await;
        assert_eq!(
            sent.location.as_deref(),
            Some("/settings/subscription/alerts?test=sent")
        );
        let again = app
            .post_form(
                "/settings/subscription/alerts/test",
                &[],
                Some(&session),
                origin,
            )
            .await;
        let wait = again.location.expect("a redirect");
        assert!(
            wait.starts_with("/settings/subscription/alerts?test=wait&seconds="),
            "{wait}"
        );
        let page = app.get(&wait, Some(&session)).await;
        assert!(page.body.contains("Try again in"), "{}", page.body);
        assert!(page.body.contains("Test alert"));
        // Signed out: refused.
        let anonymous = app
            .post_form("/settings/subscription/alerts/test", &[], None, origin)
            .await;
        assert!(
            anonymous.status.is_client_error()
                || anonymous.location.is_some_and(|l| l.starts_with("/login"))
        );

        let mut conn = db.conn().await.expect("connection");
        let pool = app::server::db::pools::by_key(&mut conn, tenant, POOL)
            .await
            .expect("pool")
            .expect("pool");
        drop(conn);
        assert_eq!(pool.alerted_percent, 75, "a test touches no latch");
        let mut sink = SmtpSink::start().await;
        delivery::run_round(&db, &worker(&sink), db::now_ms())
            .await
            .expect("deliver");
        let tests: Vec<_> = sink
            .received()
            .into_iter()
            .filter(|m| m.subject.ends_with("test alert"))
            .collect();
        assert_eq!(tests.len(), 1, "one test email");
        assert_eq!(
            tests[0].to,
            ["admin@acme.test"],
            "to the administrator who asked, only"
        );
        assert!(
            tests[0].text.contains("Consumed: 8"),
            "live numbers: {}",
            tests[0].text
        );
        sink.pause().await;
    }
);

on_both_backends!(
    async fn without_an_smtp_server_emails_wait_then_go_once_one_is_configured(db: Db) {
        let (_, acme_key) = tenant(&db, "acme", 4, None).await;
        let (_, globex_key) = tenant(&db, "globex", 4, None).await;
        let app = TestApp::new(db.clone());
        post(&app, &acme_key, &skills(0, 3)).await;
        post(&app, &globex_key, &skills(0, 4)).await;
        let waiting = Delivery::new(None, BASE_URL);
        let round = delivery::run_round(&db, &waiting, db::now_ms())
            .await
            .expect("round");
        assert_eq!(
            round,
            delivery::Round::default(),
            "nothing is sent without a server"
        );
        let (states, _) = outbox::depth(&mut db.conn().await.expect("connection"))
            .await
            .expect("depth");
        assert_eq!(states, [("queued".to_string(), 6)]);
        // The admin console's view: every tenant's alerts, newest first, a page at a time.
        let all = log::page(&db, None, None, 1, Locale::En)
            .await
            .expect("log");
        assert_eq!(all.entries.len(), 1);
        assert_eq!(all.entries[0].tenant_slug, "globex");
        let rest = log::page(&db, None, all.next, 10, Locale::En)
            .await
            .expect("log");
        assert_eq!(
            rest.entries
                .iter()
                .map(|e| e.tenant_slug.as_str())
                .collect::<Vec<_>>(),
            ["acme"]
        );
        assert_eq!(rest.next, None);

        let mut sink = SmtpSink::start().await;
        let round = delivery::run_round(&db, &worker(&sink), db::now_ms())
            .await
            .expect("round");
        assert_eq!(round.sent, 6);
        assert_eq!(sink.received().len(), 6);
        sink.pause().await;
    }
);

on_both_backends!(
    async fn the_smtp_url_carries_the_sign_in(db: Db) {
        let (_, key) = tenant(&db, "acme", 4, None).await;
        TestApp::new(db.clone())
            .post_events(&key, &skills(0, 3))
            .await;
        let mut sink = SmtpSink::with_auth("tally:s3cr%t").await;
        // The password is percent-encoded in the URL, as URLs write a `%`.
        let url = format!("smtp://tally:s3cr%25t@127.0.0.1:{}", sink.port);
        let mailer = Mailer::new(&url, "alerts@tally.test", None).expect("mailer");
        let round = delivery::run_round(&db, &Delivery::new(Some(mailer), BASE_URL), db::now_ms())
            .await
            .expect("round");
        assert_eq!(round.sent, 3, "{round:?}");
        assert_eq!(sink.received().len(), 3);
        sink.pause().await;
    }
);

on_both_backends!(
    async fn emails_go_over_starttls_and_smtps_to_a_server_of_a_private_ca(db: Db) {
        let (_, key) = tenant(&db, "acme", 4, None).await;
        let app = TestApp::new(db.clone());
        post(&app, &key, &skills(0, 3)).await; // 75%: three emails
        let (mut starttls, ca) = SmtpSink::with_tls(false).await;
        let mailer = Mailer::new(&starttls.url(), "alerts@tally.test", Some(&ca)).expect("mailer");
        let round = delivery::run_round(&db, &Delivery::new(Some(mailer), BASE_URL), db::now_ms())
            .await
            .expect("round");
        assert_eq!(round.sent, 3, "{round:?}");
        assert!(
            starttls.received().iter().all(|m| m.tls),
            "upgraded with STARTTLS"
        );
        starttls.pause().await;

        post(&app, &key, &skills(3, 4)).await; // 100%: three more
        let (mut smtps, ca) = SmtpSink::with_tls(true).await;
        let url = format!("smtps://127.0.0.1:{}", smtps.port);
        let mailer = Mailer::new(&url, "alerts@tally.test", Some(&ca)).expect("mailer");
        let round = delivery::run_round(&db, &Delivery::new(Some(mailer), BASE_URL), db::now_ms())
            .await
            .expect("round");
        assert_eq!(round.sent, 3, "{round:?}");
        let received = smtps.received();
        assert_eq!(received.len(), 3);
        assert!(received.iter().all(|m| m.tls));
        smtps.pause().await;
    }
);

/// Two `tally serve` processes on one Postgres database, each with its delivery worker; 1000
/// events crossing every threshold arrive at both at once.
#[tokio::test]
async fn two_instances_on_one_postgres_send_each_threshold_once_per_recipient() {
    support::db::run(
        "alerts::two_instances_on_one_postgres_send_each_threshold_once_per_recipient",
        support::db::TestDb::postgres(),
        two_instances,
    )
    .await;
}

async fn two_instances(db: Db) {
    let (_, key) = tenant(&db, "acme", 1000, None).await;
    let (name,): (String,) = sqlx::query_as("select cast(current_database() as text)")
        .fetch_one(&mut *db.conn().await.expect("connection"))
        .await
        .expect("name");
    let admin_url = std::env::var("TALLY_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string());
    let url = format!(
        "{}/{name}",
        admin_url.rsplit_once('/').map_or("", |(base, _)| base)
    );
    let mut sink = SmtpSink::start().await;
    let ports = [support::smtp::free_port(), support::smtp::free_port()];
    let mut servers = Vec::new();
    for port in ports {
        servers.push(
            tokio::process::Command::new(env!("CARGO_BIN_EXE_tally"))
                .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
                .args(["--smtp-url", &sink.url(), "--base-url", BASE_URL])
                .env("DATABASE_URL", &url)
                .env("RUST_LOG", "warn")
                .kill_on_drop(true)
                .spawn()
                .expect("tally serve"),
        );
    }
    let client = reqwest::Client::new();
    for port in ports {
        let health = format!("http://127.0.0.1:{port}/healthz");
        let mut up = false;
        for _ in 0..200 {
            if client
                .get(&health)
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                up = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(up, "tally serve on {port} answers");
    }
    let mut posting = tokio::task::JoinSet::new();
    for batch in 0..100 {
        let client = client.clone();
        let key = key.clone();
        let port = ports[batch % 2];
        posting.spawn(async move {
            let events = skills(batch * 10, batch * 10 + 10);
            let reply = client
                .post(format!("http://127.0.0.1:{port}/api/v1/events"))
                .bearer_auth(&key)
                .json(&json!({ "events": events }))
                .send()
                .await
                .expect("post");
            assert!(reply.status().is_success(), "{}", reply.status());
        });
    }
    while let Some(done) = posting.join_next().await {
        done.expect("a batch posted");
    }
    let received = sink.wait_for(12, Duration::from_secs(60)).await;
    let to = sorted(&recipients("acme"));
    let expected: BTreeMap<String, Vec<String>> = [75, 85, 95, 100]
        .into_iter()
        .map(|p| {
            (
                format!("[Tally] ACME Ltd · Conversation Transactions · usage reached {p}%"),
                to.clone(),
            )
        })
        .collect();
    assert_eq!(by_subject(&received), expected);
    for mut server in servers {
        let _ = server.kill().await;
    }
    sink.pause().await;
}
