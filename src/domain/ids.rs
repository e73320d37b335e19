//! Typed ids for the main records, so that a function that takes a ride id
//! cannot be given a trip id. Parsed at the edge (path and form fields
//! deserialize them), bound in the store (`store::ids` teaches sqlx to bind
//! and read them as the BIGINT they are).
//!
//! A trip id where a ride id is wanted does not compile:
//!
//! ```compile_fail
//! use trip_planner::domain::ids::{RideId, TripId};
//! fn takes_a_ride(_: RideId) {}
//! takes_a_ride(TripId(1));
//! ```
//!
//! ```
//! use trip_planner::domain::ids::RideId;
//! fn takes_a_ride(_: RideId) {}
//! takes_a_ride(RideId(1));
//! ```

use std::fmt;
use std::num::ParseIntError;
use std::str::FromStr;

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(
            Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            /// The number the database holds.
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    )*};
}

ids! {
    /// An account.
    UserId;
    /// A field office.
    OfficeId;
    /// A ride offer.
    RideId;
    /// A stay offer.
    StayId;
    /// A traveller's trip.
    TripId;
    /// A booking of a trip on a ride or stay.
    BookingId;
}

/// Every id type at once, for the store's sqlx impls.
#[macro_export]
#[doc(hidden)]
macro_rules! for_each_id {
    ($m:ident) => {
        $m!(UserId);
        $m!(OfficeId);
        $m!(RideId);
        $m!(StayId);
        $m!(TripId);
        $m!(BookingId);
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_and_print_as_their_number() {
        assert_eq!("42".parse::<RideId>(), Ok(RideId(42)));
        assert!("x".parse::<TripId>().is_err());
        assert_eq!(BookingId(7).to_string(), "7");
        assert_eq!(serde_json::to_string(&UserId(3)).unwrap(), "3");
        assert_eq!(serde_json::from_str::<StayId>("9").unwrap(), StayId(9));
    }
}
