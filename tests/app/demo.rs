//! The demo obeys every rule the app enforces: capacity per ride and per
//! night, one accepted booking per leg, the matching rules; and every
//! request it leaves waiting can be answered either way.

use sqlx::Row;
use trip_planner::bookings;
use trip_planner::domain::booking::{Action, BookingStatus};
use trip_planner::domain::ids::*;
use trip_planner::matching;
use trip_planner::store::bookings::{self as bstore, Offer};
use trip_planner::store::{rides, stays, trips};

use crate::helpers::{Backend, TestApp};

on_both_databases!(every_request_in_the_demo_can_be_answered);

/// Every booking of the demo, oldest first.
async fn all_bookings(app: &TestApp) -> Vec<bstore::Booking> {
    let ids: Vec<i64> = sqlx::query("SELECT id FROM bookings ORDER BY id")
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get("id"))
        .collect();
    let mut out = vec![];
    for id in ids {
        out.push(
            bstore::by_id(&app.db.pool, BookingId(id))
                .await
                .unwrap()
                .unwrap(),
        );
    }
    out
}

async fn load_demo(app: &TestApp) -> Vec<bstore::Booking> {
    assert!(trip_planner::demo::load_if_empty(&app.db, &app.clock)
        .await
        .unwrap());
    all_bookings(app).await
}

/// Seats and beds taken are exactly what the accepted bookings hold, and
/// never more than offered.
async fn capacity_adds_up(app: &TestApp, list: &[bstore::Booking]) {
    let accepted = || list.iter().filter(|b| b.status == BookingStatus::Accepted);
    let ride_ids: Vec<i64> = sqlx::query("SELECT id FROM rides ORDER BY id")
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get("id"))
        .collect();
    for id in ride_ids {
        let ride = rides::by_id(&app.db.pool, RideId(id))
            .await
            .unwrap()
            .unwrap();
        let held: i32 = accepted()
            .filter(|b| b.offer == Offer::Ride(ride.id))
            .map(|b| b.party_size)
            .sum();
        assert_eq!(ride.seats_taken, held, "ride {id}");
        assert!(ride.seats_taken <= ride.seats, "ride {id} overbooked");
    }
    let stay_ids: Vec<i64> = sqlx::query("SELECT id FROM stays ORDER BY id")
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get("id"))
        .collect();
    let mut conn = app.db.pool.acquire().await.unwrap();
    for id in stay_ids {
        let stay = stays::by_id(&mut conn, StayId(id)).await.unwrap().unwrap();
        for (night, taken) in &stay.taken {
            let held: i32 = accepted()
                .filter(|b| b.offer == Offer::Stay(stay.id))
                .filter(|b| b.first_night <= Some(*night) && Some(*night) <= b.last_night)
                .map(|b| b.party_size)
                .sum();
            assert_eq!(*taken, held, "stay {id} on {night}");
            assert!(*taken <= stay.beds, "stay {id} overbooked on {night}");
        }
    }
}

async fn every_request_in_the_demo_can_be_answered(app: TestApp) {
    let list = load_demo(&app).await;
    let today = app.clock.today();
    let waiting: Vec<&bstore::Booking> = list
        .iter()
        .filter(|b| b.status == BookingStatus::Requested)
        .collect();
    assert!(
        waiting.len() >= 10,
        "the demo has requests: {}",
        waiting.len()
    );
    assert!(
        list.iter()
            .filter(|b| b.status == BookingStatus::Accepted)
            .count()
            >= 10
    );

    // As loaded: the capacity adds up, a trip has at most one booking per
    // leg, and every request fits its trip by the matching rules today.
    capacity_adds_up(&app, &list).await;
    let mut legs: Vec<(TripId, bool)> = list
        .iter()
        .filter(|b| b.status.is_live())
        .map(|b| (b.trip_id, matches!(b.offer, Offer::Ride(_))))
        .collect();
    let live = legs.len();
    legs.sort();
    legs.dedup();
    assert_eq!(legs.len(), live, "one live booking per trip and leg");
    for b in &waiting {
        let trip = trips::by_id(&app.db.pool, b.trip_id)
            .await
            .unwrap()
            .unwrap();
        let req = trip.request();
        let fits = match b.offer {
            Offer::Ride(id) => {
                let ride = rides::by_id(&app.db.pool, id).await.unwrap().unwrap();
                matching::ride_fits(&req, &ride.candidate(), today).is_some()
            }
            Offer::Stay(id) => {
                let mut conn = app.db.pool.acquire().await.unwrap();
                let stay = stays::by_id(&mut conn, id).await.unwrap().unwrap();
                matching::stay_fits(&req, &stay.candidate(), today).is_some()
            }
        };
        assert!(fits, "booking {} fits its trip", b.id);
        assert!(
            b.expires_at > app.clock.now_text(),
            "booking {} not expired",
            b.id
        );
    }

    // Every request accepted by its owner, one after the other: each one
    // succeeds, so each one alone would too.
    for b in &waiting {
        let to = bookings::act(
            &app.state,
            Some(b.owner_id),
            b.id,
            Action::Accept,
            None,
            None,
        )
        .await
        .unwrap_or_else(|e| panic!("booking {} can be accepted: {e}", b.id));
        assert_eq!(to, BookingStatus::Accepted);
    }
    let after = all_bookings(&app).await;
    assert!(after.iter().all(|b| b.status != BookingStatus::Requested));
    assert!(
        after.iter().all(|b| b.status != BookingStatus::Withdrawn),
        "no request made another one unnecessary"
    );
    capacity_adds_up(&app, &after).await;

    // And on a fresh copy of the demo, every request declined by its owner.
    let backend = match app.db.backend {
        trip_planner::store::db::Backend::Sqlite => Backend::Sqlite,
        trip_planner::store::db::Backend::Postgres => Backend::Postgres,
    };
    let copy = TestApp::spawn(backend).await.expect("a second database");
    let list = load_demo(&copy).await;
    let waiting: Vec<&bstore::Booking> = list
        .iter()
        .filter(|b| b.status == BookingStatus::Requested)
        .collect();
    assert!(!waiting.is_empty());
    for b in waiting {
        let to = bookings::act(
            &copy.state,
            Some(b.owner_id),
            b.id,
            Action::Decline,
            None,
            None,
        )
        .await
        .unwrap_or_else(|e| panic!("booking {} can be declined: {e}", b.id));
        assert_eq!(to, BookingStatus::Declined);
    }
}
