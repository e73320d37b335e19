//! Demo data: battleground field offices and volunteers from safe-state
//! metros, the same on every load (fixed seed), so the README's first command
//! shows a living site.

use anyhow::Context;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::clock::Clock;
use crate::domain::account::{hash_password, Email};
use crate::domain::office::default_time_zone;
use crate::places::Gazetteer;
use crate::store::{meta, offices, users, Db};

/// The demo logins, also written in the README.
pub const DEMO_PASSWORD: &str = "field-office-2026";
pub const ADMIN_EMAIL: &str = "admin@example.org";
pub const STAFF_EMAIL: &str = "staff@example.org";
pub const VOLUNTEER_EMAIL: &str = "volunteer@example.org";
/// The office the demo staff member runs.
pub const STAFF_OFFICE: &str = "Milwaukee Field Office";

/// (name, ZIP, volunteers needed per day)
const OFFICES: &[(&str, &str, i64)] = &[
    ("Reno Field Office", "89501", 25),
    ("Las Vegas Field Office", "89101", 40),
    ("Phoenix Field Office", "85004", 40),
    ("Tucson Field Office", "85701", 20),
    ("Denver Field Office", "80202", 30),
    ("Milwaukee Field Office", "53202", 35),
    ("Madison Field Office", "53703", 20),
    ("Green Bay Field Office", "54301", 15),
    ("Detroit Field Office", "48226", 40),
    ("Grand Rapids Field Office", "49503", 20),
    ("Philadelphia Field Office", "19107", 50),
    ("Pittsburgh Field Office", "15222", 30),
    ("Erie Field Office", "16501", 15),
    ("Raleigh Field Office", "27601", 25),
    ("Charlotte Field Office", "28202", 30),
    ("Atlanta Field Office", "30303", 45),
    ("Savannah Field Office", "31401", 15),
    ("Tampa Field Office", "33602", 30),
    ("Orlando Field Office", "32801", 30),
    ("Columbus Field Office", "43215", 25),
    ("Richmond Field Office", "23219", 20),
    ("Manchester Field Office", "03101", 20),
];

/// Safe-state metro ZIPs that volunteers travel from.
const HOME_ZIPS: &[&str] = &[
    "94110", "94612", "90012", "92101", "95814", "10001", "11201", "14202", "60601", "60201",
    "02139", "02108", "98101", "97205", "21201", "07302", "78701", "84101", "37203", "46204",
    "55401", "06511", "19801", "96813",
];

const FIRST: &[&str] = &[
    "Ana", "Ben", "Carla", "Dev", "Elena", "Farid", "Grace", "Hiro", "Imani", "Jonas", "Keisha",
    "Luis", "Maya", "Nikhil", "Olivia", "Pedro", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Victor",
    "Wen", "Ximena", "Yusuf", "Zoe",
];
const LAST: &[&str] = &[
    "Alvarez",
    "Brooks",
    "Chen",
    "Diaz",
    "Evans",
    "Fischer",
    "Garcia",
    "Huang",
    "Ibrahim",
    "Johnson",
    "Kowalski",
    "Lee",
    "Martin",
    "Nguyen",
    "Okafor",
    "Patel",
    "Quintero",
    "Rossi",
    "Smith",
    "Tanaka",
    "Usman",
    "Volkov",
    "Williams",
    "Xu",
    "Young",
    "Zimmerman",
];

/// How many generated volunteers the demo has (besides the three logins).
pub const VOLUNTEERS: usize = 300;

/// Loads the demo into an empty database (no users and no offices) and
/// returns true; leaves a non-empty one alone and returns false. Several
/// instances may call this at once: the `app_meta` claim lets one win.
pub async fn load_if_empty(db: &Db, clock: &Clock) -> anyhow::Result<bool> {
    // One hash for every demo account: hashing hundreds would take seconds.
    let hash = tokio::task::spawn_blocking(|| hash_password(DEMO_PASSWORD)).await??;
    let now = clock.now_text();
    let mut tx = db.pool.begin().await?;
    if !meta::claim(&mut *tx, "demo_loaded", &now).await? {
        return Ok(false);
    }
    if users::count(&mut *tx).await? > 0 || offices::count(&mut *tx).await? > 0 {
        tx.rollback().await?;
        return Ok(false);
    }
    let gaz = Gazetteer::embedded();
    let mut office_ids = vec![];
    for (name, zip, needed) in OFFICES {
        let place = gaz
            .zip(zip)
            .with_context(|| format!("demo ZIP {zip} is not in the gazetteer"))?;
        let tz = default_time_zone(&place.state);
        let contact = format!(
            "{}@example.org",
            name.split(' ').next().unwrap_or("office").to_lowercase()
        );
        let id = offices::insert(
            &mut *tx,
            &offices::OfficeFields {
                name,
                place: &place,
                timezone: tz.name(),
                contact_email: Some(&contact),
                needed_per_day: Some(*needed),
            },
            &now,
        )
        .await?;
        office_ids.push((name.to_string(), id));
    }

    let mut rng = StdRng::seed_from_u64(2026);
    let logins = [
        (ADMIN_EMAIL, "Alex Admin", true, "60601"),
        (STAFF_EMAIL, "Sasha Staff", false, "53202"),
        (VOLUNTEER_EMAIL, "Val Volunteer", false, "94110"),
    ];
    let mut login_ids = vec![];
    for (email, name, is_admin, zip) in logins {
        let home = gaz.zip(zip).context("demo ZIP missing")?;
        let id = users::insert(
            &mut *tx,
            &users::NewUser {
                email: &Email::parse(email).map_err(anyhow::Error::msg)?,
                name,
                password_hash: Some(&hash),
                phone: Some("(555) 010-0000"),
                home: Some(&home),
                is_admin,
                email_verified: true,
            },
            &now,
        )
        .await?;
        login_ids.push(id);
    }
    let staff_office = office_ids
        .iter()
        .find(|(n, _)| n == STAFF_OFFICE)
        .map(|(_, id)| *id)
        .context("staff office missing")?;
    offices::add_staff(&mut *tx, staff_office, login_ids[1]).await?;

    for i in 0..VOLUNTEERS {
        let first = FIRST[rng.gen_range(0..FIRST.len())];
        let last = LAST[rng.gen_range(0..LAST.len())];
        let zip = HOME_ZIPS[rng.gen_range(0..HOME_ZIPS.len())];
        let home = gaz.zip(zip).context("demo ZIP missing")?;
        let email = format!(
            "{}.{}.{}@example.net",
            first.to_lowercase(),
            last.to_lowercase(),
            i + 1
        );
        let phone = format!(
            "(555) {:03}-{:04}",
            rng.gen_range(100..999),
            rng.gen_range(0..9999)
        );
        users::insert(
            &mut *tx,
            &users::NewUser {
                email: &Email::parse(&email).map_err(anyhow::Error::msg)?,
                name: &format!("{first} {last}"),
                password_hash: Some(&hash),
                phone: Some(&phone),
                home: Some(&home),
                is_admin: false,
                email_verified: true,
            },
            &now,
        )
        .await?;
    }
    tx.commit().await?;
    tracing::info!(
        offices = OFFICES.len(),
        volunteers = VOLUNTEERS,
        "demo data loaded"
    );
    Ok(true)
}

/// Tells the person at the terminal how to get in.
pub fn print_logins(url: &str) {
    eprintln!("Demo logins (password for all: {DEMO_PASSWORD}):");
    eprintln!("  admin      {ADMIN_EMAIL}");
    eprintln!("  staff      {STAFF_EMAIL}  ({STAFF_OFFICE})");
    eprintln!("  volunteer  {VOLUNTEER_EMAIL}");
    eprintln!("Open {url} in a browser.");
}
