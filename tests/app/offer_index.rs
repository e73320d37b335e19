//! The in-memory offer index stays in step with the database: a change made
//! by another instance, or by SQL that never went through the app, is seen by
//! the next lookup; on PostgreSQL also a change whose transaction began before
//! and committed after newer ones.

use chrono::Days;
use reqwest::StatusCode;

use crate::helpers::{new_client, Backend, TestApp, PASSWORD};
use crate::offers::{offer_ride, offer_stay, office, plan_trip, signed_in};
use trip_planner::store::trips;

on_both_databases!(another_instance_sees_every_change_at_its_next_lookup,);

fn id_in(location: Option<&str>) -> i64 {
    location
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

async fn another_instance_sees_every_change_at_its_next_lookup(app: TestApp) {
    let mke = office(&app, "Milwaukee Field Office", "53202").await;
    let driver = signed_in(&app, "dee@example.org", "Dee Driver", "60601").await;
    let host = signed_in(&app, "hal@example.org", "Hal Host", "53202").await;
    let traveller = signed_in(&app, "tia@example.org", "Tia Traveller", "60616").await;
    let first = offer_ride(&app, &driver, mke, &[]).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let first_ride = id_in(first.location());
    let stay = offer_stay(&app, &host, &[]).await;
    assert_eq!(stay.status, StatusCode::SEE_OTHER);
    let stay_id = id_in(stay.location());
    let trip = plan_trip(&app, &traveller, mke, &[]).await;
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
    let before = app
        .clock
        .today()
        .checked_add_days(Days::new(9))
        .unwrap()
        .to_string();
    let second_ride = offer_ride(&app, &driver, mke, &[("depart_date", &before)]).await;
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
    let night = app
        .clock
        .today()
        .checked_add_days(Days::new(11))
        .unwrap()
        .to_string();
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
async fn a_change_committed_late_is_not_skipped_on_postgres() {
    let Some(app) = TestApp::spawn(Backend::Postgres).await else {
        return;
    };
    let mke = office(&app, "Milwaukee Field Office", "53202").await;
    let driver = signed_in(&app, "dee@example.org", "Dee Driver", "60601").await;
    let traveller = signed_in(&app, "tia@example.org", "Tia Traveller", "60616").await;
    let first = offer_ride(&app, &driver, mke, &[]).await;
    let first_ride = id_in(first.location());
    let trip = plan_trip(&app, &traveller, mke, &[("needs_bed", "")]).await;
    let trip_id = id_in(trip.location());
    let trip = trips::by_id(&app.db.pool, trip_id).await.unwrap().unwrap();
    // A separate process's view: its own pool and index.
    let other = trip_planner::store::Db::connect(&app.database_url, 2)
        .await
        .unwrap();
    let other = trip_planner::finder::Finder::new(other);
    let today = app.clock.today();
    let ids = |m: &trip_planner::finder::TripMatches| {
        m.rides.iter().map(|(_, r)| r.id).collect::<Vec<_>>()
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
    let before = today.checked_add_days(Days::new(9)).unwrap().to_string();
    let second = offer_ride(&app, &driver, mke, &[("depart_date", &before)]).await;
    let second_ride = id_in(second.location());
    let found = other.for_trip(&trip, today).await.unwrap();
    let mut got = ids(&found);
    got.sort();
    assert_eq!(got, vec![first_ride, second_ride]);
    // ...and only then does the pause commit: the next lookup still sees it.
    slow.commit().await.unwrap();
    let found = other.for_trip(&trip, today).await.unwrap();
    assert_eq!(ids(&found), vec![second_ride]);
}
