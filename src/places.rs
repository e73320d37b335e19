//! Places: turning what a volunteer types ("94110", "St. Louis, MO") into a point on
//! the map, and measuring how far apart two points are.
//!
//! The two gazetteers are the CSV files in `data/` (see `data/README.md` for where they
//! come from and the CC BY 4.0 attribution they need). Both are compiled into the binary
//! and parsed once, on first use, by [`Gazetteer::embedded`].
//!
//! Town names are matched with [`city_key`], a port of `city_key()` in
//! `shared/data/tools/build_places.py`. The city file was built with that function, so
//! the two must agree byte for byte, or a town that is in the file can't be found.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use geo::{Distance, Haversine, Point};
use serde::{Deserialize, Serialize};

/// A WGS84 point in degrees.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LatLon {
    /// Latitude, degrees north.
    pub lat: f64,
    /// Longitude, degrees east (US longitudes are negative, except the far Aleutians and
    /// Wake Island, which lie west of 180°).
    pub lon: f64,
}

/// Great-circle distance in km between two points.
///
/// This is geo's [`Haversine`] (mean Earth radius 6,371,008.8 m) divided by 1000, with no
/// rounding. The definition is a product rule: every distance the app shows or compares
/// comes from here, so keep it exactly this.
pub fn distance_km(a: LatLon, b: LatLon) -> f64 {
    Haversine.distance(Point::new(a.lon, a.lat), Point::new(b.lon, b.lat)) / 1000.0
}

/// A resolved place.
///
/// `zip` is `Some` (five digits) when the place was typed as a ZIP code and `None` when it
/// was typed as a town. `state` is the two-letter postal code.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// Five-digit ZIP code, when the place was given as one.
    pub zip: Option<String>,
    /// Town name as the gazetteer spells it ("Saint Louis", "Winston-Salem").
    pub city: String,
    /// Two-letter postal code of the state ("MO"), or "DC".
    pub state: String,
    /// The ZIP's or the town's representative point.
    pub point: LatLon,
}

impl Place {
    /// "San Francisco, CA 94110", or "San Francisco, CA" for a place typed as a town.
    ///
    /// [`Gazetteer::parse`] reads a label back to the same ZIP.
    pub fn label(&self) -> String {
        match &self.zip {
            Some(zip) => format!("{}, {} {}", self.city, self.state, zip),
            None => self.town(),
        }
    }

    /// "San Francisco, CA": the town only, never the ZIP. This is the approximate place
    /// that may be shown to strangers.
    pub fn town(&self) -> String {
        format!("{}, {}", self.city, self.state)
    }
}

/// Why an input could not be turned into a [`Place`]. The messages are written to be
/// shown to the person who typed it.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum PlaceError {
    /// Nothing (or only punctuation) was typed.
    #[error("Enter a ZIP code or a town and state, like 94110 or San Francisco, CA.")]
    Empty,
    /// The input looked like a ZIP code but is not one we know. Holds the ZIP as we read
    /// it (zero-padded to five digits where we could), else what was typed.
    #[error(
        "We don't know the ZIP code {0}. Check the digits, or type the town and state instead."
    )]
    UnknownZip(String),
    /// No town of that name in that state. `suggestions` holds up to five close matches,
    /// formatted "City, ST", best first; it may be empty. The message doesn't repeat
    /// them, because the forms list them under the field.
    #[error("We couldn't find \"{typed}\". Check the spelling, or type the ZIP code instead.")]
    UnknownTown {
        /// What was typed, tidied and shortened for display.
        typed: String,
        /// Up to five "City, ST" labels, best first.
        suggestions: Vec<String>,
    },
    /// A town with no state ("Springfield"). Holds what was typed.
    #[error(
        "Which state is \"{0}\" in? Type the town and state, like San Francisco, CA, or a ZIP code."
    )]
    NeedState(String),
}

/// Inputs longer than this (after trimming) are refused without being looked at, so a
/// pasted essay costs no more than a town name. The longest real input, a 45-character
/// town with a state name and a ZIP+4, is well under it.
const MAX_INPUT_BYTES: usize = 256;

/// Fuzzy matching is skipped for keys longer than this; no town key comes close.
const MAX_FUZZY_KEY: usize = 64;

/// What `UnknownTown` and friends echo back: enough to recognise, never a wall of text.
const MAX_SHOWN_CHARS: usize = 60;

const MAX_SUGGESTIONS: usize = 5;

/// The 50 states and DC, sorted by postal code so a code can be binary-searched.
/// The third column is the AP-style abbreviation ("Wis.", "Calif.") as [`plain_key`]
/// folds it, or "" where AP uses the postal code or no abbreviation.
const STATES: [(&str, &str, &str); 51] = [
    ("AK", "Alaska", ""),
    ("AL", "Alabama", "ala"),
    ("AR", "Arkansas", "ark"),
    ("AZ", "Arizona", "ariz"),
    ("CA", "California", "calif"),
    ("CO", "Colorado", "colo"),
    ("CT", "Connecticut", "conn"),
    ("DC", "District of Columbia", ""),
    ("DE", "Delaware", "del"),
    ("FL", "Florida", "fla"),
    ("GA", "Georgia", ""),
    ("HI", "Hawaii", ""),
    ("IA", "Iowa", ""),
    ("ID", "Idaho", ""),
    ("IL", "Illinois", "ill"),
    ("IN", "Indiana", "ind"),
    ("KS", "Kansas", "kan"),
    ("KY", "Kentucky", ""),
    ("LA", "Louisiana", ""),
    ("MA", "Massachusetts", "mass"),
    ("MD", "Maryland", ""),
    ("ME", "Maine", ""),
    ("MI", "Michigan", "mich"),
    ("MN", "Minnesota", "minn"),
    ("MO", "Missouri", ""),
    ("MS", "Mississippi", "miss"),
    ("MT", "Montana", "mont"),
    ("NC", "North Carolina", ""),
    ("ND", "North Dakota", ""),
    ("NE", "Nebraska", "neb"),
    ("NH", "New Hampshire", ""),
    ("NJ", "New Jersey", ""),
    ("NM", "New Mexico", ""),
    ("NV", "Nevada", "nev"),
    ("NY", "New York", ""),
    ("OH", "Ohio", ""),
    ("OK", "Oklahoma", "okla"),
    ("OR", "Oregon", "ore"),
    ("PA", "Pennsylvania", "penn"),
    ("RI", "Rhode Island", ""),
    ("SC", "South Carolina", ""),
    ("SD", "South Dakota", ""),
    ("TN", "Tennessee", "tenn"),
    ("TX", "Texas", "tex"),
    ("UT", "Utah", ""),
    ("VA", "Virginia", ""),
    ("VT", "Vermont", ""),
    ("WA", "Washington", "wash"),
    ("WI", "Wisconsin", "wis"),
    ("WV", "West Virginia", "wva"),
    ("WY", "Wyoming", "wyo"),
];

/// Index into [`STATES`].
type StateIx = u8;

fn state_ix_of_code(code: &str) -> Option<StateIx> {
    let code = code.as_bytes();
    if code.len() != 2 {
        return None;
    }
    let upper = [code[0].to_ascii_uppercase(), code[1].to_ascii_uppercase()];
    STATES
        .binary_search_by(|(c, _, _)| c.as_bytes().cmp(&upper[..]))
        .ok()
        .and_then(|i| StateIx::try_from(i).ok())
}

fn state_code(ix: StateIx) -> &'static str {
    STATES.get(usize::from(ix)).map_or("", |s| s.0)
}

/// `name` folded the way [`plain_key`] folds input: "New York" -> "newyork".
fn state_name_key(name: &str) -> String {
    name.bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|b| char::from(b.to_ascii_lowercase()))
        .collect()
}

/// A state from a [`plain_key`]-folded fragment: postal code ("mo"), full name
/// ("missouri", "districtofcolumbia") or AP abbreviation ("wis").
fn state_from_key(key: &str) -> Option<StateIx> {
    if key.len() == 2 {
        return state_ix_of_code(key);
    }
    STATES
        .iter()
        .position(|&(_, name, ap)| (!ap.is_empty() && key == ap) || key == state_name_key(name))
        .and_then(|i| StateIx::try_from(i).ok())
}

/// A trailing ", USA" adds nothing; these are its [`plain_key`] spellings.
fn is_country(key: &str) -> bool {
    matches!(
        key,
        "us" | "usa" | "unitedstates" | "unitedstatesofamerica" | "america"
    )
}

struct ZipRow {
    zip: [u8; 5],
    city: Cow<'static, str>,
    state: StateIx,
    point: LatLon,
}

struct CityRow {
    name: Cow<'static, str>,
    key: Box<str>,
    state: StateIx,
    point: LatLon,
}

/// The ZIP and town gazetteers, indexed for lookup. Build it once
/// ([`Gazetteer::embedded`]) and share the reference.
pub struct Gazetteer {
    /// Sorted by ZIP.
    zips: Vec<ZipRow>,
    cities: Vec<CityRow>,
    /// (city_key, state) -> index into `cities`.
    city_index: HashMap<(Box<str>, StateIx), u32>,
    /// Indexes into `cities`, per state, for in-state suggestions.
    cities_by_state: Vec<Vec<u32>>,
}

impl fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Gazetteer")
            .field("zips", &self.zips.len())
            .field("cities", &self.cities.len())
            .finish()
    }
}

static ZIP_CSV: &str = include_str!("../data/us-zip-centroids.csv");
static CITY_CSV: &str = include_str!("../data/us-city-centroids.csv");

impl Gazetteer {
    /// The gazetteer built from the CSV files compiled into the binary. The first call
    /// parses them (about 75,000 rows); later calls return the same instance.
    pub fn embedded() -> &'static Gazetteer {
        static EMBEDDED: OnceLock<Gazetteer> = OnceLock::new();
        EMBEDDED.get_or_init(|| Gazetteer::from_csv(ZIP_CSV, CITY_CSV))
    }

    /// Rows that don't parse are skipped rather than panicking: the data is fixed at
    /// build time and the tests check the row counts, so a bad row shows up there.
    fn from_csv(zip_csv: &'static str, city_csv: &'static str) -> Gazetteer {
        let mut zips: Vec<ZipRow> = csv_rows::<5>(zip_csv, "zip,city,state,lat,lon")
            .filter_map(|[zip, city, state, lat, lon]| {
                Some(ZipRow {
                    zip: zip.as_bytes().try_into().ok()?,
                    city,
                    state: state_ix_of_code(&state)?,
                    point: lat_lon(&lat, &lon)?,
                })
            })
            .collect();
        // The file is sorted already; sorting again keeps binary search honest if it
        // ever isn't, and costs next to nothing on sorted input.
        zips.sort_unstable_by_key(|z| z.zip);

        // Sized for the embedded file so loading doesn't rehash as it goes.
        let mut cities = Vec::with_capacity(35_000);
        let mut city_index = HashMap::with_capacity(35_000);
        let mut cities_by_state = vec![Vec::new(); STATES.len()];
        for [name, state, lat, lon, _source] in csv_rows::<5>(city_csv, "city,state,lat,lon,source")
        {
            let (Some(state), Some(point)) = (state_ix_of_code(&state), lat_lon(&lat, &lon)) else {
                continue;
            };
            let Ok(ix) = u32::try_from(cities.len()) else {
                break;
            };
            let key: Box<str> = city_key(&name).into();
            // The file's keys are unique per state (check_data.py checks); if that ever
            // breaks, the first row wins, as in build_places.py.
            match city_index.entry((key.clone(), state)) {
                Entry::Occupied(_) => continue,
                Entry::Vacant(slot) => slot.insert(ix),
            };
            cities_by_state[usize::from(state)].push(ix);
            cities.push(CityRow {
                name,
                key,
                state,
                point,
            });
        }
        Gazetteer {
            zips,
            cities,
            city_index,
            cities_by_state,
        }
    }

    /// Reads a place as a person types it.
    ///
    /// * ZIP codes: `94110`, ` 94110 `, ZIP+4 `94110-1234` (the 5-digit ZIP is used), and
    ///   `2134`, a ZIP whose leading zero a spreadsheet dropped (read as `02134`). A
    ///   label such as `San Francisco, CA 94110` also reads as its ZIP: the ZIP is the
    ///   more precise half, and the town is not checked against it.
    /// * Towns: `San Francisco, CA`, `san francisco ca`, `St. Louis, MO`,
    ///   `Saint Louis MO`, `ST LOUIS, mo`, `Saint Louis, Missouri`. The state may be a
    ///   postal code in any case, a full name, or an AP abbreviation (`Wis.`); a
    ///   trailing `, USA` is ignored. Names are compared with [`city_key`].
    ///
    /// A town resolves to the city gazetteer's point, spelling and state, with `zip`
    /// `None`. Never panics, whatever the input; long inputs are refused early.
    pub fn parse(&self, input: &str) -> Result<Place, PlaceError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(PlaceError::Empty);
        }
        let typed = shown(text);
        if text.len() > MAX_INPUT_BYTES {
            return Err(PlaceError::UnknownTown {
                typed,
                suggestions: Vec::new(),
            });
        }

        // Only digits and separators: a ZIP. Folding first also accepts fullwidth
        // digits and odd hyphens, which some keyboards and spreadsheets produce.
        let whole = plain_key(text);
        if !whole.is_empty() && whole.bytes().all(|b| b.is_ascii_digit()) {
            return match zip5_from_digits(&whole) {
                Some(zip) => self.zip(&zip).ok_or(PlaceError::UnknownZip(zip)),
                None => Err(PlaceError::UnknownZip(typed)),
            };
        }

        // "Town, ST 94110" (what `Place::label` writes): the trailing ZIP decides. No
        // town name ends in a number, so a trailing number is always a ZIP attempt.
        let mut tail = words(text).rev().map(plain_key);
        if let Some(mut digits) = tail.next() {
            let numeric = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
            if digits.len() == 4 {
                // "… 94110 1234": a ZIP+4 written with a space.
                if let Some(zip) = tail.next().filter(|z| z.len() == 5 && numeric(z)) {
                    digits = zip;
                }
            }
            if numeric(&digits) {
                return match zip5_from_digits(&digits) {
                    Some(zip) => self.zip(&zip).ok_or(PlaceError::UnknownZip(zip)),
                    None => Err(PlaceError::UnknownZip(digits)),
                };
            }
        }

        self.parse_town(text, typed)
    }

    /// The place for a five-digit ZIP code, exactly as written ("02134", not "2134").
    pub fn zip(&self, zip5: &str) -> Option<Place> {
        let wanted: [u8; 5] = zip5.as_bytes().try_into().ok()?;
        let row = self
            .zips
            .binary_search_by(|z| z.zip.cmp(&wanted))
            .ok()
            .and_then(|i| self.zips.get(i))?;
        Some(Place {
            zip: Some(zip5.to_owned()),
            city: row.city.to_string(),
            state: state_code(row.state).to_owned(),
            point: row.point,
        })
    }

    /// The name of a state from its two-letter postal code, in any case:
    /// "WI" -> "Wisconsin", "dc" -> "District of Columbia". Covers the 50 states and DC,
    /// which are exactly the states the ZIP and town files use.
    pub fn state_name(code: &str) -> Option<&'static str> {
        state_ix_of_code(code).map(|ix| STATES[usize::from(ix)].1)
    }

    fn parse_town(&self, text: &str, typed: String) -> Result<Place, PlaceError> {
        // "Town, State": the part after the last comma names the state. Trailing
        // commas and ", USA" are dropped first.
        let mut text = text.trim();
        while let Some((head, tail)) = text.rsplit_once(',') {
            let tail = plain_key(tail);
            if tail.is_empty() || is_country(&tail) {
                text = head.trim();
                continue;
            }
            if let Some(state) = state_from_key(&tail) {
                return self.town_in_state(&city_key(head), state, typed);
            }
            break;
        }

        // "Town State" with no comma: the state is the last one to three words
        // ("MO", "Missouri", "District of Columbia"). Longer state names are tried
        // first, so "Charleston West Virginia" isn't read as "Charleston West", VA.
        let tokens: Vec<&str> = words(text).collect();
        let mut first_miss: Option<(String, StateIx)> = None;
        for n in (1..=3).rev() {
            if n >= tokens.len() {
                continue;
            }
            let (head, tail) = tokens.split_at(tokens.len() - n);
            if let Some(state) = state_from_key(&plain_key(&tail.join(" "))) {
                let key = city_key(&head.join(" "));
                if let Some(place) = self.town_place(&key, state) {
                    return Ok(place);
                }
                first_miss.get_or_insert((key, state));
            }
        }

        let key = city_key(text);
        if key.is_empty() {
            return Err(PlaceError::Empty);
        }
        // A known town with no state ("Springfield", or "Port Washington", whose last
        // word only looks like a state): ask which one rather than guess.
        if self.states_with(&key).next().is_some() {
            return Err(PlaceError::NeedState(typed));
        }
        let suggestions = if let Some((key, state)) = first_miss {
            self.suggest_in_state(&key, state)
        } else if let Some((head, tail)) = text.rsplit_once(',') {
            // The part after the comma is no state we know ("Springfield, Ilinois").
            self.suggest_for_bad_state(&city_key(head), &plain_key(tail))
        } else {
            self.suggest_anywhere(&key)
        };
        Err(PlaceError::UnknownTown { typed, suggestions })
    }

    fn town_in_state(&self, key: &str, state: StateIx, typed: String) -> Result<Place, PlaceError> {
        if key.is_empty() {
            return Err(PlaceError::Empty);
        }
        self.town_place(key, state)
            .ok_or_else(|| PlaceError::UnknownTown {
                typed,
                suggestions: self.suggest_in_state(key, state),
            })
    }

    fn city(&self, key: &str, state: StateIx) -> Option<&CityRow> {
        let ix = *self.city_index.get(&(Box::from(key), state))?;
        self.cities.get(usize::try_from(ix).ok()?)
    }

    fn town_place(&self, key: &str, state: StateIx) -> Option<Place> {
        self.city(key, state).map(|c| Place {
            zip: None,
            city: c.name.to_string(),
            state: state_code(c.state).to_owned(),
            point: c.point,
        })
    }

    /// The towns with this key, one per state that has it, in state-code order.
    fn states_with<'a>(&'a self, key: &str) -> impl Iterator<Item = &'a CityRow> + 'a {
        let mut probe: (Box<str>, StateIx) = (Box::from(key), 0);
        (0..STATES.len()).filter_map(move |s| {
            probe.1 = StateIx::try_from(s).ok()?;
            let ix = *self.city_index.get(&probe)?;
            self.cities.get(usize::try_from(ix).ok()?)
        })
    }

    fn city_label(city: &CityRow) -> String {
        format!("{}, {}", city.name, state_code(city.state))
    }

    /// Close names in the same state, and the same name in other states (the state may
    /// be the mistake). A same-named town elsewhere ranks like a one-letter typo.
    fn suggest_in_state(&self, key: &str, state: StateIx) -> Vec<String> {
        let mut ranked: Vec<(usize, usize, &CityRow)> = Vec::new();
        let mut fuzzy = Fuzzy::new(key);
        for &ix in self
            .cities_by_state
            .get(usize::from(state))
            .map_or(&[][..], Vec::as_slice)
        {
            let Some(city) = usize::try_from(ix).ok().and_then(|i| self.cities.get(i)) else {
                continue;
            };
            // Within one state a cut-off name ("Winston" for Winston-Salem) is as
            // likely as a typo, so it ranks like a one-letter slip.
            if let Some(score) = fuzzy.score(&city.key, Some(1)) {
                ranked.push((score, 0, city));
            }
        }
        for city in self.states_with(key) {
            if city.state != state {
                ranked.push((1, 1, city));
            }
        }
        ranked.sort_by(|a, b| {
            (a.0, a.1, a.2.key.len(), &a.2.name, a.2.state).cmp(&(
                b.0,
                b.1,
                b.2.key.len(),
                &b.2.name,
                b.2.state,
            ))
        });
        ranked
            .into_iter()
            .take(MAX_SUGGESTIONS)
            .map(|(_, _, c)| Self::city_label(c))
            .collect()
    }

    /// The town in the states whose names look most like what was typed as the state;
    /// failing that, close names anywhere.
    fn suggest_for_bad_state(&self, key: &str, state_typed: &str) -> Vec<String> {
        let mut found: Vec<(usize, &CityRow)> = self
            .states_with(key)
            .map(|c| {
                let name = STATES.get(usize::from(c.state)).map_or("", |s| s.1);
                let d = levenshtein(state_typed.as_bytes(), state_name_key(name).as_bytes());
                (d, c)
            })
            .collect();
        if found.is_empty() {
            return self.suggest_anywhere(key);
        }
        found.sort_by_key(|&(d, c)| (d, c.state));
        found
            .into_iter()
            .take(MAX_SUGGESTIONS)
            .map(|(_, c)| Self::city_label(c))
            .collect()
    }

    /// Close names in any state, for a town typed without one.
    fn suggest_anywhere(&self, key: &str) -> Vec<String> {
        let mut fuzzy = Fuzzy::new(key);
        // Across all states a name that merely starts the same is weak evidence: it
        // ranks after every typo-distance match.
        let prefix_score = (key.len() >= 5).then_some(fuzzy.max + 1);
        let mut ranked: Vec<(usize, &CityRow)> = self
            .cities
            .iter()
            .filter_map(|c| fuzzy.score(&c.key, prefix_score).map(|s| (s, c)))
            .collect();
        ranked.sort_by(|a, b| {
            (a.0, a.1.key.len(), &a.1.name, a.1.state).cmp(&(
                b.0,
                b.1.key.len(),
                &b.1.name,
                b.1.state,
            ))
        });
        ranked
            .into_iter()
            .take(MAX_SUGGESTIONS)
            .map(|(_, c)| Self::city_label(c))
            .collect()
    }
}

/// Scores town keys against a typed key: the edit distance when it is small for the
/// key's length, or a caller-chosen score when one key starts with the other
/// ("winston" / "winstonsalem"). Reuses its buffers across thousands of candidates.
struct Fuzzy<'a> {
    key: &'a [u8],
    max: usize,
    prev: Vec<usize>,
    cur: Vec<usize>,
}

impl<'a> Fuzzy<'a> {
    fn new(key: &'a str) -> Self {
        let key = key.as_bytes();
        let max = match key.len() {
            0..=2 => 0,
            3..=5 => 1,
            6..=11 => 2,
            _ => 3,
        };
        Fuzzy {
            key,
            max,
            prev: Vec::new(),
            cur: Vec::new(),
        }
    }

    /// The edit distance when within the allowance, else `prefix_score` when one key
    /// starts with the other.
    fn score(&mut self, candidate: &str, prefix_score: Option<usize>) -> Option<usize> {
        let (a, b) = (self.key, candidate.as_bytes());
        if a.is_empty() || a.len() > MAX_FUZZY_KEY {
            return None;
        }
        if let Some(d) = bounded_levenshtein(a, b, self.max, &mut self.prev, &mut self.cur) {
            return Some(d);
        }
        let prefix = (a.len() >= 4 && b.starts_with(a)) || (b.len() >= 5 && a.starts_with(b));
        prefix_score.filter(|_| prefix)
    }
}

fn levenshtein(a: &[u8], b: &[u8]) -> usize {
    let (mut prev, mut cur) = (Vec::new(), Vec::new());
    bounded_levenshtein(a, b, usize::MAX, &mut prev, &mut cur).unwrap_or(usize::MAX)
}

/// Levenshtein distance between byte strings, or `None` as soon as it must exceed `max`.
fn bounded_levenshtein(
    a: &[u8],
    b: &[u8],
    max: usize,
    prev: &mut Vec<usize>,
    cur: &mut Vec<usize>,
) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    prev.clear();
    prev.extend(0..=b.len());
    cur.clear();
    cur.resize(b.len() + 1, 0);
    for (i, &ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, &cb) in b.iter().enumerate() {
            let substitute = prev[j] + usize::from(ca != cb);
            let v = substitute.min(prev[j + 1] + 1).min(cur[j] + 1);
            cur[j + 1] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(prev, cur);
    }
    prev.last().copied().filter(|&d| d <= max)
}

/// Words of an input, split at whitespace and commas.
fn words(text: &str) -> impl DoubleEndedIterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
}

/// A 5-digit ZIP from the digits of a ZIP (5), a ZIP+4 (9), or either with the leading
/// zero a spreadsheet dropped (4 or 8).
fn zip5_from_digits(digits: &str) -> Option<String> {
    match digits.len() {
        5 | 9 => digits.get(..5).map(str::to_owned),
        4 | 8 => digits.get(..4).map(|d| format!("0{d}")),
        _ => None,
    }
}

/// What was typed, fit to echo in a message: control characters dropped, whitespace
/// runs collapsed, at most [`MAX_SHOWN_CHARS`] characters.
fn shown(text: &str) -> String {
    let mut out = String::new();
    let mut count = 0;
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if c.is_control() {
            continue;
        }
        if count + usize::from(space) >= MAX_SHOWN_CHARS {
            out.push('…');
            return out;
        }
        if space {
            out.push(' ');
            count += 1;
            space = false;
        }
        out.push(c);
        count += 1;
    }
    out
}

fn lat_lon(lat: &str, lon: &str) -> Option<LatLon> {
    let (lat, lon) = (lat.parse::<f64>().ok()?, lon.parse::<f64>().ok()?);
    (lat.is_finite() && lon.is_finite()).then_some(LatLon { lat, lon })
}

/// The data rows of a CSV file with exactly `N` columns, after checking its header.
/// Fields may be quoted ("Olinda, CDP"); unquoted fields borrow from the file.
fn csv_rows<const N: usize>(
    csv: &'static str,
    header: &'static str,
) -> impl Iterator<Item = [Cow<'static, str>; N]> {
    let mut lines = csv.lines();
    let header_ok = lines.next() == Some(header);
    lines.filter(move |_| header_ok).filter_map(csv_record::<N>)
}

fn csv_record<const N: usize>(line: &'static str) -> Option<[Cow<'static, str>; N]> {
    let mut fields: [Cow<'static, str>; N] = std::array::from_fn(|_| Cow::Borrowed(""));
    let mut rest = line;
    for (i, field) in fields.iter_mut().enumerate() {
        if let Some(quoted) = rest.strip_prefix('"') {
            let mut value = String::new();
            let mut chars = quoted.char_indices();
            let mut end = None;
            while let Some((at, c)) = chars.next() {
                if c != '"' {
                    value.push(c);
                } else if quoted[at + 1..].starts_with('"') {
                    value.push('"');
                    chars.next();
                } else {
                    end = Some(at + 1);
                    break;
                }
            }
            *field = Cow::Owned(value);
            rest = quoted.get(end?..)?;
        } else {
            let at = rest.find(',').unwrap_or(rest.len());
            *field = Cow::Borrowed(&rest[..at]);
            rest = &rest[at..];
        }
        rest = match rest.strip_prefix(',') {
            Some(r) if i + 1 < N => r,
            None if i + 1 == N && rest.is_empty() => rest,
            _ => return None,
        };
    }
    Some(fields)
}

/// Lookup key for a town name; a faithful port of `city_key()` in
/// `shared/data/tools/build_places.py`, which built the city file:
///
/// ```python
/// s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
/// return "".join(_ABBR.get(w, w) for w in re.split(r"[^a-z0-9]+", s) if w)
/// ```
///
/// It keeps the ASCII part of each character's compatibility decomposition (accents
/// drop off, `Ｓｔ` becomes `st`, other characters vanish), lowercases, splits into words
/// at anything but a letter or digit, expands the words `st`→`saint`, `ste`→`sainte`,
/// `ft`→`fort`, `mt`→`mount`, and joins the words with nothing between them.
/// `"St. Louis"`, `"Saint Louis"` and `"ST LOUIS"` all give `"saintlouis"`;
/// `"O'Fallon"` gives `"ofallon"`, `"Cañon City"` gives `"canoncity"`.
pub fn city_key(s: &str) -> String {
    let mut key = String::with_capacity(s.len());
    let mut word_start = 0;
    fold(s, |b| {
        if b == b' ' {
            expand_abbreviation(&mut key, word_start);
            word_start = key.len();
        } else {
            key.push(char::from(b));
        }
    });
    expand_abbreviation(&mut key, word_start);
    key
}

fn expand_abbreviation(key: &mut String, word_start: usize) {
    let long = match key.get(word_start..) {
        Some("st") => "saint",
        Some("ste") => "sainte",
        Some("ft") => "fort",
        Some("mt") => "mount",
        _ => return,
    };
    key.truncate(word_start);
    key.push_str(long);
}

/// [`city_key`] without the abbreviation expansion, for state names and ZIP digits:
/// "MT" must stay Montana, not become "mount".
fn plain_key(s: &str) -> String {
    let mut key = String::with_capacity(s.len());
    fold(s, |b| {
        if b != b' ' {
            key.push(char::from(b));
        }
    });
    key
}

/// Feeds `emit` what `city_key` keeps of `s`, in order: lowercase ASCII letters and
/// digits, and `b' '` wherever a word may break.
///
/// NFKD-then-drop-non-ASCII can be done a character at a time, because canonical
/// reordering only moves combining marks, which are never ASCII.
fn fold(s: &str, mut emit: impl FnMut(u8)) {
    for c in s.chars() {
        if c.is_ascii() {
            let b = c as u8;
            emit(if b.is_ascii_alphanumeric() {
                b.to_ascii_lowercase()
            } else {
                b' '
            });
            continue;
        }
        let cp = u32::from(c);
        let table = fold_table();
        let i = table.partition_point(|f| f.first <= cp);
        let Some(f) = i.checked_sub(1).and_then(|i| table.get(i)) else {
            continue;
        };
        if cp > f.last {
            continue; // no ASCII in its decomposition: the character vanishes
        }
        if f.step {
            let first = f.out.as_bytes().first().copied();
            let offset = u8::try_from(cp - f.first).ok();
            if let Some(b) = first.zip(offset).and_then(|(b, o)| b.checked_add(o)) {
                emit(b);
            }
        } else {
            for b in f.out.bytes() {
                emit(if b == b'_' { b' ' } else { b });
            }
        }
    }
}

/// One [`FOLD_TABLE`] entry: code points `first..=last` fold to `out`, or, with `step`,
/// to `out` advanced by the code point's offset in the range (Ａ..Ｚ -> a..z).
struct Fold {
    first: u32,
    last: u32,
    step: bool,
    out: &'static str,
}

fn fold_table() -> &'static [Fold] {
    static TABLE: OnceLock<Vec<Fold>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: Vec<Fold> = FOLD_TABLE
            .split_ascii_whitespace()
            .filter_map(|entry| {
                let at = entry.find(['=', '+'])?;
                let (range, out) = (&entry[..at], &entry[at + 1..]);
                let (first, last) = range.split_once('-').unwrap_or((range, range));
                Some(Fold {
                    first: u32::from_str_radix(first, 16).ok()?,
                    last: u32::from_str_radix(last, 16).ok()?,
                    step: entry[at..].starts_with('+'),
                    out,
                })
            })
            .collect();
        table.sort_unstable_by_key(|f| f.first);
        table
    })
}

/// Every non-ASCII code point whose NFKD decomposition contains ASCII, with what
/// [`city_key`] keeps of that ASCII: lowercased, and `_` for each run of characters
/// that only break words (spaces, punctuation). Entries are `FIRST[-LAST]=OUT` (each
/// code point in the range gives `OUT`) or `FIRST-LAST+C` (they give `C`, `C`+1, …);
/// code points in hex. Any code point not listed vanishes.
///
/// Generated from Python 3.11's `unicodedata` (Unicode 14.0.0), the NFKD that
/// build_places.py uses, by this script:
///
/// ```python
/// import re, unicodedata
/// m = {}
/// for cp in range(0x80, 0x110000):
///     a = "".join(ch for ch in unicodedata.normalize("NFKD", chr(cp)) if ord(ch) < 128)
///     a = re.sub(r"[^a-z0-9]+", "_", a.lower())
///     if a: m[cp] = a
/// # then runs of consecutive code points with the same output become FIRST-LAST=OUT,
/// # and runs whose one-letter outputs count up become FIRST-LAST+C.
/// ```
const FOLD_TABLE: &str = "\
a0=_ a8=_ aa=a af=_ b2-b3+2 b4=_ b8=_ b9=1 ba=o bc=14 bd=12 be=34 c0-c5=a c7=c c8-cb=e \
cc-cf=i d1-d2+n d3-d6=o d9-dc=u dd=y e0-e5=a e7=c e8-eb=e ec-ef=i f1-f2+n f3-f6=o \
f9-fc=u fd=y ff=y 100-105=a 106-10d=c 10e-10f=d 112-11b=e 11c-123=g 124-125=h 128-130=i \
132-133=ij 134-135=j 136-137=k 139-140=l 143-149=n 14c-151=o 154-159=r 15a-161=s \
162-165=t 168-173=u 174-175=w 176-178=y 179-17e=z 17f=s 1a0-1a1=o 1af-1b0=u 1c4-1c6=dz \
1c7-1c9=lj 1ca-1cc=nj 1cd-1ce=a 1cf-1d0=i 1d1-1d2=o 1d3-1dc=u 1de-1e1=a 1e6-1e7=g \
1e8-1e9=k 1ea-1ed=o 1f0=j 1f1-1f3=dz 1f4-1f5=g 1f8-1f9=n 1fa-1fb=a 200-203=a 204-207=e \
208-20b=i 20c-20f=o 210-213=r 214-217=u 218-219=s 21a-21b=t 21e-21f=h 226-227=a \
228-229=e 22a-231=o 232-233=y 2b0=h 2b2=j 2b3=r 2b7=w 2b8=y 2d8-2dd=_ 2e1=l 2e2=s 2e3=x \
37a=_ 37e=_ 384-385=_ 1d2c=a 1d2e=b 1d30-1d31+d 1d33-1d3a+g 1d3c=o 1d3e=p 1d3f=r \
1d40-1d41+t 1d42=w 1d43=a 1d47=b 1d48-1d49+d 1d4d=g 1d4f=k 1d50=m 1d52=o 1d56=p \
1d57-1d58+t 1d5b=v 1d62=i 1d63=r 1d64-1d65+u 1d9c=c 1da0=f 1dbb=z 1e00-1e01=a \
1e02-1e07=b 1e08-1e09=c 1e0a-1e13=d 1e14-1e1d=e 1e1e-1e1f=f 1e20-1e21=g 1e22-1e2b=h \
1e2c-1e2f=i 1e30-1e35=k 1e36-1e3d=l 1e3e-1e43=m 1e44-1e4b=n 1e4c-1e53=o 1e54-1e57=p \
1e58-1e5f=r 1e60-1e69=s 1e6a-1e71=t 1e72-1e7b=u 1e7c-1e7f=v 1e80-1e89=w 1e8a-1e8d=x \
1e8e-1e8f=y 1e90-1e95=z 1e96=h 1e97=t 1e98=w 1e99=y 1e9a=a 1e9b=s 1ea0-1eb7=a \
1eb8-1ec7=e 1ec8-1ecb=i 1ecc-1ee3=o 1ee4-1ef1=u 1ef2-1ef9=y 1fbd=_ 1fbf-1fc1=_ \
1fcd-1fcf=_ 1fdd-1fdf=_ 1fed-1fef=_ 1ffd-1ffe=_ 2000-200a=_ 2017=_ 2024-2026=_ 202f=_ \
203c=_ 203e=_ 2047-2049=_ 205f=_ 2070=0 2071=i 2074-2079+4 207a=_ 207c-207e=_ 207f=n \
2080-2089+0 208a=_ 208c-208e=_ 2090=a 2091=e 2092=o 2093=x 2095=h 2096-2099+k 209a=p \
209b-209c+s 20a8=rs 2100=a_c 2101=a_s 2102-2103=c 2105=c_o 2106=c_u 2109-210b+f \
210c-210e=h 2110-2111=i 2112-2113=l 2115=n 2116=no 2119-211b+p 211c-211d=r 2120=sm \
2121=tel 2122=tm 2124=z 2128=z 212a=k 212b-212d+a 212f-2130=e 2131=f 2133=m 2134=o \
2139=i 213b=fax 2145-2146=d 2147=e 2148-2149+i 2150=17 2151=19 2152=110 2153=13 2154=23 \
2155=15 2156=25 2157=35 2158=45 2159=16 215a=56 215b=18 215c=38 215d=58 215e=78 215f=1 \
2160=i 2161=ii 2162=iii 2163=iv 2164=v 2165=vi 2166=vii 2167=viii 2168=ix 2169=x \
216a=xi 216b=xii 216c=l 216d-216e+c 216f=m 2170=i 2171=ii 2172=iii 2173=iv 2174=v \
2175=vi 2176=vii 2177=viii 2178=ix 2179=x 217a=xi 217b=xii 217c=l 217d-217e+c 217f=m \
2189=03 2260=_ 226e-226f=_ 2460-2468+1 2469=10 246a=11 246b=12 246c=13 246d=14 246e=15 \
246f=16 2470=17 2471=18 2472=19 2473=20 2474=_1_ 2475=_2_ 2476=_3_ 2477=_4_ 2478=_5_ \
2479=_6_ 247a=_7_ 247b=_8_ 247c=_9_ 247d=_10_ 247e=_11_ 247f=_12_ 2480=_13_ 2481=_14_ \
2482=_15_ 2483=_16_ 2484=_17_ 2485=_18_ 2486=_19_ 2487=_20_ 2488=1_ 2489=2_ 248a=3_ \
248b=4_ 248c=5_ 248d=6_ 248e=7_ 248f=8_ 2490=9_ 2491=10_ 2492=11_ 2493=12_ 2494=13_ \
2495=14_ 2496=15_ 2497=16_ 2498=17_ 2499=18_ 249a=19_ 249b=20_ 249c=_a_ 249d=_b_ \
249e=_c_ 249f=_d_ 24a0=_e_ 24a1=_f_ 24a2=_g_ 24a3=_h_ 24a4=_i_ 24a5=_j_ 24a6=_k_ \
24a7=_l_ 24a8=_m_ 24a9=_n_ 24aa=_o_ 24ab=_p_ 24ac=_q_ 24ad=_r_ 24ae=_s_ 24af=_t_ \
24b0=_u_ 24b1=_v_ 24b2=_w_ 24b3=_x_ 24b4=_y_ 24b5=_z_ 24b6-24cf+a 24d0-24e9+a 24ea=0 \
2a74-2a76=_ 2c7c=j 2c7d=v 3000=_ 309b-309c=_ 3200-321e=_ 3220-3243=_ 3250=pte 3251=21 \
3252=22 3253=23 3254=24 3255=25 3256=26 3257=27 3258=28 3259=29 325a=30 325b=31 325c=32 \
325d=33 325e=34 325f=35 32b1=36 32b2=37 32b3=38 32b4=39 32b5=40 32b6=41 32b7=42 32b8=43 \
32b9=44 32ba=45 32bb=46 32bc=47 32bd=48 32be=49 32bf=50 32c0-32c8+1 32c9=10 32ca=11 \
32cb=12 32cc=hg 32cd=erg 32ce=ev 32cf=ltd 3358-3361+0 3362=10 3363=11 3364=12 3365=13 \
3366=14 3367=15 3368=16 3369=17 336a=18 336b=19 336c=20 336d=21 336e=22 336f=23 3370=24 \
3371=hpa 3372=da 3373=au 3374=bar 3375=ov 3376=pc 3377=dm 3378=dm2 3379=dm3 337a=iu \
3380=pa 3381=na 3382=a 3383=ma 3384=ka 3385=kb 3386=mb 3387=gb 3388=cal 3389=kcal \
338a=pf 338b=nf 338c-338d+f 338e=mg 338f=kg 3390=hz 3391=khz 3392=mhz 3393=ghz 3394=thz \
3395=l 3396=ml 3397=dl 3398=kl 3399=fm 339a=nm 339b=m 339c=mm 339d=cm 339e=km 339f=mm2 \
33a0=cm2 33a1=m2 33a2=km2 33a3=mm3 33a4=cm3 33a5=m3 33a6=km3 33a7=ms 33a8=ms2 33a9=pa \
33aa=kpa 33ab=mpa 33ac=gpa 33ad=rad 33ae=rads 33af=rads2 33b0=ps 33b1=ns 33b2=s 33b3=ms \
33b4=pv 33b5=nv 33b6=v 33b7=mv 33b8=kv 33b9=mv 33ba=pw 33bb=nw 33bc=w 33bd=mw 33be=kw \
33bf=mw 33c0=k 33c1=m 33c2=a_m_ 33c3=bq 33c4=cc 33c5=cd 33c6=ckg 33c7=co_ 33c8=db \
33c9=gy 33ca=ha 33cb=hp 33cc=in 33cd=kk 33ce=km 33cf=kt 33d0=lm 33d1=ln 33d2=log \
33d3=lx 33d4=mb 33d5=mil 33d6=mol 33d7=ph 33d8=p_m_ 33d9=ppm 33da=pr 33db=sr 33dc=sv \
33dd=wb 33de=vm 33df=am 33e0-33e8+1 33e9=10 33ea=11 33eb=12 33ec=13 33ed=14 33ee=15 \
33ef=16 33f0=17 33f1=18 33f2=19 33f3=20 33f4=21 33f5=22 33f6=23 33f7=24 33f8=25 33f9=26 \
33fa=27 33fb=28 33fc=29 33fd=30 33fe=31 33ff=gal a7f2=c a7f3=f a7f4=q fb00=ff fb01=fi \
fb02=fl fb03=ffi fb04=ffl fb05-fb06=st fb29=_ fc5e-fc63=_ fdfa-fdfb=_ fe10=_ \
fe13-fe16=_ fe19=_ fe30=_ fe33-fe38=_ fe47-fe50=_ fe52=_ fe54-fe57=_ fe59-fe5c=_ \
fe5f-fe66=_ fe68-fe6b=_ fe70=_ fe72=_ fe74=_ fe76=_ fe78=_ fe7a=_ fe7c=_ fe7e=_ \
ff01-ff0f=_ ff10-ff19+0 ff1a-ff20=_ ff21-ff3a+a ff3b-ff40=_ ff41-ff5a+a ff5b-ff5e=_ \
ffe3=_ 107a5=q 1d400-1d419+a 1d41a-1d433+a 1d434-1d44d+a 1d44e-1d454+a 1d456-1d467+i \
1d468-1d481+a 1d482-1d49b+a 1d49c=a 1d49e-1d49f+c 1d4a2=g 1d4a5-1d4a6+j 1d4a9-1d4ac+n \
1d4ae-1d4b5+s 1d4b6-1d4b9+a 1d4bb=f 1d4bd-1d4c3+h 1d4c5-1d4cf+p 1d4d0-1d4e9+a \
1d4ea-1d503+a 1d504-1d505+a 1d507-1d50a+d 1d50d-1d514+j 1d516-1d51c+s 1d51e-1d537+a \
1d538-1d539+a 1d53b-1d53e+d 1d540-1d544+i 1d546=o 1d54a-1d550+s 1d552-1d56b+a \
1d56c-1d585+a 1d586-1d59f+a 1d5a0-1d5b9+a 1d5ba-1d5d3+a 1d5d4-1d5ed+a 1d5ee-1d607+a \
1d608-1d621+a 1d622-1d63b+a 1d63c-1d655+a 1d656-1d66f+a 1d670-1d689+a 1d68a-1d6a3+a \
1d7ce-1d7d7+0 1d7d8-1d7e1+0 1d7e2-1d7eb+0 1d7ec-1d7f5+0 1d7f6-1d7ff+0 1f100-1f101=0_ \
1f102=1_ 1f103=2_ 1f104=3_ 1f105=4_ 1f106=5_ 1f107=6_ 1f108=7_ 1f109=8_ 1f10a=9_ \
1f110=_a_ 1f111=_b_ 1f112=_c_ 1f113=_d_ 1f114=_e_ 1f115=_f_ 1f116=_g_ 1f117=_h_ \
1f118=_i_ 1f119=_j_ 1f11a=_k_ 1f11b=_l_ 1f11c=_m_ 1f11d=_n_ 1f11e=_o_ 1f11f=_p_ \
1f120=_q_ 1f121=_r_ 1f122=_s_ 1f123=_t_ 1f124=_u_ 1f125=_v_ 1f126=_w_ 1f127=_x_ \
1f128=_y_ 1f129=_z_ 1f12a=s 1f12b=c 1f12c=r 1f12d=cd 1f12e=wz 1f130-1f149+a 1f14a=hv \
1f14b=mv 1f14c=sd 1f14d=ss 1f14e=ppv 1f14f=wc 1f16a=mc 1f16b=md 1f16c=mr 1f190=dj \
1fbf0-1fbf9+0 \
";

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn g() -> &'static Gazetteer {
        Gazetteer::embedded()
    }

    fn ok(input: &str) -> Place {
        match g().parse(input) {
            Ok(place) => place,
            Err(e) => panic!("{input:?} did not resolve: {e}"),
        }
    }

    fn town(input: &str) -> String {
        let place = ok(input);
        assert_eq!(place.zip, None, "{input:?} should resolve as a town");
        place.town()
    }

    fn suggestions(input: &str) -> Vec<String> {
        match g().parse(input) {
            Err(PlaceError::UnknownTown { suggestions, .. }) => suggestions,
            other => panic!("{input:?}: expected UnknownTown, got {other:?}"),
        }
    }

    // ---------------------------------------------------------------- data

    #[test]
    fn embedded_data_loads_every_row() {
        // Row counts from DATA-SOURCES.md; a row that failed to parse would be missing.
        assert_eq!(g().zips.len(), 40_977);
        assert_eq!(g().cities.len(), 34_540);
        assert_eq!(g().city_index.len(), 34_540);
        assert!(g().zips.windows(2).all(|w| w[0].zip < w[1].zip));
    }

    #[test]
    fn every_zip_label_reads_back_to_its_zip() {
        for row in &g().zips {
            let zip = String::from_utf8_lossy(&row.zip).into_owned();
            let place = g().zip(&zip).expect("listed ZIP resolves");
            assert_eq!(g().parse(&place.label()).as_ref(), Ok(&place));
            // build_places.py makes a town row for each postal city, so the ZIP's town
            // must resolve too, in the ZIP's state.
            let as_town = g().parse(&place.town()).map(|p| p.state);
            assert_eq!(as_town, Ok(place.state.clone()), "{}", place.label());
        }
    }

    #[test]
    fn every_town_label_reads_back_to_its_town() {
        for city in &g().cities {
            let label = Gazetteer::city_label(city);
            assert_eq!(ok(&label).town(), label);
        }
    }

    #[test]
    fn quoted_city_names_are_read_whole() {
        assert_eq!(town("Olinda, CDP, HI"), "Olinda, CDP, HI");
        assert_eq!(
            csv_record::<3>(r#"a,"b, ""c""",d"#),
            Some([
                Cow::Borrowed("a"),
                Cow::Owned(r#"b, "c""#.to_owned()),
                Cow::Borrowed("d")
            ])
        );
        assert_eq!(csv_record::<3>("a,b"), None);
        assert_eq!(csv_record::<2>("a,b,c"), None);
        assert_eq!(csv_record::<2>(r#""a,b"#), None);
    }

    #[test]
    fn states_table_is_sorted_and_complete() {
        assert!(STATES.windows(2).all(|w| w[0].0 < w[1].0));
        for (code, name, _) in STATES {
            assert_eq!(Gazetteer::state_name(code), Some(name));
        }
        let in_zips: std::collections::BTreeSet<_> = g().zips.iter().map(|z| z.state).collect();
        assert_eq!(in_zips.len(), 51);
    }

    #[test]
    fn state_name_looks_up_postal_codes() {
        assert_eq!(Gazetteer::state_name("WI"), Some("Wisconsin"));
        assert_eq!(Gazetteer::state_name("wi"), Some("Wisconsin"));
        assert_eq!(Gazetteer::state_name("DC"), Some("District of Columbia"));
        assert_eq!(Gazetteer::state_name("PR"), None);
        assert_eq!(Gazetteer::state_name("WIS"), None);
        assert_eq!(Gazetteer::state_name(""), None);
        assert_eq!(Gazetteer::state_name("é"), None);
    }

    // ---------------------------------------------------------------- ZIP input

    #[test]
    fn zip_forms() {
        let p = ok("94110");
        assert_eq!(p.zip.as_deref(), Some("94110"));
        assert_eq!((p.city.as_str(), p.state.as_str()), ("San Francisco", "CA"));
        assert_eq!(p.label(), "San Francisco, CA 94110");
        assert_eq!(p.town(), "San Francisco, CA");
        for input in [
            " 94110 ",
            "\t94110\n",
            "94110-1234",
            "94110 1234",
            "941101234",
        ] {
            assert_eq!(ok(input), p, "{input:?}");
        }
    }

    #[test]
    fn zip_with_dropped_leading_zero() {
        let p = ok("2134");
        assert_eq!(p.zip.as_deref(), Some("02134"));
        assert_eq!(p.town(), "Allston, MA");
        assert_eq!(ok("2134-0001"), p);
        assert_eq!(ok("21340001"), p);
        assert_eq!(g().zip("02134"), Some(p));
        assert_eq!(g().zip("2134"), None, "zip() takes exactly five digits");
    }

    #[test]
    fn zip_in_unusual_digits() {
        assert_eq!(ok("９４１１０").zip.as_deref(), Some("94110"));
        assert_eq!(ok("94110\u{2011}1234").zip.as_deref(), Some("94110"));
    }

    #[test]
    fn unknown_zips() {
        assert_eq!(
            g().parse("00000"),
            Err(PlaceError::UnknownZip("00000".into()))
        );
        assert_eq!(
            g().parse("99999-1234"),
            Err(PlaceError::UnknownZip("99999".into()))
        );
        assert_eq!(
            g().parse("0000"),
            Err(PlaceError::UnknownZip("00000".into()))
        );
        assert_eq!(g().parse("941"), Err(PlaceError::UnknownZip("941".into())));
        assert_eq!(
            g().parse("941101"),
            Err(PlaceError::UnknownZip("941101".into()))
        );
        assert_eq!(g().zip("99999"), None);
        let msg = g().parse("00000").unwrap_err().to_string();
        assert!(msg.contains("00000"), "{msg}");
    }

    #[test]
    fn label_with_zip_reads_as_the_zip() {
        let p = ok("10001");
        assert_eq!(p.label(), "New York, NY 10001");
        assert_eq!(ok(&p.label()), p);
        assert_eq!(ok("new york ny 10001-2345"), p);
        assert_eq!(ok("New York, NY, 10001"), p);
        assert_eq!(ok("New York NY 10001 2345"), p);
        assert_eq!(
            g().parse("New York, NY 00000"),
            Err(PlaceError::UnknownZip("00000".into()))
        );
        assert_eq!(
            g().parse("Saint Louis, MO 631"),
            Err(PlaceError::UnknownZip("631".into()))
        );
    }

    /// Landmark points from shared/data/tools/check_data.py (`KNOWN`).
    #[test]
    fn landmark_zips_resolve_near_their_landmarks() {
        let known = [
            ("94110", "San Francisco", "CA", 37.7500, -122.4150),
            ("89501", "Reno", "NV", 39.5260, -119.8120),
            ("80202", "Denver", "CO", 39.7500, -104.9960),
            ("43215", "Columbus", "OH", 39.9610, -82.9990),
            ("33602", "Tampa", "FL", 27.9500, -82.4580),
            ("23219", "Richmond", "VA", 37.5380, -77.4340),
            ("10001", "New York", "NY", 40.7506, -73.9935),
            ("60601", "Chicago", "IL", 41.8860, -87.6230),
            ("27601", "Raleigh", "NC", 35.7800, -78.6390),
            ("53202", "Milwaukee", "WI", 43.0450, -87.9000),
        ];
        for (zip, city, state, lat, lon) in known {
            let p = ok(zip);
            assert_eq!(p.zip.as_deref(), Some(zip));
            assert_eq!((p.city.as_str(), p.state.as_str()), (city, state), "{zip}");
            let d = distance_km(p.point, LatLon { lat, lon });
            assert!(d < 2.0, "{zip} is {d:.2} km from its landmark");
        }
    }

    // ---------------------------------------------------------------- town input

    #[test]
    fn town_forms() {
        for input in [
            "San Francisco, CA",
            "san francisco ca",
            "SAN FRANCISCO,ca",
            "San Francisco, California",
            "san francisco , calif.",
        ] {
            assert_eq!(town(input), "San Francisco, CA", "{input:?}");
        }
        for input in [
            "St. Louis, MO",
            "Saint Louis MO",
            "ST LOUIS, mo",
            "st louis mo",
            "St.Louis,MO",
            "Saint Louis, Missouri",
            "saint louis missouri",
            "St. Louis, MO, USA",
            "  St.   Louis ,  MO  ",
        ] {
            assert_eq!(town(input), "Saint Louis, MO", "{input:?}");
        }
    }

    #[test]
    fn town_uses_the_city_gazetteer_point() {
        let p = ok("St. Louis, MO");
        assert_eq!(
            p,
            Place {
                zip: None,
                city: "Saint Louis".into(),
                state: "MO".into(),
                point: LatLon {
                    lat: 38.62727,
                    lon: -90.19789
                },
            }
        );
        assert_eq!(p.label(), "Saint Louis, MO");
    }

    #[test]
    fn city_and_state_spellings_pick_the_right_state() {
        let cases = [
            ("St. Louis, MO", "Saint Louis, MO"),
            ("Saint Louis, Michigan", "Saint Louis, MI"),
            ("Winston-Salem, NC", "Winston-Salem, NC"),
            ("winston salem nc", "Winston-Salem, NC"),
            ("Winston Salem, North Carolina", "Winston-Salem, NC"),
            ("Las Vegas, NV", "Las Vegas, NV"),
            ("las vegas nevada", "Las Vegas, NV"),
            ("Las Vegas, NM", "Las Vegas, NM"),
            ("Kansas City, MO", "Kansas City, MO"),
            ("Kansas City Kansas", "Kansas City, KS"),
            ("Charleston, WV", "Charleston, WV"),
            ("Charleston West Virginia", "Charleston, WV"),
            ("Charleston, South Carolina", "Charleston, SC"),
            ("Portland, ME", "Portland, ME"),
            ("Portland Oregon", "Portland, OR"),
            ("Washington, DC", "Washington, DC"),
            ("Washington D.C.", "Washington, DC"),
            ("washington, district of columbia", "Washington, DC"),
            ("New York, New York", "New York, NY"),
            ("new york ny", "New York, NY"),
            ("Milwaukee, Wis.", "Milwaukee, WI"),
            ("Helena MT", "Helena, MT"),
            ("Mt. Vernon, NY", "Mount Vernon, NY"),
            ("Ft Lauderdale FL", "Fort Lauderdale, FL"),
            ("O'Fallon, IL", "O Fallon, IL"),
            ("Cañon City, CO", "Canon City, CO"),
            ("Port Washington WI", "Port Washington, WI"),
            ("Honolulu, Hawaiʻi", "Honolulu, HI"),
        ];
        for (input, expected) in cases {
            assert_eq!(town(input), expected, "{input:?}");
        }
    }

    /// City-hall points from shared/data/tools/check_data.py (`CITY`), within 10 km.
    #[test]
    fn big_cities_resolve_near_city_hall() {
        let cities = [
            ("San Francisco, CA", 37.7793, -122.4193),
            ("Reno, NV", 39.5296, -119.8138),
            ("St. Louis, MO", 38.6270, -90.1994),
            ("Winston Salem, NC", 36.0999, -80.2442),
            ("Denver, CO", 39.7392, -104.9903),
            ("Columbus, OH", 39.9612, -82.9988),
            ("Tampa, FL", 27.9506, -82.4572),
            ("Richmond, VA", 37.5407, -77.4360),
            ("New York, NY", 40.7128, -74.0060),
            ("Chicago, IL", 41.8781, -87.6298),
            ("Raleigh, NC", 35.7796, -78.6382),
            ("Milwaukee, WI", 43.0389, -87.9065),
            ("Phoenix, AZ", 33.4484, -112.0740),
            ("Atlanta, GA", 33.7490, -84.3880),
            ("Philadelphia, PA", 39.9526, -75.1652),
            ("Detroit, MI", 42.3314, -83.0458),
            ("Las Vegas, NV", 36.1699, -115.1398),
        ];
        for (input, lat, lon) in cities {
            let d = distance_km(ok(input).point, LatLon { lat, lon });
            assert!(d <= 10.0, "{input} is {d:.2} km from city hall");
        }
    }

    #[test]
    fn empty_input() {
        for input in ["", "   ", "\n\t", ",", " , , ", "---", "!!!", ", CA"] {
            assert_eq!(g().parse(input), Err(PlaceError::Empty), "{input:?}");
        }
        assert_eq!(
            PlaceError::Empty.to_string(),
            "Enter a ZIP code or a town and state, like 94110 or San Francisco, CA."
        );
    }

    #[test]
    fn town_without_state_asks_for_it() {
        assert_eq!(
            g().parse("Springfield"),
            Err(PlaceError::NeedState("Springfield".into()))
        );
        assert_eq!(
            g().parse("  new   york "),
            Err(PlaceError::NeedState("new york".into()))
        );
        assert_eq!(
            g().parse("Port Washington"),
            Err(PlaceError::NeedState("Port Washington".into()))
        );
        assert_eq!(
            g().parse("San Francisco,"),
            Err(PlaceError::NeedState("San Francisco,".into()))
        );
        let msg = g().parse("Springfield").unwrap_err().to_string();
        assert!(msg.contains("\"Springfield\""), "{msg}");
    }

    #[test]
    fn unknown_town_suggests_close_names_in_the_state() {
        let s = suggestions("Saint Lous, MO");
        assert_eq!(
            s.first().map(String::as_str),
            Some("Saint Louis, MO"),
            "{s:?}"
        );
        let s = suggestions("Milwaukie, WI");
        assert_eq!(
            s.first().map(String::as_str),
            Some("Milwaukee, WI"),
            "{s:?}"
        );
        let s = suggestions("Winston, NC");
        assert!(s.contains(&"Winston-Salem, NC".to_owned()), "{s:?}");
        assert!(s.len() <= MAX_SUGGESTIONS);
    }

    #[test]
    fn unknown_town_suggests_the_same_town_in_other_states() {
        let s = suggestions("Winston-Salem, SC");
        assert_eq!(s, vec!["Winston-Salem, NC".to_owned()]);
        let s = suggestions("Las Vegas, CA");
        assert!(s.contains(&"Las Vegas, NV".to_owned()), "{s:?}");
        assert!(s.contains(&"Las Vegas, NM".to_owned()), "{s:?}");
    }

    #[test]
    fn unknown_town_without_state_suggests_anywhere() {
        let s = suggestions("San Fransisco");
        assert_eq!(
            s.first().map(String::as_str),
            Some("San Francisco, CA"),
            "{s:?}"
        );
        assert!(suggestions("Xqzzyville").is_empty());
    }

    #[test]
    fn misspelt_state_name_suggests_the_likely_state() {
        let s = suggestions("Springfield, Ilinois");
        assert_eq!(
            s.first().map(String::as_str),
            Some("Springfield, IL"),
            "{s:?}"
        );
        assert!(s.len() <= MAX_SUGGESTIONS);
    }

    #[test]
    fn unknown_town_message_mentions_the_input() {
        let msg = g().parse("Saint Lous, MO").unwrap_err().to_string();
        assert!(msg.contains("\"Saint Lous, MO\""), "{msg}");
        let msg = g().parse("Xqzzyville, MO").unwrap_err().to_string();
        assert_eq!(
            msg,
            "We couldn't find \"Xqzzyville, MO\". Check the spelling, or type the ZIP code instead."
        );
    }

    #[test]
    fn hostile_and_long_input_is_refused_quickly() {
        let long = "a".repeat(1_000_000);
        let start = std::time::Instant::now();
        match g().parse(&long) {
            Err(PlaceError::UnknownTown { typed, suggestions }) => {
                assert!(typed.chars().count() <= MAX_SHOWN_CHARS + 1);
                assert!(suggestions.is_empty());
            }
            other => panic!("{other:?}"),
        }
        for input in [
            "9".repeat(100_000),
            "st ".repeat(80),
            "\u{0}\u{7f}\u{202e}".repeat(50),
            ",".repeat(255),
            "🙂".repeat(60),
            "Ｓｔ．　Ｌｏｕｉｓ，　ＭＯ".to_owned(),
        ] {
            let _ = g().parse(&input);
        }
        assert_eq!(town("Ｓｔ．　Ｌｏｕｉｓ，　ＭＯ"), "Saint Louis, MO");
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn shown_tidies_what_was_typed() {
        assert_eq!(shown("  a \t b\u{0}c  "), "a bc");
        let long = shown(&"x".repeat(500));
        assert_eq!(long.chars().count(), MAX_SHOWN_CHARS + 1);
        assert!(long.ends_with('…'));
    }

    // ---------------------------------------------------------------- city_key

    #[test]
    fn city_key_matches_build_places_examples() {
        for (name, key) in [
            ("St. Louis", "saintlouis"),
            ("Saint Louis", "saintlouis"),
            ("ST LOUIS", "saintlouis"),
            ("O'Fallon", "ofallon"),
            ("O Fallon", "ofallon"),
            ("Winston-Salem", "winstonsalem"),
            ("Cañon City", "canoncity"),
            ("Ste. Genevieve", "saintegenevieve"),
            ("Ft. Worth", "fortworth"),
            ("Mt Airy", "mountairy"),
            ("Stanford", "stanford"),
            ("East St", "eastsaint"),
            // ʻokina has no decomposition, so it vanishes without breaking the word.
            ("Kakaʻako", "kakaako"),
            // A no-break space decomposes to a space, which does break words.
            ("St\u{a0}Paul", "saintpaul"),
            ("Ｓｔ．Ｐａｕｌ", "saintpaul"),
            ("ﬁve ½", "five12"),
            ("", ""),
            ("—", ""),
        ] {
            assert_eq!(city_key(name), key, "{name:?}");
        }
    }

    #[test]
    fn fold_table_is_whole_and_ordered() {
        let table = fold_table();
        assert_eq!(table.len(), FOLD_TABLE.split_ascii_whitespace().count());
        assert!(table.iter().all(|f| f.first <= f.last && !f.out.is_empty()));
        assert!(table.windows(2).all(|w| w[0].last < w[1].first));
        let code_points: u32 = table.iter().map(|f| f.last - f.first + 1).sum();
        assert_eq!(code_points, 2130);
    }

    // ---------------------------------------------------------------- distance

    #[test]
    fn distance_matches_geo_haversine() {
        let sofia = LatLon {
            lat: 42.698334,
            lon: 23.319941,
        };
        let plovdiv = LatLon {
            lat: 42.136097,
            lon: 24.742168,
        };
        let d = distance_km(sofia, plovdiv);
        assert!((d - 132.433_099_294_601_94).abs() < 1e-9, "{d}");
        assert_eq!(distance_km(plovdiv, sofia), d);
        assert_eq!(distance_km(sofia, sofia), 0.0);
    }

    // ---------------------------------------------------------------- properties

    proptest! {
        #[test]
        fn any_five_digits_resolve_or_error(zip in "[0-9]{5}") {
            match g().parse(&zip) {
                Ok(place) => {
                    prop_assert_eq!(place.zip.as_deref(), Some(zip.as_str()));
                    let again = g().parse(&place.label());
                    prop_assert_eq!(again.map(|p| p.zip), Ok(Some(zip.clone())));
                }
                Err(e) => prop_assert_eq!(e, PlaceError::UnknownZip(zip.clone())),
            }
        }

        #[test]
        fn known_zip_labels_round_trip(i in 0usize..40_977) {
            let row = &g().zips[i];
            let zip = String::from_utf8_lossy(&row.zip).into_owned();
            let place = g().zip(&zip).expect("listed ZIP resolves");
            prop_assert_eq!(g().parse(&place.label()), Ok(place.clone()));
            prop_assert_eq!(g().parse(&place.town()).map(|p| p.town()), Ok(place.town()));
        }

        #[test]
        fn any_string_never_panics(s in any::<String>()) {
            let _ = g().parse(&s);
            let _ = city_key(&s);
        }

        #[test]
        fn townish_strings_never_panic(s in "[a-zA-Z .,'\\-]{0,40}( [A-Za-z]{2})?") {
            let _ = g().parse(&s);
        }

        #[test]
        fn distance_is_symmetric(
            a in (-90.0f64..90.0, -180.0f64..180.0),
            b in (-90.0f64..90.0, -180.0f64..180.0),
        ) {
            let (a, b) = (LatLon { lat: a.0, lon: a.1 }, LatLon { lat: b.0, lon: b.1 });
            let (ab, ba) = (distance_km(a, b), distance_km(b, a));
            prop_assert!((ab - ba).abs() < 1e-9);
            prop_assert!((0.0..=20_016.0).contains(&ab));
        }
    }
}
