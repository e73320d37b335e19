//! The language switcher in every page's footer: a plain form (no script)
//! that keeps the choice in a cookie, and on the account when signed in, so
//! emails follow it too.

use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::store::users;
use crate::web::ctx::{safe_next, Form, Viewer, LANG_COOKIE};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LanguageForm {
    pub lang: String,
    /// The page the switcher was on; the answer goes back there.
    pub next: String,
}

/// POST /language: reads the rest of the site in the chosen language.
pub async fn choose(
    State(state): State<AppState>,
    viewer: Viewer,
    Form(form): Form<LanguageForm>,
) -> AppResult<Response> {
    let Some(lang) = Lang::parse(&form.lang).filter(|l| l.code() == form.lang.trim()) else {
        return Err(AppError::Invalid(
            "Choose English or Spanish from the list.".into(),
        ));
    };
    if let Some(user) = &viewer.user {
        users::set_language(&state.db.pool, user.id, lang).await?;
    }
    let secure = if state.settings.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    // A year: the choice outlives the session, as it should on a shared
    // office computer only until someone picks another language.
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{secure}",
        lang.code()
    );
    let mut res = Redirect::to(&safe_next(Some(&form.next))).into_response();
    res.headers_mut().append(
        SET_COOKIE,
        cookie
            .parse()
            .map_err(|e| AppError::Internal(anyhow::anyhow!("language cookie: {e}")))?,
    );
    Ok(res)
}
