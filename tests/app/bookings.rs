use chrono::Duration;
use reqwest::StatusCode;
use sqlx::Row;
use tokio::task::JoinSet;
use trip_planner::domain::ids::*;

use crate::helpers::{day, new_client, TestApp, PASSWORD};
use trip_planner::jobs::run_once;
use trip_planner::store::{rides, trips};

on_both_databases!(
    a_request_accepted_on_the_site_shares_contacts_with_both_sides_only,
    office_staff_see_their_office_bookings_and_nobody_else_does,
    staff_reading_contacts_on_a_booking_page_is_logged,
    an_email_link_confirms_with_one_post_and_works_once,
    every_illegal_transition_is_refused_and_changes_nothing,
    a_cancellation_needs_a_reason_and_gives_the_place_back,
    an_unanswered_request_reminds_once_then_expires_with_alternatives,
    a_request_expires_when_the_ride_leaves_if_that_is_sooner,
    edits_never_break_an_accepted_booking,
    cancelling_an_offer_or_a_trip_ends_its_bookings_with_notice,
    an_instant_offer_books_at_once_until_it_is_full,
    unverified_accounts_can_browse_but_not_offer_or_request,
    the_day_before_both_sides_get_a_reminder_once,
    a_hundred_travellers_racing_for_five_seats_get_exactly_five,
    a_hundred_travellers_racing_for_three_beds_get_exactly_three,
);

/// The /b/{token} links in the last email to `to`.
async fn links_to(app: &TestApp, to: &str) -> Vec<String> {
    let mail = app.last_mail_to(to).await.expect("an email");
    mail.text
        .split_whitespace()
        .filter_map(|w| {
            w.find("/b/")
                .map(|i| w[i..].trim_end_matches(['.', ',']).to_string())
        })
        .collect()
}

struct Scene {
    driver: (i64, reqwest::Client),
    traveller: (i64, reqwest::Client),
    ride_id: i64,
    trip_id: i64,
}

/// A Chicago driver to Milwaukee and a Chicago traveller whose trip fits.
async fn scene(app: &TestApp, seats: i32) -> Scene {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let driver = app.user("Dee Driver").home("60601").signed_in().await;
    let ride_id = app.ride(mke).seats(seats).create(&driver.1).await;
    let traveller = app.user("Tia Traveller").signed_in().await;
    let trip_id = app.trip(mke).create(&traveller.1).await;
    Scene {
        driver,
        traveller,
        ride_id,
        trip_id,
    }
}

async fn request_ride(app: &TestApp, s: &Scene) -> i64 {
    let page = app
        .post_with(
            &s.traveller.1,
            &format!("/trips/{}/requests", s.trip_id),
            &[
                ("kind", "ride"),
                ("offer_id", &s.ride_id.to_string()),
                ("message", "I can share fuel"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    page.redirect_id("/bookings/")
}

async fn a_request_accepted_on_the_site_shares_contacts_with_both_sides_only(app: TestApp) {
    let s = scene(&app, 3).await;
    let bid = request_ride(&app, &s).await;
    let mine = app
        .get_with(&s.traveller.1, &format!("/bookings/{bid}"))
        .await;
    assert_eq!(mine.text("#booking-status"), "Waiting for an answer");
    assert!(mine
        .texts(".flash.ok")
        .join(" ")
        .contains("Request sent to Dee"));
    assert!(
        !mine.body.contains("dee@example.org") && !mine.body.contains("555"),
        "no contacts before acceptance"
    );
    let trip_page = app
        .get_with(&s.traveller.1, &format!("/trips/{}", s.trip_id))
        .await;
    assert!(trip_page
        .text("#plan")
        .contains("Ride requested, waiting for Dee"));
    assert!(trip_page.text("#plan").contains("No bed yet"));

    let mails = app.outbox().await;
    let mail = mails.last().unwrap();
    assert_eq!(mail.to, "dee@example.org");
    assert!(
        mail.subject.contains("Tia asks for a seat"),
        "{}",
        mail.subject
    );
    assert!(
        mail.text.contains("I can share fuel") && mail.text.contains("/b/"),
        "{}",
        mail.text
    );

    let ride_page = app
        .get_with(&s.driver.1, &format!("/rides/{}", s.ride_id))
        .await;
    assert!(ride_page.text("#bookings").contains("Tia from Chicago, IL"));
    let accepted = app
        .post_with(&s.driver.1, &format!("/bookings/{bid}/accept"), &[])
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);
    // The confirmation comes with the redirect, shown once by name, never echoed.
    let confirmed = app.follow_with(&s.driver.1, &accepted).await;
    assert_eq!(
        confirmed.text(".flash.ok"),
        "Accepted. You'll find their contact details below."
    );
    let forged = app
        .get_with(
            &s.driver.1,
            &format!("/bookings/{bid}?done=%3Cscript%3Ealert(1)%3C/script%3E"),
        )
        .await;
    assert_eq!(forged.status, StatusCode::OK);
    assert!(forged.texts(".flash.ok").is_empty());
    assert!(!forged.body.contains("<script>alert(1)"));
    let theirs = app.get_with(&s.driver.1, &format!("/bookings/{bid}")).await;
    assert_eq!(theirs.text("#booking-status"), "Confirmed");
    assert!(theirs.texts(".flash.ok").is_empty(), "shown once");
    assert!(theirs.text("#traveller").contains("Tia Traveller"));
    assert!(theirs.text("#traveller").contains("tia@example.org"));
    assert!(theirs.text("#traveller").contains("(555) 123-4567"));
    let mine = app
        .get_with(&s.traveller.1, &format!("/bookings/{bid}"))
        .await;
    assert!(
        mine.text("#owner").contains("Dee Driver")
            && mine.text("#owner").contains("dee@example.org")
    );
    assert_eq!(
        mine.texts("#history li").len(),
        2,
        "requested and accepted, with who and when"
    );
    assert!(mine.text("#history").contains("Confirmed · Dee"));
    let trip_page = app
        .get_with(&s.traveller.1, &format!("/trips/{}", s.trip_id))
        .await;
    assert!(trip_page.text("#plan").contains("Ride with Dee Driver"));

    let ride = rides::by_id(&app.db.pool, RideId(s.ride_id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ride.seats_taken, 1);
    let mails = app.outbox().await;
    assert!(mails.iter().any(|m| m.to == "tia@example.org"
        && m.subject.starts_with("Confirmed")
        && m.text.contains("dee@example.org")));
}

async fn office_staff_see_their_office_bookings_and_nobody_else_does(app: TestApp) {
    let s = scene(&app, 3).await;
    let bid = request_ride(&app, &s).await;
    app.post_with(&s.driver.1, &format!("/bookings/{bid}/accept"), &[])
        .await;
    let (_, stranger) = app.user("Sam Stranger").home("10001").signed_in().await;
    assert_eq!(
        app.get_with(&stranger, &format!("/bookings/{bid}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post_with(
            &stranger,
            &format!("/bookings/{bid}/cancel"),
            &[("reason", "x")]
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get_with(&new_client(), &format!("/bookings/{bid}"))
            .await
            .status,
        StatusCode::SEE_OTHER
    );

    let mke = trips::by_id(&app.db.pool, TripId(s.trip_id))
        .await
        .unwrap()
        .unwrap()
        .office_id;
    let reno = app.office("Reno Field Office", "89501").create().await;
    let (_, staff) = app
        .user("Stef Staff")
        .email("staff@example.org")
        .home("53202")
        .staff_of(mke.get())
        .signed_in()
        .await;
    let (_, other_staff) = app
        .user("Otto Staff")
        .email("other@example.org")
        .home("89501")
        .staff_of(reno)
        .signed_in()
        .await;
    let page = app.get_with(&staff, &format!("/bookings/{bid}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text("#traveller").contains("tia@example.org"));
    assert!(
        page.texts("#actions form").is_empty(),
        "staff read; they do not answer"
    );
    assert_eq!(
        app.get_with(&other_staff, &format!("/bookings/{bid}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

/// Who read whose contact details: (staff, office, person), distinct.
async fn contact_reads(app: &TestApp) -> Vec<(i64, i64, i64)> {
    sqlx::query(
        "SELECT DISTINCT staff_id, office_id, traveller_id FROM contact_reads \
         ORDER BY staff_id, office_id, traveller_id",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
    .iter()
    .map(|r| (r.get("staff_id"), r.get("office_id"), r.get("traveller_id")))
    .collect()
}

async fn staff_reading_contacts_on_a_booking_page_is_logged(app: TestApp) {
    let s = scene(&app, 3).await;
    let bid = request_ride(&app, &s).await;
    let mke = trips::by_id(&app.db.pool, TripId(s.trip_id))
        .await
        .unwrap()
        .unwrap()
        .office_id
        .get();
    let (staff_id, staff) = app
        .user("Stef Staff")
        .home("53202")
        .staff_of(mke)
        .signed_in()
        .await;

    // Before acceptance there is nothing to read.
    let page = app.get_with(&staff, &format!("/bookings/{bid}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("tia@example.org"));
    assert!(contact_reads(&app).await.is_empty());

    app.post_with(&s.driver.1, &format!("/bookings/{bid}/accept"), &[])
        .await;
    // The two people reading their own booking are not logged…
    for client in [&s.driver.1, &s.traveller.1] {
        let page = app.get_with(client, &format!("/bookings/{bid}")).await;
        assert!(page.body.contains("tia@example.org"));
    }
    assert!(contact_reads(&app).await.is_empty());
    // …staff reading both people's details are.
    let page = app.get_with(&staff, &format!("/bookings/{bid}")).await;
    assert!(page.text("#traveller").contains("tia@example.org"));
    assert!(page.body.contains("dee@example.org"));
    let mut expected = vec![(staff_id, mke, s.traveller.0), (staff_id, mke, s.driver.0)];
    expected.sort();
    assert_eq!(contact_reads(&app).await, expected);
}

async fn an_email_link_confirms_with_one_post_and_works_once(app: TestApp) {
    let s = scene(&app, 3).await;
    let bid = request_ride(&app, &s).await;
    let links = links_to(&app, "dee@example.org").await;
    assert_eq!(links.len(), 2, "accept and decline: {links:?}");
    let accept = &links[0];
    let anon = new_client();
    let page = app.get_with(&anon, accept).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text("h1").contains("Accept this request?"));
    let b = trip_planner::store::bookings::by_id(&app.db.pool, BookingId(bid))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(b.status.as_str(), "requested", "a GET changes nothing");
    let done = app.post_with(&anon, accept, &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let b = trip_planner::store::bookings::by_id(&app.db.pool, BookingId(bid))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(b.status.as_str(), "accepted");
    let again = app.post_with(&anon, accept, &[]).await;
    assert!(
        again.body.contains("This request was already accepted."),
        "{}",
        again.body
    );
    let decline = app.get_with(&anon, &links[1]).await;
    assert!(
        decline.body.contains("This request was already accepted."),
        "answering retires the other link too, and it says how it was answered"
    );
    assert!(app
        .get_with(&anon, "/b/0000")
        .await
        .body
        .contains("not valid"));

    // An unused link expires with the request.
    let (_, c2) = app.user("Tom Two").signed_in().await;
    let mke = trips::by_id(&app.db.pool, TripId(s.trip_id))
        .await
        .unwrap()
        .unwrap()
        .office_id;
    let trip2 = app.trip(mke.get()).create(&c2).await;
    app.ask(&c2, trip2, "ride", s.ride_id).await;
    let links = links_to(&app, "dee@example.org").await;
    app.clock.set(chrono::Utc::now() + Duration::hours(80));
    let page = app.post_with(&anon, &links[0], &[]).await;
    assert!(page.body.contains("expired"), "{}", page.body);
    assert_eq!(
        rides::by_id(&app.db.pool, RideId(s.ride_id))
            .await
            .unwrap()
            .unwrap()
            .seats_taken,
        1
    );
}

async fn every_illegal_transition_is_refused_and_changes_nothing(app: TestApp) {
    let s = scene(&app, 3).await;
    let bid = request_ride(&app, &s).await;
    let own = app
        .post_with(&s.traveller.1, &format!("/bookings/{bid}/accept"), &[])
        .await;
    assert_eq!(own.status, StatusCode::CONFLICT);
    assert!(own.body.contains("Only the other person"));
    let early_cancel = app
        .post_with(
            &s.traveller.1,
            &format!("/bookings/{bid}/cancel"),
            &[("reason", "x")],
        )
        .await;
    assert_eq!(early_cancel.status, StatusCode::CONFLICT);
    assert!(early_cancel.body.contains("withdraw"));
    let dup = app.ask(&s.traveller.1, s.trip_id, "ride", s.ride_id).await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    assert!(dup.body.contains("already asked"));
    assert_eq!(
        app.post_with(&s.driver.1, &format!("/bookings/{bid}/explode"), &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    assert_eq!(
        app.post_with(&s.driver.1, &format!("/bookings/{bid}/decline"), &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    for (who, action) in [
        (&s.driver.1, "accept"),
        (&s.traveller.1, "withdraw"),
        (&s.driver.1, "decline"),
    ] {
        let p = app
            .post_with(who, &format!("/bookings/{bid}/{action}"), &[])
            .await;
        assert_eq!(p.status, StatusCode::CONFLICT, "{action}");
        assert!(
            p.text("#e-actions")
                .contains("declined and can't be changed"),
            "{action}: {}",
            p.body
        );
    }
    assert!(app
        .outbox()
        .await
        .iter()
        .any(|m| m.to == "tia@example.org" && m.subject.starts_with("Not this time")));
    // A fresh request can be withdrawn, and then nothing more.
    let bid2 = request_ride(&app, &s).await;
    assert_eq!(
        app.post_with(&s.traveller.1, &format!("/bookings/{bid2}/withdraw"), &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.post_with(&s.driver.1, &format!("/bookings/{bid2}/accept"), &[])
            .await
            .status,
        StatusCode::CONFLICT
    );
    assert!(app
        .outbox()
        .await
        .iter()
        .any(|m| m.to == "dee@example.org" && m.subject.contains("withdrew")));
    assert_eq!(
        rides::by_id(&app.db.pool, RideId(s.ride_id))
            .await
            .unwrap()
            .unwrap()
            .seats_taken,
        0
    );
}

async fn a_cancellation_needs_a_reason_and_gives_the_place_back(app: TestApp) {
    let s = scene(&app, 1).await;
    let bid = request_ride(&app, &s).await;
    app.post_with(&s.driver.1, &format!("/bookings/{bid}/accept"), &[])
        .await;
    assert_eq!(
        rides::by_id(&app.db.pool, RideId(s.ride_id))
            .await
            .unwrap()
            .unwrap()
            .seats_taken,
        1
    );
    let no_reason = app
        .post_with(
            &s.driver.1,
            &format!("/bookings/{bid}/cancel"),
            &[("reason", "  ")],
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        rides::by_id(&app.db.pool, RideId(s.ride_id))
            .await
            .unwrap()
            .unwrap()
            .seats_taken,
        1
    );
    let done = app
        .post_with(
            &s.driver.1,
            &format!("/bookings/{bid}/cancel"),
            &[("reason", "My car broke down")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(
        rides::by_id(&app.db.pool, RideId(s.ride_id))
            .await
            .unwrap()
            .unwrap()
            .seats_taken,
        0,
        "the seat is free again at once"
    );
    let mail = app.last_mail_to("tia@example.org").await.unwrap();
    assert!(mail.subject.starts_with("Cancelled") && mail.text.contains("My car broke down"));
    let page = app
        .get_with(&s.traveller.1, &format!("/bookings/{bid}"))
        .await;
    assert_eq!(page.text("#booking-status"), "Cancelled");
    assert!(
        !page.body.contains("dee@example.org"),
        "contacts are gone with the booking"
    );
}

async fn an_unanswered_request_reminds_once_then_expires_with_alternatives(app: TestApp) {
    let s = scene(&app, 3).await;
    // A second ride that fits, to be suggested when the first request expires.
    let mke = trips::by_id(&app.db.pool, TripId(s.trip_id))
        .await
        .unwrap()
        .unwrap()
        .office_id;
    let (_, d2) = app.user("Dan Second").home("60605").signed_in().await;
    app.ride(mke.get()).post(&d2).await;
    let bid = request_ride(&app, &s).await;
    let t0 = chrono::Utc::now();
    app.clock.set(t0 + Duration::hours(47));
    assert_eq!(run_once(&app.state).await.unwrap().reminded, 0);
    app.clock.set(t0 + Duration::hours(49));
    assert_eq!(run_once(&app.state).await.unwrap().reminded, 1);
    assert_eq!(run_once(&app.state).await.unwrap().reminded, 0, "once");
    let subj = app.last_mail_to("dee@example.org").await.unwrap().subject;
    assert!(subj.starts_with("Reminder"), "{subj}");
    app.clock.set(t0 + Duration::hours(71));
    assert_eq!(run_once(&app.state).await.unwrap().expired, 0);
    app.clock.set(t0 + Duration::hours(73));
    assert_eq!(run_once(&app.state).await.unwrap().expired, 1);
    let b = trip_planner::store::bookings::by_id(&app.db.pool, BookingId(bid))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(b.status.as_str(), "expired");
    let mail = app.last_mail_to("tia@example.org").await.unwrap();
    let (subj, text) = (mail.subject, mail.text);
    assert!(subj.starts_with("Expired"), "{subj}");
    assert!(
        text.contains("Dan from Chicago, IL"),
        "the next best match is offered: {text}"
    );
    assert!(!text.contains("Dee from"), "not the one that expired");
    assert_eq!(run_once(&app.state).await.unwrap().expired, 0);
}

async fn a_request_expires_when_the_ride_leaves_if_that_is_sooner(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (driver_id, driver) = app.user("Dee Driver").home("60601").signed_in().await;
    let tomorrow = day(&app, 1).to_string();
    let ride = app
        .ride(mke)
        .depart(day(&app, 1))
        .depart_time("08:00")
        .create(&driver)
        .await;
    let (_, t) = app.user("Tia Traveller").signed_in().await;
    let trip = app.trip(mke).days(1, 3).create(&t).await;
    let bid = app
        .ask(&t, trip, "ride", ride)
        .await
        .redirect_id("/bookings/");
    let b = trip_planner::store::bookings::by_id(&app.db.pool, BookingId(bid))
        .await
        .unwrap()
        .unwrap();
    // 08:00 in Chicago is 14:00 UTC in winter and 13:00 in summer.
    let leaves_utc = b.expires_at.clone();
    assert!(leaves_utc.starts_with(&tomorrow), "{leaves_utc}");
    assert!(
        leaves_utc.ends_with("T14:00:00Z") || leaves_utc.ends_with("T13:00:00Z"),
        "{leaves_utc}"
    );
    let _ = driver_id;
}

async fn edits_never_break_an_accepted_booking(app: TestApp) {
    let s = scene(&app, 2).await;
    let bid = request_ride(&app, &s).await;
    app.post_with(&s.driver.1, &format!("/bookings/{bid}/accept"), &[])
        .await;
    let ride = rides::by_id(&app.db.pool, RideId(s.ride_id))
        .await
        .unwrap()
        .unwrap();
    let (office_id, date) = (ride.office_id.to_string(), ride.depart_date.to_string());
    let zero = app
        .post_with(
            &s.driver.1,
            &format!("/rides/{}", s.ride_id),
            &[
                ("office_id", &office_id),
                ("from", "60601"),
                ("depart_date", &date),
                ("seats", "0"),
            ],
        )
        .await;
    assert_eq!(zero.status, StatusCode::UNPROCESSABLE_ENTITY);
    let moved = app
        .post_with(
            &s.driver.1,
            &format!("/rides/{}", s.ride_id),
            &[
                ("office_id", &office_id),
                ("from", "60601"),
                ("depart_date", &day(&app, 9).to_string()),
                ("seats", "2"),
            ],
        )
        .await;
    assert_eq!(moved.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(moved
        .text("#e-depart_date")
        .contains("Cancel their bookings first"));
    let trip = trips::by_id(&app.db.pool, TripId(s.trip_id))
        .await
        .unwrap()
        .unwrap();
    let t_office = trip.office_id.to_string();
    let redate = app
        .post_with(
            &s.traveller.1,
            &format!("/trips/{}", s.trip_id),
            &[
                ("office_id", &t_office),
                ("from", "60616"),
                ("arrive", &day(&app, 11).to_string()),
                ("leave", &day(&app, 14).to_string()),
                ("party_size", "1"),
                ("needs_ride", "on"),
            ],
        )
        .await;
    assert_eq!(redate.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(redate.text("#e-arrive").contains("Cancel them first"));
    assert_eq!(
        trips::by_id(&app.db.pool, TripId(s.trip_id))
            .await
            .unwrap()
            .unwrap()
            .arrive,
        trip.arrive
    );

    // A stay: a booked night can't be blocked and beds can't drop below guests.
    let host = app.user("Hal Host").home("53202").signed_in().await;
    let stay = app.stay().beds(2).create(&host.1).await;
    let sb = app
        .ask(&s.traveller.1, s.trip_id, "stay", stay)
        .await
        .redirect_id("/bookings/");
    assert_eq!(
        app.post_with(&host.1, &format!("/bookings/{sb}/accept"), &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let (first, last) = (day(&app, 5).to_string(), day(&app, 20).to_string());
    let booked_night = day(&app, 11).to_string();
    let block = app
        .post_with(
            &host.1,
            &format!("/stays/{stay}"),
            &[
                ("place", "53202"),
                ("beds", "2"),
                ("first_night", &first),
                ("last_night", &last),
                ("blocked_nights", &booked_night),
            ],
        )
        .await;
    assert_eq!(block.status, StatusCode::UNPROCESSABLE_ENTITY);
    let shrink_nights = app
        .post_with(
            &host.1,
            &format!("/stays/{stay}"),
            &[
                ("place", "53202"),
                ("beds", "2"),
                ("first_night", &first),
                ("last_night", &day(&app, 11).to_string()),
            ],
        )
        .await;
    assert_eq!(shrink_nights.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut conn = app.db.pool.acquire().await.unwrap();
    let st = trip_planner::store::stays::by_id(&mut conn, StayId(stay))
        .await
        .unwrap()
        .unwrap();
    assert!(
        st.blocked.is_empty() && st.last_night == day(&app, 20),
        "nothing changed"
    );
    assert_eq!(
        st.taken.values().copied().collect::<Vec<_>>(),
        vec![1, 1, 1, 1],
        "one bed on each of the 4 nights"
    );
}

async fn cancelling_an_offer_or_a_trip_ends_its_bookings_with_notice(app: TestApp) {
    let s = scene(&app, 3).await;
    let bid = request_ride(&app, &s).await;
    app.post_with(&s.driver.1, &format!("/bookings/{bid}/accept"), &[])
        .await;
    let (_, t2) = app.user("Tom Two").signed_in().await;
    let mke = trips::by_id(&app.db.pool, TripId(s.trip_id))
        .await
        .unwrap()
        .unwrap()
        .office_id;
    let trip2 = app.trip(mke.get()).create(&t2).await;
    let pending = app
        .ask(&t2, trip2, "ride", s.ride_id)
        .await
        .redirect_id("/bookings/");

    assert_eq!(
        app.post_with(&s.driver.1, &format!("/rides/{}/cancel", s.ride_id), &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let pool = app.db.pool.clone();
    let status = |id: i64| {
        let pool = pool.clone();
        async move {
            trip_planner::store::bookings::by_id(&pool, BookingId(id))
                .await
                .unwrap()
                .unwrap()
                .status
                .as_str()
        }
    };
    assert_eq!(status(bid).await, "cancelled");
    assert_eq!(status(pending).await, "declined");
    let mails = app.outbox().await;
    assert!(mails.iter().any(|m| m.to == "tia@example.org"
        && m.subject.starts_with("Cancelled")
        && m.text.contains("The offer was cancelled")));
    assert!(mails
        .iter()
        .any(|m| m.to == "tom@example.org" && m.subject.starts_with("Not this time")));

    // A trip's cancellation ends its bookings too, telling the host.
    let host = app.user("Hal Host").home("53202").signed_in().await;
    let stay = app.stay().create(&host.1).await;
    let sb = app
        .ask(&t2, trip2, "stay", stay)
        .await
        .redirect_id("/bookings/");
    app.post_with(&host.1, &format!("/bookings/{sb}/accept"), &[])
        .await;
    assert_eq!(
        app.post_with(&t2, &format!("/trips/{trip2}/cancel"), &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(status(sb).await, "cancelled");
    let mut conn = app.db.pool.acquire().await.unwrap();
    let st = trip_planner::store::stays::by_id(&mut conn, StayId(stay))
        .await
        .unwrap()
        .unwrap();
    assert!(
        st.taken.values().all(|n| *n == 0),
        "the beds are free again"
    );
    assert!(app
        .outbox()
        .await
        .iter()
        .any(|m| m.to == "hal@example.org" && m.text.contains("The trip was cancelled")));
}

async fn an_instant_offer_books_at_once_until_it_is_full(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, driver) = app.user("Dee Driver").home("60601").signed_in().await;
    let ride = app.ride(mke).seats(1).instant().create(&driver).await;
    let (_, t1) = app.user("Tia One").signed_in().await;
    let (_, t2) = app.user("Tom Two").signed_in().await;
    let trip1 = app.trip(mke).create(&t1).await;
    let trip2 = app.trip(mke).create(&t2).await;
    let p = app.ask(&t1, trip1, "ride", ride).await;
    let page = app.get_with(&t1, p.location().unwrap()).await;
    assert_eq!(page.text("#booking-status"), "Confirmed");
    assert!(page.texts(".flash.ok").join(" ").contains("Booked"));
    // The full ride no longer matches Tom's trip, so it can't be requested.
    let full = app.ask(&t2, trip2, "ride", ride).await;
    assert_eq!(full.status, StatusCode::CONFLICT);
    assert_eq!(
        rides::by_id(&app.db.pool, RideId(ride))
            .await
            .unwrap()
            .unwrap()
            .seats_taken,
        1
    );
}

async fn unverified_accounts_can_browse_but_not_offer_or_request(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    app.user("Nina New").sign_up().await;
    app.login("nina@example.org", PASSWORD).await;
    assert_eq!(app.get("/offices").await.status, StatusCode::OK);
    let ride = app.ride(mke).post(&app.client).await;
    assert_eq!(ride.status, StatusCode::CONFLICT);
    assert!(ride.body.contains("confirm your email"));
    let stay = app.stay().post(&app.client).await;
    assert_eq!(stay.status, StatusCode::CONFLICT);
    assert_eq!(app.count("rides").await + app.count("stays").await, 0);
    let (_, driver) = app.user("Dee Driver").home("60601").signed_in().await;
    let ride_id = app.ride(mke).create(&driver).await;
    let trip_id = app.trip(mke).create(&app.client).await;
    let req = app.ask(&app.client, trip_id, "ride", ride_id).await;
    assert_eq!(req.status, StatusCode::CONFLICT);
    assert_eq!(app.count("bookings").await, 0);
}

async fn the_day_before_both_sides_get_a_reminder_once(app: TestApp) {
    let s = scene(&app, 3).await;
    let bid = request_ride(&app, &s).await;
    app.post_with(&s.driver.1, &format!("/bookings/{bid}/accept"), &[])
        .await;
    let ride = rides::by_id(&app.db.pool, RideId(s.ride_id))
        .await
        .unwrap()
        .unwrap();
    let before = ride.depart_date.pred_opt().unwrap().pred_opt().unwrap();
    app.clock
        .set(before.and_hms_opt(12, 0, 0).unwrap().and_utc());
    assert_eq!(run_once(&app.state).await.unwrap().day_before, 0);
    app.clock.set(
        ride.depart_date
            .pred_opt()
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap()
            .and_utc(),
    );
    assert_eq!(run_once(&app.state).await.unwrap().day_before, 1);
    assert_eq!(run_once(&app.state).await.unwrap().day_before, 0);
    let mails = app.outbox().await;
    let tomorrow: Vec<_> = mails
        .iter()
        .filter(|m| m.subject.starts_with("Tomorrow"))
        .map(|m| m.to.as_str())
        .collect();
    assert_eq!(tomorrow, vec!["tia@example.org", "dee@example.org"]);
}

/// Many accounts, each with a trip that fits, logged in on their own client.
async fn crowd(app: &TestApp, n: usize, office_id: i64) -> Vec<(reqwest::Client, i64)> {
    let mut people = vec![];
    for i in 0..n {
        let email = format!("t{i}@example.org");
        let id = app
            .user(&format!("Traveller {i}"))
            .email(&email)
            .no_phone()
            .create()
            .await;
        let trip = app.trip(office_id).insert(id).await;
        people.push((email, trip));
    }
    let mut logins = JoinSet::new();
    for (email, trip) in people {
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
            (c, trip)
        });
    }
    logins.join_all().await
}

/// Every client asks at once; returns the statuses and bodies.
async fn race(
    app: &TestApp,
    people: Vec<(reqwest::Client, i64)>,
    kind: &str,
    offer_id: i64,
) -> Vec<(StatusCode, String)> {
    let mut all = JoinSet::new();
    for (c, trip) in people {
        let url = app.url(&format!("/trips/{trip}/requests"));
        let kind = kind.to_string();
        all.spawn(async move {
            let r = c
                .post(url)
                .form(&[
                    ("kind", kind.as_str()),
                    ("offer_id", &offer_id.to_string()),
                    ("message", ""),
                ])
                .send()
                .await
                .unwrap();
            let status = r.status();
            (status, r.text().await.unwrap())
        });
    }
    all.join_all().await
}

async fn a_hundred_travellers_racing_for_five_seats_get_exactly_five(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, driver) = app.user("Dee Driver").signed_in().await;
    let ride = app.ride(mke).seats(5).instant().create(&driver).await;
    let people = crowd(&app, 100, mke).await;
    let results = race(&app, people, "ride", ride).await;
    let won = results
        .iter()
        .filter(|(s, _)| *s == StatusCode::SEE_OTHER)
        .count();
    assert_eq!(
        won,
        5,
        "{:?}",
        results.iter().map(|r| r.0).collect::<Vec<_>>()
    );
    for (status, body) in &results {
        assert!(status.as_u16() < 500, "{status}: {body}");
        if *status != StatusCode::SEE_OTHER {
            assert_eq!(*status, StatusCode::CONFLICT);
            assert!(
                body.contains("now full") || body.contains("does not fit"),
                "a clear answer: {body}"
            );
        }
    }
    assert_eq!(
        rides::by_id(&app.db.pool, RideId(ride))
            .await
            .unwrap()
            .unwrap()
            .seats_taken,
        5
    );
    let accepted: i64 = sqlx::query("SELECT COUNT(*) AS n FROM bookings WHERE status = 'accepted'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get("n");
    assert_eq!(accepted, 5);
}

async fn a_hundred_travellers_racing_for_three_beds_get_exactly_three(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, host) = app.user("Hal Host").home("53202").signed_in().await;
    let stay = app.stay().beds(3).instant().create(&host).await;
    let people = crowd(&app, 100, mke).await;
    let results = race(&app, people, "stay", stay).await;
    let won = results
        .iter()
        .filter(|(s, _)| *s == StatusCode::SEE_OTHER)
        .count();
    assert_eq!(won, 3);
    for (status, body) in &results {
        assert!(status.as_u16() < 500, "{status}: {body}");
        if *status != StatusCode::SEE_OTHER {
            assert!(
                body.contains("no longer free") || body.contains("do not fit"),
                "a clear answer: {body}"
            );
        }
    }
    let mut conn = app.db.pool.acquire().await.unwrap();
    let st = trip_planner::store::stays::by_id(&mut conn, StayId(stay))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        st.taken.values().copied().collect::<Vec<_>>(),
        vec![3, 3, 3, 3],
        "three beds on each night, never more"
    );
}
