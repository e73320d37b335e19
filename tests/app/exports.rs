//! The office's exports: the arrivals CSV, the printable roster, the office
//! calendar feed and the daily digest.

use chrono::{DateTime, NaiveDate, Utc};
use reqwest::StatusCode;
use sqlx::Row;
use trip_planner::domain::ids::*;

use crate::helpers::{day, link_path, new_client, Page, TestApp, PASSWORD};
use trip_planner::dashboard::CheckIn;
use trip_planner::places::Gazetteer;
use trip_planner::store::arrivals;

on_both_databases!(
    the_arrivals_csv_has_one_row_per_traveller_and_night_with_plans_and_no_formulas,
    only_the_offices_staff_and_admins_export_its_travellers,
    the_roster_prints_everyone_on_hand_with_a_box_to_tick,
    the_office_feed_lists_arrivals_until_it_is_replaced_or_turned_off,
    the_digest_goes_to_each_staff_member_once_after_five_pm_office_time,
    a_host_asked_but_not_yet_accepted_is_a_first_name_everywhere_staff_look,
    trips_of_unconfirmed_sign_ups_reach_no_staff_view_or_email_until_confirmed,
);

struct Scene {
    mke: i64,
    staff: (i64, reqwest::Client),
    ana: (i64, i64),
    bo: (i64, i64),
    mallory: (i64, i64),
}

/// Milwaukee: Ana López and one more arrive on day 2 and leave on day 4, her
/// ride with Dee confirmed and her bed with Hal requested; Bo comes for the
/// day on day 3 (checked in), needing nothing; "=1+1 Mallory" comes for the
/// day on day 4 with a phone starting with "+"; Cy arrives later; Ed goes
/// to another office.
async fn scene(app: &TestApp) -> Scene {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let reno = app.office("Reno Field Office", "89501").create().await;
    let staff = app
        .user("Stef Staff")
        .home("53202")
        .staff_of(mke)
        .signed_in()
        .await;

    let (_, dee) = app.user("Dee Driver").home("60601").signed_in().await;
    let ride_id = app.ride(mke).depart(day(app, 2)).create(&dee).await;
    let (_, hal) = app.user("Hal Host").home("53202").signed_in().await;
    let stay_id = app.stay().first_night(day(app, 1)).create(&hal).await;

    let (ana_id, ana) = app.user("Ana López").signed_in().await;
    let ana_trip = app.trip(mke).days(2, 4).party(2).insert(ana_id).await;
    let ask = |kind: &'static str, offer: i64| {
        let ana = ana.clone();
        async move {
            let page = app.ask(&ana, ana_trip, kind, offer).await;
            assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
            page.redirect_id("/bookings/")
        }
    };
    let ride_booking = ask("ride", ride_id).await;
    ask("stay", stay_id).await;
    let accepted = app
        .post_with(&dee, &format!("/bookings/{ride_booking}/accept"), &[])
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);

    let bo = app.user("Bo Brown").create().await;
    let bo_trip = app.trip(mke).days(3, 3).no_ride().no_bed().insert(bo).await;
    arrivals::check_in(
        &app.db.pool,
        OfficeId(mke),
        TripId(bo_trip),
        CheckIn::Arrived,
        UserId(staff.0),
        &app.clock.now_text(),
    )
    .await
    .unwrap();
    let mallory = app
        .user("=1+1 Mallory")
        .email("mallory@example.org")
        .create()
        .await;
    let mallory_trip = app
        .trip(mke)
        .days(4, 4)
        .no_ride()
        .no_bed()
        .insert(mallory)
        .await;
    sqlx::query("UPDATE users SET phone = '+1 555 0100' WHERE id = $1")
        .bind(mallory)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let cy = app.user("Cy Later").create().await;
    app.trip(mke).days(20, 22).insert(cy).await;
    let ed = app.user("Ed Elsewhere").create().await;
    app.trip(reno).days(2, 4).insert(ed).await;
    Scene {
        mke,
        staff,
        ana: (ana_id, ana_trip),
        bo: (bo, bo_trip),
        mallory: (mallory, mallory_trip),
    }
}

/// The CSV's records (byte-order mark and header checked, then dropped).
fn records(page: &Page) -> Vec<Vec<String>> {
    let body = page
        .body
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark for spreadsheets");
    assert!(body.contains("\r\n"), "CRLF line ends");
    let mut r = csv::Reader::from_reader(body.as_bytes());
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "date",
            "name",
            "email",
            "phone",
            "party_size",
            "arrive",
            "leave",
            "from",
            "ride",
            "ride_detail",
            "bed",
            "bed_detail",
            "ride_home",
            "ride_home_detail",
            "checkin"
        ]
    );
    r.records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect()
}

async fn contact_reads(app: &TestApp, staff: i64) -> Vec<i64> {
    sqlx::query("SELECT traveller_id FROM contact_reads WHERE staff_id = $1 ORDER BY traveller_id")
        .bind(staff)
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get("traveller_id"))
        .collect()
}

async fn the_arrivals_csv_has_one_row_per_traveller_and_night_with_plans_and_no_formulas(
    app: TestApp,
) {
    let s = scene(&app).await;
    let (d2, d3, d4) = (day(&app, 2), day(&app, 3), day(&app, 4));

    let page = app
        .get_with(
            &s.staff.1,
            &format!("/offices/{}/arrivals.csv?from={d2}&days=3", s.mke),
        )
        .await;

    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.headers["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        page.headers["content-disposition"],
        format!("attachment; filename=\"milwaukee-field-office-arrivals-{d2}-to-{d4}.csv\"")
            .as_str()
    );
    let town = Gazetteer::embedded().zip("60616").unwrap().town();
    let ride = format!(
        "Dee Driver; (555) 123-4567; leaves {} 08:30 from Chicago, IL",
        d2.format("%a %b %-d")
    );
    let ana = |date: NaiveDate| -> Vec<String> {
        [
            date.to_string().as_str(),
            "Ana López",
            "ana@example.org",
            "(555) 123-4567",
            "2",
            &d2.to_string(),
            &d4.to_string(),
            &town,
            "confirmed",
            &ride,
            "requested",
            "from Hal",
            "not needed",
            "",
            "",
        ]
        .map(str::to_string)
        .to_vec()
    };
    let day_trip =
        |date: NaiveDate, name: &str, email: &str, phone: &str, checkin: &str| -> Vec<String> {
            [
                date.to_string().as_str(),
                name,
                email,
                phone,
                "1",
                &date.to_string(),
                &date.to_string(),
                &town,
                "not needed",
                "",
                "not needed",
                "",
                "not needed",
                "",
                checkin,
            ]
            .map(str::to_string)
            .to_vec()
        };
    assert_eq!(
        records(&page),
        vec![
            // Ana's two nights (she leaves on day 4), Bo's one day, Mallory's one day.
            ana(d2),
            ana(d3),
            day_trip(
                d3,
                "Bo Brown",
                "bo@example.org",
                "(555) 123-4567",
                "arrived"
            ),
            day_trip(
                d4,
                "'=1+1 Mallory",
                "mallory@example.org",
                "'+1 555 0100",
                ""
            ),
        ]
    );
    assert_eq!(
        contact_reads(&app, s.staff.0).await,
        {
            let mut ids = vec![s.ana.0, s.bo.0, s.mallory.0];
            ids.sort();
            ids
        },
        "each exported traveller's contact read is logged once"
    );

    // The default range is today and the next 14 days; a day with nobody is no row.
    let all = app
        .get_with(&s.staff.1, &format!("/offices/{}/arrivals.csv", s.mke))
        .await;
    assert_eq!(records(&all).len(), 4);
    let empty = app
        .get_with(
            &s.staff.1,
            &format!(
                "/offices/{}/arrivals.csv?from={}&days=2",
                s.mke,
                day(&app, 30)
            ),
        )
        .await;
    assert!(records(&empty).is_empty());
    let bad = app
        .get_with(
            &s.staff.1,
            &format!("/offices/{}/arrivals.csv?from=soon", s.mke),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn a_host_asked_but_not_yet_accepted_is_a_first_name_everywhere_staff_look(app: TestApp) {
    // Ana asked Hal Host for a bed; Hal has not answered.
    let s = scene(&app).await;
    let d2 = day(&app, 2);
    let staff = &s.staff.1;
    let pages = [
        format!("/offices/{}/arrivals.csv?from={d2}&days=3", s.mke),
        format!("/offices/{}/roster/{d2}", s.mke),
        format!("/offices/{}/dashboard/day/{d2}", s.mke),
        format!("/offices/{}/dashboard?from={d2}&days=3", s.mke),
    ];
    for path in &pages {
        let page = app.get_with(staff, path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(page.body.contains("Hal"), "{path}: the request shows");
        assert!(!page.body.contains("Hal Host"), "{path}: {}", page.body);
    }
    let feed = app
        .post_with(staff, &format!("/offices/{}/feed", s.mke), &[])
        .await
        .feed_path("/office-feeds/");
    assert!(!app.get(&feed).await.body.contains("Hal Host"));
}

async fn only_the_offices_staff_and_admins_export_its_travellers(app: TestApp) {
    let s = scene(&app).await;
    let other = app.office("Madison Field Office", "53703").create().await;
    let (other_staff, other_client) = app
        .user("Otto Other")
        .home("53202")
        .staff_of(other)
        .signed_in()
        .await;
    let (_, volunteer) = app.user("Vic Volunteer").signed_in().await;
    let d3 = day(&app, 3);
    for path in [
        format!("/offices/{}/arrivals.csv", s.mke),
        format!("/offices/{}/roster/{d3}", s.mke),
        format!("/offices/{}/feed", s.mke),
    ] {
        for client in [&other_client, &volunteer] {
            let page = app.get_with(client, &path).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
            assert!(!page.body.contains("Ana"), "{path}");
        }
        let anonymous = app.get_with(&new_client(), &path).await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "{path}");
        assert!(anonymous.location().unwrap().starts_with("/login?next="));
    }
    let made = app
        .post_with(&volunteer, &format!("/offices/{}/feed", s.mke), &[])
        .await;
    assert_eq!(made.status, StatusCode::NOT_FOUND);
    assert_eq!(app.count("office_feeds").await, 0);
    assert!(contact_reads(&app, other_staff).await.is_empty());

    let admin_id = app.as_admin().await;
    let page = app
        .get(&format!(
            "/offices/{}/arrivals.csv?from={}&days=1",
            s.mke,
            day(&app, 2)
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(records(&page).len(), 1);
    assert_eq!(contact_reads(&app, admin_id).await, vec![s.ana.0]);
    assert_eq!(
        app.get(&format!("/offices/{}/roster/not-a-day", s.mke))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/offices/999999/roster/2026-10-01").await.status,
        StatusCode::NOT_FOUND
    );
}

async fn the_roster_prints_everyone_on_hand_with_a_box_to_tick(app: TestApp) {
    let s = scene(&app).await;
    let d3 = day(&app, 3);

    let page = app
        .get_with(&s.staff.1, &format!("/offices/{}/roster/{d3}", s.mke))
        .await;

    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.headers["cache-control"], "private, no-store");
    assert_eq!(
        page.text("h1"),
        format!("Milwaukee Field Office · {}", d3.format("%A %B %-d, %Y"))
    );
    let names = page.texts("#roster tbody td.name");
    assert_eq!(
        names.len(),
        2,
        "Bo arrives, Ana is on hand; Mallory comes tomorrow"
    );
    assert!(
        names[0].starts_with("Bo Brown"),
        "the day's arrivals first: {names:?}"
    );
    assert!(names[1].starts_with("Ana López +1"), "{names:?}");
    let ticks = page.texts("#roster tbody td.tick");
    assert_eq!(ticks[0], "✓", "Bo is checked in");
    assert_eq!(
        page.texts("#roster tbody tr:nth-child(2) td.tick .box")
            .len(),
        1,
        "a box for Ana"
    );
    assert_eq!(
        page.texts("#roster td.phone"),
        ["(555) 123-4567", "(555) 123-4567"]
    );
    let how = page.texts("#roster td.how");
    assert_eq!(how[0], "Own way");
    assert_eq!(
        how[1],
        format!(
            "Ride with Dee Driver · (555) 123-4567: leaves {} 08:30 from Chicago, IL",
            day(&app, 2).format("%a %b %-d")
        )
    );
    assert_eq!(
        page.texts("#roster td.sleep")[1],
        "Asked Hal, not confirmed"
    );
    // Print styles live in the one stylesheet (the CSP allows no inline style).
    assert_eq!(
        page.attr("link[rel=stylesheet]", "href").as_deref(),
        Some("/static/app.css")
    );
    let css = app.get("/static/app.css").await.body;
    assert!(css.contains("@media print") && css.contains(".roster .box"));
    assert!(
        page.body.contains("class=\"noprint\""),
        "navigation left off the paper"
    );
    assert!(!page.body.contains("Ed Elsewhere") && !page.body.contains("Cy Later"));
    assert_eq!(
        page.attr("a[href$='/feed']", "href"),
        Some(format!("/offices/{}/feed", s.mke))
    );
    let mut expected = vec![s.ana.0, s.bo.0];
    expected.sort();
    assert_eq!(contact_reads(&app, s.staff.0).await, expected);

    let quiet = app
        .get_with(
            &s.staff.1,
            &format!("/offices/{}/roster/{}", s.mke, day(&app, 40)),
        )
        .await;
    assert_eq!(quiet.status, StatusCode::OK);
    assert!(quiet.body.contains("Nobody is expected on this day."));
}

async fn the_office_feed_lists_arrivals_until_it_is_replaced_or_turned_off(app: TestApp) {
    let s = scene(&app).await;
    let feed_page = format!("/offices/{}/feed", s.mke);
    let before = app.get_with(&s.staff.1, &feed_page).await;
    assert_eq!(before.status, StatusCode::OK);
    assert_eq!(before.text("#feed-status"), "This office has no feed yet.");

    let made = app.post_with(&s.staff.1, &feed_page, &[]).await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    assert_eq!(made.headers["cache-control"], "no-store");
    let first = made.feed_path("/office-feeds/");
    assert!(
        first.starts_with("/office-feeds/") && first.ends_with(".ics"),
        "{first}"
    );

    // Calendar apps fetch it without a session.
    let cal = app.get_with(&new_client(), &first).await;
    assert_eq!(cal.status, StatusCode::OK);
    assert_eq!(cal.headers["content-type"], "text/calendar; charset=utf-8");
    let text = cal.body.replace("\r\n ", "");
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
    assert_eq!(
        text.matches("BEGIN:VEVENT").count(),
        4,
        "Ana, Bo, Mallory, Cy; not Ed: {text}"
    );
    assert!(
        text.contains("\r\nSUMMARY:Ana López (+1) arrives\r\n"),
        "{text}"
    );
    assert!(text.contains("\r\nSUMMARY:Bo Brown arrives\r\n"), "{text}");
    let d2 = day(&app, 2);
    assert!(
        text.contains(&format!(
            "\r\nDTSTART;VALUE=DATE:{}\r\n",
            d2.format("%Y%m%d")
        )),
        "{text}"
    );
    assert!(
        text.contains("Arrives: with Dee (confirmed). Sleeps: asked Hal\\, not confirmed."),
        "{text}"
    );
    assert!(
        text.contains(&format!("UID:office-{}-trip-{}@127.0.0.1", s.mke, s.ana.1)),
        "{text}"
    );
    assert!(
        !text.contains("123-4567") && !text.contains("ana@example.org") && !text.contains("Elm St"),
        "no contacts in the feed: {text}"
    );
    assert!(!text.contains("Ed Elsewhere"));
    let counted = app.get_with(&s.staff.1, &feed_page).await;
    assert!(counted
        .text("#feed-status")
        .starts_with("This office has a feed"));
    assert_eq!(
        counted.texts("#feed-url").len(),
        0,
        "the address is shown only once"
    );

    // Rotating: the new address works, the old one is gone.
    let again = app.post_with(&s.staff.1, &feed_page, &[]).await;
    assert_eq!(again.texts("#feed-replaced").len(), 1);
    let second = again.feed_path("/office-feeds/");
    assert_ne!(first, second);
    assert_eq!(
        app.get_with(&new_client(), &first).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get_with(&new_client(), &second).await.status,
        StatusCode::OK
    );
    assert_eq!(app.count("office_feeds").await, 1);

    let off = app
        .post_with(&s.staff.1, &format!("{feed_page}/revoke"), &[])
        .await;
    assert_eq!(off.status, StatusCode::SEE_OTHER);
    assert_eq!(off.location(), Some(feed_page.as_str()));
    assert_eq!(
        app.get_with(&new_client(), &second).await.status,
        StatusCode::NOT_FOUND
    );
    let token = second
        .trim_start_matches("/office-feeds/")
        .trim_end_matches(".ics");
    for bad in [
        format!("/office-feeds/{token}"),
        "/office-feeds/abc.ics".to_string(),
        format!("/office-feeds/{}.ics", "0".repeat(64)),
    ] {
        assert_eq!(
            app.get_with(&new_client(), &bad).await.status,
            StatusCode::NOT_FOUND,
            "{bad}"
        );
    }
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

async fn the_digest_goes_to_each_staff_member_once_after_five_pm_office_time(app: TestApp) {
    // 16:30 in Milwaukee (CDT, UTC-5) on Thursday October 8, 2026.
    app.clock.set(at("2026-10-08T21:30:00Z"));
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let madison = app.office("Madison Field Office", "53703").create().await;
    let unstaffed = app.office("Green Bay Field Office", "54301").create().await;
    for (name, office_id) in [
        ("Sam Staff", mke),
        ("Tess Staff", mke),
        ("Mo Madison", madison),
    ] {
        app.user(name)
            .home("53202")
            .staff_of(office_id)
            .create()
            .await;
    }
    let ana = app.user("Ana López").create().await;
    app.trip(mke)
        .arrive(d("2026-10-09"))
        .leave(d("2026-10-11"))
        .party(2)
        .insert(ana)
        .await;
    let bo = app.user("Bo Brown").create().await;
    app.trip(mke)
        .arrive(d("2026-10-09"))
        .leave(d("2026-10-09"))
        .no_ride()
        .no_bed()
        .insert(bo)
        .await;
    let cy = app.user("Cy Chen").create().await;
    app.trip(mke)
        .arrive(d("2026-10-12"))
        .leave(d("2026-10-13"))
        .no_ride()
        .insert(cy)
        .await;
    let di = app.user("Di Diaz").create().await;
    app.trip(mke)
        .arrive(d("2026-10-20"))
        .leave(d("2026-10-21"))
        .insert(di)
        .await;
    let ed = app.user("Ed Eager").create().await;
    app.trip(unstaffed)
        .arrive(d("2026-10-09"))
        .leave(d("2026-10-10"))
        .insert(ed)
        .await;

    let ran = trip_planner::jobs::run_once(&app.state).await.unwrap();
    assert_eq!(ran.digests, 0, "before 17:00 office time");
    assert_eq!(app.count("outbox").await, 0);
    assert_eq!(app.count("digests_sent").await, 0);

    // 17:05 in Milwaukee; two instances racing send it once.
    app.clock.set(at("2026-10-08T22:05:00Z"));
    let (a, b) = tokio::join!(
        trip_planner::digest::send_due(&app.state),
        trip_planner::digest::send_due(&app.state)
    );
    assert_eq!(
        a.unwrap() + b.unwrap(),
        1,
        "one office had something to say"
    );
    let mut mails = app.outbox().await;
    mails.sort_by(|a, b| a.to.cmp(&b.to));
    assert_eq!(
        mails.iter().map(|m| m.to.as_str()).collect::<Vec<_>>(),
        ["sam@example.org", "tess@example.org"],
        "one email per staff member; Madison has a quiet day, Green Bay has no staff"
    );
    let (subject, text) = (&mails[0].subject, &mails[0].text);
    assert_eq!(
        subject,
        "Milwaukee Field Office: 2 arriving tomorrow, 2 open gaps"
    );
    for line in [
        "Hello Sam,",
        "Tomorrow, Friday October 9, 2 travellers (3 people) arrive at Milwaukee Field Office:",
        "• Ana López (+1) from Chicago, IL: no ride yet; no bed yet.",
        "• Bo Brown from Chicago, IL: comes on their own; own place to sleep.",
        "• Cy Chen, arrives Mon Oct 12: no bed yet.",
        &format!(
            "{}/offices/{mke}/dashboard",
            app.state.settings.public_url()
        ),
    ] {
        assert!(text.contains(line), "{line} in {text}");
    }
    assert!(
        !text.contains("Di Diaz") && !text.contains("Ed Eager"),
        "{text}"
    );
    assert!(mails[1].text.contains("Hello Tess,"));
    let marked: Vec<i64> = sqlx::query(
        "SELECT office_id FROM digests_sent WHERE day = '2026-10-08' ORDER BY office_id",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
    .iter()
    .map(|r| r.get("office_id"))
    .collect();
    assert_eq!(
        marked,
        vec![mke, madison],
        "no marker for the office without staff"
    );

    let again = trip_planner::jobs::run_once(&app.state).await.unwrap();
    assert_eq!(again.digests, 0, "a second run sends nothing");
    assert_eq!(app.count("outbox").await, 2);

    // The next evening brings the next digest.
    app.clock.set(at("2026-10-09T23:00:00Z"));
    let next = trip_planner::jobs::run_once(&app.state).await.unwrap();
    assert_eq!(
        next.digests, 1,
        "Cy arrives within the week: a gap to report"
    );
    assert_eq!(app.count("outbox").await, 4);
}

async fn trips_of_unconfirmed_sign_ups_reach_no_staff_view_or_email_until_confirmed(app: TestApp) {
    // 18:30 in Milwaukee (CDT) on Thursday October 8, 2026: the digest is due.
    app.clock.set(at("2026-10-08T23:30:00Z"));
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, staff) = app
        .user("Sam Staff")
        .home("53202")
        .staff_of(mke)
        .signed_in()
        .await;
    let (arrive, leave) = (d("2026-10-09"), d("2026-10-11"));
    // Una signed up herself and has not confirmed; Ida was imported by the
    // campaign (no password yet); Vera confirmed.
    app.user("Una Unconfirmed").sign_up().await;
    app.login("una@example.org", PASSWORD).await;
    let una_trip = app
        .trip(mke)
        .arrive(arrive)
        .leave(leave)
        .create(&app.client)
        .await;
    let ida: i64 = sqlx::query(
        "INSERT INTO users (email, name, is_admin, email_verified, created_at) \
         VALUES ('ida@example.org', 'Ida Imported', 0, 0, $1) RETURNING id",
    )
    .bind(app.clock.now_text())
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
    .get("id");
    app.trip(mke).arrive(arrive).leave(leave).insert(ida).await;
    let vera = app.user("Vera Verified").create().await;
    app.trip(mke).arrive(arrive).leave(leave).insert(vera).await;

    let views = [
        format!("/offices/{mke}/dashboard"),
        format!("/offices/{mke}/dashboard/day/{arrive}"),
        format!("/offices/{mke}/roster/{arrive}"),
        format!("/offices/{mke}/arrivals.csv"),
    ];
    let feed = app
        .post_with(&staff, &format!("/offices/{mke}/feed"), &[])
        .await
        .feed_path("/office-feeds/");
    let seen = |who: &'static str| {
        let (app, staff, views, feed) = (&app, &staff, &views, &feed);
        async move {
            let mut out = vec![];
            for path in views.iter().chain([feed]) {
                let page = app.get_with(staff, path).await;
                assert_eq!(page.status, StatusCode::OK, "{path}");
                out.push(page.body.contains(who));
            }
            out
        }
    };
    assert_eq!(seen("Una").await, [false; 5]);
    assert_eq!(seen("Ida Imported").await, [true; 5]);
    assert_eq!(seen("Vera Verified").await, [true; 5]);
    let summary = app
        .get_with(&staff, &format!("/offices/{mke}/dashboard"))
        .await;
    assert_eq!(summary.texts("#gaps .gap").len(), 2, "Ida and Vera");

    // Nothing is emailed about Una: no nudge, no check-in, not in the digest.
    for (path, form) in [
        ("nudge", vec![("to", "traveller")]),
        ("checkins", vec![("status", "arrived")]),
    ] {
        let mut fields = vec![("trip_id", una_trip.to_string())];
        fields.extend(form.into_iter().map(|(k, v)| (k, v.to_string())));
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let page = app
            .post_with(&staff, &format!("/offices/{mke}/{path}"), &fields)
            .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
    }
    trip_planner::digest::send_due(&app.state).await.unwrap();
    let digest = app.last_mail_to("sam@example.org").await.expect("a digest");
    assert!(digest.text.contains("Vera Verified") && digest.text.contains("Ida Imported"));
    assert!(!digest.text.contains("Una"), "{}", digest.text);
    assert!(app
        .last_mail_to("una@example.org")
        .await
        .unwrap()
        .subject
        .contains("Confirm"));

    // Once Una confirms, she is on every view and can be nudged.
    let mail = app.last_mail_to("una@example.org").await.unwrap();
    let link = link_path(&mail.text, "/verify/").expect("a confirmation link");
    app.post(&link, &[]).await;
    assert_eq!(seen("Una Unconfirmed").await, [true; 5]);
    let nudged = app
        .post_with(
            &staff,
            &format!("/offices/{mke}/nudge"),
            &[("trip_id", &una_trip.to_string()), ("to", "traveller")],
        )
        .await;
    assert_eq!(nudged.status, StatusCode::SEE_OTHER);
    assert!(app
        .last_mail_to("una@example.org")
        .await
        .unwrap()
        .text
        .contains("looking forward to seeing you"));
}
