//! Stay offers: a host creates, edits, pauses and cancels them, and sees the
//! trips that fit.

use crate::domain::ids::StayId;
use std::collections::BTreeSet;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::domain::offer::{
    parse_blocked_nights, parse_date, parse_notes, Beds, NightRange, Status,
};
use crate::error::{AppError, AppResult};
use crate::places::Gazetteer;
use crate::state::AppState;
use crate::store::stays::{self, Stay, StayFields};
use crate::web::ctx::{Form, PageCtx, PathParam, Viewer};
use crate::web::forms::{in_place, tick, ticked, FieldErrors};
use crate::web::owned;
use crate::web::rides::TripRow;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StayForm {
    pub place: String,
    pub street: String,
    pub beds: String,
    pub first_night: String,
    pub last_night: String,
    pub blocked_nights: String,
    pub notes: String,
    pub pets_in_home: Option<String>,
    pub smoking: Option<String>,
    pub children_welcome: Option<String>,
    pub step_free: Option<String>,
    pub instant_accept: Option<String>,
}

impl StayForm {
    fn from_stay(s: &Stay) -> StayForm {
        StayForm {
            place: s.place.label(),
            street: s.street.clone().unwrap_or_default(),
            beds: s.beds.to_string(),
            first_night: s.first_night.to_string(),
            last_night: s.last_night.to_string(),
            blocked_nights: s
                .blocked
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            notes: s.notes.clone(),
            pets_in_home: tick(s.pets_in_home),
            smoking: tick(s.smoking),
            children_welcome: tick(s.children_welcome),
            step_free: tick(s.step_free),
            instant_accept: tick(s.instant_accept),
        }
    }

    fn parse(&self, today: NaiveDate, is_new: bool) -> Result<StayFields, FieldErrors> {
        let mut e = FieldErrors::new();
        let place = e.check("place", Gazetteer::embedded().parse(&self.place));
        let street = crate::domain::tidy(&self.street);
        if street.chars().count() > 200 {
            e.add("street", "Keep the street address under 200 characters.");
        } else if street.chars().any(char::is_control) {
            e.add("street", "The address has characters we can't use.");
        }
        let beds = e.check("beds", Beds::parse(&self.beds));
        let first = e.check("first_night", parse_date(&self.first_night));
        let last = e.check("last_night", parse_date(&self.last_night));
        if is_new && last.is_some_and(|l| l < today) {
            e.add("last_night", "The last night is in the past.");
        }
        let range = match (first, last) {
            (Some(f), Some(l)) => e.check("last_night", NightRange::new(f, l)),
            _ => None,
        };
        let blocked = match range {
            Some(r) => e.check(
                "blocked_nights",
                parse_blocked_nights(&self.blocked_nights, r),
            ),
            None => Some(BTreeSet::new()),
        };
        let notes = e.check("notes", parse_notes(&self.notes));
        match (place, beds, range, blocked, notes) {
            (Some(place), Some(beds), Some(range), Some(blocked), Some(notes)) if e.is_empty() => {
                Ok(StayFields {
                    place,
                    street: (!street.is_empty()).then_some(street),
                    beds: beds.get(),
                    first_night: range.first(),
                    last_night: range.last(),
                    pets_in_home: ticked(&self.pets_in_home),
                    smoking: ticked(&self.smoking),
                    children_welcome: ticked(&self.children_welcome),
                    step_free: ticked(&self.step_free),
                    instant_accept: ticked(&self.instant_accept),
                    notes,
                    blocked,
                })
            }
            _ => Err(e),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "stays/form.html")]
pub struct StayFormPage {
    pub ctx: PageCtx,
    pub stay_id: Option<StayId>,
    pub form: StayForm,
    pub errors: FieldErrors,
}

async fn form_page(
    viewer: &Viewer,
    stay_id: Option<StayId>,
    form: StayForm,
    errors: FieldErrors,
) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (
        status,
        StayFormPage {
            ctx: viewer.page().await,
            stay_id,
            form,
            errors,
        },
    )
        .into_response()
}

pub async fn new_page(viewer: Viewer) -> AppResult<Response> {
    let user = viewer.require_user()?;
    let form = StayForm {
        place: user.home.as_ref().map(|h| h.label()).unwrap_or_default(),
        beds: "1".into(),
        ..StayForm::default()
    };
    Ok(form_page(&viewer, None, form, FieldErrors::new()).await)
}

pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<StayForm>,
) -> AppResult<Response> {
    let user = viewer.require_verified()?;
    match form.parse(state.clock.today(), true) {
        Err(errors) => Ok(form_page(&viewer, None, form, errors).await),
        Ok(fields) => {
            let mut tx = state.db.pool.begin().await?;
            let id = stays::insert(&mut tx, user.id, &fields, &state.clock.now_text()).await?;
            tx.commit().await?;
            viewer
                .flash(
                    "ok",
                    "Your beds are offered. Trips that fit are listed below.",
                )
                .await;
            Ok(Redirect::to(&format!("/stays/{id}")).into_response())
        }
    }
}

pub(crate) async fn load_owned(state: &AppState, viewer: &Viewer, id: StayId) -> AppResult<Stay> {
    let user = viewer.require_user()?;
    let mut conn = state.db.pool.acquire().await?;
    let stay = stays::by_id(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    owned(user, stay.owner_id)?;
    Ok(stay)
}

pub async fn edit_page(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(id): PathParam<StayId>,
) -> AppResult<Response> {
    let stay = load_owned(&state, &viewer, id).await?;
    Ok(form_page(
        &viewer,
        Some(id),
        StayForm::from_stay(&stay),
        FieldErrors::new(),
    )
    .await)
}

pub async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(id): PathParam<StayId>,
    Form(form): Form<StayForm>,
) -> AppResult<Response> {
    let stay = load_owned(&state, &viewer, id).await?;
    if stay.status == Status::Cancelled {
        return Err(AppError::Conflict(
            "This stay is cancelled and can't be changed.".into(),
        ));
    }
    match form.parse(state.clock.today(), false) {
        Err(errors) => Ok(form_page(&viewer, Some(id), form, errors).await),
        Ok(fields) => {
            if fields.place != stay.place && stay.taken.values().any(|n| *n > 0) {
                let mut errors = FieldErrors::new();
                errors.add(
                    "place",
                    "Guests are booked here. Cancel their bookings first to change the place.",
                );
                return Ok(form_page(&viewer, Some(id), form, errors).await);
            }
            let mut tx = state.db.pool.begin().await?;
            if !stays::update(&mut tx, id, &fields, &state.clock.now_text()).await? {
                tx.rollback().await?;
                let mut errors = FieldErrors::new();
                errors.add(
                    "beds",
                    "Some nights already have guests: keep those nights open with enough beds.",
                );
                return Ok(form_page(&viewer, Some(id), form, errors).await);
            }
            tx.commit().await?;
            viewer.flash("ok", "Stay saved.").await;
            Ok(Redirect::to(&format!("/stays/{id}")).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "stays/show.html")]
pub struct StayPage {
    pub ctx: PageCtx,
    pub stay: Stay,
    pub status: &'static str,
    pub base: String,
    pub nights: i64,
    pub blocked: String,
    pub trips: Vec<TripRow>,
    pub bookings: Vec<crate::web::bookings::BookingRow>,
    /// Beside the pause/resume/cancel buttons when one is refused.
    pub errors: FieldErrors,
    /// Whether the owner asked for emails about trips that fit.
    pub alerts_on: bool,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(id): PathParam<StayId>,
) -> AppResult<StayPage> {
    let stay = load_owned(&state, &viewer, id).await?;
    let found = state.finder.for_stay(&stay, state.clock.today()).await?;
    Ok(StayPage {
        ctx: viewer.page().await,
        status: stay.status.as_str(),
        base: format!("/stays/{}", stay.id),
        nights: (stay.last_night - stay.first_night).num_days() + 1,
        blocked: stay
            .blocked
            .iter()
            .map(|d| viewer.lang().date_short(*d))
            .collect::<Vec<_>>()
            .join(", "),
        trips: found
            .iter()
            .map(|(m, t)| TripRow::new(t, m.reason(viewer.unit(), viewer.lang()), viewer.lang()))
            .collect(),
        bookings: crate::web::bookings::rows_for_offer(
            &state,
            crate::store::bookings::Offer::Stay(id),
            viewer.lang(),
        )
        .await?,
        stay,
        errors: FieldErrors::new(),
        alerts_on: crate::web::alerts::offer_alerts_on(
            &state,
            crate::store::alerts::Kind::Stay,
            id.get(),
        )
        .await?,
    })
}

/// POST /stays/{id}/{pause|resume|cancel}. A change the status no longer
/// allows (an old page) brings the page back with the message beside the
/// buttons.
pub async fn change_status(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam((id, action)): PathParam<(StayId, String)>,
) -> AppResult<Response> {
    let stay = load_owned(&state, &viewer, id).await?;
    let changed = match crate::web::status_change(&action, stay.status) {
        Err(e) => Err(e),
        // Bookings end in the owner's name, also when an admin cancels.
        Ok((Status::Cancelled, msg)) => crate::bookings::cancel_offer(
            &state,
            stay.owner_id,
            crate::store::bookings::Offer::Stay(id),
        )
        .await
        .map(|()| msg),
        Ok((to, msg)) => stays::set_status(&state.db.pool, id, to, &state.clock.now_text())
            .await
            .map(|_| msg)
            .map_err(AppError::from),
    };
    match changed {
        Ok(msg) => {
            viewer.flash("ok", format!("Stay {msg}.")).await;
            Ok(Redirect::to(&format!("/stays/{id}")).into_response())
        }
        Err(e) => {
            let (status, message) = in_place(e)?;
            let mut page = show(State(state), viewer, PathParam(id)).await?;
            page.errors.add("status", message);
            Ok((status, page).into_response())
        }
    }
}
