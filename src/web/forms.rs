//! Field-level form errors, shown beside each field.

use crate::domain::ids::OfficeId;
use std::collections::BTreeMap;

use axum::http::StatusCode;

use crate::error::AppError;

/// Messages keyed by form field name.
#[derive(Clone, Debug, Default)]
pub struct FieldErrors(BTreeMap<&'static str, String>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.entry(field).or_insert_with(|| message.into());
    }

    /// Keeps the parsed value, or records the message and returns None.
    pub fn check<T, E: ToString>(&mut self, field: &'static str, r: Result<T, E>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(field, e.to_string());
                None
            }
        }
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Each field with its message, for the summary at the top of a form.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> + '_ {
        self.0.iter().map(|(k, v)| (*k, v.as_str()))
    }
}

/// For a page's small forms (a reason, an action button): an error the
/// person can act on — a refused value (422) or a state that changed under
/// them (409) — as the status and message to show beside the form when the
/// page is drawn again; anything else stays an error page.
pub fn in_place(e: AppError) -> Result<(StatusCode, String), AppError> {
    match e {
        AppError::Invalid(m) => Ok((StatusCode::UNPROCESSABLE_ENTITY, m)),
        AppError::Conflict(m) => Ok((StatusCode::CONFLICT, m)),
        other => Err(other),
    }
}

/// An HTML checkbox: present (any value) means ticked.
pub fn ticked(v: &Option<String>) -> bool {
    v.as_deref().is_some_and(|s| !s.is_empty())
}

/// The checkbox value to send back when re-rendering a form.
pub fn tick(b: bool) -> Option<String> {
    b.then(|| "on".to_string())
}

/// One choice in the office drop-down.
pub struct OfficeOption {
    pub id: OfficeId,
    pub label: String,
    pub selected: bool,
}

/// Every office as drop-down choices, with `selected` (a form's raw value) marked.
pub fn office_options(
    offices: &[crate::store::offices::Office],
    selected: &str,
) -> Vec<OfficeOption> {
    offices
        .iter()
        .map(|o| OfficeOption {
            id: o.id,
            label: format!("{} ({})", o.name, o.place.town()),
            selected: selected.trim() == o.id.to_string(),
        })
        .collect()
}

/// Resolves the office drop-down value, or records an error.
pub fn pick_office<'a>(
    errors: &mut FieldErrors,
    offices: &'a [crate::store::offices::Office],
    raw: &str,
) -> Option<&'a crate::store::offices::Office> {
    let found = raw
        .trim()
        .parse::<OfficeId>()
        .ok()
        .and_then(|id| offices.iter().find(|o| o.id == id));
    if found.is_none() {
        errors.add("office_id", "Choose a field office from the list.");
    }
    found
}

/// An id typed into a form field (or a hidden one): anything that is not a
/// number names nothing, so it answers 404 like a bad path.
pub fn parse_id<T: std::str::FromStr>(raw: &str) -> crate::error::AppResult<T> {
    raw.trim()
        .parse()
        .map_err(|_| crate::error::AppError::NotFound)
}
