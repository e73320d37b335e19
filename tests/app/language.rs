//! English and Spanish: who reads which (the account's choice, the cookie,
//! the browser), `<html lang>`, and every page in Spanish free of the
//! English catalogue's sentences.

use reqwest::header::{HeaderMap, HeaderValue, ACCEPT_LANGUAGE};
use reqwest::redirect::Policy;
use reqwest::StatusCode;
use scraper::{Html, Selector};
use trip_planner::i18n::{catalogue, Lang};

use crate::helpers::{day, new_client, Page, TestApp};

on_both_databases!(
    a_visitor_reads_the_browser_language_until_they_choose_another,
    a_choice_made_signed_in_follows_the_account_to_another_browser,
    an_unknown_language_is_refused_and_changes_nothing,
    every_page_in_spanish_shows_none_of_the_english_sentences,
    emails_go_out_in_the_language_of_their_recipient,
    bookings_alerts_digests_and_nudges_reach_spanish_speakers_in_spanish,
    a_calendar_event_is_summed_up_in_the_viewers_language,
    the_office_staff_read_plans_and_gaps_in_their_language,
);

/// A cookie-keeping client whose browser asks for `accept_language`.
pub(crate) fn browser(accept_language: &str) -> reqwest::Client {
    let mut headers = HeaderMap::new();
    headers.insert(
        ACCEPT_LANGUAGE,
        HeaderValue::from_str(accept_language).unwrap(),
    );
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .default_headers(headers)
        .build()
        .unwrap()
}

pub(crate) fn html_lang(page: &Page) -> String {
    page.attr("html", "lang").unwrap_or_default()
}

async fn a_visitor_reads_the_browser_language_until_they_choose_another(app: TestApp) {
    let spanish_browser = browser("es-MX,es;q=0.9,en;q=0.5");
    let home = app.get_with(&spanish_browser, "/").await;
    assert_eq!(html_lang(&home), "es");
    assert_eq!(home.text("nav a[href='/offices']"), "Oficinas");
    assert!(home
        .headers
        .get_all("vary")
        .iter()
        .any(|v| v.to_str().unwrap().contains("Accept-Language")));

    let english = app.get_with(&new_client(), "/").await;
    assert_eq!(html_lang(&english), "en");
    assert_eq!(english.text("nav a[href='/offices']"), "Offices");
    let french = app.get_with(&browser("fr-FR,fr"), "/").await;
    assert_eq!(html_lang(&french), "en", "a language we lack: English");

    // The footer offers the other language and comes back to the same page.
    let offices = app.get_with(&spanish_browser, "/offices").await;
    assert_eq!(
        offices
            .attr("footer form input[name=next]", "value")
            .as_deref(),
        Some("/offices")
    );
    assert_eq!(offices.text("footer button[name=lang]"), "English");
    let chosen = app
        .post_with(
            &spanish_browser,
            "/language",
            &[("lang", "en"), ("next", "/offices")],
        )
        .await;
    assert_eq!(chosen.status, StatusCode::SEE_OTHER);
    assert_eq!(chosen.location(), Some("/offices"));
    let after = app.get_with(&spanish_browser, "/offices").await;
    assert_eq!(html_lang(&after), "en", "the choice beats the browser");
    assert_eq!(after.text("footer button[name=lang]"), "Español");

    // Somewhere else than this site is never where the switcher leads.
    let away = app
        .post_with(
            &spanish_browser,
            "/language",
            &[("lang", "es"), ("next", "https://evil.example/")],
        )
        .await;
    assert_eq!(away.location(), Some("/"));
    assert_eq!(html_lang(&app.get_with(&spanish_browser, "/").await), "es");
}

async fn a_choice_made_signed_in_follows_the_account_to_another_browser(app: TestApp) {
    let (ann, client) = app
        .user("Ann Lee")
        .email("ann@example.org")
        .signed_in()
        .await;
    let chosen = app
        .post_with(&client, "/language", &[("lang", "es"), ("next", "/me")])
        .await;
    assert_eq!(chosen.location(), Some("/me"));
    let me = app.get_with(&client, "/me").await;
    assert_eq!(html_lang(&me), "es");
    assert_eq!(me.text("h1"), "Mis viajes y ofertas");
    let stored: Option<String> = sqlx::query_scalar("SELECT language FROM users WHERE id = $1")
        .bind(ann)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored.as_deref(), Some("es"));

    // Another browser that prefers English: once signed in, the account's choice wins.
    let laptop = browser("en-US,en");
    assert_eq!(html_lang(&app.get_with(&laptop, "/").await), "en");
    app.login_with(&laptop, "ann@example.org", crate::helpers::PASSWORD)
        .await;
    let me = app.get_with(&laptop, "/me").await;
    assert_eq!(html_lang(&me), "es");
    assert_eq!(me.text("nav a[href='/me']"), "Mis viajes");
}

async fn an_unknown_language_is_refused_and_changes_nothing(app: TestApp) {
    let (ann, client) = app.user("Ann Lee").signed_in().await;
    for bad in ["fr", "", "es<script>", "ES-mx"] {
        let page = app
            .post_with(&client, "/language", &[("lang", bad), ("next", "/me")])
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(!page.body.contains("<script>"));
        assert!(page
            .headers
            .get("set-cookie")
            .is_none_or(|c| !c.to_str().unwrap().starts_with("lang=")));
    }
    let stored: Option<String> = sqlx::query_scalar("SELECT language FROM users WHERE id = $1")
        .bind(ann)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, None);
    assert_eq!(html_lang(&app.get_with(&client, "/me").await), "en");
}

/// The English sentences (three words or more) whose Spanish differs: each
/// message's literal text, and the literal stretches between its placeables.
pub(crate) fn english_sentences() -> Vec<String> {
    let spanish: std::collections::HashMap<String, String> =
        catalogue(Lang::Es).into_iter().collect();
    let mut out = vec![];
    for (key, english) in catalogue(Lang::En) {
        if spanish.get(&key) == Some(&english) || english.contains("->") {
            continue;
        }
        for piece in english.split(['{', '}']).step_by(2) {
            let piece = piece.trim();
            if piece.split_whitespace().count() >= 3 {
                out.push(piece.to_string());
            }
        }
    }
    assert!(out.len() > 100, "{} sentences", out.len());
    out
}

/// A page's visible text (and its title and labels), with the data people
/// typed (names, offices, towns) taken out.
fn visible_text(page: &Page, people_data: &[&str]) -> String {
    let doc = Html::parse_document(&page.body);
    let body = Selector::parse("html").unwrap();
    let mut text: String = doc
        .select(&body)
        .flat_map(|e| e.text())
        .collect::<Vec<_>>()
        .join(" ");
    let attrs = Selector::parse("[placeholder], [aria-label]").unwrap();
    for e in doc.select(&attrs) {
        for a in ["placeholder", "aria-label"] {
            if let Some(v) = e.value().attr(a) {
                text.push(' ');
                text.push_str(v);
            }
        }
    }
    let mut text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for data in people_data {
        text = text.replace(data, " ");
    }
    text
}

/// Each of `sentences` that `page` shows, as "path: sentence".
pub(crate) fn english_on(
    path: &str,
    page: &Page,
    people_data: &[&str],
    sentences: &[String],
) -> Vec<String> {
    let text = visible_text(page, people_data);
    sentences
        .iter()
        .filter(|s| text.contains(s.as_str()))
        .map(|s| format!("{path}: {s:?}"))
        .collect()
}

async fn every_page_in_spanish_shows_none_of_the_english_sentences(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, staff) = app.user("Sam Staff").staff_of(mke).signed_in().await;
    let (_, admin) = app.user("Ada Admin").admin().signed_in().await;
    let (_, driver) = app.user("Dana Driver").home("60601").signed_in().await;
    let (_, host) = app.user("Tariq McDonald").home("53172").signed_in().await;
    let (_, ann) = app.user("Ann Lee").home("60601").signed_in().await;
    for client in [&staff, &admin, &driver, &host, &ann] {
        let chosen = app
            .post_with(client, "/language", &[("lang", "es"), ("next", "/")])
            .await;
        assert_eq!(chosen.status, StatusCode::SEE_OTHER);
    }
    let ride = app.ride(mke).from("60601").create(&driver).await;
    let stay = app.stay().place("53172").create(&host).await;
    let trip = app.trip(mke).create(&ann).await;
    let booking = app
        .ask(&ann, trip, "ride", ride)
        .await
        .redirect_id("/bookings/");
    let visitor = browser("es-US,es;q=0.9");

    let today = day(&app, 0);
    // Ann's arrival: the staff pages of that day list her.
    let arrival = day(&app, 10);
    let pages: Vec<(&reqwest::Client, String)> = vec![
        (&visitor, "/".into()),
        (&visitor, "/signup".into()),
        (&visitor, "/login".into()),
        (&visitor, "/offices".into()),
        (&visitor, format!("/offices/{mke}")),
        (&visitor, "/privacy".into()),
        (&visitor, "/credits".into()),
        (&visitor, "/no-such-page".into()),
        (&visitor, "/password/forgot".into()),
        // Emailed links that do not work.
        (&visitor, "/verify/no-such-token".into()),
        (&visitor, "/b/no-such-token".into()),
        (&ann, "/me".into()),
        (&ann, "/trips/new".into()),
        (&ann, format!("/trips/{trip}")),
        (&ann, format!("/trips/{trip}/edit")),
        (&ann, format!("/bookings/{booking}")),
        (&ann, "/account".into()),
        (&ann, "/account/password".into()),
        (&ann, "/account/email".into()),
        (&ann, "/account/delete".into()),
        (&ann, format!("/offices/{mke}")),
        (&ann, "/offices?near=60601".into()),
        (&driver, "/rides/new".into()),
        (&driver, format!("/rides/{ride}")),
        (&driver, format!("/rides/{ride}/edit")),
        (&driver, "/me".into()),
        (&host, "/stays/new".into()),
        (&host, format!("/stays/{stay}")),
        (&host, format!("/stays/{stay}/edit")),
        (&staff, format!("/offices/{mke}/dashboard")),
        (&staff, format!("/offices/{mke}/dashboard/day/{today}")),
        (&staff, format!("/offices/{mke}/dashboard/day/{arrival}")),
        (&staff, format!("/offices/{mke}/roster/{arrival}")),
        (&staff, format!("/offices/{mke}/feed")),
        (&staff, format!("/offices/{mke}/propose")),
        (&admin, "/admin".into()),
        (&admin, "/admin/offices/new".into()),
        (&admin, "/admin/campaign".into()),
    ];
    let people_data = [
        "Milwaukee Field Office",
        "Sam Staff",
        "Ada Admin",
        "Dana Driver",
        "Tariq McDonald",
        "Ann Lee",
    ];
    let sentences = english_sentences();
    // A message Fluent cannot read shows its key instead.
    let keys: Vec<String> = catalogue(Lang::En)
        .into_iter()
        .map(|(k, _)| k)
        .filter(|k| k.contains('-'))
        .collect();
    let mut found = vec![];
    let look_for: Vec<String> = sentences.into_iter().chain(keys).collect();
    for (client, path) in &pages {
        let page = app.get_with(client, path).await;
        assert_eq!(html_lang(&page), "es", "{path}");
        found.extend(english_on(path, &page, &people_data, &look_for));
    }
    // Forms sent back with errors, in Spanish too.
    let signup = app.post_with(&visitor, "/signup", &[("name", "")]).await;
    let trip_errors = app.post_with(&ann, "/trips", &[("from", "")]).await;
    for (path, page) in [("POST /signup", signup), ("POST /trips", trip_errors)] {
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        found.extend(english_on(path, &page, &people_data, &look_for));
    }
    assert!(
        found.is_empty(),
        "English left on Spanish pages:\n{}",
        found.join("\n")
    );
}

async fn emails_go_out_in_the_language_of_their_recipient(app: TestApp) {
    // Signed up from a Spanish browser: the account speaks Spanish.
    let spanish = browser("es-MX,es");
    let page = app
        .post_with(
            &spanish,
            "/signup",
            &[
                ("name", "Lucía Gómez"),
                ("email", "lucia@example.org"),
                ("new_password", crate::helpers::PASSWORD),
                ("home", "85004"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.text("h1"), "Revisa tu correo");
    let mail = app
        .last_mail_to("lucia@example.org")
        .await
        .expect("an email");
    assert_eq!(mail.subject, "Confirma tu dirección de email");
    assert!(mail.text.starts_with("Hola, Lucía:"), "{}", mail.text);
    assert!(
        mail.text.contains("Confirmar mi dirección de email: http"),
        "{}",
        mail.text
    );
    assert!(!mail.text.contains("Thanks for joining"), "{}", mail.text);

    // Signing up again with the address: the notice with its links is Spanish too.
    app.post_with(
        &browser("en-US"),
        "/signup",
        &[
            ("name", "Someone Else"),
            ("email", "lucia@example.org"),
            ("new_password", crate::helpers::PASSWORD),
            ("home", "85004"),
        ],
    )
    .await;
    let mail = app
        .last_mail_to("lucia@example.org")
        .await
        .expect("an email");
    assert_eq!(mail.subject, "Alguien intentó registrarse con tu dirección");
    assert!(
        mail.text.contains("Si fuiste tú, inicia sesión en http"),
        "{}",
        mail.text
    );
    let english = english_in_mail(&mail, &["Lucía Gómez"]);
    assert!(english.is_empty(), "{english:?}");

    // The same message to an English-speaking account stays English.
    let english = browser("en-US");
    app.post_with(
        &english,
        "/signup",
        &[
            ("name", "Luke Grant"),
            ("email", "luke@example.org"),
            ("new_password", crate::helpers::PASSWORD),
            ("home", "85004"),
        ],
    )
    .await;
    let mail = app
        .last_mail_to("luke@example.org")
        .await
        .expect("an email");
    assert_eq!(mail.subject, "Confirm your email address");
    assert!(mail.text.starts_with("Hi Luke,"), "{}", mail.text);

    // Choosing English later moves the emails along with the pages.
    app.login_with(&spanish, "lucia@example.org", crate::helpers::PASSWORD)
        .await;
    app.post_with(&spanish, "/language", &[("lang", "en"), ("next", "/")])
        .await;
    app.post_with(&spanish, "/account/verify/resend", &[]).await;
    let mail = app
        .last_mail_to("lucia@example.org")
        .await
        .expect("an email");
    assert_eq!(mail.subject, "Confirm your email address");
}

/// Makes an account read Spanish, as the switcher would.
async fn speaks_spanish(app: &TestApp, id: i64) {
    sqlx::query("UPDATE users SET language = 'es' WHERE id = $1")
        .bind(id)
        .execute(&app.db.pool)
        .await
        .unwrap();
}

/// The English catalogue's sentences found in an email (subject and text),
/// once the data people typed is taken out.
fn english_in_mail(mail: &crate::helpers::Mail, people_data: &[&str]) -> Vec<String> {
    let mut text = format!("{}\n{}", mail.subject, mail.text);
    for data in people_data {
        text = text.replace(data, " ");
    }
    english_sentences()
        .into_iter()
        .filter(|s| text.contains(s.as_str()))
        .collect()
}

async fn bookings_alerts_digests_and_nudges_reach_spanish_speakers_in_spanish(app: TestApp) {
    // 10:00 in Milwaukee: the alert job's morning.
    let morning = chrono::DateTime::parse_from_rfc3339("2026-10-08T15:00:00Z").unwrap();
    app.clock.set(morning.with_timezone(&chrono::Utc));
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (sam, staff) = app
        .user("Sam Staff")
        .email("sam@example.org")
        .staff_of(mke)
        .signed_in()
        .await;
    let (tia, tia_client) = app
        .user("Tia Traveller")
        .email("tia@example.org")
        .home("60616")
        .signed_in()
        .await;
    let dee = app
        .user("Dee Driver")
        .email("dee@example.org")
        .home("60601")
        .create()
        .await;
    for id in [sam, tia, dee] {
        speaks_spanish(&app, id).await;
    }
    let trip = app.trip(mke).no_bed().insert(tia).await;
    trip_planner::jobs::run_once(&app.state).await.unwrap();
    let ride = app.ride(mke).insert(dee).await;
    trip_planner::jobs::run_once(&app.state).await.unwrap();
    let people_data = [
        "Milwaukee Field Office",
        "Sam Staff",
        "Tia Traveller",
        "Dee Driver",
        "Chicago, IL",
    ];
    let mut english = vec![];

    let alert = app.last_mail_to("tia@example.org").await.expect("an alert");
    assert_eq!(
        alert.subject,
        "Novedades para tu viaje a Milwaukee Field Office"
    );
    assert!(
        alert
            .text
            .contains("Hay algo nuevo para tu viaje a Milwaukee Field Office ("),
        "{}",
        alert.text
    );
    assert!(alert.text.contains("Cómo llegas:"), "{}", alert.text);
    english.extend(english_in_mail(&alert, &people_data));

    app.ask(&tia_client, trip, "ride", ride).await;
    let request = app
        .last_mail_to("dee@example.org")
        .await
        .expect("a request");
    assert!(
        request
            .subject
            .starts_with("Tia pide un asiento en el viaje de Dee a Milwaukee Field Office el "),
        "{}",
        request.subject
    );
    assert!(request.text.starts_with("Hola, Dee:"), "{}", request.text);
    assert!(
        request
            .text
            .contains("Tia, de Chicago, IL, pide un asiento"),
        "{}",
        request.text
    );
    english.extend(english_in_mail(&request, &people_data));

    let nudged = app
        .post_with(
            &staff,
            &format!("/offices/{mke}/nudge"),
            &[("trip_id", &trip.to_string()), ("to", "traveller")],
        )
        .await;
    assert_eq!(nudged.status, StatusCode::SEE_OTHER);
    let nudge = app.last_mail_to("tia@example.org").await.expect("a nudge");
    assert_eq!(
        nudge.subject,
        "Milwaukee Field Office: viajes y camas para tu viaje"
    );
    assert!(
        nudge
            .text
            .contains("El equipo de Milwaukee Field Office espera verte el "),
        "{}",
        nudge.text
    );
    english.extend(english_in_mail(&nudge, &people_data));

    // 18:00 in Milwaukee the evening before Tia arrives: the digest's hour.
    let eve = day(&app, 10).pred_opt().unwrap();
    app.clock.set(
        chrono::NaiveDateTime::new(eve, chrono::NaiveTime::from_hms_opt(23, 0, 0).unwrap())
            .and_utc(),
    );
    trip_planner::digest::send_due(&app.state).await.unwrap();
    let digest = app.last_mail_to("sam@example.org").await.expect("a digest");
    assert_eq!(
        digest.subject,
        "Milwaukee Field Office: 1 por llegar mañana, 1 con faltantes"
    );
    assert!(
        digest
            .text
            .contains("llega 1 viajero (1 persona) a Milwaukee Field Office:"),
        "{}",
        digest.text
    );
    assert!(
        digest.text.contains("viaje pedido a Dee"),
        "{}",
        digest.text
    );
    english.extend(english_in_mail(&digest, &people_data));

    assert!(
        english.is_empty(),
        "English left in Spanish emails: {english:?}"
    );
}

async fn a_calendar_event_is_summed_up_in_the_viewers_language(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, driver) = app.user("Dana Driver").home("60601").signed_in().await;
    let (_, ann) = app.user("Ann Lee").home("60601").signed_in().await;
    let ride = app.ride(mke).from("60601").instant().create(&driver).await;
    let trip = app.trip(mke).no_bed().create(&ann).await;
    let booking = app
        .ask(&ann, trip, "ride", ride)
        .await
        .redirect_id("/bookings/");
    let path = format!("/bookings/{booking}/calendar.ics");
    let english = app.get_with(&ann, &path).await;
    assert!(
        english
            .body
            .contains("SUMMARY:Ride to Milwaukee Field Office with Dana"),
        "{}",
        english.body
    );
    app.post_with(&ann, "/language", &[("lang", "es"), ("next", "/")])
        .await;
    let spanish = app.get_with(&ann, &path).await;
    assert!(
        spanish
            .body
            .contains("SUMMARY:Viaje a Milwaukee Field Office con Dana"),
        "{}",
        spanish.body
    );
}

async fn the_office_staff_read_plans_and_gaps_in_their_language(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, staff) = app.user("Sam Staff").staff_of(mke).signed_in().await;
    let (_, ann) = app.user("Ann Lee").home("60601").signed_in().await;
    app.trip(mke).create(&ann).await;
    app.post_with(&staff, "/language", &[("lang", "es"), ("next", "/")])
        .await;
    let arrival = day(&app, 10);
    let day_page = format!("/offices/{mke}/dashboard/day/{arrival}");
    let roster = format!("/offices/{mke}/roster/{arrival}");
    let summary = format!("/offices/{mke}/dashboard");
    let expected = [
        (
            &day_page,
            "#day-count",
            "1 persona (1 viajero) presentes o por llegar.",
        ),
        (&day_page, "#travellers .how", "Llega: Todavía sin viaje"),
        (&day_page, "#travellers .sleep", "Duerme: Todavía nada"),
        (&day_page, "#travellers em", "llega hoy"),
        (
            &summary,
            "#gaps .gap .missing",
            "necesita un viaje y una cama",
        ),
        (&roster, "#roster td.how", "Todavía sin viaje"),
        (&roster, "#roster td.sleep", "Todavía sin cama"),
    ];
    for (path, css, text) in expected {
        let page = app.get_with(&staff, path).await;
        assert_eq!(page.text(css), text, "{path} {css}");
    }
}
