//! The field office's view: who arrives when, how and where they sleep, and
//! the gaps — for the office's staff and admins only.

use crate::domain::ids::{OfficeId, RideId, StayId, TripId, UserId};
use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Days, NaiveDate};
use serde::Deserialize;

use crate::dashboard::{self, Chart, CheckIn, Day, Plan, Traveller};
use crate::domain::account::first_name;
use crate::domain::booking::Offer;
use crate::domain::distance::Unit;
use crate::domain::leg::Leg;
use crate::domain::offer::{parse_date, Status};
use crate::email::{self, Content};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::store::offices::{self, Office};
use crate::store::{arrivals, users};
use crate::web::ctx::{Form, PageCtx, PathParam, QueryParams, Viewer};
use crate::web::forms::{in_place, parse_id};
use crate::web::paging::Pager;

/// Days shown by default: today and the next 14.
pub const DEFAULT_DAYS: u32 = 15;
/// Gaps listed with their best offers per page of the summary.
pub const GAPS_SHOWN: usize = 20;
/// Best offers listed per gap, rides and beds each.
const BEST_OFFERS: usize = 3;
/// Travellers per page of a day's detail.
pub const DAY_PAGE: usize = 25;

/// The office, if the viewer is its staff or an admin; 404 for everyone else,
/// so other offices' travellers stay invisible.
pub(crate) async fn office_for_staff(
    state: &AppState,
    viewer: &Viewer,
    id: OfficeId,
) -> AppResult<Office> {
    viewer.require_user()?;
    if !viewer.is_staff_of(id) {
        return Err(AppError::NotFound);
    }
    offices::by_id(&state.db.pool, id)
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RangeQuery {
    pub from: Option<String>,
    pub days: Option<u32>,
    /// The page of the gaps list (summary only).
    pub page: Option<String>,
}

/// The dates a range query asks for, defaulting to today and the next 14 days.
pub fn range(q: &RangeQuery, today: NaiveDate) -> AppResult<(NaiveDate, u32)> {
    let from = match q.from.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => parse_date(s).map_err(|m| AppError::Invalid(m.into()))?,
        None => today,
    };
    let days = q.days.unwrap_or(DEFAULT_DAYS).clamp(1, 62);
    Ok((from, days))
}

fn last_day(from: NaiveDate, days: u32) -> NaiveDate {
    from.checked_add_days(Days::new(u64::from(days.saturating_sub(1))))
        .unwrap_or(from)
}

/// A gap with its three best offers.
pub struct GapRow {
    pub trip_id: TripId,
    pub name: String,
    pub town: String,
    pub arrive: String,
    pub party_size: i32,
    pub missing: String,
    pub offers: GapOffers,
}

/// A gap's best offers, leg by leg.
#[derive(Default)]
pub struct GapOffers {
    pub rides: Vec<OfferLine>,
    pub stays: Vec<OfferLine>,
    pub rides_home: Vec<OfferLine>,
}

impl GapOffers {
    pub fn is_empty(&self) -> bool {
        self.rides.is_empty() && self.stays.is_empty() && self.rides_home.is_empty()
    }
}

pub struct OfferLine {
    pub offer_id: i64,
    pub text: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "dashboard/summary.html")]
pub struct SummaryPage {
    pub ctx: PageCtx,
    pub office: Office,
    pub from: String,
    pub days_n: u32,
    pub days: Vec<Day>,
    pub chart: Chart,
    pub gaps: Vec<GapRow>,
    pub gap_total: usize,
    /// Which gaps this page lists, and the address of the others.
    pub gap_pager: Pager,
    pub gap_prefix: String,
    pub totals: (i64, i64, i64),
    /// Why a nudge was not sent, shown at the gaps when the page comes back.
    pub problem: Option<String>,
}

/// Each traveller's best fitting offers from the in-memory offer index: one
/// read of its change log for the whole list, no query per traveller. Owners
/// show by first name, as to travellers: nothing more before a booking is accepted.
async fn best_offers_for(
    state: &AppState,
    office: &Office,
    travellers: &[&Traveller],
    unit: Unit,
    lang: Lang,
) -> AppResult<HashMap<TripId, GapOffers>> {
    if travellers.is_empty() {
        return Ok(HashMap::new());
    }
    let today = state.clock.today();
    let reqs: Vec<_> = travellers
        .iter()
        .map(|t| t.request(office.id, office.place.point))
        .collect();
    let found = state.finder.for_requests(&reqs, today).await?;
    Ok(travellers
        .iter()
        .zip(found)
        .map(|(t, m)| {
            let mut offers = GapOffers::default();
            for (leg, offer, text) in m.lines(unit, lang) {
                let list = match leg {
                    Leg::RideThere => &mut offers.rides,
                    Leg::Nights => &mut offers.stays,
                    Leg::RideHome => &mut offers.rides_home,
                };
                if list.len() < BEST_OFFERS {
                    list.push(OfferLine {
                        offer_id: match offer {
                            Offer::Ride(id) => id.get(),
                            Offer::Stay(id) => id.get(),
                        },
                        text,
                    });
                }
            }
            (t.trip_id, offers)
        })
        .collect())
}

/// What a gap still lacks, as the summary says it: "needs a ride (requested)
/// and a bed".
fn missing(t: &Traveller, lang: Lang) -> String {
    let parts: Vec<String> = [
        (Leg::RideThere, t.needs_ride, &t.ride),
        (Leg::Nights, t.needs_bed, &t.bed),
        (Leg::RideHome, t.needs_ride_home, &t.ride_home),
    ]
    .into_iter()
    .filter(|(_, needed, plan)| *needed && !plan.is_confirmed())
    .map(|(leg, _, plan)| match plan {
        Plan::Requested { .. } => lang.t(match leg {
            Leg::RideThere => "dash-gap-ride-requested",
            Leg::Nights => "dash-gap-bed-requested",
            Leg::RideHome => "dash-gap-ride-home-requested",
        }),
        _ => a_leg(leg, lang),
    })
    .collect();
    lang.t_args("dash-needs", &[("what", &and_list(&parts, lang))])
}

/// "a ride", "a bed", "a ride home": the article agrees with the noun, so
/// each comes whole from the catalogue.
pub(crate) fn a_leg(leg: Leg, lang: Lang) -> String {
    lang.t(match leg {
        Leg::RideThere => "needs-a-ride",
        Leg::Nights => "dash-gap-bed",
        Leg::RideHome => "needs-a-ride-home",
    })
}

/// "a ride and a bed and a ride home": every item joined by the word "and".
pub(crate) fn and_list(items: &[String], lang: Lang) -> String {
    items.join(&format!(" {} ", lang.t("word-and")))
}

pub async fn summary(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(id): PathParam<OfficeId>,
    QueryParams(q): QueryParams<RangeQuery>,
) -> AppResult<SummaryPage> {
    let office = office_for_staff(&state, &viewer, id).await?;
    let (from, days_n) = range(&q, state.clock.today())?;
    let to = last_day(from, days_n);
    // Figures from rows grouped by arrival and leaving day; whole travellers
    // only for the gaps listed.
    let cohorts = arrivals::cohorts(&state.db.pool, id, from, to).await?;
    let days = dashboard::summarize(&cohorts, from, days_n, office.needed_per_day);
    let gap_total = usize::try_from(days.iter().map(|d| d.gaps).sum::<i64>()).unwrap_or(0);
    let gap_pager = Pager::new(q.page.as_deref(), gap_total, GAPS_SHOWN);
    let gap_travellers =
        arrivals::gaps(&state.db.pool, id, from, to, gap_pager.offset(), GAPS_SHOWN).await?;
    let shown: Vec<&Traveller> = gap_travellers.iter().collect();
    let lang = viewer.lang();
    let mut best = best_offers_for(&state, &office, &shown, viewer.unit(), lang).await?;
    let gaps = shown
        .iter()
        .map(|t| {
            let offers = best.remove(&t.trip_id).unwrap_or_default();
            GapRow {
                trip_id: t.trip_id,
                name: t.name.clone(),
                town: t.town.clone(),
                arrive: lang.date_day(t.arrive),
                party_size: t.party_size,
                missing: missing(t, lang),
                offers,
            }
        })
        .collect();
    let totals = (
        days.iter().map(|d| d.arriving).sum(),
        days.iter().map(|d| d.arrived).sum(),
        days.iter().map(|d| d.no_show).sum(),
    );
    Ok(SummaryPage {
        ctx: viewer.page().await,
        from: from.to_string(),
        days_n,
        chart: dashboard::chart(&days),
        days,
        gap_total,
        gap_pager,
        gap_prefix: format!("/offices/{id}/dashboard?from={from}&days={days_n}&page="),
        gaps,
        totals,
        office,
        problem: None,
    })
}

/// One traveller in a day's detail.
pub struct DayRow {
    pub trip_id: TripId,
    pub name: String,
    pub town: String,
    pub email: String,
    pub phone: String,
    pub party_size: i32,
    pub dates: String,
    pub arriving_today: bool,
    pub how: String,
    pub sleep: String,
    /// How they get home, when they asked for a ride home.
    pub home: Option<String>,
    pub gap: bool,
    pub checkin: &'static str,
    /// Why a check-in for this traveller was refused, beside its buttons.
    pub problem: Option<String>,
}

fn plan_text(plan: &Plan, needed: bool, ride: bool, lang: Lang) -> String {
    match plan {
        _ if !needed => own_way(ride, lang),
        Plan::Accepted {
            owner,
            owner_phone,
            detail,
            ..
        } => {
            let phone = owner_phone
                .as_deref()
                .map(|p| format!(" · {p}"))
                .unwrap_or_default();
            accepted_text(
                &format!("{owner}{phone}"),
                Some(&detail.text(lang)),
                ride,
                lang,
            )
        }
        Plan::Requested { owner, .. } => {
            lang.t_args("day-requested-from", &[("name", &first_name(owner))])
        }
        Plan::None => lang.t(if ride {
            "plan-no-ride"
        } else {
            "day-nothing-yet"
        }),
    }
}

/// "Own way" / "Own arrangements": a leg the traveller did not ask help for.
pub(crate) fn own_way(ride: bool, lang: Lang) -> String {
    lang.t(if ride {
        "day-own-way"
    } else {
        "day-own-arrangements"
    })
}

/// An accepted ride or bed as staff read it: the owner (with their phone),
/// then what was agreed, when there is something to say.
pub(crate) fn accepted_text(owner: &str, detail: Option<&str>, ride: bool, lang: Lang) -> String {
    match (detail, ride) {
        (Some(d), true) => lang.t_args("day-ride-with", &[("owner", &owner), ("detail", &d)]),
        (Some(d), false) => lang.t_args("day-with", &[("owner", &owner), ("detail", &d)]),
        (None, true) => lang.t_args("day-ride-with-only", &[("owner", &owner)]),
        (None, false) => lang.t_args("day-with-only", &[("owner", &owner)]),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "dashboard/day.html")]
pub struct DayPage {
    pub ctx: PageCtx,
    pub office: Office,
    pub day: String,
    pub day_label: String,
    pub rows: Vec<DayRow>,
    /// Travellers on hand or arriving, and the people they are.
    pub total: usize,
    pub people: i64,
    pub page: usize,
    pub pages: usize,
    /// A refused check-in of someone not listed on this page.
    pub problem: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PageQuery {
    pub page: Option<String>,
}

pub async fn day(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam((id, day)): PathParam<(OfficeId, String)>,
    QueryParams(q): QueryParams<PageQuery>,
) -> AppResult<DayPage> {
    let office = office_for_staff(&state, &viewer, id).await?;
    let day = parse_date(&day).map_err(|_| AppError::NotFound)?;
    let (total, people) = arrivals::on_day_count(&state.db.pool, id, day).await?;
    let Pager { page, pages, .. } = Pager::new(q.page.as_deref(), total, DAY_PAGE);
    // Only this page's travellers: arrivals of the day first, then everyone
    // else on hand.
    let shown = arrivals::on_day(
        &state.db.pool,
        state.db.backend,
        id,
        day,
        (page - 1) * DAY_PAGE,
        DAY_PAGE,
    )
    .await?;
    let lang = viewer.lang();
    let rows: Vec<DayRow> = shown
        .iter()
        .map(|t| DayRow {
            trip_id: t.trip_id,
            name: t.name.clone(),
            town: t.town.clone(),
            email: t.email.clone(),
            phone: t.phone.clone().unwrap_or_default(),
            party_size: t.party_size,
            dates: format!(
                "{} – {}",
                lang.date_short(t.arrive),
                lang.date_short(t.leave)
            ),
            arriving_today: t.arrive == day,
            how: plan_text(&t.ride, t.needs_ride, true, lang),
            sleep: plan_text(&t.bed, t.needs_bed, false, lang),
            home: t.needs_ride_home.then(|| match &t.ride_home {
                Plan::None => lang.t("plan-no-ride-home"),
                plan => plan_text(plan, true, true, lang),
            }),
            gap: t.has_gap(),
            checkin: t.checkin.map(CheckIn::as_str).unwrap_or(""),
            problem: None,
        })
        .collect();
    // Staff just read these travellers' contact details: keep a record.
    if let Some(user) = &viewer.user {
        let ids: Vec<UserId> = shown.iter().map(|t| t.user_id).collect();
        arrivals::log_contact_reads(&state.db.pool, user.id, id, &ids, &state.clock.now_text())
            .await?;
    }
    Ok(DayPage {
        ctx: viewer.page().await,
        day: day.to_string(),
        day_label: lang.date_long_year(day),
        rows,
        total,
        people,
        page,
        pages,
        office,
        problem: None,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CheckInForm {
    pub trip_id: String,
    pub status: String,
    pub day: String,
}

/// POST /offices/{id}/checkins — arrived or no-show, on the day. A refused
/// mark (a trip cancelled meanwhile) brings the day back with the message
/// beside the traveller.
pub async fn check_in(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(id): PathParam<OfficeId>,
    Form(form): Form<CheckInForm>,
) -> AppResult<Response> {
    let office = office_for_staff(&state, &viewer, id).await?;
    let user_id = viewer.require_user()?.id;
    let trip = listed_trip(&state, &office, &form.trip_id).await?;
    let trip_id = trip.id;
    let day = parse_date(&form.day).unwrap_or(trip.arrive);
    let lang = viewer.lang();
    let status = match CheckIn::from_db(&form.status) {
        None => Err(AppError::Invalid("Choose arrived or no-show.".into())),
        Some(_) if trip.status != Status::Active => Err(AppError::Conflict(lang.t_args(
            if trip.status == Status::Cancelled {
                "day-err-cancelled"
            } else {
                "day-err-paused"
            },
            &[("name", &trip.owner_name)],
        ))),
        Some(s) => Ok(s),
    };
    let status = match status {
        Ok(s) => s,
        Err(e) => return day_again(state, viewer, id, day, trip_id, e).await,
    };
    arrivals::check_in(
        &state.db.pool,
        office.id,
        trip_id,
        status,
        user_id,
        &state.clock.now_text(),
    )
    .await?;
    let who = staff_name(&trip, lang);
    let done = if status == CheckIn::Arrived {
        "day-flash-checked-in"
    } else {
        "day-flash-no-show"
    };
    // Made before the await: the message's arguments are not `Send`.
    let text = lang.t_args(done, &[("who", &who)]);
    viewer.flash("ok", text).await;
    Ok(Redirect::to(&format!("/offices/{id}/dashboard/day/{day}")).into_response())
}

/// A traveller as staff are told about them: full name and town, so two
/// Anns are never confused.
fn staff_name(trip: &crate::store::trips::Trip, lang: Lang) -> String {
    format!(
        "{} {}",
        trip.owner_name,
        lang.t_args("from-town", &[("town", &trip.from.town())])
    )
}

/// The trip a dashboard form names, if this office's pages list it (its
/// own, and vouched for); anything else is a 404, like a bad path.
async fn listed_trip(
    state: &AppState,
    office: &Office,
    raw: &str,
) -> AppResult<crate::store::trips::Trip> {
    let trip_id: TripId = parse_id(raw)?;
    if !arrivals::is_listed(&state.db.pool, office.id, trip_id).await? {
        return Err(AppError::NotFound);
    }
    crate::store::trips::by_id(&state.db.pool, trip_id)
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UndoForm {
    pub trip_id: String,
    pub day: String,
}

/// POST /offices/{id}/checkins/undo — takes back an arrived or no-show mark
/// made by mistake.
pub async fn undo_check_in(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(id): PathParam<OfficeId>,
    Form(form): Form<UndoForm>,
) -> AppResult<Response> {
    let office = office_for_staff(&state, &viewer, id).await?;
    let trip = listed_trip(&state, &office, &form.trip_id).await?;
    let trip_id = trip.id;
    let day = parse_date(&form.day).unwrap_or(trip.arrive);
    let lang = viewer.lang();
    let who = staff_name(&trip, lang);
    if !arrivals::undo_check_in(&state.db.pool, office.id, trip_id).await? {
        // Undone already (another tab, a colleague): say so in place.
        let e = AppError::Conflict(lang.t_args("day-err-nothing-to-undo", &[("who", &who)]));
        return day_again(state, viewer, id, day, trip_id, e).await;
    }
    let text = lang.t_args("day-flash-undone", &[("who", &who)]);
    viewer.flash("ok", text).await;
    Ok(Redirect::to(&format!("/offices/{id}/dashboard/day/{day}")).into_response())
}

/// The day page again, with a refused check-in's message beside the
/// traveller (or above the list when they are not on its first page).
async fn day_again(
    state: AppState,
    viewer: Viewer,
    id: OfficeId,
    on: NaiveDate,
    trip_id: TripId,
    e: AppError,
) -> AppResult<Response> {
    let (status, message) = in_place(e)?;
    let mut page = day(
        State(state),
        viewer,
        PathParam((id, on.to_string())),
        QueryParams(PageQuery::default()),
    )
    .await?;
    match page.rows.iter_mut().find(|r| r.trip_id == trip_id) {
        Some(row) => row.problem = Some(message),
        None => page.problem = Some(message),
    }
    Ok((status, page).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NudgeForm {
    pub trip_id: String,
    pub to: String,
    pub offer_id: String,
}

/// POST /offices/{id}/nudge — an email to a traveller with a gap (their best
/// offers) or to an offer's owner (a traveller their offer fits).
pub async fn nudge(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(id): PathParam<OfficeId>,
    Form(form): Form<NudgeForm>,
) -> AppResult<Response> {
    let office = office_for_staff(&state, &viewer, id).await?;
    // Nothing is emailed about a trip of another office, or of an account
    // that has not confirmed its address.
    let trip = listed_trip(&state, &office, &form.trip_id).await?;
    if trip.status != Status::Active {
        // An old page: the trip was cancelled or paused since.
        let mut page = summary(
            State(state),
            viewer,
            PathParam(id),
            QueryParams(RangeQuery::default()),
        )
        .await?;
        page.problem = Some(page.ctx.t1(
            if trip.status == Status::Cancelled {
                "dash-err-no-reminder-cancelled"
            } else {
                "dash-err-no-reminder-paused"
            },
            "name",
            &trip.owner_name,
        ));
        return Ok((StatusCode::CONFLICT, page).into_response());
    }
    let base = state.settings.public_url();
    let t_lang = users::language_of(&state.db.pool, trip.owner_id).await?;
    let (to_email, to_name, subject, content) = match form.to.as_str() {
        "traveller" => (
            trip.owner_email.clone(),
            trip.owner_name.clone(),
            t_lang.t_args("email-nudge-subject-traveller", &[("office", &office.name)]),
            Content {
                lang: t_lang,
                greeting: email::hello(t_lang, &trip.owner_name),
                paragraphs: vec![
                    t_lang.t_args(
                        "email-nudge-looking-forward",
                        &[
                            ("office", &office.name),
                            ("date", &t_lang.date_long(trip.arrive)),
                        ],
                    ),
                    t_lang.t("email-nudge-text"),
                ],
                action: Some((
                    t_lang.t("email-see-what-fits"),
                    format!("{base}/trips/{}", trip.id),
                )),
                footer: vec![],
            },
        ),
        kind @ ("ride" | "stay" | "ride_home") => {
            // Only an offer that fits the trip, as the dashboard suggests them:
            // any other id (another office's, one that does not fit) is not found.
            let found = state.finder.for_trip(&trip, state.clock.today()).await?;
            let (owner_id, path, what) = match kind {
                "ride" | "ride_home" => {
                    let id: RideId = parse_id(&form.offer_id)?;
                    // The two lists hold different matches: only the rides count here.
                    let (rides, what): (Vec<&_>, _) = if kind == "ride" {
                        let r = found.rides.iter().map(|(_, r)| r).collect();
                        (r, "email-nudge-seat")
                    } else {
                        let r = found.rides_home.iter().map(|(_, r)| r).collect();
                        (r, "email-nudge-seat-home")
                    };
                    let r = rides
                        .into_iter()
                        .find(|r| r.id == id)
                        .ok_or(AppError::NotFound)?;
                    (r.owner_id, format!("/rides/{}", r.id), what)
                }
                _ => {
                    let id: StayId = parse_id(&form.offer_id)?;
                    let s = found
                        .stays
                        .iter()
                        .map(|(_, s)| s)
                        .find(|s| s.id == id)
                        .ok_or(AppError::NotFound)?;
                    (s.owner_id, format!("/stays/{}", s.id), "email-nudge-bed")
                }
            };
            let owner = users::by_id(&state.db.pool, owner_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let lang = owner.language.unwrap_or_default();
            let what = lang.t(what);
            let (key, date) = if kind == "ride_home" {
                ("email-nudge-owner-leaves", trip.leave)
            } else {
                ("email-nudge-owner-arrives", trip.arrive)
            };
            (
                owner.email.clone(),
                owner.name.clone(),
                lang.t_args(
                    "email-nudge-subject-owner",
                    &[("office", &office.name), ("what", &what)],
                ),
                Content {
                    lang,
                    greeting: email::hello(lang, &owner.name),
                    paragraphs: vec![lang.t_args(
                        key,
                        &[
                            ("name", &first_name(&trip.owner_name)),
                            ("town", &trip.from.town()),
                            ("office", &office.name),
                            ("date", &lang.date_long(date)),
                            ("what", &what),
                        ],
                    )],
                    action: Some((lang.t("email-see-offer"), format!("{base}{path}"))),
                    footer: vec![],
                },
            )
        }
        _ => return Err(AppError::NotFound),
    };
    let mail = email::compose(&to_email, &subject, &content).map_err(AppError::Internal)?;
    let mut tx = state.db.pool.begin().await?;
    email::enqueue(
        &mut tx,
        &mail,
        &state.clock.now_text(),
        &email::domain_of(&base),
    )
    .await?;
    tx.commit().await?;
    let text = viewer
        .lang()
        .t_args("dash-flash-reminder-sent", &[("name", &to_name)]);
    viewer.flash("ok", text).await;
    Ok(Redirect::to(&format!("/offices/{id}/dashboard#gaps")).into_response())
}
