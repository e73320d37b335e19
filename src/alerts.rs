//! Trip alerts ("tell me when something fits"), sent by the background
//! jobs. A trip is watched while it is active, not past, has a needed leg
//! that is not confirmed, and its owner has not switched alerts off. Each
//! run looks up what fits the trip's open legs now (rides and beds it has
//! no live request for) and lets [`crate::domain::alert::step`] decide what
//! is news. The reverse, for an owner who asked ("email me trips that fit
//! my ride/stay", off by default): an active offer not past is told of the
//! trips that newly fit it, by the same steps and limits. News goes out at most once per trip and office day: the
//! `alerts_sent` row is claimed with [`crate::store::db::insert_once`] in
//! the transaction that queues the email (the digest's guard), and the seen
//! set is replaced with a compare-and-swap in the same transaction, so with
//! several instances exactly one sends and none tells an offer twice.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};

use crate::digest::zone_of;
use crate::domain::account::first_name;
use crate::domain::alert::{self, Key, Seen};
use crate::domain::booking::{BookingStatus, Offer};
use crate::domain::distance::Unit;
use crate::domain::ids::{OfficeId, RideId, StayId, TripId};
use crate::domain::leg::{self, Leg};
use crate::domain::offer::Status;
use crate::domain::plan;
use crate::email::{self, Content};
use crate::finder::TripMatches;
use crate::i18n::Lang;
use crate::places::distance_km;
use crate::state::AppState;
use crate::store::alerts::{self, Kind, Watch};
use crate::store::offices::{self, Office};
use crate::store::trips::{self, Trip};
use crate::store::{rides, stays, users};

/// Offers listed in one alert at most; the rest are a count and a link.
pub const LISTED: usize = 10;

/// Watched trips looked up together: the matches of one batch are held at
/// a time.
const BATCH: usize = 256;

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

/// Sends every trip and offer alert that is due now (by the app's clock);
/// returns how many went out.
pub async fn send_due(state: &AppState) -> anyhow::Result<usize> {
    // Nothing new since the last pass (same offers, trips, bookings and
    // watches, same hour): the pass would find what it found then. A pass
    // at 20,000 watched trips costs seconds of CPU, and the jobs run every
    // few seconds; the hour catches office days turning and trips passing,
    // the interval anything the fingerprint cannot see.
    let mark = format!(
        "{} {}",
        state.clock.now().format("%Y-%m-%d %H"),
        alerts::fingerprint(&state.db.pool).await?
    );
    if state.job_marks.unchanged("alerts", &mark, FULL_PASS_EVERY) {
        return Ok(0);
    }
    // One read of the offices (their time zones) for both kinds of alert.
    let offices = offices::all(&state.db.pool).await?;
    let sent = send_due_trips(state, &offices).await? + send_due_offers(state, &offices).await?;
    state.job_marks.set("alerts", mark);
    Ok(sent)
}

/// The longest an unchanged fingerprint saves a pass.
const FULL_PASS_EVERY: std::time::Duration = std::time::Duration::from_secs(600);

async fn send_due_trips(state: &AppState, offices: &[Office]) -> anyhow::Result<usize> {
    let pool = &state.db.pool;
    let now = state.clock.now();
    let today = state.clock.today();
    let list = watched(state, today).await?;
    if list.is_empty() {
        return Ok(0);
    }
    let zones: HashMap<OfficeId, chrono_tz::Tz> =
        offices.iter().map(|o| (o.id, zone_of(o))).collect();
    let yesterday = today.checked_sub_days(Days::new(1)).unwrap_or(today);
    let sent = alerts::sent_since(pool, Kind::Trip, yesterday).await?;
    let mut done = 0;
    // A batch of trips at a time: every match of every watched trip at once
    // (tens of thousands of trips, some with hundreds of matches) held the
    // server at 300 MB between requests (BENCHMARKS.md, "Election week").
    for batch in list.chunks(BATCH) {
        let reqs: Vec<_> = batch
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
        for (w, found) in batch.iter().zip(&found) {
            let id = w.trip.id.get();
            let fits: Vec<Offer> = found.offers().collect();
            let day = zones
                .get(&w.trip.office_id)
                .map_or(today, |z| now.with_timezone(z).date_naive());
            // An offer the trip asked for is known to the traveller: seen, so
            // neither the request nor its end (declined, expired: that email
            // lists what else fits) makes it news.
            let Some(news) = next_step(
                state,
                Kind::Trip,
                id,
                w.watch.as_ref(),
                &w.asked,
                &fits,
                sent.contains(&(id, day)),
            )
            .await?
            else {
                continue;
            };
            let reader = reader_of(state, w.trip.owner_id).await?;
            let mail = compose(state, w, &news.watch, found, &news.tell, reader)?;
            done += usize::from(queue(state, Kind::Trip, id, day, &news, mail).await?);
        }
    }
    Ok(done)
}

/// The unit a person reads distances in, and their language.
async fn reader_of(
    state: &AppState,
    person: crate::domain::ids::UserId,
) -> sqlx::Result<(Unit, Lang)> {
    Ok(users::by_id(&state.db.pool, person)
        .await?
        .map(|u| (u.distance_unit, u.language.unwrap_or_default()))
        .unwrap_or_default())
}

/// News for a watch, to be queued with [`queue`].
struct News<K> {
    watch: Watch,
    tell: Vec<K>,
    /// The seen set before and after, as stored.
    old: String,
    seen: String,
}

/// One watch's step (see [`alert::step`]): the first look takes stock, a
/// changed seen set is stored; `Some` when there is news to send. `known`
/// counts as seen (what the person already knows of).
async fn next_step<K: Key>(
    state: &AppState,
    kind: Kind,
    id: i64,
    watch: Option<&Watch>,
    known: &[K],
    fits: &[K],
    sent_today: bool,
) -> anyhow::Result<Option<News<K>>> {
    let pool = &state.db.pool;
    let (started, old) = watch.map_or((false, ""), |w| (w.started, w.seen.as_str()));
    let mut seen_before: Seen<K> = alert::decode(old);
    seen_before.extend(known.iter().copied());
    let step = alert::step(&seen_before, fits, started, sent_today);
    let seen = alert::encode(&step.seen);
    if !started {
        alerts::take_stock(pool, kind, id, &seen).await?;
        return Ok(None);
    }
    if step.tell.is_empty() {
        if seen != old {
            let mut conn = pool.acquire().await?;
            alerts::replace_seen(&mut conn, kind, id, old, &seen).await?;
        }
        return Ok(None);
    }
    Ok(watch.map(|w| News {
        watch: w.clone(),
        tell: step.tell,
        old: old.to_string(),
        seen,
    }))
}

/// Queues `mail` for `news` if this run is the first to claim the watch's
/// `day` and its seen set is unchanged: false when another run or instance
/// got there first.
async fn queue<K>(
    state: &AppState,
    kind: Kind,
    id: i64,
    day: NaiveDate,
    news: &News<K>,
    mail: email::Email,
) -> anyhow::Result<bool> {
    let mut tx = state.db.pool.begin().await?;
    if !alerts::claim_day(&mut tx, kind, id, day).await?
        || !alerts::replace_seen(&mut tx, kind, id, &news.old, &news.seen).await?
    {
        tx.rollback().await?;
        return Ok(false);
    }
    email::enqueue(
        &mut tx,
        &mail,
        &state.clock.now_text(),
        &email::domain_of(&state.settings.public_url()),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// A watched offer and the trips that fit it now, best first, each with
/// its line for the email.
struct OfferFits {
    owner_email: String,
    owner_name: String,
    /// The owner's language: the lines and `about` are in it.
    lang: Lang,
    /// "your ride to Milwaukee Field Office on Sat Oct 31".
    about: String,
    path: String,
    zone: chrono_tz::Tz,
    fits: Vec<(TripId, String)>,
}

/// The owner's view of a watched offer: `None` when it is not active or
/// is past (nothing to tell).
async fn offer_fits(
    state: &AppState,
    offices: &[Office],
    kind: Kind,
    id: i64,
    today: NaiveDate,
) -> anyhow::Result<Option<OfferFits>> {
    let pool = &state.db.pool;
    let line = |lang: Lang, t: &Trip, when: String, reason: String| {
        lang.t_args(
            "email-alert-offer-line",
            &[
                ("name", &first_name(&t.owner_name)),
                ("town", &t.from.town()),
                ("when", &when),
                ("n", &t.party_size),
                ("reason", &reason),
            ],
        )
    };
    let on = |lang: Lang, key: &str, d: NaiveDate| lang.t_args(key, &[("date", &lang.date_day(d))]);
    let arrives = |lang: Lang, t: &Trip| on(lang, "email-alert-arrives", t.arrive);
    Ok(match kind {
        Kind::Trip => None,
        Kind::Ride => {
            let Some(ride) = rides::by_id(pool, RideId(id)).await? else {
                return Ok(None);
            };
            let Some(office) = offices.iter().find(|o| o.id == ride.office_id) else {
                return Ok(None);
            };
            if ride.status != Status::Active || ride.depart_date < today {
                return Ok(None);
            }
            let (u, lang) = reader_of(state, ride.owner_id).await?;
            let fits = if ride.direction.is_home() {
                state
                    .finder
                    .for_ride_home(&ride, today)
                    .await?
                    .iter()
                    .map(|(m, t)| {
                        let when = on(lang, "email-alert-leaves", t.leave);
                        (t.id, line(lang, t, when, m.reason(u, lang)))
                    })
                    .collect()
            } else {
                state
                    .finder
                    .for_ride(&ride, today)
                    .await?
                    .iter()
                    .map(|(m, t)| (t.id, line(lang, t, arrives(lang, t), m.reason(u, lang))))
                    .collect()
            };
            Some(OfferFits {
                about: lang.t_args(
                    if ride.direction.is_home() {
                        "email-alert-your-ride-home"
                    } else {
                        "email-alert-your-ride"
                    },
                    &[
                        ("office", &office.name),
                        ("date", &lang.date_day(ride.depart_date)),
                    ],
                ),
                lang,
                path: format!("/rides/{id}"),
                zone: zone_of(office),
                owner_email: ride.owner_email,
                owner_name: ride.owner_name,
                fits,
            })
        }
        Kind::Stay => {
            let mut conn = pool.acquire().await?;
            let Some(stay) = stays::by_id(&mut conn, StayId(id)).await? else {
                return Ok(None);
            };
            drop(conn);
            if stay.status != Status::Active || stay.last_night < today {
                return Ok(None);
            }
            // A stay belongs to no office: its day is the nearest office's.
            let zone = offices
                .iter()
                .min_by(|a, b| {
                    distance_km(a.place.point, stay.place.point)
                        .total_cmp(&distance_km(b.place.point, stay.place.point))
                })
                .map_or(chrono_tz::UTC, zone_of);
            let (u, lang) = reader_of(state, stay.owner_id).await?;
            let fits = state
                .finder
                .for_stay(&stay, today)
                .await?
                .iter()
                .map(|(m, t)| (t.id, line(lang, t, arrives(lang, t), m.reason(u, lang))))
                .collect();
            Some(OfferFits {
                about: lang.t_args("email-alert-your-beds", &[("town", &stay.place.town())]),
                lang,
                path: format!("/stays/{id}"),
                zone,
                owner_email: stay.owner_email,
                owner_name: stay.owner_name,
                fits,
            })
        }
    })
}

/// Offer alerts that are due now: each watched ride and stay whose owner
/// asked, told of the trips that newly fit it.
async fn send_due_offers(state: &AppState, offices: &[Office]) -> anyhow::Result<usize> {
    let pool = &state.db.pool;
    let (now, today) = (state.clock.now(), state.clock.today());
    let yesterday = today.checked_sub_days(Days::new(1)).unwrap_or(today);
    let mut done = 0;
    for kind in [Kind::Ride, Kind::Stay] {
        let watches = alerts::all(pool, kind).await?;
        if !watches.values().any(|w| w.enabled) {
            continue;
        }
        let sent = alerts::sent_since(pool, kind, yesterday).await?;
        for w in watches.values().filter(|w| w.enabled) {
            let Some(o) = offer_fits(state, offices, kind, w.target_id, today).await? else {
                continue;
            };
            let day = now.with_timezone(&o.zone).date_naive();
            let fits: Vec<TripId> = o.fits.iter().map(|(t, _)| *t).collect();
            let Some(news) = next_step(
                state,
                kind,
                w.target_id,
                Some(w),
                &[],
                &fits,
                sent.contains(&(w.target_id, day)),
            )
            .await?
            else {
                continue;
            };
            let mail = compose_for_offer(state, &o, &news)?;
            done += usize::from(queue(state, kind, w.target_id, day, &news, mail).await?);
        }
    }
    Ok(done)
}

/// The alert for an offer: the trips newly fitting it.
fn compose_for_offer(
    state: &AppState,
    o: &OfferFits,
    news: &News<TripId>,
) -> anyhow::Result<email::Email> {
    let told: Seen<TripId> = news.tell.iter().copied().collect();
    let lines: Vec<&String> = o
        .fits
        .iter()
        .filter(|(t, _)| told.contains(t))
        .map(|(_, l)| l)
        .collect();
    let lang = o.lang;
    let mut paragraphs = vec![lang.t_args(
        "email-alert-offer-news",
        &[("n", &lines.len()), ("about", &o.about)],
    )];
    paragraphs.extend(lines.iter().take(LISTED).map(|l| format!("• {l}")));
    if lines.len() > LISTED {
        paragraphs.push(lang.t_args(
            "email-alert-more-its-page",
            &[("n", &(lines.len() - LISTED))],
        ));
    }
    paragraphs.push(lang.t("email-alert-offer-how"));
    let unsubscribe = state.link(&unsubscribe_path(&news.watch.token));
    let mut mail = email::compose(
        &o.owner_email,
        &lang.t_args("email-alert-subject-offer", &[("about", &o.about)]),
        &Content {
            greeting: email::hello(lang, &o.owner_name),
            paragraphs,
            action: Some((lang.t("email-see-offer"), state.link(&o.path))),
            footer: vec![
                lang.t("email-alert-offer-once-a-day"),
                lang.t_args("email-alert-stop-offer", &[("url", &unsubscribe)]),
            ],
            lang,
        },
    )?;
    mail.unsubscribe = Some(unsubscribe);
    Ok(mail)
}

/// The alert for `tell`, the offers newly fitting `w`'s trip.
fn compose(
    state: &AppState,
    w: &Watched,
    watch: &Watch,
    found: &TripMatches,
    tell: &[Offer],
    (unit, lang): (Unit, Lang),
) -> anyhow::Result<email::Email> {
    let trip = &w.trip;
    let news: Seen = tell.iter().copied().collect();
    let lines: Vec<(Leg, Offer, String)> = found
        .lines(unit, lang)
        .filter(|(_, o, _)| news.contains(o))
        .collect();
    let mut paragraphs = vec![lang.t_args(
        "email-alert-trip-news",
        &[
            ("n", &tell.len()),
            ("office", &trip.office_name),
            ("dates", &plan::span_in(trip.arrive, trip.leave, lang)),
        ],
    )];
    for leg in Leg::ALL {
        let on_leg: Vec<&String> = lines
            .iter()
            .filter(|(l, _, _)| *l == leg)
            .map(|(_, _, line)| line)
            .collect();
        if !on_leg.is_empty() {
            paragraphs.push(format!("{}:", plan::title_in(lang, leg)));
            paragraphs.extend(on_leg.iter().take(LISTED).map(|l| format!("• {l}")));
            if on_leg.len() > LISTED {
                paragraphs.push(lang.t_args(
                    "email-alert-more-trip-page",
                    &[("n", &(on_leg.len() - LISTED))],
                ));
            }
        }
    }
    paragraphs.push(plan::missing_sentence(
        lang,
        &w.open_legs,
        trip.arrive,
        trip.leave,
    ));
    let unsubscribe = state.link(&unsubscribe_path(&watch.token));
    let mut mail = email::compose(
        &trip.owner_email,
        &lang.t_args("email-alert-subject-trip", &[("office", &trip.office_name)]),
        &Content {
            greeting: email::hello(lang, &trip.owner_name),
            paragraphs,
            action: Some((
                lang.t("email-see-trip"),
                state.link(&format!("/trips/{}", trip.id)),
            )),
            footer: vec![
                lang.t("email-alert-trip-once-a-day"),
                lang.t_args("email-alert-stop-trip", &[("url", &unsubscribe)]),
            ],
            lang,
        },
    )?;
    mail.unsubscribe = Some(unsubscribe);
    Ok(mail)
}
