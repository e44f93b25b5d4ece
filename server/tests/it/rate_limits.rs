//! The usage API's per-key rate limit (`--api-rate-limit`), on SQLite and on Postgres: past its
//! burst a key is refused with 429 and `Retry-After`, nothing of the refused call is stored, other
//! keys go on, and the key is let in again once it waited.

use crate::support;

use std::num::NonZeroU32;
use std::time::Duration;

use axum::http::{StatusCode, header};
use serde_json::{Value, json};

use app::model::{LicenseModel, TenantState};
use app::server::db::Db;
use app::server::service;
use app::server::state::WebConfig;
use support::answer::{self, Answer};
use support::api::skill;
use support::fixtures;
use support::http::TestApp;

/// One request a second for each key, in bursts of two.
fn limited(db: &Db) -> TestApp {
    TestApp::with_config(
        db.clone(),
        WebConfig {
            base_url: None,
            api_rate_limit: NonZeroU32::new(1),
        },
    )
}

async fn key(db: &Db, tenant: app::model::TenantId) -> String {
    service::api_keys::create(db, tenant, "platform", "test")
        .await
        .expect("key")
        .1
}

async fn entitlements(app: &TestApp, key: &str) -> Answer {
    answer::get(app, "/api/v1/entitlements", None, Some(key)).await
}

/// Calls until the first refusal; the calls let in before it, and the refusal.
async fn until_refused(app: &TestApp, key: &str) -> (usize, Answer) {
    for let_in in 0..20 {
        let reply = entitlements(app, key).await;
        if reply.status != StatusCode::OK {
            return (let_in, reply);
        }
    }
    panic!("20 calls in a row were let in at one a second");
}

on_both_backends!(
    async fn a_key_past_its_burst_is_told_when_to_retry_and_other_keys_go_on(db: Db) {
        let app = limited(&db);
        let acme = fixtures::tenant(
            &db,
            "acme",
            LicenseModel::TransactionBased,
            TenantState::Active,
        )
        .await;
        let globex = fixtures::tenant(
            &db,
            "globex",
            LicenseModel::TransactionBased,
            TenantState::Active,
        )
        .await;
        let (first, second, other) = (
            key(&db, acme).await,
            key(&db, acme).await,
            key(&db, globex).await,
        );

        let (let_in, refused) = until_refused(&app, &first).await;
        assert!(let_in >= 2, "the burst of two is let in: {let_in}");
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
        let wait: u64 = refused
            .header(header::RETRY_AFTER.as_str())
            .parse()
            .expect("seconds");
        assert_eq!(wait, 1, "one token a second: wait at most one second");
        let answer: Value = serde_json::from_str(&refused.body).expect("JSON");
        assert_eq!(answer["reason"], "rate_limited");
        assert!(
            answer["error"]
                .as_str()
                .is_some_and(|e| e.contains("Retry-After"))
        );

        // Nothing of a refused batch is stored.
        let (status, _) = app
            .post_events(&first, &[skill("over-the-limit", json!({}))])
            .await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        let (stored,): (i64,) = sqlx::query_as("select count(*) from usage_events")
            .fetch_one(&mut *db.conn().await.expect("connection"))
            .await
            .expect("count");
        assert_eq!(stored, 0);

        // The limit is the key's: the same tenant's other key and another tenant's go on.
        for key in [&second, &other] {
            assert_eq!(entitlements(&app, key).await.status, StatusCode::OK);
        }
        // An unknown key is refused as unknown, however often it comes.
        for _ in 0..5 {
            assert_eq!(
                entitlements(&app, "tk_unknown").await.status,
                StatusCode::UNAUTHORIZED
            );
        }

        tokio::time::sleep(Duration::from_secs(wait)).await;
        assert_eq!(entitlements(&app, &first).await.status, StatusCode::OK);
    }
);

on_both_backends!(
    async fn without_a_limit_a_key_is_never_refused(db: Db) {
        let app = TestApp::new(db.clone());
        let acme = fixtures::tenant(
            &db,
            "acme",
            LicenseModel::TransactionBased,
            TenantState::Active,
        )
        .await;
        let key = key(&db, acme).await;
        for _ in 0..30 {
            assert_eq!(entitlements(&app, &key).await.status, StatusCode::OK);
        }
    }
);
