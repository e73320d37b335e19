//! HTTP: the router and one file per area. Handlers parse, call the store or
//! the domain, and render; nothing else.

pub mod admin;
pub mod auth;
pub mod ctx;
pub mod forms;
pub mod offices;
pub mod pages;

use std::time::Duration;

use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use tower_http::csrf::{CsrfLayer, ProtectionError};
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tower_http::LatencyUnit;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::app::AppState;
use crate::error::error_page;
use crate::store::sessions::DbSessionStore;

/// Every route, with sessions, CSRF protection and request logging.
pub fn router(state: AppState) -> Router {
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.db.clone()))
        .with_name("tp_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.settings.secure_cookies())
        .with_expiry(Expiry::OnInactivity(time::Duration::days(14)));

    Router::new()
        .route("/", get(pages::home))
        .route("/credits", get(pages::credits))
        .route("/healthz", get(pages::healthz))
        .route("/static/app.css", get(pages::stylesheet))
        .route("/signup", get(auth::signup_page).post(auth::signup))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/offices", get(offices::list))
        .route("/offices/{id}", get(offices::show))
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
        .layer(sessions)
        .layer(CsrfLayer::new())
        .layer(axum::middleware::map_response(friendly_csrf_refusal))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            2 * 1024 * 1024,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(tracing::Level::INFO))
                .on_response(
                    DefaultOnResponse::new()
                        .level(tracing::Level::INFO)
                        .latency_unit(LatencyUnit::Millis),
                ),
        )
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .with_state(state)
}

/// The CSRF layer answers a bare 403; give people a page that says why.
async fn friendly_csrf_refusal(res: Response) -> Response {
    if res.extensions().get::<ProtectionError>().is_some() {
        return error_page(
            StatusCode::FORBIDDEN,
            "Request refused",
            "This form was sent from another site, so we did not act on it. Please use the form on Trip Planner itself.".into(),
        );
    }
    res
}
