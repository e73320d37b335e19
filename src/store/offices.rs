//! Field offices and who staffs them.

use std::sync::LazyLock;

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyExecutor, Row};

use super::rows::{assignments, placeholders};
use crate::domain::ids::{OfficeId, UserId};
use crate::places::{LatLon, Place};

/// A field office.
#[derive(Clone, Debug)]
pub struct Office {
    pub id: OfficeId,
    pub name: String,
    pub place: Place,
    pub timezone: String,
    pub contact_email: Option<String>,
    pub needed_per_day: Option<i64>,
}

/// The fields an admin sets (create and edit alike).
pub struct OfficeFields<'a> {
    pub name: &'a str,
    pub place: &'a Place,
    pub timezone: &'a str,
    pub contact_email: Option<&'a str>,
    pub needed_per_day: Option<i64>,
}

const COLUMNS: &str =
    "id, name, zip, city, state, lat, lon, timezone, contact_email, needed_per_day";

fn from_row(r: &AnyRow) -> sqlx::Result<Office> {
    Ok(Office {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        place: Place {
            zip: r.try_get("zip")?,
            city: r.try_get("city")?,
            state: r.try_get("state")?,
            point: LatLon {
                lat: r.try_get("lat")?,
                lon: r.try_get("lon")?,
            },
        },
        timezone: r.try_get("timezone")?,
        contact_email: r.try_get("contact_email")?,
        needed_per_day: r.try_get("needed_per_day")?,
    })
}

/// An office's columns, in the order [`bind_fields`] binds them: the one
/// list both the insert and the update are written from.
const FIELDS: [&str; 10] = [
    "name",
    "name_key",
    "zip",
    "city",
    "state",
    "lat",
    "lon",
    "timezone",
    "contact_email",
    "needed_per_day",
];

/// Binds `f` as the next [`FIELDS`].len() values, one per column, in that order.
fn bind_fields<'q>(
    q: Query<'q, Any, AnyArguments<'q>>,
    f: &'q OfficeFields<'q>,
) -> Query<'q, Any, AnyArguments<'q>> {
    q.bind(f.name)
        .bind(crate::domain::office::name_key(f.name))
        .bind(f.place.zip.clone())
        .bind(&f.place.city)
        .bind(&f.place.state)
        .bind(f.place.point.lat)
        .bind(f.place.point.lon)
        .bind(f.timezone)
        .bind(f.contact_email)
        .bind(f.needed_per_day)
}

static INSERT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "INSERT INTO offices ({}, created_at) VALUES ({}, ${}) RETURNING id",
        FIELDS.join(", "),
        placeholders(1, FIELDS.len()),
        FIELDS.len() + 1
    )
});

/// Inserts an office; a duplicate name (ignoring case) is a unique violation.
pub async fn insert(
    ex: impl AnyExecutor<'_>,
    f: &OfficeFields<'_>,
    now: &str,
) -> sqlx::Result<OfficeId> {
    bind_fields(sqlx::query(INSERT.as_str()), f)
        .bind(now)
        .fetch_one(ex)
        .await?
        .try_get("id")
}

/// Updates an office; returns false when it does not exist.
pub async fn update(
    ex: impl AnyExecutor<'_>,
    id: OfficeId,
    f: &OfficeFields<'_>,
) -> sqlx::Result<bool> {
    let sql = format!(
        "UPDATE offices SET {} WHERE id = ${}",
        assignments(1, &FIELDS),
        FIELDS.len() + 1
    );
    let done = bind_fields(sqlx::query(&sql), f)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn by_id(ex: impl AnyExecutor<'_>, id: OfficeId) -> sqlx::Result<Option<Office>> {
    sqlx::query(&format!("SELECT {COLUMNS} FROM offices WHERE id = $1"))
        .bind(id)
        .fetch_optional(ex)
        .await?
        .map(|r| from_row(&r))
        .transpose()
}

pub async fn by_name(ex: impl AnyExecutor<'_>, name: &str) -> sqlx::Result<Option<Office>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM offices WHERE name_key = $1"
    ))
    .bind(crate::domain::office::name_key(name))
    .fetch_optional(ex)
    .await?
    .map(|r| from_row(&r))
    .transpose()
}

/// All offices, by state then name.
pub async fn all(ex: impl AnyExecutor<'_>) -> sqlx::Result<Vec<Office>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM offices ORDER BY state, name_key"
    ))
    .fetch_all(ex)
    .await?
    .iter()
    .map(from_row)
    .collect()
}

pub async fn count(ex: impl AnyExecutor<'_>) -> sqlx::Result<i64> {
    sqlx::query("SELECT COUNT(*) AS n FROM offices")
        .fetch_one(ex)
        .await?
        .try_get("n")
}

/// A staff member as listed on the office admin page.
#[derive(Clone, Debug)]
pub struct StaffMember {
    pub user_id: UserId,
    pub name: String,
    pub email: String,
}

pub async fn staff(
    ex: impl AnyExecutor<'_>,
    office_id: OfficeId,
) -> sqlx::Result<Vec<StaffMember>> {
    sqlx::query(
        "SELECT u.id, u.name, u.email FROM office_staff s JOIN users u ON u.id = s.user_id \
         WHERE s.office_id = $1 ORDER BY u.name",
    )
    .bind(office_id)
    .fetch_all(ex)
    .await?
    .iter()
    .map(|r| {
        Ok(StaffMember {
            user_id: r.try_get("id")?,
            name: r.try_get("name")?,
            email: r.try_get("email")?,
        })
    })
    .collect()
}

/// Adds a staff member; adding someone twice is a unique violation.
pub async fn add_staff(
    ex: impl AnyExecutor<'_>,
    office_id: OfficeId,
    user_id: UserId,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO office_staff (office_id, user_id) VALUES ($1, $2)")
        .bind(office_id)
        .bind(user_id)
        .execute(ex)
        .await?;
    Ok(())
}

pub async fn remove_staff(
    ex: impl AnyExecutor<'_>,
    office_id: OfficeId,
    user_id: UserId,
) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM office_staff WHERE office_id = $1 AND user_id = $2")
        .bind(office_id)
        .bind(user_id)
        .execute(ex)
        .await?;
    Ok(done.rows_affected() > 0)
}

#[cfg(test)]
mod tests {
    use sqlx::{Arguments, Execute};

    use super::*;

    #[test]
    fn every_field_column_gets_one_value() {
        let place = Place {
            zip: Some("53202".into()),
            city: "Milwaukee".into(),
            state: "WI".into(),
            point: LatLon {
                lat: 43.04,
                lon: -87.9,
            },
        };
        let f = OfficeFields {
            name: "Milwaukee Field Office",
            place: &place,
            timezone: "America/Chicago",
            contact_email: None,
            needed_per_day: Some(12),
        };
        let mut q = bind_fields(sqlx::query(""), &f);
        let args = q.take_arguments().unwrap().expect("values bound");
        assert_eq!(args.len(), FIELDS.len());
        assert!(INSERT.contains("$11"), "{}", *INSERT);
    }
}
