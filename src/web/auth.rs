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
use crate::domain::account::{self, Email, NewPassword, PersonName, Phone};
use crate::email::links;
use crate::error::AppResult;
use crate::places::{Gazetteer, PlaceError};
use crate::state::AppState;
use crate::store::{db::is_unique_violation, users};
use crate::web::ctx::{safe_next, Form, PageCtx, QueryParams, Viewer};
use crate::web::forms::FieldErrors;

/// Failed logins per account within the window before the account is refused for a while.
pub const ACCOUNT_FAILURE_LIMIT: i64 = 5;
/// The throttling window, in minutes.
pub const FAILURE_WINDOW_MINUTES: i64 = 15;

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
    let id = match inserted {
        Ok(id) => id,
        Err(e) if is_unique_violation(&e) => {
            errors.add(
                "email",
                "An account with this email already exists. Log in instead, or use another address.",
            );
            return Ok(rerender_signup(&viewer, form, errors, suggestions).await);
        }
        Err(e) => return Err(e.into()),
    };
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
    viewer.sign_in(id).await?;
    viewer
        .flash(
            "ok",
            format!(
                "Welcome, {}! Your account is ready. We sent a link to {} to confirm your address.",
                account::first_name(name.as_str()),
                email.as_str()
            ),
        )
        .await;
    Ok(Redirect::to("/offices").into_response())
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
    if viewer.user.is_some() {
        return Redirect::to(&safe_next(q.next.as_deref())).into_response();
    }
    LoginPage {
        ctx: viewer.page().await,
        email: String::new(),
        next: safe_next(q.next.as_deref()),
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
    let next = safe_next(Some(&form.next));
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
                next: next.clone(),
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
    let (by_account, by_ip) =
        users::login_failures_since(&state.db.pool, &email_key, &ip, &since).await?;
    if by_account >= ACCOUNT_FAILURE_LIMIT || by_ip >= state.settings.login_limit_per_ip {
        return Ok(page(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "Too many failed attempts. Please wait {FAILURE_WINDOW_MINUTES} minutes and try again."
            ),
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
            users::clear_login_failures(&state.db.pool, &email_key).await?;
            viewer.sign_in(u.id).await?;
            viewer.flash("ok", "You are logged in.").await;
            Ok(Redirect::to(&next).into_response())
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
