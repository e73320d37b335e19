//! The campaign-size database the load test runs on: volunteers, offices
//! with staff, ride and stay offers and trips, written fast — one
//! precomputed password hash for every account and multi-row `INSERT`s, one
//! transaction per table — on SQLite and PostgreSQL alike.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use trip_planner::domain::office::default_time_zone;
use trip_planner::places::{Gazetteer, Place};
use trip_planner::store::Db;

use crate::common::{jitter, HOME_ZIPS, OFFICE_ZIPS};

/// The password of every seeded account.
pub const PASSWORD: &str = "election-week-2028";
/// Staff accounts per office.
pub const STAFF_PER_OFFICE: usize = 3;
/// Days ahead that offers and trips are spread over.
const WINDOW: u64 = 21;
/// The dashboard's default view is today and the next 14 days; the busy
/// office's extra arrivals fall in it.
const DASHBOARD_DAYS: u64 = 15;
/// Rows per `INSERT` statement (well under both engines' bound-parameter and
/// statement-size limits, since the values are written inline).
const ROWS_PER_STATEMENT: usize = 500;

/// How big a campaign to seed.
#[derive(Clone, Copy, Debug)]
pub struct Size {
    pub volunteers: usize,
    pub trips: usize,
    /// Of `trips`, those to the first office (its dashboard is the busy one).
    pub busy_office_trips: usize,
    pub rides: usize,
    pub stays: usize,
}

impl Size {
    /// The campaign: 50k volunteers, 20k trips (5k to one office),
    /// 15k rides, 15k stays.
    pub const CAMPAIGN: Size = Size {
        volunteers: 50_000,
        trips: 20_000,
        busy_office_trips: 5_000,
        rides: 15_000,
        stays: 15_000,
    };
    /// The CI smoke's: the same shape, a twentieth of it.
    pub const SMOKE: Size = Size {
        volunteers: 2_500,
        trips: 1_000,
        busy_office_trips: 250,
        rides: 750,
        stays: 750,
    };
}

/// Who is who in the seeded database, for the virtual users.
pub struct Seeded {
    /// `(trip id, owner's email)` of every seeded trip.
    pub travellers: Vec<(i64, String)>,
    /// `(office id, staff email)`.
    pub staff: Vec<(i64, String)>,
    pub offices: Vec<i64>,
    /// The office with the most arrivals.
    pub busy_office: i64,
    pub today: NaiveDate,
    pub took: Duration,
}

/// SQL text literal (the generated text never holds user input, but town
/// names do hold apostrophes).
fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn opt_lit(s: Option<&str>) -> String {
    s.map_or_else(|| "NULL".into(), lit)
}

/// Runs `INSERT INTO {head} VALUES` over `rows` in statements of
/// [`ROWS_PER_STATEMENT`] inside one transaction.
async fn insert_rows(db: &Db, head: &str, rows: &[String]) -> anyhow::Result<()> {
    let mut tx = db.pool.begin().await?;
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let mut sql = format!("INSERT INTO {head} VALUES ");
        for (i, row) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(',');
            }
            write!(sql, "({row})")?;
        }
        sqlx::query(&sql).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

fn place_cols(p: &Place) -> String {
    format!(
        "{},{},{},{},{}",
        opt_lit(p.zip.as_deref()),
        lit(&p.city),
        lit(&p.state),
        p.point.lat,
        p.point.lon
    )
}

/// Seeds an empty, migrated database. Dates start at `today` (the server
/// runs on the system clock, so everything is upcoming).
pub async fn seed(db: &Db, size: Size, today: NaiveDate) -> anyhow::Result<Seeded> {
    let started = Instant::now();
    let gaz = Gazetteer::embedded();
    let mut rng = StdRng::seed_from_u64(20_281_105);
    let now = format!("{today}T08:00:00Z");
    let day = |n: u64| today + Days::new(n);
    // One Argon2 hash for every account: hashing 50k passwords would take
    // longer than the whole load test.
    let hash = trip_planner::domain::account::hash_password(PASSWORD)?;
    let homes: Vec<Place> = HOME_ZIPS
        .iter()
        .map(|z| gaz.zip(z).expect("home ZIP in the gazetteer"))
        .collect();
    let office_places: Vec<Place> = OFFICE_ZIPS
        .iter()
        .map(|(_, z)| gaz.zip(z).expect("office ZIP in the gazetteer"))
        .collect();

    let rows: Vec<String> = OFFICE_ZIPS
        .iter()
        .zip(&office_places)
        .enumerate()
        .map(|(i, ((name, _), p))| {
            format!(
                "{},{},{},{},{},{},{},{},{},NULL,20,{}",
                i + 1,
                lit(name),
                lit(&name.to_lowercase()),
                opt_lit(p.zip.as_deref()),
                lit(&p.city),
                lit(&p.state),
                p.point.lat,
                p.point.lon,
                lit(default_time_zone(&p.state).name()),
                lit(&now)
            )
        })
        .collect();
    insert_rows(
        db,
        "offices (id, name, name_key, zip, city, state, lat, lon, timezone, contact_email, needed_per_day, created_at)",
        &rows,
    )
    .await?;
    let offices: Vec<i64> = (1..=OFFICE_ZIPS.len() as i64).collect();

    // Volunteers 1..=n, then the staff.
    let n_staff = offices.len() * STAFF_PER_OFFICE;
    let mut rows = Vec::with_capacity(size.volunteers + n_staff);
    let mut staff = vec![];
    for i in 0..size.volunteers + n_staff {
        let id = i as i64 + 1;
        let (email, home) = if i < size.volunteers {
            (
                format!("volunteer{id}@example.net"),
                &homes[i % homes.len()],
            )
        } else {
            let k = i - size.volunteers;
            let office = offices[k / STAFF_PER_OFFICE];
            let email = format!("staff{id}@office{office}.example.org");
            staff.push((office, email.clone()));
            (email, &office_places[k / STAFF_PER_OFFICE])
        };
        rows.push(format!(
            "{id},{},{},{},{},{},0,1,{}",
            lit(&email),
            lit(&format!("Volunteer {id}")),
            lit(&hash),
            lit(&format!("555-01{:02}", i % 100)),
            place_cols(home),
            lit(&now)
        ));
    }
    insert_rows(
        db,
        "users (id, email, name, password_hash, phone, home_zip, home_city, home_state, home_lat, home_lon, is_admin, email_verified, created_at)",
        &rows,
    )
    .await?;
    let rows: Vec<String> = staff
        .iter()
        .enumerate()
        .map(|(k, (office, _))| format!("{office},{}", size.volunteers + k + 1))
        .collect();
    insert_rows(db, "office_staff (office_id, user_id)", &rows).await?;

    // Owners: trips from the first volunteers, rides and stays from the rest
    // (the pools overlap when there are fewer volunteers than offers).
    let owner = |rng: &mut StdRng| rng.gen_range(1..=size.volunteers as i64);

    let mut rows = Vec::with_capacity(size.rides);
    for id in 1..=size.rides as i64 {
        let office = rng.gen_range(0..offices.len());
        let home = &homes[rng.gen_range(0..homes.len())];
        let from = jitter(&mut rng, home, 5.0);
        rows.push(format!(
            "{id},{},{},{},{},'07:30',{},0,{},{},{},{}",
            owner(&mut rng),
            offices[office],
            place_cols(&from),
            lit(&day(rng.gen_range(0..WINDOW)).to_string()),
            rng.gen_range(1..=6),
            rng.gen_range(10..=60),
            i64::from(rng.gen_bool(0.3)),
            lit(&now),
            lit(&now),
        ));
    }
    insert_rows(
        db,
        "rides (id, owner_id, office_id, from_zip, from_city, from_state, from_lat, from_lon, depart_date, depart_time, seats, seats_taken, max_detour_km, instant_accept, created_at, updated_at)",
        &rows,
    )
    .await?;

    let mut rows = Vec::with_capacity(size.stays);
    for id in 1..=size.stays as i64 {
        let near = &office_places[rng.gen_range(0..office_places.len())];
        let at = jitter(&mut rng, near, 40.0);
        let first = rng.gen_range(0..WINDOW);
        let last = first + rng.gen_range(0..10);
        rows.push(format!(
            "{id},{},{},{},{},{},{},{},{},{}",
            owner(&mut rng),
            place_cols(&at),
            lit(&format!("{} Elm Street", rng.gen_range(1..999))),
            rng.gen_range(1..=4),
            lit(&day(first).to_string()),
            lit(&day(last).to_string()),
            i64::from(rng.gen_bool(0.3)),
            lit(&now),
            lit(&now),
        ));
    }
    insert_rows(
        db,
        "stays (id, owner_id, zip, city, state, lat, lon, street, beds, first_night, last_night, instant_accept, created_at, updated_at)",
        &rows,
    )
    .await?;

    let busy_office = offices[0];
    let mut rows = Vec::with_capacity(size.trips);
    let mut travellers = Vec::with_capacity(size.trips);
    for id in 1..=size.trips as i64 {
        // One trip per traveller, so a traveller's session is about one trip.
        let traveller = (id - 1) % size.volunteers as i64 + 1;
        let busy = (id as usize) <= size.busy_office_trips;
        let (office, arrive) = if busy {
            (busy_office, rng.gen_range(0..DASHBOARD_DAYS))
        } else {
            (
                offices[rng.gen_range(0..offices.len())],
                rng.gen_range(0..WINDOW),
            )
        };
        let home = &homes[rng.gen_range(0..homes.len())];
        let from = jitter(&mut rng, home, 5.0);
        let (needs_ride, needs_bed) = match rng.gen_range(0..10) {
            0..=1 => (1, 0),
            2..=3 => (0, 1),
            _ => (1, 1),
        };
        rows.push(format!(
            "{id},{traveller},{office},{},{},{},1,{needs_ride},{needs_bed},{},40,{},{}",
            place_cols(&from),
            lit(&day(arrive).to_string()),
            lit(&day(arrive + rng.gen_range(1..=5)).to_string()),
            rng.gen_range(0..=1),
            lit(&now),
            lit(&now),
        ));
        travellers.push((id, format!("volunteer{traveller}@example.net")));
    }
    insert_rows(
        db,
        "trips (id, owner_id, office_id, from_zip, from_city, from_state, from_lat, from_lon, arrive, leave, party_size, needs_ride, needs_bed, flex_days, max_stay_km, created_at, updated_at)",
        &rows,
    )
    .await?;

    if db.backend == trip_planner::store::db::Backend::Postgres {
        // Explicit ids leave the sequences behind; the app's inserts must not
        // collide with the seeded rows.
        for table in ["offices", "users", "rides", "stays", "trips"] {
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            ))
            .execute(&db.pool)
            .await?;
        }
        sqlx::query("ANALYZE").execute(&db.pool).await?;
    } else {
        sqlx::query("ANALYZE").execute(&db.pool).await?;
    }

    Ok(Seeded {
        travellers,
        staff,
        offices,
        busy_office,
        today,
        took: started.elapsed(),
    })
}
