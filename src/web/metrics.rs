//! `GET /metrics` in the Prometheus text format, off unless `METRICS_TOKEN`
//! is set, and then only with `Authorization: Bearer <token>`.
//!
//! Request counts and latencies are recorded by [`track`] (method, route
//! *pattern* — never the raw path, links carry secret tokens — and status);
//! matches served are counted in `finder::for_trip`; bookings by state and
//! the outbox depth are read from the database at scrape time. Counters live
//! in the process (the `metrics` facade with the Prometheus recorder, no
//! HTTP listener of its own), so each instance exports its own request and
//! match counts — sum them across instances in Prometheus — while the
//! database gauges are the same from every instance.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sha2::{Digest, Sha256};

use crate::domain::booking::BookingStatus;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::{campaign, outbox};

/// Requests served, by method, route pattern and status.
pub const REQUESTS: &str = "http_requests_total";
/// Time to answer a request in seconds, by method, route pattern and status.
pub const LATENCY: &str = "http_request_duration_seconds";
/// Fitting offers shown to travellers (the trip page, the `matches` report, expiry emails).
pub use crate::finder::MATCHES_SERVED;
/// Bookings in each state, read from the database when scraped.
pub const BOOKINGS: &str = "trip_planner_bookings";
/// Emails waiting in the outbox, read from the database when scraped.
pub const OUTBOX_DEPTH: &str = "trip_planner_outbox_depth";

/// Latency buckets in seconds: a histogram (not a summary), so instances add up.
const BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];
/// How often samples are folded into the buckets between scrapes.
const UPKEEP_EVERY: Duration = Duration::from_secs(10);

const ALL_STATUSES: [BookingStatus; 6] = [
    BookingStatus::Requested,
    BookingStatus::Accepted,
    BookingStatus::Declined,
    BookingStatus::Withdrawn,
    BookingStatus::Expired,
    BookingStatus::Cancelled,
];

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
/// Setting the database gauges and rendering happen as one step per process.
static SCRAPE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The process-wide recorder, installed on first use (only when metrics are
/// on); None if another recorder was installed first.
fn recorder() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full(LATENCY.into()), BUCKETS)
                .ok()?;
            match builder.install_recorder() {
                Ok(handle) => {
                    describe();
                    let h = handle.clone();
                    if let Ok(rt) = tokio::runtime::Handle::try_current() {
                        rt.spawn(async move {
                            let mut tick = tokio::time::interval(UPKEEP_EVERY);
                            loop {
                                tick.tick().await;
                                h.run_upkeep();
                            }
                        });
                    }
                    Some(handle)
                }
                Err(e) => {
                    tracing::warn!(error = %e, "metrics recorder not installed");
                    None
                }
            }
        })
        .as_ref()
}

fn describe() {
    metrics::describe_counter!(
        REQUESTS,
        "Requests served, by method, route pattern and status."
    );
    metrics::describe_histogram!(
        LATENCY,
        metrics::Unit::Seconds,
        "Time to answer a request, by method, route pattern and status."
    );
    metrics::describe_counter!(
        MATCHES_SERVED,
        "Fitting rides and stays computed for travellers."
    );
    metrics::describe_gauge!(BOOKINGS, "Bookings in each state (from the database).");
    metrics::describe_gauge!(
        OUTBOX_DEPTH,
        "Emails waiting to be sent (from the database)."
    );
    // Exported from the start, so the series exists before the first match.
    metrics::counter!(MATCHES_SERVED).increment(0);
}

fn token(state: &AppState) -> Option<&str> {
    state
        .settings
        .metrics_token
        .as_ref()
        .map(|t| t.expose().trim())
        .filter(|t| !t.is_empty())
}

/// A method as a label: the usual ones by name, anything else as "OTHER",
/// so odd requests cannot grow the label set.
fn method_label(m: &Method) -> &'static str {
    match *m {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::HEAD => "HEAD",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

/// Middleware: counts each request and records its latency, labelled with
/// the route pattern (`/bookings/{id}`; "(unmatched)" for the 404 fallback).
/// Does nothing while metrics are off.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if token(&state).is_none() || recorder().is_none() {
        return next.run(req).await;
    }
    let method = method_label(req.method());
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(unmatched)".to_string(), |m| m.as_str().to_string());
    let start = Instant::now();
    let res = next.run(req).await;
    let status = res.status().as_u16().to_string();
    let labels = [
        ("method", method.to_string()),
        ("route", route),
        ("status", status),
    ];
    metrics::counter!(REQUESTS, &labels).increment(1);
    metrics::histogram!(LATENCY, &labels).record(start.elapsed().as_secs_f64());
    res
}

/// Compares two secrets in time independent of where they differ.
fn same_secret(given: &str, expected: &str) -> bool {
    let (a, b) = (
        Sha256::digest(given.as_bytes()),
        Sha256::digest(expected.as_bytes()),
    );
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

/// `GET /metrics`: 404 while `METRICS_TOKEN` is unset, 403 without the right
/// bearer token.
pub async fn scrape(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    let Some(expected) = token(&state) else {
        return Err(AppError::NotFound);
    };
    let given = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or("");
    if given.is_empty() || !same_secret(given, expected) {
        return Err(AppError::Forbidden);
    }
    let handle = recorder().ok_or_else(|| {
        AppError::Internal(anyhow::anyhow!("another metrics recorder is installed"))
    })?;
    let _one_at_a_time = SCRAPE.lock().await;
    let counts = campaign::bookings_by_status(&state.db.pool).await?;
    for s in ALL_STATUSES {
        let n = counts
            .iter()
            .find(|(status, _)| status == s.as_str())
            .map_or(0, |(_, n)| *n);
        metrics::gauge!(BOOKINGS, "status" => s.as_str()).set(n as f64);
    }
    metrics::gauge!(OUTBOX_DEPTH).set(outbox::depth(&state.db.pool).await? as f64);
    let body = handle.render();
    Ok((
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
            ),
            (CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        body,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("s3cret", "s3cret"));
        assert!(!same_secret("s3cre", "s3cret"));
        assert!(!same_secret("", "s3cret"));
    }

    #[test]
    fn odd_methods_share_one_label() {
        assert_eq!(method_label(&Method::GET), "GET");
        assert_eq!(
            method_label(&Method::from_bytes(b"PROPFIND").unwrap()),
            "OTHER"
        );
    }
}
