//! The small forms on booking, offer and dashboard pages: a value that is
//! refused, or a state that changed under an old page, brings the same page
//! back with the message beside the form — never a bare error page — and
//! nothing is written.

use reqwest::StatusCode;

use crate::helpers::{day, TestApp};

on_both_databases!(
    cancelling_without_a_reason_brings_the_booking_back_with_the_message,
    answering_an_answered_request_comes_back_on_the_booking_page,
    a_refused_pause_or_resume_comes_back_on_the_offer_or_trip_page,
    a_check_in_or_nudge_for_a_cancelled_trip_comes_back_in_place,
    required_fields_say_so_and_optional_ones_do_not,
);

async fn cancelling_without_a_reason_brings_the_booking_back_with_the_message(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, ann) = app.user("Ann Lee").signed_in().await;
    let trip = app.trip(mke).no_bed().create(&ann).await;
    let (_, dee) = app.user("Dee Driver").home("60601").signed_in().await;
    let ride = app.ride(mke).instant().create(&dee).await;
    let booking = app
        .ask(&ann, trip, "ride", ride)
        .await
        .redirect_id("/bookings/");
    let shown = app.get_with(&ann, &format!("/bookings/{booking}")).await;
    assert!(
        shown.attr("#f-reason", "required").is_some(),
        "the browser asks for a reason first"
    );
    let mails = app.outbox().await.len();

    let page = app
        .post_with(
            &ann,
            &format!("/bookings/{booking}/cancel"),
            &[("reason", "   ")],
        )
        .await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    assert_eq!(page.text("h1"), "Ride to help at Milwaukee Field Office");
    assert_eq!(
        page.text("#e-reason"),
        "Say briefly why you cancel; the other person will read it."
    );
    assert_eq!(
        page.attr("#f-reason", "aria-invalid").as_deref(),
        Some("true")
    );
    assert_eq!(page.text("#booking-status"), "Confirmed");
    assert_eq!(page.text("header .who"), "Hi, Ann");

    // Too long: the message, and what was typed is kept.
    let long = "car trouble ".repeat(50);
    let page = app
        .post_with(
            &ann,
            &format!("/bookings/{booking}/cancel"),
            &[("reason", &long)],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        page.text("#e-reason"),
        "Keep the reason under 500 characters."
    );
    assert_eq!(page.text("#f-reason"), long.trim());

    let still = app.get_with(&ann, &format!("/bookings/{booking}")).await;
    assert_eq!(still.text("#booking-status"), "Confirmed");
    assert_eq!(app.outbox().await.len(), mails, "no email either");

    // With a reason it goes through.
    let done = app
        .post_with(
            &ann,
            &format!("/bookings/{booking}/cancel"),
            &[("reason", "Car broke down")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);

    // The other side's old page: the state is what matters, not the reason.
    let stale = app
        .post_with(
            &dee,
            &format!("/bookings/{booking}/cancel"),
            &[("reason", "")],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(
        stale.text("#e-actions"),
        "This request is cancelled and can't be changed any more."
    );
}

async fn answering_an_answered_request_comes_back_on_the_booking_page(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, ann) = app.user("Ann Lee").signed_in().await;
    let trip = app.trip(mke).no_bed().create(&ann).await;
    let (_, dee) = app.user("Dee Driver").home("60601").signed_in().await;
    let ride = app.ride(mke).create(&dee).await;
    let booking = app
        .ask(&ann, trip, "ride", ride)
        .await
        .redirect_id("/bookings/");
    let accepted = app
        .post_with(&dee, &format!("/bookings/{booking}/accept"), &[])
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);

    // From an old page: decline after accepting, withdraw after acceptance.
    let page = app
        .post_with(&dee, &format!("/bookings/{booking}/decline"), &[])
        .await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.body);
    assert_eq!(page.text("h1"), "Ride to help at Milwaukee Field Office");
    assert_eq!(
        page.text("#e-actions"),
        "This booking is already confirmed; cancel it instead, with a reason."
    );
    let page = app
        .post_with(&ann, &format!("/bookings/{booking}/withdraw"), &[])
        .await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(page.text("#e-actions").contains("already confirmed"));
    assert_eq!(page.text("#booking-status"), "Confirmed");
}

async fn a_refused_pause_or_resume_comes_back_on_the_offer_or_trip_page(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, dee) = app.user("Dee Driver").home("60601").signed_in().await;
    let ride = app.ride(mke).create(&dee).await;
    let stay = app.stay().create(&dee).await;
    let (_, ann) = app.user("Ann Lee").signed_in().await;
    let trip = app.trip(mke).create(&ann).await;

    let page = app
        .post_with(&dee, &format!("/rides/{ride}/resume"), &[])
        .await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.body);
    assert_eq!(page.text("h1"), "Ride to Milwaukee Field Office");
    assert_eq!(page.text("#e-status"), "This is already open.");

    let paused = app
        .post_with(&dee, &format!("/stays/{stay}/pause"), &[])
        .await;
    assert_eq!(paused.status, StatusCode::SEE_OTHER);
    let page = app
        .post_with(&dee, &format!("/stays/{stay}/pause"), &[])
        .await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert_eq!(page.text("#e-status"), "This is already paused.");

    let cancelled = app
        .post_with(&ann, &format!("/trips/{trip}/cancel"), &[])
        .await;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER);
    let page = app
        .post_with(&ann, &format!("/trips/{trip}/resume"), &[])
        .await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert_eq!(page.text("h1"), "Trip to Milwaukee Field Office");
    assert_eq!(
        page.text("#e-status"),
        "This is cancelled and can't be changed."
    );

    // An action that does not exist is still simply not found.
    let odd = app
        .post_with(&dee, &format!("/rides/{ride}/explode"), &[])
        .await;
    assert_eq!(odd.status, StatusCode::NOT_FOUND);
}

async fn a_check_in_or_nudge_for_a_cancelled_trip_comes_back_in_place(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, ann) = app.user("Ann Arrives").signed_in().await;
    let gone = app.trip(mke).days(0, 2).create(&ann).await;
    let bo = app.user("Bo Here").create().await;
    let here = app.trip(mke).days(0, 2).insert(bo).await;
    let (_, staff) = app
        .user("Stef Staff")
        .home("53202")
        .staff_of(mke)
        .signed_in()
        .await;
    let today = day(&app, 0).to_string();
    // Ann cancels while the office has its page open.
    let cancelled = app
        .post_with(&ann, &format!("/trips/{gone}/cancel"), &[])
        .await;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER);

    let page = app
        .post_with(
            &staff,
            &format!("/offices/{mke}/checkins"),
            &[
                ("trip_id", &gone.to_string()),
                ("status", "arrived"),
                ("day", &today),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.body);
    assert!(page.text("h1").starts_with("Milwaukee Field Office · "));
    assert_eq!(
        page.text("#e-checkin"),
        "Ann Arrives cancelled this trip, so there is nothing to mark."
    );

    // A mark that is neither: beside Bo's row.
    let page = app
        .post_with(
            &staff,
            &format!("/offices/{mke}/checkins"),
            &[
                ("trip_id", &here.to_string()),
                ("status", "maybe"),
                ("day", &today),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        page.text("#travellers .traveller #e-checkin"),
        "Choose arrived or no-show."
    );
    assert_eq!(app.count("checkins").await, 0);

    let mails = app.outbox().await.len();
    let page = app
        .post_with(
            &staff,
            &format!("/offices/{mke}/nudge"),
            &[("trip_id", &gone.to_string()), ("to", "traveller")],
        )
        .await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert_eq!(page.text("h1"), "Arrivals at Milwaukee Field Office");
    assert_eq!(
        page.text("#e-nudge"),
        "No reminder sent: Ann Arrives cancelled this trip."
    );
    assert_eq!(app.outbox().await.len(), mails);
}

async fn required_fields_say_so_and_optional_ones_do_not(app: TestApp) {
    let signup = app.get("/signup").await;
    for field in ["#f-name", "#f-email", "#f-new_password", "#f-home"] {
        assert!(
            signup.attr(field, "required").is_some(),
            "{field} is required"
        );
    }
    assert!(
        signup.attr("#f-phone", "required").is_none(),
        "the phone is optional"
    );
    app.office("Milwaukee Field Office", "53202").create().await;
    let (_, ann) = app.user("Ann Lee").signed_in().await;
    let form = app.get_with(&ann, "/trips/new").await;
    for field in ["#f-from", "#f-arrive", "#f-leave", "#f-party_size"] {
        assert!(
            form.attr(field, "required").is_some(),
            "{field} is required"
        );
    }
    for field in ["#f-flex_days", "#f-max_stay_km"] {
        assert!(
            form.attr(field, "required").is_none(),
            "{field} has a default"
        );
    }
}
