//! The emails a booking causes, queued in the caller's transaction: the
//! request with its answer links, the answers, withdrawals and cancellations,
//! the reminder, the expiry (with what else fits) and the day before.

use sqlx::AnyConnection;

use super::parties::{Loaded, Parties};
use crate::domain::account::first_name;
use crate::domain::booking::BookingStatus;
use crate::domain::ids::UserId;
use crate::email::{self, Content};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::store::tokens::{self, NewToken, Purpose};
use crate::store::users::{self, User};

/// Composes a message and queues it in `conn`'s transaction.
async fn send(
    state: &AppState,
    conn: &mut AnyConnection,
    to: &str,
    subject: &str,
    c: &Content,
) -> AppResult<()> {
    // Every booking email goes to an account: it speaks that account's language.
    let c = &Content {
        lang: users::language_of_email(&mut *conn, to).await?,
        ..c.clone()
    };
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

/// The other side's name, email, phone and (for a traveller's bed) street.
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

/// The owner's email about a new request, with single-use accept and
/// decline links that expire with the request.
pub(super) async fn request(
    state: &AppState,
    conn: &mut AnyConnection,
    p: &Parties,
    expires: &str,
) -> AppResult<()> {
    let accept = answer_link(state, conn, p, Purpose::AcceptBooking, expires).await?;
    let decline = answer_link(state, conn, p, Purpose::DeclineBooking, expires).await?;
    let traveller = first_name(&p.traveller.name);
    let mut paragraphs = vec![if p.booking.proposed.is_some() {
        format!(
            "The {} team proposes {traveller} from {} for {}: your offer fits their trip, and they asked for it on {traveller}'s behalf.",
            p.trip.office_name,
            p.trip.from.town(),
            p.what()
        )
    } else {
        format!(
            "{traveller} from {} asks for {}.",
            p.trip.from.town(),
            p.what()
        )
    }];
    if !p.booking.message.is_empty() {
        paragraphs.push(format!("Their message: “{}”", p.booking.message));
    }
    paragraphs.push("Please answer within 3 days; the request expires after that.".into());
    send(
        state,
        conn,
        &p.owner.email,
        &format!("{traveller} asks for {}", p.what()),
        &Content {
            lang: Default::default(),
            greeting: format!("Hello {},", first_name(&p.owner.name)),
            paragraphs,
            action: Some(("Accept".into(), accept)),
            footer: vec![format!("Decline: {decline}")],
        },
    )
    .await
}

/// The traveller's email about a request the office made for them, with
/// the way to withdraw it.
pub(super) async fn requested_for_traveller(
    state: &AppState,
    conn: &mut AnyConnection,
    p: &Parties,
) -> AppResult<()> {
    let o_first = first_name(&p.owner.name);
    send(
        state,
        conn,
        &p.traveller.email,
        &format!("{} asked for {} for you", p.trip.office_name, p.what()),
        &Content {
            greeting: format!("Hello {},", first_name(&p.traveller.name)),
            paragraphs: vec![
                format!(
                    "The {} team asked {o_first} for {} for your trip. We will tell you as soon as {o_first} answers.",
                    p.trip.office_name,
                    p.what()
                ),
                "If you no longer need it, or have made other plans, withdraw the request: nothing else changes.".into(),
            ],
            action: Some((
                "Withdraw this request".into(),
                state.link(&format!("/bookings/{}", p.booking.id)),
            )),
            footer: vec![],
            lang: Default::default(),
        },
    )
    .await
}

/// A single-use link for the owner to answer the request.
async fn answer_link(
    state: &AppState,
    conn: &mut AnyConnection,
    p: &Parties,
    purpose: Purpose,
    expires: &str,
) -> AppResult<String> {
    let raw = tokens::create(
        conn,
        &NewToken {
            purpose,
            user_id: Some(p.owner.id),
            booking_id: Some(p.booking.id),
            new_email: None,
            expires_at: expires,
        },
        &state.clock.now_text(),
    )
    .await?;
    Ok(state.link(&format!("/b/{raw}")))
}

/// The emails a transition to `to` causes.
pub(super) async fn transition(
    state: &AppState,
    conn: &mut AnyConnection,
    p: &Parties,
    to: BookingStatus,
    actor: Option<UserId>,
    reason: Option<&str>,
) -> AppResult<()> {
    let t_first = first_name(&p.traveller.name).to_string();
    let o_first = first_name(&p.owner.name).to_string();
    let trip_link = state.link(&format!("/trips/{}", p.trip.id));
    let booking_link = state.link(&format!("/bookings/{}", p.booking.id));
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
                    lang: Default::default(),
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
                        lang: Default::default(),
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
                    lang: Default::default(),
                    greeting: format!("Hello {t_first},"),
                    paragraphs: [format!(
                        "{o_first} can't take your request for {}.",
                        p.what()
                    )]
                    .into_iter()
                    .chain(what_else_fits(next_best(state, p).await?))
                    .collect(),
                    action: Some(("See what fits".into(), trip_link)),
                    footer: vec![],
                },
            )
            .await?;
        }
        BookingStatus::Withdrawn => {
            // Without an actor the system withdrew it, and says why.
            let (subject, why) = match (actor, reason) {
                (None, Some(r)) => (
                    format!("{t_first}'s request was withdrawn"),
                    format!(": {r} for the trip"),
                ),
                _ => (format!("{t_first} withdrew a request"), String::new()),
            };
            send(
                state,
                conn,
                &p.owner.email,
                &subject,
                &Content {
                    lang: Default::default(),
                    greeting: format!("Hello {o_first},"),
                    paragraphs: vec![format!(
                        "{t_first} no longer needs {}{why}. Nothing else to do.",
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
            let mut paragraphs = vec![
                format!("{who} cancelled {}.", p.what()),
                format!("Reason: {}", reason.unwrap_or("none given")),
            ];
            // A traveller whose booking the owner cancelled needs the leg
            // again: the next best options come with the news.
            if to_user.id == p.traveller.id {
                paragraphs.extend(what_else_fits(next_best(state, p).await?));
            }
            send(
                state,
                conn,
                &to_user.email,
                &format!("Cancelled: {}", p.what()),
                &Content {
                    lang: Default::default(),
                    greeting: format!("Hello {},", first_name(&to_user.name)),
                    paragraphs,
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

/// The owner's reminder of a request waiting two days.
pub(super) async fn reminder(
    state: &AppState,
    conn: &mut AnyConnection,
    p: &Parties,
) -> AppResult<()> {
    let traveller = first_name(&p.traveller.name);
    send(
        state,
        conn,
        &p.owner.email,
        &format!("Reminder: {traveller} is waiting for your answer"),
        &Content {
            lang: Default::default(),
            greeting: format!("Hello {},", first_name(&p.owner.name)),
            paragraphs: vec![
                format!("{traveller} asked two days ago for {}.", p.what()),
                "The request expires tomorrow if nobody answers.".into(),
            ],
            action: Some((
                "Answer the request".into(),
                state.link(&format!("/bookings/{}", p.booking.id)),
            )),
            footer: vec![],
        },
    )
    .await
}

/// The paragraphs a traveller who lost an option reads next: the next best
/// options for the leg (see [`next_best`]), or that alerts will say when one appears.
fn what_else_fits(next: Vec<String>) -> Vec<String> {
    if next.is_empty() {
        return vec![
            "Nothing else fits right now. New offers appear every day; while your trip's alerts are on, we email you when one fits.".into(),
        ];
    }
    let mut out = vec!["These fit your trip too:".to_string()];
    out.extend(next);
    out
}

/// The traveller's notice that a request expired, with what else fits.
pub(super) async fn expired(
    state: &AppState,
    conn: &mut AnyConnection,
    p: &Parties,
    next: Vec<String>,
) -> AppResult<()> {
    let mut paragraphs = vec![format!(
        "Your request for {} got no answer in time, so it has expired.",
        p.what()
    )];
    paragraphs.extend(what_else_fits(next));
    send(
        state,
        conn,
        &p.traveller.email,
        &format!("Expired: {}", p.what()),
        &Content {
            lang: Default::default(),
            greeting: format!("Hello {},", first_name(&p.traveller.name)),
            paragraphs,
            action: Some((
                "See what fits".into(),
                state.link(&format!("/trips/{}", p.trip.id)),
            )),
            footer: vec![],
        },
    )
    .await
}

/// The day-before reminder to both sides, with each other's contacts.
pub(super) async fn day_before(
    state: &AppState,
    conn: &mut AnyConnection,
    p: &Parties,
) -> AppResult<()> {
    let both: [(&User, bool); 2] = [(&p.traveller, true), (&p.owner, false)];
    for (user, for_traveller) in both {
        let mut paragraphs = vec![format!("Tomorrow: {}.", p.what())];
        paragraphs.extend(contact_lines(p, for_traveller));
        send(
            state,
            conn,
            &user.email,
            &format!("Tomorrow: {}", p.what()),
            &Content {
                lang: Default::default(),
                greeting: format!("Hello {},", first_name(&user.name)),
                paragraphs,
                action: Some((
                    "See the details".into(),
                    state.link(&format!("/bookings/{}", p.booking.id)),
                )),
                footer: vec![],
            },
        )
        .await?;
    }
    Ok(())
}

/// The three best other offers for the booking's leg, as lines.
pub(super) async fn next_best(state: &AppState, p: &Parties) -> AppResult<Vec<String>> {
    let found = state.finder.for_trip(&p.trip, state.clock.today()).await?;
    let leg = p.booking.leg;
    // The lines go to the traveller: their unit.
    Ok(found
        .lines(p.traveller.distance_unit, Lang::En)
        .filter(|(l, o, _)| *o != p.booking.offer && *l == leg)
        .take(3)
        .map(|(_, _, line)| line)
        .collect())
}
