//! Browser sessions at the HTTP edge: the sign-in and sign-out forms, the middleware that
//! attaches the signed-in administrator to each request and guards `/admin` and `/settings`,
//! and the same-origin check on state-changing requests.

use axum::Form;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;

use app::model::Locale;
use app::paths;
use app::server::AppState;
use app::server::auth::{self, Identity, Role, SESSION_COOKIE, SignInError};
use app::server::language;
use app::server::service::accounts;

pub(crate) fn session_cookie(state: &AppState, token: String) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config.secure_cookies())
        .max_age(time_from_ms(auth::SESSION_TTL_MS))
        .build()
}

fn time_from_ms(ms: i64) -> time::Duration {
    time::Duration::milliseconds(ms)
}

/// Where an administrator lands after signing in.
pub(crate) fn home_of(identity: &Identity) -> &'static str {
    if identity.is_super() {
        paths::ADMIN
    } else {
        paths::SUBSCRIPTION
    }
}

/// Only local paths may be a post-sign-in destination.
fn safe_next(next: &str) -> Option<&str> {
    (next.starts_with('/') && !next.starts_with("//") && !next.contains('\\')).then_some(next)
}

fn login_url(params: &[(&str, &str)]) -> String {
    let query = serde_urlencoded::to_string(params).unwrap_or_default();
    if query.is_empty() {
        paths::LOGIN.into()
    } else {
        format!("{}?{query}", paths::LOGIN)
    }
}

/// `/`: the signed-in administrator's home, or the sign-in page.
pub async fn home(identity: Option<axum::Extension<Identity>>) -> Redirect {
    match identity {
        Some(axum::Extension(identity)) => Redirect::to(home_of(&identity)),
        None => Redirect::to(paths::LOGIN),
    }
}

#[derive(Debug, Deserialize)]
pub struct SignInForm {
    email: String,
    password: String,
    #[serde(default)]
    next: String,
}

/// `POST /login`: a fresh session (and cookie) on success; otherwise back to the form with the
/// reason. A wrong password and an unknown email get the same answer.
pub async fn login(
    State(state): State<AppState>,
    jar: CookieJar,
    Form(form): Form<SignInForm>,
) -> Response {
    let next = safe_next(&form.next).unwrap_or("");
    match auth::sign_in(&state.db, &form.email, &form.password).await {
        Ok(token) => {
            // The old session, if any, ends: the id is renewed at every sign-in.
            if let Some(old) = jar.get(SESSION_COOKIE) {
                let _ = auth::sign_out(&state.db, old.value()).await;
            }
            let identity = auth::identify(&state.db, &token).await.ok().flatten();
            let target = match (&identity, next) {
                (Some(identity), "") => home_of(identity).to_string(),
                (_, next) => next.to_string(),
            };
            (
                jar.add(session_cookie(&state, token)),
                Redirect::to(&target),
            )
                .into_response()
        }
        Err(error) => {
            let wait;
            let params: Vec<(&str, &str)> = match &error {
                SignInError::Invalid => vec![("error", "invalid")],
                SignInError::Throttled { minutes } => {
                    wait = minutes.to_string();
                    vec![("error", "throttled"), ("wait", &wait)]
                }
                SignInError::TenantClosed(tenant_state) => vec![("error", tenant_state.as_str())],
                SignInError::Internal(e) => return e.clone().into_response(),
            };
            let mut params = params;
            if !next.is_empty() {
                params.push(("next", next));
            }
            Redirect::to(&login_url(&params)).into_response()
        }
    }
}

/// `POST /logout`: ends the session and clears the cookie.
pub async fn logout(State(state): State<AppState>, jar: CookieJar) -> Response {
    if let Some(cookie) = jar.get(SESSION_COOKIE)
        && let Err(error) = auth::sign_out(&state.db, cookie.value()).await
    {
        return error.into_response();
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    (jar, Redirect::to(&format!("{}?signed_out=1", paths::LOGIN))).into_response()
}

/// Attaches the signed-in administrator to the request and guards the protected areas:
/// `/admin` for super administrators, `/settings` for tenant administrators. A tenant
/// administrator whose tenant was suspended or canceled since signing in is signed out.
pub async fn attach(
    State(state): State<AppState>,
    jar: CookieJar,
    mut request: Request,
    next: Next,
) -> Response {
    let token = jar.get(SESSION_COOKIE).map(|c| c.value().to_string());
    let mut identity = match &token {
        Some(token) => match auth::identify(&state.db, token).await {
            Ok(identity) => identity,
            Err(error) => return error.into_response(),
        },
        None => None,
    };
    if let (
        Some(Identity {
            role:
                Role::Tenant {
                    state: tenant_state,
                    ..
                },
            ..
        }),
        Some(token),
    ) = (&identity, &token)
        && !tenant_state.may_sign_in()
    {
        let code = tenant_state.as_str();
        let _ = auth::sign_out(&state.db, token).await;
        identity = None;
        if is_page(request.uri().path()) {
            let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
            return (jar, Redirect::to(&login_url(&[("error", code)]))).into_response();
        }
    }
    let path = request.uri().path().to_string();
    let needs = if paths::is_within(&path, paths::ADMIN) {
        Some(true)
    } else if paths::is_within(&path, paths::SETTINGS)
        || paths::is_within(&path, paths::CONVERSATIONS)
    {
        Some(false)
    } else {
        None
    };
    if let Some(needs_super) = needs {
        match &identity {
            None => {
                let target = request
                    .uri()
                    .path_and_query()
                    .map_or(path.as_str(), |pq| pq.as_str())
                    .to_string();
                return Redirect::to(&login_url(&[("next", &target)])).into_response();
            }
            Some(identity) if identity.is_super() != needs_super => {
                return forbidden(home_of(identity));
            }
            Some(_) => {}
        }
    }
    let locale = language::resolve(language::Preferences {
        chosen: identity.as_ref().and_then(|i| i.locale),
        cookie: jar.get(language::LOCALE_COOKIE).map(|c| c.value()),
        tenant: identity.as_ref().and_then(|i| i.tenant_locale),
        accept_language: request
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    });
    request.extensions_mut().insert(locale);
    if let Some(identity) = identity {
        request.extensions_mut().insert(identity);
    }
    next.run(request).await
}

#[derive(Debug, Deserialize)]
pub struct LanguageForm {
    locale: String,
    #[serde(default)]
    next: String,
}

/// `POST /language`: the language switch. A signed-in administrator's choice is kept with their
/// account; before signing in it is kept in a cookie. Back to the page it was made on.
pub async fn switch_language(
    State(state): State<AppState>,
    identity: Option<axum::Extension<Identity>>,
    jar: CookieJar,
    Form(form): Form<LanguageForm>,
) -> Response {
    let Ok(locale) = form.locale.parse::<Locale>() else {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("Unknown language `{}`.", form.locale),
        )
            .into_response();
    };
    if let Some(axum::Extension(identity)) = identity
        && let Err(error) = accounts::set_locale(&state.db, &identity, locale).await
    {
        return error.into_response();
    }
    let cookie = Cookie::build((language::LOCALE_COOKIE, locale.as_str()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config.secure_cookies())
        .max_age(time::Duration::days(365))
        .build();
    let target = safe_next(&form.next).unwrap_or("/");
    (jar.add(cookie), Redirect::to(target)).into_response()
}

fn is_page(path: &str) -> bool {
    !path.starts_with("/fn/") && !path.starts_with("/api/") && !path.starts_with("/pkg/")
}

fn forbidden(home: &str) -> Response {
    let body = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not allowed · Tally</title>\
         <link rel=\"stylesheet\" href=\"/pkg/tally.css\"></head><body><main class=\"page narrow\">\
         <h1>Not allowed</h1><p>Your account cannot open this page.</p><p><a href=\"{home}\">Go to your home page</a></p>\
         </main></body></html>"
    );
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

/// Refuses state-changing browser requests that come from another origin. Requests with a
/// bearer token (the usage API) carry no ambient credentials and pass.
pub async fn same_origin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if safe
        || request.uri().path().starts_with("/api/")
        || cross_origin(request.headers(), state.config.base_url.as_deref()).is_none()
    {
        return next.run(request).await;
    }
    (StatusCode::FORBIDDEN, "cross-origin request refused").into_response()
}

/// `Some(reason)` when the request's Origin (or Sec-Fetch-Site) shows another site.
fn cross_origin(headers: &HeaderMap, base_url: Option<&str>) -> Option<&'static str> {
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(origin) = text(header::ORIGIN) {
        let origin_host = origin.split_once("://").map_or(origin, |(_, host)| host);
        let host_matches =
            text(header::HOST).is_some_and(|host| host.eq_ignore_ascii_case(origin_host));
        let base_matches =
            base_url.is_some_and(|base| base.trim_end_matches('/').eq_ignore_ascii_case(origin));
        return (!host_matches && !base_matches).then_some("origin");
    }
    match headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        Some("cross-site" | "same-site") => Some("sec-fetch-site"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().expect("header value"));
        }
        map
    }

    #[test]
    fn origin_must_match_host_or_base_url() {
        let same = headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://127.0.0.1:3000"),
        ]);
        assert_eq!(cross_origin(&same, None), None);
        let other = headers(&[("host", "127.0.0.1:3000"), ("origin", "https://evil.test")]);
        assert_eq!(cross_origin(&other, None), Some("origin"));
        let proxied = headers(&[
            ("host", "internal:3000"),
            ("origin", "https://tally.example.com"),
        ]);
        assert_eq!(
            cross_origin(&proxied, Some("https://tally.example.com/")),
            None
        );
        let fetch = headers(&[("sec-fetch-site", "cross-site")]);
        assert_eq!(cross_origin(&fetch, None), Some("sec-fetch-site"));
        assert_eq!(cross_origin(&headers(&[]), None), None);
    }

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(
            safe_next("/settings/subscription"),
            Some("/settings/subscription")
        );
        assert_eq!(safe_next("//evil.test"), None);
        assert_eq!(safe_next("https://evil.test"), None);
        assert_eq!(safe_next("/\\evil.test"), None);
    }
}
