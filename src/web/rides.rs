//! Ride offers: a driver creates, edits, pauses and cancels them, and sees
//! the trips that fit.

use crate::domain::ids::RideId;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::domain::account::first_name;
use crate::domain::distance::Distance;
use crate::domain::offer::{
    parse_date, parse_detour_km, parse_notes, parse_time, Direction, Seats, Status,
};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::matching::RideMatch;
use crate::places::Gazetteer;
use crate::state::AppState;
use crate::store::offices::{self, Office};
use crate::store::rides::{self, Ride, RideFields};
use crate::store::trips::Trip;
use crate::web::ctx::{Form, PageCtx, PathParam, Viewer};
use crate::web::forms::{
    in_place, office_options, pick_office, tick, ticked, FieldErrors, OfficeOption,
};
use crate::web::owned;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RideForm {
    pub office_id: String,
    pub from: String,
    pub depart_date: String,
    pub depart_time: String,
    pub seats: String,
    pub max_detour_km: String,
    pub return_date: String,
    pub notes: String,
    pub luggage: Option<String>,
    pub smoking: Option<String>,
    pub pets_welcome: Option<String>,
    pub step_free: Option<String>,
    pub instant_accept: Option<String>,
}

impl RideForm {
    fn from_ride(r: &Ride) -> RideForm {
        RideForm {
            office_id: r.office_id.to_string(),
            from: r.from.label(),
            depart_date: r.depart_date.to_string(),
            depart_time: r.depart_time.clone(),
            seats: r.seats.to_string(),
            max_detour_km: r.max_detour_km.to_string(),
            // The ride home, once made, is a ride of its own.
            return_date: String::new(),
            notes: r.notes.clone(),
            luggage: tick(r.luggage),
            smoking: tick(r.smoking),
            pets_welcome: tick(r.pets_welcome),
            step_free: tick(r.step_free),
            instant_accept: tick(r.instant_accept),
        }
    }

    /// Parses the form into a ride going `direction` and the day the driver
    /// drives back, if given; dates before `today` are refused.
    fn parse(
        &self,
        offices: &[Office],
        today: NaiveDate,
        direction: Direction,
    ) -> Result<(RideFields, Option<NaiveDate>), FieldErrors> {
        let mut e = FieldErrors::new();
        let office = pick_office(&mut e, offices, &self.office_id);
        let from = e.check("from", Gazetteer::embedded().parse(&self.from));
        let depart = e.check("depart_date", parse_date(&self.depart_date));
        if depart.is_some_and(|d| d < today) {
            e.add("depart_date", "The departure date is in the past.");
        }
        let time = e.check("depart_time", parse_time(&self.depart_time));
        let notes = e.check("notes", parse_notes(&self.notes));
        let seats = e.check(
            "seats",
            Seats::parse(&self.seats, notes.as_deref().unwrap_or("")),
        );
        let detour = e.check("max_detour_km", parse_detour_km(&self.max_detour_km));
        let return_date = if self.return_date.trim().is_empty() {
            Some(None)
        } else {
            e.check("return_date", parse_date(&self.return_date))
                .map(Some)
        };
        if let (Some(Some(r)), Some(d)) = (return_date, depart) {
            if r < d {
                e.add(
                    "return_date",
                    "The drive back can't be before the departure.",
                );
            }
        }
        match (
            office,
            from,
            depart,
            time,
            notes,
            seats,
            detour,
            return_date,
        ) {
            (
                Some(o),
                Some(from),
                Some(depart_date),
                Some(t),
                Some(notes),
                Some(seats),
                Some(max_detour_km),
                Some(return_date),
            ) if e.is_empty() => Ok((
                RideFields {
                    office_id: o.id,
                    direction,
                    from,
                    depart_date,
                    depart_time: t.format("%H:%M").to_string(),
                    seats: seats.get(),
                    max_detour_km,
                    luggage: ticked(&self.luggage),
                    smoking: ticked(&self.smoking),
                    pets_welcome: ticked(&self.pets_welcome),
                    step_free: ticked(&self.step_free),
                    instant_accept: ticked(&self.instant_accept),
                    notes,
                },
                return_date,
            )),
            _ => Err(e),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "rides/form.html")]
pub struct RideFormPage {
    pub ctx: PageCtx,
    pub ride_id: Option<RideId>,
    pub form: RideForm,
    pub offices: Vec<OfficeOption>,
    pub errors: FieldErrors,
}

async fn form_page(
    state: &AppState,
    viewer: &Viewer,
    ride_id: Option<RideId>,
    form: RideForm,
    errors: FieldErrors,
) -> AppResult<Response> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let all = offices::all(&state.db.pool).await?;
    Ok((
        status,
        RideFormPage {
            ctx: viewer.page().await,
            ride_id,
            offices: office_options(&all, &form.office_id),
            form,
            errors,
        },
    )
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewQuery {
    pub office: String,
}

pub async fn new_page(
    State(state): State<AppState>,
    viewer: Viewer,
    crate::web::ctx::QueryParams(q): crate::web::ctx::QueryParams<NewQuery>,
) -> AppResult<Response> {
    let user = viewer.require_user()?;
    let form = RideForm {
        office_id: q.office,
        from: user.home.as_ref().map(|h| h.label()).unwrap_or_default(),
        depart_time: "09:00".into(),
        seats: "3".into(),
        max_detour_km: "25".into(),
        ..RideForm::default()
    };
    form_page(&state, &viewer, None, form, FieldErrors::new()).await
}

pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<RideForm>,
) -> AppResult<Response> {
    let user = viewer.require_verified()?;
    let all = offices::all(&state.db.pool).await?;
    match form.parse(&all, state.clock.today(), Direction::ToOffice) {
        Err(errors) => form_page(&state, &viewer, None, form, errors).await,
        Ok((fields, back)) => {
            let now = state.clock.now_text();
            // Both rides or neither.
            let mut tx = state.db.pool.begin().await?;
            let id = rides::insert(&mut *tx, user.id, &fields, &now).await?;
            if let Some(back) = back {
                rides::insert(&mut *tx, user.id, &fields.drive_back(back), &now).await?;
            }
            tx.commit().await?;
            let said = if back.is_some() {
                "Your rides there and back are offered, each booked on its own. Trips that fit this one are listed below; your ride home is under My offers."
            } else {
                "Your ride is offered. Trips that fit are listed below."
            };
            viewer.flash("ok", said).await;
            Ok(Redirect::to(&format!("/rides/{id}")).into_response())
        }
    }
}

/// Loads a ride its viewer may manage (the driver, or an admin); others get 404.
pub(crate) async fn load_owned(state: &AppState, viewer: &Viewer, id: RideId) -> AppResult<Ride> {
    let user = viewer.require_user()?;
    let ride = rides::by_id(&state.db.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    owned(user, ride.owner_id)?;
    Ok(ride)
}

pub async fn edit_page(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(id): PathParam<RideId>,
) -> AppResult<Response> {
    let ride = load_owned(&state, &viewer, id).await?;
    form_page(
        &state,
        &viewer,
        Some(id),
        RideForm::from_ride(&ride),
        FieldErrors::new(),
    )
    .await
}

pub async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(id): PathParam<RideId>,
    Form(form): Form<RideForm>,
) -> AppResult<Response> {
    let ride = load_owned(&state, &viewer, id).await?;
    if ride.status == Status::Cancelled {
        return Err(AppError::Conflict(
            "This ride is cancelled and can't be changed.".into(),
        ));
    }
    let all = offices::all(&state.db.pool).await?;
    match form.parse(&all, state.clock.today(), ride.direction) {
        Err(errors) => form_page(&state, &viewer, Some(id), form, errors).await,
        Ok((fields, _)) => {
            let moves_ride = fields.office_id != ride.office_id
                || fields.depart_date != ride.depart_date
                || fields.from != ride.from;
            if moves_ride && ride.seats_taken > 0 {
                let mut errors = FieldErrors::new();
                errors.add(
                    "depart_date",
                    "Travellers are booked on this ride. Cancel their bookings first to change the office, date or starting place.",
                );
                return form_page(&state, &viewer, Some(id), form, errors).await;
            }
            if !rides::update(&state.db.pool, id, &fields, &state.clock.now_text()).await? {
                let mut errors = FieldErrors::new();
                errors.add(
                    "seats",
                    format!(
                        "{} already booked; offer at least that many.",
                        crate::domain::count(ride.seats_taken, "seat is", "seats are")
                    ),
                );
                return form_page(&state, &viewer, Some(id), form, errors).await;
            }
            viewer.flash("ok", "Ride saved.").await;
            Ok(Redirect::to(&format!("/rides/{id}")).into_response())
        }
    }
}

/// A trip that fits the ride, as the driver sees it before any booking.
pub struct TripRow {
    pub first_name: String,
    pub town: String,
    pub arrive: String,
    pub leave: String,
    pub party_size: i32,
    pub reason: String,
}

impl TripRow {
    /// `reason`: why it fits, already in `lang`.
    pub fn new(t: &Trip, reason: String, lang: Lang) -> TripRow {
        TripRow {
            first_name: first_name(&t.owner_name).to_string(),
            town: t.from.town(),
            arrive: lang.date_day(t.arrive),
            leave: lang.date_day(t.leave),
            party_size: t.party_size,
            reason,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "rides/show.html")]
pub struct RidePage {
    pub ctx: PageCtx,
    pub ride: Ride,
    pub office: Office,
    pub status: &'static str,
    pub base: String,
    pub detour: String,
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
    PathParam(id): PathParam<RideId>,
) -> AppResult<RidePage> {
    let ride = load_owned(&state, &viewer, id).await?;
    let office = offices::by_id(&state.db.pool, ride.office_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (today, unit, lang) = (state.clock.today(), viewer.unit(), viewer.lang());
    // The trips this ride fits, with why, each way.
    let trips: Vec<TripRow> = if ride.direction.is_home() {
        let found = state.finder.for_ride_home(&ride, today).await?;
        found
            .iter()
            .map(|(m, t)| TripRow::new(t, m.reason(unit, lang), lang))
            .collect()
    } else {
        let found: Vec<(RideMatch, Trip)> = state.finder.for_ride(&ride, today).await?;
        found
            .iter()
            .map(|(m, t)| TripRow::new(t, m.reason(unit, lang), lang))
            .collect()
    };
    Ok(RidePage {
        ctx: viewer.page().await,
        status: ride.status.as_str(),
        base: format!("/rides/{}", ride.id),
        detour: Distance::km(ride.max_detour_km).show(viewer.unit()),
        trips,
        bookings: crate::web::bookings::rows_for_offer(
            &state,
            crate::store::bookings::Offer::Ride(id),
            viewer.lang(),
        )
        .await?,
        ride,
        office,
        errors: FieldErrors::new(),
        alerts_on: crate::web::alerts::offer_alerts_on(
            &state,
            crate::store::alerts::Kind::Ride,
            id.get(),
        )
        .await?,
    })
}

/// POST /rides/{id}/{pause|resume|cancel}. A change the status no longer
/// allows (an old page) brings the page back with the message beside the
/// buttons.
pub async fn change_status(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam((id, action)): PathParam<(RideId, String)>,
) -> AppResult<Response> {
    let ride = load_owned(&state, &viewer, id).await?;
    let changed = match crate::web::status_change(&action, ride.status) {
        Err(e) => Err(e),
        // Bookings end in the owner's name, also when an admin cancels.
        Ok((Status::Cancelled, msg)) => crate::bookings::cancel_offer(
            &state,
            ride.owner_id,
            crate::store::bookings::Offer::Ride(id),
        )
        .await
        .map(|()| msg),
        Ok((to, msg)) => rides::set_status(&state.db.pool, id, to, &state.clock.now_text())
            .await
            .map(|_| msg)
            .map_err(AppError::from),
    };
    match changed {
        Ok(msg) => {
            viewer.flash("ok", format!("Ride {msg}.")).await;
            Ok(Redirect::to(&format!("/rides/{id}")).into_response())
        }
        Err(e) => {
            let (status, message) = in_place(e)?;
            let mut page = show(State(state), viewer, PathParam(id)).await?;
            page.errors.add("status", message);
            Ok((status, page).into_response())
        }
    }
}
