//! Admin pages: create and edit field offices, assign their staff; see
//! emails that could not be delivered.

use crate::domain::ids::{OfficeId, UserId};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::account::Email;
use crate::domain::office::{parse_needed_per_day, parse_time_zone, OfficeName};
use crate::error::{AppError, AppResult};
use crate::places::{Gazetteer, PlaceError};
use crate::state::AppState;
use crate::store::db::is_unique_violation;
use crate::store::offices::{self, Office, OfficeFields, StaffMember};
use crate::store::{outbox, users};
use crate::web::ctx::{Form, PageCtx, PathParam, Viewer};
use crate::web::forms::FieldErrors;

#[derive(Template, WebTemplate)]
#[template(path = "admin/index.html")]
pub struct AdminPage {
    pub ctx: PageCtx,
    pub offices: Vec<(Office, usize)>,
    /// Emails waiting to be sent.
    pub outbox_depth: i64,
    /// Emails given up or being retried, newest first (no bodies).
    pub troubled_emails: Vec<outbox::Troubled>,
}

/// Troubled emails listed on the admin page at most.
pub const TROUBLED_EMAILS_SHOWN: i64 = 50;

pub async fn index(State(state): State<AppState>, viewer: Viewer) -> AppResult<AdminPage> {
    viewer.require_admin()?;
    let mut list = vec![];
    for o in offices::all(&state.db.pool).await? {
        let n = offices::staff(&state.db.pool, o.id).await?.len();
        list.push((o, n));
    }
    Ok(AdminPage {
        ctx: viewer.page().await,
        offices: list,
        outbox_depth: outbox::depth(&state.db.pool).await?,
        troubled_emails: outbox::troubled(&state.db.pool, TROUBLED_EMAILS_SHOWN).await?,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OfficeForm {
    pub name: String,
    pub place: String,
    pub timezone: String,
    pub contact_email: String,
    pub needed_per_day: String,
}

impl OfficeForm {
    fn from_office(o: &Office) -> OfficeForm {
        OfficeForm {
            name: o.name.clone(),
            place: o.place.label(),
            timezone: o.timezone.clone(),
            contact_email: o.contact_email.clone().unwrap_or_default(),
            needed_per_day: o.needed_per_day.map(|n| n.to_string()).unwrap_or_default(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/office_form.html")]
pub struct OfficeFormPage {
    pub ctx: PageCtx,
    pub office_id: Option<OfficeId>,
    pub form: OfficeForm,
    pub errors: FieldErrors,
    pub suggestions: Vec<String>,
    pub staff: Vec<StaffMember>,
    pub staff_email: String,
    pub staff_errors: FieldErrors,
}

pub async fn new_office_page(viewer: Viewer) -> AppResult<OfficeFormPage> {
    viewer.require_admin()?;
    Ok(OfficeFormPage {
        ctx: viewer.page().await,
        office_id: None,
        form: OfficeForm::default(),
        errors: FieldErrors::new(),
        suggestions: vec![],
        staff: vec![],
        staff_email: String::new(),
        staff_errors: FieldErrors::new(),
    })
}

pub async fn edit_office_page(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(id): PathParam<OfficeId>,
) -> AppResult<OfficeFormPage> {
    viewer.require_admin()?;
    let office = offices::by_id(&state.db.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(OfficeFormPage {
        ctx: viewer.page().await,
        office_id: Some(id),
        form: OfficeForm::from_office(&office),
        errors: FieldErrors::new(),
        suggestions: vec![],
        staff: offices::staff(&state.db.pool, id).await?,
        staff_email: String::new(),
        staff_errors: FieldErrors::new(),
    })
}

/// Parsed office fields, or the errors to show beside the form.
struct ParsedOffice {
    name: OfficeName,
    place: crate::places::Place,
    timezone: String,
    contact_email: Option<Email>,
    needed_per_day: Option<i64>,
}

fn parse_office(form: &OfficeForm) -> Result<ParsedOffice, (FieldErrors, Vec<String>)> {
    let mut errors = FieldErrors::new();
    let mut suggestions = vec![];
    let name = errors.check("name", OfficeName::parse(&form.name));
    let place = match Gazetteer::embedded().parse(&form.place) {
        Ok(p) => Some(p),
        Err(e) => {
            if let PlaceError::UnknownTown { suggestions: s, .. } = &e {
                suggestions = s.clone();
            }
            errors.add("place", e.to_string());
            None
        }
    };
    let timezone = place
        .as_ref()
        .and_then(|p| errors.check("timezone", parse_time_zone(&form.timezone, &p.state)));
    let contact_email = if form.contact_email.trim().is_empty() {
        Some(None)
    } else {
        errors
            .check("contact_email", Email::parse(&form.contact_email))
            .map(Some)
    };
    let needed = errors.check("needed_per_day", parse_needed_per_day(&form.needed_per_day));
    match (name, place, timezone, contact_email, needed) {
        (Some(name), Some(place), Some(tz), Some(contact_email), Some(needed_per_day))
            if errors.is_empty() =>
        {
            Ok(ParsedOffice {
                name,
                place,
                timezone: tz.name().to_string(),
                contact_email,
                needed_per_day,
            })
        }
        _ => Err((errors, suggestions)),
    }
}

async fn rerender(
    state: &AppState,
    viewer: &Viewer,
    office_id: Option<OfficeId>,
    form: OfficeForm,
    errors: FieldErrors,
    suggestions: Vec<String>,
) -> AppResult<Response> {
    let staff = match office_id {
        Some(id) => offices::staff(&state.db.pool, id).await?,
        None => vec![],
    };
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        OfficeFormPage {
            ctx: viewer.page().await,
            office_id,
            form,
            errors,
            suggestions,
            staff,
            staff_email: String::new(),
            staff_errors: FieldErrors::new(),
        },
    )
        .into_response())
}

/// Creates (id None) or updates an office from the submitted form.
async fn save_office(
    state: &AppState,
    viewer: &Viewer,
    office_id: Option<OfficeId>,
    form: OfficeForm,
) -> AppResult<Response> {
    viewer.require_admin()?;
    if let Some(id) = office_id {
        offices::by_id(&state.db.pool, id)
            .await?
            .ok_or(AppError::NotFound)?;
    }
    let p = match parse_office(&form) {
        Ok(p) => p,
        Err((errors, suggestions)) => {
            return rerender(state, viewer, office_id, form, errors, suggestions).await
        }
    };
    let fields = OfficeFields {
        name: p.name.as_str(),
        place: &p.place,
        timezone: &p.timezone,
        contact_email: p.contact_email.as_ref().map(Email::as_str),
        needed_per_day: p.needed_per_day,
    };
    let saved = match office_id {
        Some(id) => offices::update(&state.db.pool, id, &fields)
            .await
            .map(|_| id),
        None => offices::insert(&state.db.pool, &fields, &state.clock.now_text()).await,
    };
    match saved {
        Ok(id) => {
            let verb = if office_id.is_some() {
                "saved"
            } else {
                "created"
            };
            viewer
                .flash("ok", format!("Office “{}” {verb}.", p.name.as_str()))
                .await;
            Ok(Redirect::to(&format!("/offices/{id}")).into_response())
        }
        Err(e) if is_unique_violation(&e) => {
            let mut errors = FieldErrors::new();
            errors.add("name", "Another office already has this name.");
            rerender(state, viewer, office_id, form, errors, vec![]).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn create_office(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<OfficeForm>,
) -> AppResult<Response> {
    save_office(&state, &viewer, None, form).await
}

pub async fn update_office(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(id): PathParam<OfficeId>,
    Form(form): Form<OfficeForm>,
) -> AppResult<Response> {
    save_office(&state, &viewer, Some(id), form).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StaffForm {
    pub email: String,
}

pub async fn add_staff(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam(id): PathParam<OfficeId>,
    Form(form): Form<StaffForm>,
) -> AppResult<Response> {
    viewer.require_admin()?;
    let office = offices::by_id(&state.db.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut staff_errors = FieldErrors::new();
    let user = match Email::parse(&form.email) {
        Err(e) => {
            staff_errors.add("email", e);
            None
        }
        Ok(email) => {
            let u = users::by_email(&state.db.pool, email.as_str()).await?;
            if u.is_none() {
                staff_errors.add(
                    "email",
                    "No account uses this email. Ask them to sign up first.",
                );
            }
            u
        }
    };
    if let Some(u) = user {
        match offices::add_staff(&state.db.pool, id, u.id).await {
            Ok(()) => {
                viewer
                    .flash("ok", format!("{} is now staff of {}.", u.name, office.name))
                    .await;
                return Ok(Redirect::to(&format!("/admin/offices/{id}/edit")).into_response());
            }
            Err(e) if is_unique_violation(&e) => {
                staff_errors.add("email", "This person is already staff of this office.");
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        OfficeFormPage {
            ctx: viewer.page().await,
            office_id: Some(id),
            form: OfficeForm::from_office(&office),
            errors: FieldErrors::new(),
            suggestions: vec![],
            staff: offices::staff(&state.db.pool, id).await?,
            staff_email: form.email,
            staff_errors,
        },
    )
        .into_response())
}

pub async fn remove_staff(
    State(state): State<AppState>,
    viewer: Viewer,
    PathParam((id, user_id)): PathParam<(OfficeId, UserId)>,
) -> AppResult<Redirect> {
    viewer.require_admin()?;
    if !offices::remove_staff(&state.db.pool, id, user_id).await? {
        return Err(AppError::NotFound);
    }
    viewer.flash("ok", "Staff member removed.").await;
    Ok(Redirect::to(&format!("/admin/offices/{id}/edit")))
}
