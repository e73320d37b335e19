//! Trips: a traveller plans one, edits, pauses or cancels it, and sees the
//! rides and beds that fit, ranked, with the reason in words.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::app::AppState;
use crate::domain::account::first_name;
use crate::domain::offer::{
    parse_date, parse_flex_days, parse_notes, parse_stay_km, PartySize, Status, TripDates,
};
use crate::error::{AppError, AppResult};
use crate::finder;
use crate::places::Gazetteer;
use crate::store::offices::{self, Office};
use crate::store::trips::{self, Trip, TripFields};
use crate::web::ctx::{Form, PageCtx, PathParam, QueryParams, Viewer};
use crate::web::forms::{office_options, pick_office, tick, ticked, FieldErrors, OfficeOption};
use crate::web::owned;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TripForm {
    pub office_id: String,
    pub from: String,
    pub arrive: String,
    pub leave: String,
    pub party_size: String,
    pub flex_days: String,
    pub max_stay_km: String,
    pub notes: String,
    pub needs_ride: Option<String>,
    pub needs_bed: Option<String>,
    pub need_step_free: Option<String>,
    pub need_no_pets: Option<String>,
    pub need_no_smoking: Option<String>,
}

impl TripForm {
    fn from_trip(t: &Trip) -> TripForm {
        TripForm {
            office_id: t.office_id.to_string(),
            from: t.from.label(),
            arrive: t.arrive.to_string(),
            leave: t.leave.to_string(),
            party_size: t.party_size.to_string(),
            flex_days: t.flex_days.to_string(),
            max_stay_km: t.max_stay_km.to_string(),
            notes: t.notes.clone(),
            needs_ride: tick(t.needs_ride),
            needs_bed: tick(t.needs_bed),
            need_step_free: tick(t.need_step_free),
            need_no_pets: tick(t.need_no_pets),
            need_no_smoking: tick(t.need_no_smoking),
        }
    }

    fn parse(&self, offices: &[Office], today: NaiveDate) -> Result<TripFields, FieldErrors> {
        let mut e = FieldErrors::new();
        let office = pick_office(&mut e, offices, &self.office_id);
        let from = e.check("from", Gazetteer::embedded().parse(&self.from));
        let arrive = e.check("arrive", parse_date(&self.arrive));
        if arrive.is_some_and(|a| a < today) {
            e.add("arrive", "The arrival date is in the past.");
        }
        let leave = e.check("leave", parse_date(&self.leave));
        let dates = match (arrive, leave) {
            (Some(a), Some(l)) => e.check("leave", TripDates::new(a, l)),
            _ => None,
        };
        let party = e.check("party_size", PartySize::parse(&self.party_size));
        let flex = e.check("flex_days", parse_flex_days(&self.flex_days));
        let km = e.check("max_stay_km", parse_stay_km(&self.max_stay_km));
        let notes = e.check("notes", parse_notes(&self.notes));
        let (needs_ride, needs_bed) = (ticked(&self.needs_ride), ticked(&self.needs_bed));
        if !needs_ride && !needs_bed {
            e.add("needs", "Tick what you need: a ride, a bed, or both.");
        }
        if needs_bed && dates.is_some_and(|d| d.nights() == 0) {
            e.add(
                "leave",
                "For a bed, leave at least one day after you arrive.",
            );
        }
        match (office, from, dates, party, flex, km, notes) {
            (
                Some(o),
                Some(from),
                Some(dates),
                Some(party),
                Some(flex_days),
                Some(max_stay_km),
                Some(notes),
            ) if e.is_empty() => Ok(TripFields {
                office_id: o.id,
                from,
                arrive: dates.arrive(),
                leave: dates.leave(),
                party_size: party.get(),
                needs_ride,
                needs_bed,
                flex_days,
                max_stay_km,
                need_step_free: ticked(&self.need_step_free),
                need_no_pets: ticked(&self.need_no_pets),
                need_no_smoking: ticked(&self.need_no_smoking),
                notes,
            }),
            _ => Err(e),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "trips/form.html")]
pub struct TripFormPage {
    pub ctx: PageCtx,
    pub trip_id: Option<i64>,
    pub form: TripForm,
    pub offices: Vec<OfficeOption>,
    pub errors: FieldErrors,
}

async fn form_page(
    state: &AppState,
    viewer: &Viewer,
    trip_id: Option<i64>,
    form: TripForm,
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
        TripFormPage {
            ctx: viewer.page().await,
            trip_id,
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
    QueryParams(q): QueryParams<NewQuery>,
) -> AppResult<Response> {
    let user = viewer.require_user()?;
    let form = TripForm {
        office_id: q.office,
        from: user.home.as_ref().map(|h| h.label()).unwrap_or_default(),
        party_size: "1".into(),
        flex_days: "1".into(),
        max_stay_km: "40".into(),
        needs_ride: tick(true),
        needs_bed: tick(true),
        ..TripForm::default()
    };
    form_page(&state, &viewer, None, form, FieldErrors::new()).await
}

pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<TripForm>,
) -> AppResult<Response> {
    let user = viewer.require_user()?;
    let all = offices::all(&state.db.pool).await?;
    match form.parse(&all, state.clock.today()) {
        Err(errors) => form_page(&state, &viewer, None, form, errors).await,
        Ok(fields) => {
            let id =
                trips::insert(&state.db.pool, user.id, &fields, &state.clock.now_text()).await?;
            viewer
                .flash("ok", "Your trip is saved. Here is what fits.")
                .await;
            Ok(Redirect::to(&format!("/trips/{id}")).into_response())
        }
    }
}

async fn load_owned(state: &AppState, viewer: &Viewer, id: i64) -> AppResult<Trip> {
    let user = viewer.require_user()?;
    let trip = trips::by_id(&state.db.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    owned(user, trip.owner_id)?;
    Ok(trip)
}

pub async fn edit_page(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(id): PathParam<i64>,
) -> AppResult<Response> {
    let trip = load_owned(&state, &viewer, id).await?;
    form_page(
        &state,
        &viewer,
        Some(id),
        TripForm::from_trip(&trip),
        FieldErrors::new(),
    )
    .await
}

pub async fn update(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(id): PathParam<i64>,
    Form(form): Form<TripForm>,
) -> AppResult<Response> {
    let trip = load_owned(&state, &viewer, id).await?;
    if trip.status == Status::Cancelled {
        return Err(AppError::Conflict(
            "This trip is cancelled and can't be changed.".into(),
        ));
    }
    let all = offices::all(&state.db.pool).await?;
    match form.parse(&all, state.clock.today()) {
        Err(errors) => form_page(&state, &viewer, Some(id), form, errors).await,
        Ok(fields) => {
            trips::update(&state.db.pool, id, &fields, &state.clock.now_text()).await?;
            viewer.flash("ok", "Trip saved.").await;
            Ok(Redirect::to(&format!("/trips/{id}")).into_response())
        }
    }
}

/// A fitting offer as a traveller sees it before booking: first name and town only.
pub struct OfferRow {
    pub first_name: String,
    pub town: String,
    pub when: String,
    pub capacity: String,
    pub reason: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "trips/show.html")]
pub struct TripPage {
    pub ctx: PageCtx,
    pub trip: Trip,
    pub status: &'static str,
    pub base: String,
    pub is_past: bool,
    pub rides: Vec<OfferRow>,
    pub stays: Vec<OfferRow>,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(id): PathParam<i64>,
) -> AppResult<TripPage> {
    let trip = load_owned(&state, &viewer, id).await?;
    let today = state.clock.today();
    let found = finder::for_trip(&state.db, &trip, today).await?;
    let rides = found
        .rides
        .iter()
        .map(|(m, r)| OfferRow {
            first_name: first_name(&r.owner_name).to_string(),
            town: r.from.town(),
            when: format!("{} at {}", r.depart_date.format("%a %b %-d"), r.depart_time),
            capacity: format!("{} seats free", r.seats_free()),
            reason: m.reason.clone(),
        })
        .collect();
    let stays = found
        .stays
        .iter()
        .map(|(m, s)| OfferRow {
            first_name: first_name(&s.owner_name).to_string(),
            town: s.place.town(),
            when: format!(
                "{} to {}",
                s.first_night.format("%b %-d"),
                s.last_night.format("%b %-d")
            ),
            capacity: format!("{} beds", s.beds),
            reason: m.reason.clone(),
        })
        .collect();
    Ok(TripPage {
        ctx: viewer.page().await,
        status: trip.status.as_str(),
        base: format!("/trips/{}", trip.id),
        is_past: trip.arrive < today,
        trip,
        rides,
        stays,
    })
}

/// POST /trips/{id}/{pause|resume|cancel}
pub async fn change_status(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam((id, action)): PathParam<(i64, String)>,
) -> AppResult<Redirect> {
    let trip = load_owned(&state, &viewer, id).await?;
    let (to, msg) = crate::web::status_change(&action, trip.status)?;
    trips::set_status(&state.db.pool, id, to, &state.clock.now_text()).await?;
    viewer.flash("ok", format!("Trip {msg}.")).await;
    Ok(Redirect::to(&format!("/trips/{id}")))
}
