//! Rides home: "and I drive back on …" offers a second ride, home from the
//! office; a trip that needs a ride home sees the ones that fit, books one
//! on its own beside the ride there, the database holds one accepted ride
//! home per trip, the driver sees the trips it fits, the import and the
//! `matches --json` report know the direction, and migration 14 gives every
//! old return date its ride home.

use reqwest::StatusCode;
use sqlx::{Executor, Row};
use trip_planner::domain::ids::*;
use trip_planner::domain::offer::Direction;
use trip_planner::store::{rides, Db};

use crate::helpers::{day, empty_database, Backend, TestApp};
use crate::import::write;

on_both_databases!(
    one_form_offers_a_ride_there_and_a_ride_home,
    a_trip_books_its_ride_there_and_its_ride_home_each_on_its_own,
    the_database_holds_one_accepted_ride_home_per_trip,
    the_driver_of_a_ride_home_sees_the_trips_it_fits,
    a_ride_home_before_the_trip_leaves_or_too_late_is_not_offered,
    the_import_reads_directions_and_says_which_column_is_wrong,
    matches_json_lists_rides_home_for_every_trip,
);

/// Rides of the database, as (direction, depart date, from zip, seats, detour).
async fn all_rides(app: &TestApp) -> Vec<(String, String, Option<String>, i64, f64)> {
    sqlx::query(
        "SELECT direction, depart_date, from_zip, seats, max_detour_km FROM rides ORDER BY id",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
    .iter()
    .map(|r| {
        (
            r.get("direction"),
            r.get("depart_date"),
            r.get("from_zip"),
            r.get("seats"),
            r.get("max_detour_km"),
        )
    })
    .collect()
}

/// The one ride home in the database.
async fn home_ride_id(app: &TestApp) -> i64 {
    sqlx::query("SELECT id FROM rides WHERE direction = 'from_office'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get("id")
}

async fn one_form_offers_a_ride_there_and_a_ride_home(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, dee) = app.user("Dee Driver").home("60601").signed_in().await;
    let page = app
        .ride(mke)
        .seats(2)
        .max_detour_km(30.0)
        .back(day(&app, 14))
        .post(&dee)
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(
        all_rides(&app).await,
        vec![
            (
                "to_office".into(),
                day(&app, 10).to_string(),
                Some("60601".into()),
                2,
                30.0
            ),
            (
                "from_office".into(),
                day(&app, 14).to_string(),
                Some("60601".into()),
                2,
                30.0
            ),
        ]
    );
    let home_id = home_ride_id(&app).await;
    let shown = app.get_with(&dee, &format!("/rides/{home_id}")).await;
    assert_eq!(shown.text("h1"), "Ride home from Milwaukee Field Office");

    // A drive back before the departure is refused and nothing is stored.
    let bad = app.ride(mke).back(day(&app, 9)).post(&dee).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        bad.text("#e-return_date"),
        "The drive back can't be before the departure."
    );
    assert_eq!(app.count("rides").await, 2);
}

async fn a_trip_books_its_ride_there_and_its_ride_home_each_on_its_own(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, dee) = app.user("Dee Driver").home("60601").signed_in().await;
    app.ride(mke).back(day(&app, 14)).create(&dee).await;
    let (there, home) = {
        let ids: Vec<i64> = sqlx::query("SELECT id FROM rides ORDER BY id")
            .fetch_all(&app.db.pool)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get("id"))
            .collect();
        (ids[0], ids[1])
    };
    let (_, tia) = app.user("Tia Traveller").signed_in().await;
    let trip = app.trip(mke).no_bed().ride_home().create(&tia).await;

    let page = app.get_with(&tia, &format!("/trips/{trip}")).await;
    assert_eq!(page.texts("#rides .match").len(), 1, "{}", page.body);
    let home_rows = page.texts("#rides-home .match");
    assert_eq!(home_rows.len(), 1, "{}", page.body);
    assert!(
        home_rows[0].contains("leaves the day you leave"),
        "{home_rows:?}"
    );
    assert!(page.text("#leg-ride_home").contains("No ride home yet"));

    let asked_there = app.ask(&tia, trip, "ride", there).await;
    assert_eq!(
        asked_there.status,
        StatusCode::SEE_OTHER,
        "{}",
        asked_there.body
    );
    let asked_home = app.ask(&tia, trip, "ride", home).await;
    assert_eq!(
        asked_home.status,
        StatusCode::SEE_OTHER,
        "{}",
        asked_home.body
    );
    let (b_there, b_home) = (
        asked_there.redirect_id("/bookings/"),
        asked_home.redirect_id("/bookings/"),
    );
    for b in [b_there, b_home] {
        let done = app
            .post_with(&dee, &format!("/bookings/{b}/accept"), &[])
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    }
    let statuses: Vec<String> = sqlx::query("SELECT status FROM bookings ORDER BY id")
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get("status"))
        .collect();
    assert_eq!(statuses, ["accepted", "accepted"], "one per leg, both kept");
    for id in [there, home] {
        let r = rides::by_id(&app.db.pool, RideId(id))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(r.seats_taken, 1, "ride {id}");
    }
    let page = app.get_with(&tia, &format!("/trips/{trip}")).await;
    assert!(
        page.text("#home-confirmed").contains("Dee"),
        "{}",
        page.body
    );
    assert!(page.text("#ride-confirmed").contains("Dee"));
}

async fn the_database_holds_one_accepted_ride_home_per_trip(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (dee_id, dee) = app.user("Dee Driver").home("60601").signed_in().await;
    let (eli_id, eli) = app.user("Eli Driver").home("60601").signed_in().await;
    let first = app
        .ride(mke)
        .depart(day(&app, 14))
        .home()
        .insert(dee_id)
        .await;
    let second = app
        .ride(mke)
        .depart(day(&app, 15))
        .home()
        .insert(eli_id)
        .await;
    let (_, tia) = app.user("Tia Traveller").signed_in().await;
    let trip = app
        .trip(mke)
        .no_bed()
        .no_ride()
        .ride_home()
        .create(&tia)
        .await;
    let a = app
        .ask(&tia, trip, "ride", first)
        .await
        .redirect_id("/bookings/");
    let b = app
        .ask(&tia, trip, "ride", second)
        .await
        .redirect_id("/bookings/");
    let ok = app
        .post_with(&dee, &format!("/bookings/{a}/accept"), &[])
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let late = app
        .post_with(&eli, &format!("/bookings/{b}/accept"), &[])
        .await;
    assert_ne!(
        late.status,
        StatusCode::SEE_OTHER,
        "the other request was withdrawn"
    );
    // Past the application, the guard itself: a second accepted ride home
    // for the trip is refused by the database.
    let forced = app
        .db
        .pool
        .execute(sqlx::query("UPDATE bookings SET status = 'accepted' WHERE id = $1").bind(b))
        .await;
    assert!(forced.is_err(), "the unique index refuses a second one");
    let second_seats = rides::by_id(&app.db.pool, RideId(second))
        .await
        .unwrap()
        .unwrap()
        .seats_taken;
    assert_eq!(second_seats, 0);
}

async fn the_driver_of_a_ride_home_sees_the_trips_it_fits(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, dee) = app.user("Dee Driver").home("60601").signed_in().await;
    app.ride(mke).back(day(&app, 15)).create(&dee).await;
    let home = home_ride_id(&app).await;
    let (_, tia) = app.user("Tia Traveller").signed_in().await;
    app.trip(mke)
        .no_bed()
        .no_ride()
        .ride_home()
        .create(&tia)
        .await;
    let (_, tom) = app.user("Tom Traveller").signed_in().await;
    app.trip(mke).no_bed().create(&tom).await;
    let page = app.get_with(&dee, &format!("/rides/{home}")).await;
    let fits = page.texts("#fits .match");
    assert_eq!(
        fits.len(),
        1,
        "only the trip needing a ride home: {}",
        page.body
    );
    assert!(fits[0].contains("Tia"), "{fits:?}");
    assert!(fits[0].contains("the day after you leave"), "{fits:?}");
}

async fn a_ride_home_before_the_trip_leaves_or_too_late_is_not_offered(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (dee, _) = app.user("Dee Driver").home("60601").signed_in().await;
    // The trip leaves on day 14 and may go up to a day later.
    for d in [13, 16] {
        app.ride(mke).depart(day(&app, d)).home().insert(dee).await;
    }
    let (_, tia) = app.user("Tia Traveller").signed_in().await;
    let trip = app
        .trip(mke)
        .no_bed()
        .no_ride()
        .ride_home()
        .create(&tia)
        .await;
    let page = app.get_with(&tia, &format!("/trips/{trip}")).await;
    assert!(page.texts("#rides-home .match").is_empty(), "{}", page.body);
    assert!(page.text("#rides-home").contains("No rides home fit yet"));
}

const RIDES_HEADER: &str =
    "driver_email,driver_name,from_zip,office,depart_date,seats,max_detour_km,direction,to_zip";

async fn the_import_reads_directions_and_says_which_column_is_wrong(app: TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let offices = write(
        &dir,
        "o.csv",
        "name,zip,timezone\nMilwaukee Field Office,53202,\n",
    );
    assert!(app.cli(&["import", "offices", &offices]).0);
    // Each bad combination, alone in a file: the column at fault.
    for (row, expected) in [
        (
            "60601,Milwaukee Field Office,2030-01-02,3,,sideways,",
            "2:8: unknown direction “sideways”",
        ),
        (
            "60601,Milwaukee Field Office,2030-01-02,3,,to_office,60616",
            "2:9: a ride to the office ends at the office",
        ),
        (
            ",Milwaukee Field Office,2030-01-02,3,,to_office,",
            "2:3: a ZIP code is required",
        ),
        (
            ",Milwaukee Field Office,2030-01-02,3,,,",
            "2:3: a ZIP code is required",
        ),
        (
            "60601,Milwaukee Field Office,2030-01-02,3,,from_office,60616",
            "2:3: a ride home from the office starts at the office",
        ),
        (
            ",Milwaukee Field Office,2030-01-02,3,,from_office,",
            "2:9: a ZIP code is required",
        ),
    ] {
        let file = write(
            &dir,
            "bad.csv",
            &format!("{RIDES_HEADER}\nd@example.org,Dee,{row}\n"),
        );
        let (ok, _, err) = app.cli(&["import", "rides", &file]);
        assert!(!ok, "{row}");
        assert!(err.contains(expected), "{row}: want {expected} in {err}");
        assert_eq!(app.count("rides").await, 0);
    }
    let good = write(
        &dir,
        "good.csv",
        &format!(
            "{RIDES_HEADER}\n\
             d@example.org,Dee,60601,Milwaukee Field Office,2030-01-02,3,,,\n\
             d@example.org,Dee,,Milwaukee Field Office,2030-01-06,3,,from_office,60601\n\
             d@example.org,Dee,,Milwaukee Field Office,2030-01-06,3,,from_office,60616\n"
        ),
    );
    let (ok, _, err) = app.cli(&["import", "rides", &good]);
    assert!(ok, "{err}");
    // Again: the same rides, updated, not doubled (a ride home is the same
    // by driver, office, date and destination).
    let (ok, _, err) = app.cli(&["import", "rides", &good]);
    assert!(ok, "{err}");
    let rides = all_rides(&app).await;
    assert_eq!(rides.len(), 3, "{rides:?}");
    assert_eq!(
        rides.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
        ["to_office", "from_office", "from_office"]
    );
    let trips = write(
        &dir,
        "t.csv",
        "traveller_email,traveller_name,from_zip,office,arrive_date,leave_date,party_size,needs_ride,needs_bed,needs_ride_home\n\
         t@example.org,Tia,60616,Milwaukee Field Office,2030-01-02,2030-01-06,1,yes,no,yes\n\
         u@example.org,Ula,60616,Milwaukee Field Office,2030-01-02,2030-01-06,1,yes,no,\n\
         v@example.org,Vic,60616,Milwaukee Field Office,2030-01-02,2030-01-06,1,yes,no,perhaps\n",
    );
    let (ok, _, err) = app.cli(&["import", "trips", &trips]);
    assert!(!ok);
    assert!(err.contains("4:10: expected yes or no"), "{err}");
    let fixed = write(
        &dir,
        "t2.csv",
        &std::fs::read_to_string(&trips)
            .unwrap()
            .replace(",perhaps", ",no"),
    );
    let (ok, _, err) = app.cli(&["import", "trips", &fixed]);
    assert!(ok, "{err}");
    let needs: Vec<i64> = sqlx::query("SELECT needs_ride_home FROM trips ORDER BY id")
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get("needs_ride_home"))
        .collect();
    assert_eq!(needs, [1, 0, 0]);
}

async fn matches_json_lists_rides_home_for_every_trip(app: TestApp) {
    let mke = app.office("Milwaukee Field Office", "53202").create().await;
    let (dee, _) = app.user("Dee Driver").home("60601").signed_in().await;
    let (eli, _) = app.user("Eli Driver").home("60601").signed_in().await;
    // Dee drives home to where Tia lives; Eli to downtown Chicago nearby.
    let near = app
        .ride(mke)
        .from("60616")
        .depart(day(&app, 15))
        .home()
        .insert(dee)
        .await;
    let far = app
        .ride(mke)
        .from("60601")
        .depart(day(&app, 14))
        .home()
        .insert(eli)
        .await;
    let (_, tia) = app.user("Tia Traveller").signed_in().await;
    app.trip(mke).no_bed().ride_home().create(&tia).await;
    let (_, tom) = app.user("Tom Traveller").signed_in().await;
    app.trip(mke).no_bed().create(&tom).await;
    let (ok, out, err) = app.cli(&["matches", "--json"]);
    assert!(ok, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let tia = &report[0];
    let home = tia["rides_home"].as_array().unwrap();
    let ids: Vec<i64> = home
        .iter()
        .map(|r| r["ride_id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [near, far], "least detour first: {out}");
    assert_eq!(home[0]["driver_email"], "dee@example.org");
    assert_eq!(home[0]["depart_date"], day(&app, 15).to_string());
    assert_eq!(
        home[0].as_object().unwrap().keys().collect::<Vec<_>>(),
        ["depart_date", "detour_km", "driver_email", "ride_id"]
    );
    assert!(
        tia["rides"].as_array().unwrap().is_empty(),
        "rides home are not rides there"
    );
    assert_eq!(report[1]["rides_home"], serde_json::json!([]), "not needed");
    let three = out.lines().filter(|l| l.contains("detour_km")).all(|l| {
        l.trim()
            .trim_end_matches(',')
            .rsplit('.')
            .next()
            .is_some_and(|d| d.len() == 3)
    });
    assert!(three, "{out}");
}

/// Migration 14: a ride with a return date gets its ride home; the column goes.
mod migration_14_gives_each_return_date_its_ride_home {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        run(Backend::Sqlite).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        run(Backend::Postgres).await
    }

    /// id, direction, depart date, from ZIP, seats, seats taken, detour, pets, notes.
    type StoredRide = (i64, String, String, String, i64, i64, f64, i64, String);

    async fn run(backend: Backend) {
        let Some((url, _dir)) = empty_database(backend).await else {
            return;
        };
        let db = Db::connect(&url, 2).await.unwrap();
        db.migrate_up_to(13).await.unwrap();
        let now = "2030-01-01T00:00:00Z";
        sqlx::query(
            "INSERT INTO users (id, email, name, is_admin, email_verified, created_at) \
             VALUES (1, 'dee@example.org', 'Dee', 0, 1, $1)",
        )
        .bind(now)
        .execute(&db.pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO offices (id, name, name_key, zip, city, state, lat, lon, timezone, created_at) \
             VALUES (1, 'Milwaukee Field Office', 'milwaukee field office', '53202', 'Milwaukee', 'WI', 43.04, -87.9, \
             'America/Chicago', $1)",
        )
        .bind(now)
        .execute(&db.pool)
        .await
        .unwrap();
        // No ids given: the ride home then takes the next one on both engines.
        for back in [Some("2030-01-09"), None] {
            sqlx::query(
                "INSERT INTO rides (owner_id, office_id, from_zip, from_city, from_state, from_lat, from_lon, \
                 depart_date, depart_time, return_date, seats, seats_taken, max_detour_km, pets_welcome, notes, \
                 created_at, updated_at) VALUES (1, 1, '60601', 'Chicago', 'IL', 41.88, -87.62, '2030-01-05', \
                 '07:30', $1, 3, 1, 40.0, 1, 'Snacks', $2, $2)",
            )
            .bind(back)
            .bind(now)
            .execute(&db.pool)
            .await
            .unwrap();
        }

        db.migrate().await.unwrap();

        let rows: Vec<StoredRide> = sqlx::query(
            "SELECT id, direction, depart_date, from_zip, seats, seats_taken, max_detour_km, pets_welcome, notes \
             FROM rides ORDER BY id",
        )
        .fetch_all(&db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| {
            (
                r.get("id"),
                r.get("direction"),
                r.get("depart_date"),
                r.get("from_zip"),
                r.get("seats"),
                r.get("seats_taken"),
                r.get("max_detour_km"),
                r.get("pets_welcome"),
                r.get("notes"),
            )
        })
        .collect();
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert_eq!(rows[0].1, "to_office");
        assert_eq!(rows[1].1, "to_office");
        let home = &rows[2];
        assert_eq!(
            (
                home.1.as_str(),
                home.2.as_str(),
                home.3.as_str(),
                home.4,
                home.5,
                home.6,
                home.7,
                home.8.as_str()
            ),
            (
                "from_office",
                "2030-01-09",
                "60601",
                3,
                0,
                40.0,
                1,
                "Snacks"
            ),
            "the ride home: on the return date, to the start, nobody on it yet"
        );
        let gone = db.pool.execute("SELECT return_date FROM rides").await;
        assert!(gone.is_err(), "the return_date column is dropped");
        let d = rides::by_id(&db.pool, RideId(home.0))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(d.direction, Direction::Home);
    }
}
