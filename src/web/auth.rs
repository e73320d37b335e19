//! Sign up, log in, log out.

use std::net::SocketAddr;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Duration;
use serde::Deserialize;

use crate::clock::timestamp_text;
use crate::domain::account::{Email, NewPassword, PersonName, Phone};
use crate::email::links;
use crate::error::AppResult;
use crate::places::{Gazetteer, PlaceError};
use crate::state::AppState;
use crate::store::tokens::{self, Purpose};
use crate::store::{db::is_unique_violation, users};
use crate::web::ctx::{checked_next, landing, Form, PageCtx, QueryParams, Viewer};
use crate::web::forms::FieldErrors;

/// Password checks per account within the window; more are refused until
/// the window ends, a login succeeds or the password is reset.
pub const ACCOUNT_FAILURE_LIMIT: i64 = 5;
/// The throttling window, in minutes.
pub const FAILURE_WINDOW_MINUTES: i64 = 15;

/// What a refused password check says.
pub const TOO_MANY_ATTEMPTS: &str =
    "Too many failed attempts. Please wait 15 minutes and try again, or reset your password.";

/// Takes one of the account's password checks before the (slow) check
/// itself; false when the limit is reached. `email_key` is the address as
/// typed (lower case), so an unknown address is throttled like a real one.
pub async fn take_password_check(state: &AppState, email_key: &str) -> AppResult<bool> {
    let now = state.clock.now();
    Ok(users::take_login_attempt(
        &state.db.pool,
        email_key,
        &timestamp_text(now),
        &timestamp_text(now - Duration::minutes(FAILURE_WINDOW_MINUTES)),
        ACCOUNT_FAILURE_LIMIT,
    )
    .await?)
}

/// What checking a signed-in person's current password found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordCheck {
    Right,
    Wrong,
    /// Too many checks for the account lately: not checked.
    Throttled,
}

/// Checks the current password a form asks for before a sensitive change;
/// each check counts towards the same per-account limit as logins.
pub async fn check_current_password(
    state: &AppState,
    user: &users::User,
    typed: &str,
) -> AppResult<PasswordCheck> {
    if typed.is_empty() {
        return Ok(PasswordCheck::Wrong);
    }
    if !take_password_check(state, &user.email).await? {
        return Ok(PasswordCheck::Throttled);
    }
    let Some(hash) = user.password_hash.clone() else {
        return Ok(PasswordCheck::Wrong);
    };
    if !state
        .passwords
        .verify(typed.to_string(), Some(hash))
        .await?
    {
        return Ok(PasswordCheck::Wrong);
    }
    users::clear_login_failures(&mut *state.db.pool.acquire().await?, &user.email).await?;
    Ok(PasswordCheck::Right)
}

/// [`check_current_password`] for a form: a wrong password is reported
/// beside the `password` field with `wrong` (what it was needed for), a
/// throttled one with [`TOO_MANY_ATTEMPTS`] and status 429.
pub async fn confirm_current_password(
    state: &AppState,
    user: &users::User,
    typed: &str,
    wrong: &'static str,
    errors: &mut FieldErrors,
    status: &mut StatusCode,
) -> AppResult<()> {
    match check_current_password(state, user, typed).await? {
        PasswordCheck::Right => {}
        PasswordCheck::Wrong => errors.add("password", wrong),
        PasswordCheck::Throttled => {
            *status = StatusCode::TOO_MANY_REQUESTS;
            errors.add("password", TOO_MANY_ATTEMPTS);
        }
    }
    Ok(())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SignupForm {
    pub name: String,
    pub email: String,
    pub new_password: String,
    pub home: String,
    pub phone: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "auth/signup.html")]
pub struct SignupPage {
    pub ctx: PageCtx,
    pub form: SignupForm,
    pub errors: FieldErrors,
    pub suggestions: Vec<String>,
}

pub async fn signup_page(viewer: Viewer) -> SignupPage {
    SignupPage {
        ctx: viewer.page().await,
        form: SignupForm::default(),
        errors: FieldErrors::new(),
        suggestions: vec![],
    }
}

pub async fn signup(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<SignupForm>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::new();
    let mut suggestions = vec![];
    let name = errors.check("name", PersonName::parse(&form.name));
    let email = errors.check("email", Email::parse(&form.email));
    let password = errors.check(
        "new_password",
        NewPassword::parse(&form.new_password, email.as_ref().map(Email::as_str)),
    );
    let home = match Gazetteer::embedded().parse(&form.home) {
        Ok(p) => Some(p),
        Err(e) => {
            if let PlaceError::UnknownTown { suggestions: s, .. } = &e {
                suggestions = s.clone();
            }
            errors.add("home", e.to_string());
            None
        }
    };
    let phone = errors.check("phone", Phone::parse_optional(&form.phone));
    let (Some(name), Some(email), Some(password), Some(home), Some(phone)) =
        (name, email, password, home, phone)
    else {
        return Ok(rerender_signup(&viewer, form, errors, suggestions).await);
    };

    // Hashed whether or not the address is taken, so both answers take as long.
    let hash = state.passwords.hash(password).await?;
    // The account and its confirmation email commit together or not at all.
    let now = state.clock.now();
    let mut tx = state.db.pool.begin().await?;
    let inserted = users::insert(
        &mut *tx,
        &users::NewUser {
            email: &email,
            name: name.as_str(),
            password_hash: Some(&hash),
            phone: phone.as_ref().map(Phone::as_str),
            home: Some(&home),
            is_admin: false,
            email_verified: false,
        },
        &timestamp_text(now),
    )
    .await;
    match inserted {
        Ok(id) => {
            // The language they signed up in is the one their emails speak.
            users::set_language(&mut *tx, id, viewer.lang()).await?;
            links::send_verification(
                &mut tx,
                &state.settings,
                now,
                &links::Person {
                    id,
                    email: email.as_str(),
                    name: name.as_str(),
                },
            )
            .await?;
            tx.commit().await?;
        }
        Err(e) if is_unique_violation(&e) => {
            // The failed insert has aborted the transaction (PostgreSQL) and
            // may still hold SQLite's write lock: end it now, then tell the
            // address's owner in another, a few times an hour at most.
            tx.rollback().await?;
            let mut tx = state.db.pool.begin().await?;
            if let Some(owner) = users::by_email(&mut *tx, email.as_str()).await? {
                let purpose = if owner.password_hash.is_some() {
                    Purpose::ResetPassword
                } else {
                    Purpose::ClaimAccount
                };
                let since = timestamp_text(now - Duration::hours(1));
                if tokens::count_since(&mut tx, owner.id, purpose, &since).await?
                    < links::RESETS_PER_HOUR
                {
                    links::send_signup_attempt(
                        &mut tx,
                        &state.settings,
                        now,
                        &links::Person {
                            id: owner.id,
                            email: &owner.email,
                            name: &owner.name,
                        },
                        owner.password_hash.is_some(),
                    )
                    .await?;
                }
            }
            tx.commit().await?;
        }
        Err(e) => return Err(e.into()),
    }
    // The same page either way: the form does not tell who has an account.
    Ok(CheckInboxPage {
        ctx: viewer.page().await,
        email: email.as_str().to_string(),
    }
    .into_response())
}

/// What sign-up answers, whether or not the address already had an account.
#[derive(Template, WebTemplate)]
#[template(path = "auth/check_inbox.html")]
pub struct CheckInboxPage {
    pub ctx: PageCtx,
    pub email: String,
}

async fn rerender_signup(
    viewer: &Viewer,
    mut form: SignupForm,
    errors: FieldErrors,
    suggestions: Vec<String>,
) -> Response {
    form.new_password.clear();
    let page = SignupPage {
        ctx: viewer.page().await,
        form,
        errors,
        suggestions,
    };
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginQuery {
    pub next: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    pub email: String,
    pub password: String,
    pub next: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "auth/login.html")]
pub struct LoginPage {
    pub ctx: PageCtx,
    pub email: String,
    pub next: String,
    pub problem: Option<String>,
    pub errors: FieldErrors,
}

pub async fn login_page(viewer: Viewer, QueryParams(q): QueryParams<LoginQuery>) -> Response {
    let next = checked_next(q.next.as_deref());
    if let Some(u) = &viewer.user {
        let to = next.unwrap_or_else(|| landing(u.is_admin, &viewer.staff_of));
        return Redirect::to(&to).into_response();
    }
    LoginPage {
        ctx: viewer.page().await,
        email: String::new(),
        // Empty: no page asked for, so the login lands where the person works.
        next: next.unwrap_or_default(),
        problem: None,
        errors: FieldErrors::new(),
    }
    .into_response()
}

pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    viewer: Viewer,
    Form(form): Form<LoginForm>,
) -> AppResult<Response> {
    let next = checked_next(Some(&form.next));
    // Whatever was typed is only a lookup key here; keep it storable.
    let email_key: String = form
        .email
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_control())
        .take(254)
        .collect();
    let ip = addr.ip().to_string();
    let page = |status: StatusCode, problem: String, ctx: PageCtx| {
        (
            status,
            LoginPage {
                ctx,
                email: form.email.clone(),
                next: next.clone().unwrap_or_default(),
                problem: Some(problem),
                errors: FieldErrors::new(),
            },
        )
            .into_response()
    };
    if email_key.is_empty() || form.password.is_empty() {
        return Ok(page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Enter your email and password.".into(),
            viewer.page().await,
        ));
    }

    let now = state.clock.now();
    let since = timestamp_text(now - Duration::minutes(FAILURE_WINDOW_MINUTES));
    let by_ip = users::login_failures_from(&state.db.pool, &ip, &since).await?;
    if by_ip >= state.settings.login_limit_per_ip
        || !take_password_check(&state, &email_key).await?
    {
        return Ok(page(
            StatusCode::TOO_MANY_REQUESTS,
            TOO_MANY_ATTEMPTS.into(),
            viewer.page().await,
        ));
    }

    let user = users::by_email(&state.db.pool, &email_key).await?;
    // Without an account (or a password) a dummy hash is checked: a wrong
    // email takes as long as a wrong password.
    let hash = user.as_ref().and_then(|u| u.password_hash.clone());
    let ok = state.passwords.verify(form.password.clone(), hash).await?;
    match user {
        Some(u) if ok && u.password_hash.is_some() => {
            users::clear_login_failures(&mut *state.db.pool.acquire().await?, &email_key).await?;
            viewer.sign_in(u.id).await?;
            viewer.flash("ok", "You are logged in.").await;
            let to = match next {
                Some(n) => n,
                None => {
                    let staff_of = users::with_staff_offices(&state.db.pool, u.id)
                        .await?
                        .map(|(_, offices)| offices)
                        .unwrap_or_default();
                    landing(u.is_admin, &staff_of)
                }
            };
            Ok(Redirect::to(&to).into_response())
        }
        _ => {
            users::record_login_failure(&state.db.pool, &email_key, &ip, &state.clock.now_text())
                .await?;
            Ok(page(
                StatusCode::UNAUTHORIZED,
                "That email and password don't match an account. Check both and try again.".into(),
                viewer.page().await,
            ))
        }
    }
}

pub async fn logout(viewer: Viewer) -> AppResult<Redirect> {
    viewer.sign_out().await?;
    viewer
        .flash("ok", "You are logged out. See you soon!")
        .await;
    Ok(Redirect::to("/"))
}
