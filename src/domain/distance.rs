//! Distances as people read them: the one formatter every page and email
//! uses. The matching rules, the CSV files and `matches --json` work in km;
//! only what is shown to a person is converted, to their unit (miles unless
//! they chose km in their account).

/// Kilometres in a statute mile.
pub const KM_PER_MILE: f64 = 1.609_344;

/// The unit a person reads distances in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Unit {
    /// The default: the users are American.
    #[default]
    Miles,
    Kilometres,
}

impl Unit {
    /// The stored and submitted form (`mi`, `km`), also the abbreviation shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Miles => "mi",
            Unit::Kilometres => "km",
        }
    }

    /// Reads the stored or submitted form; anything else is `None`.
    pub fn parse(s: &str) -> Option<Unit> {
        match s.trim() {
            "mi" => Some(Unit::Miles),
            "km" => Some(Unit::Kilometres),
            _ => None,
        }
    }

    /// The unit's name for a settings form.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Miles => "miles",
            Unit::Kilometres => "kilometres",
        }
    }

    /// Both units, the default first.
    pub const ALL: [Unit; 2] = [Unit::Miles, Unit::Kilometres];
}

/// A distance, held in km (as the matching rules compute it).
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct Distance {
    km: f64,
}

impl Distance {
    pub fn km(km: f64) -> Distance {
        Distance { km }
    }

    pub fn as_km(self) -> f64 {
        self.km
    }

    /// In `unit` with one decimal and the unit: "7.5 mi", "12.1 km".
    pub fn show(self, unit: Unit) -> String {
        // The detour sum can land a hair below zero when home lies on the
        // way; never show "-0.0".
        let km = if self.km.is_finite() {
            self.km.max(0.0)
        } else {
            0.0
        };
        let value = match unit {
            Unit::Miles => km / KM_PER_MILE,
            Unit::Kilometres => km,
        };
        format!("{value:.1} {}", unit.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn miles_by_default_with_one_decimal() {
        assert_eq!(Unit::default(), Unit::Miles);
        assert_eq!(Distance::km(12.07).show(Unit::Miles), "7.5 mi");
        assert_eq!(Distance::km(12.07).show(Unit::Kilometres), "12.1 km");
        assert_eq!(Distance::km(160.9344).show(Unit::Miles), "100.0 mi");
        assert_eq!(Distance::km(0.0).show(Unit::Miles), "0.0 mi");
    }

    #[test]
    fn never_negative_nor_nan() {
        assert_eq!(Distance::km(-1e-9).show(Unit::Kilometres), "0.0 km");
        assert_eq!(Distance::km(f64::NAN).show(Unit::Miles), "0.0 mi");
    }

    #[test]
    fn units_round_trip_through_their_stored_form() {
        for u in Unit::ALL {
            assert_eq!(Unit::parse(u.as_str()), Some(u));
        }
        assert_eq!(Unit::parse("furlongs"), None);
        assert_eq!(Distance::km(40.0).show(Unit::Miles), "24.9 mi");
    }
}
