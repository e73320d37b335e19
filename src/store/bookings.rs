//! Bookings, their history, and the capacity they take. Every write that
//! decides a race is one guarded statement: the database, not a prior read,
//! says whether a seat or bed is still free.

use crate::domain::ids::{BookingId, OfficeId, RideId, StayId, TripId, UserId};
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyExecutor, Row};
use std::collections::HashMap;

use super::rows::{count, date_text, flag, opt_date};
use crate::domain::booking::BookingStatus;
pub use crate::domain::booking::Offer;
use crate::domain::leg::Leg;
use crate::domain::offer::Direction;

/// A booking row.
#[derive(Clone, Debug)]
pub struct Booking {
    pub id: BookingId,
    pub trip_id: TripId,
    pub traveller_id: UserId,
    pub owner_id: UserId,
    pub offer: Offer,
    /// The leg it covers: a ride's booking says which way (migration 0014).
    pub leg: Leg,
    pub party_size: i32,
    pub first_night: Option<NaiveDate>,
    pub last_night: Option<NaiveDate>,
    pub message: String,
    pub status: BookingStatus,
    pub expires_at: String,
    pub reminded_at: Option<String>,
    pub cancel_reason: Option<String>,
    pub created_at: String,
    /// The office staff member who requested it from a proposal, and when
    /// (none: the traveller asked).
    pub proposed: Option<(UserId, String)>,
}

const COLUMNS: &str =
    "id, trip_id, traveller_id, owner_id, ride_id, stay_id, ride_home, party_size, first_night, last_night, \
                       message, status, expires_at, reminded_at, cancel_reason, created_at, proposed_by, proposed_at";

fn from_row(r: &AnyRow) -> sqlx::Result<Booking> {
    let ride: Option<RideId> = r.try_get("ride_id")?;
    let stay: Option<StayId> = r.try_get("stay_id")?;
    let offer = match (ride, stay) {
        (Some(id), _) => Offer::Ride(id),
        (None, Some(id)) => Offer::Stay(id),
        (None, None) => {
            return Err(sqlx::Error::ColumnDecode {
                index: "ride_id".into(),
                source: "a booking without an offer".into(),
            })
        }
    };
    let status: String = r.try_get("status")?;
    Ok(Booking {
        id: r.try_get("id")?,
        trip_id: r.try_get("trip_id")?,
        traveller_id: r.try_get("traveller_id")?,
        owner_id: r.try_get("owner_id")?,
        offer,
        leg: Leg::of(offer, direction_of(flag(r, "ride_home")?)),
        party_size: count(r, "party_size")?,
        first_night: opt_date(r, "first_night")?,
        last_night: opt_date(r, "last_night")?,
        message: r.try_get("message")?,
        status: BookingStatus::from_db(&status).unwrap_or(BookingStatus::Cancelled),
        expires_at: r.try_get("expires_at")?,
        reminded_at: r.try_get("reminded_at")?,
        cancel_reason: r.try_get("cancel_reason")?,
        created_at: r.try_get("created_at")?,
        proposed: match (r.try_get("proposed_by")?, r.try_get("proposed_at")?) {
            (Some(by), Some(at)) => Some((by, at)),
            _ => None,
        },
    })
}

fn direction_of(ride_home: bool) -> Direction {
    if ride_home {
        Direction::Home
    } else {
        Direction::ToOffice
    }
}

/// A new request.
pub struct NewBooking<'a> {
    pub trip_id: TripId,
    pub traveller_id: UserId,
    pub owner_id: UserId,
    pub offer: Offer,
    /// The leg: for a ride, the way the ride goes.
    pub leg: Leg,
    pub party_size: i32,
    pub nights: Option<(NaiveDate, NaiveDate)>,
    pub message: &'a str,
    pub expires_at: &'a str,
}

/// Inserts a request; a second live request for the same trip and offer is a
/// unique violation (the partial unique indexes).
pub async fn insert(
    conn: &mut AnyConnection,
    b: &NewBooking<'_>,
    now: &str,
) -> sqlx::Result<BookingId> {
    let (ride, stay) = match b.offer {
        Offer::Ride(id) => (Some(id), None),
        Offer::Stay(id) => (None, Some(id)),
    };
    sqlx::query(
        "INSERT INTO bookings (trip_id, traveller_id, owner_id, ride_id, stay_id, party_size, first_night, \
         last_night, message, status, expires_at, created_at, updated_at, ride_home) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'requested', $10, $11, $11, $12) RETURNING id",
    )
    .bind(b.trip_id)
    .bind(b.traveller_id)
    .bind(b.owner_id)
    .bind(ride)
    .bind(stay)
    .bind(i64::from(b.party_size))
    .bind(b.nights.map(|n| date_text(n.0)))
    .bind(b.nights.map(|n| date_text(n.1)))
    .bind(b.message)
    .bind(b.expires_at)
    .bind(now)
    .bind(i64::from(b.leg == Leg::RideHome))
    .fetch_one(conn)
    .await?
    .try_get("id")
}

/// Records, in the requesting transaction, that office staff `by` made
/// this request from a proposal.
pub async fn mark_proposed(
    conn: &mut AnyConnection,
    id: BookingId,
    by: UserId,
    now: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE bookings SET proposed_by = $1, proposed_at = $2 WHERE id = $3")
        .bind(by)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn by_id(ex: impl AnyExecutor<'_>, id: BookingId) -> sqlx::Result<Option<Booking>> {
    sqlx::query(&format!("SELECT {COLUMNS} FROM bookings WHERE id = $1"))
        .bind(id)
        .fetch_optional(ex)
        .await?
        .map(|r| from_row(&r))
        .transpose()
}

/// A trip's bookings, newest first.
pub async fn for_trip(ex: impl AnyExecutor<'_>, trip_id: TripId) -> sqlx::Result<Vec<Booking>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM bookings WHERE trip_id = $1 ORDER BY id DESC"
    ))
    .bind(trip_id)
    .fetch_all(ex)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// An offer's bookings, newest first.
pub async fn for_offer(ex: impl AnyExecutor<'_>, offer: Offer) -> sqlx::Result<Vec<Booking>> {
    let (col, id) = match offer {
        Offer::Ride(id) => ("ride_id", id.get()),
        Offer::Stay(id) => ("stay_id", id.get()),
    };
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM bookings WHERE {col} = $1 ORDER BY id DESC"
    ))
    .bind(id)
    .fetch_all(ex)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// Live bookings (requested or accepted) where the person is either side.
pub async fn live_for_person(
    ex: impl AnyExecutor<'_>,
    person: UserId,
) -> sqlx::Result<Vec<Booking>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM bookings WHERE (traveller_id = $1 OR owner_id = $1) \
         AND status IN ('requested', 'accepted') ORDER BY id"
    ))
    .bind(person)
    .fetch_all(ex)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// Requests waiting for this owner's answer.
pub async fn waiting_for(ex: impl AnyExecutor<'_>, owner_id: UserId) -> sqlx::Result<Vec<Booking>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM bookings WHERE owner_id = $1 AND status = 'requested' ORDER BY id"
    ))
    .bind(owner_id)
    .fetch_all(ex)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// Moves a booking from `from` to `to`; false if it was no longer in `from`
/// (someone else answered first). This is the guard for every transition.
pub async fn move_status(
    conn: &mut AnyConnection,
    id: BookingId,
    from: BookingStatus,
    to: BookingStatus,
    reason: Option<&str>,
    now: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE bookings SET status = $1, updated_at = $2, cancel_reason = COALESCE($3, cancel_reason) \
         WHERE id = $4 AND status = $5",
    )
    .bind(to.as_str())
    .bind(now)
    .bind(reason)
    .bind(id)
    .bind(from.as_str())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records a transition with who made it (None: the system) and when.
pub async fn record_event(
    conn: &mut AnyConnection,
    id: BookingId,
    from: Option<BookingStatus>,
    to: BookingStatus,
    actor: Option<UserId>,
    note: &str,
    now: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO booking_events (booking_id, from_status, to_status, actor_id, note, at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(from.map(BookingStatus::as_str))
    .bind(to.as_str())
    .bind(actor)
    .bind(note)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// One line of a booking's history.
#[derive(Clone, Debug)]
pub struct Event {
    pub to: BookingStatus,
    pub actor_name: Option<String>,
    pub note: String,
    pub at: String,
}

pub async fn events(ex: impl AnyExecutor<'_>, id: BookingId) -> sqlx::Result<Vec<Event>> {
    sqlx::query(
        "SELECT e.to_status, u.name AS actor_name, e.note, e.at FROM booking_events e \
         LEFT JOIN users u ON u.id = e.actor_id WHERE e.booking_id = $1 ORDER BY e.id",
    )
    .bind(id)
    .fetch_all(ex)
    .await?
    .iter()
    .map(|r| {
        Ok(Event {
            to: BookingStatus::from_db(&r.try_get::<String, _>("to_status")?)
                .unwrap_or(BookingStatus::Cancelled),
            actor_name: r.try_get("actor_name")?,
            note: r.try_get("note")?,
            at: r.try_get("at")?,
        })
    })
    .collect()
}

/// Takes `n` seats on an open ride if that many are free; false otherwise.
pub async fn take_seats(conn: &mut AnyConnection, ride_id: RideId, n: i32) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE rides SET seats_taken = seats_taken + $1 WHERE id = $2 AND status = 'active' \
         AND seats - seats_taken >= $1",
    )
    .bind(i64::from(n))
    .bind(ride_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn release_seats(conn: &mut AnyConnection, ride_id: RideId, n: i32) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE rides SET seats_taken = seats_taken - $1 WHERE id = $2 AND seats_taken >= $1",
    )
    .bind(i64::from(n))
    .bind(ride_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Takes `n` beds on every night `first..=last` of an open stay, or nothing:
/// false when any night is outside the offer, blocked, or short of beds
/// (the caller then rolls back).
pub async fn take_beds(
    conn: &mut AnyConnection,
    stay_id: StayId,
    first: NaiveDate,
    last: NaiveDate,
    n: i32,
) -> sqlx::Result<bool> {
    // Writing the stay row first locks it (PostgreSQL) or takes the write
    // lock (SQLite), so a host's edit of the beds cannot interleave.
    let stay = sqlx::query(
        "UPDATE stays SET updated_at = updated_at WHERE id = $1 AND status = 'active' \
         AND first_night <= $2 AND last_night >= $3 RETURNING beds",
    )
    .bind(stay_id)
    .bind(date_text(first))
    .bind(date_text(last))
    .fetch_optional(&mut *conn)
    .await?;
    let Some(stay) = stay else { return Ok(false) };
    let beds: i64 = stay.try_get("beds")?;
    let blocked: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM stay_blocked_nights WHERE stay_id = $1 AND night >= $2 AND night <= $3",
    )
    .bind(stay_id)
    .bind(date_text(first))
    .bind(date_text(last))
    .fetch_one(&mut *conn)
    .await?
    .try_get("n")?;
    if blocked > 0 {
        return Ok(false);
    }
    let mut nights = 0u64;
    let mut night = first;
    while night <= last {
        sqlx::query(
            "INSERT INTO stay_nights_taken (stay_id, night, beds_taken) VALUES ($1, $2, 0) \
             ON CONFLICT (stay_id, night) DO NOTHING",
        )
        .bind(stay_id)
        .bind(date_text(night))
        .execute(&mut *conn)
        .await?;
        nights += 1;
        night = match night.succ_opt() {
            Some(d) => d,
            None => break,
        };
    }
    let done = sqlx::query(
        "UPDATE stay_nights_taken SET beds_taken = beds_taken + $1 WHERE stay_id = $2 AND night >= $3 \
         AND night <= $4 AND beds_taken + $1 <= $5",
    )
    .bind(i64::from(n))
    .bind(stay_id)
    .bind(date_text(first))
    .bind(date_text(last))
    .bind(beds)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == nights)
}

pub async fn release_beds(
    conn: &mut AnyConnection,
    stay_id: StayId,
    first: NaiveDate,
    last: NaiveDate,
    n: i32,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE stay_nights_taken SET beds_taken = beds_taken - $1 WHERE stay_id = $2 AND night >= $3 \
         AND night <= $4 AND beds_taken >= $1",
    )
    .bind(i64::from(n))
    .bind(stay_id)
    .bind(date_text(first))
    .bind(date_text(last))
    .execute(conn)
    .await?;
    Ok(())
}

/// Requests made at or before `cutoff` and never reminded about.
pub async fn due_reminders(ex: impl AnyExecutor<'_>, cutoff: &str) -> sqlx::Result<Vec<Booking>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM bookings WHERE status = 'requested' AND reminded_at IS NULL AND created_at <= $1 \
         ORDER BY id LIMIT 200"
    ))
    .bind(cutoff)
    .fetch_all(ex)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// Claims a reminder: true for exactly one caller.
pub async fn mark_reminded(
    conn: &mut AnyConnection,
    id: BookingId,
    now: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query("UPDATE bookings SET reminded_at = $1 WHERE id = $2 AND reminded_at IS NULL AND status = 'requested'")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Requests whose time is up.
pub async fn due_expiries(ex: impl AnyExecutor<'_>, now: &str) -> sqlx::Result<Vec<Booking>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM bookings WHERE status = 'requested' AND expires_at <= $1 ORDER BY id LIMIT 200"
    ))
    .bind(now)
    .fetch_all(ex)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// Accepted bookings that start on `day` (ride departure or first night) and
/// have had no day-before reminder.
pub async fn starting_on(ex: impl AnyExecutor<'_>, day: NaiveDate) -> sqlx::Result<Vec<Booking>> {
    sqlx::query(&format!(
        "SELECT {} FROM bookings b LEFT JOIN rides r ON r.id = b.ride_id \
         WHERE b.status = 'accepted' AND b.day_before_sent = 0 \
         AND ((b.ride_id IS NOT NULL AND r.depart_date = $1) OR (b.stay_id IS NOT NULL AND b.first_night = $1)) \
         ORDER BY b.id LIMIT 200",
        COLUMNS.split(", ").map(|c| format!("b.{c}")).collect::<Vec<_>>().join(", ")
    ))
    .bind(date_text(day))
    .fetch_all(ex)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// Claims the day-before reminder: true for exactly one caller.
pub async fn mark_day_before_sent(conn: &mut AnyConnection, id: BookingId) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE bookings SET day_before_sent = 1 WHERE id = $1 AND day_before_sent = 0",
    )
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether a trip has accepted bookings (its dates and party are then fixed).
pub async fn trip_has_accepted(ex: impl AnyExecutor<'_>, trip_id: TripId) -> sqlx::Result<bool> {
    let n: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM bookings WHERE trip_id = $1 AND status = 'accepted'",
    )
    .bind(trip_id)
    .fetch_one(ex)
    .await?
    .try_get("n")?;
    Ok(n > 0)
}

/// Accepted bookings of a user, as traveller or as owner (calendars).
pub async fn accepted_for_user(
    ex: impl AnyExecutor<'_>,
    user_id: UserId,
) -> sqlx::Result<Vec<Booking>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM bookings WHERE status = 'accepted' AND (traveller_id = $1 OR owner_id = $1) ORDER BY id"
    ))
    .bind(user_id)
    .fetch_all(ex)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// What requested (not yet accepted) bookings hold: seats per ride and beds
/// per stay and night. The offer index counts only accepted bookings; an
/// office proposal must not count on room a request already waits for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PendingHolds {
    pub seats: HashMap<RideId, i32>,
    pub beds: HashMap<(StayId, NaiveDate), i32>,
}

/// The pending holds on rides leaving on or after `from` and on stay nights
/// from `from` on.
pub async fn pending_holds(
    ex: impl AnyExecutor<'_> + Copy,
    from: NaiveDate,
) -> sqlx::Result<PendingHolds> {
    let mut out = PendingHolds::default();
    let rides = sqlx::query(
        "SELECT b.ride_id, CAST(SUM(b.party_size) AS BIGINT) AS n FROM bookings b \
         JOIN rides r ON r.id = b.ride_id WHERE b.status = 'requested' AND r.depart_date >= $1 \
         GROUP BY b.ride_id",
    )
    .bind(date_text(from))
    .fetch_all(ex)
    .await?;
    for r in &rides {
        out.seats.insert(r.try_get("ride_id")?, count(r, "n")?);
    }
    // Nights are ranges in the rows; they are summed per night here, as no
    // portable SQL expands a range of dates.
    let stays = sqlx::query(
        "SELECT stay_id, first_night, last_night, party_size FROM bookings \
         WHERE status = 'requested' AND stay_id IS NOT NULL AND last_night >= $1",
    )
    .bind(date_text(from))
    .fetch_all(ex)
    .await?;
    for r in &stays {
        let stay: StayId = r.try_get("stay_id")?;
        let party = count(r, "party_size")?;
        let (Some(first), Some(last)) = (opt_date(r, "first_night")?, opt_date(r, "last_night")?)
        else {
            continue;
        };
        for night in first.iter_days().take_while(|n| *n <= last) {
            if night >= from {
                *out.beds.entry((stay, night)).or_default() += party;
            }
        }
    }
    Ok(out)
}

/// The live (requested or accepted) bookings of the active trips to
/// `office_id` arriving in `from..=to`, as (trip, leg, status): what
/// [`crate::domain::leg::states`] reads a trip's open legs from.
pub async fn live_legs(
    ex: impl AnyExecutor<'_>,
    office_id: OfficeId,
    from: NaiveDate,
    to: NaiveDate,
) -> sqlx::Result<Vec<(TripId, Leg, BookingStatus)>> {
    sqlx::query(
        "SELECT b.trip_id, b.ride_id, b.ride_home, b.status FROM bookings b JOIN trips t ON t.id = b.trip_id \
         WHERE t.office_id = $1 AND t.status = 'active' AND t.arrive >= $2 AND t.arrive <= $3 \
         AND b.status IN ('requested', 'accepted')",
    )
    .bind(office_id)
    .bind(date_text(from))
    .bind(date_text(to))
    .fetch_all(ex)
    .await?
    .iter()
    .map(|r| {
        let ride: Option<RideId> = r.try_get("ride_id")?;
        let status: String = r.try_get("status")?;
        let leg = match ride {
            Some(id) => Leg::of(Offer::Ride(id), direction_of(flag(r, "ride_home")?)),
            None => Leg::Nights,
        };
        Ok((
            r.try_get("trip_id")?,
            leg,
            BookingStatus::from_db(&status).unwrap_or(BookingStatus::Cancelled),
        ))
    })
    .collect()
}
