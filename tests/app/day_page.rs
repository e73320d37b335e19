//! A day's page at the office: a check-in shows its state with an undo, the
//! messages name the traveller in full, and the day counts what the summary
//! counts (people, with travellers in brackets).

use reqwest::StatusCode;

use crate::helpers::{day, TestApp};

on_both_databases!(
    a_checked_in_traveller_shows_the_state_and_can_be_undone,
    the_summary_and_the_day_page_count_the_same_people_and_travellers,
);

async fn a_checked_in_traveller_shows_the_state_and_can_be_undone(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let ana = app.user("Ana Arrives").create().await;
    let trip = app.trip(mke).days(0, 2).party(2).insert(ana).await;
    let (_, staff) = app
        .user("Stef Staff")
        .home("53202")
        .staff_of(mke)
        .signed_in()
        .await;
    let today = day(&app, 0).to_string();
    let day_path = format!("/offices/{mke}/dashboard/day/{today}");
    let before = app.get_with(&staff, &day_path).await;
    assert_eq!(
        before.texts("#travellers .traveller button"),
        ["Arrived", "No-show"]
    );

    let marked = app
        .post_with(
            &staff,
            &format!("/offices/{mke}/checkins"),
            &[
                ("trip_id", &trip.to_string()),
                ("status", "arrived"),
                ("day", &today),
            ],
        )
        .await;
    assert_eq!(marked.location(), Some(day_path.as_str()));
    let page = app.follow_with(&staff, &marked).await;
    assert_eq!(
        page.text(".flash.ok"),
        "Ana Arrives from Chicago, IL checked in."
    );
    assert_eq!(page.text("#travellers .checkin"), "Checked in");
    assert_eq!(
        page.texts("#travellers .traveller button"),
        ["Undo"],
        "the state and an undo, not a second Arrived"
    );
    assert_eq!(
        page.attr("#travellers form", "action"),
        Some(format!("/offices/{mke}/checkins/undo"))
    );

    let undone = app
        .post_with(
            &staff,
            &format!("/offices/{mke}/checkins/undo"),
            &[("trip_id", &trip.to_string()), ("day", &today)],
        )
        .await;
    assert_eq!(undone.location(), Some(day_path.as_str()));
    assert_eq!(app.count("checkins").await, 0);
    let page = app.follow_with(&staff, &undone).await;
    assert_eq!(
        page.text(".flash.ok"),
        "Ana Arrives from Chicago, IL is no longer marked arrived or no-show."
    );
    assert!(page.texts("#travellers .checkin").is_empty());
    assert_eq!(
        page.texts("#travellers .traveller button"),
        ["Arrived", "No-show"]
    );

    // From an old page: nothing left to undo, said beside her.
    let again = app
        .post_with(
            &staff,
            &format!("/offices/{mke}/checkins/undo"),
            &[("trip_id", &trip.to_string()), ("day", &today)],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(
        again.text("#travellers .traveller #e-checkin"),
        "Ana Arrives from Chicago, IL has no arrived or no-show mark to undo."
    );

    // Only the office's staff may undo.
    let (_, other) = app.user("Oz Other").signed_in().await;
    let refused = app
        .post_with(
            &other,
            &format!("/offices/{mke}/checkins/undo"),
            &[("trip_id", &trip.to_string()), ("day", &today)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
}

async fn the_summary_and_the_day_page_count_the_same_people_and_travellers(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let ana = app.user("Ana Arrives").create().await;
    app.trip(mke).days(0, 2).party(2).insert(ana).await;
    let bo = app.user("Bo Daytrip").create().await;
    app.trip(mke).days(0, 0).insert(bo).await;
    let cy = app.user("Cy Crowd").create().await;
    app.trip(mke).days(0, 3).party(3).insert(cy).await;
    let (_, staff) = app
        .user("Stef Staff")
        .home("53202")
        .staff_of(mke)
        .signed_in()
        .await;

    let summary = app
        .get_with(&staff, &format!("/offices/{mke}/dashboard?days=2"))
        .await;
    let on_hand =
        |row: usize| summary.texts(&format!("#days tbody tr:nth-child({row}) td"))[3].clone();
    assert_eq!(on_hand(1), "6 (3)");
    assert_eq!(on_hand(2), "5 (2)", "Bo's day trip is over");

    for (n, expected) in [
        (0, "6 people (3 travellers) on hand or arriving."),
        (1, "5 people (2 travellers) on hand or arriving."),
    ] {
        let page = app
            .get_with(
                &staff,
                &format!("/offices/{mke}/dashboard/day/{}", day(&app, n)),
            )
            .await;
        assert_eq!(page.text("#day-count"), expected);
        let roster = app
            .get_with(&staff, &format!("/offices/{mke}/roster/{}", day(&app, n)))
            .await;
        assert!(
            roster
                .text("main p.muted")
                .starts_with(expected.trim_end_matches('.')),
            "{}",
            roster.text("main p.muted")
        );
    }
}
