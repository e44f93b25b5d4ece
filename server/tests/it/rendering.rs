//! Pages keep rendering while other routers are being built in the same process, as every
//! integration test builds its own in parallel with the others.
//!
//! Building a router used to generate Leptos's route list each time, and generating it raises a
//! process-global flag that parks any resource first polled meanwhile on `pending()` for good:
//! a page requested on another thread at that moment never finished, and neither did its test.

use crate::support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::http::StatusCode;

use app::model::{LicenseModel, TenantState};
use support::fixtures::{self, PASSWORD};
use support::http::TestApp;

on_both_backends!(
    async fn pages_render_while_other_routers_are_built(db: Db) {
        let app = TestApp::new(db.clone());
        fixtures::tenant(&db, "acme", LicenseModel::UserBased, TenantState::Active).await;
        let session = app.sign_in("admin@acme.test", PASSWORD).await;

        let done = Arc::new(AtomicBool::new(false));
        let builder = {
            let (db, done) = (db.clone(), done.clone());
            std::thread::spawn(move || {
                // Another test's thread: its own runtime, as `#[tokio::test]` gives it.
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                let _entered = runtime.enter();
                let mut built = 0;
                while !done.load(Ordering::Relaxed) {
                    drop(TestApp::new(db.clone()));
                    built += 1;
                }
                built
            })
        };
        for _ in 0..40 {
            let page = app.get("/settings/subscription", Some(&session)).await;
            assert_eq!(page.status, StatusCode::OK);
            assert!(
                page.body.contains("ACME Ltd"),
                "the page finished rendering"
            );
        }
        done.store(true, Ordering::Relaxed);
        let built = builder.join().expect("the builder thread");
        assert!(built > 0, "routers were built while the pages rendered");
    }
);

on_both_backends!(
    async fn every_page_path_is_served(db: Db) {
        let app = TestApp::new(db.clone());
        fixtures::tenant(&db, "acme", LicenseModel::UserBased, TenantState::Active).await;
        fixtures::super_admin(&db).await;
        let tenant_admin = app.sign_in("admin@acme.test", PASSWORD).await;
        let super_admin = app.sign_in("root@tally.test", PASSWORD).await;
        for path in app::paths::PAGES {
            let session = if path.starts_with(app::paths::ADMIN) {
                &super_admin
            } else {
                &tenant_admin
            };
            let page = app.get(path, Some(session)).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            assert!(!page.body.contains("Page not found"), "{path}");
        }
    }
);

/// The hang itself, on purpose: a page requested while resource loading is suppressed (what a
/// route-list generation on another thread did) never finishes. Kept out of the suite; run it
/// with `--ignored` to see the bound fail it with the test's name and what it waited for
/// (`TALLY_TEST_BODY_LIMIT_SECS=10` makes that quick).
#[tokio::test]
#[ignore = "hangs on purpose, to show the test bound failing it"]
async fn a_page_rendered_during_a_route_list_generation_never_finishes() {
    support::db::run(
        "a_page_rendered_during_a_route_list_generation_never_finishes",
        support::db::TestDb::sqlite(),
        |db| async move {
            let app = TestApp::new(db.clone());
            fixtures::tenant(&db, "acme", LicenseModel::UserBased, TenantState::Active).await;
            let session = app.sign_in("admin@acme.test", PASSWORD).await;
            let _generating = leptos::server::SuppressResourceLoad::new();
            app.get("/settings/subscription", Some(&session)).await;
        },
    )
    .await;
}
