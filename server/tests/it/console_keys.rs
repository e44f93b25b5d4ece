//! API keys and pools in the console's tenant page, through the real router on SQLite and
//! Postgres: a key shown once and revoked with a reason, a pool of any kind added and its
//! enforcement changed with a reason; every refusal saves nothing and every change is audited.

use crate::support;

use axum::http::StatusCode;
use serde_json::json;

use app::server::db::pools;
use support::console::{POOL, json, post, setting, trail};
use support::fixtures::PASSWORD;

on_both_backends!(
    async fn a_key_is_shown_once_and_revoked_with_a_reason(db: Db) {
        let (app, acme, root) = setting(&db).await;
        let unnamed = post(
            &app,
            &root,
            "keys",
            &[("name", " "), ("reason", "new platform")],
        )
        .await;
        assert_eq!(
            unnamed.location.as_deref(),
            Some("/admin/tenants/acme?refused=keys&code=name_invalid#keys")
        );
        let unreasoned = post(&app, &root, "keys", &[("name", "platform"), ("reason", "")]).await;
        assert_eq!(
            unreasoned.location.as_deref(),
            Some("/admin/tenants/acme?refused=keys&code=reason_missing#keys")
        );

        let made = post(
            &app,
            &root,
            "keys",
            &[("name", "platform"), ("reason", "new platform")],
        )
        .await;
        assert_eq!(
            made.location.as_deref(),
            Some("/admin/tenants/acme?done=keys#keys")
        );
        let first = app
            .get("/admin/tenants/acme?done=keys", Some(&root))
            .await
            .body;
        let key = first
            .split(r#"<code data-field="new-key">"#)
            .nth(1)
            .and_then(|rest| rest.split('<').next())
            .expect("the new key is on the page")
            .to_string();
        assert!(key.starts_with("tly_"), "{key}");
        let again = app.get("/admin/tenants/acme", Some(&root)).await.body;
        assert!(
            !again.contains(&key) && !again.contains("new-key"),
            "shown only once"
        );
        assert!(again.contains(&key[..10]), "its prefix is listed");
        let (status, _) = app
            .api("GET", "/api/v1/entitlements", Some(&key), None)
            .await;
        assert_eq!(status, StatusCode::OK);
        let stored: Vec<(String,)> = sqlx::query_as("select key_hash from api_keys")
            .fetch_all(&mut *db.conn().await.expect("connection"))
            .await
            .expect("hashes");
        assert!(
            stored.iter().all(|(hash,)| !hash.contains(&key[4..])),
            "stored hashed"
        );

        let id = app::server::db::api_keys::list(&mut db.conn().await.expect("c"), acme)
            .await
            .expect("keys")[0]
            .id
            .to_string();
        let bare = post(&app, &root, "keys/revoke", &[("key", &id), ("reason", "")]).await;
        assert_eq!(
            bare.location.as_deref(),
            Some("/admin/tenants/acme?refused=revoke&code=reason_missing#revoke")
        );
        assert_eq!(
            app.api("GET", "/api/v1/entitlements", Some(&key), None)
                .await
                .0,
            StatusCode::OK
        );
        let revoked = post(
            &app,
            &root,
            "keys/revoke",
            &[("key", &id), ("reason", "leaked in a log")],
        )
        .await;
        assert_eq!(
            revoked.location.as_deref(),
            Some("/admin/tenants/acme?done=revoke#revoke")
        );
        assert_eq!(
            app.api("GET", "/api/v1/entitlements", Some(&key), None)
                .await
                .0,
            StatusCode::UNAUTHORIZED
        );
        let twice = post(
            &app,
            &root,
            "keys/revoke",
            &[("key", &id), ("reason", "again")],
        )
        .await;
        assert_eq!(
            twice.location.as_deref(),
            Some("/admin/tenants/acme?refused=revoke&code=key_not_revocable#revoke")
        );
        let page = app.get("/admin/tenants/acme", Some(&root)).await.body;
        assert!(page.contains("leaked in a log") && !page.contains(r#"data-action="revoke-key""#));

        let actions: Vec<_> = trail(&db, acme)
            .await
            .into_iter()
            .map(|r| (r.action, r.reason))
            .collect();
        assert_eq!(
            actions[..2],
            [
                ("api_key.revoke".to_string(), "leaked in a log".to_string()),
                ("api_key.create".to_string(), "new platform".to_string()),
            ]
        );
    }
);

on_both_backends!(
    async fn a_pool_of_any_kind_is_added_and_its_enforcement_changed_with_a_reason(db: Db) {
        let (app, acme, root) = setting(&db).await;
        let set = |pool: &'static str, enforcement: &'static str, reason: &'static str| {
            let (app, root) = (&app, &root);
            async move {
                let form = [
                    ("pool", pool),
                    ("enforcement", enforcement),
                    ("reason", reason),
                ];
                post(app, root, "pool", &form)
                    .await
                    .location
                    .unwrap_or_default()
            }
        };
        let refused = |code: &str| format!("/admin/tenants/acme?refused=pool&code={code}#pool");
        assert_eq!(
            set("service:teleport", "hard", "x").await,
            refused("pool_name_invalid")
        );
        assert_eq!(
            set("service:contact_center", "strict", "x").await,
            refused("enforcement_invalid")
        );
        assert_eq!(
            set("service:contact_center", "hard", "").await,
            refused("reason_missing")
        );
        assert_eq!(
            set(POOL, "hard", "already there").await,
            refused("nothing_changes")
        );
        let done = "/admin/tenants/acme?done=pool#pool";
        assert_eq!(
            set("service:contact_center", "hard", "bought contact center").await,
            done
        );
        assert_eq!(
            set("service:contact_center", "soft", "grace period").await,
            done
        );
        let pool = pools::by_key(
            &mut db.conn().await.expect("c"),
            acme,
            "service:contact_center",
        )
        .await
        .expect("pool")
        .expect("added");
        assert_eq!((pool.enforcement.as_str(), pool.purchased), ("soft", 0));
        let changes: Vec<_> = trail(&db, acme)
            .await
            .into_iter()
            .filter(|r| r.action == "pool.set")
            .collect();
        assert_eq!(changes.len(), 2);
        assert_eq!(changes[0].reason, "grace period");
        assert_eq!(
            json(&changes[0].before_json),
            json!({ "pool": "service:contact_center", "enforcement": "hard" })
        );
        assert_eq!(
            json(&changes[0].after_json),
            json!({ "pool": "service:contact_center", "enforcement": "soft" })
        );
        assert_eq!(changes[1].before_json, None, "added");
        let page = app.get("/admin/tenants/acme", Some(&root)).await.body;
        assert!(page.contains(r#"<tr data-pool="service:contact_center">"#));
        let admin = app.sign_in("admin@acme.test", PASSWORD).await;
        let form = [
            ("pool", "addon:x"),
            ("enforcement", "soft"),
            ("reason", "x"),
        ];
        assert_eq!(
            post(&app, &admin, "pool", &form).await.status,
            StatusCode::FORBIDDEN
        );
    }
);
