//! After a run: is everything the app acknowledged in the database, and
//! did capacity hold? Read straight from the database, not through the app.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sqlx::Row;

use trip_planner::store::Db;

use crate::mix::Acks;

/// What the check found; all zero is a pass.
#[derive(Debug, Default)]
pub struct Findings {
    pub acknowledged: usize,
    pub lost_trips: usize,
    pub lost_bookings: usize,
    pub wrong_answers: usize,
    pub lost_checkins: usize,
    pub lost_confirmations: usize,
    pub instant_left_requested: i64,
    pub oversold_rides: usize,
    pub oversold_stay_nights: usize,
}

impl Findings {
    pub fn lost(&self) -> usize {
        self.lost_trips
            + self.lost_bookings
            + self.wrong_answers
            + self.lost_checkins
            + self.lost_confirmations
            + usize::try_from(self.instant_left_requested).unwrap_or(usize::MAX)
            + self.oversold_rides
            + self.oversold_stay_nights
    }
}

async fn ids(db: &Db, sql: &str) -> anyhow::Result<HashSet<i64>> {
    Ok(sqlx::query(sql)
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| r.get::<i64, _>(0))
        .collect())
}

pub async fn check(db: &Db, acks: &Acks) -> anyhow::Result<Findings> {
    let mut f = Findings::default();
    let trips = ids(db, "SELECT id FROM trips").await?;
    let acked = acks.trips.lock().expect("acks").clone();
    f.acknowledged += acked.len();
    f.lost_trips = acked.iter().filter(|id| !trips.contains(id)).count();

    let statuses: HashMap<i64, String> = sqlx::query("SELECT id, status FROM bookings")
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| (r.get::<i64, _>(0), r.get::<String, _>(1)))
        .collect();
    let acked = acks.bookings.lock().expect("acks").clone();
    f.acknowledged += acked.len();
    f.lost_bookings = acked.iter().filter(|id| !statuses.contains_key(id)).count();
    let answers = acks.answers.lock().expect("acks").clone();
    f.acknowledged += answers.len();
    f.wrong_answers = answers
        .iter()
        .filter(|(id, status)| statuses.get(id).map(String::as_str) != Some(*status))
        .count();

    let checked_in = ids(db, "SELECT trip_id FROM checkins").await?;
    let acked = acks.checkins.lock().expect("acks").clone();
    f.acknowledged += acked.len();
    f.lost_checkins = acked.iter().filter(|id| !checked_in.contains(id)).count();

    let verified: HashSet<String> = sqlx::query("SELECT email FROM users WHERE email_verified = 1")
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| r.get::<String, _>(0))
        .collect();
    let acked = acks.verified.lock().expect("acks").clone();
    f.acknowledged += acked.len();
    f.lost_confirmations = acked.iter().filter(|e| !verified.contains(*e)).count();

    f.instant_left_requested = sqlx::query(
        "SELECT COUNT(*) FROM bookings b \
         LEFT JOIN rides r ON r.id = b.ride_id \
         LEFT JOIN stays s ON s.id = b.stay_id \
         WHERE b.status = 'requested' AND (r.instant_accept = 1 OR s.instant_accept = 1)",
    )
    .fetch_one(&db.pool)
    .await?
    .get::<i64, _>(0);

    // Seats: what each ride says is taken is what its accepted bookings
    // hold, and never more than it has.
    let rides = sqlx::query(
        "SELECT r.seats, r.seats_taken, \
         CAST((SELECT COALESCE(SUM(b.party_size), 0) FROM bookings b \
          WHERE b.ride_id = r.id AND b.status = 'accepted') AS BIGINT) \
         FROM rides r",
    )
    .fetch_all(&db.pool)
    .await?;
    f.oversold_rides = rides
        .iter()
        .filter(|r| {
            let (seats, taken, held) = (r.get::<i64, _>(0), r.get::<i64, _>(1), r.get::<i64, _>(2));
            taken > seats || held != taken
        })
        .count();

    // Beds, night by night, counted from the accepted bookings themselves.
    let beds: HashMap<i64, i64> = sqlx::query("SELECT id, beds FROM stays")
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| (r.get::<i64, _>(0), r.get::<i64, _>(1)))
        .collect();
    let mut held: HashMap<(i64, NaiveDate), i64> = HashMap::new();
    for r in sqlx::query(
        "SELECT stay_id, first_night, last_night, party_size FROM bookings \
         WHERE stay_id IS NOT NULL AND status = 'accepted'",
    )
    .fetch_all(&db.pool)
    .await?
    {
        let stay: i64 = r.get(0);
        let first: NaiveDate = r.get::<String, _>(1).parse()?;
        let last: NaiveDate = r.get::<String, _>(2).parse()?;
        for night in first.iter_days().take_while(|d| *d <= last) {
            *held.entry((stay, night)).or_default() += r.get::<i64, _>(3);
        }
    }
    f.oversold_stay_nights = held
        .iter()
        .filter(|((stay, _), n)| **n > beds.get(stay).copied().unwrap_or(0))
        .count();
    Ok(f)
}
