//! The HTTP surface: `fn app(state) -> Router`, and `serve`, which runs it until SIGTERM.

use std::sync::Arc;

use axum::Router;
use axum::middleware;
use axum::routing::{get, post};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::trace::TraceLayer;

use app::server::db::Db;
use app::server::state::{AppState, WebConfig};
use app::{App, shell};

use crate::config::ServeArgs;
use crate::http::{api, assets, contacts, downloads, health, session};

/// Leptos settings for a binary that carries its site inside: nothing is read from disk.
pub fn leptos_options(listen: std::net::SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("tally")
        .site_pkg_dir("pkg")
        .site_addr(listen)
        .env(leptos::config::Env::PROD)
        .build()
}

/// Every route Tally answers.
pub fn app(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context_state = state.clone();
    let options = state.leptos_options.clone();
    Router::new()
        .route("/", get(session::home))
        .route("/login", post(session::login))
        .route("/logout", post(session::logout))
        .route("/language", post(session::switch_language))
        .route("/healthz", get(health::healthz))
        .route("/metrics", get(health::metrics))
        .route("/settings/subscription/contacts", post(contacts::save))
        .route(
            "/settings/subscription/history.csv",
            get(downloads::history_csv),
        )
        .route(
            "/settings/subscription/transactions.csv",
            get(downloads::transactions_csv),
        )
        .route(
            "/settings/subscription/purchases.csv",
            get(downloads::purchases_csv),
        )
        .nest("/api/v1", api::routes())
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
        .layer(middleware::from_fn(health::count_requests))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// `tally serve`: migrate, then serve until SIGTERM or Ctrl-C, letting requests in flight finish.
pub async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let db = Db::connect(&args.database.database_url).await?;
    db.migrate().await?;
    let state = AppState {
        db,
        leptos_options: leptos_options(args.listen),
        config: Arc::new(WebConfig {
            base_url: args.base_url.clone(),
        }),
    };
    if args.smtp_url.is_none() {
        tracing::info!(
            "no SMTP server configured: emails are written to the log and kept in the outbox"
        );
    }
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    let mut jobs = tokio::task::JoinSet::new();
    jobs.spawn(app::server::jobs::housekeeping_loop(state.db.clone()));
    if state.db.backend == app::server::db::Backend::Sqlite {
        jobs.spawn(app::server::jobs::sqlite_checkpoints(state.db.clone()));
    }
    tracing::info!("Tally listening on http://{}", listener.local_addr()?);
    let served = axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown_signal())
        .await;
    jobs.abort_all();
    served?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
