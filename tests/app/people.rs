//! People's data: the privacy page, who read my details, export, erase, purge.

use reqwest::StatusCode;

use crate::helpers::TestApp;

on_both_databases!(
    the_privacy_page_says_who_sees_what_and_is_linked_from_footer_and_signup,
    the_account_page_lists_staff_who_read_my_contact_details,
    download_my_data_gives_one_json_file_with_every_section,
    download_my_data_needs_a_login,
);

struct Scene {
    office: i64,
    driver: (i64, reqwest::Client),
    traveller: (i64, reqwest::Client),
    staff: (i64, reqwest::Client),
    booking: i64,
}

/// A Chicago driver and traveller to Milwaukee, the ride accepted, and a
/// Milwaukee staff member who opened the booking (and so read both contacts).
async fn scene(app: &TestApp) -> Scene {
    let office = app.office("Milwaukee Field Office", "53202").create().await;
    let driver = app.user("Dee Driver").home("60601").signed_in().await;
    let ride = app.ride(office).seats(3).create(&driver.1).await;
    let traveller = app.user("Tia Traveller").signed_in().await;
    let trip = app.trip(office).create(&traveller.1).await;
    let page = app
        .post_with(
            &traveller.1,
            &format!("/trips/{trip}/requests"),
            &[
                ("kind", "ride"),
                ("offer_id", &ride.to_string()),
                ("message", "I can share fuel"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let booking = page.redirect_id("/bookings/");
    let accepted = app
        .post_with(&driver.1, &format!("/bookings/{booking}/accept"), &[])
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);
    let staff = app
        .user("Stef Staff")
        .home("53202")
        .staff_of(office)
        .signed_in()
        .await;
    let read = app
        .get_with(&staff.1, &format!("/bookings/{booking}"))
        .await;
    assert!(read.body.contains("tia@example.org"));
    Scene {
        office,
        driver,
        traveller,
        staff,
        booking,
    }
}

async fn the_account_page_lists_staff_who_read_my_contact_details(app: TestApp) {
    let s = scene(&app).await;
    for client in [&s.traveller.1, &s.driver.1] {
        let page = app.get_with(client, "/account").await;
        assert_eq!(page.texts("#contact-reads td.staff"), vec!["Stef Staff"]);
        assert_eq!(
            page.texts("#contact-reads td.office"),
            vec!["Milwaukee Field Office"]
        );
        let when = page.text("#contact-reads td.at");
        assert_eq!(when.len(), 16, "{when}");
        assert!(page
            .body
            .contains(&app.clock.now().format("%Y-%m-%d").to_string()));
    }
    let staff_page = app.get_with(&s.staff.1, "/account").await;
    assert!(staff_page.texts("#contact-reads td").is_empty());
    assert!(staff_page.text("#no-reads").contains("No office staff"));
    let _ = (s.office, s.booking);
}

async fn the_privacy_page_says_who_sees_what_and_is_linked_from_footer_and_signup(app: TestApp) {
    let page = app.get("/privacy").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text("h1"), "Privacy: what we keep about you");
    let headings = page.texts("h2");
    for h in [
        "What we collect",
        "Who sees what, and when",
        "How long we keep it",
        "Getting your data, or deleting it",
    ] {
        assert!(headings.iter().any(|x| x == h), "{h} in {headings:?}");
    }
    assert!(page
        .text("#who-sees + ul")
        .contains("first name and your town"));
    assert!(page.text("#kept + ul").contains("7 days"));
    assert_eq!(
        page.attr("footer a.privacy-link", "href").as_deref(),
        Some("/privacy")
    );
    let signup = app.get("/signup").await;
    assert_eq!(
        signup.attr("form a.privacy-link", "href").as_deref(),
        Some("/privacy")
    );
}

async fn download_my_data_gives_one_json_file_with_every_section(app: TestApp) {
    let s = scene(&app).await;
    let account = app.get_with(&s.traveller.1, "/account").await;
    assert_eq!(
        account.attr("#download-data", "href").as_deref(),
        Some("/account/data.json")
    );
    let res = s
        .traveller
        .1
        .get(app.url("/account/data.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let header = |n: &str| {
        res.headers()
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    assert!(header("content-disposition").starts_with("attachment"));
    assert_eq!(header("cache-control"), "no-store");
    assert!(header("content-type").starts_with("application/json"));
    let data: serde_json::Value = res.json().await.unwrap();

    assert_eq!(data["account"]["id"], s.traveller.0);
    assert_eq!(data["account"]["name"], "Tia Traveller");
    assert_eq!(data["account"]["email"], "tia@example.org");
    let trips = data["trips"].as_array().unwrap();
    assert_eq!(trips.len(), 1);
    assert!(data["offers"]["rides"].as_array().unwrap().is_empty());
    assert!(data["offers"]["stays"].as_array().unwrap().is_empty());
    let bookings = data["bookings"].as_array().unwrap();
    assert_eq!(bookings.len(), 1);
    assert_eq!(bookings[0]["id"], s.booking);
    assert_eq!(bookings[0]["role"], "traveller");
    assert_eq!(bookings[0]["other_first_name"], "Dee");
    assert_eq!(bookings[0]["status"], "accepted");
    // The emails may name the other side in full once accepted (they were
    // sent so); the bookings section itself names them by first name only.
    let text = data["bookings"].to_string();
    assert!(
        !text.contains("Driver"),
        "the other side by first name only"
    );
    assert!(!text.contains("dee@example.org"));
    assert_eq!(data["alerts"], serde_json::json!([]));
    let emails = data["emails"].as_array().unwrap();
    let expected = app
        .outbox()
        .await
        .into_iter()
        .filter(|m| m.to == "tia@example.org")
        .count();
    assert!(expected > 0);
    assert_eq!(emails.len(), expected);
    assert!(emails.iter().all(|m| m["to_email"] == "tia@example.org"));
    let reads = data["contact_reads"].as_array().unwrap();
    assert_eq!(reads.len(), 1);
    assert_eq!(reads[0]["staff_name"], "Stef Staff");
    assert_eq!(reads[0]["office_name"], "Milwaukee Field Office");

    // The driver's file has the ride, the same booking from the other side.
    let driver: serde_json::Value = s
        .driver
        .1
        .get(app.url("/account/data.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(driver["offers"]["rides"].as_array().unwrap().len(), 1);
    assert_eq!(driver["bookings"][0]["role"], "host");
    assert_eq!(driver["bookings"][0]["other_first_name"], "Tia");
    assert!(driver["trips"].as_array().unwrap().is_empty());
    let _ = s.office;
}

async fn download_my_data_needs_a_login(app: TestApp) {
    let page = app.get("/account/data.json").await;
    assert_ne!(page.status, StatusCode::OK);
    assert!(!page.body.contains("\"account\""));
}
