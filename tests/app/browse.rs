//! Browsing before committing: an office's page lists its open rides (soonest
//! first) and the beds near it (nearest first), a page of each, with a button
//! that starts a trip around one; `/offices` sorts the offices by distance
//! from a town or ZIP.

use reqwest::StatusCode;

use crate::helpers::{day, new_client, Page, TestApp};

on_both_databases!(
    the_office_page_lists_rides_and_beds_with_a_way_to_plan_a_trip,
    the_office_page_pages_each_list_on_its_own,
    a_trip_form_link_with_bad_values_leaves_them_out,
    offices_sort_by_distance_from_a_town_or_zip,
);

/// The trip form's prefilled values: office, arrive, leave, sleep radius,
/// and the two needs ticked.
fn prefilled(form: &Page) -> (String, String, String, String, bool, bool) {
    (
        form.attr("#f-office_id option[selected]", "value")
            .unwrap_or_default(),
        form.attr("#f-arrive", "value").unwrap_or_default(),
        form.attr("#f-leave", "value").unwrap_or_default(),
        form.attr("#f-max_stay_km", "value").unwrap_or_default(),
        form.attr("input[name=needs_ride]", "checked").is_some(),
        form.attr("input[name=needs_bed]", "checked").is_some(),
    )
}

async fn the_office_page_lists_rides_and_beds_with_a_way_to_plan_a_trip(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, dee) = app.user("Dee Driver").home("60601").signed_in().await;
    let late = app.ride(mke).depart(day(&app, 12)).create(&dee).await;
    let (_, dan) = app.user("Dan Early").home("60605").signed_in().await;
    app.ride(mke).depart(day(&app, 5)).create(&dan).await;
    let (_, fay) = app.user("Fay Franklin").home("53132").signed_in().await;
    app.stay().place("53132").create(&fay).await;
    let (_, kim) = app.user("Kim Kenosha").home("53140").signed_in().await;
    app.stay().place("53140").create(&kim).await;
    let (_, hal) = app.user("Hal Host").home("53202").signed_in().await;
    app.stay().place("53202").create(&hal).await;

    // Visitors see how many, not who.
    let anon = app
        .get_with(&new_client(), &format!("/offices/{mke}"))
        .await;
    assert!(anon
        .text(".counts")
        .starts_with("2 upcoming rides · 3 stays"));
    assert!(anon.texts("#office-rides li, #office-stays li").is_empty());
    assert!(anon.texts("a.plan").is_empty());
    assert!(!anon.body.contains("Dee") && !anon.body.contains("Fay"));

    let (_, tia) = app.user("Tia Traveller").signed_in().await;
    let page = app.get_with(&tia, &format!("/offices/{mke}")).await;
    let rides = page.texts("#office-rides li");
    assert_eq!(rides.len(), 2);
    assert!(
        rides[0].starts_with("Dan from Chicago, IL"),
        "soonest first: {rides:?}"
    );
    assert!(rides[1].starts_with("Dee from Chicago, IL"), "{rides:?}");
    let stays = page.texts("#office-stays li");
    assert!(
        stays[0].starts_with("Hal in Milwaukee, WI"),
        "nearest first: {stays:?}"
    );
    assert!(stays[1].starts_with("Fay in Franklin, WI"), "{stays:?}");
    assert!(stays[2].starts_with("Kim in Kenosha, WI"), "{stays:?}");
    assert!(
        stays[1].contains("2 beds · 12.8 mi from the office"),
        "{stays:?}"
    );
    // First names and towns only, as before.
    assert!(!page.body.contains("Driver") && !page.body.contains("12 Elm St"));
    assert!(!page.body.contains("dee@example.org"));

    // A ride's button: the office, its day as arrival, a ride needed.
    let ride_link = page
        .attr("#office-rides li:nth-child(2) a.plan", "href")
        .expect("a button on Dee's ride");
    let form = app.get_with(&tia, &ride_link).await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(
        prefilled(&form),
        (
            mke.to_string(),
            day(&app, 12).to_string(),
            String::new(),
            "40".into(),
            true,
            false
        )
    );
    // A bed's button: its nights from today on, a bed needed; a stay beyond
    // the usual 40 km widens the radius so it fits the trip.
    let stay_link = page
        .attr("#office-stays li:nth-child(3) a.plan", "href")
        .expect("a button on Kim's beds");
    let form = app.get_with(&tia, &stay_link).await;
    assert_eq!(
        prefilled(&form),
        (
            mke.to_string(),
            day(&app, 5).to_string(),
            day(&app, 21).to_string(),
            "49".into(),
            false,
            true
        )
    );

    // Sending the ride's form as filled in (plus a day to leave) plans a trip
    // that the ride fits.
    let sent = app
        .post_with(
            &tia,
            "/trips",
            &[
                ("office_id", &mke.to_string()),
                ("from", "60616"),
                ("arrive", &day(&app, 12).to_string()),
                ("leave", &day(&app, 13).to_string()),
                ("party_size", "1"),
                ("flex_days", "1"),
                ("max_stay_km", "40"),
                ("notes", ""),
                ("needs_ride", "on"),
            ],
        )
        .await;
    let trip = sent.redirect_id("/trips/");
    let shown = app.get_with(&tia, &format!("/trips/{trip}")).await;
    assert!(
        shown.body.contains(&format!("value=\"{late}\"")),
        "Dee's ride fits the trip planned from it"
    );

    // One's own offer has no button.
    let own = app.get_with(&dee, &format!("/offices/{mke}")).await;
    assert_eq!(own.texts("#office-rides li a.plan").len(), 1, "Dan's only");
    assert!(own
        .text("#office-rides li:nth-child(2)")
        .contains("your ride"));
}

async fn the_office_page_pages_each_list_on_its_own(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, dee) = app.user("Dee Driver").home("60601").signed_in().await;
    for i in 0..22 {
        app.ride(mke)
            .depart(day(&app, 2 + i % 10))
            .create(&dee)
            .await;
    }
    let (_, hal) = app.user("Hal Host").home("53202").signed_in().await;
    app.stay().create(&hal).await;
    let (_, tia) = app.user("Tia Traveller").signed_in().await;
    let first = app.get_with(&tia, &format!("/offices/{mke}")).await;
    assert_eq!(first.texts("#office-rides li").len(), 20);
    assert_eq!(
        first.text(".pager-count"),
        "1–20 of 22 rides · page 1 of 2",
        "one pager: the beds fit on one page"
    );
    let next = first
        .attr(".pager a[rel=next]", "href")
        .expect("the next page of rides");
    let second = app.get_with(&tia, &next).await;
    assert_eq!(second.texts("#office-rides li").len(), 2);
    assert_eq!(
        second.texts("#office-stays li").len(),
        1,
        "beds stay on their page"
    );
    assert_eq!(
        second.text(".pager-count"),
        "21–22 of 22 rides · page 2 of 2"
    );
    for asked in ["99", "-1", "x"] {
        let p = app
            .get_with(
                &tia,
                &format!("/offices/{mke}?rides_page={asked}&stays_page={asked}"),
            )
            .await;
        assert_eq!(p.status, StatusCode::OK, "{asked}");
        assert_eq!(p.texts("#office-stays li").len(), 1, "{asked}");
    }
}

async fn a_trip_form_link_with_bad_values_leaves_them_out(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, tia) = app.user("Tia Traveller").signed_in().await;
    let yesterday = app.clock.today().pred_opt().unwrap();
    let form = app
        .get_with(
            &tia,
            &format!(
                "/trips/new?office=%3Cscript%3E&arrive={yesterday}&leave=2026-02-30&need=%3Cb%3E&stay_km=9999"
            ),
        )
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(
        prefilled(&form),
        (
            String::new(),
            String::new(),
            String::new(),
            "40".into(),
            true,
            true
        )
    );
    assert!(!form.body.contains("<script>") && !form.body.contains("<b>"));
    // A leaving day before the arrival is left out; the arrival is kept.
    let form = app
        .get_with(
            &tia,
            &format!(
                "/trips/new?office={mke}&arrive={}&leave={}&need=both",
                day(&app, 5),
                day(&app, 4)
            ),
        )
        .await;
    let (office, arrive, leave, _, ride, bed) = prefilled(&form);
    assert_eq!(
        (office, arrive, leave, ride, bed),
        (
            mke.to_string(),
            day(&app, 5).to_string(),
            String::new(),
            true,
            true
        )
    );
}

async fn offices_sort_by_distance_from_a_town_or_zip(app: TestApp) {
    for (name, zip) in [
        ("Reno Field Office", "89501"),
        ("Milwaukee Field Office", "53202"),
        ("Madison Field Office", "53703"),
    ] {
        app.office(name, zip).create().await;
    }
    let anon = new_client();
    for near in ["53703", "Madison,+WI", "madison+wi"] {
        let page = app.get_with(&anon, &format!("/offices?near={near}")).await;
        assert_eq!(page.status, StatusCode::OK, "{near}");
        assert_eq!(
            page.texts("#nearest li a"),
            [
                "Madison Field Office",
                "Milwaukee Field Office",
                "Reno Field Office"
            ],
            "{near}"
        );
        let pills = page.texts("#nearest .pill");
        assert!(
            pills[0].starts_with("0.") || pills[0].starts_with("1."),
            "{pills:?}"
        );
        assert!(pills.iter().all(|p| p.ends_with(" mi away")), "{pills:?}");
        assert!(
            page.texts("section.state").is_empty(),
            "the sorted list only"
        );
    }
    let page = app.get_with(&anon, "/offices?near=89501").await;
    assert_eq!(page.text("#nearest li a"), "Reno Field Office");
    assert_eq!(page.attr("#f-near", "value").as_deref(), Some("89501"));

    // An unknown place says so beside the box, and the offices are listed as usual.
    let page = app
        .get_with(&anon, "/offices?near=%3Cscript%3EAtlantis,+ZZ")
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!page.text("#e-near").is_empty());
    assert!(!page.body.contains("<script>"));
    assert_eq!(page.texts("section.state h2"), ["Nevada", "Wisconsin"]);
    let page = app.get_with(&anon, "/offices?near=99999").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text("#e-near").contains("99999"));
    // A misspelt town offers close matches as links.
    let page = app.get_with(&anon, "/offices?near=Madisn,+WI").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let hint = page.attr(".hint a", "href").unwrap_or_default();
    assert!(hint.starts_with("/offices?near="), "{hint}");
    // An empty box is the usual list.
    let page = app.get_with(&anon, "/offices?near=").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.texts("#nearest").is_empty());
    assert_eq!(page.texts("section.state h2"), ["Nevada", "Wisconsin"]);
}
