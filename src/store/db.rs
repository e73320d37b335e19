//! The one connection pool, and the few places where SQLite and PostgreSQL
//! must be spoken to differently. Everything else in `store/` is portable SQL
//! over sqlx's `Any` driver with `$n` placeholders.

use std::borrow::Cow;
use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, ConnectOptions, Connection, Executor};

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
        "contact reads per day",
        Sql::Both(include_str!(
            "../../migrations/0012_contact_reads_daily.sql"
        )),
    ),
    (
        13,
        "office day counts",
        Sql::Both(include_str!("../../migrations/0013_office_day_counts.sql")),
    ),
    (
        14,
        "rides home",
        Sql::Both(include_str!("../../migrations/0014_rides_home.sql")),
    ),
    (
        15,
        "alerts",
        Sql::Both(include_str!("../../migrations/0015_alerts.sql")),
    ),
    (
        16,
        "office proposals",
        Sql::Both(include_str!("../../migrations/0016_office_proposals.sql")),
    ),
    (
        17,
        "language per user",
        Sql::Both(include_str!("../../migrations/0017_language.sql")),
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
        if backend == Backend::Postgres {
            // One connection first, alone and briefly: the pool would retry a
            // refused connection until its acquire timeout and then only say
            // "pool timed out".
            first_connection(url, &options).await?.close().await?;
        }
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
                        // timeout makes writers queue instead of failing. SQLite's
                        // own page cache stays at its default: a memory map or a
                        // larger cache doubled the dashboard's rate but cost the
                        // memory the election-week aim bounds (BENCHMARKS.md,
                        // "Profiles").
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
        self.migrate_up_to(i64::MAX).await
    }

    /// Applies the embedded migrations up to version `last` (tests use it to
    /// check how a migration converts rows written under an older schema).
    pub async fn migrate_up_to(&self, last: i64) -> anyhow::Result<()> {
        let migrations: Vec<Migration> = MIGRATIONS
            .iter()
            .filter(|(version, _, _)| *version <= last)
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
        match self.backend {
            // sqlx holds an advisory lock on PostgreSQL while migrating.
            Backend::Postgres => migrator
                .run(&self.pool)
                .await
                .context("database migration failed")?,
            // sqlx takes no lock on SQLite: instances starting together on a
            // new file all read "nothing applied" and then all create the
            // tables. The database's write lock, taken before the applied set
            // is read, makes the others wait and then find nothing left to do.
            // The migrations run inside that transaction, each as a savepoint.
            Backend::Sqlite => {
                let mut conn = self.pool.acquire().await?;
                // Waiting for another writer is bounded by the busy timeout;
                // another instance's migration may take longer.
                for attempt in 0.. {
                    let mut tx = match conn.begin_with("BEGIN IMMEDIATE").await {
                        Ok(tx) => tx,
                        Err(e) if is_busy(&e) && attempt < 20 => {
                            tracing::info!("waiting for another instance to finish migrating");
                            continue;
                        }
                        Err(e) => {
                            return Err(e).context("could not lock the database to migrate it")
                        }
                    };
                    migrator
                        .run_direct(&mut *tx)
                        .await
                        .context("database migration failed")?;
                    tx.commit().await.context("database migration failed")?;
                    break;
                }
            }
        }
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

/// How long the first connection to PostgreSQL may take before the start fails.
const FIRST_CONNECT_SECS: u64 = 5;

/// One connection to PostgreSQL within [`FIRST_CONNECT_SECS`], or an error
/// saying what is wrong at which address.
async fn first_connection(
    url: &str,
    options: &AnyConnectOptions,
) -> anyhow::Result<sqlx::AnyConnection> {
    let at = pg_address(url);
    match tokio::time::timeout(Duration::from_secs(FIRST_CONNECT_SECS), options.connect()).await {
        Ok(Ok(conn)) => Ok(conn),
        Ok(Err(e)) => Err(anyhow::anyhow!(connect_problem(&e, &at))),
        Err(_) => anyhow::bail!(
            "no answer from PostgreSQL at {at} within {FIRST_CONNECT_SECS} seconds: \
             check the host and port in DATABASE_URL"
        ),
    }
}

/// Why a connection to PostgreSQL at `at` failed, in words that say what to change.
fn connect_problem(e: &sqlx::Error, at: &str) -> String {
    match e {
        sqlx::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => format!(
            "connection refused at {at}: is PostgreSQL running there? \
             Check the host and port in DATABASE_URL"
        ),
        sqlx::Error::Io(io) => format!("could not reach PostgreSQL at {at}: {io}"),
        sqlx::Error::Database(db) if db.code().as_deref() == Some("3D000") => format!(
            "{} at {at}: `trip-planner migrate` creates it",
            db.message()
        ),
        sqlx::Error::Database(db) if matches!(db.code().as_deref(), Some("28P01" | "28000")) => {
            format!(
                "PostgreSQL at {at} refused the user or password in DATABASE_URL: {}",
                db.message()
            )
        }
        e => format!("could not connect to PostgreSQL at {at}: {e}"),
    }
}

/// `host:port` of a PostgreSQL URL, for messages (port 5432 when not given).
fn pg_address(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?']).next().unwrap_or(rest);
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let has_port = host
        .rsplit_once(':')
        .is_some_and(|(_, p)| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    match (host.is_empty(), has_port) {
        (true, _) => "localhost:5432".into(),
        (false, true) => host.into(),
        (false, false) => format!("{host}:5432"),
    }
}

/// The URL with its database name replaced (PostgreSQL).
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    format!("{base}/{name}{query}")
}

/// The database name of a PostgreSQL URL, if it names one.
fn database_name(url: &str) -> Option<String> {
    let base = url.split('?').next().unwrap_or(url);
    let rest = &base[base.find("://")? + 3..];
    let name = &rest[rest.find('/')? + 1..];
    (!name.is_empty()).then(|| name.to_string())
}

impl Db {
    /// Creates the database a PostgreSQL URL names if the server lacks it,
    /// through the server's `postgres` maintenance database; true when it
    /// did. SQLite files are created by connecting (`mode=rwc`), so nothing
    /// is done for them.
    pub async fn create_if_missing(url: &str) -> anyhow::Result<bool> {
        if !(url.starts_with("postgres:") || url.starts_with("postgresql:")) {
            return Ok(false);
        }
        sqlx::any::install_default_drivers();
        let options =
            AnyConnectOptions::from_str(url).context("DATABASE_URL is not a valid database URL")?;
        let missing = match first_connection(url, &options).await {
            Ok(conn) => {
                conn.close().await?;
                return Ok(false);
            }
            Err(e) => e,
        };
        let Some(name) = database_name(url) else {
            return Err(missing);
        };
        // Only "no such database" is ours to fix; anything else is reported as is.
        let maintenance = with_database(url, "postgres");
        let options = AnyConnectOptions::from_str(&maintenance)?;
        let mut admin = first_connection(&maintenance, &options).await?;
        let exists = sqlx::query("SELECT 1 FROM pg_database WHERE datname = $1")
            .bind(&name)
            .fetch_optional(&mut admin)
            .await?
            .is_some();
        if exists {
            admin.close().await?;
            return Err(missing);
        }
        let quoted = format!("\"{}\"", name.replace('"', "\"\""));
        let created = match admin
            .execute(format!("CREATE DATABASE {quoted}").as_str())
            .await
        {
            Ok(_) => true,
            // Another instance created it meanwhile.
            Err(sqlx::Error::Database(db)) if db.code().as_deref() == Some("42P04") => false,
            Err(e) => {
                return Err(e).with_context(|| {
                    format!(
                        "could not create the database {name} at {}",
                        pg_address(url)
                    )
                })
            }
        };
        admin.close().await?;
        Ok(created)
    }
}

/// Whether SQLite answered "database is locked" (its busy timeout ran out).
fn is_busy(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => {
            matches!(db.code().as_deref(), Some("5" | "517"))
                || db.message().contains("database is locked")
        }
        _ => false,
    }
}

/// Runs an INSERT that may happen only once (a marker with a unique key):
/// true when this call inserted it, false when another run or instance
/// already had. Letting the database refuse the duplicate is what makes a
/// once-per-day email go out exactly once across instances. On false the
/// caller's transaction must be rolled back (PostgreSQL has aborted it).
pub async fn insert_once<'q>(
    conn: &mut sqlx::AnyConnection,
    insert: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
) -> sqlx::Result<bool> {
    match insert.execute(conn).await {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_addresses_and_names_read_from_urls() {
        assert_eq!(
            pg_address("postgres://u:p@db.internal:6543/trip"),
            "db.internal:6543"
        );
        assert_eq!(
            pg_address("postgres://u:p@db.internal/trip"),
            "db.internal:5432"
        );
        assert_eq!(
            pg_address("postgresql://127.0.0.1:55432/x?sslmode=disable"),
            "127.0.0.1:55432"
        );
        assert_eq!(pg_address("postgres:///trip"), "localhost:5432");
        assert_eq!(
            database_name("postgres://u@h:1/trip?sslmode=require").as_deref(),
            Some("trip")
        );
        assert_eq!(database_name("postgres://u@h:1"), None);
        assert_eq!(
            with_database("postgres://u:p@h:1/trip?sslmode=require", "postgres"),
            "postgres://u:p@h:1/postgres?sslmode=require"
        );
        assert_eq!(
            with_database("postgres://h", "postgres"),
            "postgres://h/postgres"
        );
    }
}
