//! Driving the real router in-process, as a browser would.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use app::server::db::Db;
use app::server::state::{AppState, WebConfig};

pub struct TestApp {
    pub router: Router,
}

/// What came back: status, the redirect target, a new session cookie, and the body.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub location: Option<String>,
    pub session: Option<String>,
    pub body: String,
}

impl TestApp {
    pub fn new(db: Db) -> Self {
        Self::with_config(
            db,
            WebConfig {
                base_url: None,
                api_rate_limit: None,
            },
        )
    }

    pub fn with_config(db: Db, config: WebConfig) -> Self {
        let state = AppState::new(
            db,
            tally_server::router::leptos_options("127.0.0.1:3000".parse().expect("address")),
            config,
        );
        Self {
            router: tally_server::router::app(state),
        }
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("router answers");
        let (parts, body) = response.into_parts();
        let status = parts.status;
        let location = parts
            .headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let session = parts
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|c| {
                c.strip_prefix("tally_session=")
                    .map(|rest| rest.split(';').next().unwrap_or("").to_string())
            });
        drop(parts);
        let bytes = body.collect().await.expect("body").to_bytes();
        Reply {
            status,
            location,
            session,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str, session: Option<&str>) -> Reply {
        let mut request = Request::get(path).header(header::HOST, "127.0.0.1:3000");
        if let Some(session) = session {
            request = request.header(header::COOKIE, format!("tally_session={session}"));
        }
        self.send(request.body(Body::empty()).expect("request"))
            .await
    }

    pub async fn post_form(
        &self,
        path: &str,
        form: &[(&str, &str)],
        session: Option<&str>,
        origin: Option<&str>,
    ) -> Reply {
        let mut request = Request::post(path)
            .header(header::HOST, "127.0.0.1:3000")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json");
        if let Some(session) = session {
            request = request.header(header::COOKIE, format!("tally_session={session}"));
        }
        if let Some(origin) = origin {
            request = request.header(header::ORIGIN, origin);
        }
        let body = serde_urlencoded::to_string(form).expect("form");
        self.send(request.body(Body::from(body)).expect("request"))
            .await
    }

    /// Signs in and returns the session cookie's value.
    pub async fn sign_in(&self, email: &str, password: &str) -> String {
        let reply = self
            .post_form(
                "/login",
                &[("email", email), ("password", password)],
                None,
                Some("http://127.0.0.1:3000"),
            )
            .await;
        match reply.session {
            Some(session) => session,
            None => panic!(
                "sign-in of {email} refused: {:?} {:?}",
                reply.status, reply.location
            ),
        }
    }
}
