//! Shared by the bench targets: campaign-like data in a fresh SQLite file,
//! and a tiny client for the real server binary (start it, wait for
//! `/healthz`, fetch pages, read its resident memory).
//!
//! Each bench target uses part of this module only.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tempfile::TempDir;

use trip_planner::domain::account::Email;
use trip_planner::domain::offer::{Direction, Status};
use trip_planner::domain::office::default_time_zone;
use trip_planner::places::{Gazetteer, LatLon, Place};
use trip_planner::store::rides::{self, RideFields};
use trip_planner::store::stays::{self, StayFields};
use trip_planner::store::trips::{self, Trip, TripFields};
use trip_planner::store::{offices, users, Db};

/// The battleground field offices (the ZIPs of `src/demo.rs`).
pub const OFFICE_ZIPS: &[(&str, &str)] = &[
    ("Reno Field Office", "89501"),
    ("Las Vegas Field Office", "89101"),
    ("Phoenix Field Office", "85004"),
    ("Tucson Field Office", "85701"),
    ("Denver Field Office", "80202"),
    ("Milwaukee Field Office", "53202"),
    ("Madison Field Office", "53703"),
    ("Green Bay Field Office", "54301"),
    ("Detroit Field Office", "48226"),
    ("Grand Rapids Field Office", "49503"),
    ("Philadelphia Field Office", "19107"),
    ("Pittsburgh Field Office", "15222"),
    ("Erie Field Office", "16501"),
    ("Raleigh Field Office", "27601"),
    ("Charlotte Field Office", "28202"),
    ("Atlanta Field Office", "30303"),
    ("Savannah Field Office", "31401"),
    ("Tampa Field Office", "33602"),
    ("Orlando Field Office", "32801"),
    ("Columbus Field Office", "43215"),
    ("Richmond Field Office", "23219"),
    ("Manchester Field Office", "03101"),
];

/// Safe-state metro ZIPs that drivers and travellers start from (as in `src/demo.rs`).
pub const HOME_ZIPS: &[&str] = &[
    "94110", "94612", "90012", "92101", "95814", "10001", "11201", "14202", "60601", "60201",
    "02139", "02108", "98101", "97205", "21201", "07302", "78701", "84101", "37203", "46204",
    "55401", "06511", "19801", "96813",
];

/// The benchmarked trip: from Chicago to the Milwaukee office.
pub const BENCH_HOME_ZIP: &str = "60601";
pub const BENCH_OFFICE_ZIP: &str = "53202";

/// Days in the campaign window that departures and nights are spread over.
pub const WINDOW_DAYS: u64 = 21;
/// Random trips besides the benchmarked one.
pub const OTHER_TRIPS: usize = 49;
const SEED: u64 = 20_281_012;
/// Rows per transaction while loading.
const BATCH: usize = 5_000;

/// The fixed first day of the window; also "today" for the matching
/// benchmarks. Chosen in the future so the real server (system clock) still
/// lists every offer as upcoming.
pub fn start_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2028, 10, 12).expect("valid date")
}

fn day(offset: u64) -> NaiveDate {
    start_date() + Days::new(offset)
}

/// The sizes to benchmark: `BENCH_SIZES=1000,10000` overrides; without
/// `--bench` (`cargo test --benches`) only the smallest.
pub fn sizes(bench_mode: bool) -> Vec<usize> {
    if let Ok(s) = std::env::var("BENCH_SIZES") {
        return s
            .split(',')
            .map(|n| {
                n.trim()
                    .replace('_', "")
                    .parse()
                    .expect("BENCH_SIZES: numbers")
            })
            .collect();
    }
    if bench_mode {
        vec![1_000, 10_000, 100_000]
    } else {
        vec![1_000]
    }
}

/// The point `km` from `from` on the initial `bearing` (radians), on the
/// sphere `places::distance_km` uses.
pub fn offset_point(from: LatLon, bearing: f64, km: f64) -> LatLon {
    let d = km / 6371.0088;
    let (lat1, lon1) = (from.lat.to_radians(), from.lon.to_radians());
    let lat2 = (lat1.sin() * d.cos() + lat1.cos() * d.sin() * bearing.cos()).asin();
    let lon2 =
        lon1 + (bearing.sin() * d.sin() * lat1.cos()).atan2(d.cos() - lat1.sin() * lat2.sin());
    LatLon {
        lat: lat2.to_degrees(),
        lon: lon2.to_degrees(),
    }
}

/// `p` moved up to `max_km` in a random direction.
pub fn jitter(rng: &mut StdRng, p: &Place, max_km: f64) -> Place {
    let bearing = rng.gen_range(0.0..std::f64::consts::TAU);
    let km = rng.gen_range(0.0..max_km);
    Place {
        point: offset_point(p.point, bearing, km),
        ..p.clone()
    }
}

/// A fresh database of `n` ride offers and `n` stay offers, 22 offices,
/// their owners and 50 trips, with the benchmarked trip loaded.
pub struct Dataset {
    pub n: usize,
    pub path: PathBuf,
    pub url: String,
    pub db: Db,
    /// One finder for the run, as an app instance has.
    pub finder: trip_planner::finder::Finder,
    pub trip: Trip,
    pub load_time: Duration,
    _dir: TempDir,
}

impl Dataset {
    pub async fn build(n: usize) -> Dataset {
        let started = Instant::now();
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(format!("bench-{n}.db"));
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let db = Db::connect_and_migrate(&url, 4).await.expect("database");
        let trip_id = load(&db, n).await.expect("loading bench data");
        let trip = trips::by_id(&db.pool, trip_id)
            .await
            .expect("trip")
            .expect("the benchmarked trip exists");
        Dataset {
            n,
            path,
            url,
            finder: trip_planner::finder::Finder::new(db.clone()),
            db,
            trip,
            load_time: started.elapsed(),
            _dir: dir,
        }
    }

    /// Database file plus WAL, in bytes.
    pub fn size_on_disk(&self) -> u64 {
        let wal = PathBuf::from(format!("{}-wal", self.path.display()));
        [self.path.as_path(), wal.as_path()]
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .sum()
    }
}

/// Loads everything; returns the benchmarked trip's id.
async fn load(db: &Db, n: usize) -> anyhow::Result<trip_planner::domain::ids::TripId> {
    let gaz = Gazetteer::embedded();
    let now = "2028-10-01T12:00:00Z";
    let mut rng = StdRng::seed_from_u64(SEED);

    let homes: Vec<Place> = HOME_ZIPS
        .iter()
        .map(|z| gaz.zip(z).unwrap_or_else(|| panic!("ZIP {z} missing")))
        .collect();

    let mut tx = db.pool.begin().await?;
    let mut office_list: Vec<(trip_planner::domain::ids::OfficeId, Place)> = vec![];
    for (name, zip) in OFFICE_ZIPS {
        let place = gaz.zip(zip).unwrap_or_else(|| panic!("ZIP {zip} missing"));
        let id = offices::insert(
            &mut *tx,
            &offices::OfficeFields {
                name,
                place: &place,
                timezone: default_time_zone(&place.state).name(),
                contact_email: None,
                needed_per_day: Some(20),
            },
            now,
        )
        .await?;
        office_list.push((id, place));
    }

    // Offer owners: one account per 20 offers, at least 200.
    let n_users = (n / 20).max(200);
    let mut user_ids = Vec::with_capacity(n_users);
    for i in 0..n_users {
        let home = &homes[i % homes.len()];
        let email = Email::parse(&format!("volunteer{i}@example.net")).expect("email");
        let id = users::insert(
            &mut *tx,
            &users::NewUser {
                email: &email,
                name: &format!("Volunteer {i}"),
                password_hash: None,
                phone: None,
                home: Some(home),
                is_admin: false,
                email_verified: true,
            },
            now,
        )
        .await?;
        user_ids.push(id);
    }
    let traveller = users::insert(
        &mut *tx,
        &users::NewUser {
            email: &Email::parse("traveller@example.net").expect("email"),
            name: "Terry Traveller",
            password_hash: None,
            phone: None,
            home: gaz.zip(BENCH_HOME_ZIP).as_ref(),
            is_admin: false,
            email_verified: true,
        },
        now,
    )
    .await?;
    tx.commit().await?;

    // Rides: from a jittered safe-state metro to a random office.
    let mut done = 0;
    while done < n {
        let mut tx = db.pool.begin().await?;
        for _ in done..(done + BATCH).min(n) {
            let owner = user_ids[rng.gen_range(0..user_ids.len())];
            let (office_id, _) = &office_list[rng.gen_range(0..office_list.len())];
            let home = &homes[rng.gen_range(0..homes.len())];
            let from = jitter(&mut rng, home, 5.0);
            let depart_date = day(rng.gen_range(0..WINDOW_DAYS));
            let fields = RideFields {
                office_id: *office_id,
                from,
                depart_date,
                depart_time: format!(
                    "{:02}:{:02}",
                    rng.gen_range(5..12),
                    15 * rng.gen_range(0..4)
                ),
                // Drawn as the return date used to be, so the data set stays the
                // one the earlier figures were measured on.
                direction: {
                    let _back = rng.gen_bool(0.7).then(|| rng.gen_range(1..8u64));
                    Direction::ToOffice
                },
                seats: rng.gen_range(1..=6),
                max_detour_km: f64::from(rng.gen_range(10..=60)),
                luggage: rng.gen_bool(0.6),
                smoking: rng.gen_bool(0.1),
                pets_welcome: rng.gen_bool(0.3),
                step_free: rng.gen_bool(0.4),
                instant_accept: rng.gen_bool(0.2),
                notes: String::new(),
            };
            let id = rides::insert(&mut *tx, owner, &fields, now).await?;
            if rng.gen_bool(0.03) {
                rides::set_status(&mut *tx, id, Status::Paused, now).await?;
            }
        }
        tx.commit().await?;
        done = (done + BATCH).min(n);
    }

    // Stays: within 60 km of an office, 1–10 nights inside the window.
    let mut done = 0;
    while done < n {
        let mut tx = db.pool.begin().await?;
        for _ in done..(done + BATCH).min(n) {
            let owner = user_ids[rng.gen_range(0..user_ids.len())];
            let (_, office) = &office_list[rng.gen_range(0..office_list.len())];
            let place = Place {
                zip: None,
                ..jitter(&mut rng, office, 60.0)
            };
            let first = rng.gen_range(0..WINDOW_DAYS);
            let nights = rng.gen_range(1..=10u64);
            let mut blocked = BTreeSet::new();
            if nights >= 3 && rng.gen_bool(0.15) {
                for _ in 0..rng.gen_range(1..=2) {
                    blocked.insert(day(first + rng.gen_range(1..nights - 1)));
                }
            }
            let fields = StayFields {
                place,
                street: None,
                beds: rng.gen_range(1..=4),
                first_night: day(first),
                last_night: day(first + nights - 1),
                pets_in_home: rng.gen_bool(0.3),
                smoking: rng.gen_bool(0.1),
                children_welcome: rng.gen_bool(0.5),
                step_free: rng.gen_bool(0.4),
                instant_accept: rng.gen_bool(0.2),
                notes: String::new(),
                blocked,
            };
            let id = stays::insert(&mut tx, owner, &fields, now).await?;
            if rng.gen_bool(0.03) {
                stays::set_status(&mut *tx, id, Status::Paused, now).await?;
            }
        }
        tx.commit().await?;
        done = (done + BATCH).min(n);
    }

    // Trips: the benchmarked one first, then random ones inside the window.
    let mut tx = db.pool.begin().await?;
    let milwaukee = office_list
        .iter()
        .find(|(_, p)| p.zip.as_deref() == Some(BENCH_OFFICE_ZIP))
        .map(|(id, _)| *id)
        .expect("Milwaukee office");
    let bench_trip = trips::insert(
        &mut *tx,
        traveller,
        &TripFields {
            office_id: milwaukee,
            from: gaz.zip(BENCH_HOME_ZIP).expect("home ZIP"),
            arrive: day(10),
            leave: day(13),
            party_size: 1,
            needs_ride: true,
            needs_bed: true,
            needs_ride_home: true,
            flex_days: 1,
            max_stay_km: 40.0,
            need_step_free: false,
            need_no_pets: false,
            need_no_smoking: false,
            notes: String::new(),
        },
        now,
    )
    .await?;
    // Rides home and who needs one come from a second stream, so that the
    // rides there, stays and trips stay the ones earlier figures were
    // measured on.
    let mut home_rng = StdRng::seed_from_u64(SEED + 1);
    for _ in 0..OTHER_TRIPS {
        let owner = user_ids[rng.gen_range(0..user_ids.len())];
        let (office_id, _) = &office_list[rng.gen_range(0..office_list.len())];
        let arrive = rng.gen_range(2..WINDOW_DAYS);
        let home = &homes[rng.gen_range(0..homes.len())];
        let fields = TripFields {
            office_id: *office_id,
            from: jitter(&mut rng, home, 5.0),
            arrive: day(arrive),
            leave: day(arrive + rng.gen_range(1..=5)),
            party_size: rng.gen_range(1..=3),
            needs_ride: rng.gen_bool(0.8),
            needs_bed: rng.gen_bool(0.8),
            needs_ride_home: home_rng.gen_bool(0.6),
            flex_days: rng.gen_range(0..=3),
            max_stay_km: f64::from(rng.gen_range(10..=80)),
            need_step_free: rng.gen_bool(0.1),
            need_no_pets: rng.gen_bool(0.15),
            need_no_smoking: rng.gen_bool(0.3),
            notes: String::new(),
        };
        trips::insert(&mut *tx, owner, &fields, now).await?;
    }
    tx.commit().await?;

    // Rides home: as many as rides there, from a random office to a
    // jittered safe-state metro, leaving on a day of the window or the five
    // after it.
    let mut done = 0;
    while done < n {
        let mut tx = db.pool.begin().await?;
        for _ in done..(done + BATCH).min(n) {
            let owner = user_ids[home_rng.gen_range(0..user_ids.len())];
            let (office_id, _) = &office_list[home_rng.gen_range(0..office_list.len())];
            let home = &homes[home_rng.gen_range(0..homes.len())];
            let fields = RideFields {
                office_id: *office_id,
                from: jitter(&mut home_rng, home, 5.0),
                depart_date: day(home_rng.gen_range(0..WINDOW_DAYS + 5)),
                depart_time: format!("{:02}:00", home_rng.gen_range(8..18)),
                direction: Direction::Home,
                seats: home_rng.gen_range(1..=6),
                max_detour_km: f64::from(home_rng.gen_range(10..=60)),
                luggage: home_rng.gen_bool(0.6),
                smoking: home_rng.gen_bool(0.1),
                pets_welcome: home_rng.gen_bool(0.3),
                step_free: home_rng.gen_bool(0.4),
                instant_accept: home_rng.gen_bool(0.2),
                notes: String::new(),
            };
            let id = rides::insert(&mut *tx, owner, &fields, now).await?;
            if home_rng.gen_bool(0.03) {
                rides::set_status(&mut *tx, id, Status::Paused, now).await?;
            }
        }
        tx.commit().await?;
        done = (done + BATCH).min(n);
    }
    Ok(bench_trip)
}

// ---- The real server ----

/// The server binary cargo built for this bench target, or the one
/// `TRIP_PLANNER_BIN` names (a release server under a debug-built client).
pub fn server_binary() -> PathBuf {
    std::env::var_os("TRIP_PLANNER_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_trip-planner")),
        PathBuf::from,
    )
}

/// A free loopback port (bound and released; the server binds it right after).
pub fn free_addr() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
}

/// `GET path` over a fresh connection: the status code and the whole response.
pub fn http_get(addr: SocketAddr, path: &str) -> io::Result<(u16, Vec<u8>)> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_millis(500))?;
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    s.set_nodelay(true)?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf)?;
    let head = String::from_utf8_lossy(&buf[..buf.len().min(32)]).into_owned();
    let code = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| io::Error::other(format!("not an HTTP response: {head:?}")))?;
    Ok((code, buf))
}

/// A running `trip-planner serve`, killed on drop.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    /// From spawning the process to the first `/healthz` 200.
    pub ready_after: Duration,
}

impl Server {
    /// Starts the real binary on `database_url` and waits for `/healthz` to answer 200.
    /// The server's log goes to `log`.
    pub fn start(database_url: &str, log: &Path) -> Server {
        Server::start_on(free_addr(), database_url, log, &[])
    }

    /// [`Server::start`] on a given address (a restart takes its old port)
    /// with more environment (`MAIL_DIR`, `RUST_LOG`…); the log is appended to.
    pub fn start_on(
        addr: SocketAddr,
        database_url: &str,
        log: &Path,
        env: &[(&str, &str)],
    ) -> Server {
        let log_file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .expect("log file");
        let started = Instant::now();
        let mut child = Command::new(server_binary())
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("BIND", addr.to_string())
            .env_remove("BASE_URL")
            .env_remove("RUST_LOG")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .expect("starting the server binary");
        loop {
            if let Ok((200, _)) = http_get(addr, "/healthz") {
                break;
            }
            if let Ok(Some(status)) = child.try_wait() {
                let log = std::fs::read_to_string(log).unwrap_or_default();
                panic!("the server exited early ({status}):\n{log}");
            }
            if started.elapsed() > Duration::from_secs(60) {
                let _ = child.kill();
                panic!("no /healthz 200 within 60 s");
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        let ready_after = started.elapsed();
        Server {
            child,
            addr,
            ready_after,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `VmRSS` and `VmHWM` (peak) of the server process, in KiB.
    pub fn memory_kib(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .expect("reading /proc/<pid>/status");
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }

    /// Stops the server (SIGKILL, by its own pid) and reaps it.
    pub fn stop(mut self) {
        self.kill();
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Min, median and max of some durations.
pub fn summary(mut v: Vec<Duration>) -> (Duration, Duration, Duration) {
    v.sort();
    let median = if v.len() % 2 == 1 {
        v[v.len() / 2]
    } else {
        (v[v.len() / 2 - 1] + v[v.len() / 2]) / 2
    };
    (v[0], median, v[v.len() - 1])
}

pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}
