//! One error type for every handler: a friendly HTML page for people, a JSON
//! body for API clients. Internal causes are logged, never shown.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Json;

use crate::web::ctx::PageCtx;

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("sign in required")]
    SignInRequired { next: String },
    #[error("forbidden")]
    Forbidden,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("invalid: {0}")]
    Invalid(String),
    #[error("too many attempts: {0}")]
    TooMany(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// Shorthand for handler results.
pub type AppResult<T> = Result<T, AppError>;

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::Internal(e.into())
    }
}

impl AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::SignInRequired { .. } => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Title and sentence shown to the person; never the internal cause.
    fn public_text(&self) -> (&'static str, String) {
        match self {
            AppError::NotFound => (
                "Page not found",
                "We couldn't find that page. It may have been removed, or you may not have access to it.".into(),
            ),
            AppError::SignInRequired { .. } => ("Please sign in", "Sign in to see this page.".into()),
            AppError::Forbidden => (
                "Not allowed",
                "Your account does not have access to this page.".into(),
            ),
            AppError::Conflict(m) => ("That didn't work", m.clone()),
            AppError::Invalid(m) => ("Please check your input", m.clone()),
            AppError::TooMany(m) => ("Please wait a moment", m.clone()),
            AppError::Internal(_) => (
                "Something went wrong",
                "Something went wrong on our side. Please try again in a moment.".into(),
            ),
        }
    }

    fn log(&self) {
        if let AppError::Internal(e) = self {
            tracing::error!(error = format!("{e:#}"), "internal error");
        }
    }

    /// The same error as a JSON body, for API routes.
    pub fn into_json(self) -> Response {
        self.log();
        let (title, message) = self.public_text();
        (
            self.status(),
            Json(serde_json::json!({ "error": title, "message": message })),
        )
            .into_response()
    }
}

/// The friendly error page.
#[derive(Template)]
#[template(path = "errors/error.html")]
pub struct ErrorPage {
    pub ctx: PageCtx,
    pub status: u16,
    pub title: &'static str,
    pub message: String,
}

/// Renders the error page for `status` (used for the 404 fallback and CSRF refusals too).
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

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::SignInRequired { next } = &self {
            let to = format!("/login?next={}", crate::web::ctx::url_encode(next));
            return Redirect::to(&to).into_response();
        }
        self.log();
        let (title, message) = self.public_text();
        error_page(self.status(), title, message)
    }
}
