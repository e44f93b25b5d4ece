//! `/healthz` and `/metrics`.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use app::server::AppState;
use app::server::service::alerts::log;

/// The process-wide Prometheus registry (metrics are process-wide by nature).
fn registry() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| PrometheusBuilder::new().install_recorder().ok())
        .as_ref()
}

/// Healthy when the database answers.
pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(_) => (StatusCode::OK, "ok").into_response(),
        Err(error) => {
            tracing::error!(%error, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

/// Prometheus text exposition: this process's counters, then the outbox and the alert log as
/// the database has them (the same from every instance).
pub async fn metrics(State(state): State<AppState>) -> Response {
    let mut body = registry().map(PrometheusHandle::render).unwrap_or_default();
    match log::stats(&state.db).await {
        Ok(stats) => body.push_str(&store_metrics(&stats)),
        Err(error) => tracing::warn!(%error, "metrics: cannot read the outbox"),
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}

fn store_metrics(stats: &log::Stats) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    out.push_str("# HELP tally_outbox_emails Alert emails in the outbox, by delivery state.\n");
    out.push_str("# TYPE tally_outbox_emails gauge\n");
    for (state, n) in &stats.emails {
        let _ = writeln!(out, "tally_outbox_emails{{state=\"{state}\"}} {n}");
    }
    out.push_str("# HELP tally_outbox_retrying Queued alert emails that failed before.\n");
    out.push_str("# TYPE tally_outbox_retrying gauge\n");
    let _ = writeln!(out, "tally_outbox_retrying {}", stats.retrying);
    out.push_str("# HELP tally_alerts Alerts raised, by kind.\n");
    out.push_str("# TYPE tally_alerts gauge\n");
    for (kind, n) in &stats.alerts {
        let _ = writeln!(out, "tally_alerts{{kind=\"{kind}\"}} {n}");
    }
    out
}

/// Counts requests and their durations by method and status.
pub async fn count_requests(request: Request, next: Next) -> Response {
    registry();
    let method = request.method().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("tally_http_requests_total", "method" => method.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("tally_http_request_seconds", "method" => method)
        .record(started.elapsed().as_secs_f64());
    response
}
