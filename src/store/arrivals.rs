//! What an office needs to see who is coming: every open trip overlapping a
//! date range, with its traveller, its live bookings and its check-in — in
//! three queries, whatever the number of travellers.

use std::collections::HashMap;

use chrono::NaiveDate;
use sqlx::{AnyExecutor, Row};

use super::rows::{count, date, date_text, flag, opt_date, place};
use crate::dashboard::{CheckIn, Plan, Traveller};

/// Open trips to `office_id` with a day in `from..=to`, by arrival then name.
pub async fn travellers(
    ex: impl AnyExecutor<'_> + Copy,
    office_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> sqlx::Result<Vec<Traveller>> {
    let rows = sqlx::query(
        "SELECT t.id, t.owner_id, u.name, u.email, u.phone, t.from_zip, t.from_city, t.from_state, t.from_lat, \
         t.from_lon, t.arrive, t.leave, t.party_size, t.needs_ride, t.needs_bed, t.flex_days, t.max_stay_km, \
         t.need_step_free, t.need_no_pets, t.need_no_smoking \
         FROM trips t JOIN users u ON u.id = t.owner_id \
         WHERE t.office_id = $1 AND t.status = 'active' AND t.arrive <= $2 AND t.leave >= $3 \
         ORDER BY t.arrive, u.name, t.id",
    )
    .bind(office_id)
    .bind(date_text(to))
    .bind(date_text(from))
    .fetch_all(ex)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    let mut index = HashMap::with_capacity(rows.len());
    for r in &rows {
        let from_place = place(r, "from_")?;
        let t = Traveller {
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
            flex_days: count(r, "flex_days")?,
            max_stay_km: r.try_get("max_stay_km")?,
            need_step_free: flag(r, "need_step_free")?,
            need_no_pets: flag(r, "need_no_pets")?,
            need_no_smoking: flag(r, "need_no_smoking")?,
            ride: Plan::None,
            bed: Plan::None,
            checkin: None,
        };
        index.insert(t.trip_id, out.len());
        out.push(t);
    }
    if out.is_empty() {
        return Ok(out);
    }
    // Live bookings of those trips, best first (accepted before requested).
    let bookings = sqlx::query(
        "SELECT b.id, b.trip_id, b.status, b.ride_id, b.stay_id, o.name AS owner_name, o.phone AS owner_phone, \
         o.email AS owner_email, r.depart_date, r.depart_time, r.from_city, r.from_state, s.street, s.city, s.state, s.zip \
         FROM bookings b JOIN trips t ON t.id = b.trip_id JOIN users o ON o.id = b.owner_id \
         LEFT JOIN rides r ON r.id = b.ride_id LEFT JOIN stays s ON s.id = b.stay_id \
         WHERE t.office_id = $1 AND t.status = 'active' AND t.arrive <= $2 AND t.leave >= $3 \
         AND b.status IN ('requested', 'accepted') ORDER BY b.status, b.id",
    )
    .bind(office_id)
    .bind(date_text(to))
    .bind(date_text(from))
    .fetch_all(ex)
    .await?;
    for r in &bookings {
        let Some(&i) = index.get(&r.try_get::<i64, _>("trip_id")?) else {
            continue;
        };
        let accepted = r.try_get::<String, _>("status")? == "accepted";
        let owner: String = r.try_get("owner_name")?;
        let is_ride = r.try_get::<Option<i64>, _>("ride_id")?.is_some();
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
                format!(
                    "leaves {} {} from {town}",
                    d.map(|d| d.format("%a %b %-d").to_string())
                        .unwrap_or_default(),
                    time.unwrap_or_default()
                )
            } else {
                let street: Option<String> = r.try_get("street")?;
                let town = format!(
                    "{}, {}",
                    r.try_get::<Option<String>, _>("city")?.unwrap_or_default(),
                    r.try_get::<Option<String>, _>("state")?.unwrap_or_default()
                );
                match street {
                    Some(s) => format!("{s}, {town}"),
                    None => town,
                }
            };
            Plan::Accepted {
                booking_id: r.try_get("id")?,
                owner: owner.clone(),
                owner_phone: r.try_get("owner_phone")?,
                owner_email: r.try_get("owner_email")?,
                detail,
            }
        } else {
            Plan::Requested {
                booking_id: r.try_get("id")?,
                owner: owner.clone(),
            }
        };
        let t = &mut out[i];
        let slot = if is_ride { &mut t.ride } else { &mut t.bed };
        // Accepted rows come first (ORDER BY status), so a request never hides a booking.
        if matches!(slot, Plan::None) {
            *slot = plan;
        }
    }
    let checkins = sqlx::query(
        "SELECT c.trip_id, c.status FROM checkins c JOIN trips t ON t.id = c.trip_id \
         WHERE t.office_id = $1 AND t.arrive <= $2 AND t.leave >= $3",
    )
    .bind(office_id)
    .bind(date_text(to))
    .bind(date_text(from))
    .fetch_all(ex)
    .await?;
    for r in &checkins {
        if let Some(&i) = index.get(&r.try_get::<i64, _>("trip_id")?) {
            out[i].checkin = CheckIn::from_db(&r.try_get::<String, _>("status")?);
        }
    }
    Ok(out)
}

/// Marks a trip arrived or no-show (replacing an earlier mark).
pub async fn check_in(
    ex: impl AnyExecutor<'_>,
    office_id: i64,
    trip_id: i64,
    status: CheckIn,
    by: i64,
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

/// Logs that a staff member was shown these travellers' contact details.
pub async fn log_contact_reads(
    ex: impl AnyExecutor<'_>,
    staff_id: i64,
    office_id: i64,
    traveller_ids: &[i64],
    now: &str,
) -> sqlx::Result<()> {
    if traveller_ids.is_empty() {
        return Ok(());
    }
    // One multi-row insert: logging must not cost a query per row.
    let values = (0..traveller_ids.len())
        .map(|i| format!("($1, $2, $3, ${})", i + 4))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "INSERT INTO contact_reads (staff_id, office_id, at, traveller_id) VALUES {values}"
    );
    let mut q = sqlx::query(&sql).bind(staff_id).bind(office_id).bind(now);
    for id in traveller_ids {
        q = q.bind(*id);
    }
    q.execute(ex).await?;
    Ok(())
}
