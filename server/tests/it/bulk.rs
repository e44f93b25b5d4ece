//! Bulk license assignment from a CSV file through the real router, on SQLite and Postgres:
//! the dry-run preview with row-level errors and the capacity check, all-or-nothing apply
//! through ingestion, the report, a second apply that changes nothing, and a file too large.

use crate::support;

use axum::http::StatusCode;

use app::model::{LicenseModel, TenantState};
use app::server::db::audit;
use support::assignments::{
    HEADER, ORIGIN, POOL, apply, held, preview, setting, upload, upload_id,
};
use support::fixtures::PASSWORD;

on_both_backends!(
    async fn a_file_is_previewed_applied_all_or_nothing_and_twice_changes_nothing(db: Db) {
        let (app, acme, root) = setting(&db).await;
        let bad = format!("{HEADER}{POOL},u1,Ana Lima,assign\r\naddon:nothing,u2,Bo,assign\r\n");
        let sent = upload(&app, &root, &bad).await;
        let id = upload_id(&sent);
        let page = preview(&app, &root, &id).await;
        assert!(
            page.contains(r#"data-line="2" data-outcome="assign""#),
            "{page}"
        );
        assert!(page.contains(r#"data-line="3" data-outcome="unknown_pool""#));
        assert!(page.contains(r#"<strong data-field="errors">1</strong>"#));
        let refused = apply(&app, &root, &id, "go-live").await;
        assert!(
            refused
                .location
                .as_deref()
                .is_some_and(|l| l.ends_with("&refused=apply&code=file_has_errors")),
            "{refused:?}"
        );
        assert_eq!(held(&db, acme).await, (0, vec![]), "nothing applied");

        let good = format!("{HEADER}{POOL},u1,Ana Lima,assign\r\n{POOL},u2,Bo,assign\r\n");
        let id = upload_id(&upload(&app, &root, &good).await);
        let unreasoned = apply(&app, &root, &id, " ").await;
        assert!(
            unreasoned
                .location
                .is_some_and(|l| l.ends_with("code=reason_missing"))
        );
        let done = apply(&app, &root, &id, "go-live").await;
        assert!(
            done.location
                .as_deref()
                .is_some_and(|l| l.ends_with("&done=apply")),
            "{done:?}"
        );
        assert_eq!(held(&db, acme).await, (2, vec!["u1".into(), "u2".into()]));
        let report = app
            .get(
                &format!("/admin/tenants/acme/assignments/report.csv?upload={id}"),
                Some(&root),
            )
            .await;
        assert_eq!(report.status, StatusCode::OK);
        assert_eq!(
            report.body,
            format!(
                "line,pool,assignee_id,assignee_name,action,result\r\n2,{POOL},u1,Ana Lima,assign,assign\r\n3,{POOL},u2,Bo,assign,assign\r\n"
            )
        );
        let again = apply(&app, &root, &id, "go-live").await;
        assert!(again.location.is_some_and(|l| l.ends_with("&done=apply")));

        // The same file once more: every row is already done.
        let id = upload_id(&upload(&app, &root, &good).await);
        let page = preview(&app, &root, &id).await;
        assert_eq!(
            page.matches(r#"data-outcome="already_assigned""#).count(),
            2
        );
        assert!(page.contains(r#"<strong data-field="changes">0</strong>"#));
        apply(&app, &root, &id, "again").await;
        assert_eq!(
            held(&db, acme).await,
            (2, vec!["u1".into(), "u2".into()]),
            "nothing changed"
        );
        let (events,): (i64,) =
            sqlx::query_as("select count(*) from usage_events where tenant_id = $1")
                .bind(acme.0)
                .fetch_one(&mut *db.conn().await.expect("connection"))
                .await
                .expect("events");
        assert_eq!(events, 2, "the assignments went through ingestion, once");
        let trail = audit::for_tenant(&mut db.conn().await.expect("connection"), acme, 5)
            .await
            .expect("audit");
        let bulk: Vec<_> = trail
            .iter()
            .filter(|r| r.action == "assignments.bulk")
            .collect();
        assert_eq!(bulk.len(), 2);
        assert!(
            bulk[1]
                .after_json
                .as_deref()
                .is_some_and(|a| a.contains(r#""assigned":2"#)),
            "{:?}",
            bulk[1]
        );
        assert!(
            bulk[0]
                .after_json
                .as_deref()
                .is_some_and(|a| a.contains(r#""assigned":0"#))
        );

        // Releasing one and assigning another fits; passing the purchase does not.
        let swap = format!("{HEADER}{POOL},u1,,release\r\n{POOL},u3,Cy,assign\r\n");
        let id = upload_id(&upload(&app, &root, &swap).await);
        assert!(
            apply(&app, &root, &id, "swap")
                .await
                .location
                .is_some_and(|l| l.ends_with("&done=apply"))
        );
        assert_eq!(held(&db, acme).await, (2, vec!["u2".into(), "u3".into()]));
        let over = format!("{HEADER}{POOL},u4,,assign\r\n");
        let id = upload_id(&upload(&app, &root, &over).await);
        let page = preview(&app, &root, &id).await;
        assert!(page.contains(&format!(r#"data-over="{POOL}""#)), "{page}");
        assert!(
            apply(&app, &root, &id, "more")
                .await
                .location
                .is_some_and(|l| l.ends_with("code=file_has_errors"))
        );
        assert_eq!(held(&db, acme).await.0, 2);
    }
);

on_both_backends!(
    async fn a_file_without_its_header_is_refused_whole(db: Db) {
        let (app, acme, root) = setting(&db).await;
        let id = upload_id(&upload(&app, &root, &format!("{POOL},u1,Ana,assign\r\n")).await);
        let page = preview(&app, &root, &id).await;
        assert!(page.contains(r#"data-field="bad-header""#), "{page}");
        assert!(
            apply(&app, &root, &id, "x")
                .await
                .location
                .is_some_and(|l| l.ends_with("code=file_has_errors"))
        );
        assert_eq!(held(&db, acme).await, (0, vec![]));
    }
);

on_both_backends!(
    async fn tenant_administrators_reach_none_of_bulk_assignment(db: Db) {
        let (app, acme, root) = setting(&db).await;
        let id =
            upload_id(&upload(&app, &root, &format!("{HEADER}{POOL},u1,Ana,assign\r\n")).await);
        support::fixtures::tenant(&db, "globex", LicenseModel::UserBased, TenantState::Active)
            .await;
        let admin = app.sign_in("admin@globex.test", PASSWORD).await;
        assert_eq!(
            upload(&app, &admin, HEADER).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            apply(&app, &admin, &id, "x").await.status,
            StatusCode::FORBIDDEN
        );
        let report = format!("/admin/tenants/acme/assignments/report.csv?upload={id}");
        assert_eq!(
            app.get(&report, Some(&admin)).await.status,
            StatusCode::FORBIDDEN
        );
        let page = format!("/admin/tenants/acme/assignments?upload={id}");
        assert_eq!(
            app.get(&page, Some(&admin)).await.status,
            StatusCode::FORBIDDEN
        );
        let function = app
            .post_form(
                "/fn/admin/bulk",
                &[("slug", "acme"), ("upload", &id)],
                Some(&admin),
                ORIGIN,
            )
            .await;
        assert_eq!(function.status, StatusCode::FORBIDDEN);
        assert_eq!(held(&db, acme).await, (0, vec![]));
    }
);

on_both_backends!(
    async fn a_file_over_a_megabyte_is_refused_and_nothing_is_kept(db: Db) {
        let (app, acme, root) = setting(&db).await;
        let row = format!("{POOL},u1,Ana,assign\r\n");
        // Just over the limit, and far over what the server reads of a request.
        for size in [(1 << 20) + 1, 3 << 20] {
            let csv = format!("{HEADER}{}", row.repeat(size / row.len() + 1));
            let refused = upload(&app, &root, &csv).await;
            assert!(
                refused
                    .location
                    .as_deref()
                    .is_some_and(|l| l.ends_with("?refused=upload&code=file_too_large")),
                "{size}: {:?} {}",
                refused.location,
                refused.status
            );
        }
        let page = app
            .get(
                "/admin/tenants/acme/assignments?refused=upload&code=file_too_large",
                Some(&root),
            )
            .await
            .body;
        assert!(page.contains("The file is over 1 MB."), "{page}");
        assert_eq!(held(&db, acme).await, (0, vec![]));
    }
);
