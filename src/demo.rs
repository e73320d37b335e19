//! Demo data: battleground field offices and volunteers from safe-state
//! metros, the same on every load (fixed seed), so the README's first command
//! shows a living site.

use crate::domain::ids::{OfficeId, UserId};
use anyhow::Context;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::clock::Clock;
use crate::domain::account::{hash_password, Email};
use crate::domain::offer::Direction;
use crate::domain::office::default_time_zone;
use crate::places::Gazetteer;
use crate::places::{distance_km, Place};
use crate::store::{meta, offices, rides, stays, trips, users, Db};
use chrono::{Days, NaiveDate};
use std::collections::BTreeMap;

/// The demo logins, also written in the README.
pub const DEMO_PASSWORD: &str = "field-office-2026";
pub const ADMIN_EMAIL: &str = "admin@example.org";
pub const STAFF_EMAIL: &str = "staff@example.org";
pub const VOLUNTEER_EMAIL: &str = "volunteer@example.org";
/// The office the demo staff member runs.
pub const STAFF_OFFICE: &str = "Milwaukee Field Office";

/// (name, ZIP, volunteers needed per day)
const OFFICES: &[(&str, &str, i64)] = &[
    ("Reno Field Office", "89501", 25),
    ("Las Vegas Field Office", "89101", 40),
    ("Phoenix Field Office", "85004", 40),
    ("Tucson Field Office", "85701", 20),
    ("Denver Field Office", "80202", 30),
    ("Milwaukee Field Office", "53202", 35),
    ("Madison Field Office", "53703", 20),
    ("Green Bay Field Office", "54301", 15),
    ("Detroit Field Office", "48226", 40),
    ("Grand Rapids Field Office", "49503", 20),
    ("Philadelphia Field Office", "19107", 50),
    ("Pittsburgh Field Office", "15222", 30),
    ("Erie Field Office", "16501", 15),
    ("Raleigh Field Office", "27601", 25),
    ("Charlotte Field Office", "28202", 30),
    ("Atlanta Field Office", "30303", 45),
    ("Savannah Field Office", "31401", 15),
    ("Tampa Field Office", "33602", 30),
    ("Orlando Field Office", "32801", 30),
    ("Columbus Field Office", "43215", 25),
    ("Richmond Field Office", "23219", 20),
    ("Manchester Field Office", "03101", 20),
];

/// Safe-state metro ZIPs that volunteers travel from.
const HOME_ZIPS: &[&str] = &[
    "94110", "94612", "90012", "92101", "95814", "10001", "11201", "14202", "60601", "60201",
    "02139", "02108", "98101", "97205", "21201", "07302", "78701", "84101", "37203", "46204",
    "55401", "06511", "19801", "96813",
];

const FIRST: &[&str] = &[
    "Ana", "Ben", "Carla", "Dev", "Elena", "Farid", "Grace", "Hiro", "Imani", "Jonas", "Keisha",
    "Luis", "Maya", "Nikhil", "Olivia", "Pedro", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Victor",
    "Wen", "Ximena", "Yusuf", "Zoe",
];
const LAST: &[&str] = &[
    "Alvarez",
    "Brooks",
    "Chen",
    "Diaz",
    "Evans",
    "Fischer",
    "Garcia",
    "Huang",
    "Ibrahim",
    "Johnson",
    "Kowalski",
    "Lee",
    "Martin",
    "Nguyen",
    "Okafor",
    "Patel",
    "Quintero",
    "Rossi",
    "Smith",
    "Tanaka",
    "Usman",
    "Volkov",
    "Williams",
    "Xu",
    "Young",
    "Zimmerman",
];

/// How many generated volunteers the demo has (besides the three logins).
pub const VOLUNTEERS: usize = 300;

/// Loads the demo into an empty database (no users and no offices) and
/// returns true; leaves a non-empty one alone and returns false. Several
/// instances may call this at once: the `app_meta` claim lets one win.
pub async fn load_if_empty(db: &Db, clock: &Clock) -> anyhow::Result<bool> {
    // One hash for every demo account: hashing hundreds would take seconds.
    let hash = tokio::task::spawn_blocking(|| hash_password(DEMO_PASSWORD)).await??;
    let now = clock.now_text();
    let mut tx = db.pool.begin().await?;
    if !meta::claim(&mut *tx, "demo_loaded", &now).await? {
        return Ok(false);
    }
    if users::count(&mut *tx).await? > 0 || offices::count(&mut *tx).await? > 0 {
        tx.rollback().await?;
        return Ok(false);
    }
    let gaz = Gazetteer::embedded();
    let mut office_ids = vec![];
    for (name, zip, needed) in OFFICES {
        let place = gaz
            .zip(zip)
            .with_context(|| format!("demo ZIP {zip} is not in the gazetteer"))?;
        let tz = default_time_zone(&place.state);
        let contact = format!(
            "{}@example.org",
            name.split(' ').next().unwrap_or("office").to_lowercase()
        );
        let id = offices::insert(
            &mut *tx,
            &offices::OfficeFields {
                name,
                place: &place,
                timezone: tz.name(),
                contact_email: Some(&contact),
                needed_per_day: Some(*needed),
            },
            &now,
        )
        .await?;
        office_ids.push((name.to_string(), id));
    }

    let mut rng = StdRng::seed_from_u64(2026);
    let logins = [
        (ADMIN_EMAIL, "Alex Admin", true, "60601"),
        (STAFF_EMAIL, "Sasha Staff", false, "53202"),
        (VOLUNTEER_EMAIL, "Val Volunteer", false, "60616"),
    ];
    let mut login_ids = vec![];
    for (email, name, is_admin, zip) in logins {
        let home = gaz.zip(zip).context("demo ZIP missing")?;
        let id = users::insert(
            &mut *tx,
            &users::NewUser {
                email: &Email::parse(email).map_err(anyhow::Error::msg)?,
                name,
                password_hash: Some(&hash),
                phone: Some("(555) 010-0000"),
                home: Some(&home),
                is_admin,
                email_verified: true,
            },
            &now,
        )
        .await?;
        login_ids.push(id);
    }
    let staff_office = office_ids
        .iter()
        .find(|(n, _)| n == STAFF_OFFICE)
        .map(|(_, id)| *id)
        .context("staff office missing")?;
    offices::add_staff(&mut *tx, staff_office, login_ids[1]).await?;

    let mut volunteers = vec![];
    for i in 0..VOLUNTEERS {
        let first = FIRST[rng.gen_range(0..FIRST.len())];
        let last = LAST[rng.gen_range(0..LAST.len())];
        let zip = HOME_ZIPS[rng.gen_range(0..HOME_ZIPS.len())];
        let home = gaz.zip(zip).context("demo ZIP missing")?;
        let email = format!(
            "{}.{}.{}@example.net",
            first.to_lowercase(),
            last.to_lowercase(),
            i + 1
        );
        let phone = format!(
            "(555) {:03}-{:04}",
            rng.gen_range(100..999),
            rng.gen_range(0..9999)
        );
        let id = users::insert(
            &mut *tx,
            &users::NewUser {
                email: &Email::parse(&email).map_err(anyhow::Error::msg)?,
                name: &format!("{first} {last}"),
                password_hash: Some(&hash),
                phone: Some(&phone),
                home: Some(&home),
                is_admin: false,
                email_verified: true,
            },
            &now,
        )
        .await?;
        volunteers.push((id, home));
    }
    let today = clock.today();
    seed_offers_and_trips(
        &mut tx,
        &mut rng,
        &hash,
        &now,
        today,
        &office_ids,
        &volunteers,
        login_ids[2],
    )
    .await?;
    seed_office_activity(
        &mut tx,
        &mut rng,
        staff_office,
        login_ids[1],
        &volunteers,
        today,
        &now,
    )
    .await?;
    tx.commit().await?;
    seed_bookings(db, clock).await?;
    // Counted, not taken from the constants, so the log says what was written.
    let f = meta::figures(&db.pool).await?;
    tracing::info!(
        offices = f.offices,
        volunteers = f.people,
        rides = f.rides,
        stays = f.stays,
        trips = f.trips,
        "demo data loaded"
    );
    Ok(true)
}

/// Hosts per office, living near it.
pub const HOSTS_PER_OFFICE: usize = 4;

fn day(today: NaiveDate, n: u64) -> NaiveDate {
    today.checked_add_days(Days::new(n)).unwrap_or(today)
}

/// ZIPs near an office: numerically close ZIPs are usually close on the map;
/// keep those within 30 km.
fn nearby_places(office: &Place) -> Vec<Place> {
    let gaz = Gazetteer::embedded();
    let base: u32 = office
        .zip
        .as_deref()
        .and_then(|z| z.parse().ok())
        .unwrap_or(0);
    (base.saturating_sub(40)..base + 40)
        .filter_map(|z| gaz.zip(&format!("{z:05}")))
        .filter(|p| p.zip != office.zip && distance_km(p.point, office.point) <= 30.0)
        .collect()
}

/// Rides, stays and trips around today's date, so every page has something to
/// show and the demo volunteer's trip to Milwaukee has matches.
#[allow(clippy::too_many_arguments)]
async fn seed_offers_and_trips(
    tx: &mut sqlx::AnyConnection,
    rng: &mut StdRng,
    hash: &str,
    now: &str,
    today: NaiveDate,
    office_ids: &[(String, OfficeId)],
    volunteers: &[(UserId, Place)],
    demo_volunteer: UserId,
) -> anyhow::Result<()> {
    let gaz = Gazetteer::embedded();
    let mut host_n = 0;
    for (name, office_id) in office_ids {
        let office = offices::by_id(&mut *tx, *office_id)
            .await?
            .context("office vanished")?;
        let near = nearby_places(&office.place);
        for _ in 0..HOSTS_PER_OFFICE {
            host_n += 1;
            let place = if near.is_empty() {
                office.place.clone()
            } else {
                near[rng.gen_range(0..near.len())].clone()
            };
            let first = FIRST[rng.gen_range(0..FIRST.len())];
            let last = LAST[rng.gen_range(0..LAST.len())];
            let email = format!("host.{host_n}@example.net");
            let host = users::insert(
                &mut *tx,
                &users::NewUser {
                    email: &Email::parse(&email).map_err(anyhow::Error::msg)?,
                    name: &format!("{first} {last}"),
                    password_hash: Some(hash),
                    phone: Some("(555) 020-0000"),
                    home: Some(&place),
                    is_admin: false,
                    email_verified: true,
                },
                now,
            )
            .await?;
            let first_night = day(today, rng.gen_range(0..4));
            stays::insert(
                tx,
                host,
                &stays::StayFields {
                    street: Some(format!(
                        "{} {} St",
                        rng.gen_range(10..999),
                        LAST[rng.gen_range(0..LAST.len())]
                    )),
                    place,
                    beds: rng.gen_range(1..=3),
                    first_night,
                    last_night: day(first_night, rng.gen_range(10..24)),
                    pets_in_home: rng.gen_bool(0.3),
                    smoking: rng.gen_bool(0.1),
                    children_welcome: rng.gen_bool(0.5),
                    step_free: rng.gen_bool(0.3),
                    instant_accept: false,
                    notes: String::new(),
                    blocked: Default::default(),
                },
                now,
            )
            .await?;
        }
        // Drivers from the safe-state metros.
        let mut routes = vec![];
        for _ in 0..6 {
            let (driver, home) = &volunteers[rng.gen_range(0..volunteers.len())];
            let depart_date = day(today, rng.gen_range(2..21));
            routes.push((*driver, home.clone(), depart_date));
            rides::insert(
                &mut *tx,
                *driver,
                &rides::RideFields {
                    office_id: *office_id,
                    from: home.clone(),
                    depart_date,
                    depart_time: format!("{:02}:00", rng.gen_range(6..12)),
                    direction: Direction::ToOffice,
                    seats: rng.gen_range(1..=4),
                    max_detour_km: [25.0, 40.0, 60.0][rng.gen_range(0..3)],
                    luggage: rng.gen_bool(0.7),
                    smoking: false,
                    pets_welcome: rng.gen_bool(0.2),
                    step_free: rng.gen_bool(0.2),
                    instant_accept: false,
                    notes: String::new(),
                },
                now,
            )
            .await?;
        }
        // Travellers: half of them live where a driver starts, so rides match.
        for i in 0..6 {
            let (traveller, mut home) = volunteers[rng.gen_range(0..volunteers.len())].clone();
            let mut arrive = day(today, rng.gen_range(3..21));
            if i % 2 == 0 {
                let (driver, start, depart) = &routes[rng.gen_range(0..routes.len())];
                if *driver != traveller {
                    home = start.clone();
                    arrive = day(*depart, rng.gen_range(0..2));
                }
            }
            let fields = trip_fields(
                *office_id,
                home,
                arrive,
                day(arrive, rng.gen_range(2..8)),
                1,
            );
            trips::insert(&mut *tx, traveller, &fields, now).await?;
        }
        let _ = name;
    }

    // The demo volunteer (Chicago) goes to Milwaukee in ten days; two Chicago
    // drivers head there and a host near the office has the nights free.
    let (_, mke) = office_ids
        .iter()
        .find(|(n, _)| n == STAFF_OFFICE)
        .context("staff office missing")?;
    let chicago = gaz.zip("60616").context("demo ZIP missing")?;
    let arrive = day(today, 10);
    trips::insert(
        &mut *tx,
        demo_volunteer,
        &trip_fields(*mke, chicago, arrive, day(arrive, 4), 1),
        now,
    )
    .await?;
    for (zip, days_before) in [("60601", 1), ("60605", 0)] {
        let (driver, _) = volunteers[rng.gen_range(0..volunteers.len())].clone();
        let there = rides::RideFields {
            office_id: *mke,
            direction: Direction::ToOffice,
            from: gaz.zip(zip).context("demo ZIP missing")?,
            depart_date: arrive
                .checked_sub_days(Days::new(days_before))
                .unwrap_or(arrive),
            depart_time: "08:00".into(),

            seats: 3,
            max_detour_km: 25.0,
            luggage: true,
            smoking: false,
            pets_welcome: false,
            step_free: false,
            instant_accept: false,
            notes: "Happy to share driving.".into(),
        };
        rides::insert(&mut *tx, driver, &there, now).await?;
        rides::insert(&mut *tx, driver, &there.drive_back(day(arrive, 4)), now).await?;
    }
    Ok(())
}

fn trip_fields(
    office_id: OfficeId,
    from: Place,
    arrive: NaiveDate,
    leave: NaiveDate,
    party_size: i32,
) -> trips::TripFields {
    trips::TripFields {
        office_id,
        from,
        arrive,
        leave,
        party_size,
        needs_ride: true,
        needs_bed: true,
        needs_ride_home: true,
        flex_days: 1,
        max_stay_km: 40.0,
        need_step_free: false,
        need_no_pets: false,
        need_no_smoking: false,
        notes: String::new(),
    }
}

/// A busy fortnight for the demo staff member's office: travellers arriving
/// every day, some already checked in today, so its dashboard has arrivals,
/// gaps and a chart on the first run.
async fn seed_office_activity(
    tx: &mut sqlx::AnyConnection,
    rng: &mut StdRng,
    office_id: OfficeId,
    staff_id: UserId,
    volunteers: &[(UserId, Place)],
    today: NaiveDate,
    now: &str,
) -> anyhow::Result<()> {
    use crate::dashboard::CheckIn;
    for i in 0..30u64 {
        let (traveller, home) = volunteers[rng.gen_range(0..volunteers.len())].clone();
        let arrive = day(today, i % 14);
        let mut fields = trip_fields(
            office_id,
            home,
            arrive,
            day(arrive, rng.gen_range(2..7)),
            rng.gen_range(1..=3),
        );
        fields.needs_ride = rng.gen_bool(0.6);
        fields.needs_bed = !fields.needs_ride || rng.gen_bool(0.7);
        let trip = trips::insert(&mut *tx, traveller, &fields, now).await?;
        if arrive == today && i % 3 != 0 {
            let status = if i % 5 == 0 {
                CheckIn::NoShow
            } else {
                CheckIn::Arrived
            };
            crate::store::arrivals::check_in(&mut *tx, office_id, trip, status, staff_id, now)
                .await?;
        }
    }
    Ok(())
}

/// Requested and accepted bookings on matches the engine finds, so the demo
/// shows plans, requests waiting for an answer and contact details. The demo
/// volunteer's ride is confirmed and their bed is still a request.
///
/// The data obeys every rule the app enforces: each booking fits its trip by
/// the matching rules, a trip has at most one booking per leg, and seats and
/// beds are promised at most once — requests included, so every request
/// left waiting can still be accepted (all of them together, even). The
/// finder sees only committed offers, so what this load promises is kept
/// here and taken off each candidate before the engine decides.
async fn seed_bookings(db: &Db, clock: &Clock) -> anyhow::Result<()> {
    use crate::domain::booking::{expires_at, BookingStatus};
    use crate::domain::ids::{RideId, StayId};
    use crate::domain::leg::Leg;
    use crate::store::bookings::{self as bstore, NewBooking, Offer};
    use std::collections::HashMap;
    let today = clock.today();
    let now = clock.now_text();
    let all = trips::all_open(&db.pool, today).await?;
    let demo_trip = users::by_email(&db.pool, VOLUNTEER_EMAIL)
        .await?
        .and_then(|u| all.iter().find(|t| t.owner_id == u.id).map(|t| t.id));
    let finder = crate::finder::Finder::new(db.clone());
    let mut seats_promised: HashMap<RideId, i32> = HashMap::new();
    let mut beds_promised: HashMap<StayId, BTreeMap<NaiveDate, i32>> = HashMap::new();
    let mut picks = vec![];
    for (i, trip) in all.iter().enumerate() {
        let is_demo = Some(trip.id) == demo_trip;
        if !is_demo && i % 3 != 0 {
            continue;
        }
        let req = trip.request();
        let found = finder.for_trip(trip, today).await?;
        let ride = found.rides.iter().map(|(_, r)| r).find(|r| {
            let mut c = r.candidate();
            c.seats_free -= seats_promised.get(&r.id).copied().unwrap_or(0);
            crate::matching::ride_fits(&req, &c, today).is_some()
        });
        if let Some(r) = ride {
            let leaves = crate::bookings::ride_leaves(db, r).await?;
            if leaves.is_none_or(|t| t > clock.now()) {
                *seats_promised.entry(r.id).or_default() += trip.party_size;
                picks.push((trip, Offer::Ride(r.id), r.owner_id, None, leaves, true));
            }
        }
        let stay = found.stays.iter().map(|(_, s)| s).find(|s| {
            let mut c = s.candidate();
            for (night, n) in beds_promised.get(&s.id).into_iter().flatten() {
                *c.taken.entry(*night).or_default() += n;
            }
            crate::matching::stay_fits(&req, &c, today).is_some()
        });
        if let Some(st) = stay {
            let last = trip.leave.pred_opt().unwrap_or(trip.leave);
            let promised = beds_promised.entry(st.id).or_default();
            for night in trip.arrive.iter_days().take_while(|n| *n <= last) {
                *promised.entry(night).or_default() += trip.party_size;
            }
            let accept = !is_demo && i % 2 == 0;
            picks.push((
                trip,
                Offer::Stay(st.id),
                st.owner_id,
                Some((trip.arrive, last)),
                None,
                accept,
            ));
        }
    }
    let mut tx = db.pool.begin().await?;
    for (trip, offer, owner_id, nights, leaves, accept) in picks {
        let expires = crate::clock::timestamp_text(expires_at(clock.now(), leaves));
        let id = bstore::insert(
            &mut tx,
            &NewBooking {
                trip_id: trip.id,
                traveller_id: trip.owner_id,
                owner_id,
                offer,
                leg: Leg::of(offer, Direction::ToOffice),
                party_size: trip.party_size,
                nights,
                message: "See you there!",
                expires_at: &expires,
            },
            &now,
        )
        .await?;
        bstore::record_event(
            &mut tx,
            id,
            None,
            BookingStatus::Requested,
            Some(trip.owner_id),
            "",
            &now,
        )
        .await?;
        if !accept {
            continue;
        }
        let took = match (offer, nights) {
            (Offer::Ride(r), _) => bstore::take_seats(&mut tx, r, trip.party_size).await?,
            (Offer::Stay(st), Some((a, b))) => {
                bstore::take_beds(&mut tx, st, a, b, trip.party_size).await?
            }
            _ => false,
        };
        // Promised above, so always free; a failure is a bug in this file.
        anyhow::ensure!(took, "demo booking {id} found no room");
        let moved = bstore::move_status(
            &mut tx,
            id,
            BookingStatus::Requested,
            BookingStatus::Accepted,
            None,
            &now,
        )
        .await?;
        anyhow::ensure!(moved, "demo booking {id} could not be accepted");
        bstore::record_event(
            &mut tx,
            id,
            Some(BookingStatus::Requested),
            BookingStatus::Accepted,
            Some(owner_id),
            "",
            &now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Tells the person at the terminal how to get in (on stdout: this is what
/// they read, while logs go to stderr).
pub fn print_logins(url: &str) {
    println!("Demo logins (password for all: {DEMO_PASSWORD}):");
    println!("  admin      {ADMIN_EMAIL}");
    println!("  staff      {STAFF_EMAIL}  ({STAFF_OFFICE})");
    println!("  volunteer  {VOLUNTEER_EMAIL}");
    println!("Open {url} in a browser.");
}

/// The demo's size in words, as the README states it: "22 field offices,
/// 391 volunteers, 134 rides, 88 stays, 163 trips".
pub fn describe(f: &meta::Figures) -> String {
    format!(
        "{} field offices, {} volunteers, {} rides, {} stays, {} trips",
        f.offices, f.people, f.rides, f.stays, f.trips
    )
}
