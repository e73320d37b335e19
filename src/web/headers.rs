//! The browser security headers every response carries, and
//! `Cache-Control: no-store` on every page that is not public: anything
//! answered to a signed-in person, anything with a secret token in its path.

use axum::extract::Request;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY, VARY,
    X_CONTENT_TYPE_OPTIONS,
};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_sessions::Session;

use crate::config::Settings;
use crate::state::AppState;
use crate::web::ctx::signed_in;

/// Only our own stylesheet, forms that post to us, no scripts or plugins
/// from anywhere else, and no framing (clickjacking). The pages need no
/// script at all, and no inline style: SVG charts use presentation attributes.
pub const CSP: &str = "default-src 'self'; object-src 'none'; base-uri 'none'; \
     frame-ancestors 'none'; form-action 'self'";

/// A year; sent only when `BASE_URL` is https (a plain-http site would lock itself out).
pub const HSTS: &str = "max-age=31536000";

/// Paths whose last segment is a secret (emailed links, calendar feeds): the
/// page must not be kept by any cache, and the token must not leak in a
/// `Referer` (hence `no-referrer` everywhere).
pub const TOKEN_PATHS: &[&str] = &[
    "/b/",
    "/verify/",
    "/password/reset/",
    "/claim/",
    "/account/email/confirm/",
    "/calendar/",
    "/office-feeds/",
];

/// Adds the security headers to every response of `router` (a handler that
/// sets its own value keeps it).
pub fn security_headers(router: Router<AppState>, settings: &Settings) -> Router<AppState> {
    let hsts = settings
        .secure_cookies()
        .then(|| HeaderValue::from_static(HSTS));
    router
        .layer(SetResponseHeaderLayer::if_not_present(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            STRICT_TRANSPORT_SECURITY,
            hsts,
        ))
}

/// Middleware (inside the session layer): `no-store` on what is not public.
pub async fn no_store_unless_public(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let private = !path.starts_with("/static/")
        && (TOKEN_PATHS.iter().any(|p| path.starts_with(p))
            || match req.extensions().get::<Session>() {
                Some(session) => signed_in(session).await,
                None => false,
            });
    let translated = !path.starts_with("/static/");
    let mut res = next.run(req).await;
    if translated {
        // The same address reads differently per language (cookie or browser).
        res.headers_mut()
            .append(VARY, HeaderValue::from_static("Cookie, Accept-Language"));
    }
    let stored = res
        .headers()
        .get(CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| !v.contains("no-store"));
    if private && stored {
        res.headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}
