//! The booking state machine: requested → accepted | declined | withdrawn |
//! expired; accepted → cancelled. Anything else is refused.

use chrono::{DateTime, Duration, Utc};

use crate::domain::ids::{RideId, StayId};

/// What a booking is on: a seat on a ride or beds in a stay.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Offer {
    Ride(RideId),
    Stay(StayId),
}

/// Where a booking stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BookingStatus {
    Requested,
    Accepted,
    Declined,
    Withdrawn,
    Expired,
    Cancelled,
}

impl BookingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            BookingStatus::Requested => "requested",
            BookingStatus::Accepted => "accepted",
            BookingStatus::Declined => "declined",
            BookingStatus::Withdrawn => "withdrawn",
            BookingStatus::Expired => "expired",
            BookingStatus::Cancelled => "cancelled",
        }
    }

    pub fn from_db(s: &str) -> Option<BookingStatus> {
        Some(match s {
            "requested" => BookingStatus::Requested,
            "accepted" => BookingStatus::Accepted,
            "declined" => BookingStatus::Declined,
            "withdrawn" => BookingStatus::Withdrawn,
            "expired" => BookingStatus::Expired,
            "cancelled" => BookingStatus::Cancelled,
            _ => return None,
        })
    }

    /// Words for people.
    pub fn label(self) -> &'static str {
        match self {
            BookingStatus::Requested => "Waiting for an answer",
            BookingStatus::Accepted => "Confirmed",
            BookingStatus::Declined => "Declined",
            BookingStatus::Withdrawn => "Withdrawn",
            BookingStatus::Expired => "Expired",
            BookingStatus::Cancelled => "Cancelled",
        }
    }

    /// Whether the booking still holds (or may hold) a place.
    pub fn is_live(self) -> bool {
        matches!(self, BookingStatus::Requested | BookingStatus::Accepted)
    }
}

/// Something that moves a booking on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Accept,
    Decline,
    Withdraw,
    Expire,
    Cancel,
}

/// Why an action is not allowed now, in words a person understands.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

/// The state an action leads to, or why it cannot happen.
pub fn transition(from: BookingStatus, action: Action) -> Result<BookingStatus, Refused> {
    use Action as A;
    use BookingStatus as S;
    match (from, action) {
        (S::Requested, A::Accept) => Ok(S::Accepted),
        (S::Requested, A::Decline) => Ok(S::Declined),
        (S::Requested, A::Withdraw) => Ok(S::Withdrawn),
        (S::Requested, A::Expire) => Ok(S::Expired),
        (S::Accepted, A::Cancel) => Ok(S::Cancelled),
        (S::Accepted, A::Accept) => Err(Refused("This request is already accepted.".into())),
        (S::Accepted, A::Withdraw | A::Decline) => Err(Refused(
            "This booking is already confirmed; cancel it instead, with a reason.".into(),
        )),
        (S::Requested, A::Cancel) => Err(Refused(
            "This request is not confirmed yet; withdraw or decline it instead.".into(),
        )),
        (s, _) => Err(Refused(format!(
            "This request is {} and can't be changed any more.",
            s.label().to_lowercase()
        ))),
    }
}

/// A request not answered after this long reminds the owner, once.
pub const REMIND_AFTER_HOURS: i64 = 48;
/// A request not answered after this long expires.
pub const EXPIRE_AFTER_HOURS: i64 = 72;

/// When an unanswered request expires: 72 hours after it was made, or when
/// the ride leaves, whichever is first.
pub fn expires_at(
    requested_at: DateTime<Utc>,
    ride_leaves: Option<DateTime<Utc>>,
) -> DateTime<Utc> {
    let by_age = requested_at + Duration::hours(EXPIRE_AFTER_HOURS);
    match ride_leaves {
        Some(leaves) if leaves < by_age => leaves,
        _ => by_age,
    }
}

/// How long a request has left before it expires, in words: "in 2 days",
/// "in 5 hours", "in 1 minute", or "now" once the time is up. Rounded down,
/// so an owner is never told they have longer than they do.
pub fn time_left(now: DateTime<Utc>, expires: DateTime<Utc>) -> String {
    match left(now, expires) {
        None => "now".into(),
        Some((n, unit)) => format!("in {n} {unit}{}", if n == 1 { "" } else { "s" }),
    }
}

/// The time [`time_left`] tells, as a number and its unit (`day`, `hour` or
/// `minute`); `None` once the time is up.
pub fn left(now: DateTime<Utc>, expires: DateTime<Utc>) -> Option<(i64, &'static str)> {
    let left = expires - now;
    if left.num_hours() >= 48 {
        Some((left.num_days(), "day"))
    } else if left.num_hours() >= 1 {
        Some((left.num_hours(), "hour"))
    } else if left.num_minutes() >= 1 {
        Some((left.num_minutes(), "minute"))
    } else {
        None
    }
}

/// A cancellation reason: required, at most 500 characters, no control characters.
pub fn parse_reason(s: &str) -> Result<String, &'static str> {
    let r: String = s
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .to_string();
    if r.is_empty() {
        return Err("Say briefly why you cancel; the other person will read it.");
    }
    if r.chars().count() > 500 {
        return Err("Keep the reason under 500 characters.");
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action as A;
    use BookingStatus as S;

    #[test]
    fn only_the_documented_transitions_are_allowed() {
        let all_s = [
            S::Requested,
            S::Accepted,
            S::Declined,
            S::Withdrawn,
            S::Expired,
            S::Cancelled,
        ];
        let all_a = [A::Accept, A::Decline, A::Withdraw, A::Expire, A::Cancel];
        let allowed = [
            (S::Requested, A::Accept, S::Accepted),
            (S::Requested, A::Decline, S::Declined),
            (S::Requested, A::Withdraw, S::Withdrawn),
            (S::Requested, A::Expire, S::Expired),
            (S::Accepted, A::Cancel, S::Cancelled),
        ];
        for s in all_s {
            for a in all_a {
                let expected = allowed
                    .iter()
                    .find(|(fs, fa, _)| *fs == s && *fa == a)
                    .map(|t| t.2);
                match (transition(s, a), expected) {
                    (Ok(to), Some(e)) => assert_eq!(to, e),
                    (Err(r), None) => assert!(!r.0.is_empty()),
                    (got, want) => panic!("{s:?} + {a:?}: got {got:?}, want {want:?}"),
                }
            }
        }
    }

    #[test]
    fn a_request_expires_after_72_hours_or_when_the_ride_leaves() {
        let t0 = DateTime::parse_from_rfc3339("2026-10-01T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(expires_at(t0, None), t0 + Duration::hours(72));
        let leaves = t0 + Duration::hours(20);
        assert_eq!(expires_at(t0, Some(leaves)), leaves);
        assert_eq!(
            expires_at(t0, Some(t0 + Duration::hours(100))),
            t0 + Duration::hours(72)
        );
    }

    #[test]
    fn time_left_is_rounded_down_in_the_largest_unit() {
        let t0 = DateTime::parse_from_rfc3339("2026-10-01T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let left = |d: Duration| time_left(t0, t0 + d);
        assert_eq!(left(Duration::hours(72)), "in 3 days");
        assert_eq!(left(Duration::hours(71)), "in 2 days");
        assert_eq!(left(Duration::hours(47)), "in 47 hours");
        assert_eq!(left(Duration::minutes(61)), "in 1 hour");
        assert_eq!(left(Duration::minutes(59)), "in 59 minutes");
        assert_eq!(left(Duration::seconds(61)), "in 1 minute");
        assert_eq!(left(Duration::seconds(59)), "now");
        assert_eq!(left(Duration::hours(-3)), "now");
    }

    #[test]
    fn reasons_are_required() {
        assert!(parse_reason("  ").is_err());
        assert_eq!(
            parse_reason(" car broke down \u{0}").unwrap(),
            "car broke down"
        );
    }
}
