//! A trip that needs neither a ride nor a bed: the traveller drives and
//! sleeps on their own, and the office still expects, counts and checks
//! them in. It matches nothing and is never a gap.

use reqwest::StatusCode;

use crate::helpers::{day, TestApp};

on_both_databases!(a_trip_needing_neither_ride_nor_bed_is_an_arrival_and_never_a_gap,);

async fn a_trip_needing_neither_ride_nor_bed_is_an_arrival_and_never_a_gap(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, olive) = app.user("Olive Own-Way").signed_in().await;
    let (_, driver) = app.user("Dee Driver").home("60601").signed_in().await;
    app.ride(mke).create(&driver).await;
    app.stay().post(&driver).await;
    let (_, staff) = app
        .user("Stef Staff")
        .home("53202")
        .staff_of(mke)
        .signed_in()
        .await;

    // The form takes it (neither box ticked) and the trip page says so.
    let posted = app.trip(mke).no_ride().no_bed().post(&olive).await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.body);
    let trip = posted.redirect_id("/trips/");
    let page = app.get_with(&olive, &format!("/trips/{trip}")).await;
    assert!(
        page.text("#own-way")
            .contains("Milwaukee Field Office expects you"),
        "{}",
        page.text("#plan")
    );
    assert!(page.texts("#rides, #stays").is_empty(), "nothing to match");

    // The summary counts her as arriving on day 10, with no gap.
    let summary = app
        .get_with(&staff, &format!("/offices/{mke}/dashboard?days=15"))
        .await;
    let d10 = summary.texts("#days tbody tr:nth-child(11) td");
    assert_eq!(d10[1], "1 (1)", "arriving: {d10:?}");
    assert_eq!(d10[7], "0", "gaps: {d10:?}");
    assert!(summary.texts("#gaps .gap").is_empty());

    // The day page lists her as coming on her own, not as a gap.
    let day_page = app
        .get_with(
            &staff,
            &format!("/offices/{mke}/dashboard/day/{}", day(&app, 10)),
        )
        .await;
    assert_eq!(day_page.texts("#travellers .traveller").len(), 1);
    assert!(day_page.texts("#travellers .gap").is_empty());
    assert_eq!(day_page.text("#travellers .how"), "Arrives: Own way");
    assert_eq!(
        day_page.text("#travellers .sleep"),
        "Sleeps: Own arrangements"
    );

    // The roster and the CSV have her too.
    let roster = app
        .get_with(&staff, &format!("/offices/{mke}/roster/{}", day(&app, 10)))
        .await;
    assert_eq!(roster.texts("#roster tbody td.name").len(), 1);
    assert!(roster
        .text("#roster tbody td.name")
        .contains("Olive Own-Way"));
    let csv = app
        .get_with(
            &staff,
            &format!("/offices/{mke}/arrivals.csv?from={}&days=1", day(&app, 10)),
        )
        .await;
    let row = csv
        .body
        .lines()
        .find(|l| l.contains("Olive Own-Way"))
        .unwrap_or_else(|| panic!("{}", csv.body));
    assert_eq!(
        row.matches("not needed").count(),
        3,
        "ride, bed, ride home: {row}"
    );

    // The report lists her with empty lists, in its usual shape.
    let (ok, out, err) = app.cli(&["matches", "--json"]);
    assert!(ok, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let mine = report
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["traveller_email"] == "olive@example.org")
        .expect("listed");
    assert_eq!(mine["rides"], serde_json::json!([]));
    assert_eq!(mine["stays"], serde_json::json!([]));
    let (_, table, _) = app.cli(&["matches"]);
    assert!(table.contains("needs neither a ride nor a bed"), "{table}");
}
