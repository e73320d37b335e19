//! Trip alerts ("tell me when something fits"), sent by the background
//! jobs. A trip is watched while it is active, not past, has a needed leg
//! that is not confirmed, and its owner has not switched alerts off. Each
//! run looks up what fits the trip's open legs now (rides and beds it has
//! no live request for) and lets [`crate::domain::alert::step`] decide what
//! is news. News goes out at most once per trip and office day: the
//! `alerts_sent` row is claimed with [`crate::store::db::insert_once`] in
//! the transaction that queues the email (the digest's guard), and the seen
//! set is replaced with a compare-and-swap in the same transaction, so with
//! several instances exactly one sends and none tells an offer twice.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};

use crate::digest::zone_of;
use crate::domain::account::first_name;
use crate::domain::alert::{self, Seen};
use crate::domain::booking::{BookingStatus, Offer};
use crate::domain::distance::Unit;
use crate::domain::ids::{OfficeId, TripId};
use crate::domain::leg::{self, Leg};
use crate::domain::plan;
use crate::email::{self, Content};
use crate::finder::TripMatches;
use crate::state::AppState;
use crate::store::alerts::{self, Kind, Watch};
use crate::store::trips::{self, Trip};
use crate::store::{offices, users};

/// Offers listed in one alert at most; the rest are a count and a link.
pub const LISTED: usize = 10;

/// The address of a watch's one-click unsubscribe (GET: a page with one
/// button; POST: off at once, as RFC 8058 mail clients do).
pub fn unsubscribe_path(token: &str) -> String {
    format!("/alerts/{token}")
}

/// A watched trip and the request for its open legs.
struct Watched {
    trip: Trip,
    watch: Option<Watch>,
    /// Offers the trip asked for or holds: never news.
    asked: Vec<Offer>,
    open_legs: Vec<(Leg, leg::LegState)>,
}

/// The trips watched today, each with the live bookings that leave offers out.
async fn watched(state: &AppState, today: NaiveDate) -> anyhow::Result<Vec<Watched>> {
    let pool = &state.db.pool;
    let mut watches = alerts::all(pool, Kind::Trip).await?;
    let mut live: HashMap<TripId, Vec<(Offer, Leg, BookingStatus)>> = HashMap::new();
    for (trip, offer, leg, status) in alerts::live_bookings(pool, today).await? {
        live.entry(trip).or_default().push((offer, leg, status));
    }
    let mut out = vec![];
    for trip in trips::all_open(pool, today).await? {
        let watch = watches.remove(&trip.id.get());
        if watch.as_ref().is_some_and(|w| !w.enabled) {
            continue;
        }
        let held = live.remove(&trip.id).unwrap_or_default();
        let booked: Vec<_> = held.iter().map(|(_, l, s)| (*l, *s)).collect();
        let states = leg::states(trip.needs(), &booked);
        if !states.iter().any(|(_, s)| s.is_gap()) {
            continue;
        }
        out.push(Watched {
            trip,
            watch,
            asked: held.into_iter().map(|(o, _, _)| o).collect(),
            open_legs: states,
        });
    }
    Ok(out)
}

/// Sends every trip alert that is due now (by the app's clock); returns how
/// many went out.
pub async fn send_due(state: &AppState) -> anyhow::Result<usize> {
    let pool = &state.db.pool;
    let now = state.clock.now();
    let today = state.clock.today();
    let list = watched(state, today).await?;
    if list.is_empty() {
        return Ok(0);
    }
    let reqs: Vec<_> = list
        .iter()
        .map(|w| {
            let open: Vec<Leg> = w
                .open_legs
                .iter()
                .filter(|(_, s)| s.is_gap())
                .map(|(l, _)| *l)
                .collect();
            w.trip.request().only(&open)
        })
        .collect();
    let found = state.finder.for_requests(&reqs, today).await?;
    let zones: HashMap<OfficeId, chrono_tz::Tz> = offices::all(pool)
        .await?
        .iter()
        .map(|o| (o.id, zone_of(o)))
        .collect();
    let yesterday = today.checked_sub_days(Days::new(1)).unwrap_or(today);
    let sent = alerts::sent_since(pool, Kind::Trip, yesterday).await?;
    let mut done = 0;
    for (w, found) in list.iter().zip(&found) {
        let id = w.trip.id.get();
        let fits: Vec<Offer> = found.offers().collect();
        let day = zones
            .get(&w.trip.office_id)
            .map_or(today, |z| now.with_timezone(z).date_naive());
        let (started, old) = w
            .watch
            .as_ref()
            .map_or((false, ""), |w| (w.started, w.seen.as_str()));
        // An offer the trip asked for is known to the traveller: seen, so
        // neither the request nor its end (declined, expired: that email
        // lists what else fits) makes it news.
        let mut known = alert::decode(old);
        known.extend(w.asked.iter().copied());
        let step = alert::step(&known, &fits, started, sent.contains(&(id, day)));
        let seen = alert::encode(&step.seen);
        if !started {
            alerts::take_stock(pool, Kind::Trip, id, &seen).await?;
            continue;
        }
        if step.tell.is_empty() {
            if seen != old {
                let mut conn = pool.acquire().await?;
                alerts::replace_seen(&mut conn, Kind::Trip, id, old, &seen).await?;
            }
            continue;
        }
        let Some(watch) = &w.watch else { continue };
        let unit = users::by_id(pool, w.trip.owner_id)
            .await?
            .map(|u| u.distance_unit)
            .unwrap_or_default();
        let mail = compose(state, w, watch, found, &step.tell, unit)?;
        let mut tx = pool.begin().await?;
        if !alerts::claim_day(&mut tx, Kind::Trip, id, day).await?
            || !alerts::replace_seen(&mut tx, Kind::Trip, id, old, &seen).await?
        {
            // Another run or instance got there first.
            tx.rollback().await?;
            continue;
        }
        email::enqueue(
            &mut tx,
            &mail,
            &state.clock.now_text(),
            &email::domain_of(&state.settings.public_url()),
        )
        .await?;
        tx.commit().await?;
        done += 1;
    }
    Ok(done)
}

/// The alert for `tell`, the offers newly fitting `w`'s trip.
fn compose(
    state: &AppState,
    w: &Watched,
    watch: &Watch,
    found: &TripMatches,
    tell: &[Offer],
    unit: Unit,
) -> anyhow::Result<email::Email> {
    let trip = &w.trip;
    let news: Seen = tell.iter().copied().collect();
    let lines: Vec<(Leg, Offer, String)> = found
        .lines(unit)
        .filter(|(_, o, _)| news.contains(o))
        .collect();
    let mut paragraphs = vec![format!(
        "{} for your trip to {} ({}):",
        if tell.len() == 1 {
            "Something new fits".to_string()
        } else {
            format!("{} new options fit", tell.len())
        },
        trip.office_name,
        plan::span(trip.arrive, trip.leave)
    )];
    for leg in Leg::ALL {
        let on_leg: Vec<&String> = lines
            .iter()
            .filter(|(l, _, _)| *l == leg)
            .map(|(_, _, line)| line)
            .collect();
        if !on_leg.is_empty() {
            paragraphs.push(format!("{}:", plan::title(leg)));
            paragraphs.extend(on_leg.iter().take(LISTED).map(|l| format!("• {l}")));
            if on_leg.len() > LISTED {
                paragraphs.push(format!(
                    "…and {} more on your trip page.",
                    on_leg.len() - LISTED
                ));
            }
        }
    }
    paragraphs.push(plan::still_missing(&w.open_legs, trip.arrive, trip.leave));
    let unsubscribe = state.link(&unsubscribe_path(&watch.token));
    let mut mail = email::compose(
        &trip.owner_email,
        &format!("New for your trip to {}", trip.office_name),
        &Content {
            greeting: format!("Hello {},", first_name(&trip.owner_name)),
            paragraphs,
            action: Some((
                "See your trip".into(),
                state.link(&format!("/trips/{}", trip.id)),
            )),
            footer: vec![
                "We write at most once a day, while something you need is not confirmed.".into(),
                format!("No more alerts for this trip: {unsubscribe}"),
            ],
            // Alerts are written in English for now (see issue 16's note).
            lang: Default::default(),
        },
    )?;
    mail.unsubscribe = Some(unsubscribe);
    Ok(mail)
}
