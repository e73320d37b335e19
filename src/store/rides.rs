//! Ride offers.

use std::sync::LazyLock;

use chrono::NaiveDate;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyExecutor, Row};

use super::rows::{count, date, date_text, flag, insert_owned_sql, place, update_sql};
use crate::domain::ids::{OfficeId, RideId, UserId};
use crate::domain::offer::{Direction, Status};
use crate::matching::RideCandidate;
use crate::places::Place;

/// A driver's ride offer as stored.
#[derive(Clone, Debug)]
pub struct Ride {
    pub id: RideId,
    pub owner_id: UserId,
    pub owner_name: String,
    pub owner_email: String,
    pub office_id: OfficeId,
    pub direction: Direction,
    /// The driver's far end: the start of a ride there, the destination of
    /// a ride home (migration 0014).
    pub from: Place,
    pub depart_date: NaiveDate,
    pub depart_time: String,
    pub seats: i32,
    pub seats_taken: i32,
    pub max_detour_km: f64,
    pub luggage: bool,
    pub smoking: bool,
    pub pets_welcome: bool,
    pub step_free: bool,
    pub instant_accept: bool,
    pub notes: String,
    pub status: Status,
}

impl Ride {
    pub fn seats_free(&self) -> i32 {
        self.seats - self.seats_taken
    }

    /// The plain value the matching engine works on.
    pub fn candidate(&self) -> RideCandidate {
        RideCandidate {
            id: self.id,
            owner_id: self.owner_id,
            office_id: self.office_id,
            direction: self.direction,
            start: self.from.point,
            depart_date: self.depart_date,
            seats_free: self.seats_free(),
            max_detour_km: self.max_detour_km,
            open: self.status == Status::Active,
            luggage: self.luggage,
            smoking: self.smoking,
            pets_welcome: self.pets_welcome,
            step_free: self.step_free,
        }
    }
}

/// What the owner sets on a ride.
#[derive(Clone, Debug)]
pub struct RideFields {
    pub office_id: OfficeId,
    pub direction: Direction,
    /// The driver's far end, as on [`Ride::from`].
    pub from: Place,
    pub depart_date: NaiveDate,
    pub depart_time: String,
    pub seats: i32,
    pub max_detour_km: f64,
    pub luggage: bool,
    pub smoking: bool,
    pub pets_welcome: bool,
    pub step_free: bool,
    pub instant_accept: bool,
    pub notes: String,
}

impl RideFields {
    /// The ride home that "and I drive back on `back`" promises: from the
    /// office on that day to where this ride starts, with the same seats,
    /// detour and preferences; the driver's time of day is not known.
    pub fn drive_back(&self, back: NaiveDate) -> RideFields {
        RideFields {
            direction: Direction::Home,
            depart_date: back,
            depart_time: "09:00".into(),
            ..self.clone()
        }
    }
}

pub(crate) const SELECT: &str = "SELECT r.id, r.owner_id, u.name AS owner_name, u.email AS owner_email, r.office_id, r.from_zip, r.from_city, \
     r.from_state, r.from_lat, r.from_lon, r.depart_date, r.depart_time, r.direction, r.seats, r.seats_taken, \
     r.max_detour_km, r.luggage, r.smoking, r.pets_welcome, r.step_free, r.instant_accept, r.notes, r.status \
     FROM rides r JOIN users u ON u.id = r.owner_id";

pub(crate) fn from_row(r: &AnyRow) -> sqlx::Result<Ride> {
    Ok(Ride {
        id: r.try_get("id")?,
        owner_id: r.try_get("owner_id")?,
        owner_name: r.try_get("owner_name")?,
        owner_email: r.try_get("owner_email")?,
        office_id: r.try_get("office_id")?,
        direction: Direction::from_db(&r.try_get::<String, _>("direction")?),
        from: place(r, "from_")?,
        depart_date: date(r, "depart_date")?,
        depart_time: r.try_get("depart_time")?,
        seats: count(r, "seats")?,
        seats_taken: count(r, "seats_taken")?,
        max_detour_km: r.try_get("max_detour_km")?,
        luggage: flag(r, "luggage")?,
        smoking: flag(r, "smoking")?,
        pets_welcome: flag(r, "pets_welcome")?,
        step_free: flag(r, "step_free")?,
        instant_accept: flag(r, "instant_accept")?,
        notes: r.try_get("notes")?,
        status: Status::from_db(&r.try_get::<String, _>("status")?),
    })
}

/// The columns of [`RideFields`], in the order [`bind_fields`] binds them. INSERT and
/// UPDATE are both written from this one list, so the two can't drift apart.
const FIELDS: [&str; 17] = [
    "office_id",
    "from_zip",
    "from_city",
    "from_state",
    "from_lat",
    "from_lon",
    "depart_date",
    "depart_time",
    "direction",
    "seats",
    "max_detour_km",
    "luggage",
    "smoking",
    "pets_welcome",
    "step_free",
    "instant_accept",
    "notes",
];

/// Binds `f` as the next [`FIELDS`].len() values, one per column, in that order.
fn bind_fields<'q>(
    q: Query<'q, Any, AnyArguments<'q>>,
    f: &'q RideFields,
) -> Query<'q, Any, AnyArguments<'q>> {
    q.bind(f.office_id)
        .bind(f.from.zip.clone())
        .bind(&f.from.city)
        .bind(&f.from.state)
        .bind(f.from.point.lat)
        .bind(f.from.point.lon)
        .bind(date_text(f.depart_date))
        .bind(&f.depart_time)
        .bind(f.direction.as_str())
        .bind(i64::from(f.seats))
        .bind(f.max_detour_km)
        .bind(i64::from(f.luggage))
        .bind(i64::from(f.smoking))
        .bind(i64::from(f.pets_welcome))
        .bind(i64::from(f.step_free))
        .bind(i64::from(f.instant_accept))
        .bind(&f.notes)
}

/// Binds the fields, then the owner and the time.
static INSERT: LazyLock<String> = LazyLock::new(|| insert_owned_sql("rides", &FIELDS));

/// Binds the fields, then the time, the id, and the new seat count once more: the
/// guard must compare with the new count, and `seats` in a WHERE is the old one.
static UPDATE: LazyLock<String> =
    LazyLock::new(|| update_sql("rides", &FIELDS, Some("seats_taken <=")));

pub async fn insert(
    ex: impl AnyExecutor<'_>,
    owner_id: UserId,
    f: &RideFields,
    now: &str,
) -> sqlx::Result<RideId> {
    bind_fields(sqlx::query(INSERT.as_str()), f)
        .bind(owner_id)
        .bind(now)
        .fetch_one(ex)
        .await?
        .try_get("id")
}

/// Updates a ride's fields; seats never drop below those already taken (the
/// guard is in the statement, so a racing booking cannot slip under it).
/// Returns false when nothing was updated.
pub async fn update(
    ex: impl AnyExecutor<'_>,
    id: RideId,
    f: &RideFields,
    now: &str,
) -> sqlx::Result<bool> {
    let done = bind_fields(sqlx::query(UPDATE.as_str()), f)
        .bind(now)
        .bind(id)
        .bind(i64::from(f.seats))
        .execute(ex)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn by_id(ex: impl AnyExecutor<'_>, id: RideId) -> sqlx::Result<Option<Ride>> {
    sqlx::query(&format!("{SELECT} WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(ex)
        .await?
        .map(|r| from_row(&r))
        .transpose()
}

pub async fn by_owner(ex: impl AnyExecutor<'_>, owner_id: UserId) -> sqlx::Result<Vec<Ride>> {
    sqlx::query(&format!(
        "{SELECT} WHERE r.owner_id = $1 ORDER BY r.depart_date DESC, r.id DESC"
    ))
    .bind(owner_id)
    .fetch_all(ex)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// The rides with these ids, in any state (the offer index reloading what changed).
/// The ride a re-import updates: the same driver, office, day, direction and
/// far-end ZIP (the start of a ride there, the destination of a ride home).
pub async fn same_on_import(
    ex: impl AnyExecutor<'_>,
    owner_id: UserId,
    office_id: OfficeId,
    depart: NaiveDate,
    direction: Direction,
    zip: &str,
) -> sqlx::Result<Option<RideId>> {
    sqlx::query(
        "SELECT id FROM rides WHERE owner_id = $1 AND office_id = $2 AND depart_date = $3 AND from_zip = $4 \
         AND direction = $5 ORDER BY id LIMIT 1",
    )
    .bind(owner_id)
    .bind(office_id)
    .bind(date_text(depart))
    .bind(zip)
    .bind(direction.as_str())
    .fetch_optional(ex)
    .await?
    .map(|r| r.try_get("id"))
    .transpose()
}

pub async fn by_ids(ex: impl AnyExecutor<'_>, ids: &[RideId]) -> sqlx::Result<Vec<Ride>> {
    super::rows::fetch_by_ids(ex, &format!("{SELECT} WHERE r.id"), ids, "")
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// One page of open rides departing on or after `from`, by id after
/// `after_id` (the offer index's full load reads in pages to keep its peak
/// memory low).
pub async fn open_from(
    ex: impl AnyExecutor<'_>,
    from: NaiveDate,
    after_id: RideId,
    limit: i64,
) -> sqlx::Result<Vec<Ride>> {
    sqlx::query(&format!(
        "{SELECT} WHERE r.status = 'active' AND r.depart_date >= $1 AND r.id > $2 \
         ORDER BY r.id LIMIT $3"
    ))
    .bind(date_text(from))
    .bind(after_id)
    .bind(limit)
    .fetch_all(ex)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// Open rides to an office departing in `from..=to` with at least `min_seats` free:
/// one range scan of the (office, date) index. The app matches from the offer
/// index; this SQL lookup is the matching benchmark's baseline.
pub async fn candidates(
    ex: impl AnyExecutor<'_>,
    office_id: OfficeId,
    from: NaiveDate,
    to: NaiveDate,
    min_seats: i32,
) -> sqlx::Result<Vec<Ride>> {
    sqlx::query(&format!(
        "{SELECT} WHERE r.office_id = $1 AND r.depart_date >= $2 AND r.depart_date <= $3 \
         AND r.status = 'active' AND r.seats - r.seats_taken >= $4"
    ))
    .bind(office_id)
    .bind(date_text(from))
    .bind(date_text(to))
    .bind(i64::from(min_seats))
    .fetch_all(ex)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// Open rides to an office departing on or after `from`, soonest first, one page.
pub async fn upcoming_for_office(
    ex: impl AnyExecutor<'_>,
    office_id: OfficeId,
    from: NaiveDate,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<Ride>> {
    sqlx::query(&format!(
        "{SELECT} WHERE r.office_id = $1 AND r.depart_date >= $2 AND r.status = 'active' \
         ORDER BY r.depart_date, r.id LIMIT $3 OFFSET $4"
    ))
    .bind(office_id)
    .bind(date_text(from))
    .bind(limit)
    .bind(offset)
    .fetch_all(ex)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

pub async fn count_upcoming_for_office(
    ex: impl AnyExecutor<'_>,
    office_id: OfficeId,
    from: NaiveDate,
) -> sqlx::Result<i64> {
    sqlx::query(
        "SELECT COUNT(*) AS n FROM rides WHERE office_id = $1 AND depart_date >= $2 AND status = 'active'",
    )
    .bind(office_id)
    .bind(date_text(from))
    .fetch_one(ex)
    .await?
    .try_get("n")
}

/// Every open ride (the `matches` report and brute-force comparisons).
pub async fn all_open(ex: impl AnyExecutor<'_>) -> sqlx::Result<Vec<Ride>> {
    sqlx::query(&format!("{SELECT} WHERE r.status = 'active'"))
        .fetch_all(ex)
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// Pauses, resumes or cancels; a cancelled ride stays cancelled.
pub async fn set_status(
    ex: impl AnyExecutor<'_>,
    id: RideId,
    status: Status,
    now: &str,
) -> sqlx::Result<bool> {
    super::rows::set_status(ex, "rides", id, status, now).await
}

#[cfg(test)]
mod tests {
    use crate::places::LatLon;
    use chrono::NaiveDate;
    use sqlx::{Arguments, Execute};

    use super::*;

    #[test]
    fn every_field_column_gets_one_value() {
        let day = NaiveDate::from_ymd_opt(2026, 10, 30).unwrap();
        let f = RideFields {
            office_id: OfficeId(1),
            from: Place {
                zip: Some("94110".into()),
                city: "San Francisco".into(),
                state: "CA".into(),
                point: LatLon {
                    lat: 37.75,
                    lon: -122.415,
                },
            },
            depart_date: day,
            depart_time: "08:00".into(),
            direction: Direction::Home,
            seats: 3,
            max_detour_km: 20.0,
            luggage: true,
            smoking: false,
            pets_welcome: false,
            step_free: true,
            instant_accept: false,
            notes: String::new(),
        };
        let mut q = bind_fields(sqlx::query(""), &f);
        let args = q.take_arguments().unwrap().expect("values bound");
        assert_eq!(args.len(), FIELDS.len());
    }
}
