//! How an [`AppError`] reaches a person: a friendly page (or a JSON body for
//! API routes), and the page itself, also used for the 404 fallback, CSRF
//! refusals and bodies past the size limit.
//!
//! A handler's error does not know who asked, so it leaves what the page
//! says on the response ([`ErrorShown`]); [`in_viewer_frame`], a layer that
//! sees the session, draws the page again with the viewer's header (signed in
//! stays signed in) and a way back to where they came from.

use askama::Template;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE, HOST, REFERER};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Json;
use tower_http::csrf::ProtectionError;
use tower_sessions::Session;

use crate::error::AppError;
use crate::state::AppState;
use crate::web::ctx::{request_lang, safe_next, PageCtx, Viewer};

/// The friendly error page.
#[derive(Template)]
#[template(path = "errors/error.html")]
pub struct ErrorPage {
    pub ctx: PageCtx,
    pub status: u16,
    pub title: &'static str,
    pub message: String,
    /// Where "back" leads: the page they came from, `/me` or the start page.
    pub back: String,
    pub back_label: &'static str,
}

/// What an error page says, left on the response for [`in_viewer_frame`].
#[derive(Clone, Debug)]
pub struct ErrorShown {
    pub title: &'static str,
    pub message: String,
}

/// Renders the error page for `status`, as for someone signed out;
/// [`in_viewer_frame`] draws it again in the viewer's own frame.
pub fn error_page(status: StatusCode, title: &'static str, message: String) -> Response {
    let page = ErrorPage {
        ctx: PageCtx::anonymous(),
        status: status.as_u16(),
        title,
        message: message.clone(),
        back: "/".into(),
        back_label: "Go to the start page",
    };
    let mut res = render(status, &page);
    res.extensions_mut().insert(ErrorShown { title, message });
    res
}

fn render(status: StatusCode, page: &ErrorPage) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "error page failed to render");
            (status, page.title).into_response()
        }
    }
}

/// The same error as a JSON body, for API routes.
pub fn into_json(e: AppError) -> Response {
    e.log();
    let (title, message) = e.public_text();
    let response = (
        e.status(),
        Json(serde_json::json!({ "error": title, "message": message })),
    )
        .into_response();
    with_retry_after(&e, response)
}

/// Adds `Retry-After` when the error passes with time (503 busy).
fn with_retry_after(e: &AppError, mut response: Response) -> Response {
    if let Some(secs) = e.retry_after_secs() {
        response
            .headers_mut()
            .insert(axum::http::header::RETRY_AFTER, secs.into());
    }
    response
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::SignInRequired { next } = &self {
            let to = format!("/login?next={}", crate::web::ctx::url_encode(next));
            return Redirect::to(&to).into_response();
        }
        self.log();
        let (title, message) = self.public_text();
        with_retry_after(&self, error_page(self.status(), title, message))
    }
}

/// Layer (inside the session layer, outside CSRF and the body limit): every
/// error page — a handler's, the 404 fallback, a CSRF refusal, a body too
/// large — is drawn with the viewer's header and a way back.
pub async fn in_viewer_frame(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let session = req.extensions().get::<Session>().cloned();
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let came_from = came_from(req.headers(), &path, &state.settings.public_url());
    let asked = request_lang(req.headers());
    let mut res = next.run(req).await;
    let shown = if let Some(shown) = res.extensions_mut().remove::<ErrorShown>() {
        shown
    } else if res.extensions().get::<ProtectionError>().is_some() {
        // The CSRF layer answers a bare 403; say why.
        ErrorShown {
            title: "Request refused",
            message: "This form was sent from another site, so we did not act on it. Please use the form on Trip Planner itself.".into(),
        }
    } else if res.status() == StatusCode::PAYLOAD_TOO_LARGE {
        // The body limit answers a bare 413 when Content-Length is too large.
        let (title, message) = AppError::TooLarge.public_text();
        ErrorShown { title, message }
    } else {
        return res;
    };
    let viewer = match session {
        Some(session) => Viewer::load(&state, session, path.clone(), asked)
            .await
            .ok(),
        None => None,
    };
    let ctx = match &viewer {
        Some(v) => v.page().await,
        None => PageCtx {
            lang: asked.unwrap_or_default(),
            path,
            ..PageCtx::anonymous()
        },
    };
    let (back, back_label) = match came_from {
        Some(to) => (to, "← Back to the page you came from"),
        None if ctx.user.is_some() => ("/me".into(), "← My trips and offers"),
        None => ("/".into(), "Go to the start page"),
    };
    let status = res.status();
    let page = ErrorPage {
        ctx,
        status: status.as_u16(),
        title: shown.title,
        message: shown.message,
        back,
        back_label,
    };
    let fresh = render(status, &page);
    let (mut parts, _) = res.into_parts();
    parts.headers.remove(CONTENT_LENGTH);
    if let Some(ct) = fresh.headers().get(CONTENT_TYPE) {
        parts.headers.insert(CONTENT_TYPE, ct.clone());
    }
    let (_, body) = fresh.into_parts();
    Response::from_parts(parts, Body::new(body))
}

/// The same-site page the request came from (its `Referer`), if it is
/// another page of this site: the address it was asked at (`Host`) or the
/// public one. Anything else — another site, the page itself, an odd
/// value — gives None, so the way back never leads off the site.
fn came_from(headers: &HeaderMap, path: &str, public_url: &str) -> Option<String> {
    let referer = headers.get(REFERER)?.to_str().ok()?;
    let rest = referer
        .strip_prefix("https://")
        .or_else(|| referer.strip_prefix("http://"))?;
    let (authority, from_path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let host = headers.get(HOST).and_then(|h| h.to_str().ok());
    let public = public_url
        .split_once("://")
        .map(|(_, a)| a.split('/').next().unwrap_or(a));
    let same_site = Some(authority) == host || Some(authority) == public;
    let from_path = from_path.split('#').next().unwrap_or("/");
    let safe = safe_next(Some(from_path));
    (same_site && safe == from_path && safe != path).then_some(safe)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(referer: &str, host: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(REFERER, HeaderValue::from_str(referer).unwrap());
        h.insert(HOST, HeaderValue::from_str(host).unwrap());
        h
    }

    #[test]
    fn the_way_back_is_a_page_of_this_site_only() {
        let public = "https://trips.example.org";
        let from = |referer: &str| {
            came_from(
                &headers(referer, "127.0.0.1:3000"),
                "/bookings/9/cancel",
                public,
            )
        };
        assert_eq!(
            from("http://127.0.0.1:3000/bookings/9?x=1#h").as_deref(),
            Some("/bookings/9?x=1")
        );
        assert_eq!(from("https://trips.example.org/me").as_deref(), Some("/me"));
        assert_eq!(from("https://evil.example/me"), None);
        assert_eq!(from("https://trips.example.org.evil.example/me"), None);
        assert_eq!(from("javascript:alert(1)"), None);
        assert_eq!(from("http://127.0.0.1:3000//evil.example/"), None);
        assert_eq!(
            from("http://127.0.0.1:3000/bookings/9/cancel"),
            None,
            "itself"
        );
        assert_eq!(from("http://127.0.0.1:3000").as_deref(), Some("/"));
    }
}
