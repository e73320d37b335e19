//! The email outbox: claiming due messages (safe with several instances),
//! recording the outcome, and what the admin page shows. Messages are
//! written by [`insert`] (through `crate::email::enqueue`) in the transaction
//! that causes them.

use sqlx::{AnyConnection, AnyPool, Row};

/// A composed message to queue.
#[derive(Clone, Copy, Debug)]
pub struct NewMessage<'a> {
    /// With angle brackets, as it goes in the header.
    pub message_id: &'a str,
    pub to: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
    /// The one-click unsubscribe address, for alerts.
    pub unsubscribe: Option<&'a str>,
}

/// Queues a message in the caller's transaction, due at once.
pub async fn insert(conn: &mut AnyConnection, m: &NewMessage<'_>, now: &str) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO outbox (message_id, to_email, subject, body_text, body_html, created_at, next_attempt_at, unsubscribe_url) \
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7)",
    )
    .bind(m.message_id)
    .bind(m.to)
    .bind(m.subject)
    .bind(m.text)
    .bind(m.html)
    .bind(now)
    .bind(m.unsubscribe)
    .execute(conn)
    .await?;
    Ok(())
}

/// A claimed message, as the outbox holds it.
#[derive(Clone, Debug)]
pub struct Outgoing {
    pub id: i64,
    /// With angle brackets, as it goes in the header.
    pub message_id: String,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// RFC 3339, when the message was queued: its `Date` header.
    pub created_at: String,
    /// Failed attempts so far.
    pub attempts: i64,
    /// The one-click unsubscribe address (alerts only).
    pub unsubscribe: Option<String>,
}

/// Claims the next due message for this instance until `claim_until`, or
/// None when nothing is due. A message is due when it is neither sent nor
/// given up, its next attempt time has come, and no one holds a live claim.
/// The claim is a guarded UPDATE: when two instances pick the same row, the
/// database lets exactly one of them change it (`rows_affected == 1`).
pub async fn claim_next(
    pool: &AnyPool,
    now: &str,
    claim_until: &str,
) -> sqlx::Result<Option<Outgoing>> {
    // A lost race hides the row from the next SELECT (its claim is live), so
    // a few tries suffice; stop rather than spin if something is odd.
    for _ in 0..10 {
        let Some(row) = sqlx::query(
            "SELECT id FROM outbox \
             WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 \
               AND (claimed_until IS NULL OR claimed_until < $1) \
             ORDER BY next_attempt_at, id LIMIT 1",
        )
        .bind(now)
        .fetch_optional(pool)
        .await?
        else {
            return Ok(None);
        };
        let id: i64 = row.try_get("id")?;
        let claimed = sqlx::query(
            "UPDATE outbox SET claimed_until = $1 \
             WHERE id = $2 AND sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $3 \
               AND (claimed_until IS NULL OR claimed_until < $3)",
        )
        .bind(claim_until)
        .bind(id)
        .bind(now)
        .execute(pool)
        .await?;
        if claimed.rows_affected() == 1 {
            let r = sqlx::query(
                "SELECT id, message_id, to_email, subject, body_text, body_html, created_at, attempts, unsubscribe_url \
                 FROM outbox WHERE id = $1",
            )
            .bind(id)
            .fetch_one(pool)
            .await?;
            return Ok(Some(Outgoing {
                id: r.try_get("id")?,
                message_id: r.try_get("message_id")?,
                to: r.try_get("to_email")?,
                subject: r.try_get("subject")?,
                text: r.try_get("body_text")?,
                html: r.try_get("body_html")?,
                created_at: r.try_get("created_at")?,
                attempts: r.try_get("attempts")?,
                unsubscribe: r.try_get("unsubscribe_url")?,
            }));
        }
    }
    Ok(None)
}

/// Records that the mail system accepted a message.
pub async fn mark_sent(pool: &AnyPool, id: i64, now: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE outbox SET sent_at = $1, claimed_until = NULL WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Deletes messages sent before `cutoff` (RFC 3339): sent mail is kept a
/// short while only. Returns the ids that went (their `.eml` files go too).
pub async fn delete_sent_before(pool: &AnyPool, cutoff: &str) -> sqlx::Result<Vec<i64>> {
    let ids: Vec<i64> =
        sqlx::query("SELECT id FROM outbox WHERE sent_at IS NOT NULL AND sent_at < $1")
            .bind(cutoff)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| r.try_get::<i64, _>("id"))
            .collect::<sqlx::Result<_>>()?;
    sqlx::query("DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < $1")
        .bind(cutoff)
        .execute(pool)
        .await?;
    Ok(ids)
}

/// A failed attempt: what happened and what comes next.
pub struct Failure<'a> {
    pub attempts: i64,
    pub error: &'a str,
    pub next_attempt_at: &'a str,
    /// Set when this was the last attempt: the message is given up.
    pub failed_at: Option<&'a str>,
}

/// Records a failed attempt and releases the claim.
pub async fn record_failure(pool: &AnyPool, id: i64, f: &Failure<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE outbox SET attempts = $1, last_error = $2, next_attempt_at = $3, failed_at = $4, \
         claimed_until = NULL WHERE id = $5",
    )
    .bind(f.attempts)
    .bind(f.error)
    .bind(f.next_attempt_at)
    .bind(f.failed_at)
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

/// Records that the mail system could not be reached for a message: its
/// error is kept for the admin page, but it is not charged an attempt and is
/// due again at `due` (soon, not after a backoff).
pub async fn record_outage(pool: &AnyPool, id: i64, error: &str, due: &str) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE outbox SET last_error = $1, next_attempt_at = $2, claimed_until = NULL WHERE id = $3",
    )
    .bind(error)
    .bind(due)
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

/// A message not sent that has failed at least once, or met the mail system
/// unreachable (no bodies).
#[derive(Clone, Debug)]
pub struct Troubled {
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub attempts: i64,
    pub last_error: String,
    pub created_at: String,
    pub next_attempt_at: String,
    pub failed_at: Option<String>,
}

/// Given-up messages and those being retried, newest first.
pub async fn troubled(pool: &AnyPool, limit: i64) -> sqlx::Result<Vec<Troubled>> {
    let rows = sqlx::query(
        "SELECT id, to_email, subject, attempts, last_error, created_at, next_attempt_at, failed_at \
         FROM outbox WHERE sent_at IS NULL \
           AND (failed_at IS NOT NULL OR attempts > 0 OR last_error IS NOT NULL) \
         ORDER BY created_at DESC, id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Troubled {
                id: r.try_get("id")?,
                to: r.try_get("to_email")?,
                subject: r.try_get("subject")?,
                attempts: r.try_get("attempts")?,
                last_error: r
                    .try_get::<Option<String>, _>("last_error")?
                    .unwrap_or_default(),
                created_at: r.try_get("created_at")?,
                next_attempt_at: r.try_get("next_attempt_at")?,
                failed_at: r.try_get("failed_at")?,
            })
        })
        .collect()
}

/// Messages still to be sent (not sent, not given up).
pub async fn depth(pool: &AnyPool) -> sqlx::Result<i64> {
    sqlx::query("SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL")
        .fetch_one(pool)
        .await?
        .try_get("n")
}
