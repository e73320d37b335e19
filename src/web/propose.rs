//! "Propose matches" on the office dashboard: the whole office's best
//! proposal for the range shown (issue 13), and "Send the selected", which
//! turns the chosen ones into booking requests made by the office.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use chrono::{Days, NaiveDate};

use crate::bookings;
use crate::domain::booking::{BookingStatus, Offer};
use crate::domain::distance::{Distance, Unit};
use crate::domain::ids::{OfficeId, RideId, StayId, TripId};
use crate::domain::leg::Leg;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::propose::{self, LegOffer, Listed, Reach};
use crate::state::AppState;
use crate::store::offices::Office;
use crate::web::ctx::{Form, PageCtx, PathParam, QueryParams, Viewer};
use crate::web::dashboard::{a_leg, and_list, office_for_staff, range, RangeQuery};
use crate::web::forms::parse_id;

/// One leg's proposed offer, with its checkbox value.
pub struct LegRow {
    pub pick: String,
    pub text: String,
}

pub struct ProposalRow {
    pub name: String,
    pub town: String,
    pub arrive: String,
    pub party_size: i32,
    pub legs: Vec<LegRow>,
    /// Open legs the proposal leaves open ("no bed in range").
    pub still_open: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "dashboard/propose.html")]
pub struct ProposePage {
    pub ctx: PageCtx,
    pub office: Office,
    pub from: String,
    pub to: String,
    pub days_n: u32,
    pub rows: Vec<ProposalRow>,
    pub totals: String,
    /// Said when the solver stopped at the time limit.
    pub bound: Option<String>,
}

/// "a ride and a bed" (`no`: "no ride and no bed").
fn legs_text(legs: &[Leg], no: bool, lang: Lang) -> String {
    let items: Vec<String> = legs
        .iter()
        .map(|&l| match (no, l) {
            (false, _) => a_leg(l, lang),
            (true, Leg::RideThere) => lang.t("propose-no-ride"),
            (true, Leg::Nights) => lang.t("propose-no-bed"),
            (true, Leg::RideHome) => lang.t("propose-no-ride-home"),
        })
        .collect();
    and_list(&items, lang)
}

/// "38 of 52 people fully served; 9 more get a ride but no bed"
pub fn totals_text(served: i64, reach: &Reach, lang: Lang) -> String {
    let mut s = lang.t_args(
        "propose-served",
        &[("served", &served), ("n", &reach.people_open)],
    );
    for (filled, open, people) in &reach.partly {
        s.push_str("; ");
        s.push_str(&lang.t_args(
            "propose-partly",
            &[
                ("people", people),
                ("filled", &legs_text(filled, false, lang)),
                ("open", &legs_text(open, true, lang)),
            ],
        ));
    }
    s
}

/// What is proposed for one leg, distances through the one formatter.
fn offer_text(o: &LegOffer, unit: Unit, lang: Lang) -> String {
    let first = crate::domain::account::first_name(&o.owner_name);
    let distance = Distance::km(o.km).show(unit);
    let date = lang.date_day(o.day);
    let key = match o.leg {
        Leg::RideThere => "propose-offer-ride",
        Leg::Nights => "propose-offer-beds",
        Leg::RideHome => "propose-offer-ride-home",
    };
    lang.t_args(
        key,
        &[
            ("name", &first),
            ("town", &o.town),
            ("date", &date),
            ("distance", &distance),
        ],
    )
}

fn pick_value(trip: TripId, offer: Offer) -> String {
    match offer {
        Offer::Ride(id) => format!("{trip}:ride:{id}"),
        Offer::Stay(id) => format!("{trip}:stay:{id}"),
    }
}

fn to_row(l: &Listed, unit: Unit, lang: Lang) -> ProposalRow {
    ProposalRow {
        name: l.trip.owner_name.clone(),
        town: l.trip.from.town(),
        arrive: lang.date_day(l.trip.arrive),
        party_size: l.trip.party_size,
        legs: l
            .offers
            .iter()
            .map(|o| LegRow {
                pick: pick_value(l.trip.id, o.offer),
                text: offer_text(o, unit, lang),
            })
            .collect(),
        still_open: if l.unfilled.is_empty() {
            String::new()
        } else {
            lang.t_args(
                "propose-nothing-fits",
                &[("legs", &legs_text(&l.unfilled, false, lang))],
            )
        },
    }
}

fn last_day(from: NaiveDate, days: u32) -> NaiveDate {
    from.checked_add_days(Days::new(u64::from(days.saturating_sub(1))))
        .unwrap_or(from)
}

/// GET /offices/{id}/propose — the proposal for the dashboard's range.
pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(id): PathParam<OfficeId>,
    QueryParams(q): QueryParams<RangeQuery>,
) -> AppResult<ProposePage> {
    let office = office_for_staff(&state, &viewer, id).await?;
    let today = state.clock.today();
    let (from, days_n) = range(&q, today)?;
    let to = last_day(from, days_n);
    let c = propose::for_office(
        &state.finder,
        &state.db,
        office,
        from,
        to,
        today,
        state.settings.propose_wait,
    )
    .await?;
    let listed = propose::listed(&c);
    let reach = propose::reach(&c, &listed);
    let unit = viewer.unit();
    let lang = viewer.lang();
    let p = &c.proposal;
    Ok(ProposePage {
        ctx: viewer.page().await,
        rows: listed.iter().map(|l| to_row(l, unit, lang)).collect(),
        totals: totals_text(p.totals.people_served, &reach, lang),
        bound: (!p.proven).then(|| lang.t_args("propose-bound", &[("n", &p.people_served_bound)])),
        from: from.to_string(),
        to: to.to_string(),
        days_n,
        office: c.office,
    })
}

/// A request sent, or one skipped and why.
pub struct SentRow {
    pub text: String,
    pub booking: Option<i64>,
    pub note: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "dashboard/proposed.html")]
pub struct SentPage {
    pub ctx: PageCtx,
    pub office: Office,
    pub back: String,
    pub sent: Vec<SentRow>,
    pub skipped: Vec<SentRow>,
}

/// A checkbox value: "TRIP:ride:ID" or "TRIP:stay:ID"; anything else is
/// not found, as a bad id in a path.
fn parse_pick(raw: &str) -> AppResult<(TripId, Offer)> {
    let mut parts = raw.splitn(3, ':');
    let (Some(trip), Some(kind), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(AppError::NotFound);
    };
    let trip: TripId = parse_id(trip)?;
    let offer = match kind {
        "ride" => Offer::Ride(parse_id::<RideId>(id)?),
        "stay" => Offer::Stay(parse_id::<StayId>(id)?),
        _ => return Err(AppError::NotFound),
    };
    Ok((trip, offer))
}

/// POST /offices/{id}/propose — sends the selected proposals, each its own
/// guarded request; one that no longer fits is skipped and listed.
pub async fn send(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(id): PathParam<OfficeId>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<SentPage> {
    let office = office_for_staff(&state, &viewer, id).await?;
    let staff = viewer.require_user()?.clone();
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let back = format!(
        "/offices/{id}/propose?from={}&days={}",
        field("from")
            .and_then(|f| crate::domain::offer::parse_date(&f).ok())
            .map(|d| d.to_string())
            .unwrap_or_default(),
        field("days")
            .and_then(|d| d.trim().parse::<u32>().ok())
            .unwrap_or(crate::web::dashboard::DEFAULT_DAYS)
            .clamp(1, 62)
    );
    // Every pick parsed before anything is sent: a forged one changes nothing.
    let picks = fields
        .iter()
        .filter(|(k, _)| k == "pick")
        .map(|(_, v)| parse_pick(v))
        .collect::<AppResult<Vec<_>>>()?;
    if picks.is_empty() {
        return Err(AppError::Invalid(
            "Select at least one proposal to send.".into(),
        ));
    }
    let lang = viewer.lang();
    let (mut sent, mut skipped) = (vec![], vec![]);
    for (trip_id, offer) in picks {
        // Ids as text: Fluent would group a number's digits.
        let (key, id) = match offer {
            Offer::Ride(id) => ("proposed-trip-ride", id.to_string()),
            Offer::Stay(id) => ("proposed-trip-stay", id.to_string()),
        };
        let text = lang.t_args(key, &[("trip", &trip_id.to_string()), ("id", &id)]);
        match bookings::request_for_office(&state, &staff, office.id, trip_id, offer).await {
            Ok((booking, status)) => sent.push(SentRow {
                text,
                booking: Some(booking.get()),
                note: lang.t(if status == BookingStatus::Accepted {
                    "proposed-accepted"
                } else {
                    "proposed-requested"
                }),
            }),
            Err(AppError::Conflict(why)) | Err(AppError::Invalid(why)) => skipped.push(SentRow {
                text,
                booking: None,
                note: lang.translate_english(&why),
            }),
            Err(AppError::NotFound) => skipped.push(SentRow {
                text,
                booking: None,
                note: lang.t("proposed-not-found"),
            }),
            Err(e) => return Err(e),
        }
    }
    Ok(SentPage {
        ctx: viewer.page().await,
        office,
        back,
        sent,
        skipped,
    })
}
