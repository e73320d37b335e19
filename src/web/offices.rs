//! The public list of field offices and each office's page.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::matching::format_km;
use crate::places::{distance_km, Gazetteer};
use crate::store::offices::{self, Office};
use crate::web::ctx::{PageCtx, PathParam, Viewer};

pub struct OfficeRow {
    pub id: i64,
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

#[derive(Template, WebTemplate)]
#[template(path = "offices/show.html")]
pub struct OfficePage {
    pub ctx: PageCtx,
    pub office: Office,
    pub state_name: String,
    pub distance: Option<String>,
    pub is_admin: bool,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(id): PathParam<i64>,
) -> AppResult<OfficePage> {
    let office = offices::by_id(&state.db.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
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
        office,
    })
}
