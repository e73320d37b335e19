//! Reading the portable column encodings back into Rust values, and the placeholder
//! lists that statements bind them through.

use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::{AnyExecutor, Row};

use crate::places::{LatLon, Place};

fn decode_err(col: &str, what: &str) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: col.to_string(),
        source: format!("not a valid {what}").into(),
    }
}

/// A `YYYY-MM-DD` text column.
pub fn date(r: &AnyRow, col: &str) -> sqlx::Result<NaiveDate> {
    let s: String = r.try_get(col)?;
    NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|_| decode_err(col, "date"))
}

pub fn opt_date(r: &AnyRow, col: &str) -> sqlx::Result<Option<NaiveDate>> {
    let s: Option<String> = r.try_get(col)?;
    s.map(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|_| decode_err(col, "date")))
        .transpose()
}

/// A BIGINT 0/1 column.
pub fn flag(r: &AnyRow, col: &str) -> sqlx::Result<bool> {
    Ok(r.try_get::<i64, _>(col)? != 0)
}

/// An i64 column that holds a small count.
pub fn count(r: &AnyRow, col: &str) -> sqlx::Result<i32> {
    let v: i64 = r.try_get(col)?;
    i32::try_from(v).map_err(|_| decode_err(col, "count"))
}

/// A place stored as `{prefix}zip, {prefix}city, {prefix}state, {prefix}lat, {prefix}lon`.
pub fn place(r: &AnyRow, prefix: &str) -> sqlx::Result<Place> {
    Ok(Place {
        zip: r.try_get(format!("{prefix}zip").as_str())?,
        city: r.try_get(format!("{prefix}city").as_str())?,
        state: r.try_get(format!("{prefix}state").as_str())?,
        point: LatLon {
            lat: r.try_get(format!("{prefix}lat").as_str())?,
            lon: r.try_get(format!("{prefix}lon").as_str())?,
        },
    })
}

/// The text form of a date in the database.
pub fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A `$a, $b, …` list of placeholders starting at `$first`.
pub fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `a = $first, b = $first+1, …`: an UPDATE's SET list for `columns`, bound in order.
pub fn assignments(first: usize, columns: &[&str]) -> String {
    columns
        .iter()
        .zip(first..)
        .map(|(column, i)| format!("{column} = ${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Rows of `head IN (ids…) tail`, e.g. `head` = `"SELECT … WHERE r.id"`,
/// `tail` = `"ORDER BY r.id"` or empty; no ids, no query.
pub async fn fetch_by_ids<T>(
    ex: impl AnyExecutor<'_>,
    head: &str,
    ids: &[T],
    tail: &str,
) -> sqlx::Result<Vec<AnyRow>>
where
    T: for<'q> sqlx::Encode<'q, sqlx::Any> + sqlx::Type<sqlx::Any> + Copy + Send + 'static,
{
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!("{head} IN ({}) {tail}", placeholders(1, ids.len()));
    let mut q = sqlx::query(&sql);
    for id in ids {
        q = q.bind(*id);
    }
    q.fetch_all(ex).await
}

/// The insert of an owned record (rides, stays, trips) from its one column
/// list: binds the fields in `fields` order, then the owner, then the time.
pub fn insert_owned_sql(table: &str, fields: &[&str]) -> String {
    let n = fields.len();
    format!(
        "INSERT INTO {table} ({}, owner_id, created_at, updated_at, status) \
         VALUES ({}, ${}, ${}, ${}, 'active') RETURNING id",
        fields.join(", "),
        placeholders(1, n),
        n + 1,
        n + 2,
        n + 2,
    )
}

/// The update of a record from the same column list: binds the fields, then
/// the time and the id, then (with a `guard` such as `"seats_taken <="`) one
/// more value the guard compares with.
pub fn update_sql(table: &str, fields: &[&str], guard: Option<&str>) -> String {
    let n = fields.len();
    let guard = guard
        .map(|g| format!(" AND {g} ${}", n + 3))
        .unwrap_or_default();
    format!(
        "UPDATE {table} SET {}, updated_at = ${} WHERE id = ${}{guard}",
        assignments(1, fields),
        n + 1,
        n + 2,
    )
}

/// Pauses, resumes or cancels a ride, stay or trip in `table`; a cancelled
/// one stays cancelled. Whether the row changed.
pub async fn set_status<T>(
    ex: impl AnyExecutor<'_>,
    table: &str,
    id: T,
    status: crate::domain::offer::Status,
    now: &str,
) -> sqlx::Result<bool>
where
    T: for<'q> sqlx::Encode<'q, sqlx::Any> + sqlx::Type<sqlx::Any> + Send + 'static,
{
    let sql = format!(
        "UPDATE {table} SET status = $1, updated_at = $2 WHERE id = $3 AND status <> 'cancelled'"
    );
    let done = sqlx::query(&sql)
        .bind(status.as_str())
        .bind(now)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(done.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignments_number_columns_in_order() {
        assert_eq!(assignments(3, &["a", "b"]), "a = $3, b = $4");
        assert_eq!(assignments(1, &[]), "");
    }
}
