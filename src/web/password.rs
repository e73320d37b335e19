//! Setting a password from an emailed link: "forgot my password" and its
//! reset link, and claiming an account that an import created; and changing
//! it while signed in. Every new password ends the account's other sessions.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Duration;
use serde::Deserialize;

use crate::clock::timestamp_text;
use crate::domain::account::{Email, NewPassword};
use crate::email::links::{self, Person};
use crate::error::AppResult;
use crate::state::AppState;
use crate::store::sessions;
use crate::store::tokens::{self, Purpose, Token, TokenProblem};
use crate::store::users::{self, User};
use crate::web::account::link_problem;
use crate::web::auth::confirm_current_password;
use crate::web::ctx::{Form, PageCtx, PathParam, Viewer};
use crate::web::forms::FieldErrors;

pub use crate::email::links::RESETS_PER_HOUR;

/// What the forgotten-password form says whether or not the account exists.
pub const FORGOT_ANSWER: &str = "If an account uses that address, we sent it a link to choose a new password. The link works for one hour.";

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ForgotForm {
    pub email: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "account/forgot.html")]
pub struct ForgotPage {
    pub ctx: PageCtx,
    pub email: String,
    pub errors: FieldErrors,
}

/// GET /password/forgot
pub async fn forgot_page(viewer: Viewer) -> ForgotPage {
    ForgotPage {
        ctx: viewer.page().await,
        email: String::new(),
        errors: FieldErrors::new(),
    }
}

/// POST /password/forgot: the same answer whether or not the address has an
/// account. An imported account without a password gets its claim link instead.
pub async fn forgot(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<ForgotForm>,
) -> AppResult<Response> {
    let email = match Email::parse(&form.email) {
        Ok(e) => e,
        Err(e) => {
            let mut errors = FieldErrors::new();
            errors.add("email", e);
            let page = ForgotPage {
                ctx: viewer.page().await,
                email: form.email,
                errors,
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let now = state.clock.now();
    let mut tx = state.db.pool.begin().await?;
    if let Some(user) = users::by_email(&mut *tx, email.as_str()).await? {
        let purpose = if user.password_hash.is_some() {
            Purpose::ResetPassword
        } else {
            Purpose::ClaimAccount
        };
        let since = timestamp_text(now - Duration::hours(1));
        if tokens::count_since(&mut tx, user.id, purpose, &since).await? < RESETS_PER_HOUR {
            let person = Person {
                id: user.id,
                email: &user.email,
                name: &user.name,
            };
            match purpose {
                Purpose::ResetPassword => {
                    links::send_password_reset(&mut tx, &state.settings, now, &person).await?
                }
                _ => links::send_claim_invitation(&mut tx, &state.settings, now, &person).await?,
            }
        }
    }
    tx.commit().await?;
    viewer.flash("ok", FORGOT_ANSWER).await;
    Ok(Redirect::to("/login").into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    pub new_password: String,
}

/// The form that sets a password from a link (reset or claim).
#[derive(Template, WebTemplate)]
#[template(path = "account/set_password.html")]
pub struct SetPasswordPage {
    pub ctx: PageCtx,
    pub title: &'static str,
    pub intro: String,
    pub action: String,
    pub button: &'static str,
    pub errors: FieldErrors,
}

/// Which flow a set-password link belongs to.
#[derive(Clone, Copy)]
enum Flow {
    Reset,
    Claim,
}

impl Flow {
    fn purpose(self) -> Purpose {
        match self {
            Flow::Reset => Purpose::ResetPassword,
            Flow::Claim => Purpose::ClaimAccount,
        }
    }

    fn action(self, raw: &str) -> String {
        match self {
            Flow::Reset => format!("/password/reset/{raw}"),
            Flow::Claim => format!("/claim/{raw}"),
        }
    }

    fn page(self, ctx: PageCtx, raw: &str, user: &User, errors: FieldErrors) -> SetPasswordPage {
        let (title, intro, button) = match self {
            Flow::Reset => (
                "Choose a new password",
                "password-reset-intro",
                "Save my new password",
            ),
            Flow::Claim => (
                "Welcome to Trip Planner",
                "password-claim-intro",
                "Save my password and log in",
            ),
        };
        let intro = ctx.t1(intro, "email", &user.email);
        SetPasswordPage {
            ctx,
            title,
            intro,
            action: self.action(raw),
            button,
            errors,
        }
    }

    /// Both kinds of link can be asked for again on the forgotten-password page.
    fn next(self) -> Option<(&'static str, &'static str)> {
        Some(("/password/forgot", "Ask for a new link"))
    }
}

/// The token and its account, or the page saying why the link does not work.
async fn lookup(
    state: &AppState,
    viewer: &Viewer,
    flow: Flow,
    raw: &str,
) -> AppResult<Result<(Token, User), Response>> {
    let mut conn = state.db.pool.acquire().await?;
    let token =
        match tokens::peek(&mut conn, raw, &[flow.purpose()], &state.clock.now_text()).await? {
            Ok(t) => t,
            Err(p) => return Ok(Err(link_problem(viewer, p, flow.next()).await)),
        };
    match token.user_id {
        Some(id) => match users::by_id(&mut *conn, id).await? {
            Some(u) => Ok(Ok((token, u))),
            None => Ok(Err(link_problem(
                viewer,
                TokenProblem::Unknown,
                flow.next(),
            )
            .await)),
        },
        None => Ok(Err(link_problem(
            viewer,
            TokenProblem::Unknown,
            flow.next(),
        )
        .await)),
    }
}

async fn show(state: AppState, viewer: Viewer, flow: Flow, raw: String) -> AppResult<Response> {
    let (_, user) = match lookup(&state, &viewer, flow, &raw).await? {
        Ok(found) => found,
        Err(problem) => return Ok(problem),
    };
    Ok(flow
        .page(viewer.page().await, &raw, &user, FieldErrors::new())
        .into_response())
}

/// Sets the password, uses the link, retires the account's other links of
/// the kind, and signs the person in.
async fn set(
    state: AppState,
    viewer: Viewer,
    flow: Flow,
    raw: String,
    form: PasswordForm,
) -> AppResult<Response> {
    let (_, user) = match lookup(&state, &viewer, flow, &raw).await? {
        Ok(found) => found,
        Err(problem) => return Ok(problem),
    };
    let password = match NewPassword::parse(&form.new_password, Some(&user.email)) {
        Ok(p) => p,
        Err(e) => {
            let mut errors = FieldErrors::new();
            errors.add("new_password", e);
            let page = flow.page(viewer.page().await, &raw, &user, errors);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    // Slow on purpose, so before the transaction.
    let hash = state.passwords.hash(password).await?;
    let now = state.clock.now_text();
    let mut tx = state.db.pool.begin().await?;
    // Racing clicks on one link: consume lets exactly one through.
    if let Err(p) = tokens::consume(&mut tx, &raw, &[flow.purpose()], &now).await? {
        return Ok(link_problem(&viewer, p, flow.next()).await);
    }
    match flow {
        Flow::Reset => users::set_password(&mut *tx, user.id, &hash).await?,
        Flow::Claim => {
            if !users::claim(&mut *tx, user.id, &hash).await? {
                drop(tx);
                viewer
                    .flash(
                        "error",
                        "This account already has a password. Log in, or use “Forgot your password?”.",
                    )
                    .await;
                return Ok(Redirect::to("/login").into_response());
            }
        }
    }
    // Older links of either kind would set the password again: retire them.
    tokens::retire_for_user(
        &mut tx,
        user.id,
        &[Purpose::ResetPassword, Purpose::ClaimAccount],
        &now,
    )
    .await?;
    users::clear_login_failures(&mut tx, &user.email).await?;
    // Whoever knew the old password is signed out everywhere; this browser
    // is signed in afresh below.
    sessions::end_others(&mut *tx, user.id, None).await?;
    tx.commit().await?;
    viewer.sign_in(user.id).await?;
    let text = match flow {
        Flow::Reset => "Your new password is saved and you are logged in.",
        Flow::Claim => "Welcome! Your password is saved and you are logged in.",
    };
    viewer.flash("ok", text).await;
    Ok(Redirect::to("/me").into_response())
}

/// GET /password/reset/{token}
pub async fn reset_page(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(raw): PathParam<String>,
) -> AppResult<Response> {
    show(state, viewer, Flow::Reset, raw).await
}

/// POST /password/reset/{token}
pub async fn reset(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(raw): PathParam<String>,
    Form(form): Form<PasswordForm>,
) -> AppResult<Response> {
    set(state, viewer, Flow::Reset, raw, form).await
}

/// GET /claim/{token}
pub async fn claim_page(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(raw): PathParam<String>,
) -> AppResult<Response> {
    show(state, viewer, Flow::Claim, raw).await
}

/// POST /claim/{token}
pub async fn claim(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(raw): PathParam<String>,
    Form(form): Form<PasswordForm>,
) -> AppResult<Response> {
    set(state, viewer, Flow::Claim, raw, form).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ChangeForm {
    pub password: String,
    pub new_password: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "account/password.html")]
pub struct ChangePage {
    pub ctx: PageCtx,
    pub errors: FieldErrors,
}

/// GET /account/password
pub async fn change_page(viewer: Viewer) -> AppResult<ChangePage> {
    viewer.require_user()?;
    Ok(ChangePage {
        ctx: viewer.page().await,
        errors: FieldErrors::new(),
    })
}

/// POST /account/password: the current password (checked like a login, and
/// throttled with it) and a new one; other sessions of the account end,
/// this one stays signed in.
pub async fn change(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<ChangeForm>,
) -> AppResult<Response> {
    let user = viewer.require_user()?.clone();
    let mut errors = FieldErrors::new();
    let new_password = errors.check(
        "new_password",
        NewPassword::parse(&form.new_password, Some(&user.email)),
    );
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    if new_password.is_some() {
        confirm_current_password(
            &state,
            &user,
            &form.password,
            "That is not your current password. Enter it to confirm the change.",
            &mut errors,
            &mut status,
        )
        .await?;
    }
    let Some(new_password) = new_password.filter(|_| errors.is_empty()) else {
        let page = ChangePage {
            ctx: viewer.page().await,
            errors,
        };
        return Ok((status, page).into_response());
    };
    let hash = state.passwords.hash(new_password).await?;
    let mut tx = state.db.pool.begin().await?;
    users::change_password(&mut *tx, user.id, &hash).await?;
    sessions::end_others(&mut *tx, user.id, viewer.session.id()).await?;
    tx.commit().await?;
    viewer
        .flash(
            "ok",
            "Your new password is saved. Anyone signed in to your account elsewhere was logged out.",
        )
        .await;
    Ok(Redirect::to("/account").into_response())
}
