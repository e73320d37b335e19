//! Calendars: one accepted booking as an `.ics` download (for its traveller
//! and its owner only), and each user's private feed of all their accepted
//! rides and nights, which calendar apps subscribe to without signing in —
//! the secret token in its address is the credential.

use crate::domain::ids::{BookingId, OfficeId, UserId};
use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Redirect, Response};
use chrono_tz::Tz;

use crate::bookings::{self, Loaded, Parties};
use crate::calendar::{self, Entry};
use crate::domain::booking::BookingStatus;
use crate::domain::office::default_time_zone;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::store::bookings::accepted_for_user;
use crate::store::users;
use crate::store::{calendar as feeds, offices};
use crate::web::ctx::{PageCtx, PathParam, Viewer};

/// The feed's address, shown once right after it is made.
#[derive(Template, WebTemplate)]
#[template(path = "calendar/feed_created.html")]
pub struct FeedCreatedPage {
    pub ctx: PageCtx,
    pub url: String,
    pub replaced: bool,
}

/// `GET /bookings/{id}/calendar.ics`: an accepted booking as one event.
/// To anyone but its traveller and owner, and before it is accepted, it does
/// not exist.
pub async fn booking(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(id): PathParam<BookingId>,
) -> AppResult<Response> {
    let user = viewer.require_user()?;
    let p = bookings::load(&state.db, id).await?;
    let party = user.id == p.traveller.id || user.id == p.owner.id;
    if !party || p.booking.status != BookingStatus::Accepted {
        return Err(AppError::NotFound);
    }
    let site = state.settings.public_url();
    let mut zones = HashMap::new();
    let entry = entry_for(&state, &p, user.id, &site, &mut zones, viewer.lang()).await?;
    let body = calendar::render(&[entry], &site, state.clock.now(), None);
    let disposition = format!("attachment; filename=\"trip-planner-booking-{id}.ics\"");
    Ok(ics(body, Some(&disposition)))
}

/// `POST /calendar/feed`: makes a new feed address (turning off the old one)
/// and shows it this once; only its hash is kept.
pub async fn create_feed(State(state): State<AppState>, viewer: Viewer) -> AppResult<Response> {
    let user = viewer.require_user()?;
    // Only for the wording; the upsert itself is what replaces an old feed.
    let replaced = feeds::created_at(&state.db.pool, user.id).await?.is_some();
    let token = feeds::replace(&state.db.pool, user.id, &state.clock.now_text()).await?;
    let page = FeedCreatedPage {
        ctx: viewer.page().await,
        url: feed_url(&state.settings.public_url(), &token),
        replaced,
    };
    // The page holds the secret: keep it out of every cache.
    Ok((
        [(CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        page,
    )
        .into_response())
}

/// `POST /calendar/feed/revoke`: turns the feed off; its address stops working.
pub async fn revoke_feed(State(state): State<AppState>, viewer: Viewer) -> AppResult<Redirect> {
    let user = viewer.require_user()?;
    if feeds::revoke(&state.db.pool, user.id).await? {
        viewer
            .flash(
                "ok",
                "Your calendar feed is off. Calendars subscribed to it will stop updating.",
            )
            .await;
    } else {
        viewer.flash("ok", "You have no calendar feed.").await;
    }
    Ok(Redirect::to("/me#calendar-feed"))
}

/// `GET /calendar/{token}.ics`: the feed of the token's owner. No session:
/// an unknown, revoked or malformed token is a plain 404.
pub async fn feed(
    State(state): State<AppState>,
    PathParam(file): PathParam<String>,
) -> AppResult<Response> {
    let token = file.strip_suffix(".ics").ok_or(AppError::NotFound)?;
    let user_id = feeds::user_for(&state.db.pool, token)
        .await?
        .ok_or(AppError::NotFound)?;
    let site = state.settings.public_url();
    let mut zones = HashMap::new();
    let mut entries = Vec::new();
    let list = accepted_for_user(&state.db.pool, user_id).await?;
    // No session here: the feed speaks the language chosen on the account.
    let lang = users::language_of(&state.db.pool, user_id).await?;
    for p in bookings::load_all(&state.db, list).await? {
        entries.push(entry_for(&state, &p, user_id, &site, &mut zones, lang).await?);
    }
    let body = calendar::render(&entries, &site, state.clock.now(), Some("Trip Planner"));
    Ok(ics(body, None))
}

/// For the "Calendar feed" section of /me: since when the user has a feed.
pub async fn feed_since(
    state: &AppState,
    user_id: UserId,
    lang: Lang,
) -> AppResult<Option<String>> {
    Ok(crate::web::exports::since_text(
        feeds::created_at(&state.db.pool, user_id).await?,
        lang,
    ))
}

fn feed_url(site: &str, token: &str) -> String {
    format!("{site}/calendar/{token}.ics")
}

/// The event for one booking; office zones are looked up once per office.
async fn entry_for(
    state: &AppState,
    p: &Parties,
    viewer_id: UserId,
    site: &str,
    zones: &mut HashMap<OfficeId, Tz>,
    lang: Lang,
) -> AppResult<Entry> {
    let zone = match &p.offer {
        Loaded::Ride(r) => match zones.get(&r.office_id) {
            Some(z) => *z,
            None => {
                let z = office_zone(state, r.office_id).await?;
                zones.insert(r.office_id, z);
                z
            }
        },
        Loaded::Stay(_) => Tz::UTC,
    };
    Ok(calendar::entry(p, viewer_id, zone, site, lang))
}

async fn office_zone(state: &AppState, office_id: OfficeId) -> AppResult<Tz> {
    let office = offices::by_id(&state.db.pool, office_id)
        .await?
        .ok_or(AppError::NotFound)?;
    // Zones are checked when an office is saved; an unreadable one falls back
    // to the state's usual zone rather than breaking the calendar.
    Ok(office
        .timezone
        .parse()
        .unwrap_or_else(|_| default_time_zone(&office.place.state)))
}

fn ics(body: String, disposition: Option<&str>) -> Response {
    let mut res = (
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            ),
            (CACHE_CONTROL, HeaderValue::from_static("private, no-cache")),
        ],
        body,
    )
        .into_response();
    if let Some(d) = disposition.and_then(|d| HeaderValue::from_str(d).ok()) {
        res.headers_mut().insert(CONTENT_DISPOSITION, d);
    }
    res
}
