//! A tenant in the admin console, through the real router on SQLite and Postgres: state changes
//! with a reason and their effects, refills with a note; every refusal saves nothing, every
//! change is audited, and tenant administrators and other origins reach none of it.

use crate::support;

use axum::http::StatusCode;
use serde_json::json;

use app::server::db::pools;
use support::api::skill;
use support::console::{ORIGIN, POOL, json, ledger_rows, pool, post, setting, trail};
use support::fixtures::PASSWORD;

on_both_backends!(
    async fn a_state_change_needs_a_reason_and_takes_effect(db: Db) {
        let (app, acme, root) = setting(&db).await;
        let (_, key) = app::server::service::api_keys::create(&db, acme, "platform", "test")
            .await
            .expect("key");

        let bare = post(
            &app,
            &root,
            "state",
            &[("state", "suspended"), ("reason", "  ")],
        )
        .await;
        assert_eq!(
            bare.location.as_deref(),
            Some("/admin/tenants/acme?refused=state&code=reason_missing#state")
        );
        let same = post(
            &app,
            &root,
            "state",
            &[("state", "active"), ("reason", "why not")],
        )
        .await;
        assert_eq!(
            same.location.as_deref(),
            Some("/admin/tenants/acme?refused=state&code=same_state#state")
        );
        let nonsense = post(
            &app,
            &root,
            "state",
            &[("state", "paused"), ("reason", "x")],
        )
        .await;
        assert_eq!(nonsense.status, StatusCode::BAD_REQUEST);
        assert!(
            trail(&db, acme)
                .await
                .iter()
                .all(|r| r.action != "tenant.state")
        );
        let page = app
            .get(
                "/admin/tenants/acme?refused=state&code=reason_missing",
                Some(&root),
            )
            .await;
        assert!(
            page.body
                .contains("Give a reason for the change. Nothing was saved."),
            "{}",
            page.body
        );

        let done = post(
            &app,
            &root,
            "state",
            &[("state", "suspended"), ("reason", "unpaid invoice 2026-11")],
        )
        .await;
        assert_eq!(
            done.location.as_deref(),
            Some("/admin/tenants/acme?done=state#state")
        );
        let page = app
            .get("/admin/tenants/acme?done=state", Some(&root))
            .await
            .body;
        assert!(page.contains("The state is changed."));
        assert!(page.contains("unpaid invoice 2026-11") && page.contains("root@tally.test"));
        let change = &trail(&db, acme).await[0];
        assert_eq!(
            (change.action.as_str(), change.reason.as_str()),
            ("tenant.state", "unpaid invoice 2026-11")
        );
        assert_eq!(json(&change.before_json), json!({ "state": "active" }));
        assert_eq!(json(&change.after_json), json!({ "state": "suspended" }));

        // Suspended: its administrators cannot sign in and the API refuses the tenant.
        let refused = app
            .post_form(
                "/login",
                &[("email", "admin@acme.test"), ("password", PASSWORD)],
                None,
                ORIGIN,
            )
            .await;
        assert!(refused.session.is_none(), "{:?}", refused.location);
        let (status, _) = app
            .api("GET", "/api/v1/entitlements", Some(&key), None)
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = app.post_events(&key, &[skill("s-1", json!({}))]).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        let back = post(
            &app,
            &root,
            "state",
            &[("state", "active"), ("reason", "paid")],
        )
        .await;
        assert_eq!(
            back.location.as_deref(),
            Some("/admin/tenants/acme?done=state#state")
        );
        app.sign_in("admin@acme.test", PASSWORD).await;
        let (status, _) = app
            .api("GET", "/api/v1/entitlements", Some(&key), None)
            .await;
        assert_eq!(status, StatusCode::OK);
    }
);

on_both_backends!(
    async fn a_refill_needs_a_note_and_never_removes_more_than_is_available(db: Db) {
        let (app, acme, root) = setting(&db).await;
        let refill = |delta: &'static str, note: &'static str| {
            let (app, root) = (&app, &root);
            async move {
                post(
                    app,
                    root,
                    "refill",
                    &[("pool", POOL), ("delta", delta), ("note", note)],
                )
                .await
            }
        };
        for (delta, note, code) in [
            ("10", "", "reason_missing"),
            ("0", "order 1", "amount_invalid"),
            ("ten", "order 1", "amount_invalid"),
            ("2000000", "order 1", "amount_too_large"),
        ] {
            let reply = refill(delta, note).await;
            let expected = format!("/admin/tenants/acme?refused=refill&code={code}#refill");
            assert_eq!(
                reply.location.as_deref(),
                Some(expected.as_str()),
                "{delta} {note}"
            );
        }
        let other = post(
            &app,
            &root,
            "refill",
            &[("pool", "user_licenses"), ("delta", "5"), ("note", "x")],
        )
        .await;
        assert_eq!(
            other.location.as_deref(),
            Some("/admin/tenants/acme?refused=refill&code=unknown_pool#refill")
        );
        assert_eq!(
            (
                pool(&db, acme).await.purchased,
                ledger_rows(&db, acme).await
            ),
            (0, 0),
            "nothing saved"
        );

        let added = refill("+10", "order 4711").await;
        assert_eq!(
            added.location.as_deref(),
            Some("/admin/tenants/acme?done=refill#refill")
        );
        let (_, key) = app::server::service::api_keys::create(&db, acme, "platform", "test")
            .await
            .expect("key");
        let events: Vec<_> = (0..8).map(|i| skill(&format!("e{i}"), json!({}))).collect();
        assert!(app.post_events(&key, &events).await.0.is_success());
        assert_eq!(
            pool(&db, acme).await.alerted_percent,
            75,
            "8 of 10 reached 75%"
        );

        let too_many = refill("-3", "returned").await;
        assert_eq!(
            too_many.location.as_deref(),
            Some("/admin/tenants/acme?refused=refill&code=more_than_available&available=2#refill")
        );
        let page = app
            .get(
                "/admin/tenants/acme?refused=refill&code=more_than_available&available=2",
                Some(&root),
            )
            .await
            .body;
        assert!(
            page.contains("more licenses than the pool has available (2)"),
            "{page}"
        );
        assert_eq!(
            (
                pool(&db, acme).await.purchased,
                ledger_rows(&db, acme).await
            ),
            (10, 1)
        );

        let removed = refill("-2", "returned two").await;
        assert_eq!(
            removed.location.as_deref(),
            Some("/admin/tenants/acme?done=refill#refill")
        );
        let more = refill("30", "order 4712").await;
        assert!(more.location.is_some_and(|l| l.contains("done=refill")));
        let after = pool(&db, acme).await;
        assert_eq!((after.purchased, after.consumed), (38, 8));
        assert_eq!(
            after.alerted_percent, 0,
            "back under 75%: the threshold is re-armed"
        );

        // The ledger says who and why, and the API agrees with the console.
        let ledger = pools::refills(&mut db.conn().await.expect("connection"), acme)
            .await
            .expect("ledger");
        assert_eq!(
            ledger
                .iter()
                .map(|r| (r.delta, r.total_after, r.note.as_str(), r.actor.as_str()))
                .collect::<Vec<_>>(),
            [
                (30, 38, "order 4712", "root@tally.test"),
                (-2, 8, "returned two", "root@tally.test"),
                (10, 10, "order 4711", "root@tally.test"),
            ]
        );
        let (_, answer) = app
            .api("GET", "/api/v1/entitlements", Some(&key), None)
            .await;
        let api_pool = answer["pools"]
            .as_array()
            .expect("pools")
            .iter()
            .find(|p| p["pool"] == POOL)
            .cloned();
        assert_eq!(
            api_pool.map(|p| (p["purchased"].clone(), p["available"].clone())),
            Some((json!(38), json!(30)))
        );
        let page = app.get("/admin/tenants/acme", Some(&root)).await.body;
        assert!(
            page.contains(r#"<td data-field="purchased">38</td>"#)
                && page.contains(r#"<td data-field="available">30</td>"#),
            "{page}"
        );
        let audited: Vec<_> = trail(&db, acme)
            .await
            .into_iter()
            .filter(|r| r.action == "pool.refill")
            .collect();
        assert_eq!(audited.len(), 3);
        assert_eq!(audited[0].reason, "order 4712");
        assert_eq!(
            json(&audited[0].before_json),
            json!({ "pool": POOL, "purchased": 8 })
        );
        assert_eq!(
            json(&audited[0].after_json),
            json!({ "pool": POOL, "purchased": 38, "delta": 30 })
        );
    }
);

on_both_backends!(
    async fn tenant_administrators_and_other_origins_reach_none_of_it(db: Db) {
        let (app, acme, root) = setting(&db).await;
        let admin = app.sign_in("admin@acme.test", PASSWORD).await;
        assert_eq!(
            app.get("/admin/tenants/acme", Some(&admin)).await.status,
            StatusCode::FORBIDDEN
        );
        let function = app
            .post_form(
                "/fn/admin/tenant",
                &[("slug", "acme")],
                Some(&admin),
                ORIGIN,
            )
            .await;
        assert_eq!(function.status, StatusCode::FORBIDDEN, "{}", function.body);
        let forms: [(&str, &[(&str, &str)]); 9] = [
            ("state", &[("state", "suspended"), ("reason", "x")]),
            ("contract", &[("thresholds", "50"), ("reason", "x")]),
            ("refill", &[("pool", POOL), ("delta", "5"), ("note", "x")]),
            (
                "pool",
                &[
                    ("pool", "addon:x"),
                    ("enforcement", "soft"),
                    ("reason", "x"),
                ],
            ),
            ("keys", &[("name", "mine"), ("reason", "x")]),
            ("keys/revoke", &[("key", "1"), ("reason", "x")]),
            (
                "admins",
                &[("do", "invite"), ("email", "x@acme.test"), ("reason", "x")],
            ),
            ("assignments/apply", &[("upload", "1"), ("reason", "x")]),
            (
                "assignments/one",
                &[
                    ("pool", "addon:recording"),
                    ("assignee_id", "u1"),
                    ("action", "assign"),
                    ("reason", "x"),
                ],
            ),
        ];
        for (path, form) in forms {
            assert_eq!(
                post(&app, &admin, path, form).await.status,
                StatusCode::FORBIDDEN,
                "{path}"
            );
            let elsewhere = app
                .post_form(
                    &format!("/admin/tenants/acme/{path}"),
                    form,
                    Some(&root),
                    Some("https://evil.test"),
                )
                .await;
            assert_eq!(
                elsewhere.status,
                StatusCode::FORBIDDEN,
                "{path} from another origin"
            );
        }
        assert!(
            trail(&db, acme)
                .await
                .iter()
                .all(|r| r.action == "tenant.create"),
            "nothing changed"
        );
        assert_eq!(pool(&db, acme).await.purchased, 0);
        let unknown = app.get("/admin/tenants/nobody", Some(&root)).await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    }
);

on_both_backends!(
    async fn the_tenant_page_lists_the_newest_twenty_ledger_rows(db: Db) {
        let (app, acme, root) = setting(&db).await;
        for n in 1..=25 {
            let note = format!("order {n}");
            app::server::service::refills::manual(&db, acme, POOL, 1, &note, "root@tally.test")
                .await
                .expect("refill");
        }
        let page = app.get("/admin/tenants/acme", Some(&root)).await.body;
        let ledger = page
            .split(r#"data-table="ledger""#)
            .nth(1)
            .and_then(|rest| rest.split("</table>").next())
            .unwrap_or_default();
        assert_eq!(ledger.matches("<tr>").count(), 21, "a header and 20 rows");
        assert!(ledger.contains("order 25") && ledger.contains("order 6"));
        assert!(!ledger.contains("order 5<"), "{ledger}");
    }
);
