//! Sends what the outbox holds. (Filled in by the email work.)

use crate::app::AppState;

/// Sends every due message once; returns how many were sent.
pub async fn deliver_due(_state: &AppState) -> anyhow::Result<usize> {
    Ok(0)
}
