use chrono::{Days, NaiveDate};
use reqwest::StatusCode;
use sqlx::Row;

use crate::helpers::{new_client, TestApp, PASSWORD};
use crate::offers::{offer_ride, offer_stay};
use trip_planner::places::Gazetteer;
use trip_planner::store::offices::{self, OfficeFields};
use trip_planner::store::trips::{self, TripFields};

on_both_databases!(
    the_summary_counts_each_day_against_the_target,
    gaps_list_their_best_offers_and_can_be_nudged,
    only_the_offices_staff_and_admins_see_its_travellers,
    check_in_marks_arrived_or_no_show_and_the_summary_counts_both,
    the_day_detail_pages_and_logs_who_read_contacts,
    only_an_accepted_booking_closes_a_gap,
);

fn day(app: &TestApp, n: u64) -> NaiveDate {
    app.clock.today().checked_add_days(Days::new(n)).unwrap()
}

async fn office_with_target(app: &TestApp, name: &str, zip: &str, needed: i64) -> i64 {
    let place = Gazetteer::embedded().zip(zip).unwrap();
    offices::insert(
        &app.db.pool,
        &OfficeFields {
            name,
            place: &place,
            timezone: "America/Chicago",
            contact_email: None,
            needed_per_day: Some(needed),
        },
        &app.clock.now_text(),
    )
    .await
    .unwrap()
}

/// A traveller with a trip to `office` (arrive and leave as days from today).
#[allow(clippy::too_many_arguments)]
async fn traveller(
    app: &TestApp,
    office: i64,
    name: &str,
    a: u64,
    l: u64,
    party: i32,
    ride: bool,
    bed: bool,
) -> i64 {
    let email = format!(
        "{}@example.org",
        name.split(' ').next().unwrap().to_lowercase()
    );
    let user = app
        .create_user(&email, name, PASSWORD, "60616", false)
        .await;
    trips::insert(
        &app.db.pool,
        user,
        &TripFields {
            office_id: office,
            from: Gazetteer::embedded().zip("60616").unwrap(),
            arrive: day(app, a),
            leave: day(app, l),
            party_size: party,
            needs_ride: ride,
            needs_bed: bed,
            flex_days: 1,
            max_stay_km: 40.0,
            need_step_free: false,
            need_no_pets: false,
            need_no_smoking: false,
            notes: String::new(),
        },
        &app.clock.now_text(),
    )
    .await
    .unwrap()
}

async fn staff_client(app: &TestApp, office: i64, email: &str) -> reqwest::Client {
    let id = app
        .create_user(email, "Stef Staff", PASSWORD, "53202", false)
        .await;
    offices::add_staff(&app.db.pool, office, id).await.unwrap();
    let c = new_client();
    app.login_with(&c, email, PASSWORD).await;
    c
}

fn cells(page: &crate::helpers::Page, row: usize) -> Vec<String> {
    page.texts(&format!("#days tbody tr:nth-child({row}) td"))
}

async fn the_summary_counts_each_day_against_the_target(app: TestApp) {
    let mke = office_with_target(&app, "Milwaukee Field Office", "53202", 3).await;
    traveller(&app, mke, "Ana Arrives", 1, 3, 2, true, true).await;
    traveller(&app, mke, "Bo Daytrip", 2, 2, 1, true, false).await;
    traveller(&app, mke, "Cy Stays", 2, 5, 1, false, true).await;
    traveller(&app, mke, "Di Before", 0, 1, 1, false, false).await;
    let other = office_with_target(&app, "Reno Field Office", "89501", 3).await;
    traveller(&app, other, "Ed Elsewhere", 1, 3, 4, true, true).await;
    let staff = staff_client(&app, mke, "staff@example.org").await;

    let page = app
        .get_with(&staff, &format!("/offices/{mke}/dashboard?days=6"))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // Day, arriving, leaving, on hand, needed, checked in, no-show, gaps.
    let rows: Vec<Vec<String>> = (1..=6).map(|r| cells(&page, r)[1..].to_vec()).collect();
    let expect = |v: [i64; 7]| v.iter().map(|n| n.to_string()).collect::<Vec<_>>();
    assert_eq!(rows[0], expect([1, 0, 1, 3, 0, 0, 0]), "today: Di arrives");
    assert_eq!(
        rows[1],
        expect([2, 1, 2, 3, 0, 0, 1]),
        "Ana's party of 2 arrives, Di leaves"
    );
    assert_eq!(
        rows[2],
        expect([2, 0, 4, 3, 0, 0, 2]),
        "Bo's day trip and Cy arrive"
    );
    assert_eq!(rows[3], expect([0, 2, 1, 3, 0, 0, 0]), "Ana leaves");
    assert_eq!(rows[4], expect([0, 0, 1, 3, 0, 0, 0]));
    assert_eq!(rows[5], expect([0, 1, 0, 3, 0, 0, 0]), "Cy leaves");
    assert_eq!(page.texts("#chart svg .bar").len(), 6, "one bar per day");
    assert_eq!(
        page.texts("#chart svg .bar.short").len(),
        5,
        "every day but one falls short of 3"
    );
    assert!(!page.body.contains("Ed Elsewhere"));
    let bad = app
        .get_with(&staff, &format!("/offices/{mke}/dashboard?from=someday"))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn gaps_list_their_best_offers_and_can_be_nudged(app: TestApp) {
    let mke = office_with_target(&app, "Milwaukee Field Office", "53202", 3).await;
    let trip = traveller(&app, mke, "Ana Arrives", 10, 14, 1, true, true).await;
    traveller(&app, mke, "Bo Covered", 10, 14, 1, false, false).await;
    let driver = app
        .create_user("dee@example.org", "Dee Driver", PASSWORD, "60601", false)
        .await;
    let dc = new_client();
    app.login_with(&dc, "dee@example.org", PASSWORD).await;
    let ride = offer_ride(&app, &dc, mke, &[]).await;
    let ride_id: i64 = ride
        .location()
        .unwrap()
        .trim_start_matches("/rides/")
        .parse()
        .unwrap();
    offer_stay(&app, &dc, &[]).await;
    let staff = staff_client(&app, mke, "staff@example.org").await;

    let page = app
        .get_with(&staff, &format!("/offices/{mke}/dashboard"))
        .await;
    let gaps = page.texts("#gaps .gap");
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    assert!(
        gaps[0].contains("Ana Arrives") && gaps[0].contains("needs a ride and a bed"),
        "{gaps:?}"
    );
    assert!(
        gaps[0].contains("Ride: Dee Driver from Chicago, IL"),
        "{gaps:?}"
    );
    assert!(
        gaps[0].contains("Bed: Dee Driver in Milwaukee, WI"),
        "{gaps:?}"
    );

    let before: i64 = app.count("outbox").await;
    let n = app
        .post_with(
            &staff,
            &format!("/offices/{mke}/nudge"),
            &[("trip_id", &trip.to_string()), ("to", "traveller")],
        )
        .await;
    assert_eq!(n.status, StatusCode::SEE_OTHER);
    let n2 = app
        .post_with(
            &staff,
            &format!("/offices/{mke}/nudge"),
            &[
                ("trip_id", &trip.to_string()),
                ("to", "ride"),
                ("offer_id", &ride_id.to_string()),
            ],
        )
        .await;
    assert_eq!(n2.status, StatusCode::SEE_OTHER);
    let rows = sqlx::query("SELECT to_email, body_text FROM outbox ORDER BY id")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(rows.len() as i64, before + 2);
    let to: Vec<String> = rows
        .iter()
        .rev()
        .take(2)
        .map(|r| r.get("to_email"))
        .collect();
    assert_eq!(
        to,
        vec!["dee@example.org".to_string(), "ana@example.org".to_string()]
    );
    let _ = driver;
    // A trip of another office can't be nudged through this one.
    let reno = office_with_target(&app, "Reno Field Office", "89501", 3).await;
    let far = traveller(&app, reno, "Ed Elsewhere", 10, 12, 1, true, true).await;
    let refused = app
        .post_with(
            &staff,
            &format!("/offices/{mke}/nudge"),
            &[("trip_id", &far.to_string()), ("to", "traveller")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
}

async fn only_the_offices_staff_and_admins_see_its_travellers(app: TestApp) {
    let mke = office_with_target(&app, "Milwaukee Field Office", "53202", 3).await;
    let reno = office_with_target(&app, "Reno Field Office", "89501", 3).await;
    traveller(&app, mke, "Ana Arrives", 1, 3, 1, true, true).await;
    let reno_staff = staff_client(&app, reno, "reno@example.org").await;
    let volunteer = new_client();
    app.create_user("vol@example.org", "Vera Vol", PASSWORD, "10001", false)
        .await;
    app.login_with(&volunteer, "vol@example.org", PASSWORD)
        .await;
    let today = day(&app, 1).to_string();
    for path in [
        format!("/offices/{mke}/dashboard"),
        format!("/offices/{mke}/dashboard/day/{today}"),
    ] {
        assert_eq!(
            app.get_with(&reno_staff, &path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
        assert_eq!(
            app.get_with(&volunteer, &path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
        assert_eq!(
            app.get_with(&new_client(), &path).await.status,
            StatusCode::SEE_OTHER,
            "{path}"
        );
    }
    app.as_admin().await;
    let page = app
        .get(&format!("/offices/{mke}/dashboard/day/{today}"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text("#travellers").contains("ana@example.org"));
    let office_page = app.get_with(&reno_staff, &format!("/offices/{reno}")).await;
    assert!(office_page.body.contains("Arrivals dashboard"));
    let not_theirs = app.get_with(&reno_staff, &format!("/offices/{mke}")).await;
    assert!(!not_theirs.body.contains("Arrivals dashboard"));
}

async fn check_in_marks_arrived_or_no_show_and_the_summary_counts_both(app: TestApp) {
    let mke = office_with_target(&app, "Milwaukee Field Office", "53202", 3).await;
    let a = traveller(&app, mke, "Ana Arrives", 0, 2, 2, false, false).await;
    let b = traveller(&app, mke, "Bo Noshow", 0, 2, 1, false, false).await;
    let staff = staff_client(&app, mke, "staff@example.org").await;
    let today = day(&app, 0).to_string();
    for (trip, status) in [(a, "arrived"), (b, "no_show")] {
        let p = app
            .post_with(
                &staff,
                &format!("/offices/{mke}/checkins"),
                &[
                    ("trip_id", &trip.to_string()),
                    ("status", status),
                    ("day", &today),
                ],
            )
            .await;
        assert_eq!(p.status, StatusCode::SEE_OTHER);
        assert_eq!(
            p.location(),
            Some(format!("/offices/{mke}/dashboard/day/{today}").as_str())
        );
    }
    let page = app
        .get_with(&staff, &format!("/offices/{mke}/dashboard/day/{today}"))
        .await;
    let rows = page.texts("#travellers li");
    assert!(
        rows.iter()
            .any(|r| r.contains("Ana Arrives") && r.contains("Checked in")),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .any(|r| r.contains("Bo Noshow") && r.contains("No-show")),
        "{rows:?}"
    );
    let summary = app
        .get_with(&staff, &format!("/offices/{mke}/dashboard?days=1"))
        .await;
    assert_eq!(
        cells(&summary, 1)[5..7],
        ["2".to_string(), "1".to_string()],
        "party sizes counted"
    );
    let bad = app
        .post_with(
            &staff,
            &format!("/offices/{mke}/checkins"),
            &[("trip_id", &a.to_string()), ("status", "teleported")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reno = office_with_target(&app, "Reno Field Office", "89501", 3).await;
    let far = traveller(&app, reno, "Ed Elsewhere", 0, 2, 1, false, false).await;
    let refused = app
        .post_with(
            &staff,
            &format!("/offices/{mke}/checkins"),
            &[("trip_id", &far.to_string()), ("status", "arrived")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert_eq!(app.count("checkins").await, 2);
}

async fn the_day_detail_pages_and_logs_who_read_contacts(app: TestApp) {
    let mke = office_with_target(&app, "Milwaukee Field Office", "53202", 3).await;
    for i in 0..30 {
        traveller(&app, mke, &format!("T{i:02} Person"), 3, 5, 1, true, false).await;
    }
    traveller(&app, mke, "Later Person", 4, 6, 1, true, false).await;
    let staff = staff_client(&app, mke, "staff@example.org").await;
    let d = day(&app, 3).to_string();
    let p1 = app
        .get_with(&staff, &format!("/offices/{mke}/dashboard/day/{d}"))
        .await;
    assert_eq!(p1.texts("#travellers li").len(), 25);
    assert!(p1.text(".pager").contains("Page 1 of 2"));
    let p2 = app
        .get_with(&staff, &format!("/offices/{mke}/dashboard/day/{d}?page=2"))
        .await;
    assert_eq!(p2.texts("#travellers li").len(), 5);
    assert!(p1.text("#travellers li").contains("arrives today"));
    assert!(p1.text("#travellers li").contains("No ride yet"));
    let reads: i64 = sqlx::query("SELECT COUNT(*) AS n FROM contact_reads WHERE office_id = $1")
        .bind(mke)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get("n");
    assert_eq!(reads, 30, "who read whose details, per traveller shown");
    let next = app
        .get_with(
            &staff,
            &format!("/offices/{mke}/dashboard/day/{}", day(&app, 4)),
        )
        .await;
    assert_eq!(
        next.texts("#travellers li").len(),
        25,
        "31 on hand the next day, first page"
    );
    assert!(
        next.text("#travellers li").contains("Later Person"),
        "arrivals of the day come first"
    );
    assert_eq!(
        app.get_with(&staff, &format!("/offices/{mke}/dashboard/day/notaday"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

/// `who` asks for `offer` on `trip`; the booking's id.
async fn ask(app: &TestApp, who: &reqwest::Client, trip: i64, kind: &str, offer: i64) -> i64 {
    let page = app
        .post_with(
            who,
            &format!("/trips/{trip}/requests"),
            &[
                ("kind", kind),
                ("offer_id", &offer.to_string()),
                ("message", ""),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    page.location()
        .unwrap()
        .trim_start_matches("/bookings/")
        .parse()
        .unwrap()
}

async fn only_an_accepted_booking_closes_a_gap(app: TestApp) {
    let mke = office_with_target(&app, "Milwaukee Field Office", "53202", 3).await;
    app.create_user("dee@example.org", "Dee Driver", PASSWORD, "60601", false)
        .await;
    let dee = new_client();
    app.login_with(&dee, "dee@example.org", PASSWORD).await;
    let ride: i64 = offer_ride(&app, &dee, mke, &[])
        .await
        .location()
        .unwrap()
        .trim_start_matches("/rides/")
        .parse()
        .unwrap();
    app.create_user("hal@example.org", "Hal Host", PASSWORD, "53202", false)
        .await;
    let hal = new_client();
    app.login_with(&hal, "hal@example.org", PASSWORD).await;
    let stay: i64 = offer_stay(&app, &hal, &[])
        .await
        .location()
        .unwrap()
        .trim_start_matches("/stays/")
        .parse()
        .unwrap();
    // Ana's ride is confirmed, her bed only requested; Bo's ride is
    // confirmed and all he needs; "bea" has nothing yet.
    let ana = traveller(&app, mke, "Ana Arrives", 10, 12, 1, true, true).await;
    let bo = traveller(&app, mke, "Bo Booked", 10, 12, 2, true, false).await;
    traveller(&app, mke, "bea lower", 10, 12, 1, false, true).await;
    for (email, trip, bed) in [
        ("ana@example.org", ana, true),
        ("bo@example.org", bo, false),
    ] {
        let c = new_client();
        app.login_with(&c, email, PASSWORD).await;
        let booking = ask(&app, &c, trip, "ride", ride).await;
        let accepted = app
            .post_with(&dee, &format!("/bookings/{booking}/accept"), &[])
            .await;
        assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
        if bed {
            ask(&app, &c, trip, "stay", stay).await;
        }
    }
    let staff = staff_client(&app, mke, "staff@example.org").await;

    let page = app
        .get_with(&staff, &format!("/offices/{mke}/dashboard"))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(cells(&page, 11)[7], "2", "day 10: Ana and bea are gaps");
    assert!(page.text("#gaps h2").contains("(2)"));
    let gaps = page.texts("#gaps .gap");
    assert_eq!(gaps.len(), 2, "{gaps:?}");
    assert!(
        gaps[0].contains("Ana Arrives") && gaps[0].contains("needs a bed (requested)"),
        "{gaps:?}"
    );
    assert!(
        gaps[1].contains("bea lower") && gaps[1].contains("needs a bed"),
        "{gaps:?}"
    );

    let day_page = app
        .get_with(
            &staff,
            &format!("/offices/{mke}/dashboard/day/{}", day(&app, 10)),
        )
        .await;
    let rows = day_page.texts("#travellers li");
    assert_eq!(rows.len(), 3, "{rows:?}");
    // By name byte by byte (capitals first), whatever the database's locale.
    assert!(rows[0].contains("Ana Arrives"), "{rows:?}");
    assert!(rows[1].contains("Bo Booked"), "{rows:?}");
    assert!(rows[2].contains("bea lower"), "{rows:?}");
    assert!(
        rows[0].contains("Ride with Dee Driver") && rows[0].contains("Requested from Hal"),
        "{rows:?}"
    );
    assert!(rows[2].contains("Nothing yet"), "{rows:?}");
}
