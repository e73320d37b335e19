use crate::helpers::{day, TestApp};
use trip_planner::domain::ids::*;

on_both_databases!(
    an_import_then_the_matches_report_round_trips,
    re_importing_updates_instead_of_duplicating,
    a_bad_row_imports_nothing_and_says_where,
    headers_are_forgiving_but_unknown_columns_are_not,
    error_lines_are_physical_lines_whatever_the_line_ends,
);

/// Writes `body` to `name` in `dir`; its path.
pub(crate) fn write(dir: &tempfile::TempDir, name: &str, body: &str) -> String {
    let p = dir.path().join(name);
    std::fs::write(&p, body).unwrap();
    p.display().to_string()
}

async fn an_import_then_the_matches_report_round_trips(app: TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let offices = write(&dir, "o.csv", "name,zip,timezone,contact_email,needed_per_day\nMilwaukee Field Office,53202,,mke@example.org,30\nReno Field Office,89501,America/Los_Angeles,,\n");
    let rides = write(
        &dir,
        "r.csv",
        &format!(
            "driver_email,driver_name,from_zip,office,depart_date,seats,max_detour_km\n\
             dee@example.org,Dee Driver,60601,Milwaukee Field Office,{d9},3,\n\
             dan@example.org,Dan Driver,60007,milwaukee field office,{d10},2,60\n\
             far@example.org,Far Driver,60601,Milwaukee Field Office,{d5},4,25\n\
             reno@example.org,Reno Driver,94110,Reno Field Office,{d10},4,25\n",
            d9 = day(&app, 9),
            d10 = day(&app, 10),
            d5 = day(&app, 5)
        ),
    );
    let stays = write(
        &dir,
        "s.csv",
        &format!(
            "host_email,host_name,zip,first_night,last_night,beds\n\
             hal@example.org,Hal Host,53202,{a},{b},2\n\
             mad@example.org,Mad Host,53703,{a},{b},2\n\
             wau@example.org,Wau Host,53186,{a},{b},1\n",
            a = day(&app, 5),
            b = day(&app, 20)
        ),
    );
    let trips = write(
        &dir,
        "t.csv",
        &format!(
            "traveller_email,traveller_name,from_zip,office,arrive_date,leave_date,party_size,needs_ride,needs_bed,flex_days,max_stay_km\n\
             tia@example.org,Tia Traveller,60616,Milwaukee Field Office,{a},{l},1,yes,Y,,\n\
             tom@example.org,Tom Traveller,60616,Milwaukee Field Office,{a},{a},1,no,no,,\n",
            a = day(&app, 10),
            l = day(&app, 14)
        ),
    );
    // The second trip row needs neither a ride nor a bed: an arrival all the same.
    let (ok, _, err) = app.cli(&["import", "offices", &offices]);
    assert!(ok, "{err}");
    assert!(app.cli(&["import", "rides", &rides]).0);
    assert!(app.cli(&["import", "stays", &stays]).0);
    let (ok, _, err) = app.cli(&["import", "trips", &trips]);
    assert!(ok, "{err}");
    assert_eq!(app.count("trips").await, 2);

    let (ok, out, err) = app.cli(&["matches", "--json"]);
    assert!(ok, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("stdout is only JSON");
    let report = report.as_array().unwrap();
    assert_eq!(report.len(), 2);
    let tom = &report[1];
    assert_eq!(tom["traveller_email"], "tom@example.org");
    assert_eq!(tom["rides"], serde_json::json!([]), "matches nothing");
    assert_eq!(tom["stays"], serde_json::json!([]));
    let t = &report[0];
    assert_eq!(t["traveller_email"], "tia@example.org");
    assert_eq!(t["office"], "Milwaukee Field Office");
    assert_eq!(t["arrive_date"], day(&app, 10).to_string());
    let rides: Vec<&str> = t["rides"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["driver_email"].as_str().unwrap())
        .collect();
    assert_eq!(
        rides,
        ["dee@example.org", "dan@example.org"],
        "by detour; the ride 5 days early and the Reno one do not fit"
    );
    let stays: Vec<&str> = t["stays"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["host_email"].as_str().unwrap())
        .collect();
    assert_eq!(
        stays,
        ["hal@example.org", "wau@example.org"],
        "by distance; Madison is beyond 40 km"
    );
    assert_eq!(t["stays"][0]["first_night"], day(&app, 5).to_string());
    let detour = t["rides"][0]["detour_km"].as_f64().unwrap();
    assert!((0.0..=25.0).contains(&detour));
    let three_decimals = out.lines().filter(|l| l.contains("_km")).all(|l| {
        l.trim()
            .trim_end_matches(',')
            .rsplit('.')
            .next()
            .is_some_and(|d| d.len() == 3)
    });
    assert!(three_decimals, "{out}");

    let (ok, table, _) = app.cli(&["matches"]);
    assert!(ok);
    assert!(
        table.contains("tia@example.org → Milwaukee Field Office"),
        "{table}"
    );
}

async fn re_importing_updates_instead_of_duplicating(app: TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let offices = write(
        &dir,
        "o.csv",
        "name,zip,timezone\nMilwaukee Field Office,53202,\n",
    );
    assert!(app.cli(&["import", "offices", &offices]).0);
    let d = day(&app, 9);
    let rides_v1 = write(&dir, "r1.csv", &format!("driver_email,driver_name,from_zip,office,depart_date,seats,max_detour_km\ndee@example.org,Dee,60601,Milwaukee Field Office,{d},3,\n"));
    let rides_v2 = write(&dir, "r2.csv", &format!("driver_email,driver_name,from_zip,office,depart_date,seats,max_detour_km\nDEE@example.org,Dee,60601,Milwaukee Field Office,{d},5,40\n"));
    assert!(app.cli(&["import", "rides", &rides_v1]).0);
    let (ok, _, err) = app.cli(&["import", "rides", &rides_v2]);
    assert!(ok, "{err}");
    assert!(err.contains("0 created, 1 updated"), "{err}");
    assert_eq!(app.count("rides").await, 1);
    assert_eq!(app.count("users").await, 1);
    let ride = trip_planner::store::rides::by_id(&app.db.pool, RideId(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((ride.seats, ride.max_detour_km), (5, 40.0));
    assert_eq!(ride.depart_time, "09:00");
    let user = trip_planner::store::users::by_email(&app.db.pool, "dee@example.org")
        .await
        .unwrap()
        .unwrap();
    assert!(
        user.password_hash.is_none(),
        "imported people claim their account later"
    );

    assert!(app.cli(&["import", "offices", &offices]).0);
    assert_eq!(app.count("offices").await, 1);
    let (a, b) = (day(&app, 3), day(&app, 9));
    let stays = write(&dir, "s.csv", &format!("host_email,host_name,zip,first_night,last_night,beds\nhal@example.org,Hal,53202,{a},{b},2\n"));
    assert!(app.cli(&["import", "stays", &stays]).0);
    assert!(app.cli(&["import", "stays", &stays]).0);
    assert_eq!(app.count("stays").await, 1);
    let trips = write(&dir, "t.csv", &format!("traveller_email,traveller_name,from_zip,office,arrive_date,leave_date,party_size,needs_ride,needs_bed\ntia@example.org,Tia,60616,Milwaukee Field Office,{a},{b},1,yes,no\n"));
    assert!(app.cli(&["import", "trips", &trips]).0);
    assert!(app.cli(&["import", "trips", &trips]).0);
    assert_eq!(app.count("trips").await, 1);
}

async fn a_bad_row_imports_nothing_and_says_where(app: TestApp) {
    let dir = tempfile::tempdir().unwrap();
    assert!(
        app.cli(&[
            "import",
            "offices",
            &write(
                &dir,
                "o.csv",
                "name,zip,timezone\nMilwaukee Field Office,53202,\n"
            )
        ])
        .0
    );
    let rides = write(
        &dir,
        "r.csv",
        "driver_email,driver_name,from_zip,office,depart_date,seats,max_detour_km\n\
         good@example.org,Good,60601,Milwaukee Field Office,2030-01-02,3,\n\
         bad-email,Bad,00000,Nowhere Office,2030-02-30,0,abc\n",
    );
    let (ok, out, err) = app.cli(&["import", "rides", &rides]);
    assert!(!ok);
    assert!(out.is_empty());
    for expected in [
        "3:1:",
        "3:3:",
        "3:4: unknown office",
        "3:5:",
        "3:6:",
        "3:7:",
    ] {
        assert!(err.contains(expected), "missing {expected} in {err}");
    }
    assert_eq!(app.count("rides").await, 0);
    assert_eq!(
        app.count("users").await,
        0,
        "not even the good row's driver"
    );

    let stays = write(&dir, "s.csv", "host_email,host_name,zip,first_night,last_night,beds\nh@example.org,H,53202,2030-01-05,2030-01-01,2\n");
    let (ok, _, err) = app.cli(&["import", "stays", &stays]);
    assert!(!ok);
    assert!(err.contains("2:5:"), "{err}");
    let trips = write(&dir, "t.csv", "traveller_email,traveller_name,from_zip,office,arrive_date,leave_date,party_size,needs_ride,needs_bed\nt@example.org,T,60616,Milwaukee Field Office,2030-01-05,2030-01-01,11,maybe,yes\n");
    let (ok, _, err) = app.cli(&["import", "trips", &trips]);
    assert!(!ok);
    for expected in [
        "2:6: You can't leave before you arrive",
        "2:7:",
        "2:8: expected yes or no",
    ] {
        assert!(err.contains(expected), "missing {expected} in {err}");
    }
    let (ok, _, err) = app.cli(&["import", "rides", "/no/such/file.csv"]);
    assert!(!ok);
    assert!(err.contains("cannot read"), "{err}");
}

async fn headers_are_forgiving_but_unknown_columns_are_not(app: TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let offices = write(
        &dir,
        "o.csv",
        "\u{feff} Name ,ZIP,TimeZone\r\nBoston Field Office,2134,\r\n",
    );
    let (ok, _, err) = app.cli(&["import", "offices", &offices]);
    assert!(
        ok,
        "BOM, CRLF, odd case and a ZIP that lost its zero: {err}"
    );
    let unknown = write(
        &dir,
        "u.csv",
        "name,zip,timezone,colour\nX Office,53202,,blue\n",
    );
    let (ok, _, err) = app.cli(&["import", "offices", &unknown]);
    assert!(!ok);
    assert!(err.contains("1:4: unknown column “colour”"), "{err}");
    let missing = write(&dir, "m.csv", "name,zip\nX Office,53202\n");
    let (ok, _, err) = app.cli(&["import", "offices", &missing]);
    assert!(!ok);
    assert!(err.contains("missing column “timezone”"), "{err}");
    assert_eq!(app.count("offices").await, 1);
    let office = trip_planner::store::offices::all(&app.db.pool)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(office.place.zip.as_deref(), Some("02134"));
    assert_eq!(office.timezone, "America/New_York");
}

async fn error_lines_are_physical_lines_whatever_the_line_ends(app: TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let offices = write(
        &dir,
        "o.csv",
        "name,zip,timezone\nMilwaukee Field Office,53202,\n",
    );
    assert!(app.cli(&["import", "offices", &offices]).0);
    // Line 2 is good, lines 3-4 hold one row whose quoted name has a line
    // break inside, line 5 has a bad date (column 5).
    let lines = [
        "driver_email,driver_name,from_zip,office,depart_date,seats,max_detour_km",
        "good@example.org,Good,60601,Milwaukee Field Office,2030-01-02,3,",
        "two@example.org,\"Two",
        "Lines\",60601,Milwaukee Field Office,2030-01-03,3,",
        "bad@example.org,Bad,60601,Milwaukee Field Office,2030-02-30,3,",
    ];
    for (ends, name) in [("\n", "lf.csv"), ("\r\n", "crlf.csv")] {
        let rides = write(&dir, name, &(lines.join(ends) + ends));
        let (ok, _, err) = app.cli(&["import", "rides", &rides]);
        assert!(!ok, "{name}");
        let reported: Vec<&str> = err.lines().filter(|l| l.contains(": ")).collect();
        assert!(
            reported.iter().any(|l| l.starts_with("5:5:")),
            "{name}: the bad date is on physical line 5: {err}"
        );
        assert!(
            !reported
                .iter()
                .any(|l| l.starts_with("4:") || l.starts_with("3:")),
            "{name}: {err}"
        );
    }
    assert_eq!(app.count("rides").await, 0);
}
