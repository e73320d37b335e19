//! What the use cases and the handlers share: the database, the clock, the
//! settings, the mailer, the finder and the password hasher. It sits below `web` so that use cases
//! (bookings, digest, jobs) can take it without knowing about HTTP.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::clock::Clock;
use crate::config::Settings;
use crate::email::mailer::Mailer;
use crate::finder::Finder;
use crate::passwords::Passwords;
use crate::store::Db;

/// What every handler and use case can reach.
#[derive(Clone)]
pub struct AppState {
    /// The one pool (SQLite or PostgreSQL).
    pub db: Db,
    /// Now and today; tests set it.
    pub clock: Clock,
    /// Flags and environment, read once at start.
    pub settings: Arc<Settings>,
    /// Where email goes (SMTP or files), built once from the settings.
    pub mailer: Arc<Mailer>,
    /// Matching over the open offers held in memory (one index per instance).
    pub finder: Finder,
    /// Password hashing and checks, a bounded number at once.
    pub passwords: Passwords,
    /// What each background job last acted on (see [`JobMarks`]).
    pub job_marks: JobMarks,
}

/// The inputs each background job last acted on, as a fingerprint, and
/// when: a job whose fingerprint has not moved may skip its pass, up to a
/// safety interval. Per instance (an app in a test has its own).
#[derive(Clone, Default)]
pub struct JobMarks(Arc<Mutex<HashMap<&'static str, (String, Instant)>>>);

impl JobMarks {
    /// Whether `job` last acted on `mark`, less than `within` ago.
    pub fn unchanged(&self, job: &'static str, mark: &str, within: Duration) -> bool {
        let marks = self.0.lock().unwrap_or_else(|e| e.into_inner());
        marks
            .get(job)
            .is_some_and(|(m, at)| m == mark && at.elapsed() < within)
    }

    /// Records that `job` acted on `mark` now.
    pub fn set(&self, job: &'static str, mark: String) {
        let mut marks = self.0.lock().unwrap_or_else(|e| e.into_inner());
        marks.insert(job, (mark, Instant::now()));
    }
}

impl AppState {
    /// The state for `db` and `settings`; the mailer is built from the settings.
    pub fn new(db: Db, clock: Clock, settings: Settings) -> anyhow::Result<AppState> {
        let mailer = Mailer::from_settings(&settings)?;
        Ok(AppState::with_mailer(db, clock, settings, mailer))
    }

    /// The state with a mailer already built (and so checked) from `settings`.
    pub fn with_mailer(db: Db, clock: Clock, settings: Settings, mailer: Mailer) -> AppState {
        let mailer = Arc::new(mailer);
        let passwords =
            Passwords::per_core(std::time::Duration::from_millis(settings.password_wait_ms));
        AppState {
            finder: Finder::new(db.clone()),
            passwords,
            job_marks: JobMarks::default(),
            db,
            clock,
            settings: Arc::new(settings),
            mailer,
        }
    }

    /// An absolute link to a path of the site.
    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.settings.public_url(), path)
    }
}
