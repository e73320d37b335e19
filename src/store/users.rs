//! Accounts, staff assignments and failed-login bookkeeping.

use crate::domain::ids::{OfficeId, UserId};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyExecutor, Row};

use crate::domain::account::Email;
use crate::domain::distance::Unit;
use crate::i18n::Lang;
use crate::places::{LatLon, Place};

/// An account as the app uses it.
#[derive(Clone, Debug)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub phone: Option<String>,
    pub home: Option<Place>,
    pub is_admin: bool,
    pub email_verified: bool,
    pub password_hash: Option<String>,
    /// The unit pages and emails show this person distances in.
    pub distance_unit: Unit,
    /// The language this person chose; `None` until they choose.
    pub language: Option<Lang>,
}

const COLUMNS: &str =
    "id, email, name, phone, home_zip, home_city, home_state, home_lat, home_lon, \
                       is_admin, email_verified, password_hash, distance_unit, language";

fn from_row(r: &AnyRow) -> sqlx::Result<User> {
    let city: Option<String> = r.try_get("home_city")?;
    let state: Option<String> = r.try_get("home_state")?;
    let lat: Option<f64> = r.try_get("home_lat")?;
    let lon: Option<f64> = r.try_get("home_lon")?;
    let home = match (city, state, lat, lon) {
        (Some(city), Some(state), Some(lat), Some(lon)) => Some(Place {
            zip: r.try_get("home_zip")?,
            city,
            state,
            point: LatLon { lat, lon },
        }),
        _ => None,
    };
    Ok(User {
        id: r.try_get("id")?,
        email: r.try_get("email")?,
        name: r.try_get("name")?,
        phone: r.try_get("phone")?,
        home,
        is_admin: r.try_get::<i64, _>("is_admin")? != 0,
        email_verified: r.try_get::<i64, _>("email_verified")? != 0,
        password_hash: r.try_get("password_hash")?,
        // The column's CHECK allows only the two stored forms.
        distance_unit: Unit::parse(&r.try_get::<String, _>("distance_unit")?).unwrap_or_default(),
        language: r
            .try_get::<Option<String>, _>("language")?
            .as_deref()
            .and_then(Lang::parse),
    })
}

/// What sign-up (or an import, or `admin create`) knows about a new person.
pub struct NewUser<'a> {
    pub email: &'a Email,
    pub name: &'a str,
    pub password_hash: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub home: Option<&'a Place>,
    pub is_admin: bool,
    pub email_verified: bool,
}

/// Inserts a user; a duplicate email surfaces as a unique violation.
pub async fn insert(ex: impl AnyExecutor<'_>, u: &NewUser<'_>, now: &str) -> sqlx::Result<UserId> {
    // Without a home the point columns are left out rather than bound as NULL:
    // sqlx's Any driver types a NULL f64 as float4 on PostgreSQL, which then
    // breaks the cached statement for the next real f64 on that connection.
    let sql = if u.home.is_some() {
        "INSERT INTO users (email, name, password_hash, phone, is_admin, email_verified, created_at, \
         home_zip, home_city, home_state, home_lat, home_lon) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id"
    } else {
        "INSERT INTO users (email, name, password_hash, phone, is_admin, email_verified, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"
    };
    let mut q = sqlx::query(sql)
        .bind(u.email.as_str())
        .bind(u.name)
        .bind(u.password_hash)
        .bind(u.phone)
        .bind(i64::from(u.is_admin))
        .bind(i64::from(u.email_verified))
        .bind(now);
    if let Some(h) = u.home {
        q = q
            .bind(h.zip.clone())
            .bind(h.city.clone())
            .bind(h.state.clone())
            .bind(h.point.lat)
            .bind(h.point.lon);
    }
    q.fetch_one(ex).await?.try_get("id")
}

pub async fn by_id(ex: impl AnyExecutor<'_>, id: UserId) -> sqlx::Result<Option<User>> {
    sqlx::query(&format!("SELECT {COLUMNS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(ex)
        .await?
        .map(|r| from_row(&r))
        .transpose()
}

/// The users with these ids (any order; missing ids are left out).
pub async fn by_ids(ex: impl AnyExecutor<'_>, ids: &[UserId]) -> sqlx::Result<Vec<User>> {
    super::rows::fetch_by_ids(
        ex,
        &format!("SELECT {COLUMNS} FROM users WHERE id"),
        ids,
        "",
    )
    .await?
    .iter()
    .map(from_row)
    .collect()
}

pub async fn by_email(ex: impl AnyExecutor<'_>, email: &str) -> sqlx::Result<Option<User>> {
    sqlx::query(&format!("SELECT {COLUMNS} FROM users WHERE email = $1"))
        .bind(email)
        .fetch_optional(ex)
        .await?
        .map(|r| from_row(&r))
        .transpose()
}

/// Sets the unit a person reads distances in.
pub async fn set_distance_unit(
    ex: impl AnyExecutor<'_>,
    id: UserId,
    unit: Unit,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET distance_unit = $1 WHERE id = $2")
        .bind(unit.as_str())
        .bind(id)
        .execute(ex)
        .await?;
    Ok(())
}

/// Sets the language a person reads pages and emails in.
pub async fn set_language(ex: impl AnyExecutor<'_>, id: UserId, lang: Lang) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET language = $1 WHERE id = $2")
        .bind(lang.code())
        .bind(id)
        .execute(ex)
        .await?;
    Ok(())
}

/// The language emails to a person go out in: their choice, else English.
pub async fn language_of(ex: impl AnyExecutor<'_>, id: UserId) -> sqlx::Result<Lang> {
    let code: Option<Option<String>> =
        sqlx::query_scalar("SELECT language FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(ex)
            .await?;
    Ok(lang_or_english(code))
}

/// The language emails to an address go out in: its account's choice, else English.
pub async fn language_of_email(ex: impl AnyExecutor<'_>, email: &str) -> sqlx::Result<Lang> {
    let code: Option<Option<String>> =
        sqlx::query_scalar("SELECT language FROM users WHERE email = $1")
            .bind(email)
            .fetch_optional(ex)
            .await?;
    Ok(lang_or_english(code))
}

/// A stored language column (no row, NULL or a code) as the language to write in.
fn lang_or_english(code: Option<Option<String>>) -> Lang {
    code.flatten()
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or_default()
}

/// Sets or replaces the admin flag and password of an existing account.
pub async fn make_admin(
    ex: impl AnyExecutor<'_>,
    id: UserId,
    password_hash: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE users SET is_admin = 1, password_hash = $1, email_verified = 1 WHERE id = $2",
    )
    .bind(password_hash)
    .bind(id)
    .execute(ex)
    .await?;
    Ok(())
}

/// A user with the offices they are staff of, in one read (every request
/// needs both: the navigation shows the staff link).
pub async fn with_staff_offices(
    ex: impl AnyExecutor<'_>,
    id: UserId,
) -> sqlx::Result<Option<(User, Vec<OfficeId>)>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS}, s.office_id FROM users LEFT JOIN office_staff s ON s.user_id = users.id \
         WHERE users.id = $1 ORDER BY s.office_id"
    ))
    .bind(id)
    .fetch_all(ex)
    .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let offices = rows
        .iter()
        .filter_map(|r| r.try_get::<Option<OfficeId>, _>("office_id").transpose())
        .collect::<sqlx::Result<Vec<OfficeId>>>()?;
    Ok(Some((from_row(first)?, offices)))
}

pub async fn count(ex: impl AnyExecutor<'_>) -> sqlx::Result<i64> {
    sqlx::query("SELECT COUNT(*) AS n FROM users")
        .fetch_one(ex)
        .await?
        .try_get("n")
}

/// Records a failed login for throttling.
pub async fn record_login_failure(
    ex: impl AnyExecutor<'_>,
    email: &str,
    ip: &str,
    now: &str,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO login_failures (email, ip, at) VALUES ($1, $2, $3)")
        .bind(email)
        .bind(ip)
        .bind(now)
        .execute(ex)
        .await?;
    Ok(())
}

/// Failed logins from an address since `since`.
pub async fn login_failures_from(
    ex: impl AnyExecutor<'_>,
    ip: &str,
    since: &str,
) -> sqlx::Result<i64> {
    sqlx::query("SELECT COUNT(*) AS n FROM login_failures WHERE ip = $1 AND at >= $2")
        .bind(ip)
        .bind(since)
        .fetch_one(ex)
        .await?
        .try_get("n")
}

/// Takes one password check for `email` (as typed) at `now`: true when taken,
/// false when `limit` checks were already taken in the window that started
/// after `window_after`. One guarded upsert: the database counts, so parallel
/// requests and other instances cannot slip past the limit.
pub async fn take_login_attempt(
    ex: impl AnyExecutor<'_>,
    email: &str,
    now: &str,
    window_after: &str,
    limit: i64,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO login_attempts (email, window_start, n) VALUES ($1, $2, 1) \
         ON CONFLICT (email) DO UPDATE SET \
         n = CASE WHEN login_attempts.window_start <= $3 THEN 1 ELSE login_attempts.n + 1 END, \
         window_start = CASE WHEN login_attempts.window_start <= $3 THEN $2 \
         ELSE login_attempts.window_start END \
         WHERE login_attempts.window_start <= $3 OR login_attempts.n < $4",
    )
    .bind(email)
    .bind(now)
    .bind(window_after)
    .bind(limit)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Forgets an account's password checks and failures (after a successful
/// login or a password reset).
pub async fn clear_login_failures(conn: &mut AnyConnection, email: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM login_attempts WHERE email = $1")
        .bind(email)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM login_failures WHERE email = $1")
        .bind(email)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Marks an address confirmed, if the account still uses it; false otherwise.
pub async fn mark_verified(
    ex: impl AnyExecutor<'_>,
    id: UserId,
    email: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query("UPDATE users SET email_verified = 1 WHERE id = $1 AND email = $2")
        .bind(id)
        .bind(email)
        .execute(ex)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Replaces a password (a reset link proves the address, so it is confirmed too).
pub async fn set_password(
    ex: impl AnyExecutor<'_>,
    id: UserId,
    password_hash: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1, email_verified = 1 WHERE id = $2")
        .bind(password_hash)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(())
}

/// Replaces a password its owner changed while signed in.
pub async fn change_password(
    ex: impl AnyExecutor<'_>,
    id: UserId,
    password_hash: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(())
}

/// Gives an imported account its first password; false if it already has one.
pub async fn claim(
    ex: impl AnyExecutor<'_>,
    id: UserId,
    password_hash: &str,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE users SET password_hash = $1, email_verified = 1 WHERE id = $2 AND password_hash IS NULL",
    )
    .bind(password_hash)
    .bind(id)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Switches an account to a confirmed new address; another account already
/// using it surfaces as a unique violation.
pub async fn change_email(ex: impl AnyExecutor<'_>, id: UserId, email: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE users SET email = $1, email_verified = 1 WHERE id = $2")
        .bind(email)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(())
}

/// Imported people who have not claimed their account and were not sent a
/// claim link since `since`.
pub async fn unclaimed_not_invited_since(
    ex: impl AnyExecutor<'_>,
    since: &str,
) -> sqlx::Result<Vec<User>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM users u WHERE password_hash IS NULL AND NOT EXISTS \
         (SELECT 1 FROM tokens t WHERE t.user_id = u.id AND t.purpose = $1 AND t.created_at >= $2) \
         ORDER BY id"
    ))
    .bind(crate::store::tokens::Purpose::ClaimAccount.as_str())
    .bind(since)
    .fetch_all(ex)
    .await?
    .iter()
    .map(from_row)
    .collect()
}
