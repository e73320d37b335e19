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
    ("return_date", K::Text),
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
