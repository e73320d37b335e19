//! "My trips and offers": everything a volunteer has planned or offered.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

use crate::domain::leg;
use crate::domain::offer::Status;
use crate::error::AppResult;
use crate::state::AppState;
use crate::store::bookings;
use crate::store::rides::{self, Ride};
use crate::store::stays::{self, Stay};
use crate::store::trips::{self, Trip};
use crate::web::ctx::{PageCtx, Viewer};

#[derive(Template, WebTemplate)]
#[template(path = "me.html")]
pub struct MePage {
    pub ctx: PageCtx,
    /// Each trip with the sentence saying what it still misses (None when
    /// it is over, paused or cancelled).
    pub trips: Vec<(Trip, Option<String>)>,
    pub rides: Vec<(Ride, String)>,
    pub stays: Vec<Stay>,
    /// Since when the user has a private calendar feed (None: no feed).
    pub calendar_feed: Option<String>,
    pub waiting: Vec<crate::web::bookings::WaitingRow>,
}

/// Each trip with what it still misses, for the ones still ahead and active.
pub async fn with_missing(
    state: &AppState,
    trips: Vec<Trip>,
    lang: crate::i18n::Lang,
) -> AppResult<Vec<(Trip, Option<String>)>> {
    let today = state.clock.today();
    let mut out = Vec::with_capacity(trips.len());
    for t in trips {
        if t.status != Status::Active || t.leave < today {
            out.push((t, None));
            continue;
        }
        let booked: Vec<_> = bookings::for_trip(&state.db.pool, t.id)
            .await?
            .iter()
            .filter(|b| b.status.is_live())
            .map(|b| (b.leg, b.status))
            .collect();
        // Once arrived, only the way home can still be missing.
        let states: Vec<_> = leg::states(t.needs(), &booked)
            .into_iter()
            .filter(|(l, _)| t.arrive >= today || *l == leg::Leg::RideHome)
            .collect();
        if t.arrive < today && states.is_empty() {
            out.push((t, None));
            continue;
        }
        let text = crate::domain::plan::missing_sentence(lang, &states, t.arrive, t.leave);
        out.push((t, Some(text)));
    }
    Ok(out)
}

pub async fn page(State(state): State<AppState>, viewer: Viewer) -> AppResult<MePage> {
    let user = viewer.require_user()?;
    let trips = with_missing(
        &state,
        trips::by_owner(&state.db.pool, user.id).await?,
        viewer.lang(),
    )
    .await?;
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
    let calendar_feed = crate::web::calendar::feed_since(&state, user.id, viewer.lang()).await?;
    let mut conn = state.db.pool.acquire().await?;
    let stays = stays::by_owner(&mut conn, user.id).await?;
    drop(conn);
    let waiting = crate::web::bookings::rows_waiting_for(&state, user.id, viewer.lang()).await?;
    Ok(MePage {
        ctx: viewer.page().await,
        trips,
        rides,
        stays,
        calendar_feed,
        waiting,
    })
}
