//! The election-week load test (README: "The election-week load test";
//! figures in BENCHMARKS.md). Seeds a campaign-size database, starts the
//! real server binary — one instance on SQLite, two on one PostgreSQL
//! database with requests alternated — and plays the mix of `mix.rs` in
//! steps of more and more users; measures a bare axum page, the trip page
//! and the busy office's dashboard at 64 connections in the same run; then
//! replays the best step with one instance `kill -9`ed and restarted
//! mid-run, and checks from the database that nothing acknowledged was
//! lost and no seat or bed was oversold.
//!
//! `cargo bench --bench load` runs the full test; `cargo test --bench load`
//! (the CI smoke) seeds a twentieth of the campaign, plays 15 s per backend
//! and fails on any error or anything lost (no timing assertions).
//! Settings: `LOAD_BACKENDS=sqlite,postgres`, `LOAD_USERS=100,200,400`,
//! `LOAD_SECS` (per step), `LOAD_THINK_SCALE` (think times × this),
//! `LOAD_KILL=0` to skip the kill run.

mod check;
#[path = "../common/mod.rs"]
mod common;
mod mix;
mod seed;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{free_addr, Server};
use mix::{Acks, Shared, Stats, Target, World};
use seed::{Seeded, Size};
use trip_planner::store::Db;

struct Config {
    smoke: bool,
    backends: Vec<String>,
    users: Vec<usize>,
    step: Duration,
    think_scale: f64,
    kill: bool,
    fixed: Duration,
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

impl Config {
    fn from_env() -> Config {
        // `cargo bench` passes --bench; `cargo test --bench load` does not.
        let smoke = !std::env::args().any(|a| a == "--bench");
        let pg = std::env::var("TEST_DATABASE_URL").is_ok();
        let default_backends = if pg { "sqlite,postgres" } else { "sqlite" };
        let list = |s: String| -> Vec<String> {
            s.split(',')
                .map(|x| x.trim().to_string())
                .filter(|x| !x.is_empty())
                .collect()
        };
        Config {
            smoke,
            backends: list(env_or("LOAD_BACKENDS", default_backends)),
            users: list(env_or(
                "LOAD_USERS",
                if smoke { "40" } else { "100,200,400,800" },
            ))
            .iter()
            .map(|n| n.parse().expect("LOAD_USERS: numbers"))
            .collect(),
            step: Duration::from_secs(
                env_or("LOAD_SECS", if smoke { "15" } else { "40" })
                    .parse()
                    .expect("LOAD_SECS: a number"),
            ),
            think_scale: env_or("LOAD_THINK_SCALE", if smoke { "0.1" } else { "1" })
                .parse()
                .expect("LOAD_THINK_SCALE: a number"),
            kill: !smoke && env_or("LOAD_KILL", "1") != "0",
            fixed: Duration::from_secs(if smoke { 1 } else { 8 }),
        }
    }
}

/// The app's instances of one backend.
struct Instances {
    url: String,
    log: PathBuf,
    env: Vec<(String, String)>,
    servers: Mutex<Vec<Server>>,
    addrs: Vec<SocketAddr>,
}

impl Instances {
    fn start(url: &str, n: usize, dir: &Path) -> Instances {
        let mail = dir.join("mail");
        std::fs::create_dir_all(&mail).expect("mail dir");
        let env = vec![
            ("MAIL_DIR".to_string(), mail.display().to_string()),
            ("RUST_LOG".to_string(), "warn".to_string()),
            ("JOB_INTERVAL_SECS".to_string(), "5".to_string()),
        ];
        let log = dir.join("server.log");
        let mut me = Instances {
            url: url.to_string(),
            log,
            env,
            servers: Mutex::new(vec![]),
            addrs: (0..n).map(|_| free_addr()).collect(),
        };
        let servers = me.addrs.iter().map(|a| me.spawn(*a)).collect();
        me.servers = Mutex::new(servers);
        me
    }

    fn spawn(&self, addr: SocketAddr) -> Server {
        let env: Vec<(&str, &str)> = self
            .env
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        Server::start_on(addr, &self.url, &self.log, &env)
    }

    fn bases(&self) -> Vec<String> {
        self.addrs.iter().map(|a| format!("http://{a}")).collect()
    }

    /// Resident memory now, summed over the instances, in MiB; and the
    /// highest peak (VmHWM) of one.
    fn memory_mib(&self) -> (f64, f64) {
        let servers = self.servers.lock().expect("servers");
        servers.iter().fold((0.0, 0.0), |(rss, hwm), s| {
            let (r, h) = s.memory_kib();
            (rss + r as f64 / 1024.0, f64::max(hwm, h as f64 / 1024.0))
        })
    }

    /// SIGKILLs the first instance and starts it again on its port.
    fn kill_and_restart(&self) -> Duration {
        let started = Instant::now();
        let old = self.servers.lock().expect("servers").remove(0);
        old.stop();
        let new = self.spawn(self.addrs[0]);
        self.servers.lock().expect("servers").insert(0, new);
        started.elapsed()
    }
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// The bare axum page: `GET /` answering a short text, on its own runtime
/// with as many threads as the app's, in this process.
fn bare_axum() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    listener.set_nonblocking(true).expect("nonblocking");
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let app = axum::Router::new().route("/", axum::routing::get(|| async { "ok" }));
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            axum::serve(listener, app).await.expect("bare axum");
        });
    });
    addr
}

/// `conns` loops fetching `url` with `client` for `secs`: requests per
/// second, p50 and p99 in ms, and non-200 answers.
async fn hammer(
    client: reqwest::Client,
    url: String,
    conns: usize,
    d: Duration,
) -> (f64, f64, f64, u64) {
    let stop = Instant::now() + d;
    let bad = Arc::new(AtomicU64::new(0));
    let mut tasks = vec![];
    for _ in 0..conns {
        let (client, url, bad) = (client.clone(), url.clone(), bad.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = vec![];
            while Instant::now() < stop {
                let t = Instant::now();
                match client.get(&url).send().await {
                    Ok(r) if r.status() == 200 => {
                        let _ = r.bytes().await;
                    }
                    _ => {
                        bad.fetch_add(1, Ordering::Relaxed);
                    }
                }
                lat.push(t.elapsed().as_micros() as u32);
            }
            lat
        }));
    }
    let started = Instant::now();
    let mut all = vec![];
    for t in tasks {
        all.extend(t.await.expect("hammer task"));
    }
    let secs = started.elapsed().as_secs_f64();
    let stats = mix::PageStats {
        micros: all,
        ..Default::default()
    };
    (
        stats.micros.len() as f64 / secs,
        stats.percentile(0.5),
        stats.percentile(0.99),
        bad.load(Ordering::Relaxed),
    )
}

struct StepResult {
    users: usize,
    rate: f64,
    p99: f64,
    errors: u64,
    refused: u64,
    peak_rss: f64,
    table: String,
    samples: Vec<String>,
    load: String,
}

/// Plays the mix with `users` users for `d`; with `kill`, the first
/// instance is killed halfway and restarted.
#[allow(clippy::too_many_arguments)] // one call site per kind of run; a struct would only rename them
async fn step(
    inst: &Arc<Instances>,
    db: &Db,
    seeded: &Arc<Seeded>,
    acks: &Arc<Acks>,
    users: usize,
    d: Duration,
    think_scale: f64,
    kill: bool,
    tag: &str,
) -> StepResult {
    let load_before = load_average();
    let world = Arc::new(World {
        target: Target::new(inst.bases()),
        stats: Stats::default(),
        acks: Arc::clone(acks),
        shared: Shared::default(),
        seeded: Arc::clone(seeded),
        db: db.clone(),
        think_scale,
        deadline: Instant::now() + d,
        run_tag: tag.to_string(),
    });
    let running = Arc::new(AtomicBool::new(true));
    let peak = Arc::new(Mutex::new(0.0f64));
    let sampler = {
        let (inst, running, peak) = (Arc::clone(inst), running.clone(), peak.clone());
        tokio::spawn(async move {
            while running.load(Ordering::Relaxed) {
                let (rss, _) = inst.memory_mib();
                {
                    let mut p = peak.lock().expect("peak");
                    *p = p.max(rss);
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        })
    };
    let started = Instant::now();
    let tasks: Vec<_> = (0..users)
        .map(|i| tokio::spawn(mix::run_user(Arc::clone(&world), i)))
        .collect();
    if kill {
        tokio::time::sleep(d / 2).await;
        let inst = Arc::clone(inst);
        let took = tokio::task::spawn_blocking(move || inst.kill_and_restart())
            .await
            .expect("restart");
        println!(
            "  killed instance 1 (SIGKILL) at {:?}; back after {took:.1?}",
            d / 2
        );
    }
    for t in tasks {
        let _ = tokio::time::timeout(Duration::from_secs(30), t).await;
    }
    let secs = started.elapsed().as_secs_f64();
    running.store(false, Ordering::Relaxed);
    let _ = sampler.await;
    let (_, hwm) = inst.memory_mib();
    let (n, refused, errors) = world.stats.totals();
    let mut table = String::from(
        "| page | requests | p50 ms | p99 ms | refused | errors |\n| --- | ---: | ---: | ---: | ---: | ---: |\n",
    );
    let pages = world.stats.pages.lock().expect("stats").clone();
    let mut names: Vec<_> = pages.keys().copied().collect();
    names.sort_by_key(|n| std::cmp::Reverse(pages[n].micros.len()));
    for name in names {
        let s = &pages[name];
        table.push_str(&format!(
            "| `{name}` | {} | {:.1} | {:.1} | {} | {} |\n",
            s.micros.len(),
            s.percentile(0.5),
            s.percentile(0.99),
            s.refused,
            s.errors
        ));
    }
    let peak_rss = peak.lock().expect("peak").max(hwm);
    let samples = world.stats.samples.lock().expect("samples").clone();
    StepResult {
        users,
        rate: n as f64 / secs,
        p99: world.stats.p99(),
        errors,
        refused,
        peak_rss,
        table,
        samples,
        load: format!("{load_before} → {}", load_average()),
    }
}

fn print_step(r: &StepResult) {
    println!(
        "  {} users: {:.1} req/s, p99 {:.1} ms, {} errors, {} refused, peak RSS {:.0} MiB, load {}",
        r.users, r.rate, r.p99, r.errors, r.refused, r.peak_rss, r.load
    );
    for s in &r.samples {
        println!("    error: {s}");
    }
}

/// A traveller's trip page that lists at least three matches (for the
/// 64-connection figure), with a client logged in as its owner.
async fn trip_with_matches(base: &str, seeded: &Seeded) -> Option<(reqwest::Client, String)> {
    for (trip, email) in seeded.travellers.iter().step_by(7).take(200) {
        let client = mix::client();
        let login = client
            .post(format!("{base}/login"))
            .form(&[
                ("email", email.as_str()),
                ("password", seed::PASSWORD),
                ("next", "/me"),
            ])
            .send()
            .await
            .ok()?;
        if login.status() != 303 {
            continue;
        }
        let url = format!("{base}/trips/{trip}");
        let body = client.get(&url).send().await.ok()?.text().await.ok()?;
        if body.matches(r#"name="offer_id""#).count() >= 3 {
            return Some((client, url));
        }
    }
    None
}

async fn logged_in(base: &str, email: &str) -> reqwest::Client {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(128)
        .build()
        .expect("client");
    let r = client
        .post(format!("{base}/login"))
        .form(&[
            ("email", email),
            ("password", seed::PASSWORD),
            ("next", "/me"),
        ])
        .send()
        .await
        .expect("login");
    assert_eq!(r.status(), 303, "seeded staff logs in");
    client
}

/// One backend from seed to check; returns false if anything failed.
async fn run_backend(cfg: &Config, backend: &str) -> bool {
    // `LOAD_KEEP_DIR` keeps the seeded database (and the server logs) there
    // after the run, to profile pages against it (BENCHMARKS.md, "Profiles").
    let keep = std::env::var_os("LOAD_KEEP_DIR").map(PathBuf::from);
    let dir = tempfile::tempdir().expect("temp dir");
    let dir_path = match &keep {
        Some(k) => {
            std::fs::create_dir_all(k).expect("LOAD_KEEP_DIR");
            k.clone()
        }
        None => dir.path().to_path_buf(),
    };
    let (url, instances, pg_admin) = match backend {
        "sqlite" => (
            format!("sqlite://{}?mode=rwc", dir_path.join("load.db").display()),
            1,
            None,
        ),
        "postgres" => {
            let server = std::env::var("TEST_DATABASE_URL")
                .expect("TEST_DATABASE_URL for the PostgreSQL run");
            let name = format!("tp_load_{}", std::process::id());
            let admin = Db::connect(&server, 1).await.expect("PostgreSQL");
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
                .execute(&admin.pool)
                .await
                .expect("drop old");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&admin.pool)
                .await
                .expect("create database");
            let base = server.rsplit_once('/').expect("a database in the URL").0;
            (format!("{base}/{name}"), 2, Some((admin, name)))
        }
        other => panic!("LOAD_BACKENDS: sqlite or postgres, not {other}"),
    };
    let db = Db::connect_and_migrate(&url, 4).await.expect("database");
    let size = if cfg.smoke {
        Size::SMOKE
    } else {
        Size::CAMPAIGN
    };
    let today = chrono::Utc::now().date_naive();
    let seeded = Arc::new(seed::seed(&db, size, today).await.expect("seeding"));
    println!(
        "\n## {backend}: seeded {} volunteers, {} trips, {} rides, {} stays, {} offices in {:.1?}",
        size.volunteers,
        size.trips,
        size.rides,
        size.stays,
        seeded.offices.len(),
        seeded.took
    );
    let inst = {
        let (url, path) = (url.clone(), dir_path.clone());
        Arc::new(
            tokio::task::spawn_blocking(move || Instances::start(&url, instances, &path))
                .await
                .expect("start"),
        )
    };
    let bases = inst.bases();
    // Warm up: every office page once per instance loads the offer index.
    let warm = mix::client();
    for base in &bases {
        for o in &seeded.offices {
            let _ = warm.get(format!("{base}/offices/{o}")).send().await;
        }
    }
    let (rss0, _) = inst.memory_mib();
    println!(
        "{instances} instance(s) up; RSS after warm-up {rss0:.0} MiB; load {}",
        load_average()
    );

    // Single pages at 64 connections, against the bare axum page.
    let bare = bare_axum();
    let plain = reqwest::Client::builder()
        .pool_max_idle_per_host(128)
        .build()
        .expect("client");
    let (bare_rate, b50, b99, _) =
        hammer(plain.clone(), format!("http://{bare}/"), 64, cfg.fixed).await;
    println!("bare axum, 64 connections: {bare_rate:.0} req/s (p50 {b50:.1} ms, p99 {b99:.1} ms); load {}", load_average());
    let (home_rate, h50, h99, hbad) =
        hammer(plain.clone(), format!("{}/", bases[0]), 64, cfg.fixed).await;
    println!("`/`, 64 connections: {home_rate:.0} req/s = {:.3} of bare (p50 {h50:.1}, p99 {h99:.1} ms, {hbad} not 200)", home_rate / bare_rate);
    if let Some((client, url)) = trip_with_matches(&bases[0], &seeded).await {
        let (r, p50, p99, bad) = hammer(client, url.clone(), 64, cfg.fixed).await;
        println!("trip page with matches ({url}), 64 connections: {r:.0} req/s = {:.3} of bare (p50 {p50:.1}, p99 {p99:.1} ms, {bad} not 200)", r / bare_rate);
    }
    let staff = seeded
        .staff
        .iter()
        .find(|(o, _)| *o == seeded.busy_office)
        .expect("staff")
        .1
        .clone();
    let client = logged_in(&bases[0], &staff).await;
    let summary = format!("{}/offices/{}/dashboard", bases[0], seeded.busy_office);
    let arrivals: i64 = sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM trips WHERE office_id = $1 AND arrive >= $2 AND arrive < $3",
    )
    .bind(seeded.busy_office)
    .bind(today.to_string())
    .bind((today + chrono::Days::new(15)).to_string())
    .fetch_one(&db.pool)
    .await
    .unwrap_or(0);
    let (r, p50, p99, bad) = hammer(client, summary, 64, cfg.fixed).await;
    println!("dashboard summary ({arrivals} arrivals in its 15 days), 64 connections: {r:.0} req/s = {:.3} of bare (p50 {p50:.1}, p99 {p99:.1} ms, {bad} not 200)", r / bare_rate);
    let (rss1, hwm1) = inst.memory_mib();
    println!(
        "RSS after the 64-connection runs: {rss1:.0} MiB (peak of one instance {hwm1:.0} MiB)"
    );

    // The mix, step by step.
    let acks = Arc::new(Acks::default());
    let mut best: Option<StepResult> = None;
    let mut ok = true;
    for (i, &users) in cfg.users.iter().enumerate() {
        println!("\n### mix, {users} users, {:?}", cfg.step);
        let r = step(
            &inst,
            &db,
            &seeded,
            &acks,
            users,
            cfg.step,
            cfg.think_scale,
            false,
            &format!("s{i}"),
        )
        .await;
        print_step(&r);
        println!("\n{}", r.table);
        let passed = r.errors == 0 && r.p99 < 300.0;
        // In the full run an error only ends the steps; the smoke must have none.
        if r.errors > 0 && cfg.smoke {
            ok = false;
        }
        if passed {
            best = Some(r);
        } else if !cfg.smoke {
            break;
        }
    }
    match &best {
        Some(b) => println!(
            "best step: {} users, {:.1} req/s of the mix with p99 {:.1} ms and no errors ({:.3} of the bare axum rate)",
            b.users, b.rate, b.p99, b.rate / bare_rate
        ),
        None => println!("no step kept p99 < 300 ms with no errors"),
    }

    if cfg.kill {
        let users = best.as_ref().map_or(cfg.users[0], |b| b.users);
        println!(
            "\n### kill run: {users} users, {:?}, instance 1 killed halfway",
            cfg.step
        );
        let r = step(
            &inst,
            &db,
            &seeded,
            &acks,
            users,
            cfg.step,
            cfg.think_scale,
            true,
            "kill",
        )
        .await;
        print_step(&r);
        println!("\n{}", r.table);
    }

    // Let the last background jobs finish their transactions, then check.
    let log = inst.log.clone();
    drop(inst);
    let errors: Vec<String> = std::fs::read_to_string(&log)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains("ERROR"))
        .map(|l| l.chars().take(400).collect())
        .collect();
    println!("\nserver log: {} ERROR lines", errors.len());
    for l in errors.iter().take(5) {
        println!("  {l}");
    }
    let f = check::check(&db, &acks).await.expect("check");
    println!(
        "\ncheck: {} acknowledged writes; lost trips {}, lost bookings {}, answers not as acknowledged {}, lost check-ins {}, lost confirmations {}, instant-accept left requested {}, rides oversold or miscounted {}, stay nights oversold {}",
        f.acknowledged,
        f.lost_trips,
        f.lost_bookings,
        f.wrong_answers,
        f.lost_checkins,
        f.lost_confirmations,
        f.instant_left_requested,
        f.oversold_rides,
        f.oversold_stay_nights
    );
    if f.lost() > 0 {
        ok = false;
    }
    if f.acknowledged == 0 {
        println!("nothing was acknowledged: the mix did not write");
        ok = false;
    }
    db.pool.close().await;
    if let Some((admin, name)) = pg_admin {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&admin.pool)
            .await;
    }
    ok
}

fn main() {
    let cfg = Config::from_env();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    println!(
        "# election-week load test ({}; backends {:?}; users {:?}; {:?} per step; think × {})",
        if cfg.smoke { "smoke" } else { "full" },
        cfg.backends,
        cfg.users,
        cfg.step,
        cfg.think_scale
    );
    let mut ok = true;
    for b in &cfg.backends {
        ok &= rt.block_on(run_backend(&cfg, b));
    }
    assert!(
        ok,
        "the load test saw errors or lost acknowledged writes (above)"
    );
}
