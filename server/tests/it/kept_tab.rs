//! The Subscription tab keeps what it read while the tenant's revision stands (migration 0007,
//! `service::subscription::overview_kept`): every write to what the tab shows moves the
//! revision, whoever makes it, and the tab a tenant administrator opens afterwards shows it.

use crate::support;

use chrono::{Duration, Utc};
use serde_json::json;

use app::model::{LicenseModel, Locale, TenantId, TenantState};
use app::server::db::{self, Db, contacts, contacts::ContactKind, outbox, pools, tenants};
use app::server::service::{self, subscription};
use support::api::skill;
use support::fixtures;
use support::http::TestApp;

const POOL: &str = "conversation_transactions";

async fn revision(db: &Db, tenant: TenantId) -> i64 {
    let mut conn = db.conn().await.expect("connection");
    let (revision,): (i64,) = sqlx::query_as("select revision from tenants where id = $1")
        .bind(tenant.0)
        .fetch_one(&mut *conn)
        .await
        .expect("revision");
    revision
}

async fn execute(db: &Db, sql: &str, tenant: TenantId) {
    let mut conn = db.conn().await.expect("connection");
    sqlx::query(sql)
        .bind(tenant.0)
        .execute(&mut *conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn buy(db: &Db, tenant: TenantId, licenses: i64) {
    fixtures::buy(db, tenant, POOL, licenses).await;
}

/// Makes `email` the tenant's one technical contact.
async fn technical(db: &Db, tenant: TenantId, email: &str) {
    let mut conn = db.conn().await.expect("connection");
    contacts::replace(
        &mut conn,
        tenant,
        ContactKind::Technical,
        &[email.to_string()],
    )
    .await
    .expect("contacts");
}

/// A transaction-based tenant with its administrator (`admin@SLUG.test`) and an API key.
async fn tenant(db: &Db, slug: &str) -> (TenantId, String) {
    let tenant = fixtures::tenant(
        db,
        slug,
        LicenseModel::TransactionBased,
        TenantState::Active,
    )
    .await;
    let (_, key) = service::api_keys::create(db, tenant, "platform", "test")
        .await
        .expect("key");
    (tenant, key)
}

/// Asserts that `write` moved the revision (or, with `moves` false, left it).
macro_rules! check {
    ($db:expr, $tenant:expr, $what:expr, $moves:expr, $write:expr) => {{
        let before = revision($db, $tenant).await;
        $write;
        let after = revision($db, $tenant).await;
        if $moves {
            assert!(after > before, "{}: the revision stayed at {before}", $what);
        } else {
            assert_eq!(after, before, "{}: the revision moved", $what);
        }
    }};
}

on_both_backends!(
    async fn every_write_the_tab_shows_moves_the_tenant_revision(db: Db) {
        let (acme, key) = tenant(&db, "acme").await;
        let (globex, _) = tenant(&db, "globex").await;
        let app = TestApp::new(db.clone());
        let globex_before = revision(&db, globex).await;

        check!(&db, acme, "a purchase", true, buy(&db, acme, 10).await);
        check!(&db, acme, "usage through the API", true, {
            let events: Vec<_> = (0..8)
                .map(|i| skill(&format!("run-{i}"), json!({})))
                .collect();
            let (status, answer) = app.post_events(&key, &events).await;
            assert!(status.is_success(), "{status}: {answer}");
        });
        let mut conn = db.conn().await.expect("connection");
        let (emails,): (i64,) = sqlx::query_as("select count(*) from outbox where tenant_id = $1")
            .bind(acme.0)
            .fetch_one(&mut *conn)
            .await
            .expect("outbox");
        drop(conn);
        assert!(emails > 0, "crossing 75% raised an alert with its emails");
        // Claiming an email leaves it (its attempt shows once its outcome is written).
        check!(&db, acme, "claiming an email", false, {
            let mut conn = db.conn().await.expect("connection");
            let claimed = outbox::claim(&mut conn, db::now_ms() + 3_600_000, 60_000, 100)
                .await
                .expect("claim");
            assert_eq!(claimed.len() as i64, emails);
        });
        check!(&db, acme, "contacts", true, {
            technical(&db, acme, "ops@acme.test").await;
        });
        check!(&db, acme, "a pool's enforcement", true, {
            let mut conn = db.conn().await.expect("connection");
            pools::set_enforcement(&mut conn, acme, POOL, "hard")
                .await
                .expect("enforcement");
        });
        check!(&db, acme, "the tenant's state", true, {
            let mut conn = db.conn().await.expect("connection");
            tenants::set_state(&mut conn, acme, TenantState::Suspended, "test", "test", 0)
                .await
                .expect("state");
        });
        for (what, sql) in [
            (
                "the tenant's name",
                "update tenants set name = 'Acme 2' where id = $1",
            ),
            (
                "the tenant's time zone",
                "update tenants set time_zone = 'Asia/Tokyo' where id = $1",
            ),
            (
                "the contract",
                "update subscriptions set contract_end = '2031-01-31' where tenant_id = $1",
            ),
            (
                "a ledger row",
                "update refills set note = 'fixed' where tenant_id = $1",
            ),
            (
                "a day's usage",
                "update daily_usage set consumed = consumed + 1 where tenant_id = $1",
            ),
            (
                "an alert",
                "update alerts set consumed = consumed where tenant_id = $1",
            ),
            (
                "an email's outcome",
                "update outbox set state = 'sent', sent_at = 1 where tenant_id = $1",
            ),
            (
                "an email sent again",
                "update outbox set state = 'queued' where tenant_id = $1",
            ),
            (
                "the usage of past days",
                "delete from daily_usage where tenant_id = $1",
            ),
            (
                "an email forgotten",
                "delete from outbox where tenant_id = $1",
            ),
            (
                "alerts forgotten",
                "delete from alerts where tenant_id = $1",
            ),
            (
                "the contacts removed",
                "delete from contacts where tenant_id = $1",
            ),
        ] {
            check!(&db, acme, what, true, execute(&db, sql, acme).await);
        }

        // What the tab does not show leaves the revision alone.
        check!(&db, acme, "an API key", false, {
            service::api_keys::create(&db, acme, "another", "test")
                .await
                .expect("key");
        });
        assert_eq!(
            revision(&db, globex).await,
            globex_before,
            "another tenant's writes leave globex's revision"
        );
    }
);

/// The page's content (its scripts carry a fresh nonce each time).
fn main(page: &str) -> &str {
    let start = page.find("<main").expect("<main>");
    let end = page.find("</main>").expect("</main>");
    &page[start..end]
}

on_both_backends!(
    async fn the_tab_is_kept_while_the_revision_stands_and_its_day(db: Db) {
        // A user-based tenant: its tab links to transactions only once there are some.
        let acme =
            fixtures::tenant(&db, "acme", LicenseModel::UserBased, TenantState::Active).await;
        let (_, key) = service::api_keys::create(&db, acme, "platform", "test")
            .await
            .expect("key");
        let kept = subscription::Kept::default();
        let now = Utc::now();
        let read = |revision: i64, now| {
            let (db, kept) = (db.clone(), &kept);
            async move {
                subscription::overview_kept(&db, kept, acme, revision, now, Locale::En)
                    .await
                    .expect("overview")
            }
        };
        let first = revision(&db, acme).await;
        let seen = read(first, now).await;
        assert!(!seen.has_transactions);

        technical(&db, acme, "ops@acme.test").await;
        let second = revision(&db, acme).await;
        assert_eq!(
            read(first, now).await.technical_emails,
            seen.technical_emails,
            "asked at the revision it was read at, the tab is what was read"
        );
        assert_eq!(
            read(second, now).await.technical_emails,
            ["ops@acme.test"],
            "at the new revision it is read again"
        );

        let tomorrow = read(second, now + Duration::days(1)).await;
        assert_eq!(
            tomorrow.days_left,
            seen.days_left - 1,
            "a new day in the tenant's zone reads it again"
        );

        // A session looked up just before the first transaction still sees the link to them.
        let app = TestApp::new(db.clone());
        let (status, answer) = app.post_events(&key, &[skill("run-1", json!({}))]).await;
        assert!(status.is_success(), "{status}: {answer}");
        let stale = read(second, now).await;
        assert!(
            stale.has_transactions,
            "whether there are any is read each time"
        );
        assert_eq!(
            stale.pools.iter().map(|p| p.consumed).sum::<i64>(),
            seen.pools.iter().map(|p| p.consumed).sum::<i64>(),
            "the rest is as kept at that revision"
        );
    }
);

on_both_backends!(
    async fn the_tab_shows_what_was_written_elsewhere_since_it_was_opened(db: Db) {
        let (acme, _) = tenant(&db, "acme").await;
        buy(&db, acme, 1_234).await;
        let app = TestApp::new(db.clone());
        let session = app.sign_in("admin@acme.test", fixtures::PASSWORD).await;
        let tab = app.get("/settings/subscription", Some(&session)).await;
        assert!(tab.body.contains("1,234"), "{}", tab.body);
        assert!(!tab.body.contains("6,234"));
        let again = app.get("/settings/subscription", Some(&session)).await;
        assert_eq!(
            main(&again.body),
            main(&tab.body),
            "nothing changed, nothing shows changed"
        );

        // Written elsewhere (another instance's console, the CLI): a purchase and a new name.
        buy(&db, acme, 5_000).await;
        execute(
            &db,
            "update tenants set name = 'Acme Renamed' where id = $1",
            acme,
        )
        .await;
        let after = app.get("/settings/subscription", Some(&session)).await;
        assert!(after.body.contains("6,234"), "{}", after.body);
        assert!(after.body.contains("Acme Renamed"));
    }
);
