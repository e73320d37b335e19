//! `cargo bench --bench maps`: the office page (with its map and inset) and
//! the benchmarked trip's page (with its map), over HTTP, on the matching
//! bench's 100k rides + 100k stays, as an admin (who also sees the office's
//! traveller layer: the heaviest map). For each page: median and p90 time
//! and size, and the map's share of both — its bytes (the `<figure
//! class="map">` elements) and the time of the work only the map does (its
//! range's ride and trip queries and the drawing, timed apart) — so the page
//! as it was before the map is the page minus that share.
//!
//! Both pages in English and in Spanish (the admin's language switched as
//! the footer does). Without `--bench` (`cargo test --benches`) it runs at
//! 1k, once.

mod common;

use std::time::{Duration, Instant};

use chrono::{Days, TimeZone, Utc};
use common::{ms, start_date, summary, Dataset};
use trip_planner::app::App;
use trip_planner::clock::Clock;
use trip_planner::config::Settings;
use trip_planner::domain::account::{hash_password, Email};
use trip_planner::domain::distance::Unit;
use trip_planner::i18n::Lang;
use trip_planner::store::{offices, trips, users};
use trip_planner::web::maps::{office_maps, trip_map, OfficeLayers};

const PASSWORD: &str = "correct horse battery";

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(run(
        if bench { 100_000 } else { 1_000 },
        if bench { 30 } else { 1 },
    ));
}

/// Bytes of the page inside `<figure class="map"` … `</figure>`.
fn map_bytes(body: &str) -> usize {
    body.match_indices("<figure class=\"map\"")
        .map(|(start, _)| {
            body[start..]
                .find("</figure>")
                .map(|end| end + "</figure>".len())
                .unwrap_or(0)
        })
        .sum()
}

async fn run(n: usize, runs: usize) {
    let ds = Dataset::build(n).await;
    println!(
        "{n} rides + {n} stays loaded in {:.1} s",
        ds.load_time.as_secs_f64()
    );
    let clock = Clock::system();
    let noon = start_date().and_hms_opt(12, 0, 0).expect("noon");
    clock.set(Utc.from_utc_datetime(&noon));
    let app = App::build(Settings::for_database(&ds.url), clock.clone())
        .await
        .expect("app");
    let db = app.state.db.clone();
    let base = format!("http://{}", app.addr);
    tokio::spawn(app.run(std::future::pending()));
    let hash = hash_password(PASSWORD).expect("hash");
    users::insert(
        &db.pool,
        &users::NewUser {
            email: &Email::parse("admin@example.org").expect("email"),
            name: "Ada Admin",
            password_hash: Some(&hash),
            phone: None,
            home: None,
            is_admin: true,
            email_verified: true,
        },
        &clock.now_text(),
    )
    .await
    .expect("admin");
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let login = client
        .post(format!("{base}/login"))
        .form(&[
            ("email", "admin@example.org"),
            ("password", PASSWORD),
            ("next", "/"),
        ])
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), 303);

    let office_id = ds.trip.office_id;
    let pages = [
        ("office page + map + inset", format!("/offices/{office_id}")),
        ("trip page + map", format!("/trips/{}", ds.trip.id)),
    ];
    println!(
        "{:<28} {:>4} {:>9} {:>9} {:>10} {:>10} {:>8}",
        "page", "lang", "median", "p90", "bytes", "map bytes", "map %"
    );
    for lang in ["en", "es"] {
        // The admin's choice, as the footer's switch makes it.
        let chose = client
            .post(format!("{base}/language"))
            .form(&[("lang", lang), ("next", "/")])
            .send()
            .await
            .expect("language");
        assert_eq!(chose.status(), 303);
        for (name, path) in &pages {
            measure(&client, &base, name, path, lang, runs).await;
        }
    }

    // The work only the maps do, timed on its own.
    let office = offices::by_id(&db.pool, office_id)
        .await
        .expect("office")
        .expect("exists");
    let today = start_date();
    let to = today + Days::new(13);
    let finder = &ds.finder;
    let mut office_times = vec![];
    let mut trip_times = vec![];
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let r = finder
            .rides_to_office(office_id, today, to, today)
            .await
            .expect("rides");
        let tr = trips::arriving_at(&db.pool, &[office_id], today, to)
            .await
            .expect("trips");
        let near = finder
            .stays_near(office.place.point, 60.0, today)
            .await
            .expect("stays");
        let layers = OfficeLayers {
            rides: r.iter().map(|r| r.as_ref()).collect(),
            stays: near.iter().map(|(_, s)| s.as_ref()).collect(),
            travellers: tr.iter().collect(),
        };
        let drawn = office_maps(&office, &layers, "range", Unit::Miles, Lang::En);
        std::hint::black_box(&drawn);
        office_times.push(t.elapsed());

        let found = finder.for_trip(&ds.trip, today).await.expect("matches");
        let t = Instant::now();
        let drawn = trip_map(
            &ds.trip,
            found.rides.iter().map(|(_, r)| r.as_ref()),
            found.stays.iter().map(|(_, s)| s.as_ref()),
            Lang::En,
        );
        std::hint::black_box(&drawn);
        trip_times.push(t.elapsed());
    }
    let med = |v: Vec<Duration>| summary(v).1;
    println!(
        "office map work (2 queries + stays from the index + drawing): median {}",
        ms(med(office_times))
    );
    println!(
        "trip map drawing (matches already found for the page): median {}",
        ms(med(trip_times))
    );
}

/// One page fetched `runs` times after a warm-up: its median and p90 time,
/// its bytes and the map's.
async fn measure(
    client: &reqwest::Client,
    base: &str,
    name: &str,
    path: &str,
    lang: &str,
    runs: usize,
) {
    let mut times = vec![];
    let mut body = String::new();
    // One warm-up: the offer index loads on the first page that needs it.
    for i in 0..=runs {
        let t = Instant::now();
        let resp = client
            .get(format!("{base}{path}"))
            .send()
            .await
            .expect("get");
        assert_eq!(resp.status(), 200, "{path}");
        body = resp.text().await.expect("body");
        if i > 0 {
            times.push(t.elapsed());
        }
    }
    let (_, median, _) = summary(times.clone());
    times.sort();
    let p90 = times[(times.len() * 9 / 10).min(times.len() - 1)];
    assert!(
        body.contains(&format!("<html lang=\"{lang}\"")),
        "{path} in {lang}"
    );
    let map = map_bytes(&body);
    println!(
        "{name:<28} {lang:>4} {:>9} {:>9} {:>10} {:>10} {:>7.1}%",
        ms(median),
        ms(p90),
        body.len(),
        map,
        100.0 * map as f64 / body.len() as f64
    );
}
