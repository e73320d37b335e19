//! Keyboard alone: sign up, plan a trip and ask for a seat with Tab, Enter
//! and Space sent through WebDriver, checking the skip link comes first,
//! fields come in reading order and whatever has focus is visibly outlined.

use fantoccini::key::Key;
use serde_json::json;

use super::{office_with_a_ride_and_a_bed, start, Browser, DESKTOP};
use crate::helpers::{link_path, PASSWORD};

/// Tabs stop trying after this many presses: a page where the target can't be
/// reached by keyboard fails rather than loops.
const MAX_TABS: usize = 80;

impl Browser {
    /// Sends keys to whatever has focus, as typing does.
    async fn keys(&self, keys: &str) {
        self.client
            .active_element()
            .await
            .expect("something has focus")
            .send_keys(keys)
            .await
            .expect("send keys");
    }

    /// Does the focused element match `css`, and is its focus outlined?
    async fn focus(&self, css: &str) -> (bool, bool, String) {
        let v = self
            .client
            .execute(
                "const e = document.activeElement; const s = getComputedStyle(e);
                 return [e.matches(arguments[0]), s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
                         e.tagName + '#' + e.id + ' ' + ' ' + (e.getAttribute('href') || e.name || e.textContent.trim().slice(0, 30))];",
                vec![json!(css)],
            )
            .await
            .expect("read focus");
        (
            v[0].as_bool().unwrap_or(false),
            v[1].as_bool().unwrap_or(false),
            v[2].as_str().unwrap_or_default().to_string(),
        )
    }

    /// Presses Tab until `css` has focus; every stop on the way must show its
    /// focus. Returns the stops, for checking their order.
    async fn tab_to(&self, css: &str) -> Vec<String> {
        let mut stops = vec![];
        for _ in 0..MAX_TABS {
            self.keys(&Key::Tab.to_string()).await;
            let (here, outlined, what) = self.focus(css).await;
            assert!(outlined, "focus is not visible on {what}");
            stops.push(what);
            if here {
                return stops;
            }
        }
        panic!("`{css}` not reached by Tab; stops: {stops:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_volunteer_signs_up_plans_a_trip_and_asks_for_a_seat_by_keyboard_alone() {
    let Some((tools, driver, app)) = start().await else {
        return;
    };
    let office = office_with_a_ride_and_a_bed(&app).await;
    let b = Browser::open(&driver, &tools.chromium, DESKTOP).await;

    // The skip link is the first stop and takes focus past the navigation.
    b.goto(&app.url("/signup")).await;
    let first = b.tab_to("a").await;
    assert_eq!(first.len(), 1, "{first:?}");
    assert!(first[0].contains("#main"), "skip link first: {first:?}");
    b.keys(&Key::Enter.to_string()).await;
    let (in_main, _, what) = b.focus("main").await;
    assert!(in_main, "the skip link moves focus to the content: {what}");

    // Sign up: the fields in reading order, typed into.
    let order = ["name", "email", "new_password", "home"];
    let values = ["Kay Keys", "kay@example.org", PASSWORD, "Chicago, IL"];
    for (field, value) in order.iter().zip(values) {
        let stops = b.tab_to(&format!("#f-{field}")).await;
        assert_eq!(stops.len(), 1, "{field} comes next: {stops:?}");
        b.keys(value).await;
    }
    b.tab_to("form[action='/signup'] button[type=submit]").await;
    b.keys(&Key::Enter.to_string()).await;
    b.wait_for("#check-inbox").await;

    // Confirm through the emailed link.
    let mail = app.last_mail_to("kay@example.org").await.expect("an email");
    let link = link_path(&mail.text, "/verify/").expect("a confirmation link");
    b.goto(&app.url(&link)).await;
    b.tab_to("#confirm form button[type=submit]").await;
    b.keys(&Key::Enter.to_string()).await;
    b.wait_for_path("/account").await;

    // Plan a trip around Hal's beds from the office's page, ticking "A ride" with Space.
    b.goto(&app.url(&format!("/offices/{office}"))).await;
    b.tab_to("#office-stays a.plan").await;
    b.keys(&Key::Enter.to_string()).await;
    b.wait_for("form[action='/trips']").await;
    b.tab_to("input[name=needs_ride]").await;
    b.keys(" ").await;
    b.tab_to("form[action='/trips'] button[type=submit]").await;
    b.keys(&Key::Enter.to_string()).await;

    // Ask Dee for a seat.
    b.wait_for("#rides .match").await;
    b.tab_to("#rides .match form button[type=submit]").await;
    b.keys(&Key::Enter.to_string()).await;
    b.wait_for("#booking-status").await;
    assert_eq!(b.text("#booking-status").await, "Waiting for an answer");
    b.close().await;
}
