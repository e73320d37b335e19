//! Background work that `serve` runs every few seconds: booking reminders and
//! expiries, day-before reminders, the daily office digests, trip alerts, and email
//! delivery, forgetting sent emails after [`SENT_MAIL_DAYS`], and the daily purge
//! when `PURGE_AFTER_DAYS` is set. Each run is safe with several instances running at once (every
//! step claims its rows with a guarded update or insert), and tests call
//! [`run_once`] after setting the clock.

use std::time::Duration;

use crate::state::AppState;

/// What one run did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Ran {
    pub reminded: usize,
    pub expired: usize,
    pub day_before: usize,
    pub emails_sent: usize,
    /// Offices whose daily digest went out.
    pub digests: usize,
    /// Trip alerts queued ("something new fits your trip").
    pub alerts: usize,
    /// Sent emails deleted for being older than [`SENT_MAIL_DAYS`].
    pub emails_forgotten: u64,
    /// Whether the daily purge (`PURGE_AFTER_DAYS`) ran.
    pub purged: bool,
    /// Due bookings that could not be loaded (each logged with its id and error).
    pub load_failures: usize,
}

/// How long a sent email stays in the outbox (the privacy page says so).
pub const SENT_MAIL_DAYS: i64 = 7;

/// One pass over everything that is due now (by the app's clock).
pub async fn run_once(state: &AppState) -> anyhow::Result<Ran> {
    let due = crate::bookings::run_due(state).await?;
    let digests = crate::digest::send_due(state).await?;
    // Alerts are a courtesy: a pass that fails (an unreadable offer, say)
    // is logged and must not hold up email delivery and the rest.
    let alerts = crate::alerts::send_due(state).await.unwrap_or_else(|e| {
        tracing::warn!(
            error = format!("{e:#}"),
            "trip alerts failed; retrying next run"
        );
        0
    });
    let emails_sent =
        crate::email::worker::deliver_due(&state.db.pool, &state.clock, &state.mailer).await?;
    let cutoff =
        crate::clock::timestamp_text(state.clock.now() - chrono::Duration::days(SENT_MAIL_DAYS));
    let forgotten = crate::store::outbox::delete_sent_before(&state.db.pool, &cutoff).await?;
    crate::people::remove_mail_files(&state.settings.mail_dir, &forgotten);
    let emails_forgotten = forgotten.len() as u64;
    let purged = crate::people::purge_due(state).await?.is_some();
    Ok(Ran {
        reminded: due.reminded,
        expired: due.expired,
        day_before: due.day_before,
        emails_sent,
        digests,
        alerts,
        emails_forgotten,
        purged,
        load_failures: due.load_failures,
    })
}

/// Runs [`run_once`] forever at the configured interval; errors are logged, not fatal.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    let every = Duration::from_secs(state.settings.job_interval_secs.max(1));
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = run_once(&state).await {
                tracing::warn!(
                    error = format!("{e:#}"),
                    "background jobs failed; retrying next tick"
                );
            }
        }
    })
}
