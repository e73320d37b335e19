//! The field office's exports: the arrivals as CSV for the office's own
//! sheet, a printable roster of one day, and a private calendar feed of
//! expected arrivals. Staff of the office and admins only (everyone else: 404);
//! every export that shows travellers' contact details logs the reading.

use crate::domain::ids::{OfficeId, TripId, UserId};
use std::collections::BTreeSet;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Days, NaiveDate, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property};
use serde::Deserialize;

use crate::calendar::uid_host;
use crate::dashboard::{CheckIn, Plan, Traveller};
use crate::domain::account::first_name;
use crate::domain::offer::parse_date;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::store::offices::{self, Office};
use crate::store::{arrivals, office_feeds};
use crate::web::ctx::{PageCtx, PathParam, QueryParams, Viewer};
use crate::web::dashboard::{accepted_text, office_for_staff, own_way};
use crate::web::dashboard::{range, RangeQuery};

/// The office feed lists arrivals from this many days back…
pub const FEED_PAST_DAYS: u64 = 14;
/// …up to this many days ahead.
pub const FEED_DAYS_AHEAD: u64 = 120;

/// Records that the signed-in viewer was shown these travellers' contacts.
async fn log_reads(
    state: &AppState,
    viewer: &Viewer,
    office_id: OfficeId,
    travellers: &[&Traveller],
) -> AppResult<()> {
    let Some(user) = &viewer.user else {
        return Ok(());
    };
    let ids: Vec<UserId> = travellers
        .iter()
        .map(|t| t.user_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    arrivals::log_contact_reads(
        &state.db.pool,
        user.id,
        office_id,
        &ids,
        &state.clock.now_text(),
    )
    .await?;
    Ok(())
}

/// A spreadsheet cell that cannot run as a formula: text starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe,
/// which spreadsheets show as text and hide.
pub fn cell(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}

/// Writes rows as CSV (RFC 4180: CRLF, quoted where needed), every cell
/// neutralised, after a UTF-8 byte-order mark so spreadsheets read accents right.
pub fn csv_bytes(header: &[&str], rows: &[Vec<String>]) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::from("\u{feff}".as_bytes()));
    w.write_record(header)?;
    for r in rows {
        w.write_record(r.iter().map(|c| cell(c)))?;
    }
    w.into_inner().map_err(|e| anyhow::anyhow!("csv: {e}"))
}

/// A CSV download named `filename` (ASCII), never cached.
pub fn csv_response(body: Vec<u8>, filename: &str) -> Response {
    let mut res = (
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
        ],
        body,
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        res.headers_mut().insert(CONTENT_DISPOSITION, v);
    }
    res
}

/// A name as a file-name part: lower-case ASCII letters, digits and dashes.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "office".into()
    } else {
        out
    }
}

/// The columns of the arrivals CSV.
pub const ARRIVALS_HEADER: [&str; 15] = [
    "date",
    "name",
    "email",
    "phone",
    "party_size",
    "arrive",
    "leave",
    "from",
    "ride",
    "ride_detail",
    "bed",
    "bed_detail",
    "ride_home",
    "ride_home_detail",
    "checkin",
];

/// A ride's or bed's state and detail as two cells: confirmed (with whom,
/// their phone, when or where), requested (from whom), none, or not needed.
fn plan_cells(plan: &Plan, needed: bool) -> (String, String) {
    match plan {
        _ if !needed => ("not needed".into(), String::new()),
        Plan::Accepted {
            owner,
            owner_phone,
            detail,
            ..
        } => {
            let mut parts = vec![owner.clone()];
            parts.extend(owner_phone.clone().filter(|p| !p.is_empty()));
            parts.extend(Some(detail.text(Lang::En).trim().to_string()).filter(|d| !d.is_empty()));
            ("confirmed".into(), parts.join("; "))
        }
        Plan::Requested { owner, .. } => {
            ("requested".into(), format!("from {}", first_name(owner)))
        }
        Plan::None => ("none".into(), String::new()),
    }
}

/// One row per traveller and night in `from..=to` (a day trip: one row for
/// its day), by date then as the travellers come (arrival, name).
pub fn arrival_rows(travellers: &[Traveller], from: NaiveDate, to: NaiveDate) -> Vec<Vec<String>> {
    let mut rows = vec![];
    for day in from.iter_days().take_while(|d| *d <= to) {
        for t in travellers.iter().filter(|t| t.on_hand(day)) {
            let (ride, ride_detail) = plan_cells(&t.ride, t.needs_ride);
            let (bed, bed_detail) = plan_cells(&t.bed, t.needs_bed);
            let (home, home_detail) = plan_cells(&t.ride_home, t.needs_ride_home);
            rows.push(vec![
                day.to_string(),
                t.name.clone(),
                t.email.clone(),
                t.phone.clone().unwrap_or_default(),
                t.party_size.to_string(),
                t.arrive.to_string(),
                t.leave.to_string(),
                t.town.clone(),
                ride,
                ride_detail,
                bed,
                bed_detail,
                home,
                home_detail,
                t.checkin.map(CheckIn::as_str).unwrap_or("").to_string(),
            ]);
        }
    }
    rows
}

/// `GET /offices/{id}/arrivals.csv?from=&days=`: who is on hand each night of
/// the range, with contacts and plans, for the office's own sheet.
pub async fn arrivals_csv(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(id): PathParam<OfficeId>,
    QueryParams(q): QueryParams<RangeQuery>,
) -> AppResult<Response> {
    let office = office_for_staff(&state, &viewer, id).await?;
    let (from, days) = range(&q, state.clock.today())?;
    let to = from
        .checked_add_days(Days::new(u64::from(days.saturating_sub(1))))
        .unwrap_or(from);
    let travellers = arrivals::travellers(&state.db.pool, id, from, to).await?;
    let rows = arrival_rows(&travellers, from, to);
    let shown: Vec<&Traveller> = travellers
        .iter()
        .filter(|t| {
            from.iter_days()
                .take_while(|d| *d <= to)
                .any(|d| t.on_hand(d))
        })
        .collect();
    log_reads(&state, &viewer, id, &shown).await?;
    let body = csv_bytes(&ARRIVALS_HEADER, &rows)?;
    let name = format!("{}-arrivals-{from}-to-{to}.csv", slug(&office.name));
    Ok(csv_response(body, &name))
}

/// One traveller on the printed roster.
pub struct RosterRow {
    pub name: String,
    pub party_size: i32,
    pub town: String,
    pub phone: String,
    pub dates: String,
    pub arriving_today: bool,
    pub how: String,
    pub sleep: String,
    pub home: String,
    pub checkin: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "dashboard/roster.html")]
pub struct RosterPage {
    pub ctx: PageCtx,
    pub office: Office,
    pub day: String,
    pub day_label: String,
    pub rows: Vec<RosterRow>,
    pub people: i64,
    pub printed_at: String,
}

fn roster_plan(plan: &Plan, needed: bool, ride: bool, lang: Lang) -> String {
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
                .filter(|p| !p.is_empty())
                .map(|p| format!(" · {p}"))
                .unwrap_or_default();
            let detail = detail.text(lang);
            let detail = Some(detail.trim()).filter(|d| !d.is_empty());
            accepted_text(&format!("{owner}{phone}"), detail, ride, lang)
        }
        Plan::Requested { owner, .. } => {
            lang.t_args("roster-asked", &[("name", &first_name(owner))])
        }
        Plan::None => lang.t(if ride { "plan-no-ride" } else { "plan-no-bed" }),
    }
}

/// `GET /offices/{id}/roster/{day}`: everyone on hand or arriving that day on
/// one printable sheet, with a box to tick at the door.
pub async fn roster(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam((id, day)): PathParam<(OfficeId, String)>,
) -> AppResult<Response> {
    let office = office_for_staff(&state, &viewer, id).await?;
    let day = parse_date(&day).map_err(|_| AppError::NotFound)?;
    let travellers = arrivals::travellers(&state.db.pool, id, day, day).await?;
    let mut here: Vec<&Traveller> = travellers
        .iter()
        .filter(|t| t.on_hand(day) || t.arrive == day)
        .collect();
    // Arrivals of the day first (they are the ones to tick), then everyone else.
    here.sort_by_key(|t| (t.arrive != day, t.name.clone(), t.trip_id));
    log_reads(&state, &viewer, id, &here).await?;
    let lang = viewer.lang();
    let rows = here
        .iter()
        .map(|t| RosterRow {
            name: t.name.clone(),
            party_size: t.party_size,
            town: t.town.clone(),
            phone: t.phone.clone().unwrap_or_default(),
            dates: if t.arrive == t.leave {
                lang.t_args("roster-day-trip", &[("date", &lang.date_short(t.arrive))])
            } else {
                format!(
                    "{} – {}",
                    lang.date_short(t.arrive),
                    lang.date_short(t.leave)
                )
            },
            arriving_today: t.arrive == day,
            how: roster_plan(&t.ride, t.needs_ride, true, lang),
            sleep: roster_plan(&t.bed, t.needs_bed, false, lang),
            home: roster_plan(&t.ride_home, t.needs_ride_home, true, lang),
            checkin: t.checkin.map(CheckIn::as_str).unwrap_or(""),
        })
        .collect();
    let page = RosterPage {
        ctx: viewer.page().await,
        day: day.to_string(),
        day_label: lang.date_long_year(day),
        people: here.iter().map(|t| i64::from(t.party_size)).sum(),
        rows,
        printed_at: {
            let now = state
                .clock
                .now()
                .with_timezone(&crate::digest::zone_of(&office));
            format!(
                "{} {}",
                lang.date_short_year(now.date_naive()),
                now.format("%H:%M")
            )
        },
        office,
    };
    // Contact details: keep them out of shared caches.
    Ok((
        [(CACHE_CONTROL, HeaderValue::from_static("private, no-store"))],
        page,
    )
        .into_response())
}

/// The office feed page: make, replace or turn off the feed; right after
/// making one it shows the address, this once.
#[derive(Template, WebTemplate)]
#[template(path = "dashboard/feed.html")]
pub struct FeedPage {
    pub ctx: PageCtx,
    pub office: Office,
    /// When the current feed was made (None: no feed).
    pub since: Option<String>,
    /// The new feed's address, only in the response that made it.
    pub url: Option<String>,
    pub replaced: bool,
}

/// When a feed was made, as its page says it ("Oct 31, 2026").
pub(crate) fn since_text(at: Option<String>, lang: Lang) -> Option<String> {
    at.map(|at| match DateTime::parse_from_rfc3339(&at) {
        Ok(t) => lang.date_short_year(t.date_naive()),
        Err(_) => at,
    })
}

/// `GET /offices/{id}/feed`.
pub async fn feed_page(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(id): PathParam<OfficeId>,
) -> AppResult<FeedPage> {
    let office = office_for_staff(&state, &viewer, id).await?;
    Ok(FeedPage {
        ctx: viewer.page().await,
        since: since_text(
            office_feeds::created_at(&state.db.pool, id).await?,
            viewer.lang(),
        ),
        url: None,
        replaced: false,
        office,
    })
}

/// `POST /offices/{id}/feed`: a new secret address (the old one, if any,
/// stops working), shown once; only its hash is kept.
pub async fn create_feed(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(id): PathParam<OfficeId>,
) -> AppResult<Response> {
    let office = office_for_staff(&state, &viewer, id).await?;
    let now = state.clock.now_text();
    // Only for the wording; the upsert itself is what replaces an old feed.
    let replaced = office_feeds::created_at(&state.db.pool, id)
        .await?
        .is_some();
    let token = office_feeds::replace(&state.db.pool, id, &now).await?;
    let page = FeedPage {
        ctx: viewer.page().await,
        since: since_text(Some(now), viewer.lang()),
        url: Some(format!(
            "{}/office-feeds/{token}.ics{}",
            state.settings.public_url(),
            match viewer.lang() {
                Lang::En => String::new(),
                other => format!("?lang={}", other.code()),
            }
        )),
        replaced,
        office,
    };
    // The page holds the secret: keep it out of every cache.
    Ok((
        [(CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        page,
    )
        .into_response())
}

/// `POST /offices/{id}/feed/revoke`: turns the feed off.
pub async fn revoke_feed(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(id): PathParam<OfficeId>,
) -> AppResult<Redirect> {
    office_for_staff(&state, &viewer, id).await?;
    let text = if office_feeds::revoke(&state.db.pool, id).await? {
        "The office calendar feed is off. Calendars subscribed to it will stop updating."
    } else {
        "This office has no calendar feed."
    };
    viewer.flash("ok", text).await;
    Ok(Redirect::to(&format!("/offices/{id}/feed")))
}

/// The office feed's query: the language its events are written in.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FeedQuery {
    pub lang: Option<String>,
}

/// One expected arrival as an all-day event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArrivalEvent {
    pub trip_id: TripId,
    pub day: NaiveDate,
    pub summary: String,
    pub description: String,
    pub url: String,
}

/// "Ana López (+1) arrives".
pub fn arrival_summary(t: &Traveller, lang: Lang) -> String {
    match t.party_size {
        n if n > 1 => lang.t_args(
            "feed-arrives-party",
            &[("name", &t.name), ("more", &(n - 1).to_string())],
        ),
        _ => lang.t_args("feed-arrives", &[("name", &t.name)]),
    }
}

/// How they come and where they sleep, without anyone's contact details:
/// the feed is read by calendar apps on a secret address, not by a signed-in
/// person, so phones, emails and streets stay on the logged pages.
fn feed_plan(plan: &Plan, needed: bool, ride: bool, lang: Lang) -> String {
    match plan {
        _ if !needed => lang.t(if ride {
            "feed-own-way"
        } else {
            "feed-own-arrangements"
        }),
        Plan::Accepted { owner, .. } => {
            lang.t_args("feed-confirmed-with", &[("name", &first_name(owner))])
        }
        Plan::Requested { owner, .. } => lang.t_args("feed-asked", &[("name", &first_name(owner))]),
        Plan::None => lang.t(if ride { "feed-no-ride" } else { "feed-no-bed" }),
    }
}

/// The feed's events: travellers arriving in `from..=to`, one on each arrival day.
pub fn arrival_events(
    office_id: OfficeId,
    travellers: &[Traveller],
    from: NaiveDate,
    to: NaiveDate,
    site: &str,
    lang: Lang,
) -> Vec<ArrivalEvent> {
    travellers
        .iter()
        .filter(|t| t.arrive >= from && t.arrive <= to)
        .map(|t| {
            let party = match t.party_size {
                1 => lang.t("feed-one-person"),
                n => lang.t_args("feed-party-of", &[("n", &n.to_string())]),
            };
            let stay = if t.leave == t.arrive {
                lang.t("feed-day-trip")
            } else {
                lang.t_args("feed-leaves", &[("date", &lang.date_day(t.leave))])
            };
            let url = format!("{site}/offices/{office_id}/dashboard/day/{}", t.arrive);
            let mut parts = vec![lang.t_args(
                "feed-from-arrives-sleeps",
                &[
                    ("town", &t.town),
                    ("party", &party),
                    ("stay", &stay),
                    ("arrives", &feed_plan(&t.ride, t.needs_ride, true, lang)),
                    ("sleeps", &feed_plan(&t.bed, t.needs_bed, false, lang)),
                ],
            )];
            if t.needs_ride_home {
                parts.push(lang.t_args(
                    "feed-goes-home",
                    &[("how", &feed_plan(&t.ride_home, true, true, lang))],
                ));
            }
            parts.push(lang.t_args("feed-details", &[("url", &url)]));
            ArrivalEvent {
                trip_id: t.trip_id,
                day: t.arrive,
                summary: arrival_summary(t, lang),
                description: parts.join(" "),
                url,
            }
        })
        .collect()
}

/// Text without control characters: the library escapes `,;\` and newlines
/// but not a carriage return, which could end a content line early.
fn plain(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The office's arrivals as an iCalendar feed, stamped `now`; each trip keeps
/// one UID, so a changed arrival moves its event instead of copying it.
pub fn render_feed(
    office: &Office,
    events: &[ArrivalEvent],
    site: &str,
    now: DateTime<Utc>,
    lang: Lang,
) -> String {
    let host = uid_host(site);
    let mut cal = Calendar::empty();
    cal.append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new(
            "PRODID",
            "-//Trip Planner//Office arrivals//EN",
        ))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", "PUBLISH"));
    cal.name(&plain(
        &lang.t_args("feed-calendar-name", &[("office", &office.name)]),
    ))
    .ttl(&chrono::Duration::hours(1));
    for e in events {
        let mut ev = Event::new();
        ev.uid(&format!("office-{}-trip-{}@{host}", office.id, e.trip_id))
            .timestamp(now)
            .summary(&plain(&e.summary))
            .description(&plain(&e.description))
            .status(EventStatus::Confirmed)
            .add_property("URL", plain(&e.url))
            .starts(e.day)
            .ends(e.day.succ_opt().unwrap_or(e.day));
        cal.push(ev.done());
    }
    cal.done().to_string()
}

/// `GET /office-feeds/{token}.ics`: the office's expected arrivals, for
/// calendar apps. No session: the token is the credential; an unknown,
/// replaced or malformed one is a plain 404.
pub async fn office_feed(
    State(state): State<AppState>,
    PathParam(file): PathParam<String>,
    QueryParams(q): QueryParams<FeedQuery>,
) -> AppResult<Response> {
    // The address shown to a Spanish-reading staff member carries
    // `?lang=es`: a calendar app sends no cookie and no useful language.
    let lang = q.lang.as_deref().and_then(Lang::parse).unwrap_or_default();
    let token = file.strip_suffix(".ics").ok_or(AppError::NotFound)?;
    let office_id = office_feeds::office_for(&state.db.pool, token)
        .await?
        .ok_or(AppError::NotFound)?;
    let office = offices::by_id(&state.db.pool, office_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let today = state.clock.today();
    let from = today
        .checked_sub_days(Days::new(FEED_PAST_DAYS))
        .unwrap_or(today);
    let to = today
        .checked_add_days(Days::new(FEED_DAYS_AHEAD))
        .unwrap_or(today);
    let travellers = arrivals::travellers(&state.db.pool, office_id, from, to).await?;
    let site = state.settings.public_url();
    let events = arrival_events(office_id, &travellers, from, to, &site, lang);
    let body = render_feed(&office, &events, &site, state.clock.now(), lang);
    Ok((
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            ),
            (CACHE_CONTROL, HeaderValue::from_static("private, no-cache")),
        ],
        body,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_a_spreadsheet_would_run_become_text() {
        for (raw, safe) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+1 555 0100", "'+1 555 0100"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("Ana López", "Ana López"),
            ("", ""),
            ("2026-10-09", "2026-10-09"),
        ] {
            assert_eq!(cell(raw), safe);
        }
    }

    #[test]
    fn csv_is_crlf_with_a_bom_and_quotes_where_needed() {
        let bytes = csv_bytes(&["a", "b"], &[vec!["x, y".into(), "=1".into()]]).unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "\u{feff}a,b\r\n\"x, y\",'=1\r\n"
        );
    }

    #[test]
    fn slugs_are_plain_ascii() {
        assert_eq!(slug("Milwaukee Field Office"), "milwaukee-field-office");
        assert_eq!(slug("  St. Paul — HQ! "), "st-paul-hq");
        assert_eq!(slug("Ñ"), "office");
    }
}
