//! The booking lifecycle: request, accept or decline, withdraw, cancel,
//! expire, remind. Each step is one transaction in which the booking's status
//! moves with a guarded update, capacity is taken or given back with a guarded
//! update, the history is recorded and the emails are queued — all or nothing.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, NaiveDateTime, TimeZone};
use sqlx::AnyConnection;

use crate::app::AppState;
use crate::clock::timestamp_text;
use crate::domain::account::first_name;
use crate::domain::booking::{self, Action, BookingStatus};
use crate::email::{self, Content};
use crate::error::{AppError, AppResult};
use crate::jobs::Ran;
use crate::matching;
use crate::store::bookings::{self as store, Booking, NewBooking, Offer};
use crate::store::db::is_unique_violation;
use crate::store::rides::{self, Ride};
use crate::store::stays::{self, Stay};
use crate::store::tokens::{self, NewToken, Purpose};
use crate::store::trips::{self, Trip};
use crate::store::users::{self, User};
use crate::store::{offices, Db};

/// The offer a booking is on, loaded.
#[derive(Clone, Debug)]
pub enum Loaded {
    Ride(Ride),
    Stay(Stay),
}

/// Everything needed to describe a booking to either side.
#[derive(Clone, Debug)]
pub struct Parties {
    pub booking: Booking,
    pub trip: Trip,
    pub offer: Loaded,
    pub traveller: User,
    pub owner: User,
}

impl Parties {
    /// "a seat on Dee's ride to Milwaukee Field Office on Fri Dec 4" / "beds at Hal's in Milwaukee, WI".
    pub fn what(&self) -> String {
        let n = self.booking.party_size;
        match &self.offer {
            Loaded::Ride(r) => format!(
                "{} on {}'s ride to {} on {}",
                if n == 1 {
                    "a seat".to_string()
                } else {
                    format!("{n} seats")
                },
                first_name(&self.owner.name),
                self.trip.office_name,
                r.depart_date.format("%a %b %-d")
            ),
            Loaded::Stay(s) => format!(
                "{} at {}'s in {} for {}",
                if n == 1 {
                    "a bed".to_string()
                } else {
                    format!("{n} beds")
                },
                first_name(&self.owner.name),
                s.place.town(),
                nights_text(self.booking.first_night, self.booking.last_night)
            ),
        }
    }

    pub fn is_ride(&self) -> bool {
        matches!(self.offer, Loaded::Ride(_))
    }
}

/// "the nights of Dec 5 to Dec 7" / "the night of Dec 5".
pub fn nights_text(first: Option<NaiveDate>, last: Option<NaiveDate>) -> String {
    match (first, last) {
        (Some(a), Some(b)) if a == b => format!("the night of {}", a.format("%b %-d")),
        (Some(a), Some(b)) => format!(
            "the nights of {} to {}",
            a.format("%b %-d"),
            b.format("%b %-d")
        ),
        _ => "the nights you asked for".into(),
    }
}

/// Loads a booking with its trip, offer and both people.
pub async fn load(db: &Db, booking_id: i64) -> AppResult<Parties> {
    let booking = store::by_id(&db.pool, booking_id)
        .await?
        .ok_or(AppError::NotFound)?;
    load_all(db, vec![booking])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// Loads bookings with their trips, offers and people in a fixed number of
/// reads however many there are (lists must not query per row). A booking
/// whose trip, offer or person is gone is left out.
pub async fn load_all(db: &Db, list: Vec<Booking>) -> AppResult<Vec<Parties>> {
    fn ids(list: &[Booking], f: impl Fn(&Booking) -> Vec<i64>) -> Vec<i64> {
        let mut v: Vec<i64> = list.iter().flat_map(f).collect();
        v.sort_unstable();
        v.dedup();
        v
    }
    let trip_ids = ids(&list, |b| vec![b.trip_id]);
    let ride_ids = ids(&list, |b| match b.offer {
        Offer::Ride(id) => vec![id],
        Offer::Stay(_) => vec![],
    });
    let stay_ids = ids(&list, |b| match b.offer {
        Offer::Stay(id) => vec![id],
        Offer::Ride(_) => vec![],
    });
    let user_ids = ids(&list, |b| vec![b.traveller_id, b.owner_id]);
    let by_id = |v: Vec<(i64, Loaded)>| v.into_iter().collect::<HashMap<_, _>>();
    let trips: HashMap<i64, Trip> = trips::by_ids(&db.pool, &trip_ids)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let rides = by_id(
        rides::by_ids(&db.pool, &ride_ids)
            .await?
            .into_iter()
            .map(|r| (r.id, Loaded::Ride(r)))
            .collect(),
    );
    let stays = if stay_ids.is_empty() {
        HashMap::new()
    } else {
        let mut conn = db.pool.acquire().await?;
        by_id(
            stays::by_ids(&mut conn, &stay_ids)
                .await?
                .into_iter()
                .map(|s| (s.id, Loaded::Stay(s)))
                .collect(),
        )
    };
    let users: HashMap<i64, User> = users::by_ids(&db.pool, &user_ids)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    Ok(list
        .into_iter()
        .filter_map(|booking| {
            let offer = match booking.offer {
                Offer::Ride(id) => rides.get(&id),
                Offer::Stay(id) => stays.get(&id),
            }?
            .clone();
            Some(Parties {
                trip: trips.get(&booking.trip_id)?.clone(),
                traveller: users.get(&booking.traveller_id)?.clone(),
                owner: users.get(&booking.owner_id)?.clone(),
                offer,
                booking,
            })
        })
        .collect())
}

/// When a ride leaves, as an instant (its date and time are in the office's zone).
async fn ride_leaves(db: &Db, ride: &Ride) -> AppResult<Option<chrono::DateTime<chrono::Utc>>> {
    let Some(office) = offices::by_id(&db.pool, ride.office_id).await? else {
        return Ok(None);
    };
    let tz: chrono_tz::Tz = office
        .timezone
        .parse()
        .unwrap_or(chrono_tz::America::New_York);
    let time = chrono::NaiveTime::parse_from_str(&ride.depart_time, "%H:%M").unwrap_or_default();
    Ok(tz
        .from_local_datetime(&NaiveDateTime::new(ride.depart_date, time))
        .earliest()
        .map(|t| t.with_timezone(&chrono::Utc)))
}

fn link(state: &AppState, path: &str) -> String {
    format!("{}{}", state.settings.public_url(), path)
}

async fn send(
    state: &AppState,
    conn: &mut AnyConnection,
    to: &str,
    subject: &str,
    c: &Content,
) -> AppResult<()> {
    let mail = email::compose(to, subject, c).map_err(AppError::Internal)?;
    email::enqueue(
        conn,
        &mail,
        &state.clock.now_text(),
        &email::domain_of(&state.settings.public_url()),
    )
    .await?;
    Ok(())
}

fn contact_lines(p: &Parties, for_traveller: bool) -> Vec<String> {
    let other = if for_traveller {
        &p.owner
    } else {
        &p.traveller
    };
    let mut lines = vec![format!("{}: {}", other.name, other.email)];
    if let Some(phone) = &other.phone {
        lines.push(format!("Phone: {phone}"));
    }
    if for_traveller {
        if let Loaded::Stay(s) = &p.offer {
            if let Some(street) = &s.street {
                lines.push(format!("Address: {street}, {}", s.place.label()));
            }
        }
    }
    lines
}

/// A traveller asks for a seat or beds for their trip. With an instant offer
/// the request is accepted at once (or refused if the place is gone).
pub async fn request(
    state: &AppState,
    user: &User,
    trip_id: i64,
    offer: Offer,
    message: &str,
) -> AppResult<i64> {
    if !user.email_verified {
        return Err(AppError::Conflict(
            "Please confirm your email address first: open the link we sent you.".into(),
        ));
    }
    let trip = trips::by_id(&state.db.pool, trip_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if trip.owner_id != user.id {
        return Err(AppError::NotFound);
    }
    let message =
        crate::domain::offer::parse_notes(message).map_err(|m| AppError::Invalid(m.into()))?;
    let today = state.clock.today();
    let now = state.clock.now();
    let req = trip.request();
    let (owner_id, nights, instant, leaves) = match offer {
        Offer::Ride(id) => {
            let ride = rides::by_id(&state.db.pool, id)
                .await?
                .ok_or(AppError::NotFound)?;
            if matching::ride_fits(&req, &ride.candidate(), today).is_none() {
                return Err(AppError::Conflict(
                    "This ride does not fit your trip (any more).".into(),
                ));
            }
            (
                ride.owner_id,
                None,
                ride.instant_accept,
                ride_leaves(&state.db, &ride).await?,
            )
        }
        Offer::Stay(id) => {
            let mut conn = state.db.pool.acquire().await?;
            let stay = stays::by_id(&mut conn, id)
                .await?
                .ok_or(AppError::NotFound)?;
            drop(conn);
            if matching::stay_fits(&req, &stay.candidate(), today).is_none() {
                return Err(AppError::Conflict(
                    "These beds do not fit your trip (any more).".into(),
                ));
            }
            let last = trip.leave.pred_opt().unwrap_or(trip.leave);
            (
                stay.owner_id,
                Some((trip.arrive, last)),
                stay.instant_accept,
                None,
            )
        }
    };
    let expires = timestamp_text(booking::expires_at(now, leaves));
    let now_text = state.clock.now_text();
    let mut tx = state.db.pool.begin().await?;
    let inserted = store::insert(
        &mut tx,
        &NewBooking {
            trip_id,
            traveller_id: user.id,
            owner_id,
            offer,
            party_size: trip.party_size,
            nights,
            message: &message,
            expires_at: &expires,
        },
        &now_text,
    )
    .await;
    let id = match inserted {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::Conflict(
                "You have already asked for this one; see your trip.".into(),
            ))
        }
        Err(e) => return Err(e.into()),
    };
    store::record_event(
        &mut tx,
        id,
        None,
        BookingStatus::Requested,
        Some(user.id),
        "",
        &now_text,
    )
    .await?;
    tx.commit().await?;

    if instant {
        // Accept in its own transaction; if the place is gone, the request is withdrawn again.
        match act(state, Some(owner_id), id, Action::Accept, None, None).await {
            Ok(_) => {}
            Err(e) => {
                let mut tx = state.db.pool.begin().await?;
                if store::move_status(
                    &mut tx,
                    id,
                    BookingStatus::Requested,
                    BookingStatus::Withdrawn,
                    None,
                    &now_text,
                )
                .await?
                {
                    store::record_event(
                        &mut tx,
                        id,
                        Some(BookingStatus::Requested),
                        BookingStatus::Withdrawn,
                        None,
                        "no place left",
                        &now_text,
                    )
                    .await?;
                }
                tx.commit().await?;
                return Err(e);
            }
        }
        return Ok(id);
    }

    let p = load(&state.db, id).await?;
    let mut tx = state.db.pool.begin().await?;
    let accept = tokens::create(
        &mut tx,
        &NewToken {
            purpose: Purpose::AcceptBooking,
            user_id: Some(owner_id),
            booking_id: Some(id),
            new_email: None,
            expires_at: &expires,
        },
        &now_text,
    )
    .await?;
    let decline = tokens::create(
        &mut tx,
        &NewToken {
            purpose: Purpose::DeclineBooking,
            user_id: Some(owner_id),
            booking_id: Some(id),
            new_email: None,
            expires_at: &expires,
        },
        &now_text,
    )
    .await?;
    let mut paragraphs = vec![format!(
        "{} from {} asks for {}.",
        first_name(&p.traveller.name),
        p.trip.from.town(),
        p.what()
    )];
    if !message.is_empty() {
        paragraphs.push(format!("Their message: “{message}”"));
    }
    paragraphs.push("Please answer within 3 days; the request expires after that.".into());
    send(
        state,
        &mut tx,
        &p.owner.email,
        &format!("{} asks for {}", first_name(&p.traveller.name), p.what()),
        &Content {
            greeting: format!("Hello {},", first_name(&p.owner.name)),
            paragraphs,
            action: Some(("Accept".into(), link(state, &format!("/b/{accept}")))),
            footer: vec![format!(
                "Decline: {}",
                link(state, &format!("/b/{decline}"))
            )],
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Who may do what: the owner answers, the traveller withdraws, either cancels.
fn may(p: &Parties, actor: Option<i64>, action: Action) -> bool {
    let Some(actor) = actor else {
        return action == Action::Expire;
    };
    match action {
        Action::Accept | Action::Decline => actor == p.owner.id,
        Action::Withdraw => actor == p.traveller.id,
        Action::Cancel => actor == p.owner.id || actor == p.traveller.id,
        Action::Expire => false,
    }
}

/// Moves a booking on. `via_token` is the raw token of an email link, which
/// is used up in the same transaction. Returns the new status.
pub async fn act(
    state: &AppState,
    actor: Option<i64>,
    booking_id: i64,
    action: Action,
    reason: Option<&str>,
    via_token: Option<&str>,
) -> AppResult<BookingStatus> {
    let p = load(&state.db, booking_id).await?;
    if !may(&p, actor, action) {
        return Err(
            if actor == Some(p.owner.id) || actor == Some(p.traveller.id) {
                AppError::Conflict("Only the other person can do that.".into())
            } else {
                AppError::NotFound
            },
        );
    }
    let from = p.booking.status;
    let to = booking::transition(from, action).map_err(|r| AppError::Conflict(r.0))?;
    let reason = match action {
        Action::Cancel => Some(
            booking::parse_reason(reason.unwrap_or("")).map_err(|m| AppError::Invalid(m.into()))?,
        ),
        _ => None,
    };
    let now = state.clock.now_text();
    let mut tx = state.db.pool.begin().await?;
    // The status write comes first: it is the guard against a second answer
    // and, on SQLite, takes the write lock before anything is read.
    if !store::move_status(&mut tx, booking_id, from, to, reason.as_deref(), &now).await? {
        return Err(AppError::Conflict(
            "This request was answered in the meantime; reload the page.".into(),
        ));
    }
    if let Some(raw) = via_token {
        let purpose = if action == Action::Accept {
            Purpose::AcceptBooking
        } else {
            Purpose::DeclineBooking
        };
        match tokens::consume(&mut tx, raw, &[purpose], &now).await? {
            Ok(t) if t.booking_id == Some(booking_id) => {}
            Ok(_) => return Err(AppError::NotFound),
            Err(problem) => return Err(AppError::Conflict(problem.to_string())),
        }
    }
    let party = p.booking.party_size;
    let no_room = match (action, &p.offer) {
        (Action::Accept, Loaded::Ride(r)) => {
            (!store::take_seats(&mut tx, r.id, party).await?).then_some("This ride is now full.")
        }
        (Action::Accept, Loaded::Stay(s)) => {
            let (a, b) = nights_of(&p)?;
            (!store::take_beds(&mut tx, s.id, a, b, party).await?)
                .then_some("These beds are no longer free on every night.")
        }
        (Action::Cancel, Loaded::Ride(r)) => {
            store::release_seats(&mut tx, r.id, party).await?;
            None
        }
        (Action::Cancel, Loaded::Stay(s)) => {
            let (a, b) = nights_of(&p)?;
            store::release_beds(&mut tx, s.id, a, b, party).await?;
            None
        }
        _ => None,
    };
    if let Some(message) = no_room {
        return Err(AppError::Conflict(message.into()));
    }
    store::record_event(
        &mut tx,
        booking_id,
        Some(from),
        to,
        actor,
        reason.as_deref().unwrap_or(""),
        &now,
    )
    .await?;
    tokens::retire_for_booking(&mut tx, booking_id, &now).await?;
    notify(state, &mut tx, &p, to, actor, reason.as_deref()).await?;
    tx.commit().await?;
    Ok(to)
}

fn nights_of(p: &Parties) -> AppResult<(NaiveDate, NaiveDate)> {
    match (p.booking.first_night, p.booking.last_night) {
        (Some(a), Some(b)) => Ok((a, b)),
        _ => Err(AppError::Internal(anyhow::anyhow!(
            "stay booking {} without nights",
            p.booking.id
        ))),
    }
}

/// Queues the emails a transition causes.
async fn notify(
    state: &AppState,
    conn: &mut AnyConnection,
    p: &Parties,
    to: BookingStatus,
    actor: Option<i64>,
    reason: Option<&str>,
) -> AppResult<()> {
    let t_first = first_name(&p.traveller.name).to_string();
    let o_first = first_name(&p.owner.name).to_string();
    let trip_link = link(state, &format!("/trips/{}", p.trip.id));
    let booking_link = link(state, &format!("/bookings/{}", p.booking.id));
    match to {
        BookingStatus::Accepted => {
            let mut paragraphs = vec![format!("{o_first} accepted your request: {}.", p.what())];
            paragraphs.extend(contact_lines(p, true));
            send(
                state,
                conn,
                &p.traveller.email,
                &format!("Confirmed: {}", p.what()),
                &Content {
                    greeting: format!("Hello {t_first},"),
                    paragraphs,
                    action: Some(("See your trip".into(), trip_link)),
                    footer: vec![],
                },
            )
            .await?;
            if actor == Some(p.owner.id) && p.booking.status == BookingStatus::Requested {
                let mut paragraphs = vec![format!(
                    "You have a confirmed guest: {t_first} ({}).",
                    p.what()
                )];
                paragraphs.extend(contact_lines(p, false));
                send(
                    state,
                    conn,
                    &p.owner.email,
                    &format!("{t_first} is booked: {}", p.what()),
                    &Content {
                        greeting: format!("Hello {o_first},"),
                        paragraphs,
                        action: Some(("See the booking".into(), booking_link)),
                        footer: vec![],
                    },
                )
                .await?;
            }
        }
        BookingStatus::Declined => {
            send(
                state,
                conn,
                &p.traveller.email,
                &format!("Not this time: {}", p.what()),
                &Content {
                    greeting: format!("Hello {t_first},"),
                    paragraphs: vec![
                        format!("{o_first} can't take your request for {}.", p.what()),
                        "Other offers may fit your trip; have a look.".into(),
                    ],
                    action: Some(("See what fits".into(), trip_link)),
                    footer: vec![],
                },
            )
            .await?;
        }
        BookingStatus::Withdrawn => {
            send(
                state,
                conn,
                &p.owner.email,
                &format!("{t_first} withdrew a request"),
                &Content {
                    greeting: format!("Hello {o_first},"),
                    paragraphs: vec![format!(
                        "{t_first} no longer needs {}. Nothing else to do.",
                        p.what()
                    )],
                    action: None,
                    footer: vec![],
                },
            )
            .await?;
        }
        BookingStatus::Cancelled => {
            let (to_user, who) = if actor == Some(p.traveller.id) {
                (&p.owner, &t_first)
            } else {
                (&p.traveller, &o_first)
            };
            send(
                state,
                conn,
                &to_user.email,
                &format!("Cancelled: {}", p.what()),
                &Content {
                    greeting: format!("Hello {},", first_name(&to_user.name)),
                    paragraphs: vec![
                        format!("{who} cancelled {}.", p.what()),
                        format!("Reason: {}", reason.unwrap_or("none given")),
                    ],
                    action: Some((
                        "Open Trip Planner".into(),
                        if to_user.id == p.traveller.id {
                            trip_link
                        } else {
                            booking_link
                        },
                    )),
                    footer: vec![],
                },
            )
            .await?;
        }
        BookingStatus::Expired | BookingStatus::Requested => {}
    }
    Ok(())
}

/// Cancels an offer and everything booked on it, telling each traveller.
pub async fn cancel_offer(state: &AppState, actor: i64, offer: Offer) -> AppResult<()> {
    end_bookings(
        state,
        actor,
        store::for_offer(&state.db.pool, offer).await?,
        Action::Decline,
    )
    .await?;
    let now = state.clock.now_text();
    match offer {
        Offer::Ride(id) => {
            rides::set_status(
                &state.db.pool,
                id,
                crate::domain::offer::Status::Cancelled,
                &now,
            )
            .await?
        }
        Offer::Stay(id) => {
            stays::set_status(
                &state.db.pool,
                id,
                crate::domain::offer::Status::Cancelled,
                &now,
            )
            .await?
        }
    };
    Ok(())
}

/// Cancels a trip and everything it booked, telling each driver and host.
pub async fn cancel_trip(state: &AppState, actor: i64, trip_id: i64) -> AppResult<()> {
    end_bookings(
        state,
        actor,
        store::for_trip(&state.db.pool, trip_id).await?,
        Action::Withdraw,
    )
    .await?;
    trips::set_status(
        &state.db.pool,
        trip_id,
        crate::domain::offer::Status::Cancelled,
        &state.clock.now_text(),
    )
    .await?;
    Ok(())
}

/// Ends live bookings: requests with `unanswered` (decline or withdraw),
/// confirmed ones by cancelling with a reason.
async fn end_bookings(
    state: &AppState,
    actor: i64,
    list: Vec<Booking>,
    unanswered: Action,
) -> AppResult<()> {
    for b in list.into_iter().filter(|b| b.status.is_live()) {
        let (action, reason) = match b.status {
            BookingStatus::Accepted => (
                Action::Cancel,
                Some(if unanswered == Action::Decline {
                    "The offer was cancelled."
                } else {
                    "The trip was cancelled."
                }),
            ),
            _ => (unanswered, None),
        };
        // Someone may have answered meanwhile; that is fine, the booking ended anyway.
        match act(state, Some(actor), b.id, action, reason, None).await {
            Ok(_) | Err(AppError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Reminds owners of requests older than 48 hours (once), expires requests
/// whose time is up (telling the traveller what else fits), and sends the
/// day-before reminders.
pub async fn run_due(state: &AppState) -> anyhow::Result<Ran> {
    let mut ran = Ran::default();
    let now = state.clock.now();
    let now_text = timestamp_text(now);
    let cutoff = timestamp_text(now - Duration::hours(booking::REMIND_AFTER_HOURS));
    for b in store::due_reminders(&state.db.pool, &cutoff).await? {
        let Ok(p) = load(&state.db, b.id).await else {
            continue;
        };
        let mut tx = state.db.pool.begin().await?;
        if !store::mark_reminded(&mut tx, b.id, &now_text).await? {
            continue;
        }
        send(
            state,
            &mut tx,
            &p.owner.email,
            &format!(
                "Reminder: {} is waiting for your answer",
                first_name(&p.traveller.name)
            ),
            &Content {
                greeting: format!("Hello {},", first_name(&p.owner.name)),
                paragraphs: vec![
                    format!(
                        "{} asked two days ago for {}.",
                        first_name(&p.traveller.name),
                        p.what()
                    ),
                    "The request expires tomorrow if nobody answers.".into(),
                ],
                action: Some((
                    "Answer the request".into(),
                    link(state, &format!("/bookings/{}", b.id)),
                )),
                footer: vec![],
            },
        )
        .await
        .map_err(anyhow_of)?;
        tx.commit().await?;
        ran.reminded += 1;
    }
    for b in store::due_expiries(&state.db.pool, &now_text).await? {
        let Ok(p) = load(&state.db, b.id).await else {
            continue;
        };
        let next = next_best(state, &p).await.unwrap_or_default();
        let mut tx = state.db.pool.begin().await?;
        if !store::move_status(
            &mut tx,
            b.id,
            BookingStatus::Requested,
            BookingStatus::Expired,
            None,
            &now_text,
        )
        .await?
        {
            continue;
        }
        store::record_event(
            &mut tx,
            b.id,
            Some(BookingStatus::Requested),
            BookingStatus::Expired,
            None,
            "no answer in time",
            &now_text,
        )
        .await?;
        tokens::retire_for_booking(&mut tx, b.id, &now_text).await?;
        let mut paragraphs = vec![format!(
            "Your request for {} got no answer in time, so it has expired.",
            p.what()
        )];
        if next.is_empty() {
            paragraphs.push("Nothing else fits right now; new offers appear every day.".into());
        } else {
            paragraphs.push("These fit your trip too:".into());
            paragraphs.extend(next);
        }
        send(
            state,
            &mut tx,
            &p.traveller.email,
            &format!("Expired: {}", p.what()),
            &Content {
                greeting: format!("Hello {},", first_name(&p.traveller.name)),
                paragraphs,
                action: Some((
                    "See what fits".into(),
                    link(state, &format!("/trips/{}", p.trip.id)),
                )),
                footer: vec![],
            },
        )
        .await
        .map_err(anyhow_of)?;
        tx.commit().await?;
        ran.expired += 1;
    }
    let tomorrow = state
        .clock
        .today()
        .succ_opt()
        .unwrap_or(state.clock.today());
    for b in store::starting_on(&state.db.pool, tomorrow).await? {
        let Ok(p) = load(&state.db, b.id).await else {
            continue;
        };
        let mut tx = state.db.pool.begin().await?;
        if !store::mark_day_before_sent(&mut tx, b.id).await? {
            continue;
        }
        for (user, for_traveller) in [(&p.traveller, true), (&p.owner, false)] {
            let mut paragraphs = vec![format!("Tomorrow: {}.", p.what())];
            paragraphs.extend(contact_lines(&p, for_traveller));
            send(
                state,
                &mut tx,
                &user.email,
                &format!("Tomorrow: {}", p.what()),
                &Content {
                    greeting: format!("Hello {},", first_name(&user.name)),
                    paragraphs,
                    action: Some((
                        "See the details".into(),
                        link(state, &format!("/bookings/{}", b.id)),
                    )),
                    footer: vec![],
                },
            )
            .await
            .map_err(anyhow_of)?;
        }
        tx.commit().await?;
        ran.day_before += 1;
    }
    Ok(ran)
}

fn anyhow_of(e: AppError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

/// The three best other offers of the same kind for the booking's trip, as lines.
async fn next_best(state: &AppState, p: &Parties) -> AppResult<Vec<String>> {
    let found = crate::finder::for_trip(&state.db, &p.trip, state.clock.today()).await?;
    Ok(match p.booking.offer {
        Offer::Ride(id) => found
            .rides
            .iter()
            .filter(|(_, r)| r.id != id)
            .take(3)
            .map(|(m, r)| {
                format!(
                    "{} from {}: {}",
                    first_name(&r.owner_name),
                    r.from.town(),
                    m.reason()
                )
            })
            .collect(),
        Offer::Stay(id) => found
            .stays
            .iter()
            .filter(|(_, s)| s.id != id)
            .take(3)
            .map(|(m, s)| {
                format!(
                    "{} in {}: {}",
                    first_name(&s.owner_name),
                    s.place.town(),
                    m.reason()
                )
            })
            .collect(),
    })
}
