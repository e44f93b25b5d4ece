//! Tenant isolation, swept over every route. Signed in as tenant A's administrator, or holding
//! A's API key, every page, server function, download, form and API operation is asked with
//! tenant B's ids in its parameters (B's slug, people, sessions, conversations, events, pools,
//! alerts, emails, keys, administrators), for every ordered pair of the demo's four tenants, on
//! SQLite and on Postgres. No answer is a 5xx, none holds anything of B, the console refuses A,
//! and B's data is unchanged afterwards.
//!
//! The sweep fails when the router gains a route it does not ask: its list is checked against
//! the router's own source, the page table, the server functions' registry and the OpenAPI
//! document.

use crate::support;

use std::collections::{BTreeMap, BTreeSet};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};

use app::paths;
use app::server::db::Db;
use support::fingerprint::{fingerprint, texts};
use support::http::{Reply, TestApp};
use support::routes::router_routes;

const ORIGIN: Option<&str> = Some("http://127.0.0.1:3000");
const SLUGS: [&str; 4] = ["acme", "globex", "initech", "umbrella"];

/// What a tenant holds, read from the database: the ids a request could name, and the words that
/// would show its data in an answer.
struct Tenant {
    id: i64,
    slug: String,
    /// Ids by kind: `users`, `sessions`, `conversations`, `events`, `pools`, `assignees`,
    /// `alerts`, `outbox`, `keys`, `administrators`, `uploads`; each with at least one entry
    /// (a made-up one where the tenant has none of that kind: `0` for numbers).
    ids: BTreeMap<&'static str, Vec<String>>,
    /// Its name, slug, emails and people's names.
    words: BTreeSet<String>,
    /// Its administrator's session cookie, and its platform's API key.
    session: String,
    key: String,
}

impl Tenant {
    fn id(&self, kind: &str) -> &str {
        &self.ids[kind][0]
    }
}

/// The demo's tenants with their ids and words, each administrator signed in.
async fn tenants(db: &Db, app: &TestApp) -> Vec<Tenant> {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
    let told = tally_server::demo::load_scaled(db, 7, today, 0.02)
        .await
        .expect("demo");
    let keys: BTreeMap<String, String> = told
        .split("API keys (shown once):")
        .nth(1)
        .expect("keys")
        .lines()
        .filter_map(|line| line.split_once(char::is_whitespace).map(|_| line.trim()))
        .filter_map(|line| line.split_once(' '))
        .map(|(slug, key)| (slug.to_string(), key.trim().to_string()))
        .collect();
    let mut found = Vec::new();
    for slug in SLUGS {
        let id = app::server::service::tenants::by_slug(db, slug)
            .await
            .expect("demo tenant")
            .0;
        let of = |sql: &'static str| texts(db, sql, id);
        let mut ids = BTreeMap::new();
        for (kind, sql) in [
            (
                "users",
                "select distinct user_id from user_licenses where tenant_id = $1 union \
                 select distinct user_id from conversations where tenant_id = $1 \
                 and user_id is not null",
            ),
            (
                "sessions",
                "select session_id from usage_sessions where tenant_id = $1",
            ),
            (
                "conversations",
                "select conversation_id from conversations where tenant_id = $1",
            ),
            (
                "events",
                "select event_id from usage_events where tenant_id = $1",
            ),
            ("pools", "select pool_key from pools where tenant_id = $1"),
            (
                "assignees",
                "select assignee_id from pool_assignments where tenant_id = $1",
            ),
            (
                "alerts",
                "select cast(id as text) from alerts where tenant_id = $1",
            ),
            (
                "outbox",
                "select cast(id as text) from outbox where tenant_id = $1",
            ),
            (
                "keys",
                "select cast(id as text) from api_keys where tenant_id = $1",
            ),
            (
                "administrators",
                "select cast(id as text) from administrators where tenant_id = $1",
            ),
            (
                "uploads",
                "select cast(id as text) from bulk_uploads where tenant_id = $1",
            ),
        ] {
            let mut list = of(sql).await;
            list.sort();
            if list.is_empty() {
                // Ids that are numbers stay numbers, so the request reaches the handler.
                let numeric = ["alerts", "outbox", "keys", "administrators", "uploads"];
                list.push(if numeric.contains(&kind) {
                    "0".to_string()
                } else {
                    format!("{slug}-none-{kind}")
                });
            }
            ids.insert(kind, list);
        }
        let mut words: BTreeSet<String> = BTreeSet::from([slug.to_string()]);
        for sql in [
            "select name from tenants where id = $1",
            "select email from contacts where tenant_id = $1",
            "select email from administrators where tenant_id = $1",
            "select user_name from user_licenses where tenant_id = $1",
            "select user_name from usage_sessions where tenant_id = $1",
            "select user_name from conversations where tenant_id = $1",
            "select user_name from transactions where tenant_id = $1",
            "select assignee_name from pool_assignments where tenant_id = $1",
        ] {
            words.extend(of(sql).await);
        }
        for kind in ["users", "sessions", "conversations", "events", "assignees"] {
            words.extend(ids[kind].iter().cloned());
        }
        words.retain(|word| word.len() >= 4);
        found.push(Tenant {
            id,
            slug: slug.to_string(),
            ids,
            words,
            session: app
                .sign_in(
                    &format!("admin@{slug}.test"),
                    tally_server::demo::DEMO_PASSWORD,
                )
                .await,
            key: keys[slug].clone(),
        });
    }
    found
}

/// How a probe is sent.
enum Send {
    Get,
    Form(Vec<(String, String)>),
    Multipart(String),
    Json(Value),
}

/// One request of the sweep: the route it stands for (as the router spells it), the request, and
/// whether only a super administrator may have it (then A is refused).
struct Probe {
    route: String,
    path: String,
    send: Send,
    /// With A's API key rather than A's administrator's session.
    with_key: bool,
    console: bool,
    /// B's values the request carries: an answer may repeat what it was asked.
    asked: Vec<String>,
}

fn probe(route: &str, path: String, send: Send) -> Probe {
    Probe {
        route: route.to_string(),
        path,
        send,
        with_key: false,
        console: false,
        asked: Vec::new(),
    }
}

impl Probe {
    fn console(mut self) -> Self {
        self.console = true;
        self
    }

    fn keyed(mut self) -> Self {
        self.with_key = true;
        self
    }
}

fn form(fields: &[(&str, &str)]) -> Send {
    Send::Form(
        fields
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect(),
    )
}

fn encoded(value: &str) -> String {
    serde_urlencoded::to_string([("v", value)]).expect("encode")[2..].to_string()
}

/// Every request the sweep sends as A, with B's ids.
fn probes(b: &Tenant) -> Vec<Probe> {
    let slug = b.slug.as_str();
    let user = b.id("users");
    let session = b.id("sessions");
    let conversation = b.id("conversations");
    let pool = b.id("pools");
    let alert = b.id("alerts");
    let admin_email = format!("admin@{slug}.test");
    let tenant_page = |rest: &str| format!("/admin/tenants/{slug}{rest}");
    let q = |value: &str| encoded(value);
    let contract = [
        ("license_model", "transaction_based"),
        ("contract_start", "2026-01-01"),
        ("contract_end", "2030-01-01"),
        ("session_minutes", ""),
        ("thresholds", "50"),
        ("contract_notice_days", "1"),
        ("auto_refill", "on"),
        ("auto_refill_amount", "5"),
        ("auto_refill_percent", "90"),
        ("auto_refill_max_per_month", "3"),
        ("reason", "isolation sweep"),
    ];
    let bulk = format!(
        "--sweep\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\
         Content-Type: text/csv\r\n\r\npool,assignee_id,assignee_name,action\r\n\
         {pool},{user},Someone,assign\r\n--sweep--\r\n"
    );
    let one_event = |event: Value| {
        let mut event = event;
        event["occurred_at"] = json!("2026-11-20T10:00:00Z");
        Send::Json(json!({ "events": [event] }))
    };
    let mut list = vec![
        // Pages.
        probe("/", "/".into(), Send::Get),
        probe(
            paths::SUBSCRIPTION,
            format!("{}?view_as={slug}&tenant={slug}", paths::SUBSCRIPTION),
            Send::Get,
        ),
        probe(
            paths::HISTORY,
            format!("{}?q={}", paths::HISTORY, q(user)),
            Send::Get,
        ),
        probe(
            paths::HISTORY,
            format!("{}?q={}&tenant={slug}", paths::HISTORY, q(&admin_email)),
            Send::Get,
        ),
        probe(
            paths::ALERTS,
            format!("{}?before={}&view_as={slug}", paths::ALERTS, q(alert)),
            Send::Get,
        ),
        probe(
            paths::DOWNLOAD,
            format!(
                "{}?report=transactions&from=2020-01-01&to=2030-01-01&tenant={slug}",
                paths::DOWNLOAD
            ),
            Send::Get,
        ),
        probe(
            paths::CONVERSATIONS,
            format!(
                "{}?user={}&session={}&open={}",
                paths::CONVERSATIONS,
                q(user),
                q(session),
                q(conversation)
            ),
            Send::Get,
        ),
        probe(paths::LOGIN, paths::LOGIN.into(), Send::Get),
        probe(paths::LOGOUT, paths::LOGOUT.into(), Send::Get),
        probe(
            paths::INVITE,
            format!("{}?token=sweep-{slug}", paths::INVITE),
            Send::Get,
        ),
        probe(paths::ADMIN, format!("/admin?q={slug}"), Send::Get).console(),
        probe(
            paths::ADMIN_ALERTS,
            format!("{}?tenant={slug}", paths::ADMIN_ALERTS),
            Send::Get,
        )
        .console(),
        probe(
            paths::ADMIN_AUDIT,
            format!("{}?tenant={slug}", paths::ADMIN_AUDIT),
            Send::Get,
        )
        .console(),
        probe(paths::ADMIN_SUPERS, paths::ADMIN_SUPERS.into(), Send::Get).console(),
        probe("/admin/tenants/{slug}", tenant_page(""), Send::Get).console(),
        probe(
            "/admin/tenants/{slug}/view",
            tenant_page("/view"),
            Send::Get,
        )
        .console(),
        probe(
            "/admin/tenants/{slug}/view/history",
            tenant_page(&format!("/view/history?q={}", q(user))),
            Send::Get,
        )
        .console(),
        probe(
            "/admin/tenants/{slug}/assignments",
            tenant_page(&format!("/assignments?upload={}", b.id("uploads"))),
            Send::Get,
        )
        .console(),
        // Downloads.
        probe(
            paths::HISTORY_CSV,
            format!(
                "{}?q={}&view_as={slug}&tenant={slug}",
                paths::HISTORY_CSV,
                q(user)
            ),
            Send::Get,
        ),
        probe(
            paths::TRANSACTIONS_CSV,
            format!(
                "{}?from=2020-01-01&to=2030-01-01&view_as={slug}",
                paths::TRANSACTIONS_CSV
            ),
            Send::Get,
        ),
        probe(
            paths::PURCHASES_CSV,
            format!(
                "{}?from=2020-01-01&to=2030-01-01&tenant={slug}",
                paths::PURCHASES_CSV
            ),
            Send::Get,
        ),
        probe(
            paths::ADMIN_AUDIT_CSV,
            format!("{}?tenant={slug}", paths::ADMIN_AUDIT_CSV),
            Send::Get,
        )
        .console(),
        probe(
            "/admin/tenants/{slug}/assignments/report.csv",
            tenant_page(&format!(
                "/assignments/report.csv?upload={}",
                b.id("uploads")
            )),
            Send::Get,
        )
        .console(),
        // Forms.
        probe(
            paths::LOGIN,
            paths::LOGIN.into(),
            form(&[("email", &admin_email), ("password", "not the password")]),
        ),
        probe(
            paths::LANGUAGE,
            paths::LANGUAGE.into(),
            form(&[("language", "pt-BR"), ("tenant", slug)]),
        ),
        probe(
            paths::CONTACTS,
            paths::CONTACTS.into(),
            form(&[
                ("technical", "sweep@tenant-a.test"),
                ("billing", "sweep@tenant-a.test"),
                ("tenant", slug),
                ("tenant_id", &b.id.to_string()),
            ]),
        ),
        probe(
            paths::TEST_ALERT,
            paths::TEST_ALERT.into(),
            form(&[("tenant", slug), ("tenant_id", &b.id.to_string())]),
        ),
        probe(
            paths::INVITE,
            paths::INVITE.into(),
            form(&[
                ("token", &format!("sweep-{slug}")),
                ("password", "a long enough password"),
                ("confirm", "a long enough password"),
            ]),
        ),
        probe(
            paths::ADMIN_RESEND,
            paths::ADMIN_RESEND.into(),
            form(&[("email", b.id("outbox"))]),
        )
        .console(),
        probe(
            paths::ADMIN_TENANTS,
            paths::ADMIN_TENANTS.into(),
            form(&[
                ("name", "Sweep"),
                ("slug", &format!("{slug}-sweep")),
                ("time_zone", "UTC"),
                ("locale", "en"),
                ("license_model", "user_based"),
                ("contract_start", "2026-01-01"),
                ("contract_end", "2027-01-01"),
                ("session_minutes", ""),
                ("licenses", "10"),
                ("administrator", &admin_email),
                ("reason", "isolation sweep"),
            ]),
        )
        .console(),
        probe(
            paths::ADMIN_SUPERS,
            paths::ADMIN_SUPERS.into(),
            form(&[
                ("do", "invite"),
                ("email", "sweep@tally.test"),
                ("reason", "isolation sweep"),
            ]),
        )
        .console(),
        probe(
            "/admin/tenants/{slug}/state",
            tenant_page("/state"),
            form(&[("state", "suspended"), ("reason", "isolation sweep")]),
        )
        .console(),
        probe(
            "/admin/tenants/{slug}/contract",
            tenant_page("/contract"),
            form(&contract),
        )
        .console(),
        probe(
            "/admin/tenants/{slug}/assignments",
            tenant_page("/assignments"),
            Send::Multipart(bulk),
        )
        .console(),
        probe(
            "/admin/tenants/{slug}/assignments/apply",
            tenant_page("/assignments/apply"),
            form(&[("upload", b.id("uploads")), ("reason", "isolation sweep")]),
        )
        .console(),
        probe(
            "/admin/tenants/{slug}/assignments/one",
            tenant_page("/assignments/one"),
            form(&[
                ("pool", pool),
                ("assignee_id", b.id("assignees")),
                ("assignee_name", "Someone"),
                ("action", "release"),
                ("reason", "isolation sweep"),
            ]),
        )
        .console(),
        probe(
            "/admin/tenants/{slug}/refill",
            tenant_page("/refill"),
            form(&[("pool", pool), ("delta", "1000"), ("note", "sweep")]),
        )
        .console(),
        probe(
            "/admin/tenants/{slug}/pool",
            tenant_page("/pool"),
            form(&[
                ("pool", pool),
                ("enforcement", "soft"),
                ("reason", "isolation sweep"),
            ]),
        )
        .console(),
        probe(
            "/admin/tenants/{slug}/admins",
            tenant_page("/admins"),
            form(&[
                ("do", "disable"),
                ("administrator", b.id("administrators")),
                ("reason", "isolation sweep"),
            ]),
        )
        .console(),
        probe(
            "/admin/tenants/{slug}/keys",
            tenant_page("/keys"),
            form(&[("name", "sweep"), ("reason", "isolation sweep")]),
        )
        .console(),
        probe(
            "/admin/tenants/{slug}/keys/revoke",
            tenant_page("/keys/revoke"),
            form(&[("key", b.id("keys")), ("reason", "isolation sweep")]),
        )
        .console(),
        // Server functions.
        probe(
            "/fn/subscription/overview",
            "/fn/subscription/overview".into(),
            form(&[("view_as", slug)]),
        ),
        probe(
            "/fn/subscription/history",
            "/fn/subscription/history".into(),
            form(&[("query[q]", user), ("view_as", slug)]),
        ),
        probe(
            "/fn/subscription/history",
            "/fn/subscription/history".into(),
            form(&[("query[q]", user)]),
        ),
        probe(
            "/fn/conversations",
            "/fn/conversations".into(),
            form(&[("user", user), ("session", session), ("open", conversation)]),
        ),
        probe(
            "/fn/subscription/today",
            "/fn/subscription/today".into(),
            form(&[("tenant", slug)]),
        ),
        probe(
            "/fn/subscription/alerts",
            "/fn/subscription/alerts".into(),
            form(&[("before", alert), ("limit", "100")]),
        ),
        probe(
            "/fn/subscription/alerts",
            "/fn/subscription/alerts".into(),
            form(&[("before", "9223372036854775807"), ("limit", "100")]),
        ),
        probe("/fn/viewer", "/fn/viewer".into(), form(&[("tenant", slug)])),
        probe(
            "/fn/invitation",
            "/fn/invitation".into(),
            form(&[("token", &format!("sweep-{slug}"))]),
        ),
        probe(
            "/fn/admin/tenants",
            "/fn/admin/tenants".into(),
            form(&[("query[q]", slug)]),
        )
        .console(),
        probe(
            "/fn/admin/alerts",
            "/fn/admin/alerts".into(),
            form(&[("query[tenant]", slug)]),
        )
        .console(),
        probe(
            "/fn/admin/tenant",
            "/fn/admin/tenant".into(),
            form(&[("slug", slug)]),
        )
        .console(),
        probe(
            "/fn/admin/audit",
            "/fn/admin/audit".into(),
            form(&[("query[tenant]", slug)]),
        )
        .console(),
        probe(
            "/fn/admin/bulk",
            "/fn/admin/bulk".into(),
            form(&[("slug", slug), ("upload", b.id("uploads"))]),
        )
        .console(),
        probe("/fn/admin/supers", "/fn/admin/supers".into(), form(&[])).console(),
        // The usage API, with A's key.
        probe(
            "/api/v1/entitlements",
            format!("/api/v1/entitlements?tenant={slug}"),
            Send::Get,
        )
        .keyed(),
        probe(
            "/api/v1/entitlements/{pool}/check",
            format!("/api/v1/entitlements/{}/check", q(pool)),
            Send::Get,
        )
        .keyed(),
        probe(
            "/api/v1/openapi.json",
            "/api/v1/openapi.json".into(),
            Send::Get,
        )
        .keyed(),
        // An event id of B's is new to A: not a duplicate, nothing of B's in the answer.
        probe(
            "/api/v1/events",
            "/api/v1/events".into(),
            one_event(json!({
                "id": b.id("events"), "type": "workflow.executed", "bot_name": "Sweep",
                "workflow_name": "Sweep", "environment": "production"
            })),
        )
        .keyed(),
        probe(
            "/api/v1/events",
            "/api/v1/events".into(),
            one_event(json!({
                "id": format!("sweep-{slug}-1"), "type": "user.license_released",
                "user_id": user
            })),
        )
        .keyed(),
        probe(
            "/api/v1/events",
            "/api/v1/events".into(),
            one_event(json!({
                "id": format!("sweep-{slug}-2"), "type": "session.ended",
                "session_id": session
            })),
        )
        .keyed(),
        probe(
            "/api/v1/events",
            "/api/v1/events".into(),
            one_event(json!({
                "id": format!("sweep-{slug}-3"), "type": "license.released",
                "pool": pool, "assignee_id": b.id("assignees")
            })),
        )
        .keyed(),
    ];
    for probe in &mut list {
        probe.asked = b
            .ids
            .values()
            .flatten()
            .chain([&b.slug, &admin_email])
            .filter(|id| probe.path.contains(id.as_str()) || probe.carries(id))
            .cloned()
            .collect();
    }
    list
}

impl Probe {
    fn carries(&self, value: &str) -> bool {
        match &self.send {
            Send::Get => false,
            Send::Form(fields) => fields.iter().any(|(_, v)| v.contains(value)),
            Send::Multipart(body) => body.contains(value),
            Send::Json(body) => body.to_string().contains(value),
        }
    }
}

async fn send(app: &TestApp, a: &Tenant, probe: &Probe) -> Reply {
    let session = (!probe.with_key).then_some(a.session.as_str());
    match &probe.send {
        Send::Form(fields) => {
            let fields: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            app.post_form(&probe.path, &fields, session, ORIGIN).await
        }
        Send::Get if session.is_some() => app.get(&probe.path, session).await,
        _ => {
            let method = if matches!(probe.send, Send::Get) {
                "GET"
            } else {
                "POST"
            };
            let mut request = Request::builder()
                .method(method)
                .uri(&probe.path)
                .header(header::HOST, "127.0.0.1:3000")
                .header(header::ORIGIN, ORIGIN.expect("origin"));
            if probe.with_key {
                request = request.header(header::AUTHORIZATION, format!("Bearer {}", a.key));
            } else {
                request = request.header(header::COOKIE, format!("tally_session={}", a.session));
            }
            let body = match &probe.send {
                Send::Multipart(body) => {
                    request =
                        request.header(header::CONTENT_TYPE, "multipart/form-data; boundary=sweep");
                    Body::from(body.clone())
                }
                Send::Json(body) => {
                    request = request.header(header::CONTENT_TYPE, "application/json");
                    Body::from(body.to_string())
                }
                _ => Body::empty(),
            };
            app.send(request.body(body).expect("request")).await
        }
    }
}

/// What of B's `words` (those A does not share) is in `answer` as a word of its own, once what
/// the request itself asked is taken out.
fn leaked(answer: &str, probe: &Probe, a: &Tenant, b: &Tenant) -> Vec<String> {
    let mut text = answer.to_string();
    let mut asked = probe.asked.clone();
    asked.sort_by_key(|value| std::cmp::Reverse(value.len()));
    for value in &asked {
        for spelling in [value.clone(), encoded(value), value.replace('@', "%40")] {
            text = text.replace(&spelling, "");
        }
    }
    b.words
        .difference(&a.words)
        .filter(|word| holds_word(&text, word))
        .cloned()
        .collect()
}

/// Whether `word` is in `text` with no letter or digit right before or after it ("acme" is not
/// in "placement").
fn holds_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Every route Tally answers, from the router's source, the page table, the server functions'
/// registry and the OpenAPI document.
async fn every_route(app: &TestApp) -> BTreeSet<String> {
    let mut routes: BTreeSet<String> = router_routes().into_iter().map(|r| r.path).collect();
    routes.extend(tally_server::router::page_paths());
    routes.extend(leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path.to_string()));
    let document: Value =
        serde_json::from_str(&app.get("/api/v1/openapi.json", None).await.body).expect("OpenAPI");
    for path in document["paths"].as_object().expect("paths").keys() {
        assert!(path.starts_with(paths::API), "{path}");
        routes.insert(path.clone());
    }
    routes
}

on_both_backends!(
    async fn no_route_gives_one_tenant_anything_of_another(db: Db) {
        let app = TestApp::new(db.clone());
        let tenants = tenants(&db, &app).await;
        let sample = probes(&tenants[0]);
        let asked: BTreeSet<String> = sample.iter().map(|p| p.route.clone()).collect();
        // Health and metrics carry no tenant's data and take no parameters.
        let unasked: Vec<_> = every_route(&app)
            .await
            .into_iter()
            .filter(|route| !asked.contains(route))
            .filter(|route| route != paths::HEALTHZ && route != paths::METRICS)
            .collect();
        assert!(
            unasked.is_empty(),
            "routes the sweep does not ask: {unasked:?}"
        );

        let mut failures = Vec::new();
        for a in &tenants {
            for b in tenants.iter().filter(|b| b.id != a.id) {
                let before = fingerprint(&db, b.id).await;
                for probe in probes(b) {
                    let reply = send(&app, a, &probe).await;
                    let what = format!(
                        "{} as {} asking {}: {}",
                        probe.path, a.slug, b.slug, reply.status
                    );
                    if reply.status.is_server_error() {
                        failures.push(format!("{what}: a server error: {}", reply.body));
                    }
                    if probe.console
                        && !matches!(
                            reply.status,
                            StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED
                        )
                    {
                        failures.push(format!("{what}: the console let a tenant in"));
                    }
                    let leaked = leaked(&reply.body, &probe, a, b);
                    if !leaked.is_empty() {
                        failures.push(format!("{what}: shows {leaked:?}"));
                    }
                    if probe.route == "/api/v1/events"
                        && reply.body.contains(r#""status":"duplicate""#)
                    {
                        failures.push(format!("{what}: B's event id is known: {}", reply.body));
                    }
                }
                let after = fingerprint(&db, b.id).await;
                if before != after {
                    let changed: Vec<_> = after.iter().filter(|r| !before.contains(r)).collect();
                    failures.push(format!("{} changed {}'s data: {changed:?}", a.slug, b.slug));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
);
