//! Calendars for accepted bookings, as iCalendar (RFC 5545) text. Pure: it
//! turns loaded bookings into events and events into text, with no I/O, so
//! the one `.ics` download and the private feed give the very same events.
//!
//! A ride is a timed event at its departure (the office's local time turned
//! into UTC); a stay is an all-day event from the first night to the morning
//! after the last (DTEND is exclusive). Each booking has one stable UID, so a
//! calendar that has imported it updates it instead of adding a copy.

use crate::domain::ids::{BookingId, UserId};
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property};

use crate::bookings::{Loaded, Parties};
use crate::domain::account::first_name;
use crate::i18n::Lang;

/// How long a ride's event lasts: the calendar only needs "you're in the car".
pub const RIDE_LENGTH: Duration = Duration::hours(2);

/// When an event happens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum When {
    /// A timed event, in UTC.
    Timed {
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    },
    /// Whole days: `first` up to, not including, `end`.
    AllDay { first: NaiveDate, end: NaiveDate },
}

/// One booking as a calendar event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub booking_id: BookingId,
    pub when: When,
    pub summary: String,
    pub location: Option<String>,
    pub description: String,
    /// The page where the viewer finds the booking.
    pub url: String,
}

/// A ride's departure as an instant: `depart_time` ("HH:MM", 09:00 if it
/// does not parse) on `date` in the office's zone. A time skipped by a clock
/// change counts as the hour after; a repeated one as its first occurrence.
pub fn departure(date: NaiveDate, depart_time: &str, zone: Tz) -> DateTime<Utc> {
    let time = NaiveTime::parse_from_str(depart_time, "%H:%M")
        .unwrap_or(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default());
    let local = NaiveDateTime::new(date, time);
    zone.from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            zone.from_local_datetime(&(local + Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
        // No zone skips more than an hour; reading the time as UTC is a last resort.
        .unwrap_or_else(|| Utc.from_utc_datetime(&local))
}

/// The event for an accepted booking as `viewer_id` (its traveller or its
/// owner) sees it: the summary names the other person. `office_zone` is the
/// zone of the ride's office (unused for a stay); `site` is the public URL;
/// `lang` the viewer's language, which the summary is written in.
pub fn entry(p: &Parties, viewer_id: UserId, office_zone: Tz, site: &str, lang: Lang) -> Entry {
    let as_traveller = viewer_id == p.traveller.id;
    let other = if as_traveller { &p.owner } else { &p.traveller };
    let other = first_name(&other.name);
    let party = match p.booking.party_size {
        n if n > 1 && !as_traveller => format!(" ({})", lang.t_args("party-of", &[("n", &n)])),
        _ => String::new(),
    };
    let (when, summary, location, own_page) = match &p.offer {
        Loaded::Ride(r) => {
            let start = departure(r.depart_date, &r.depart_time, office_zone);
            (
                When::Timed {
                    start,
                    end: start + RIDE_LENGTH,
                },
                lang.t_args(
                    if r.direction.is_home() {
                        "ics-ride-home"
                    } else {
                        "ics-ride"
                    },
                    &[
                        ("office", &p.trip.office_name),
                        ("name", &other),
                        ("party", &party),
                    ],
                ),
                // A ride home leaves from the office.
                Some(if r.direction.is_home() {
                    p.trip.office_name.clone()
                } else {
                    r.from.town()
                }),
                format!("/rides/{}", r.id),
            )
        }
        Loaded::Stay(s) => {
            let first = p.booking.first_night.unwrap_or(p.trip.arrive);
            let last = p.booking.last_night.unwrap_or(first);
            let summary = if as_traveller {
                lang.t_args("ics-staying", &[("name", &other)])
            } else {
                lang.t_args("ics-hosting", &[("name", &other), ("party", &party)])
            };
            // The booking is accepted, so the street may be shown to both sides.
            let location = match &s.street {
                Some(street) if !street.trim().is_empty() => {
                    format!("{}, {}", street.trim(), s.place.label())
                }
                _ => s.place.town(),
            };
            (
                When::AllDay {
                    first,
                    end: last.succ_opt().unwrap_or(last),
                },
                summary,
                Some(location),
                format!("/stays/{}", s.id),
            )
        }
    };
    let page = if as_traveller {
        format!("/trips/{}", p.trip.id)
    } else {
        own_page
    };
    let url = format!("{site}{page}");
    let description = lang.t_args(
        "ics-description",
        &[("what", &p.what_in(lang)), ("url", &url)],
    );
    Entry {
        booking_id: p.booking.id,
        when,
        summary,
        location,
        description,
        url,
    }
}

/// The host part of the public URL ("trip.example.org"), for UIDs.
pub fn uid_host(site: &str) -> String {
    let rest = site.split_once("://").map_or(site, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match authority.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => authority,
    };
    if host.is_empty() {
        "trip-planner".into()
    } else {
        host.to_ascii_lowercase()
    }
}

/// The UID of a booking's event: the same in every download and feed.
pub fn uid(booking_id: BookingId, host: &str) -> String {
    format!("booking-{booking_id}@{host}")
}

/// A calendar of `entries`, stamped `now`. `name` titles a subscribed feed.
pub fn render(entries: &[Entry], site: &str, now: DateTime<Utc>, name: Option<&str>) -> String {
    let host = uid_host(site);
    let mut cal = Calendar::empty();
    cal.append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", "-//Trip Planner//Bookings//EN"))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", "PUBLISH"));
    if let Some(name) = name {
        cal.name(&plain(name)).ttl(&Duration::hours(1));
    }
    for e in entries {
        let mut ev = Event::new();
        ev.uid(&uid(e.booking_id, &host))
            .timestamp(now)
            .summary(&plain(&e.summary))
            .description(&plain(&e.description))
            .status(EventStatus::Confirmed)
            .add_property("URL", plain(&e.url));
        match e.when {
            When::Timed { start, end } => ev.starts(start).ends(end),
            When::AllDay { first, end } => ev.starts(first).ends(end),
        };
        if let Some(location) = &e.location {
            ev.location(&plain(location));
        }
        cal.push(ev.done());
    }
    cal.done().to_string()
}

/// Text without control characters: the library escapes `,;\` and newlines
/// but not a carriage return, which could end a content line early.
fn plain(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_departure_is_office_time_turned_into_utc() {
        let chicago = chrono_tz::America::Chicago;
        assert_eq!(
            departure(d(2026, 12, 4), "08:30", chicago),
            at("2026-12-04T14:30:00Z")
        );
        assert_eq!(
            departure(d(2026, 7, 4), "08:30", chicago),
            at("2026-07-04T13:30:00Z")
        );
        assert_eq!(
            departure(d(2026, 7, 4), "08:30", chrono_tz::America::Phoenix),
            at("2026-07-04T15:30:00Z")
        );
    }

    #[test]
    fn a_departure_in_a_clock_change_still_has_a_time() {
        let chicago = chrono_tz::America::Chicago;
        // 02:30 does not exist on 8 March 2026 in Chicago: the hour after is 03:30 CDT.
        assert_eq!(
            departure(d(2026, 3, 8), "02:30", chicago),
            at("2026-03-08T08:30:00Z")
        );
        // 01:30 happens twice on 1 November 2026: the first is CDT.
        assert_eq!(
            departure(d(2026, 11, 1), "01:30", chicago),
            at("2026-11-01T06:30:00Z")
        );
        // An unreadable time is the usual 09:00.
        assert_eq!(
            departure(d(2026, 12, 4), "nine", chicago),
            at("2026-12-04T15:00:00Z")
        );
    }

    #[test]
    fn uids_use_the_public_host_without_port_or_path() {
        assert_eq!(uid_host("https://Trip.Example.org/app"), "trip.example.org");
        assert_eq!(uid_host("http://127.0.0.1:3000"), "127.0.0.1");
        assert_eq!(uid_host(""), "trip-planner");
        assert_eq!(
            uid(BookingId(7), "trip.example.org"),
            "booking-7@trip.example.org"
        );
    }

    #[test]
    fn events_render_as_icalendar_with_utc_and_all_day_dates() {
        let entries = vec![
            Entry {
                booking_id: BookingId(3),
                when: When::Timed {
                    start: at("2026-12-04T14:30:00Z"),
                    end: at("2026-12-04T16:30:00Z"),
                },
                summary: "Ride to Milwaukee Field Office with Dee".into(),
                location: Some("Chicago, IL".into()),
                description: "A seat; see\r\nEVIL:yes".into(),
                url: "https://trip.example.org/trips/1".into(),
            },
            Entry {
                booking_id: BookingId(4),
                when: When::AllDay {
                    first: d(2026, 12, 4),
                    end: d(2026, 12, 7),
                },
                summary: "Staying at Hal's".into(),
                location: Some("12 Elm St, Milwaukee, WI 53202".into()),
                description: String::new(),
                url: "https://trip.example.org/trips/1".into(),
            },
        ];
        let text = render(
            &entries,
            "https://trip.example.org",
            at("2026-11-01T10:00:00Z"),
            Some("Trip Planner"),
        );
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
        assert!(text.ends_with("END:VCALENDAR\r\n"), "{text}");
        for line in [
            "UID:booking-3@trip.example.org",
            "DTSTAMP:20261101T100000Z",
            "DTSTART:20261204T143000Z",
            "DTEND:20261204T163000Z",
            "SUMMARY:Ride to Milwaukee Field Office with Dee",
            "LOCATION:Chicago\\, IL",
            "UID:booking-4@trip.example.org",
            "DTSTART;VALUE=DATE:20261204",
            "DTEND;VALUE=DATE:20261207",
            "X-WR-CALNAME:Trip Planner",
        ] {
            assert!(
                text.contains(&format!("\r\n{line}\r\n")),
                "{line} in {text}"
            );
        }
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 2);
        assert!(!text.contains("\r\nEVIL"), "{text}");
    }
}
