//! A booking loaded with everything needed to describe it to either side:
//! its trip, its offer and both people.

use crate::domain::ids::{BookingId, RideId, StayId, TripId, UserId};
use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use sqlx::AnyConnection;

use crate::domain::account::first_name;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::store::bookings::{self as store, Booking, Offer};
use crate::store::rides::{self, Ride};
use crate::store::stays::{self, Stay};
use crate::store::trips::{self, Trip};
use crate::store::users::{self, User};
use crate::store::{offices, Db};

/// The offer a booking is on, loaded.
#[derive(Clone, Debug)]
pub enum Loaded {
    Ride(Ride),
    Stay(Stay),
}

impl Loaded {
    /// Who offered it.
    pub fn owner_id(&self) -> UserId {
        match self {
            Loaded::Ride(r) => r.owner_id,
            Loaded::Stay(s) => s.owner_id,
        }
    }
}

/// Everything needed to describe a booking to either side.
#[derive(Clone, Debug)]
pub struct Parties {
    pub booking: Booking,
    pub trip: Trip,
    pub offer: Loaded,
    pub traveller: User,
    pub owner: User,
}

impl Parties {
    /// "a seat on Dee's ride to Milwaukee Field Office on Fri Dec 4" / "beds at Hal's in Milwaukee, WI".
    pub fn what(&self) -> String {
        self.what_in(Lang::En)
    }

    /// [`Parties::what`] in `lang`.
    pub fn what_in(&self, lang: Lang) -> String {
        let n = self.booking.party_size;
        let name = first_name(&self.owner.name);
        match &self.offer {
            Loaded::Ride(r) => lang.t_args(
                if r.direction.is_home() {
                    "booking-what-ride-home"
                } else {
                    "booking-what-ride"
                },
                &[
                    ("seats", &lang.t_args("booking-seats", &[("n", &n)])),
                    ("name", &name),
                    ("office", &self.trip.office_name),
                    ("date", &lang.date_day(r.depart_date)),
                ],
            ),
            Loaded::Stay(s) => lang.t_args(
                "booking-what-stay",
                &[
                    ("beds", &lang.t_args("booking-beds", &[("n", &n)])),
                    ("name", &name),
                    ("town", &s.place.town()),
                    (
                        "nights",
                        &nights_text(self.booking.first_night, self.booking.last_night, lang),
                    ),
                ],
            ),
        }
    }

    pub fn is_ride(&self) -> bool {
        matches!(self.offer, Loaded::Ride(_))
    }

    /// The nights a stay booking holds.
    pub(super) fn nights(&self) -> AppResult<(NaiveDate, NaiveDate)> {
        match (self.booking.first_night, self.booking.last_night) {
            (Some(a), Some(b)) => Ok((a, b)),
            _ => Err(AppError::Internal(anyhow::anyhow!(
                "stay booking {} without nights",
                self.booking.id
            ))),
        }
    }
}

/// "the nights of Dec 5 to Dec 7" / "the night of Dec 5".
pub fn nights_text(first: Option<NaiveDate>, last: Option<NaiveDate>, lang: Lang) -> String {
    match (first, last) {
        (Some(a), Some(b)) if a == b => {
            lang.t_args("booking-night-of", &[("date", &lang.date_short(a))])
        }
        (Some(a), Some(b)) => lang.t_args(
            "booking-nights-of",
            &[("from", &lang.date_short(a)), ("to", &lang.date_short(b))],
        ),
        _ => lang.t("booking-nights-asked"),
    }
}

/// Loads a booking with its trip, offer and both people.
pub async fn load(db: &Db, booking_id: BookingId) -> AppResult<Parties> {
    let booking = store::by_id(&db.pool, booking_id)
        .await?
        .ok_or(AppError::NotFound)?;
    load_all(db, vec![booking])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// Loads bookings with their trips, offers and people in a fixed number of
/// reads however many there are (lists must not query per row). A booking
/// whose trip, offer or person is gone is left out.
pub async fn load_all(db: &Db, list: Vec<Booking>) -> AppResult<Vec<Parties>> {
    if list.is_empty() {
        return Ok(vec![]);
    }
    let mut conn = db.pool.acquire().await?;
    load_all_on(&mut conn, list).await
}

/// [`load_all`] on a given connection: inside a transaction, which then
/// needs no second connection from the pool (a pool shared by many waiting
/// transactions could have none left).
pub(super) async fn load_all_on(
    conn: &mut AnyConnection,
    list: Vec<Booking>,
) -> AppResult<Vec<Parties>> {
    fn ids<T: Ord>(list: &[Booking], f: impl Fn(&Booking) -> Vec<T>) -> Vec<T> {
        let mut v: Vec<T> = list.iter().flat_map(f).collect();
        v.sort_unstable();
        v.dedup();
        v
    }
    let trip_ids = ids(&list, |b| vec![b.trip_id]);
    let ride_ids = ids(&list, |b| match b.offer {
        Offer::Ride(id) => vec![id],
        Offer::Stay(_) => vec![],
    });
    let stay_ids = ids(&list, |b| match b.offer {
        Offer::Stay(id) => vec![id],
        Offer::Ride(_) => vec![],
    });
    let user_ids = ids(&list, |b| vec![b.traveller_id, b.owner_id]);
    let trips: HashMap<TripId, Trip> = trips::by_ids(&mut *conn, &trip_ids)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let rides: HashMap<RideId, Loaded> = rides::by_ids(&mut *conn, &ride_ids)
        .await?
        .into_iter()
        .map(|r| (r.id, Loaded::Ride(r)))
        .collect();
    let stays: HashMap<StayId, Loaded> = if stay_ids.is_empty() {
        HashMap::new()
    } else {
        stays::by_ids(&mut *conn, &stay_ids)
            .await?
            .into_iter()
            .map(|s| (s.id, Loaded::Stay(s)))
            .collect()
    };
    let users: HashMap<UserId, User> = users::by_ids(&mut *conn, &user_ids)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    Ok(list
        .into_iter()
        .filter_map(|booking| {
            let offer = match booking.offer {
                Offer::Ride(id) => rides.get(&id),
                Offer::Stay(id) => stays.get(&id),
            }?
            .clone();
            Some(Parties {
                trip: trips.get(&booking.trip_id)?.clone(),
                traveller: users.get(&booking.traveller_id)?.clone(),
                owner: users.get(&booking.owner_id)?.clone(),
                offer,
                booking,
            })
        })
        .collect())
}

/// When a ride leaves, as an instant (its date and time are in the office's zone).
pub async fn ride_leaves(db: &Db, ride: &Ride) -> AppResult<Option<chrono::DateTime<chrono::Utc>>> {
    let Some(office) = offices::by_id(&db.pool, ride.office_id).await? else {
        return Ok(None);
    };
    let tz: chrono_tz::Tz = office
        .timezone
        .parse()
        .unwrap_or(chrono_tz::America::New_York);
    let time = chrono::NaiveTime::parse_from_str(&ride.depart_time, "%H:%M").unwrap_or_default();
    Ok(tz
        .from_local_datetime(&NaiveDateTime::new(ride.depart_date, time))
        .earliest()
        .map(|t| t.with_timezone(&chrono::Utc)))
}
