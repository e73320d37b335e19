use reqwest::StatusCode;
use trip_planner::domain::ids::*;

use crate::helpers::TestApp;
use trip_planner::clock::Clock;
use trip_planner::store::offices;

on_both_databases!(
    a_volunteer_cannot_reach_admin_pages,
    an_admin_creates_and_edits_an_office,
    office_form_errors_change_nothing,
    an_admin_assigns_and_removes_staff,
    offices_are_grouped_by_state_with_distance_from_home,
    health_and_not_found_pages,
    the_demo_loads_once_even_when_two_instances_race,
);

async fn create_office(app: &TestApp, name: &str, place: &str) -> i64 {
    let page = app
        .post(
            "/admin/offices",
            &[
                ("name", name),
                ("place", place),
                ("timezone", ""),
                ("contact_email", ""),
                ("needed_per_day", ""),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    page.redirect_id("/offices/")
}

async fn a_volunteer_cannot_reach_admin_pages(app: TestApp) {
    app.as_volunteer().await;
    for path in ["/admin", "/admin/offices/new", "/admin/offices/1/edit"] {
        assert_eq!(app.get(path).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    let page = app
        .post(
            "/admin/offices",
            &[
                ("name", "Sneaky"),
                ("place", "53202"),
                ("timezone", ""),
                ("contact_email", ""),
                ("needed_per_day", ""),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.text("h1").contains("Not allowed"));
    assert_eq!(app.count("offices").await, 0);
}

async fn an_admin_creates_and_edits_an_office(app: TestApp) {
    app.as_admin().await;
    let page = app
        .post(
            "/admin/offices",
            &[
                ("name", "Milwaukee  Field Office"),
                ("place", "53202"),
                ("timezone", ""),
                ("contact_email", "mke@example.org"),
                ("needed_per_day", "30"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let shown = app.follow(&page).await;
    assert_eq!(shown.text("h1"), "Milwaukee Field Office");
    assert!(
        shown.texts(".flash.ok").join(" ").contains("created"),
        "{}",
        shown.body
    );
    let id = page.redirect_id("/offices/");
    let office = offices::by_id(&app.db.pool, OfficeId(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(office.place.state, "WI");
    assert_eq!(office.timezone, "America/Chicago");
    assert_eq!(office.needed_per_day, Some(30));

    let edit = app.get(&format!("/admin/offices/{id}/edit")).await;
    assert_eq!(
        edit.attr("#f-name", "value").as_deref(),
        Some("Milwaukee Field Office")
    );
    let saved = app
        .post(
            &format!("/admin/offices/{id}"),
            &[
                ("name", "MKE Office"),
                ("place", "Madison, WI"),
                ("timezone", "America/Chicago"),
                ("contact_email", ""),
                ("needed_per_day", ""),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let office = offices::by_id(&app.db.pool, OfficeId(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(office.name, "MKE Office");
    assert_eq!(office.place.city, "Madison");
    assert_eq!(office.contact_email, None);
    assert_eq!(office.needed_per_day, None);
}

async fn office_form_errors_change_nothing(app: TestApp) {
    app.as_admin().await;
    let id = create_office(&app, "Reno Field Office", "89501").await;
    let dup = app
        .post(
            "/admin/offices",
            &[
                ("name", "RENO field office"),
                ("place", "89501"),
                ("timezone", ""),
                ("contact_email", ""),
                ("needed_per_day", ""),
            ],
        )
        .await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(dup.text("#e-name").contains("already has this name"));
    let bad = app
        .post(
            &format!("/admin/offices/{id}"),
            &[
                ("name", "Reno"),
                ("place", "00000"),
                ("timezone", "Mars/Base"),
                ("contact_email", "nope"),
                ("needed_per_day", "-3"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["place", "contact_email", "needed_per_day"] {
        assert!(!bad.text(&format!("#e-{field}")).is_empty(), "{field}");
    }
    let office = offices::by_id(&app.db.pool, OfficeId(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(office.name, "Reno Field Office");
    assert_eq!(office.timezone, "America/Los_Angeles");
    assert_eq!(app.count("offices").await, 1);
    assert_eq!(
        app.post(
            "/admin/offices/424242",
            &[("name", "X Office"), ("place", "89501")]
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
}

async fn an_admin_assigns_and_removes_staff(app: TestApp) {
    app.as_admin().await;
    let id = create_office(&app, "Detroit Field Office", "48226").await;
    let staff_id = app.user("Sam Staff").home("48226").create().await;
    let added = app
        .post(
            &format!("/admin/offices/{id}/staff"),
            &[("email", "SAM@example.org")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let page = app.follow(&added).await;
    assert!(page
        .texts(".flash.ok")
        .join(" ")
        .contains("Sam Staff is now staff"));
    assert_eq!(
        offices::staff(&app.db.pool, OfficeId(id))
            .await
            .unwrap()
            .len(),
        1
    );

    let again = app
        .post(
            &format!("/admin/offices/{id}/staff"),
            &[("email", "sam@example.org")],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text("#e-email").contains("already staff"));
    let unknown = app
        .post(
            &format!("/admin/offices/{id}/staff"),
            &[("email", "ghost@example.org")],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.text("#e-email").contains("No account"));

    let removed = app
        .post(&format!("/admin/offices/{id}/staff/{staff_id}/remove"), &[])
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert!(offices::staff(&app.db.pool, OfficeId(id))
        .await
        .unwrap()
        .is_empty());
}

async fn offices_are_grouped_by_state_with_distance_from_home(app: TestApp) {
    app.as_admin().await;
    create_office(&app, "Milwaukee Field Office", "53202").await;
    create_office(&app, "Madison Field Office", "53703").await;
    create_office(&app, "Reno Field Office", "89501").await;

    let anon = crate::helpers::new_client();
    let page = app.get_with(&anon, "/offices").await;
    assert_eq!(page.texts("section.state h2"), vec!["Nevada", "Wisconsin"]);
    assert!(
        page.texts(".pill").is_empty(),
        "no distances for anonymous visitors"
    );

    // The admin lives in Chicago (60601): Milwaukee is about 130 km (81 mi)
    // away, shown in miles.
    let page = app.get("/offices").await;
    let items = page.texts("section.state li");
    let mke = items.iter().find(|t| t.contains("Milwaukee")).unwrap();
    assert!(mke.ends_with(" mi from home"), "{mke}");
    let miles: f64 = mke
        .split("Milwaukee, WI")
        .nth(1)
        .unwrap()
        .trim()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((75.0..87.0).contains(&miles), "{mke}");
}

async fn health_and_not_found_pages(app: TestApp) {
    let h = app.get("/healthz").await;
    assert_eq!(h.status, StatusCode::OK);
    let nf = app.get("/no/such/page").await;
    assert_eq!(nf.status, StatusCode::NOT_FOUND);
    assert_eq!(nf.text("h1"), "Page not found");
    assert_eq!(app.get("/offices/77").await.status, StatusCode::NOT_FOUND);
    let credits = app.get("/credits").await;
    assert!(credits.body.contains("GeoNames"));
    assert!(credits.body.contains("CC BY 4.0"));
    let css = app.get("/static/app.css").await;
    assert_eq!(css.status, StatusCode::OK);

    app.db.pool.close().await;
    assert_eq!(
        app.get("/healthz").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
}

async fn the_demo_loads_once_even_when_two_instances_race(app: TestApp) {
    let clock = Clock::system();
    let db2 = app.db.clone();
    let (a, b) = tokio::join!(
        trip_planner::demo::load_if_empty(&app.db, &clock),
        trip_planner::demo::load_if_empty(&db2, &clock)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(a ^ b, "exactly one loader wins: {a} {b}");
    let offices = app.count("offices").await;
    assert!(offices >= 20);
    let hosts = offices * trip_planner::demo::HOSTS_PER_OFFICE as i64;
    assert_eq!(
        app.count("users").await,
        trip_planner::demo::VOLUNTEERS as i64 + 3 + hosts
    );
    for table in ["rides", "stays", "trips"] {
        assert!(app.count(table).await > 0, "the demo has {table}");
    }
    assert!(!trip_planner::demo::load_if_empty(&app.db, &clock)
        .await
        .unwrap());

    // The demo logins work.
    app.login(
        trip_planner::demo::ADMIN_EMAIL,
        trip_planner::demo::DEMO_PASSWORD,
    )
    .await;
    assert_eq!(app.get("/admin").await.status, StatusCode::OK);
}
