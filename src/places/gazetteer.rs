//! The ZIP and town gazetteers compiled into the binary, and reading a place as a person
//! types it ("94110", "St. Louis, MO") against them, with close matches to suggest when a
//! town isn't there.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use super::fold::{city_key, plain_key};
use super::fuzzy::{levenshtein, Fuzzy};
use super::{LatLon, Place, PlaceError};

/// Inputs longer than this (after trimming) are refused without being looked at, so a
/// pasted essay costs no more than a town name. The longest real input, a 45-character
/// town with a state name and a ZIP+4, is well under it.
const MAX_INPUT_BYTES: usize = 256;

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

static ZIP_CSV: &str = include_str!("../../data/us-zip-centroids.csv");
static CITY_CSV: &str = include_str!("../../data/us-city-centroids.csv");

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

    /// The town's own point for a place's town and state, never its ZIP's: what a
    /// map may show of someone's home. `None` for a town the city file lacks.
    pub fn town_point(&self, city: &str, state: &str) -> Option<LatLon> {
        let state = state_ix_of_code(state)?;
        self.city(&city_key(city), state).map(|c| c.point)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::places::distance_km;
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
    }
}
