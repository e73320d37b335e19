use chrono::{Days, NaiveDate};
use reqwest::StatusCode;

use crate::helpers::{new_client, TestApp, PASSWORD};
use trip_planner::store::offices::{self, OfficeFields};

on_both_databases!(
    a_driver_offers_edits_pauses_and_cancels_a_ride,
    someone_elses_offers_and_trips_do_not_exist_for_you,
    bad_ride_input_is_refused_with_messages_and_changes_nothing,
    a_host_offers_beds_with_blocked_nights,
    a_traveller_sees_fitting_rides_and_beds_ranked_with_reasons,
    matching_rules_hold_at_their_edges_over_http,
    drivers_and_hosts_see_the_trips_their_offers_fit,
    my_page_lists_everything_with_empty_states,
    the_office_page_shows_offers_without_private_details,
    a_detour_exactly_the_maximum_fits_after_a_round_trip_through_the_database,
);

fn day(app: &TestApp, n: u64) -> NaiveDate {
    app.clock.today().checked_add_days(Days::new(n)).unwrap()
}

pub async fn office(app: &TestApp, name: &str, zip: &str) -> i64 {
    let place = trip_planner::places::Gazetteer::embedded()
        .zip(zip)
        .unwrap();
    offices::insert(
        &app.db.pool,
        &OfficeFields {
            name,
            place: &place,
            timezone: "America/Chicago",
            contact_email: None,
            needed_per_day: None,
        },
        &app.clock.now_text(),
    )
    .await
    .unwrap()
}

fn id_from(location: Option<&str>, prefix: &str) -> i64 {
    location
        .unwrap()
        .trim_start_matches(prefix)
        .parse()
        .unwrap()
}

/// Posts a ride form with sensible defaults; `over` replaces fields.
pub async fn offer_ride(
    app: &TestApp,
    client: &reqwest::Client,
    office_id: i64,
    over: &[(&str, &str)],
) -> crate::helpers::Page {
    let office = office_id.to_string();
    let date = day(app, 10).to_string();
    let mut form: Vec<(&str, &str)> = vec![
        ("office_id", &office),
        ("from", "60601"),
        ("depart_date", &date),
        ("depart_time", "08:30"),
        ("seats", "3"),
        ("max_detour_km", ""),
        ("return_date", ""),
        ("notes", ""),
    ];
    for (k, v) in over {
        form.retain(|(fk, _)| fk != k);
        form.push((k, v));
    }
    app.post_with(client, "/rides", &form).await
}

pub async fn offer_stay(
    app: &TestApp,
    client: &reqwest::Client,
    over: &[(&str, &str)],
) -> crate::helpers::Page {
    let first = day(app, 5).to_string();
    let last = day(app, 20).to_string();
    let mut form: Vec<(&str, &str)> = vec![
        ("place", "53202"),
        ("street", "12 Elm St"),
        ("beds", "2"),
        ("first_night", &first),
        ("last_night", &last),
        ("blocked_nights", ""),
        ("notes", ""),
    ];
    for (k, v) in over {
        form.retain(|(fk, _)| fk != k);
        form.push((k, v));
    }
    app.post_with(client, "/stays", &form).await
}

pub async fn plan_trip(
    app: &TestApp,
    client: &reqwest::Client,
    office_id: i64,
    over: &[(&str, &str)],
) -> crate::helpers::Page {
    let office = office_id.to_string();
    let arrive = day(app, 10).to_string();
    let leave = day(app, 14).to_string();
    let mut form: Vec<(&str, &str)> = vec![
        ("office_id", &office),
        ("from", "60616"),
        ("arrive", &arrive),
        ("leave", &leave),
        ("party_size", "1"),
        ("flex_days", ""),
        ("max_stay_km", ""),
        ("notes", ""),
        ("needs_ride", "on"),
        ("needs_bed", "on"),
    ];
    for (k, v) in over {
        form.retain(|(fk, _)| fk != k);
        if !v.is_empty() || !k.starts_with("needs_") {
            form.push((k, v));
        }
    }
    app.post_with(client, "/trips", &form).await
}

pub async fn signed_in(app: &TestApp, email: &str, name: &str, zip: &str) -> reqwest::Client {
    app.create_user(email, name, PASSWORD, zip, false).await;
    let c = new_client();
    app.login_with(&c, email, PASSWORD).await;
    c
}

async fn a_driver_offers_edits_pauses_and_cancels_a_ride(app: TestApp) {
    let mke = office(&app, "Milwaukee Field Office", "53202").await;
    app.as_volunteer().await;
    let page = offer_ride(
        &app,
        &app.client,
        mke,
        &[("luggage", "on"), ("notes", "Blue minivan")],
    )
    .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let id = id_from(page.location(), "/rides/");
    let shown = app.follow(&page).await;
    assert_eq!(shown.text("h1"), "Ride to Milwaukee Field Office");
    assert!(shown
        .texts(".flash.ok")
        .join(" ")
        .contains("Your ride is offered"));
    assert!(shown.body.contains("room for luggage"));
    assert!(shown.body.contains("08:30"));
    assert!(shown.body.contains("up to 25 km"), "default detour");

    let edit = app.get(&format!("/rides/{id}/edit")).await;
    assert_eq!(edit.attr("#f-seats", "value").as_deref(), Some("3"));
    let date = day(&app, 11).to_string();
    let mke_s = mke.to_string();
    let saved = app
        .post(
            &format!("/rides/{id}"),
            &[
                ("office_id", &mke_s),
                ("from", "60601"),
                ("depart_date", &date),
                ("depart_time", "07:00"),
                ("seats", "12"),
                ("notes", "Church van"),
                ("max_detour_km", "40"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let ride = trip_planner::store::rides::by_id(&app.db.pool, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (ride.seats, ride.max_detour_km, ride.depart_date),
        (12, 40.0, day(&app, 11))
    );
    assert!(!ride.luggage, "unticked box clears the flag");

    for (action, label) in [
        ("pause", "Paused"),
        ("resume", "Open"),
        ("cancel", "Cancelled"),
    ] {
        let p = app.post(&format!("/rides/{id}/{action}"), &[]).await;
        assert_eq!(p.status, StatusCode::SEE_OTHER);
        assert_eq!(app.follow(&p).await.text(".status"), label);
    }
    let again = app.post(&format!("/rides/{id}/resume"), &[]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let edit_cancelled = app
        .post(
            &format!("/rides/{id}"),
            &[
                ("office_id", &mke_s),
                ("from", "60601"),
                ("depart_date", &date),
                ("seats", "2"),
            ],
        )
        .await;
    assert_eq!(edit_cancelled.status, StatusCode::CONFLICT);
    assert_eq!(
        app.post(&format!("/rides/{id}/explode"), &[]).await.status,
        StatusCode::NOT_FOUND
    );
}

async fn someone_elses_offers_and_trips_do_not_exist_for_you(app: TestApp) {
    let mke = office(&app, "Milwaukee Field Office", "53202").await;
    let owner = signed_in(&app, "owner@example.org", "Olga Owner", "60601").await;
    let ride = id_from(
        offer_ride(&app, &owner, mke, &[]).await.location(),
        "/rides/",
    );
    let stay = id_from(offer_stay(&app, &owner, &[]).await.location(), "/stays/");
    let trip = id_from(
        plan_trip(&app, &owner, mke, &[]).await.location(),
        "/trips/",
    );

    let other = signed_in(&app, "other@example.org", "Otto Other", "10001").await;
    for base in [
        format!("/rides/{ride}"),
        format!("/stays/{stay}"),
        format!("/trips/{trip}"),
    ] {
        assert_eq!(
            app.get_with(&other, &base).await.status,
            StatusCode::NOT_FOUND,
            "{base}"
        );
        assert_eq!(
            app.get_with(&other, &format!("{base}/edit")).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.post_with(&other, &format!("{base}/cancel"), &[])
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.post_with(&other, &base, &[("seats", "1")]).await.status,
            StatusCode::NOT_FOUND
        );
        let anon = app.get_with(&new_client(), &base).await;
        assert_eq!(anon.status, StatusCode::SEE_OTHER);
        assert!(anon.location().unwrap().starts_with("/login?next="));
    }
    let still = trip_planner::store::rides::by_id(&app.db.pool, ride)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(still.status, trip_planner::domain::offer::Status::Active);
    assert_eq!(
        app.post_with(&new_client(), "/rides", &[("seats", "1")])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}

async fn bad_ride_input_is_refused_with_messages_and_changes_nothing(app: TestApp) {
    let mke = office(&app, "Milwaukee Field Office", "53202").await;
    app.as_volunteer().await;
    let yesterday = app.clock.today().pred_opt().unwrap().to_string();
    type Case<'a> = (Vec<(&'a str, &'a str)>, &'a str, &'a str);
    let cases: Vec<Case> = vec![
        (vec![("depart_date", &yesterday)], "depart_date", "past"),
        (
            vec![("depart_date", "next tuesday")],
            "depart_date",
            "YYYY-MM-DD",
        ),
        (vec![("seats", "0")], "seats", "1 to 8"),
        (vec![("seats", "12")], "seats", "van or bus"),
        (
            vec![("office_id", "999")],
            "office_id",
            "Choose a field office",
        ),
        (
            vec![("office_id", "<b>x</b>")],
            "office_id",
            "Choose a field office",
        ),
        (vec![("max_detour_km", "-5")], "max_detour_km", "0 to 500"),
        (vec![("from", "99999")], "from", "99999"),
        (vec![("depart_time", "25:99")], "depart_time", "HH:MM"),
    ];
    for (over, field, text) in cases {
        let p = offer_ride(&app, &app.client, mke, &over).await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{over:?}");
        let msg = p.text(&format!("#e-{field}"));
        assert!(msg.contains(text), "{over:?}: {msg}");
    }
    assert_eq!(app.count("rides").await, 0);
}

async fn a_host_offers_beds_with_blocked_nights(app: TestApp) {
    app.as_volunteer().await;
    let blocked = format!("{}, {}", day(&app, 7), day(&app, 8));
    let page = offer_stay(
        &app,
        &app.client,
        &[("blocked_nights", &blocked), ("pets_in_home", "on")],
    )
    .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let shown = app.follow(&page).await;
    assert!(shown.text("h1").contains("Milwaukee, WI"));
    assert!(
        shown.body.contains("12 Elm St"),
        "the host sees their own street"
    );
    assert!(shown.body.contains("pets live here"));
    let mut conn = app.db.pool.acquire().await.unwrap();
    let id = id_from(page.location(), "/stays/");
    let stay = trip_planner::store::stays::by_id(&mut conn, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stay.blocked.len(), 2);

    let outside = day(&app, 30).to_string();
    let bad = offer_stay(&app, &app.client, &[("blocked_nights", &outside)]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text("#e-blocked_nights").contains("outside"));
    let first = day(&app, 9).to_string();
    let last = day(&app, 8).to_string();
    let reversed = offer_stay(
        &app,
        &app.client,
        &[("first_night", &first), ("last_night", &last)],
    )
    .await;
    assert_eq!(reversed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reversed
        .text("#e-last_night")
        .contains("before the first night"));
    assert_eq!(app.count("stays").await, 1);
}

async fn a_traveller_sees_fitting_rides_and_beds_ranked_with_reasons(app: TestApp) {
    let mke = office(&app, "Milwaukee Field Office", "53202").await;
    let driver = signed_in(&app, "dee@example.org", "Dee Driver", "60601").await;
    // Leaves from Chicago the day before; another leaves from farther away on the day.
    let before = day(&app, 9).to_string();
    assert_eq!(
        offer_ride(&app, &driver, mke, &[("depart_date", &before)])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        offer_ride(
            &app,
            &driver,
            mke,
            &[("from", "60007"), ("max_detour_km", "60")]
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    let host = signed_in(&app, "hal@example.org", "Hal Host", "53202").await;
    assert_eq!(
        offer_stay(&app, &host, &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        offer_stay(&app, &host, &[("place", "53703")]).await.status,
        StatusCode::SEE_OTHER,
        "Madison is too far"
    );

    let traveller = signed_in(&app, "tia@example.org", "Tia Traveller", "60616").await;
    let page = plan_trip(&app, &traveller, mke, &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let shown = app.get_with(&traveller, page.location().unwrap()).await;
    let rides = shown.texts("#rides .match");
    assert_eq!(rides.len(), 2, "{rides:?}");
    assert!(rides[0].starts_with("Dee from Chicago, IL"), "{rides:?}");
    assert!(
        rides[0].contains("leaves the day before you arrive"),
        "{rides:?}"
    );
    assert!(rides[1].contains("leaves the day you arrive"), "{rides:?}");
    let stays = shown.texts("#stays .match");
    assert_eq!(stays.len(), 1, "{stays:?}");
    assert!(
        stays[0].contains("from the office · all 4 nights free"),
        "{stays:?}"
    );
    assert!(
        !shown.body.contains("12 Elm St"),
        "no street before a booking is accepted"
    );
    assert!(!shown.body.contains("Driver"), "first names only");
}

async fn matching_rules_hold_at_their_edges_over_http(app: TestApp) {
    let mke = office(&app, "Milwaukee Field Office", "53202").await;
    let driver = signed_in(&app, "dee@example.org", "Dee Driver", "60601").await;
    let flex_edge = day(&app, 8).to_string(); // arrive day 10, flex 2
    let too_early = day(&app, 7).to_string();
    offer_ride(
        &app,
        &driver,
        mke,
        &[("depart_date", &flex_edge), ("seats", "2")],
    )
    .await;
    offer_ride(&app, &driver, mke, &[("depart_date", &too_early)]).await;
    offer_ride(&app, &driver, mke, &[("smoking", "on")]).await;
    let host = signed_in(&app, "hal@example.org", "Hal Host", "53202").await;
    let last_is_leave_minus_1 = day(&app, 13).to_string();
    let ends_one_short = day(&app, 12).to_string();
    let blocked = day(&app, 11).to_string();
    offer_stay(
        &app,
        &host,
        &[("last_night", &last_is_leave_minus_1), ("beds", "3")],
    )
    .await;
    offer_stay(&app, &host, &[("last_night", &ends_one_short)]).await;
    offer_stay(&app, &host, &[("blocked_nights", &blocked)]).await;
    offer_stay(&app, &host, &[("smoking", "on"), ("beds", "5")]).await;

    let t = signed_in(&app, "tia@example.org", "Tia Traveller", "60616").await;
    let trip = plan_trip(
        &app,
        &t,
        mke,
        &[
            ("flex_days", "2"),
            ("party_size", "2"),
            ("need_no_smoking", "on"),
        ],
    )
    .await;
    let shown = app.get_with(&t, trip.location().unwrap()).await;
    let rides = shown.texts("#rides .match");
    assert_eq!(
        rides.len(),
        1,
        "only the ride exactly flex days early, 2 seats, no smoking: {rides:?}"
    );
    assert!(rides[0].contains("leaves 2 days before you arrive"));
    let stays = shown.texts("#stays .match");
    assert_eq!(
        stays.len(),
        1,
        "only the stay whose last night is leave − 1: {stays:?}"
    );
    assert!(stays[0].contains("3 beds"));

    // A party one larger than the free beds does not fit.
    let big = plan_trip(
        &app,
        &t,
        mke,
        &[
            ("party_size", "4"),
            ("needs_ride", ""),
            ("arrive", &day(&app, 10).to_string()),
        ],
    )
    .await;
    let shown = app.get_with(&t, big.location().unwrap()).await;
    let stays = shown.texts("#stays .match");
    assert_eq!(stays.len(), 1, "{stays:?}");
    assert!(
        stays[0].contains("5 beds"),
        "only the smoking home has 5 beds and no need is stated"
    );
}

async fn drivers_and_hosts_see_the_trips_their_offers_fit(app: TestApp) {
    let mke = office(&app, "Milwaukee Field Office", "53202").await;
    let t = signed_in(&app, "tia@example.org", "Tia Traveller", "60616").await;
    plan_trip(&app, &t, mke, &[("party_size", "2")]).await;
    let driver = signed_in(&app, "dee@example.org", "Dee Driver", "60601").await;
    let ride = offer_ride(&app, &driver, mke, &[]).await;
    let shown = app.get_with(&driver, ride.location().unwrap()).await;
    let trips = shown.texts(".match");
    assert_eq!(trips.len(), 1, "{trips:?}");
    assert!(trips[0].starts_with("Tia from Chicago, IL"), "{trips:?}");
    assert!(trips[0].contains("party of 2"));
    let host = signed_in(&app, "hal@example.org", "Hal Host", "53202").await;
    let stay = offer_stay(&app, &host, &[("beds", "1")]).await;
    let shown = app.get_with(&host, stay.location().unwrap()).await;
    assert!(
        shown.texts(".match").is_empty(),
        "one bed is too few for a party of 2"
    );
    assert!(shown.text("#fits .muted").contains("No open trips fit"));
    // An offer never matches its owner's own trip.
    let own = plan_trip(&app, &driver, mke, &[]).await;
    let mine = app.get_with(&driver, own.location().unwrap()).await;
    assert!(mine.texts("#rides .match").is_empty());
}

async fn my_page_lists_everything_with_empty_states(app: TestApp) {
    let mke = office(&app, "Milwaukee Field Office", "53202").await;
    app.as_volunteer().await;
    let empty = app.get("/me").await;
    assert!(empty.text("#my-trips").contains("haven't planned a trip"));
    assert!(empty.text("#my-rides").contains("No rides offered"));
    assert!(empty.text("#my-stays").contains("No beds offered"));
    plan_trip(&app, &app.client, mke, &[]).await;
    offer_ride(&app, &app.client, mke, &[]).await;
    offer_stay(&app, &app.client, &[]).await;
    let full = app.get("/me").await;
    assert_eq!(full.texts("#my-trips li").len(), 1);
    assert!(full
        .text("#my-rides li")
        .contains("To Milwaukee Field Office"));
    assert_eq!(full.texts("#my-stays li").len(), 1);
    assert_eq!(
        app.get_with(&new_client(), "/me").await.status,
        StatusCode::SEE_OTHER
    );
}

async fn the_office_page_shows_offers_without_private_details(app: TestApp) {
    let mke = office(&app, "Milwaukee Field Office", "53202").await;
    let host = signed_in(&app, "hal@example.org", "Hal Host", "53202").await;
    offer_stay(&app, &host, &[]).await;
    for _ in 0..22 {
        offer_ride(&app, &host, mke, &[]).await;
    }
    let anon = app
        .get_with(&new_client(), &format!("/offices/{mke}"))
        .await;
    assert!(anon
        .text(".counts")
        .contains("22 upcoming rides · 1 stay within 60 km"));
    assert!(anon.texts("#office-rides li").is_empty());
    assert!(!anon.body.contains("Hal"));

    let viewer = signed_in(&app, "vi@example.org", "Vi Viewer", "10001").await;
    let page = app.get_with(&viewer, &format!("/offices/{mke}")).await;
    assert_eq!(page.texts("#office-rides li").len(), 20, "first page");
    assert!(page
        .text("#office-stays li")
        .starts_with("Hal in Milwaukee, WI"));
    assert!(!page.body.contains("12 Elm St"));
    assert!(!page.body.contains("Host"));
    assert!(!page.body.contains("hal@example.org"));
    let next = app
        .get_with(&viewer, &format!("/offices/{mke}?page=2"))
        .await;
    assert_eq!(next.texts("#office-rides li").len(), 2);
    assert_eq!(
        app.get_with(&viewer, &format!("/offices/{mke}?page=abc"))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

async fn a_detour_exactly_the_maximum_fits_after_a_round_trip_through_the_database(app: TestApp) {
    use trip_planner::places::{distance_km, Gazetteer};
    use trip_planner::store::{rides, trips};
    let mke = office(&app, "Milwaukee Field Office", "53202").await;
    let gaz = Gazetteer::embedded();
    let (start, home, office_place) = (
        gaz.zip("60007").unwrap(),
        gaz.zip("60616").unwrap(),
        gaz.zip("53202").unwrap(),
    );
    let detour = distance_km(start.point, home.point) + distance_km(home.point, office_place.point)
        - distance_km(start.point, office_place.point);
    let driver = app
        .create_user("dee@example.org", "Dee", PASSWORD, "60007", false)
        .await;
    let traveller = app
        .create_user("tia@example.org", "Tia", PASSWORD, "60616", false)
        .await;
    let arrive = app.clock.today().checked_add_days(Days::new(10)).unwrap();
    let ride = |max: f64| rides::RideFields {
        office_id: mke,
        from: start.clone(),
        depart_date: arrive,
        depart_time: "09:00".into(),
        return_date: None,
        seats: 1,
        max_detour_km: max,
        luggage: false,
        smoking: false,
        pets_welcome: false,
        step_free: false,
        instant_accept: false,
        notes: String::new(),
    };
    let now = app.clock.now_text();
    let exact = rides::insert(&app.db.pool, driver, &ride(detour), &now)
        .await
        .unwrap();
    rides::insert(
        &app.db.pool,
        driver,
        &ride(f64::from_bits(detour.to_bits() - 1)),
        &now,
    )
    .await
    .unwrap();
    let trip_id = trips::insert(
        &app.db.pool,
        traveller,
        &trips::TripFields {
            office_id: mke,
            from: home.clone(),
            arrive,
            leave: arrive,
            party_size: 1,
            needs_ride: true,
            needs_bed: false,
            flex_days: 0,
            max_stay_km: 40.0,
            need_step_free: false,
            need_no_pets: false,
            need_no_smoking: false,
            notes: String::new(),
        },
        &now,
    )
    .await
    .unwrap();
    let trip = trips::by_id(&app.db.pool, trip_id).await.unwrap().unwrap();
    let found = app
        .state
        .finder
        .for_trip(&trip, app.clock.today())
        .await
        .unwrap();
    let ids: Vec<i64> = found.rides.iter().map(|(_, r)| r.id).collect();
    assert_eq!(
        ids,
        vec![exact],
        "the stored maximum keeps every bit of the f64"
    );
    assert_eq!(found.rides[0].0.detour_km, detour);
}
