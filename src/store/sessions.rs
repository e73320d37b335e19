//! tower-sessions' store over the app's one pool, so several instances share
//! sessions and SQLite never sees a second writer pool. Each row also records
//! the account it is signed in to, so a password or email change can end the
//! account's other sessions, and when it began: a session ends after
//! [`IDLE_DAYS`] without a write or [`MAX_AGE_DAYS`] after it began, however
//! active, both by the app's clock.

use async_trait::async_trait;
use sqlx::Row;
use time::OffsetDateTime;

use crate::clock::Clock;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

use super::Db;
use crate::domain::ids::UserId;

/// The session key holding the signed-in account's id.
pub const USER_KEY: &str = "uid";

/// Days without a write after which a session ends (the cookie's lifetime too).
pub const IDLE_DAYS: i64 = 14;
/// Days after it began that a session ends, however active: then one logs in again.
pub const MAX_AGE_DAYS: i64 = 30;

const DAY_SECS: i64 = 24 * 60 * 60;

/// Sessions in the `sessions` table, data as JSON.
#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: Db,
    clock: Clock,
}

impl DbSessionStore {
    pub fn new(db: Db, clock: Clock) -> Self {
        DbSessionStore { db, clock }
    }

    /// Now, in Unix seconds, by the app's clock (tower-sessions reads the
    /// system clock; the expiry stored and checked here is ours).
    fn now(&self) -> i64 {
        self.clock.now().timestamp()
    }
}

fn backend<E: std::fmt::Display>(e: E) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

fn encode(record: &Record) -> session_store::Result<String> {
    serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))
}

/// The account a session is signed in to, kept beside the data for [`end_others`].
fn owner(record: &Record) -> Option<i64> {
    record
        .data
        .get(USER_KEY)
        .and_then(serde_json::Value::as_i64)
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // Ids are random; on the rare collision draw another rather than overwrite.
        loop {
            let done = sqlx::query(
                "INSERT INTO sessions (id, data, expires_at, user_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING",
            )
            .bind(record.id.to_string())
            .bind(encode(record)?)
            .bind(self.now() + IDLE_DAYS * DAY_SECS)
            .bind(owner(record))
            .bind(self.now())
            .execute(&self.db.pool)
            .await
            .map_err(backend)?;
            if done.rows_affected() == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        sqlx::query(
            "INSERT INTO sessions (id, data, expires_at, user_id, created_at) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at, \
             user_id = excluded.user_id",
        )
        .bind(record.id.to_string())
        .bind(encode(record)?)
        .bind(self.now() + IDLE_DAYS * DAY_SECS)
        .bind(owner(record))
        .bind(self.now())
        .execute(&self.db.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let now = self.now();
        let row = sqlx::query(
            "SELECT data, expires_at FROM sessions \
             WHERE id = $1 AND expires_at > $2 AND created_at > $3",
        )
        .bind(id.to_string())
        .bind(now)
        .bind(now - MAX_AGE_DAYS * DAY_SECS)
        .fetch_optional(&self.db.pool)
        .await
        .map_err(backend)?;
        let Some(row) = row else { return Ok(None) };
        let data: String = row.try_get("data").map_err(backend)?;
        let expires: i64 = row.try_get("expires_at").map_err(backend)?;
        Ok(Some(Record {
            id: *id,
            data: serde_json::from_str(&data)
                .map_err(|e| session_store::Error::Decode(e.to_string()))?,
            expiry_date: OffsetDateTime::from_unix_timestamp(expires).map_err(backend)?,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id.to_string())
            .execute(&self.db.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

/// Ends every session signed in to `user_id` but `keep` (the one making the
/// change, if any); returns how many ended.
pub async fn end_others(
    ex: impl sqlx::AnyExecutor<'_>,
    user_id: UserId,
    keep: Option<Id>,
) -> sqlx::Result<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
        .bind(user_id)
        .bind(keep.map(|id| id.to_string()).unwrap_or_default())
        .execute(ex)
        .await?;
    Ok(done.rows_affected())
}

#[async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        let now = self.now();
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR created_at <= $2")
            .bind(now)
            .bind(now - MAX_AGE_DAYS * DAY_SECS)
            .execute(&self.db.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
