//! The server-drawn maps: parsed as SVG, with points checked against the
//! projected state outlines drawn on the same map; who sees which layer.

use crate::helpers::{day, new_client, Page, TestApp};

on_both_databases!(
    a_ride_offered_from_chicago_lands_inside_illinois_on_the_office_map,
    the_office_map_shows_each_viewer_only_what_the_page_tells_them,
    the_office_map_reads_its_days_and_explains_bad_ones,
    the_trip_map_draws_each_ride_from_its_town_through_the_travellers,
);

/// A path's rings, from `M x,y L x,y … Z` as the map writes them.
fn rings(d: &str) -> Vec<Vec<(f64, f64)>> {
    d.split('M')
        .filter(|r| !r.is_empty())
        .map(|r| {
            r.trim_end_matches('Z')
                .split('L')
                .map(|xy| {
                    let (x, y) = xy.split_once(',').expect("x,y");
                    (x.parse().expect("x"), y.parse().expect("y"))
                })
                .collect()
        })
        .collect()
}

/// Even-odd ray casting, written here apart from the app's own.
fn inside(rings: &[Vec<(f64, f64)>], (px, py): (f64, f64)) -> bool {
    let mut odd = false;
    for ring in rings {
        for (i, &(ax, ay)) in ring.iter().enumerate() {
            let (bx, by) = ring[(i + ring.len() - 1) % ring.len()];
            if (ay > py) != (by > py) && px < (bx - ax) * (py - ay) / (by - ay) + ax {
                odd = !odd;
            }
        }
    }
    odd
}

fn state_rings(page: &Page, map: &str, postal: &str) -> Vec<Vec<(f64, f64)>> {
    let d = page
        .attr(&format!("#{map} svg path[data-state={postal}]"), "d")
        .unwrap_or_else(|| panic!("{postal} is drawn on #{map}"));
    rings(&d)
}

fn dot(page: &Page, css: &str) -> (f64, f64) {
    let num = |a: &str| -> f64 {
        page.attr(css, a)
            .unwrap_or_else(|| panic!("{css} has {a}"))
            .parse()
            .expect("a number")
    };
    (num("cx"), num("cy"))
}

async fn a_ride_offered_from_chicago_lands_inside_illinois_on_the_office_map(app: TestApp) {
    // Arrange: two Chicago drivers from different ZIPs, one Milwaukee office.
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, dee) = app.user("Dee Driver").home("60601").signed_in().await;
    app.ride(mke)
        .depart(day(&app, 3))
        .seats(3)
        .create(&dee)
        .await;
    let (_, dan) = app.user("Dan Dunn").home("60614").signed_in().await;
    app.ride(mke)
        .from("60614")
        .depart(day(&app, 4))
        .seats(1)
        .create(&dan)
        .await;
    let (_, tia) = app.user("Tia Traveller").signed_in().await;

    // Act
    let page = app.get_with(&tia, &format!("/offices/{mke}")).await;

    // Assert: one dot for the town (seats summed), inside Illinois, not Wisconsin;
    // the office inside Wisconsin.
    assert_eq!(
        page.texts("#office-map circle.ride").len(),
        1,
        "one dot per town"
    );
    let chicago = dot(&page, "#office-map circle.ride");
    assert!(inside(&state_rings(&page, "office-map", "IL"), chicago));
    assert!(!inside(&state_rings(&page, "office-map", "WI"), chicago));
    let office = dot(&page, "#office-map circle.office");
    assert!(inside(&state_rings(&page, "office-map", "WI"), office));
    assert!(page
        .texts("#office-map .map-list li")
        .contains(&"Rides from Chicago, IL: 4 seats free".to_string()));
    assert_eq!(
        page.attr("#office-map svg", "role").as_deref(),
        Some("img"),
        "announced as one image with its title and description"
    );
}

async fn the_office_map_shows_each_viewer_only_what_the_page_tells_them(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, dee) = app.user("Dee Driver").home("60601").signed_in().await;
    app.ride(mke).depart(day(&app, 3)).create(&dee).await;
    let (_, fay) = app.user("Fay Franklin").home("53132").signed_in().await;
    app.stay().place("53132").create(&fay).await;
    let tom = app.user("Tom Traveller").create().await;
    app.trip(mke).days(2, 4).insert(tom).await;
    let (_, staff) = app.user("Sam Staff").staff_of(mke).signed_in().await;
    let (_, tia) = app.user("Tia Traveller").signed_in().await;

    // A visitor reads counts only: the office alone, no inset.
    let anon = app
        .get_with(&new_client(), &format!("/offices/{mke}"))
        .await;
    assert_eq!(anon.texts("#office-map circle").len(), 1);
    assert_eq!(anon.texts("#office-map circle.office").len(), 1);
    assert!(anon.texts("#office-inset").is_empty());
    assert!(!anon.body.contains("Franklin") && !anon.body.contains("Travellers from"));

    // Someone signed in: rides and beds by town, the inset with a scale bar,
    // but not where travellers come from.
    let page = app.get_with(&tia, &format!("/offices/{mke}")).await;
    assert_eq!(page.texts("#office-map circle.ride").len(), 1);
    assert_eq!(page.texts("#office-map circle.stay").len(), 1);
    assert!(page.texts("#office-map circle.traveller").is_empty());
    assert!(!page.body.contains("Travellers from"));
    assert_eq!(page.texts("#office-inset circle.stay").len(), 1);
    assert_eq!(page.texts("#office-inset .scale text").len(), 1);
    let bar = page.text("#office-inset .scale text");
    assert!(bar.ends_with(" mi"), "in the viewer's unit: {bar}");
    assert!(page
        .texts("#office-inset .map-list li")
        .contains(&"Beds in Franklin, WI: 2 beds".to_string()));
    // Franklin's town point, not the host's ZIP point: 53132's point differs.
    let town = dot(&page, "#office-map circle.stay");
    assert!(inside(&state_rings(&page, "office-map", "WI"), town));

    // Staff see their travellers' towns too.
    let staff_page = app.get_with(&staff, &format!("/offices/{mke}")).await;
    assert!(staff_page
        .texts("#office-map .map-list li")
        .contains(&"Travellers from Chicago, IL: 1 person".to_string()));
}

async fn the_office_map_reads_its_days_and_explains_bad_ones(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, dee) = app.user("Dee Driver").home("60601").signed_in().await;
    app.ride(mke).depart(day(&app, 20)).create(&dee).await;
    let (_, tia) = app.user("Tia Traveller").signed_in().await;

    // The next two weeks by default: a ride in three weeks is not drawn.
    let page = app.get_with(&tia, &format!("/offices/{mke}")).await;
    assert!(page.texts("#office-map circle.ride").is_empty());

    // Asked for the days around it, it is.
    let (from, to) = (day(&app, 18), day(&app, 22));
    let page = app
        .get_with(&tia, &format!("/offices/{mke}?map_from={from}&map_to={to}"))
        .await;
    assert_eq!(page.texts("#office-map circle.ride").len(), 1);
    assert_eq!(page.attr("#f-map_from", "value"), Some(from.to_string()));

    // Hostile or backwards dates: a message, the default range, nothing echoed.
    for bad in ["map_from=<script>", &format!("map_from={to}&map_to={from}")] {
        let page = app.get_with(&tia, &format!("/offices/{mke}?{bad}")).await;
        assert_eq!(page.status, reqwest::StatusCode::OK);
        assert!(!page.text("#e-map").is_empty(), "{bad}");
        assert_eq!(
            page.attr("#f-map_from", "aria-invalid").as_deref(),
            Some("true")
        );
        assert!(!page.body.contains("<script>"));
        assert!(page.texts("#office-map circle.ride").is_empty());
    }
}

async fn the_trip_map_draws_each_ride_from_its_town_through_the_travellers(app: TestApp) {
    // Arrange: Tia in Chicago going to Milwaukee; a driver from Gary, IN.
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, gus) = app.user("Gus Gary").home("46402").signed_in().await;
    app.ride(mke)
        .from("46402")
        .depart(day(&app, 9))
        .create(&gus)
        .await;
    let (_, hal) = app.user("Hal Host").home("53202").signed_in().await;
    app.stay()
        .first_night(day(&app, 10))
        .last_night(day(&app, 13))
        .create(&hal)
        .await;
    let (_, tia) = app.user("Tia Traveller").signed_in().await;
    let trip = app.trip(mke).days(10, 13).create(&tia).await;

    // Act
    let page = app.get_with(&tia, &format!("/trips/{trip}")).await;

    // Assert: the route starts in Indiana, bends through Tia's town in
    // Illinois and ends at the office in Wisconsin.
    let points: Vec<(f64, f64)> = page
        .attr("#trip-map polyline.route", "points")
        .expect("a route")
        .split(' ')
        .map(|xy| {
            let (x, y) = xy.split_once(',').expect("x,y");
            (x.parse().expect("x"), y.parse().expect("y"))
        })
        .collect();
    assert_eq!(points.len(), 3, "{points:?}");
    assert!(inside(&state_rings(&page, "trip-map", "IN"), points[0]));
    assert!(inside(&state_rings(&page, "trip-map", "IL"), points[1]));
    assert!(inside(&state_rings(&page, "trip-map", "WI"), points[2]));
    assert_eq!(dot(&page, "#trip-map circle.ride"), points[0]);
    assert_eq!(dot(&page, "#trip-map circle.home"), points[1]);
    assert_eq!(page.texts("#trip-map circle.stay").len(), 1);
    let list = page.texts("#trip-map .map-list li");
    assert!(
        list.contains(&"Your town: Chicago, IL".to_string()),
        "{list:?}"
    );
    assert!(
        list.contains(&"Beds in Milwaukee, WI: 2 beds".to_string()),
        "{list:?}"
    );
}
