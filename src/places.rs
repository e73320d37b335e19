//! TEMPORARY STUB (replaced by the real gazetteer module).
use std::collections::HashMap;
use std::sync::OnceLock;
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}
pub fn distance_km(a: LatLon, b: LatLon) -> f64 {
    use geo::{Distance, Haversine, Point};
    Haversine.distance(Point::new(a.lon, a.lat), Point::new(b.lon, b.lat)) / 1000.0
}
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Place {
    pub zip: Option<String>,
    pub city: String,
    pub state: String,
    pub point: LatLon,
}
impl Place {
    pub fn label(&self) -> String {
        match &self.zip {
            Some(z) => format!("{}, {} {}", self.city, self.state, z),
            None => self.town(),
        }
    }
    pub fn town(&self) -> String {
        format!("{}, {}", self.city, self.state)
    }
}
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum PlaceError {
    #[error("Enter a ZIP code or a town and state, like 94110 or San Francisco, CA.")]
    Empty,
    #[error("We don't know the ZIP code {0}.")]
    UnknownZip(String),
    #[error("We don't know {typed}.")]
    UnknownTown {
        typed: String,
        suggestions: Vec<String>,
    },
    #[error("Add the state to {0}.")]
    NeedState(String),
}
pub struct Gazetteer {
    zips: HashMap<String, Place>,
}
impl Gazetteer {
    pub fn embedded() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(|| {
            let mut zips = HashMap::new();
            for line in include_str!("../../shared/data/us-zip-centroids.csv")
                .lines()
                .skip(1)
            {
                let f: Vec<&str> = line.split(',').collect();
                zips.insert(
                    f[0].to_string(),
                    Place {
                        zip: Some(f[0].into()),
                        city: f[1].into(),
                        state: f[2].into(),
                        point: LatLon {
                            lat: f[3].parse().unwrap(),
                            lon: f[4].parse().unwrap(),
                        },
                    },
                );
            }
            Gazetteer { zips }
        })
    }
    pub fn parse(&self, input: &str) -> Result<Place, PlaceError> {
        let t = input.trim();
        if t.is_empty() {
            return Err(PlaceError::Empty);
        }
        self.zip(&t[..t.len().min(5)])
            .ok_or_else(|| PlaceError::UnknownZip(t.into()))
    }
    pub fn zip(&self, zip5: &str) -> Option<Place> {
        self.zips.get(zip5).cloned()
    }
    pub fn state_name(code: &str) -> Option<&'static str> {
        match code {
            "WI" => Some("Wisconsin"),
            _ => None,
        }
    }
}
