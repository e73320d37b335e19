//! Every change and the emails it causes are one transaction: when queueing
//! an email fails, the change is not written either. The failure is made by
//! the database itself (a trigger that refuses outbox rows), so the app's
//! real code paths run unchanged.

use reqwest::StatusCode;
use sqlx::Row;

use crate::helpers::TestApp;
use trip_planner::store::Backend;

on_both_databases!(
    a_request_whose_email_cannot_be_queued_writes_nothing,
    an_instant_request_whose_email_cannot_be_queued_takes_no_seat,
    a_trip_cancel_whose_emails_cannot_be_queued_changes_nothing,
    a_due_booking_that_cannot_be_loaded_is_counted_not_skipped_silently,
);

async fn refuse_emails(app: &TestApp, refuse: bool) {
    let statements: &[&str] = match (app.db.backend, refuse) {
        (Backend::Sqlite, true) => &["CREATE TRIGGER outbox_refuses BEFORE INSERT ON outbox \
              BEGIN SELECT RAISE(ABORT, 'mail refused'); END"],
        (Backend::Sqlite, false) => &["DROP TRIGGER outbox_refuses"],
        (Backend::Postgres, true) => &[
            "CREATE FUNCTION refuse_mail() RETURNS trigger AS $$ \
             BEGIN RAISE EXCEPTION 'mail refused'; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER outbox_refuses BEFORE INSERT ON outbox \
             FOR EACH ROW EXECUTE FUNCTION refuse_mail()",
        ],
        (Backend::Postgres, false) => &["DROP TRIGGER outbox_refuses ON outbox"],
    };
    for sql in statements {
        sqlx::query(sql).execute(&app.db.pool).await.unwrap();
    }
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query(sql)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get::<i64, _>(0)
}

/// A driver's ride (instant or not) and a traveller's trip to one office.
async fn scene(app: &TestApp, instant: bool) -> (reqwest::Client, i64, reqwest::Client, i64) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, driver) = app.user("Dee Driver").home("60601").signed_in().await;
    let ride = app.ride(mke).seats(2);
    let ride = if instant { ride.instant() } else { ride };
    let ride = ride.create(&driver).await;
    let (_, traveller) = app.user("Tia Traveller").signed_in().await;
    let trip = app.trip(mke).no_bed().create(&traveller).await;
    (driver, ride, traveller, trip)
}

async fn ask(app: &TestApp, traveller: &reqwest::Client, trip: i64, ride: i64) -> StatusCode {
    app.ask(traveller, trip, "ride", ride).await.status
}

async fn nothing_booked(app: &TestApp) {
    for table in ["bookings", "booking_events", "tokens", "outbox"] {
        let sql = if table == "tokens" {
            "SELECT COUNT(*) FROM tokens WHERE booking_id IS NOT NULL".to_string()
        } else if table == "outbox" {
            "SELECT COUNT(*) FROM outbox WHERE subject LIKE '%seat%'".to_string()
        } else {
            format!("SELECT COUNT(*) FROM {table}")
        };
        assert_eq!(count(app, &sql).await, 0, "{table} must hold nothing");
    }
    assert_eq!(
        count(
            app,
            "SELECT CAST(COALESCE(SUM(seats_taken), 0) AS BIGINT) FROM rides"
        )
        .await,
        0
    );
}

async fn a_request_whose_email_cannot_be_queued_writes_nothing(app: TestApp) {
    let (_, ride, traveller, trip) = scene(&app, false).await;
    refuse_emails(&app, true).await;
    assert_eq!(
        ask(&app, &traveller, trip, ride).await,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    nothing_booked(&app).await;
    // Nothing half-done blocks the retry once mail works again.
    refuse_emails(&app, false).await;
    assert_eq!(
        ask(&app, &traveller, trip, ride).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM bookings WHERE status = 'requested'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM tokens WHERE booking_id IS NOT NULL"
        )
        .await,
        2,
        "the accept and decline links"
    );
}

async fn an_instant_request_whose_email_cannot_be_queued_takes_no_seat(app: TestApp) {
    let (_, ride, traveller, trip) = scene(&app, true).await;
    refuse_emails(&app, true).await;
    assert_eq!(
        ask(&app, &traveller, trip, ride).await,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    nothing_booked(&app).await;
    refuse_emails(&app, false).await;
    assert_eq!(
        ask(&app, &traveller, trip, ride).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM bookings WHERE status = 'accepted'"
        )
        .await,
        1,
        "accepted at once, not left requested"
    );
    assert_eq!(
        count(
            &app,
            "SELECT CAST(COALESCE(SUM(seats_taken), 0) AS BIGINT) FROM rides"
        )
        .await,
        1
    );
}

async fn a_trip_cancel_whose_emails_cannot_be_queued_changes_nothing(app: TestApp) {
    let (_, ride, traveller, trip) = scene(&app, true).await;
    assert_eq!(
        ask(&app, &traveller, trip, ride).await,
        StatusCode::SEE_OTHER
    );
    refuse_emails(&app, true).await;
    let cancelled = app
        .post_with(&traveller, &format!("/trips/{trip}/cancel"), &[])
        .await;
    assert_eq!(cancelled.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM trips WHERE status = 'active'").await,
        1,
        "the trip is still on"
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM bookings WHERE status = 'accepted'"
        )
        .await,
        1,
        "its booking still holds"
    );
    assert_eq!(
        count(
            &app,
            "SELECT CAST(COALESCE(SUM(seats_taken), 0) AS BIGINT) FROM rides"
        )
        .await,
        1
    );
    refuse_emails(&app, false).await;
    let cancelled = app
        .post_with(&traveller, &format!("/trips/{trip}/cancel"), &[])
        .await;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM bookings WHERE status = 'cancelled'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT CAST(COALESCE(SUM(seats_taken), 0) AS BIGINT) FROM rides"
        )
        .await,
        0
    );
}

async fn a_due_booking_that_cannot_be_loaded_is_counted_not_skipped_silently(app: TestApp) {
    let (_, ride, traveller, trip) = scene(&app, false).await;
    assert_eq!(
        ask(&app, &traveller, trip, ride).await,
        StatusCode::SEE_OTHER
    );
    let t0 = app.clock.now();
    // A row the app cannot read back (written by hand, outside the app).
    sqlx::query("UPDATE rides SET depart_date = 'not a date'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    app.clock.set(t0 + chrono::Duration::hours(49));
    let ran = trip_planner::jobs::run_once(&app.state).await.unwrap();
    assert_eq!(ran.reminded, 0);
    assert_eq!(ran.load_failures, 1, "{ran:?}");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM bookings WHERE reminded_at IS NULL"
        )
        .await,
        1,
        "still due: the next run tries again"
    );
}
