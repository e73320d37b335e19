//! The words for what a trip is made of. A trip has **legs**: the ride
//! there, the nights and the ride home. A leg the trip needs
//! is **confirmed** when it has an accepted booking, **pending** when it has
//! only requested ones, **open** when it has neither. A trip holds at most
//! one accepted booking per leg; several requests for a leg are fine, and
//! once one is accepted the others are withdrawn.

use crate::domain::booking::{BookingStatus, Offer};
use crate::domain::ids::BookingId;
use crate::domain::offer::Direction;

/// A part of a trip that a booking covers. New legs go at the end of
/// [`Leg::ALL`]; every `match` on a leg then says what it needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Leg {
    /// Getting to the office: a seat on a ride.
    RideThere,
    /// Where the trip sleeps: beds in a stay.
    Nights,
    /// Getting home from the office: a seat on a ride home.
    RideHome,
}

impl Leg {
    /// Every leg, in the order a trip's plan lists them.
    pub const ALL: [Leg; 3] = [Leg::RideThere, Leg::Nights, Leg::RideHome];

    /// The leg a booking on this offer covers; a ride covers the ride there
    /// or the ride home by its direction.
    pub fn of(offer: Offer, direction: Direction) -> Leg {
        match (offer, direction) {
            (Offer::Ride(_), Direction::ToOffice) => Leg::RideThere,
            (Offer::Ride(_), Direction::Home) => Leg::RideHome,
            (Offer::Stay(_), _) => Leg::Nights,
        }
    }

    /// Whether the leg is a seat on a ride (either way).
    pub fn is_ride(self) -> bool {
        matches!(self, Leg::RideThere | Leg::RideHome)
    }

    /// What is booked for the leg, as a noun: "ride", "bed".
    pub fn noun(self) -> &'static str {
        match self {
            Leg::RideThere => "ride",
            Leg::Nights => "bed",
            Leg::RideHome => "ride home",
        }
    }

    /// Why a second booking for this leg can't be accepted.
    pub fn already_confirmed(self) -> String {
        format!("This trip already has a confirmed {}.", self.noun())
    }
}

/// Which legs a trip needs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Needs {
    pub ride_there: bool,
    pub nights: bool,
    pub ride_home: bool,
}

impl Needs {
    pub fn includes(self, leg: Leg) -> bool {
        match leg {
            Leg::RideThere => self.ride_there,
            Leg::Nights => self.nights,
            Leg::RideHome => self.ride_home,
        }
    }

    /// The legs needed, in plan order.
    pub fn legs(self) -> impl Iterator<Item = Leg> {
        Leg::ALL.into_iter().filter(move |l| self.includes(*l))
    }
}

/// Where a needed leg stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LegState {
    /// Neither requested nor booked.
    Open,
    /// Only requested bookings.
    Pending,
    /// An accepted booking.
    Confirmed,
}

impl LegState {
    /// Not confirmed: what a dashboard counts as a gap.
    pub fn is_gap(self) -> bool {
        self != LegState::Confirmed
    }
}

/// The state of one leg from the (leg, status) of a trip's bookings.
pub fn state_of(leg: Leg, bookings: &[(Leg, BookingStatus)]) -> LegState {
    let on_leg = || bookings.iter().filter(|(l, _)| *l == leg).map(|b| b.1);
    if on_leg().any(|s| s == BookingStatus::Accepted) {
        LegState::Confirmed
    } else if on_leg().any(|s| s == BookingStatus::Requested) {
        LegState::Pending
    } else {
        LegState::Open
    }
}

/// Each needed leg with its state, in plan order; legs not needed are left out.
pub fn states(needs: Needs, bookings: &[(Leg, BookingStatus)]) -> Vec<(Leg, LegState)> {
    needs.legs().map(|l| (l, state_of(l, bookings))).collect()
}

/// Whether a booking for `leg` may be accepted (or asked for) given the
/// trip's bookings: not when the leg already has an accepted one.
pub fn may_accept(leg: Leg, bookings: &[(Leg, BookingStatus)]) -> Result<(), String> {
    match state_of(leg, bookings) {
        LegState::Confirmed => Err(leg.already_confirmed()),
        LegState::Open | LegState::Pending => Ok(()),
    }
}

/// The requests withdrawn when `accepted` is accepted: every other request
/// of the same trip for the same leg.
pub fn superseded_by(
    accepted: BookingId,
    leg: Leg,
    bookings: &[(BookingId, Leg, BookingStatus)],
) -> Vec<BookingId> {
    bookings
        .iter()
        .filter(|(id, l, s)| *id != accepted && *l == leg && *s == BookingStatus::Requested)
        .map(|b| b.0)
        .collect()
}

/// Why a request was withdrawn by [`superseded_by`], in its history and email.
pub const SUPERSEDED: &str = "another one was confirmed";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::{RideId, StayId};
    use BookingStatus as S;
    use Leg::{Nights, RideHome, RideThere};

    const BOTH: Needs = Needs {
        ride_there: true,
        nights: true,
        ride_home: false,
    };

    #[test]
    fn a_ride_is_the_ride_there_or_home_and_a_stay_the_nights() {
        let ride = Offer::Ride(RideId(1));
        assert_eq!(Leg::of(ride, Direction::ToOffice), RideThere);
        assert_eq!(Leg::of(ride, Direction::Home), RideHome);
        assert_eq!(Leg::of(Offer::Stay(StayId(1)), Direction::ToOffice), Nights);
    }

    #[test]
    fn the_ride_home_is_a_leg_of_its_own() {
        let all = Needs {
            ride_home: true,
            ..BOTH
        };
        assert_eq!(
            states(all, &[(RideThere, S::Accepted), (RideHome, S::Requested)]),
            vec![
                (RideThere, LegState::Confirmed),
                (Nights, LegState::Open),
                (RideHome, LegState::Pending)
            ]
        );
        assert!(may_accept(RideHome, &[(RideThere, S::Accepted)]).is_ok());
        assert_eq!(
            may_accept(RideHome, &[(RideHome, S::Accepted)]),
            Err("This trip already has a confirmed ride home.".into())
        );
        let list = [
            (BookingId(1), RideHome, S::Accepted),
            (BookingId(2), RideThere, S::Requested),
            (BookingId(3), RideHome, S::Requested),
        ];
        assert_eq!(
            superseded_by(BookingId(1), RideHome, &list),
            vec![BookingId(3)]
        );
    }

    #[test]
    fn a_leg_is_confirmed_pending_or_open() {
        assert_eq!(
            states(BOTH, &[]),
            vec![(RideThere, LegState::Open), (Nights, LegState::Open)]
        );
        assert_eq!(
            states(BOTH, &[(RideThere, S::Requested), (RideThere, S::Declined)]),
            vec![(RideThere, LegState::Pending), (Nights, LegState::Open)]
        );
        assert_eq!(
            states(
                BOTH,
                &[
                    (RideThere, S::Requested),
                    (RideThere, S::Accepted),
                    (Nights, S::Requested)
                ]
            ),
            vec![
                (RideThere, LegState::Confirmed),
                (Nights, LegState::Pending)
            ]
        );
    }

    #[test]
    fn ended_bookings_leave_a_leg_open() {
        for s in [S::Declined, S::Withdrawn, S::Expired, S::Cancelled] {
            assert_eq!(state_of(Nights, &[(Nights, s)]), LegState::Open, "{s:?}");
        }
    }

    #[test]
    fn only_needed_legs_are_listed() {
        let ride_only = Needs {
            ride_there: true,
            nights: false,
            ride_home: false,
        };
        assert_eq!(
            states(ride_only, &[(Nights, S::Accepted)]),
            vec![(RideThere, LegState::Open)]
        );
        assert!(states(Needs::default(), &[(RideThere, S::Accepted)]).is_empty());
    }

    #[test]
    fn only_a_confirmed_leg_is_no_gap() {
        assert!(LegState::Open.is_gap());
        assert!(LegState::Pending.is_gap());
        assert!(!LegState::Confirmed.is_gap());
    }

    #[test]
    fn one_accepted_booking_per_leg() {
        assert!(may_accept(RideThere, &[]).is_ok());
        assert!(
            may_accept(
                RideThere,
                &[(RideThere, S::Requested), (RideThere, S::Requested)]
            )
            .is_ok(),
            "several requests are fine"
        );
        assert!(may_accept(RideThere, &[(Nights, S::Accepted)]).is_ok());
        assert!(may_accept(RideThere, &[(RideThere, S::Cancelled)]).is_ok());
        assert_eq!(
            may_accept(RideThere, &[(RideThere, S::Accepted)]),
            Err("This trip already has a confirmed ride.".into())
        );
        assert_eq!(
            may_accept(Nights, &[(Nights, S::Accepted)]),
            Err("This trip already has a confirmed bed.".into())
        );
    }

    #[test]
    fn accepting_withdraws_the_other_requests_of_the_same_leg_only() {
        let b = BookingId;
        let list = [
            (b(1), RideThere, S::Accepted),
            (b(2), RideThere, S::Requested),
            (b(3), RideThere, S::Declined),
            (b(4), Nights, S::Requested),
            (b(5), RideThere, S::Requested),
        ];
        assert_eq!(superseded_by(b(1), RideThere, &list), vec![b(2), b(5)]);
        assert_eq!(superseded_by(b(4), Nights, &list), Vec::<BookingId>::new());
    }
}
