//! Distances are shown in miles unless the person chose kilometres in their
//! account, on pages and in emails; the command line's JSON stays in km.

use chrono::Duration;
use reqwest::StatusCode;

use crate::helpers::TestApp;
use trip_planner::jobs::run_once;

on_both_databases!(
    distances_are_in_miles_until_the_person_chooses_km,
    alternatives_in_an_email_are_in_the_travellers_unit,
);

async fn distances_are_in_miles_until_the_person_chooses_km(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, driver) = app.user("Dee Driver").home("60601").signed_in().await;
    app.ride(mke).create(&driver).await;
    let (_, host) = app.user("Hal Host").home("53202").signed_in().await;
    app.stay().create(&host).await;
    let (_, tia) = app.user("Tia Traveller").signed_in().await;
    let trip = app.trip(mke).create(&tia).await;
    let json_before = app.cli(&["matches", "--json"]);
    assert!(json_before.0, "{}", json_before.2);

    let page = app.get_with(&tia, &format!("/trips/{trip}")).await;
    let reasons = page.texts(".reason");
    assert_eq!(reasons.len(), 2, "a ride and a bed fit: {reasons:?}");
    assert!(reasons[0].contains(" mi detour"), "{reasons:?}");
    assert!(reasons[1].contains(" mi from the office"), "{reasons:?}");
    assert!(page.body.contains("a bed within 24.9 mi"), "40 km in miles");
    let account = app.get_with(&tia, "/account").await;
    assert_eq!(
        account.attr("#units input[checked]", "value").as_deref(),
        Some("mi"),
        "miles by default"
    );

    // A value that is neither unit is refused beside the field; nothing changes.
    let bad = app
        .post_with(&tia, "/account/units", &[("unit", "<furlongs>")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.text("#e-unit"), "Choose miles or kilometres.");
    assert!(!bad.body.contains("<furlongs>"));

    let done = app
        .post_with(&tia, "/account/units", &[("unit", "km")])
        .await;
    assert_eq!(done.location(), Some("/account"));
    let account = app.follow_with(&tia, &done).await;
    assert!(account.text(".flash.ok").contains("shown in kilometres"));
    assert_eq!(
        account.attr("#units input[checked]", "value").as_deref(),
        Some("km")
    );
    let page = app.get_with(&tia, &format!("/trips/{trip}")).await;
    let reasons = page.texts(".reason");
    assert!(reasons[0].contains(" km detour"), "{reasons:?}");
    assert!(reasons[1].contains(" km from the office"), "{reasons:?}");
    assert!(page.body.contains("a bed within 40.0 km"));
    // Another person's choice is their own: the driver still reads miles.
    let (_, other) = app.user("Oli Other").home("60601").signed_in().await;
    let offices = app.get_with(&other, "/offices").await;
    assert!(offices.text(".pill").ends_with(" mi from home"));
    let offices = app.get_with(&tia, "/offices").await;
    assert!(offices.text(".pill").ends_with(" km from home"));

    // The command line's JSON keeps its km, whatever people chose.
    let json_after = app.cli(&["matches", "--json"]);
    assert_eq!(json_before.1, json_after.1);
    assert!(json_after.1.contains("\"detour_km\""));
    assert!(json_after.1.contains("\"distance_km\""));
}

async fn alternatives_in_an_email_are_in_the_travellers_unit(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, dee) = app.user("Dee Driver").home("60601").signed_in().await;
    let first = app.ride(mke).create(&dee).await;
    let (_, dan) = app.user("Dan Second").home("60605").signed_in().await;
    app.ride(mke).create(&dan).await;
    let (_, tia) = app.user("Tia Traveller").signed_in().await;
    let (_, tom) = app
        .user("Tom Traveller")
        .email("tom@example.org")
        .signed_in()
        .await;
    app.post_with(&tia, "/account/units", &[("unit", "km")])
        .await;
    for client in [&tia, &tom] {
        let trip = app.trip(mke).no_bed().create(client).await;
        let asked = app.ask(client, trip, "ride", first).await;
        assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    }
    // Nobody answers: both requests expire, and each email suggests Dan's ride.
    app.clock.set(chrono::Utc::now() + Duration::hours(73));
    assert_eq!(run_once(&app.state).await.unwrap().expired, 2);
    let tia_mail = app.last_mail_to("tia@example.org").await.unwrap().text;
    let tom_mail = app.last_mail_to("tom@example.org").await.unwrap().text;
    assert!(tia_mail.contains("Dan from Chicago, IL: "), "{tia_mail}");
    assert!(tia_mail.contains(" km detour"), "{tia_mail}");
    assert!(!tia_mail.contains(" mi detour"), "{tia_mail}");
    assert!(tom_mail.contains(" mi detour"), "{tom_mail}");
}
