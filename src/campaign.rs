//! The campaign's figures per office, as a pure function over what the
//! store loads in a few set-wide reads: seats and bed-nights on offer, trips
//! and how many of them have a match, accepted bookings, and the coming
//! week's arrivals and gaps. "Fits" is decided by `matching`, nowhere else.

use crate::domain::ids::{OfficeId, TripId};
use std::collections::{HashMap, HashSet};

use chrono::{Days, NaiveDate};

use crate::domain::offer::DEFAULT_STAY_KM;
use crate::matching::{self, RideCandidate, StayCandidate};
use crate::places::{distance_km, LatLon};
use crate::store::campaign::Accepted;
use crate::store::rides::Ride;
use crate::store::stays::Stay;
use crate::store::trips::Trip;

/// Days counted as "the next week": today and the six after.
pub const WEEK_DAYS: u64 = 7;
/// A stay counts for the nearest office at most this far away (the default
/// sleep radius a traveller accepts).
pub const STAY_OFFICE_KM: f64 = DEFAULT_STAY_KM;
/// The widest sleep radius a trip may ask for (`parse_stay_km`): stays farther
/// from an office never fit its trips.
const MAX_STAY_KM: f64 = 300.0;

/// An office as the figures need it.
#[derive(Clone, Debug)]
pub struct OfficeRef {
    pub id: OfficeId,
    pub name: String,
    pub point: LatLon,
}

/// One office's line (or the total line, with `office_id` None).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    pub office_id: Option<OfficeId>,
    pub name: String,
    /// Seats of open rides to the office departing today or later.
    pub seats_offered: i64,
    /// Seats of open rides home from the office departing today or later.
    pub seats_home_offered: i64,
    /// Beds × open nights from today on, of open stays nearest this office
    /// (within [`STAY_OFFICE_KM`]).
    pub bed_nights_offered: i64,
    /// Open trips arriving today or later.
    pub trips: i64,
    /// Of those, the ones needing a ride there, a bed or a ride home.
    pub trips_needing: i64,
    /// Of those, the ones with an accepted booking or at least one fitting open offer.
    pub matched: i64,
    /// Accepted bookings of the open trips arriving today or later.
    pub accepted_bookings: i64,
    /// People (party sizes) arriving in the next [`WEEK_DAYS`] days.
    pub arrivals_week: i64,
    /// Trips arriving in the next week still lacking a confirmed ride
    /// there, bed or ride home they need.
    pub gaps_week: i64,
    /// People (party sizes) of the open trips ahead with every leg they
    /// need confirmed.
    pub people_served: i64,
    /// People that sending the office's proposal (`crate::propose`, its
    /// default range) would serve besides; set by the caller, who solves it.
    pub proposals_serve: i64,
}

impl Figures {
    /// The matched share in whole percent; None when no trip needs anything.
    pub fn matched_pct(&self) -> Option<i64> {
        (self.trips_needing > 0)
            .then(|| (self.matched * 100 + self.trips_needing / 2) / self.trips_needing)
    }

    /// The matched share for people: "67%" or "–".
    pub fn matched_text(&self) -> String {
        self.matched_pct()
            .map_or_else(|| "–".into(), |p| format!("{p}%"))
    }

    fn add(&mut self, o: &Figures) {
        self.seats_offered += o.seats_offered;
        self.seats_home_offered += o.seats_home_offered;
        self.bed_nights_offered += o.bed_nights_offered;
        self.trips += o.trips;
        self.trips_needing += o.trips_needing;
        self.matched += o.matched;
        self.accepted_bookings += o.accepted_bookings;
        self.arrivals_week += o.arrivals_week;
        self.gaps_week += o.gaps_week;
        self.people_served += o.people_served;
        self.proposals_serve += o.proposals_serve;
    }
}

/// Everything the figures are computed from.
pub struct Inputs<'a> {
    pub offices: &'a [OfficeRef],
    /// Open rides departing from a week before today on (earlier ones cannot
    /// fit a trip arriving today or later).
    pub rides: &'a [Ride],
    /// Open stays with a night today or later, nights attached from today on.
    pub stays: &'a [Stay],
    /// Open trips arriving today or later.
    pub trips: &'a [Trip],
    pub accepted: &'a [Accepted],
    pub today: NaiveDate,
}

/// The campaign view: one line per office (in the order given), the total
/// line, and the bed-nights of stays near no office (counted in no line).
pub struct Campaign {
    pub offices: Vec<Figures>,
    pub total: Figures,
    pub bed_nights_elsewhere: i64,
}

impl Campaign {
    /// Adds the people an office's proposal would serve (to the total too).
    pub fn add_proposals(&mut self, office: OfficeId, people: i64) {
        if let Some(f) = self
            .offices
            .iter_mut()
            .find(|f| f.office_id == Some(office))
        {
            f.proposals_serve += people;
            self.total.proposals_serve += people;
        }
    }
}

/// Beds × nights still on offer from `today` on (blocked nights excluded;
/// beds already given to guests still count as offered).
pub fn bed_nights(stay: &Stay, today: NaiveDate) -> i64 {
    let first = stay.first_night.max(today);
    if stay.last_night < first {
        return 0;
    }
    let nights = (stay.last_night - first).num_days() + 1;
    let blocked = stay
        .blocked
        .iter()
        .filter(|n| **n >= first && **n <= stay.last_night)
        .count() as i64;
    i64::from(stay.beds) * (nights - blocked).max(0)
}

/// Computes every office's figures from the loaded rows.
pub fn figures(i: &Inputs<'_>) -> Campaign {
    let today = i.today;
    let week_end = today
        .checked_add_days(Days::new(WEEK_DAYS - 1))
        .unwrap_or(today);
    let mut by_office: HashMap<OfficeId, Figures> = i
        .offices
        .iter()
        .map(|o| {
            (
                o.id,
                Figures {
                    office_id: Some(o.id),
                    name: o.name.clone(),
                    ..Figures::default()
                },
            )
        })
        .collect();

    let mut rides_by_office: HashMap<OfficeId, Vec<RideCandidate>> = HashMap::new();
    for r in i.rides {
        if r.depart_date >= today {
            if let Some(f) = by_office.get_mut(&r.office_id) {
                if r.direction.is_home() {
                    f.seats_home_offered += i64::from(r.seats);
                } else {
                    f.seats_offered += i64::from(r.seats);
                }
            }
        }
        rides_by_office
            .entry(r.office_id)
            .or_default()
            .push(r.candidate());
    }

    // Each stay: bed-nights to its nearest office within the default radius;
    // as a candidate, to every office it could serve at all.
    let mut stays_by_office: HashMap<OfficeId, Vec<StayCandidate>> = HashMap::new();
    let mut bed_nights_elsewhere = 0;
    for s in i.stays {
        let mut nearest: Option<(f64, OfficeId)> = None;
        for o in i.offices {
            let d = distance_km(s.place.point, o.point);
            if d <= MAX_STAY_KM {
                stays_by_office.entry(o.id).or_default().push(s.candidate());
            }
            if d <= STAY_OFFICE_KM && nearest.is_none_or(|(best, _)| d < best) {
                nearest = Some((d, o.id));
            }
        }
        let n = bed_nights(s, today);
        match nearest.and_then(|(_, id)| by_office.get_mut(&id)) {
            Some(f) => f.bed_nights_offered += n,
            None => bed_nights_elsewhere += n,
        }
    }

    let mut accepted_ride: HashSet<TripId> = HashSet::new();
    let mut accepted_bed: HashSet<TripId> = HashSet::new();
    let mut accepted_home: HashSet<TripId> = HashSet::new();
    for a in i.accepted {
        if let Some(f) = by_office.get_mut(&a.office_id) {
            f.accepted_bookings += 1;
        }
        match (a.is_ride, a.ride_home) {
            (true, true) => accepted_home.insert(a.trip_id),
            (true, false) => accepted_ride.insert(a.trip_id),
            (false, _) => accepted_bed.insert(a.trip_id),
        };
    }

    let none_r: Vec<RideCandidate> = vec![];
    let none_s: Vec<StayCandidate> = vec![];
    for t in i.trips {
        let Some(f) = by_office.get_mut(&t.office_id) else {
            continue;
        };
        f.trips += 1;
        let has_ride = accepted_ride.contains(&t.id);
        let has_bed = accepted_bed.contains(&t.id);
        let has_home = accepted_home.contains(&t.id);
        let lacks = (t.needs_ride && !has_ride)
            || (t.needs_bed && !has_bed)
            || (t.needs_ride_home && !has_home);
        if t.needs_ride || t.needs_bed || t.needs_ride_home {
            f.trips_needing += 1;
            if !lacks {
                f.people_served += i64::from(t.party_size);
            }
            let req = t.request();
            let rides = rides_by_office.get(&t.office_id).unwrap_or(&none_r);
            let stays = stays_by_office.get(&t.office_id).unwrap_or(&none_s);
            let matched = has_ride
                || has_bed
                || has_home
                || (t.needs_ride
                    && rides
                        .iter()
                        .any(|r| matching::ride_fits(&req, r, today).is_some()))
                || (t.needs_bed
                    && stays
                        .iter()
                        .any(|s| matching::stay_fits(&req, s, today).is_some()))
                || (t.needs_ride_home
                    && rides
                        .iter()
                        .any(|r| matching::ride_home_fits(&req, r, today).is_some()));
            if matched {
                f.matched += 1;
            }
        }
        if t.arrive <= week_end {
            f.arrivals_week += i64::from(t.party_size);
            if lacks {
                f.gaps_week += 1;
            }
        }
    }

    let offices: Vec<Figures> = i
        .offices
        .iter()
        .filter_map(|o| by_office.remove(&o.id))
        .collect();
    let mut total = Figures {
        office_id: None,
        name: "All offices".into(),
        ..Figures::default()
    };
    for f in &offices {
        total.add(f);
    }
    Campaign {
        offices,
        total,
        bed_nights_elsewhere,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::domain::ids::{RideId, StayId, UserId};
    use crate::domain::offer::Status;
    use crate::places::Place;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    const MKE: LatLon = LatLon {
        lat: 43.0389,
        lon: -87.9065,
    };
    const CHICAGO: LatLon = LatLon {
        lat: 41.8781,
        lon: -87.6298,
    };
    const FAR: LatLon = LatLon {
        lat: 39.7392,
        lon: -104.9903,
    };

    fn place(p: LatLon) -> Place {
        Place {
            zip: None,
            city: "Town".into(),
            state: "WI".into(),
            point: p,
        }
    }

    fn ride(id: i64, depart: &str, seats: i32) -> Ride {
        Ride {
            id: RideId(id),
            owner_id: UserId(100 + id),
            owner_name: "Dee Driver".into(),
            owner_email: "d@example.org".into(),
            office_id: OfficeId(1),
            from: place(CHICAGO),
            depart_date: d(depart),
            depart_time: "09:00".into(),
            direction: crate::domain::offer::Direction::ToOffice,
            seats,
            seats_taken: 0,
            max_detour_km: 25.0,
            luggage: false,
            smoking: false,
            pets_welcome: false,
            step_free: false,
            instant_accept: false,
            notes: String::new(),
            status: Status::Active,
        }
    }

    fn stay(id: i64, at: LatLon, first: &str, last: &str, beds: i32) -> Stay {
        Stay {
            id: StayId(id),
            owner_id: UserId(200 + id),
            owner_name: "Hal Host".into(),
            owner_email: "h@example.org".into(),
            place: place(at),
            street: None,
            beds,
            first_night: d(first),
            last_night: d(last),
            pets_in_home: false,
            smoking: false,
            children_welcome: false,
            step_free: false,
            instant_accept: false,
            notes: String::new(),
            status: Status::Active,
            blocked: BTreeSet::new(),
            taken: BTreeMap::new(),
        }
    }

    fn trip(id: i64, arrive: &str, leave: &str, party: i32, ride: bool, bed: bool) -> Trip {
        Trip {
            id: TripId(id),
            owner_id: UserId(id),
            owner_name: "Tia".into(),
            owner_email: "t@example.org".into(),
            office_id: OfficeId(1),
            office_name: "Milwaukee".into(),
            office_point: MKE,
            from: place(CHICAGO),
            arrive: d(arrive),
            leave: d(leave),
            party_size: party,
            needs_ride: ride,
            needs_bed: bed,
            needs_ride_home: false,
            flex_days: 1,
            max_stay_km: 40.0,
            need_step_free: false,
            need_no_pets: false,
            need_no_smoking: false,
            notes: String::new(),
            status: Status::Active,
        }
    }

    #[test]
    fn bed_nights_count_from_today_without_blocked_nights() {
        let mut s = stay(1, MKE, "2026-09-28", "2026-10-04", 2);
        s.blocked.insert(d("2026-10-02"));
        s.blocked.insert(d("2026-09-29"));
        // Oct 1..=4 is 4 nights, one blocked: 3 × 2 beds.
        assert_eq!(bed_nights(&s, d("2026-10-01")), 6);
        assert_eq!(bed_nights(&s, d("2026-10-05")), 0);
    }

    #[test]
    fn figures_count_offers_matches_bookings_and_the_coming_week() {
        let today = d("2026-10-01");
        let offices = vec![
            OfficeRef {
                id: OfficeId(1),
                name: "Milwaukee".into(),
                point: MKE,
            },
            OfficeRef {
                id: OfficeId(2),
                name: "Empty".into(),
                point: FAR,
            },
        ];
        let rides = vec![ride(1, "2026-10-05", 3), ride(2, "2026-09-30", 4)];
        let stays = vec![
            stay(1, MKE, "2026-10-01", "2026-10-10", 2),
            stay(2, CHICAGO, "2026-10-01", "2026-10-01", 1),
        ];
        let trips = vec![
            // fits ride 1 (leaves the day before)
            trip(1, "2026-10-06", "2026-10-06", 2, true, false),
            // fits stay 1
            trip(2, "2026-10-03", "2026-10-05", 1, false, true),
            // nothing fits, but it has an accepted ride
            trip(3, "2026-10-20", "2026-10-22", 1, true, false),
            // nothing fits and nothing accepted
            trip(4, "2026-10-20", "2026-10-22", 9, true, false),
            // needs nothing
            trip(5, "2026-10-02", "2026-10-03", 3, false, false),
        ];
        let accepted = vec![Accepted {
            trip_id: TripId(3),
            office_id: OfficeId(1),
            is_ride: true,
            ride_home: false,
        }];
        let c = figures(&Inputs {
            offices: &offices,
            rides: &rides,
            stays: &stays,
            trips: &trips,
            accepted: &accepted,
            today,
        });
        let m = &c.offices[0];
        assert_eq!(
            m.seats_offered, 3,
            "the ride that left yesterday is not offered"
        );
        assert_eq!(m.bed_nights_offered, 20);
        assert_eq!(
            c.bed_nights_elsewhere, 1,
            "Chicago is beyond 40 km of any office"
        );
        assert_eq!((m.trips, m.trips_needing, m.matched), (5, 4, 3));
        assert_eq!(m.matched_text(), "75%");
        assert_eq!(m.accepted_bookings, 1);
        assert_eq!(m.arrivals_week, 2 + 1 + 3);
        assert_eq!(
            m.gaps_week, 2,
            "trips 1 and 2 have no confirmed ride or bed"
        );
        assert_eq!(
            c.offices[1],
            Figures {
                office_id: Some(OfficeId(2)),
                name: "Empty".into(),
                ..Figures::default()
            }
        );
        assert_eq!(c.offices[1].matched_text(), "–");
        assert_eq!(c.total.trips, 5);
        assert_eq!(c.total.office_id, None);
    }

    #[test]
    fn rides_home_are_offered_matched_and_close_the_last_gap() {
        let today = d("2026-10-01");
        let offices = vec![OfficeRef {
            id: OfficeId(1),
            name: "Milwaukee".into(),
            point: MKE,
        }];
        let mut home = ride(2, "2026-10-08", 2);
        home.direction = crate::domain::offer::Direction::Home;
        let rides = vec![ride(1, "2026-10-05", 3), home];
        // Trip 1 has its ride there and its ride home confirmed; trip 2
        // only needs a ride home, which fits, and is a gap until accepted;
        // trip 3 needs a ride there and home and has only the ride there.
        let mut t1 = trip(1, "2026-10-06", "2026-10-08", 2, true, false);
        t1.needs_ride_home = true;
        let mut t2 = trip(2, "2026-10-06", "2026-10-08", 1, false, false);
        t2.needs_ride_home = true;
        let mut t3 = trip(3, "2026-10-06", "2026-10-08", 4, true, false);
        t3.needs_ride_home = true;
        let booked = |trip: i64, ride_home: bool| Accepted {
            trip_id: TripId(trip),
            office_id: OfficeId(1),
            is_ride: true,
            ride_home,
        };
        let accepted = vec![booked(1, false), booked(1, true), booked(3, false)];
        let c = figures(&Inputs {
            offices: &offices,
            rides: &rides,
            stays: &[],
            trips: &[t1, t2, t3],
            accepted: &accepted,
            today,
        });
        let m = &c.offices[0];
        assert_eq!((m.seats_offered, m.seats_home_offered), (3, 2));
        assert_eq!((m.trips_needing, m.matched), (3, 3));
        assert_eq!(m.people_served, 2, "only trip 1 has every leg");
        assert_eq!(m.gaps_week, 2, "trips 2 and 3 lack their ride home");
        let mut c = c;
        c.add_proposals(OfficeId(1), 1);
        c.add_proposals(OfficeId(9), 5);
        assert_eq!(
            (c.offices[0].proposals_serve, c.total.proposals_serve),
            (1, 1)
        );
    }
}
