//! `trip-planner propose`: the best proposal for an office's open trips, as
//! JSON or a summary, counting requested bookings as taken room and changing
//! nothing.

use std::process::Command;

use serde_json::Value;

use crate::helpers::{day, TestApp};

on_both_databases!(
    propose_serves_the_most_people_with_the_room_left_after_requests,
    propose_refuses_an_unknown_office_a_bad_date_and_a_bad_flag,
    propose_fills_the_ride_home_beside_the_ride_there,
    propose_stopped_before_it_searched_says_what_no_proposal_can_beat,
);

/// Runs the binary; its exit code, stdout and stderr.
fn run(app: &TestApp, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_trip-planner"))
        .args(args)
        .env("DATABASE_URL", &app.database_url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run trip-planner");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `propose` for `office` and arrivals `from..=to`.
fn range_args<'a>(office: &'a str, from: &'a str, to: &'a str) -> [&'a str; 7] {
    ["propose", "--office", office, "--from", from, "--to", to]
}

async fn propose_serves_the_most_people_with_the_room_left_after_requests(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, dee) = app.user("Dee Driver").home("60601").signed_in().await;
    let ride = app.ride(mke).seats(3).create(&dee).await;
    let (_, hal) = app.user("Hal Host").home("53202").signed_in().await;
    let stay = app.stay().beds(2).create(&hal).await;
    // Una, arriving a day later, asked for a seat: her ride is pending (not proposed again) and her
    // request holds one of the three seats; her nights are open.
    let (_, una) = app.user("Una Asker").signed_in().await;
    let una_trip = app
        .trip(mke)
        .arrive(day(&app, 11))
        .flex_days(2)
        .create(&una)
        .await;
    app.ask(&una, una_trip, "ride", ride).await;
    // Vic asked for a bed: one of the two is held on each of his nights.
    let (_, vic) = app.user("Vic Asker").signed_in().await;
    let vic_trip = app.trip(mke).no_ride().create(&vic).await;
    app.ask(&vic, vic_trip, "stay", stay).await;
    // Tia needs a ride and a bed; Tom's party of two only a ride. Two seats
    // are left: Tom's party is served; the bed left serves Una, not Tia.
    let (_, tia) = app.user("Tia Traveller").signed_in().await;
    app.trip(mke).create(&tia).await;
    let (_, tom) = app.user("Tom Traveller").signed_in().await;
    let tom_trip = app.trip(mke).party(2).no_bed().create(&tom).await;
    // Arriving after the range: no part of it.
    let (_, late) = app.user("Lee Late").signed_in().await;
    app.trip(mke)
        .arrive(day(&app, 13))
        .leave(day(&app, 15))
        .create(&late)
        .await;
    let bookings = app.count("bookings").await;

    let (from, to) = (day(&app, 8).to_string(), day(&app, 12).to_string());
    let args = range_args("milwaukee field office", &from, &to);
    let (code, out, err) = run(&app, &[&args[..], &["--json"]].concat());
    assert_eq!(code, Some(0), "{err}");
    let v: Value = serde_json::from_str(&out).expect("only JSON on stdout");
    assert_eq!(v["office"], "Milwaukee Field Office");
    assert_eq!(
        (v["from"].as_str(), v["to"].as_str()),
        (Some(&*from), Some(&*to))
    );
    assert_eq!(v["people_served"], 3, "Tom's two and Una: {out}");
    assert_eq!(v["needs_filled"], 3, "{out}");
    assert_eq!(v["proven"], true);
    assert_eq!(v["people_served_bound"], 3);
    let list = v["proposals"].as_array().expect("proposals");
    let ids: Vec<i64> = list
        .iter()
        .map(|p| p["trip_id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![tom_trip, una_trip], "by arrival, then trip id");
    let by_trip = |id: i64| list.iter().find(|p| p["trip_id"] == id).unwrap();
    assert_eq!(by_trip(una_trip)["arrive_date"], day(&app, 11).to_string());
    assert!(by_trip(una_trip)["ride"].is_null());
    assert_eq!(by_trip(una_trip)["stay"]["stay_id"], stay);
    let tom_ride = &by_trip(tom_trip)["ride"];
    assert_eq!(tom_ride["ride_id"], ride);
    assert!(by_trip(tom_trip)["stay"].is_null());
    for p in list {
        assert!(p["ride_home"].is_null());
    }
    // Distances with three decimals, as `matches --json` writes them.
    let detour = out
        .split("\"detour_km\": ")
        .nth(1)
        .and_then(|s| s.split([',', '\n']).next())
        .unwrap();
    assert_eq!(detour.split('.').nth(1).map(str::len), Some(3), "{detour}");
    let total: f64 = v["total_km"].as_f64().unwrap();
    let sum: f64 = tom_ride["detour_km"].as_f64().unwrap()
        + by_trip(una_trip)["stay"]["distance_km"].as_f64().unwrap();
    assert!((total - sum).abs() < 0.002, "{total} against {sum}");

    let (code, text, err) = run(&app, &args);
    assert_eq!(code, Some(0), "{err}");
    assert!(text.contains("3 people served"), "{text}");
    assert!(text.contains(&format!("Trip {tom_trip} ")), "{text}");
    assert!(!text.trim_start().starts_with('{'));
    assert_eq!(
        app.count("bookings").await,
        bookings,
        "the command changes nothing"
    );
}

async fn propose_refuses_an_unknown_office_a_bad_date_and_a_bad_flag(app: TestApp) {
    app.office("Milwaukee Field Office", "53202").create().await;
    let (code, out, err) = run(&app, &["propose", "--office", "Atlantis", "--json"]);
    assert_eq!(code, Some(1));
    assert!(out.is_empty());
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("Atlantis"), "{err}");
    for bad in ["2026-13-45", "tomorrow", ""] {
        let (code, out, err) = run(
            &app,
            &[
                "propose",
                "--office",
                "Milwaukee Field Office",
                "--from",
                bad,
            ],
        );
        assert_eq!(code, Some(1), "{bad}: {err}");
        assert!(out.is_empty());
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains("--from"), "{err}");
    }
    let (code, _, err) = run(
        &app,
        &[
            "propose",
            "--office",
            "Milwaukee Field Office",
            "--to",
            "2026-01-01",
            "--from",
            "2026-02-01",
        ],
    );
    assert_eq!(code, Some(1), "{err}");
    for flag in [
        &["--frm", "2026-01-01"][..],
        &["--time-limit", "-3"],
        &["--time-limit", "soon"],
    ] {
        let (code, _, err) = run(
            &app,
            &[&["propose", "--office", "Milwaukee Field Office"][..], flag].concat(),
        );
        assert_eq!(code, Some(2), "{flag:?}: {err}");
    }
    let (code, _, _) = run(&app, &["propose"]);
    assert_eq!(code, Some(2), "--office is required");
    let (code, out, err) = run(
        &app,
        &[
            "propose",
            "--office",
            "Milwaukee Field Office",
            "--json",
            "--time-limit",
            "0.5",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["people_served"], 0);
    assert_eq!(v["proposals"], Value::Array(vec![]));
}

/// A trip that needs a ride there and a ride home is served only when both
/// are proposed: the ride home is an open leg like the others, paired by the
/// ride-home rules with the office's rides home.
async fn propose_fills_the_ride_home_beside_the_ride_there(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, dee) = app.user("Dee Driver").home("60601").signed_in().await;
    app.ride(mke)
        .seats(2)
        .back(day(&app, 14))
        .create(&dee)
        .await;
    let ids: Vec<(i64, String)> = sqlx::query_as("SELECT id, direction FROM rides ORDER BY id")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    let (there, home) = (ids[0].0, ids[1].0);
    assert_eq!(ids[1].1, "from_office");
    // Tia needs both rides; Ben, two of them, only the ride home, and the
    // two seats home cannot take all three: Ben's party is served (two
    // people), Tia gets her ride there only.
    let (_, tia) = app.user("Tia Traveller").signed_in().await;
    let tia_trip = app.trip(mke).no_bed().ride_home().create(&tia).await;
    let (_, ben) = app.user("Ben Back").signed_in().await;
    let ben_trip = app
        .trip(mke)
        .party(2)
        .no_ride()
        .no_bed()
        .ride_home()
        .create(&ben)
        .await;

    let (from, to) = (day(&app, 8).to_string(), day(&app, 12).to_string());
    let args = range_args("Milwaukee Field Office", &from, &to);
    let (code, out, err) = run(&app, &[&args[..], &["--json"]].concat());
    assert_eq!(code, Some(0), "{err}");
    let v: Value = serde_json::from_str(&out).expect("only JSON on stdout");
    assert_eq!(v["people_served"], 2, "Ben's party of two: {out}");
    assert_eq!(v["needs_filled"], 3, "Ben's two + Tia's ride there: {out}");
    assert_eq!(v["proven"], true);
    let list = v["proposals"].as_array().expect("proposals");
    let by_trip = |id: i64| list.iter().find(|p| p["trip_id"] == id).unwrap();
    assert_eq!(by_trip(ben_trip)["ride_home"]["ride_id"], home, "{out}");
    assert_eq!(
        by_trip(ben_trip)["ride_home"]["depart_date"],
        day(&app, 14).to_string()
    );
    assert!(by_trip(ben_trip)["ride"].is_null());
    assert_eq!(by_trip(tia_trip)["ride"]["ride_id"], there, "{out}");
    assert!(by_trip(tia_trip)["ride_home"].is_null(), "{out}");
    let total: f64 = v["total_km"].as_f64().unwrap();
    let sum = by_trip(ben_trip)["ride_home"]["detour_km"]
        .as_f64()
        .unwrap()
        + by_trip(tia_trip)["ride"]["detour_km"].as_f64().unwrap();
    assert!((total - sum).abs() < 0.002, "{total} against {sum}");

    let (code, text, err) = run(&app, &args);
    assert_eq!(code, Some(0), "{err}");
    assert!(text.contains(&format!("home {home:>6}")), "{text}");
}

/// Milwaukee with one seat offered and two travellers wanting it: at most
/// one can be served, but the quick proposal does not know that without the
/// search. The office's id.
pub async fn one_seat_two_riders(app: &TestApp) -> i64 {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, dee) = app.user("Dee Driver").home("60601").signed_in().await;
    app.ride(mke).seats(1).create(&dee).await;
    for name in ["Ann Rider", "Ben Rider"] {
        let (_, who) = app.user(name).signed_in().await;
        app.trip(mke).no_bed().create(&who).await;
    }
    mke
}

/// `propose … --json`: people served, proven, and the bound.
fn served_proven_bound(app: &TestApp, args: &[&str]) -> (i64, bool, i64) {
    let (code, out, err) = run(app, &[args, &["--json"]].concat());
    assert_eq!(code, Some(0), "{err}");
    let v: Value = serde_json::from_str(&out).expect("only JSON on stdout");
    (
        v["people_served"].as_i64().expect("people_served"),
        v["proven"].as_bool().expect("proven"),
        v["people_served_bound"]
            .as_i64()
            .expect("people_served_bound"),
    )
}

/// With no time to search (`--time-limit 0`) the quick proposal comes back
/// unproven, with the bound it proves said in words; given time, the same
/// office is proven and the bound is what is served.
async fn propose_stopped_before_it_searched_says_what_no_proposal_can_beat(app: TestApp) {
    one_seat_two_riders(&app).await;
    let (from, to) = (day(&app, 8).to_string(), day(&app, 12).to_string());
    let args = range_args("Milwaukee Field Office", &from, &to);

    let (code, out, err) = run(&app, &[&args[..], &["--time-limit", "0"]].concat());
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains(
            "1 people served; no proposal can serve more than 2 (stopped at the time limit)"
        ),
        "{out}"
    );
    assert_eq!(
        served_proven_bound(&app, &[&args[..], &["--time-limit", "0"]].concat()),
        (1, false, 2)
    );
    assert_eq!(served_proven_bound(&app, &args), (1, true, 1));
    let (_, out, _) = run(&app, &args);
    assert!(!out.contains("no proposal can serve more"), "{out}");
}
