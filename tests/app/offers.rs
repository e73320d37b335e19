use reqwest::StatusCode;
use trip_planner::domain::ids::*;

use crate::helpers::{day, new_client, TestApp};

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

async fn a_driver_offers_edits_pauses_and_cancels_a_ride(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    app.as_volunteer().await;
    let page = app
        .ride(mke)
        .luggage()
        .notes("Blue minivan")
        .post(&app.client)
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let id = page.redirect_id("/rides/");
    let shown = app.follow(&page).await;
    assert_eq!(shown.text("h1"), "Ride to Milwaukee Field Office");
    assert!(shown
        .texts(".flash.ok")
        .join(" ")
        .contains("Your ride is offered"));
    assert!(shown.body.contains("room for luggage"));
    assert!(shown.body.contains("08:30"));
    assert!(
        shown.body.contains("up to 15.5 mi"),
        "default detour, 25 km"
    );

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
    let ride = trip_planner::store::rides::by_id(&app.db.pool, RideId(id))
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
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, owner) = app
        .user("Olga Owner")
        .email("owner@example.org")
        .home("60601")
        .signed_in()
        .await;
    let ride = app.ride(mke).create(&owner).await;
    let stay = app.stay().create(&owner).await;
    let trip = app.trip(mke).create(&owner).await;

    let (_, other) = app
        .user("Otto Other")
        .email("other@example.org")
        .home("10001")
        .signed_in()
        .await;
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
    let still = trip_planner::store::rides::by_id(&app.db.pool, RideId(ride))
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
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
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
        let p = over
            .iter()
            .fold(app.ride(mke), |ride, (k, v)| ride.field(k, v))
            .post(&app.client)
            .await;
        assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY, "{over:?}");
        let msg = p.text(&format!("#e-{field}"));
        assert!(msg.contains(text), "{over:?}: {msg}");
    }
    assert_eq!(app.count("rides").await, 0);
}

async fn a_host_offers_beds_with_blocked_nights(app: TestApp) {
    app.as_volunteer().await;
    let page = app
        .stay()
        .blocked(&[day(&app, 7), day(&app, 8)])
        .pets_in_home()
        .post(&app.client)
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
    let id = page.redirect_id("/stays/");
    let stay = trip_planner::store::stays::by_id(&mut conn, StayId(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stay.blocked.len(), 2);

    let bad = app.stay().blocked(&[day(&app, 30)]).post(&app.client).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text("#e-blocked_nights").contains("outside"));
    let reversed = app
        .stay()
        .first_night(day(&app, 9))
        .last_night(day(&app, 8))
        .post(&app.client)
        .await;
    assert_eq!(reversed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reversed
        .text("#e-last_night")
        .contains("before the first night"));
    assert_eq!(app.count("stays").await, 1);
}

async fn a_traveller_sees_fitting_rides_and_beds_ranked_with_reasons(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, driver) = app.user("Dee Driver").home("60601").signed_in().await;
    // Leaves from Chicago the day before; another leaves from farther away on the day.
    assert_eq!(
        app.ride(mke)
            .depart(day(&app, 9))
            .post(&driver)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.ride(mke)
            .from("60007")
            .max_detour_km(60.0)
            .post(&driver)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let (_, host) = app.user("Hal Host").home("53202").signed_in().await;
    assert_eq!(app.stay().post(&host).await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.stay().place("53703").post(&host).await.status,
        StatusCode::SEE_OTHER,
        "Madison is too far"
    );

    let (_, traveller) = app.user("Tia Traveller").signed_in().await;
    let page = app.trip(mke).post(&traveller).await;
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
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, driver) = app.user("Dee Driver").home("60601").signed_in().await;
    let flex_edge = day(&app, 8); // arrive day 10, flex 2
    let too_early = day(&app, 7);
    app.ride(mke).depart(flex_edge).seats(2).post(&driver).await;
    app.ride(mke).depart(too_early).post(&driver).await;
    app.ride(mke).smoking().post(&driver).await;
    let (_, host) = app.user("Hal Host").home("53202").signed_in().await;
    let last_is_leave_minus_1 = day(&app, 13);
    let ends_one_short = day(&app, 12);
    let blocked = day(&app, 11);
    app.stay()
        .last_night(last_is_leave_minus_1)
        .beds(3)
        .post(&host)
        .await;
    app.stay().last_night(ends_one_short).post(&host).await;
    app.stay().blocked(&[blocked]).post(&host).await;
    app.stay().smoking().beds(5).post(&host).await;

    let (_, t) = app.user("Tia Traveller").signed_in().await;
    let trip = app
        .trip(mke)
        .flex_days(2)
        .party(2)
        .need_no_smoking()
        .post(&t)
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
    let big = app
        .trip(mke)
        .party(4)
        .no_ride()
        .arrive(day(&app, 10))
        .post(&t)
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
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, t) = app.user("Tia Traveller").signed_in().await;
    app.trip(mke).party(2).post(&t).await;
    let (_, driver) = app.user("Dee Driver").home("60601").signed_in().await;
    let ride = app.ride(mke).post(&driver).await;
    let shown = app.get_with(&driver, ride.location().unwrap()).await;
    let trips = shown.texts(".match");
    assert_eq!(trips.len(), 1, "{trips:?}");
    assert!(trips[0].starts_with("Tia from Chicago, IL"), "{trips:?}");
    assert!(trips[0].contains("party of 2"));
    let (_, host) = app.user("Hal Host").home("53202").signed_in().await;
    let stay = app.stay().beds(1).post(&host).await;
    let shown = app.get_with(&host, stay.location().unwrap()).await;
    assert!(
        shown.texts(".match").is_empty(),
        "one bed is too few for a party of 2"
    );
    assert!(shown.text("#fits .muted").contains("No open trips fit"));
    // An offer never matches its owner's own trip.
    let own = app.trip(mke).post(&driver).await;
    let mine = app.get_with(&driver, own.location().unwrap()).await;
    assert!(mine.texts("#rides .match").is_empty());
}

async fn my_page_lists_everything_with_empty_states(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    app.as_volunteer().await;
    let empty = app.get("/me").await;
    assert!(empty.text("#my-trips").contains("haven't planned a trip"));
    assert!(empty.text("#my-rides").contains("No rides offered"));
    assert!(empty.text("#my-stays").contains("No beds offered"));
    app.trip(mke).post(&app.client).await;
    app.ride(mke).post(&app.client).await;
    app.stay().post(&app.client).await;
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
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, host) = app.user("Hal Host").home("53202").signed_in().await;
    app.stay().post(&host).await;
    for _ in 0..22 {
        app.ride(mke).post(&host).await;
    }
    let anon = app
        .get_with(&new_client(), &format!("/offices/{mke}"))
        .await;
    assert!(anon
        .text(".counts")
        .contains("22 upcoming rides · 1 stay within 37.3 mi"));
    assert!(anon.texts("#office-rides li").is_empty());
    assert!(!anon.body.contains("Hal"));

    let (_, viewer) = app.user("Vi Viewer").home("10001").signed_in().await;
    let page = app.get_with(&viewer, &format!("/offices/{mke}")).await;
    assert_eq!(page.texts("#office-rides li").len(), 20, "first page");
    assert!(page
        .text("#office-stays li")
        .starts_with("Hal in Milwaukee, WI"));
    assert!(!page.body.contains("12 Elm St"));
    assert!(!page.body.contains("Host"));
    assert!(!page.body.contains("hal@example.org"));
    let next = app
        .get_with(&viewer, &format!("/offices/{mke}?rides_page=2"))
        .await;
    assert_eq!(next.texts("#office-rides li").len(), 2);
    // A page number that is not one shows the first page.
    let bad = app
        .get_with(&viewer, &format!("/offices/{mke}?rides_page=abc"))
        .await;
    assert_eq!(bad.status, StatusCode::OK);
    assert_eq!(bad.texts("#office-rides li").len(), 20);
}

async fn a_detour_exactly_the_maximum_fits_after_a_round_trip_through_the_database(app: TestApp) {
    use trip_planner::places::{distance_km, Gazetteer};
    use trip_planner::store::trips;
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let gaz = Gazetteer::embedded();
    let (start, home, office_place) = (
        gaz.zip("60007").unwrap(),
        gaz.zip("60616").unwrap(),
        gaz.zip("53202").unwrap(),
    );
    let detour = distance_km(start.point, home.point) + distance_km(home.point, office_place.point)
        - distance_km(start.point, office_place.point);
    let driver = app.user("Dee").home("60007").create().await;
    let traveller = app.user("Tia").create().await;
    let arrive = day(&app, 10);
    let ride = |max: f64| {
        app.ride(mke)
            .from("60007")
            .depart(arrive)
            .depart_time("09:00")
            .seats(1)
            .max_detour_km(max)
    };
    let exact = ride(detour).insert(driver).await;
    ride(f64::from_bits(detour.to_bits() - 1))
        .insert(driver)
        .await;
    let trip_id = app
        .trip(mke)
        .arrive(arrive)
        .leave(arrive)
        .no_bed()
        .flex_days(0)
        .insert(traveller)
        .await;
    let trip = trips::by_id(&app.db.pool, TripId(trip_id))
        .await
        .unwrap()
        .unwrap();
    let found = app
        .state
        .finder
        .for_trip(&trip, app.clock.today())
        .await
        .unwrap();
    let ids: Vec<i64> = found.rides.iter().map(|(_, r)| r.id.get()).collect();
    assert_eq!(
        ids,
        vec![exact],
        "the stored maximum keeps every bit of the f64"
    );
    assert_eq!(found.rides[0].0.detour_km, detour);
}
