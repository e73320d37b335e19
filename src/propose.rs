//! `trip-planner propose`: the best proposal for a field office's open trips
//! in a range of arrival days (issue 13). Reads the open legs and the room
//! left (requested bookings counted), asks the matching engine which pairs
//! fit, and hands them to the pure solver in [`crate::proposals`]. Changes
//! nothing.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Duration;

use chrono::{Days, NaiveDate};
use serde::Serialize;
use serde_json::value::RawValue;

use crate::domain::booking::Offer;
use crate::domain::ids::{RideId, StayId, TripId};
use crate::domain::leg::{self, Leg, LegState};
use crate::finder::Finder;
use crate::matching;
use crate::proposals::{self, FreeOffer, OpenTrip, Pair, Proposal, Room};
use crate::report::km3;
use crate::store::offices::{self, Office};
use crate::store::rides::Ride;
use crate::store::stays::Stay;
use crate::store::trips::{self, Trip};
use crate::store::{bookings, Db};

/// Arrival days looked at after today when no end is given.
pub const DEFAULT_DAYS: u64 = 14;

/// What a proposal is computed from, with the rows it names.
#[derive(Debug, Default)]
pub struct Inputs {
    pub problem: proposals::Office,
    trips: HashMap<TripId, Trip>,
    rides: HashMap<RideId, Arc<Ride>>,
    stays: HashMap<StayId, Arc<Stay>>,
}

/// Gathers the open trips of `office` arriving in `from..=to` with their open
/// legs, the office's offers with the room left, and every pair the matching
/// rules allow between them.
pub async fn inputs(
    finder: &Finder,
    db: &Db,
    office: &Office,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> sqlx::Result<Inputs> {
    let found = trips::arriving_at(&db.pool, &[office.id], from, to).await?;
    let mut live: HashMap<TripId, Vec<_>> = HashMap::new();
    for (trip, l, status) in bookings::live_legs(&db.pool, office.id, from, to).await? {
        live.entry(trip).or_default().push((l, status));
    }
    let last_leave = found.iter().map(|t| t.leave).max().unwrap_or(to);
    let offers = finder
        .office_offers(office, from, to, last_leave, today)
        .await?;
    let mut out = Inputs::default();
    for trip in found {
        let open: Vec<Leg> = leg::states(trip.needs(), live.get(&trip.id).map_or(&[], |v| v))
            .into_iter()
            .filter(|(_, s)| *s == LegState::Open)
            .map(|(l, _)| l)
            .collect();
        if open.is_empty() {
            continue;
        }
        // Only the open legs are asked for: a pending or confirmed one is
        // not proposed again.
        let req = trip.request().only(&open);
        let there = offers.rides.iter().filter_map(|(c, _)| {
            let m = matching::ride_fits(&req, c, today)?;
            Some((Leg::RideThere, Offer::Ride(c.id), m.detour_km))
        });
        let nights = offers.stays.iter().filter_map(|(c, _)| {
            let m = matching::stay_fits(&req, c, today)?;
            Some((Leg::Nights, Offer::Stay(c.id), m.distance_km))
        });
        let home = offers.rides_home.iter().filter_map(|(c, _)| {
            let m = matching::ride_home_fits(&req, c, today)?;
            Some((Leg::RideHome, Offer::Ride(c.id), m.detour_km))
        });
        out.problem.pairs.extend(
            there
                .chain(nights)
                .chain(home)
                .map(|(leg, offer, km)| Pair {
                    trip: trip.id,
                    leg,
                    offer,
                    km,
                }),
        );
        out.problem.trips.push(OpenTrip {
            id: trip.id,
            owner_id: trip.owner_id,
            party_size: trip.party_size,
            arrive: trip.arrive,
            leave: trip.leave,
            open_legs: open,
        });
        out.trips.insert(trip.id, trip);
    }
    for (cand, ride) in offers.rides.into_iter().chain(offers.rides_home) {
        out.problem.offers.push(FreeOffer {
            offer: Offer::Ride(ride.id),
            owner_id: ride.owner_id,
            room: Room::Seats(cand.seats_free),
        });
        out.rides.insert(ride.id, ride);
    }
    for (cand, stay) in offers.stays {
        let beds = cand
            .first_night
            .iter_days()
            .take_while(|n| *n <= cand.last_night)
            .map(|n| (n, cand.free_beds_on(n)))
            .collect();
        out.problem.offers.push(FreeOffer {
            offer: Offer::Stay(stay.id),
            owner_id: stay.owner_id,
            room: Room::Beds(beds),
        });
        out.stays.insert(stay.id, stay);
    }
    Ok(out)
}

/// A computed proposal for one office and range, ready to show.
#[derive(Debug)]
pub struct Computed {
    pub office: Office,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub proposal: Proposal,
    pub inputs: Inputs,
}

/// The proposal for the office named `office_name` (as the other commands
/// find offices), arrivals `from..=to` given as YYYY-MM-DD or defaulting to
/// the office's today and the next [`DEFAULT_DAYS`] days.
pub async fn compute(
    db: &Db,
    office_name: &str,
    from: Option<&str>,
    to: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
    limit: Duration,
) -> anyhow::Result<Computed> {
    let office = offices::by_name(&db.pool, office_name)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no office named {office_name:?}"))?;
    let today = now
        .with_timezone(&crate::digest::zone_of(&office))
        .date_naive();
    let from = match from {
        Some(s) => parse_day("--from", s)?,
        None => today,
    };
    let to = match to {
        Some(s) => parse_day("--to", s)?,
        None => from
            .checked_add_days(Days::new(DEFAULT_DAYS))
            .unwrap_or(from),
    };
    if to < from {
        anyhow::bail!("--to {to} is before --from {from}");
    }
    let finder = Finder::new(db.clone());
    for_office(&finder, db, office, from, to, today, limit).await
}

/// The proposal for `office` and arrivals `from..=to`, as the dashboard asks
/// for it.
pub async fn for_office(
    finder: &Finder,
    db: &Db,
    office: Office,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
    limit: Duration,
) -> anyhow::Result<Computed> {
    let inputs = inputs(finder, db, &office, from, to, today).await?;
    let problem = inputs.problem.clone();
    let proposal = tokio::task::spawn_blocking(move || proposals::solve(&problem, limit)).await?;
    Ok(Computed {
        office,
        from,
        to,
        proposal,
        inputs,
    })
}

/// One proposed offer for a leg, with what a page shows of it: the owner
/// by first name and town (no more before a booking is accepted).
#[derive(Clone, Debug)]
pub struct LegOffer {
    pub leg: Leg,
    pub offer: Offer,
    pub owner_name: String,
    pub town: String,
    pub day: NaiveDate,
    pub km: f64,
}

/// A trip with what is proposed for its open legs.
#[derive(Clone, Debug)]
pub struct Listed {
    pub trip: Trip,
    /// In plan order.
    pub offers: Vec<LegOffer>,
    /// Open legs left without an offer.
    pub unfilled: Vec<Leg>,
}

/// People in trips with an open leg, and people in trips that would get
/// some legs but not all, per the legs they would still lack.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reach {
    pub people_open: i64,
    /// (legs filled, legs still open, people), most people first.
    pub partly: Vec<(Vec<Leg>, Vec<Leg>, i64)>,
}

/// The trips with at least one proposed offer, by arrival date then trip id.
pub fn listed(c: &Computed) -> Vec<Listed> {
    let mut by_trip: HashMap<TripId, Vec<LegOffer>> = HashMap::new();
    for p in &c.proposal.chosen {
        let shown = match p.offer {
            Offer::Ride(id) => c
                .inputs
                .rides
                .get(&id)
                .map(|r| (r.owner_name.clone(), r.from.town(), r.depart_date)),
            Offer::Stay(id) => c
                .inputs
                .stays
                .get(&id)
                .map(|s| (s.owner_name.clone(), s.place.town(), s.first_night)),
        };
        if let Some((owner_name, town, day)) = shown {
            by_trip.entry(p.trip).or_default().push(LegOffer {
                leg: p.leg,
                offer: p.offer,
                owner_name,
                town,
                day,
                km: p.km,
            });
        }
    }
    let mut out: Vec<Listed> = c
        .inputs
        .problem
        .trips
        .iter()
        .filter_map(|t| {
            let mut offers = by_trip.remove(&t.id)?;
            offers.sort_by_key(|o| o.leg);
            let unfilled = t
                .open_legs
                .iter()
                .copied()
                .filter(|l| !offers.iter().any(|o| o.leg == *l))
                .collect();
            Some(Listed {
                trip: c.inputs.trips.get(&t.id)?.clone(),
                offers,
                unfilled,
            })
        })
        .collect();
    out.sort_by_key(|l| (l.trip.arrive, l.trip.id));
    out
}

/// Who the proposal reaches, for the totals line.
pub fn reach(c: &Computed, listed: &[Listed]) -> Reach {
    let mut partly: Vec<(Vec<Leg>, Vec<Leg>, i64)> = vec![];
    for l in listed.iter().filter(|l| !l.unfilled.is_empty()) {
        let filled: Vec<Leg> = l.offers.iter().map(|o| o.leg).collect();
        let people = i64::from(l.trip.party_size);
        match partly
            .iter_mut()
            .find(|(f, u, _)| *f == filled && *u == l.unfilled)
        {
            Some(row) => row.2 += people,
            None => partly.push((filled, l.unfilled.clone(), people)),
        }
    }
    partly.sort_by_key(|r| -r.2);
    Reach {
        people_open: c
            .inputs
            .problem
            .trips
            .iter()
            .map(|t| i64::from(t.party_size))
            .sum(),
        partly,
    }
}

fn parse_day(flag: &str, s: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| anyhow::anyhow!("{flag}: not a date like 2026-10-01: {:?}", s))
}

#[derive(Serialize)]
struct Out {
    office: String,
    from: String,
    to: String,
    people_served: i64,
    needs_filled: i64,
    total_km: Box<RawValue>,
    proven: bool,
    people_served_bound: i64,
    proposals: Vec<TripOut>,
}

#[derive(Serialize)]
struct TripOut {
    trip_id: TripId,
    traveller_email: String,
    arrive_date: String,
    ride: Option<RideOut>,
    stay: Option<StayOut>,
    ride_home: Option<RideOut>,
    #[serde(skip)]
    party_size: i32,
}

#[derive(Serialize)]
struct RideOut {
    ride_id: RideId,
    driver_email: String,
    depart_date: String,
    detour_km: Box<RawValue>,
}

#[derive(Serialize)]
struct StayOut {
    stay_id: StayId,
    host_email: String,
    first_night: String,
    distance_km: Box<RawValue>,
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The trips with at least one proposed offer, by arrival date then trip id.
fn shape(c: &Computed) -> Out {
    let mut by_trip: HashMap<TripId, TripOut> = HashMap::new();
    for p in &c.proposal.chosen {
        let Some(trip) = c.inputs.trips.get(&p.trip) else {
            continue;
        };
        let entry = by_trip.entry(trip.id).or_insert_with(|| TripOut {
            trip_id: trip.id,
            traveller_email: trip.owner_email.clone(),
            arrive_date: day(trip.arrive),
            ride: None,
            stay: None,
            ride_home: None,
            party_size: trip.party_size,
        });
        match (p.leg, p.offer) {
            (leg @ (Leg::RideThere | Leg::RideHome), Offer::Ride(id)) => {
                if let Some(r) = c.inputs.rides.get(&id) {
                    let out = Some(RideOut {
                        ride_id: id,
                        driver_email: r.owner_email.clone(),
                        depart_date: day(r.depart_date),
                        detour_km: km3(p.km),
                    });
                    if leg == Leg::RideThere {
                        entry.ride = out;
                    } else {
                        entry.ride_home = out;
                    }
                }
            }
            (Leg::Nights, Offer::Stay(id)) => {
                if let Some(s) = c.inputs.stays.get(&id) {
                    entry.stay = Some(StayOut {
                        stay_id: id,
                        host_email: s.owner_email.clone(),
                        first_night: day(s.first_night),
                        distance_km: km3(p.km),
                    });
                }
            }
            _ => {}
        }
    }
    let mut proposals: Vec<TripOut> = by_trip.into_values().collect();
    proposals.sort_by(|a, b| (&a.arrive_date, a.trip_id).cmp(&(&b.arrive_date, b.trip_id)));
    let t = c.proposal.totals;
    Out {
        office: c.office.name.clone(),
        from: day(c.from),
        to: day(c.to),
        people_served: t.people_served,
        needs_filled: t.needs_filled,
        total_km: km3(t.total_km),
        proven: c.proposal.proven,
        people_served_bound: c.proposal.people_served_bound,
        proposals,
    }
}

/// The proposal as JSON (the shape).
pub fn json(c: &Computed) -> anyhow::Result<String> {
    Ok(serde_json::to_string_pretty(&shape(c))?)
}

/// The proposal for a person at a terminal.
pub fn summary(c: &Computed) -> String {
    let out = shape(c);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}: arrivals {} to {}, {} trip(s) with open legs",
        out.office,
        out.from,
        out.to,
        c.inputs.problem.trips.len()
    );
    let _ = write!(s, "{} people served", out.people_served);
    if !out.proven {
        let _ = write!(
            s,
            "; no proposal can serve more than {} (stopped at the time limit)",
            out.people_served_bound
        );
    }
    let _ = writeln!(
        s,
        "; {} people-needs filled; {} km in total.",
        out.needs_filled, out.total_km
    );
    if out.proposals.is_empty() {
        let _ = writeln!(s, "Nothing to propose.");
    }
    for t in &out.proposals {
        let _ = writeln!(
            s,
            "Trip {} · {} · party of {} · arrives {}",
            t.trip_id, t.traveller_email, t.party_size, t.arrive_date
        );
        if let Some(r) = &t.ride {
            let _ = writeln!(
                s,
                "  ride {:>6}  {:<32} leaves {}  {} km detour",
                r.ride_id, r.driver_email, r.depart_date, r.detour_km
            );
        }
        if let Some(st) = &t.stay {
            let _ = writeln!(
                s,
                "  stay {:>6}  {:<32} from {}  {} km from the office",
                st.stay_id, st.host_email, st.first_night, st.distance_km
            );
        }
        if let Some(r) = &t.ride_home {
            let _ = writeln!(
                s,
                "  home {:>6}  {:<32} leaves {}  {} km detour",
                r.ride_id, r.driver_email, r.depart_date, r.detour_km
            );
        }
    }
    s
}
