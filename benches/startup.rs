//! `cargo bench --bench startup`: time from spawning `trip-planner serve` to
//! its first `/healthz` 200, on a fresh SQLite file (the file is created and
//! migrated during startup) and again on an already-migrated one. Ten starts
//! each; prints min, median and max. Target: under one second.
//!
//! Without `--bench` (`cargo test --benches`) it starts the server once each way.

mod common;

use std::time::Duration;

use common::{ms, summary, Server};

fn report(what: &str, times: Vec<Duration>) -> Duration {
    let (min, median, max) = summary(times.clone());
    println!(
        "{what:<28} n={:<3} min {:>9}  median {:>9}  max {:>9}  ({})",
        times.len(),
        ms(min),
        ms(median),
        ms(max),
        if max < Duration::from_secs(1) {
            "all under 1 s"
        } else {
            "SOME OVER 1 s"
        }
    );
    median
}

fn main() {
    let bench_mode = std::env::args().any(|a| a == "--bench");
    let runs = if bench_mode { 10 } else { 1 };
    println!("binary: {}", common::server_binary().display());

    // Fresh database each time: create the file, run every migration, serve.
    let mut fresh = vec![];
    let mut idle_rss = vec![];
    for _ in 0..runs {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("tp.db").display());
        let server = Server::start(&url, &dir.path().join("server.log"));
        fresh.push(server.ready_after);
        idle_rss.push(server.memory_kib().0);
        server.stop();
    }

    // One database, migrated by a first start, then started again and again.
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("tp.db").display());
    Server::start(&url, &dir.path().join("first.log")).stop();
    let mut migrated = vec![];
    for _ in 0..runs {
        let server = Server::start(&url, &dir.path().join("server.log"));
        migrated.push(server.ready_after);
        server.stop();
    }

    println!("time from spawn to the first /healthz 200:");
    report("fresh database (migrates)", fresh);
    report("already-migrated database", migrated);
    idle_rss.sort_unstable();
    println!(
        "idle VmRSS right after startup (empty database): median {:.1} MiB",
        idle_rss[idle_rss.len() / 2] as f64 / 1024.0
    );
}
