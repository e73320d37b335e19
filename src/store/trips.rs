//! Travellers' trips.

use std::sync::LazyLock;

use chrono::NaiveDate;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyExecutor, Row};

use super::rows::{
    count, date, date_text, flag, insert_owned_sql, place, placeholders, update_sql,
};
use crate::domain::ids::{OfficeId, TripId, UserId};
use crate::domain::leg::Needs;
use crate::domain::offer::Status;
use crate::matching::TripRequest;
use crate::places::{LatLon, Place};

/// A trip as stored, with its office's name and point.
#[derive(Clone, Debug)]
pub struct Trip {
    pub id: TripId,
    pub owner_id: UserId,
    pub owner_name: String,
    pub owner_email: String,
    pub office_id: OfficeId,
    pub office_name: String,
    pub office_point: LatLon,
    pub from: Place,
    pub arrive: NaiveDate,
    pub leave: NaiveDate,
    pub party_size: i32,
    pub needs_ride: bool,
    pub needs_bed: bool,
    pub needs_ride_home: bool,
    pub flex_days: i32,
    pub max_stay_km: f64,
    pub need_step_free: bool,
    pub need_no_pets: bool,
    pub need_no_smoking: bool,
    pub notes: String,
    pub status: Status,
}

impl Trip {
    /// The plain value the matching engine works on.
    pub fn request(&self) -> TripRequest {
        TripRequest {
            id: self.id,
            owner_id: self.owner_id,
            office_id: self.office_id,
            home: self.from.point,
            office_point: self.office_point,
            arrive: self.arrive,
            leave: self.leave,
            party_size: self.party_size,
            needs_ride: self.needs_ride,
            needs_bed: self.needs_bed,
            needs_ride_home: self.needs_ride_home,
            flex_days: self.flex_days,
            max_stay_km: self.max_stay_km,
            open: self.status == Status::Active,
            need_step_free: self.need_step_free,
            need_no_pets: self.need_no_pets,
            need_no_smoking: self.need_no_smoking,
        }
    }

    pub fn nights(&self) -> i64 {
        (self.leave - self.arrive).num_days()
    }

    /// The legs the trip needs. A bed with no night in between (arriving
    /// and leaving the same day) is no leg to find.
    pub fn needs(&self) -> Needs {
        Needs {
            ride_there: self.needs_ride,
            nights: self.needs_bed && self.leave > self.arrive,
            ride_home: self.needs_ride_home,
        }
    }
}

/// What the traveller sets on a trip.
#[derive(Clone, Debug)]
pub struct TripFields {
    pub office_id: OfficeId,
    pub from: Place,
    pub arrive: NaiveDate,
    pub leave: NaiveDate,
    pub party_size: i32,
    pub needs_ride: bool,
    pub needs_bed: bool,
    pub needs_ride_home: bool,
    pub flex_days: i32,
    pub max_stay_km: f64,
    pub need_step_free: bool,
    pub need_no_pets: bool,
    pub need_no_smoking: bool,
    pub notes: String,
}

const SELECT: &str = "SELECT t.id, t.owner_id, u.name AS owner_name, u.email AS owner_email, t.office_id, \
     o.name AS office_name, o.lat AS office_lat, o.lon AS office_lon, t.from_zip, t.from_city, t.from_state, \
     t.from_lat, t.from_lon, t.arrive, t.leave, t.party_size, t.needs_ride, t.needs_bed, t.needs_ride_home, \
     t.flex_days, t.max_stay_km, t.need_step_free, t.need_no_pets, t.need_no_smoking, t.notes, t.status \
     FROM trips t JOIN users u ON u.id = t.owner_id JOIN offices o ON o.id = t.office_id";

fn from_row(r: &AnyRow) -> sqlx::Result<Trip> {
    Ok(Trip {
        id: r.try_get("id")?,
        owner_id: r.try_get("owner_id")?,
        owner_name: r.try_get("owner_name")?,
        owner_email: r.try_get("owner_email")?,
        office_id: r.try_get("office_id")?,
        office_name: r.try_get("office_name")?,
        office_point: LatLon {
            lat: r.try_get("office_lat")?,
            lon: r.try_get("office_lon")?,
        },
        from: place(r, "from_")?,
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
        notes: r.try_get("notes")?,
        status: Status::from_db(&r.try_get::<String, _>("status")?),
    })
}

/// The columns of [`TripFields`], in the order [`bind_fields`] binds them. INSERT and
/// UPDATE are both written from this one list, so the two can't drift apart.
const FIELDS: [&str; 18] = [
    "office_id",
    "from_zip",
    "from_city",
    "from_state",
    "from_lat",
    "from_lon",
    "arrive",
    "leave",
    "party_size",
    "needs_ride",
    "needs_bed",
    "needs_ride_home",
    "flex_days",
    "max_stay_km",
    "need_step_free",
    "need_no_pets",
    "need_no_smoking",
    "notes",
];

/// Binds `f` as the next [`FIELDS`].len() values, one per column, in that order.
fn bind_fields<'q>(
    q: Query<'q, Any, AnyArguments<'q>>,
    f: &'q TripFields,
) -> Query<'q, Any, AnyArguments<'q>> {
    q.bind(f.office_id)
        .bind(f.from.zip.clone())
        .bind(&f.from.city)
        .bind(&f.from.state)
        .bind(f.from.point.lat)
        .bind(f.from.point.lon)
        .bind(date_text(f.arrive))
        .bind(date_text(f.leave))
        .bind(i64::from(f.party_size))
        .bind(i64::from(f.needs_ride))
        .bind(i64::from(f.needs_bed))
        .bind(i64::from(f.needs_ride_home))
        .bind(i64::from(f.flex_days))
        .bind(f.max_stay_km)
        .bind(i64::from(f.need_step_free))
        .bind(i64::from(f.need_no_pets))
        .bind(i64::from(f.need_no_smoking))
        .bind(&f.notes)
}

/// Binds the fields, then the owner and the time.
static INSERT: LazyLock<String> = LazyLock::new(|| insert_owned_sql("trips", &FIELDS));

/// Binds the fields, then the time and the id.
static UPDATE: LazyLock<String> = LazyLock::new(|| update_sql("trips", &FIELDS, None));

pub async fn insert(
    ex: impl AnyExecutor<'_>,
    owner_id: UserId,
    f: &TripFields,
    now: &str,
) -> sqlx::Result<TripId> {
    bind_fields(sqlx::query(INSERT.as_str()), f)
        .bind(owner_id)
        .bind(now)
        .fetch_one(ex)
        .await?
        .try_get("id")
}

pub async fn update(
    ex: impl AnyExecutor<'_>,
    id: TripId,
    f: &TripFields,
    now: &str,
) -> sqlx::Result<bool> {
    let done = bind_fields(sqlx::query(UPDATE.as_str()), f)
        .bind(now)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn by_id(ex: impl AnyExecutor<'_>, id: TripId) -> sqlx::Result<Option<Trip>> {
    sqlx::query(&format!("{SELECT} WHERE t.id = $1"))
        .bind(id)
        .fetch_optional(ex)
        .await?
        .map(|r| from_row(&r))
        .transpose()
}

/// The trips with these ids (any order; missing ids are left out).
/// The trip a re-import updates: the same traveller, office and arrival.
pub async fn same_on_import(
    ex: impl AnyExecutor<'_>,
    owner_id: UserId,
    office_id: OfficeId,
    arrive: NaiveDate,
) -> sqlx::Result<Option<TripId>> {
    sqlx::query(
        "SELECT id FROM trips WHERE owner_id = $1 AND office_id = $2 AND arrive = $3 ORDER BY id LIMIT 1",
    )
    .bind(owner_id)
    .bind(office_id)
    .bind(date_text(arrive))
    .fetch_optional(ex)
    .await?
    .map(|r| r.try_get("id"))
    .transpose()
}

pub async fn by_ids(ex: impl AnyExecutor<'_>, ids: &[TripId]) -> sqlx::Result<Vec<Trip>> {
    super::rows::fetch_by_ids(ex, &format!("{SELECT} WHERE t.id"), ids, "")
        .await?
        .iter()
        .map(from_row)
        .collect()
}

pub async fn by_owner(ex: impl AnyExecutor<'_>, owner_id: UserId) -> sqlx::Result<Vec<Trip>> {
    sqlx::query(&format!(
        "{SELECT} WHERE t.owner_id = $1 ORDER BY t.arrive DESC, t.id DESC"
    ))
    .bind(owner_id)
    .fetch_all(ex)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// Open trips to `office_ids` arriving in `from..=to` (reverse views).
pub async fn arriving_at(
    ex: impl AnyExecutor<'_>,
    office_ids: &[OfficeId],
    from: NaiveDate,
    to: NaiveDate,
) -> sqlx::Result<Vec<Trip>> {
    if office_ids.is_empty() {
        return Ok(vec![]);
    }
    let n = office_ids.len();
    let sql = format!(
        "{SELECT} WHERE t.office_id IN ({}) AND t.arrive >= ${} AND t.arrive <= ${} AND t.status = 'active'",
        placeholders(1, n),
        n + 1,
        n + 2
    );
    let mut q = sqlx::query(&sql);
    for id in office_ids {
        q = q.bind(*id);
    }
    q.bind(date_text(from))
        .bind(date_text(to))
        .fetch_all(ex)
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// Open trips that need a ride home from `office_id` and leave in
/// `from..=to` (the driver's view of a ride home).
pub async fn leaving_from(
    ex: impl AnyExecutor<'_>,
    office_id: OfficeId,
    from: NaiveDate,
    to: NaiveDate,
) -> sqlx::Result<Vec<Trip>> {
    sqlx::query(&format!(
        "{SELECT} WHERE t.office_id = $1 AND t.leave >= $2 AND t.leave <= $3 \
         AND t.needs_ride_home <> 0 AND t.status = 'active'"
    ))
    .bind(office_id)
    .bind(date_text(from))
    .bind(date_text(to))
    .fetch_all(ex)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// Every open trip arriving on or after `today`, by id (the `matches` report).
pub async fn all_open(ex: impl AnyExecutor<'_>, today: NaiveDate) -> sqlx::Result<Vec<Trip>> {
    sqlx::query(&format!(
        "{SELECT} WHERE t.status = 'active' AND (t.arrive >= $1 OR (t.needs_ride_home = 1 AND t.leave >= $1)) ORDER BY t.id"
    ))
    .bind(date_text(today))
    .fetch_all(ex)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// Pauses, resumes or cancels; a cancelled trip stays cancelled.
pub async fn set_status(
    ex: impl AnyExecutor<'_>,
    id: TripId,
    status: Status,
    now: &str,
) -> sqlx::Result<bool> {
    super::rows::set_status(ex, "trips", id, status, now).await
}

/// Writes the trip's row without changing it, which locks it until the
/// transaction ends (PostgreSQL) or takes the write lock (SQLite). Requests
/// and answers of one trip's bookings take it first, so they run one after
/// the other: accepting one booking withdraws the trip's other requests,
/// and two racing accepts must not each hold a booking the other waits for.
pub async fn lock(conn: &mut sqlx::AnyConnection, id: TripId) -> sqlx::Result<bool> {
    let done = sqlx::query("UPDATE trips SET updated_at = updated_at WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use sqlx::{Arguments, Execute};

    use super::*;

    #[test]
    fn every_field_column_gets_one_value() {
        let day = NaiveDate::from_ymd_opt(2026, 10, 30).unwrap();
        let f = TripFields {
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
            arrive: day,
            leave: day.succ_opt().unwrap(),
            party_size: 1,
            needs_ride: true,
            needs_bed: true,
            needs_ride_home: true,
            flex_days: 0,
            max_stay_km: 30.0,
            need_step_free: false,
            need_no_pets: false,
            need_no_smoking: true,
            notes: String::new(),
        };
        let mut q = bind_fields(sqlx::query(""), &f);
        let args = q.take_arguments().unwrap().expect("values bound");
        assert_eq!(args.len(), FIELDS.len());
    }
}
