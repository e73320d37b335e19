//! Alerts ("tell me when something fits"): which fitting offers are news
//! for a watched trip (or, for an owner who asked, which trips are news for
//! a watched offer), and when they may be told. A fit is news once: it
//! stays "seen" while it keeps fitting, and is told again only after it
//! stopped fitting (lost its room, was paused) and fits again. At most one
//! alert per watch and day: news found after that day's alert waits for the
//! next day.

use std::collections::BTreeSet;

use crate::domain::booking::Offer;
use crate::domain::ids::{RideId, StayId, TripId};

/// What a watch can be told about, with its stored form ("r12", "s5", "t7").
pub trait Key: Ord + Copy {
    fn key(&self) -> String;
    fn parse(key: &str) -> Option<Self>;
}

impl Key for Offer {
    fn key(&self) -> String {
        match self {
            Offer::Ride(id) => format!("r{id}"),
            Offer::Stay(id) => format!("s{id}"),
        }
    }

    fn parse(key: &str) -> Option<Offer> {
        let (kind, id) = key.split_at_checked(1)?;
        let id: i64 = id.parse().ok()?;
        match kind {
            "r" => Some(Offer::Ride(RideId(id))),
            "s" => Some(Offer::Stay(StayId(id))),
            _ => None,
        }
    }
}

impl Key for TripId {
    fn key(&self) -> String {
        format!("t{self}")
    }

    fn parse(key: &str) -> Option<TripId> {
        key.strip_prefix('t')?.parse().ok().map(TripId)
    }
}

/// What fits and was told (or was there when watching began).
pub type Seen<K = Offer> = BTreeSet<K>;

/// One step of a watch: what to tell now and what is seen afterwards.
#[derive(Debug, PartialEq, Eq)]
pub struct Step<K = Offer> {
    /// The fits to tell about now, in the order they fit best (empty: no alert).
    pub tell: Vec<K>,
    pub seen: Seen<K>,
}

/// The step for a watch that has `seen` and now finds `fits` (best first).
/// `started` is false the first time: what fits then is taken stock of,
/// not told (the trip page showed it already). `sent_today` holds news back
/// until the next day.
pub fn step<K: Key>(seen: &Seen<K>, fits: &[K], started: bool, sent_today: bool) -> Step<K> {
    let still: Seen<K> = fits.iter().copied().filter(|o| seen.contains(o)).collect();
    if !started {
        return Step {
            tell: vec![],
            seen: fits.iter().copied().collect(),
        };
    }
    let news: Vec<K> = fits.iter().copied().filter(|o| !seen.contains(o)).collect();
    if news.is_empty() || sent_today {
        return Step {
            tell: vec![],
            seen: still,
        };
    }
    let mut now_seen = still;
    now_seen.extend(news.iter().copied());
    Step {
        tell: news,
        seen: now_seen,
    }
}

/// The stored form of a seen set: "r12 s5".
pub fn encode<K: Key>(seen: &Seen<K>) -> String {
    seen.iter().map(Key::key).collect::<Vec<_>>().join(" ")
}

/// Reads [`encode`]'s form back; anything unreadable is left out (then
/// told again, which is better than never).
pub fn decode<K: Key>(text: &str) -> Seen<K> {
    text.split_whitespace().filter_map(K::parse).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: i64) -> Offer {
        Offer::Ride(RideId(n))
    }
    fn s(n: i64) -> Offer {
        Offer::Stay(StayId(n))
    }
    fn set(o: &[Offer]) -> Seen {
        o.iter().copied().collect()
    }

    #[test]
    fn watching_begins_by_taking_stock_without_telling() {
        let st = step(&Seen::new(), &[r(1), s(2)], false, false);
        assert!(st.tell.is_empty());
        assert_eq!(st.seen, set(&[r(1), s(2)]));
    }

    #[test]
    fn a_new_fit_is_told_once() {
        let seen = set(&[r(1)]);
        let st = step(&seen, &[r(3), r(1)], true, false);
        assert_eq!(st.tell, vec![r(3)]);
        assert_eq!(st.seen, set(&[r(1), r(3)]));
        let again = step(&st.seen, &[r(3), r(1)], true, false);
        assert!(again.tell.is_empty());
        assert_eq!(again.seen, st.seen);
    }

    #[test]
    fn news_after_the_days_alert_waits_but_is_not_forgotten() {
        let st = step(&set(&[r(1)]), &[r(1), s(4)], true, true);
        assert!(st.tell.is_empty());
        assert_eq!(st.seen, set(&[r(1)]), "s4 stays news");
        let next_day = step(&st.seen, &[r(1), s(4)], true, false);
        assert_eq!(next_day.tell, vec![s(4)]);
    }

    #[test]
    fn an_offer_is_told_again_only_after_it_stopped_fitting() {
        let full = step(&set(&[r(1), r(2)]), &[r(2)], true, true);
        assert_eq!(full.seen, set(&[r(2)]), "r1 lost its room");
        let room_again = step(&full.seen, &[r(1), r(2)], true, false);
        assert_eq!(room_again.tell, vec![r(1)]);
    }

    #[test]
    fn nothing_fitting_tells_nothing() {
        let st = step(&set(&[r(1)]), &[], true, false);
        assert!(st.tell.is_empty());
        assert!(st.seen.is_empty());
    }

    #[test]
    fn the_seen_set_round_trips_and_ignores_junk() {
        let seen = set(&[r(12), s(5), r(3)]);
        assert_eq!(decode(&encode(&seen)), seen);
        assert_eq!(decode::<Offer>(""), Seen::new());
        assert_eq!(decode::<Offer>("r7 x9 s rz s8 t4"), set(&[r(7), s(8)]));
        let trips: Seen<TripId> = [TripId(4), TripId(31)].into_iter().collect();
        assert_eq!(encode(&trips), "t4 t31");
        assert_eq!(decode::<TripId>("t4 r7 t31 tx"), trips);
    }

    #[test]
    fn a_watched_offer_is_told_each_new_trip_once() {
        let (a, b) = (TripId(1), TripId(2));
        let first = step(&Seen::new(), &[a], false, false);
        assert!(first.tell.is_empty(), "what fits at the start is stock");
        let st = step(&first.seen, &[b, a], true, false);
        assert_eq!(st.tell, vec![b]);
        assert!(step(&st.seen, &[b, a], true, false).tell.is_empty());
    }
}
