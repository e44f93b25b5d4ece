//! The language pages are answered in: the browser's `Accept-Language` before signing in, the
//! tenant's language after, the switch (kept with the administrator's account and in a
//! cookie), and dates, numbers and messages written the reader's way.

use crate::support;

use app::model::TenantId;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::json;
use tower::ServiceExt;

use app::model::{LicenseModel, Locale, TenantState};
use app::server::db::Db;
use app::server::service;
use support::api::event;
use support::fixtures::{self, PASSWORD};
use support::http::TestApp;

struct Page {
    status: StatusCode,
    location: Option<String>,
    cookies: Vec<String>,
    body: String,
}

/// A GET with the given cookies and `Accept-Language`.
async fn get(app: &TestApp, path: &str, cookie: Option<&str>, accept: Option<&str>) -> Page {
    let mut request = Request::get(path).header(header::HOST, "127.0.0.1:3000");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    if let Some(accept) = accept {
        request = request.header(header::ACCEPT_LANGUAGE, accept);
    }
    send(app, request.body(Body::empty()).expect("request")).await
}

async fn switch(app: &TestApp, locale: &str, next: &str, cookie: Option<&str>) -> Page {
    let mut request = Request::post("/language")
        .header(header::HOST, "127.0.0.1:3000")
        .header(header::ORIGIN, "http://127.0.0.1:3000")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let body = serde_urlencoded::to_string([("locale", locale), ("next", next)]).expect("form");
    send(app, request.body(Body::from(body)).expect("request")).await
}

async fn send(app: &TestApp, request: Request<Body>) -> Page {
    let response = app.router.clone().oneshot(request).await.expect("answer");
    let (parts, body) = response.into_parts();
    let cookies = parts
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|c| c.split(';').next().unwrap_or("").to_string())
        .collect();
    let location = parts
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let bytes = body.collect().await.expect("body").to_bytes();
    Page {
        status: parts.status,
        location,
        cookies,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

fn lang(body: &str) -> &str {
    body.split_once("<html lang=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map_or("", |(lang, _)| lang)
}

async fn tenant(db: &Db, slug: &str, locale: Locale) -> (String, TenantId) {
    let mut spec = fixtures::spec(slug, LicenseModel::UserBased, TenantState::Active);
    spec.locale = locale;
    spec.time_zone = "America/Sao_Paulo".into();
    let tenant = service::tenants::create(db, &spec, "test")
        .await
        .expect("tenant");
    service::accounts::create_administrator(
        db,
        &format!("admin@{slug}.test"),
        PASSWORD,
        Some(tenant),
    )
    .await
    .expect("admin");
    let session = TestApp::new(db.clone())
        .sign_in(&format!("admin@{slug}.test"), PASSWORD)
        .await;
    (format!("tally_session={session}"), tenant)
}

on_both_backends!(
    async fn before_signing_in_the_browser_language_is_used_and_the_switch_is_remembered(db: Db) {
        let app = TestApp::new(db.clone());
        let english = get(&app, "/login", None, None).await;
        assert_eq!(lang(&english.body), "en");
        assert!(english.body.contains("Sign in to Tally"));

        let portuguese = get(&app, "/login", None, Some("pt-BR,pt;q=0.9,en;q=0.5")).await;
        assert_eq!(portuguese.status, StatusCode::OK);
        assert_eq!(lang(&portuguese.body), "pt-BR");
        assert!(portuguese.body.contains("Entrar no Tally"));
        assert!(portuguese.body.contains(">Senha"));
        let refused = get(&app, "/login?error=invalid", None, Some("pt")).await;
        assert!(
            refused
                .body
                .contains("O e-mail ou a senha não estão corretos.")
        );

        // The switch on the sign-in page keeps the choice in a cookie, over the browser's.
        let switched = switch(&app, "en", "/login?next=%2Fsettings", None).await;
        assert_eq!(switched.status, StatusCode::SEE_OTHER);
        assert_eq!(
            switched.location.as_deref(),
            Some("/login?next=%2Fsettings")
        );
        assert_eq!(switched.cookies, vec!["tally_locale=en".to_string()]);
        let page = get(
            &app,
            "/login",
            Some(&switched.cookies.join("; ")),
            Some("pt-BR"),
        )
        .await;
        assert_eq!(lang(&page.body), "en");

        // Nothing else is accepted, and a switch never sends anyone off the site.
        let unknown = switch(&app, "xx", "/login", None).await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(unknown.cookies.is_empty());
        let away = switch(&app, "pt-BR", "//evil.test/", None).await;
        assert_eq!(away.location.as_deref(), Some("/"));
    }
);

on_both_backends!(
    async fn signed_in_pages_speak_the_tenants_language_until_the_administrator_switches(db: Db) {
        let app = TestApp::new(db.clone());
        let (nimbus, _) = tenant(&db, "nimbus", Locale::PtBr).await;
        let (acme, _) = tenant(&db, "acme", Locale::En).await;

        // The tenant's language, whatever the browser says.
        let page = get(&app, "/settings/subscription", Some(&nimbus), Some("en-US")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(lang(&page.body), "pt-BR");
        for text in [
            "Resumo do consumo de licenças",
            "Licenciamento por usuário",
            "Data de término",
            "31/12/2026",
            "Histórico de compra de licenças",
        ] {
            assert!(page.body.contains(text), "{text}");
        }
        let page = get(&app, "/settings/subscription", Some(&acme), Some("pt-BR")).await;
        assert_eq!(lang(&page.body), "en");
        assert!(page.body.contains("License Consumption Summary"));
        assert!(page.body.contains("12/31/2026"));

        // The switch is kept with the account: it holds in a browser that has no cookie.
        let switched = switch(&app, "en", "/settings/subscription", Some(&nimbus)).await;
        assert_eq!(switched.status, StatusCode::SEE_OTHER);
        assert_eq!(switched.location.as_deref(), Some("/settings/subscription"));
        let page = get(&app, "/settings/subscription", Some(&nimbus), Some("pt-BR")).await;
        assert_eq!(lang(&page.body), "en");
        assert!(page.body.contains("License Consumption Summary"));
        // Only theirs: the other tenant's administrator is as before.
        let page = get(&app, "/settings/subscription", Some(&acme), None).await;
        assert_eq!(lang(&page.body), "en");
        // And back.
        switch(&app, "pt-BR", "/settings/subscription", Some(&nimbus)).await;
        let page = get(&app, "/settings/subscription", Some(&nimbus), None).await;
        assert_eq!(lang(&page.body), "pt-BR");
    }
);

on_both_backends!(
    async fn history_cells_and_refusals_are_written_for_the_reader(db: Db) {
        let app = TestApp::new(db.clone());
        let (nimbus, tenant_id) = tenant(&db, "nimbus", Locale::PtBr).await;
        let (_, key) = service::api_keys::create(&db, tenant_id, "platform", "test")
            .await
            .expect("key");
        let mut assigned = event(
            "assign-1",
            "user.license_assigned",
            json!({"user_id": "u1", "user_name": "ana", "email": "ana@nimbus.test",
                   "first_name": "Ana", "last_name": "Silva", "role": "Agent"}),
        );
        assigned["occurred_at"] = json!("2026-11-02T15:05:00Z");
        let (status, body) = app.post_events(&key, &[assigned]).await;
        assert_eq!(status, StatusCode::OK, "{body}");

        let page = get(&app, "/settings/subscription/history", Some(&nimbus), None).await;
        assert_eq!(page.status, StatusCode::OK);
        for column in [
            "ID do usuário",
            "Nome de usuário",
            "Sobrenome",
            "Situação",
            "Criado em",
            "Conversas",
        ] {
            assert!(page.body.contains(&format!(">{column}</th>")), "{column}");
        }
        // 15:05 UTC is 12:05 in São Paulo; the status is a word of Tally's own.
        assert!(page.body.contains(">02/11/2026 12:05<"), "date");
        assert!(page.body.contains(">Ativo<"));
        assert!(page.body.contains("Página 1"));

        // The file keeps SPEC.md's English and ISO 8601 dates.
        let file = get(
            &app,
            "/settings/subscription/history.csv",
            Some(&nimbus),
            None,
        )
        .await;
        assert!(file.body.starts_with("User ID,User Name,Email,"));
        assert!(file.body.contains(",Active,2026-11-02T12:05:00-03:00,"));

        // A refused range is said in the reader's language.
        let refused = get(
            &app,
            "/settings/subscription/transactions.csv?from=2026-01-01&to=2026-04-01",
            Some(&nimbus),
            None,
        )
        .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            refused.body,
            "O período cobre 91 dias; escolha no máximo 90."
        );
    }
);
