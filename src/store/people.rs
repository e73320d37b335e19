//! SQL for people's own data: everything about one person for the export,
//! erasing an account, and purging what ended before a date.

use serde_json::{Map, Value};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::domain::ids::UserId;

/// How a column is read into JSON.
#[derive(Clone, Copy)]
enum K {
    Text,
    Int,
    Real,
}

fn to_json(r: &AnyRow, cols: &[(&str, K)]) -> sqlx::Result<Value> {
    let mut m = Map::new();
    for (c, k) in cols {
        let v = match k {
            K::Text => r.try_get::<Option<String>, _>(*c)?.map(Value::from),
            K::Int => r.try_get::<Option<i64>, _>(*c)?.map(Value::from),
            K::Real => r.try_get::<Option<f64>, _>(*c)?.map(Value::from),
        };
        m.insert((*c).to_string(), v.unwrap_or(Value::Null));
    }
    Ok(Value::Object(m))
}

async fn select(
    ex: &mut AnyConnection,
    sql: &str,
    person: UserId,
    cols: &[(&str, K)],
) -> sqlx::Result<Vec<Value>> {
    let rows = sqlx::query(sql).bind(person).fetch_all(ex).await?;
    rows.iter().map(|r| to_json(r, cols)).collect()
}

fn list(cols: &[(&str, K)]) -> String {
    cols.iter().map(|(c, _)| *c).collect::<Vec<_>>().join(", ")
}

const ACCOUNT: &[(&str, K)] = &[
    ("id", K::Int),
    ("name", K::Text),
    ("email", K::Text),
    ("phone", K::Text),
    ("home_zip", K::Text),
    ("home_city", K::Text),
    ("home_state", K::Text),
    ("email_verified", K::Int),
    ("distance_unit", K::Text),
    ("created_at", K::Text),
];

const RIDE: &[(&str, K)] = &[
    ("id", K::Int),
    ("office_id", K::Int),
    ("from_zip", K::Text),
    ("from_city", K::Text),
    ("from_state", K::Text),
    ("depart_date", K::Text),
    ("depart_time", K::Text),
    ("direction", K::Text),
    ("seats", K::Int),
    ("seats_taken", K::Int),
    ("max_detour_km", K::Real),
    ("notes", K::Text),
    ("status", K::Text),
    ("created_at", K::Text),
];

const STAY: &[(&str, K)] = &[
    ("id", K::Int),
    ("zip", K::Text),
    ("city", K::Text),
    ("state", K::Text),
    ("street", K::Text),
    ("beds", K::Int),
    ("first_night", K::Text),
    ("last_night", K::Text),
    ("notes", K::Text),
    ("status", K::Text),
    ("created_at", K::Text),
];

const TRIP: &[(&str, K)] = &[
    ("id", K::Int),
    ("office_id", K::Int),
    ("from_zip", K::Text),
    ("from_city", K::Text),
    ("from_state", K::Text),
    ("arrive", K::Text),
    ("leave", K::Text),
    ("party_size", K::Int),
    ("needs_ride", K::Int),
    ("needs_bed", K::Int),
    ("notes", K::Text),
    ("status", K::Text),
    ("created_at", K::Text),
];

const BOOKING: &[(&str, K)] = &[
    ("id", K::Int),
    ("trip_id", K::Int),
    ("ride_id", K::Int),
    ("stay_id", K::Int),
    ("party_size", K::Int),
    ("first_night", K::Text),
    ("last_night", K::Text),
    ("message", K::Text),
    ("status", K::Text),
    ("cancel_reason", K::Text),
    ("created_at", K::Text),
];

const EMAIL: &[(&str, K)] = &[
    ("to_email", K::Text),
    ("subject", K::Text),
    ("body_text", K::Text),
    ("created_at", K::Text),
    ("sent_at", K::Text),
];

/// Everything stored about one person, except who read their details
/// (`arrivals::contact_reads_about`). Bookings carry the other side's full
/// name in `other_name`: the caller keeps the first name only.
pub struct Held {
    pub account: Option<Value>,
    pub rides: Vec<Value>,
    pub stays: Vec<Value>,
    pub trips: Vec<Value>,
    /// (booking, this person is the traveller, the other side's name).
    pub bookings: Vec<(Value, bool, String)>,
    pub emails: Vec<Value>,
}

pub async fn held(conn: &mut AnyConnection, person: UserId) -> sqlx::Result<Held> {
    let account = select(
        conn,
        &format!("SELECT {} FROM users WHERE id = $1", list(ACCOUNT)),
        person,
        ACCOUNT,
    )
    .await?
    .into_iter()
    .next();
    let rides = select(
        conn,
        &format!(
            "SELECT {} FROM rides WHERE owner_id = $1 ORDER BY id",
            list(RIDE)
        ),
        person,
        RIDE,
    )
    .await?;
    let stays = select(
        conn,
        &format!(
            "SELECT {} FROM stays WHERE owner_id = $1 ORDER BY id",
            list(STAY)
        ),
        person,
        STAY,
    )
    .await?;
    let trips = select(
        conn,
        &format!(
            "SELECT {} FROM trips WHERE owner_id = $1 ORDER BY id",
            list(TRIP)
        ),
        person,
        TRIP,
    )
    .await?;
    let cols = BOOKING
        .iter()
        .map(|(c, _)| format!("b.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let rows = sqlx::query(&format!(
        "SELECT {cols}, b.traveller_id, t.name AS traveller_name, o.name AS owner_name \
         FROM bookings b JOIN users t ON t.id = b.traveller_id JOIN users o ON o.id = b.owner_id \
         WHERE b.traveller_id = $1 OR b.owner_id = $1 ORDER BY b.id"
    ))
    .bind(person)
    .fetch_all(&mut *conn)
    .await?;
    let mut bookings = Vec::with_capacity(rows.len());
    for r in &rows {
        let travels = r.try_get::<i64, _>("traveller_id")? == person.get();
        let other: String = r.try_get(if travels {
            "owner_name"
        } else {
            "traveller_name"
        })?;
        bookings.push((to_json(r, BOOKING)?, travels, other));
    }
    let emails = select(
        conn,
        &format!(
            "SELECT {} FROM outbox WHERE lower(to_email) = (SELECT lower(email) FROM users WHERE id = $1) \
             ORDER BY id",
            list(EMAIL)
        ),
        person,
        EMAIL,
    )
    .await?;
    Ok(Held {
        account,
        rides,
        stays,
        trips,
        bookings,
        emails,
    })
}

/// How much of a person an erasure touches (also what `erase` without
/// `--yes` prints).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Footprint {
    pub live_bookings: i64,
    pub trips: i64,
    pub rides: i64,
    pub stays: i64,
    pub sessions: i64,
    pub emails: i64,
    pub contact_reads: i64,
}

async fn count_of(conn: &mut AnyConnection, sql: &str, person: UserId) -> sqlx::Result<i64> {
    let r = sqlx::query(sql).bind(person).fetch_one(conn).await?;
    r.try_get(0)
}

pub async fn footprint(conn: &mut AnyConnection, person: UserId) -> sqlx::Result<Footprint> {
    Ok(Footprint {
        live_bookings: count_of(
            conn,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM bookings WHERE (traveller_id = $1 OR owner_id = $1) \
             AND status IN ('requested', 'accepted')",
            person,
        )
        .await?,
        trips: count_of(conn, "SELECT CAST(COUNT(*) AS BIGINT) FROM trips WHERE owner_id = $1", person).await?,
        rides: count_of(conn, "SELECT CAST(COUNT(*) AS BIGINT) FROM rides WHERE owner_id = $1", person).await?,
        stays: count_of(conn, "SELECT CAST(COUNT(*) AS BIGINT) FROM stays WHERE owner_id = $1", person).await?,
        sessions: count_of(conn, "SELECT CAST(COUNT(*) AS BIGINT) FROM sessions WHERE user_id = $1", person)
            .await?,
        emails: count_of(
            conn,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM outbox \
             WHERE lower(to_email) = (SELECT lower(email) FROM users WHERE id = $1)",
            person,
        )
        .await?,
        contact_reads: count_of(
            conn,
            "SELECT CAST(COUNT(*) AS BIGINT) FROM contact_reads WHERE traveller_id = $1",
            person,
        )
        .await?,
    })
}

/// Where a person's trips, rides and stays are: (table, id, town, state).
pub async fn places_of(
    conn: &mut AnyConnection,
    person: UserId,
) -> sqlx::Result<Vec<(Located, i64, String, String)>> {
    let mut out = Vec::new();
    for (kind, sql) in [
        (
            Located::Trip,
            "SELECT id, from_city AS city, from_state AS state FROM trips WHERE owner_id = $1",
        ),
        (
            Located::Ride,
            "SELECT id, from_city AS city, from_state AS state FROM rides WHERE owner_id = $1",
        ),
        (
            Located::Stay,
            "SELECT id, city, state FROM stays WHERE owner_id = $1",
        ),
    ] {
        for r in sqlx::query(sql).bind(person).fetch_all(&mut *conn).await? {
            out.push((
                kind,
                r.try_get("id")?,
                r.try_get("city")?,
                r.try_get("state")?,
            ));
        }
    }
    Ok(out)
}

/// The tables that hold a place of a person's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Located {
    Trip,
    Ride,
    Stay,
}

/// The stored point of a trip, ride or stay.
pub async fn point_of(
    conn: &mut AnyConnection,
    kind: Located,
    id: i64,
) -> sqlx::Result<(f64, f64)> {
    let sql = match kind {
        Located::Trip => "SELECT from_lat AS lat, from_lon AS lon FROM trips WHERE id = $1",
        Located::Ride => "SELECT from_lat AS lat, from_lon AS lon FROM rides WHERE id = $1",
        Located::Stay => "SELECT lat, lon FROM stays WHERE id = $1",
    };
    let r = sqlx::query(sql).bind(id).fetch_one(conn).await?;
    Ok((r.try_get("lat")?, r.try_get("lon")?))
}

/// Moves a trip's, ride's or stay's point to its town's, dropping anything finer.
pub async fn set_town_point(
    conn: &mut AnyConnection,
    kind: Located,
    id: i64,
    lat: f64,
    lon: f64,
) -> sqlx::Result<()> {
    let sql = match kind {
        Located::Trip => "UPDATE trips SET from_zip = NULL, from_lat = $2, from_lon = $3, notes = '' WHERE id = $1",
        Located::Ride => "UPDATE rides SET from_zip = NULL, from_lat = $2, from_lon = $3, notes = '' WHERE id = $1",
        Located::Stay => {
            "UPDATE stays SET zip = NULL, street = NULL, lat = $2, lon = $3, notes = '' WHERE id = $1"
        }
    };
    sqlx::query(sql)
        .bind(id)
        .bind(lat)
        .bind(lon)
        .execute(conn)
        .await?;
    Ok(())
}

/// Outbox rows that carry the person: addressed to them, or (sent to the
/// other side of a booking) quoting their address, full name or phone.
pub async fn outbox_ids_about(
    conn: &mut AnyConnection,
    email: &str,
    name: &str,
    phone: Option<&str>,
) -> sqlx::Result<Vec<i64>> {
    let like = |s: &str| {
        format!(
            "%{}%",
            s.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        )
    };
    // The address's pattern again stands in for a missing phone, and for a
    // one-word name (too short to look for in other people's emails).
    let phone = phone
        .filter(|p| !p.trim().is_empty())
        .map(like)
        .unwrap_or_else(|| like(email));
    let name = if name.trim().contains(' ') {
        like(name.trim())
    } else {
        like(email)
    };
    let rows = sqlx::query(
        "SELECT id FROM outbox WHERE lower(to_email) = lower($1) \
         OR body_text LIKE $2 ESCAPE '\\' OR body_html LIKE $2 ESCAPE '\\' \
         OR body_text LIKE $3 ESCAPE '\\' OR body_html LIKE $3 ESCAPE '\\' \
         OR body_text LIKE $4 ESCAPE '\\' OR body_html LIKE $4 ESCAPE '\\'",
    )
    .bind(email)
    .bind(like(email))
    .bind(name)
    .bind(phone)
    .fetch_all(conn)
    .await?;
    rows.iter().map(|r| r.try_get::<i64, _>("id")).collect()
}

pub async fn delete_outbox(conn: &mut AnyConnection, ids: &[i64]) -> sqlx::Result<()> {
    for id in ids {
        sqlx::query("DELETE FROM outbox WHERE id = $1")
            .bind(*id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Removes every personal field of the account and what hangs off it, in
/// the caller's transaction. The row stays (foreign keys point to it) with
/// an address that is not one, so the real address can sign up again.
pub async fn erase_account(
    conn: &mut AnyConnection,
    person: UserId,
    email: &str,
    today: &str,
    now: &str,
) -> sqlx::Result<()> {
    let by_person = [
        "DELETE FROM sessions WHERE user_id = $1",
        "DELETE FROM tokens WHERE user_id = $1",
        "DELETE FROM calendar_feeds WHERE user_id = $1",
        "DELETE FROM office_staff WHERE user_id = $1",
        "UPDATE bookings SET message = '' WHERE traveller_id = $1",
        "UPDATE booking_events SET note = '' WHERE actor_id = $1",
    ];
    for sql in by_person {
        sqlx::query(sql).bind(person).execute(&mut *conn).await?;
    }
    for sql in [
        "DELETE FROM login_failures WHERE lower(email) = lower($1)",
        "DELETE FROM login_attempts WHERE lower(email) = lower($1)",
    ] {
        sqlx::query(sql).bind(email).execute(&mut *conn).await?;
    }
    // Offers stop being offered; trips still to come will not happen. Past
    // trips keep their status so the offices' counts still add up.
    for sql in [
        "UPDATE rides SET status = 'cancelled', updated_at = $2 WHERE owner_id = $1 AND status <> 'cancelled'",
        "UPDATE stays SET status = 'cancelled', updated_at = $2 WHERE owner_id = $1 AND status <> 'cancelled'",
    ] {
        sqlx::query(sql).bind(person).bind(now).execute(&mut *conn).await?;
    }
    sqlx::query(
        "UPDATE trips SET status = 'cancelled', updated_at = $2 \
         WHERE owner_id = $1 AND status <> 'cancelled' AND leave >= $3",
    )
    .bind(person)
    .bind(now)
    .bind(today)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE users SET email = $2, name = 'Deleted volunteer', password_hash = NULL, phone = NULL, \
         home_zip = NULL, home_city = NULL, home_state = NULL, home_lat = NULL, home_lon = NULL, \
         email_verified = 0, is_admin = 0 WHERE id = $1",
    )
    .bind(person)
    .bind(format!("erased-{}@invalid", person.get()))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Bookings that go with what the purge removes: either side goes.
const DOOMED_BOOKINGS: &str = "SELECT id FROM bookings WHERE \
     trip_id IN (SELECT id FROM trips WHERE leave < $1) \
     OR ride_id IN (SELECT id FROM rides WHERE depart_date < $1) \
     OR stay_id IN (SELECT id FROM stays WHERE last_night < $1)";

/// Volunteer accounts with nothing left: not admin or staff, nothing
/// planned, offered, booked or done at an office.
const LONELY: &str = "SELECT u.id FROM users u WHERE u.is_admin = 0 \
     AND NOT EXISTS (SELECT 1 FROM office_staff s WHERE s.user_id = u.id) \
     AND NOT EXISTS (SELECT 1 FROM trips t WHERE t.owner_id = u.id) \
     AND NOT EXISTS (SELECT 1 FROM rides r WHERE r.owner_id = u.id) \
     AND NOT EXISTS (SELECT 1 FROM stays y WHERE y.owner_id = u.id) \
     AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.traveller_id = u.id OR b.owner_id = u.id) \
     AND NOT EXISTS (SELECT 1 FROM checkins c WHERE c.by_user = u.id) \
     AND NOT EXISTS (SELECT 1 FROM contact_reads k WHERE k.staff_id = u.id)";

/// Removes, in the caller's transaction, every trip that left, ride that
/// departed and stay whose last night was before `before` (YYYY-MM-DD),
/// with their bookings, history, links and check-ins; contact reads before
/// that day; then every volunteer account left with nothing, with its
/// sessions, links, feeds, throttle rows and emails. First the offices'
/// arrivals per day are added to `office_day_counts`. Returns (table, rows).
pub async fn purge(
    conn: &mut AnyConnection,
    before: &str,
) -> sqlx::Result<Vec<(&'static str, u64)>> {
    let lonely_emails = format!("SELECT lower(email) FROM users WHERE id IN ({LONELY})");
    let steps: Vec<(&'static str, String)> = vec![
        (
            "office_day_counts",
            "INSERT INTO office_day_counts (office_id, day, trips, people) \
             SELECT office_id, arrive, CAST(COUNT(*) AS BIGINT), CAST(SUM(party_size) AS BIGINT) \
             FROM trips WHERE leave < $1 AND status <> 'cancelled' GROUP BY office_id, arrive \
             ON CONFLICT (office_id, day) DO UPDATE SET trips = office_day_counts.trips + excluded.trips, \
             people = office_day_counts.people + excluded.people"
                .into(),
        ),
        (
            "booking_events",
            format!("DELETE FROM booking_events WHERE booking_id IN ({DOOMED_BOOKINGS})"),
        ),
        (
            "tokens",
            format!("DELETE FROM tokens WHERE booking_id IN ({DOOMED_BOOKINGS})"),
        ),
        (
            "bookings",
            format!("DELETE FROM bookings WHERE id IN ({DOOMED_BOOKINGS})"),
        ),
        (
            "checkins",
            "DELETE FROM checkins WHERE trip_id IN (SELECT id FROM trips WHERE leave < $1)".into(),
        ),
        ("trips", "DELETE FROM trips WHERE leave < $1".into()),
        (
            "stay_blocked_nights",
            "DELETE FROM stay_blocked_nights WHERE stay_id IN (SELECT id FROM stays WHERE last_night < $1)"
                .into(),
        ),
        (
            "stay_nights_taken",
            "DELETE FROM stay_nights_taken WHERE stay_id IN (SELECT id FROM stays WHERE last_night < $1)"
                .into(),
        ),
        ("stays", "DELETE FROM stays WHERE last_night < $1".into()),
        ("rides", "DELETE FROM rides WHERE depart_date < $1".into()),
        // Reads are timestamps; any read on an earlier day sorts before the date.
        ("contact_reads", "DELETE FROM contact_reads WHERE last_at < $1".into()),
        (
            "contact_reads",
            format!("DELETE FROM contact_reads WHERE traveller_id IN ({LONELY})"),
        ),
        (
            "sessions",
            format!("DELETE FROM sessions WHERE user_id IN ({LONELY})"),
        ),
        (
            "tokens",
            format!("DELETE FROM tokens WHERE user_id IN ({LONELY})"),
        ),
        (
            "calendar_feeds",
            format!("DELETE FROM calendar_feeds WHERE user_id IN ({LONELY})"),
        ),
        (
            "login_failures",
            format!("DELETE FROM login_failures WHERE lower(email) IN ({lonely_emails})"),
        ),
        (
            "login_attempts",
            format!("DELETE FROM login_attempts WHERE lower(email) IN ({lonely_emails})"),
        ),
        (
            "outbox",
            format!("DELETE FROM outbox WHERE lower(to_email) IN ({lonely_emails})"),
        ),
        (
            "users",
            format!("DELETE FROM users WHERE id IN ({LONELY})"),
        ),
    ];
    let mut counts: Vec<(&'static str, u64)> = Vec::new();
    for (table, sql) in steps {
        let q = sqlx::query(&sql);
        let q = if sql.contains("$1") {
            q.bind(before)
        } else {
            q
        };
        let n = q.execute(&mut *conn).await?.rows_affected();
        match counts.iter_mut().find(|(t, _)| *t == table) {
            Some((_, total)) => *total += n,
            None => counts.push((table, n)),
        }
    }
    Ok(counts)
}
