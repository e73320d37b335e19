//! `trip-planner import offices|rides|stays|trips FILE.csv`: spreadsheets in,
//! whole file or nothing. Every row is parsed and checked first; only a
//! clean file is written, in one transaction.

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use sqlx::AnyConnection;

use crate::clock::Clock;
use crate::domain::account::{Email, PersonName};
use crate::domain::ids::UserId;
use crate::domain::offer::{
    parse_date, parse_detour_km, parse_flex_days, parse_stay_km, parse_yes_no, Beds, Direction,
    NightRange, PartySize, Seats, TripDates,
};
use crate::domain::office::{name_key, parse_needed_per_day, parse_time_zone, OfficeName};
use crate::places::{Gazetteer, Place};
use crate::store::offices::{self, Office, OfficeFields};
use crate::store::rides::{self, RideFields};
use crate::store::stays::{self, StayFields};
use crate::store::trips::{self, TripFields};
use crate::store::{users, Db};

/// What a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    Offices,
    Rides,
    Stays,
    Trips,
}

impl Kind {
    fn columns(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            Kind::Offices => (
                &["name", "zip", "timezone"],
                &["contact_email", "needed_per_day"],
            ),
            Kind::Rides => (
                &[
                    "driver_email",
                    "driver_name",
                    "from_zip",
                    "office",
                    "depart_date",
                    "seats",
                    "max_detour_km",
                ],
                &["direction", "to_zip"],
            ),
            Kind::Stays => (
                &[
                    "host_email",
                    "host_name",
                    "zip",
                    "first_night",
                    "last_night",
                    "beds",
                ],
                &[],
            ),
            Kind::Trips => (
                &[
                    "traveller_email",
                    "traveller_name",
                    "from_zip",
                    "office",
                    "arrive_date",
                    "leave_date",
                    "party_size",
                    "needs_ride",
                    "needs_bed",
                ],
                &["flex_days", "max_stay_km", "needs_ride_home"],
            ),
        }
    }
}

/// One problem, at a 1-based line (the header is line 1) and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

/// Why nothing was imported.
#[derive(Debug)]
pub enum ImportError {
    /// Bad rows or headers: each is printed as `LINE:COLUMN: message`.
    Rows(Vec<RowError>),
    /// The file could not be read or the database failed.
    Other(anyhow::Error),
}

impl From<sqlx::Error> for ImportError {
    fn from(e: sqlx::Error) -> Self {
        ImportError::Other(e.into())
    }
}

/// What an import did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub created: usize,
    pub updated: usize,
    pub people_created: usize,
}

/// Stop collecting errors past this many: the file needs fixing anyway.
const MAX_ERRORS: usize = 200;

/// A record with its position and header map, for field access by name.
struct Rec<'a> {
    line: u64,
    fields: &'a csv::StringRecord,
    index: &'a HashMap<String, usize>,
}

impl Rec<'_> {
    fn col(&self, name: &str) -> usize {
        self.index.get(name).map(|i| i + 1).unwrap_or(0)
    }

    fn get(&self, name: &str) -> &str {
        self.index
            .get(name)
            .and_then(|&i| self.fields.get(i))
            .map(str::trim)
            .unwrap_or("")
    }

    fn err(&self, name: &str, message: impl Into<String>) -> RowError {
        RowError {
            line: self.line,
            column: self.col(name),
            message: message.into(),
        }
    }
}

/// Collects row errors while parsing fields.
struct Check<'a, 'r> {
    rec: &'a Rec<'r>,
    errors: Vec<RowError>,
}

impl<'a, 'r> Check<'a, 'r> {
    fn new(rec: &'a Rec<'r>) -> Self {
        Check {
            rec,
            errors: vec![],
        }
    }

    fn field<T, E: fmt::Display>(
        &mut self,
        name: &str,
        f: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        match f(self.rec.get(name)) {
            Ok(v) => Some(v),
            Err(e) => {
                self.errors.push(self.rec.err(name, e.to_string()));
                None
            }
        }
    }

    fn fail(&mut self, name: &str, message: impl Into<String>) {
        self.errors.push(self.rec.err(name, message));
    }
}

fn place(s: &str) -> Result<Place, String> {
    if s.is_empty() {
        return Err("a ZIP code is required".into());
    }
    Gazetteer::embedded().parse(s).map_err(|e| e.to_string())
}

/// The place of a ride's row besides the office: a ride to the office
/// starts at `from_zip` and has no `to_zip`; a ride home has a `to_zip` and
/// no `from_zip` (it starts at the office).
fn ride_far_end(c: &mut Check, direction: Direction) -> Option<Place> {
    let (wanted, unwanted, why) = match direction {
        Direction::ToOffice => (
            "from_zip",
            "to_zip",
            "a ride to the office ends at the office: leave to_zip empty",
        ),
        Direction::Home => (
            "to_zip",
            "from_zip",
            "a ride home from the office starts at the office: leave from_zip empty",
        ),
    };
    if !c.rec.get(unwanted).is_empty() {
        c.fail(unwanted, why);
        return None;
    }
    c.field(wanted, place)
}

fn yes_no(s: &str) -> Result<bool, String> {
    parse_yes_no(s).map_err(|_| format!("expected yes or no, got “{}”", shorten(s)))
}

fn shorten(s: &str) -> String {
    let mut out: String = s.chars().filter(|c| !c.is_control()).take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// A person named in a row: found by email at write time, or created.
#[derive(Clone, Debug)]
struct Person {
    email: Email,
    name: PersonName,
    home: Place,
}

enum Parsed {
    Office {
        name: OfficeName,
        place: Place,
        timezone: String,
        contact: Option<Email>,
        needed: Option<i64>,
    },
    Ride {
        person: Person,
        fields: RideFields,
        /// The far end's ZIP: the start of a ride there, the destination of
        /// a ride home.
        zip: String,
    },
    Stay {
        person: Person,
        fields: StayFields,
    },
    Trip {
        person: Person,
        fields: TripFields,
    },
}

/// Reads and checks a whole file; nothing is written unless every row is good.
pub async fn import_file(
    db: &Db,
    kind: Kind,
    path: &std::path::Path,
    clock: &Clock,
) -> Result<Summary, ImportError> {
    let text = std::fs::read(path)
        .map_err(|e| ImportError::Other(anyhow::anyhow!("cannot read {}: {e}", path.display())))?;
    import_bytes(db, kind, &text, clock).await
}

/// The same over bytes already in memory.
pub async fn import_bytes(
    db: &Db,
    kind: Kind,
    bytes: &[u8],
    clock: &Clock,
) -> Result<Summary, ImportError> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|e| {
            ImportError::Rows(vec![RowError {
                line: 1,
                column: 1,
                message: format!("cannot read the header: {e}"),
            }])
        })?
        .clone();
    let index = check_headers(kind, &headers)?;
    let offices_by_key: HashMap<String, Office> = offices::all(&db.pool)
        .await?
        .into_iter()
        .map(|o| (name_key(&o.name), o))
        .collect();

    let mut parsed = vec![];
    let mut errors = vec![];
    for (n, result) in reader.records().enumerate() {
        let record = match result {
            Ok(r) => r,
            Err(e) => {
                let line = e
                    .position()
                    .map(|p| physical_line(bytes, p.byte()))
                    .unwrap_or(n as u64 + 2);
                errors.push(RowError {
                    line,
                    column: 1,
                    message: format!("unreadable row: {e}"),
                });
                continue;
            }
        };
        let line = record
            .position()
            .map(|p| physical_line(bytes, p.byte()))
            .unwrap_or(n as u64 + 2);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if record.len() > headers.len() {
            errors.push(RowError {
                line,
                column: headers.len() + 1,
                message: format!(
                    "this row has {} fields but the header has {}",
                    record.len(),
                    headers.len()
                ),
            });
            continue;
        }
        let rec = Rec {
            line,
            fields: &record,
            index: &index,
        };
        match parse_row(kind, &rec, &offices_by_key) {
            Ok(p) => parsed.push((line, p)),
            Err(mut e) => errors.append(&mut e),
        }
        if errors.len() >= MAX_ERRORS {
            break;
        }
    }
    if !errors.is_empty() {
        return Err(ImportError::Rows(errors));
    }
    write(db, parsed, clock).await
}

/// The physical line (the first is 1) on which the record at byte `offset`
/// starts. The csv crate's `Position::line` counts the LFs read so far, and
/// after a CRLF the LF is still unread where the next record starts, so it
/// is one short for CRLF files; counting the line breaks before the record's
/// first byte is right for LF, CRLF and lone CR ends alike, and after a
/// quoted cell with a line break inside.
fn physical_line(bytes: &[u8], offset: u64) -> u64 {
    let mut start = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(bytes.len());
    // A record never starts with a line break: skip what is left of the
    // previous line's end (and blank lines, which the reader skips too).
    while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
        start += 1;
    }
    let before = &bytes[..start];
    let breaks = before
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && before.get(i + 1) != Some(&b'\n')))
        .count();
    breaks as u64 + 1
}

fn check_headers(
    kind: Kind,
    headers: &csv::StringRecord,
) -> Result<HashMap<String, usize>, ImportError> {
    let (required, optional) = kind.columns();
    let mut index = HashMap::new();
    let mut errors = vec![];
    for (i, h) in headers.iter().enumerate() {
        let h = h.trim().to_lowercase();
        if !required.contains(&h.as_str()) && !optional.contains(&h.as_str()) {
            let expected = required
                .iter()
                .chain(optional)
                .copied()
                .collect::<Vec<_>>()
                .join(", ");
            errors.push(RowError {
                line: 1,
                column: i + 1,
                message: format!("unknown column “{}” (expected: {expected})", shorten(&h)),
            });
        } else if index.insert(h.clone(), i).is_some() {
            errors.push(RowError {
                line: 1,
                column: i + 1,
                message: format!("column “{h}” appears twice"),
            });
        }
    }
    for r in required {
        if !index.contains_key(*r) {
            errors.push(RowError {
                line: 1,
                column: headers.len() + 1,
                message: format!("missing column “{r}”"),
            });
        }
    }
    if errors.is_empty() {
        Ok(index)
    } else {
        Err(ImportError::Rows(errors))
    }
}

fn person(c: &mut Check, email_col: &str, name_col: &str, home: Option<&Place>) -> Option<Person> {
    let email = c.field(email_col, Email::parse);
    let name = c.field(name_col, PersonName::parse);
    Some(Person {
        email: email?,
        name: name?,
        home: home?.clone(),
    })
}

fn office<'o>(c: &mut Check, offices: &'o HashMap<String, Office>) -> Option<&'o Office> {
    let typed = c.rec.get("office");
    match offices.get(&name_key(typed)) {
        Some(o) => Some(o),
        None => {
            c.fail("office", format!("unknown office “{}”", shorten(typed)));
            None
        }
    }
}

fn parse_row(
    kind: Kind,
    rec: &Rec,
    offices: &HashMap<String, Office>,
) -> Result<Parsed, Vec<RowError>> {
    let mut c = Check::new(rec);
    let parsed = match kind {
        Kind::Offices => {
            let name = c.field("name", OfficeName::parse);
            let place = c.field("zip", place);
            let tz = place.as_ref().and_then(|p| {
                let state = p.state.clone();
                c.field("timezone", |s| parse_time_zone(s, &state))
            });
            let contact = c.field("contact_email", |s| {
                if s.is_empty() {
                    Ok(None)
                } else {
                    Email::parse(s).map(Some)
                }
            });
            let needed = c.field("needed_per_day", parse_needed_per_day);
            match (name, place, tz, contact, needed) {
                (Some(name), Some(place), Some(tz), Some(contact), Some(needed)) => {
                    Some(Parsed::Office {
                        name,
                        place,
                        timezone: tz.name().to_string(),
                        contact,
                        needed,
                    })
                }
                _ => None,
            }
        }
        Kind::Rides => {
            let direction = c.field("direction", |s| {
                Direction::parse(s).map_err(|_| {
                    format!(
                        "unknown direction “{}” (expected to_office or from_office)",
                        shorten(s)
                    )
                })
            });
            let from = direction.and_then(|d| ride_far_end(&mut c, d));
            let person = person(&mut c, "driver_email", "driver_name", from.as_ref());
            let office = office(&mut c, offices);
            let depart = c.field("depart_date", parse_date);
            let seats = c.field("seats", |s| Seats::parse(s, ""));
            let detour = c.field("max_detour_km", parse_detour_km);
            match (person, office, depart, seats, detour, from, direction) {
                (
                    Some(person),
                    Some(office),
                    Some(depart_date),
                    Some(seats),
                    Some(max_detour_km),
                    Some(from),
                    Some(direction),
                ) => Some(Parsed::Ride {
                    person,
                    zip: from.zip.clone().unwrap_or_default(),
                    fields: RideFields {
                        office_id: office.id,
                        direction,
                        from,
                        depart_date,
                        depart_time: "09:00".into(),
                        seats: seats.get(),
                        max_detour_km,
                        luggage: false,
                        smoking: false,
                        pets_welcome: false,
                        step_free: false,
                        instant_accept: false,
                        notes: String::new(),
                    },
                }),
                _ => None,
            }
        }
        Kind::Stays => {
            let at = c.field("zip", place);
            let person = person(&mut c, "host_email", "host_name", at.as_ref());
            let first = c.field("first_night", parse_date);
            let last = c.field("last_night", parse_date);
            let range = match (first, last) {
                (Some(f), Some(l)) => c.field("last_night", |_| NightRange::new(f, l)),
                _ => None,
            };
            let beds = c.field("beds", Beds::parse);
            match (person, at, range, beds) {
                (Some(person), Some(place), Some(range), Some(beds)) => Some(Parsed::Stay {
                    person,
                    fields: StayFields {
                        place,
                        street: None,
                        beds: beds.get(),
                        first_night: range.first(),
                        last_night: range.last(),
                        pets_in_home: false,
                        smoking: false,
                        children_welcome: false,
                        step_free: false,
                        instant_accept: false,
                        notes: String::new(),
                        blocked: BTreeSet::new(),
                    },
                }),
                _ => None,
            }
        }
        Kind::Trips => {
            let from = c.field("from_zip", place);
            let person = person(&mut c, "traveller_email", "traveller_name", from.as_ref());
            let office = office(&mut c, offices);
            let arrive = c.field("arrive_date", parse_date);
            let leave = c.field("leave_date", parse_date);
            let dates = match (arrive, leave) {
                (Some(a), Some(l)) => c.field("leave_date", |_| TripDates::new(a, l)),
                _ => None,
            };
            let party = c.field("party_size", PartySize::parse);
            let needs_ride = c.field("needs_ride", yes_no);
            let needs_bed = c.field("needs_bed", yes_no);
            let needs_home = c.field("needs_ride_home", |s| {
                if s.is_empty() {
                    Ok(false)
                } else {
                    yes_no(s)
                }
            });
            let flex = c.field("flex_days", parse_flex_days);
            let stay_km = c.field("max_stay_km", parse_stay_km);
            match (
                person, office, dates, party, needs_ride, needs_bed, flex, stay_km, from,
                needs_home,
            ) {
                (
                    Some(person),
                    Some(office),
                    Some(dates),
                    Some(party),
                    Some(nr),
                    Some(nb),
                    Some(flex),
                    Some(km),
                    Some(from),
                    Some(needs_ride_home),
                ) => Some(Parsed::Trip {
                    person,
                    fields: TripFields {
                        office_id: office.id,
                        from,
                        arrive: dates.arrive(),
                        leave: dates.leave(),
                        party_size: party.get(),
                        needs_ride: nr,
                        needs_bed: nb,
                        needs_ride_home,
                        flex_days: flex,
                        max_stay_km: km,
                        need_step_free: false,
                        need_no_pets: false,
                        need_no_smoking: false,
                        notes: String::new(),
                    },
                }),
                _ => None,
            }
        }
    };
    match parsed {
        Some(p) if c.errors.is_empty() => Ok(p),
        _ => Err(c.errors),
    }
}

/// Writes parsed rows in one transaction; a row the database refuses rolls back everything.
async fn write(db: &Db, rows: Vec<(u64, Parsed)>, clock: &Clock) -> Result<Summary, ImportError> {
    let now = clock.now_text();
    let total = rows.len();
    let mut summary = Summary::default();
    let mut tx = db.pool.begin().await?;
    let mut people: HashMap<String, UserId> = HashMap::new();
    for (done, (line, row)) in rows.into_iter().enumerate() {
        if total >= 5_000 && done % 5_000 == 0 {
            eprintln!("importing: {done} of {total} rows");
        }
        let refused = |column: usize, message: &str| {
            ImportError::Rows(vec![RowError {
                line,
                column,
                message: message.to_string(),
            }])
        };
        match row {
            Parsed::Office {
                name,
                place,
                timezone,
                contact,
                needed,
            } => {
                let fields = OfficeFields {
                    name: name.as_str(),
                    place: &place,
                    timezone: &timezone,
                    contact_email: contact.as_ref().map(Email::as_str),
                    needed_per_day: needed,
                };
                match offices::by_name(&mut *tx, name.as_str()).await? {
                    Some(o) => {
                        offices::update(&mut *tx, o.id, &fields).await?;
                        summary.updated += 1;
                    }
                    None => {
                        offices::insert(&mut *tx, &fields, &now).await?;
                        summary.created += 1;
                    }
                }
            }
            Parsed::Ride {
                person,
                fields,
                zip,
            } => {
                let owner = owner_id(&mut tx, &mut people, &person, &now, &mut summary).await?;
                let existing = rides::same_on_import(
                    &mut *tx,
                    owner,
                    fields.office_id,
                    fields.depart_date,
                    fields.direction,
                    &zip,
                )
                .await?;
                match existing {
                    Some(id) => {
                        if !rides::update(&mut *tx, id, &fields, &now).await? {
                            return Err(refused(0, "seats would drop below those already booked"));
                        }
                        summary.updated += 1;
                    }
                    None => {
                        rides::insert(&mut *tx, owner, &fields, &now).await?;
                        summary.created += 1;
                    }
                }
            }
            Parsed::Stay { person, mut fields } => {
                let owner = owner_id(&mut tx, &mut people, &person, &now, &mut summary).await?;
                let existing = stays::same_on_import(
                    &mut *tx,
                    owner,
                    fields.place.zip.as_deref(),
                    fields.first_night,
                )
                .await?;
                match existing {
                    Some(id) => {
                        // Keep the host's blocked nights that still fall in the new range.
                        if let Some(old) = stays::by_id(&mut tx, id).await? {
                            fields.blocked = old
                                .blocked
                                .into_iter()
                                .filter(|n| (fields.first_night..=fields.last_night).contains(n))
                                .collect();
                            fields.street = old.street;
                        }
                        if !stays::update(&mut tx, id, &fields, &now).await? {
                            return Err(refused(
                                0,
                                "beds or nights would drop below those already booked",
                            ));
                        }
                        summary.updated += 1;
                    }
                    None => {
                        stays::insert(&mut tx, owner, &fields, &now).await?;
                        summary.created += 1;
                    }
                }
            }
            Parsed::Trip { person, fields } => {
                let owner = owner_id(&mut tx, &mut people, &person, &now, &mut summary).await?;
                let existing =
                    trips::same_on_import(&mut *tx, owner, fields.office_id, fields.arrive).await?;
                match existing {
                    Some(id) => {
                        trips::update(&mut *tx, id, &fields, &now).await?;
                        summary.updated += 1;
                    }
                    None => {
                        trips::insert(&mut *tx, owner, &fields, &now).await?;
                        summary.created += 1;
                    }
                }
            }
        }
    }
    tx.commit().await?;
    Ok(summary)
}

/// The account for a row's person: found by email, or created without a
/// password (they claim it later).
async fn owner_id(
    conn: &mut AnyConnection,
    cache: &mut HashMap<String, UserId>,
    p: &Person,
    now: &str,
    summary: &mut Summary,
) -> sqlx::Result<UserId> {
    if let Some(id) = cache.get(p.email.as_str()) {
        return Ok(*id);
    }
    let id = match users::by_email(&mut *conn, p.email.as_str()).await? {
        Some(u) => u.id,
        None => {
            summary.people_created += 1;
            users::insert(
                &mut *conn,
                &users::NewUser {
                    email: &p.email,
                    name: p.name.as_str(),
                    password_hash: None,
                    phone: None,
                    home: Some(&p.home),
                    is_admin: false,
                    email_verified: false,
                },
                now,
            )
            .await?
        }
    };
    cache.insert(p.email.as_str().to_string(), id);
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::physical_line;

    /// The line of each record as the import reads them.
    fn lines(text: &str) -> Vec<u64> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        reader
            .records()
            .map(|r| physical_line(text.as_bytes(), r.unwrap().position().unwrap().byte()))
            .collect()
    }

    #[test]
    fn records_are_on_their_physical_line_whatever_the_line_ends() {
        assert_eq!(lines("h1,h2\na,b\nc,d\n"), [2, 3]);
        assert_eq!(lines("h1,h2\r\na,b\r\nc,d\r\n"), [2, 3]);
        assert_eq!(lines("h1,h2\ra,b\rc,d\r"), [2, 3]);
        assert_eq!(
            lines("h1,h2\r\na,b\r\nc,d"),
            [2, 3],
            "no end on the last line"
        );
    }

    #[test]
    fn a_quoted_line_break_counts_as_a_line() {
        assert_eq!(lines("h1,h2\na,\"one\ntwo\"\nc,d\n"), [2, 4]);
        assert_eq!(lines("h1,h2\r\na,\"one\r\ntwo\"\r\nc,d\r\n"), [2, 4]);
    }

    #[test]
    fn blank_lines_count_too() {
        assert_eq!(lines("h1,h2\r\n\r\na,b\r\n"), [3]);
        assert_eq!(lines("h1,h2\n\na,b\n"), [3]);
    }
}
