//! The daily office digest's marker (one per office and day, whichever
//! instance sends it) and the staff it goes to.

use crate::domain::ids::OfficeId;
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sqlx::{AnyConnection, AnyExecutor, Row};

use super::db::insert_once;
use super::offices::StaffMember;
use super::rows::{date, date_text};

/// Claims the digest of `office_id` for `day` in the caller's transaction:
/// true when this call inserted the marker, false when another run (or
/// instance) already did. On false the transaction must be rolled back
/// (PostgreSQL has aborted it).
pub async fn claim(
    conn: &mut AnyConnection,
    office_id: OfficeId,
    day: NaiveDate,
) -> sqlx::Result<bool> {
    insert_once(
        conn,
        sqlx::query("INSERT INTO digests_sent (office_id, day) VALUES ($1, $2)")
            .bind(office_id)
            .bind(date_text(day)),
    )
    .await
}

/// The (office, day) digests already sent for days in `from..=to`.
pub async fn sent_between(
    ex: impl AnyExecutor<'_>,
    from: NaiveDate,
    to: NaiveDate,
) -> sqlx::Result<HashSet<(OfficeId, NaiveDate)>> {
    sqlx::query("SELECT office_id, day FROM digests_sent WHERE day >= $1 AND day <= $2")
        .bind(date_text(from))
        .bind(date_text(to))
        .fetch_all(ex)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("office_id")?, date(r, "day")?)))
        .collect()
}

/// Every office's staff, by office, in one query.
pub async fn staff_by_office(
    ex: impl AnyExecutor<'_>,
) -> sqlx::Result<HashMap<OfficeId, Vec<StaffMember>>> {
    let rows = sqlx::query(
        "SELECT s.office_id, u.id, u.name, u.email FROM office_staff s JOIN users u ON u.id = s.user_id \
         ORDER BY s.office_id, u.name, u.id",
    )
    .fetch_all(ex)
    .await?;
    let mut out: HashMap<OfficeId, Vec<StaffMember>> = HashMap::new();
    for r in &rows {
        out.entry(r.try_get("office_id")?)
            .or_default()
            .push(StaffMember {
                user_id: r.try_get("id")?,
                name: r.try_get("name")?,
                email: r.try_get("email")?,
            });
    }
    Ok(out)
}
