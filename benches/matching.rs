//! `cargo bench --bench matching`: one trip's full ranked lists of rides and
//! beds through `finder::for_trip` (what the pages and the `matches` command
//! use: the in-memory offer index, brought up to date from the change log
//! first) against two baselines in the same process: a brute-force scan
//! (every open ride and stay loaded, the pure engine run over all of them) and
//! the SQL-index path (candidates fetched through the database's indexes on
//! every lookup, the previous design), at 1k, 10k and 100k ride offers plus as
//! many stay offers. Then a trip with many matches (every ride to its
//! office on eight days fits it): p50/p99 of its full lookup, of the ride
//! lookup alone (`rides_for`) and of the pure ranking of the same candidates,
//! timed side by side. Then the resident memory of the real server binary
//! over the largest database.
//!
//! Without `--bench` (`cargo test --benches`) it checks the 1k case once.
//! `BENCH_SIZES=1000,10000` picks the sizes.

mod common;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use chrono::{Days, NaiveDate};
use criterion::{BenchmarkId, Criterion, SamplingMode};
use sqlx::Row;
use tokio::runtime::Runtime;

use common::{Dataset, Server};
use trip_planner::domain::ids::{RideId, StayId};
use trip_planner::finder::{self, TripMatches};
use trip_planner::matching::{self, RideHomeMatch, RideMatch, StayMatch};
use trip_planner::store::rides::{self, Ride};
use trip_planner::store::stays::{self, bbox_around, Stay};
use trip_planner::store::trips::{self, Trip, TripFields};
use trip_planner::store::{users, Db};

/// Every open ride and stay, each stay with all its nights: two full scans.
async fn load_all(db: &Db) -> sqlx::Result<(Vec<Ride>, Vec<Stay>)> {
    let rides = rides::all_open(&db.pool).await?;
    let mut conn = db.pool.acquire().await?;
    let stays = stays::all_open(&mut conn).await?;
    Ok((rides, stays))
}

/// The baseline: load everything, rank everything with the pure engine, and
/// attach the offers to the matches as `finder::for_trip` does.
async fn scan(db: &Db, trip: &Trip, today: NaiveDate) -> sqlx::Result<TripMatches> {
    let (rides, stays) = load_all(db).await?;
    let req = trip.request();
    let ride_cands: Vec<_> = rides.iter().map(Ride::candidate).collect();
    let stay_cands: Vec<_> = stays.iter().map(Stay::candidate).collect();
    let mut rides_by_id: HashMap<_, Ride> = rides.into_iter().map(|r| (r.id, r)).collect();
    let mut stays_by_id: HashMap<_, Stay> = stays.into_iter().map(|s| (s.id, s)).collect();
    let rides_home = matching::rank_rides_home(&req, &ride_cands, today)
        .into_iter()
        .filter_map(|m| {
            rides_by_id
                .get(&m.ride_id)
                .map(|r| (m, Arc::new(r.clone())))
        })
        .collect();
    Ok(TripMatches {
        rides_home,
        rides: matching::rank_rides(&req, &ride_cands, today)
            .into_iter()
            .filter_map(|m| rides_by_id.remove(&m.ride_id).map(|r| (m, Arc::new(r))))
            .collect(),
        stays: matching::rank_stays(&req, &stay_cands, today)
            .into_iter()
            .filter_map(|m| stays_by_id.remove(&m.stay_id).map(|s| (m, Arc::new(s))))
            .collect(),
    })
}

/// The second baseline, the previous design: on every lookup, rides by the
/// `(office_id, depart_date)` index and stays by the `(lat, lon, …)` index,
/// rows decoded, then the same engine.
async fn sql_path(db: &Db, trip: &Trip, today: NaiveDate) -> sqlx::Result<TripMatches> {
    let req = trip.request();
    let earliest = trip.arrive - Days::new(trip.flex_days as u64);
    let found = rides::candidates(
        &db.pool,
        trip.office_id,
        earliest,
        trip.arrive,
        trip.party_size,
    )
    .await?;
    let cands: Vec<_> = found.iter().map(Ride::candidate).collect();
    let mut by_id: HashMap<_, Ride> = found.into_iter().map(|r| (r.id, r)).collect();
    let rides = matching::rank_rides(&req, &cands, today)
        .into_iter()
        .filter_map(|m| by_id.remove(&m.ride_id).map(|r| (m, Arc::new(r))))
        .collect();
    let latest = trip.leave + Days::new(trip.flex_days as u64);
    let found = rides::candidates(
        &db.pool,
        trip.office_id,
        trip.leave,
        latest,
        trip.party_size,
    )
    .await?;
    let cands: Vec<_> = found.iter().map(Ride::candidate).collect();
    let mut by_id: HashMap<_, Ride> = found.into_iter().map(|r| (r.id, r)).collect();
    let rides_home = matching::rank_rides_home(&req, &cands, today)
        .into_iter()
        .filter_map(|m| by_id.remove(&m.ride_id).map(|r| (m, Arc::new(r))))
        .collect();
    let last_night = trip.leave.pred_opt().expect("a night");
    let mut conn = db.pool.acquire().await?;
    let bbox = bbox_around(trip.office_point, trip.max_stay_km);
    let found =
        stays::candidates(&mut conn, bbox, trip.arrive, last_night, trip.party_size).await?;
    let cands: Vec<_> = found.iter().map(Stay::candidate).collect();
    let mut by_id: HashMap<_, Stay> = found.into_iter().map(|s| (s.id, s)).collect();
    let stays = matching::rank_stays(&req, &cands, today)
        .into_iter()
        .filter_map(|m| by_id.remove(&m.stay_id).map(|s| (m, Arc::new(s))))
        .collect();
    Ok(TripMatches {
        rides,
        stays,
        rides_home,
    })
}

type Key = (
    Vec<(RideMatch, RideId)>,
    Vec<(StayMatch, StayId)>,
    Vec<(RideHomeMatch, RideId)>,
);

/// What must agree: every match (ids, figures, order) and the offer attached to it.
fn key(t: &TripMatches) -> Key {
    (
        t.rides.iter().map(|(m, r)| (m.clone(), r.id)).collect(),
        t.stays.iter().map(|(m, s)| (m.clone(), s.id)).collect(),
        t.rides_home
            .iter()
            .map(|(m, r)| (m.clone(), r.id))
            .collect(),
    )
}

/// Checks, outside any timing, that the indexed path and the brute force give
/// the same ranked lists: for every trip in the database (the pure engine over
/// all offers), and for the benchmarked trip through the timed `scan` itself.
/// Returns how long one `scan` took, to size its measurement.
fn verify(rt: &Runtime, data: &Dataset, today: NaiveDate) -> Duration {
    rt.block_on(async {
        let db = &data.db;
        let (rides, stays) = load_all(db).await.expect("loading all offers");
        let ride_cands: Vec<_> = rides.iter().map(Ride::candidate).collect();
        let stay_cands: Vec<_> = stays.iter().map(Stay::candidate).collect();
        let all = trips::all_open(&db.pool, today).await.expect("trips");
        assert_eq!(all.len(), common::OTHER_TRIPS + 2, "every trip is open");
        let (mut ride_hits, mut stay_hits, mut home_hits) = (0, 0, 0);
        for trip in &all {
            let req = trip.request();
            let indexed = data.finder.for_trip(trip, today).await.expect("finder");
            let want_rides = matching::rank_rides(&req, &ride_cands, today);
            let want_stays = matching::rank_stays(&req, &stay_cands, today);
            let want_home = matching::rank_rides_home(&req, &ride_cands, today);
            let got = key(&indexed);
            assert_eq!(
                got.2.iter().map(|(m, _)| m.clone()).collect::<Vec<_>>(),
                want_home,
                "trip {}: rides home differ between the index and the scan",
                trip.id
            );
            assert!(got.2.iter().all(|(m, id)| m.ride_id == *id));
            home_hits += want_home.len();
            assert_eq!(
                got.0.iter().map(|(m, _)| m.clone()).collect::<Vec<_>>(),
                want_rides,
                "trip {}: rides differ between the index and the scan",
                trip.id
            );
            assert_eq!(
                got.1.iter().map(|(m, _)| m.clone()).collect::<Vec<_>>(),
                want_stays,
                "trip {}: stays differ between the index and the scan",
                trip.id
            );
            assert!(got.0.iter().all(|(m, id)| m.ride_id == *id));
            assert!(got.1.iter().all(|(m, id)| m.stay_id == *id));
            ride_hits += want_rides.len();
            stay_hits += want_stays.len();
        }
        assert!(
            ride_hits > 0 && stay_hits > 0 && home_hits > 0,
            "a comparison of empty lists proves nothing"
        );

        let trip = &data.trip;
        let indexed = data.finder.for_trip(trip, today).await.expect("finder");
        let started = Instant::now();
        let brute = scan(db, trip, today).await.expect("scan");
        let scan_time = started.elapsed();
        assert_eq!(
            key(&indexed),
            key(&brute),
            "the benchmarked trip's lists differ between the index and the scan"
        );
        let via_sql = sql_path(db, trip, today).await.expect("sql path");
        assert_eq!(
            key(&indexed),
            key(&via_sql),
            "the benchmarked trip's lists differ between the index and the SQL path"
        );
        assert!(
            !indexed.stays.is_empty(),
            "the benchmarked trip should find beds"
        );
        println!(
            "n={}: checked {} trips: index == scan \
             ({ride_hits} ride, {stay_hits} stay and {home_hits} ride-home matches in all)",
            data.n,
            all.len()
        );
        println!(
            "n={}: {} open rides, {} open stays, loaded in {:.1} s, {:.1} MB on disk",
            data.n,
            rides.len(),
            stays.len(),
            data.load_time.as_secs_f64(),
            data.size_on_disk() as f64 / 1e6
        );
        scan_time
    })
}

/// The stays SELECT of `stays::candidates`, spelled out for the timings below.
const STAY_SQL: &str = "SELECT s.id, s.owner_id, u.name AS owner_name, u.email AS owner_email, \
     s.zip, s.city, s.state, s.lat, s.lon, s.street, s.beds, s.first_night, s.last_night, \
     s.pets_in_home, s.smoking, s.children_welcome, s.step_free, s.instant_accept, s.notes, \
     s.status FROM stays s JOIN users u ON u.id = s.owner_id \
     WHERE s.lat >= $1 AND s.lat <= $2 AND s.lon >= $3 AND s.lon <= $4 \
     AND s.first_night <= $5 AND s.last_night >= $6 AND s.status = 'active' AND s.beds >= $7";
const STAY_COUNT_SQL: &str = "SELECT COUNT(*) AS n FROM stays s \
     WHERE s.lat >= $1 AND s.lat <= $2 AND s.lon >= $3 AND s.lon <= $4 \
     AND s.first_night <= $5 AND s.last_night >= $6 AND s.status = 'active' AND s.beds >= $7";
const STAY_ID_SQL: &str = "SELECT s.id FROM stays s \
     WHERE s.lat >= $1 AND s.lat <= $2 AND s.lon >= $3 AND s.lon <= $4 \
     AND s.first_night <= $5 AND s.last_night >= $6 AND s.status = 'active' AND s.beds >= $7";
const RIDE_COUNT_SQL: &str = "SELECT COUNT(*) AS n FROM rides r \
     WHERE r.office_id = $1 AND r.depart_date >= $2 AND r.depart_date <= $3 \
     AND r.status = 'active' AND r.seats - r.seats_taken >= $4";

/// Median wall time of `runs` calls.
async fn median_of<T, F, Fut>(runs: usize, mut f: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        std::hint::black_box(f().await);
        times.push(started.elapsed());
    }
    common::summary(times).1
}

/// Where the indexed path's time goes, piece by piece (plain medians, not
/// criterion): SQLite's own work (COUNT(*) over the same WHERE), fetching the
/// rows through the `Any` driver, the store functions with their decoding, the
/// same SELECT through sqlx's native SQLite driver, and the pure ranking.
fn breakdown(rt: &Runtime, data: &Dataset, today: NaiveDate) {
    let runs = if data.n >= 100_000 { 15 } else { 40 };
    rt.block_on(async {
        let (db, trip) = (&data.db, &data.trip);
        let pool = &db.pool;
        let earliest = trip.arrive - Days::new(trip.flex_days as u64);
        let last_night = trip.leave.pred_opt().expect("a night");
        let bbox = bbox_around(trip.office_point, trip.max_stay_km);
        let text = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        let (arrive, last, from) = (text(trip.arrive), text(last_night), text(earliest));
        let party = i64::from(trip.party_size);
        let native = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect(&data.url)
            .await
            .expect("native SQLite pool");

        let mut lines: Vec<(&str, Duration)> = vec![];
        let t = median_of(runs, || data.finder.for_trip(trip, today)).await;
        lines.push(("finder::for_trip (whole: sync + in-memory lookup)", t));
        let t = median_of(runs, || data.finder.sync(today)).await;
        lines.push(("  offers.sync (read the change log, nothing new)", t));
        let req = trip.request();
        let t = median_of(runs, || async {
            let m = data.finder.lookup(&req, today);
            (m.rides.len(), m.stays.len())
        })
        .await;
        lines.push((
            "  in-memory candidates + ranking (rides_for + stays_for)",
            t,
        ));
        let t = median_of(runs, || sql_path(db, trip, today)).await;
        lines.push(("SQL-index path (previous design, whole)", t));
        let t = median_of(runs, || {
            rides::candidates(pool, trip.office_id, earliest, trip.arrive, trip.party_size)
        })
        .await;
        lines.push(("  rides::candidates (SQL + Any rows + decode)", t));
        let t = median_of(runs, || async {
            sqlx::query(RIDE_COUNT_SQL)
                .bind(trip.office_id)
                .bind(&from)
                .bind(&arrive)
                .bind(party)
                .fetch_one(pool)
                .await
        })
        .await;
        lines.push(("    SQLite alone: COUNT(*) of the ride WHERE", t));
        let t = median_of(runs, || async move {
            let mut conn = pool.acquire().await?;
            stays::candidates(&mut conn, bbox, trip.arrive, last_night, trip.party_size).await
        })
        .await;
        lines.push(("  stays::candidates (SQL + Any rows + decode + nights)", t));
        let stay_query = |sql: &'static str| {
            sqlx::query(sql)
                .bind(bbox.min_lat)
                .bind(bbox.max_lat)
                .bind(bbox.min_lon)
                .bind(bbox.max_lon)
                .bind(arrive.clone())
                .bind(last.clone())
                .bind(party)
        };
        let t = median_of(runs, || stay_query(STAY_COUNT_SQL).fetch_one(pool)).await;
        lines.push(("    SQLite alone: COUNT(*) of the stay WHERE", t));
        let t = median_of(runs, || stay_query(STAY_SQL).fetch_all(pool)).await;
        lines.push(("    stay SELECT through Any, rows not decoded", t));
        let t = median_of(runs, || stay_query(STAY_ID_SQL).fetch_all(pool)).await;
        lines.push(("    same rows through Any, only s.id selected", t));
        let native_stays = |decode: bool| {
            let (native, arrive, last) = (&native, arrive.clone(), last.clone());
            async move {
                let rows = sqlx::query(STAY_SQL)
                    .bind(bbox.min_lat)
                    .bind(bbox.max_lat)
                    .bind(bbox.min_lon)
                    .bind(bbox.max_lon)
                    .bind(arrive)
                    .bind(last)
                    .bind(party)
                    .fetch_all(native)
                    .await
                    .expect("native query");
                if decode {
                    native_decode(&rows)
                } else {
                    rows.len()
                }
            }
        };
        let t = median_of(runs, || native_stays(false)).await;
        lines.push(("    same SELECT, native SQLite driver, not decoded", t));
        let t = median_of(runs, || native_stays(true)).await;
        lines.push(("    same SELECT, native SQLite driver, decoded", t));

        let found_rides =
            rides::candidates(pool, trip.office_id, earliest, trip.arrive, trip.party_size)
                .await
                .expect("rides");
        let mut conn = pool.acquire().await.expect("connection");
        let found_stays =
            stays::candidates(&mut conn, bbox, trip.arrive, last_night, trip.party_size)
                .await
                .expect("stays");
        drop(conn);
        let t = median_of(runs, || async {
            let rc: Vec<_> = found_rides.iter().map(Ride::candidate).collect();
            let sc: Vec<_> = found_stays.iter().map(Stay::candidate).collect();
            (
                matching::rank_rides(&req, &rc, today).len(),
                matching::rank_stays(&req, &sc, today).len(),
            )
        })
        .await;
        lines.push(("  pure ranking of the candidates", t));
        native.close().await;

        println!(
            "n={}: where the indexed time goes (median of {runs}):",
            data.n
        );
        for (what, t) in lines {
            println!("    {what:<56} {:>9.3} ms", t.as_secs_f64() * 1e3);
        }
    });
}

/// Decodes native SQLite rows into the same values `stays::from_row` reads.
fn native_decode(rows: &[sqlx::sqlite::SqliteRow]) -> usize {
    let date = |s: String| NaiveDate::parse_from_str(&s, "%Y-%m-%d").expect("date");
    let mut n = 0;
    for r in rows {
        let values = (
            r.get::<i64, _>(0),
            r.get::<i64, _>(1),
            r.get::<String, _>(2),
            r.get::<String, _>(3),
            r.get::<Option<String>, _>(4),
            r.get::<String, _>(5),
            r.get::<String, _>(6),
            r.get::<f64, _>(7),
            r.get::<f64, _>(8),
            r.get::<Option<String>, _>(9),
            r.get::<i64, _>(10),
            date(r.get::<String, _>(11)),
            date(r.get::<String, _>(12)),
            (0..5).map(|i| r.get::<i64, _>(13 + i)).sum::<i64>(),
            r.get::<String, _>(18),
            r.get::<String, _>(19),
        );
        n += std::hint::black_box(values).0 as usize & 1;
    }
    n
}

/// What the indexed path reads for the benchmarked trip, and SQLite's plans.
fn describe(rt: &Runtime, data: &Dataset, today: NaiveDate) {
    rt.block_on(async {
        let (db, trip) = (&data.db, &data.trip);
        let earliest = trip.arrive - Days::new(trip.flex_days as u64);
        let ride_rows = rides::candidates(
            &db.pool,
            trip.office_id,
            earliest,
            trip.arrive,
            trip.party_size,
        )
        .await
        .expect("ride candidates");
        let last_night = trip.leave.pred_opt().expect("a night");
        let bbox = bbox_around(trip.office_point, trip.max_stay_km);
        let mut conn = db.pool.acquire().await.expect("connection");
        let stay_rows =
            stays::candidates(&mut conn, bbox, trip.arrive, last_night, trip.party_size)
                .await
                .expect("stay candidates");
        let band: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM stays WHERE lat >= $1 AND lat <= $2")
                .bind(bbox.min_lat)
                .bind(bbox.max_lat)
                .fetch_one(&mut *conn)
                .await
                .and_then(|r| r.try_get("n"))
                .expect("band count");
        let found = data.finder.for_trip(trip, today).await.expect("finder");
        let fresh = Db::connect(&data.url, 2).await.expect("second pool");
        let started = Instant::now();
        let fresh_finder = finder::Finder::new(fresh.clone());
        fresh_finder.sync(today).await.expect("full load");
        let (held_rides, held_stays) = fresh_finder.held();
        println!(
            "n={}: offer index full load (first lookup of a process): {held_rides} rides, \
             {held_stays} stays in {}",
            data.n,
            common::ms(started.elapsed())
        );
        fresh.pool.close().await;
        println!(
            "n={}: benchmarked trip: rides: {} rows from the (office, date) range -> {} ranked",
            data.n,
            ride_rows.len(),
            found.rides.len(),
        );
        println!(
            "n={}: benchmarked trip: stays: {band} index entries in the latitude band -> \
             {} rows in the box and dates -> {} ranked",
            data.n,
            stay_rows.len(),
            found.stays.len()
        );
        {
            let d = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
            let ride_plan = sqlx::query(
                "EXPLAIN QUERY PLAN SELECT r.*, u.name, u.email \
                 FROM rides r JOIN users u ON u.id = r.owner_id \
                 WHERE r.office_id = $1 AND r.depart_date >= $2 AND r.depart_date <= $3 \
                 AND r.status = 'active' AND r.seats - r.seats_taken >= $4",
            )
            .bind(trip.office_id)
            .bind(d(earliest))
            .bind(d(trip.arrive))
            .bind(i64::from(trip.party_size));
            let stay_plan = sqlx::query(
                "EXPLAIN QUERY PLAN SELECT s.*, u.name, u.email \
                 FROM stays s JOIN users u ON u.id = s.owner_id \
                 WHERE s.lat >= $1 AND s.lat <= $2 AND s.lon >= $3 AND s.lon <= $4 \
                 AND s.first_night <= $5 AND s.last_night >= $6 \
                 AND s.status = 'active' AND s.beds >= $7",
            )
            .bind(bbox.min_lat)
            .bind(bbox.max_lat)
            .bind(bbox.min_lon)
            .bind(bbox.max_lon)
            .bind(d(trip.arrive))
            .bind(d(last_night))
            .bind(i64::from(trip.party_size));
            for (what, query) in [("rides", ride_plan), ("stays", stay_plan)] {
                match query.fetch_all(&mut *conn).await {
                    Ok(rows) => {
                        let steps: Vec<String> = rows
                            .iter()
                            .filter_map(|r| r.try_get::<String, _>("detail").ok())
                            .collect();
                        println!("query plan ({what}): {}", steps.join(" | "));
                    }
                    Err(e) => println!("query plan ({what}): not available ({e})"),
                }
            }
        }
    });
}

/// A trip that every open ride to its office on eight days fits: the
/// traveller lives at the office (no detour for anyone), flexible by the
/// most days allowed, a party of one. Added beside the dataset's 50 trips.
async fn add_many_matches_trip(db: &Db) -> Trip {
    let gaz = trip_planner::places::Gazetteer::embedded();
    let office = gaz.zip(common::BENCH_OFFICE_ZIP).expect("office ZIP");
    let office_id = trip_planner::store::offices::all(&db.pool)
        .await
        .expect("offices")
        .into_iter()
        .find(|o| o.place.zip.as_deref() == Some(common::BENCH_OFFICE_ZIP))
        .expect("the Milwaukee office")
        .id;
    let traveller = users::by_email(&db.pool, "traveller@example.net")
        .await
        .expect("traveller")
        .expect("the bench traveller exists")
        .id;
    let arrive = common::start_date() + Days::new(common::WINDOW_DAYS - 1);
    let id = trips::insert(
        &db.pool,
        traveller,
        &TripFields {
            office_id,
            from: office,
            arrive,
            leave: arrive + Days::new(2),
            party_size: 1,
            needs_ride: true,
            needs_bed: true,
            needs_ride_home: false,
            flex_days: trip_planner::domain::offer::MAX_FLEX_DAYS as i32,
            max_stay_km: 40.0,
            need_step_free: false,
            need_no_pets: false,
            need_no_smoking: false,
            notes: String::new(),
        },
        "2028-10-01T12:00:00Z",
    )
    .await
    .expect("many-matches trip");
    trips::by_id(&db.pool, id)
        .await
        .expect("trip")
        .expect("just inserted")
}

/// Percentile `p` (0–100) of sorted durations, nearest rank.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// The many-matches trip, timed side by side (plain samples, not criterion,
/// because criterion reports no tail): each round times every variant once,
/// in turn, so a noisy moment of the machine hits all of them alike.
///
/// * full lookup: `finder::for_trip` (sync with the change log + rides + stays);
/// * `rides_for`: the index's ride lookup alone (`Finder::lookup` of the same
///   request without the bed), as the trip page gets it;
/// * before the fix: the same candidates and ranking with each match's ride
///   found by a linear search, as `rides_for` did (the quadratic step);
/// * pure ranking: `matching::rank_rides` over the same candidates built
///   beforehand — the floor `rides_for` is held against.
fn many_matches(rt: &Runtime, data: &Dataset, trip: &Trip, today: NaiveDate, rounds: usize) {
    rt.block_on(async {
        let req = trip.request();
        let rides_only = matching::TripRequest {
            needs_bed: false,
            needs_ride_home: false,
            ..req.clone()
        };
        let earliest = trip.arrive - Days::new(trip.flex_days as u64);
        let found: Vec<Arc<Ride>> = rides::candidates(
            &data.db.pool,
            trip.office_id,
            earliest,
            trip.arrive,
            trip.party_size,
        )
        .await
        .expect("ride candidates")
        .into_iter()
        .map(Arc::new)
        .collect();
        let cands: Vec<_> = found.iter().map(|r| r.candidate()).collect();
        let full = data.finder.for_trip(trip, today).await.expect("finder");
        let via_index = data.finder.lookup(&rides_only, today);
        let ranked = matching::rank_rides(&req, &cands, today);
        assert_eq!(
            via_index
                .rides
                .iter()
                .map(|(m, r)| (m.clone(), r.id))
                .collect::<Vec<_>>(),
            ranked
                .iter()
                .map(|m| (m.clone(), m.ride_id))
                .collect::<Vec<_>>(),
            "rides_for and the pure ranking of the same candidates differ"
        );
        let quadratic = || {
            matching::rank_rides(
                &req,
                &found.iter().map(|r| r.candidate()).collect::<Vec<_>>(),
                today,
            )
            .into_iter()
            .filter_map(|m| {
                let r = found.iter().find(|r| r.id == m.ride_id)?;
                Some((m, Arc::clone(r)))
            })
            .collect::<Vec<_>>()
        };
        assert_eq!(quadratic().len(), ranked.len());

        let mut times: [Vec<Duration>; 4] = Default::default();
        for _ in 0..rounds {
            let t = Instant::now();
            std::hint::black_box(data.finder.for_trip(trip, today).await.expect("finder"));
            times[0].push(t.elapsed());
            let t = Instant::now();
            std::hint::black_box(data.finder.lookup(&rides_only, today));
            times[1].push(t.elapsed());
            let t = Instant::now();
            std::hint::black_box(quadratic());
            times[2].push(t.elapsed());
            let t = Instant::now();
            std::hint::black_box(matching::rank_rides(&req, &cands, today));
            times[3].push(t.elapsed());
        }
        for t in &mut times {
            t.sort();
        }
        let (p50_rank, p99_rank) = (percentile(&times[3], 50.0), percentile(&times[3], 99.0));
        println!(
            "n={}: many-matches trip: {} ride candidates -> {} rides, {} stays; {rounds} rounds",
            data.n,
            found.len(),
            full.rides.len(),
            full.stays.len()
        );
        println!(
            "    {:<48} {:>10} {:>10} {:>10} {:>9} {:>9}",
            "", "p50", "p99", "max", "p50/rank", "p99/rank"
        );
        for (what, t) in [
            ("full lookup (finder::for_trip)", &times[0]),
            ("rides_for (Finder::lookup, rides only)", &times[1]),
            ("rides_for before the fix (linear search)", &times[2]),
            ("pure ranking of the same candidates", &times[3]),
        ] {
            let (p50, p99) = (percentile(t, 50.0), percentile(t, 99.0));
            println!(
                "    {what:<48} {:>7.3} ms {:>7.3} ms {:>7.3} ms {:>8.2}x {:>8.2}x",
                p50.as_secs_f64() * 1e3,
                p99.as_secs_f64() * 1e3,
                t[t.len() - 1].as_secs_f64() * 1e3,
                p50.as_secs_f64() / p50_rank.as_secs_f64(),
                p99.as_secs_f64() / p99_rank.as_secs_f64(),
            );
        }
    });
}

/// Resident memory of `trip-planner serve` over the dataset, after a round of pages.
fn server_memory(data: &Dataset) {
    let log = data.path.with_extension("server.log");
    let server = Server::start(&data.url, &log);
    let (idle, _) = server.memory_kib();
    let mut pages = vec!["/healthz".to_string(), "/".into(), "/offices".into()];
    pages.extend((1..=common::OFFICE_ZIPS.len()).map(|i| format!("/offices/{i}")));
    let mut slowest = (Duration::ZERO, String::new());
    for round in 0..3 {
        for page in &pages {
            let started = Instant::now();
            let (code, body) = common::http_get(server.addr, page).expect("GET");
            let took = started.elapsed();
            assert_eq!(code, 200, "GET {page}: {}", String::from_utf8_lossy(&body));
            if round > 0 && took > slowest.0 {
                slowest = (took, page.clone());
            }
        }
    }
    let (rss, peak) = server.memory_kib();
    println!(
        "server over n={} (+{} stays): ready after {}; \
         VmRSS {:.1} MiB idle, {:.1} MiB after {} pages (peak VmHWM {:.1} MiB); \
         slowest warm page {} in {}",
        data.n,
        data.n,
        common::ms(server.ready_after),
        idle as f64 / 1024.0,
        rss as f64 / 1024.0,
        3 * pages.len(),
        peak as f64 / 1024.0,
        slowest.1,
        common::ms(slowest.0)
    );
    server.stop();
}

/// Criterion's median for `group/id`, in seconds, if it was measured since `since`.
fn criterion_median(group: &str, id: usize, since: SystemTime) -> Option<f64> {
    let root = std::env::var_os("CRITERION_HOME")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("CARGO_TARGET_DIR").map(|d| PathBuf::from(d).join("criterion"))
        })
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/criterion"));
    let file = root
        .join(group)
        .join(id.to_string())
        .join("new/estimates.json");
    if std::fs::metadata(&file).ok()?.modified().ok()? < since {
        return None;
    }
    let text = std::fs::read_to_string(file).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    Some(v["median"]["point_estimate"].as_f64()? / 1e9)
}

fn main() {
    let run_started = SystemTime::now();
    let bench_mode = std::env::args().any(|a| a == "--bench");
    let sizes = common::sizes(bench_mode);
    let today = common::start_date();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(30)
        .configure_from_args();

    let mut largest: Option<Dataset> = None;
    for &n in &sizes {
        drop(largest.take()); // the previous database goes first
        let data = rt.block_on(Dataset::build(n));
        let many = rt.block_on(add_many_matches_trip(&data.db));
        let scan_time = verify(&rt, &data, today);
        describe(&rt, &data, today);
        if bench_mode {
            breakdown(&rt, &data, today);
        }
        many_matches(&rt, &data, &many, today, if bench_mode { 1_000 } else { 3 });

        let mut group = c.benchmark_group("indexed");
        group
            .sample_size(50)
            .measurement_time(Duration::from_secs(5));
        group.bench_with_input(BenchmarkId::from_parameter(n), &data, |b, d| {
            b.iter(|| {
                rt.block_on(d.finder.for_trip(&d.trip, today))
                    .expect("finder")
            })
        });
        group.finish();

        // The same trip without its ride home: the lookup as it was before
        // rides home, on the same data in the same run.
        let there_only = Trip {
            needs_ride_home: false,
            ..data.trip.clone()
        };
        let mut group = c.benchmark_group("indexed_without_home");
        group
            .sample_size(50)
            .measurement_time(Duration::from_secs(5));
        group.bench_with_input(BenchmarkId::from_parameter(n), &data, |b, d| {
            b.iter(|| {
                rt.block_on(d.finder.for_trip(&there_only, today))
                    .expect("finder")
            })
        });
        group.finish();

        let mut group = c.benchmark_group("sql");
        group.sample_size(30);
        group.bench_with_input(BenchmarkId::from_parameter(n), &data, |b, d| {
            b.iter(|| {
                rt.block_on(sql_path(&d.db, &d.trip, today))
                    .expect("sql path")
            })
        });
        group.finish();

        let mut group = c.benchmark_group("scan");
        if scan_time > Duration::from_millis(50) {
            // Long iterations: ten samples of one iteration each.
            group
                .sample_size(10)
                .sampling_mode(SamplingMode::Flat)
                .warm_up_time(scan_time.min(Duration::from_secs(1)))
                .measurement_time(scan_time.mul_f64(16.0).max(Duration::from_secs(5)));
        } else {
            group.sample_size(20);
        }
        group.bench_with_input(BenchmarkId::from_parameter(n), &data, |b, d| {
            b.iter(|| rt.block_on(scan(&d.db, &d.trip, today)).expect("scan"))
        });
        group.finish();
        largest = Some(data);
    }
    c.final_summary();

    if bench_mode {
        println!("\nmedians from this run (criterion):");
        println!(
            "{:>8}  {:>12}  {:>12}  {:>12}  {:>12}  {:>10}  {:>10}  {:>10}",
            "N", "indexed", "no home", "sql", "scan", "idx/nohome", "sql/idx", "scan/idx"
        );
        for &n in &sizes {
            if let (Some(i), Some(h), Some(q), Some(s)) = (
                criterion_median("indexed", n, run_started),
                criterion_median("indexed_without_home", n, run_started),
                criterion_median("sql", n, run_started),
                criterion_median("scan", n, run_started),
            ) {
                println!(
                    "{n:>8}  {:>9.3} ms  {:>9.3} ms  {:>9.2} ms  {:>9.1} ms  {:>9.2}x  {:>9.0}x  {:>9.0}x",
                    i * 1e3,
                    h * 1e3,
                    q * 1e3,
                    s * 1e3,
                    i / h,
                    q / i,
                    s / i
                );
            }
        }
        if let Some(data) = &largest {
            server_memory(data);
        }
    }
}
