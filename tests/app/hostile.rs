//! Hostile values posted into every form: never a 500, never reflected raw,
//! on both databases (PostgreSQL refuses NUL bytes that SQLite would store).

use reqwest::StatusCode;

use crate::helpers::TestApp;

on_both_databases!(every_form_survives_hostile_values);

const EVIL: &[&str] = &[
    "<script>alert('x')</script>",
    "\u{0}nul\u{0}",
    "'; DROP TABLE users; --",
    "99999999999999999999999999",
    "-1",
    "1e308",
    "NaN",
    "%00%ZZ",
    "\u{202e}rtl 🚐 ÿ",
    "2026-02-30",
    "+275760-09-13",
    "//evil.example",
    "\r\nSet-Cookie: x=1",
];

async fn every_form_survives_hostile_values(app: TestApp) {
    let office = app.office("Milwaukee Field Office", "53202").create().await;
    app.as_admin().await;
    let long = "x".repeat(100_000);
    let forms: Vec<(String, Vec<&str>)> = vec![
        (
            "/signup".into(),
            vec!["name", "email", "new_password", "home", "phone"],
        ),
        (
            "/admin/offices".into(),
            vec![
                "name",
                "place",
                "timezone",
                "contact_email",
                "needed_per_day",
            ],
        ),
        (
            format!("/admin/offices/{office}"),
            vec![
                "name",
                "place",
                "timezone",
                "contact_email",
                "needed_per_day",
            ],
        ),
        (format!("/admin/offices/{office}/staff"), vec!["email"]),
        (
            "/rides".into(),
            vec![
                "office_id",
                "from",
                "depart_date",
                "depart_time",
                "seats",
                "max_detour_km",
                "return_date",
                "notes",
                "luggage",
            ],
        ),
        (
            "/stays".into(),
            vec![
                "place",
                "street",
                "beds",
                "first_night",
                "last_night",
                "blocked_nights",
                "notes",
                "smoking",
            ],
        ),
        (
            "/trips".into(),
            vec![
                "office_id",
                "from",
                "arrive",
                "leave",
                "party_size",
                "flex_days",
                "max_stay_km",
                "notes",
                "needs_ride",
            ],
        ),
    ];
    let offices_before = app.count("offices").await;
    for (path, fields) in &forms {
        for evil in EVIL.iter().copied().chain([long.as_str()]) {
            let form: Vec<(&str, &str)> = fields.iter().map(|f| (*f, evil)).collect();
            let page = app.post(path, &form).await;
            assert!(
                page.status.as_u16() < 500,
                "{path} with {evil:?}: {}",
                page.status
            );
            assert!(
                !page.body.contains("<script>alert"),
                "{path} reflected {evil:?}"
            );
            assert!(
                !page.headers.contains_key("x"),
                "{path} let a header through"
            );
        }
    }
    assert_eq!(
        app.count("offices").await,
        offices_before,
        "nothing hostile was saved"
    );
    assert_eq!(
        app.count("rides").await + app.count("stays").await + app.count("trips").await,
        0
    );

    // The login form last: failures are recorded, so it must store what it may.
    for evil in EVIL {
        let page = app
            .post(
                "/login",
                &[("email", evil), ("password", evil), ("next", evil)],
            )
            .await;
        assert!(
            page.status.as_u16() < 500,
            "/login with {evil:?}: {}",
            page.status
        );
        assert!(!page.body.contains("<script>alert"));
    }
    for evil in [
        "/%00",
        "/offices/%00",
        "/login?next=%0d%0aX:1",
        "/offices/1?page=-9999999999999",
    ] {
        let page = app.get(evil).await;
        assert!(page.status.as_u16() < 500, "GET {evil}: {}", page.status);
    }
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
}
