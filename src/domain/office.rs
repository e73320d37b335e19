//! Field offices: names, time zones and the per-day volunteer target.

use chrono_tz::Tz;

use super::tidy;

/// An office name: 2–100 characters. Uniqueness ignores case (see [`name_key`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfficeName(String);

impl OfficeName {
    pub fn parse(s: &str) -> Result<OfficeName, &'static str> {
        let s = tidy(s);
        if s.chars().count() < 2 {
            return Err("Give the office a name of at least 2 characters.");
        }
        if s.chars().count() > 100 {
            return Err("Keep the office name under 100 characters.");
        }
        if s.chars().any(char::is_control) {
            return Err("The name has characters we can't use.");
        }
        Ok(OfficeName(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The case-insensitive key under which office names must be unique.
pub fn name_key(name: &str) -> String {
    tidy(name).to_lowercase()
}

/// Parses an IANA zone name, or picks the state's usual zone when empty.
pub fn parse_time_zone(typed: &str, state: &str) -> Result<Tz, &'static str> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(default_time_zone(state));
    }
    typed
        .parse::<Tz>()
        .map_err(|_| "Use an IANA time zone name, like America/Chicago, or leave it empty.")
}

/// The zone most of a state's people live in.
pub fn default_time_zone(state: &str) -> Tz {
    use chrono_tz::America as A;
    match state {
        "CT" | "DE" | "DC" | "GA" | "ME" | "MD" | "MA" | "NH" | "NJ" | "NY" | "NC" | "OH"
        | "PA" | "RI" | "SC" | "VT" | "VA" | "WV" | "FL" => A::New_York,
        "MI" => A::Detroit,
        "IN" => A::Indiana::Indianapolis,
        "KY" => A::Kentucky::Louisville,
        "AL" | "AR" | "IL" | "IA" | "KS" | "LA" | "MN" | "MS" | "MO" | "NE" | "ND" | "OK"
        | "SD" | "TN" | "TX" | "WI" => A::Chicago,
        "AZ" => A::Phoenix,
        "CO" | "MT" | "NM" | "UT" | "WY" => A::Denver,
        "ID" => A::Boise,
        "CA" | "NV" | "OR" | "WA" => A::Los_Angeles,
        "AK" => A::Anchorage,
        "HI" => chrono_tz::Pacific::Honolulu,
        _ => A::New_York,
    }
}

/// Optional "volunteers needed per day": empty, or a whole number 1–10,000.
pub fn parse_needed_per_day(s: &str) -> Result<Option<i64>, &'static str> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<i64>() {
        Ok(n) if (1..=10_000).contains(&n) => Ok(Some(n)),
        _ => Err("Enter a whole number of volunteers from 1 to 10000, or leave it empty."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn battleground_states_get_their_zone() {
        assert_eq!(default_time_zone("AZ"), chrono_tz::America::Phoenix);
        assert_eq!(default_time_zone("WI"), chrono_tz::America::Chicago);
        assert_eq!(default_time_zone("NV"), chrono_tz::America::Los_Angeles);
        assert_eq!(default_time_zone("MI"), chrono_tz::America::Detroit);
        assert_eq!(
            parse_time_zone(" ", "PA").unwrap(),
            chrono_tz::America::New_York
        );
        assert!(parse_time_zone("Mars/Olympus", "PA").is_err());
    }

    #[test]
    fn names_are_tidied_and_keyed_without_case() {
        assert_eq!(
            OfficeName::parse("  Reno   Downtown ").unwrap().as_str(),
            "Reno Downtown"
        );
        assert_eq!(name_key("Reno  DOWNTOWN"), "reno downtown");
        assert!(OfficeName::parse("x").is_err());
    }

    #[test]
    fn needed_per_day_is_optional_and_bounded() {
        assert_eq!(parse_needed_per_day("").unwrap(), None);
        assert_eq!(parse_needed_per_day("12").unwrap(), Some(12));
        assert!(parse_needed_per_day("0").is_err());
        assert!(parse_needed_per_day("lots").is_err());
    }
}
