//! Sends what the outbox holds, a bounded batch per run, with retries.
//!
//! Delivery is at least once: a message is marked sent only after the mail
//! system accepted it, so it goes out a second time only if this process dies
//! (or loses the database) between the SMTP server's acceptance and the mark.
//! The Message-ID was fixed when the message was queued, so such a duplicate
//! carries the same id and mail systems can drop it.

use chrono::{DateTime, Duration, Utc};

use sqlx::AnyPool;

use crate::clock::{timestamp_text, Clock};
use crate::email::mailer::{Mailer, SendError};
use crate::store::outbox::{self, Failure};

/// Attempts before a message is given up (kept, with its last error, for the admin page).
pub const MAX_ATTEMPTS: i64 = 8;
/// Messages sent per run at most, so one run never holds the job loop for long.
pub const MAX_PER_RUN: usize = 100;
/// How long a claim keeps other instances off a message (longer than an SMTP exchange).
pub const CLAIM_SECS: i64 = 120;

/// The wait before the next attempt: 1 minute doubling per failure, at most an hour.
pub fn backoff(failures_before: i64) -> Duration {
    let minutes = 1i64 << failures_before.clamp(0, 6);
    Duration::minutes(minutes.min(60))
}

/// Sends every due message (by the app's clock), up to [`MAX_PER_RUN`];
/// returns how many the mail system accepted. Database errors end the run
/// (the job loop logs them and tries again).
///
/// A message the mail system answered and refused is kept with its error and
/// waits longer after each failure ([`backoff`]); the run goes on with the
/// others. When the mail system cannot be reached at all, that one try was
/// the run's probe: the run stops, and the message is not charged an attempt
/// nor made to wait, because the outage is not its fault. So during an outage
/// each run probes once, and the first run after it is over sends everything
/// due at full speed instead of waiting out backoffs that grew meanwhile.
pub async fn deliver_due(pool: &AnyPool, clock: &Clock, mailer: &Mailer) -> anyhow::Result<usize> {
    let mut sent = 0;
    for _ in 0..MAX_PER_RUN {
        let now = clock.now();
        let claim_until = timestamp_text(now + Duration::seconds(CLAIM_SECS));
        let Some(message) = outbox::claim_next(pool, &timestamp_text(now), &claim_until).await?
        else {
            break;
        };
        match mailer.send(&message).await {
            Ok(()) => {
                outbox::mark_sent(pool, message.id, &clock.now_text()).await?;
                sent += 1;
            }
            // Nothing went through this run: the mail system is down.
            Err(e @ SendError::Unreachable(_)) if sent == 0 => {
                tracing::warn!(
                    outbox_id = message.id,
                    error = %e,
                    "mail system unreachable; trying again next run"
                );
                // Due again a second later: behind the messages already due,
                // so the next probes take the others in turn.
                let again = timestamp_text(clock.now() + Duration::seconds(1));
                outbox::record_outage(pool, message.id, &error_text(&e), &again).await?;
                break;
            }
            Err(e) => {
                let at = clock.now();
                let attempts = message.attempts + 1;
                let give_up = attempts >= MAX_ATTEMPTS || matches!(e, SendError::Unsendable(_));
                tracing::warn!(
                    outbox_id = message.id,
                    attempts,
                    give_up,
                    error = %e,
                    "email not delivered"
                );
                record(pool, message.id, message.attempts, &e, at, give_up).await?;
                // Lost the mail system after sending others this run: this
                // message may be the cause (so it is charged), but the rest
                // wait for the next run's probe.
                if matches!(e, SendError::Unreachable(_)) {
                    break;
                }
            }
        }
    }
    Ok(sent)
}

/// The error as stored on the message (bounded).
fn error_text(e: &SendError) -> String {
    e.to_string().chars().take(1000).collect()
}

async fn record(
    pool: &sqlx::AnyPool,
    id: i64,
    failures_before: i64,
    e: &SendError,
    at: DateTime<Utc>,
    give_up: bool,
) -> sqlx::Result<()> {
    let error = error_text(e);
    let now = timestamp_text(at);
    outbox::record_failure(
        pool,
        id,
        &Failure {
            attempts: failures_before + 1,
            error: &error,
            next_attempt_at: &timestamp_text(at + backoff(failures_before)),
            failed_at: give_up.then_some(now.as_str()),
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_from_a_minute_up_to_an_hour() {
        let minutes: Vec<i64> = (0..9).map(|n| backoff(n).num_minutes()).collect();
        assert_eq!(minutes, vec![1, 2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(backoff(-3).num_minutes(), 1);
        assert_eq!(backoff(i64::MAX).num_minutes(), 60);
    }
}
