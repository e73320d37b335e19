//! `cargo bench --bench alerts`: the alert job's run time at 100,000 watched
//! trips (`ALERT_TRIPS` to change it) on SQLite, against the daily digest
//! run on the same database in the same run as the baseline. Three runs of
//! the job: the first look (taking stock, one write per trip), a quiet run
//! (nothing new: no write), and a run after one new ride that fits many
//! trips (the alerts queued).

use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use trip_planner::app::App;
use trip_planner::clock::Clock;
use trip_planner::config::Settings;
use trip_planner::domain::account::Email;
use trip_planner::places::Gazetteer;
use trip_planner::store::offices::{self, OfficeFields};
use trip_planner::store::{rides, trips, users};

fn main() {
    let n: usize = std::env::var("ALERT_TRIPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(run(n));
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

async fn run(n: usize) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    // 18:00 in Milwaukee: the digest is due, as the baseline.
    let clock = Clock::system();
    clock.set(Utc.with_ymd_and_hms(2026, 10, 1, 23, 0, 0).unwrap());
    let app = App::build(Settings::for_database(&url), clock.clone())
        .await
        .expect("app");
    let state = app.state.clone();
    let db = state.db.clone();
    let gaz = Gazetteer::embedded();
    let now = clock.now_text();
    let today = clock.today();
    let place = gaz.zip("53202").expect("zip");
    let office = offices::insert(
        &db.pool,
        &OfficeFields {
            name: "Milwaukee Field Office",
            place: &place,
            timezone: "America/Chicago",
            contact_email: None,
            needed_per_day: None,
        },
        &now,
    )
    .await
    .expect("office");
    let homes: Vec<_> = ["60616", "53703", "53202", "54301", "60601"]
        .iter()
        .map(|z| gaz.zip(z).expect("zip"))
        .collect();
    let staff = new_user(&db, "staff@example.org", &place, &now).await;
    offices::add_staff(&db.pool, office, staff)
        .await
        .expect("staff");
    let mut rng = StdRng::seed_from_u64(12);
    let started = Instant::now();
    let mut tx = db.pool.begin().await.expect("tx");
    for i in 0..n {
        let home = homes[rng.gen_range(0..homes.len())].clone();
        let user = users::insert(
            &mut *tx,
            &users::NewUser {
                email: &Email::parse(&format!("t{i}@example.net")).expect("email"),
                name: &format!("Traveller {i}"),
                password_hash: None,
                phone: None,
                home: Some(&home),
                is_admin: false,
                email_verified: true,
            },
            &now,
        )
        .await
        .expect("user");
        let arrive = day(today, rng.gen_range(1..30));
        trips::insert(
            &mut *tx,
            user,
            &trips::TripFields {
                office_id: office,
                from: home,
                arrive,
                leave: day(arrive, rng.gen_range(1..5)),
                party_size: rng.gen_range(1..=2),
                needs_ride: rng.gen_bool(0.6),
                needs_bed: rng.gen_bool(0.8),
                needs_ride_home: rng.gen_bool(0.3),
                flex_days: 1,
                max_stay_km: 40.0,
                need_step_free: false,
                need_no_pets: false,
                need_no_smoking: false,
                notes: String::new(),
            },
            &now,
        )
        .await
        .expect("trip");
    }
    tx.commit().await.expect("commit");
    println!(
        "{n} trips generated in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let digests = trip_planner::digest::send_due(&state)
        .await
        .expect("digest");
    let digest_time = t.elapsed();
    let mut runs = vec![];
    for label in [
        "first look (take stock)",
        // The first look's own writes moved the fingerprint: a full pass.
        "quiet run (nothing new, full pass)",
        "quiet run again (fingerprint unchanged: skipped)",
    ] {
        let t = Instant::now();
        let sent = trip_planner::alerts::send_due(&state)
            .await
            .expect("alerts");
        runs.push((label, t.elapsed(), sent));
    }
    let driver = new_user(&db, "driver@example.org", &homes[0], &now).await;
    let ride_fields = |d: NaiveDate| rides::RideFields {
        office_id: office,
        direction: trip_planner::domain::offer::Direction::ToOffice,
        from: homes[0].clone(),
        depart_date: d,
        depart_time: "08:30".into(),
        seats: 4,
        max_detour_km: 40.0,
        luggage: true,
        smoking: false,
        pets_welcome: false,
        step_free: false,
        instant_accept: false,
        notes: String::new(),
    };
    rides::insert(&db.pool, driver, &ride_fields(day(today, 10)), &now)
        .await
        .expect("ride");
    let t = Instant::now();
    let sent = trip_planner::alerts::send_due(&state)
        .await
        .expect("alerts");
    runs.push(("after one new ride", t.elapsed(), sent));
    println!(
        "daily digest (baseline), {digests} sent: {}",
        ms(digest_time)
    );
    for (label, time, sent) in runs {
        println!(
            "alert job, {label}: {} ({sent} alerts) = {:.1} × the digest",
            ms(time),
            time.as_secs_f64() / digest_time.as_secs_f64().max(1e-9)
        );
    }
}

async fn new_user(
    db: &trip_planner::store::Db,
    email: &str,
    home: &trip_planner::places::Place,
    now: &str,
) -> trip_planner::domain::ids::UserId {
    users::insert(
        &db.pool,
        &users::NewUser {
            email: &Email::parse(email).expect("email"),
            name: "Bench User",
            password_hash: None,
            phone: None,
            home: Some(home),
            is_admin: false,
            email_verified: true,
        },
        now,
    )
    .await
    .expect("user")
}

fn day(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_add_days(Days::new(n)).expect("date")
}
