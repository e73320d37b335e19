//! The in-memory offer index stays in step with the database: a change made
//! by another instance, or by SQL that never went through the app, is seen by
//! the next lookup; on PostgreSQL also a change whose transaction began before
//! and committed after newer ones.

use reqwest::StatusCode;
use trip_planner::domain::ids::*;

use crate::helpers::{day, new_client, Backend, TestApp, PASSWORD};
use trip_planner::store::trips;

on_both_databases!(another_instance_sees_every_change_at_its_next_lookup,);

async fn another_instance_sees_every_change_at_its_next_lookup(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, driver) = app.user("Dee Driver").home("60601").signed_in().await;
    let (_, host) = app.user("Hal Host").home("53202").signed_in().await;
    let (_, traveller) = app.user("Tia Traveller").signed_in().await;
    let first = app.ride(mke).post(&driver).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let first_ride = first.redirect_id("/rides/");
    let stay = app.stay().post(&host).await;
    assert_eq!(stay.status, StatusCode::SEE_OTHER);
    let stay_id = stay.redirect_id("/stays/");
    let trip = app.trip(mke).post(&traveller).await;
    let trip_path = trip.location().unwrap().to_string();

    // A second instance on the same database, serving the traveller.
    let second = app.second_instance().await;
    let tia = new_client();
    second.login_with(&tia, "tia@example.org", PASSWORD).await;
    let seen = || async {
        let page = second.get_with(&tia, &trip_path).await;
        assert_eq!(page.status, StatusCode::OK);
        (page.texts("#rides .match"), page.texts("#stays .match"))
    };
    let (rides, stays) = seen().await;
    assert_eq!((rides.len(), stays.len()), (1, 1), "{rides:?} {stays:?}");

    // Written through the first instance.
    let second_ride = app.ride(mke).depart(day(&app, 9)).post(&driver).await;
    assert_eq!(second_ride.status, StatusCode::SEE_OTHER);
    let (rides, _) = seen().await;
    assert_eq!(rides.len(), 2, "a new ride shows at once: {rides:?}");
    let paused = app
        .post_with(&driver, &format!("/rides/{first_ride}/pause"), &[])
        .await;
    assert_eq!(paused.status, StatusCode::SEE_OTHER);
    let (rides, _) = seen().await;
    assert_eq!(rides.len(), 1, "a paused ride goes at once: {rides:?}");
    assert!(rides[0].contains("leaves the day before"), "{rides:?}");

    // Written by SQL that bypasses the app: the triggers still log it.
    sqlx::query("UPDATE users SET name = 'Deb Driver' WHERE email = 'dee@example.org'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let (rides, _) = seen().await;
    assert!(rides[0].starts_with("Deb from"), "renamed owner: {rides:?}");
    let night = day(&app, 11).to_string();
    sqlx::query("INSERT INTO stay_blocked_nights (stay_id, night) VALUES ($1, $2)")
        .bind(stay_id)
        .bind(&night)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let (_, stays) = seen().await;
    assert!(
        stays.is_empty(),
        "a blocked night inside the trip: {stays:?}"
    );
    sqlx::query("DELETE FROM stay_blocked_nights WHERE stay_id = $1")
        .bind(stay_id)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let (_, stays) = seen().await;
    assert_eq!(stays.len(), 1, "unblocked again: {stays:?}");
    sqlx::query("UPDATE rides SET seats_taken = seats")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let (rides, _) = seen().await;
    assert!(rides.is_empty(), "no free seat left: {rides:?}");
}

/// On PostgreSQL a transaction that started earlier can commit after a later
/// one; the index must not step over its change.
#[tokio::test]
#[cfg_attr(no_test_database, ignore = "needs TEST_DATABASE_URL")]
async fn a_change_committed_late_is_not_skipped_on_postgres() {
    let Some(app) = TestApp::spawn(Backend::Postgres).await else {
        return;
    };
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, driver) = app.user("Dee Driver").home("60601").signed_in().await;
    let (_, traveller) = app.user("Tia Traveller").signed_in().await;
    let first_ride = app.ride(mke).create(&driver).await;
    let trip_id = app.trip(mke).no_bed().create(&traveller).await;
    let trip = trips::by_id(&app.db.pool, TripId(trip_id))
        .await
        .unwrap()
        .unwrap();
    // A separate process's view: its own pool and index.
    let other = trip_planner::store::Db::connect(&app.database_url, 2)
        .await
        .unwrap();
    let other = trip_planner::finder::Finder::new(other);
    let today = app.clock.today();
    let ids = |m: &trip_planner::finder::TripMatches| {
        m.rides.iter().map(|(_, r)| r.id.get()).collect::<Vec<_>>()
    };
    let found = other.for_trip(&trip, today).await.unwrap();
    assert_eq!(ids(&found), vec![first_ride]);

    // The pause begins first (its change gets the lower sequence number)...
    let mut slow = app.db.pool.begin().await.unwrap();
    sqlx::query("UPDATE rides SET status = 'paused' WHERE id = $1")
        .bind(first_ride)
        .execute(&mut *slow)
        .await
        .unwrap();
    // ...a new ride commits meanwhile and is read by the index...
    let second_ride = app.ride(mke).depart(day(&app, 9)).create(&driver).await;
    let found = other.for_trip(&trip, today).await.unwrap();
    let mut got = ids(&found);
    got.sort();
    assert_eq!(got, vec![first_ride, second_ride]);
    // ...and only then does the pause commit: the next lookup still sees it.
    slow.commit().await.unwrap();
    let found = other.for_trip(&trip, today).await.unwrap();
    assert_eq!(ids(&found), vec![second_ride]);
}
