//! Several instances on one Postgres database: they may start (and migrate) together and see
//! one another's sessions.

mod support {
    pub mod db;
    pub mod fixtures;
    pub mod http;
}

use app::model::{LicenseModel, TenantState};
use app::server::db::Db;
use support::db::TestDb;
use support::fixtures::{self, PASSWORD};
use support::http::TestApp;

#[tokio::test]
async fn instances_starting_together_migrate_once_and_share_sessions() {
    let test = TestDb::postgres().await;
    let url = {
        let options = test.db.pool.connect_options();
        options.database_url.to_string()
    };
    let starts = (0..4).map(|_| {
        let url = url.clone();
        tokio::spawn(async move {
            let db = Db::connect(&url).await.expect("connect");
            db.migrate().await.expect("concurrent migration");
            db
        })
    });
    let mut instances = Vec::new();
    for start in starts {
        instances.push(start.await.expect("instance starts"));
    }
    fixtures::tenant(
        &instances[0],
        "acme",
        LicenseModel::UserBased,
        TenantState::Active,
    )
    .await;
    let first = TestApp::new(instances[1].clone());
    let second = TestApp::new(instances[2].clone());
    let session = first.sign_in("admin@acme.test", PASSWORD).await;
    let page = second.get("/settings/subscription", Some(&session)).await;
    assert!(
        page.body.contains("ACME Ltd"),
        "a session opened on one instance works on another"
    );
    test.cleanup().await;
}
