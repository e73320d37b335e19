//! A real browser walks the main journey: headless Chromium, driven through
//! chromedriver, signs up, confirms through the emailed link, logs out, logs
//! back in and browses the offices at phone width, then looks at the offices
//! at desktop width.
//!
//! Needs Debian's `chromium` and `chromium-driver`. Without them the test is
//! skipped on a workstation and fails in CI (where `.ci/run` installs them).

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

use crate::helpers::{day, free_port, link_path, Backend, TestApp, PASSWORD};

mod a11y;
mod keyboard;

const PHONE: Viewport = Viewport {
    name: "phone",
    width: 390,
    height: 844,
    mobile: true,
};
const DESKTOP: Viewport = Viewport {
    name: "desktop",
    width: 1280,
    height: 900,
    mobile: false,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_volunteer_signs_up_logs_back_in_and_sees_offices_by_state_in_a_real_browser() {
    // Arrange: chromedriver, the app on SQLite, and offices in two states.
    let Some((tools, driver, app)) = start().await else {
        return;
    };
    app.office("Milwaukee Field Office", "53202").create().await;
    app.office("Reno Field Office", "89501")
        .timezone("America/Los_Angeles")
        .create()
        .await;

    // Act: sign up on a phone.
    let phone = Browser::open(&driver, &tools.chromium, PHONE).await;
    phone.goto(&app.url("/signup")).await;
    phone.fill("#f-name", "Ana López").await;
    phone.fill("#f-email", "ana@example.org").await;
    phone.fill("#f-new_password", PASSWORD).await;
    phone.fill("#f-home", "Madison, WI").await;
    phone.fill("#f-phone", "(608) 555-0100").await;
    phone.screenshot("signup").await;
    phone
        .click("form[action='/signup'] button[type=submit]")
        .await;

    // Assert: asked to check the inbox, with exactly one new account and nobody signed in.
    phone.wait_for("#check-inbox").await;
    assert!(phone.text("#check-inbox").await.contains("ana@example.org"));
    assert!(phone.texts(".who").await.is_empty());
    assert_eq!(app.count("users").await, 1);

    // Act: open the emailed link and confirm.
    let mail = app.last_mail_to("ana@example.org").await.expect("an email");
    let link = link_path(&mail.text, "/verify/").expect("a confirmation link");
    phone.goto(&app.url(&link)).await;
    phone.click("#confirm form button[type=submit]").await;

    // Assert: confirmed and signed in.
    phone.wait_for_path("/account").await;
    assert_eq!(phone.text(".who").await, "Hi, Ana");
    assert!(app.email_verified("ana@example.org").await);

    // Act: log out from the nav, then log back in with the same details.
    phone.click("nav form[action='/logout'] button").await;
    phone.wait_for("nav a[href='/login']").await;
    assert!(
        phone.texts(".who").await.is_empty(),
        "still greeted after logging out"
    );
    phone.click("nav a[href='/login']").await;
    phone.fill("#f-email", "ana@example.org").await;
    phone.fill("#f-password", PASSWORD).await;
    phone
        .click("form[action='/login'] button[type=submit]")
        .await;
    // A volunteer lands on their trips.
    phone.wait_for_path("/me").await;
    assert_eq!(phone.text(".who").await, "Hi, Ana");
    phone.click("nav a[href='/offices']").await;
    phone.wait_for_path("/offices").await;

    // Assert: offices grouped by state, each with its distance from home,
    // and nothing wider than the phone's screen.
    assert_eq!(
        phone.texts("section.state h2").await,
        ["Nevada", "Wisconsin"]
    );
    assert_eq!(
        phone.texts("section.state li a").await,
        ["Reno Field Office", "Milwaukee Field Office"]
    );
    let pills = phone.texts("section.state li .pill").await;
    assert_eq!(pills.len(), 2, "one distance per office: {pills:?}");
    assert!(
        pills.iter().all(|p| p.ends_with(" mi from home")),
        "{pills:?}"
    );
    phone.assert_fits_viewport().await;
    phone.screenshot("offices").await;
    phone.close().await;

    // Act + Assert: a signed-out visitor on a desktop sees the same states.
    let desktop = Browser::open(&driver, &tools.chromium, DESKTOP).await;
    desktop.goto(&app.url("/offices")).await;
    desktop.wait_for("section.state h2").await;
    assert_eq!(
        desktop.texts("section.state h2").await,
        ["Nevada", "Wisconsin"]
    );
    assert!(
        desktop.texts(".pill").await.is_empty(),
        "no home, so no distances"
    );
    desktop.assert_fits_viewport().await;
    desktop.screenshot("offices").await;
    desktop.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_traveller_plans_a_trip_and_sees_a_matching_ride_and_bed_in_a_real_browser() {
    // Arrange: an office, a Chicago driver heading there the day before the
    // traveller arrives, and a host near the office.
    let Some((tools, driver, app)) = start().await else {
        return;
    };
    let office = app.office("Milwaukee Field Office", "53202").create().await;
    let arrive = day(&app, 10);
    let leave = day(&app, 13);
    let dee = app.user("Dee Driver").home("60601").create().await;
    app.ride(office)
        .depart(day(&app, 9))
        .depart_time("08:00")
        .seats(2)
        .luggage()
        .insert(dee)
        .await;
    let hal = app.user("Hal Host").home("53202").create().await;
    app.stay()
        .first_night(arrive)
        .last_night(leave)
        .children_welcome()
        .insert(hal)
        .await;
    app.user("Tia Traveller").create().await;

    // Act: log in on a phone and plan the trip from the office's page.
    let phone = Browser::open(&driver, &tools.chromium, PHONE).await;
    phone.goto(&app.url("/login")).await;
    phone.fill("#f-email", "tia@example.org").await;
    phone.fill("#f-password", PASSWORD).await;
    phone
        .click("form[action='/login'] button[type=submit]")
        .await;
    phone.wait_for(".who").await;
    phone.goto(&app.url(&format!("/offices/{office}"))).await;
    phone.click("a[href^='/trips/new']").await;
    phone
        .wait_for_path(&format!("/trips/new?office={office}"))
        .await;
    assert_eq!(
        phone.value("#f-office_id").await,
        office.to_string(),
        "the office is chosen"
    );
    phone.set_value("#f-arrive", &arrive.to_string()).await;
    phone.set_value("#f-leave", &leave.to_string()).await;
    phone.screenshot("trip-form").await;
    phone
        .click("form[action='/trips'] button[type=submit]")
        .await;

    // Assert: the trip page lists the ride and the bed, with the reasons.
    phone.wait_for("#rides .match").await;
    let rides = phone.texts("#rides .match").await;
    assert_eq!(rides.len(), 1, "{rides:?}");
    assert!(rides[0].starts_with("Dee from Chicago, IL"), "{rides:?}");
    assert!(
        rides[0].contains("leaves the day before you arrive"),
        "{rides:?}"
    );
    let stays = phone.texts("#stays .match").await;
    assert_eq!(stays.len(), 1, "{stays:?}");
    assert!(stays[0].contains("all 3 nights free"), "{stays:?}");
    assert!(!phone.texts("main").await.concat().contains("12 Elm St"));
    phone.assert_fits_viewport().await;
    phone.screenshot("trip-matches").await;

    // Act: ask Dee for a seat.
    phone.click("#rides .match form button[type=submit]").await;
    phone.wait_for("#booking-status").await;
    let booking_url = phone.client.current_url().await.expect("url").to_string();
    assert_eq!(phone.text("#booking-status").await, "Waiting for an answer");
    assert!(!phone.text("#owner").await.contains("dee@example.org"));

    // Act: Dee accepts from their own page on a desktop.
    let desk = Browser::open(&driver, &tools.chromium, DESKTOP).await;
    desk.goto(&app.url("/login")).await;
    desk.fill("#f-email", "dee@example.org").await;
    desk.fill("#f-password", PASSWORD).await;
    desk.click("form[action='/login'] button[type=submit]")
        .await;
    desk.wait_for(".who").await;
    desk.click("nav a[href='/me']").await;
    desk.wait_for("#waiting").await;
    assert!(desk.text("#waiting").await.contains("Tia from Chicago, IL"));
    desk.click("#waiting form[action$='/accept'] button").await;
    desk.wait_for("#booking-status").await;
    assert_eq!(desk.text("#booking-status").await, "Confirmed");
    assert!(desk.text("#traveller").await.contains("tia@example.org"));
    assert!(desk.text("#traveller").await.contains("Tia Traveller"));
    desk.screenshot("booking-accepted").await;
    desk.close().await;

    // Assert: Tia sees Dee's contact details now.
    phone.goto(&booking_url).await;
    assert_eq!(phone.text("#booking-status").await, "Confirmed");
    let owner = phone.text("#owner").await;
    assert!(
        owner.contains("Dee Driver") && owner.contains("dee@example.org") && owner.contains("555"),
        "{owner}"
    );
    phone.screenshot("booking-confirmed").await;
    phone.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_staff_open_the_dashboard_and_see_the_chart_in_a_real_browser() {
    // Arrange: an office with a target, staff, and travellers arriving.
    let Some((tools, driver, app)) = start().await else {
        return;
    };
    let office = app.office("Milwaukee Field Office", "53202").create().await;
    app.user("Stef Staff")
        .email("staff@example.org")
        .home("53202")
        .staff_of(office)
        .create()
        .await;
    for (i, name) in ["Ana Arrives", "Bo Later", "Cy Party"].iter().enumerate() {
        let user = app
            .user(name)
            .email(&format!("t{i}@example.org"))
            .create()
            .await;
        let i = i as u64;
        app.trip(office)
            .days(i, i + 3)
            .party(i as i32 + 1)
            .insert(user)
            .await;
    }

    // Act: staff log in on a phone and open the dashboard from the office page.
    let phone = Browser::open(&driver, &tools.chromium, PHONE).await;
    phone.goto(&app.url("/login")).await;
    phone.fill("#f-email", "staff@example.org").await;
    phone.fill("#f-password", PASSWORD).await;
    phone
        .click("form[action='/login'] button[type=submit]")
        .await;
    phone.wait_for(".who").await;
    phone.goto(&app.url(&format!("/offices/{office}"))).await;
    phone.click("a[href$='/dashboard']").await;

    // Assert: the chart is drawn (no JavaScript needed), with a bar per day,
    // and the gaps list the travellers.
    phone.wait_for("#chart svg").await;
    let bars = phone.texts("#chart svg .bar").await;
    assert_eq!(bars.len(), 15, "today and the next 14 days");
    let shown: bool = phone
        .client
        .execute(
            "const r = document.querySelector('#chart svg').getBoundingClientRect(); return r.width > 300 && r.height > 100;",
            vec![],
        )
        .await
        .expect("script")
        .as_bool()
        .unwrap_or(false);
    assert!(shown, "the chart is visible at phone width");
    let gaps = phone.texts("#gaps .gap").await;
    assert_eq!(gaps.len(), 3, "{gaps:?}");
    phone.assert_fits_viewport().await;
    phone.screenshot("dashboard").await;
    phone.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_week_on_a_phone_one_booking_per_leg_and_every_gap_within_reach() {
    // Arrange: two drivers and a host for Tia's trip, staff for the office,
    // and more travellers with nothing booked than one page of gaps shows.
    let Some((tools, driver, app)) = start().await else {
        return;
    };
    let office = app.office("Milwaukee Field Office", "53202").create().await;
    let dee = app.user("Dee Driver").home("60601").create().await;
    let don = app.user("Don Dunn").home("60614").create().await;
    let dee_ride = app
        .ride(office)
        .depart(day(&app, 9))
        .seats(2)
        .insert(dee)
        .await;
    let don_ride = app
        .ride(office)
        .depart(day(&app, 9))
        .seats(2)
        .insert(don)
        .await;
    let hal = app.user("Hal Host").home("53202").create().await;
    app.stay()
        .first_night(day(&app, 10))
        .last_night(day(&app, 13))
        .insert(hal)
        .await;
    let tia = app.user("Tia Traveller").create().await;
    let trip = app.trip(office).days(10, 13).insert(tia).await;
    app.user("Sam Staff").staff_of(office).create().await;
    for i in 0..24u64 {
        let who = app
            .user(&format!("Gap Person{i:02}"))
            .email(&format!("gap{i}@example.org"))
            .create()
            .await;
        app.trip(office).days(2 + i % 10, 14).insert(who).await;
    }
    let phone = Browser::open(&driver, &tools.chromium, PHONE).await;

    // Act: Tia asks both drivers for a seat and the host for a bed.
    log_in(&phone, &app, "tia@example.org").await;
    phone.wait_for_path("/me").await;
    let trip_url = app.url(&format!("/trips/{trip}"));
    for ride in [dee_ride, don_ride] {
        phone.goto(&trip_url).await;
        phone
            .click(&format!(
                "#rides form:has(input[name=offer_id][value='{ride}']) button"
            ))
            .await;
        phone.wait_for("#booking-status").await;
        assert_eq!(phone.text("#booking-status").await, "Waiting for an answer");
    }
    phone.goto(&trip_url).await;
    phone.click("#stays form.request-form button").await;
    phone.wait_for("#booking-status").await;
    phone.screenshot("week-requested").await;
    log_out(&phone).await;

    // Act: Dee sees which ride the request is for and accepts it.
    log_in(&phone, &app, "dee@example.org").await;
    phone.wait_for_path("/me").await;
    let asks = phone.texts("#waiting .request-for").await;
    assert_eq!(asks.len(), 1, "{asks:?}");
    assert!(
        asks[0].contains("ride to Milwaukee Field Office"),
        "the owner sees which ride: {asks:?}"
    );
    phone.assert_fits_viewport().await;
    phone.screenshot("week-inbox").await;
    phone.click("#waiting form[action$='/accept'] button").await;
    phone.wait_for("#booking-status").await;
    assert_eq!(phone.text("#booking-status").await, "Confirmed");
    log_out(&phone).await;

    // Assert: Don's request for the same leg was withdrawn, with a word to Don.
    let status = |ride: i64| {
        let pool = app.db.pool.clone();
        async move {
            sqlx::query_scalar::<_, String>("SELECT status FROM bookings WHERE ride_id = $1")
                .bind(ride)
                .fetch_one(&pool)
                .await
                .expect("one booking on the ride")
        }
    };
    assert_eq!(status(dee_ride).await, "accepted");
    assert_eq!(status(don_ride).await, "withdrawn");
    let to_don = app
        .last_mail_to("don@example.org")
        .await
        .expect("mail to Don");
    assert!(
        to_don.text.contains("another one was confirmed"),
        "{}",
        to_don.text
    );

    // Act: Hal accepts the bed; Tia's plan is complete and offers no more seats.
    log_in(&phone, &app, "hal@example.org").await;
    phone.wait_for_path("/me").await;
    phone.click("#waiting form[action$='/accept'] button").await;
    phone.wait_for("#booking-status").await;
    log_out(&phone).await;
    log_in(&phone, &app, "tia@example.org").await;
    phone.wait_for_path("/me").await;
    phone.goto(&trip_url).await;
    phone.wait_for("#ride-confirmed").await;
    phone.wait_for("#bed-confirmed").await;
    assert!(
        phone.texts("#rides form.request-form").await.is_empty(),
        "no seat is offered for a confirmed ride"
    );
    phone.assert_fits_viewport().await;
    phone.screenshot("week-plan").await;
    log_out(&phone).await;

    // Act: Sam lands on the office's dashboard and pages through every gap.
    log_in(&phone, &app, "sam@example.org").await;
    phone
        .wait_for_path(&format!("/offices/{office}/dashboard"))
        .await;
    let heading = phone.text("#gaps h2").await;
    assert!(heading.ends_with("(24)"), "{heading}");
    let mut seen = std::collections::BTreeSet::new();
    loop {
        for gap in phone.texts("#gaps .gap strong").await {
            seen.insert(gap);
        }
        if phone.texts("#gaps-shown a").await.is_empty() {
            break;
        }
        phone.click("#gaps-shown a").await;
        phone.wait_for("#gaps").await;
        assert!(seen.len() < 100, "paging must end");
    }
    assert_eq!(seen.len(), 24, "every gap reached: {seen:?}");
    assert!(!seen.iter().any(|g| g.contains("Tia")), "Tia is no gap");
    phone.assert_fits_viewport().await;
    phone.screenshot("week-gaps").await;
    phone.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_driver_offers_there_and_back_and_a_traveller_books_all_three_legs() {
    // Arrange: an office, a host near it, and a driver and a traveller in Chicago.
    let Some((tools, driver, app)) = start().await else {
        return;
    };
    let office = app.office("Milwaukee Field Office", "53202").create().await;
    let (arrive, leave) = (day(&app, 10), day(&app, 13));
    let hal = app.user("Hal Host").home("53202").create().await;
    app.stay()
        .first_night(arrive)
        .last_night(leave)
        .insert(hal)
        .await;
    app.user("Dee Driver").home("60601").create().await;
    app.user("Tia Traveller").home("60616").create().await;
    let phone = Browser::open(&driver, &tools.chromium, PHONE).await;

    // Act: Dee offers a ride there and, in the same form, the drive back.
    log_in(&phone, &app, "dee@example.org").await;
    phone.goto(&app.url("/rides/new")).await;
    phone.wait_for("#f-office_id").await;
    phone
        .client
        .execute(
            "document.querySelector('#f-office_id').value = arguments[0];",
            vec![json!(office.to_string())],
        )
        .await
        .expect("choose the office");
    phone.fill("#f-from", "60601").await;
    phone.set_value("#f-depart_date", &arrive.to_string()).await;
    phone.set_value("#f-depart_time", "08:00").await;
    phone.fill("#f-seats", "2").await;
    phone.fill("#f-max_detour_km", "30").await;
    phone.set_value("#f-return_date", &leave.to_string()).await;
    phone.screenshot("there-and-back-form").await;
    phone
        .click("form[action='/rides'] button[type=submit]")
        .await;
    phone.wait_for(".flash").await;
    let rides: Vec<(i64, String)> = sqlx::query_as("SELECT id, direction FROM rides ORDER BY id")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(
        rides.iter().map(|r| r.1.as_str()).collect::<Vec<_>>(),
        ["to_office", "from_office"],
        "one form, two rides"
    );
    log_out(&phone).await;

    // Act: Tia plans her trip needing both rides and a bed.
    log_in(&phone, &app, "tia@example.org").await;
    phone
        .goto(&app.url(&format!("/trips/new?office={office}")))
        .await;
    phone.set_value("#f-arrive", &arrive.to_string()).await;
    phone.set_value("#f-leave", &leave.to_string()).await;
    phone.click("input[name=needs_ride_home]").await;
    phone
        .click("form[action='/trips'] button[type=submit]")
        .await;

    // Assert: her plan has three legs, each with an option.
    phone.wait_for("#plan").await;
    for leg in ["#leg-ride_there", "#leg-nights", "#leg-ride_home"] {
        phone.wait_for(leg).await;
    }
    assert!(
        phone.text("#still-missing").await.contains("ride home"),
        "{}",
        phone.text("#still-missing").await
    );
    phone.assert_fits_viewport().await;
    phone.screenshot("three-legs").await;
    let trip_url = phone.client.current_url().await.expect("url").to_string();
    // Act: she asks for the seat there, the bed and the seat home.
    for section in ["#rides", "#stays", "#rides-home"] {
        phone.goto(&trip_url).await;
        phone
            .click(&format!("{section} form.request-form button"))
            .await;
        phone.wait_for("#booking-status").await;
        assert_eq!(phone.text("#booking-status").await, "Waiting for an answer");
    }
    log_out(&phone).await;

    // Act: Dee accepts both of her requests, Hal the bed.
    for (owner, n) in [("dee@example.org", 2), ("hal@example.org", 1)] {
        log_in(&phone, &app, owner).await;
        for _ in 0..n {
            phone.goto(&app.url("/me")).await;
            phone.click("#waiting form[action$='/accept'] button").await;
            phone.wait_for("#booking-status").await;
            assert_eq!(phone.text("#booking-status").await, "Confirmed");
        }
        log_out(&phone).await;
    }

    // Assert: the plan is complete, each leg confirmed.
    log_in(&phone, &app, "tia@example.org").await;
    phone.goto(&trip_url).await;
    for confirmed in ["#ride-confirmed", "#bed-confirmed", "#home-confirmed"] {
        phone.wait_for(confirmed).await;
    }
    assert!(
        phone.text("#still-missing").await.contains("complete"),
        "{}",
        phone.text("#still-missing").await
    );
    phone.assert_fits_viewport().await;
    phone.screenshot("three-legs-complete").await;
    phone.close().await;
}

/// An office in Milwaukee with a Chicago driver leaving the day before day 10
/// and a host at the office for nights 10 to 13: a trip on those days finds
/// a ride and a bed. Returns the office.
async fn office_with_a_ride_and_a_bed(app: &TestApp) -> i64 {
    let office = app.office("Milwaukee Field Office", "53202").create().await;
    let dee = app.user("Dee Driver").home("60601").create().await;
    app.ride(office)
        .depart(day(app, 9))
        .seats(2)
        .insert(dee)
        .await;
    let hal = app.user("Hal Host").home("53202").create().await;
    app.stay()
        .first_night(day(app, 10))
        .last_night(day(app, 13))
        .insert(hal)
        .await;
    office
}

/// Chromium's tools, a running chromedriver and the app on SQLite; None
/// (the test is skipped) when the tools are missing outside CI.
async fn start() -> Option<(BrowserTools, ChromeDriver, TestApp)> {
    let tools = BrowserTools::find()?;
    let driver = ChromeDriver::start(&tools.chromedriver).await;
    let app = TestApp::spawn(Backend::Sqlite)
        .await
        .expect("app on SQLite");
    Some((tools, driver, app))
}

/// Logs in through the form (the landing page is the caller's to check).
async fn log_in(b: &Browser, app: &TestApp, email: &str) {
    b.goto(&app.url("/login")).await;
    b.fill("#f-email", email).await;
    b.fill("#f-password", PASSWORD).await;
    b.click("form[action='/login'] button[type=submit]").await;
    b.wait_for(".who").await;
}

/// Logs out from the navigation.
async fn log_out(b: &Browser) {
    b.click("nav form[action='/logout'] button").await;
    b.wait_for("nav a[href='/login']").await;
}

// ---------------------------------------------------------------------------
// Helpers

/// How long a wait for the page may take before the test fails.
const WAIT: Duration = Duration::from_secs(10);
/// How often chromedriver's /status is asked, and how many times at most.
const READY_POLL: Duration = Duration::from_millis(100);
const READY_ATTEMPTS: u32 = 150;

/// The chromedriver and Chromium binaries, or None (after saying why) when
/// they are not installed and this is not CI.
struct BrowserTools {
    chromedriver: PathBuf,
    chromium: PathBuf,
}

impl BrowserTools {
    fn find() -> Option<BrowserTools> {
        let chromedriver = find_program(&["chromedriver"]);
        let chromium = find_program(&["chromium", "chromium-browser", "google-chrome"]);
        match (chromedriver, chromium) {
            (Some(chromedriver), Some(chromium)) => Some(BrowserTools {
                chromedriver,
                chromium,
            }),
            _ if std::env::var("CI").is_ok_and(|v| !v.is_empty()) => {
                panic!("Chromium/chromedriver missing in CI: .ci/run must install them")
            }
            _ => {
                eprintln!(
                    "skipped: install Debian packages chromium and chromium-driver to run the browser test"
                );
                None
            }
        }
    }
}

/// The first of `names` found in /usr/bin or on PATH.
fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let dirs: Vec<PathBuf> = std::iter::once(PathBuf::from("/usr/bin"))
        .chain(std::env::split_paths(&path))
        .collect();
    names
        .iter()
        .flat_map(|name| dirs.iter().map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// A chromedriver on a free local port. Dropping it (also when the test
/// panics) shuts chromedriver down together with any browser it started.
struct ChromeDriver {
    child: Child,
    port: u16,
}

impl ChromeDriver {
    async fn start(binary: &Path) -> ChromeDriver {
        let port = free_port();
        let child = Command::new(binary)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let mut driver = ChromeDriver { child, port };
        driver.wait_until_ready().await;
        driver
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    async fn wait_until_ready(&mut self) {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .build()
            .expect("http client");
        let status = format!("{}/status", self.url());
        for _ in 0..READY_ATTEMPTS {
            if let Some(exit) = self.child.try_wait().expect("chromedriver state") {
                panic!("chromedriver exited before it was ready: {exit}");
            }
            if let Ok(resp) = http.get(&status).send().await {
                if let Ok(body) = resp.json::<Value>().await {
                    if body["value"]["ready"] == json!(true) {
                        return;
                    }
                }
            }
            tokio::time::sleep(READY_POLL).await;
        }
        panic!("chromedriver did not answer {status} after {READY_ATTEMPTS} attempts");
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        // Killing chromedriver alone would leave Chromium running; its
        // /shutdown ends every session's browser first, then chromedriver.
        let _ = request_shutdown(self.port);
        for _ in 0..50 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// GET /shutdown on chromedriver, blocking (it runs from `Drop`).
fn request_shutdown(port: u16) -> std::io::Result<()> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let request =
        format!("GET /shutdown HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes())?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    Ok(())
}

#[derive(Clone, Copy)]
struct Viewport {
    name: &'static str,
    width: u32,
    height: u32,
    mobile: bool,
}

/// One headless Chromium session with a fresh profile and a fixed window size.
struct Browser {
    client: Client,
    view: Viewport,
    _profile: tempfile::TempDir,
}

impl Browser {
    async fn open(driver: &ChromeDriver, chromium: &Path, view: Viewport) -> Browser {
        let profile = tempfile::tempdir().expect("browser profile dir");
        let args = [
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            format!("--user-data-dir={}", profile.path().display()),
            format!("--window-size={},{}", view.width, view.height),
        ];
        // Headless Chromium keeps windows at least 500px wide, so narrower
        // viewports also need device metrics (which also make it a phone).
        let mut options = json!({ "binary": chromium.display().to_string(), "args": args });
        if view.mobile {
            options["mobileEmulation"] = json!({
                "deviceMetrics": { "width": view.width, "height": view.height, "pixelRatio": 2.0, "touch": true, "mobile": true },
            });
        }
        let capabilities = json!({ "browserName": "chrome", "goog:chromeOptions": options });
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities.as_object().cloned().expect("an object"))
            .connect(&driver.url())
            .await
            .expect("start a Chromium session");
        Browser {
            client,
            view,
            _profile: profile,
        }
    }

    async fn goto(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    /// Waits until the browser is at `path` on the current site.
    async fn wait_for_path(&self, path: &str) {
        let here = self.client.current_url().await.expect("current url");
        let target = here.join(path).expect("a url");
        if let Err(e) = self.client.wait().at_most(WAIT).for_url(&target).await {
            let now = self.client.current_url().await.map(|u| u.to_string());
            let said = self.texts("h1, .flash, .error").await;
            panic!("never reached {target} (at {now:?}, saying {said:?}): {e}");
        }
    }

    async fn wait_for(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no `{css}` on the page: {e}"))
    }

    /// Sets a field's value directly: date inputs take typed keys in the
    /// browser's locale format, which a test should not depend on.
    async fn set_value(&self, css: &str, value: &str) {
        self.wait_for(css).await;
        self.client
            .execute(
                "document.querySelector(arguments[0]).value = arguments[1];",
                vec![json!(css), json!(value)],
            )
            .await
            .unwrap_or_else(|e| panic!("set `{css}`: {e}"));
    }

    async fn value(&self, css: &str) -> String {
        let field = self.wait_for(css).await;
        field
            .prop("value")
            .await
            .expect("field value")
            .unwrap_or_default()
    }

    async fn fill(&self, css: &str, value: &str) {
        let field = self.wait_for(css).await;
        field.clear().await.expect("clear field");
        field
            .send_keys(value)
            .await
            .unwrap_or_else(|e| panic!("type into `{css}`: {e}"));
    }

    async fn click(&self, css: &str) {
        let target = self.wait_for(css).await;
        target
            .click()
            .await
            .unwrap_or_else(|e| panic!("click `{css}`: {e}"));
    }

    async fn text(&self, css: &str) -> String {
        let element = self.wait_for(css).await;
        element.text().await.expect("element text")
    }

    async fn texts(&self, css: &str) -> Vec<String> {
        let elements = self
            .client
            .find_all(Locator::Css(css))
            .await
            .expect("find elements");
        let mut texts = Vec::with_capacity(elements.len());
        for element in elements {
            texts.push(
                element
                    .text()
                    .await
                    .expect("element text")
                    .trim()
                    .to_string(),
            );
        }
        texts
    }

    /// The page is laid out for this window: as wide as asked, and nothing
    /// sticks out sideways (no horizontal scrolling).
    async fn assert_fits_viewport(&self) {
        let sizes = self
            .client
            .execute(
                "return [document.documentElement.scrollWidth, window.innerWidth];",
                vec![],
            )
            .await
            .expect("run script");
        let width = |i: usize| {
            sizes[i]
                .as_u64()
                .unwrap_or_else(|| panic!("a width: {sizes}"))
        };
        let (scroll_width, inner_width) = (width(0), width(1));
        assert_eq!(
            inner_width,
            u64::from(self.view.width),
            "the {} window has the wrong width",
            self.view.name
        );
        assert!(
            scroll_width <= inner_width,
            "the page is {scroll_width}px wide in a {inner_width}px {} viewport",
            self.view.name
        );
    }

    /// Saves a screenshot to the temp dir for people to look at; not compared.
    async fn screenshot(&self, page: &str) {
        let png = self.client.screenshot().await.expect("screenshot");
        let path = std::env::temp_dir().join(format!("trip-planner-{page}-{}.png", self.view.name));
        std::fs::write(&path, png).expect("write screenshot");
        eprintln!("screenshot: {}", path.display());
    }

    async fn close(self) {
        self.client.close().await.expect("close the browser");
    }
}
