//! The campaign view for admins: per office, what is on offer, how many trips
//! have a match, and the coming week's arrivals and gaps; as a page and as CSV.
//! Computed from a few set-wide reads and the pure figures in `crate::campaign`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::header::CACHE_CONTROL;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use chrono::Days;

use crate::campaign::{self, Campaign, Figures, Inputs, OfficeRef, STAY_OFFICE_KM, WEEK_DAYS};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::campaign as store;
use crate::store::{offices, trips};
use crate::web::ctx::{PageCtx, Viewer};
use crate::web::exports::{csv_bytes, csv_response};

#[derive(Template, WebTemplate)]
#[template(path = "admin/campaign.html")]
pub struct CampaignPage {
    pub ctx: PageCtx,
    pub today: String,
    pub week_end: String,
    /// The sleep radius stays are counted within, in the viewer's unit.
    pub stay_radius: String,
    pub campaign: Campaign,
}

async fn load(state: &AppState) -> AppResult<Campaign> {
    let pool = &state.db.pool;
    let today = state.clock.today();
    // One read of the offices serves the figures and the proposals.
    let all_offices = offices::all(pool).await?;
    let offices: Vec<OfficeRef> = all_offices
        .iter()
        .map(|o| OfficeRef {
            id: o.id,
            name: o.name.clone(),
            point: o.place.point,
        })
        .collect();
    let rides_from = today
        .checked_sub_days(Days::new(crate::domain::offer::MAX_FLEX_DAYS))
        .unwrap_or(today);
    let rides = store::open_rides_from(pool, rides_from).await?;
    let stays = {
        let mut conn = pool.acquire().await?;
        store::open_stays_from(&mut conn, today).await?
    };
    // Campaign figures count trips still to arrive; a traveller already at
    // the office who only waits for a ride home is not one.
    let trips: Vec<_> = trips::all_open(pool, today)
        .await?
        .into_iter()
        .filter(|t| t.arrive >= today)
        .collect();
    let accepted = store::accepted_for_upcoming(pool, today).await?;
    let mut c = campaign::figures(&Inputs {
        offices: &offices,
        rides: &rides,
        stays: &stays,
        trips: &trips,
        accepted: &accepted,
        today,
    });
    // What each office's proposal (the dashboard's default range) would
    // serve; offices with no open trip in it are skipped without a solve.
    let to = today
        .checked_add_days(Days::new(crate::propose::DEFAULT_DAYS))
        .unwrap_or(today);
    for office in all_offices {
        let id = office.id;
        if !trips.iter().any(|t| t.office_id == id && t.arrive <= to) {
            continue;
        }
        let p = crate::propose::for_office(
            &state.finder,
            &state.db,
            office,
            today,
            to,
            today,
            PROPOSAL_LIMIT,
        )
        .await
        .map_err(AppError::Internal)?;
        c.add_proposals(id, p.proposal.totals.people_served);
    }
    Ok(c)
}

/// The time one office's proposal may take on the campaign page (its best
/// found so far counts when it stops there).
const PROPOSAL_LIMIT: std::time::Duration = std::time::Duration::from_millis(500);

/// `GET /admin/campaign`.
pub async fn page(State(state): State<AppState>, viewer: Viewer) -> AppResult<CampaignPage> {
    viewer.require_admin()?;
    let today = state.clock.today();
    let campaign = load(&state).await?;
    let lang = viewer.lang();
    Ok(CampaignPage {
        ctx: viewer.page().await,
        today: lang.date_short_year(today),
        week_end: lang.date_short(
            today
                .checked_add_days(Days::new(WEEK_DAYS - 1))
                .unwrap_or(today),
        ),
        stay_radius: crate::domain::distance::Distance::km(STAY_OFFICE_KM).show(viewer.unit()),
        campaign,
    })
}

/// The columns of the campaign CSV.
pub const CAMPAIGN_HEADER: [&str; 13] = [
    "office",
    "seats_offered",
    "bed_nights_offered",
    "trips",
    "trips_needing",
    "matched",
    "matched_pct",
    "accepted_bookings",
    "arrivals_7d",
    "gaps_7d",
    "seats_home_offered",
    "people_served",
    "proposals_could_serve",
];

/// One CSV row: the figures as numbers, the share in whole percent (empty
/// when no trip needs anything).
pub fn csv_row(f: &Figures) -> Vec<String> {
    vec![
        f.name.clone(),
        f.seats_offered.to_string(),
        f.bed_nights_offered.to_string(),
        f.trips.to_string(),
        f.trips_needing.to_string(),
        f.matched.to_string(),
        f.matched_pct().map(|p| p.to_string()).unwrap_or_default(),
        f.accepted_bookings.to_string(),
        f.arrivals_week.to_string(),
        f.gaps_week.to_string(),
        f.seats_home_offered.to_string(),
        f.people_served.to_string(),
        f.proposals_serve.to_string(),
    ]
}

/// `GET /admin/campaign.csv`: the same figures, one row per office and a total row.
pub async fn csv(State(state): State<AppState>, viewer: Viewer) -> AppResult<Response> {
    viewer.require_admin()?;
    let c = load(&state).await?;
    let mut rows: Vec<Vec<String>> = c.offices.iter().map(csv_row).collect();
    rows.push(csv_row(&c.total));
    let body = csv_bytes(&CAMPAIGN_HEADER, &rows)?;
    let mut res = csv_response(body, &format!("campaign-{}.csv", state.clock.today()));
    res.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(res.into_response())
}
