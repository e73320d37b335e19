//! "My trips and offers": everything a volunteer has planned or offered.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

use crate::error::AppResult;
use crate::state::AppState;
use crate::store::rides::{self, Ride};
use crate::store::stays::{self, Stay};
use crate::store::trips::{self, Trip};
use crate::web::ctx::{PageCtx, Viewer};

#[derive(Template, WebTemplate)]
#[template(path = "me.html")]
pub struct MePage {
    pub ctx: PageCtx,
    pub trips: Vec<Trip>,
    pub rides: Vec<(Ride, String)>,
    pub stays: Vec<Stay>,
    /// Since when the user has a private calendar feed (None: no feed).
    pub calendar_feed: Option<String>,
    pub waiting: Vec<crate::web::bookings::WaitingRow>,
}

pub async fn page(State(state): State<AppState>, viewer: Viewer) -> AppResult<MePage> {
    let user = viewer.require_user()?;
    let trips = trips::by_owner(&state.db.pool, user.id).await?;
    let offices = crate::store::offices::all(&state.db.pool).await?;
    let rides = rides::by_owner(&state.db.pool, user.id)
        .await?
        .into_iter()
        .map(|r| {
            let office = offices
                .iter()
                .find(|o| o.id == r.office_id)
                .map(|o| o.name.clone())
                .unwrap_or_default();
            (r, office)
        })
        .collect();
    let calendar_feed = crate::web::calendar::feed_since(&state, user.id).await?;
    let mut conn = state.db.pool.acquire().await?;
    let stays = stays::by_owner(&mut conn, user.id).await?;
    drop(conn);
    let waiting = crate::web::bookings::rows_waiting_for(&state, user.id).await?;
    Ok(MePage {
        ctx: viewer.page().await,
        trips,
        rides,
        stays,
        calendar_feed,
        waiting,
    })
}
