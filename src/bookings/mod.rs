//! The booking lifecycle: request, accept or decline, withdraw, cancel,
//! expire, remind. Each step is one transaction in which the booking's status
//! moves with a guarded update, capacity is taken or given back with a guarded
//! update, the history is recorded and the emails are queued — all or nothing.

use crate::domain::ids::{BookingId, TripId, UserId};
mod emails;
mod parties;

use chrono::Duration;
use sqlx::AnyConnection;

pub use parties::{load, load_all, nights_text, ride_leaves, Loaded, Parties};

use crate::clock::timestamp_text;
use crate::domain::booking::{self, Action, BookingStatus};
use crate::domain::leg::{self, Leg};
use crate::domain::offer::Status;
use crate::error::{AppError, AppResult};
use crate::matching;
use crate::state::AppState;
use crate::store::bookings::{self as store, Booking, NewBooking, Offer};
use crate::store::db::is_unique_violation;
use crate::store::rides;
use crate::store::stays;
use crate::store::tokens::{self, Purpose};
use crate::store::trips;
use crate::store::users::{self, User};

/// A traveller asks for a seat or beds for their trip. With an instant offer
/// the request is accepted at once. The request, its acceptance, the answer
/// links and every email are one transaction: when any part fails (an
/// instant offer that is full meanwhile, an email that cannot be queued)
/// nothing is written.
pub async fn request(
    state: &AppState,
    user: &User,
    trip_id: TripId,
    offer: Offer,
    message: &str,
) -> AppResult<BookingId> {
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
    make_request(state, trip, user.clone(), None, offer, &message)
        .await
        .map(|(id, _)| id)
}

/// Office staff request `offer` for a trip to their office, from a
/// proposal: the same guarded request as a traveller's (accepted at once on
/// an instant offer), recorded as made by `staff`, the traveller told what
/// was asked for them. Refused (nothing written) when the leg is no longer
/// open or the offer no longer has room after the requests waiting on it.
/// Returns the booking and its status.
pub async fn request_for_office(
    state: &AppState,
    staff: &User,
    office_id: crate::domain::ids::OfficeId,
    trip_id: TripId,
    offer: Offer,
) -> AppResult<(BookingId, BookingStatus)> {
    let trip = trips::by_id(&state.db.pool, trip_id)
        .await?
        .ok_or(AppError::NotFound)?;
    // Only a trip the office's pages list (its own, of a vouched-for
    // account), as for nudges.
    if trip.office_id != office_id
        || !crate::store::arrivals::is_listed(&state.db.pool, office_id, trip_id).await?
    {
        return Err(AppError::NotFound);
    }
    if trip.status != Status::Active {
        return Err(AppError::Conflict(
            "The traveller cancelled or paused this trip.".into(),
        ));
    }
    let leg = match offer {
        Offer::Ride(id) => {
            let ride = rides::by_id(&state.db.pool, id)
                .await?
                .ok_or(AppError::NotFound)?;
            Leg::of(offer, ride.direction)
        }
        Offer::Stay(_) => Leg::Nights,
    };
    let live = store::for_trip(&state.db.pool, trip_id).await?;
    if live.iter().any(|b| b.leg == leg && b.status.is_live()) {
        return Err(AppError::Conflict(format!(
            "The {} was requested or confirmed meanwhile.",
            leg.noun()
        )));
    }
    let traveller = users::by_id(&state.db.pool, trip.owner_id)
        .await?
        .ok_or(AppError::NotFound)?;
    make_request(state, trip, traveller, Some(staff), offer, "").await
}

/// Whether `offer` still has room for `party` on every night it would be
/// used, counting the requests waiting on it as taken (as proposals do).
fn room_left_after_holds(
    loaded: &Loaded,
    nights: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    party: i32,
    holds: &store::PendingHolds,
) -> bool {
    match loaded {
        Loaded::Ride(r) => {
            let held = holds.seats.get(&r.id).copied().unwrap_or(0);
            r.candidate().seats_free - held >= party
        }
        Loaded::Stay(s) => {
            let Some((first, last)) = nights else {
                return false;
            };
            let c = s.candidate();
            first.iter_days().take_while(|n| *n <= last).all(|n| {
                let held = holds.beds.get(&(s.id, n)).copied().unwrap_or(0);
                c.free_beds_on(n) - held >= party
            })
        }
    }
}

/// The request itself, for the traveller or (with `staff`) by the office.
async fn make_request(
    state: &AppState,
    trip: trips::Trip,
    user: User,
    staff: Option<&User>,
    offer: Offer,
    message: &str,
) -> AppResult<(BookingId, BookingStatus)> {
    let trip_id = trip.id;
    let today = state.clock.today();
    let req = trip.request();
    let (loaded, nights, instant, leaves, leg) = match offer {
        Offer::Ride(id) => {
            let ride = rides::by_id(&state.db.pool, id)
                .await?
                .ok_or(AppError::NotFound)?;
            let leg = Leg::of(offer, ride.direction);
            let fits = match leg {
                Leg::RideHome => matching::ride_home_fits(&req, &ride.candidate(), today).is_some(),
                _ => matching::ride_fits(&req, &ride.candidate(), today).is_some(),
            };
            if !fits {
                return Err(AppError::Conflict(
                    "This ride does not fit your trip (any more).".into(),
                ));
            }
            let leaves = parties::ride_leaves(&state.db, &ride).await?;
            let instant = ride.instant_accept;
            (Loaded::Ride(ride), None, instant, leaves, leg)
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
            let instant = stay.instant_accept;
            (
                Loaded::Stay(stay),
                Some((trip.arrive, last)),
                instant,
                None,
                Leg::Nights,
            )
        }
    };
    let owner = users::by_id(&state.db.pool, loaded.owner_id())
        .await?
        .ok_or(AppError::NotFound)?;
    if staff.is_some() {
        // The matching rules never pair an offer with its owner's own trip.
        if owner.id == user.id {
            return Err(AppError::NotFound);
        }
        // A traveller's own request may wait behind others; the office's
        // proposal counted on room no request holds, and asks only for that.
        let holds = store::pending_holds(&state.db.pool, today).await?;
        if !room_left_after_holds(&loaded, nights, trip.party_size, &holds) {
            return Err(AppError::Conflict(
                "No room left: it was booked or requested meanwhile.".into(),
            ));
        }
    }
    let expires = timestamp_text(booking::expires_at(state.clock.now(), leaves));
    let now = state.clock.now_text();

    let mut tx = state.db.pool.begin().await?;
    // The trip first, as every accept does: a request and an accept of the
    // same trip then never interleave, so no request slips in beside a
    // booking confirmed meanwhile.
    if !trips::lock(&mut tx, trip_id).await? {
        return Err(AppError::NotFound);
    }
    let booked = legs_of(&store::for_trip(&mut *tx, trip_id).await?);
    if leg::may_accept(leg, &booked).is_err() {
        return Err(AppError::Conflict(format!(
            "Your {} is already confirmed; cancel it first to choose another.",
            leg.noun()
        )));
    }
    let inserted = store::insert(
        &mut tx,
        &NewBooking {
            trip_id,
            traveller_id: user.id,
            owner_id: owner.id,
            offer,
            leg,
            party_size: trip.party_size,
            nights,
            message,
            expires_at: &expires,
        },
        &now,
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
    if let Some(staff) = staff {
        store::mark_proposed(&mut tx, id, staff.id, &now).await?;
    }
    store::record_event(
        &mut tx,
        id,
        None,
        BookingStatus::Requested,
        Some(staff.map_or(user.id, |s| s.id)),
        if staff.is_some() { PROPOSED_NOTE } else { "" },
        &now,
    )
    .await?;
    let booking = store::by_id(&mut *tx, id).await?.ok_or_else(|| {
        AppError::Internal(anyhow::anyhow!(
            "booking {id} not readable in its transaction"
        ))
    })?;
    let p = Parties {
        booking,
        trip,
        offer: loaded,
        traveller: user,
        owner,
    };
    let status = if instant {
        apply(
            state,
            &mut tx,
            &p,
            Some(p.owner.id),
            Action::Accept,
            None,
            None,
        )
        .await?
    } else {
        emails::request(state, &mut tx, &p, &expires).await?;
        if staff.is_some() {
            emails::requested_for_traveller(state, &mut tx, &p).await?;
        }
        BookingStatus::Requested
    };
    tx.commit().await?;
    Ok((id, status))
}

/// The history's note on a request the office made from a proposal.
pub const PROPOSED_NOTE: &str = "requested by the office";

/// Each booking's leg and status, as the leg rules take them.
fn legs_of(list: &[Booking]) -> Vec<(Leg, BookingStatus)> {
    list.iter().map(|b| (b.leg, b.status)).collect()
}

/// Who may do what: the owner answers, the traveller withdraws, either
/// cancels; the system (no actor) expires requests and withdraws those
/// another booking of their leg made unnecessary.
fn may(p: &Parties, actor: Option<UserId>, action: Action) -> bool {
    let Some(actor) = actor else {
        return matches!(action, Action::Expire | Action::Withdraw);
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
    actor: Option<UserId>,
    booking_id: BookingId,
    action: Action,
    reason: Option<&str>,
    via_token: Option<&str>,
) -> AppResult<BookingStatus> {
    let p = load(&state.db, booking_id).await?;
    let mut tx = state.db.pool.begin().await?;
    let to = apply(state, &mut tx, &p, actor, action, reason, via_token).await?;
    tx.commit().await?;
    Ok(to)
}

/// One transition inside the caller's transaction: the guarded status move,
/// the email link used up, capacity taken or given back, the history and the
/// emails. On an error the caller drops the transaction, undoing all of it.
async fn apply(
    state: &AppState,
    tx: &mut AnyConnection,
    p: &Parties,
    actor: Option<UserId>,
    action: Action,
    reason: Option<&str>,
    via_token: Option<&str>,
) -> AppResult<BookingStatus> {
    let booking_id = p.booking.id;
    if !may(p, actor, action) {
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
        // The system says why it withdraws a request.
        Action::Withdraw if actor.is_none() => reason.map(str::to_string),
        _ => None,
    };
    let now = state.clock.now_text();
    let leg = p.booking.leg;
    // An accept locks the trip first (see `trips::lock`): racing accepts of
    // one trip's requests then run one after the other, and the later one
    // finds its request withdrawn.
    if action == Action::Accept && !trips::lock(&mut *tx, p.trip.id).await? {
        return Err(AppError::NotFound);
    }
    // The status write comes before any other change: it is the guard
    // against a second answer and, on SQLite, takes the write lock before
    // anything is read. A second accepted booking for the leg is a unique
    // violation here (migration 0007), before any capacity is taken.
    let moved = store::move_status(&mut *tx, booking_id, from, to, reason.as_deref(), &now).await;
    match moved {
        Ok(true) => {}
        Ok(false) => {
            return Err(AppError::Conflict(
                "This request was answered in the meantime; reload the page.".into(),
            ))
        }
        Err(e) if action == Action::Accept && is_unique_violation(&e) => {
            return Err(AppError::Conflict(format!(
                "{} You can decline this request.",
                leg.already_confirmed()
            )))
        }
        Err(e) => return Err(e.into()),
    }
    if let Some(raw) = via_token {
        let purpose = if action == Action::Accept {
            Purpose::AcceptBooking
        } else {
            Purpose::DeclineBooking
        };
        match tokens::consume(&mut *tx, raw, &[purpose], &now).await? {
            Ok(t) if t.booking_id == Some(booking_id) => {}
            Ok(_) => return Err(AppError::NotFound),
            Err(problem) => return Err(AppError::Conflict(problem.to_string())),
        }
    }
    let party = p.booking.party_size;
    let no_room = match (action, &p.offer) {
        (Action::Accept, Loaded::Ride(r)) => {
            (!store::take_seats(&mut *tx, r.id, party).await?).then_some("This ride is now full.")
        }
        (Action::Accept, Loaded::Stay(s)) => {
            let (a, b) = p.nights()?;
            (!store::take_beds(&mut *tx, s.id, a, b, party).await?)
                .then_some("These beds are no longer free on every night.")
        }
        (Action::Cancel, Loaded::Ride(r)) => {
            store::release_seats(&mut *tx, r.id, party).await?;
            None
        }
        (Action::Cancel, Loaded::Stay(s)) => {
            let (a, b) = p.nights()?;
            store::release_beds(&mut *tx, s.id, a, b, party).await?;
            None
        }
        _ => None,
    };
    if let Some(message) = no_room {
        return Err(AppError::Conflict(message.into()));
    }
    store::record_event(
        &mut *tx,
        booking_id,
        Some(from),
        to,
        actor,
        reason.as_deref().unwrap_or(""),
        &now,
    )
    .await?;
    tokens::retire_for_booking(&mut *tx, booking_id, &now).await?;
    emails::transition(state, tx, p, to, actor, reason.as_deref()).await?;
    if to == BookingStatus::Accepted {
        withdraw_superseded(state, tx, p, leg).await?;
    }
    Ok(to)
}

/// Withdraws, in the accepting transaction, the trip's other requests for
/// the leg just confirmed, telling each owner why (a trip holds one
/// accepted booking per leg).
async fn withdraw_superseded(
    state: &AppState,
    tx: &mut AnyConnection,
    accepted: &Parties,
    leg: Leg,
) -> AppResult<()> {
    let list = store::for_trip(&mut *tx, accepted.trip.id).await?;
    let listed: Vec<_> = list.iter().map(|b| (b.id, b.leg, b.status)).collect();
    let ids = leg::superseded_by(accepted.booking.id, leg, &listed);
    let others = list.into_iter().filter(|b| ids.contains(&b.id)).collect();
    for other in parties::load_all_on(&mut *tx, others).await? {
        let withdrawn = Box::pin(apply(
            state,
            &mut *tx,
            &other,
            None,
            Action::Withdraw,
            Some(leg::SUPERSEDED),
            None,
        ))
        .await;
        match withdrawn {
            // Answered or withdrawn by someone else meanwhile: no longer a request.
            Ok(_) | Err(AppError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Cancels an offer and everything booked on it, telling each traveller, in
/// one transaction.
pub async fn cancel_offer(state: &AppState, actor: UserId, offer: Offer) -> AppResult<()> {
    let now = state.clock.now_text();
    let mut tx = state.db.pool.begin().await?;
    // The status write first: on SQLite it takes the write lock, so no
    // booking on the offer changes while its bookings are ended below.
    match offer {
        Offer::Ride(id) => rides::set_status(&mut *tx, id, Status::Cancelled, &now).await?,
        Offer::Stay(id) => stays::set_status(&mut *tx, id, Status::Cancelled, &now).await?,
    };
    let list = store::for_offer(&mut *tx, offer).await?;
    end_bookings(state, &mut tx, actor, list, Action::Decline).await?;
    tx.commit().await?;
    Ok(())
}

/// Cancels a trip and everything it booked, telling each driver and host,
/// in one transaction.
pub async fn cancel_trip(state: &AppState, actor: UserId, trip_id: TripId) -> AppResult<()> {
    let now = state.clock.now_text();
    let mut tx = state.db.pool.begin().await?;
    trips::set_status(&mut *tx, trip_id, Status::Cancelled, &now).await?;
    let list = store::for_trip(&mut *tx, trip_id).await?;
    end_bookings(state, &mut tx, actor, list, Action::Withdraw).await?;
    tx.commit().await?;
    Ok(())
}

/// Ends, inside the caller's transaction, every live booking of a person
/// who is leaving (erasing their account): as when they cancel their trip
/// (they travel) or their offer (they host), the other side told by email.
pub async fn end_all_of(state: &AppState, tx: &mut AnyConnection, person: UserId) -> AppResult<()> {
    let (travelling, hosting): (Vec<Booking>, Vec<Booking>) =
        store::live_for_person(&mut *tx, person)
            .await?
            .into_iter()
            .partition(|b| b.traveller_id == person);
    end_bookings(state, tx, person, travelling, Action::Withdraw).await?;
    end_bookings(state, tx, person, hosting, Action::Decline).await
}

/// Ends live bookings inside the caller's transaction: requests with
/// `unanswered` (decline or withdraw), confirmed ones by cancelling with a
/// reason. A booking answered by someone else meanwhile (PostgreSQL lets
/// that commit before our guard runs) is read again and ended from its new
/// state.
async fn end_bookings(
    state: &AppState,
    tx: &mut AnyConnection,
    actor: UserId,
    list: Vec<Booking>,
    unanswered: Action,
) -> AppResult<()> {
    let live: Vec<Booking> = list.into_iter().filter(|b| b.status.is_live()).collect();
    for mut p in load_all(&state.db, live).await? {
        for _ in 0..3 {
            let (action, reason) = match p.booking.status {
                BookingStatus::Accepted => (
                    Action::Cancel,
                    Some(if unanswered == Action::Decline {
                        "The offer was cancelled."
                    } else {
                        "The trip was cancelled."
                    }),
                ),
                BookingStatus::Requested => (unanswered, None),
                _ => break,
            };
            match apply(state, &mut *tx, &p, Some(actor), action, reason, None).await {
                Ok(_) => break,
                Err(AppError::Conflict(_)) => match store::by_id(&mut *tx, p.booking.id).await? {
                    Some(b) if b.status != p.booking.status => p.booking = b,
                    _ => break,
                },
                Err(e) => return Err(e),
            }
        }
    }
    Ok(())
}

/// What one run of [`run_due`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Due {
    pub reminded: usize,
    pub expired: usize,
    pub day_before: usize,
    /// Due bookings that could not be loaded (each logged with its id).
    pub load_failures: usize,
}

/// Loads a due booking for a background job; a failure is logged with the
/// booking's id and the error, and counted, never skipped silently.
async fn load_due(state: &AppState, b: &Booking, job: &str, due: &mut Due) -> Option<Parties> {
    match load(&state.db, b.id).await {
        Ok(p) => Some(p),
        Err(e) => {
            tracing::error!(booking_id = b.id.get(), job, error = %e, "due booking could not be loaded");
            metrics::counter!(JOB_LOAD_FAILURES).increment(1);
            due.load_failures += 1;
            None
        }
    }
}

/// Due bookings the background jobs could not load, counted for `/metrics`.
pub const JOB_LOAD_FAILURES: &str = "trip_planner_job_load_failures_total";

/// Reminds owners of requests older than 48 hours (once), expires requests
/// whose time is up (telling the traveller what else fits), and sends the
/// day-before reminders. Each booking's change and its emails are one
/// transaction.
pub async fn run_due(state: &AppState) -> anyhow::Result<Due> {
    let mut due = Due::default();
    let now = state.clock.now();
    let now_text = timestamp_text(now);
    let cutoff = timestamp_text(now - Duration::hours(booking::REMIND_AFTER_HOURS));
    let reminders = store::due_reminders(&state.db.pool, &cutoff).await?;
    send_notices(state, Notice::Reminder, reminders, &now_text, &mut due).await?;
    for b in store::due_expiries(&state.db.pool, &now_text).await? {
        let Some(p) = load_due(state, &b, "expiry", &mut due).await else {
            continue;
        };
        let next = emails::next_best(state, &p).await.unwrap_or_default();
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
        emails::expired(state, &mut tx, &p, next)
            .await
            .map_err(anyhow_of)?;
        tx.commit().await?;
        due.expired += 1;
    }
    let tomorrow = state
        .clock
        .today()
        .succ_opt()
        .unwrap_or(state.clock.today());
    let starting = store::starting_on(&state.db.pool, tomorrow).await?;
    send_notices(state, Notice::DayBefore, starting, &now_text, &mut due).await?;
    Ok(due)
}

/// A booking's one-time notices, each claimed by its own guarded update so
/// that it goes out once across instances.
#[derive(Clone, Copy, Debug)]
enum Notice {
    /// To the owner, 48 hours after an unanswered request.
    Reminder,
    /// To both sides, the day before a confirmed ride or first night.
    DayBefore,
}

/// Claims and sends `notice` for each booking, each in its own transaction
/// with its emails.
async fn send_notices(
    state: &AppState,
    notice: Notice,
    list: Vec<Booking>,
    now: &str,
    due: &mut Due,
) -> anyhow::Result<()> {
    let job = match notice {
        Notice::Reminder => "reminder",
        Notice::DayBefore => "day before",
    };
    for b in list {
        let Some(p) = load_due(state, &b, job, due).await else {
            continue;
        };
        let mut tx = state.db.pool.begin().await?;
        let claimed = match notice {
            Notice::Reminder => store::mark_reminded(&mut tx, b.id, now).await?,
            Notice::DayBefore => store::mark_day_before_sent(&mut tx, b.id).await?,
        };
        if !claimed {
            continue;
        }
        let sent = match notice {
            Notice::Reminder => emails::reminder(state, &mut tx, &p).await,
            Notice::DayBefore => emails::day_before(state, &mut tx, &p).await,
        };
        sent.map_err(anyhow_of)?;
        tx.commit().await?;
        match notice {
            Notice::Reminder => due.reminded += 1,
            Notice::DayBefore => due.day_before += 1,
        }
    }
    Ok(())
}

fn anyhow_of(e: AppError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}
