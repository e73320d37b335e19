//! How an [`AppError`] reaches a person: a friendly page (or a JSON body for
//! API routes), and the page itself, also used for the 404 fallback and CSRF
//! refusals.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Json;

use crate::error::AppError;
use crate::web::ctx::PageCtx;

/// The friendly error page.
#[derive(Template)]
#[template(path = "errors/error.html")]
pub struct ErrorPage {
    pub ctx: PageCtx,
    pub status: u16,
    pub title: &'static str,
    pub message: String,
}

/// Renders the error page for `status`.
pub fn error_page(status: StatusCode, title: &'static str, message: String) -> Response {
    let page = ErrorPage {
        ctx: PageCtx::anonymous(),
        status: status.as_u16(),
        title,
        message,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "error page failed to render");
            (status, title).into_response()
        }
    }
}

/// The same error as a JSON body, for API routes.
pub fn into_json(e: AppError) -> Response {
    e.log();
    let (title, message) = e.public_text();
    let response = (
        e.status(),
        Json(serde_json::json!({ "error": title, "message": message })),
    )
        .into_response();
    with_retry_after(&e, response)
}

/// Adds `Retry-After` when the error passes with time (503 busy).
fn with_retry_after(e: &AppError, mut response: Response) -> Response {
    if let Some(secs) = e.retry_after_secs() {
        response
            .headers_mut()
            .insert(axum::http::header::RETRY_AFTER, secs.into());
    }
    response
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::SignInRequired { next } = &self {
            let to = format!("/login?next={}", crate::web::ctx::url_encode(next));
            return Redirect::to(&to).into_response();
        }
        self.log();
        let (title, message) = self.public_text();
        with_retry_after(&self, error_page(self.status(), title, message))
    }
}
