//! Small things the pages say: names as typed, "1 bed", the title, times in
//! the office's zone, what an answered request's other link says, the icon,
//! home page cards that are links.

use reqwest::StatusCode;

use crate::helpers::{new_client, TestApp};

on_both_databases!(
    booking_pages_keep_names_and_towns_as_typed_and_count_one_bed,
    the_history_of_a_booking_is_in_the_offices_time,
    the_other_link_of_an_answered_request_says_how_it_was_answered,
    the_home_page_has_its_own_title_linked_cards_and_an_icon,
);

async fn booking_pages_keep_names_and_towns_as_typed_and_count_one_bed(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, host) = app.user("Tariq McDonald").home("53172").signed_in().await;
    let stay = app
        .stay()
        .place("53172")
        .beds(1)
        .instant()
        .create(&host)
        .await;
    let (_, ann) = app.user("Ann Lee").signed_in().await;
    let trip = app.trip(mke).no_ride().create(&ann).await;

    let page = app.get_with(&ann, &format!("/trips/{trip}")).await;
    let offer = page.text("#stays .match");
    assert!(offer.contains("· 1 bed"), "{offer}");
    assert!(!offer.contains("1 beds"), "{offer}");
    assert!(page.text("dl.facts").contains("(4 nights)"));

    let booking = app
        .ask(&ann, trip, "stay", stay)
        .await
        .redirect_id("/bookings/");
    let page = app.get_with(&ann, &format!("/bookings/{booking}")).await;
    assert!(
        page.text("#booking-what")
            .starts_with("A bed at Tariq's in South Milwaukee, WI for the nights of"),
        "{}",
        page.text("#booking-what")
    );

    let mine = app.get_with(&host, "/me").await;
    assert!(
        mine.text("#my-stays").contains("1 bed "),
        "{}",
        mine.text("#my-stays")
    );
    let one_night = app
        .stay()
        .place("53172")
        .first_night(crate::helpers::day(&app, 30))
        .last_night(crate::helpers::day(&app, 30))
        .create(&host)
        .await;
    let page = app.get_with(&host, &format!("/stays/{one_night}")).await;
    assert!(
        page.text("dl.facts").contains("(1 night)"),
        "{}",
        page.text("dl.facts")
    );
}

async fn the_history_of_a_booking_is_in_the_offices_time(app: TestApp) {
    let reno = app
        .office("Reno Field Office", "89501")
        .timezone("America/Los_Angeles")
        .create()
        .await;
    let (_, ann) = app.user("Ann Lee").home("94110").signed_in().await;
    let trip = app.trip(reno).no_bed().create(&ann).await;
    let (_, dee) = app.user("Dee Driver").home("94110").signed_in().await;
    let ride = app.ride(reno).from("60616").instant().create(&dee).await;
    let booking = app
        .ask(&ann, trip, "ride", ride)
        .await
        .redirect_id("/bookings/");

    let page = app.get_with(&ann, &format!("/bookings/{booking}")).await;
    let history = page.texts("#history li");
    assert!(!history.is_empty());
    let zone = chrono::Utc::now()
        .with_timezone(&chrono_tz::America::Los_Angeles)
        .format("%Z")
        .to_string();
    for line in &history {
        assert!(line.ends_with(&zone), "{line} in {zone}");
        assert!(!line.contains("UTC"), "{line}");
    }
}

async fn the_other_link_of_an_answered_request_says_how_it_was_answered(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, ann) = app.user("Ann Lee").signed_in().await;
    let trip = app.trip(mke).no_bed().create(&ann).await;
    let (_, dee) = app.user("Dee Driver").home("60601").signed_in().await;
    let ride = app.ride(mke).create(&dee).await;
    let booking = app
        .ask(&ann, trip, "ride", ride)
        .await
        .redirect_id("/bookings/");
    let mail = app
        .last_mail_to("dee@example.org")
        .await
        .expect("a request email");
    let links: Vec<String> = mail
        .text
        .split_whitespace()
        .filter_map(|w| {
            w.find("/b/")
                .map(|i| w[i..].trim_end_matches('.').to_string())
        })
        .collect();
    assert_eq!(links.len(), 2, "accept and decline: {links:?}");

    let anon = new_client();
    let accepted = app.post_with(&anon, &links[0], &[]).await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);
    let decline = app.get_with(&anon, &links[1]).await;
    assert_eq!(
        decline.text("#link-problem"),
        "This request was already accepted. Nothing was changed by this link."
    );
    assert_eq!(
        decline.attr("main a[href^='/bookings/']", "href"),
        Some(format!("/bookings/{booking}"))
    );
    let again = app.post_with(&anon, &links[0], &[]).await;
    assert_eq!(
        again.text("#link-problem"),
        "This request was already accepted. Nothing was changed by this link."
    );
    // A link that was never one still says so.
    let odd = app.get_with(&anon, &format!("/b/{}", "a".repeat(64))).await;
    assert!(odd
        .text("#link-problem")
        .starts_with("This link is not valid."));
}

async fn the_home_page_has_its_own_title_linked_cards_and_an_icon(app: TestApp) {
    let home = app.get("/").await;
    assert_eq!(
        home.text("title"),
        "Rides and beds for campaign volunteers · Trip Planner"
    );
    let cards: Vec<String> = ["/trips/new", "/rides/new", "/stays/new"]
        .iter()
        .map(|to| home.text(&format!("#start a.card[href='{to}'] h2")))
        .collect();
    assert_eq!(cards, ["Travelling?", "Driving?", "Hosting?"]);
    assert_eq!(
        home.attr("link[rel=icon][sizes]", "href").as_deref(),
        Some("/favicon.ico")
    );

    let icon = app
        .client
        .get(app.url("/favicon.ico"))
        .send()
        .await
        .unwrap();
    assert_eq!(icon.status(), StatusCode::OK);
    assert_eq!(icon.headers()["content-type"], "image/x-icon");
    let bytes = icon.bytes().await.unwrap();
    assert_eq!(&bytes[..4], &[0, 0, 1, 0], "an ICO file");
    let svg = app.get("/static/favicon.svg").await;
    assert_eq!(svg.status, StatusCode::OK);
    assert_eq!(svg.headers["content-type"], "image/svg+xml");
    assert!(svg.body.starts_with("<svg"));
}
