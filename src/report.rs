//! `trip-planner matches`: every open trip with all its fitting offers, as
//! JSON for scripts or as a table for people.

use crate::domain::ids::{RideId, StayId, TripId};
use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::value::RawValue;

use crate::finder;
use crate::store::{trips, Db};

#[derive(Serialize)]
struct TripOut {
    trip_id: TripId,
    traveller_email: String,
    office: String,
    arrive_date: String,
    rides: Vec<RideOut>,
    stays: Vec<StayOut>,
    /// Always present: `[]` when the trip needs no ride home.
    rides_home: Vec<RideOut>,
    /// For the table only: the JSON keeps its documented shape.
    #[serde(skip)]
    needs_ride: bool,
    #[serde(skip)]
    needs_bed: bool,
    #[serde(skip)]
    needs_ride_home: bool,
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

/// A km figure as a JSON number with exactly three decimals.
pub(crate) fn km3(v: f64) -> Box<RawValue> {
    let text = if v.is_finite() {
        format!("{v:.3}")
    } else {
        "null".into()
    };
    RawValue::from_string(text)
        .unwrap_or_else(|_| RawValue::from_string("null".into()).expect("null is JSON"))
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

async fn collect(db: &Db, today: NaiveDate) -> anyhow::Result<Vec<TripOut>> {
    let finder = finder::Finder::new(db.clone());
    let mut out = vec![];
    for trip in trips::all_open(&db.pool, today).await? {
        let m = finder.for_trip(&trip, today).await?;
        out.push(TripOut {
            trip_id: trip.id,
            traveller_email: trip.owner_email.clone(),
            office: trip.office_name.clone(),
            arrive_date: day(trip.arrive),
            needs_ride: trip.needs_ride,
            needs_bed: trip.needs_bed,
            needs_ride_home: trip.needs_ride_home,
            rides_home: m
                .rides_home
                .iter()
                .map(|(hm, r)| RideOut {
                    ride_id: r.id,
                    driver_email: r.owner_email.clone(),
                    depart_date: day(r.depart_date),
                    detour_km: km3(hm.detour_km),
                })
                .collect(),
            rides: m
                .rides
                .iter()
                .map(|(rm, r)| RideOut {
                    ride_id: r.id,
                    driver_email: r.owner_email.clone(),
                    depart_date: day(r.depart_date),
                    detour_km: km3(rm.detour_km),
                })
                .collect(),
            stays: m
                .stays
                .iter()
                .map(|(sm, s)| StayOut {
                    stay_id: s.id,
                    host_email: s.owner_email.clone(),
                    first_night: day(s.first_night),
                    distance_km: km3(sm.distance_km),
                })
                .collect(),
        });
    }
    Ok(out)
}

/// The report as JSON (an array, one element per open trip).
pub async fn json(db: &Db, today: NaiveDate) -> anyhow::Result<String> {
    Ok(serde_json::to_string_pretty(&collect(db, today).await?)?)
}

/// The report as a table for a terminal.
pub async fn table(db: &Db, today: NaiveDate) -> anyhow::Result<String> {
    let trips = collect(db, today).await?;
    let mut s = String::new();
    if trips.is_empty() {
        s.push_str("No open trips.\n");
    }
    for t in trips {
        let _ = writeln!(
            s,
            "Trip {} · {} → {} · arrives {}",
            t.trip_id, t.traveller_email, t.office, t.arrive_date
        );
        if !t.needs_ride && !t.needs_bed && !t.needs_ride_home {
            let _ = writeln!(s, "  needs neither a ride nor a bed");
            continue;
        }
        list(&mut s, "rides", &t.rides, |r| {
            format!(
                "ride {:>6}  {:<32} leaves {}  {} km detour",
                r.ride_id, r.driver_email, r.depart_date, r.detour_km
            )
        });
        list(&mut s, "stays", &t.stays, |st| {
            format!(
                "stay {:>6}  {:<32} from {}  {} km from the office",
                st.stay_id, st.host_email, st.first_night, st.distance_km
            )
        });
        if t.needs_ride_home {
            list(&mut s, "rides home", &t.rides_home, |r| {
                format!(
                    "home {:>6}  {:<32} leaves {}  {} km detour",
                    r.ride_id, r.driver_email, r.depart_date, r.detour_km
                )
            });
        }
    }
    Ok(s)
}

/// One indented line per item, or "  rides: none".
fn list<T>(s: &mut String, what: &str, items: &[T], line: impl Fn(&T) -> String) {
    if items.is_empty() {
        let _ = writeln!(s, "  {what}: none");
    }
    for item in items {
        let _ = writeln!(s, "  {}", line(item));
    }
}
