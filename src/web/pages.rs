//! The start page, credits, the privacy page, health check, the stylesheet and the icon.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;

use crate::error::AppResult;
use crate::state::AppState;
use crate::store::{offices, users};
use crate::web::ctx::{PageCtx, Viewer};
use crate::web::error::error_page;

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    pub ctx: PageCtx,
    pub office_count: i64,
    pub volunteer_count: i64,
}

pub async fn home(State(state): State<AppState>, viewer: Viewer) -> AppResult<HomePage> {
    Ok(HomePage {
        ctx: viewer.page().await,
        office_count: offices::count(&state.db.pool).await?,
        volunteer_count: users::count(&state.db.pool).await?,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "credits.html")]
pub struct CreditsPage {
    pub ctx: PageCtx,
}

pub async fn credits(viewer: Viewer) -> CreditsPage {
    CreditsPage {
        ctx: viewer.page().await,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "privacy.html")]
pub struct PrivacyPage {
    pub ctx: PageCtx,
}

/// What is collected, who sees it, how long it is kept, and how to take it back.
pub async fn privacy(viewer: Viewer) -> PrivacyPage {
    PrivacyPage {
        ctx: viewer.page().await,
    }
}

/// 200 when the database answers, 503 when it does not.
pub async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    if state.db.ping().await {
        (StatusCode::OK, "ok")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
    }
}

pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/app.css"),
    )
}

/// The site's icon: browsers ask for `/favicon.ico` whatever the page says.
pub async fn favicon_ico() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "image/x-icon"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_bytes!("../../static/favicon.ico").as_slice(),
    )
}

/// The same icon drawn as SVG, sharp at any size.
pub async fn favicon_svg() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_str!("../../static/favicon.svg"),
    )
}

pub async fn not_found() -> impl IntoResponse {
    error_page(
        StatusCode::NOT_FOUND,
        "Page not found",
        "We couldn't find that page. It may have been removed, or the address may be mistyped."
            .into(),
    )
}
