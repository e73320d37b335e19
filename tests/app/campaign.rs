//! The admins' campaign view (page and CSV) and the Prometheus metrics.

use reqwest::StatusCode;

use crate::helpers::{day, new_client, Backend, Page, TestApp};

on_both_databases!(
    the_campaign_view_counts_offers_matches_and_the_coming_week_per_office,
    the_campaign_view_is_for_admins_only,
    metrics_are_off_without_a_token,
);

struct Scene {
    mke: i64,
    reno: i64,
    traveller: reqwest::Client,
    trip_id: i64,
    booking_id: i64,
}

/// Milwaukee: a 3-seat ride on day 10 (and a paused one), 2 beds for nights
/// 5–20; Tia's trip (days 10–14, ride and bed) fits both and has her ride
/// accepted; Ugo (party of 2, days 3–4) needs a ride nothing fits; Val comes
/// for day 2 needing nothing. Reno: no offers, Wes (days 5–7) needs a bed.
async fn scene(app: &TestApp) -> Scene {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let reno = app.office("Reno Field Office", "89501").create().await;
    let (_, dee) = app.user("Dee Driver").home("60601").signed_in().await;
    let ride_id = app.ride(mke).create(&dee).await;
    let paused = app
        .ride(mke)
        .depart(day(app, 20))
        .seats(4)
        .create(&dee)
        .await;
    assert_eq!(
        app.post_with(&dee, &format!("/rides/{paused}/pause"), &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let (_, hal) = app.user("Hal Host").home("53202").signed_in().await;
    app.stay().post(&hal).await;

    let (_, tia) = app.user("Tia Traveller").signed_in().await;
    let trip_id = app.trip(mke).create(&tia).await;
    let booking_id = app
        .ask(&tia, trip_id, "ride", ride_id)
        .await
        .redirect_id("/bookings/");
    let accepted = app
        .post_with(&dee, &format!("/bookings/{booking_id}/accept"), &[])
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);
    let ugo = app
        .user("Tra Veller")
        .email("ugo@example.org")
        .create()
        .await;
    app.trip(mke).days(3, 4).party(2).no_bed().insert(ugo).await;
    let val = app
        .user("Tra Veller")
        .email("val@example.org")
        .create()
        .await;
    app.trip(mke)
        .days(2, 2)
        .no_ride()
        .no_bed()
        .insert(val)
        .await;
    let wes = app
        .user("Tra Veller")
        .email("wes@example.org")
        .create()
        .await;
    app.trip(reno).days(5, 7).no_ride().insert(wes).await;
    Scene {
        mke,
        reno,
        traveller: tia,
        trip_id,
        booking_id,
    }
}

fn cells(page: &Page, office_id: i64) -> Vec<String> {
    page.texts(&format!("#campaign tbody tr[data-office='{office_id}'] td"))[1..].to_vec()
}

async fn the_campaign_view_counts_offers_matches_and_the_coming_week_per_office(app: TestApp) {
    let s = scene(&app).await;
    app.as_admin().await;

    let page = app.get("/admin/campaign").await;

    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // Seats, bed-nights, trips, matched, accepted, arriving, gaps, seats
    // home, people served, what the proposal would serve.
    assert_eq!(
        cells(&page, s.mke),
        [
            "3",
            "32",
            "3",
            "50% 1 of 2",
            "1",
            "3",
            "1",
            "0",
            "0",
            "1 more"
        ],
        "the paused ride offers nothing; 2 beds × nights 5–20; Tia matched, Ugo not; \
         Ugo's 2 and Val arrive this week, Ugo is a gap; nobody is served yet, and \
         Hal's beds would serve Tia"
    );
    assert_eq!(
        page.attr(
            &format!("#campaign tbody tr[data-office='{}'] .proposals a", s.mke),
            "href"
        )
        .as_deref(),
        Some(&*format!("/offices/{}/propose", s.mke))
    );
    assert_eq!(
        cells(&page, s.reno),
        ["0", "0", "1", "0% 0 of 1", "0", "1", "1", "0", "0", "0"]
    );
    assert_eq!(
        page.texts("#campaign-total th")[1..],
        ["3", "32", "4", "33%", "1", "4", "2", "0", "0", "1"]
    );
    assert_eq!(
        page.texts("#campaign tbody tr td:first-child"),
        ["Reno Field Office", "Milwaukee Field Office"],
        "by state, then name"
    );
    assert!(page.text("#campaign-notes").contains("accepted booking"));
    let admin = app.get("/admin").await;
    assert_eq!(
        admin.attr("#campaign-link", "href").as_deref(),
        Some("/admin/campaign")
    );

    let csv = app.get("/admin/campaign.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
    assert!(csv.headers["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\"campaign-"));
    let body = csv.body.strip_prefix('\u{feff}').unwrap();
    assert_eq!(
        body,
        "office,seats_offered,bed_nights_offered,trips,trips_needing,matched,matched_pct,accepted_bookings,arrivals_7d,gaps_7d,seats_home_offered,people_served,proposals_could_serve\r\n\
         Reno Field Office,0,0,1,1,0,0,0,1,1,0,0,0\r\n\
         Milwaukee Field Office,3,32,3,2,1,50,1,3,1,0,0,1\r\n\
         All offices,3,32,4,3,1,33,1,4,2,0,0,1\r\n"
    );

    // Cancelling the booking leaves Tia matched by the offers that still fit her.
    let cancelled = app
        .post_with(
            &s.traveller,
            &format!("/bookings/{}/cancel", s.booking_id),
            &[("reason", "Plans changed")],
        )
        .await;
    assert_eq!(
        cancelled.status,
        StatusCode::SEE_OTHER,
        "{}",
        cancelled.body
    );
    let after = app.get("/admin/campaign").await;
    assert_eq!(
        cells(&after, s.mke),
        [
            "3",
            "32",
            "3",
            "50% 1 of 2",
            "0",
            "3",
            "1",
            "0",
            "0",
            "1 more"
        ]
    );
    let _ = s.trip_id;
}

async fn the_campaign_view_is_for_admins_only(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, staff) = app
        .user("Stef Staff")
        .home("53202")
        .staff_of(mke)
        .signed_in()
        .await;
    app.as_volunteer().await;
    for path in ["/admin/campaign", "/admin/campaign.csv"] {
        assert_eq!(app.get(path).await.status, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(
            app.get_with(&staff, path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
        let anonymous = app.get_with(&new_client(), path).await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "{path}");
    }
}

async fn metrics_are_off_without_a_token(app: TestApp) {
    let page = app.get("/metrics").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let with_header = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("anything")
        .send()
        .await
        .unwrap();
    assert_eq!(with_header.status(), StatusCode::NOT_FOUND);
}

const TOKEN: &str = "scrape-me-0123456789";

mod metrics_with_a_token {
    use super::*;

    async fn spawn(backend: Backend) -> Option<TestApp> {
        TestApp::spawn_with(backend, |s| s.metrics_token = Some(TOKEN.into())).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        let app = spawn(Backend::Sqlite).await.expect("sqlite");
        super::metrics_with_a_token(app).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[cfg_attr(no_test_database, ignore = "needs TEST_DATABASE_URL")]
    async fn postgres() {
        if let Some(app) = spawn(Backend::Postgres).await {
            super::metrics_with_a_token(app).await
        }
    }
}

async fn scrape(app: &TestApp, auth: Option<&str>) -> (StatusCode, String, String) {
    let mut req = new_client().get(app.url("/metrics"));
    if let Some(a) = auth {
        req = req.header("authorization", a);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let kind = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, kind, res.text().await.unwrap())
}

async fn metrics_with_a_token(app: TestApp) {
    let s = scene(&app).await;
    // The trip page computes Tia's matches; a feed link carries a secret.
    let trip = app
        .get_with(&s.traveller, &format!("/trips/{}", s.trip_id))
        .await;
    assert_eq!(trip.status, StatusCode::OK);
    let secret = "f".repeat(64);
    let missing = app
        .get_with(&new_client(), &format!("/calendar/{secret}.ics"))
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    app.get("/no/such/page").await;

    assert_eq!(scrape(&app, None).await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        scrape(&app, Some("Bearer wrong-token")).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        scrape(&app, Some(&format!("Basic {TOKEN}"))).await.0,
        StatusCode::FORBIDDEN
    );

    let (status, kind, body) = scrape(&app, Some(&format!("Bearer {TOKEN}"))).await;

    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(kind.starts_with("text/plain; version=0.0.4"), "{kind}");
    let has = |needle: &str| assert!(body.contains(needle), "{needle} in\n{body}");
    has("# TYPE http_requests_total counter");
    has("# TYPE http_request_duration_seconds histogram");
    has("http_request_duration_seconds_bucket{");
    // Route patterns, never raw paths.
    for line in body
        .lines()
        .filter(|l| l.starts_with("http_requests_total{"))
    {
        assert!(
            line.contains("method=\"") && line.contains("status=\""),
            "{line}"
        );
    }
    assert!(body.lines().any(|l| l.starts_with("http_requests_total{")
        && l.contains("route=\"/trips/{id}\"")
        && l.contains("status=\"200\"")));
    assert!(body.lines().any(|l| l.starts_with("http_requests_total{")
        && l.contains("route=\"/calendar/{file}\"")
        && l.contains("status=\"404\"")));
    has("route=\"(unmatched)\"");
    assert!(!body.contains(&secret), "no token in any label");
    assert!(!body.contains(&format!("route=\"/trips/{}\"", s.trip_id)));
    // Database gauges: Tia's accepted ride, nothing else.
    has("trip_planner_bookings{status=\"accepted\"} 1\n");
    has("trip_planner_bookings{status=\"requested\"} 0\n");
    has("trip_planner_bookings{status=\"cancelled\"} 0\n");
    assert!(body
        .lines()
        .any(|l| l.starts_with("trip_planner_outbox_depth ")));
    assert!(
        body.lines()
            .filter(|l| l.starts_with("trip_planner_matches_served_total "))
            .any(|l| l.split(' ').nth(1).unwrap().parse::<f64>().unwrap() >= 2.0),
        "Tia's page showed a ride with room left and a bed: {body}"
    );
}
