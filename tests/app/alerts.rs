//! Alerts ("tell me when something fits") and the trip as one plan: an
//! offer that appears is emailed once, a second the same office day waits
//! for the next, two instances send it once, a switched-off watch sends
//! nothing, the one-click unsubscribe needs no session and touches only its
//! trip, and the account page lists and switches alerts. The trip page
//! says what is missing and pages a long list.

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use sqlx::Row;

use crate::helpers::{day, new_client, TestApp};

on_both_databases!(
    an_offer_that_appears_is_emailed_once_and_a_second_the_same_day_waits,
    two_instances_running_the_jobs_send_an_alert_once,
    a_trip_with_alerts_turned_off_gets_no_email,
    unsubscribing_needs_no_session_and_stops_only_that_trips_alerts,
    the_account_page_lists_and_switches_alerts,
    the_trip_page_says_what_is_missing_and_pages_a_long_list,
    a_declined_request_email_carries_the_next_best_options,
    an_offer_owner_who_asks_hears_of_new_trips_once_a_day,
    a_host_who_asks_hears_of_new_trips_that_fit_the_beds,
);

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// 10:00 in Milwaukee (CDT) on Thursday October 8, 2026.
const MORNING: &str = "2026-10-08T15:00:00Z";
/// The same time the next day.
const NEXT_MORNING: &str = "2026-10-09T15:00:00Z";

struct Setup {
    office: i64,
    tia: (i64, reqwest::Client),
    trip: i64,
}

/// Tia's trip to Milwaukee needing a ride (nothing fits yet), with the
/// alert job's first look taken.
async fn watched_trip(app: &TestApp) -> Setup {
    app.clock.set(at(MORNING));
    let office = app.office("Milwaukee Field Office", "53202").create().await;
    let tia = app
        .user("Tia Traveller")
        .email("tia@example.org")
        .home("60616")
        .signed_in()
        .await;
    let trip = app.trip(office).no_bed().insert(tia.0).await;
    let ran = trip_planner::jobs::run_once(&app.state).await.unwrap();
    assert_eq!(ran.alerts, 0, "nothing fits yet");
    Setup { office, tia, trip }
}

async fn alerts_to(app: &TestApp, to: &str) -> Vec<crate::helpers::Mail> {
    app.outbox()
        .await
        .into_iter()
        .filter(|m| m.to == to && m.subject.starts_with("New for your trip"))
        .collect()
}

async fn an_offer_that_appears_is_emailed_once_and_a_second_the_same_day_waits(app: TestApp) {
    let s = watched_trip(&app).await;
    let dee = app.user("Dee Driver").home("60601").create().await;
    app.ride(s.office).insert(dee).await;

    let ran = trip_planner::jobs::run_once(&app.state).await.unwrap();
    assert_eq!(ran.alerts, 1);
    let mails = alerts_to(&app, "tia@example.org").await;
    assert_eq!(mails.len(), 1);
    assert_eq!(
        mails[0].subject,
        "New for your trip to Milwaukee Field Office"
    );
    assert!(
        mails[0].text.contains("Dee from Chicago, IL"),
        "{}",
        mails[0].text
    );
    assert!(
        !mails[0].text.contains("Driver"),
        "first names only before a booking"
    );
    assert!(mails[0].text.contains(&format!("/trips/{}", s.trip)));
    assert!(mails[0].text.contains("You still need a ride there on"));
    let unsubscribe: Option<String> =
        sqlx::query("SELECT unsubscribe_url FROM outbox WHERE to_email = 'tia@example.org'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
            .get("unsubscribe_url");
    assert!(unsubscribe.is_some_and(|u| u.contains("/alerts/")));

    // Run again: Dee's ride is not news any more.
    assert_eq!(
        trip_planner::jobs::run_once(&app.state)
            .await
            .unwrap()
            .alerts,
        0
    );

    // A second ride the same day waits for the next day.
    let eli = app.user("Eli Driver").home("60601").create().await;
    app.ride(s.office).insert(eli).await;
    assert_eq!(
        trip_planner::jobs::run_once(&app.state)
            .await
            .unwrap()
            .alerts,
        0
    );
    assert_eq!(alerts_to(&app, "tia@example.org").await.len(), 1);

    app.clock.set(at(NEXT_MORNING));
    assert_eq!(
        trip_planner::jobs::run_once(&app.state)
            .await
            .unwrap()
            .alerts,
        1
    );
    let mails = alerts_to(&app, "tia@example.org").await;
    assert_eq!(mails.len(), 2);
    assert!(mails[1].text.contains("Eli from"), "{}", mails[1].text);
    assert!(
        !mails[1].text.contains("Dee"),
        "Dee was told already: {}",
        mails[1].text
    );
    assert_eq!(
        trip_planner::jobs::run_once(&app.state)
            .await
            .unwrap()
            .alerts,
        0
    );
}

async fn two_instances_running_the_jobs_send_an_alert_once(app: TestApp) {
    let s = watched_trip(&app).await;
    let other = app.second_instance().await;
    let dee = app.user("Dee Driver").home("60601").create().await;
    app.ride(s.office).insert(dee).await;
    let (a, b) = tokio::join!(
        trip_planner::alerts::send_due(&app.state),
        trip_planner::alerts::send_due(&other.state)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    assert_eq!(alerts_to(&app, "tia@example.org").await.len(), 1);
    assert_eq!(app.count("alerts_sent").await, 1);
}

async fn a_trip_with_alerts_turned_off_gets_no_email(app: TestApp) {
    let s = watched_trip(&app).await;
    let page = app
        .post_with(
            &s.tia.1,
            &format!("/trips/{}/alerts", s.trip),
            &[("alerts", "off")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(
        page.location(),
        Some(format!("/trips/{}#alerts", s.trip).as_str())
    );
    let trip_page = app.get_with(&s.tia.1, &format!("/trips/{}", s.trip)).await;
    assert!(trip_page.text("#alerts-state").contains("Alerts are off"));

    let dee = app.user("Dee Driver").home("60601").create().await;
    app.ride(s.office).insert(dee).await;
    assert_eq!(
        trip_planner::jobs::run_once(&app.state)
            .await
            .unwrap()
            .alerts,
        0
    );
    assert!(alerts_to(&app, "tia@example.org").await.is_empty());

    // Someone else's trip can't be switched: it is not found.
    let (_, eve) = app.user("Eve Else").signed_in().await;
    let page = app
        .post_with(
            &eve,
            &format!("/trips/{}/alerts", s.trip),
            &[("alerts", "on")],
        )
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    // A hostile value changes nothing and says so.
    let page = app
        .post_with(
            &s.tia.1,
            &format!("/trips/{}/alerts", s.trip),
            &[("alerts", "<script>")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!page.body.contains("<script>"));
    let trip_page = app.get_with(&s.tia.1, &format!("/trips/{}", s.trip)).await;
    assert!(trip_page.text("#alerts-state").contains("Alerts are off"));
}

async fn unsubscribing_needs_no_session_and_stops_only_that_trips_alerts(app: TestApp) {
    let s = watched_trip(&app).await;
    // A second trip of Tia's, later in the month, also needing a ride.
    let later = app
        .trip(s.office)
        .arrive(day(&app, 20))
        .leave(day(&app, 22))
        .no_bed()
        .insert(s.tia.0)
        .await;
    trip_planner::jobs::run_once(&app.state).await.unwrap();
    let dee = app.user("Dee Driver").home("60601").create().await;
    app.ride(s.office).insert(dee).await;
    assert_eq!(
        trip_planner::jobs::run_once(&app.state)
            .await
            .unwrap()
            .alerts,
        1
    );
    let url: String =
        sqlx::query("SELECT unsubscribe_url FROM outbox WHERE to_email = 'tia@example.org'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
            .get("unsubscribe_url");
    let path = &url[url.find("/alerts/").unwrap()..];

    let stranger = new_client();
    let page = app.get_with(&stranger, path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text("#confirm").contains("Milwaukee Field Office"));
    assert_eq!(page.texts("#confirm form button").len(), 1);
    // The GET alone changes nothing (mail scanners fetch links).
    let on: Vec<i64> =
        sqlx::query("SELECT enabled FROM alert_watches WHERE kind = 'trip' ORDER BY target_id")
            .fetch_all(&app.db.pool)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get("enabled"))
            .collect();
    assert_eq!(on, vec![1, 1]);

    // The one-click POST, as a mail client sends it, without a session.
    let page = app
        .post_with(&stranger, path, &[("List-Unsubscribe", "One-Click")])
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.text("#alerts-off").contains("no more alerts"));
    let enabled = |id: i64| {
        let pool = app.db.pool.clone();
        async move {
            sqlx::query("SELECT enabled FROM alert_watches WHERE kind = 'trip' AND target_id = $1")
                .bind(id)
                .fetch_one(&pool)
                .await
                .unwrap()
                .get::<i64, _>("enabled")
        }
    };
    assert_eq!(enabled(s.trip).await, 0);
    assert_eq!(enabled(later).await, 1, "only the trip of the link");

    // The next day a ride fitting both trips is told for the later trip only.
    app.clock.set(at(NEXT_MORNING));
    let eli = app.user("Eli Driver").home("60601").create().await;
    app.ride(s.office).depart(day(&app, 9)).insert(eli).await;
    app.ride(s.office).depart(day(&app, 19)).insert(eli).await;
    assert_eq!(
        trip_planner::jobs::run_once(&app.state)
            .await
            .unwrap()
            .alerts,
        1
    );
    let last = alerts_to(&app, "tia@example.org").await.pop().unwrap();
    assert!(
        last.text.contains(&format!("/trips/{later}")),
        "{}",
        last.text
    );

    // A made-up or mangled token is simply not found.
    for bad in [format!("/alerts/{}", "0".repeat(64)), "/alerts/x'--".into()] {
        assert_eq!(
            app.get_with(&stranger, &bad).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.post_with(&stranger, &bad, &[]).await.status,
            StatusCode::NOT_FOUND
        );
    }
}

async fn the_account_page_lists_and_switches_alerts(app: TestApp) {
    let s = watched_trip(&app).await;
    let page = app.get_with(&s.tia.1, "/account").await;
    let row = format!("#alert-trip-{}", s.trip);
    assert!(page.text(&row).contains("Trip to Milwaukee Field Office"));
    assert_eq!(page.text(&format!("{row} .alert-state")), "on");
    let page = app
        .post_with(
            &s.tia.1,
            &format!("/trips/{}/alerts", s.trip),
            &[("alerts", "off"), ("back", "account")],
        )
        .await;
    assert_eq!(page.location(), Some("/account#alerts"));
    let page = app.get_with(&s.tia.1, "/account").await;
    assert_eq!(page.text(&format!("{row} .alert-state")), "off");
    let page = app
        .post_with(
            &s.tia.1,
            &format!("/trips/{}/alerts", s.trip),
            &[("alerts", "on"), ("back", "account")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let page = app.get_with(&s.tia.1, "/account").await;
    assert_eq!(page.text(&format!("{row} .alert-state")), "on");
}

async fn the_trip_page_says_what_is_missing_and_pages_a_long_list(app: TestApp) {
    app.clock.set(at(MORNING));
    let office = app.office("Milwaukee Field Office", "53202").create().await;
    let (tia, client) = app.user("Tia Traveller").home("60616").signed_in().await;
    let trip = app.trip(office).insert(tia).await;
    let page = app.get_with(&client, &format!("/trips/{trip}")).await;
    let (arrive, leave) = (day(&app, 10), day(&app, 14));
    let span = trip_planner::domain::plan::span(arrive, leave);
    assert_eq!(
        page.text("#still-missing"),
        format!(
            "You still need a ride there on {} and a bed for {span}.",
            arrive.format("%b %-d")
        )
    );
    assert!(page
        .text("#leg-ride_there")
        .contains("Needed, nothing fits yet"));
    let me = app.get_with(&client, "/me").await;
    assert_eq!(
        me.text(&format!("#trip-{trip} .trip-missing")),
        page.text("#still-missing")
    );

    let dee = app.user("Dee Driver").home("60601").create().await;
    for _ in 0..12 {
        app.ride(office).insert(dee).await;
    }
    let page = app.get_with(&client, &format!("/trips/{trip}")).await;
    assert_eq!(page.texts("#rides .match").len(), 10);
    assert!(page.text("#leg-ride_there").contains("12 options"));
    assert_eq!(page.text("#rides .more a"), "2 more rides");
    let next = page.attr("#rides .more a", "href").unwrap();
    assert_eq!(next, format!("/trips/{trip}?ride_there=2#rides"));
    let page2 = app
        .get_with(&client, &format!("/trips/{trip}?ride_there=2"))
        .await;
    assert_eq!(page2.texts("#rides .match").len(), 2);
    assert!(page2.texts("#rides .more").is_empty());
    // A page beyond the end shows the last one, never an error.
    let far = app
        .get_with(&client, &format!("/trips/{trip}?ride_there=99"))
        .await;
    assert_eq!(far.status, StatusCode::OK);
    assert_eq!(far.texts("#rides .match").len(), 2);
}

async fn a_declined_request_email_carries_the_next_best_options(app: TestApp) {
    let s = watched_trip(&app).await;
    let (_, dee) = app.user("Dee Driver").home("60601").signed_in().await;
    let ride = app.ride(s.office).create(&dee).await;
    let (_, dan) = app.user("Dan Driver").home("60601").signed_in().await;
    app.ride(s.office).create(&dan).await;
    let asked = app.ask(&s.tia.1, s.trip, "ride", ride).await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    let booking = asked.redirect_id("/bookings/");
    let page = app
        .post_with(&dee, &format!("/bookings/{booking}/decline"), &[])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let mail = app.last_mail_to("tia@example.org").await.unwrap();
    assert!(
        mail.subject.starts_with("Not this time"),
        "{}",
        mail.subject
    );
    assert!(
        mail.text.contains("These fit your trip too:"),
        "{}",
        mail.text
    );
    assert!(mail.text.contains("Dan from Chicago, IL"), "{}", mail.text);
    assert!(
        !mail.text.contains("Dee from"),
        "not the declined one: {}",
        mail.text
    );
}

/// The reverse alert, off by default: a driver who asks is emailed the
/// trips that newly fit the ride, at most once a day, first names only;
/// only the owner can switch it; the account page lists it; the one-click
/// link turns it off without a session.
async fn an_offer_owner_who_asks_hears_of_new_trips_once_a_day(app: TestApp) {
    app.clock.set(at(MORNING));
    let office = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, dee) = app
        .user("Dee Driver")
        .email("dee@example.org")
        .home("60601")
        .signed_in()
        .await;
    let ride = app.ride(office).create(&dee).await;
    let to_dee = || async {
        app.outbox()
            .await
            .into_iter()
            .filter(|m| m.to == "dee@example.org" && m.subject.starts_with("New trips fit"))
            .collect::<Vec<_>>()
    };
    let run = || async {
        trip_planner::jobs::run_once(&app.state)
            .await
            .unwrap()
            .alerts
    };
    let page = app.get_with(&dee, &format!("/rides/{ride}")).await;
    assert!(
        page.text("#alerts-state").contains("Want to hear"),
        "off by default: {}",
        page.text("#alerts")
    );
    // A trip fitting the ride before she asks is no news to an owner who
    // did not ask.
    let early = app.user("Ann Early").home("60616").create().await;
    app.trip(office).no_bed().insert(early).await;
    assert_eq!(run().await, 0);

    // Nobody else can switch it.
    let (_, eve) = app.user("Eve Other").signed_in().await;
    let refused = app
        .post_with(&eve, &format!("/rides/{ride}/alerts"), &[("alerts", "on")])
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    let bad = app
        .post_with(
            &dee,
            &format!("/rides/{ride}/alerts"),
            &[("alerts", "maybe")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let on = app
        .post_with(&dee, &format!("/rides/{ride}/alerts"), &[("alerts", "on")])
        .await;
    assert_eq!(on.location(), Some(&*format!("/rides/{ride}#alerts")));
    let page = app.get_with(&dee, &format!("/rides/{ride}")).await;
    assert!(page.text("#alerts-state").contains("Alerts are on"));
    // The first look takes stock: Ann's trip was there already.
    assert_eq!(run().await, 0);
    assert!(to_dee().await.is_empty());

    let tia = app.user("Tia Traveller").home("60616").create().await;
    let tia_trip = app.trip(office).no_bed().insert(tia).await;
    assert_eq!(run().await, 1);
    let mails = to_dee().await;
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert!(
        mail.subject.contains("your ride to Milwaukee Field Office"),
        "{}",
        mail.subject
    );
    assert!(mail.text.contains("Tia from Chicago, IL"), "{}", mail.text);
    assert!(
        !mail.text.contains("Tia Traveller") && !mail.text.contains("Ann"),
        "{}",
        mail.text
    );
    assert!(mail.text.contains(&format!("/rides/{ride}")));
    let _ = tia_trip;
    assert_eq!(run().await, 0, "told once");

    // A second trip the same day waits for the next.
    let uma = app.user("Uma Later").home("60616").create().await;
    app.trip(office).no_bed().insert(uma).await;
    assert_eq!(run().await, 0);
    app.clock.set(at(NEXT_MORNING));
    assert_eq!(run().await, 1);
    let last = to_dee().await.pop().unwrap();
    assert!(
        last.text.contains("Uma from") && !last.text.contains("Tia from"),
        "{}",
        last.text
    );

    // The account page lists it; the link turns it off without a session.
    let account = app.get_with(&dee, "/account").await;
    let row = format!("#alert-ride-{ride}");
    assert!(
        account
            .text(&row)
            .contains("Ride to Milwaukee Field Office"),
        "{}",
        account.text("#alert-list")
    );
    assert_eq!(account.text(&format!("{row} .alert-state")), "on");
    let link: String = sqlx::query(
        "SELECT unsubscribe_url FROM outbox WHERE to_email = 'dee@example.org' ORDER BY id DESC",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap()[0]
        .get::<Option<String>, _>("unsubscribe_url")
        .expect("a one-click link");
    let path = &link[link.find("/alerts/").unwrap()..];
    let off = app
        .post_with(&new_client(), path, &[("List-Unsubscribe", "One-Click")])
        .await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    let account = app.get_with(&dee, "/account").await;
    assert_eq!(account.text(&format!("{row} .alert-state")), "off");
    app.clock.set(at("2026-10-10T15:00:00Z"));
    let vic = app.user("Vic Late").home("60616").create().await;
    app.trip(office).no_bed().insert(vic).await;
    assert_eq!(run().await, 0, "off: no email");
}

async fn a_host_who_asks_hears_of_new_trips_that_fit_the_beds(app: TestApp) {
    app.clock.set(at(MORNING));
    let office = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, hal) = app
        .user("Hal Host")
        .email("hal@example.org")
        .home("53202")
        .signed_in()
        .await;
    let stay = app.stay().create(&hal).await;
    let on = app
        .post_with(&hal, &format!("/stays/{stay}/alerts"), &[("alerts", "on")])
        .await;
    assert_eq!(on.location(), Some(&*format!("/stays/{stay}#alerts")));
    let run = || async {
        trip_planner::jobs::run_once(&app.state)
            .await
            .unwrap()
            .alerts
    };
    assert_eq!(run().await, 0, "stock taken");
    let bo = app.user("Bo Sleeper").home("60616").create().await;
    app.trip(office).no_ride().insert(bo).await;
    assert_eq!(run().await, 1);
    let mail = app.outbox().await.pop().unwrap();
    assert_eq!(mail.to, "hal@example.org");
    assert!(
        mail.subject
            .starts_with("New trips fit your beds in Milwaukee, WI"),
        "{}",
        mail.subject
    );
    assert!(mail.text.contains("Bo from Chicago, IL"), "{}", mail.text);
    let page = app.get_with(&hal, &format!("/stays/{stay}")).await;
    assert!(page.text("#alerts-state").contains("Alerts are on"));
}
