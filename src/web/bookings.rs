//! Booking pages: requesting from a match, the booking itself (with contact
//! details once accepted), answering from the site or from an email link.

use crate::domain::ids::{BookingId, TripId, UserId};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::bookings::{self, Loaded, Parties};
use crate::domain::account::first_name;
use crate::domain::booking::{left, Action, BookingStatus};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::store::arrivals;
use crate::store::bookings::{self as store, Offer};
use crate::store::tokens::{self, Purpose};
use crate::web::ctx::{Form, PageCtx, PathParam, QueryParams, Viewer};
use crate::web::forms::{in_place, parse_id, FieldErrors};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RequestForm {
    pub kind: String,
    pub offer_id: String,
    pub message: String,
}

/// POST /trips/{id}/requests — ask for a seat or beds from a match.
pub async fn request(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(trip_id): PathParam<TripId>,
    Form(form): Form<RequestForm>,
) -> AppResult<Response> {
    let user = viewer.require_user()?;
    let offer = match form.kind.as_str() {
        "ride" => Offer::Ride(parse_id(&form.offer_id)?),
        "stay" => Offer::Stay(parse_id(&form.offer_id)?),
        _ => return Err(AppError::NotFound),
    };
    let id = bookings::request(&state, user, trip_id, offer, &form.message).await?;
    let p = bookings::load(&state.db, id).await?;
    let lang = viewer.lang();
    let text = if p.booking.status == BookingStatus::Accepted {
        lang.t_args("booking-flash-booked", &[("what", &p.what_in(lang))])
    } else {
        lang.t_args(
            "booking-flash-sent",
            &[("name", &first_name(&p.owner.name))],
        )
    };
    viewer.flash("ok", text).await;
    Ok(Redirect::to(&format!("/bookings/{id}")).into_response())
}

/// A person as the viewer may see them.
pub struct PersonView {
    pub name: String,
    pub town: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
}

pub struct EventView {
    pub label: &'static str,
    pub who: String,
    pub at: String,
    pub note: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "bookings/show.html")]
pub struct BookingPage {
    pub ctx: PageCtx,
    pub id: BookingId,
    /// What was booked, as a sentence (names keep their case).
    pub headline: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub is_ride: bool,
    pub when: String,
    pub office_name: String,
    pub trip_id: TripId,
    pub message: String,
    pub cancel_reason: Option<String>,
    pub traveller: PersonView,
    pub owner: PersonView,
    pub is_owner: bool,
    pub is_traveller: bool,
    pub events: Vec<EventView>,
    /// Beside the small forms when one is sent back: `reason` (cancel) or
    /// `actions` (accept, decline, withdraw).
    pub errors: FieldErrors,
    /// The cancellation reason as typed, kept when the form comes back.
    pub reason: String,
}

/// Whether the viewer may see this booking at all: the two parties, staff of
/// the trip's office, admins. Everyone else gets 404.
fn may_see(viewer: &Viewer, p: &Parties) -> AppResult<()> {
    let user = viewer.require_user()?;
    if user.id == p.traveller.id || user.id == p.owner.id || viewer.is_staff_of(p.trip.office_id) {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

fn person(p: &Parties, traveller: bool, full: bool) -> PersonView {
    let u = if traveller { &p.traveller } else { &p.owner };
    let town = match (&p.offer, traveller) {
        (_, true) => p.trip.from.town(),
        (Loaded::Ride(r), false) => r.from.town(),
        (Loaded::Stay(s), false) => s.place.town(),
    };
    let address = match (&p.offer, traveller, full) {
        (Loaded::Stay(s), false, true) => s
            .street
            .as_ref()
            .map(|st| format!("{st}, {}", s.place.label())),
        _ => None,
    };
    PersonView {
        name: if full {
            u.name.clone()
        } else {
            first_name(&u.name).to_string()
        },
        town,
        email: full.then(|| u.email.clone()),
        phone: if full { u.phone.clone() } else { None },
        address,
    }
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(id): PathParam<BookingId>,
    QueryParams(q): QueryParams<DoneQuery>,
) -> AppResult<BookingPage> {
    let p = bookings::load(&state.db, id).await?;
    may_see(&viewer, &p)?;
    let user_id = viewer.user.as_ref().map(|u| u.id);
    // Contact details only once accepted, and then only to those who need them.
    let full = p.booking.status == BookingStatus::Accepted;
    let lang = viewer.lang();
    let when = match &p.offer {
        Loaded::Ride(r) => lang.t_args(
            "booking-leaves-at",
            &[
                ("date", &lang.date_long(r.depart_date)),
                ("time", &r.depart_time.to_string()),
                ("town", &r.from.town()),
            ],
        ),
        Loaded::Stay(_) => lang.t_args(
            "booking-for-nights",
            &[(
                "nights",
                &bookings::nights_text(p.booking.first_night, p.booking.last_night, lang),
            )],
        ),
    };
    // Staff (or an admin) who are not one of the two people just read both
    // contact details: keep a record, as the day page and exports do.
    if let Some(uid) = user_id.filter(|u| full && *u != p.traveller.id && *u != p.owner.id) {
        arrivals::log_contact_reads(
            &state.db.pool,
            uid,
            p.trip.office_id,
            &[p.traveller.id, p.owner.id],
            &state.clock.now_text(),
        )
        .await?;
    }
    // History in the office's time, where the trip happens, with its zone.
    let zone = crate::store::offices::by_id(&state.db.pool, p.trip.office_id)
        .await?
        .map(|o| crate::digest::zone_of(&o))
        .unwrap_or(chrono_tz::UTC);
    let events = store::events(&state.db.pool, id)
        .await?
        .into_iter()
        .map(|e| EventView {
            label: e.to.label(),
            who: e
                .actor_name
                .map(|n| first_name(&n).to_string())
                .unwrap_or_else(|| "Trip Planner".into()),
            at: local_time(&e.at, zone, lang),
            note: e.note,
        })
        .collect();
    Ok(BookingPage {
        ctx: viewer
            .page()
            .await
            .with_ok(q.done.as_deref().and_then(done_text)),
        id,
        headline: crate::domain::sentence(&p.what_in(lang)),
        status: p.booking.status.as_str(),
        status_label: p.booking.status.label(),
        is_ride: p.is_ride(),
        when,
        office_name: p.trip.office_name.clone(),
        trip_id: p.trip.id,
        message: p.booking.message.clone(),
        cancel_reason: p.booking.cancel_reason.clone(),
        traveller: person(&p, true, full),
        owner: person(&p, false, full),
        is_owner: user_id == Some(p.owner.id),
        is_traveller: user_id == Some(p.traveller.id),
        events,
        errors: FieldErrors::new(),
        reason: String::new(),
    })
}

/// A stored RFC 3339 instant in `zone`, with the zone's abbreviation:
/// "Mon Oct 5, 14:03 CDT" (as stored, in UTC, if it does not parse).
fn local_time(at: &str, zone: chrono_tz::Tz, lang: Lang) -> String {
    match chrono::DateTime::parse_from_rfc3339(at) {
        Ok(t) => {
            let t = t.with_timezone(&zone);
            format!(
                "{}, {}",
                lang.date_day(t.date_naive()),
                t.format("%H:%M %Z")
            )
        }
        Err(_) => at.replace('T', " ").trim_end_matches('Z').to_string() + " UTC",
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActionForm {
    pub reason: String,
}

/// POST /bookings/{id}/{accept|decline|withdraw|cancel}. A missing reason,
/// or a booking that changed meanwhile, brings the page back with the
/// message beside the form and nothing written.
pub async fn act(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam((id, action)): PathParam<(BookingId, String)>,
    Form(form): Form<ActionForm>,
) -> AppResult<Response> {
    let user_id = viewer.require_user()?.id;
    let action = match action.as_str() {
        "accept" => Action::Accept,
        "decline" => Action::Decline,
        "withdraw" => Action::Withdraw,
        "cancel" => Action::Cancel,
        _ => return Err(AppError::NotFound),
    };
    // The state is checked before the reason: an old page's cancel form
    // gets "already cancelled", not "give a reason".
    let done = bookings::act(&state, Some(user_id), id, action, Some(&form.reason), None).await;
    let e = match done {
        // The confirmation rides in the redirect rather than the session: no
        // second write transaction for the session after the booking's own.
        Ok(to) => {
            return Ok(
                Redirect::to(&format!("/bookings/{id}?done={}", to.as_str())).into_response(),
            )
        }
        Err(e) => e,
    };
    let field = match &e {
        AppError::Invalid(_) if action == Action::Cancel => "reason",
        _ => "actions",
    };
    let (status, message) = in_place(e)?;
    let mut page = show(
        State(state),
        viewer,
        PathParam(id),
        QueryParams(DoneQuery::default()),
    )
    .await?;
    page.errors.add(field, message);
    page.reason = form.reason;
    Ok((status, page).into_response())
}

/// The confirmation shown after an answer, by the status it led to; any
/// other `done` value shows nothing (never echoed).
fn done_text(done: &str) -> Option<&'static str> {
    Some(match done {
        "accepted" => "Accepted. You'll find their contact details below.",
        "declined" => "Declined. We let them know.",
        "withdrawn" => "Request withdrawn.",
        "cancelled" => "Cancelled. We let the other person know.",
        _ => return None,
    })
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    pub done: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "bookings/confirm.html")]
pub struct ConfirmPage {
    pub ctx: PageCtx,
    pub token: String,
    pub accept: bool,
    pub what: String,
    pub traveller: String,
    pub problem: Option<String>,
    /// The booking a used link was for, to look at.
    pub booking: Option<BookingId>,
}

/// Why an answer link does not work, in words. A link used up because the
/// request was answered (by this link, the other one or on the site) says
/// how it was answered rather than "already used".
async fn link_problem(
    state: &AppState,
    conn: &mut sqlx::AnyConnection,
    token: &str,
    problem: tokens::TokenProblem,
) -> AppResult<(String, Option<BookingId>)> {
    let booking = match problem {
        tokens::TokenProblem::Unknown => None,
        _ => {
            tokens::booking_of(
                conn,
                token,
                &[Purpose::AcceptBooking, Purpose::DeclineBooking],
            )
            .await?
        }
    };
    let Some(id) = booking else {
        return Ok((problem.to_string(), None));
    };
    let Some(b) = store::by_id(&state.db.pool, id).await? else {
        return Ok((problem.to_string(), None));
    };
    let text = match b.status {
        BookingStatus::Accepted => "This request was already accepted.",
        BookingStatus::Declined => "This request was already declined.",
        BookingStatus::Withdrawn => "The traveller withdrew this request.",
        BookingStatus::Expired => "This request expired without an answer.",
        BookingStatus::Cancelled => "This request was accepted and later cancelled.",
        BookingStatus::Requested => return Ok((problem.to_string(), Some(id))),
    };
    Ok((text.to_string(), Some(id)))
}

/// GET /b/{token}: what an email link would do, with one button. Mail
/// scanners fetch links, so nothing changes here.
pub async fn confirm_page(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(token): PathParam<String>,
) -> AppResult<Response> {
    let mut conn = state.db.pool.acquire().await?;
    let found = tokens::peek(
        &mut conn,
        &token,
        &[Purpose::AcceptBooking, Purpose::DeclineBooking],
        &state.clock.now_text(),
    )
    .await?;
    let page = match found {
        Err(problem) => {
            let (problem, booking) = link_problem(&state, &mut conn, &token, problem).await?;
            ConfirmPage {
                ctx: viewer.page().await,
                token: String::new(),
                accept: false,
                what: String::new(),
                traveller: String::new(),
                problem: Some(problem),
                booking,
            }
        }
        Ok(t) => {
            let p = bookings::load(&state.db, t.booking_id.ok_or(AppError::NotFound)?).await?;
            let lang = viewer.lang();
            ConfirmPage {
                ctx: viewer.page().await,
                accept: t.purpose == Purpose::AcceptBooking,
                what: p.what_in(lang),
                traveller: format!(
                    "{} {}",
                    first_name(&p.traveller.name),
                    lang.t_args("from-town", &[("town", &p.trip.from.town())])
                ),
                problem: None,
                booking: None,
                token,
            }
        }
    };
    Ok(page.into_response())
}

/// POST /b/{token}: does what the link says, once.
pub async fn confirm(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(token): PathParam<String>,
) -> AppResult<Response> {
    let mut conn = state.db.pool.acquire().await?;
    let found = tokens::peek(
        &mut conn,
        &token,
        &[Purpose::AcceptBooking, Purpose::DeclineBooking],
        &state.clock.now_text(),
    )
    .await?;
    let t = match found {
        Ok(t) => t,
        Err(problem) => {
            let (problem, booking) = link_problem(&state, &mut conn, &token, problem).await?;
            return Ok(ConfirmPage {
                ctx: viewer.page().await,
                token: String::new(),
                accept: false,
                what: String::new(),
                traveller: String::new(),
                problem: Some(problem),
                booking,
            }
            .into_response());
        }
    };
    drop(conn);
    let booking_id = t.booking_id.ok_or(AppError::NotFound)?;
    let action = if t.purpose == Purpose::AcceptBooking {
        Action::Accept
    } else {
        Action::Decline
    };
    let to = bookings::act(&state, t.user_id, booking_id, action, None, Some(&token)).await?;
    viewer
        .flash(
            "ok",
            if to == BookingStatus::Accepted {
                "Accepted. Thank you! We sent both of you the details."
            } else {
                "Declined. We let them know."
            },
        )
        .await;
    let target = if viewer
        .user
        .as_ref()
        .map(|u| Some(u.id) == t.user_id)
        .unwrap_or(false)
    {
        format!("/bookings/{booking_id}")
    } else {
        "/".into()
    };
    Ok(Redirect::to(&target).into_response())
}

/// A booking as listed on an offer's page or on "My trips and offers".
pub struct BookingRow {
    pub id: BookingId,
    pub who: String,
    pub what: String,
    pub party_size: i32,
    pub status: &'static str,
    pub label: &'static str,
}

impl BookingRow {
    /// Full name once accepted; a first name and town before.
    pub fn new(p: &Parties, lang: Lang) -> BookingRow {
        let who = if p.booking.status == BookingStatus::Accepted {
            p.traveller.name.clone()
        } else {
            format!(
                "{} {}",
                first_name(&p.traveller.name),
                lang.t_args("from-town", &[("town", &p.trip.from.town())])
            )
        };
        BookingRow {
            id: p.booking.id,
            who,
            what: p.what_in(lang),
            party_size: p.booking.party_size,
            status: p.booking.status.as_str(),
            label: p.booking.status.label(),
        }
    }
}

/// The rows for an offer's bookings, newest first.
pub async fn rows_for_offer(
    state: &AppState,
    offer: Offer,
    lang: Lang,
) -> AppResult<Vec<BookingRow>> {
    let list = store::for_offer(&state.db.pool, offer).await?;
    let loaded = bookings::load_all(&state.db, list).await?;
    Ok(loaded.iter().map(|p| BookingRow::new(p, lang)).collect())
}

/// A request in its owner's inbox: who asks, for which of their offers and
/// when, with their message and the time left to answer.
pub struct WaitingRow {
    pub row: BookingRow,
    /// The owner's ride or stay the request is for.
    pub offer_href: String,
    /// "your ride to Milwaukee Field Office on Fri Dec 4" / "your beds in
    /// Milwaukee for the nights of Dec 5 to Dec 7".
    pub offer_text: String,
    pub message: String,
    /// "in 2 days"
    pub expires: String,
}

impl WaitingRow {
    fn new(p: &Parties, now: chrono::DateTime<chrono::Utc>, lang: Lang) -> WaitingRow {
        let (offer_href, offer_text) = match &p.offer {
            Loaded::Ride(r) => (
                format!("/rides/{}", r.id),
                lang.t_args(
                    "booking-your-ride-to",
                    &[
                        ("office", &p.trip.office_name),
                        ("date", &lang.date_day(r.depart_date)),
                    ],
                ),
            ),
            Loaded::Stay(s) => (
                format!("/stays/{}", s.id),
                lang.t_args(
                    "booking-your-beds-in",
                    &[
                        ("town", &s.place.town()),
                        (
                            "nights",
                            &bookings::nights_text(
                                p.booking.first_night,
                                p.booking.last_night,
                                lang,
                            ),
                        ),
                    ],
                ),
            ),
        };
        let expires = match chrono::DateTime::parse_from_rfc3339(&p.booking.expires_at) {
            Ok(at) => match left(now, at.with_timezone(&chrono::Utc)) {
                Some((n, unit)) => lang.t_args(&format!("booking-in-{unit}s"), &[("n", &n)]),
                None => lang.t("booking-now"),
            },
            Err(_) => lang.t("booking-soon"),
        };
        WaitingRow {
            row: BookingRow::new(p, lang),
            offer_href,
            offer_text,
            message: p.booking.message.clone(),
            expires,
        }
    }
}

/// Requests waiting for this owner's answer.
pub async fn rows_waiting_for(
    state: &AppState,
    owner_id: UserId,
    lang: Lang,
) -> AppResult<Vec<WaitingRow>> {
    let list = store::waiting_for(&state.db.pool, owner_id).await?;
    let loaded = bookings::load_all(&state.db, list).await?;
    let now = state.clock.now();
    Ok(loaded
        .iter()
        .map(|p| WaitingRow::new(p, now, lang))
        .collect())
}
