//! Ride offers, stay offers and trips: the values their forms and CSV rows
//! parse into. Each type only holds what the product allows.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, NaiveTime};

/// Whether an offer or trip takes part in matching.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Active,
    Paused,
    Cancelled,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Paused => "paused",
            Status::Cancelled => "cancelled",
        }
    }

    /// Unknown text reads as cancelled: never match what we cannot read.
    pub fn from_db(s: &str) -> Status {
        match s {
            "active" => Status::Active,
            "paused" => Status::Paused,
            _ => Status::Cancelled,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Active => "Open",
            Status::Paused => "Paused",
            Status::Cancelled => "Cancelled",
        }
    }
}

/// Which way a ride goes: to the office (from the driver's start) or home
/// from the office (to the driver's destination). Either way the ride has
/// one place of the driver's besides the office, its **far end**.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Direction {
    #[default]
    ToOffice,
    Home,
}

impl Direction {
    /// As stored and as written in a CSV: `to_office`, `from_office`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::ToOffice => "to_office",
            Direction::Home => "from_office",
        }
    }

    /// An empty cell is a ride to the office.
    pub fn parse(s: &str) -> Result<Direction, &'static str> {
        match s.trim() {
            "" | "to_office" => Ok(Direction::ToOffice),
            "from_office" => Ok(Direction::Home),
            _ => Err("direction must be to_office or from_office"),
        }
    }

    /// Unknown text reads as a ride to the office, as before directions.
    pub fn from_db(s: &str) -> Direction {
        Direction::parse(s).unwrap_or_default()
    }

    pub fn is_home(self) -> bool {
        self == Direction::Home
    }
}

/// Why a pause, resume or cancel was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatusChangeError {
    /// Not one of `pause`, `resume`, `cancel`.
    UnknownAction,
    /// Not possible from where it stands, with the sentence to show.
    Refused(String),
}

/// The status an action (`pause`, `resume`, `cancel`) leads to from
/// `current`, and the word for the confirmation.
pub fn status_change(
    action: &str,
    current: Status,
) -> Result<(Status, &'static str), StatusChangeError> {
    let next = match action {
        "pause" => (Status::Paused, "paused"),
        "resume" => (Status::Active, "resumed"),
        "cancel" => (Status::Cancelled, "cancelled"),
        _ => return Err(StatusChangeError::UnknownAction),
    };
    match (current, next.0) {
        (Status::Cancelled, _) => Err(StatusChangeError::Refused(
            "This is cancelled and can't be changed.".into(),
        )),
        (Status::Active, Status::Active) | (Status::Paused, Status::Paused) => {
            Err(StatusChangeError::Refused(format!(
                "This is already {}.",
                if current == Status::Active {
                    "open"
                } else {
                    "paused"
                }
            )))
        }
        _ => Ok(next),
    }
}

/// Seats in a ride: 1–8 in a car; 9–60 for a van or bus, which needs a note.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seats(i32);

impl Seats {
    pub fn parse(s: &str, notes: &str) -> Result<Seats, &'static str> {
        let n = whole(s)
            .ok_or("Enter the number of free seats, from 1 to 8 (up to 60 for a van or bus).")?;
        match n {
            1..=8 => Ok(Seats(n)),
            9..=60 if !notes.trim().is_empty() => Ok(Seats(n)),
            9..=60 => Err("For more than 8 seats, add a note about the van or bus."),
            _ => Err("Enter the number of free seats, from 1 to 8 (up to 60 for a van or bus)."),
        }
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

/// Beds a host offers: 1–20.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Beds(i32);

impl Beds {
    pub fn parse(s: &str) -> Result<Beds, &'static str> {
        match whole(s) {
            Some(n @ 1..=20) => Ok(Beds(n)),
            _ => Err("Enter the number of beds, from 1 to 20."),
        }
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

/// People travelling together on one trip: 1–10.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartySize(i32);

impl PartySize {
    pub fn parse(s: &str) -> Result<PartySize, &'static str> {
        match whole(s) {
            Some(n @ 1..=10) => Ok(PartySize(n)),
            _ => Err("Enter how many people travel together, from 1 to 10."),
        }
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

/// The default maximum detour of a ride.
pub const DEFAULT_DETOUR_KM: f64 = 25.0;
/// The default flexibility of a trip's ride, in days before arrival.
pub const DEFAULT_FLEX_DAYS: i32 = 1;
/// The most days early a trip may accept a ride.
pub const MAX_FLEX_DAYS: u64 = 7;
/// The default distance a traveller accepts between bed and office.
pub const DEFAULT_STAY_KM: f64 = 40.0;

/// Maximum detour in km: empty means 25; 0–500.
pub fn parse_detour_km(s: &str) -> Result<f64, &'static str> {
    parse_km(
        s,
        DEFAULT_DETOUR_KM,
        0.0,
        500.0,
        "Enter a detour from 0 to 500 km, or leave it empty for 25 km.",
    )
}

/// How far from the office a traveller will sleep: empty means 40; 1–300 km.
pub fn parse_stay_km(s: &str) -> Result<f64, &'static str> {
    parse_km(
        s,
        DEFAULT_STAY_KM,
        1.0,
        300.0,
        "Enter a distance from 1 to 300 km, or leave it empty for 40 km.",
    )
}

fn parse_km(
    s: &str,
    default: f64,
    min: f64,
    max: f64,
    msg: &'static str,
) -> Result<f64, &'static str> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(default);
    }
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && (min..=max).contains(&v) => Ok(v),
        _ => Err(msg),
    }
}

/// Days a traveller would leave early for a ride: empty means 1; 0–7.
pub fn parse_flex_days(s: &str) -> Result<i32, &'static str> {
    if s.trim().is_empty() {
        return Ok(DEFAULT_FLEX_DAYS);
    }
    match whole(s) {
        Some(n) if (0..=MAX_FLEX_DAYS as i32).contains(&n) => Ok(n),
        _ => Err("Enter a flexibility from 0 to 7 days, or leave it empty for 1 day."),
    }
}

fn whole(s: &str) -> Option<i32> {
    let s = s.trim();
    if s.len() > 6 {
        return None;
    }
    s.parse::<i32>().ok()
}

/// A calendar date typed as YYYY-MM-DD.
pub fn parse_date(s: &str) -> Result<NaiveDate, &'static str> {
    let s = s.trim();
    if s.is_empty() {
        return Err("Enter a date.");
    }
    // Four-digit years only: far-off years are typos and would not sort as text.
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .filter(|d| (2000..=2100).contains(&d.year()) && s.len() == 10)
        .ok_or("Enter a date as YYYY-MM-DD, like 2026-10-03.")
}

/// A time of day typed as HH:MM (24-hour); empty means 09:00.
pub fn parse_time(s: &str) -> Result<NaiveTime, &'static str> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default());
    }
    NaiveTime::parse_from_str(s, "%H:%M").map_err(|_| "Enter a time as HH:MM, like 08:30.")
}

/// Yes/no as spreadsheets write it.
pub fn parse_yes_no(s: &str) -> Result<bool, &'static str> {
    match s.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" => Ok(true),
        "no" | "n" | "false" => Ok(false),
        _ => Err("expected yes or no"),
    }
}

/// A host's nights: first and last night both included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NightRange {
    first: NaiveDate,
    last: NaiveDate,
}

/// The most nights one stay offer may span.
pub const MAX_STAY_NIGHTS: i64 = 366;

impl NightRange {
    pub fn new(first: NaiveDate, last: NaiveDate) -> Result<NightRange, &'static str> {
        if last < first {
            return Err("The last night can't be before the first night.");
        }
        if (last - first).num_days() >= MAX_STAY_NIGHTS {
            return Err("A stay offer can cover at most a year; split it into two offers.");
        }
        Ok(NightRange { first, last })
    }

    pub fn first(self) -> NaiveDate {
        self.first
    }

    pub fn last(self) -> NaiveDate {
        self.last
    }

    pub fn contains(self, night: NaiveDate) -> bool {
        (self.first..=self.last).contains(&night)
    }
}

/// A trip's arrival and departure days. Leaving the day you arrive is a day
/// trip (no nights); otherwise the nights are arrive..leave−1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TripDates {
    arrive: NaiveDate,
    leave: NaiveDate,
}

/// The longest trip, in days.
pub const MAX_TRIP_DAYS: i64 = 120;

impl TripDates {
    pub fn new(arrive: NaiveDate, leave: NaiveDate) -> Result<TripDates, &'static str> {
        if leave < arrive {
            return Err("You can't leave before you arrive.");
        }
        if (leave - arrive).num_days() > MAX_TRIP_DAYS {
            return Err("A trip can last at most 120 days.");
        }
        Ok(TripDates { arrive, leave })
    }

    pub fn arrive(self) -> NaiveDate {
        self.arrive
    }

    pub fn leave(self) -> NaiveDate {
        self.leave
    }

    pub fn nights(self) -> i64 {
        (self.leave - self.arrive).num_days()
    }
}

/// Nights a host is away, typed as dates separated by commas, spaces or new
/// lines; each must fall inside the offer's nights.
pub fn parse_blocked_nights(s: &str, range: NightRange) -> Result<BTreeSet<NaiveDate>, String> {
    let mut out = BTreeSet::new();
    for part in s
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .take(400)
    {
        let d = NaiveDate::parse_from_str(part, "%Y-%m-%d").map_err(|_| {
            "List blocked nights as dates like 2026-10-03, separated by commas.".to_string()
        })?;
        if !range.contains(d) {
            return Err(format!("{d} is outside the nights you offer."));
        }
        out.insert(d);
    }
    Ok(out)
}

/// Free text notes: at most 1,000 characters, control characters removed.
pub fn parse_notes(s: &str) -> Result<String, &'static str> {
    let cleaned: String = s
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect::<String>()
        .trim()
        .to_string();
    if cleaned.chars().count() > 1000 {
        return Err("Keep notes under 1000 characters.");
    }
    Ok(cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn status_changes_follow_pause_resume_cancel() {
        use Status::*;
        assert_eq!(status_change("pause", Active), Ok((Paused, "paused")));
        assert_eq!(status_change("resume", Paused), Ok((Active, "resumed")));
        assert_eq!(
            status_change("cancel", Paused),
            Ok((Cancelled, "cancelled"))
        );
        assert_eq!(
            status_change("cancel", Active),
            Ok((Cancelled, "cancelled"))
        );
        assert!(
            matches!(status_change("pause", Paused), Err(StatusChangeError::Refused(m)) if m.contains("already paused"))
        );
        assert!(
            matches!(status_change("resume", Active), Err(StatusChangeError::Refused(m)) if m.contains("already open"))
        );
        for action in ["pause", "resume", "cancel"] {
            assert!(matches!(
                status_change(action, Cancelled),
                Err(StatusChangeError::Refused(_))
            ));
        }
        assert_eq!(
            status_change("delete", Active),
            Err(StatusChangeError::UnknownAction)
        );
    }

    #[test]
    fn seats_above_eight_need_a_note() {
        assert_eq!(Seats::parse("4", "").unwrap().get(), 4);
        assert!(Seats::parse("0", "").is_err());
        assert!(Seats::parse("12", "").is_err());
        assert_eq!(Seats::parse("12", "church van").unwrap().get(), 12);
        assert!(Seats::parse("61", "bus").is_err());
        assert!(Seats::parse("four", "").is_err());
    }

    #[test]
    fn defaults_apply_to_empty_fields() {
        assert_eq!(parse_detour_km("").unwrap(), 25.0);
        assert_eq!(parse_flex_days(" ").unwrap(), 1);
        assert_eq!(parse_stay_km("").unwrap(), 40.0);
        assert!(parse_detour_km("NaN").is_err());
        assert!(parse_detour_km("-1").is_err());
        assert!(parse_flex_days("8").is_err());
        assert_eq!(
            parse_time("").unwrap(),
            NaiveTime::from_hms_opt(9, 0, 0).unwrap()
        );
    }

    #[test]
    fn party_sizes_are_one_to_ten() {
        assert!(PartySize::parse("0").is_err());
        assert!(PartySize::parse("11").is_err());
        assert_eq!(PartySize::parse("10").unwrap().get(), 10);
    }

    #[test]
    fn trips_cannot_leave_before_arriving() {
        assert!(TripDates::new(d("2026-10-05"), d("2026-10-04")).is_err());
        assert_eq!(
            TripDates::new(d("2026-10-05"), d("2026-10-05"))
                .unwrap()
                .nights(),
            0
        );
        assert_eq!(
            TripDates::new(d("2026-10-01"), d("2026-10-05"))
                .unwrap()
                .nights(),
            4
        );
    }

    #[test]
    fn blocked_nights_must_be_inside_the_offer() {
        let r = NightRange::new(d("2026-10-01"), d("2026-10-31")).unwrap();
        let b = parse_blocked_nights("2026-10-03, 2026-10-04\n2026-10-03", r).unwrap();
        assert_eq!(b.len(), 2);
        assert!(parse_blocked_nights("2026-11-01", r).is_err());
        assert!(parse_blocked_nights("tomorrow", r).is_err());
        assert!(parse_date("+12026-01-01").is_err());
        assert!(parse_date("1899-01-01").is_err());
        assert!(parse_date("2026-1-5").is_err());
        assert!(NightRange::new(d("2026-10-02"), d("2026-10-01")).is_err());
    }

    #[test]
    fn yes_no_in_any_case() {
        for y in ["yes", "Y", "TRUE", " true "] {
            assert!(parse_yes_no(y).unwrap());
        }
        for n in ["no", "N", "False"] {
            assert!(!parse_yes_no(n).unwrap());
        }
        assert!(parse_yes_no("maybe").is_err());
    }
}
