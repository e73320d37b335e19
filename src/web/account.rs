//! The account page, confirming an email address (with a resend), and
//! switching to a new address. Links from emails open a page with one button:
//! only the POST acts, so a mail scanner fetching the link changes nothing.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Duration;
use serde::Deserialize;

use crate::clock::timestamp_text;
use crate::domain::account::Email;
use crate::domain::distance::Unit;
use crate::domain::offer::Status;
use crate::domain::plan::span_in;
use crate::email::links::{self, Person};
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::store::alerts::{self, Kind};
use crate::store::arrivals::{self, ContactRead};
use crate::store::db::is_unique_violation;
use crate::store::sessions;
use crate::store::tokens::{self, Purpose, TokenProblem};
use crate::store::trips;
use crate::store::users::{self, User};
use crate::web::auth::confirm_current_password;
use crate::web::ctx::{Form, PageCtx, PathParam, Viewer};
use crate::web::forms::FieldErrors;

/// Confirmation emails one account may ask for per hour.
pub const RESENDS_PER_HOUR: i64 = 3;

#[derive(Template, WebTemplate)]
#[template(path = "account/show.html")]
pub struct AccountPage {
    pub ctx: PageCtx,
    pub user: User,
    /// (stored form, name, chosen) of each distance unit.
    pub units: Vec<(&'static str, &'static str, bool)>,
    pub unit_error: Option<&'static str>,
    /// Staff who were shown this person's contact details, newest first.
    pub reads: Vec<ContactRead>,
    /// The alerts of the person's active trips ahead, each switchable.
    pub alerts: Vec<AlertRow>,
}

/// One trip's or offer's alert on the account page.
pub struct AlertRow {
    /// `trip`, `ride` or `stay`.
    pub kind: &'static str,
    pub id: i64,
    /// The page it is about, whose `/alerts` switches it.
    pub path: String,
    /// "Trip to Milwaukee Field Office, Oct 28–30".
    pub about: String,
    pub on: bool,
}

/// The alerts of `user`'s active trips, rides and stays not yet past:
/// trips first (on unless switched off), then offers (off unless asked for).
async fn alert_rows(state: &AppState, user: &User, lang: Lang) -> AppResult<Vec<AlertRow>> {
    let today = state.clock.today();
    let pool = &state.db.pool;
    let mut listed: Vec<(Kind, i64, String)> = trips::by_owner(pool, user.id)
        .await?
        .into_iter()
        .filter(|t| t.status == Status::Active && t.arrive >= today)
        .map(|t| {
            let about = lang.t_args(
                "account-alert-trip",
                &[
                    ("office", &t.office_name),
                    ("dates", &span_in(t.arrive, t.leave, lang)),
                ],
            );
            (Kind::Trip, t.id.get(), about)
        })
        .collect();
    let offices: std::collections::HashMap<_, String> = crate::store::offices::all(pool)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    listed.extend(
        crate::store::rides::by_owner(pool, user.id)
            .await?
            .into_iter()
            .filter(|r| r.status == Status::Active && r.depart_date >= today)
            .map(|r| {
                let about = lang.t_args(
                    if r.direction.is_home() {
                        "account-alert-ride-home"
                    } else {
                        "account-alert-ride"
                    },
                    &[
                        (
                            "office",
                            &offices.get(&r.office_id).map_or("", String::as_str),
                        ),
                        ("date", &lang.date_short(r.depart_date)),
                    ],
                );
                (Kind::Ride, r.id.get(), about)
            }),
    );
    let mut conn = pool.acquire().await?;
    listed.extend(
        crate::store::stays::by_owner(&mut conn, user.id)
            .await?
            .into_iter()
            .filter(|s| s.status == Status::Active && s.last_night >= today)
            .map(|s| {
                let about = lang.t_args(
                    "account-alert-stay",
                    &[
                        ("town", &s.place.town()),
                        ("dates", &span_in(s.first_night, s.last_night, lang)),
                    ],
                );
                (Kind::Stay, s.id.get(), about)
            }),
    );
    drop(conn);
    let mut rows = vec![];
    for kind in [Kind::Trip, Kind::Ride, Kind::Stay] {
        let ids: Vec<i64> = listed
            .iter()
            .filter(|(k, _, _)| *k == kind)
            .map(|(_, id, _)| *id)
            .collect();
        let watches = alerts::of(pool, kind, &ids).await?;
        rows.extend(
            listed
                .iter()
                .filter(|(k, _, _)| *k == kind)
                .map(|(_, id, about)| AlertRow {
                    kind: kind.as_str(),
                    id: *id,
                    path: format!("/{}s/{id}", kind.as_str()),
                    about: about.clone(),
                    on: watches.get(id).map_or(kind.on_by_default(), |w| w.enabled),
                }),
        );
    }
    Ok(rows)
}

impl AccountPage {
    async fn new(
        state: &AppState,
        viewer: &Viewer,
        user: User,
        unit_error: Option<&'static str>,
    ) -> AppResult<AccountPage> {
        let units = Unit::ALL
            .iter()
            .map(|u| (u.as_str(), u.name(), *u == user.distance_unit))
            .collect();
        let reads = arrivals::contact_reads_about(&state.db.pool, user.id).await?;
        let alerts = alert_rows(state, &user, viewer.lang()).await?;
        Ok(AccountPage {
            ctx: viewer.page().await,
            user,
            units,
            unit_error,
            reads,
            alerts,
        })
    }
}

/// GET /account: name, email (and whether it is confirmed), phone, the unit
/// distances are shown in, and which staff read the contact details.
pub async fn page(State(state): State<AppState>, viewer: Viewer) -> AppResult<AccountPage> {
    let user = viewer.require_user()?.clone();
    AccountPage::new(&state, &viewer, user, None).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct UnitForm {
    pub unit: String,
}

/// POST /account/units: miles or kilometres on every page and email.
pub async fn set_unit(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<UnitForm>,
) -> AppResult<Response> {
    let user = viewer.require_user()?.clone();
    let Some(unit) = Unit::parse(&form.unit) else {
        let page =
            AccountPage::new(&state, &viewer, user, Some("Choose miles or kilometres.")).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    users::set_distance_unit(&state.db.pool, user.id, unit).await?;
    viewer
        .flash("ok", format!("Distances are now shown in {}.", unit.name()))
        .await;
    Ok(Redirect::to("/account").into_response())
}

/// A page with one button that performs what an emailed link is for.
#[derive(Template, WebTemplate)]
#[template(path = "account/confirm.html")]
pub struct ConfirmPage {
    pub ctx: PageCtx,
    pub title: &'static str,
    pub text: String,
    pub action: String,
    pub button: &'static str,
}

/// Why an emailed link does nothing, and what to do instead.
#[derive(Template, WebTemplate)]
#[template(path = "account/link_problem.html")]
pub struct LinkProblemPage {
    pub ctx: PageCtx,
    pub problem: String,
    /// (href, label) of the way forward.
    pub next: Option<(&'static str, &'static str)>,
}

/// The page for a link that does not work: 404 when unknown, 410 when used or expired.
pub async fn link_problem(
    viewer: &Viewer,
    problem: TokenProblem,
    next: Option<(&'static str, &'static str)>,
) -> Response {
    let status = match problem {
        TokenProblem::Unknown => StatusCode::NOT_FOUND,
        TokenProblem::Used | TokenProblem::Expired => StatusCode::GONE,
    };
    let page = LinkProblemPage {
        ctx: viewer.page().await,
        problem: problem.to_string(),
        next,
    };
    (status, page).into_response()
}

/// Where to go after acting on a link: the account page when signed in.
fn onwards(viewer: &Viewer) -> Redirect {
    if viewer.user.is_some() {
        Redirect::to("/account")
    } else {
        Redirect::to("/login")
    }
}

fn verify_next(viewer: &Viewer) -> Option<(&'static str, &'static str)> {
    match &viewer.user {
        Some(u) if !u.email_verified => {
            Some(("/account", "Send a new link from your account page"))
        }
        Some(_) => Some(("/account", "Go to your account")),
        None => Some(("/login", "Log in to send a new link")),
    }
}

/// GET /verify/{token}: asks for the click that confirms the address.
pub async fn verify_page(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(raw): PathParam<String>,
) -> AppResult<Response> {
    let mut conn = state.db.pool.acquire().await?;
    let token = match tokens::peek(
        &mut conn,
        &raw,
        &[Purpose::VerifyEmail],
        &state.clock.now_text(),
    )
    .await?
    {
        Ok(t) => t,
        Err(p) => return Ok(link_problem(&viewer, p, verify_next(&viewer)).await),
    };
    let text = viewer.lang().t_args(
        "link-confirm-text",
        &[("email", &token.new_email.unwrap_or_default())],
    );
    Ok(ConfirmPage {
        ctx: viewer.page().await,
        title: "Confirm your email address",
        text,
        action: format!("/verify/{raw}"),
        button: "Confirm my email address",
    }
    .into_response())
}

/// POST /verify/{token}: marks the address confirmed, once, and signs its
/// account in.
pub async fn verify(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(raw): PathParam<String>,
) -> AppResult<Response> {
    let now = state.clock.now_text();
    let mut tx = state.db.pool.begin().await?;
    let token = match tokens::consume(&mut tx, &raw, &[Purpose::VerifyEmail], &now).await? {
        Ok(t) => t,
        Err(p) => return Ok(link_problem(&viewer, p, verify_next(&viewer)).await),
    };
    let (Some(user_id), Some(address)) = (token.user_id, token.new_email.as_deref()) else {
        return Ok(link_problem(&viewer, TokenProblem::Unknown, None).await);
    };
    if !users::mark_verified(&mut *tx, user_id, address).await? {
        // The account moved to another address since: this link is for the old one.
        return Ok(link_problem(&viewer, TokenProblem::Unknown, verify_next(&viewer)).await);
    }
    tx.commit().await?;
    // The link proves the address: it is how a new account first logs in.
    viewer.sign_in(user_id).await?;
    viewer
        .flash(
            "ok",
            format!("Thank you! {address} is confirmed and you are logged in."),
        )
        .await;
    Ok(Redirect::to("/account").into_response())
}

/// POST /account/verify/resend: a new confirmation link (a few per hour).
pub async fn resend_verification(
    State(state): State<AppState>,
    viewer: Viewer,
) -> AppResult<Redirect> {
    let user = viewer.require_user()?;
    if user.email_verified {
        viewer
            .flash("ok", "Your email address is already confirmed.")
            .await;
        return Ok(Redirect::to("/account"));
    }
    let now = state.clock.now();
    let mut tx = state.db.pool.begin().await?;
    let recent = tokens::count_since(
        &mut tx,
        user.id,
        Purpose::VerifyEmail,
        &timestamp_text(now - Duration::hours(1)),
    )
    .await?;
    if recent >= RESENDS_PER_HOUR {
        viewer
            .flash(
                "error",
                "We have sent several links in the last hour. Please check your inbox (and spam folder), or try again later.",
            )
            .await;
        return Ok(Redirect::to("/account"));
    }
    links::send_verification(
        &mut tx,
        &state.settings,
        now,
        &Person {
            id: user.id,
            email: &user.email,
            name: &user.name,
        },
    )
    .await?;
    tx.commit().await?;
    let said = viewer
        .lang()
        .t_args("flash-link-resent", &[("email", &user.email.to_string())]);
    viewer.flash("ok", said).await;
    Ok(Redirect::to("/account"))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EmailForm {
    pub new_email: String,
    pub password: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "account/email.html")]
pub struct EmailPage {
    pub ctx: PageCtx,
    pub current: String,
    pub new_email: String,
    pub errors: FieldErrors,
}

/// GET /account/email: the form for a new address.
pub async fn email_page(viewer: Viewer) -> AppResult<EmailPage> {
    let current = viewer.require_user()?.email.clone();
    Ok(EmailPage {
        ctx: viewer.page().await,
        current,
        new_email: String::new(),
        errors: FieldErrors::new(),
    })
}

/// POST /account/email: checks the password (throttled like logins) and
/// mails a link to the new address; nothing changes until that link is used.
/// An address that already has an account gets the same answer, and its
/// owner an email instead of the link, so the form never tells who has an
/// account.
pub async fn request_email_change(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<EmailForm>,
) -> AppResult<Response> {
    let user = viewer.require_user()?.clone();
    let mut errors = FieldErrors::new();
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    let new_email = errors.check("new_email", Email::parse(&form.new_email));
    if new_email.as_ref().is_some_and(|e| e.as_str() == user.email) {
        errors.add("new_email", "This is already your email address.");
    }
    confirm_current_password(
        &state,
        &user,
        &form.password,
        "That is not your current password. Enter it to confirm the change.",
        &mut errors,
        &mut status,
    )
    .await?;
    let new_email = match new_email {
        Some(e) if errors.is_empty() => e,
        _ => {
            let page = EmailPage {
                ctx: viewer.page().await,
                current: user.email.clone(),
                new_email: form.new_email,
                errors,
            };
            return Ok((status, page).into_response());
        }
    };
    let now = state.clock.now();
    let mut tx = state.db.pool.begin().await?;
    match users::by_email(&mut *tx, new_email.as_str()).await? {
        // The unique index still decides when the link is used.
        Some(owner) => {
            links::send_address_in_use(
                &mut tx,
                &state.settings,
                now,
                &Person {
                    id: owner.id,
                    email: &owner.email,
                    name: &owner.name,
                },
            )
            .await?
        }
        None => {
            links::send_email_change(
                &mut tx,
                &state.settings,
                now,
                &Person {
                    id: user.id,
                    email: &user.email,
                    name: &user.name,
                },
                new_email.as_str(),
            )
            .await?
        }
    }
    tx.commit().await?;
    let said = viewer
        .lang()
        .t_args("flash-email-link-sent", &[("email", &new_email.as_str())]);
    viewer.flash("ok", said).await;
    Ok(Redirect::to("/account").into_response())
}

/// GET /account/email/confirm/{token}: asks for the click that switches the address.
pub async fn confirm_email_change_page(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(raw): PathParam<String>,
) -> AppResult<Response> {
    let mut conn = state.db.pool.acquire().await?;
    let token = match tokens::peek(
        &mut conn,
        &raw,
        &[Purpose::ChangeEmail],
        &state.clock.now_text(),
    )
    .await?
    {
        Ok(t) => t,
        Err(p) => {
            return Ok(link_problem(&viewer, p, Some(("/account", "Go to your account"))).await)
        }
    };
    let text = viewer.lang().t_args(
        "link-use-email-text",
        &[("email", &token.new_email.unwrap_or_default())],
    );
    Ok(ConfirmPage {
        ctx: viewer.page().await,
        title: "Use your new email address",
        text,
        action: format!("/account/email/confirm/{raw}"),
        button: "Use this address",
    }
    .into_response())
}

/// POST /account/email/confirm/{token}: switches the address, tells the old
/// one, and retires links that were sent to the old address.
pub async fn confirm_email_change(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(raw): PathParam<String>,
) -> AppResult<Response> {
    let at = state.clock.now();
    let now = timestamp_text(at);
    let mut tx = state.db.pool.begin().await?;
    let token = match tokens::consume(&mut tx, &raw, &[Purpose::ChangeEmail], &now).await? {
        Ok(t) => t,
        Err(p) => {
            return Ok(link_problem(&viewer, p, Some(("/account", "Go to your account"))).await)
        }
    };
    let (Some(user_id), Some(new_email)) = (token.user_id, token.new_email.clone()) else {
        return Ok(link_problem(&viewer, TokenProblem::Unknown, None).await);
    };
    let Some(user) = users::by_id(&mut *tx, user_id).await? else {
        return Ok(link_problem(&viewer, TokenProblem::Unknown, None).await);
    };
    match users::change_email(&mut *tx, user_id, &new_email).await {
        Ok(()) => {}
        Err(e) if is_unique_violation(&e) => {
            // Dropping the transaction rolls back: nothing changed, the link stays unused.
            drop(tx);
            let problem = viewer
                .lang()
                .t_args("link-email-taken", &[("email", &new_email)]);
            let page = LinkProblemPage {
                ctx: viewer.page().await,
                problem,
                next: Some(("/account", "Go to your account")),
            };
            return Ok((StatusCode::CONFLICT, page).into_response());
        }
        Err(e) => return Err(e.into()),
    }
    // Whoever is signed in elsewhere is signed out; this browser stays.
    sessions::end_others(&mut *tx, user_id, viewer.session.id()).await?;
    tokens::retire_for_user(
        &mut tx,
        user_id,
        &[
            Purpose::VerifyEmail,
            Purpose::ResetPassword,
            Purpose::ChangeEmail,
            Purpose::ClaimAccount,
        ],
        &now,
    )
    .await?;
    links::send_email_changed_notice(
        &mut tx,
        &state.settings,
        at,
        &Person {
            id: user.id,
            email: &user.email,
            name: &user.name,
        },
        &new_email,
    )
    .await?;
    tx.commit().await?;
    // Written in the reader's language now: a message with an address in it
    // cannot be looked up by its English text when the page shows it.
    let said = viewer
        .lang()
        .t_args("flash-email-now", &[("email", &new_email)]);
    viewer.flash("ok", said).await;
    Ok(onwards(&viewer).into_response())
}

/// GET /account/data.json: "Download my data", one JSON file, never cached.
pub async fn download_data(State(state): State<AppState>, viewer: Viewer) -> AppResult<Response> {
    let user = viewer.require_user()?;
    let data = crate::people::export(&state, user.id).await?;
    let body = serde_json::to_vec_pretty(&data).map_err(anyhow::Error::from)?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/json; charset=utf-8",
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"trip-planner-my-data.json\"",
            ),
            (axum::http::header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "account/delete.html")]
pub struct DeletePage {
    pub ctx: PageCtx,
    pub errors: FieldErrors,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DeleteForm {
    pub password: String,
}

/// GET /account/delete: what deleting does, and the password to confirm it.
pub async fn delete_page(viewer: Viewer) -> AppResult<DeletePage> {
    viewer.require_user()?;
    Ok(DeletePage {
        ctx: viewer.page().await,
        errors: FieldErrors::new(),
    })
}

/// POST /account/delete: with the current password (throttled like logins),
/// erases the account (`people::erase`) and signs out.
pub async fn delete(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<DeleteForm>,
) -> AppResult<Response> {
    let user = viewer.require_user()?.clone();
    let mut errors = FieldErrors::new();
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    confirm_current_password(
        &state,
        &user,
        &form.password,
        "That is not your current password. Enter it to delete your account.",
        &mut errors,
        &mut status,
    )
    .await?;
    if !errors.is_empty() {
        let page = DeletePage {
            ctx: viewer.page().await,
            errors,
        };
        return Ok((status, page).into_response());
    }
    crate::people::erase(&state, user.id).await?;
    viewer.sign_out().await?;
    viewer
        .flash("ok", "Your account and your personal details are deleted.")
        .await;
    Ok(Redirect::to("/").into_response())
}
