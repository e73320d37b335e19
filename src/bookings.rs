//! Booking lifecycle services (placeholder while being written).

use crate::app::AppState;
use crate::jobs::Ran;

/// Reminds, expires and sends day-before reminders for what is due.
pub async fn run_due(_state: &AppState) -> anyhow::Result<Ran> {
    Ok(Ran::default())
}
