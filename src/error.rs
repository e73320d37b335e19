//! One error type for every use case and handler. `web::error` turns it
//! into a friendly HTML page for people or a JSON body for API clients;
//! internal causes are logged, never shown.

use axum::http::StatusCode;

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
    #[error("request body too large")]
    TooLarge,
    /// Too much at once (every password hasher busy past the wait): try again shortly.
    #[error("busy")]
    Busy,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// Seconds a "busy" answer asks the client to wait before trying again.
pub const BUSY_RETRY_AFTER_SECS: u64 = 5;

/// Shorthand for handler results.
pub type AppResult<T> = Result<T, AppError>;

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::Internal(e.into())
    }
}

impl AppError {
    /// The HTTP status it answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::SignInRequired { .. } => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Title and sentence shown to the person; never the internal cause.
    pub fn public_text(&self) -> (&'static str, String) {
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
            AppError::TooLarge => (
                "That was too much to send",
                "What you sent is larger than 2 MB, far more than any form here needs, so nothing was saved. Go back, shorten what you typed or pasted, and try again.".into(),
            ),
            AppError::Busy => (
                "We're busy right now",
                "Many people are signing in at this moment. Please try again in a few seconds."
                    .into(),
            ),
            AppError::Internal(_) => (
                "Something went wrong",
                "Something went wrong on our side. Please try again in a moment.".into(),
            ),
        }
    }

    /// Seconds to send in `Retry-After`, for errors that pass with time.
    pub fn retry_after_secs(&self) -> Option<u64> {
        matches!(self, AppError::Busy).then_some(BUSY_RETRY_AFTER_SECS)
    }

    /// Logs an internal cause with its chain; other errors are the person's, not ours.
    pub fn log(&self) {
        if let AppError::Internal(e) = self {
            tracing::error!(error = format!("{e:#}"), "internal error");
        }
    }
}
