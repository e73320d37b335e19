//! Maps drawn on the server as SVG, with no tile server and no JavaScript: the
//! Census state outlines in `data/us-states.geojson` and the places' points go
//! through one Albers equal-area projection ([`project`]), then a frame
//! ([`Frame`]) picks the piece of the country to show and turns kilometres
//! into SVG pixels.
//!
//! Pure: no I/O beyond the outlines compiled into the binary. The caller decides
//! what may be shown (town points only, see `Gazetteer::town_point`); this module
//! only draws what it is given.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde::Deserialize;

use crate::places::LatLon;

/// Mean Earth radius in km, as `places::distance_km` uses.
const EARTH_KM: f64 = 6371.0088;
/// USGS's Albers for the conterminous US: standard parallels 29.5°N and 45.5°N,
/// centred on 37.5°N 96°W. Alaska and Hawaii are drawn by the same function
/// (stretched, but a map framed around them still reads).
const PARALLEL_1: f64 = 29.5;
const PARALLEL_2: f64 = 45.5;
const ORIGIN_LAT: f64 = 37.5;
const ORIGIN_LON: f64 = -96.0;

/// Width of every map in SVG pixels; the height follows the frame's shape.
pub const WIDTH: f64 = 600.0;

/// A projected point: km east and north of the projection's origin.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Xy {
    pub x: f64,
    pub y: f64,
}

/// The Albers equal-area conic projection (Snyder, *Map Projections*, 1987,
/// eq. 14-1 to 14-6) of a point, in km. Longitudes west of 180° (the far
/// Aleutians, stored as positive) wrap round so they sit beside Alaska.
pub fn project(p: LatLon) -> Xy {
    let (phi1, phi2, phi0) = (
        PARALLEL_1.to_radians(),
        PARALLEL_2.to_radians(),
        ORIGIN_LAT.to_radians(),
    );
    let n = (phi1.sin() + phi2.sin()) / 2.0;
    let c = phi1.cos().powi(2) + 2.0 * n * phi1.sin();
    let rho = |phi: f64| EARTH_KM * (c - 2.0 * n * phi.sin()).max(0.0).sqrt() / n;
    let mut dlon = p.lon - ORIGIN_LON;
    if dlon > 180.0 {
        dlon -= 360.0;
    } else if dlon < -180.0 {
        dlon += 360.0;
    }
    let theta = n * dlon.to_radians();
    let r = rho(p.lat.to_radians());
    Xy {
        x: r * theta.sin(),
        y: rho(phi0) - r * theta.cos(),
    }
}

/// One state's outline, projected once.
#[derive(Debug)]
pub struct StateShape {
    /// Two-letter postal code ("IL").
    pub postal: String,
    pub name: String,
    /// Outer rings and holes alike; drawn and tested with the even-odd rule.
    pub rings: Vec<Vec<Xy>>,
    min: Xy,
    max: Xy,
}

#[derive(Deserialize)]
struct Collection {
    features: Vec<Feature>,
}

#[derive(Deserialize)]
struct Feature {
    properties: Props,
    geometry: Geometry,
}

#[derive(Deserialize)]
struct Props {
    postal: String,
    name: String,
}

#[derive(Deserialize)]
#[serde(tag = "type", content = "coordinates")]
enum Geometry {
    Polygon(Vec<Vec<[f64; 2]>>),
    MultiPolygon(Vec<Vec<Vec<[f64; 2]>>>),
}

static STATES_GEOJSON: &str = include_str!("../data/us-states.geojson");

/// The 50 states and DC, projected. The file is fixed at build time and a unit
/// test reads it, so a parse failure here is a broken build, not a runtime case.
pub fn states() -> &'static [StateShape] {
    static STATES: OnceLock<Vec<StateShape>> = OnceLock::new();
    STATES.get_or_init(|| {
        let parsed: Collection = serde_json::from_str(STATES_GEOJSON).unwrap_or(Collection {
            features: Vec::new(),
        });
        parsed
            .features
            .into_iter()
            .map(|f| {
                let polygons = match f.geometry {
                    Geometry::Polygon(p) => vec![p],
                    Geometry::MultiPolygon(m) => m,
                };
                let rings: Vec<Vec<Xy>> = polygons
                    .into_iter()
                    .flatten()
                    .map(|ring| {
                        ring.into_iter()
                            .map(|[lon, lat]| project(LatLon { lat, lon }))
                            .collect()
                    })
                    .collect();
                let (min, max) = bounds(rings.iter().flatten())
                    .unwrap_or((Xy { x: 0.0, y: 0.0 }, Xy { x: 0.0, y: 0.0 }));
                StateShape {
                    postal: f.properties.postal,
                    name: f.properties.name,
                    rings,
                    min,
                    max,
                }
            })
            .collect()
    })
}

/// The corners of the smallest box holding every point, or None for none.
fn bounds<'a>(points: impl IntoIterator<Item = &'a Xy>) -> Option<(Xy, Xy)> {
    points.into_iter().fold(None, |acc, p| {
        let (lo, hi) = acc.unwrap_or((*p, *p));
        Some((
            Xy {
                x: lo.x.min(p.x),
                y: lo.y.min(p.y),
            },
            Xy {
                x: hi.x.max(p.x),
                y: hi.y.max(p.y),
            },
        ))
    })
}

/// Whether `p` lies inside `rings` by the even-odd rule (a ray cast), so holes
/// and islands count right. Works in any plane: projected km or SVG pixels.
pub fn inside(rings: &[Vec<Xy>], p: Xy) -> bool {
    let mut odd = false;
    for ring in rings {
        let mut j = ring.len().wrapping_sub(1);
        for (i, a) in ring.iter().enumerate() {
            let b = ring[j];
            if (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
                odd = !odd;
            }
            j = i;
        }
    }
    odd
}

/// The part of the plane a map shows, and how km become pixels.
#[derive(Clone, Copy, Debug)]
pub struct Frame {
    min_x: f64,
    max_y: f64,
    /// Pixels per km.
    scale: f64,
    height: f64,
}

impl Frame {
    /// The smallest frame, 3:2, that holds every point with a margin, and at
    /// least `min_km` across (so one town alone still shows its surroundings).
    pub fn fit(points: &[Xy], min_km: f64) -> Frame {
        let (lo, hi) = bounds(points).unwrap_or((Xy { x: 0.0, y: 0.0 }, Xy { x: 0.0, y: 0.0 }));
        let centre = Xy {
            x: (lo.x + hi.x) / 2.0,
            y: (lo.y + hi.y) / 2.0,
        };
        let margin = 1.2;
        let width_km = ((hi.x - lo.x) * margin)
            .max((hi.y - lo.y) * margin * 1.5)
            .max(min_km);
        Frame::centred(centre, width_km, width_km / 1.5)
    }

    /// A square frame `radius_km` each side of `centre` (the inset).
    pub fn around(centre: Xy, radius_km: f64) -> Frame {
        Frame::centred(centre, 2.0 * radius_km, 2.0 * radius_km)
    }

    fn centred(centre: Xy, width_km: f64, height_km: f64) -> Frame {
        let scale = WIDTH / width_km;
        Frame {
            min_x: centre.x - width_km / 2.0,
            max_y: centre.y + height_km / 2.0,
            scale,
            height: (height_km * scale).round(),
        }
    }

    /// Where a projected point lands, in SVG pixels (y down).
    pub fn px(&self, p: Xy) -> Xy {
        Xy {
            x: (p.x - self.min_x) * self.scale,
            y: (self.max_y - p.y) * self.scale,
        }
    }

    /// Pixels per km.
    pub fn scale(&self) -> f64 {
        self.scale
    }

    pub fn height(&self) -> f64 {
        self.height
    }

    fn sees(&self, s: &StateShape) -> bool {
        let (a, b) = (self.px(s.min), self.px(s.max));
        // y flips, so the state's max y is the smaller pixel y.
        b.x >= 0.0 && a.x <= WIDTH && a.y >= 0.0 && b.y <= self.height
    }
}

/// What a dot stands for; also its CSS class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Office,
    Ride,
    Stay,
    Traveller,
    Home,
}

impl Kind {
    pub fn class(self) -> &'static str {
        match self {
            Kind::Office => "office",
            Kind::Ride => "ride",
            Kind::Stay => "stay",
            Kind::Traveller => "traveller",
            Kind::Home => "home",
        }
    }
}

/// A place to mark: where, what, how many (seats, beds, people; sets the dot's
/// area), and the words that say it (tooltip and text list).
#[derive(Clone, Debug)]
pub struct Mark {
    pub kind: Kind,
    pub at: LatLon,
    pub count: i32,
    pub label: String,
}

/// A route to draw through some places (a ride's detour).
#[derive(Clone, Debug)]
pub struct Route {
    pub through: Vec<LatLon>,
    pub label: String,
}

/// A state outline ready for the template: `d` holds numbers and path
/// commands only (written by [`path`]), so the template writes it as it is
/// instead of escaping ~90 KB of digits on every page.
pub struct StatePath {
    pub postal: String,
    pub name: String,
    pub d: String,
}

pub struct Dot {
    pub class: &'static str,
    pub cx: String,
    pub cy: String,
    pub r: String,
    pub label: String,
}

pub struct Line {
    pub points: String,
    pub label: String,
}

pub struct ScaleBar {
    pub x: String,
    pub y: String,
    pub x2: String,
    pub label: String,
}

/// A drawn map, for `templates/map.html`.
pub struct Svg {
    /// Unique on the page: the `id`s of its title and description hang off it.
    pub id: &'static str,
    pub title: String,
    pub desc: String,
    pub height: String,
    pub states: Arc<Vec<StatePath>>,
    pub lines: Vec<Line>,
    pub dots: Vec<Dot>,
    pub scale_bar: Option<ScaleBar>,
}

/// One decimal of a pixel is finer than any screen shows.
fn num(v: f64) -> String {
    let mut s = String::new();
    push_num(&mut s, v);
    s
}

/// Writes `v` to one decimal ("12", "12.5", "-0.4") with integer
/// arithmetic: outlines hold thousands of numbers, and float formatting was
/// most of a trip page's time (BENCHMARKS.md, "Profiles").
fn push_num(out: &mut String, v: f64) {
    use std::fmt::Write as _;
    let tenths = (v * 10.0).round() as i64;
    if tenths < 0 && tenths > -10 && tenths % 10 != 0 {
        out.push('-');
    }
    let (whole, frac) = (tenths / 10, (tenths % 10).unsigned_abs());
    let _ = write!(out, "{whole}");
    if frac != 0 {
        out.push('.');
        out.push(char::from(b'0' + frac as u8));
    }
}

/// An outline as a path, dropping points under half a pixel from the last
/// one kept: a country-wide map would otherwise carry every coastline wiggle.
fn path(frame: &Frame, rings: &[Vec<Xy>]) -> String {
    let mut d = String::new();
    for ring in rings {
        let mut last: Option<Xy> = None;
        let mut kept = 0;
        let start = d.len();
        for p in ring {
            let q = frame.px(*p);
            if let Some(l) = last {
                if (q.x - l.x).abs() < 0.5 && (q.y - l.y).abs() < 0.5 {
                    continue;
                }
            }
            d.push(if last.is_none() { 'M' } else { 'L' });
            push_num(&mut d, q.x);
            d.push(',');
            push_num(&mut d, q.y);
            last = Some(q);
            kept += 1;
        }
        if kept < 3 {
            // A ring smaller than a pixel: an islet that would only add bytes.
            d.truncate(start);
        } else {
            d.push('Z');
        }
    }
    d
}

/// A round length near a fifth of the map's width, for the scale bar.
fn nice_km(width_km: f64) -> f64 {
    let target = width_km / 5.0;
    let step = 10f64.powf(target.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * step)
        .find(|v| *v <= target)
        .unwrap_or(step)
}

/// What to draw and how to frame it.
pub struct Plan<'a> {
    pub id: &'static str,
    pub title: String,
    pub desc: String,
    pub frame: Frame,
    pub marks: &'a [Mark],
    pub routes: &'a [Route],
    /// Draws a scale bar labelled by this function of its length in km.
    pub scale_label: Option<&'a dyn Fn(f64) -> String>,
}

/// The outlines a frame sees, drawn once per frame: the same trip or office
/// page shown again draws the same frame, and its outlines are nine tenths
/// of the work and the bytes. A few dozen frames are kept (~100 KB each).
fn state_layer(frame: &Frame) -> Arc<Vec<StatePath>> {
    const KEPT: usize = 48;
    type Layers = HashMap<[u64; 4], Arc<Vec<StatePath>>>;
    static LAYERS: OnceLock<Mutex<Layers>> = OnceLock::new();
    let key = [
        frame.min_x.to_bits(),
        frame.max_y.to_bits(),
        frame.scale.to_bits(),
        frame.height.to_bits(),
    ];
    let layers = LAYERS.get_or_init(Default::default);
    if let Some(l) = layers.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Arc::clone(l);
    }
    let drawn: Arc<Vec<StatePath>> = Arc::new(
        states()
            .iter()
            .filter(|s| frame.sees(s))
            .map(|s| StatePath {
                postal: s.postal.clone(),
                name: s.name.clone(),
                d: path(frame, &s.rings),
            })
            .collect(),
    );
    let mut kept = layers.lock().unwrap_or_else(|e| e.into_inner());
    if kept.len() >= KEPT {
        kept.clear();
    }
    kept.insert(key, Arc::clone(&drawn));
    drawn
}

/// Draws the map: the states the frame sees, the routes under the dots, the
/// dots largest first so small ones stay clickable on top.
pub fn draw(plan: Plan<'_>) -> Svg {
    let frame = plan.frame;
    let states = state_layer(&frame);
    let lines = plan
        .routes
        .iter()
        .map(|r| Line {
            points: r
                .through
                .iter()
                .map(|p| {
                    let q = frame.px(project(*p));
                    format!("{},{}", num(q.x), num(q.y))
                })
                .collect::<Vec<_>>()
                .join(" "),
            label: r.label.clone(),
        })
        .collect();
    let mut marks: Vec<&Mark> = plan.marks.iter().collect();
    marks.sort_by_key(|m| std::cmp::Reverse(m.count));
    let dots = marks
        .into_iter()
        .map(|m| {
            let q = frame.px(project(m.at));
            // Area, not radius, grows with the count, so 4 seats look twice 1.
            let r = match m.kind {
                Kind::Office => 7.0,
                _ => (3.5 * f64::from(m.count.max(1)).sqrt()).min(16.0),
            };
            Dot {
                class: m.kind.class(),
                cx: num(q.x),
                cy: num(q.y),
                r: num(r),
                label: m.label.clone(),
            }
        })
        .collect();
    let scale_bar = plan.scale_label.map(|label| {
        let km = nice_km(WIDTH / frame.scale());
        let (x, y) = (12.0, frame.height() - 14.0);
        ScaleBar {
            x: num(x),
            y: num(y),
            x2: num(x + km * frame.scale()),
            label: label(km),
        }
    });
    Svg {
        id: plan.id,
        title: plan.title,
        desc: plan.desc,
        height: num(frame.height()),
        states,
        lines,
        dots,
        scale_bar,
    }
}

/// Parses a path written by [`draw`] back into rings (for tests that check
/// where things land).
pub fn parse_path(d: &str) -> Vec<Vec<Xy>> {
    let mut rings = Vec::new();
    for part in d.split('M').filter(|p| !p.is_empty()) {
        let ring = part
            .trim_end_matches('Z')
            .split('L')
            .filter_map(|xy| {
                let (x, y) = xy.split_once(',')?;
                Some(Xy {
                    x: x.trim().parse().ok()?,
                    y: y.trim().parse().ok()?,
                })
            })
            .collect();
        rings.push(ring);
    }
    rings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::places::distance_km;

    const CHICAGO: LatLon = LatLon {
        lat: 41.8781,
        lon: -87.6298,
    };
    const MILWAUKEE: LatLon = LatLon {
        lat: 43.0389,
        lon: -87.9065,
    };

    fn state(postal: &str) -> &'static StateShape {
        states()
            .iter()
            .find(|s| s.postal == postal)
            .expect("a state")
    }

    #[test]
    fn the_origin_projects_to_zero_and_east_is_right_north_is_up() {
        let o = project(LatLon {
            lat: ORIGIN_LAT,
            lon: ORIGIN_LON,
        });
        assert!(o.x.abs() < 1e-9 && o.y.abs() < 1e-9, "{o:?}");
        let east = project(LatLon {
            lat: ORIGIN_LAT,
            lon: ORIGIN_LON + 1.0,
        });
        let north = project(LatLon {
            lat: ORIGIN_LAT + 1.0,
            lon: ORIGIN_LON,
        });
        assert!(east.x > 80.0 && north.y > 100.0, "{east:?} {north:?}");
    }

    #[test]
    fn projected_distances_agree_with_the_great_circle_within_two_percent() {
        // Equal-area conics keep scale close to true between the standard
        // parallels: what makes the inset's scale bar honest.
        let (a, b) = (project(CHICAGO), project(MILWAUKEE));
        let planar = ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt();
        let true_km = distance_km(CHICAGO, MILWAUKEE);
        assert!(
            (planar / true_km - 1.0).abs() < 0.02,
            "{planar} km vs {true_km} km"
        );
    }

    #[test]
    fn equal_areas_stay_equal_one_degree_cells_at_two_latitudes() {
        // Snyder's spherical formula: the area of a one-degree cell is
        // R² · Δλ · (sin φ2 − sin φ1); the projected quad must match it.
        let cell = |lat: f64| {
            let c = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)].map(|(dx, dy)| {
                project(LatLon {
                    lat: lat + dy,
                    lon: -100.0 + dx,
                })
            });
            let shoelace: f64 = (0..4)
                .map(|i| {
                    let (p, q) = (c[i], c[(i + 1) % 4]);
                    p.x * q.y - q.x * p.y
                })
                .sum();
            let projected = shoelace.abs() / 2.0;
            let sphere = EARTH_KM.powi(2)
                * 1f64.to_radians()
                * ((lat + 1.0).to_radians().sin() - lat.to_radians().sin());
            projected / sphere
        };
        for lat in [30.0, 47.0] {
            assert!((cell(lat) - 1.0).abs() < 0.002, "{lat}: {}", cell(lat));
        }
    }

    #[test]
    fn every_state_and_dc_is_loaded_and_towns_fall_in_their_own_state() {
        assert_eq!(states().len(), 51);
        assert!(inside(&state("IL").rings, project(CHICAGO)));
        assert!(!inside(&state("WI").rings, project(CHICAGO)));
        assert!(inside(&state("WI").rings, project(MILWAUKEE)));
        let anchorage = LatLon {
            lat: 61.2181,
            lon: -149.9003,
        };
        assert!(inside(&state("AK").rings, project(anchorage)));
    }

    #[test]
    fn the_far_aleutians_wrap_round_to_sit_west_of_alaska() {
        let attu = project(LatLon {
            lat: 52.9,
            lon: 172.9,
        });
        let anchorage = project(LatLon {
            lat: 61.2,
            lon: -149.9,
        });
        assert!(attu.x < anchorage.x, "{attu:?} {anchorage:?}");
    }

    #[test]
    fn a_fitted_frame_holds_its_points_and_keeps_its_minimum_width() {
        let pts = [project(CHICAGO), project(MILWAUKEE)];
        let f = Frame::fit(&pts, 400.0);
        assert!((WIDTH / f.scale() - 400.0).abs() < 1e-6);
        for p in pts {
            let q = f.px(p);
            assert!(q.x > 0.0 && q.x < WIDTH && q.y > 0.0 && q.y < f.height());
        }
        let one = Frame::fit(&pts[..1], 300.0);
        let c = one.px(pts[0]);
        assert!((c.x - WIDTH / 2.0).abs() < 1e-6, "a lone point is centred");
    }

    /// A plan with the outlines only.
    fn bare(frame: Frame) -> Plan<'static> {
        Plan {
            id: "t",
            title: String::new(),
            desc: String::new(),
            frame,
            marks: &[],
            routes: &[],
            scale_label: None,
        }
    }

    #[test]
    fn a_drawn_path_reads_back_and_keeps_chicago_inside_illinois() {
        let frame = Frame::fit(&[project(CHICAGO), project(MILWAUKEE)], 800.0);
        let svg = draw(bare(frame));
        let il = svg.states.iter().find(|s| s.postal == "IL").expect("IL");
        assert!(
            svg.states.iter().all(|s| s.postal != "CA"),
            "far states left out"
        );
        let rings = parse_path(&il.d);
        assert!(inside(&rings, frame.px(project(CHICAGO))));
        assert!(!inside(&rings, frame.px(project(MILWAUKEE))));
    }

    #[test]
    fn dot_areas_grow_with_the_count_and_the_scale_bar_is_a_round_length() {
        let marks = [
            Mark {
                kind: Kind::Ride,
                at: CHICAGO,
                count: 1,
                label: "one".into(),
            },
            Mark {
                kind: Kind::Ride,
                at: MILWAUKEE,
                count: 4,
                label: "four".into(),
            },
        ];
        let km = |v: f64| format!("{v} km");
        let svg = draw(Plan {
            id: "t",
            title: String::new(),
            desc: String::new(),
            frame: Frame::around(project(MILWAUKEE), 40.0),
            marks: &marks,
            routes: &[],
            scale_label: Some(&km),
        });
        assert_eq!(svg.dots[0].label, "four", "largest drawn first");
        let r: Vec<f64> = svg.dots.iter().map(|d| d.r.parse().unwrap()).collect();
        assert!((r[0] / r[1] - 2.0).abs() < 0.05, "{r:?}");
        assert_eq!(svg.scale_bar.expect("bar").label, "10 km");
        assert_eq!(nice_km(1000.0), 200.0);
        assert_eq!(nice_km(80.0), 10.0);
    }

    #[test]
    fn numbers_are_written_to_one_decimal_as_float_formatting_would() {
        let by_float = |v: f64| {
            let r = (v * 10.0).round() / 10.0;
            if r == r.trunc() {
                format!("{}", r as i64)
            } else {
                format!("{r:.1}")
            }
        };
        let mut v = -1234.56;
        while v < 1234.56 {
            assert_eq!(num(v), by_float(v), "{v}");
            v += 0.0371;
        }
        for v in [0.0, -0.0, -0.04, -0.05, -0.4, -0.96, 0.95, 599.99, -12.0] {
            assert_eq!(num(v), by_float(v), "{v}");
        }
    }

    #[test]
    fn a_frame_drawn_again_gives_the_same_outlines() {
        let frame = Frame::around(
            project(LatLon {
                lat: 43.04,
                lon: -87.91,
            }),
            300.0,
        );
        let (a, b) = (draw(bare(frame)), draw(bare(frame)));
        assert!(Arc::ptr_eq(&a.states, &b.states), "drawn once");
        assert!(a.states.iter().any(|s| s.postal == "WI"));
    }
}
