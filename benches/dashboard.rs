//! `cargo bench --bench dashboard`: the field office's summary (with its
//! chart and gaps) and one day's first page of detail, over HTTP, for an
//! office with 5,000 travellers over 14 days — each page's median render
//! time and the number of SQL statements it runs (target: under 50 ms; no
//! query per row).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tracing_subscriber::layer::SubscriberExt;
use trip_planner::app::App;
use trip_planner::clock::Clock;
use trip_planner::config::Settings;
use trip_planner::domain::account::{hash_password, Email};
use trip_planner::places::Gazetteer;
use trip_planner::store::offices::{self, OfficeFields};
use trip_planner::store::{trips, users};

const TRAVELLERS: usize = 5_000;
const RUNS: usize = 30;
const PASSWORD: &str = "correct horse battery";

/// Counts the SQL statements sqlx logs (its `sqlx::query` events).
struct CountQueries(Arc<AtomicUsize>);

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for CountQueries {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
}

fn main() {
    let queries = Arc::new(AtomicUsize::new(0));
    let subscriber = tracing_subscriber::registry()
        .with(
            tracing_subscriber::filter::Targets::new()
                .with_target("sqlx::query", tracing::Level::TRACE),
        )
        .with(CountQueries(queries.clone()));
    tracing::subscriber::set_global_default(subscriber).expect("subscriber");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(run(queries));
}

async fn run(queries: Arc<AtomicUsize>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    let clock = Clock::system();
    let app = App::build(Settings::for_database(&url), clock.clone())
        .await
        .expect("app");
    let db = app.state.db.clone();
    let base = format!("http://{}", app.addr);
    tokio::spawn(app.run(std::future::pending()));

    let gaz = Gazetteer::embedded();
    let now = clock.now_text();
    let today = clock.today();
    let office_place = gaz.zip("53202").expect("zip");
    let office = offices::insert(
        &db.pool,
        &OfficeFields {
            name: "Milwaukee Field Office",
            place: &office_place,
            timezone: "America/Chicago",
            contact_email: None,
            needed_per_day: Some(400),
        },
        &now,
    )
    .await
    .expect("office");
    let hash = hash_password(PASSWORD).expect("hash");
    let staff = users::insert(
        &db.pool,
        &users::NewUser {
            email: &Email::parse("staff@example.org").expect("email"),
            name: "Stef Staff",
            password_hash: Some(&hash),
            phone: None,
            home: Some(&office_place),
            is_admin: false,
            email_verified: true,
        },
        &now,
    )
    .await
    .expect("staff");
    offices::add_staff(&db.pool, office, staff)
        .await
        .expect("staff role");

    let homes: Vec<_> = ["60616", "94110", "10001", "02139", "98101"]
        .iter()
        .map(|z| gaz.zip(z).expect("zip"))
        .collect();
    let mut rng = StdRng::seed_from_u64(5000);
    let started = Instant::now();
    let mut tx = db.pool.begin().await.expect("tx");
    for i in 0..TRAVELLERS {
        let home = homes[rng.gen_range(0..homes.len())].clone();
        let user = users::insert(
            &mut *tx,
            &users::NewUser {
                email: &Email::parse(&format!("t{i}@example.net")).expect("email"),
                name: &format!("Traveller {i}"),
                password_hash: None,
                phone: Some("(555) 010-0000"),
                home: Some(&home),
                is_admin: false,
                email_verified: true,
            },
            &now,
        )
        .await
        .expect("user");
        let arrive = day(today, rng.gen_range(0..14));
        trips::insert(
            &mut *tx,
            user,
            &trips::TripFields {
                office_id: office,
                from: home,
                arrive,
                leave: day(arrive, rng.gen_range(1..7)),
                party_size: rng.gen_range(1..=3),
                needs_ride: rng.gen_bool(0.6),
                needs_bed: rng.gen_bool(0.8),
                needs_ride_home: false,
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
        "{TRAVELLERS} travellers over 14 days generated in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let login = client
        .post(format!("{base}/login"))
        .form(&[
            ("email", "staff@example.org"),
            ("password", PASSWORD),
            ("next", "/"),
        ])
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), 303);

    let pages = [
        (
            "summary + chart + gaps (15 days)",
            format!("/offices/{office}/dashboard"),
        ),
        (
            "one day, first page of detail",
            format!("/offices/{office}/dashboard/day/{}", day(today, 5)),
        ),
    ];
    println!(
        "{:<36} {:>10} {:>10} {:>10} {:>9}",
        "page", "min", "median", "max", "queries"
    );
    for (name, path) in pages {
        let mut times = vec![];
        let mut counts = vec![];
        for _ in 0..RUNS {
            let before = queries.load(Ordering::Relaxed);
            let t = Instant::now();
            let resp = client
                .get(format!("{base}{path}"))
                .send()
                .await
                .expect("get");
            assert_eq!(resp.status(), 200, "{path}");
            let body = resp.text().await.expect("body");
            times.push(t.elapsed());
            counts.push(queries.load(Ordering::Relaxed) - before);
            assert!(body.contains("Traveller"), "{path} shows travellers");
        }
        times.sort();
        counts.sort();
        println!(
            "{:<36} {:>10} {:>10} {:>10} {:>9}",
            name,
            ms(times[0]),
            ms(times[times.len() / 2]),
            ms(times[times.len() - 1]),
            counts[counts.len() / 2]
        );
    }
}

fn day(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_add_days(Days::new(n)).unwrap_or(d)
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}
