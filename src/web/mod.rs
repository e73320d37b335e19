//! HTTP: the router and one file per area. Handlers parse, call the store or
//! the domain, and render; nothing else.

use crate::domain::ids::UserId;
pub mod account;
pub mod admin;
pub mod alerts;
pub mod auth;
pub mod bookings;
pub mod calendar;
pub mod campaign;
pub mod ctx;
pub mod dashboard;
pub mod error;
pub mod exports;
pub mod forms;
pub mod headers;
pub mod language;
pub mod maps;
pub mod me;
pub mod metrics;
pub mod offices;
pub mod pages;
pub mod paging;
pub mod password;
pub mod propose;
pub mod rides;
pub mod stays;
pub mod trips;

use std::time::Duration;

use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use tower_http::csrf::CsrfLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::logging::REQUEST_TARGET;
use crate::state::AppState;
use crate::store::sessions::DbSessionStore;

/// Every route, with sessions, CSRF protection and request logging.
pub fn router(state: AppState) -> Router {
    let sessions =
        SessionManagerLayer::new(DbSessionStore::new(state.db.clone(), state.clock.clone()))
            .with_name("tp_session")
            .with_http_only(true)
            .with_same_site(SameSite::Lax)
            .with_secure(state.settings.secure_cookies())
            .with_expiry(Expiry::OnInactivity(time::Duration::days(
                crate::store::sessions::IDLE_DAYS,
            )));

    let router = Router::new()
        .route("/", get(pages::home))
        .route("/credits", get(pages::credits))
        .route("/privacy", get(pages::privacy))
        .route("/language", post(language::choose))
        .route("/healthz", get(pages::healthz))
        .route("/static/app.css", get(pages::stylesheet))
        .route("/favicon.ico", get(pages::favicon_ico))
        .route("/static/favicon.svg", get(pages::favicon_svg))
        .route("/signup", get(auth::signup_page).post(auth::signup))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        // account and email links
        .route("/account", get(account::page))
        .route("/account/verify/resend", post(account::resend_verification))
        .route("/account/units", post(account::set_unit))
        .route("/account/data.json", get(account::download_data))
        .route(
            "/account/delete",
            get(account::delete_page).post(account::delete),
        )
        .route(
            "/account/password",
            get(password::change_page).post(password::change),
        )
        .route(
            "/account/email",
            get(account::email_page).post(account::request_email_change),
        )
        .route(
            "/account/email/confirm/{token}",
            get(account::confirm_email_change_page).post(account::confirm_email_change),
        )
        .route(
            "/verify/{token}",
            get(account::verify_page).post(account::verify),
        )
        .route(
            "/password/forgot",
            get(password::forgot_page).post(password::forgot),
        )
        .route(
            "/password/reset/{token}",
            get(password::reset_page).post(password::reset),
        )
        .route(
            "/claim/{token}",
            get(password::claim_page).post(password::claim),
        )
        .route("/offices", get(offices::list))
        .route("/offices/{id}", get(offices::show))
        .route("/dashboards", get(offices::dashboards))
        .route("/me", get(me::page))
        .route("/rides", post(rides::create))
        .route("/rides/new", get(rides::new_page))
        .route("/rides/{id}", get(rides::show).post(rides::update))
        .route("/rides/{id}/edit", get(rides::edit_page))
        .route("/rides/{id}/{action}", post(rides::change_status))
        .route("/stays", post(stays::create))
        .route("/stays/new", get(stays::new_page))
        .route("/stays/{id}", get(stays::show).post(stays::update))
        .route("/stays/{id}/edit", get(stays::edit_page))
        .route("/stays/{id}/{action}", post(stays::change_status))
        .route("/trips", post(trips::create))
        .route("/trips/new", get(trips::new_page))
        .route("/trips/{id}", get(trips::show).post(trips::update))
        .route("/trips/{id}/edit", get(trips::edit_page))
        .route("/trips/{id}/{action}", post(trips::change_status))
        .route("/trips/{id}/requests", post(bookings::request))
        .route("/trips/{id}/alerts", post(alerts::switch_trip))
        .route("/rides/{id}/alerts", post(alerts::switch_ride))
        .route("/stays/{id}/alerts", post(alerts::switch_stay))
        .route(
            "/alerts/{token}",
            get(alerts::unsubscribe_page).post(alerts::unsubscribe),
        )
        .route("/bookings/{id}", get(bookings::show))
        .route("/bookings/{id}/{action}", post(bookings::act))
        .route(
            "/b/{token}",
            get(bookings::confirm_page).post(bookings::confirm),
        )
        // calendars
        .route("/bookings/{id}/calendar.ics", get(calendar::booking))
        .route("/calendar/feed", post(calendar::create_feed))
        .route("/calendar/feed/revoke", post(calendar::revoke_feed))
        .route("/calendar/{file}", get(calendar::feed))
        // the field office's view
        .route("/offices/{id}/dashboard", get(dashboard::summary))
        .route("/offices/{id}/dashboard/day/{day}", get(dashboard::day))
        .route("/offices/{id}/checkins", post(dashboard::check_in))
        .route(
            "/offices/{id}/checkins/undo",
            post(dashboard::undo_check_in),
        )
        .route("/offices/{id}/nudge", post(dashboard::nudge))
        .route(
            "/offices/{id}/propose",
            get(propose::page).post(propose::send),
        )
        // office exports, campaign view and metrics
        .route("/offices/{id}/arrivals.csv", get(exports::arrivals_csv))
        .route("/offices/{id}/roster/{day}", get(exports::roster))
        .route(
            "/offices/{id}/feed",
            get(exports::feed_page).post(exports::create_feed),
        )
        .route("/offices/{id}/feed/revoke", post(exports::revoke_feed))
        .route("/office-feeds/{file}", get(exports::office_feed))
        .route("/admin/campaign", get(campaign::page))
        .route("/admin/campaign.csv", get(campaign::csv))
        .route("/metrics", get(metrics::scrape))
        .route("/admin", get(admin::index))
        .route("/admin/offices", post(admin::create_office))
        .route("/admin/offices/new", get(admin::new_office_page))
        .route("/admin/offices/{id}", post(admin::update_office))
        .route("/admin/offices/{id}/edit", get(admin::edit_office_page))
        .route("/admin/offices/{id}/staff", post(admin::add_staff))
        .route(
            "/admin/offices/{id}/staff/{user_id}/remove",
            post(admin::remove_staff),
        )
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn(headers::no_store_unless_public))
        .layer(CsrfLayer::new())
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            2 * 1024 * 1024,
        ))
        // Inside the sessions, outside CSRF and the limit: every error page,
        // theirs too, is drawn with the viewer's header.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            error::in_viewer_frame,
        ))
        .layer(sessions)
        .layer(
            TraceLayer::new_for_http()
                // The route pattern, not the raw path: links carry secret tokens.
                .make_span_with(|req: &axum::http::Request<_>| {
                    let route = req
                        .extensions()
                        .get::<axum::extract::MatchedPath>()
                        .map(|m| m.as_str().to_string())
                        .unwrap_or_else(|| "(no route)".into());
                    // At ERROR level so that it is on whenever errors are:
                    // an error inside a request keeps its method and route
                    // even with request lines turned down.
                    tracing::error_span!(
                        target: REQUEST_TARGET,
                        "request",
                        method = %req.method(),
                        route = %route
                    )
                })
                .on_response(log_response)
                // `log_response` already logs server errors.
                .on_failure(()),
        )
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ));
    headers::security_headers(router, &state.settings)
        // Outermost, so it times everything; applied per route, so it sees the route pattern.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .with_state(state)
}

/// One line per request on [`REQUEST_TARGET`]: INFO, so `RUST_LOG` can turn
/// request lines down (`trip_planner::request=warn`) without losing server
/// errors, which are ERROR (503 "busy" and 408 timeouts: WARN).
fn log_response(res: &Response, latency: Duration, _span: &tracing::Span) {
    let status = res.status().as_u16();
    // Tenths of a millisecond are all a reader needs.
    let latency_ms = (latency.as_secs_f64() * 1e4).round() / 10.0;
    match res.status() {
        StatusCode::SERVICE_UNAVAILABLE | StatusCode::REQUEST_TIMEOUT => {
            tracing::warn!(target: REQUEST_TARGET, status, latency_ms, "request")
        }
        s if s.is_server_error() => {
            tracing::error!(target: REQUEST_TARGET, status, latency_ms, "request")
        }
        _ => tracing::info!(target: REQUEST_TARGET, status, latency_ms, "request"),
    }
}

/// Only the owner (or an admin) manages an offer or trip; to anyone else it
/// does not exist.
pub fn owned(user: &crate::store::users::User, owner_id: UserId) -> crate::error::AppResult<()> {
    if user.id == owner_id || user.is_admin {
        Ok(())
    } else {
        Err(crate::error::AppError::NotFound)
    }
}

/// The status an action on an offer or trip leads to, and the word for the
/// confirmation (the rules live in `domain::offer::status_change`).
pub fn status_change(
    action: &str,
    current: crate::domain::offer::Status,
) -> crate::error::AppResult<(crate::domain::offer::Status, &'static str)> {
    use crate::domain::offer::StatusChangeError;
    use crate::error::AppError;
    crate::domain::offer::status_change(action, current).map_err(|e| match e {
        StatusChangeError::UnknownAction => AppError::NotFound,
        StatusChangeError::Refused(m) => AppError::Conflict(m),
    })
}
