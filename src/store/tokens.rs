//! Single-use, expiring tokens for links sent by email. Only a SHA-256 of the
//! token is stored, so a database leak does not leak working links.

use crate::domain::ids::{BookingId, UserId};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};

/// What a token may be used for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ClaimAccount,
    ResetPassword,
    ChangeEmail,
    AcceptBooking,
    DeclineBooking,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify",
            Purpose::ClaimAccount => "claim",
            Purpose::ResetPassword => "reset",
            Purpose::ChangeEmail => "email_change",
            Purpose::AcceptBooking => "booking_accept",
            Purpose::DeclineBooking => "booking_decline",
        }
    }

    fn from_db(s: &str) -> Option<Purpose> {
        Some(match s {
            "verify" => Purpose::VerifyEmail,
            "claim" => Purpose::ClaimAccount,
            "reset" => Purpose::ResetPassword,
            "email_change" => Purpose::ChangeEmail,
            "booking_accept" => Purpose::AcceptBooking,
            "booking_decline" => Purpose::DeclineBooking,
            _ => return None,
        })
    }
}

/// A stored token's facts.
#[derive(Clone, Debug)]
pub struct Token {
    pub id: i64,
    pub purpose: Purpose,
    pub user_id: Option<UserId>,
    pub booking_id: Option<BookingId>,
    pub new_email: Option<String>,
    pub expires_at: String,
    pub used_at: Option<String>,
}

/// Why a link does not work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TokenProblem {
    #[error("This link is not valid. Check that you copied all of it.")]
    Unknown,
    #[error("This link has already been used.")]
    Used,
    #[error("This link has expired.")]
    Expired,
}

/// 32 random bytes as 64 hex characters.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hash(raw: &str) -> String {
    format!("{:x}", Sha256::digest(raw.as_bytes()))
}

/// What a new token is for.
pub struct NewToken<'a> {
    pub purpose: Purpose,
    pub user_id: Option<UserId>,
    pub booking_id: Option<BookingId>,
    pub new_email: Option<&'a str>,
    pub expires_at: &'a str,
}

/// Stores a new token and returns the raw value to put in a link.
pub async fn create(conn: &mut AnyConnection, t: &NewToken<'_>, now: &str) -> sqlx::Result<String> {
    let raw = random_token();
    sqlx::query(
        "INSERT INTO tokens (token_hash, purpose, user_id, booking_id, new_email, expires_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(hash(&raw))
    .bind(t.purpose.as_str())
    .bind(t.user_id)
    .bind(t.booking_id)
    .bind(t.new_email)
    .bind(t.expires_at)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(raw)
}

/// Looks a token up without using it (for a confirmation page).
pub async fn peek(
    conn: &mut AnyConnection,
    raw: &str,
    purposes: &[Purpose],
    now: &str,
) -> sqlx::Result<Result<Token, TokenProblem>> {
    if raw.len() != 64 || !raw.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(Err(TokenProblem::Unknown));
    }
    let row = sqlx::query(
        "SELECT id, purpose, user_id, booking_id, new_email, expires_at, used_at FROM tokens WHERE token_hash = $1",
    )
    .bind(hash(raw))
    .fetch_optional(conn)
    .await?;
    let Some(row) = row else {
        return Ok(Err(TokenProblem::Unknown));
    };
    let purpose = Purpose::from_db(&row.try_get::<String, _>("purpose")?);
    let token = match purpose {
        Some(p) if purposes.contains(&p) => Token {
            id: row.try_get("id")?,
            purpose: p,
            user_id: row.try_get("user_id")?,
            booking_id: row.try_get("booking_id")?,
            new_email: row.try_get("new_email")?,
            expires_at: row.try_get("expires_at")?,
            used_at: row.try_get("used_at")?,
        },
        _ => return Ok(Err(TokenProblem::Unknown)),
    };
    if token.used_at.is_some() {
        return Ok(Err(TokenProblem::Used));
    }
    if token.expires_at.as_str() <= now {
        return Ok(Err(TokenProblem::Expired));
    }
    Ok(Ok(token))
}

/// The booking a token was made for, whether or not it still works (to say
/// what became of a request whose link is used up).
pub async fn booking_of(
    conn: &mut AnyConnection,
    raw: &str,
    purposes: &[Purpose],
) -> sqlx::Result<Option<BookingId>> {
    if raw.len() != 64 || !raw.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let Some(row) = sqlx::query("SELECT purpose, booking_id FROM tokens WHERE token_hash = $1")
        .bind(hash(raw))
        .fetch_optional(conn)
        .await?
    else {
        return Ok(None);
    };
    match Purpose::from_db(&row.try_get::<String, _>("purpose")?) {
        Some(p) if purposes.contains(&p) => row.try_get("booking_id"),
        _ => Ok(None),
    }
}

/// Uses a token: exactly one caller wins even when two race (the update is
/// guarded on `used_at IS NULL`). Run it in the transaction that acts on it.
pub async fn consume(
    conn: &mut AnyConnection,
    raw: &str,
    purposes: &[Purpose],
    now: &str,
) -> sqlx::Result<Result<Token, TokenProblem>> {
    // Write before reading: on SQLite a deferred transaction that reads
    // first cannot upgrade to a writer once another connection has committed
    // meanwhile ("database is locked", code 517, which busy_timeout does not
    // wait out; the load test hit it on POST /verify). A no-op update takes
    // the write lock up front, waiting its turn; on PostgreSQL it locks the
    // token's row, which racing uses of one link wait for anyway.
    sqlx::query("UPDATE tokens SET used_at = used_at WHERE token_hash = $1")
        .bind(hash(raw))
        .execute(&mut *conn)
        .await?;
    let token = match peek(&mut *conn, raw, purposes, now).await? {
        Ok(t) => t,
        Err(p) => return Ok(Err(p)),
    };
    let done = sqlx::query("UPDATE tokens SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
        .bind(now)
        .bind(token.id)
        .execute(conn)
        .await?;
    if done.rows_affected() != 1 {
        return Ok(Err(TokenProblem::Used));
    }
    Ok(Ok(token))
}

/// Marks every unused token of a booking used (the booking was answered another way).
pub async fn retire_for_booking(
    conn: &mut AnyConnection,
    booking_id: BookingId,
    now: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE tokens SET used_at = $1 WHERE booking_id = $2 AND used_at IS NULL")
        .bind(now)
        .bind(booking_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Marks a user's unused tokens of the given purposes used (a newer link
/// replaced them, or the account changed under them).
pub async fn retire_for_user(
    conn: &mut AnyConnection,
    user_id: UserId,
    purposes: &[Purpose],
    now: &str,
) -> sqlx::Result<()> {
    for p in purposes {
        sqlx::query(
            "UPDATE tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL",
        )
        .bind(now)
        .bind(user_id)
        .bind(p.as_str())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// How many tokens of a purpose were made for a user since `since` (to limit
/// how many emails one account can be sent).
pub async fn count_since(
    conn: &mut AnyConnection,
    user_id: UserId,
    purpose: Purpose,
    since: &str,
) -> sqlx::Result<i64> {
    sqlx::query(
        "SELECT COUNT(*) AS n FROM tokens WHERE user_id = $1 AND purpose = $2 AND created_at >= $3",
    )
    .bind(user_id)
    .bind(purpose.as_str())
    .bind(since)
    .fetch_one(conn)
    .await?
    .try_get("n")
}
