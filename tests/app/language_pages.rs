//! The pages reached only through an emailed link or a form, in Spanish:
//! setting a password from a reset link, an owner's answer link, the
//! one-click alert unsubscribe (its page and its answer), a new calendar
//! feed, and the office's proposals once sent. Each shows none of the
//! English catalogue's sentences (the scan of `language.rs`).

use reqwest::StatusCode;
use sqlx::Row;

use crate::helpers::{link_path, Page, TestApp};
use crate::language::{browser, english_on, english_sentences, html_lang};

on_both_databases!(
    pages_reached_by_links_and_forms_speak_spanish_too,
    the_office_feed_shown_to_spanish_staff_speaks_spanish,
    what_a_change_says_is_said_in_spanish,
);

async fn pages_reached_by_links_and_forms_speak_spanish_too(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, staff) = app.user("Sam Staff").staff_of(mke).signed_in().await;
    let (_, driver) = app.user("Dana Driver").home("60601").signed_in().await;
    let (_, ann) = app.user("Ann Lee").home("60601").signed_in().await;
    for client in [&staff, &driver, &ann] {
        let chosen = app
            .post_with(client, "/language", &[("lang", "es"), ("next", "/")])
            .await;
        assert_eq!(chosen.status, StatusCode::SEE_OTHER);
    }
    let ride = app.ride(mke).seats(3).from("60601").create(&driver).await;
    let trip = app.trip(mke).no_bed().create(&ann).await;
    let bo = app.user("Bo Rivera").home("60601").create().await;
    let bo_trip = app.trip(mke).no_bed().insert(bo).await;
    let visitor = browser("es-MX,es;q=0.9");
    let mut pages: Vec<(String, Page)> = vec![];

    // The owner's answer link from the request email.
    app.ask(&ann, trip, "ride", ride).await;
    let request = app.last_mail_to("dana@example.org").await.expect("request");
    let answer = link_path(&request.text, "/b/").expect("an answer link");
    pages.push((answer.clone(), app.get_with(&visitor, &answer).await));

    // A password reset link.
    let forgot = app
        .post_with(
            &visitor,
            "/password/forgot",
            &[("email", "ann@example.org")],
        )
        .await;
    assert_eq!(forgot.status, StatusCode::SEE_OTHER);
    let said = forgot.location().expect("where it says so").to_string();
    pages.push((said.clone(), app.get_with(&visitor, &said).await));
    let reset = app
        .last_mail_to("ann@example.org")
        .await
        .expect("reset mail");
    let reset = link_path(&reset.text, "/password/reset/").expect("a reset link");
    pages.push((reset.clone(), app.get_with(&visitor, &reset).await));

    // The one-click unsubscribe of the trip's alerts: its page, then its answer.
    let off = app
        .post_with(&ann, &format!("/trips/{trip}/alerts"), &[("alerts", "on")])
        .await;
    assert_eq!(off.status, StatusCode::SEE_OTHER);
    let token: String = sqlx::query("SELECT token FROM alert_watches WHERE target_id = $1")
        .bind(trip)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get("token");
    let alerts = format!("/alerts/{token}");
    pages.push((alerts.clone(), app.get_with(&visitor, &alerts).await));
    let done = app.post_with(&visitor, &alerts, &[]).await;
    pages.push((format!("POST {alerts}"), done));

    // A new calendar feed.
    let feed = app.post_with(&ann, "/calendar/feed", &[]).await;
    pages.push(("POST /calendar/feed".into(), feed));

    // The office's proposal, sent.
    let sent = app
        .post_with(
            &staff,
            &format!("/offices/{mke}/propose"),
            &[("days", "15"), ("pick", &format!("{bo_trip}:ride:{ride}"))],
        )
        .await;
    pages.push((format!("POST /offices/{mke}/propose"), sent));

    let people_data = [
        "Milwaukee Field Office",
        "Sam Staff",
        "Dana Driver",
        "Ann Lee",
        "Bo Rivera",
    ];
    let sentences = english_sentences();
    let mut found = vec![];
    for (path, page) in &pages {
        assert!(
            page.status.is_success(),
            "{path}: {} {}",
            page.status,
            page.body
        );
        assert_eq!(html_lang(page), "es", "{path}");
        found.extend(english_on(path, page, &people_data, &sentences));
    }
    assert!(
        found.is_empty(),
        "English left on Spanish pages:\n{}",
        found.join("\n")
    );
}

/// The office's calendar feed is read by calendar apps, which send no
/// cookie: the address a Spanish-reading staff member is given carries the
/// language, and its events are written in it; the plain address stays English.
async fn the_office_feed_shown_to_spanish_staff_speaks_spanish(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, staff) = app.user("Sam Staff").staff_of(mke).signed_in().await;
    let bo = app.user("Bo Rivera").home("60601").create().await;
    app.trip(mke).party(2).days(1, 3).insert(bo).await;
    let chosen = app
        .post_with(&staff, "/language", &[("lang", "es"), ("next", "/")])
        .await;
    assert_eq!(chosen.status, StatusCode::SEE_OTHER);
    let made = app
        .post_with(&staff, &format!("/offices/{mke}/feed"), &[])
        .await;
    let path = made.feed_path("/office-feeds/");
    assert!(path.ends_with(".ics?lang=es"), "{path}");
    let feed = app.get(&path).await;
    assert_eq!(feed.status, StatusCode::OK);
    let unfolded = feed.body.replace("\r\n ", "");
    assert!(unfolded.contains("Llega Bo Rivera (+1)"), "{unfolded}");
    assert!(
        unfolded.contains("Milwaukee Field Office: llegadas"),
        "{unfolded}"
    );
    assert!(unfolded.contains("grupo de 2"), "{unfolded}");
    assert!(!unfolded.contains("arrives"), "{unfolded}");
    let english = app.get(path.trim_end_matches("?lang=es")).await;
    assert!(
        english.body.contains("Bo Rivera (+1) arrives"),
        "{}",
        english.body
    );
}

/// The confirmations after pausing an offer or a trip and after changing the
/// unit, and the refusal of a pause twice, read in the person's language.
async fn what_a_change_says_is_said_in_spanish(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, dee) = app.user("Dee Driver").home("60601").signed_in().await;
    let chosen = app
        .post_with(&dee, "/language", &[("lang", "es"), ("next", "/")])
        .await;
    assert_eq!(chosen.status, StatusCode::SEE_OTHER);
    let ride = app.ride(mke).create(&dee).await;
    let trip = app.trip(mke).create(&dee).await;
    let flash = |page: Page| page.texts(".flash").join(" | ");
    for (path, said) in [
        (format!("/rides/{ride}/pause"), "Viaje en pausa."),
        (format!("/rides/{ride}/resume"), "Viaje reanudado."),
        (format!("/trips/{trip}/pause"), "Viaje en pausa."),
    ] {
        let done = app.post_with(&dee, &path, &[]).await;
        let back = done.location().expect("back to the page").to_string();
        let page = app.get_with(&dee, &back).await;
        assert!(flash(page).contains(said), "{path}");
    }
    let twice = app
        .post_with(&dee, &format!("/trips/{trip}/pause"), &[])
        .await;
    assert!(twice.body.contains("Ya está en pausa."), "{}", twice.body);
    let units = app
        .post_with(&dee, "/account/units", &[("unit", "km")])
        .await;
    let page = app.get_with(&dee, units.location().expect("back")).await;
    assert!(
        flash(page).contains("Las distancias se muestran ahora en kilómetros."),
        "units"
    );
}
