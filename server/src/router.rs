//! The HTTP surface: `fn app(state) -> Router`, and `serve`, which runs it until SIGTERM.

use std::sync::OnceLock;

use axum::Router;
use axum::middleware;
use axum::routing::{get, post};
use leptos::prelude::*;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use tower_http::trace::TraceLayer;

use app::server::db::Db;
use app::server::mail::Mailer;
use app::server::service::delivery::Delivery;
use app::server::state::{AppState, WebConfig};
use app::{App, paths, shell};

use crate::config::ServeArgs;
use crate::http::{
    admin, alerts, api, assets, assignments, console, contacts, downloads, health, invite,
    request_id, security, session,
};

/// Leptos settings for a binary that carries its site inside: nothing is read from disk.
pub fn leptos_options(listen: std::net::SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("tally")
        .site_pkg_dir("pkg")
        .site_addr(listen)
        .env(leptos::config::Env::PROD)
        .build()
}

/// The pages' route list, generated once per process.
///
/// Generating it renders the whole app with resource loading switched off through a
/// process-global flag (`leptos::server::SuppressResourceLoad`): a resource first polled on any
/// other thread while that flag is up waits forever, and so does the page rendering it. Built
/// once, before any router exists, no page can ever render during a generation, however many
/// routers a process builds (every integration test builds one, in parallel).
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The paths of every page, as the route table spells them (`/admin/tenants/{slug}`), for the
/// tests that walk every route.
pub fn page_paths() -> Vec<String> {
    route_list()
        .iter()
        .map(|route| route.path().to_string())
        .collect()
}

/// Every route Tally answers.
pub fn app(state: AppState) -> Router {
    let routes = route_list();
    let context_state = state.clone();
    let options = state.leptos_options.clone();
    Router::new()
        .route("/", get(session::home))
        .route(paths::LOGIN, post(session::login))
        .route(paths::LOGOUT, post(session::logout))
        .route(paths::LANGUAGE, post(session::switch_language))
        .route(paths::HEALTHZ, get(health::healthz))
        .route(paths::METRICS, get(health::metrics))
        .route(paths::CONTACTS, post(contacts::save))
        .route(paths::TEST_ALERT, post(alerts::send_test))
        .route(paths::ADMIN_RESEND, post(admin::resend))
        .route(paths::ADMIN_AUDIT_CSV, get(admin::audit_csv))
        .route(paths::ADMIN_TENANTS, post(console::create_tenant))
        .route(paths::ADMIN_SUPERS, post(console::super_administrators))
        .route(paths::INVITE, post(invite::accept))
        .route("/admin/tenants/{slug}/state", post(console::change_state))
        .route("/admin/tenants/{slug}/contract", post(console::contract))
        .route(
            "/admin/tenants/{slug}/assignments",
            post(assignments::upload_bulk),
        )
        .route(
            "/admin/tenants/{slug}/assignments/apply",
            post(assignments::apply_bulk),
        )
        .route(
            "/admin/tenants/{slug}/assignments/one",
            post(assignments::assign_one),
        )
        .route(
            "/admin/tenants/{slug}/assignments/report.csv",
            get(assignments::bulk_report),
        )
        .route("/admin/tenants/{slug}/refill", post(console::refill))
        .route("/admin/tenants/{slug}/pool", post(console::set_pool))
        .route(
            "/admin/tenants/{slug}/admins",
            post(console::administrators),
        )
        .route("/admin/tenants/{slug}/keys", post(console::create_key))
        .route(
            "/admin/tenants/{slug}/keys/revoke",
            post(console::revoke_key),
        )
        .route(paths::HISTORY_CSV, get(downloads::history_csv))
        .route(paths::TRANSACTIONS_CSV, get(downloads::transactions_csv))
        .route(paths::PURCHASES_CSV, get(downloads::purchases_csv))
        .nest(paths::API, api::routes(&state.config))
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            move || shell(options.clone()),
        )
        .fallback(assets::serve)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            session::attach,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            session::same_origin,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        .layer(middleware::from_fn(health::count_requests))
        .layer(TraceLayer::new_for_http())
        .layer(middleware::from_fn(request_id::tag))
        .with_state(state)
}

/// `tally serve`: migrate, then serve until SIGTERM or Ctrl-C, letting requests in flight finish.
pub async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let db = Db::connect(&args.database.database_url).await?;
    db.migrate().await?;
    let state = AppState::new(
        db,
        leptos_options(args.listen),
        WebConfig {
            base_url: args.base_url.clone(),
            api_rate_limit: std::num::NonZeroU32::new(args.api_rate_limit),
        },
    );
    let mailer = match &args.smtp_url {
        Some(url) => {
            let ca = match &args.smtp_ca {
                Some(path) => Some(std::fs::read(path).map_err(|e| {
                    anyhow::anyhow!("cannot read the SMTP CA file {}: {e}", path.display())
                })?),
                None => None,
            };
            Some(Mailer::new(url, &args.smtp_from, ca.as_deref())?)
        }
        None => {
            tracing::warn!("no SMTP server configured (--smtp-url): alert emails stay queued");
            None
        }
    };
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    let base_url = args
        .base_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", args.listen));
    let db = state.db.clone();
    let mut delivery = Delivery::new(mailer, &base_url);
    delivery.lease_ms = i64::from(args.outbox_lease_secs) * 1000;
    let jobs = app::server::jobs::Jobs::start(&db, delivery);
    // Installed before Tally says it listens: a signal sent from then on always stops it
    // gracefully, never by the default action of a handler not yet in place.
    let stop = shutdown_signal()?;
    tracing::info!("Tally listening on http://{}", listener.local_addr()?);
    let served = axum::serve(listener, app(state))
        .with_graceful_shutdown(stop)
        .await;
    jobs.stop().await;
    if tokio::time::timeout(std::time::Duration::from_secs(10), db.close())
        .await
        .is_err()
    {
        tracing::warn!("database connections still in use after 10 s; exiting anyway");
    }
    served?;
    tracing::info!("stopped");
    Ok(())
}

/// SIGTERM or SIGINT (Ctrl-C), their handlers installed now, not when the future is first
/// polled: the server polls it only once it runs, and a signal that comes before would kill the
/// process outright.
fn shutdown_signal() -> std::io::Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut terminate = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = terminate.recv() => {},
            _ = interrupt.recv() => {},
        }
        tracing::info!("shutting down: finishing requests in flight");
    })
}
