//! The figures across every office for the campaign view and the metrics
//! endpoint: a handful of set-wide reads, never one per office or trip.

use crate::domain::ids::{OfficeId, TripId};
use chrono::NaiveDate;
use sqlx::{AnyConnection, AnyExecutor, Row};

use super::rides::{self, Ride};
use super::rows::date_text;
use super::stays::{self, BBox, Stay};

/// An accepted booking of an upcoming trip.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Accepted {
    pub trip_id: TripId,
    pub office_id: OfficeId,
    pub is_ride: bool,
    /// A ride home (`is_ride` is then true too).
    pub ride_home: bool,
}

/// Accepted bookings of open trips arriving on or after `today`.
pub async fn accepted_for_upcoming(
    ex: impl AnyExecutor<'_>,
    today: NaiveDate,
) -> sqlx::Result<Vec<Accepted>> {
    sqlx::query(
        "SELECT b.trip_id, t.office_id, b.ride_id, b.ride_home FROM bookings b JOIN trips t ON t.id = b.trip_id \
         WHERE b.status = 'accepted' AND t.status = 'active' AND t.arrive >= $1",
    )
    .bind(date_text(today))
    .fetch_all(ex)
    .await?
    .iter()
    .map(|r| {
        Ok(Accepted {
            trip_id: r.try_get("trip_id")?,
            office_id: r.try_get("office_id")?,
            is_ride: r.try_get::<Option<i64>, _>("ride_id")?.is_some(),
            ride_home: super::rows::flag(r, "ride_home")?,
        })
    })
    .collect()
}

/// Open rides to any office departing on or after `from`.
pub async fn open_rides_from(ex: impl AnyExecutor<'_>, from: NaiveDate) -> sqlx::Result<Vec<Ride>> {
    sqlx::query(&format!(
        "{} WHERE r.status = 'active' AND r.depart_date >= $1",
        rides::SELECT
    ))
    .bind(date_text(from))
    .fetch_all(ex)
    .await?
    .iter()
    .map(rides::from_row)
    .collect()
}

/// Open stays with a night on or after `from`, with their blocked and taken
/// nights from then on.
pub async fn open_stays_from(conn: &mut AnyConnection, from: NaiveDate) -> sqlx::Result<Vec<Stay>> {
    let everywhere = BBox {
        min_lat: -90.0,
        max_lat: 90.0,
        min_lon: -180.0,
        max_lon: 180.0,
    };
    // Dates are capped at 2100 when typed (`parse_date`).
    let last = NaiveDate::from_ymd_opt(2100, 12, 31).unwrap_or(NaiveDate::MAX);
    stays::overlapping(conn, everywhere, from, last).await
}

/// How many bookings are in each state (states with none are left out).
pub async fn bookings_by_status(ex: impl AnyExecutor<'_>) -> sqlx::Result<Vec<(String, i64)>> {
    sqlx::query("SELECT status, COUNT(*) AS n FROM bookings GROUP BY status ORDER BY status")
        .fetch_all(ex)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("status")?, r.try_get("n")?)))
        .collect()
}
