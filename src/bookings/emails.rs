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
use crate::store::users::User;

/// Composes a message and queues it in `conn`'s transaction, in the
/// language of `c` (the recipient's, see [`lang_of`]).
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

/// The language a person reads their emails in: their choice, else English.
fn lang_of(user: &User) -> Lang {
    user.language.unwrap_or_default()
}

/// The other side's name, email, phone and (for a traveller's bed) street.
fn contact_lines(p: &Parties, for_traveller: bool, lang: Lang) -> Vec<String> {
    let other = if for_traveller {
        &p.owner
    } else {
        &p.traveller
    };
    let mut lines = vec![format!("{}: {}", other.name, other.email)];
    if let Some(phone) = &other.phone {
        lines.push(lang.t_args("email-phone", &[("phone", phone)]));
    }
    if for_traveller {
        if let Loaded::Stay(s) = &p.offer {
            if let Some(street) = &s.street {
                lines.push(lang.t_args(
                    "email-address",
                    &[("street", street), ("town", &s.place.label())],
                ));
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
    let lang = lang_of(&p.owner);
    let traveller = first_name(&p.traveller.name);
    let what = p.what_in(lang);
    let town = p.trip.from.town();
    let mut paragraphs = vec![if p.booking.proposed.is_some() {
        lang.t_args(
            "email-request-proposed",
            &[
                ("office", &p.trip.office_name),
                ("traveller", &traveller),
                ("town", &town),
                ("what", &what),
            ],
        )
    } else {
        lang.t_args(
            "email-request-asks",
            &[("traveller", &traveller), ("town", &town), ("what", &what)],
        )
    }];
    if !p.booking.message.is_empty() {
        paragraphs.push(lang.t_args("email-their-message", &[("message", &p.booking.message)]));
    }
    paragraphs.push(lang.t("email-answer-within"));
    // Built before `send`: the message arguments may not be held across its await.
    let subject = about(p, lang, "email-subject-request");
    let content = Content {
        lang,
        greeting: email::hello(lang, &p.owner.name),
        paragraphs,
        action: Some((lang.t("email-accept"), accept)),
        footer: vec![lang.t_args("email-decline-link", &[("url", &decline)])],
    };
    send(state, conn, &p.owner.email, &subject, &content).await
}

/// The traveller's email about a request the office made for them, with
/// the way to withdraw it.
pub(super) async fn requested_for_traveller(
    state: &AppState,
    conn: &mut AnyConnection,
    p: &Parties,
) -> AppResult<()> {
    let lang = lang_of(&p.traveller);
    let office_and = |key: &str| {
        lang.t_args(
            key,
            &[
                ("office", &p.trip.office_name),
                ("owner", &first_name(&p.owner.name)),
                ("what", &p.what_in(lang)),
            ],
        )
    };
    let subject = office_and("email-subject-asked-for-you");
    let content = Content {
        greeting: email::hello(lang, &p.traveller.name),
        paragraphs: vec![
            office_and("email-asked-for-you"),
            lang.t("email-withdraw-if"),
        ],
        action: Some((
            lang.t("email-withdraw-button"),
            state.link(&format!("/bookings/{}", p.booking.id)),
        )),
        footer: vec![],
        lang,
    };
    send(state, conn, &p.traveller.email, &subject, &content).await
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

/// A message's subject key with the booking's description (`what`) in
/// `lang`, and the traveller's first name (`traveller`).
fn about(p: &Parties, lang: Lang, key: &str) -> String {
    lang.t_args(
        key,
        &[
            ("traveller", &first_name(&p.traveller.name)),
            ("owner", &first_name(&p.owner.name)),
            ("what", &p.what_in(lang)),
        ],
    )
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
    let trip_link = state.link(&format!("/trips/{}", p.trip.id));
    let booking_link = state.link(&format!("/bookings/{}", p.booking.id));
    let (t_lang, o_lang) = (lang_of(&p.traveller), lang_of(&p.owner));
    match to {
        BookingStatus::Accepted => {
            let lang = t_lang;
            let mut paragraphs = vec![about(p, lang, "email-accepted")];
            paragraphs.extend(contact_lines(p, true, lang));
            send(
                state,
                conn,
                &p.traveller.email,
                &about(p, lang, "email-subject-confirmed"),
                &Content {
                    lang,
                    greeting: email::hello(lang, &p.traveller.name),
                    paragraphs,
                    action: Some((lang.t("email-see-trip"), trip_link)),
                    footer: vec![],
                },
            )
            .await?;
            if actor == Some(p.owner.id) && p.booking.status == BookingStatus::Requested {
                let lang = o_lang;
                let mut paragraphs = vec![about(p, lang, "email-confirmed-guest")];
                paragraphs.extend(contact_lines(p, false, lang));
                send(
                    state,
                    conn,
                    &p.owner.email,
                    &about(p, lang, "email-subject-booked"),
                    &Content {
                        lang,
                        greeting: email::hello(lang, &p.owner.name),
                        paragraphs,
                        action: Some((lang.t("email-see-booking"), booking_link)),
                        footer: vec![],
                    },
                )
                .await?;
            }
        }
        BookingStatus::Declined => {
            let lang = t_lang;
            send(
                state,
                conn,
                &p.traveller.email,
                &about(p, lang, "email-subject-declined"),
                &Content {
                    lang,
                    greeting: email::hello(lang, &p.traveller.name),
                    paragraphs: [about(p, lang, "email-declined")]
                        .into_iter()
                        .chain(what_else_fits(lang, next_best(state, p).await?))
                        .collect(),
                    action: Some((lang.t("email-see-what-fits"), trip_link)),
                    footer: vec![],
                },
            )
            .await?;
        }
        BookingStatus::Withdrawn => {
            let lang = o_lang;
            // Without an actor the system withdrew it, and says why.
            let (subject, text) = match (actor, reason) {
                (None, Some(r)) => {
                    // The reason is stored in English (history, logs); the
                    // one the system gives has its words in the catalogue.
                    let r = if r == crate::domain::leg::SUPERSEDED {
                        lang.t("email-reason-superseded")
                    } else {
                        r.to_string()
                    };
                    (
                        about(p, lang, "email-subject-withdrawn"),
                        lang.t_args(
                            "email-no-longer-needs-why",
                            &[
                                ("traveller", &first_name(&p.traveller.name)),
                                ("what", &p.what_in(lang)),
                                ("reason", &r),
                            ],
                        ),
                    )
                }
                _ => (
                    about(p, lang, "email-subject-withdrew"),
                    about(p, lang, "email-no-longer-needs"),
                ),
            };
            send(
                state,
                conn,
                &p.owner.email,
                &subject,
                &Content {
                    lang,
                    greeting: email::hello(lang, &p.owner.name),
                    paragraphs: vec![text],
                    action: None,
                    footer: vec![],
                },
            )
            .await?;
        }
        BookingStatus::Cancelled => {
            let (to_user, who, lang) = if actor == Some(p.traveller.id) {
                (&p.owner, &p.traveller, o_lang)
            } else {
                (&p.traveller, &p.owner, t_lang)
            };
            let mut paragraphs = vec![
                lang.t_args(
                    "email-cancelled",
                    &[("who", &first_name(&who.name)), ("what", &p.what_in(lang))],
                ),
                lang.t_args(
                    "email-reason",
                    &[(
                        "reason",
                        &reason.map_or_else(|| lang.t("email-no-reason"), str::to_string),
                    )],
                ),
            ];
            // A traveller whose booking the owner cancelled needs the leg
            // again: the next best options come with the news.
            if to_user.id == p.traveller.id {
                paragraphs.extend(what_else_fits(lang, next_best(state, p).await?));
            }
            send(
                state,
                conn,
                &to_user.email,
                &about(p, lang, "email-subject-cancelled"),
                &Content {
                    lang,
                    greeting: email::hello(lang, &to_user.name),
                    paragraphs,
                    action: Some((
                        lang.t("email-open"),
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
    let lang = lang_of(&p.owner);
    send(
        state,
        conn,
        &p.owner.email,
        &about(p, lang, "email-subject-reminder"),
        &Content {
            lang,
            greeting: email::hello(lang, &p.owner.name),
            paragraphs: vec![
                about(p, lang, "email-asked-two-days"),
                lang.t("email-expires-tomorrow"),
            ],
            action: Some((
                lang.t("email-answer-request"),
                state.link(&format!("/bookings/{}", p.booking.id)),
            )),
            footer: vec![],
        },
    )
    .await
}

/// The paragraphs a traveller who lost an option reads next: the next best
/// options for the leg (see [`next_best`]), or that alerts will say when one appears.
fn what_else_fits(lang: Lang, next: Vec<String>) -> Vec<String> {
    if next.is_empty() {
        return vec![lang.t("email-nothing-else-alerts")];
    }
    let mut out = vec![lang.t("email-these-fit")];
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
    let lang = lang_of(&p.traveller);
    let mut paragraphs = vec![about(p, lang, "email-expired")];
    paragraphs.extend(what_else_fits(lang, next));
    send(
        state,
        conn,
        &p.traveller.email,
        &about(p, lang, "email-subject-expired"),
        &Content {
            lang,
            greeting: email::hello(lang, &p.traveller.name),
            paragraphs,
            action: Some((
                lang.t("email-see-what-fits"),
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
        let lang = lang_of(user);
        let mut paragraphs = vec![about(p, lang, "email-tomorrow")];
        paragraphs.extend(contact_lines(p, for_traveller, lang));
        send(
            state,
            conn,
            &user.email,
            &about(p, lang, "email-subject-tomorrow"),
            &Content {
                lang,
                greeting: email::hello(lang, &user.name),
                paragraphs,
                action: Some((
                    lang.t("email-see-details"),
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
    // The lines go to the traveller: their unit and language.
    Ok(found
        .lines(p.traveller.distance_unit, lang_of(&p.traveller))
        .filter(|(l, o, _)| *o != p.booking.offer && *l == leg)
        .take(3)
        .map(|(_, _, line)| line)
        .collect())
}
