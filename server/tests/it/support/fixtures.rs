//! Tenants and administrators to test against.

use app::model::TenantId;
use app::model::{LicenseModel, Locale, PoolKey, TenantState};
use app::server::db::{Db, subscriptions::SubscriptionRow};
use app::server::service::{
    accounts, refills,
    tenants::{self, TenantSpec},
};

pub const PASSWORD: &str = "correct horse battery";

pub fn date(text: &str) -> chrono::NaiveDate {
    text.parse().expect("a YYYY-MM-DD date")
}

pub fn spec(slug: &str, model: LicenseModel, state: TenantState) -> TenantSpec {
    TenantSpec {
        slug: slug.into(),
        name: format!("{} Ltd", slug.to_uppercase()),
        state,
        time_zone: "UTC".into(),
        locale: Locale::En,
        subscription: SubscriptionRow::new(model, date("2026-01-01"), date("2026-12-31")),
        extra_pools: vec![(
            PoolKey::parse("addon:recording").expect("pool"),
            "soft".into(),
        )],
        technical_emails: vec![format!("tech@{slug}.test")],
        billing_emails: vec![format!("billing@{slug}.test")],
    }
}

/// A tenant with one administrator `admin@SLUG.test`.
pub async fn tenant(db: &Db, slug: &str, model: LicenseModel, state: TenantState) -> TenantId {
    let tenant = tenants::create(db, &spec(slug, model, state), "test")
        .await
        .expect("create tenant");
    accounts::create_administrator(db, &format!("admin@{slug}.test"), PASSWORD, Some(tenant))
        .await
        .expect("create admin");
    tenant
}

/// A manual purchase of `licenses` for `tenant`'s `pool`, now, committed.
pub async fn buy(db: &Db, tenant: TenantId, pool: &str, licenses: i64) {
    let mut tx = db.begin().await.expect("transaction");
    refills::refill(
        &mut tx,
        tenant,
        pool,
        &refills::Refill::manual(licenses, "test", app::server::db::now_ms()),
    )
    .await
    .expect("refill")
    .expect("pool");
    tx.commit().await.expect("commit");
}

pub async fn super_admin(db: &Db) {
    accounts::create_administrator(db, "root@tally.test", PASSWORD, None)
        .await
        .expect("create super admin");
}
