//! The maps on the office and trip pages: which places each viewer may see,
//! grouped by town, handed to the pure drawing in `crate::map`.
//!
//! Privacy: every point is the gazetteer's point for the offer's or trip's
//! *town* (`Gazetteer::town_point`), never the ZIP the person typed, and each
//! map shows only what the same page already lists to that viewer.

use std::collections::BTreeMap;

use crate::domain::distance::{Distance, Unit};
use crate::i18n::Lang;
use crate::map::{self, Frame, Kind, Mark, Plan, Route, Svg};
use crate::places::{distance_km, Gazetteer, LatLon, Place};
use crate::store::offices::Office;
use crate::store::rides::Ride;
use crate::store::stays::Stay;
use crate::store::trips::Trip;

/// The inset around an office shows the stays this close to it.
pub const INSET_KM: f64 = 40.0;
/// A country map is never narrower than this, so a lone office shows its region.
const MIN_WIDTH_KM: f64 = 300.0;

/// A map and its text alternative (the same marks as sentences).
pub struct MapView {
    pub svg: Svg,
    pub items: Vec<String>,
}

fn town_point(place: &Place) -> Option<LatLon> {
    Gazetteer::embedded().town_point(&place.city, &place.state)
}

/// One mark per town, counts summed: many offers from one town are one dot
/// whose size says how many seats or beds.
fn by_town<'a>(
    kind: Kind,
    places: impl IntoIterator<Item = (&'a Place, i32)>,
    say: impl Fn(&str, i32) -> String,
) -> Vec<Mark> {
    let mut towns: BTreeMap<(String, String), i32> = BTreeMap::new();
    for (place, n) in places {
        *towns
            .entry((place.state.clone(), place.city.clone()))
            .or_default() += n;
    }
    towns
        .into_iter()
        .filter_map(|((state, city), n)| {
            let at = Gazetteer::embedded().town_point(&city, &state)?;
            Some(Mark {
                kind,
                at,
                count: n,
                label: say(&format!("{city}, {state}"), n),
            })
        })
        .collect()
}

/// A town's mark label: "Rides from Chicago, IL: 4 seats free", `key`
/// the message for the town and `count` the one for the number.
fn town_label(lang: Lang, key: &str, town: &str, count: &str, n: i32) -> String {
    lang.t_args(
        key,
        &[
            ("town", &town),
            ("count", &lang.t_args(count, &[("n", &n)])),
        ],
    )
}

fn ride_marks<'a>(rides: impl IntoIterator<Item = &'a Ride>, lang: Lang) -> Vec<Mark> {
    by_town(
        Kind::Ride,
        rides.into_iter().map(|r| (&r.from, r.seats_free())),
        |town, n| town_label(lang, "map-rides-from", town, "count-seats-free", n),
    )
}

fn stay_marks<'a>(stays: impl IntoIterator<Item = &'a Stay>, lang: Lang) -> Vec<Mark> {
    by_town(
        Kind::Stay,
        stays.into_iter().map(|s| (&s.place, s.beds)),
        |town, n| town_label(lang, "map-beds-in", town, "count-beds", n),
    )
}

fn office_mark(name: &str, at: LatLon, lang: Lang) -> Mark {
    Mark {
        kind: Kind::Office,
        at,
        count: 1,
        label: lang.t_args("map-the-office", &[("name", &name)]),
    }
}

fn view(
    id: &'static str,
    title: String,
    desc: String,
    frame: Frame,
    marks: Vec<Mark>,
    routes: Vec<Route>,
    unit: Option<Unit>,
) -> MapView {
    let label = unit.map(|u| move |km: f64| Distance::km(km).show(u));
    let svg = map::draw(Plan {
        id,
        title,
        desc,
        frame,
        marks: &marks,
        routes: &routes,
        scale_label: label.as_ref().map(|f| f as &dyn Fn(f64) -> String),
    });
    let items = marks
        .iter()
        .map(|m| m.label.clone())
        .chain(routes.iter().map(|r| r.label.clone()))
        .collect();
    MapView { svg, items }
}

fn fit(marks: &[Mark], min_km: f64) -> Frame {
    let points: Vec<_> = marks.iter().map(|m| map::project(m.at)).collect();
    Frame::fit(&points, min_km)
}

/// What the office page's maps show: left empty for visitors, who see counts only.
#[derive(Default)]
pub struct OfficeLayers<'a> {
    pub rides: Vec<&'a Ride>,
    pub stays: Vec<&'a Stay>,
    /// Only for the office's staff.
    pub travellers: Vec<&'a Trip>,
}

/// The office page's map and, when there are stays to see, the inset of the
/// 40 km around the office with a scale bar.
pub fn office_maps(
    office: &Office,
    layers: &OfficeLayers<'_>,
    range: &str,
    unit: Unit,
    lang: Lang,
) -> (MapView, Option<MapView>) {
    let here = office.place.point;
    let mut marks = vec![office_mark(&office.name, here, lang)];
    marks.extend(ride_marks(layers.rides.iter().copied(), lang));
    marks.extend(stay_marks(layers.stays.iter().copied(), lang));
    marks.extend(by_town(
        Kind::Traveller,
        layers.travellers.iter().map(|t| (&t.from, t.party_size)),
        |town, n| town_label(lang, "map-travellers-from", town, "count-people", n),
    ));
    let main = view(
        "office-map",
        lang.t_args("map-office-title", &[("office", &office.name)]),
        lang.t_args("map-office-desc", &[("range", &range)]),
        fit(&marks, MIN_WIDTH_KM),
        marks,
        vec![],
        None,
    );
    let close: Vec<&Stay> = layers
        .stays
        .iter()
        .copied()
        .filter(|s| town_point(&s.place).is_some_and(|p| distance_km(p, here) <= INSET_KM))
        .collect();
    let inset = (!close.is_empty()).then(|| {
        let mut marks = vec![office_mark(&office.name, here, lang)];
        marks.extend(stay_marks(close, lang));
        view(
            "office-inset",
            lang.t_args(
                "map-inset-title",
                &[
                    ("distance", &Distance::km(INSET_KM).show(unit)),
                    ("office", &office.name),
                ],
            ),
            lang.t_args("map-inset-desc", &[("range", &range)]),
            Frame::around(map::project(here), INSET_KM),
            marks,
            vec![],
            Some(unit),
        )
    });
    (main, inset)
}

/// The trip page's map: the traveller's town, the office, each fitting ride's
/// start town with its way through the traveller's town (the detour), and
/// the fitting stays.
pub fn trip_map<'a>(
    trip: &Trip,
    rides: impl IntoIterator<Item = &'a Ride>,
    stays: impl IntoIterator<Item = &'a Stay>,
    lang: Lang,
) -> MapView {
    let home = town_point(&trip.from);
    let mut marks = vec![office_mark(&trip.office_name, trip.office_point, lang)];
    if let Some(at) = home {
        marks.push(Mark {
            kind: Kind::Home,
            at,
            count: 1,
            label: lang.t_args("map-your-town", &[("town", &trip.from.town())]),
        });
    }
    let rides = ride_marks(rides, lang);
    let routes = home
        .map(|h| {
            rides
                .iter()
                .map(|r| Route {
                    through: vec![r.at, h, trip.office_point],
                    label: lang.t_args("map-route", &[("ride", &r.label)]),
                })
                .collect()
        })
        .unwrap_or_default();
    marks.extend(rides);
    marks.extend(stay_marks(stays, lang));
    view(
        "trip-map",
        lang.t_args("map-trip-title", &[("office", &trip.office_name)]),
        lang.t("map-trip-desc"),
        fit(&marks, MIN_WIDTH_KM),
        marks,
        routes,
        None,
    )
}
