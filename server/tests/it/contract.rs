//! A tenant's subscription and contract edited from the console, through the real router on
//! SQLite and Postgres: every field saved and audited and in effect (the tenant's own page, the
//! API, auto-refill); every wrong field refused beside it with nothing saved.

use crate::support;

use serde_json::json;

use app::server::db::{pools, subscriptions};
use support::api::skill;
use support::console::{POOL, json, licensed, post, setting, trail};
use support::fixtures::{PASSWORD, date};

/// The form as a whole, with `changes` over the fixture's subscription.
fn form<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("license_model", "transaction_based"),
        ("contract_start", "2026-01-01"),
        ("contract_end", "2026-12-31"),
        ("session_minutes", ""),
        ("thresholds", "75,85,95,100"),
        ("contract_notice_days", "1,7,30"),
        ("auto_refill_amount", "0"),
        ("auto_refill_percent", "95"),
        ("auto_refill_max_per_month", "1"),
        ("reason", "renewal 2027"),
    ];
    for (name, value) in changes {
        match fields.iter_mut().find(|(n, _)| n == name) {
            Some(field) => field.1 = value,
            None => fields.push((name, value)),
        }
    }
    fields
}

/// A renewal: a later end, other thresholds and notices, auto-refill on.
const RENEWAL: [(&str, &str); 7] = [
    ("contract_end", "2027-01-31"),
    ("thresholds", "50, 100"),
    ("contract_notice_days", "10"),
    ("auto_refill", "on"),
    ("auto_refill_amount", "20"),
    ("auto_refill_percent", "90"),
    ("auto_refill_max_per_month", "2"),
];

async fn subscription(
    db: &app::server::db::Db,
    tenant: app::model::TenantId,
) -> subscriptions::SubscriptionRow {
    subscriptions::get(&mut db.conn().await.expect("connection"), tenant)
        .await
        .expect("read")
        .expect("subscription")
}

on_both_backends!(
    async fn every_field_is_saved_audited_and_in_effect(db: Db) {
        let (app, acme, root) = setting(&db).await;
        let saved = post(&app, &root, "contract", &form(&RENEWAL)).await;
        assert_eq!(
            saved.location.as_deref(),
            Some("/admin/tenants/acme?done=contract#contract")
        );
        let sub = subscription(&db, acme).await;
        assert_eq!(sub.contract_end, date("2027-01-31"));
        assert_eq!(sub.thresholds.as_slice(), [50, 100]);
        assert_eq!(sub.contract_notice_days.as_slice(), [10]);
        assert!(sub.auto_refill);
        assert_eq!(
            (
                sub.auto_refill_amount,
                sub.auto_refill_percent,
                sub.auto_refill_max_per_month
            ),
            (20, 90, 2)
        );

        let audited = trail(&db, acme).await;
        let change = audited
            .iter()
            .find(|r| r.action == "subscription.update")
            .expect("audited");
        assert_eq!(
            (change.reason.as_str(), change.actor.as_str()),
            ("renewal 2027", "root@tally.test")
        );
        assert_eq!(json(&change.before_json)["contract_end"], "2026-12-31");
        assert_eq!(json(&change.after_json)["contract_end"], "2027-01-31");
        assert_eq!(json(&change.before_json)["auto_refill"], false);
        assert_eq!(json(&change.after_json)["auto_refill_amount"], 20);

        // The console's form starts from what was saved; the tenant's own page agrees.
        let page = app.get("/admin/tenants/acme", Some(&root)).await.body;
        assert!(
            page.contains(r#"name="thresholds" value="50,100""#),
            "{page}"
        );
        let admin = app.sign_in("admin@acme.test", PASSWORD).await;
        let own = app.get("/settings/subscription", Some(&admin)).await.body;
        assert!(
            own.contains(r#"data-field="contract-end">01/31/2027<"#),
            "{own}"
        );

        // Auto-refill as set: at 90% of 10, 20 licenses are added by themselves.
        let key = licensed(&db, acme, 10).await;
        let events: Vec<_> = (0..9).map(|i| skill(&format!("e{i}"), json!({}))).collect();
        assert!(app.post_events(&key, &events).await.0.is_success());
        let ledger = pools::refills(&mut db.conn().await.expect("connection"), acme)
            .await
            .expect("ledger");
        let mut kinds: Vec<_> = ledger.iter().map(|r| (r.kind.as_str(), r.delta)).collect();
        kinds.sort_unstable();
        assert_eq!(kinds, [("auto", 20), ("manual", 10)]);

        // The same form again changes nothing and says so.
        let again = post(&app, &root, "contract", &form(&RENEWAL)).await;
        assert!(
            again
                .location
                .as_deref()
                .is_some_and(|l| l.contains("refused=contract&code=nothing_changes")),
            "{:?}",
            again.location
        );
    }
);

on_both_backends!(
    async fn every_wrong_field_is_refused_beside_it_and_nothing_is_saved(db: Db) {
        let (app, acme, root) = setting(&db).await;
        let before = subscription(&db, acme).await;
        let refused = post(
            &app,
            &root,
            "contract",
            &form(&[
                ("contract_end", "2025-06-30"),
                ("session_minutes", "2000"),
                ("thresholds", "75,120"),
                ("contract_notice_days", "soon"),
                ("auto_refill", "on"),
                ("auto_refill_amount", "0"),
                ("auto_refill_percent", "0"),
                ("auto_refill_max_per_month", "x"),
                ("reason", " "),
            ]),
        )
        .await;
        let location = refused.location.expect("redirect");
        assert!(
            location.ends_with(
                "&refused=contract&code=reason_missing,ends_before_start,session_invalid,\
                 thresholds_invalid,notice_days_invalid,refill_amount_invalid,\
                 refill_percent_invalid,refill_cap_invalid#contract"
            ),
            "{location}"
        );
        assert_eq!(subscription(&db, acme).await, before, "nothing saved");
        assert!(
            !trail(&db, acme)
                .await
                .iter()
                .any(|r| r.action == "subscription.update")
        );

        // Back on the page: the form as typed, each refusal beside its field.
        let path = location.split('#').next().unwrap_or_default();
        let page = app.get(path, Some(&root)).await.body;
        for (field, words) in [
            ("reason", "Give a reason"),
            ("contract_end", "ends before it starts"),
            ("session_minutes", "1 to 1440 minutes"),
            ("thresholds", "percentages from 1 to 100"),
            ("contract_notice_days", "days from 1 to 366"),
            ("auto_refill_amount", "0 only with auto-refill off"),
            ("auto_refill_percent", "a percentage from 1 to 100"),
            ("auto_refill_max_per_month", "1 to 100 refills"),
        ] {
            let beside = page
                .split(&format!(r#"data-refused="{field}""#))
                .nth(1)
                .and_then(|rest| rest.split('>').nth(1))
                .and_then(|rest| rest.split('<').next())
                .unwrap_or_default();
            assert!(beside.contains(words), "{field}: {beside:?}");
        }
        assert!(
            page.contains(r#"name="thresholds" value="75,120""#),
            "{page}"
        );
        assert!(page.contains(r#"name="contract_notice_days" value="soon""#));
    }
);

on_both_backends!(
    async fn a_new_license_model_gains_its_main_pools(db: Db) {
        let (app, acme, root) = setting(&db).await;
        let changed = post(
            &app,
            &root,
            "contract",
            &form(&[
                ("license_model", "session_based"),
                ("session_minutes", "45"),
            ]),
        )
        .await;
        assert_eq!(
            changed.location.as_deref(),
            Some("/admin/tenants/acme?done=contract#contract")
        );
        let held: Vec<String> = pools::list(&mut db.conn().await.expect("connection"), acme)
            .await
            .expect("pools")
            .into_iter()
            .map(|p| p.pool_key)
            .collect();
        assert!(held.contains(&"session_licenses".to_string()), "{held:?}");
        assert!(
            held.contains(&POOL.to_string()),
            "the old pools stay: {held:?}"
        );
        let admin = app.sign_in("admin@acme.test", PASSWORD).await;
        let own = app.get("/settings/subscription", Some(&admin)).await.body;
        assert!(
            own.contains(r#"data-field="session-duration">45 minutes<"#),
            "{own}"
        );
    }
);
