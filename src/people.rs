//! People's own data: the export ("Download my data"), erasing an account
//! (from the account page or `trip-planner erase`), and the purge after the
//! election. The SQL lives in `store::people`.

use serde_json::{json, Value};

use crate::bookings;
use crate::domain::account::first_name;
use crate::domain::ids::UserId;
use crate::error::{AppError, AppResult};
use crate::places::{Gazetteer, LatLon};
use crate::state::AppState;
use crate::store::rows::date_text;
use crate::store::{arrivals, meta, people, users};
use chrono::NaiveDate;

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

/// What erasing an account would touch.
pub use crate::store::people::Footprint;

/// The account with this address and what erasing it would touch, or None.
pub async fn footprint_of(
    state: &AppState,
    email: &str,
) -> anyhow::Result<Option<(UserId, Footprint)>> {
    let Some(user) = users::by_email(&state.db.pool, email).await? else {
        return Ok(None);
    };
    let mut conn = state.db.pool.acquire().await?;
    let f = people::footprint(&mut conn, user.id).await?;
    Ok(Some((user.id, f)))
}

/// Erases a person: their live bookings end with the usual emails to the
/// other side, then every personal field goes (see `store::people::erase_account`),
/// their trips and offers keep only their town, and the emails to or about
/// them go from the outbox — all in one transaction. Their `.eml` files in
/// `MAIL_DIR` go after the commit.
pub async fn erase(state: &AppState, person: UserId) -> AppResult<()> {
    let Some(user) = users::by_id(&state.db.pool, person).await? else {
        return Err(AppError::NotFound);
    };
    let now = state.clock.now_text();
    let today = date_text(state.clock.today());
    let mut tx = state.db.pool.begin().await?;
    bookings::end_all_of(state, &mut tx, person).await?;
    let gazetteer = Gazetteer::embedded();
    for (kind, id, city, st) in people::places_of(&mut tx, person).await? {
        let point = match gazetteer.parse(&format!("{city}, {st}")) {
            Ok(town) => town.point,
            // A town the gazetteer does not know: about 10 km of blur.
            Err(_) => {
                let (lat, lon) = people::point_of(&mut tx, kind, id).await?;
                LatLon {
                    lat: (lat * 10.0).round() / 10.0,
                    lon: (lon * 10.0).round() / 10.0,
                }
            }
        };
        people::set_town_point(&mut tx, kind, id, point.lat, point.lon).await?;
    }
    let mail =
        people::outbox_ids_about(&mut tx, &user.email, &user.name, user.phone.as_deref()).await?;
    people::delete_outbox(&mut tx, &mail).await?;
    people::erase_account(&mut tx, person, &user.email, &today, &now).await?;
    tx.commit().await?;
    remove_mail_files(&state.settings.mail_dir, &mail);
    Ok(())
}

/// Deletes the `.eml` files the file mailer wrote for these outbox rows
/// (named `<queued-at>-<outbox id>.eml`, see `email::mailer`).
pub fn remove_mail_files(dir: &std::path::Path, ids: &[i64]) {
    if ids.is_empty() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let suffixes: Vec<String> = ids.iter().map(|id| format!("-{id:06}.eml")).collect();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if suffixes.iter().any(|s| name.ends_with(s)) {
            if let Err(err) = std::fs::remove_file(e.path()) {
                tracing::warn!(file = %name, error = %err, "could not remove an erased person's email file");
            }
        }
    }
}

/// What a purge removed (or, in a dry run, would remove): rows per table,
/// `office_day_counts` being the figures written.
pub type Purged = Vec<(&'static str, u64)>;

/// Removes everything that ended before `before` (see `store::people::purge`)
/// in one transaction; a dry run rolls it back and only reports.
pub async fn purge(state: &AppState, before: NaiveDate, dry_run: bool) -> anyhow::Result<Purged> {
    let mut tx = state.db.pool.begin().await?;
    let counts = people::purge(&mut tx, &date_text(before)).await?;
    if dry_run {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    Ok(counts)
}

/// The background jobs' daily purge when `PURGE_AFTER_DAYS` is set: what
/// ended that many days ago, once a day whichever instance runs it.
pub async fn purge_due(state: &AppState) -> anyhow::Result<Option<Purged>> {
    let Some(days) = state.settings.purge_after_days else {
        return Ok(None);
    };
    let today = state.clock.today();
    if !meta::claim(&state.db.pool, &format!("purged:{}", date_text(today)), "1").await? {
        return Ok(None);
    }
    let before = today - chrono::Duration::days(days.into());
    Ok(Some(purge(state, before, false).await?))
}
