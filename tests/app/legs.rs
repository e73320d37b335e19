//! One accepted booking per leg (the ride there, the nights): accepting one
//! withdraws the trip's other requests for that leg, the database refuses a
//! second even under racing accepts, the trip page says a leg is confirmed,
//! and the owner's inbox says what each request is for.

use reqwest::StatusCode;
use sqlx::{Executor, Row};
use tokio::task::JoinSet;
use trip_planner::domain::ids::*;

use crate::helpers::{day, link_path, new_client, TestApp, PASSWORD};
use trip_planner::store::{rides, stays};

on_both_databases!(
    accepting_a_request_withdraws_the_other_requests_of_its_leg_only,
    accepting_from_an_email_link_withdraws_the_other_requests_too,
    an_instant_accept_withdraws_the_other_requests_of_its_leg,
    a_confirmed_leg_takes_no_more_requests,
    a_second_accept_for_a_confirmed_leg_is_refused_and_changes_nothing,
    fifty_owners_accepting_one_trips_requests_at_once_confirm_exactly_one,
    migration_7_keeps_the_first_accepted_booking_of_each_leg,
    the_trip_page_names_a_confirmed_leg_instead_of_saying_nothing_fits,
    the_owners_inbox_says_what_each_request_is_for_and_when_it_expires,
);

/// `client` asks for an offer; the new booking's id.
async fn ask_ok(app: &TestApp, client: &reqwest::Client, trip: i64, kind: &str, offer: i64) -> i64 {
    let page = app.ask(client, trip, kind, offer).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    page.redirect_id("/bookings/")
}

async fn status_of(app: &TestApp, booking: i64) -> String {
    sqlx::query("SELECT status FROM bookings WHERE id = $1")
        .bind(booking)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get("status")
}

async fn seats_taken(app: &TestApp, ride: i64) -> i32 {
    rides::by_id(&app.db.pool, RideId(ride))
        .await
        .unwrap()
        .unwrap()
        .seats_taken
}

/// Beds taken per night of a stay, in night order.
async fn beds_taken(app: &TestApp, stay: i64) -> Vec<i32> {
    let mut conn = app.db.pool.acquire().await.unwrap();
    let st = stays::by_id(&mut conn, StayId(stay))
        .await
        .unwrap()
        .unwrap();
    st.taken.values().copied().collect()
}

/// Two drivers and two hosts whose offers all fit Tia's trip to Milwaukee.
struct Week {
    tia: (i64, reqwest::Client),
    dee: reqwest::Client,
    eli: reqwest::Client,
    hal: reqwest::Client,
    ivy: reqwest::Client,
    trip: i64,
    ride_dee: i64,
    ride_eli: i64,
    stay_hal: i64,
    stay_ivy: i64,
}

async fn week(app: &TestApp, eli_instant: bool) -> Week {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, dee) = app.user("Dee Driver").home("60601").signed_in().await;
    let (_, eli) = app.user("Eli Driver").home("60601").signed_in().await;
    let (_, hal) = app.user("Hal Host").home("53202").signed_in().await;
    let (_, ivy) = app.user("Ivy Host").home("53202").signed_in().await;
    let ride_dee = app.ride(mke).create(&dee).await;
    let eli_ride = app.ride(mke);
    let ride_eli = if eli_instant {
        eli_ride.instant()
    } else {
        eli_ride
    }
    .create(&eli)
    .await;
    let stay_hal = app.stay().create(&hal).await;
    let stay_ivy = app.stay().create(&ivy).await;
    let tia = app.user("Tia Traveller").signed_in().await;
    let trip = app.trip(mke).create(&tia.1).await;
    Week {
        tia,
        dee,
        eli,
        hal,
        ivy,
        trip,
        ride_dee,
        ride_eli,
        stay_hal,
        stay_ivy,
    }
}

async fn accepting_a_request_withdraws_the_other_requests_of_its_leg_only(app: TestApp) {
    let w = week(&app, false).await;
    let tia = &w.tia.1;
    let with_dee = ask_ok(&app, tia, w.trip, "ride", w.ride_dee).await;
    let with_eli = ask_ok(&app, tia, w.trip, "ride", w.ride_eli).await;
    let with_hal = ask_ok(&app, tia, w.trip, "stay", w.stay_hal).await;
    let page = app.get_with(tia, &format!("/trips/{}", w.trip)).await;
    assert!(
        page.text("#plan").contains("Ride requested"),
        "several requests for a leg are fine"
    );

    let accepted = app
        .post_with(&w.dee, &format!("/bookings/{with_dee}/accept"), &[])
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);

    assert_eq!(status_of(&app, with_dee).await, "accepted");
    assert_eq!(status_of(&app, with_eli).await, "withdrawn");
    assert_eq!(
        status_of(&app, with_hal).await,
        "requested",
        "the other leg is left alone"
    );
    assert_eq!(seats_taken(&app, w.ride_dee).await, 1);
    assert_eq!(seats_taken(&app, w.ride_eli).await, 0);

    let mail = app
        .last_mail_to("eli@example.org")
        .await
        .expect("Eli is told");
    assert!(mail.subject.contains("withdrawn"), "{}", mail.subject);
    assert!(
        mail.text.contains("another one was confirmed"),
        "{}",
        mail.text
    );
    assert!(
        app.last_mail_to("hal@example.org")
            .await
            .is_some_and(|m| !m.subject.contains("withdr")),
        "Hal only has the request"
    );
    let history = app.get_with(&w.eli, &format!("/bookings/{with_eli}")).await;
    assert_eq!(history.text("#booking-status"), "Withdrawn");
    let last = history.texts("#history li").pop().unwrap_or_default();
    assert!(
        last.contains("Withdrawn · Trip Planner") && last.contains("another one was confirmed"),
        "withdrawn by the system, with the reason: {last}"
    );
}

async fn accepting_from_an_email_link_withdraws_the_other_requests_too(app: TestApp) {
    let w = week(&app, false).await;
    let tia = &w.tia.1;
    let with_hal = ask_ok(&app, tia, w.trip, "stay", w.stay_hal).await;
    let hal_mail = app.last_mail_to("hal@example.org").await.unwrap();
    let with_ivy = ask_ok(&app, tia, w.trip, "stay", w.stay_ivy).await;
    let with_dee = ask_ok(&app, tia, w.trip, "ride", w.ride_dee).await;
    let accept = link_path(&hal_mail.text, "/b/").expect("an accept link");
    let done = app.post_with(&new_client(), &accept, &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);

    assert_eq!(status_of(&app, with_hal).await, "accepted");
    assert_eq!(status_of(&app, with_ivy).await, "withdrawn");
    assert_eq!(status_of(&app, with_dee).await, "requested");
    let mail = app.last_mail_to("ivy@example.org").await.unwrap();
    assert!(
        mail.text.contains("another one was confirmed"),
        "{}",
        mail.text
    );
    assert_eq!(beds_taken(&app, w.stay_hal).await, vec![1, 1, 1, 1]);
    assert!(beds_taken(&app, w.stay_ivy).await.iter().all(|n| *n == 0));
}

async fn an_instant_accept_withdraws_the_other_requests_of_its_leg(app: TestApp) {
    let w = week(&app, true).await;
    let tia = &w.tia.1;
    let with_dee = ask_ok(&app, tia, w.trip, "ride", w.ride_dee).await;
    let with_hal = ask_ok(&app, tia, w.trip, "stay", w.stay_hal).await;
    let with_eli = ask_ok(&app, tia, w.trip, "ride", w.ride_eli).await;
    assert_eq!(
        status_of(&app, with_eli).await,
        "accepted",
        "Eli's is instant"
    );
    assert_eq!(status_of(&app, with_dee).await, "withdrawn");
    assert_eq!(status_of(&app, with_hal).await, "requested");
    let mail = app.last_mail_to("dee@example.org").await.unwrap();
    assert!(
        mail.text.contains("another one was confirmed"),
        "{}",
        mail.text
    );
    assert_eq!(seats_taken(&app, w.ride_eli).await, 1);
    assert_eq!(seats_taken(&app, w.ride_dee).await, 0);
}

async fn a_confirmed_leg_takes_no_more_requests(app: TestApp) {
    let w = week(&app, false).await;
    let tia = &w.tia.1;
    let with_dee = ask_ok(&app, tia, w.trip, "ride", w.ride_dee).await;
    app.post_with(&w.dee, &format!("/bookings/{with_dee}/accept"), &[])
        .await;
    let outbox = app.outbox().await.len();
    let refused = app.ask(tia, w.trip, "ride", w.ride_eli).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused
            .body
            .contains("Your ride is already confirmed; cancel it first to choose another."),
        "{}",
        refused.body
    );
    assert_eq!(app.count("bookings").await, 1);
    assert_eq!(app.outbox().await.len(), outbox, "nobody is emailed");
    // The other leg is still open to requests.
    ask_ok(&app, tia, w.trip, "stay", w.stay_hal).await;
    // Once the ride is cancelled, another can be asked for.
    let cancelled = app
        .post_with(
            tia,
            &format!("/bookings/{with_dee}/cancel"),
            &[("reason", "plans changed")],
        )
        .await;
    assert_eq!(
        cancelled.status,
        StatusCode::SEE_OTHER,
        "{}",
        cancelled.body
    );
    ask_ok(&app, tia, w.trip, "ride", w.ride_eli).await;
}

/// A request from before the rule: two requests pending beside an accepted
/// booking of the same leg (made here by putting the withdrawn one back).
async fn a_second_accept_for_a_confirmed_leg_is_refused_and_changes_nothing(app: TestApp) {
    let w = week(&app, false).await;
    let tia = &w.tia.1;
    let with_dee = ask_ok(&app, tia, w.trip, "ride", w.ride_dee).await;
    let with_eli = ask_ok(&app, tia, w.trip, "ride", w.ride_eli).await;
    let with_hal = ask_ok(&app, tia, w.trip, "stay", w.stay_hal).await;
    let with_ivy = ask_ok(&app, tia, w.trip, "stay", w.stay_ivy).await;
    app.post_with(&w.dee, &format!("/bookings/{with_dee}/accept"), &[])
        .await;
    app.post_with(&w.hal, &format!("/bookings/{with_hal}/accept"), &[])
        .await;
    sqlx::query("UPDATE bookings SET status = 'requested' WHERE id IN ($1, $2)")
        .bind(with_eli)
        .bind(with_ivy)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let events = app.count("booking_events").await;
    let outbox = app.outbox().await.len();
    for (client, booking, noun) in [(&w.eli, with_eli, "ride"), (&w.ivy, with_ivy, "bed")] {
        let refused = app
            .post_with(client, &format!("/bookings/{booking}/accept"), &[])
            .await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
        assert!(
            refused
                .body
                .contains(&format!("This trip already has a confirmed {noun}.")),
            "{}",
            refused.body
        );
        assert_eq!(status_of(&app, booking).await, "requested");
    }
    assert_eq!(seats_taken(&app, w.ride_eli).await, 0, "no seat taken");
    assert!(
        beds_taken(&app, w.stay_ivy).await.iter().all(|n| *n == 0),
        "no bed taken"
    );
    assert_eq!(app.count("booking_events").await, events);
    assert_eq!(app.outbox().await.len(), outbox);
    // Declining still works.
    let declined = app
        .post_with(&w.eli, &format!("/bookings/{with_eli}/decline"), &[])
        .await;
    assert_eq!(declined.status, StatusCode::SEE_OTHER);
    assert_eq!(status_of(&app, with_eli).await, "declined");
}

async fn fifty_owners_accepting_one_trips_requests_at_once_confirm_exactly_one(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, tia) = app.user("Tia Traveller").signed_in().await;
    let trip = app.trip(mke).create(&tia).await;
    let mut drivers = vec![];
    for i in 0..50 {
        let email = format!("d{i}@example.org");
        let id = app
            .user(&format!("Driver {i}"))
            .email(&email)
            .home("60601")
            .create()
            .await;
        let ride = app.ride(mke).seats(2).insert(id).await;
        let booking = ask_ok(&app, &tia, trip, "ride", ride).await;
        drivers.push((email, ride, booking));
    }
    let mut logins = JoinSet::new();
    for (email, ride, booking) in drivers {
        let base = app.base.clone();
        logins.spawn(async move {
            let c = new_client();
            let r = c
                .post(format!("{base}/login"))
                .form(&[
                    ("email", email.as_str()),
                    ("password", PASSWORD),
                    ("next", "/"),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            (c, ride, booking)
        });
    }
    let drivers = logins.join_all().await;
    let rides: Vec<i64> = drivers.iter().map(|d| d.1).collect();

    let mut accepts = JoinSet::new();
    for (c, _, booking) in drivers {
        let url = app.url(&format!("/bookings/{booking}/accept"));
        let origin = app.base.clone();
        accepts.spawn(async move {
            let r = c
                .post(url)
                .header("origin", origin)
                .header("sec-fetch-site", "same-origin")
                .header("content-type", "application/x-www-form-urlencoded")
                .body("")
                .send()
                .await
                .unwrap();
            let status = r.status();
            (status, r.text().await.unwrap())
        });
    }
    let results = accepts.join_all().await;
    for (status, body) in &results {
        assert!(status.as_u16() < 500, "{status}: {body}");
        if *status != StatusCode::SEE_OTHER {
            assert_eq!(*status, StatusCode::CONFLICT, "{body}");
            assert!(
                body.contains("answered in the meantime")
                    || body.contains("This request is withdrawn")
                    || body.contains("already has a confirmed ride"),
                "a clear answer: {body}"
            );
        }
    }
    let won = results
        .iter()
        .filter(|(s, _)| *s == StatusCode::SEE_OTHER)
        .count();
    assert_eq!(won, 1);
    let by_status = |status: &'static str| {
        let pool = app.db.pool.clone();
        async move {
            sqlx::query("SELECT COUNT(*) AS n FROM bookings WHERE status = $1")
                .bind(status)
                .fetch_one(&pool)
                .await
                .unwrap()
                .get::<i64, _>("n")
        }
    };
    assert_eq!(by_status("accepted").await, 1);
    assert_eq!(by_status("withdrawn").await, 49);
    let mut taken = 0;
    for ride in rides {
        taken += seats_taken(&app, ride).await;
    }
    assert_eq!(taken, 1, "one seat taken, once");
    let withdrawals = app
        .outbox()
        .await
        .into_iter()
        .filter(|m| m.text.contains("another one was confirmed"))
        .count();
    assert_eq!(withdrawals, 49, "each withdrawn driver is told once");
}

/// Data from before the rule: a trip with two accepted rides and two
/// accepted stays. Migration 7, run again over it, keeps the booking of each
/// leg accepted first, cancels the other with a reason and gives its place
/// back.
async fn migration_7_keeps_the_first_accepted_booking_of_each_leg(app: TestApp) {
    let w = week(&app, false).await;
    let tia = &w.tia.1;
    let with_dee = ask_ok(&app, tia, w.trip, "ride", w.ride_dee).await;
    let with_eli = ask_ok(&app, tia, w.trip, "ride", w.ride_eli).await;
    let with_hal = ask_ok(&app, tia, w.trip, "stay", w.stay_hal).await;
    let with_ivy = ask_ok(&app, tia, w.trip, "stay", w.stay_ivy).await;
    let pool = &app.db.pool;
    pool.execute("DROP INDEX bookings_one_accepted_ride")
        .await
        .unwrap();
    pool.execute("DROP INDEX bookings_one_accepted_stay")
        .await
        .unwrap();
    // Rides: Dee's accepted first. Stays: Ivy's (the later request) first.
    for (booking, at) in [
        (with_dee, "2026-01-01T10:00:00Z"),
        (with_eli, "2026-01-01T11:00:00Z"),
        (with_hal, "2026-01-01T11:00:00Z"),
        (with_ivy, "2026-01-01T10:00:00Z"),
    ] {
        sqlx::query("UPDATE bookings SET status = 'accepted', updated_at = $1 WHERE id = $2")
            .bind(at)
            .bind(booking)
            .execute(pool)
            .await
            .unwrap();
    }
    sqlx::query("UPDATE rides SET seats_taken = 1 WHERE id IN ($1, $2)")
        .bind(w.ride_dee)
        .bind(w.ride_eli)
        .execute(pool)
        .await
        .unwrap();
    for stay in [w.stay_hal, w.stay_ivy] {
        for n in 10..14 {
            sqlx::query(
                "INSERT INTO stay_nights_taken (stay_id, night, beds_taken) VALUES ($1, $2, 1)",
            )
            .bind(stay)
            .bind(day(&app, n).to_string())
            .execute(pool)
            .await
            .unwrap();
        }
    }
    let events = app.count("booking_events").await;

    let sql = trip_planner::store::db::migration_sql(7, app.db.backend).expect("migration 7");
    pool.execute(sql.as_str()).await.unwrap();

    assert_eq!(status_of(&app, with_dee).await, "accepted");
    assert_eq!(status_of(&app, with_eli).await, "cancelled");
    assert_eq!(status_of(&app, with_ivy).await, "accepted");
    assert_eq!(status_of(&app, with_hal).await, "cancelled");
    assert_eq!(seats_taken(&app, w.ride_dee).await, 1);
    assert_eq!(seats_taken(&app, w.ride_eli).await, 0);
    assert_eq!(beds_taken(&app, w.stay_ivy).await, vec![1, 1, 1, 1]);
    assert_eq!(beds_taken(&app, w.stay_hal).await, vec![0, 0, 0, 0]);
    assert_eq!(app.count("booking_events").await, events + 2);
    let page = app.get_with(tia, &format!("/bookings/{with_eli}")).await;
    assert_eq!(page.text("#booking-status"), "Cancelled");
    assert!(
        page.body.contains("confirmed first"),
        "the reason is shown: {}",
        page.text("main")
    );
    let at: String =
        sqlx::query("SELECT at FROM booking_events WHERE booking_id = $1 ORDER BY id DESC")
            .bind(with_eli)
            .fetch_one(pool)
            .await
            .unwrap()
            .get("at");
    assert!(
        chrono::DateTime::parse_from_rfc3339(&at).is_ok() && at.ends_with('Z') && at.len() == 20,
        "a timestamp as the app writes them: {at}"
    );
    // The indexes are back: a second accepted ride is refused.
    let second = sqlx::query("UPDATE bookings SET status = 'accepted' WHERE id = $1")
        .bind(with_eli)
        .execute(pool)
        .await;
    assert!(
        second
            .as_ref()
            .is_err_and(trip_planner::store::db::is_unique_violation),
        "{second:?}"
    );
}

async fn the_trip_page_names_a_confirmed_leg_instead_of_saying_nothing_fits(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, dee) = app.user("Dee Driver").home("60601").signed_in().await;
    let (_, hal) = app.user("Hal Host").home("53202").signed_in().await;
    let ride = app.ride(mke).seats(1).create(&dee).await;
    let stay = app.stay().beds(1).create(&hal).await;
    let (_, tia) = app.user("Tia Traveller").signed_in().await;
    let trip = app.trip(mke).create(&tia).await;
    let page = app.get_with(&tia, &format!("/trips/{trip}")).await;
    assert_eq!(page.texts("#rides form.request-form").len(), 1);
    assert_eq!(page.texts("#stays form.request-form").len(), 1);
    assert!(page.texts(".leg-confirmed").is_empty());

    let to_dee = ask_ok(&app, &tia, trip, "ride", ride).await;
    let to_hal = ask_ok(&app, &tia, trip, "stay", stay).await;
    app.post_with(&dee, &format!("/bookings/{to_dee}/accept"), &[])
        .await;
    app.post_with(&hal, &format!("/bookings/{to_hal}/accept"), &[])
        .await;

    let page = app.get_with(&tia, &format!("/trips/{trip}")).await;
    assert_eq!(
        page.text("#ride-confirmed"),
        "Your ride is confirmed with Dee; cancel it first to choose another."
    );
    assert_eq!(
        page.attr("#ride-confirmed a", "href"),
        Some(format!("/bookings/{to_dee}"))
    );
    assert_eq!(
        page.text("#bed-confirmed"),
        "Your bed is confirmed with Hal; cancel it first to choose another."
    );
    assert!(
        !page.text("#stays").contains("No beds fit"),
        "{}",
        page.text("#stays")
    );
    assert!(
        !page.text("#rides").contains("No rides fit"),
        "{}",
        page.text("#rides")
    );
    assert!(page.texts("form.request-form").is_empty());
    assert!(page.text("#plan").contains("Ride with Dee Driver"));
    assert!(page.text("#plan").contains("Sleeping at Hal Host's"));

    // Another ride that fits is shown, but not offered.
    let (_, eli) = app.user("Eli Driver").home("60601").signed_in().await;
    app.ride(mke).create(&eli).await;
    let page = app.get_with(&tia, &format!("/trips/{trip}")).await;
    assert!(
        page.text("#rides").contains("Eli"),
        "{}",
        page.text("#rides")
    );
    assert!(page.texts("#rides form.request-form").is_empty());
    assert!(!page.body.contains("Request a seat"));
}

async fn the_owners_inbox_says_what_each_request_is_for_and_when_it_expires(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, dee) = app.user("Dee Driver").home("60601").signed_in().await;
    let early = app.ride(mke).depart(day(&app, 9)).create(&dee).await;
    let late = app.ride(mke).depart(day(&app, 20)).create(&dee).await;
    let stay = app.stay().create(&dee).await;
    let (_, tia) = app.user("Tia Traveller").signed_in().await;
    let (_, uma) = app.user("Uma Traveller").signed_in().await;
    let tia_trip = app.trip(mke).create(&tia).await;
    let uma_trip = app.trip(mke).days(20, 23).create(&uma).await;
    let ask =
        |client: reqwest::Client, trip: i64, kind: &'static str, offer: i64, msg: &'static str| {
            let app = &app;
            async move {
                let page = app
                    .post_with(
                        &client,
                        &format!("/trips/{trip}/requests"),
                        &[
                            ("kind", kind),
                            ("offer_id", &offer.to_string()),
                            ("message", msg),
                        ],
                    )
                    .await;
                assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
                page.redirect_id("/bookings/")
            }
        };
    let a = ask(tia.clone(), tia_trip, "ride", early, "I can share fuel").await;
    let b = ask(uma.clone(), uma_trip, "ride", late, "").await;
    let c = ask(tia.clone(), tia_trip, "stay", stay, "Early riser <b>!</b>").await;

    let me = app.get_with(&dee, "/me").await;
    assert_eq!(me.texts("#waiting li.waiting-request").len(), 3);
    let fmt = |n: u64| day(&app, n).format("%a %b %-d").to_string();
    let row = |id: i64, css: &str| me.text(&format!("#request-{id} {css}"));
    assert_eq!(
        row(a, ".request-for"),
        format!("your ride to Milwaukee Field Office on {}", fmt(9))
    );
    assert_eq!(
        me.attr(&format!("#request-{a} .request-for"), "href"),
        Some(format!("/rides/{early}"))
    );
    assert_eq!(
        row(b, ".request-for"),
        format!("your ride to Milwaukee Field Office on {}", fmt(20))
    );
    assert_eq!(
        me.attr(&format!("#request-{b} .request-for"), "href"),
        Some(format!("/rides/{late}"))
    );
    let nights = format!(
        "the nights of {} to {}",
        day(&app, 10).format("%b %-d"),
        day(&app, 13).format("%b %-d")
    );
    assert_eq!(
        row(c, ".request-for"),
        format!("your beds in Milwaukee, WI for {nights}")
    );
    assert_eq!(
        me.attr(&format!("#request-{c} .request-for"), "href"),
        Some(format!("/stays/{stay}"))
    );
    assert_eq!(row(a, ".request-message"), "“I can share fuel”");
    assert!(me
        .texts(&format!("#request-{b} .request-message"))
        .is_empty());
    assert_eq!(row(c, ".request-message"), "“Early riser <b>!</b>”");
    assert!(!me.body.contains("<b>!</b>"), "escaped");
    for id in [a, b, c] {
        assert_eq!(
            row(id, ".request-expires"),
            "Expires in 2 days if you don't answer."
        );
    }
    assert!(row(a, "").contains("Tia from Chicago"));
    assert_eq!(
        me.texts(&format!("#request-{a} form[action='/bookings/{a}/accept']"))
            .len(),
        1
    );
    // Answered requests leave the inbox.
    app.post_with(&dee, &format!("/bookings/{b}/decline"), &[])
        .await;
    let me = app.get_with(&dee, "/me").await;
    assert_eq!(me.texts("#waiting li.waiting-request").len(), 2);
}
