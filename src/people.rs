//! People's own data: the export ("Download my data"), erasing an account
//! (from the account page or `trip-planner erase`), and the purge after the
//! election. The SQL lives in `store::people`.

use serde_json::{json, Value};

use crate::domain::account::first_name;
use crate::domain::ids::UserId;
use crate::state::AppState;
use crate::store::{arrivals, people};

/// One JSON document with everything stored about `person`. The other side
/// of a booking is named by first name only, as on the booking page before
/// acceptance; alerts are listed (there are none yet) so the shape is stable.
pub async fn export(state: &AppState, person: UserId) -> anyhow::Result<Value> {
    let mut conn = state.db.pool.acquire().await?;
    let held = people::held(&mut conn, person).await?;
    let reads = arrivals::contact_reads_about(&mut *conn, person).await?;
    let bookings: Vec<Value> = held
        .bookings
        .into_iter()
        .map(|(mut b, travels, other)| {
            if let Value::Object(m) = &mut b {
                m.insert(
                    "role".into(),
                    Value::from(if travels { "traveller" } else { "host" }),
                );
                m.insert("other_first_name".into(), Value::from(first_name(&other)));
            }
            b
        })
        .collect();
    Ok(json!({
        "exported_at": state.clock.now_text(),
        "account": held.account,
        "offers": { "rides": held.rides, "stays": held.stays },
        "trips": held.trips,
        "bookings": bookings,
        "alerts": [],
        "emails": held.emails,
        "contact_reads": reads,
    }))
}
