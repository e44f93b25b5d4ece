//! What every response tells the browser, on SQLite and on Postgres: pages allow only their own
//! scripts (the inline ones carry the response's nonce) and no inline styles, nothing may frame
//! Tally, content types are not sniffed, HSTS behind HTTPS; and every response carries a request
//! id, the one an internal error names.

use crate::support;

use axum::http::{StatusCode, header};

use app::model::{LicenseModel, TenantState};
use app::server::state::WebConfig;
use support::answer::{Answer, get};
use support::fixtures::{self, PASSWORD};
use support::http::TestApp;

/// The nonce a page's policy allows; every inline script of the page carries it.
fn nonce_of(reply: &Answer) -> String {
    let policy = reply.header("content-security-policy");
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    assert!(!policy.contains("'unsafe-eval'"), "{policy}");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(policy.contains("style-src 'self';"), "{policy}");
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap_or_else(|| panic!("no nonce in {policy}"));
    assert!(nonce.len() >= 16, "a nonce of 128 bits: {nonce}");
    nonce.to_string()
}

/// Attributes such as `onclick=` in the markup.
fn inline_handlers(body: &str) -> Vec<&str> {
    body.match_indices(" on")
        .filter_map(|(at, _)| {
            let rest = &body[at + 1..];
            let name = &rest[..rest.find(|c: char| !c.is_ascii_lowercase())?];
            rest[name.len()..].starts_with('=').then_some(name)
        })
        .collect()
}

fn assert_common(reply: &Answer, what: &str) {
    assert_eq!(reply.header("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(reply.header("x-frame-options"), "DENY", "{what}");
    assert_eq!(reply.header("referrer-policy"), "same-origin", "{what}");
    assert!(
        reply
            .header("content-security-policy")
            .contains("frame-ancestors 'none'"),
        "{what}"
    );
    let id = reply.header("x-request-id");
    assert!(
        id.len() == 16 && id.chars().all(|c| c.is_ascii_hexdigit()),
        "{what}: {id}"
    );
}

on_both_backends!(
    async fn pages_run_only_their_own_scripts_and_every_response_is_locked_down(db: Db) {
        fixtures::tenant(&db, "acme", LicenseModel::UserBased, TenantState::Active).await;
        let app = TestApp::new(db.clone());
        let admin = app.sign_in("admin@acme.test", PASSWORD).await;

        let login = get(&app, "/login", None, None).await;
        let tab = get(&app, "/settings/subscription", Some(&admin), None).await;
        for (page, what) in [(&login, "sign-in"), (&tab, "Subscription tab")] {
            assert_eq!(page.status, StatusCode::OK, "{what}");
            assert_common(page, what);
            let nonce = nonce_of(page);
            // Every script with code carries the nonce. (An empty `<script></script>` is
            // leptos_i18n's placeholder: a browser runs nothing and checks no policy for it.)
            let scripts: Vec<&str> = page
                .body
                .match_indices("<script")
                .map(|(at, _)| &page.body[at..])
                .filter(|tag| !tag.starts_with("<script></script>"))
                .collect();
            assert!(scripts.len() >= 2, "{what}: Leptos's hydration scripts");
            for tag in scripts {
                let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
                assert!(
                    tag.ends_with(&format!(" nonce=\"{nonce}\"")),
                    "{what}: {tag}"
                );
            }
            assert!(!page.body.contains(" style="), "{what}: no inline style");
            assert_eq!(inline_handlers(&page.body), Vec::<&str>::new(), "{what}");
        }
        assert_ne!(nonce_of(&login), nonce_of(&tab), "a nonce per response");
        assert!(
            tab.body.contains("data-threshold"),
            "the usage bars are drawn"
        );

        // Everything else runs no script at all.
        let others = [
            get(&app, "/api/v1/openapi.json", None, None).await,
            get(
                &app,
                "/settings/subscription/transactions.csv",
                Some(&admin),
                None,
            )
            .await,
            get(&app, "/pkg/tally.css", None, None).await,
            get(&app, "/no/such/page.txt", None, None).await,
            get(&app, "/admin", Some(&admin), None).await,
        ];
        for reply in &others {
            assert_common(reply, &format!("{:?}", reply.status));
            let policy = reply.header("content-security-policy");
            assert!(policy.starts_with("default-src 'none'"), "{policy}");
        }
        // Plain HTTP: no HSTS, which would lock browsers out of a server without TLS.
        assert!(tab.headers.get(header::STRICT_TRANSPORT_SECURITY).is_none());
        let ids: std::collections::HashSet<_> = others
            .iter()
            .map(|r| r.header("x-request-id").to_string())
            .collect();
        assert_eq!(ids.len(), others.len(), "an id per request");
    }
);

on_both_backends!(
    async fn behind_https_browsers_are_told_to_stay_on_it(db: Db) {
        let app = TestApp::with_config(
            db.clone(),
            WebConfig {
                base_url: Some("https://tally.example.com".into()),
                api_rate_limit: None,
            },
        );
        for path in ["/login", "/healthz", "/api/v1/openapi.json"] {
            let reply = get(&app, path, None, None).await;
            assert_eq!(
                reply.header("strict-transport-security"),
                "max-age=31536000; includeSubDomains",
                "{path}"
            );
        }
    }
);
