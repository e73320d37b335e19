//! Finding matches: fetch candidates through the indexes (the in-memory
//! offer index for a trip's offers, SQL indexes for the reverse views), let
//! the pure engine in `matching` decide and rank. Used by the pages, the `matches`
//! command and the benchmarks alike. The offer index is private to this
//! module: everything that wants open offers asks a [`Finder`].

mod index;

pub use index::Cursor;

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Days, NaiveDate};

use crate::domain::account::first_name;
use crate::domain::booking::Offer;
use crate::domain::distance::Unit;
use crate::domain::ids::{OfficeId, TripId};
use crate::domain::leg::Leg;
use crate::domain::offer::{Direction, MAX_FLEX_DAYS};
use crate::i18n::Lang;
use crate::matching::{
    self, RideCandidate, RideHomeMatch, RideMatch, StayCandidate, StayMatch, TripRequest,
};
use crate::places::{distance_km, LatLon};
use crate::store::offices::Office;
use crate::store::rides::Ride;
use crate::store::stays::Stay;
use crate::store::trips::{self, Trip};
use crate::store::{bookings, offices, Db};

/// The largest sleep radius a trip may ask for (see `parse_stay_km`).
const MAX_STAY_KM: f64 = 300.0;

use index::OfferIndex;

/// The matches handed out, counted for `/metrics` (a no-op unless a
/// recorder is installed).
pub const MATCHES_SERVED: &str = "trip_planner_matches_served_total";

/// A trip's fitting offers, ranked, each with its offer.
#[derive(Debug, Default)]
pub struct TripMatches {
    pub rides: Vec<(RideMatch, Arc<Ride>)>,
    pub stays: Vec<(StayMatch, Arc<Stay>)>,
    pub rides_home: Vec<(RideHomeMatch, Arc<Ride>)>,
}

impl TripMatches {
    /// How many matches on all legs.
    pub fn len(&self) -> usize {
        self.rides.len() + self.stays.len() + self.rides_home.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl TripMatches {
    /// One line per fitting offer, leg by leg and best first, as a
    /// traveller may see it before booking (first name, town, why it fits):
    /// what emails list.
    pub fn lines(&self, unit: Unit, lang: Lang) -> impl Iterator<Item = (Leg, Offer, String)> + '_ {
        // "Dee from Chicago, IL: 7.5 mi detour · …"
        let line = move |owner: &str, where_key: &str, town: String, reason: String| {
            format!(
                "{} {}: {reason}",
                first_name(owner),
                lang.t_args(where_key, &[("town", &town)])
            )
        };
        let rides = self.rides.iter().map(move |(m, r)| {
            (
                Leg::RideThere,
                Offer::Ride(r.id),
                line(
                    &r.owner_name,
                    "from-town",
                    r.from.town(),
                    m.reason(unit, lang),
                ),
            )
        });
        let stays = self.stays.iter().map(move |(m, s)| {
            (
                Leg::Nights,
                Offer::Stay(s.id),
                line(
                    &s.owner_name,
                    "in-town",
                    s.place.town(),
                    m.reason(unit, lang),
                ),
            )
        });
        let home = self.rides_home.iter().map(move |(m, r)| {
            (
                Leg::RideHome,
                Offer::Ride(r.id),
                line(
                    &r.owner_name,
                    "to-town",
                    r.from.town(),
                    m.reason(unit, lang),
                ),
            )
        });
        rides.chain(stays).chain(home)
    }

    /// Every fitting offer, leg by leg, best first.
    pub fn offers(&self) -> impl Iterator<Item = Offer> + '_ {
        let rides = self.rides.iter().map(|(_, r)| Offer::Ride(r.id));
        let home = self.rides_home.iter().map(|(_, r)| Offer::Ride(r.id));
        rides
            .chain(self.stays.iter().map(|(_, s)| Offer::Stay(s.id)))
            .chain(home)
    }
}

/// An office's open offers with the room left once requested bookings are
/// counted too (see [`Finder::office_offers`]), each with its offer.
#[derive(Debug, Default)]
pub struct OfficeOffers {
    pub rides: Vec<(RideCandidate, Arc<Ride>)>,
    pub stays: Vec<(StayCandidate, Arc<Stay>)>,
    pub rides_home: Vec<(RideCandidate, Arc<Ride>)>,
}

/// The database and the open offers in memory. Clones share one index, so
/// an app keeps one `Finder` in its state; a command makes its own.
#[derive(Clone, Debug)]
pub struct Finder {
    db: Db,
    index: Arc<OfferIndex>,
}

impl Finder {
    /// A finder over `db` with an empty index (filled at the first lookup).
    pub fn new(db: Db) -> Finder {
        Finder {
            db,
            index: Arc::default(),
        }
    }

    /// Brings the index up to date with the database (a full load the first time).
    pub async fn sync(&self, today: NaiveDate) -> sqlx::Result<()> {
        self.index.sync(&self.db, today).await
    }

    /// How many rides and stays the index holds (for benchmarks and logs).
    pub fn held(&self) -> (usize, usize) {
        self.index.held()
    }

    /// Every fitting ride and stay for `trip`, ranked by the matching rules,
    /// from the in-memory offer index brought up to date first.
    pub async fn for_trip(&self, trip: &Trip, today: NaiveDate) -> sqlx::Result<TripMatches> {
        let req = trip.request();
        let there = matching::trip_is_open(&req, today) && (trip.needs_ride || trip.needs_bed);
        let home = matching::trip_is_open_for_home(&req, today) && trip.needs_ride_home;
        if !(there || home) {
            return Ok(TripMatches::default());
        }
        self.sync(today).await?;
        let out = self.lookup(&req, today);
        metrics::counter!(MATCHES_SERVED).increment(out.len() as u64);
        Ok(out)
    }

    /// The fitting offers of many trip requests after one sync (the
    /// dashboard's gaps): no query per trip.
    pub async fn for_requests(
        &self,
        reqs: &[TripRequest],
        today: NaiveDate,
    ) -> sqlx::Result<Vec<TripMatches>> {
        if reqs.is_empty() {
            return Ok(vec![]);
        }
        self.sync(today).await?;
        Ok(reqs.iter().map(|req| self.lookup(req, today)).collect())
    }

    /// The ranked lists for a request from the index as it is now.
    pub fn lookup(&self, req: &TripRequest, today: NaiveDate) -> TripMatches {
        let mut out = TripMatches::default();
        if req.needs_ride_home && matching::trip_is_open_for_home(req, today) {
            out.rides_home = self.index.rides_home_for(req, today);
        }
        if !matching::trip_is_open(req, today) {
            return out;
        }
        if req.needs_ride {
            out.rides = self.index.rides_for(req, today);
        }
        if req.needs_bed && req.leave > req.arrive {
            out.stays = self.index.stays_for(req, today);
        }
        out
    }

    /// Open stays within `km` of a point that still have a night from
    /// `from` on, nearest first, with their distance.
    pub async fn stays_near(
        &self,
        point: LatLon,
        km: f64,
        from: NaiveDate,
    ) -> sqlx::Result<Vec<(f64, Arc<Stay>)>> {
        self.sync(from).await?;
        Ok(self.index.stays_near(point, km, from))
    }

    /// The open offers that could serve trips to `office` arriving in
    /// `from..=to` and leaving by `last_leave`: its rides leaving up to the
    /// longest flexibility before `from`, the stays within the largest sleep
    /// radius with a night from `from` on, its rides home leaving from `from`
    /// to the longest flexibility after `last_leave`. Unlike the other
    /// lookups, the room left subtracts requested bookings as well as
    /// accepted ones: a proposal for the whole office must not count on room
    /// someone is already waiting for.
    pub async fn office_offers(
        &self,
        office: &Office,
        from: NaiveDate,
        to: NaiveDate,
        last_leave: NaiveDate,
        today: NaiveDate,
    ) -> sqlx::Result<OfficeOffers> {
        self.sync(today).await?;
        let earliest = from
            .checked_sub_days(Days::new(MAX_FLEX_DAYS))
            .unwrap_or(from);
        let holds = bookings::pending_holds(&self.db.pool, earliest).await?;
        let free_rides = |direction, first, last| -> Vec<(RideCandidate, Arc<Ride>)> {
            self.index
                .rides_to(office.id, direction, first, last)
                .into_iter()
                .map(|r| {
                    let mut c = r.candidate();
                    c.seats_free -= holds.seats.get(&r.id).copied().unwrap_or(0);
                    (c, r)
                })
                .collect()
        };
        let rides = free_rides(Direction::ToOffice, earliest, to);
        let home_until = last_leave
            .checked_add_days(Days::new(MAX_FLEX_DAYS))
            .unwrap_or(last_leave);
        let rides_home = free_rides(Direction::Home, from, home_until);
        let stays = self
            .index
            .stays_near(office.place.point, MAX_STAY_KM, from)
            .into_iter()
            .map(|(_, s)| {
                let mut c = s.candidate();
                for night in s.first_night.iter_days().take_while(|n| *n <= s.last_night) {
                    if let Some(n) = holds.beds.get(&(s.id, night)) {
                        *c.taken.entry(night).or_default() += n;
                    }
                }
                (c, s)
            })
            .collect();
        Ok(OfficeOffers {
            rides,
            stays,
            rides_home,
        })
    }

    /// Open rides to `office` leaving on a day in `from..=to` with a seat
    /// free, from memory (the office page's map: decoding the same rows from
    /// the database took ~100 ms at 100k rides, BENCHMARKS.md "Maps").
    pub async fn rides_to_office(
        &self,
        office: OfficeId,
        from: NaiveDate,
        to: NaiveDate,
        today: NaiveDate,
    ) -> sqlx::Result<Vec<Arc<Ride>>> {
        self.sync(today).await?;
        Ok(self
            .index
            .rides_to(office, Direction::ToOffice, from, to)
            .into_iter()
            .filter(|r| r.seats_free() > 0)
            .collect())
    }

    /// Open trips that a ride home fits, best first (the driver's view of a
    /// ride home): the trips leaving its office from the longest
    /// flexibility before its departure up to the departure.
    pub async fn for_ride_home(
        &self,
        ride: &Ride,
        today: NaiveDate,
    ) -> sqlx::Result<Vec<(RideHomeMatch, Trip)>> {
        if ride.direction != Direction::Home {
            return Ok(vec![]);
        }
        let Some(office) = offices::by_id(&self.db.pool, ride.office_id).await? else {
            return Ok(vec![]);
        };
        let earliest = ride
            .depart_date
            .checked_sub_days(Days::new(MAX_FLEX_DAYS))
            .unwrap_or(ride.depart_date);
        let found = trips::leaving_from(
            &self.db.pool,
            ride.office_id,
            earliest.max(today),
            ride.depart_date,
        )
        .await?;
        let reqs: Vec<_> = found.iter().map(Trip::request).collect();
        let mut by_id: HashMap<TripId, Trip> = found.into_iter().map(|t| (t.id, t)).collect();
        Ok(
            matching::trips_for_ride_home(&ride.candidate(), office.place.point, &reqs, today)
                .into_iter()
                .filter_map(|(id, m)| by_id.remove(&id).map(|t| (m, t)))
                .collect(),
        )
    }

    /// Open trips that fit a ride, best first (the driver's view).
    pub async fn for_ride(
        &self,
        ride: &Ride,
        today: NaiveDate,
    ) -> sqlx::Result<Vec<(RideMatch, Trip)>> {
        let Some(office) = offices::by_id(&self.db.pool, ride.office_id).await? else {
            return Ok(vec![]);
        };
        let latest = ride
            .depart_date
            .checked_add_days(Days::new(MAX_FLEX_DAYS))
            .unwrap_or(ride.depart_date);
        let found = trips::arriving_at(
            &self.db.pool,
            &[ride.office_id],
            ride.depart_date.max(today),
            latest,
        )
        .await?;
        let reqs: Vec<_> = found.iter().map(Trip::request).collect();
        let mut by_id: HashMap<TripId, Trip> = found.into_iter().map(|t| (t.id, t)).collect();
        Ok(
            matching::trips_for_ride(&ride.candidate(), office.place.point, &reqs, today)
                .into_iter()
                .filter_map(|(id, m)| by_id.remove(&id).map(|t| (m, t)))
                .collect(),
        )
    }

    /// Open trips that fit a stay, best first (the host's view).
    pub async fn for_stay(
        &self,
        stay: &Stay,
        today: NaiveDate,
    ) -> sqlx::Result<Vec<(StayMatch, Trip)>> {
        let near: Vec<OfficeId> = offices::all(&self.db.pool)
            .await?
            .into_iter()
            .filter(|o| distance_km(stay.place.point, o.place.point) <= MAX_STAY_KM)
            .map(|o| o.id)
            .collect();
        let found = trips::arriving_at(
            &self.db.pool,
            &near,
            stay.first_night.max(today),
            stay.last_night,
        )
        .await?;
        let reqs: Vec<_> = found.iter().map(Trip::request).collect();
        let mut by_id: HashMap<TripId, Trip> = found.into_iter().map(|t| (t.id, t)).collect();
        Ok(matching::trips_for_stay(&stay.candidate(), &reqs, today)
            .into_iter()
            .filter_map(|(id, m)| by_id.remove(&id).map(|t| (m, t)))
            .collect())
    }
}
