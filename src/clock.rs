//! The app's notion of "now". Rules such as "after 48 hours" read it from
//! here, so tests can set the time instead of waiting for it.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use std::sync::{Arc, RwLock};

/// A clock shared by every handler and worker of one app.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    fixed: Arc<RwLock<Option<DateTime<Utc>>>>,
}

impl Clock {
    /// Follows the system clock.
    pub fn system() -> Clock {
        Clock::default()
    }

    /// The current instant.
    pub fn now(&self) -> DateTime<Utc> {
        self.fixed
            .read()
            .ok()
            .and_then(|f| *f)
            .unwrap_or_else(Utc::now)
    }

    /// Today's date in UTC.
    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }

    /// Pins the clock to `at` (tests and demos only).
    pub fn set(&self, at: DateTime<Utc>) {
        if let Ok(mut f) = self.fixed.write() {
            *f = Some(at);
        }
    }

    /// The current instant as stored in the database.
    pub fn now_text(&self) -> String {
        timestamp_text(self.now())
    }
}

/// The one text form of a timestamp in the database: sortable RFC 3339, UTC, seconds.
pub fn timestamp_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}
