//! axe-core, run in the real browser on every main page in English and in
//! Spanish, fails the test on any WCAG 2.2 A/AA violation it finds.
//!
//! axe comes from npm, pinned in `tests/axe/package-lock.json` (`.ci/run`
//! runs `npm ci` there). Its source is injected through WebDriver's execute,
//! which the pages' Content-Security-Policy does not govern, so the app never
//! has to allow it. Without it the test skips on a workstation and fails in CI.

use std::path::PathBuf;

use serde_json::{json, Value};

use super::{
    log_in, log_out, office_with_a_ride_and_a_bed, Browser, BrowserTools, ChromeDriver, DESKTOP,
    PHONE,
};
use crate::helpers::{day, Backend, TestApp};

/// The rule sets axe checks: WCAG 2.0, 2.1 and 2.2 at levels A and AA.
const TAGS: [&str; 6] = [
    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa",
];

fn axe_source() -> Option<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/axe/node_modules/axe-core/axe.min.js");
    match std::fs::read_to_string(&path) {
        Ok(src) => Some(src),
        Err(_) if std::env::var("CI").is_ok_and(|v| !v.is_empty()) => {
            panic!(
                "{} missing in CI: .ci/run must `npm ci` in tests/axe",
                path.display()
            )
        }
        Err(_) => {
            eprintln!("skipped: run `npm ci` in tests/axe to check pages with axe-core");
            None
        }
    }
}

/// The ids the page list needs.
struct Seeded {
    office: i64,
    trip: i64,
    booking: String,
}

/// Who looks at a page.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Who {
    Visitor,
    Traveller,
    Staff,
    Admin,
}

/// A page to check: who opens it, its address, and whether its form is sent
/// empty first (to check the page with its errors showing).
struct Visit {
    who: Who,
    path: String,
    submit_empty: Option<&'static str>,
}

/// Every main page, named with `lang` (the language is the browser's
/// cookie, set before the pages are visited).
fn main_pages(lang: &str, s: &Seeded) -> Vec<(String, Visit)> {
    let v = |who, path: String, submit_empty| Visit {
        who,
        path,
        submit_empty,
    };
    [
        ("home", v(Who::Visitor, "/".into(), None)),
        ("sign-up", v(Who::Visitor, "/signup".into(), None)),
        (
            "sign-up with errors",
            v(Who::Visitor, "/signup".into(), Some("/signup")),
        ),
        ("log in", v(Who::Visitor, "/login".into(), None)),
        ("offices", v(Who::Visitor, "/offices".into(), None)),
        (
            "an office (visitor)",
            v(Who::Visitor, format!("/offices/{}", s.office), None),
        ),
        (
            "an office",
            v(Who::Traveller, format!("/offices/{}", s.office), None),
        ),
        (
            "new ride",
            v(
                Who::Traveller,
                format!("/rides/new?office={}", s.office),
                None,
            ),
        ),
        (
            "new ride with errors",
            v(Who::Traveller, "/rides/new".into(), Some("/rides")),
        ),
        ("new stay", v(Who::Traveller, "/stays/new".into(), None)),
        (
            "new stay with errors",
            v(Who::Traveller, "/stays/new".into(), Some("/stays")),
        ),
        (
            "new trip",
            v(
                Who::Traveller,
                format!("/trips/new?office={}", s.office),
                None,
            ),
        ),
        (
            "new trip with errors",
            v(Who::Traveller, "/trips/new".into(), Some("/trips")),
        ),
        (
            "a trip with matches",
            v(Who::Traveller, format!("/trips/{}", s.trip), None),
        ),
        ("a booking", v(Who::Traveller, s.booking.clone(), None)),
        ("me", v(Who::Traveller, "/me".into(), None)),
        ("account", v(Who::Traveller, "/account".into(), None)),
        (
            "dashboard",
            v(Who::Staff, format!("/offices/{}/dashboard", s.office), None),
        ),
        ("admin", v(Who::Admin, "/admin".into(), None)),
        ("campaign", v(Who::Admin, "/admin/campaign".into(), None)),
    ]
    .into_iter()
    .map(|(name, visit)| (format!("{name} [{lang}]"), visit))
    .collect()
}

impl Browser {
    /// axe's violations on the page as it is now, one line each.
    async fn axe_violations(&self, axe: &str) -> Vec<String> {
        self.client
            .execute(axe, vec![])
            .await
            .expect("inject axe-core");
        let found = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { runOnly: { type: 'tag', values: arguments[0] } })
                   .then(r => done(r.passes.length === 0 ? ['axe checked nothing'] :
                      r.violations.map(v => v.id + ': ' + v.help + ' at ' +
                      v.nodes.map(n => n.target.join(' ')).join(', '))))
                   .catch(e => done(['axe failed: ' + e]));",
                vec![json!(TAGS)],
            )
            .await
            .expect("run axe-core");
        match found {
            Value::Array(items) => items
                .into_iter()
                .map(|v| v.as_str().unwrap_or_default().to_string())
                .collect(),
            other => vec![format!("unexpected answer from axe: {other}")],
        }
    }

    /// Sends the form posting to `action` with every field emptied, past the
    /// browser's own checks, so the server's error page is what gets checked.
    async fn submit_empty(&self, action: &str) {
        let css = format!("main form[action='{action}']");
        self.wait_for(&css).await;
        self.client
            .execute(
                "const f = document.querySelector(arguments[0]); f.noValidate = true;
                 f.querySelectorAll('input[type=text], input[type=email], input[type=password], input[type=date], input[type=tel], input[type=number], textarea')
                   .forEach(i => { i.value = ''; });
                 f.querySelector('button[type=submit]').click();",
                vec![json!(css)],
            )
            .await
            .expect("send the form empty");
        self.wait_for(".error, [aria-invalid=true]").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_main_page_passes_axe_at_phone_and_desktop_width() {
    let Some(tools) = BrowserTools::find() else {
        return;
    };
    let Some(axe) = axe_source() else {
        return;
    };
    let driver = ChromeDriver::start(&tools.chromedriver).await;
    let app = TestApp::spawn(Backend::Sqlite)
        .await
        .expect("app on SQLite");
    let office = office_with_a_ride_and_a_bed(&app).await;
    app.user("Stef Staff")
        .email("staff@example.org")
        .staff_of(office)
        .create()
        .await;
    app.user("Ada Admin")
        .email("admin@example.org")
        .admin()
        .create()
        .await;
    let tia = app.user("Tia Traveller").create().await;
    let trip = app.trip(office).days(10, 13).insert(tia).await;

    // The booking page exists once Tia has asked for a seat.
    let b = Browser::open(&driver, &tools.chromium, DESKTOP).await;
    log_in(&b, &app, "tia@example.org").await;
    b.goto(&app.url(&format!("/trips/{trip}"))).await;
    b.click("#rides .match form button[type=submit]").await;
    b.wait_for("#booking-status").await;
    let booking = b
        .client
        .current_url()
        .await
        .expect("url")
        .path()
        .to_string();
    b.close().await;
    let seeded = Seeded {
        office,
        trip,
        booking,
    };

    // The checker itself: an image with no text is caught.
    let b = Browser::open(&driver, &tools.chromium, DESKTOP).await;
    b.goto(&app.url("/")).await;
    b.client
        .execute(
            "document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/static/favicon.svg\">');",
            vec![],
        )
        .await
        .expect("add an image");
    let caught = b.axe_violations(&axe).await;
    assert!(
        caught.iter().any(|v| v.starts_with("image-alt")),
        "{caught:?}"
    );
    b.close().await;

    let mut failures = vec![];
    for (view, lang) in [
        (PHONE, "en"),
        (DESKTOP, "en"),
        (PHONE, "es"),
        (DESKTOP, "es"),
    ] {
        let b = Browser::open(&driver, &tools.chromium, view).await;
        // A visitor's choice, kept in a cookie: the accounts below chose no
        // language, so they read the site in it too.
        b.goto(&app.url("/")).await;
        if lang != "en" {
            b.click(&format!(".language-switch button[value={lang}]"))
                .await;
            b.wait_for(&format!("html[lang={lang}]")).await;
        }
        let mut signed_in = Who::Visitor;
        for (name, visit) in main_pages(lang, &seeded) {
            if visit.who != signed_in {
                if signed_in != Who::Visitor {
                    log_out(&b).await;
                }
                match visit.who {
                    Who::Visitor => {}
                    Who::Traveller => log_in(&b, &app, "tia@example.org").await,
                    Who::Staff => log_in(&b, &app, "staff@example.org").await,
                    Who::Admin => log_in(&b, &app, "admin@example.org").await,
                }
                signed_in = visit.who;
            }
            b.goto(&app.url(&visit.path)).await;
            b.wait_for(&format!("html[lang={lang}] main")).await;
            if let Some(action) = visit.submit_empty {
                b.submit_empty(action).await;
            }
            for v in b.axe_violations(&axe).await {
                failures.push(format!("{} {name}: {v}", view.name));
            }
            // For people to look at the maps (not compared).
            if lang == "en"
                && visit.who != Who::Visitor
                && (name.starts_with("an office") || name.starts_with("a trip"))
            {
                b.client
                    .execute(
                        "document.querySelector('figure.map').scrollIntoView();",
                        vec![],
                    )
                    .await
                    .expect("scroll to the map");
                b.screenshot(&format!(
                    "map-{}",
                    visit.path.split('/').nth(1).unwrap_or("page")
                ))
                .await;
            }
        }
        // A day of the dashboard, reached as staff do: from the summary.
        if signed_in != Who::Staff {
            log_out(&b).await;
            log_in(&b, &app, "staff@example.org").await;
        }
        b.goto(&app.url(&format!(
            "/offices/{office}/dashboard/day/{}",
            day(&app, 10)
        )))
        .await;
        b.wait_for(&format!("html[lang={lang}] main")).await;
        for v in b.axe_violations(&axe).await {
            failures.push(format!("{} dashboard day [{lang}]: {v}", view.name));
        }
        b.close().await;
    }
    assert!(failures.is_empty(), "axe found:\n{}", failures.join("\n"));
}
