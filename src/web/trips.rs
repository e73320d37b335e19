//! Trips: a traveller plans one, edits, pauses or cancels it, and sees the
//! rides and beds that fit, ranked, with the reason in words.

use crate::domain::ids::{BookingId, TripId};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::domain::account::first_name;
use crate::domain::booking::BookingStatus;
use crate::domain::distance::Distance;
use crate::domain::leg::{self, Leg, LegState};
use crate::domain::offer::{
    parse_date, parse_flex_days, parse_notes, parse_stay_km, PartySize, Status, TripDates,
};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::places::Gazetteer;
use crate::state::AppState;
use crate::store::offices::{self, Office};
use crate::store::trips::{self, Trip, TripFields};
use crate::web::ctx::{Form, PageCtx, PathParam, QueryParams, Viewer};
use crate::web::forms::{
    in_place, office_options, pick_office, tick, ticked, FieldErrors, OfficeOption,
};
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
        // Neither is fine: someone who drives and sleeps on their own is
        // still an arrival the office expects, counts and checks in.
        let (needs_ride, needs_bed) = (ticked(&self.needs_ride), ticked(&self.needs_bed));
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
    pub trip_id: Option<TripId>,
    pub form: TripForm,
    pub offices: Vec<OfficeOption>,
    pub errors: FieldErrors,
}

async fn form_page(
    state: &AppState,
    viewer: &Viewer,
    trip_id: Option<TripId>,
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

/// What a link may fill in on a new trip's form (the office page's "Plan a
/// trip with this"): each value is used only if it is valid, else ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewQuery {
    pub office: String,
    pub arrive: String,
    pub leave: String,
    /// `ride`, `bed` or `both`.
    pub need: String,
    pub stay_km: String,
}

impl NewQuery {
    /// The form the link asks for, from a blank trip starting at `home`.
    fn form(&self, home: String, today: NaiveDate) -> TripForm {
        let arrive = parse_date(&self.arrive).ok().filter(|a| *a >= today);
        let leave = parse_date(&self.leave)
            .ok()
            .filter(|l| arrive.is_some_and(|a| *l >= a));
        let (ride, bed) = match self.need.trim() {
            "ride" => (true, false),
            "bed" => (false, true),
            _ => (true, true),
        };
        let stay_km = parse_stay_km(&self.stay_km)
            .ok()
            .filter(|_| !self.stay_km.trim().is_empty());
        TripForm {
            office_id: self
                .office
                .trim()
                .parse::<crate::domain::ids::OfficeId>()
                .map(|id| id.to_string())
                .unwrap_or_default(),
            from: home,
            arrive: arrive.map(|d| d.to_string()).unwrap_or_default(),
            leave: leave.map(|d| d.to_string()).unwrap_or_default(),
            party_size: "1".into(),
            flex_days: "1".into(),
            max_stay_km: stay_km.map_or_else(|| "40".into(), |km| km.to_string()),
            needs_ride: tick(ride),
            needs_bed: tick(bed),
            ..TripForm::default()
        }
    }
}

pub async fn new_page(
    State(state): State<AppState>,
    viewer: Viewer,
    QueryParams(q): QueryParams<NewQuery>,
) -> AppResult<Response> {
    let user = viewer.require_user()?;
    let home = user.home.as_ref().map(|h| h.label()).unwrap_or_default();
    let form = q.form(home, state.clock.today());
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

async fn load_owned(state: &AppState, viewer: &Viewer, id: TripId) -> AppResult<Trip> {
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
    PathParam(id): PathParam<TripId>,
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
    PathParam(id): PathParam<TripId>,
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
            let changes_plan = fields.arrive != trip.arrive
                || fields.leave != trip.leave
                || fields.party_size != trip.party_size
                || fields.office_id != trip.office_id;
            if changes_plan && crate::store::bookings::trip_has_accepted(&state.db.pool, id).await?
            {
                let mut errors = FieldErrors::new();
                errors.add(
                    "arrive",
                    "You have confirmed rides or beds for these dates. Cancel them first to change the office, dates or party size.",
                );
                return form_page(&state, &viewer, Some(id), form, errors).await;
            }
            trips::update(&state.db.pool, id, &fields, &state.clock.now_text()).await?;
            viewer.flash("ok", "Trip saved.").await;
            Ok(Redirect::to(&format!("/trips/{id}")).into_response())
        }
    }
}

/// A fitting offer as a traveller sees it before booking: first name and town only.
pub struct OfferRow {
    pub kind: &'static str,
    pub offer_id: i64,
    pub first_name: String,
    pub town: String,
    pub when: String,
    pub capacity: String,
    pub reason: String,
    /// A live request or booking of this trip on this offer: (booking id, status label).
    pub booking: Option<(BookingId, &'static str)>,
    /// False when the trip's leg this offer would serve is confirmed.
    pub requestable: bool,
}

/// A confirmed leg, which the page names instead of offering requests.
pub struct ConfirmedLeg {
    pub booking_id: BookingId,
    /// The driver's or host's first name.
    pub with: String,
}

/// The leg's accepted booking, if the leg is confirmed.
fn confirmed(
    live: &[&crate::bookings::Parties],
    booked: &[(Leg, BookingStatus)],
    leg: Leg,
) -> Option<ConfirmedLeg> {
    if leg::state_of(leg, booked) != LegState::Confirmed {
        return None;
    }
    live.iter()
        .find(|p| Leg::of(p.booking.offer) == leg && p.booking.status == BookingStatus::Accepted)
        .map(|p| ConfirmedLeg {
            booking_id: p.booking.id,
            with: first_name(&p.owner.name).to_string(),
        })
}

/// One line of the trip's plan ("how you get there", "where you sleep").
pub struct PlanLine {
    pub text: String,
    pub missing: bool,
    pub booking_id: Option<BookingId>,
}

/// The plan for one need from the trip's live bookings of that kind.
fn plan_line(live: &[&crate::bookings::Parties], ride: bool, lang: Lang) -> PlanLine {
    use crate::bookings::Loaded;
    let accepted = live
        .iter()
        .find(|p| p.booking.status == BookingStatus::Accepted);
    if let Some(p) = accepted {
        let text = match &p.offer {
            Loaded::Ride(r) => lang.t_args(
                "plan-ride-with",
                &[
                    ("name", &p.owner.name),
                    ("date", &lang.date_day(r.depart_date)),
                    ("time", &r.depart_time.to_string()),
                    ("town", &r.from.town()),
                ],
            ),
            Loaded::Stay(st) => lang.t_args(
                "plan-sleeping-at",
                &[
                    ("name", &p.owner.name),
                    (
                        "place",
                        &st.street
                            .as_ref()
                            .map(|x| format!("{x}, {}", st.place.label()))
                            .unwrap_or_else(|| st.place.label()),
                    ),
                ],
            ),
        };
        return PlanLine {
            text,
            missing: false,
            booking_id: Some(p.booking.id),
        };
    }
    if let Some(p) = live.first() {
        let key = if ride {
            "plan-ride-requested"
        } else {
            "plan-bed-requested"
        };
        return PlanLine {
            text: lang.t_args(key, &[("name", &first_name(&p.owner.name))]),
            missing: true,
            booking_id: Some(p.booking.id),
        };
    }
    PlanLine {
        text: lang.t(if ride { "plan-no-ride" } else { "plan-no-bed" }),
        missing: true,
        booking_id: None,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "trips/show.html")]
pub struct TripPage {
    pub ctx: PageCtx,
    pub trip: Trip,
    /// How far from the office the traveller would sleep, in their unit.
    pub stay_radius: String,
    pub status: &'static str,
    pub base: String,
    pub is_past: bool,
    pub rides: Vec<OfferRow>,
    pub stays: Vec<OfferRow>,
    pub ride_plan: PlanLine,
    pub bed_plan: PlanLine,
    pub ride_confirmed: Option<ConfirmedLeg>,
    pub bed_confirmed: Option<ConfirmedLeg>,
    pub history: Vec<(BookingId, String, &'static str)>,
    /// Beside the pause/resume/cancel buttons when one is refused.
    pub errors: FieldErrors,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(id): PathParam<TripId>,
) -> AppResult<TripPage> {
    let trip = load_owned(&state, &viewer, id).await?;
    let today = state.clock.today();
    let found = state.finder.for_trip(&trip, today).await?;
    let unit = viewer.unit();
    let list = crate::store::bookings::for_trip(&state.db.pool, trip.id).await?;
    let loaded = crate::bookings::load_all(&state.db, list).await?;
    let live: Vec<&crate::bookings::Parties> = loaded
        .iter()
        .filter(|p| p.booking.status.is_live())
        .collect();
    let live_on = |offer: crate::store::bookings::Offer| {
        live.iter()
            .find(|p| p.booking.offer == offer)
            .map(|p| (p.booking.id, p.booking.status.label()))
    };
    let live_rides: Vec<_> = live.iter().copied().filter(|p| p.is_ride()).collect();
    let live_beds: Vec<_> = live.iter().copied().filter(|p| !p.is_ride()).collect();
    let lang = viewer.lang();
    let ride_plan = plan_line(&live_rides, true, lang);
    let bed_plan = plan_line(&live_beds, false, lang);
    let booked: Vec<(Leg, BookingStatus)> = live
        .iter()
        .map(|p| (Leg::of(p.booking.offer), p.booking.status))
        .collect();
    let ride_confirmed = confirmed(&live, &booked, Leg::RideThere);
    let bed_confirmed = confirmed(&live, &booked, Leg::Nights);
    let history = loaded
        .iter()
        .filter(|p| !p.booking.status.is_live())
        .map(|p| (p.booking.id, p.what(), p.booking.status.label()))
        .collect();
    let rides = found
        .rides
        .iter()
        .map(|(m, r)| OfferRow {
            kind: "ride",
            offer_id: r.id.get(),
            booking: live_on(crate::store::bookings::Offer::Ride(r.id)),
            requestable: ride_confirmed.is_none(),
            first_name: first_name(&r.owner_name).to_string(),
            town: r.from.town(),
            when: lang.t_args(
                "date-at-time",
                &[
                    ("date", &lang.date_day(r.depart_date)),
                    ("time", &r.depart_time.to_string()),
                ],
            ),
            capacity: lang.t_args("count-seats-free", &[("n", &r.seats_free())]),
            reason: m.reason(unit),
        })
        .collect();
    let stays = found
        .stays
        .iter()
        .map(|(m, s)| OfferRow {
            kind: "stay",
            offer_id: s.id.get(),
            booking: live_on(crate::store::bookings::Offer::Stay(s.id)),
            requestable: bed_confirmed.is_none(),
            first_name: first_name(&s.owner_name).to_string(),
            town: s.place.town(),
            when: lang.t_args(
                "dates-to",
                &[
                    ("from", &lang.date_short(s.first_night)),
                    ("to", &lang.date_short(s.last_night)),
                ],
            ),
            capacity: lang.t_args("count-beds", &[("n", &s.beds)]),
            reason: m.reason(unit),
        })
        .collect();
    Ok(TripPage {
        ctx: viewer.page().await,
        stay_radius: Distance::km(trip.max_stay_km).show(unit),
        status: trip.status.as_str(),
        base: format!("/trips/{}", trip.id),
        is_past: trip.arrive < today,
        trip,
        rides,
        stays,
        ride_plan,
        bed_plan,
        ride_confirmed,
        bed_confirmed,
        history,
        errors: FieldErrors::new(),
    })
}

/// POST /trips/{id}/{pause|resume|cancel}. A change the status no longer
/// allows (an old page) brings the page back with the message beside the
/// buttons.
pub async fn change_status(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam((id, action)): PathParam<(TripId, String)>,
) -> AppResult<Response> {
    let trip = load_owned(&state, &viewer, id).await?;
    let changed = match crate::web::status_change(&action, trip.status) {
        Err(e) => Err(e),
        // Bookings end in the owner's name, also when an admin cancels.
        Ok((Status::Cancelled, msg)) => crate::bookings::cancel_trip(&state, trip.owner_id, id)
            .await
            .map(|()| msg),
        Ok((to, msg)) => trips::set_status(&state.db.pool, id, to, &state.clock.now_text())
            .await
            .map(|_| msg)
            .map_err(AppError::from),
    };
    match changed {
        Ok(msg) => {
            viewer.flash("ok", format!("Trip {msg}.")).await;
            Ok(Redirect::to(&format!("/trips/{id}")).into_response())
        }
        Err(e) => {
            let (status, message) = in_place(e)?;
            let mut page = show(State(state), viewer, PathParam(id)).await?;
            page.errors.add("status", message);
            Ok((status, page).into_response())
        }
    }
}
