//! The public list of field offices and each office's page.

use crate::domain::ids::OfficeId;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::domain::account::first_name;
use crate::domain::distance::Distance;
use crate::domain::offer::DEFAULT_STAY_KM;
use crate::error::{AppError, AppResult};
use crate::places::{distance_km, Gazetteer, PlaceError};
use crate::state::AppState;
use crate::store::offices::{self, Office};
use crate::store::rides;
use crate::web::ctx::{PageCtx, PathParam, QueryParams, Viewer};
use crate::web::maps::{office_maps, MapView, OfficeLayers};
use crate::web::paging::Pager;
use chrono::{Days, NaiveDate};

/// Stays within this distance of an office are listed on its page.
pub const NEARBY_STAY_KM: f64 = 60.0;
/// Rows per page in the office's offer lists.
pub const PAGE_SIZE: usize = 20;

pub struct OfficeRow {
    pub id: OfficeId,
    pub name: String,
    pub town: String,
    pub distance: Option<String>,
}

pub struct StateGroup {
    pub state_name: String,
    pub offices: Vec<OfficeRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "offices/list.html")]
pub struct OfficesPage {
    pub ctx: PageCtx,
    pub groups: Vec<StateGroup>,
    pub has_home: bool,
    pub is_admin: bool,
    /// The search box as typed.
    pub near: String,
    /// The place searched for, and every office nearest first, when found.
    pub nearest: Option<(String, Vec<OfficeRow>)>,
    /// Why the search found nothing, with close matches for a town.
    pub near_error: Option<String>,
    pub suggestions: Vec<String>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ListQuery {
    /// A town or ZIP to sort the offices by distance from.
    pub near: Option<String>,
}

/// GET /offices: by state, or nearest first from a town or ZIP (`?near=`).
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    QueryParams(q): QueryParams<ListQuery>,
) -> AppResult<Response> {
    let home = viewer.user.as_ref().and_then(|u| u.home.clone());
    let unit = viewer.unit();
    let all = offices::all(&state.db.pool).await?;
    let near = q.near.unwrap_or_default();
    let (mut nearest, mut near_error, mut suggestions) = (None, None, vec![]);
    if !near.trim().is_empty() {
        match Gazetteer::embedded().parse(&near) {
            Ok(place) => {
                let mut rows: Vec<(f64, OfficeRow)> = all
                    .iter()
                    .map(|o| {
                        let d = distance_km(place.point, o.place.point);
                        let row = OfficeRow {
                            id: o.id,
                            name: o.name.clone(),
                            town: o.place.town(),
                            distance: Some(Distance::km(d).show(unit)),
                        };
                        (d, row)
                    })
                    .collect();
                rows.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.name.cmp(&b.1.name)));
                nearest = Some((place.label(), rows.into_iter().map(|(_, r)| r).collect()));
            }
            Err(e) => {
                if let PlaceError::UnknownTown { suggestions: s, .. } = &e {
                    suggestions = s.clone();
                }
                near_error = Some(e.to_string());
            }
        }
    }
    let mut groups: Vec<StateGroup> = vec![];
    for o in all {
        let state_name = Gazetteer::state_name(&o.place.state)
            .unwrap_or(&o.place.state)
            .to_string();
        let row = OfficeRow {
            id: o.id,
            town: o.place.town(),
            distance: home
                .as_ref()
                .map(|h| Distance::km(distance_km(h.point, o.place.point)).show(unit)),
            name: o.name,
        };
        match groups.last_mut() {
            Some(g) if g.state_name == state_name => g.offices.push(row),
            _ => groups.push(StateGroup {
                state_name,
                offices: vec![row],
            }),
        }
    }
    // Stored order is by state code; people scan by state name.
    groups.sort_by(|a, b| a.state_name.cmp(&b.state_name));
    let status = if near_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = OfficesPage {
        ctx: viewer.page().await,
        groups,
        has_home: home.is_some(),
        is_admin: viewer.user.as_ref().is_some_and(|u| u.is_admin),
        near,
        nearest,
        near_error,
        suggestions,
    };
    Ok((status, page).into_response())
}

/// An open offer as strangers may see it: first name, town, dates, and the
/// way to plan a trip around it (none for one's own offer).
pub struct OfferSummary {
    pub first_name: String,
    pub town: String,
    pub when: String,
    pub detail: String,
    pub plan: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "offices/show.html")]
pub struct OfficePage {
    pub ctx: PageCtx,
    pub office: Office,
    pub state_name: String,
    pub distance: Option<String>,
    pub is_admin: bool,
    pub is_staff: bool,
    pub signed_in: bool,
    pub ride_count: i64,
    pub stay_count: usize,
    /// How far around the office stays are listed, in the viewer's unit.
    pub stay_radius: String,
    pub rides: Vec<OfferSummary>,
    pub stays: Vec<OfferSummary>,
    pub ride_pager: Pager,
    pub stay_pager: Pager,
    /// The page's address up to each list's page number (the other list's
    /// page kept).
    pub ride_prefix: String,
    pub stay_prefix: String,
    pub map: MapView,
    pub inset: Option<MapView>,
    /// The map's days, as the range form shows them.
    pub map_from: NaiveDate,
    pub map_to: NaiveDate,
    pub map_error: Option<&'static str>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ShowQuery {
    pub rides_page: Option<String>,
    pub stays_page: Option<String>,
    /// The map's first and last day (`YYYY-MM-DD`).
    pub map_from: Option<String>,
    pub map_to: Option<String>,
}

/// The map shows two weeks unless asked for other days.
const MAP_DAYS: u64 = 13;
/// The longest range a map may show, so one request can't draw a year.
const MAP_MAX_DAYS: i64 = 92;

/// The map's days from the query: today and the next two weeks when absent;
/// a message (and the default) when the dates don't read or don't make a range.
fn map_range(q: &ShowQuery, today: NaiveDate) -> (NaiveDate, NaiveDate, Option<&'static str>) {
    let default_to = today + Days::new(MAP_DAYS);
    let read = |v: &Option<String>| match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => NaiveDate::parse_from_str(t, "%Y-%m-%d").map(Some),
    };
    match (read(&q.map_from), read(&q.map_to)) {
        (Ok(from), Ok(to)) => {
            let from = from.unwrap_or(today).max(today);
            let to = to.unwrap_or(from + Days::new(MAP_DAYS));
            if to < from {
                (
                    today,
                    default_to,
                    Some("The last day comes before the first; showing the next two weeks."),
                )
            } else if (to - from).num_days() > MAP_MAX_DAYS {
                (
                    today,
                    default_to,
                    Some("A map shows at most three months; showing the next two weeks."),
                )
            } else {
                (from, to, None)
            }
        }
        _ => (
            today,
            default_to,
            Some("Dates are written like 2026-10-31; showing the next two weeks."),
        ),
    }
}

/// GET /offices/{id}: the office, and the open rides (soonest first) and
/// stays (nearest first) towards it, a page of each. Visitors see how many;
/// people signed in see first names and towns, each with a button that
/// starts a trip around it.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(id): PathParam<OfficeId>,
    QueryParams(q): QueryParams<ShowQuery>,
) -> AppResult<OfficePage> {
    let office = offices::by_id(&state.db.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let today = state.clock.today();
    let ride_count = rides::count_upcoming_for_office(&state.db.pool, id, today).await?;
    let near = state
        .finder
        .stays_near(office.place.point, NEARBY_STAY_KM, today)
        .await?;
    let stay_count = near.len();
    let ride_pager = Pager::new(
        q.rides_page.as_deref(),
        usize::try_from(ride_count).unwrap_or(0),
        PAGE_SIZE,
    );
    let stay_pager = Pager::new(q.stays_page.as_deref(), stay_count, PAGE_SIZE);
    let me = viewer.user.as_ref().map(|u| u.id);
    let signed_in = me.is_some();
    let unit = viewer.unit();
    let lang = viewer.lang();
    let (ride_rows, stay_rows) = if signed_in {
        let ride_rows = rides::upcoming_for_office(
            &state.db.pool,
            id,
            today,
            i64::try_from(PAGE_SIZE).unwrap_or(i64::MAX),
            i64::try_from(ride_pager.offset()).unwrap_or(i64::MAX),
        )
        .await?
        .into_iter()
        .map(|r| {
            // A ride home plans no arrival: the trip page finds it.
            let plan = (Some(r.owner_id) != me && !r.direction.is_home())
                .then(|| format!("/trips/new?office={id}&need=ride&arrive={}", r.depart_date));
            let when = lang.date_day(r.depart_date);
            OfferSummary {
                first_name: first_name(&r.owner_name).to_string(),
                town: r.from.town(),
                when: if r.direction.is_home() {
                    lang.t_args("office-ride-home-when", &[("date", &when)])
                } else {
                    when
                },
                detail: lang.t_args("count-seats-free", &[("n", &r.seats_free())]),
                plan,
            }
        })
        .collect();
        let stay_rows = near
            .iter()
            .skip(stay_pager.offset())
            .take(PAGE_SIZE)
            .map(|(d, s)| {
                let plan = (Some(s.owner_id) != me).then(|| {
                    // Nights from today on; leaving the morning after the last.
                    let arrive = s.first_night.max(today);
                    let leave = s.last_night.succ_opt().unwrap_or(s.last_night);
                    let mut href =
                        format!("/trips/new?office={id}&need=bed&arrive={arrive}&leave={leave}");
                    // Farther than the form's default radius: widen it, so
                    // the stay fits the trip planned around it.
                    if *d > DEFAULT_STAY_KM {
                        href.push_str(&format!("&stay_km={}", d.ceil()));
                    }
                    href
                });
                OfferSummary {
                    first_name: first_name(&s.owner_name).to_string(),
                    town: s.place.town(),
                    when: lang.t_args(
                        "dates-to",
                        &[
                            ("from", &lang.date_short(s.first_night)),
                            ("to", &lang.date_short(s.last_night)),
                        ],
                    ),
                    detail: lang.t_args(
                        "office-stay-detail",
                        &[
                            ("beds", &lang.t_args("count-beds", &[("n", &s.beds)])),
                            ("distance", &Distance::km(*d).show(unit)),
                        ],
                    ),
                    plan,
                }
            })
            .collect();
        (ride_rows, stay_rows)
    } else {
        (vec![], vec![])
    };
    let distance = viewer
        .user
        .as_ref()
        .and_then(|u| u.home.as_ref())
        .map(|h| Distance::km(distance_km(h.point, office.place.point)).show(unit));
    let (map_from, map_to, map_error) = map_range(&q, today);
    let is_staff = viewer.is_staff_of(office.id);
    // Visitors read counts only, so their map shows the office alone.
    let (map_rides, map_trips) = if signed_in {
        let rides = state
            .finder
            .rides_to_office(id, map_from, map_to, today)
            .await?;
        let trips = if is_staff {
            crate::store::trips::arriving_at(&state.db.pool, &[id], map_from, map_to).await?
        } else {
            vec![]
        };
        (rides, trips)
    } else {
        (vec![], vec![])
    };
    let layers = if signed_in {
        OfficeLayers {
            rides: map_rides.iter().map(|r| r.as_ref()).collect(),
            stays: near
                .iter()
                .map(|(_, s)| s.as_ref())
                .filter(|s| s.first_night <= map_to && s.last_night >= map_from)
                .collect(),
            travellers: map_trips.iter().collect(),
        }
    } else {
        OfficeLayers::default()
    };
    let range = lang.t_args(
        "dates-to",
        &[
            ("from", &lang.date_day(map_from)),
            ("to", &lang.date_day(map_to)),
        ],
    );
    let (map, inset) = office_maps(&office, &layers, &range, unit, lang);
    Ok(OfficePage {
        map,
        inset,
        map_from,
        map_to,
        map_error,
        ctx: viewer.page().await,
        state_name: Gazetteer::state_name(&office.place.state)
            .unwrap_or(&office.place.state)
            .to_string(),
        distance,
        is_admin: viewer.user.as_ref().is_some_and(|u| u.is_admin),
        is_staff,
        signed_in,
        ride_count,
        stay_count,
        stay_radius: Distance::km(NEARBY_STAY_KM).show(unit),
        rides: ride_rows,
        stays: stay_rows,
        ride_prefix: format!("/offices/{id}?stays_page={}&rides_page=", stay_pager.page),
        stay_prefix: format!("/offices/{id}?rides_page={}&stays_page=", ride_pager.page),
        ride_pager,
        stay_pager,
        office,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "offices/dashboards.html")]
pub struct DashboardsPage {
    pub ctx: PageCtx,
    pub offices: Vec<Office>,
}

/// GET /dashboards: the offices whose dashboards the viewer may open (their
/// own as staff; every office for an admin), for staff of several offices.
pub async fn dashboards(
    State(state): State<AppState>,
    viewer: Viewer,
) -> AppResult<DashboardsPage> {
    viewer.require_user()?;
    let offices = offices::all(&state.db.pool)
        .await?
        .into_iter()
        .filter(|o| viewer.is_staff_of(o.id))
        .collect();
    Ok(DashboardsPage {
        ctx: viewer.page().await,
        offices,
    })
}
