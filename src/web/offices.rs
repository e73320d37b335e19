//! The public list of field offices and each office's page.

use crate::domain::ids::OfficeId;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

use crate::domain::account::first_name;
use crate::error::{AppError, AppResult};
use crate::matching::format_km;
use crate::places::{distance_km, Gazetteer};
use crate::state::AppState;
use crate::store::offices::{self, Office};
use crate::store::rides;
use crate::web::ctx::{PageCtx, PathParam, QueryParams, Viewer};

/// Stays within this distance of an office are listed on its page.
pub const NEARBY_STAY_KM: f64 = 60.0;
/// Rows per page in the office's offer lists.
pub const PAGE_SIZE: i64 = 20;

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
}

pub async fn list(State(state): State<AppState>, viewer: Viewer) -> AppResult<OfficesPage> {
    let home = viewer.user.as_ref().and_then(|u| u.home.clone());
    let mut groups: Vec<StateGroup> = vec![];
    for o in offices::all(&state.db.pool).await? {
        let state_name = Gazetteer::state_name(&o.place.state)
            .unwrap_or(&o.place.state)
            .to_string();
        let row = OfficeRow {
            id: o.id,
            town: o.place.town(),
            distance: home
                .as_ref()
                .map(|h| format_km(distance_km(h.point, o.place.point))),
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
    Ok(OfficesPage {
        ctx: viewer.page().await,
        groups,
        has_home: home.is_some(),
        is_admin: viewer.user.as_ref().is_some_and(|u| u.is_admin),
    })
}

/// An open offer as strangers may see it: first name, town, dates.
pub struct OfferSummary {
    pub first_name: String,
    pub town: String,
    pub when: String,
    pub detail: String,
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
    pub rides: Vec<OfferSummary>,
    pub stays: Vec<OfferSummary>,
    pub page: i64,
    pub has_next: bool,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PageQuery {
    pub page: Option<i64>,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(id): PathParam<OfficeId>,
    QueryParams(q): QueryParams<PageQuery>,
) -> AppResult<OfficePage> {
    let office = offices::by_id(&state.db.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let today = state.clock.today();
    let page = q.page.unwrap_or(1).clamp(1, 10_000);
    let ride_count = rides::count_upcoming_for_office(&state.db.pool, id, today).await?;
    let near = state
        .finder
        .stays_near(office.place.point, NEARBY_STAY_KM, today)
        .await?;
    let stay_count = near.len();
    let signed_in = viewer.user.is_some();
    let offset = (page - 1) * PAGE_SIZE;
    let (ride_rows, stay_rows) = if signed_in {
        let ride_rows = rides::upcoming_for_office(&state.db.pool, id, today, PAGE_SIZE, offset)
            .await?
            .into_iter()
            .map(|r| OfferSummary {
                first_name: first_name(&r.owner_name).to_string(),
                town: r.from.town(),
                when: r.depart_date.format("%a %b %-d").to_string(),
                detail: crate::domain::count(r.seats_free(), "seat free", "seats free"),
            })
            .collect();
        let stay_rows = near
            .iter()
            .skip(offset as usize)
            .take(PAGE_SIZE as usize)
            .map(|(d, s)| OfferSummary {
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
                    format_km(*d)
                ),
            })
            .collect();
        (ride_rows, stay_rows)
    } else {
        (vec![], vec![])
    };
    let has_next =
        signed_in && (page * PAGE_SIZE < ride_count || page * PAGE_SIZE < stay_count as i64);
    let distance = viewer
        .user
        .as_ref()
        .and_then(|u| u.home.as_ref())
        .map(|h| format_km(distance_km(h.point, office.place.point)));
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
        rides: ride_rows,
        stays: stay_rows,
        page,
        has_next,
        office,
    })
}
