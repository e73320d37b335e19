//! The one connection pool, and the few places where SQLite and PostgreSQL
//! must be spoken to differently. Everything else in `store/` is portable SQL
//! over sqlx's `Any` driver with `$n` placeholders.

use std::borrow::Cow;
use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, ConnectOptions, Executor};

/// Which database engine is behind the pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// `col` as an ORDER BY term that sorts text byte by byte, as Rust sorts
    /// a `str` (SQLite's default; PostgreSQL would use the database's locale).
    pub fn byte_order(self, col: &str) -> String {
        match self {
            Backend::Sqlite => col.to_string(),
            Backend::Postgres => format!("{col} COLLATE \"C\""),
        }
    }
}

/// A pool plus the engine it talks to.
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

/// One migration's SQL: the same for both engines, or written for each
/// (triggers cannot be spelled portably).
enum Sql {
    Both(&'static str),
    Each {
        sqlite: &'static str,
        postgres: &'static str,
    },
}

/// The migrations, embedded so the binary runs from any directory.
const MIGRATIONS: &[(i64, &str, Sql)] = &[
    (
        1,
        "foundation",
        Sql::Both(include_str!("../../migrations/0001_foundation.sql")),
    ),
    (
        2,
        "offers and trips",
        Sql::Both(include_str!("../../migrations/0002_offers_and_trips.sql")),
    ),
    (
        3,
        "bookings, email and calendars",
        Sql::Both(include_str!(
            "../../migrations/0003_bookings_email_calendars.sql"
        )),
    ),
    (
        4,
        "office view",
        Sql::Both(include_str!("../../migrations/0004_office_view.sql")),
    ),
    (
        5,
        "token lookup by booking",
        Sql::Both(include_str!("../../migrations/0005_token_lookup.sql")),
    ),
    (
        6,
        "offer change log",
        Sql::Each {
            sqlite: include_str!("../../migrations/0006_offer_changes.sqlite.sql"),
            postgres: include_str!("../../migrations/0006_offer_changes.postgres.sql"),
        },
    ),
    (
        7,
        "one accepted booking per leg",
        Sql::Both(include_str!(
            "../../migrations/0007_one_accepted_per_leg.sql"
        )),
    ),
    (
        8,
        "distance unit per user",
        Sql::Both(include_str!("../../migrations/0008_distance_unit.sql")),
    ),
    (
        9,
        "login attempts",
        Sql::Both(include_str!("../../migrations/0009_login_attempts.sql")),
    ),
    (
        10,
        "session owner",
        Sql::Both(include_str!("../../migrations/0010_session_owner.sql")),
    ),
    (
        11,
        "session age",
        Sql::Both(include_str!("../../migrations/0011_session_age.sql")),
    ),
    (
        12,
        "office day counts",
        Sql::Both(include_str!("../../migrations/0012_office_day_counts.sql")),
    ),
];

impl Db {
    /// Connects (creating a SQLite file if the URL allows) without migrating.
    pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            anyhow::bail!("DATABASE_URL must start with sqlite: or postgres:");
        };
        let options = AnyConnectOptions::from_str(url)
            .context("DATABASE_URL is not a valid database URL")?
            .log_statements(tracing::log::LevelFilter::Trace)
            .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_millis(500));
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections.max(1))
            // A SQLite connection is a file handle that cannot drop like a
            // socket; pinging it before each use doubled the cost of short
            // statements (BENCHMARKS.md, "Matching"). PostgreSQL keeps the check.
            .test_before_acquire(backend == Backend::Postgres)
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers work beside the one writer; the busy
                        // timeout makes writers queue instead of failing.
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                             PRAGMA busy_timeout = 15000; PRAGMA foreign_keys = ON;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .with_context(|| format!("could not open the database ({})", redact(url)))?;
        Ok(Db { pool, backend })
    }

    /// Connects and brings the schema up to date (safe with several instances:
    /// sqlx takes a lock while migrating).
    pub async fn connect_and_migrate(url: &str, max_connections: u32) -> anyhow::Result<Db> {
        let db = Db::connect(url, max_connections).await?;
        db.migrate().await?;
        Ok(db)
    }

    /// Applies the embedded migrations.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        let migrations: Vec<Migration> = MIGRATIONS
            .iter()
            .map(|(version, name, sql)| {
                Migration::new(
                    *version,
                    Cow::Borrowed(*name),
                    MigrationType::Simple,
                    Cow::Owned(spelled_for(sql, self.backend)),
                    false,
                )
            })
            .collect();
        let migrator = Migrator {
            migrations: Cow::Owned(migrations),
            ..Migrator::DEFAULT
        };
        migrator
            .run(&self.pool)
            .await
            .context("database migration failed")?;
        Ok(())
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }
}

/// One migration's SQL as it runs on `backend`: `{{ID}}` is the
/// auto-assigned key, `{{NOW}}` the current time as the app writes
/// timestamps (RFC 3339, UTC, seconds). Both are fixed per engine, so a
/// migration's checksum never changes.
fn spelled_for(sql: &Sql, backend: Backend) -> String {
    let (sql, id_type, now) = match (sql, backend) {
        (Sql::Both(sql), Backend::Sqlite) | (Sql::Each { sqlite: sql, .. }, Backend::Sqlite) => (
            sql,
            "INTEGER PRIMARY KEY AUTOINCREMENT",
            "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
        ),
        (Sql::Both(sql), Backend::Postgres)
        | (Sql::Each { postgres: sql, .. }, Backend::Postgres) => (
            sql,
            "BIGSERIAL PRIMARY KEY",
            "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
        ),
    };
    sql.replace("{{ID}}", id_type).replace("{{NOW}}", now)
}

/// The SQL of migration `version` as it runs on `backend` (tests run a
/// data-fixing migration again over rows they made).
pub fn migration_sql(version: i64, backend: Backend) -> Option<String> {
    MIGRATIONS
        .iter()
        .find(|(v, _, _)| *v == version)
        .map(|(_, _, sql)| spelled_for(sql, backend))
}

/// Whether an error is a unique-constraint violation (the database refused a duplicate).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => {
            db.is_unique_violation()
                || db.code().as_deref() == Some("23505")
                || db.code().as_deref() == Some("2067")
                || db.code().as_deref() == Some("1555")
        }
        _ => false,
    }
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://…@{}", &url[..s], &url[at + 1..]),
        _ => url.to_string(),
    }
}
