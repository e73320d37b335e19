//! `cargo bench --bench proposals`: a proposal for one field office
//! (`proposals::solve`, what `trip-planner propose` runs) at 50, 500 and
//! 5,000 open trips with as many offers, against the greedy baseline (each
//! trip in turn takes its nearest offer with room left) on the same data in
//! the same run. Prints one Markdown row per office generated.
//!
//! Pure: the office is generated in memory and the pairs come from the
//! matching engine itself (`matching::ride_fits` / `stay_fits`), as
//! `propose::inputs` builds them from the database. Without `--bench`
//! (`cargo test --benches`) it solves the 50-trip office once.
//! `BENCH_SIZES=50,500` picks the sizes, `BENCH_LIMIT=5` the time limit.
//! `BENCH_DUMP=DIR` also writes each office's program and the proposal's
//! totals to `DIR/office-TRIPS-SEED.json`, for `benches/exact_levels.py`
//! to solve each level without a time limit and compare.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use trip_planner::domain::booking::Offer;
use trip_planner::domain::ids::{OfficeId, RideId, StayId, TripId, UserId};
use trip_planner::domain::leg::Leg;
use trip_planner::matching::{self, RideCandidate, StayCandidate, TripRequest};
use trip_planner::places::LatLon;
use trip_planner::proposals::{self, FreeOffer, OpenTrip, Pair, Room};

/// The Milwaukee field office (53202).
const OFFICE: LatLon = LatLon {
    lat: 43.0389,
    lon: -87.9065,
};
/// Arrival days the trips are spread over (the command's default range).
const DAYS: u64 = 15;

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2028, 10, 12).expect("a date")
}

/// The point `km` from `p` on `bearing` (radians), flat-earth: fine at these distances.
fn offset(p: LatLon, bearing: f64, km: f64) -> LatLon {
    let dlat = km * bearing.cos() / 111.0;
    let dlon = km * bearing.sin() / (111.0 * p.lat.to_radians().cos());
    LatLon {
        lat: p.lat + dlat,
        lon: p.lon + dlon,
    }
}

fn around(rng: &mut StdRng, min_km: f64, max_km: f64) -> LatLon {
    offset(
        OFFICE,
        rng.gen_range(0.0..std::f64::consts::TAU),
        rng.gen_range(min_km..max_km),
    )
}

/// `n` trips and `n` offers (half rides, half stays) for one office; the
/// pairs are what the matching rules allow.
fn office(n: usize, seed: u64) -> proposals::Office {
    let mut rng = StdRng::seed_from_u64(seed);
    let today = start();
    let owners = (n as i64).max(10);
    let rides: Vec<RideCandidate> = (0..n / 2)
        .map(|i| RideCandidate {
            id: RideId(i as i64 + 1),
            owner_id: UserId(rng.gen_range(1..=owners)),
            office_id: OfficeId(1),
            direction: trip_planner::domain::offer::Direction::ToOffice,
            start: around(&mut rng, 40.0, 160.0),
            depart_date: today + Days::new(rng.gen_range(0..DAYS)),
            seats_free: rng.gen_range(1..=4),
            max_detour_km: rng.gen_range(10.0..60.0),
            open: true,
            luggage: true,
            smoking: false,
            pets_welcome: false,
            step_free: true,
        })
        .collect();
    let stays: Vec<StayCandidate> = (0..n - n / 2)
        .map(|i| {
            let first = today + Days::new(rng.gen_range(0..DAYS));
            StayCandidate {
                id: StayId(i as i64 + 1),
                owner_id: UserId(rng.gen_range(1..=owners)),
                point: around(&mut rng, 0.0, 50.0),
                first_night: first,
                last_night: first + Days::new(rng.gen_range(0..8)),
                open: true,
                pets_in_home: false,
                smoking: false,
                children_welcome: true,
                step_free: true,
                beds: rng.gen_range(1..=4),
                blocked: BTreeSet::new(),
                taken: BTreeMap::new(),
            }
        })
        .collect();
    let mut out = proposals::Office::default();
    for i in 0..n {
        let arrive = today + Days::new(rng.gen_range(0..DAYS));
        let req = TripRequest {
            id: TripId(i as i64 + 1),
            owner_id: UserId(rng.gen_range(1..=owners)),
            office_id: OfficeId(1),
            home: around(&mut rng, 30.0, 150.0),
            office_point: OFFICE,
            arrive,
            leave: arrive + Days::new(rng.gen_range(1..=4)),
            party_size: [1, 1, 1, 2, 2, 3][rng.gen_range(0..6)],
            needs_ride: rng.gen_bool(0.7),
            needs_bed: rng.gen_bool(0.8),
            needs_ride_home: false,
            flex_days: rng.gen_range(0..=2),
            max_stay_km: 40.0,
            open: true,
            need_step_free: false,
            need_no_pets: false,
            need_no_smoking: false,
        };
        let mut legs = vec![];
        if req.needs_ride {
            legs.push(Leg::RideThere);
        }
        if req.needs_bed {
            legs.push(Leg::Nights);
        }
        if legs.is_empty() {
            continue;
        }
        for r in &rides {
            if let Some(m) = matching::ride_fits(&req, r, today) {
                out.pairs.push(Pair {
                    trip: req.id,
                    leg: Leg::RideThere,
                    offer: Offer::Ride(r.id),
                    km: m.detour_km,
                });
            }
        }
        for s in &stays {
            if let Some(m) = matching::stay_fits(&req, s, today) {
                out.pairs.push(Pair {
                    trip: req.id,
                    leg: Leg::Nights,
                    offer: Offer::Stay(s.id),
                    km: m.distance_km,
                });
            }
        }
        out.trips.push(OpenTrip {
            id: req.id,
            owner_id: req.owner_id,
            party_size: req.party_size,
            arrive: req.arrive,
            leave: req.leave,
            open_legs: legs,
        });
    }
    out.offers.extend(rides.iter().map(|r| FreeOffer {
        offer: Offer::Ride(r.id),
        owner_id: r.owner_id,
        room: Room::Seats(r.seats_free),
    }));
    out.offers.extend(stays.iter().map(|s| {
        FreeOffer {
            offer: Offer::Stay(s.id),
            owner_id: s.owner_id,
            room: Room::Beds(
                s.first_night
                    .iter_days()
                    .take_while(|d| *d <= s.last_night)
                    .map(|d| (d, s.free_beds_on(d)))
                    .collect(),
            ),
        }
    }));
    out
}

pub fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let sizes: Vec<usize> = match std::env::var("BENCH_SIZES") {
        Ok(s) => s.split(',').filter_map(|x| x.trim().parse().ok()).collect(),
        Err(_) if bench => vec![50, 500, 5_000],
        Err(_) => vec![50],
    };
    let limit = Duration::from_secs_f64(
        std::env::var("BENCH_LIMIT")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(5.0),
    );
    let seeds: Vec<u64> = if bench { vec![1, 2, 3] } else { vec![1] };
    println!(
        "solver: {}, time limit {} s",
        proposals::SOLVER,
        limit.as_secs_f64()
    );
    println!(
        "| trips | offers | pairs | solve (s) | proven | served | bound | needs | km | greedy served | greedy (ms) | served vs greedy |"
    );
    println!("|---:|---:|---:|---:|:-:|---:|---:|---:|---:|---:|---:|---:|");
    for &n in &sizes {
        for &seed in &seeds {
            let office = office(n, seed);
            let t = Instant::now();
            let best = proposals::solve(&office, limit);
            let solve_s = t.elapsed().as_secs_f64();
            let t = Instant::now();
            let greedy = proposals::greedy(&office);
            let greedy_ms = t.elapsed().as_secs_f64() * 1e3;
            // The rules hold, and the solver never does worse than the baseline.
            let checked =
                proposals::check(&office, &best.chosen).expect("the proposal keeps the rules");
            assert_eq!(checked, best.totals);
            assert!(!greedy.totals.better_than(&best.totals));
            if let Ok(dir) = std::env::var("BENCH_DUMP") {
                let dump = serde_json::json!({
                    "program": proposals::program(&office),
                    "proposal": {
                        "people_served": best.totals.people_served,
                        "needs_filled": best.totals.needs_filled,
                        "total_km": best.totals.total_km,
                        "proven": best.proven,
                        "people_served_bound": best.people_served_bound,
                        "solver": proposals::SOLVER,
                        "limit_s": limit.as_secs_f64(),
                    },
                });
                let path = format!("{dir}/office-{n}-{seed}.json");
                std::fs::write(&path, dump.to_string()).expect("the dump is written");
            }
            let gain = if greedy.totals.people_served > 0 {
                format!(
                    "+{:.1} %",
                    100.0 * (best.totals.people_served - greedy.totals.people_served) as f64
                        / greedy.totals.people_served as f64
                )
            } else {
                "–".into()
            };
            println!(
                "| {} | {} | {} | {:.3} | {} | {} | {} | {} | {:.1} | {} | {:.1} | {} |",
                office.trips.len(),
                office.offers.len(),
                office.pairs.len(),
                solve_s,
                if best.proven { "yes" } else { "no" },
                best.totals.people_served,
                best.people_served_bound,
                best.totals.needs_filled,
                best.totals.total_km,
                greedy.totals.people_served,
                greedy_ms,
                gain
            );
        }
    }
}
