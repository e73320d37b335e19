//! Alert watches (one per trip or offer, see migration 0015), the
//! once-per-day markers, and the live bookings the alert job leaves out.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyExecutor, Row};

use super::bookings::Offer;
use super::db::insert_once;
use super::rows::{date, date_text, flag, placeholders};
use super::tokens::random_token;
use crate::domain::booking::BookingStatus;
use crate::domain::ids::{RideId, StayId, TripId};
use crate::domain::leg::Leg;

/// What a watch is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A traveller's trip: offers that fit it (on unless switched off).
    Trip,
    /// A driver's ride: trips that fit it (off unless switched on).
    Ride,
    /// A host's stay: trips that fit it (off unless switched on).
    Stay,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Trip => "trip",
            Kind::Ride => "ride",
            Kind::Stay => "stay",
        }
    }

    fn from_db(s: &str) -> Kind {
        match s {
            "ride" => Kind::Ride,
            "stay" => Kind::Stay,
            _ => Kind::Trip,
        }
    }

    /// Whether a watch without a row is on.
    pub fn on_by_default(self) -> bool {
        self == Kind::Trip
    }
}

/// One stored watch.
#[derive(Clone, Debug)]
pub struct Watch {
    pub kind: Kind,
    pub target_id: i64,
    pub enabled: bool,
    /// The one-click unsubscribe secret.
    pub token: String,
    /// Whether the job has taken stock of what fitted when watching began.
    pub started: bool,
    /// What fits and was told, as `crate::domain::alert::encode` writes it.
    pub seen: String,
}

const SELECT: &str = "SELECT kind, target_id, enabled, token, started, seen FROM alert_watches";

fn from_row(r: &AnyRow) -> sqlx::Result<Watch> {
    Ok(Watch {
        kind: Kind::from_db(&r.try_get::<String, _>("kind")?),
        target_id: r.try_get("target_id")?,
        enabled: flag(r, "enabled")?,
        token: r.try_get("token")?,
        started: flag(r, "started")?,
        seen: r.try_get("seen")?,
    })
}

/// A fingerprint of everything an alert pass reads: the offers' change
/// log, the trips, the bookings and the watches. Equal fingerprints mean
/// the pass would find what the last one found (bar the clock, which the
/// caller adds).
pub async fn fingerprint(ex: impl AnyExecutor<'_>) -> sqlx::Result<String> {
    let r = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM offer_changes) AS oc_n, \
         (SELECT COALESCE(MAX(seq), 0) FROM offer_changes) AS oc_max, \
         (SELECT COUNT(*) FROM trips) AS t_n, \
         (SELECT COALESCE(MAX(updated_at), '') FROM trips) AS t_at, \
         (SELECT COUNT(*) FROM bookings) AS b_n, \
         (SELECT COALESCE(MAX(updated_at), '') FROM bookings) AS b_at, \
         (SELECT COUNT(*) FROM alert_watches) AS w_n, \
         (SELECT CAST(COALESCE(SUM(enabled), 0) AS BIGINT) FROM alert_watches) AS w_on",
    )
    .fetch_one(ex)
    .await?;
    Ok(format!(
        "{} {} {} {} {} {} {} {}",
        r.try_get::<i64, _>("oc_n")?,
        r.try_get::<i64, _>("oc_max")?,
        r.try_get::<i64, _>("t_n")?,
        r.try_get::<String, _>("t_at")?,
        r.try_get::<i64, _>("b_n")?,
        r.try_get::<String, _>("b_at")?,
        r.try_get::<i64, _>("w_n")?,
        r.try_get::<i64, _>("w_on")?,
    ))
}

/// Every watch of one kind, by target.
pub async fn all(ex: impl AnyExecutor<'_>, kind: Kind) -> sqlx::Result<HashMap<i64, Watch>> {
    sqlx::query(&format!("{SELECT} WHERE kind = $1"))
        .bind(kind.as_str())
        .fetch_all(ex)
        .await?
        .iter()
        .map(|r| from_row(r).map(|w| (w.target_id, w)))
        .collect()
}

/// The watches of some targets of one kind (the account page's list).
pub async fn of(
    ex: impl AnyExecutor<'_>,
    kind: Kind,
    ids: &[i64],
) -> sqlx::Result<HashMap<i64, Watch>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "{SELECT} WHERE kind = $1 AND target_id IN ({})",
        placeholders(2, ids.len())
    );
    let mut q = sqlx::query(&sql).bind(kind.as_str());
    for id in ids {
        q = q.bind(*id);
    }
    q.fetch_all(ex)
        .await?
        .iter()
        .map(|r| from_row(r).map(|w| (w.target_id, w)))
        .collect()
}

/// The watch an unsubscribe link names.
pub async fn by_token(ex: impl AnyExecutor<'_>, token: &str) -> sqlx::Result<Option<Watch>> {
    sqlx::query(&format!("{SELECT} WHERE token = $1"))
        .bind(token)
        .fetch_optional(ex)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// Turns a watch on or off (made with a fresh token if it has no row yet).
pub async fn switch(
    ex: impl AnyExecutor<'_>,
    kind: Kind,
    target_id: i64,
    on: bool,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO alert_watches (kind, target_id, enabled, token) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (kind, target_id) DO UPDATE SET enabled = excluded.enabled",
    )
    .bind(kind.as_str())
    .bind(target_id)
    .bind(i64::from(on))
    .bind(random_token())
    .execute(ex)
    .await?;
    Ok(())
}

/// Records what fits when watching begins (the job's first look), unless
/// another instance took stock first.
pub async fn take_stock(
    ex: impl AnyExecutor<'_>,
    kind: Kind,
    target_id: i64,
    seen: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO alert_watches (kind, target_id, enabled, token, started, seen) \
         VALUES ($1, $2, $3, $4, 1, $5) \
         ON CONFLICT (kind, target_id) DO UPDATE SET started = 1, seen = excluded.seen \
         WHERE alert_watches.started = 0",
    )
    .bind(kind.as_str())
    .bind(target_id)
    .bind(i64::from(kind.on_by_default()))
    .bind(random_token())
    .bind(seen)
    .execute(ex)
    .await?;
    Ok(())
}

/// Replaces the seen set if it is still `old` (compare and swap): false when
/// another instance changed it meanwhile, and this one's view is stale.
pub async fn replace_seen(
    conn: &mut AnyConnection,
    kind: Kind,
    target_id: i64,
    old: &str,
    new: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE alert_watches SET seen = $1 WHERE kind = $2 AND target_id = $3 AND seen = $4",
    )
    .bind(new)
    .bind(kind.as_str())
    .bind(target_id)
    .bind(old)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Claims the watch's alert for `day` in the caller's transaction (see
/// [`insert_once`]): false when it went out already that day.
pub async fn claim_day(
    conn: &mut AnyConnection,
    kind: Kind,
    target_id: i64,
    day: NaiveDate,
) -> sqlx::Result<bool> {
    insert_once(
        conn,
        sqlx::query("INSERT INTO alerts_sent (kind, target_id, day) VALUES ($1, $2, $3)")
            .bind(kind.as_str())
            .bind(target_id)
            .bind(date_text(day)),
    )
    .await
}

/// The (target, day) alerts of one kind sent on `from` or later.
pub async fn sent_since(
    ex: impl AnyExecutor<'_>,
    kind: Kind,
    from: NaiveDate,
) -> sqlx::Result<HashSet<(i64, NaiveDate)>> {
    sqlx::query("SELECT target_id, day FROM alerts_sent WHERE kind = $1 AND day >= $2")
        .bind(kind.as_str())
        .bind(date_text(from))
        .fetch_all(ex)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("target_id")?, date(r, "day")?)))
        .collect()
}

/// The live (requested or accepted) bookings of the active trips arriving
/// on `from` or later, as (trip, offer, status).
pub async fn live_bookings(
    ex: impl AnyExecutor<'_>,
    from: NaiveDate,
) -> sqlx::Result<Vec<(TripId, Offer, Leg, BookingStatus)>> {
    sqlx::query(
        "SELECT b.trip_id, b.ride_id, b.stay_id, b.ride_home, b.status FROM bookings b JOIN trips t ON t.id = b.trip_id \
         WHERE t.status = 'active' AND t.leave >= $1 AND b.status IN ('requested', 'accepted')",
    )
    .bind(date_text(from))
    .fetch_all(ex)
    .await?
    .iter()
    .filter_map(|r| {
        let read = || -> sqlx::Result<Option<(TripId, Offer, Leg, BookingStatus)>> {
            let ride: Option<RideId> = r.try_get("ride_id")?;
            let stay: Option<StayId> = r.try_get("stay_id")?;
            let status: String = r.try_get("status")?;
            let trip: TripId = r.try_get("trip_id")?;
            let home = flag(r, "ride_home")?;
            let (offer, leg) = match (ride, stay) {
                (Some(id), _) if home => (Offer::Ride(id), Leg::RideHome),
                (Some(id), _) => (Offer::Ride(id), Leg::RideThere),
                (None, Some(id)) => (Offer::Stay(id), Leg::Nights),
                (None, None) => return Ok(None),
            };
            Ok(BookingStatus::from_db(&status).map(|s| (trip, offer, leg, s)))
        };
        read().transpose()
    })
    .collect()
}
