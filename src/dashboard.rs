//! The field office's figures, as pure functions over the travellers a
//! range of days involves (or their cohorts: those arriving and leaving on
//! the same days, counted together): who arrives and leaves each day, how
//! many are on hand against the target, who still lacks a ride or a bed, and
//! the chart.

use crate::domain::ids::{BookingId, OfficeId, TripId, UserId};
use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};

use crate::i18n::Lang;
use crate::matching::TripRequest;
use crate::places::LatLon;

/// How a traveller gets there, or where they sleep.
#[derive(Clone, Debug, PartialEq)]
pub enum Plan {
    /// Needed and nothing asked for yet (or not needed: see `Traveller::needs_*`).
    None,
    Requested {
        booking_id: BookingId,
        /// The owner's first name: nothing more shows before acceptance.
        owner: String,
    },
    Accepted {
        booking_id: BookingId,
        owner: String,
        owner_phone: Option<String>,
        owner_email: String,
        detail: Detail,
    },
}

/// What an accepted booking settled, kept as parts so each reader gets it in
/// their language.
#[derive(Clone, Debug, PartialEq)]
pub enum Detail {
    /// When the ride leaves, and the town it leaves from (or, for a ride
    /// home, goes to).
    Ride {
        date: Option<NaiveDate>,
        time: String,
        town: String,
        home: bool,
    },
    /// Where the bed is: the street when given, and the town.
    Place(String),
}

impl Detail {
    /// "leaves Sat Oct 31 08:30 from Chicago, IL", or the bed's address.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Detail::Ride {
                date,
                time,
                town,
                home,
            } => lang.t_args(
                if *home {
                    "plan-detail-ride-home"
                } else {
                    "plan-detail-ride"
                },
                &[
                    ("date", &date.map(|d| lang.date_day(d)).unwrap_or_default()),
                    ("time", time),
                    ("town", town),
                ],
            ),
            Detail::Place(place) => place.clone(),
        }
    }
}

impl Plan {
    pub fn is_confirmed(&self) -> bool {
        matches!(self, Plan::Accepted { .. })
    }
}

/// A staff member's mark on the day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckIn {
    Arrived,
    NoShow,
}

impl CheckIn {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckIn::Arrived => "arrived",
            CheckIn::NoShow => "no_show",
        }
    }

    pub fn from_db(s: &str) -> Option<CheckIn> {
        match s {
            "arrived" => Some(CheckIn::Arrived),
            "no_show" => Some(CheckIn::NoShow),
            _ => None,
        }
    }
}

/// One traveller (and their party) coming to the office.
#[derive(Clone, Debug)]
pub struct Traveller {
    pub trip_id: TripId,
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub town: String,
    pub home: LatLon,
    pub arrive: NaiveDate,
    pub leave: NaiveDate,
    pub party_size: i32,
    pub needs_ride: bool,
    pub needs_bed: bool,
    pub needs_ride_home: bool,
    pub flex_days: i32,
    pub max_stay_km: f64,
    pub need_step_free: bool,
    pub need_no_pets: bool,
    pub need_no_smoking: bool,
    pub ride: Plan,
    pub bed: Plan,
    pub ride_home: Plan,
    pub checkin: Option<CheckIn>,
}

impl Traveller {
    /// On hand on `day`: from the arrival day up to (not including) the day
    /// they leave; a day trip counts on its one day.
    pub fn on_hand(&self, day: NaiveDate) -> bool {
        self.arrive <= day
            && (day < self.leave || (self.arrive == self.leave && day == self.arrive))
    }

    /// Still missing a ride there, a bed or a ride home they need.
    pub fn has_gap(&self) -> bool {
        (self.needs_ride && !self.ride.is_confirmed())
            || (self.needs_bed && !self.bed.is_confirmed())
            || self.lacks_ride_home()
    }

    /// Needs a ride home and has none confirmed.
    pub fn lacks_ride_home(&self) -> bool {
        self.needs_ride_home && !self.ride_home.is_confirmed()
    }

    /// The trip as the matching engine sees it.
    pub fn request(&self, office_id: OfficeId, office_point: LatLon) -> TripRequest {
        TripRequest {
            id: self.trip_id,
            owner_id: self.user_id,
            office_id,
            home: self.home,
            office_point,
            arrive: self.arrive,
            leave: self.leave,
            party_size: self.party_size,
            needs_ride: self.needs_ride && !self.ride.is_confirmed(),
            needs_bed: self.needs_bed && !self.bed.is_confirmed(),
            needs_ride_home: self.lacks_ride_home(),
            flex_days: self.flex_days,
            max_stay_km: self.max_stay_km,
            open: true,
            need_step_free: self.need_step_free,
            need_no_pets: self.need_no_pets,
            need_no_smoking: self.need_no_smoking,
        }
    }
}

/// The figures of one day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Day {
    pub day: NaiveDate,
    /// People (party sizes counted) arriving, leaving, and on hand.
    pub arriving: i64,
    pub leaving: i64,
    pub on_hand: i64,
    /// The same as travellers (trips, whatever their party size): the day
    /// page counts both, so the two pages say the same.
    pub arriving_trips: i64,
    pub leaving_trips: i64,
    pub on_hand_trips: i64,
    pub needed: Option<i64>,
    /// Of those arriving that day, how many were checked in or marked no-show.
    pub arrived: i64,
    pub no_show: i64,
    /// Arriving that day without a confirmed ride there, bed or ride home
    /// they need.
    pub gaps: i64,
    /// Leaving that day without the confirmed ride home they need.
    pub leaving_without_ride: i64,
}

/// People with travellers in brackets, as the dashboard shows a count:
/// "5 (3)"; nobody is "0".
pub fn people_and_travellers(people: i64, travellers: i64) -> String {
    if people == 0 && travellers == 0 {
        "0".into()
    } else {
        format!("{people} ({travellers})")
    }
}

impl Day {
    pub fn arriving_text(&self) -> String {
        people_and_travellers(self.arriving, self.arriving_trips)
    }

    pub fn leaving_text(&self) -> String {
        people_and_travellers(self.leaving, self.leaving_trips)
    }

    pub fn on_hand_text(&self) -> String {
        people_and_travellers(self.on_hand, self.on_hand_trips)
    }

    /// How many short of the target (0 when met or no target).
    pub fn short_by(&self) -> i64 {
        self.needed.map(|n| (n - self.on_hand).max(0)).unwrap_or(0)
    }
}

/// Travellers arriving and leaving on the same days, counted together: the
/// day figures depend on nothing else, so a range of days needs a few dozen
/// of these rather than every traveller (the store groups them in SQL).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cohort {
    pub arrive: NaiveDate,
    pub leave: NaiveDate,
    /// Trips (parties) in the group.
    pub trips: i64,
    /// People: party sizes summed.
    pub people: i64,
    /// People checked in, and marked no-show.
    pub arrived: i64,
    pub no_show: i64,
    /// Trips still lacking a ride there, a bed or a ride home they need.
    pub gaps: i64,
    /// Trips still lacking the ride home they need.
    pub home_gaps: i64,
}

/// Groups travellers into cohorts, ordered by arrival then leaving day (what
/// `store::arrivals::cohorts` computes in SQL).
pub fn cohorts(travellers: &[Traveller]) -> Vec<Cohort> {
    let mut by_days = BTreeMap::new();
    for t in travellers {
        let c = by_days.entry((t.arrive, t.leave)).or_insert(Cohort {
            arrive: t.arrive,
            leave: t.leave,
            trips: 0,
            people: 0,
            arrived: 0,
            no_show: 0,
            gaps: 0,
            home_gaps: 0,
        });
        let n = i64::from(t.party_size);
        c.trips += 1;
        c.people += n;
        match t.checkin {
            Some(CheckIn::Arrived) => c.arrived += n,
            Some(CheckIn::NoShow) => c.no_show += n,
            None => {}
        }
        if t.has_gap() {
            c.gaps += 1;
        }
        if t.lacks_ride_home() {
            c.home_gaps += 1;
        }
    }
    by_days.into_values().collect()
}

/// The days `from..from+days`, each with its figures.
pub fn summarize(cohorts: &[Cohort], from: NaiveDate, days: u32, needed: Option<i64>) -> Vec<Day> {
    (0..days)
        .filter_map(|i| from.checked_add_days(Days::new(u64::from(i))))
        .map(|day| {
            let mut d = Day {
                day,
                arriving: 0,
                leaving: 0,
                on_hand: 0,
                arriving_trips: 0,
                leaving_trips: 0,
                on_hand_trips: 0,
                needed,
                arrived: 0,
                no_show: 0,
                gaps: 0,
                leaving_without_ride: 0,
            };
            for c in cohorts {
                if c.arrive == day {
                    d.arriving += c.people;
                    d.arriving_trips += c.trips;
                    d.arrived += c.arrived;
                    d.no_show += c.no_show;
                    d.gaps += c.gaps;
                }
                if c.leave == day && c.leave != c.arrive {
                    d.leaving += c.people;
                    d.leaving_trips += c.trips;
                }
                // A day trip goes home too, the day it came.
                if c.leave == day {
                    d.leaving_without_ride += c.home_gaps;
                }
                // As `Traveller::on_hand`: from arrival up to the day they
                // leave; a day trip counts on its one day.
                if c.arrive <= day && (day < c.leave || (c.arrive == c.leave && day == c.arrive)) {
                    d.on_hand += c.people;
                    d.on_hand_trips += c.trips;
                }
            }
            d
        })
        .collect()
}

/// A bar chart of people on hand per day, with the target as a line, laid
/// out in SVG user units (the template draws it; no JavaScript).
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    pub width: u32,
    pub height: u32,
    pub bars: Vec<Bar>,
    /// The target line's y, when a target is set.
    pub target_y: Option<f64>,
    pub max: i64,
    pub axis_y: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub label: String,
    pub value: i64,
    pub short: bool,
}

/// Lays out the chart for `days`.
pub fn chart(days: &[Day]) -> Chart {
    let (width, height) = (640u32, 240u32);
    let (left, right, top, bottom) = (8.0, 8.0, 16.0, 28.0);
    let max = days
        .iter()
        .map(|d| d.on_hand.max(d.needed.unwrap_or(0)))
        .max()
        .unwrap_or(0)
        .max(1);
    let plot_h = f64::from(height) - top - bottom;
    let slot = (f64::from(width) - left - right) / days.len().max(1) as f64;
    let scale = |v: i64| top + plot_h - plot_h * (v as f64) / (max as f64);
    let bars = days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let y = scale(d.on_hand);
            Bar {
                x: left + slot * i as f64 + slot * 0.15,
                y,
                w: slot * 0.7,
                h: top + plot_h - y,
                label: d.day.format("%-d").to_string(),
                value: d.on_hand,
                short: d.short_by() > 0,
            }
        })
        .collect();
    Chart {
        width,
        height,
        bars,
        target_y: days.first().and_then(|d| d.needed).map(scale),
        max,
        axis_y: top + plot_h,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn t(id: i64, arrive: &str, leave: &str, party: i32) -> Traveller {
        Traveller {
            trip_id: TripId(id),
            user_id: UserId(id),
            name: format!("T{id}"),
            email: format!("t{id}@example.org"),
            phone: None,
            town: "Chicago, IL".into(),
            home: LatLon {
                lat: 41.85,
                lon: -87.63,
            },
            arrive: d(arrive),
            leave: d(leave),
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
    fn days_count_parties_arriving_leaving_and_on_hand() {
        let mut a = t(1, "2026-10-01", "2026-10-03", 2);
        a.checkin = Some(CheckIn::Arrived);
        let b = t(2, "2026-10-02", "2026-10-02", 1);
        let mut c = t(3, "2026-10-02", "2026-10-05", 3);
        c.ride = Plan::Accepted {
            booking_id: BookingId(1),
            owner: "Dee".into(),
            owner_phone: None,
            owner_email: "d@x.org".into(),
            detail: Detail::Place(String::new()),
        };
        c.bed = Plan::Accepted {
            booking_id: BookingId(2),
            owner: "Hal".into(),
            owner_phone: None,
            owner_email: "h@x.org".into(),
            detail: Detail::Place(String::new()),
        };
        let days = summarize(&cohorts(&[a, b, c]), d("2026-10-01"), 4, Some(5));
        let got: Vec<_> = days
            .iter()
            .map(|x| (x.arriving, x.leaving, x.on_hand, x.arrived, x.gaps))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, 0, 2, 2, 1),
                (4, 0, 6, 0, 1),
                (0, 2, 3, 0, 0),
                (0, 0, 3, 0, 0)
            ]
        );
        assert_eq!(
            days.iter().map(Day::on_hand_text).collect::<Vec<_>>(),
            ["2 (1)", "6 (3)", "3 (1)", "3 (1)"],
            "people, with travellers in brackets"
        );
        assert_eq!(days[3].arriving_text(), "0");
        assert_eq!(days[0].short_by(), 3);
        assert_eq!(days[1].short_by(), 0);
    }

    fn accepted() -> Plan {
        Plan::Accepted {
            booking_id: BookingId(1),
            owner: "Dee".into(),
            owner_phone: None,
            owner_email: String::new(),
            detail: Detail::Place(String::new()),
        }
    }

    #[test]
    fn a_missing_ride_home_is_a_gap_counted_on_the_day_they_leave() {
        let accepted = accepted();
        // Ride there and bed confirmed, the ride home only requested.
        let mut a = t(1, "2026-10-01", "2026-10-03", 2);
        (a.ride, a.bed) = (accepted.clone(), accepted.clone());
        a.needs_ride_home = true;
        a.ride_home = Plan::Requested {
            booking_id: BookingId(2),
            owner: "Ann".into(),
        };
        assert!(a.has_gap() && a.lacks_ride_home());
        let req = a.request(OfficeId(1), a.home);
        assert!(req.needs_ride_home && !req.needs_ride && !req.needs_bed);
        // A day trip needing a ride home leaves the day it comes.
        let mut b = t(2, "2026-10-02", "2026-10-02", 1);
        (b.needs_ride, b.needs_bed, b.needs_ride_home) = (false, false, true);
        // Everything confirmed, the ride home too.
        let mut c = t(3, "2026-10-01", "2026-10-03", 1);
        (c.ride, c.bed, c.ride_home) = (accepted.clone(), accepted.clone(), accepted);
        c.needs_ride_home = true;
        assert!(!c.has_gap() && !c.lacks_ride_home());
        let days = summarize(&cohorts(&[a, b, c]), d("2026-10-01"), 3, None);
        let got: Vec<_> = days
            .iter()
            .map(|x| (x.gaps, x.leaving, x.leaving_without_ride))
            .collect();
        assert_eq!(got, vec![(1, 0, 0), (1, 0, 1), (0, 3, 1)]);
    }

    #[test]
    fn a_confirmed_ride_and_bed_close_the_gap() {
        let mut x = t(1, "2026-10-01", "2026-10-03", 1);
        assert!(x.has_gap());
        x.ride = Plan::Requested {
            booking_id: BookingId(1),
            owner: "Dee".into(),
        };
        assert!(x.has_gap(), "a request is not a plan");
        x.needs_ride = false;
        x.bed = Plan::Accepted {
            booking_id: BookingId(2),
            owner: "Hal".into(),
            owner_phone: None,
            owner_email: String::new(),
            detail: Detail::Place(String::new()),
        };
        assert!(!x.has_gap());
        let all = vec![
            t(2, "2026-09-30", "2026-10-02", 1),
            x,
            t(3, "2026-10-02", "2026-10-04", 1),
            t(4, "2026-10-02", "2026-10-04", 2),
        ];
        let g: Vec<_> = cohorts(&all)
            .iter()
            .map(|c| (c.arrive, c.trips, c.people, c.gaps))
            .collect();
        assert_eq!(
            g,
            vec![
                (d("2026-09-30"), 1, 1, 1),
                (d("2026-10-01"), 1, 1, 0),
                (d("2026-10-02"), 2, 3, 2)
            ]
        );
    }

    /// The figures counted traveller by traveller, the plain way.
    fn count_each(travellers: &[Traveller], from: NaiveDate, days: u32) -> Vec<Day> {
        (0..days)
            .map(|i| {
                let day = from.checked_add_days(Days::new(u64::from(i))).unwrap();
                let mut d = Day {
                    day,
                    arriving: 0,
                    leaving: 0,
                    on_hand: 0,
                    arriving_trips: 0,
                    leaving_trips: 0,
                    on_hand_trips: 0,
                    needed: Some(10),
                    arrived: 0,
                    no_show: 0,
                    gaps: 0,
                    leaving_without_ride: 0,
                };
                for t in travellers {
                    let n = i64::from(t.party_size);
                    if t.arrive == day {
                        d.arriving += n;
                        d.arriving_trips += 1;
                        match t.checkin {
                            Some(CheckIn::Arrived) => d.arrived += n,
                            Some(CheckIn::NoShow) => d.no_show += n,
                            None => {}
                        }
                        d.gaps += i64::from(t.has_gap());
                    }
                    if t.leave == day && t.leave != t.arrive {
                        d.leaving += n;
                        d.leaving_trips += 1;
                    }
                    if t.leave == day {
                        d.leaving_without_ride += i64::from(t.lacks_ride_home());
                    }
                    if t.on_hand(day) {
                        d.on_hand += n;
                        d.on_hand_trips += 1;
                    }
                }
                d
            })
            .collect()
    }

    #[test]
    fn cohorts_give_the_same_days_as_counting_each_traveller() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let start = d("2026-09-25");
        let accepted = accepted();
        let travellers: Vec<Traveller> = (0..400)
            .map(|i| {
                let arrive = start
                    .checked_add_days(Days::new(rng.gen_range(0..20)))
                    .unwrap();
                let leave = arrive
                    .checked_add_days(Days::new(rng.gen_range(0..5)))
                    .unwrap();
                let mut x = t(i, "2026-10-01", "2026-10-01", rng.gen_range(1..=4));
                (x.arrive, x.leave) = (arrive, leave);
                x.needs_ride = rng.gen_bool(0.5);
                x.needs_bed = rng.gen_bool(0.7);
                if rng.gen_bool(0.3) {
                    x.ride = accepted.clone();
                }
                if rng.gen_bool(0.3) {
                    x.bed = accepted.clone();
                }
                x.needs_ride_home = rng.gen_bool(0.4);
                if rng.gen_bool(0.3) {
                    x.ride_home = accepted.clone();
                }
                x.checkin =
                    [None, Some(CheckIn::Arrived), Some(CheckIn::NoShow)][rng.gen_range(0..3)];
                x
            })
            .collect();
        let from = d("2026-10-01");
        assert_eq!(
            summarize(&cohorts(&travellers), from, 15, Some(10)),
            count_each(&travellers, from, 15)
        );
    }

    #[test]
    fn the_chart_scales_bars_to_the_largest_value_and_marks_short_days() {
        let days = summarize(
            &cohorts(&[t(1, "2026-10-01", "2026-10-02", 4)]),
            d("2026-10-01"),
            2,
            Some(8),
        );
        let c = chart(&days);
        assert_eq!(c.max, 8);
        assert_eq!(c.bars.len(), 2);
        assert!(c.bars[0].h > 0.0 && c.bars[1].h == 0.0);
        assert!(c.bars[0].short);
        let target = c.target_y.unwrap();
        assert!(
            (target - 16.0).abs() < 1e-9,
            "the target is the top of the scale"
        );
    }
}
