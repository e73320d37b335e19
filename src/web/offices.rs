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
use crate::web::paging::Pager;

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
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ShowQuery {
    pub rides_page: Option<String>,
    pub stays_page: Option<String>,
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
            let when = r.depart_date.format("%a %b %-d");
            OfferSummary {
                first_name: first_name(&r.owner_name).to_string(),
                town: r.from.town(),
                when: if r.direction.is_home() {
                    format!("home from the office {when}")
                } else {
                    when.to_string()
                },
                detail: crate::domain::count(r.seats_free(), "seat free", "seats free"),
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
                    when: format!(
                        "{} to {}",
                        s.first_night.format("%b %-d"),
                        s.last_night.format("%b %-d")
                    ),
                    detail: format!(
                        "{} · {} from the office",
                        crate::domain::count(s.beds, "bed", "beds"),
                        Distance::km(*d).show(unit)
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
    Ok(OfficePage {
        ctx: viewer.page().await,
        state_name: Gazetteer::state_name(&office.place.state)
            .unwrap_or(&office.place.state)
            .to_string(),
        distance,
        is_admin: viewer.user.as_ref().is_some_and(|u| u.is_admin),
        is_staff: viewer.is_staff_of(office.id),
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
