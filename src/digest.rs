//! The daily office digest: once per office and day, from 17:00 in the
//! office's time zone, an email to each of its staff with tomorrow's arrivals
//! (names, party sizes, ride and bed) and the week's open gaps, linking to
//! the dashboard. The `digests_sent` row is the guard: it is inserted in the
//! same transaction as the emails, so with several instances exactly one
//! sends, and a run that finds it already there sends nothing.

use std::collections::HashMap;

use chrono::{DateTime, Days, NaiveDate, Timelike, Utc};
use chrono_tz::Tz;

use crate::dashboard::{Plan, Traveller};
use crate::domain::account::first_name;
use crate::domain::office::default_time_zone;
use crate::email::{self, Content};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::store::offices::{self, Office};
use crate::store::{arrivals, digests, users};

/// The local hour from which the day's digest goes out.
pub const DIGEST_HOUR: u32 = 17;
/// Gaps are listed for arrivals from tomorrow over this many days.
pub const GAP_DAYS: u64 = 7;
/// Gap lines in one email at most; the rest is a count.
pub const GAPS_LISTED: usize = 20;

/// The office's time zone (an unreadable one falls back to its state's usual zone).
pub fn zone_of(office: &Office) -> Tz {
    office
        .timezone
        .parse()
        .unwrap_or_else(|_| default_time_zone(&office.place.state))
}

/// The office's local date when its digest is due at `now` (17:00 or later
/// there), else None.
pub fn due_day(now: DateTime<Utc>, zone: Tz) -> Option<NaiveDate> {
    let local = now.with_timezone(&zone);
    (local.hour() >= DIGEST_HOUR).then(|| local.date_naive())
}

/// What one office's digest says (the same for each staff member but the greeting).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Digest {
    pub subject: String,
    pub paragraphs: Vec<String>,
    pub dashboard_url: String,
}

fn party(t: &Traveller) -> String {
    match t.party_size {
        n if n > 1 => format!("{} (+{})", t.name, n - 1),
        _ => t.name.clone(),
    }
}

/// How a traveller gets there, in `lang`: "ride confirmed with Dee Driver".
fn ride_status(t: &Traveller, lang: Lang) -> String {
    status(&t.ride, t.needs_ride, lang, "ride", "comes-on-own")
}

/// Where a traveller sleeps, in `lang`.
fn bed_status(t: &Traveller, lang: Lang) -> String {
    status(&t.bed, t.needs_bed, lang, "bed", "own-bed")
}

/// A leg's plan in the digest's words (`email-digest-{what}-confirmed` and
/// the like), or `not_needed`'s when the traveller needs none.
fn status(plan: &Plan, needed: bool, lang: Lang, what: &str, not_needed: &str) -> String {
    let key = |k: &str| format!("email-digest-{k}");
    match plan {
        _ if !needed => lang.t(&key(not_needed)),
        Plan::Accepted { owner, .. } => {
            lang.t_args(&key(&format!("{what}-confirmed")), &[("name", owner)])
        }
        Plan::Requested { owner, .. } => lang.t_args(
            &key(&format!("{what}-requested")),
            &[("name", &first_name(owner))],
        ),
        Plan::None => lang.t(&key(&format!("no-{what}"))),
    }
}

/// The digest for `travellers` (open trips overlapping tomorrow and the days
/// after), in `lang`; None when nobody arrives tomorrow and no gap is open.
pub fn compose(
    lang: Lang,
    office: &Office,
    travellers: &[Traveller],
    tomorrow: NaiveDate,
    site: &str,
) -> Option<Digest> {
    let last = tomorrow
        .checked_add_days(Days::new(GAP_DAYS - 1))
        .unwrap_or(tomorrow);
    let arriving: Vec<&Traveller> = travellers.iter().filter(|t| t.arrive == tomorrow).collect();
    let gaps: Vec<&Traveller> = travellers
        .iter()
        .filter(|t| t.arrive >= tomorrow && t.arrive <= last && t.has_gap())
        .collect();
    if arriving.is_empty() && gaps.is_empty() {
        return None;
    }
    let people: i64 = arriving.iter().map(|t| i64::from(t.party_size)).sum();
    let day = lang.date_long(tomorrow);
    let office_name = &office.name;
    let mut paragraphs = vec![];
    if arriving.is_empty() {
        paragraphs.push(lang.t_args(
            "email-digest-nobody",
            &[("office", office_name), ("day", &day)],
        ));
    } else {
        let n = arriving.len();
        paragraphs.push(lang.t_args(
            "email-digest-arriving",
            &[
                ("n", &n),
                ("day", &day),
                (
                    "travellers",
                    &lang.t_args("email-digest-travellers", &[("n", &n)]),
                ),
                (
                    "people",
                    &lang.t_args("email-digest-people", &[("n", &people)]),
                ),
                ("office", office_name),
            ],
        ));
        paragraphs.extend(arriving.iter().map(|t| {
            lang.t_args(
                "email-digest-arrival",
                &[
                    ("party", &party(t)),
                    ("town", &t.town),
                    ("ride", &ride_status(t, lang)),
                    ("bed", &bed_status(t, lang)),
                ],
            )
        }));
    }
    if gaps.is_empty() {
        paragraphs.push(lang.t("email-digest-no-gaps"));
    } else {
        paragraphs.push(lang.t_args(
            "email-digest-gaps",
            &[("n", &gaps.len()), ("days", &GAP_DAYS)],
        ));
        paragraphs.extend(gaps.iter().take(GAPS_LISTED).map(|t| {
            let mut missing = vec![];
            if t.needs_ride && !t.ride.is_confirmed() {
                missing.push(ride_status(t, lang));
            }
            if t.needs_bed && !t.bed.is_confirmed() {
                missing.push(bed_status(t, lang));
            }
            if t.lacks_ride_home() {
                missing.push(match &t.ride_home {
                    Plan::Requested { owner, .. } => lang.t_args(
                        "email-digest-ride-home-requested",
                        &[("name", &first_name(owner))],
                    ),
                    _ => lang.t("email-digest-no-ride-home"),
                });
            }
            lang.t_args(
                "email-digest-gap",
                &[
                    ("party", &party(t)),
                    ("date", &lang.date_day(t.arrive)),
                    ("missing", &missing.join("; ")),
                ],
            )
        }));
        if gaps.len() > GAPS_LISTED {
            paragraphs
                .push(lang.t_args("email-digest-more", &[("n", &(gaps.len() - GAPS_LISTED))]));
        }
    }
    let (n, g) = (arriving.len(), gaps.len());
    let key = match (n, g) {
        (0, _) => "email-digest-subject-gaps",
        (_, 0) => "email-digest-subject-arriving",
        _ => "email-digest-subject-both",
    };
    let subject = lang.t_args(key, &[("office", office_name), ("n", &n), ("g", &g)]);
    Some(Digest {
        subject,
        paragraphs,
        dashboard_url: format!("{site}/offices/{}/dashboard", office.id),
    })
}

/// Sends every office's digest that is due now (by the app's clock) and not
/// yet sent; returns how many offices' digests went out. Offices without
/// staff are skipped (and get theirs once they have staff); a quiet day is
/// marked done without an email.
pub async fn send_due(state: &AppState) -> anyhow::Result<usize> {
    let pool = &state.db.pool;
    let now = state.clock.now();
    let due: Vec<(Office, NaiveDate)> = offices::all(pool)
        .await?
        .into_iter()
        .filter_map(|o| due_day(now, zone_of(&o)).map(|d| (o, d)))
        .collect();
    let (Some(first), Some(last)) = (due.iter().map(|d| d.1).min(), due.iter().map(|d| d.1).max())
    else {
        return Ok(0);
    };
    let sent = digests::sent_between(pool, first, last).await?;
    let mut staff = digests::staff_by_office(pool).await?;
    let site = state.settings.public_url();
    let domain = email::domain_of(&site);
    let now_text = state.clock.now_text();
    let mut done = 0;
    for (office, day) in due {
        if sent.contains(&(office.id, day)) {
            continue;
        }
        let Some(members) = staff.remove(&office.id).filter(|m| !m.is_empty()) else {
            continue;
        };
        let tomorrow = day.succ_opt().unwrap_or(day);
        let last = tomorrow
            .checked_add_days(Days::new(GAP_DAYS - 1))
            .unwrap_or(tomorrow);
        let travellers = arrivals::travellers(pool, office.id, tomorrow, last).await?;
        // Each member reads it in their own language: one digest per language.
        let mut digest: HashMap<Lang, Option<Digest>> = HashMap::new();
        let mut mails = vec![];
        for m in &members {
            let lang = users::language_of(pool, m.user_id).await?;
            let d = digest
                .entry(lang)
                .or_insert_with(|| compose(lang, &office, &travellers, tomorrow, &site));
            let Some(d) = d else { continue };
            mails.push(email::compose(
                &m.email,
                &d.subject,
                &Content {
                    lang,
                    greeting: email::hello(lang, &m.name),
                    paragraphs: d.paragraphs.clone(),
                    action: Some((lang.t("email-digest-open"), d.dashboard_url.clone())),
                    footer: vec![lang.t_args("email-digest-why", &[("office", &office.name)])],
                },
            )?);
        }
        let mut tx = pool.begin().await?;
        if !digests::claim(&mut tx, office.id, day).await? {
            // Another run or instance sent it meanwhile.
            tx.rollback().await?;
            continue;
        }
        for m in &mails {
            email::enqueue(&mut tx, m, &now_text, &domain).await?;
        }
        tx.commit().await?;
        if !mails.is_empty() {
            done += 1;
        }
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::*;
    use crate::places::{LatLon, Place};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn office() -> Office {
        Office {
            id: OfficeId(7),
            name: "Milwaukee Field Office".into(),
            place: Place {
                zip: Some("53202".into()),
                city: "Milwaukee".into(),
                state: "WI".into(),
                point: LatLon {
                    lat: 43.0,
                    lon: -87.9,
                },
            },
            timezone: "America/Chicago".into(),
            contact_email: None,
            needed_per_day: None,
        }
    }

    fn t(name: &str, arrive: &str, party: i32) -> Traveller {
        Traveller {
            trip_id: TripId(1),
            user_id: UserId(1),
            name: name.into(),
            email: "x@example.org".into(),
            phone: Some("(555) 123-4567".into()),
            town: "Chicago, IL".into(),
            home: LatLon {
                lat: 41.85,
                lon: -87.63,
            },
            arrive: d(arrive),
            leave: d(arrive).succ_opt().unwrap(),
            party_size: party,
            needs_ride: true,
            needs_bed: true,
            needs_ride_home: false,
            flex_days: 1,
            max_stay_km: 40.0,
            need_step_free: false,
            need_no_pets: false,
            need_no_smoking: false,
            ride: Plan::None,
            bed: Plan::None,
            ride_home: Plan::None,
            checkin: None,
        }
    }

    #[test]
    fn the_digest_is_due_from_five_pm_office_time() {
        let chicago = chrono_tz::America::Chicago;
        // 21:59 UTC is 16:59 CDT; 22:00 UTC is 17:00 CDT.
        assert_eq!(due_day(at("2026-10-08T21:59:00Z"), chicago), None);
        assert_eq!(
            due_day(at("2026-10-08T22:00:00Z"), chicago),
            Some(d("2026-10-08"))
        );
        // 04:30 UTC is still the evening before in Chicago.
        assert_eq!(
            due_day(at("2026-10-09T04:30:00Z"), chicago),
            Some(d("2026-10-08"))
        );
        assert_eq!(due_day(at("2026-10-09T06:00:00Z"), chicago), None);
    }

    #[test]
    fn the_digest_lists_tomorrows_arrivals_and_the_weeks_gaps() {
        let mut ana = t("Ana López", "2026-10-09", 2);
        ana.ride = Plan::Accepted {
            booking_id: BookingId(1),
            owner: "Dee Driver".into(),
            owner_phone: None,
            owner_email: "d@example.org".into(),
            detail: crate::dashboard::Detail::Place(String::new()),
        };
        ana.bed = Plan::Requested {
            booking_id: BookingId(2),
            owner: "Hal Host".into(),
        };
        let mut bo = t("Bo Brown", "2026-10-09", 1);
        bo.needs_ride = false;
        bo.needs_bed = false;
        let cy = t("Cy Chen", "2026-10-12", 1);
        let later = t("Di Diaz", "2026-10-16", 1);
        let digest = compose(
            Lang::En,
            &office(),
            &[ana, bo, cy, later],
            d("2026-10-09"),
            "https://trip.example.org",
        )
        .unwrap();
        assert_eq!(
            digest.subject,
            "Milwaukee Field Office: 2 arriving tomorrow, 2 open gaps"
        );
        assert_eq!(
            digest.paragraphs,
            vec![
                "Tomorrow, Friday October 9, 2 travellers (3 people) arrive at Milwaukee Field Office:".to_string(),
                "• Ana López (+1) from Chicago, IL: ride confirmed with Dee Driver; bed requested from Hal.".into(),
                "• Bo Brown from Chicago, IL: comes on their own; own place to sleep.".into(),
                "Open gaps: 2 arriving in the next 7 days still lack a ride, a bed or a ride home:".into(),
                "• Ana López (+1), arrives Fri Oct 9: bed requested from Hal.".into(),
                "• Cy Chen, arrives Mon Oct 12: no ride yet; no bed yet.".into(),
            ]
        );
        assert_eq!(
            digest.dashboard_url,
            "https://trip.example.org/offices/7/dashboard"
        );
        assert_eq!(compose(Lang::En, &office(), &[], d("2026-10-09"), ""), None);
    }
}
