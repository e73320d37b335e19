use reqwest::StatusCode;
use sqlx::Row;

use crate::helpers::{day, empty_database, new_client, Backend, TestApp, PASSWORD};
use trip_planner::store::Db;

on_both_databases!(
    the_summary_counts_each_day_against_the_target,
    gaps_list_their_best_offers_and_can_be_nudged,
    only_an_offer_that_fits_the_trip_can_be_nudged,
    only_the_offices_staff_and_admins_see_its_travellers,
    check_in_marks_arrived_or_no_show_and_the_summary_counts_both,
    the_day_detail_pages_and_logs_who_read_contacts,
    reading_a_day_again_counts_on_the_same_contact_read_rows,
    only_an_accepted_booking_closes_a_gap,
    the_office_sees_who_still_lacks_a_ride_home,
);

/// Staff nudge the owner of `offer` (`to`: ride, stay or ride_home) about `trip`.
async fn nudge_owner(
    app: &TestApp,
    staff: &reqwest::Client,
    office: i64,
    trip: i64,
    to: &str,
    offer: i64,
) -> crate::helpers::Page {
    app.post_with(
        staff,
        &format!("/offices/{office}/nudge"),
        &[
            ("trip_id", &trip.to_string()),
            ("to", to),
            ("offer_id", &offer.to_string()),
        ],
    )
    .await
}

fn cells(page: &crate::helpers::Page, row: usize) -> Vec<String> {
    page.texts(&format!("#days tbody tr:nth-child({row}) td"))
}

async fn the_summary_counts_each_day_against_the_target(app: TestApp) {
    let mke = app
        .office("Milwaukee Field Office", "53202")
        .needed_per_day(3)
        .create()
        .await;
    let ana = app.user("Ana Arrives").create().await;
    app.trip(mke).days(1, 3).party(2).insert(ana).await;
    let bo = app.user("Bo Daytrip").create().await;
    app.trip(mke).days(2, 2).no_bed().insert(bo).await;
    let cy = app.user("Cy Stays").create().await;
    app.trip(mke).days(2, 5).no_ride().insert(cy).await;
    let di = app.user("Di Before").create().await;
    app.trip(mke).days(0, 1).no_ride().no_bed().insert(di).await;
    let other = app
        .office("Reno Field Office", "89501")
        .needed_per_day(3)
        .create()
        .await;
    let ed = app.user("Ed Elsewhere").create().await;
    app.trip(other).days(1, 3).party(4).insert(ed).await;
    let (_, staff) = app
        .user("Stef Staff")
        .email("staff@example.org")
        .home("53202")
        .staff_of(mke)
        .signed_in()
        .await;

    let page = app
        .get_with(&staff, &format!("/offices/{mke}/dashboard?days=6"))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // Day, arriving, leaving, on hand (people, travellers in brackets),
    // needed, checked in, no-show, gaps (then leaving without a ride home).
    let rows: Vec<Vec<String>> = (1..=6).map(|r| cells(&page, r)[1..8].to_vec()).collect();
    let expect = |v: [&str; 7]| v.map(str::to_string).to_vec();
    assert_eq!(
        rows[0],
        expect(["1 (1)", "0", "1 (1)", "3", "0", "0", "0"]),
        "today: Di arrives"
    );
    assert_eq!(
        rows[1],
        expect(["2 (1)", "1 (1)", "2 (1)", "3", "0", "0", "1"]),
        "Ana's party of 2 arrives, Di leaves"
    );
    assert_eq!(
        rows[2],
        expect(["2 (2)", "0", "4 (3)", "3", "0", "0", "2"]),
        "Bo's day trip and Cy arrive"
    );
    assert_eq!(
        rows[3],
        expect(["0", "2 (1)", "1 (1)", "3", "0", "0", "0"]),
        "Ana leaves"
    );
    assert_eq!(rows[4], expect(["0", "0", "1 (1)", "3", "0", "0", "0"]));
    assert_eq!(
        rows[5],
        expect(["0", "1 (1)", "0", "3", "0", "0", "0"]),
        "Cy leaves"
    );
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
    let mke = app
        .office("Milwaukee Field Office", "53202")
        .needed_per_day(3)
        .create()
        .await;
    let ana = app.user("Ana Arrives").create().await;
    let trip = app.trip(mke).days(10, 14).insert(ana).await;
    let bo = app.user("Bo Covered").create().await;
    app.trip(mke)
        .days(10, 14)
        .no_ride()
        .no_bed()
        .insert(bo)
        .await;
    let (driver, dc) = app.user("Dee Driver").home("60601").signed_in().await;
    let ride_id = app.ride(mke).create(&dc).await;
    app.stay().post(&dc).await;
    let (_, staff) = app
        .user("Stef Staff")
        .email("staff@example.org")
        .home("53202")
        .staff_of(mke)
        .signed_in()
        .await;

    let page = app
        .get_with(&staff, &format!("/offices/{mke}/dashboard"))
        .await;
    let gaps = page.texts("#gaps .gap");
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    assert!(
        gaps[0].contains("Ana Arrives") && gaps[0].contains("needs a ride and a bed"),
        "{gaps:?}"
    );
    assert!(gaps[0].contains("Ride: Dee from Chicago, IL"), "{gaps:?}");
    assert!(gaps[0].contains("Bed: Dee in Milwaukee, WI"), "{gaps:?}");

    let before: i64 = app.count("outbox").await;
    let n = app
        .post_with(
            &staff,
            &format!("/offices/{mke}/nudge"),
            &[("trip_id", &trip.to_string()), ("to", "traveller")],
        )
        .await;
    assert_eq!(n.status, StatusCode::SEE_OTHER);
    let n2 = nudge_owner(&app, &staff, mke, trip, "ride", ride_id).await;
    assert_eq!(n2.status, StatusCode::SEE_OTHER);
    let rows = app.outbox().await;
    assert_eq!(rows.len() as i64, before + 2);
    let to: Vec<String> = rows.iter().rev().take(2).map(|m| m.to.clone()).collect();
    assert_eq!(
        to,
        vec!["dee@example.org".to_string(), "ana@example.org".to_string()]
    );
    let _ = driver;
    // A trip of another office can't be nudged through this one.
    let reno = app
        .office("Reno Field Office", "89501")
        .needed_per_day(3)
        .create()
        .await;
    let ed = app.user("Ed Elsewhere").create().await;
    let far = app.trip(reno).days(10, 12).insert(ed).await;
    let refused = app
        .post_with(
            &staff,
            &format!("/offices/{mke}/nudge"),
            &[("trip_id", &far.to_string()), ("to", "traveller")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
}

async fn only_an_offer_that_fits_the_trip_can_be_nudged(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let reno = app.office("Reno Field Office", "89501").create().await;
    let ana = app.user("Ana Arrives").create().await;
    let trip = app.trip(mke).days(10, 14).insert(ana).await;
    // Reno's host and driver, a Milwaukee ride leaving after Ana arrives,
    // and a Milwaukee bed that fits.
    let hal = app.user("Hal Reno").home("89501").create().await;
    let reno_stay = app.stay().place("89501").insert(hal).await;
    let rex = app.user("Rex Reno").home("89501").create().await;
    let reno_ride = app.ride(reno).from("89501").insert(rex).await;
    let lou = app.user("Lou Late").home("60601").create().await;
    let late_ride = app.ride(mke).depart(day(&app, 12)).insert(lou).await;
    let mia = app.user("Mia Host").home("53202").create().await;
    let fitting_stay = app.stay().insert(mia).await;
    let (_, staff) = app.user("Stef Staff").staff_of(mke).signed_in().await;

    let nudge = |to: &'static str, offer: i64| {
        let (app, staff) = (&app, &staff);
        async move { nudge_owner(app, staff, mke, trip, to, offer).await.status }
    };
    assert_eq!(nudge("stay", reno_stay).await, StatusCode::NOT_FOUND);
    assert_eq!(nudge("ride", reno_ride).await, StatusCode::NOT_FOUND);
    assert_eq!(nudge("ride", late_ride).await, StatusCode::NOT_FOUND);
    assert_eq!(nudge("ride", fitting_stay).await, StatusCode::NOT_FOUND);
    assert_eq!(app.count("outbox").await, 0, "nobody was emailed");

    assert_eq!(nudge("stay", fitting_stay).await, StatusCode::SEE_OTHER);
    let sent: Vec<String> = app.outbox().await.into_iter().map(|m| m.to).collect();
    assert_eq!(sent, ["mia@example.org"]);
}

async fn only_the_offices_staff_and_admins_see_its_travellers(app: TestApp) {
    let mke = app
        .office("Milwaukee Field Office", "53202")
        .needed_per_day(3)
        .create()
        .await;
    let reno = app
        .office("Reno Field Office", "89501")
        .needed_per_day(3)
        .create()
        .await;
    let ana = app.user("Ana Arrives").create().await;
    app.trip(mke).days(1, 3).insert(ana).await;
    let (_, reno_staff) = app
        .user("Stef Staff")
        .email("reno@example.org")
        .home("53202")
        .staff_of(reno)
        .signed_in()
        .await;
    let (_, volunteer) = app
        .user("Vera Vol")
        .email("vol@example.org")
        .home("10001")
        .signed_in()
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
    let mke = app
        .office("Milwaukee Field Office", "53202")
        .needed_per_day(3)
        .create()
        .await;
    let ana = app.user("Ana Arrives").create().await;
    let a = app
        .trip(mke)
        .days(0, 2)
        .party(2)
        .no_ride()
        .no_bed()
        .insert(ana)
        .await;
    let bo = app.user("Bo Noshow").create().await;
    let b = app.trip(mke).days(0, 2).no_ride().no_bed().insert(bo).await;
    let (_, staff) = app
        .user("Stef Staff")
        .email("staff@example.org")
        .home("53202")
        .staff_of(mke)
        .signed_in()
        .await;
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
    let reno = app
        .office("Reno Field Office", "89501")
        .needed_per_day(3)
        .create()
        .await;
    let ed = app.user("Ed Elsewhere").create().await;
    let far = app
        .trip(reno)
        .days(0, 2)
        .no_ride()
        .no_bed()
        .insert(ed)
        .await;
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
    let mke = app
        .office("Milwaukee Field Office", "53202")
        .needed_per_day(3)
        .create()
        .await;
    for i in 0..30 {
        let t = app.user(&format!("T{i:02} Person")).create().await;
        app.trip(mke).days(3, 5).no_bed().insert(t).await;
    }
    let later = app.user("Later Person").create().await;
    app.trip(mke).days(4, 6).no_bed().insert(later).await;
    let (_, staff) = app
        .user("Stef Staff")
        .email("staff@example.org")
        .home("53202")
        .staff_of(mke)
        .signed_in()
        .await;
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

async fn only_an_accepted_booking_closes_a_gap(app: TestApp) {
    let mke = app
        .office("Milwaukee Field Office", "53202")
        .needed_per_day(3)
        .create()
        .await;
    let (_, dee) = app.user("Dee Driver").home("60601").signed_in().await;
    let ride = app.ride(mke).create(&dee).await;
    let (_, hal) = app.user("Hal Host").home("53202").signed_in().await;
    let stay = app.stay().create(&hal).await;
    // Ana's ride is confirmed, her bed only requested; Bo's ride is
    // confirmed and all he needs; "bea" has nothing yet.
    let ana_id = app.user("Ana Arrives").create().await;
    let ana = app.trip(mke).days(10, 12).insert(ana_id).await;
    let bo_id = app.user("Bo Booked").create().await;
    let bo = app
        .trip(mke)
        .days(10, 12)
        .party(2)
        .no_bed()
        .insert(bo_id)
        .await;
    let bea = app.user("bea lower").create().await;
    app.trip(mke).days(10, 12).no_ride().insert(bea).await;
    for (email, trip, bed) in [
        ("ana@example.org", ana, true),
        ("bo@example.org", bo, false),
    ] {
        let c = new_client();
        app.login_with(&c, email, PASSWORD).await;
        app.booked(&c, trip, "ride", ride, &dee).await;
        if bed {
            let asked = app.ask(&c, trip, "stay", stay).await;
            assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
        }
    }
    let (_, staff) = app
        .user("Stef Staff")
        .email("staff@example.org")
        .home("53202")
        .staff_of(mke)
        .signed_in()
        .await;

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

/// (staff, traveller, read count, first_at <= last_at) for every contact read of an office.
async fn contact_read_rows(app: &TestApp, office: i64) -> Vec<(i64, i64, i64, bool)> {
    sqlx::query(
        "SELECT staff_id, traveller_id, read_count, first_at, last_at FROM contact_reads \
         WHERE office_id = $1 ORDER BY staff_id, traveller_id",
    )
    .bind(office)
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
    .iter()
    .map(|r| {
        let (first, last): (String, String) = (r.get("first_at"), r.get("last_at"));
        (
            r.get("staff_id"),
            r.get("traveller_id"),
            r.get("read_count"),
            first <= last,
        )
    })
    .collect()
}

async fn reading_a_day_again_counts_on_the_same_contact_read_rows(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let mut travellers = vec![];
    for name in ["Ana Early", "Bo Middle", "Cy Late"] {
        let t = app.user(name).create().await;
        app.trip(mke).days(3, 5).no_bed().insert(t).await;
        travellers.push(t);
    }
    let (stef, staff) = app
        .user("Stef Staff")
        .email("staff@example.org")
        .staff_of(mke)
        .signed_in()
        .await;
    let path = format!("/offices/{mke}/dashboard/day/{}", day(&app, 3));

    for _ in 0..5 {
        let page = app.get_with(&staff, &path).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.texts("#travellers li").len(), 3);
    }

    let want: Vec<_> = travellers.iter().map(|&t| (stef, t, 5, true)).collect();
    assert_eq!(
        contact_read_rows(&app, mke).await,
        want,
        "one row per traveller shown, counting the five reads"
    );

    // Another staff member's read is theirs: rows of their own.
    let (sam, other) = app
        .user("Sam Second")
        .email("sam@example.org")
        .staff_of(mke)
        .signed_in()
        .await;
    assert_eq!(app.get_with(&other, &path).await.status, StatusCode::OK);
    let rows = contact_read_rows(&app, mke).await;
    assert_eq!(rows.len(), 6, "{rows:?}");
    assert!(rows[3..].iter().all(|r| r.0 == sam && r.2 == 1), "{rows:?}");
}

mod contact_reads_logged_per_view_are_folded_per_day {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        run(Backend::Sqlite).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        run(Backend::Postgres).await
    }

    /// Rows written one per view (migration 6) survive migration 7 as one row
    /// per staff member, traveller, office and day.
    async fn run(backend: Backend) {
        let Some((url, _dir)) = empty_database(backend).await else {
            return;
        };
        let db = Db::connect(&url, 2).await.unwrap();
        db.migrate_up_to(6).await.unwrap();
        let now = "2030-01-01T00:00:00Z";
        for (id, email) in [
            (1i64, "staff@example.org"),
            (2, "ana@example.org"),
            (3, "bo@example.org"),
        ] {
            sqlx::query(
                "INSERT INTO users (id, email, name, is_admin, email_verified, created_at) \
                 VALUES ($1, $2, 'Someone', 0, 1, $3)",
            )
            .bind(id)
            .bind(email)
            .bind(now)
            .execute(&db.pool)
            .await
            .unwrap();
        }
        sqlx::query(
            "INSERT INTO offices (id, name, name_key, zip, city, state, lat, lon, timezone, created_at) \
             VALUES (1, 'Milwaukee Field Office', 'milwaukee field office', '53202', 'Milwaukee', 'WI', 43.04, -87.9, \
             'America/Chicago', $1)",
        )
        .bind(now)
        .execute(&db.pool)
        .await
        .unwrap();
        for (traveller, at) in [
            (2, "2030-01-02T09:00:00Z"),
            (2, "2030-01-02T17:30:00Z"),
            (2, "2030-01-02T12:00:00Z"),
            (2, "2030-01-03T08:00:00Z"),
            (3, "2030-01-02T10:00:00Z"),
        ] {
            sqlx::query(
                "INSERT INTO contact_reads (staff_id, traveller_id, office_id, at) \
                 VALUES (1, $1, 1, $2)",
            )
            .bind(traveller as i64)
            .bind(at)
            .execute(&db.pool)
            .await
            .unwrap();
        }

        db.migrate().await.unwrap();

        let rows: Vec<(i64, String, String, String, i64)> = sqlx::query(
            "SELECT traveller_id, day, first_at, last_at, read_count FROM contact_reads \
             ORDER BY traveller_id, day",
        )
        .fetch_all(&db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| {
            (
                r.get("traveller_id"),
                r.get("day"),
                r.get("first_at"),
                r.get("last_at"),
                r.get("read_count"),
            )
        })
        .collect();
        let row = |t: i64, d: &str, first: &str, last: &str, n: i64| {
            (t, d.to_string(), first.to_string(), last.to_string(), n)
        };
        assert_eq!(
            rows,
            vec![
                row(
                    2,
                    "2030-01-02",
                    "2030-01-02T09:00:00Z",
                    "2030-01-02T17:30:00Z",
                    3
                ),
                row(
                    2,
                    "2030-01-03",
                    "2030-01-03T08:00:00Z",
                    "2030-01-03T08:00:00Z",
                    1
                ),
                row(
                    3,
                    "2030-01-02",
                    "2030-01-02T10:00:00Z",
                    "2030-01-02T10:00:00Z",
                    1
                ),
            ]
        );
        db.pool.close().await;
    }
}

/// A trip that needs a ride home is a gap until one is accepted: the gaps
/// list says so with the rides home that fit (their driver can be nudged),
/// the leaving day counts it, and an accepted ride home shows as how they
/// get home on the day page and the export, never as the ride there.
async fn the_office_sees_who_still_lacks_a_ride_home(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, dee) = app.user("Dee Driver").home("60601").signed_in().await;
    app.ride(mke).back(day(&app, 14)).create(&dee).await;
    let home: i64 = sqlx::query("SELECT id FROM rides WHERE direction = 'from_office'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get("id");
    let ana_id = app.user("Ana Arrives").create().await;
    let trip = app
        .trip(mke)
        .days(10, 14)
        .no_bed()
        .ride_home()
        .insert(ana_id)
        .await;
    let (_, staff) = app
        .user("Stef Staff")
        .email("staff@example.org")
        .home("53202")
        .staff_of(mke)
        .signed_in()
        .await;
    let summary_url = format!("/offices/{mke}/dashboard");
    let summary = || app.get_with(&staff, &summary_url);

    let page = summary().await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let gaps = page.texts("#gaps .gap");
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    assert!(gaps[0].contains("needs a ride and a ride home"), "{gaps:?}");
    assert!(
        gaps[0].contains("Ride home: Dee to Chicago, IL"),
        "{gaps:?}"
    );
    // Today is row 1: day 14, when she leaves, is row 15.
    assert_eq!(cells(&page, 15)[8], "1", "leaving without a ride home");
    assert_eq!(cells(&page, 11)[8], "0");

    let nudged = nudge_owner(&app, &staff, mke, trip, "ride_home", home).await;
    assert_eq!(nudged.status, StatusCode::SEE_OTHER, "{}", nudged.body);
    let mail = app.outbox().await.pop().unwrap();
    assert_eq!(mail.to, "dee@example.org");
    assert!(
        mail.text.contains("leaves Milwaukee Field Office") && mail.text.contains("a seat home"),
        "{}",
        mail.text
    );

    // Ana books the ride home, Dee accepts: her ride there is still a gap.
    let ana = new_client();
    app.login_with(&ana, "ana@example.org", PASSWORD).await;
    app.booked(&ana, trip, "ride", home, &dee).await;

    let page = summary().await;
    let gaps = page.texts("#gaps .gap");
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    assert!(
        gaps[0].contains("needs a ride") && !gaps[0].contains("ride home"),
        "{gaps:?}"
    );
    assert_eq!(cells(&page, 15)[8], "0");
    let day_page = app
        .get_with(
            &staff,
            &format!("/offices/{mke}/dashboard/day/{}", day(&app, 10)),
        )
        .await;
    assert_eq!(day_page.text("#travellers .how"), "Arrives: No ride yet");
    let home_line = day_page.text("#travellers .home");
    assert!(
        home_line.starts_with("Goes home: Ride with Dee Driver")
            && home_line.contains("to Chicago, IL"),
        "{home_line}"
    );
    let csv = app
        .get_with(&staff, &format!("/offices/{mke}/arrivals.csv"))
        .await;
    let line = csv
        .body
        .lines()
        .find(|l| l.contains("Ana Arrives"))
        .expect("Ana in the export");
    assert!(
        line.contains(",none,,not needed,,confirmed,\"Dee Driver; "),
        "{line}"
    );
}
