//! Switching alerts: the one-click unsubscribe of an alert email (works
//! without a session, only for the watch its token names) and the switch
//! on the trip page and the account page.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::alerts::unsubscribe_path;
use crate::domain::ids::{RideId, StayId, TripId};
use crate::domain::plan;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
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
async fn about(state: &AppState, w: &Watch, lang: Lang) -> AppResult<String> {
    Ok(match w.kind {
        Kind::Trip => match trips::by_id(&state.db.pool, TripId(w.target_id)).await? {
            Some(t) => lang.t_args(
                "alerts-about-trip",
                &[
                    ("office", &t.office_name),
                    ("dates", &plan::span_in(t.arrive, t.leave, lang)),
                ],
            ),
            None => lang.t("alerts-about-no-trip"),
        },
        Kind::Ride => {
            match crate::store::rides::by_id(&state.db.pool, RideId(w.target_id)).await? {
                Some(r) => lang.t_args(
                    "alerts-about-ride",
                    &[("date", &lang.date_day(r.depart_date))],
                ),
                None => lang.t("alerts-about-no-ride"),
            }
        }
        Kind::Stay => lang.t("office-your-beds"),
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
    let lang = viewer.lang();
    let about = about(&state, &w, lang).await?;
    let text = lang.t_args(
        if w.kind == Kind::Trip {
            "alerts-stop-trip"
        } else {
            "alerts-stop-offer"
        },
        &[("about", &about)],
    );
    Ok(ConfirmPage {
        ctx: viewer.page().await,
        title: "Stop these alerts",
        text,
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
    let lang = viewer.lang();
    let about = about(&state, &w, lang).await?;
    let text = lang.t_args("alerts-off-text", &[("about", &about)]);
    Ok(AlertsOffPage {
        ctx: viewer.page().await,
        text,
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
    let on = switch_to(&form)?;
    alerts::switch(&state.db.pool, Kind::Trip, id.get(), on).await?;
    let msg = if on {
        "Alerts are on: we'll email you when something new fits this trip."
    } else {
        "Alerts are off for this trip."
    };
    switched(&viewer, msg, &form, format!("/trips/{id}#alerts")).await
}

/// On or off, as the form asks; anything else changes nothing.
fn switch_to(form: &SwitchForm) -> AppResult<bool> {
    match form.alerts.as_str() {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(AppError::Invalid(
            "Choose whether alerts are on or off.".into(),
        )),
    }
}

/// Says what was switched and goes back where the form came from.
async fn switched(
    viewer: &Viewer,
    msg: &str,
    form: &SwitchForm,
    page: String,
) -> AppResult<Response> {
    viewer.flash("ok", msg).await;
    let to = if form.back == "account" {
        "/account#alerts".to_string()
    } else {
        page
    };
    Ok(Redirect::to(&to).into_response())
}

/// Turns an offer's alerts (trips that fit it) on or off for its owner.
async fn switch_offer(
    state: &AppState,
    viewer: &Viewer,
    kind: Kind,
    id: i64,
    form: &SwitchForm,
    page: String,
) -> AppResult<Response> {
    let on = switch_to(form)?;
    alerts::switch(&state.db.pool, kind, id, on).await?;
    let msg = if on {
        "Alerts are on: we'll email you, at most once a day, when new trips fit this offer."
    } else {
        "Alerts are off for this offer."
    };
    switched(viewer, msg, form, page).await
}

/// POST /rides/{id}/alerts: the driver asks for (or stops) emails about
/// trips that fit the ride.
pub async fn switch_ride(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(id): PathParam<RideId>,
    Form(form): Form<SwitchForm>,
) -> AppResult<Response> {
    crate::web::rides::load_owned(&state, &viewer, id).await?;
    let page = format!("/rides/{id}#alerts");
    switch_offer(&state, &viewer, Kind::Ride, id.get(), &form, page).await
}

/// POST /stays/{id}/alerts: the host asks for (or stops) emails about
/// trips that fit the beds.
pub async fn switch_stay(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(id): PathParam<StayId>,
    Form(form): Form<SwitchForm>,
) -> AppResult<Response> {
    crate::web::stays::load_owned(&state, &viewer, id).await?;
    let page = format!("/stays/{id}#alerts");
    switch_offer(&state, &viewer, Kind::Stay, id.get(), &form, page).await
}

/// Whether an offer's owner asked for alerts (off unless they did).
pub async fn offer_alerts_on(state: &AppState, kind: Kind, id: i64) -> AppResult<bool> {
    Ok(alerts::of(&state.db.pool, kind, &[id])
        .await?
        .get(&id)
        .map_or(kind.on_by_default(), |w| w.enabled))
}
