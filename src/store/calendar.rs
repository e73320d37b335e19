//! Private calendar feeds: one secret token per user, the credential in the
//! feed's URL. Only a SHA-256 of the token is stored (as for email links in
//! `tokens.rs`), so the raw token is shown once and a database leak does not
//! leak working feed URLs.

use crate::domain::ids::UserId;
use sha2::{Digest, Sha256};
use sqlx::{AnyExecutor, Row};

use super::tokens::random_token;

fn hash(raw: &str) -> String {
    format!("{:x}", Sha256::digest(raw.as_bytes()))
}

/// Whether `raw` has the shape of a token we hand out (64 hex characters).
fn well_formed(raw: &str) -> bool {
    raw.len() == 64 && raw.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Gives a user a new feed token, replacing (and so revoking) any old one in
/// one statement, and returns the raw token to show once.
pub async fn replace(ex: impl AnyExecutor<'_>, user_id: UserId, now: &str) -> sqlx::Result<String> {
    let raw = random_token();
    sqlx::query(
        "INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at",
    )
    .bind(user_id)
    .bind(hash(&raw))
    .bind(now)
    .execute(ex)
    .await?;
    Ok(raw)
}

/// Removes a user's feed; false if there was none.
pub async fn revoke(ex: impl AnyExecutor<'_>, user_id: UserId) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1")
        .bind(user_id)
        .execute(ex)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The user a feed token belongs to, if it is current.
pub async fn user_for(ex: impl AnyExecutor<'_>, raw: &str) -> sqlx::Result<Option<UserId>> {
    if !well_formed(raw) {
        return Ok(None);
    }
    sqlx::query("SELECT user_id FROM calendar_feeds WHERE token_hash = $1")
        .bind(hash(raw))
        .fetch_optional(ex)
        .await?
        .map(|r| r.try_get("user_id"))
        .transpose()
}

/// When a user's current feed was made (None: no feed).
pub async fn created_at(ex: impl AnyExecutor<'_>, user_id: UserId) -> sqlx::Result<Option<String>> {
    sqlx::query("SELECT created_at FROM calendar_feeds WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(ex)
        .await?
        .map(|r| r.try_get("created_at"))
        .transpose()
}
