//! Stay offers, their blocked nights and the beds taken per night.

use crate::domain::ids::{StayId, UserId};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::LazyLock;

use chrono::NaiveDate;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, AnyExecutor, Row};

use super::rows::{
    count, date, date_text, flag, insert_owned_sql, place, placeholders, update_sql,
};
use crate::domain::offer::Status;
use crate::matching::StayCandidate;
use crate::places::{LatLon, Place};

/// A host's stay offer as stored.
#[derive(Clone, Debug)]
pub struct Stay {
    pub id: StayId,
    pub owner_id: UserId,
    pub owner_name: String,
    pub owner_email: String,
    pub place: Place,
    /// Private until a booking is accepted.
    pub street: Option<String>,
    pub beds: i32,
    pub first_night: NaiveDate,
    pub last_night: NaiveDate,
    pub pets_in_home: bool,
    pub smoking: bool,
    pub children_welcome: bool,
    pub step_free: bool,
    pub instant_accept: bool,
    pub notes: String,
    pub status: Status,
    pub blocked: BTreeSet<NaiveDate>,
    pub taken: BTreeMap<NaiveDate, i32>,
}

impl Stay {
    /// The plain value the matching engine works on.
    pub fn candidate(&self) -> StayCandidate {
        StayCandidate {
            id: self.id,
            owner_id: self.owner_id,
            point: self.place.point,
            first_night: self.first_night,
            last_night: self.last_night,
            open: self.status == Status::Active,
            pets_in_home: self.pets_in_home,
            smoking: self.smoking,
            children_welcome: self.children_welcome,
            step_free: self.step_free,
            beds: self.beds,
            blocked: self.blocked.clone(),
            taken: self.taken.clone(),
        }
    }
}

/// What the host sets on a stay.
#[derive(Clone, Debug)]
pub struct StayFields {
    pub place: Place,
    pub street: Option<String>,
    pub beds: i32,
    pub first_night: NaiveDate,
    pub last_night: NaiveDate,
    pub pets_in_home: bool,
    pub smoking: bool,
    pub children_welcome: bool,
    pub step_free: bool,
    pub instant_accept: bool,
    pub notes: String,
    pub blocked: BTreeSet<NaiveDate>,
}

const SELECT: &str = "SELECT s.id, s.owner_id, u.name AS owner_name, u.email AS owner_email, s.zip, s.city, s.state, s.lat, s.lon, \
     s.street, s.beds, s.first_night, s.last_night, s.pets_in_home, s.smoking, s.children_welcome, \
     s.step_free, s.instant_accept, s.notes, s.status FROM stays s JOIN users u ON u.id = s.owner_id";

fn from_row(r: &AnyRow) -> sqlx::Result<Stay> {
    Ok(Stay {
        id: r.try_get("id")?,
        owner_id: r.try_get("owner_id")?,
        owner_name: r.try_get("owner_name")?,
        owner_email: r.try_get("owner_email")?,
        place: place(r, "")?,
        street: r.try_get("street")?,
        beds: count(r, "beds")?,
        first_night: date(r, "first_night")?,
        last_night: date(r, "last_night")?,
        pets_in_home: flag(r, "pets_in_home")?,
        smoking: flag(r, "smoking")?,
        children_welcome: flag(r, "children_welcome")?,
        step_free: flag(r, "step_free")?,
        instant_accept: flag(r, "instant_accept")?,
        notes: r.try_get("notes")?,
        status: Status::from_db(&r.try_get::<String, _>("status")?),
        blocked: BTreeSet::new(),
        taken: BTreeMap::new(),
    })
}

/// The columns of [`StayFields`] (all but the blocked nights, which have their own
/// table), in the order [`bind_fields`] binds them. INSERT and UPDATE are both written
/// from this one list, so the two can't drift apart.
const FIELDS: [&str; 15] = [
    "zip",
    "city",
    "state",
    "lat",
    "lon",
    "street",
    "beds",
    "first_night",
    "last_night",
    "pets_in_home",
    "smoking",
    "children_welcome",
    "step_free",
    "instant_accept",
    "notes",
];

/// Binds `f` as the next [`FIELDS`].len() values, one per column, in that order.
fn bind_fields<'q>(
    q: Query<'q, Any, AnyArguments<'q>>,
    f: &'q StayFields,
) -> Query<'q, Any, AnyArguments<'q>> {
    q.bind(f.place.zip.clone())
        .bind(&f.place.city)
        .bind(&f.place.state)
        .bind(f.place.point.lat)
        .bind(f.place.point.lon)
        .bind(f.street.clone())
        .bind(i64::from(f.beds))
        .bind(date_text(f.first_night))
        .bind(date_text(f.last_night))
        .bind(i64::from(f.pets_in_home))
        .bind(i64::from(f.smoking))
        .bind(i64::from(f.children_welcome))
        .bind(i64::from(f.step_free))
        .bind(i64::from(f.instant_accept))
        .bind(&f.notes)
}

/// Binds the fields, then the owner and the time.
static INSERT: LazyLock<String> = LazyLock::new(|| insert_owned_sql("stays", &FIELDS));

/// Binds the fields, then the time and the id.
static UPDATE: LazyLock<String> = LazyLock::new(|| update_sql("stays", &FIELDS, None));

/// Inserts a stay and its blocked nights (run inside a transaction).
pub async fn insert(
    conn: &mut AnyConnection,
    owner_id: UserId,
    f: &StayFields,
    now: &str,
) -> sqlx::Result<StayId> {
    let id: StayId = bind_fields(sqlx::query(INSERT.as_str()), f)
        .bind(owner_id)
        .bind(now)
        .fetch_one(&mut *conn)
        .await?
        .try_get("id")?;
    replace_blocked(conn, id, &f.blocked).await?;
    Ok(id)
}

/// Updates a stay (run inside a transaction). Returns false, and the caller
/// must roll back, when the new beds, nights or blocked nights would drop
/// below beds already taken on some night. The row is written first, so a
/// booking racing for the same stay waits for this transaction.
pub async fn update(
    conn: &mut AnyConnection,
    id: StayId,
    f: &StayFields,
    now: &str,
) -> sqlx::Result<bool> {
    let done = bind_fields(sqlx::query(UPDATE.as_str()), f)
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    let mut nights = Nights::default();
    nights.add_taken(&night_rows(&mut *conn, TAKEN, &[id], None).await?)?;
    let taken = nights.taken.remove(&id).unwrap_or_default();
    let breaks_booking = taken.iter().any(|(night, n)| {
        *n > 0
            && (*night < f.first_night
                || *night > f.last_night
                || f.blocked.contains(night)
                || *n > f.beds)
    });
    if breaks_booking {
        return Ok(false);
    }
    replace_blocked(conn, id, &f.blocked).await?;
    Ok(true)
}

async fn replace_blocked(
    conn: &mut AnyConnection,
    id: StayId,
    blocked: &BTreeSet<NaiveDate>,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM stay_blocked_nights WHERE stay_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for night in blocked {
        sqlx::query("INSERT INTO stay_blocked_nights (stay_id, night) VALUES ($1, $2)")
            .bind(id)
            .bind(date_text(*night))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// One stay with its blocked nights and taken beds.
pub async fn by_id(conn: &mut AnyConnection, id: StayId) -> sqlx::Result<Option<Stay>> {
    let Some(row) = sqlx::query(&format!("{SELECT} WHERE s.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let mut stays = vec![from_row(&row)?];
    attach_nights(conn, &mut stays, None).await?;
    Ok(stays.pop())
}

pub async fn by_owner(conn: &mut AnyConnection, owner_id: UserId) -> sqlx::Result<Vec<Stay>> {
    let mut stays = sqlx::query(&format!(
        "{SELECT} WHERE s.owner_id = $1 ORDER BY s.first_night DESC, s.id DESC"
    ))
    .bind(owner_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(from_row)
    .collect::<sqlx::Result<Vec<_>>>()?;
    attach_nights(conn, &mut stays, None).await?;
    Ok(stays)
}

/// The stays with these ids, in any state, with all their nights (the offer
/// index reloading what changed).
/// The stay a re-import updates: the same host, ZIP and first night.
pub async fn same_on_import(
    ex: impl AnyExecutor<'_>,
    owner_id: UserId,
    zip: Option<&str>,
    first_night: NaiveDate,
) -> sqlx::Result<Option<StayId>> {
    sqlx::query(
        "SELECT id FROM stays WHERE owner_id = $1 AND zip = $2 AND first_night = $3 ORDER BY id LIMIT 1",
    )
    .bind(owner_id)
    .bind(zip)
    .bind(date_text(first_night))
    .fetch_optional(ex)
    .await?
    .map(|r| r.try_get("id"))
    .transpose()
}

pub async fn by_ids(conn: &mut AnyConnection, ids: &[StayId]) -> sqlx::Result<Vec<Stay>> {
    let mut stays = super::rows::fetch_by_ids(&mut *conn, &format!("{SELECT} WHERE s.id"), ids, "")
        .await?
        .iter()
        .map(from_row)
        .collect::<sqlx::Result<Vec<_>>>()?;
    attach_nights(conn, &mut stays, None).await?;
    Ok(stays)
}

/// Blocked nights and taken beds on or after `from`, of every stay (the
/// offer index's full load: two whole-table reads instead of one per 500
/// stays).
pub async fn nights_from(conn: &mut AnyConnection, from: NaiveDate) -> sqlx::Result<Nights> {
    let mut nights = Nights::default();
    let blocked = sqlx::query(&format!("{BLOCKED} WHERE night >= $1"))
        .bind(date_text(from))
        .fetch_all(&mut *conn)
        .await?;
    nights.add_blocked(&blocked)?;
    let taken = sqlx::query(&format!("{TAKEN} WHERE night >= $1"))
        .bind(date_text(from))
        .fetch_all(&mut *conn)
        .await?;
    nights.add_taken(&taken)?;
    Ok(nights)
}

const BLOCKED: &str = "SELECT stay_id, night FROM stay_blocked_nights";
const TAKEN: &str = "SELECT stay_id, night, beds_taken FROM stay_nights_taken";

/// Nights of many stays, by stay id.
#[derive(Debug, Default)]
pub struct Nights {
    pub blocked: HashMap<StayId, BTreeSet<NaiveDate>>,
    pub taken: HashMap<StayId, BTreeMap<NaiveDate, i32>>,
}

impl Nights {
    fn add_blocked(&mut self, rows: &[AnyRow]) -> sqlx::Result<()> {
        for r in rows {
            self.blocked
                .entry(r.try_get("stay_id")?)
                .or_default()
                .insert(date(r, "night")?);
        }
        Ok(())
    }

    fn add_taken(&mut self, rows: &[AnyRow]) -> sqlx::Result<()> {
        for r in rows {
            self.taken
                .entry(r.try_get("stay_id")?)
                .or_default()
                .insert(date(r, "night")?, count(r, "beds_taken")?);
        }
        Ok(())
    }

    /// Moves each stay's nights onto it.
    pub fn attach(&mut self, stay: &mut Stay) {
        stay.blocked = self.blocked.remove(&stay.id).unwrap_or_default();
        stay.taken = self.taken.remove(&stay.id).unwrap_or_default();
    }
}

/// One page of open stays with a night on or after `from`, by id after
/// `after_id`, without their nights (see [`nights_from`]).
pub async fn open_from(
    conn: &mut AnyConnection,
    from: NaiveDate,
    after_id: StayId,
    limit: i64,
) -> sqlx::Result<Vec<Stay>> {
    sqlx::query(&format!(
        "{SELECT} WHERE s.status = 'active' AND s.last_night >= $1 AND s.id > $2 \
         ORDER BY s.id LIMIT $3"
    ))
    .bind(date_text(from))
    .bind(after_id)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

/// A latitude/longitude box that contains every point within `km` of a centre.
#[derive(Clone, Copy, Debug)]
pub struct BBox {
    pub min_lat: f64,
    pub max_lat: f64,
    pub min_lon: f64,
    pub max_lon: f64,
}

/// km per degree of latitude on the sphere the distances use.
const KM_PER_DEG: f64 = 6371.0088 * std::f64::consts::PI / 180.0;

/// A box never smaller than the circle of `km` around `c` (it errs wide; the
/// exact distance is checked afterwards).
pub fn bbox_around(c: LatLon, km: f64) -> BBox {
    let dlat = km / KM_PER_DEG * 1.01 + 1e-6;
    let max_abs_lat = (c.lat.abs() + dlat).min(90.0);
    let cos = max_abs_lat.to_radians().cos();
    let (min_lon, max_lon) = if cos < 0.01 {
        (-180.0, 180.0)
    } else {
        let dlon = km / (KM_PER_DEG * cos) * 1.01 + 1e-6;
        if c.lon - dlon < -180.0 || c.lon + dlon > 180.0 {
            (-180.0, 180.0)
        } else {
            (c.lon - dlon, c.lon + dlon)
        }
    };
    BBox {
        min_lat: c.lat - dlat,
        max_lat: c.lat + dlat,
        min_lon,
        max_lon,
    }
}

/// Open stays inside `bbox` offering every night `first..=last` with at least
/// `min_beds` beds, with their blocked and taken nights in that range. The app
/// matches from the offer index; this SQL lookup is the matching benchmark's
/// baseline.
pub async fn candidates(
    conn: &mut AnyConnection,
    bbox: BBox,
    first: NaiveDate,
    last: NaiveDate,
    min_beds: i32,
) -> sqlx::Result<Vec<Stay>> {
    let mut stays = sqlx::query(&format!(
        "{SELECT} WHERE s.lat >= $1 AND s.lat <= $2 AND s.lon >= $3 AND s.lon <= $4 \
         AND s.first_night <= $5 AND s.last_night >= $6 AND s.status = 'active' AND s.beds >= $7"
    ))
    .bind(bbox.min_lat)
    .bind(bbox.max_lat)
    .bind(bbox.min_lon)
    .bind(bbox.max_lon)
    .bind(date_text(first))
    .bind(date_text(last))
    .bind(i64::from(min_beds))
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(from_row)
    .collect::<sqlx::Result<Vec<_>>>()?;
    attach_nights(conn, &mut stays, Some((first, last))).await?;
    Ok(stays)
}

/// Every open stay with all its nights (the `matches` report, brute force).
pub async fn all_open(conn: &mut AnyConnection) -> sqlx::Result<Vec<Stay>> {
    let mut stays = sqlx::query(&format!("{SELECT} WHERE s.status = 'active'"))
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(from_row)
        .collect::<sqlx::Result<Vec<_>>>()?;
    attach_nights(conn, &mut stays, None).await?;
    Ok(stays)
}

/// Loads blocked nights and taken beds for `stays`, optionally only in a night range.
async fn attach_nights(
    conn: &mut AnyConnection,
    stays: &mut [Stay],
    range: Option<(NaiveDate, NaiveDate)>,
) -> sqlx::Result<()> {
    let ids: Vec<StayId> = stays.iter().map(|s| s.id).collect();
    let mut nights = Nights::default();
    for chunk in ids.chunks(500) {
        nights.add_blocked(&night_rows(&mut *conn, BLOCKED, chunk, range).await?)?;
        nights.add_taken(&night_rows(&mut *conn, TAKEN, chunk, range).await?)?;
    }
    for s in stays.iter_mut() {
        nights.attach(s);
    }
    Ok(())
}

async fn night_rows(
    conn: &mut AnyConnection,
    select: &str,
    ids: &[StayId],
    range: Option<(NaiveDate, NaiveDate)>,
) -> sqlx::Result<Vec<AnyRow>> {
    let mut sql = format!("{select} WHERE stay_id IN ({})", placeholders(1, ids.len()));
    if range.is_some() {
        sql.push_str(&format!(
            " AND night >= ${} AND night <= ${}",
            ids.len() + 1,
            ids.len() + 2
        ));
    }
    let mut q = sqlx::query(&sql);
    for id in ids {
        q = q.bind(*id);
    }
    if let Some((a, b)) = range {
        q = q.bind(date_text(a)).bind(date_text(b));
    }
    q.fetch_all(conn).await
}

/// Pauses, resumes or cancels; a cancelled stay stays cancelled.
pub async fn set_status(
    ex: impl AnyExecutor<'_>,
    id: StayId,
    status: Status,
    now: &str,
) -> sqlx::Result<bool> {
    super::rows::set_status(ex, "stays", id, status, now).await
}

/// Open stays inside a box with any night in `from..=to`, with their blocked
/// and taken nights in that range (the office's batch of candidates).
pub async fn overlapping(
    conn: &mut AnyConnection,
    bbox: BBox,
    from: NaiveDate,
    to: NaiveDate,
) -> sqlx::Result<Vec<Stay>> {
    let mut stays = sqlx::query(&format!(
        "{SELECT} WHERE s.lat >= $1 AND s.lat <= $2 AND s.lon >= $3 AND s.lon <= $4 \
         AND s.first_night <= $5 AND s.last_night >= $6 AND s.status = 'active'"
    ))
    .bind(bbox.min_lat)
    .bind(bbox.max_lat)
    .bind(bbox.min_lon)
    .bind(bbox.max_lon)
    .bind(date_text(to))
    .bind(date_text(from))
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(from_row)
    .collect::<sqlx::Result<Vec<_>>>()?;
    attach_nights(conn, &mut stays, Some((from, to))).await?;
    Ok(stays)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use sqlx::{Arguments, Execute};

    use super::*;

    #[test]
    fn every_field_column_gets_one_value() {
        let day = NaiveDate::from_ymd_opt(2026, 10, 30).unwrap();
        let f = StayFields {
            place: Place {
                zip: Some("94110".into()),
                city: "San Francisco".into(),
                state: "CA".into(),
                point: LatLon {
                    lat: 37.75,
                    lon: -122.415,
                },
            },
            street: None,
            beds: 2,
            first_night: day,
            last_night: day,
            pets_in_home: false,
            smoking: false,
            children_welcome: true,
            step_free: false,
            instant_accept: true,
            notes: String::new(),
            blocked: BTreeSet::new(),
        };
        let mut q = bind_fields(sqlx::query(""), &f);
        let args = q.take_arguments().unwrap().expect("values bound");
        assert_eq!(args.len(), FIELDS.len());
    }
}
