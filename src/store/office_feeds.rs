//! Private office calendar feeds: one secret token per office, the
//! credential in the feed's URL (the shape of the users' feeds in
//! `calendar.rs`). Only a SHA-256 of the token is stored, so the raw token is
//! shown once and a database leak does not leak working feed URLs.

use crate::domain::ids::OfficeId;
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

/// Gives an office a new feed token, replacing (and so revoking) any old one
/// in one statement, and returns the raw token to show once.
pub async fn replace(
    ex: impl AnyExecutor<'_>,
    office_id: OfficeId,
    now: &str,
) -> sqlx::Result<String> {
    let raw = random_token();
    sqlx::query(
        "INSERT INTO office_feeds (office_id, token_hash, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (office_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at",
    )
    .bind(office_id)
    .bind(hash(&raw))
    .bind(now)
    .execute(ex)
    .await?;
    Ok(raw)
}

/// Removes an office's feed; false if there was none.
pub async fn revoke(ex: impl AnyExecutor<'_>, office_id: OfficeId) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM office_feeds WHERE office_id = $1")
        .bind(office_id)
        .execute(ex)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The office a feed token belongs to, if it is current.
pub async fn office_for(ex: impl AnyExecutor<'_>, raw: &str) -> sqlx::Result<Option<OfficeId>> {
    if !well_formed(raw) {
        return Ok(None);
    }
    sqlx::query("SELECT office_id FROM office_feeds WHERE token_hash = $1")
        .bind(hash(raw))
        .fetch_optional(ex)
        .await?
        .map(|r| r.try_get("office_id"))
        .transpose()
}

/// When an office's current feed was made (None: no feed).
pub async fn created_at(
    ex: impl AnyExecutor<'_>,
    office_id: OfficeId,
) -> sqlx::Result<Option<String>> {
    sqlx::query("SELECT created_at FROM office_feeds WHERE office_id = $1")
        .bind(office_id)
        .fetch_optional(ex)
        .await?
        .map(|r| r.try_get("created_at"))
        .transpose()
}
