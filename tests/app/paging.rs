//! Every list cut on the office's pages says how many there are and pages
//! through the rest with `?page=N`; a page number out of range or not a
//! number lands on the nearest page.

use std::collections::BTreeSet;

use reqwest::StatusCode;

use crate::helpers::{day, TestApp};

on_both_databases!(
    the_dashboard_pages_through_every_gap,
    the_day_page_clamps_bad_page_numbers,
);

async fn the_dashboard_pages_through_every_gap(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    for i in 0..29 {
        let t = app.user(&format!("T{i:02} Person")).create().await;
        app.trip(mke).days(1 + i % 5, 8).insert(t).await;
    }
    let (_, staff) = app
        .user("Stef Staff")
        .home("53202")
        .staff_of(mke)
        .signed_in()
        .await;
    let base = format!("/offices/{mke}/dashboard");
    let first = app.get_with(&staff, &base).await;
    assert!(first.text("#gaps h2").contains("(29)"));
    assert_eq!(first.texts("#gaps .gap").len(), 20);
    assert_eq!(
        first.text("#gaps-shown"),
        "20 of 29 gaps on this page, by arrival — next page."
    );
    assert_eq!(
        first.text("#gaps .pager-count"),
        "1–20 of 29 gaps · page 1 of 2"
    );
    let next = first
        .attr("#gaps .pager a[rel=next]", "href")
        .expect("a link to the next page");
    assert_eq!(first.attr("#gaps-shown a", "href"), Some(next.clone()));
    assert!(next.contains("page=2"), "{next}");
    // The range asked for is kept from page to page.
    assert!(next.contains(&format!("from={}", day(&app, 0))), "{next}");
    let second = app.get_with(&staff, &next).await;
    assert_eq!(second.status, StatusCode::OK);
    assert_eq!(second.texts("#gaps .gap").len(), 9);
    assert_eq!(
        second.text("#gaps .pager-count"),
        "21–29 of 29 gaps · page 2 of 2"
    );
    assert!(second.attr("#gaps .pager a[rel=next]", "href").is_none());
    assert!(second.attr("#gaps .pager a[rel=prev]", "href").is_some());
    // Together the two pages list every gap once.
    let names = |p: &crate::helpers::Page| -> Vec<String> { p.texts("#gaps .gap strong") };
    let all: BTreeSet<String> = names(&first).into_iter().chain(names(&second)).collect();
    assert_eq!(all.len(), 29);

    // Out of range or not a number: the nearest page, never an error.
    for (asked, shown) in [("99", 9), ("0", 20), ("-1", 20), ("abc", 20), ("1e9", 20)] {
        let p = app.get_with(&staff, &format!("{base}?page={asked}")).await;
        assert_eq!(p.status, StatusCode::OK, "page={asked}");
        assert_eq!(p.texts("#gaps .gap").len(), shown, "page={asked}");
    }
    // A list that fits on one page has no pager.
    let one_day = app
        .get_with(&staff, &format!("{base}?from={}&days=1", day(&app, 1)))
        .await;
    assert_eq!(one_day.texts("#gaps .gap").len(), 6);
    assert!(one_day.texts("#gaps .pager").is_empty());
    assert!(one_day.texts("#gaps-shown").is_empty());
}

async fn the_day_page_clamps_bad_page_numbers(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    for i in 0..27 {
        let t = app.user(&format!("T{i:02} Person")).create().await;
        app.trip(mke).days(3, 5).insert(t).await;
    }
    let (_, staff) = app
        .user("Stef Staff")
        .home("53202")
        .staff_of(mke)
        .signed_in()
        .await;
    let base = format!("/offices/{mke}/dashboard/day/{}", day(&app, 3));
    for (asked, shown) in [("2", 2), ("7", 2), ("x", 25), ("-2", 25)] {
        let p = app.get_with(&staff, &format!("{base}?page={asked}")).await;
        assert_eq!(p.status, StatusCode::OK, "page={asked}");
        assert_eq!(p.texts("#travellers li").len(), shown, "page={asked}");
    }
}
