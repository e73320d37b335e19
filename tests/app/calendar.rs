//! Calendars: an accepted booking as an `.ics` download for its two people
//! only, and each user's private feed, with rotation and revocation.

use chrono::{NaiveDate, TimeZone, Utc};
use icalendar::{CalendarDateTime, Component, DatePerhapsTime, EventLike};
use reqwest::StatusCode;
use trip_planner::bookings::{act, request};
use trip_planner::domain::booking::Action;
use trip_planner::domain::ids::*;
use trip_planner::store::bookings::Offer;
use trip_planner::store::users;

use crate::helpers::{new_client, Page, TestApp};

on_both_databases!(
    an_accepted_ride_downloads_as_an_event_at_the_office_time_in_utc,
    an_accepted_stay_downloads_as_all_day_nights_with_the_hosts_street,
    a_booking_calendar_is_only_for_its_two_people_once_accepted,
    a_private_feed_lists_accepted_bookings_for_traveller_and_owner,
    a_rotated_or_revoked_feed_address_stops_working,
);

/// A traveller (Vera) who asked Dee for a seat and Hal for beds, nothing
/// answered yet. The clock is pinned so the dates are known: the ride leaves
/// Chicago on Mon 11 March 2030 at 08:30 Milwaukee time (CDT, UTC−5), and the
/// trip stays the nights of 11 to 14 March.
struct Story {
    vera: reqwest::Client,
    dee: reqwest::Client,
    hal: reqwest::Client,
    dee_id: i64,
    hal_id: i64,
    ride_booking: i64,
    stay_booking: i64,
}

async fn story(app: &TestApp) -> Story {
    app.clock
        .set(Utc.with_ymd_and_hms(2030, 3, 1, 12, 0, 0).unwrap());
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (dee_id, dee) = app.user("Dee Driver").home("60601").signed_in().await;
    let (hal_id, hal) = app.user("Hal Host").home("53202").signed_in().await;
    let (vera_id, vera) = app.user("Vera Vol").signed_in().await;
    let ride = app.ride(mke).create(&dee).await;
    let stay = app.stay().create(&hal).await;
    let trip = app.trip(mke).create(&vera).await;
    let user = users::by_id(&app.db.pool, UserId(vera_id))
        .await
        .unwrap()
        .unwrap();
    let ride_booking = request(
        &app.state,
        &user,
        TripId(trip),
        Offer::Ride(RideId(ride)),
        "",
    )
    .await
    .expect("ride requested");
    let stay_booking = request(
        &app.state,
        &user,
        TripId(trip),
        Offer::Stay(StayId(stay)),
        "",
    )
    .await
    .expect("beds requested");
    Story {
        vera,
        dee,
        hal,
        dee_id,
        hal_id,
        ride_booking: ride_booking.get(),
        stay_booking: stay_booking.get(),
    }
}

async fn accept(app: &TestApp, owner_id: i64, booking_id: i64) {
    act(
        &app.state,
        Some(UserId(owner_id)),
        BookingId(booking_id),
        Action::Accept,
        None,
        None,
    )
    .await
    .expect("accepted");
}

/// Parses a response body as iCalendar; panics with the body if it isn't.
fn calendar(page: &Page) -> icalendar::Calendar {
    assert!(
        page.body.starts_with("BEGIN:VCALENDAR\r\n"),
        "not iCalendar: {}",
        page.body
    );
    page.body.parse().expect("parses as iCalendar")
}

fn summaries(cal: &icalendar::Calendar) -> Vec<String> {
    let mut s: Vec<String> = cal
        .events()
        .map(|e| e.get_summary().unwrap_or_default().to_string())
        .collect();
    s.sort();
    s
}

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DatePerhapsTime {
    DatePerhapsTime::DateTime(CalendarDateTime::Utc(
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap(),
    ))
}

fn date(y: i32, m: u32, d: u32) -> DatePerhapsTime {
    DatePerhapsTime::Date(NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

async fn an_accepted_ride_downloads_as_an_event_at_the_office_time_in_utc(app: TestApp) {
    let s = story(&app).await;
    accept(&app, s.dee_id, s.ride_booking).await;
    let path = format!("/bookings/{}/calendar.ics", s.ride_booking);

    let page = app.get_with(&s.vera, &path).await;

    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.headers["content-type"], "text/calendar; charset=utf-8");
    assert_eq!(
        page.headers["content-disposition"],
        format!(
            "attachment; filename=\"trip-planner-booking-{}.ics\"",
            s.ride_booking
        )
    );
    let cal = calendar(&page);
    let events: Vec<_> = cal.events().collect();
    assert_eq!(events.len(), 1, "{}", page.body);
    let ev = events[0];
    assert_eq!(
        ev.get_summary(),
        Some("Ride to Milwaukee Field Office with Dee")
    );
    let uid = format!("booking-{}@127.0.0.1", s.ride_booking);
    assert_eq!(ev.get_uid(), Some(uid.as_str()));
    assert_eq!(ev.get_start(), Some(utc(2030, 3, 11, 13, 30)));
    assert_eq!(ev.get_end(), Some(utc(2030, 3, 11, 15, 30)));
    assert!(page.body.contains("\r\nDTSTART:20300311T133000Z\r\n"));
    assert!(ev.get_timestamp().is_some(), "DTSTAMP: {}", page.body);
    assert_eq!(ev.get_location(), Some("Chicago, IL"));

    // The driver gets the same event (same UID and time), naming the traveller.
    let page = app.get_with(&s.dee, &path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let cal = calendar(&page);
    let ev = cal.events().next().expect("an event");
    assert_eq!(
        ev.get_summary(),
        Some("Ride to Milwaukee Field Office with Vera")
    );
    assert_eq!(ev.get_uid(), Some(uid.as_str()));
    assert_eq!(ev.get_start(), Some(utc(2030, 3, 11, 13, 30)));
}

async fn an_accepted_stay_downloads_as_all_day_nights_with_the_hosts_street(app: TestApp) {
    let s = story(&app).await;
    accept(&app, s.hal_id, s.stay_booking).await;
    let path = format!("/bookings/{}/calendar.ics", s.stay_booking);

    let page = app.get_with(&s.vera, &path).await;

    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let cal = calendar(&page);
    let events: Vec<_> = cal.events().collect();
    assert_eq!(events.len(), 1, "{}", page.body);
    let ev = events[0];
    assert_eq!(ev.get_summary(), Some("Staying at Hal's"));
    let uid = format!("booking-{}@127.0.0.1", s.stay_booking);
    assert_eq!(ev.get_uid(), Some(uid.as_str()));
    // The nights of 11 to 14 March: DTEND is the morning after the last night.
    assert!(page.body.contains("\r\nDTSTART;VALUE=DATE:20300311\r\n"));
    assert!(page.body.contains("\r\nDTEND;VALUE=DATE:20300315\r\n"));
    assert_eq!(ev.get_start(), Some(date(2030, 3, 11)));
    assert_eq!(ev.get_end(), Some(date(2030, 3, 15)));
    let location = ev.get_location().unwrap_or_default();
    assert!(location.starts_with("12 Elm St, Milwaukee"), "{location}");

    let page = app.get_with(&s.hal, &path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let cal = calendar(&page);
    assert_eq!(summaries(&cal), ["Hosting Vera"]);
}

async fn a_booking_calendar_is_only_for_its_two_people_once_accepted(app: TestApp) {
    let s = story(&app).await;
    let path = format!("/bookings/{}/calendar.ics", s.ride_booking);

    // Asked for, not yet accepted: in nobody's calendar.
    assert_eq!(
        app.get_with(&s.vera, &path).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get_with(&s.dee, &path).await.status,
        StatusCode::NOT_FOUND
    );

    accept(&app, s.dee_id, s.ride_booking).await;
    assert_eq!(app.get_with(&s.vera, &path).await.status, StatusCode::OK);

    // Someone else (even the host of the other booking) finds nothing.
    let (_, other) = app.user("Olga Other").home("60601").signed_in().await;
    let page = app.get_with(&other, &path).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(!page.body.contains("Milwaukee"), "{}", page.body);
    assert_eq!(
        app.get_with(&s.hal, &path).await.status,
        StatusCode::NOT_FOUND
    );

    // Signed out: sign in first; no such booking or a bad id: not found.
    let page = app.get_with(&new_client(), &path).await;
    assert!(
        page.location().is_some_and(|l| l.starts_with("/login")),
        "{:?}",
        page.location()
    );
    for bad in [
        "/bookings/999999/calendar.ics",
        "/bookings/abc/calendar.ics",
    ] {
        assert_eq!(
            app.get_with(&s.vera, bad).await.status,
            StatusCode::NOT_FOUND
        );
    }
}

async fn a_private_feed_lists_accepted_bookings_for_traveller_and_owner(app: TestApp) {
    let s = story(&app).await;
    accept(&app, s.dee_id, s.ride_booking).await;
    let vera_feed = app
        .post_with(&s.vera, "/calendar/feed", &[])
        .await
        .feed_path("/calendar/");
    let dee_feed = app
        .post_with(&s.dee, "/calendar/feed", &[])
        .await
        .feed_path("/calendar/");
    let hal_feed = app
        .post_with(&s.hal, "/calendar/feed", &[])
        .await
        .feed_path("/calendar/");
    assert!(vera_feed.ends_with(".ics"), "{vera_feed}");

    // No session needed: a calendar app has only the address.
    let calendar_app = new_client();
    let page = app.get_with(&calendar_app, &vera_feed).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.headers["content-type"], "text/calendar; charset=utf-8");
    let cal = calendar(&page);
    // The beds are only asked for, so only the ride is there.
    assert_eq!(summaries(&cal), ["Ride to Milwaukee Field Office with Dee"]);
    let ev = cal.events().next().unwrap();
    assert_eq!(ev.get_start(), Some(utc(2030, 3, 11, 13, 30)));
    let page = app.get_with(&calendar_app, &dee_feed).await;
    assert_eq!(
        summaries(&calendar(&page)),
        ["Ride to Milwaukee Field Office with Vera"]
    );
    let page = app.get_with(&calendar_app, &hal_feed).await;
    assert!(summaries(&calendar(&page)).is_empty(), "{}", page.body);

    accept(&app, s.hal_id, s.stay_booking).await;
    let page = app.get_with(&calendar_app, &vera_feed).await;
    let cal = calendar(&page);
    assert_eq!(
        summaries(&cal),
        [
            "Ride to Milwaukee Field Office with Dee",
            "Staying at Hal's"
        ]
    );
    assert!(page.body.contains("\r\nDTSTART;VALUE=DATE:20300311\r\n"));
    let page = app.get_with(&calendar_app, &hal_feed).await;
    assert_eq!(summaries(&calendar(&page)), ["Hosting Vera"]);

    // Only a hash of each token is kept.
    let token = vera_feed
        .trim_start_matches("/calendar/")
        .trim_end_matches(".ics");
    assert_eq!(token.len(), 64);
    let n: i64 =
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM calendar_feeds WHERE token_hash = $1")
            .bind(token)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(n, 0);
    assert_eq!(app.count("calendar_feeds").await, 3);
}

async fn a_rotated_or_revoked_feed_address_stops_working(app: TestApp) {
    let s = story(&app).await;
    accept(&app, s.dee_id, s.ride_booking).await;
    let me = app.get_with(&s.vera, "/me").await;
    assert_eq!(me.text("#calendar-feed h2"), "Calendar feed");
    assert_eq!(me.text("#feed-status"), "You have no calendar feed.");

    let first = app
        .post_with(&s.vera, "/calendar/feed", &[])
        .await
        .feed_path("/calendar/");
    let me = app.get_with(&s.vera, "/me").await;
    assert!(me.text("#feed-status").starts_with("Your feed is on"));
    assert!(!me.body.contains(&first), "the address is shown only once");

    // Making a new address turns the old one off.
    let page = app.post_with(&s.vera, "/calendar/feed", &[]).await;
    let second = page.feed_path("/calendar/");
    assert_ne!(first, second);
    assert!(page
        .text("#calendar-feed-created")
        .contains("old one no longer works"));
    let calendar_app = new_client();
    let gone = app.get_with(&calendar_app, &first).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert!(!gone.body.contains("BEGIN:VCALENDAR"));
    let page = app.get_with(&calendar_app, &second).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(summaries(&calendar(&page)).len(), 1);
    let without_suffix = app
        .get_with(&calendar_app, second.trim_end_matches(".ics"))
        .await;
    assert_eq!(without_suffix.status, StatusCode::NOT_FOUND);

    // Turning the feed off stops the current address too.
    let page = app.post_with(&s.vera, "/calendar/feed/revoke", &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), Some("/me#calendar-feed"));
    assert_eq!(
        app.get_with(&calendar_app, &second).await.status,
        StatusCode::NOT_FOUND
    );
    let me = app.get_with(&s.vera, "/me").await;
    assert!(me.text(".flash.ok").contains("calendar feed is off"));
    assert_eq!(me.text("#feed-status"), "You have no calendar feed.");
    assert_eq!(app.count("calendar_feeds").await, 0);

    // Addresses that were never handed out are simply not found.
    let zeros = "0".repeat(64);
    for bad in [
        format!("/calendar/{zeros}.ics"),
        "/calendar/not-a-token.ics".to_string(),
    ] {
        assert_eq!(
            app.get_with(&calendar_app, &bad).await.status,
            StatusCode::NOT_FOUND,
            "{bad}"
        );
    }
}
