//! SQL only: one file per aggregate. Functions take an executor (pool or
//! transaction) and return plain domain values.

pub mod alerts;
pub mod arrivals;
pub mod bookings;
pub mod calendar;
pub mod campaign;
pub mod changes;
pub mod db;
pub mod digests;
pub mod ids;
pub mod meta;
pub mod office_feeds;
pub mod offices;
pub mod outbox;
pub mod people;
pub mod rides;
pub mod rows;
pub mod sessions;
pub mod stays;
pub mod tokens;
pub mod trips;
pub mod users;

pub use db::{Backend, Db};

/// Reads a BIGINT 0/1 column (the `Any` driver has no portable bool on SQLite).
pub fn flag(v: i64) -> bool {
    v != 0
}
