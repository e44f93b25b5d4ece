//! The background jobs `tally serve` runs: they work on their own, and stop when their owner
//! says so, giving back every connection, so the pool behind them closes at once.

use crate::support;

use std::time::Duration;

use app::model::{LicenseModel, TenantState};
use app::server::db::tenants;
use app::server::jobs::Jobs;
use app::server::service;

on_both_backends!(
    async fn jobs_expire_ended_contracts_then_stop_holding_nothing(db: Db) {
        let mut spec =
            support::fixtures::spec("acme", LicenseModel::UserBased, TenantState::Active);
        spec.subscription.contract_start = support::fixtures::date("2025-01-01");
        spec.subscription.contract_end = support::fixtures::date("2025-12-31");
        service::tenants::create(&db, &spec, "test")
            .await
            .expect("tenant");

        let jobs = Jobs::start(
            &db,
            app::server::service::delivery::Delivery::new(None, "http://127.0.0.1:3000"),
        );
        // Housekeeping's first round runs as soon as the jobs start.
        let mut state = String::new();
        for _ in 0..100 {
            let mut conn = db.conn().await.expect("connection");
            state = tenants::by_slug(&mut conn, "acme")
                .await
                .expect("tenant")
                .expect("acme")
                .state;
            drop(conn);
            if state == "expired" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(state, "expired", "the job expired the ended contract");

        tokio::time::timeout(Duration::from_secs(15), jobs.stop())
            .await
            .expect("the jobs stop between rounds");
        tokio::time::timeout(Duration::from_secs(5), db.close())
            .await
            .expect("stopped jobs hold no connection: the pool closes at once");
    }
);
