//! Switching alerts: the one-click unsubscribe of an alert email (works
//! without a session, only for the watch its token names) and the switch
//! on the trip page and the account page.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::alerts::unsubscribe_path;
use crate::domain::ids::TripId;
use crate::domain::plan;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::alerts::{self, Kind, Watch};
use crate::store::trips;
use crate::web::account::ConfirmPage;
use crate::web::ctx::{Form, PageCtx, PathParam, Viewer};
use crate::web::owned;

/// The watch a link's token names; anything else is "not found", so a
/// guessed or mangled link learns nothing.
async fn watch_of(state: &AppState, token: &str) -> AppResult<Watch> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    alerts::by_token(&state.db.pool, token)
        .await?
        .ok_or(AppError::NotFound)
}

/// What a watch is about, in words: "your trip to Milwaukee Field Office (Oct 28–30)".
async fn about(state: &AppState, w: &Watch) -> AppResult<String> {
    Ok(match w.kind {
        Kind::Trip => match trips::by_id(&state.db.pool, TripId(w.target_id)).await? {
            Some(t) => format!(
                "your trip to {} ({})",
                t.office_name,
                plan::span(t.arrive, t.leave)
            ),
            None => "a trip that no longer exists".into(),
        },
        Kind::Ride => "your ride".into(),
        Kind::Stay => "your beds".into(),
    })
}

/// GET /alerts/{token}: one button, so a mail scanner fetching the link
/// changes nothing.
pub async fn unsubscribe_page(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(token): PathParam<String>,
) -> AppResult<ConfirmPage> {
    let w = watch_of(&state, &token).await?;
    Ok(ConfirmPage {
        ctx: viewer.page().await,
        title: "Stop these alerts",
        text: format!(
            "Stop the emails about new rides and beds for {}.",
            about(&state, &w).await?
        ),
        action: unsubscribe_path(&token),
        button: "Stop these emails",
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "alerts/off.html")]
pub struct AlertsOffPage {
    pub ctx: PageCtx,
    pub text: String,
}

/// POST /alerts/{token}: the button above, and RFC 8058's one-click POST
/// from a mail client (no session, body `List-Unsubscribe=One-Click`).
pub async fn unsubscribe(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(token): PathParam<String>,
) -> AppResult<AlertsOffPage> {
    let w = watch_of(&state, &token).await?;
    alerts::switch(&state.db.pool, w.kind, w.target_id, false).await?;
    Ok(AlertsOffPage {
        ctx: viewer.page().await,
        text: format!(
            "You'll get no more alerts about {}.",
            about(&state, &w).await?
        ),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SwitchForm {
    /// `on` or `off`.
    pub alerts: String,
    /// Where to go back to: `account`, else the trip.
    pub back: String,
}

/// POST /trips/{id}/alerts: the owner turns the trip's alerts on or off.
pub async fn switch_trip(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(id): PathParam<TripId>,
    Form(form): Form<SwitchForm>,
) -> AppResult<Response> {
    let user = viewer.require_user()?;
    let trip = trips::by_id(&state.db.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    owned(user, trip.owner_id)?;
    let on = match form.alerts.as_str() {
        "on" => true,
        "off" => false,
        _ => {
            return Err(AppError::Invalid(
                "Choose whether alerts are on or off.".into(),
            ))
        }
    };
    alerts::switch(&state.db.pool, Kind::Trip, id.get(), on).await?;
    let msg = if on {
        "Alerts are on: we'll email you when something new fits this trip."
    } else {
        "Alerts are off for this trip."
    };
    viewer.flash("ok", msg).await;
    let to = if form.back == "account" {
        "/account#alerts".to_string()
    } else {
        format!("/trips/{id}#alerts")
    };
    Ok(Redirect::to(&to).into_response())
}
