//! What an office needs to see who is coming, whatever the number of
//! travellers: every open trip overlapping a date range (for exports and
//! digests), the per-day figures aggregated in SQL (for the dashboard), and
//! only the travellers a dashboard page shows — each in a fixed number of
//! queries, never one per row.

use crate::domain::ids::{OfficeId, TripId, UserId};
use std::collections::HashMap;

use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::{AnyExecutor, Row};

use super::db::Backend;
use super::rows::{count, date, date_text, fetch_by_ids, flag, opt_date, place};
use crate::dashboard::{CheckIn, Cohort, Detail, Plan, Traveller};
use crate::domain::account::first_name;

/// The columns a [`Traveller`] is read from: trips `t`, users `u`, and the
/// trip's check-in `c` (at most one per trip).
const TRAVELLER: &str = "SELECT t.id, t.owner_id, u.name, u.email, u.phone, t.from_zip, t.from_city, \
     t.from_state, t.from_lat, t.from_lon, t.arrive, t.leave, t.party_size, t.needs_ride, t.needs_bed, \
     t.needs_ride_home, t.flex_days, t.max_stay_km, t.need_step_free, t.need_no_pets, t.need_no_smoking, c.status AS checkin \
     FROM trips t JOIN users u ON u.id = t.owner_id LEFT JOIN checkins c ON c.trip_id = t.id";

/// The trip `t` belongs to someone the campaign can count on: an account
/// that confirmed its address, or one a campaign import made (no password
/// yet: the campaign vouches for them). Trips of accounts that signed up and
/// have not confirmed stay out of every staff view, export and email until
/// they do. Part of [`OVERLAPPING`] and [`ON_DAY`], so every query here has it.
macro_rules! vouched {
    () => {
        "EXISTS (SELECT 1 FROM users v WHERE v.id = t.owner_id \
         AND (v.email_verified <> 0 OR v.password_hash IS NULL))"
    };
}
const VOUCHED: &str = vouched!();

/// Open, vouched-for trips of office `$1` with a day in `$3..=$2`.
const OVERLAPPING: &str = concat!(
    "t.office_id = $1 AND t.status = 'active' AND t.arrive <= $2 AND t.leave >= $3 AND ",
    vouched!()
);

/// Open, vouched-for trips of office `$1` on hand or arriving on day `$2` (see
/// [`Traveller::on_hand`]: someone leaving that day is no longer on hand).
const ON_DAY: &str = concat!(
    "t.office_id = $1 AND t.status = 'active' AND t.arrive <= $2 AND t.leave >= $2 \
     AND (t.leave > $2 OR t.arrive = $2) AND ",
    vouched!()
);

/// True for a trip `t` still missing the ride home it needs (as
/// [`Traveller::lacks_ride_home`]: only an accepted booking closes a gap).
macro_rules! lacks_ride_home {
    () => {
        "(t.needs_ride_home <> 0 AND NOT EXISTS (SELECT 1 FROM bookings g \
         WHERE g.trip_id = t.id AND g.status = 'accepted' AND g.ride_id IS NOT NULL \
         AND g.ride_home <> 0))"
    };
}
const LACKS_RIDE_HOME: &str = lacks_ride_home!();

/// True for a trip `t` still missing a ride there, a bed or a ride home it
/// needs (as [`Traveller::has_gap`]).
const HAS_GAP: &str = concat!(
    "((t.needs_ride <> 0 AND NOT EXISTS (SELECT 1 FROM bookings g \
     WHERE g.trip_id = t.id AND g.status = 'accepted' AND g.ride_id IS NOT NULL \
     AND g.ride_home = 0)) \
     OR (t.needs_bed <> 0 AND NOT EXISTS (SELECT 1 FROM bookings g \
     WHERE g.trip_id = t.id AND g.status = 'accepted' AND g.ride_id IS NULL)) OR ",
    lacks_ride_home!(),
    ")"
);

/// The live bookings of some trips, read by [`apply_booking`]; accepted
/// before requested, so a request never hides a booking.
const LIVE_BOOKINGS: &str = "SELECT b.id, b.trip_id, b.status, b.ride_id, b.ride_home, b.stay_id, o.name AS owner_name, \
     o.phone AS owner_phone, o.email AS owner_email, r.depart_date, r.depart_time, r.from_city, r.from_state, \
     s.street, s.city, s.state, s.zip \
     FROM bookings b JOIN trips t ON t.id = b.trip_id JOIN users o ON o.id = b.owner_id \
     LEFT JOIN rides r ON r.id = b.ride_id LEFT JOIN stays s ON s.id = b.stay_id";

/// Open trips to `office_id` with a day in `from..=to`, by arrival then name.
pub async fn travellers(
    ex: impl AnyExecutor<'_> + Copy,
    office_id: OfficeId,
    from: NaiveDate,
    to: NaiveDate,
) -> sqlx::Result<Vec<Traveller>> {
    let rows = sqlx::query(&format!(
        "{TRAVELLER} WHERE {OVERLAPPING} ORDER BY t.arrive, u.name, t.id"
    ))
    .bind(office_id)
    .bind(date_text(to))
    .bind(date_text(from))
    .fetch_all(ex)
    .await?;
    let mut out = rows
        .iter()
        .map(traveller)
        .collect::<sqlx::Result<Vec<_>>>()?;
    if out.is_empty() {
        return Ok(out);
    }
    let bookings = sqlx::query(&format!(
        "{LIVE_BOOKINGS} WHERE {OVERLAPPING} AND b.status IN ('requested', 'accepted') \
         ORDER BY b.status, b.id"
    ))
    .bind(office_id)
    .bind(date_text(to))
    .bind(date_text(from))
    .fetch_all(ex)
    .await?;
    apply_bookings(&mut out, &bookings)?;
    Ok(out)
}

/// The open trips overlapping `from..=to`, grouped by arrival and leaving
/// day, with the people, check-ins and gaps of each group — one row per pair
/// of days, however many travellers; [`crate::dashboard::summarize`] turns
/// them into days.
pub async fn cohorts(
    ex: impl AnyExecutor<'_>,
    office_id: OfficeId,
    from: NaiveDate,
    to: NaiveDate,
) -> sqlx::Result<Vec<Cohort>> {
    // No join on users (only the vouched-for check in OVERLAPPING reads
    // them). SUM of a BIGINT is NUMERIC on PostgreSQL, which `Any` cannot
    // decode, hence the casts.
    let rows = sqlx::query(&format!(
        "SELECT t.arrive, t.leave, COUNT(*) AS trips, \
         CAST(SUM(t.party_size) AS BIGINT) AS people, \
         CAST(SUM(CASE WHEN c.status = 'arrived' THEN t.party_size ELSE 0 END) AS BIGINT) AS arrived, \
         CAST(SUM(CASE WHEN c.status = 'no_show' THEN t.party_size ELSE 0 END) AS BIGINT) AS no_show, \
         CAST(SUM(CASE WHEN {HAS_GAP} THEN 1 ELSE 0 END) AS BIGINT) AS gaps, \
         CAST(SUM(CASE WHEN {LACKS_RIDE_HOME} THEN 1 ELSE 0 END) AS BIGINT) AS home_gaps \
         FROM trips t LEFT JOIN checkins c ON c.trip_id = t.id \
         WHERE {OVERLAPPING} GROUP BY t.arrive, t.leave ORDER BY t.arrive, t.leave"
    ))
    .bind(office_id)
    .bind(date_text(to))
    .bind(date_text(from))
    .fetch_all(ex)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Cohort {
                arrive: date(r, "arrive")?,
                leave: date(r, "leave")?,
                trips: r.try_get("trips")?,
                people: r.try_get("people")?,
                arrived: r.try_get("arrived")?,
                no_show: r.try_get("no_show")?,
                gaps: r.try_get("gaps")?,
                home_gaps: r.try_get("home_gaps")?,
            })
        })
        .collect()
}

/// A page (`limit` from `offset`) of the travellers arriving in `from..=to`
/// who still lack a ride there, a bed or a ride home they need, by arrival then name (as
/// [`travellers`] orders them) and trip.
pub async fn gaps(
    ex: impl AnyExecutor<'_> + Copy,
    office_id: OfficeId,
    from: NaiveDate,
    to: NaiveDate,
    offset: usize,
    limit: usize,
) -> sqlx::Result<Vec<Traveller>> {
    let rows = sqlx::query(&format!(
        "{TRAVELLER} WHERE {OVERLAPPING} AND t.arrive >= $3 AND {HAS_GAP} \
         ORDER BY t.arrive, u.name, t.id LIMIT $4 OFFSET $5"
    ))
    .bind(office_id)
    .bind(date_text(to))
    .bind(date_text(from))
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
    .fetch_all(ex)
    .await?;
    with_bookings(ex, rows).await
}

/// How many travellers are on hand or arriving on `day`, and how many
/// people they are (party sizes counted), as the summary counts them.
pub async fn on_day_count(
    ex: impl AnyExecutor<'_>,
    office_id: OfficeId,
    day: NaiveDate,
) -> sqlx::Result<(usize, i64)> {
    let row = sqlx::query(&format!(
        "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(t.party_size), 0) AS BIGINT) AS people \
         FROM trips t WHERE {ON_DAY}"
    ))
    .bind(office_id)
    .bind(date_text(day))
    .fetch_one(ex)
    .await?;
    let n: i64 = row.try_get("n")?;
    Ok((usize::try_from(n).unwrap_or(0), row.try_get("people")?))
}

/// Removes a trip's arrived or no-show mark (a mark made by mistake);
/// false when there was none.
pub async fn undo_check_in(
    ex: impl AnyExecutor<'_>,
    office_id: OfficeId,
    trip_id: TripId,
) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM checkins WHERE trip_id = $1 AND office_id = $2")
        .bind(trip_id)
        .bind(office_id)
        .execute(ex)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// A page of the travellers on hand or arriving on `day`: that day's
/// arrivals first, then by name (byte order, as Rust sorts) and trip.
pub async fn on_day(
    ex: impl AnyExecutor<'_> + Copy,
    backend: Backend,
    office_id: OfficeId,
    day: NaiveDate,
    offset: usize,
    limit: usize,
) -> sqlx::Result<Vec<Traveller>> {
    let rows = sqlx::query(&format!(
        "{TRAVELLER} WHERE {ON_DAY} ORDER BY CASE WHEN t.arrive = $2 THEN 0 ELSE 1 END, {}, t.id \
         LIMIT $3 OFFSET $4",
        backend.byte_order("u.name")
    ))
    .bind(office_id)
    .bind(date_text(day))
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
    .fetch_all(ex)
    .await?;
    with_bookings(ex, rows).await
}

/// Decodes traveller rows and fills in their plans, with one more query.
async fn with_bookings(
    ex: impl AnyExecutor<'_>,
    rows: Vec<AnyRow>,
) -> sqlx::Result<Vec<Traveller>> {
    let mut out = rows
        .iter()
        .map(traveller)
        .collect::<sqlx::Result<Vec<_>>>()?;
    if out.is_empty() {
        return Ok(out);
    }
    let trip_ids: Vec<TripId> = out.iter().map(|t| t.trip_id).collect();
    let bookings = fetch_by_ids(
        ex,
        &format!("{LIVE_BOOKINGS} WHERE b.status IN ('requested', 'accepted') AND b.trip_id"),
        &trip_ids,
        "ORDER BY b.status, b.id",
    )
    .await?;
    apply_bookings(&mut out, &bookings)?;
    Ok(out)
}

/// One row of [`TRAVELLER`], with no plans yet.
fn traveller(r: &AnyRow) -> sqlx::Result<Traveller> {
    let from_place = place(r, "from_")?;
    Ok(Traveller {
        trip_id: r.try_get("id")?,
        user_id: r.try_get("owner_id")?,
        name: r.try_get("name")?,
        email: r.try_get("email")?,
        phone: r.try_get("phone")?,
        town: from_place.town(),
        home: from_place.point,
        arrive: date(r, "arrive")?,
        leave: date(r, "leave")?,
        party_size: count(r, "party_size")?,
        needs_ride: flag(r, "needs_ride")?,
        needs_bed: flag(r, "needs_bed")?,
        needs_ride_home: flag(r, "needs_ride_home")?,
        flex_days: count(r, "flex_days")?,
        max_stay_km: r.try_get("max_stay_km")?,
        need_step_free: flag(r, "need_step_free")?,
        need_no_pets: flag(r, "need_no_pets")?,
        need_no_smoking: flag(r, "need_no_smoking")?,
        ride: Plan::None,
        bed: Plan::None,
        ride_home: Plan::None,
        checkin: r
            .try_get::<Option<String>, _>("checkin")?
            .as_deref()
            .and_then(CheckIn::from_db),
    })
}

/// Gives each traveller their best live ride and bed booking from rows of
/// [`LIVE_BOOKINGS`] (accepted rows first).
fn apply_bookings(out: &mut [Traveller], bookings: &[AnyRow]) -> sqlx::Result<()> {
    let index: HashMap<TripId, usize> = out
        .iter()
        .enumerate()
        .map(|(i, t)| (t.trip_id, i))
        .collect();
    for r in bookings {
        let Some(&i) = index.get(&r.try_get::<TripId, _>("trip_id")?) else {
            continue;
        };
        let accepted = r.try_get::<String, _>("status")? == "accepted";
        let owner: String = r.try_get("owner_name")?;
        let is_ride = r.try_get::<Option<i64>, _>("ride_id")?.is_some();
        let home = is_ride && flag(r, "ride_home")?;
        let plan = if accepted {
            let detail = if is_ride {
                let d = opt_date(r, "depart_date")?;
                let time: Option<String> = r.try_get("depart_time")?;
                let town = format!(
                    "{}, {}",
                    r.try_get::<Option<String>, _>("from_city")?
                        .unwrap_or_default(),
                    r.try_get::<Option<String>, _>("from_state")?
                        .unwrap_or_default()
                );
                Detail::Ride {
                    date: d,
                    time: time.unwrap_or_default(),
                    town,
                    home,
                }
            } else {
                let street: Option<String> = r.try_get("street")?;
                let town = format!(
                    "{}, {}",
                    r.try_get::<Option<String>, _>("city")?.unwrap_or_default(),
                    r.try_get::<Option<String>, _>("state")?.unwrap_or_default()
                );
                Detail::Place(match street {
                    Some(s) => format!("{s}, {town}"),
                    None => town,
                })
            };
            Plan::Accepted {
                booking_id: r.try_get("id")?,
                owner: owner.clone(),
                owner_phone: r.try_get("owner_phone")?,
                owner_email: r.try_get("owner_email")?,
                detail,
            }
        } else {
            // Nothing more than a first name until the booking is accepted.
            Plan::Requested {
                booking_id: r.try_get("id")?,
                owner: first_name(&owner).to_string(),
            }
        };
        let t = &mut out[i];
        let slot = match (is_ride, home) {
            (true, false) => &mut t.ride,
            (true, true) => &mut t.ride_home,
            (false, _) => &mut t.bed,
        };
        // Accepted rows come first (ORDER BY status), so a request never hides a booking.
        if matches!(slot, Plan::None) {
            *slot = plan;
        }
    }
    Ok(())
}

/// Whether trip `trip_id` is one the office's staff see (theirs and vouched
/// for): nudges and check-ins act on nothing else.
pub async fn is_listed(
    ex: impl AnyExecutor<'_>,
    office_id: OfficeId,
    trip_id: TripId,
) -> sqlx::Result<bool> {
    Ok(sqlx::query(&format!(
        "SELECT t.id FROM trips t WHERE t.id = $1 AND t.office_id = $2 AND {VOUCHED}"
    ))
    .bind(trip_id)
    .bind(office_id)
    .fetch_optional(ex)
    .await?
    .is_some())
}

/// Marks a trip arrived or no-show (replacing an earlier mark).
pub async fn check_in(
    ex: impl AnyExecutor<'_>,
    office_id: OfficeId,
    trip_id: TripId,
    status: CheckIn,
    by: UserId,
    now: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO checkins (trip_id, office_id, status, by_user, at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (trip_id) DO UPDATE SET status = excluded.status, by_user = excluded.by_user, at = excluded.at",
    )
    .bind(trip_id)
    .bind(office_id)
    .bind(status.as_str())
    .bind(by)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}

/// Logs that a staff member was shown these travellers' contact details:
/// one row per staff member, traveller, office and day (UTC) with the first
/// and last time and how many times, so reading a page again updates rows
/// instead of adding them.
pub async fn log_contact_reads(
    ex: impl AnyExecutor<'_>,
    staff_id: UserId,
    office_id: OfficeId,
    traveller_ids: &[UserId],
    now: &str,
) -> sqlx::Result<()> {
    // PostgreSQL refuses to update one row twice in a statement.
    let ids: std::collections::BTreeSet<UserId> = traveller_ids.iter().copied().collect();
    if ids.is_empty() {
        return Ok(());
    }
    // One multi-row upsert: logging must not cost a query per row.
    let values = (0..ids.len())
        .map(|i| format!("($1, ${}, $2, $3, $4, $4, 1)", i + 5))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "INSERT INTO contact_reads \
         (staff_id, traveller_id, office_id, day, first_at, last_at, read_count) \
         VALUES {values} \
         ON CONFLICT (staff_id, traveller_id, office_id, day) DO UPDATE \
         SET last_at = excluded.last_at, read_count = contact_reads.read_count + 1"
    );
    let day = now.get(..10).unwrap_or(now);
    let mut q = sqlx::query(&sql)
        .bind(staff_id)
        .bind(office_id)
        .bind(day)
        .bind(now);
    for id in ids {
        q = q.bind(id);
    }
    q.execute(ex).await?;
    Ok(())
}

/// One time a staff member was shown someone's contact details.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ContactRead {
    pub staff_name: String,
    pub office_name: String,
    /// RFC 3339.
    pub at: String,
}

impl ContactRead {
    /// "YYYY-MM-DD HH:MM", UTC, for pages.
    pub fn when(&self) -> String {
        self.at
            .chars()
            .take(16)
            .collect::<String>()
            .replace('T', " ")
    }
}

/// Who read this person's contact details, newest first.
pub async fn contact_reads_about(
    ex: impl AnyExecutor<'_>,
    person: UserId,
) -> sqlx::Result<Vec<ContactRead>> {
    let rows = sqlx::query(
        "SELECT s.name AS staff_name, o.name AS office_name, r.last_at AS at FROM contact_reads r \
         JOIN users s ON s.id = r.staff_id JOIN offices o ON o.id = r.office_id \
         WHERE r.traveller_id = $1 ORDER BY r.last_at DESC, r.staff_id, r.office_id",
    )
    .bind(person)
    .fetch_all(ex)
    .await?;
    Ok(rows
        .iter()
        .map(|r| ContactRead {
            staff_name: r.get("staff_name"),
            office_name: r.get("office_name"),
            at: r.get("at"),
        })
        .collect())
}
