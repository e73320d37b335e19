//! The open offers in memory, indexed for matching: rides by (office,
//! departure day), stays by a grid of 0.25° cells. Moving a thousand candidate
//! rows out of SQLite through sqlx costs ~10 µs a row, so at campaign sizes
//! only memory answers a trip's full ranked lists in under a millisecond
//! (BENCHMARKS.md, "Matching").
//!
//! The database stays the truth. Triggers log every change to rides, stays,
//! their nights and their owners' names (migration 0006); before each lookup
//! the index reads the log past its cursor and reloads just what changed, so
//! a write by this instance, another instance or the command line is seen by
//! the next lookup. Capacity itself is never decided here: bookings take seats
//! and beds in guarded transactions.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};

use chrono::{Days, NaiveDate};

use crate::domain::ids::{OfficeId, RideId, StayId, UserId};
use crate::domain::offer::{Direction, Status, MAX_FLEX_DAYS};
use crate::matching::{
    self, RideCandidate, RideHomeMatch, RideMatch, StayCandidate, StayMatch, TripRequest,
};
use crate::places::LatLon;
use crate::store::changes::{self, Change, ChangeKind};
use crate::store::rides::{self, Ride};
use crate::store::stays::{self, BBox, Stay};
use crate::store::Db;

/// More pending changes than this and a full reload is cheaper.
const MAX_CHANGES: i64 = 5_000;
/// Rows per query of a full load: decoded rows cost far more memory than the
/// index entries they become, so a full load never holds many at once.
const LOAD_PAGE: i64 = 2_000;
/// Degrees per side of a grid cell: a 40 km radius covers about 4 × 5 cells.
const CELL_DEG: f64 = 0.25;

/// Where the index has read the log up to, as a pure value.
///
/// The log is read in (transaction id, sequence) order. On PostgreSQL a
/// transaction that began earlier can commit later, so its rows can appear
/// behind ones already read; the cursor therefore only moves past rows of
/// transactions older than every running one (`settled`). Newer rows are
/// applied at once and remembered, so they are not applied twice when the
/// cursor reaches them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cursor {
    pub pos: (i64, i64),
    applied: HashSet<i64>,
}

impl Cursor {
    pub fn at(pos: (i64, i64)) -> Cursor {
        Cursor {
            pos,
            applied: HashSet::new(),
        }
    }

    /// Takes a batch read after `pos` in (xid, seq) order, where every
    /// transaction below `settled` had ended before the read; returns the
    /// changes not applied before.
    pub fn take(&mut self, batch: &[Change], settled: i64) -> Vec<Change> {
        let mut fresh = Vec::new();
        let mut moving = true;
        for c in batch {
            if !self.applied.contains(&c.seq) {
                fresh.push(*c);
            }
            if moving && c.xid < settled {
                self.pos = (c.xid, c.seq);
            } else {
                moving = false;
                self.applied.insert(c.seq);
            }
        }
        let pos = self.pos;
        // Only rows read in this batch can be behind the cursor now.
        for c in batch {
            if (c.xid, c.seq) <= pos {
                self.applied.remove(&c.seq);
            }
        }
        fresh
    }

    /// Changes applied ahead of the cursor (bounded by running transactions).
    pub fn ahead(&self) -> usize {
        self.applied.len()
    }
}

/// The grid cell holding a point.
fn cell(p: LatLon) -> (i32, i32) {
    (
        (p.lat / CELL_DEG).floor() as i32,
        (p.lon / CELL_DEG).floor() as i32,
    )
}

struct StayEntry {
    stay: Arc<Stay>,
    cand: StayCandidate,
}

/// A stay as its grid cell holds it: the figures the prefilter reads sit
/// inline, so scanning a cell touches no other memory.
struct StaySlot {
    point: LatLon,
    first_night: NaiveDate,
    last_night: NaiveDate,
    beds: i32,
    entry: Arc<StayEntry>,
}

/// A ride as its (office, day) slot holds it: the plain values the engine
/// ranks sit inline, so a lookup ranks the slots where they lie, without
/// building candidates or touching the rides themselves.
struct RideSlot {
    cand: RideCandidate,
    ride: Arc<Ride>,
}

/// The slots hold the offers themselves (not ids to look up): a lookup walks
/// a few thousand candidates, and a hash lookup each would cost more than
/// everything else together.
#[derive(Default)]
struct Data {
    rides: HashMap<RideId, Arc<Ride>>,
    /// Rides there and rides home sit apart: a trip's lookup for one leg
    /// never walks the other direction's rides.
    ride_slots: HashMap<(OfficeId, Direction, NaiveDate), Vec<RideSlot>>,
    stays: HashMap<StayId, Arc<StayEntry>>,
    stay_cells: HashMap<(i32, i32), Vec<StaySlot>>,
}

impl Data {
    fn remove_ride(&mut self, id: RideId) {
        let Some(old) = self.rides.remove(&id) else {
            return;
        };
        let key = (old.office_id, old.direction, old.depart_date);
        if let Some(slot) = self.ride_slots.get_mut(&key) {
            slot.retain(|s| s.cand.id != id);
            if slot.is_empty() {
                self.ride_slots.remove(&key);
            }
        }
    }

    /// Puts `ride` in if it is open, takes any older copy out.
    fn put_ride(&mut self, ride: Ride) {
        self.remove_ride(ride.id);
        if ride.status != Status::Active {
            return;
        }
        let ride = Arc::new(ride);
        self.ride_slots
            .entry((ride.office_id, ride.direction, ride.depart_date))
            .or_default()
            .push(RideSlot {
                cand: ride.candidate(),
                ride: Arc::clone(&ride),
            });
        self.rides.insert(ride.id, ride);
    }

    fn remove_stay(&mut self, id: StayId) {
        let Some(old) = self.stays.remove(&id) else {
            return;
        };
        let key = cell(old.cand.point);
        if let Some(slots) = self.stay_cells.get_mut(&key) {
            slots.retain(|s| s.entry.stay.id != id);
            if slots.is_empty() {
                self.stay_cells.remove(&key);
            }
        }
    }

    fn put_stay(&mut self, stay: Stay) {
        self.remove_stay(stay.id);
        if stay.status != Status::Active {
            return;
        }
        let cand = stay.candidate();
        let entry = Arc::new(StayEntry {
            stay: Arc::new(stay),
            cand,
        });
        let c = &entry.cand;
        self.stay_cells
            .entry(cell(c.point))
            .or_default()
            .push(StaySlot {
                point: c.point,
                first_night: c.first_night,
                last_night: c.last_night,
                beds: c.beds,
                entry: Arc::clone(&entry),
            });
        self.stays.insert(c.id, entry);
    }

    fn owned_by(&self, owner: UserId) -> (Vec<RideId>, Vec<StayId>) {
        let rides = self
            .rides
            .values()
            .filter(|r| r.owner_id == owner)
            .map(|r| r.id)
            .collect();
        let stays = self
            .stays
            .values()
            .filter(|s| s.stay.owner_id == owner)
            .map(|s| s.stay.id)
            .collect();
        (rides, stays)
    }

    /// Every stay slot in the cells a box touches.
    fn stays_in(&self, b: BBox) -> impl Iterator<Item = &StaySlot> {
        cells(b)
            .filter_map(|c| self.stay_cells.get(&c))
            .flatten()
            .filter(move |s| inside(b, s.point))
    }
}

struct SyncState {
    cursor: Cursor,
    /// The day of the last full load (offers over before it were left out),
    /// or `None` before the first.
    loaded: Option<NaiveDate>,
}

/// The shared index; one per process, inside [`Db`].
pub struct OfferIndex {
    sync: tokio::sync::Mutex<SyncState>,
    data: RwLock<Data>,
}

impl std::fmt::Debug for OfferIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (rides, stays) = self.held();
        f.debug_struct("OfferIndex")
            .field("rides", &rides)
            .field("stays", &stays)
            .finish()
    }
}

impl Default for OfferIndex {
    fn default() -> Self {
        OfferIndex {
            sync: tokio::sync::Mutex::new(SyncState {
                cursor: Cursor::default(),
                loaded: None,
            }),
            data: RwLock::new(Data::default()),
        }
    }
}

impl OfferIndex {
    /// Open rides and stays held.
    pub fn held(&self) -> (usize, usize) {
        let data = self.data.read().unwrap_or_else(|e| e.into_inner());
        (data.rides.len(), data.stays.len())
    }

    /// Brings the index up to date with the database: the first call loads
    /// every open offer; later calls read the change log past the cursor
    /// (one indexed query, usually empty) and reload only what changed.
    pub async fn sync(&self, db: &Db, today: NaiveDate) -> sqlx::Result<()> {
        let mut state = self.sync.lock().await;
        // A clock set back (tests, demo data) needs the offers left out.
        if state.loaded.is_some_and(|day| day <= today) {
            let settled = changes::settled_below(db).await?;
            let batch = changes::after(db, state.cursor.pos, MAX_CHANGES + 1).await?;
            if (batch.len() as i64) <= MAX_CHANGES {
                let fresh = state.cursor.take(&batch, settled);
                if !fresh.is_empty() {
                    self.apply(db, &fresh).await?;
                }
                return Ok(());
            }
        }
        // Settled first, then the cursor, then the rows: every change at or
        // before the cursor committed before the rows were read.
        let settled = changes::settled_below(db).await?;
        let pos = changes::last_settled(&db.pool, settled).await?;
        // Rides leaving before this fit no trip arriving today or later.
        let since = today
            .checked_sub_days(Days::new(MAX_FLEX_DAYS))
            .unwrap_or(today);
        let mut data = Data::default();
        let mut after = RideId(0);
        loop {
            let page = rides::open_from(&db.pool, since, after, LOAD_PAGE).await?;
            let done = (page.len() as i64) < LOAD_PAGE;
            for r in page {
                after = r.id;
                data.put_ride(r);
            }
            if done {
                break;
            }
        }
        let mut conn = db.pool.acquire().await?;
        let mut nights = stays::nights_from(&mut conn, today).await?;
        let mut after = StayId(0);
        loop {
            let page = stays::open_from(&mut conn, today, after, LOAD_PAGE).await?;
            let done = (page.len() as i64) < LOAD_PAGE;
            for mut s in page {
                after = s.id;
                nights.attach(&mut s);
                data.put_stay(s);
            }
            if done {
                break;
            }
        }
        drop(conn);
        *self.data.write().unwrap_or_else(|e| e.into_inner()) = data;
        state.cursor = Cursor::at(pos);
        state.loaded = Some(today);
        Ok(())
    }

    async fn apply(&self, db: &Db, fresh: &[Change]) -> sqlx::Result<()> {
        let mut ride_ids = HashSet::new();
        let mut stay_ids = HashSet::new();
        for c in fresh {
            match c.kind {
                ChangeKind::Ride => {
                    ride_ids.insert(RideId(c.id));
                }
                ChangeKind::Stay => {
                    stay_ids.insert(StayId(c.id));
                }
                ChangeKind::User => {
                    let data = self.data.read().unwrap_or_else(|e| e.into_inner());
                    let (r, s) = data.owned_by(UserId(c.id));
                    ride_ids.extend(r);
                    stay_ids.extend(s);
                }
            }
        }
        let ride_ids: Vec<RideId> = ride_ids.into_iter().collect();
        let stay_ids: Vec<StayId> = stay_ids.into_iter().collect();
        let mut found_rides = Vec::new();
        for chunk in ride_ids.chunks(500) {
            found_rides.extend(rides::by_ids(&db.pool, chunk).await?);
        }
        let mut found_stays = Vec::new();
        if !stay_ids.is_empty() {
            let mut conn = db.pool.acquire().await?;
            for chunk in stay_ids.chunks(500) {
                found_stays.extend(stays::by_ids(&mut conn, chunk).await?);
            }
        }
        let mut data = self.data.write().unwrap_or_else(|e| e.into_inner());
        for id in &ride_ids {
            data.remove_ride(*id);
        }
        for r in found_rides {
            data.put_ride(r);
        }
        for id in &stay_ids {
            data.remove_stay(*id);
        }
        for s in found_stays {
            data.put_stay(s);
        }
        Ok(())
    }

    /// The rides that fit `trip`, ranked: only the rides to its office
    /// leaving on its flexible days are looked at.
    pub fn rides_for(&self, trip: &TripRequest, today: NaiveDate) -> Vec<(RideMatch, Arc<Ride>)> {
        let earliest = trip
            .arrive
            .checked_sub_days(Days::new(trip.flex_days.max(0) as u64))
            .unwrap_or(trip.arrive);
        let data = self.data.read().unwrap_or_else(|e| e.into_inner());
        let found: Vec<&RideSlot> = earliest
            .iter_days()
            .take_while(|d| *d <= trip.arrive)
            .filter_map(|d| {
                data.ride_slots
                    .get(&(trip.office_id, Direction::ToOffice, d))
            })
            .flatten()
            .collect();
        // Each match comes back with its position among the candidates, so
        // its ride is found without a search (a linear search per match made
        // a trip with thousands of matches quadratic: BENCHMARKS.md, "Many
        // matches").
        matching::rank_rides_at(trip, found.iter().map(|s| &s.cand), today)
            .into_iter()
            .map(|(at, m)| (m, Arc::clone(&found[at].ride)))
            .collect()
    }

    /// The rides home that fit `trip`, ranked: only the rides home from its
    /// office leaving from its leave date to its flexible days after.
    pub fn rides_home_for(
        &self,
        trip: &TripRequest,
        today: NaiveDate,
    ) -> Vec<(RideHomeMatch, Arc<Ride>)> {
        let latest = trip
            .leave
            .checked_add_days(Days::new(trip.flex_days.max(0) as u64))
            .unwrap_or(trip.leave);
        let data = self.data.read().unwrap_or_else(|e| e.into_inner());
        let found: Vec<&RideSlot> = trip
            .leave
            .iter_days()
            .take_while(|d| *d <= latest)
            .filter_map(|d| data.ride_slots.get(&(trip.office_id, Direction::Home, d)))
            .flatten()
            .collect();
        matching::rank_rides_home_at(trip, found.iter().map(|s| &s.cand), today)
            .into_iter()
            .map(|(at, m)| (m, Arc::clone(&found[at].ride)))
            .collect()
    }

    /// The stays that fit `trip`, ranked: only the grid cells around its
    /// office within its sleep radius are looked at.
    pub fn stays_for(&self, trip: &TripRequest, today: NaiveDate) -> Vec<(StayMatch, Arc<Stay>)> {
        let Some(last) = trip.leave.pred_opt() else {
            return vec![];
        };
        let bbox = stays::bbox_around(trip.office_point, trip.max_stay_km);
        let data = self.data.read().unwrap_or_else(|e| e.into_inner());
        let mut entries: Vec<&StayEntry> = data
            .stays_in(bbox)
            .filter(|s| {
                s.first_night <= trip.arrive && s.last_night >= last && s.beds >= trip.party_size
            })
            .map(|s| &*s.entry)
            .collect();
        entries.sort_unstable_by_key(|e| e.cand.id);
        matching::rank_stays(trip, entries.iter().map(|e| &e.cand), today)
            .into_iter()
            .filter_map(|m| {
                let at = entries
                    .binary_search_by_key(&m.stay_id, |e| e.cand.id)
                    .ok()?;
                Some((m, Arc::clone(&entries[at].stay)))
            })
            .collect()
    }
}

impl OfferIndex {
    /// Open rides to `office` (or, with [`Direction::Home`], home from it)
    /// leaving on a day in `first..=last`.
    pub fn rides_to(
        &self,
        office: OfficeId,
        direction: Direction,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Vec<Arc<Ride>> {
        let data = self.data.read().unwrap_or_else(|e| e.into_inner());
        first
            .iter_days()
            .take_while(|d| *d <= last)
            .filter_map(|d| data.ride_slots.get(&(office, direction, d)))
            .flatten()
            .map(|slot| Arc::clone(&slot.ride))
            .collect()
    }
}

impl OfferIndex {
    /// Open stays within `km` of `point` with a night on or after `from`,
    /// nearest first, with their distance (the office page).
    pub fn stays_near(&self, point: LatLon, km: f64, from: NaiveDate) -> Vec<(f64, Arc<Stay>)> {
        let bbox = stays::bbox_around(point, km);
        let data = self.data.read().unwrap_or_else(|e| e.into_inner());
        let mut near: Vec<(f64, Arc<Stay>)> = data
            .stays_in(bbox)
            .filter(|s| s.last_night >= from)
            .map(|s| (crate::places::distance_km(s.point, point), s))
            .filter(|(d, _)| *d <= km)
            .map(|(d, s)| (d, Arc::clone(&s.entry.stay)))
            .collect();
        near.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.id.cmp(&b.1.id)));
        near
    }
}

fn inside(b: BBox, p: LatLon) -> bool {
    p.lat >= b.min_lat && p.lat <= b.max_lat && p.lon >= b.min_lon && p.lon <= b.max_lon
}

/// Every grid cell a box touches.
fn cells(b: BBox) -> impl Iterator<Item = (i32, i32)> {
    let (lat0, lon0) = cell(LatLon {
        lat: b.min_lat,
        lon: b.min_lon,
    });
    let (lat1, lon1) = cell(LatLon {
        lat: b.max_lat,
        lon: b.max_lon,
    });
    (lat0..=lat1).flat_map(move |la| (lon0..=lon1).map(move |lo| (la, lo)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch(seq: i64, xid: i64) -> Change {
        Change {
            seq,
            xid,
            kind: ChangeKind::Ride,
            id: seq * 10,
        }
    }

    #[test]
    fn sqlite_style_log_moves_the_cursor_to_the_last_row() {
        let mut c = Cursor::default();
        let fresh = c.take(&[ch(1, 0), ch(2, 0), ch(3, 0)], i64::MAX);
        assert_eq!(fresh.len(), 3);
        assert_eq!(c.pos, (0, 3));
        assert_eq!(c.ahead(), 0);
        assert!(c.take(&[], i64::MAX).is_empty());
        assert_eq!(c.pos, (0, 3));
    }

    #[test]
    fn rows_of_running_transactions_are_applied_once_and_the_cursor_waits() {
        let mut c = Cursor::default();
        // Transaction 100 has ended; 101 and 102 may still run; 105 has
        // committed (its rows are visible) and is applied right away.
        let fresh = c.take(&[ch(7, 100), ch(9, 105)], 101);
        assert_eq!(fresh, vec![ch(7, 100), ch(9, 105)]);
        assert_eq!(c.pos, (100, 7));
        assert_eq!(c.ahead(), 1);
        // Transaction 102 commits late with seq 8: it sorts before 105's row
        // and is applied; 105's row is not applied again.
        let fresh = c.take(&[ch(8, 102), ch(9, 105)], 103);
        assert_eq!(fresh, vec![ch(8, 102)]);
        assert_eq!(c.pos, (102, 8));
        // Everything has ended: the cursor passes 105's row without reapplying it.
        let fresh = c.take(&[ch(9, 105), ch(10, 106)], 200);
        assert_eq!(fresh, vec![ch(10, 106)]);
        assert_eq!(c.pos, (106, 10));
        assert_eq!(c.ahead(), 0);
    }

    #[test]
    fn cells_cover_the_box() {
        let b = stays::bbox_around(
            LatLon {
                lat: 43.04,
                lon: -87.91,
            },
            40.0,
        );
        let all: Vec<_> = cells(b).collect();
        for p in [
            LatLon {
                lat: b.min_lat,
                lon: b.min_lon,
            },
            LatLon {
                lat: b.max_lat,
                lon: b.max_lon,
            },
            LatLon {
                lat: 43.04,
                lon: -87.91,
            },
        ] {
            assert!(all.contains(&cell(p)));
        }
        assert!(all.len() <= 30, "{} cells", all.len());
    }
}
