//! Who is asking, and what every page shows around its content (navigation,
//! flash messages). Also the extractors that turn bad paths and forms into
//! friendly errors instead of framework text that echoes the input.

use crate::domain::ids::{OfficeId, UserId};
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use crate::domain::account::first_name;
use crate::error::{AppError, AppResult};
use crate::i18n::{Lang, ToArg};
use crate::state::AppState;
use crate::store::sessions::USER_KEY;
use crate::store::users::{self, User};

const FLASH_KEY: &str = "flash";

/// A one-time message shown on the next page.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Flash {
    /// `ok` or `error`: a CSS class.
    pub kind: String,
    pub text: String,
}

/// What the navigation needs to know about the signed-in person.
#[derive(Clone, Debug)]
pub struct NavUser {
    pub first_name: String,
    pub is_admin: bool,
    pub is_staff: bool,
    /// False until the person confirms their address: pages then show a notice.
    pub email_verified: bool,
    /// Staff's way to their work: (href, label) of their office's dashboard,
    /// or of the choice among their offices' dashboards.
    pub dashboard: Option<(String, &'static str)>,
}

/// The frame around every page.
#[derive(Clone, Debug, Default)]
pub struct PageCtx {
    pub user: Option<NavUser>,
    pub flashes: Vec<Flash>,
    /// The language the page is written in (`<html lang>`).
    pub lang: Lang,
    /// The page's own path and query, where the language switcher comes back to.
    pub path: String,
}

/// The messages a page shows, in its language. Templates call these:
/// `{{ ctx.t("nav-offices") }}`, `{{ ctx.t1("trip-title", "office", trip.office_name) }}`.
impl PageCtx {
    /// For pages rendered without a request (error pages).
    pub fn anonymous() -> PageCtx {
        PageCtx {
            path: "/".into(),
            ..PageCtx::default()
        }
    }

    /// The message `key`.
    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    /// The message `key` with one argument.
    pub fn t1(&self, key: &str, name: &'static str, value: impl ToArg) -> String {
        self.lang.t_args(key, &[(name, &value)])
    }

    /// The message `key` with two arguments.
    pub fn t2(
        &self,
        key: &str,
        n1: &'static str,
        v1: impl ToArg,
        n2: &'static str,
        v2: impl ToArg,
    ) -> String {
        self.lang.t_args(key, &[(n1, &v1), (n2, &v2)])
    }

    /// The message `key` with three arguments.
    #[allow(clippy::too_many_arguments)]
    pub fn t3(
        &self,
        key: &str,
        n1: &'static str,
        v1: impl ToArg,
        n2: &'static str,
        v2: impl ToArg,
        n3: &'static str,
        v3: impl ToArg,
    ) -> String {
        self.lang.t_args(key, &[(n1, &v1), (n2, &v2), (n3, &v3)])
    }

    /// An English text made in Rust (a flash, an error), in the page's
    /// language when the catalogue has it.
    pub fn tr(&self, english: &str) -> String {
        self.lang.translate_english(english)
    }

    /// "Saturday October 31" / "sábado 31 de octubre".
    pub fn date_long(&self, d: &chrono::NaiveDate) -> String {
        self.lang.date_long(*d)
    }

    /// "Saturday October 31, 2026" / "sábado 31 de octubre de 2026".
    pub fn date_long_year(&self, d: &chrono::NaiveDate) -> String {
        self.lang.date_long_year(*d)
    }

    /// "Sat Oct 31" / "sáb 31 oct".
    pub fn date_day(&self, d: &chrono::NaiveDate) -> String {
        self.lang.date_day(*d)
    }

    /// "Oct 31" / "31 oct".
    pub fn date_short(&self, d: &chrono::NaiveDate) -> String {
        self.lang.date_short(*d)
    }

    /// "Oct 31, 2026" / "31 oct 2026".
    pub fn date_short_year(&self, d: &chrono::NaiveDate) -> String {
        self.lang.date_short_year(*d)
    }

    /// The languages the footer offers, other than the page's own.
    pub fn other_langs(&self) -> Vec<Lang> {
        Lang::ALL.into_iter().filter(|l| *l != self.lang).collect()
    }

    /// Adds a confirmation that came with the request rather than the session.
    pub fn with_ok(mut self, text: Option<&str>) -> PageCtx {
        if let Some(text) = text {
            self.flashes.push(Flash {
                kind: "ok".into(),
                text: text.into(),
            });
        }
        self
    }
}

/// The person behind a request (maybe nobody) and their session.
pub struct Viewer {
    pub session: Session,
    pub user: Option<User>,
    pub staff_of: Vec<OfficeId>,
    path: String,
    /// The language pages are shown in (see [`Viewer::lang`]).
    lang: Lang,
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(|(_, m)| AppError::Internal(anyhow::anyhow!("session layer missing: {m}")))?;
        let path = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into());
        Viewer::load(state, session, path, request_lang(&parts.headers)).await
    }
}

/// The name of the cookie that keeps a visitor's language choice.
pub const LANG_COOKIE: &str = "lang";

/// The language a request asks for by itself: the visitor's choice kept in
/// the cookie, else the browser's `Accept-Language`.
pub fn request_lang(headers: &HeaderMap) -> Option<Lang> {
    let from_cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == LANG_COOKIE)
        .and_then(|(_, value)| Lang::parse(value));
    from_cookie.or_else(|| {
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(Lang::from_accept_language)
    })
}

impl Viewer {
    /// The person signed in on `session`, asking for `path` in `asked`
    /// ([`request_lang`]) (also used outside handlers, to draw error pages
    /// in the viewer's frame).
    pub async fn load(
        state: &AppState,
        session: Session,
        path: String,
        asked: Option<Lang>,
    ) -> AppResult<Viewer> {
        let uid: Option<UserId> = session
            .get(USER_KEY)
            .await
            .map_err(|e| AppError::Internal(e.into()))?;
        let (user, staff_of) = match uid {
            Some(id) => match users::with_staff_offices(&state.db.pool, id).await? {
                Some((u, staff)) => (Some(u), staff),
                None => (None, vec![]),
            },
            None => (None, vec![]),
        };
        // A choice saved on the account wins over the browser's wishes.
        let lang = user
            .as_ref()
            .and_then(|u| u.language)
            .or(asked)
            .unwrap_or_default();
        Ok(Viewer {
            session,
            user,
            staff_of,
            path,
            lang,
        })
    }

    /// The language of this person's pages: the choice on their account,
    /// else the one kept in the cookie, else `Accept-Language`, else English.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The signed-in user, or a redirect to the login page that comes back here.
    pub fn require_user(&self) -> AppResult<&User> {
        self.user.as_ref().ok_or_else(|| AppError::SignInRequired {
            next: self.path.clone(),
        })
    }

    /// The signed-in user with a confirmed email address: only they may offer
    /// seats or beds and send requests.
    pub fn require_verified(&self) -> AppResult<&User> {
        let u = self.require_user()?;
        if u.email_verified {
            Ok(u)
        } else {
            Err(AppError::Conflict(
                "Please confirm your email address first: open the link we sent you when you signed up.".into(),
            ))
        }
    }

    /// The signed-in admin; others get 403.
    pub fn require_admin(&self) -> AppResult<&User> {
        let u = self.require_user()?;
        if u.is_admin {
            Ok(u)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The unit this person reads distances in (miles for visitors).
    pub fn unit(&self) -> crate::domain::distance::Unit {
        self.user
            .as_ref()
            .map(|u| u.distance_unit)
            .unwrap_or_default()
    }

    /// Whether this person may see staff-only details of an office.
    pub fn is_staff_of(&self, office_id: OfficeId) -> bool {
        self.user.as_ref().is_some_and(|u| u.is_admin) || self.staff_of.contains(&office_id)
    }

    /// The page frame; takes (and so clears) pending flash messages.
    pub async fn page(&self) -> PageCtx {
        let flashes: Vec<Flash> = self
            .session
            .get(FLASH_KEY)
            .await
            .ok()
            .flatten()
            .unwrap_or_default();
        if !flashes.is_empty() {
            let _ = self.session.remove::<Vec<Flash>>(FLASH_KEY).await;
        }
        PageCtx {
            user: self.user.as_ref().map(|u| NavUser {
                first_name: first_name(&u.name).to_string(),
                is_admin: u.is_admin,
                is_staff: !self.staff_of.is_empty(),
                email_verified: u.email_verified,
                dashboard: dashboard_link(&self.staff_of),
            }),
            flashes,
            lang: self.lang,
            path: self.path.clone(),
        }
    }

    /// Queues a message for the next page.
    pub async fn flash(&self, kind: &str, text: impl Into<String>) {
        flash(&self.session, kind, text).await;
    }

    /// Signs `user_id` in with a fresh session id (no fixation).
    pub async fn sign_in(&self, user_id: UserId) -> AppResult<()> {
        self.session
            .cycle_id()
            .await
            .map_err(|e| AppError::Internal(e.into()))?;
        self.session
            .insert(USER_KEY, user_id)
            .await
            .map_err(|e| AppError::Internal(e.into()))
    }

    /// Ends the session entirely: its row and data go, and whatever the
    /// browser keeps from here on (a goodbye message) lives under a new id.
    pub async fn sign_out(&self) -> AppResult<()> {
        self.session
            .flush()
            .await
            .map_err(|e| AppError::Internal(e.into()))?;
        // Without this, the next write would recreate the session under the old id.
        self.session
            .cycle_id()
            .await
            .map_err(|e| AppError::Internal(e.into()))
    }
}

/// Whether someone is signed in on this session (its pages are personal).
pub async fn signed_in(session: &Session) -> bool {
    matches!(session.get::<UserId>(USER_KEY).await, Ok(Some(_)))
}

/// Queues a message on a session for the next page.
pub async fn flash(session: &Session, kind: &str, text: impl Into<String>) {
    let mut list: Vec<Flash> = session
        .get(FLASH_KEY)
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    list.push(Flash {
        kind: kind.into(),
        text: text.into(),
    });
    let _ = session.insert(FLASH_KEY, list).await;
}

/// A path parameter; anything that does not parse is simply "not found".
pub struct PathParam<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for PathParam<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(t)| PathParam(t))
            .map_err(|_| AppError::NotFound)
    }
}

/// A query string; one that does not parse is a plain "invalid" page.
pub struct QueryParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for QueryParams<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(t)| QueryParams(t))
            .map_err(|_| {
                AppError::Invalid("The address has parameters we don't understand.".into())
            })
    }
}

/// A urlencoded form; one that does not parse is a plain "invalid" page.
pub struct Form<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequest<S> for Form<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        axum::Form::<T>::from_request(req, state)
            .await
            .map(|axum::Form(t)| Form(t))
            .map_err(|rejection| {
                // A body past the size limit without a Content-Length (sent
                // in chunks) is only caught here, while it is read.
                if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::TooLarge
                } else {
                    AppError::Invalid(
                        "The form could not be read. Please go back and try again.".into(),
                    )
                }
            })
    }
}

/// Only same-site paths may be redirect targets (no open redirects).
pub fn safe_next(next: Option<&str>) -> String {
    checked_next(next).unwrap_or_else(|| "/".into())
}

/// `next` if it is a same-site path, else `None` (also when empty or absent).
pub fn checked_next(next: Option<&str>) -> Option<String> {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && n.len() <= 2000
                && n.bytes().all(|b| (0x21..0x7f).contains(&b) && b != b'\\') =>
        {
            Some(n.to_string())
        }
        _ => None,
    }
}

/// Where a person lands after logging in without a `next`: where they work.
/// Staff of one office: its dashboard; of several: the choice among them;
/// an admin who runs no office: the admin page; everyone else: their trips.
pub fn landing(is_admin: bool, staff_of: &[OfficeId]) -> String {
    match staff_of {
        [] if is_admin => "/admin".into(),
        [] => "/me".into(),
        [one] => format!("/offices/{one}/dashboard"),
        _ => "/dashboards".into(),
    }
}

/// The navigation's link for staff: their dashboard, or their dashboards.
pub fn dashboard_link(staff_of: &[OfficeId]) -> Option<(String, &'static str)> {
    match staff_of {
        [] => None,
        [one] => Some((format!("/offices/{one}/dashboard"), "Dashboard")),
        _ => Some(("/dashboards".into(), "Dashboards")),
    }
}

/// Percent-encodes a query value.
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
