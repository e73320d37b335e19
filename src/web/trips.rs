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
use crate::domain::plan;
use crate::error::{AppError, AppResult};
use crate::finder::TripMatches;
use crate::i18n::Lang;
use crate::places::Gazetteer;
use crate::state::AppState;
use crate::store::alerts::{self, Kind};
use crate::store::offices::{self, Office};
use crate::store::trips::{self, Trip, TripFields};
use crate::web::ctx::{Form, PageCtx, PathParam, QueryParams, Viewer};
use crate::web::forms::{
    in_place, office_options, pick_office, tick, ticked, FieldErrors, OfficeOption,
};
use crate::web::owned;
use crate::web::paging::Pager;
use std::collections::HashMap;

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
    pub needs_ride_home: Option<String>,
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
            needs_ride_home: tick(t.needs_ride_home),
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
                needs_ride_home: ticked(&self.needs_ride_home),
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
    /// The message putting the town in words: from a ride's start, to a
    /// ride home's end, in a stay.
    pub place_key: &'static str,
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

/// One line of the trip's plan ("how you get there", "where you sleep").
pub struct PlanLine {
    pub text: String,
    pub missing: bool,
    pub booking_id: Option<BookingId>,
}

/// The plan for one leg from the trip's live bookings on it: confirmed
/// with whom, when and where (the full address only once accepted),
/// requested, or nothing yet.
fn plan_line(live: &[&crate::bookings::Parties], leg: Leg, lang: Lang) -> PlanLine {
    use crate::bookings::Loaded;
    let accepted = live
        .iter()
        .find(|p| p.booking.status == BookingStatus::Accepted);
    if let Some(p) = accepted {
        let text = match &p.offer {
            Loaded::Ride(r) => lang.t_args(
                if leg == Leg::RideHome {
                    "plan-ride-home-with"
                } else {
                    "plan-ride-with"
                },
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
        let key = match leg {
            Leg::RideThere => "plan-ride-requested",
            Leg::Nights => "plan-bed-requested",
            Leg::RideHome => "plan-ride-home-requested",
        };
        return PlanLine {
            text: lang.t_args(key, &[("name", &first_name(&p.owner.name))]),
            missing: true,
            booking_id: Some(p.booking.id),
        };
    }
    PlanLine {
        text: lang.t(match leg {
            Leg::RideThere => "plan-no-ride",
            Leg::Nights => "plan-no-bed",
            Leg::RideHome => "plan-no-ride-home",
        }),
        missing: true,
        booking_id: None,
    }
}

/// Options listed per page of a leg: the best first, the rest a link away
/// (a trip near a big office can have a thousand).
pub const OPTIONS_PER_PAGE: usize = 10;

/// One leg of the plan as the trip page shows it.
pub struct LegView {
    /// The page's query parameter and anchor for this leg's list.
    pub key: &'static str,
    /// The id of the leg's list section.
    pub section: &'static str,
    pub title: String,
    pub needed: bool,
    /// The state in words: not needed · nothing fits yet · N options · requested · confirmed.
    pub state: String,
    pub plan: PlanLine,
    pub confirmed: Option<ConfirmedLeg>,
    pub heading: String,
    pub empty: String,
    /// The id of the line naming the confirmed booking, and its words
    /// before the name ("Your ride is confirmed with").
    pub confirmed_id: &'static str,
    pub confirmed_text: String,
    /// The leg's date has passed, so nothing is matched for it.
    pub past: bool,
    pub options: Vec<OfferRow>,
    pub pager: Pager,
    /// The address of a page of the list, up to the page number, and its anchor.
    pub prefix: String,
    pub anchor: String,
    /// "12 more rides" when the list goes on.
    pub more: Option<String>,
}

/// The words of a leg's list, as message keys: its section id, heading,
/// what an empty one says, the id of the line naming a confirmed booking
/// and that line's words, and how many more options there are.
struct ListWords {
    section: &'static str,
    heading: &'static str,
    empty: &'static str,
    confirmed_id: &'static str,
    confirmed: &'static str,
    more: &'static str,
}

fn list_words(leg: Leg) -> ListWords {
    match leg {
        Leg::RideThere => ListWords {
            section: "rides",
            heading: "trip-rides-fit",
            empty: "trip-no-rides",
            confirmed_id: "ride-confirmed",
            confirmed: "ride-confirmed-with",
            more: "more-rides",
        },
        Leg::Nights => ListWords {
            section: "stays",
            heading: "trip-beds-fit",
            empty: "trip-no-beds",
            confirmed_id: "bed-confirmed",
            confirmed: "bed-confirmed-with",
            more: "more-stays",
        },
        Leg::RideHome => ListWords {
            section: "rides-home",
            heading: "trip-rides-home-fit",
            empty: "trip-no-rides-home",
            confirmed_id: "home-confirmed",
            confirmed: "home-confirmed-with",
            more: "more-rides-home",
        },
    }
}

/// The rows of `range` of a leg's ranked options, and how many there are.
fn leg_options(
    leg: Leg,
    found: &TripMatches,
    range: std::ops::Range<usize>,
    unit: crate::domain::distance::Unit,
    lang: Lang,
    row: impl Fn(
        &'static str,
        crate::store::bookings::Offer,
    ) -> (Option<(BookingId, &'static str)>, bool),
) -> (usize, Vec<OfferRow>) {
    use crate::store::bookings::Offer;
    fn page<T>(all: &[T], r: std::ops::Range<usize>) -> &[T] {
        &all[r.start.min(all.len())..r.end.min(all.len())]
    }
    // Reasons are written for the shown page only (see `RideMatch::reason`).
    let rides = |total: usize, shown: Vec<(String, &crate::store::rides::Ride)>, home: bool| {
        (
            total,
            shown
                .into_iter()
                .map(|(reason, r)| {
                    let (booking, requestable) = row("ride", Offer::Ride(r.id));
                    OfferRow {
                        kind: "ride",
                        offer_id: r.id.get(),
                        booking,
                        requestable,
                        first_name: first_name(&r.owner_name).to_string(),
                        place_key: if home { "to-town" } else { "from-town" },
                        town: r.from.town(),
                        when: lang.t_args(
                            "date-at-time",
                            &[
                                ("date", &lang.date_day(r.depart_date)),
                                ("time", &r.depart_time.to_string()),
                            ],
                        ),
                        capacity: lang.t_args("count-seats-free", &[("n", &r.seats_free())]),
                        reason,
                    }
                })
                .collect(),
        )
    };
    match leg {
        Leg::RideThere => rides(
            found.rides.len(),
            page(&found.rides, range.clone())
                .iter()
                .map(|(m, r)| (m.reason(unit, lang), &**r))
                .collect(),
            false,
        ),
        Leg::RideHome => rides(
            found.rides_home.len(),
            page(&found.rides_home, range.clone())
                .iter()
                .map(|(m, r)| (m.reason(unit, lang), &**r))
                .collect(),
            true,
        ),
        Leg::Nights => (
            found.stays.len(),
            page(&found.stays, range)
                .iter()
                .map(|(m, s)| {
                    let (booking, requestable) = row("stay", Offer::Stay(s.id));
                    OfferRow {
                        kind: "stay",
                        offer_id: s.id.get(),
                        booking,
                        requestable,
                        first_name: first_name(&s.owner_name).to_string(),
                        place_key: "in-town",
                        town: s.place.town(),
                        when: lang.t_args(
                            "dates-to",
                            &[
                                ("from", &lang.date_short(s.first_night)),
                                ("to", &lang.date_short(s.last_night)),
                            ],
                        ),
                        capacity: lang.t_args("count-beds", &[("n", &s.beds)]),
                        reason: m.reason(unit, lang),
                    }
                })
                .collect(),
        ),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "trips/show.html")]
pub struct TripPage {
    pub ctx: PageCtx,
    pub trip: Trip,
    pub map: crate::web::maps::MapView,
    /// How far from the office the traveller would sleep, in their unit.
    pub stay_radius: String,
    pub status: &'static str,
    pub base: String,
    pub is_past: bool,
    /// What is still missing, in one sentence.
    pub missing: String,
    /// Every leg in plan order, needed or not.
    pub legs: Vec<LegView>,
    /// Whether alerts apply (a leg is open and the trip not past) and are on.
    pub alerts_apply: bool,
    pub alerts_on: bool,
    pub history: Vec<(BookingId, String, &'static str)>,
    /// Beside the pause/resume/cancel buttons when one is refused.
    pub errors: FieldErrors,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(id): PathParam<TripId>,
    QueryParams(pages): QueryParams<HashMap<String, String>>,
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
    let lang = viewer.lang();
    let booked: Vec<(Leg, BookingStatus)> = live
        .iter()
        .map(|p| (p.booking.leg, p.booking.status))
        .collect();
    let needs = trip.needs();
    let states = leg::states(needs, &booked);
    let mut legs = vec![];
    for l in Leg::ALL {
        let on_leg: Vec<_> = live
            .iter()
            .copied()
            .filter(|p| p.booking.leg == l)
            .collect();
        let leg_state = leg::state_of(l, &booked);
        let confirmed = (leg_state == LegState::Confirmed)
            .then(|| {
                on_leg
                    .iter()
                    .find(|p| p.booking.status == BookingStatus::Accepted)
            })
            .flatten()
            .map(|p| ConfirmedLeg {
                booking_id: p.booking.id,
                with: first_name(&p.owner.name).to_string(),
            });
        let key = plan::key(l);
        let total = leg_options(l, &found, 0..0, unit, lang, |_, _| (None, false)).0;
        let pager = Pager::new(pages.get(key).map(String::as_str), total, OPTIONS_PER_PAGE);
        let range = pager.offset()..pager.offset() + pager.per_page;
        let requestable = confirmed.is_none();
        let (_, options) = leg_options(l, &found, range, unit, lang, |_, offer| {
            let booking = live
                .iter()
                .find(|p| p.booking.offer == offer)
                .map(|p| (p.booking.id, p.booking.status.label()));
            (booking, requestable)
        });
        let (_, last) = pager.range();
        let rest = total - last.min(total);
        let words = list_words(l);
        let section = words.section;
        legs.push(LegView {
            key,
            section,
            title: lang.translate_english(plan::title(l)),
            needed: needs.includes(l),
            state: match leg_state {
                _ if !needs.includes(l) => lang.t("leg-not-needed"),
                LegState::Confirmed => lang.t("leg-confirmed"),
                LegState::Pending => lang.t("leg-requested"),
                LegState::Open if total == 0 => lang.t("leg-nothing-fits"),
                LegState::Open => lang.t_args("count-options", &[("n", &(total as i64))]),
            },
            plan: plan_line(&on_leg, l, lang),
            confirmed,
            heading: lang.t(words.heading),
            empty: lang.t(words.empty),
            confirmed_id: words.confirmed_id,
            confirmed_text: lang.t(words.confirmed),
            past: match l {
                Leg::RideThere | Leg::Nights => trip.arrive < today,
                Leg::RideHome => trip.leave < today,
            },
            options,
            prefix: format!("/trips/{}?{key}=", trip.id),
            anchor: format!("#{section}"),
            more: (rest > 0).then(|| lang.t_args(words.more, &[("n", &(rest as i64))])),
            pager,
        });
    }
    let history = loaded
        .iter()
        .filter(|p| !p.booking.status.is_live())
        .map(|p| (p.booking.id, p.what_in(lang), p.booking.status.label()))
        .collect();
    let is_past = trip.arrive < today;
    let alerts_apply =
        trip.status == Status::Active && !is_past && states.iter().any(|(_, s)| s.is_gap());
    let alerts_on = alerts::of(&state.db.pool, Kind::Trip, &[trip.id.get()])
        .await?
        .get(&trip.id.get())
        .map_or(Kind::Trip.on_by_default(), |w| w.enabled);
    let map = crate::web::maps::trip_map(
        &trip,
        // Rides home are listed, not drawn: their way runs from the office.
        found.rides.iter().map(|(_, r)| r.as_ref()),
        found.stays.iter().map(|(_, s)| s.as_ref()),
        lang,
    );
    Ok(TripPage {
        ctx: viewer.page().await,
        map,
        stay_radius: Distance::km(trip.max_stay_km).show(unit),
        status: trip.status.as_str(),
        base: format!("/trips/{}", trip.id),
        missing: plan::missing_sentence(lang, &states, trip.arrive, trip.leave),
        is_past,
        trip,
        legs,
        alerts_apply,
        alerts_on,
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
            let mut page = show(
                State(state),
                viewer,
                PathParam(id),
                QueryParams(HashMap::new()),
            )
            .await?;
            page.errors.add("status", message);
            Ok((status, page).into_response())
        }
    }
}
