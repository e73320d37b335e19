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
//!
//! [`Gazetteer`] holds the data and reads input against it; `fold` makes the keys that
//! names are compared by, and `fuzzy` scores near misses for the suggestions.

mod fold;
mod fuzzy;
mod gazetteer;

use geo::{Distance, Haversine, Point};
use serde::{Deserialize, Serialize};

pub use fold::city_key;
pub use gazetteer::Gazetteer;

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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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

    proptest! {
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
