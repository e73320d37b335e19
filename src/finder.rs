//! Finding matches: fetch candidates through the indexes (the in-memory
//! offer index for a trip's offers, SQL indexes for the reverse views), let
//! the pure engine in `matching` decide and rank. Used by the pages, the `matches`
//! command and the benchmarks alike.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Days, NaiveDate};

use crate::matching::{self, RideMatch, StayMatch};
use crate::places::distance_km;
use crate::store::rides::Ride;
use crate::store::stays::Stay;
use crate::store::trips::{self, Trip};
use crate::store::{offices, Db};

/// The largest sleep radius a trip may ask for (see `parse_stay_km`).
const MAX_STAY_KM: f64 = 300.0;

/// A trip's fitting offers, ranked, each with its offer.
#[derive(Debug, Default)]
pub struct TripMatches {
    pub rides: Vec<(RideMatch, Arc<Ride>)>,
    pub stays: Vec<(StayMatch, Arc<Stay>)>,
}

/// Every fitting ride and stay for `trip`, ranked by the matching rules, from
/// the in-memory offer index brought up to date first.
pub async fn for_trip(db: &Db, trip: &Trip, today: NaiveDate) -> sqlx::Result<TripMatches> {
    let req = trip.request();
    let mut out = TripMatches::default();
    if !matching::trip_is_open(&req, today) || !(trip.needs_ride || trip.needs_bed) {
        return Ok(out);
    }
    db.offers.sync(db, today).await?;
    if trip.needs_ride {
        out.rides = db.offers.rides_for(&req, today);
    }
    if trip.needs_bed && trip.leave > trip.arrive {
        out.stays = db.offers.stays_for(&req, today);
    }
    metrics::counter!(crate::web::metrics::MATCHES_SERVED)
        .increment((out.rides.len() + out.stays.len()) as u64);
    Ok(out)
}

/// Open trips that fit a ride, best first (the driver's view).
pub async fn for_ride(
    db: &Db,
    ride: &Ride,
    today: NaiveDate,
) -> sqlx::Result<Vec<(RideMatch, Trip)>> {
    let Some(office) = offices::by_id(&db.pool, ride.office_id).await? else {
        return Ok(vec![]);
    };
    let latest = ride
        .depart_date
        .checked_add_days(Days::new(crate::domain::offer::MAX_FLEX_DAYS))
        .unwrap_or(ride.depart_date);
    let found = trips::arriving_at(
        &db.pool,
        &[ride.office_id],
        ride.depart_date.max(today),
        latest,
    )
    .await?;
    let reqs: Vec<_> = found.iter().map(Trip::request).collect();
    let mut by_id: HashMap<i64, Trip> = found.into_iter().map(|t| (t.id, t)).collect();
    Ok(
        matching::trips_for_ride(&ride.candidate(), office.place.point, &reqs, today)
            .into_iter()
            .filter_map(|(id, m)| by_id.remove(&id).map(|t| (m, t)))
            .collect(),
    )
}

/// Open trips that fit a stay, best first (the host's view).
pub async fn for_stay(
    db: &Db,
    stay: &Stay,
    today: NaiveDate,
) -> sqlx::Result<Vec<(StayMatch, Trip)>> {
    let near: Vec<i64> = offices::all(&db.pool)
        .await?
        .into_iter()
        .filter(|o| distance_km(stay.place.point, o.place.point) <= MAX_STAY_KM)
        .map(|o| o.id)
        .collect();
    let found = trips::arriving_at(
        &db.pool,
        &near,
        stay.first_night.max(today),
        stay.last_night,
    )
    .await?;
    let reqs: Vec<_> = found.iter().map(Trip::request).collect();
    let mut by_id: HashMap<i64, Trip> = found.into_iter().map(|t| (t.id, t)).collect();
    Ok(matching::trips_for_stay(&stay.candidate(), &reqs, today)
        .into_iter()
        .filter_map(|(id, m)| by_id.remove(&id).map(|t| (m, t)))
        .collect())
}
