//! After logging in, people land where they work: the page they asked for,
//! else their trips (volunteers), their office's dashboard (staff of one), the
//! choice of dashboards (staff of several) or the admin page (admins); staff
//! find their dashboard in the navigation.

use reqwest::StatusCode;

use crate::helpers::{new_client, TestApp, PASSWORD};

on_both_databases!(
    a_volunteer_lands_on_their_trips,
    staff_of_one_office_land_on_its_dashboard_which_the_navigation_links,
    staff_of_two_offices_choose_among_their_dashboards,
    an_admin_lands_on_the_admin_page,
    the_page_asked_for_comes_first_and_must_be_on_the_site,
);

/// Logs in through the login page's own form (its hidden `next` included),
/// as a browser does; the redirect.
async fn log_in(app: &TestApp, client: &reqwest::Client, path: &str, email: &str) -> String {
    let form = app.get_with(client, path).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let next = form.attr("input[name=next]", "value").unwrap_or_default();
    let page = app
        .post_with(
            client,
            "/login",
            &[("email", email), ("password", PASSWORD), ("next", &next)],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    page.location().unwrap().to_string()
}

async fn a_volunteer_lands_on_their_trips(app: TestApp) {
    app.user("Vera Vol").create().await;
    let client = new_client();
    assert_eq!(
        log_in(&app, &client, "/login", "vera@example.org").await,
        "/me"
    );
    let me = app.get_with(&client, "/me").await;
    assert!(me.texts(".dashboard-link").is_empty(), "no dashboard link");
    // Already signed in, the login page sends them on the same way.
    assert_eq!(
        app.get_with(&client, "/login").await.location(),
        Some("/me")
    );
}

async fn staff_of_one_office_land_on_its_dashboard_which_the_navigation_links(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    app.user("Sasha Staff").staff_of(mke).create().await;
    let client = new_client();
    let to = log_in(&app, &client, "/login", "sasha@example.org").await;
    assert_eq!(to, format!("/offices/{mke}/dashboard"));
    let dashboard = app.get_with(&client, &to).await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert_eq!(dashboard.text(".flash.ok"), "You are logged in.");
    // Every page's navigation leads back to it.
    let offices = app.get_with(&client, "/offices").await;
    assert_eq!(offices.text("nav .dashboard-link"), "Dashboard");
    assert_eq!(
        offices.attr("nav .dashboard-link", "href").as_deref(),
        Some(to.as_str())
    );
}

async fn staff_of_two_offices_choose_among_their_dashboards(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let msn = app.office("Madison Field Office", "53703").create().await;
    app.office("Reno Field Office", "89501").create().await;
    app.user("Sasha Staff")
        .staff_of(mke)
        .staff_of(msn)
        .create()
        .await;
    let client = new_client();
    let to = log_in(&app, &client, "/login", "sasha@example.org").await;
    assert_eq!(to, "/dashboards");
    let choice = app.get_with(&client, &to).await;
    assert_eq!(choice.status, StatusCode::OK);
    assert_eq!(
        choice.texts("#dashboards a"),
        ["Madison Field Office", "Milwaukee Field Office"],
        "their two offices, not Reno"
    );
    assert_eq!(
        choice.attr("#dashboards a", "href"),
        Some(format!("/offices/{msn}/dashboard"))
    );
    assert_eq!(choice.text("nav .dashboard-link"), "Dashboards");
    assert_eq!(
        choice.attr("nav .dashboard-link", "href").as_deref(),
        Some("/dashboards")
    );
    // A volunteer's choice page is empty and says so.
    let (_, vol) = app.user("Vera Vol").signed_in().await;
    let none = app.get_with(&vol, "/dashboards").await;
    assert_eq!(none.status, StatusCode::OK);
    assert!(none.texts("#dashboards a").is_empty());
    assert!(none.body.contains("not on the staff of any office"));
    // Nobody signed in is sent to log in first.
    let anon = app.get_with(&new_client(), "/dashboards").await;
    assert_eq!(anon.location(), Some("/login?next=/dashboards"));
}

async fn an_admin_lands_on_the_admin_page(app: TestApp) {
    app.office("Milwaukee Field Office", "53202").create().await;
    app.user("Robin Root").admin().create().await;
    let client = new_client();
    assert_eq!(
        log_in(&app, &client, "/login", "robin@example.org").await,
        "/admin"
    );
    let admin = app.get_with(&client, "/admin").await;
    assert_eq!(admin.status, StatusCode::OK);
    // Admins run no office themselves: the Admin link, no dashboard link.
    assert!(admin.texts("nav .dashboard-link").is_empty());
    // They may still open every office's dashboard from the choice page.
    let choice = app.get_with(&client, "/dashboards").await;
    assert_eq!(choice.texts("#dashboards a"), ["Milwaukee Field Office"]);
}

async fn the_page_asked_for_comes_first_and_must_be_on_the_site(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    app.user("Sasha Staff").staff_of(mke).create().await;
    let client = new_client();
    let to = log_in(&app, &client, "/login?next=/trips/new", "sasha@example.org").await;
    assert_eq!(to, "/trips/new");
    // An address off the site is ignored: the person lands where they work.
    let client = new_client();
    let to = log_in(
        &app,
        &client,
        "/login?next=//evil.example/x",
        "sasha@example.org",
    )
    .await;
    assert_eq!(to, format!("/offices/{mke}/dashboard"));
    let signed_in = app.get_with(&client, "/login?next=/offices").await;
    assert_eq!(signed_in.location(), Some("/offices"));
}
