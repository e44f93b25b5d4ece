//! Bad input to every form and server function, on SQLite and on Postgres: each field in turn
//! missing, oversized (100 KB), not UTF-8, or nonsense where a number or date belongs; the
//! whole body empty, over the server's limit, or of the wrong content type. No answer is a 5xx;
//! whatever is refused leaves every row as it was (nothing half-saved). Each request is sent as
//! someone allowed to make it, so it reaches the code that reads it. The list is checked against
//! the router: a new form or server function that is not swept fails the test.

use crate::support;

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use support::fingerprint::everything;
use support::http::{Reply, TestApp};
use support::routes::router_routes;

const ORIGIN: &str = "http://127.0.0.1:3000";

/// Who sends a request.
#[derive(Clone, Copy, Debug)]
enum As {
    Nobody,
    TenantAdmin,
    Super,
}

/// A form or server function and a request it would take.
struct Target {
    route: &'static str,
    path: &'static str,
    who: As,
    fields: &'static [(&'static str, &'static str)],
}

const fn target(
    route: &'static str,
    path: &'static str,
    who: As,
    fields: &'static [(&'static str, &'static str)],
) -> Target {
    Target {
        route,
        path,
        who,
        fields,
    }
}

const REASON: (&str, &str) = ("reason", "bad input sweep");

/// Every form and server function, with fields it accepts.
const TARGETS: &[Target] = &[
    target(
        "/login",
        "/login",
        As::Nobody,
        &[("email", "admin@acme.test"), ("password", "wrong")],
    ),
    target("/logout", "/logout", As::Nobody, &[]),
    target(
        "/language",
        "/language",
        As::TenantAdmin,
        &[("language", "pt-BR")],
    ),
    target(
        "/settings/subscription/contacts",
        "/settings/subscription/contacts",
        As::TenantAdmin,
        &[
            ("technical", "ops@acme.test"),
            ("billing", "money@acme.test"),
        ],
    ),
    target(
        "/settings/subscription/alerts/test",
        "/settings/subscription/alerts/test",
        As::TenantAdmin,
        &[],
    ),
    target(
        "/invite",
        "/invite",
        As::Nobody,
        &[
            ("token", "no-such-token"),
            ("password", "a long enough password"),
            ("confirm", "a long enough password"),
        ],
    ),
    target(
        "/admin/alerts/resend",
        "/admin/alerts/resend",
        As::Super,
        &[("email", "1")],
    ),
    target(
        "/admin/tenants",
        "/admin/tenants",
        As::Super,
        &[
            ("name", "Newco"),
            ("slug", "newco"),
            ("time_zone", "UTC"),
            ("locale", "en"),
            ("license_model", "user_based"),
            ("contract_start", "2026-01-01"),
            ("contract_end", "2027-01-01"),
            ("session_minutes", ""),
            ("licenses", "10"),
            ("administrator", "admin@newco.test"),
            REASON,
        ],
    ),
    target(
        "/admin/administrators",
        "/admin/administrators",
        As::Super,
        &[("do", "invite"), ("email", "new@tally.test"), REASON],
    ),
    target(
        "/admin/tenants/{slug}/state",
        "/admin/tenants/acme/state",
        As::Super,
        &[("state", "suspended"), REASON],
    ),
    target(
        "/admin/tenants/{slug}/contract",
        "/admin/tenants/acme/contract",
        As::Super,
        &[
            ("license_model", "user_based"),
            ("contract_start", "2026-01-01"),
            ("contract_end", "2030-01-01"),
            ("session_minutes", ""),
            ("thresholds", "50,90"),
            ("contract_notice_days", "7"),
            ("auto_refill", "on"),
            ("auto_refill_amount", "5"),
            ("auto_refill_percent", "90"),
            ("auto_refill_max_per_month", "2"),
            REASON,
        ],
    ),
    target(
        "/admin/tenants/{slug}/assignments/apply",
        "/admin/tenants/umbrella/assignments/apply",
        As::Super,
        &[("upload", "1"), REASON],
    ),
    target(
        "/admin/tenants/{slug}/assignments/one",
        "/admin/tenants/umbrella/assignments/one",
        As::Super,
        &[
            ("pool", "service:contact_center"),
            ("assignee_id", "sweep-1"),
            ("assignee_name", "Sweep"),
            ("action", "assign"),
            REASON,
        ],
    ),
    target(
        "/admin/tenants/{slug}/refill",
        "/admin/tenants/acme/refill",
        As::Super,
        &[
            ("pool", "user_licenses"),
            ("delta", "10"),
            ("note", "sweep"),
        ],
    ),
    target(
        "/admin/tenants/{slug}/pool",
        "/admin/tenants/acme/pool",
        As::Super,
        &[("pool", "user_licenses"), ("enforcement", "soft"), REASON],
    ),
    target(
        "/admin/tenants/{slug}/admins",
        "/admin/tenants/acme/admins",
        As::Super,
        &[("do", "invite"), ("email", "third@acme.test"), REASON],
    ),
    target(
        "/admin/tenants/{slug}/keys",
        "/admin/tenants/acme/keys",
        As::Super,
        &[("name", "sweep"), REASON],
    ),
    target(
        "/admin/tenants/{slug}/keys/revoke",
        "/admin/tenants/acme/keys/revoke",
        As::Super,
        &[("key", "1"), REASON],
    ),
    target(
        "/fn/subscription/overview",
        "/fn/subscription/overview",
        As::TenantAdmin,
        &[("view_as", "")],
    ),
    target(
        "/fn/subscription/history",
        "/fn/subscription/history",
        As::TenantAdmin,
        &[
            ("query[q]", "ana"),
            ("query[after]", "1.1"),
            ("query[page]", "2"),
        ],
    ),
    target(
        "/fn/conversations",
        "/fn/conversations",
        As::TenantAdmin,
        &[("user", "acme-u000001"), ("open", "acme-conv-1-0")],
    ),
    target(
        "/fn/subscription/today",
        "/fn/subscription/today",
        As::TenantAdmin,
        &[],
    ),
    target(
        "/fn/subscription/alerts",
        "/fn/subscription/alerts",
        As::TenantAdmin,
        &[("before", "100"), ("limit", "10")],
    ),
    target("/fn/viewer", "/fn/viewer", As::TenantAdmin, &[]),
    target(
        "/fn/invitation",
        "/fn/invitation",
        As::Nobody,
        &[("token", "no-such-token")],
    ),
    target(
        "/fn/admin/tenants",
        "/fn/admin/tenants",
        As::Super,
        &[("query[q]", "ac")],
    ),
    target(
        "/fn/admin/alerts",
        "/fn/admin/alerts",
        As::Super,
        &[("query[tenant]", "acme")],
    ),
    target(
        "/fn/admin/tenant",
        "/fn/admin/tenant",
        As::Super,
        &[("slug", "acme")],
    ),
    target(
        "/fn/admin/audit",
        "/fn/admin/audit",
        As::Super,
        &[("query[tenant]", "acme")],
    ),
    target(
        "/fn/admin/bulk",
        "/fn/admin/bulk",
        As::Super,
        &[("slug", "umbrella"), ("upload", "1")],
    ),
    target("/fn/admin/supers", "/fn/admin/supers", As::Super, &[]),
];

/// One request's body: its fields, one of them replaced or dropped.
fn body(fields: &[(&str, &str)], field: Option<usize>, value: Option<&[u8]>) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, (name, valid)) in fields.iter().enumerate() {
        let value = if Some(i) == field {
            match value {
                Some(value) => value.to_vec(),
                None => continue,
            }
        } else {
            serde_urlencoded::to_string([("v", valid)])
                .expect("encode")
                .as_bytes()[2..]
                .to_vec()
        };
        if !out.is_empty() {
            out.push(b'&');
        }
        out.extend_from_slice(
            serde_urlencoded::to_string([(name, "")])
                .expect("encode")
                .as_bytes(),
        );
        out.extend_from_slice(&value);
    }
    out
}

struct Sessions {
    tenant_admin: String,
    root: String,
}

async fn send(app: &TestApp, sessions: &Sessions, t: &Target, bytes: Vec<u8>, kind: &str) -> Reply {
    let mut request = Request::post(t.path)
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, ORIGIN)
        .header(header::CONTENT_TYPE, kind);
    let session = match t.who {
        As::Nobody => None,
        As::TenantAdmin => Some(&sessions.tenant_admin),
        As::Super => Some(&sessions.root),
    };
    if let Some(session) = session {
        request = request.header(header::COOKIE, format!("tally_session={session}"));
    }
    app.send(request.body(Body::from(bytes)).expect("request"))
        .await
}

/// Whether the answer says no: a 4xx, or a form sent back with its refusal.
fn refused(reply: &Reply) -> bool {
    reply.status.is_client_error()
        || reply
            .location
            .as_deref()
            .is_some_and(|to| to.contains("refused") || to.contains("error"))
}

const FORM: &str = "application/x-www-form-urlencoded";

on_both_backends!(
    async fn bad_input_is_refused_clearly_and_saves_nothing(db: Db) {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
        tally_server::demo::load_scaled(&db, 7, today, 0.02)
            .await
            .expect("demo");
        let app = TestApp::new(db.clone());
        let password = tally_server::demo::DEMO_PASSWORD;
        let sessions = Sessions {
            tenant_admin: app.sign_in("admin@acme.test", password).await,
            root: app.sign_in("root@tally.test", password).await,
        };

        // Every form and server function of the router is in the list.
        let swept: BTreeSet<&str> = TARGETS.iter().map(|t| t.route).collect();
        let mut unswept: Vec<String> = leptos::server_fn::axum::server_fn_paths()
            .map(|(path, _)| path.to_string())
            .filter(|path| !swept.contains(path.as_str()))
            .collect();
        // The bulk upload is multipart; it has its own cases below.
        unswept.extend(
            router_routes()
                .into_iter()
                .filter(|route| route.post && !swept.contains(route.path.as_str()))
                .filter(|route| route.path != "/admin/tenants/{slug}/assignments")
                .map(|route| route.path),
        );
        assert!(
            unswept.is_empty(),
            "forms the sweep does not send: {unswept:?}"
        );

        let oversized = "x".repeat(100_000);
        let cases: [(&str, Option<&[u8]>); 5] = [
            ("missing", None),
            ("oversized", Some(oversized.as_bytes())),
            ("not UTF-8 (raw)", Some(b"\xff\xfe\xc3(")),
            ("not UTF-8 (escaped)", Some(b"%FF%FE%C3%28")),
            ("nonsense", Some(b"-1e999%00%0A%3Cscript%3E")),
        ];
        let over_limit = vec![b'a'; 3 * 1024 * 1024];
        let mut failures = Vec::new();
        let mut rows = everything(&db).await;
        for t in TARGETS {
            let mut requests: Vec<(String, Vec<u8>, &str)> = vec![
                ("an empty body".into(), Vec::new(), FORM),
                ("a body over the limit".into(), over_limit.clone(), FORM),
                (
                    "JSON".into(),
                    br#"{"email": 1}"#.to_vec(),
                    "application/json",
                ),
            ];
            for (i, (name, _)) in t.fields.iter().enumerate() {
                for (case, value) in &cases {
                    requests.push((
                        format!("{name} {case}"),
                        body(t.fields, Some(i), *value),
                        FORM,
                    ));
                }
            }
            for (what, bytes, kind) in requests {
                let reply = send(&app, &sessions, t, bytes, kind).await;
                let label = format!("{} ({:?}) with {what}: {}", t.path, t.who, reply.status);
                if reply.status.is_server_error() {
                    failures.push(format!("{label}: {}", reply.body));
                    continue;
                }
                // A form with fields reads its body; one without (sign out, the test alert) need not.
                if what == "a body over the limit"
                    && !t.fields.is_empty()
                    && reply.status != StatusCode::PAYLOAD_TOO_LARGE
                {
                    failures.push(format!("{label}: not 413"));
                }
                let after = everything(&db).await;
                if refused(&reply) && after != rows {
                    let changed: Vec<_> = after.iter().filter(|r| !rows.contains(r)).collect();
                    // A refused single assignment is kept as a one-row file, never applied, so
                    // its page can show the row and why.
                    let kept_for_its_page = t.route.ends_with("/assignments/one")
                        && reply
                            .location
                            .as_deref()
                            .is_some_and(|to| to.contains("upload="))
                        && changed.iter().all(|row| row.ends_with("|-"));
                    if !kept_for_its_page {
                        failures.push(format!("{label}: refused, yet changed {changed:?}"));
                    }
                }
                rows = after;
            }
        }

        // The bulk file: not UTF-8, oversized, over the limit, or not multipart at all.
        let bulk = |content: &[u8]| {
            let mut body = b"--sweep\r\nContent-Disposition: form-data; name=\"file\"; \
                filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\n"
                .to_vec();
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n--sweep--\r\n");
            body
        };
        let upload = Target {
            route: "/admin/tenants/{slug}/assignments",
            path: "/admin/tenants/umbrella/assignments",
            who: As::Super,
            fields: &[],
        };
        let multipart = "multipart/form-data; boundary=sweep";
        for (what, bytes, kind) in [
            (
                "not UTF-8",
                bulk(b"pool,assignee_id\r\n\xff\xfe,\xc3("),
                multipart,
            ),
            ("oversized", bulk(oversized.as_bytes()), multipart),
            ("over the limit", bulk(&over_limit), multipart),
            (
                "cut short",
                b"--sweep\r\nContent-Disposition: form-data; name=\"file\"".to_vec(),
                multipart,
            ),
            ("not multipart", b"file=a".to_vec(), FORM),
        ] {
            let reply = send(&app, &sessions, &upload, bytes, kind).await;
            if reply.status.is_server_error() {
                failures.push(format!(
                    "the bulk upload {what}: {}: {}",
                    reply.status, reply.body
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
);
