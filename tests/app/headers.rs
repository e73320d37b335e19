//! Browser security headers on every page, and no caching of anything
//! personal: pages seen signed in and pages with a token in their path.

use reqwest::StatusCode;

use crate::helpers::{day, Backend, Page, TestApp};

on_both_databases!(
    public_pages_carry_the_security_headers_and_may_be_cached,
    signed_in_pages_are_never_stored,
    pages_with_a_token_in_their_path_are_never_stored,
);

/// The headers every response carries.
fn assert_security_headers(what: &str, page: &Page) {
    let csp = page.headers["content-security-policy"]
        .to_str()
        .expect("ASCII");
    for part in [
        "default-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "object-src 'none'",
    ] {
        assert!(csp.contains(part), "{what}: {csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
    assert_eq!(page.headers["x-content-type-options"], "nosniff", "{what}");
    assert_eq!(page.headers["referrer-policy"], "no-referrer", "{what}");
}

fn cache_control(page: &Page) -> &str {
    page.headers
        .get("cache-control")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

async fn public_pages_carry_the_security_headers_and_may_be_cached(app: TestApp) {
    let office = app.office("Milwaukee Field Office", "53202").create().await;
    for path in [
        "/".to_string(),
        "/offices".into(),
        format!("/offices/{office}"),
        "/login".into(),
        "/signup".into(),
    ] {
        let page = app.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_security_headers(&path, &page);
        assert!(!cache_control(&page).contains("no-store"), "{path}");
        assert!(
            page.headers.get("strict-transport-security").is_none(),
            "plain http: no HSTS"
        );
        // Nothing inline for the policy to block.
        assert!(page.texts("script, style").is_empty(), "{path}");
        assert!(!page.body.contains(" style="), "{path}");
    }
    let missing = app.get("/no/such/page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_security_headers("404", &missing);
}

async fn signed_in_pages_are_never_stored(app: TestApp) {
    let office = app.office("Milwaukee Field Office", "53202").create().await;
    let (_, staff) = app.user("Sam Staff").staff_of(office).signed_in().await;
    let today = day(&app, 0);
    for path in [
        "/offices".to_string(),
        "/me".into(),
        "/account".into(),
        format!("/offices/{office}/dashboard"),
        format!("/offices/{office}/roster/{today}"),
    ] {
        let page = app.get_with(&staff, &path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_security_headers(&path, &page);
        assert!(cache_control(&page).contains("no-store"), "{path}");
        assert!(page.texts("script, style").is_empty(), "{path}");
        assert!(!page.body.contains(" style="), "{path}");
    }
    // The stylesheet is the same for everyone.
    let css = app.get_with(&staff, "/static/app.css").await;
    assert!(cache_control(&css).contains("public"));
}

async fn pages_with_a_token_in_their_path_are_never_stored(app: TestApp) {
    let token = "ab".repeat(32);
    for prefix in [
        "/b/",
        "/verify/",
        "/password/reset/",
        "/claim/",
        "/account/email/confirm/",
    ] {
        let path = format!("{prefix}{token}");
        let page = app.get(&path).await;
        assert!(!page.status.is_server_error(), "{path}: {}", page.status);
        assert_security_headers(&path, &page);
        assert_eq!(cache_control(&page), "no-store", "{path}");
    }
    for path in [
        format!("/calendar/{token}.ics"),
        format!("/office-feeds/{token}.ics"),
    ] {
        let page = app.get(&path).await;
        assert_eq!(cache_control(&page), "no-store", "{path}");
    }

    // A real reset link too.
    app.user("Ana").create().await;
    app.post("/password/forgot", &[("email", "ana@example.org")])
        .await;
    let mail = app.last_mail_to("ana@example.org").await.expect("email");
    let link = crate::helpers::link_path(&mail.text, "/password/reset/").expect("link");
    let page = app.get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_security_headers(&link, &page);
    assert_eq!(cache_control(&page), "no-store");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_https_browsers_are_told_to_keep_to_https() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| {
        s.base_url = Some("https://trips.example.org".into())
    })
    .await
    .expect("app");
    let page = app.get("/").await;
    assert_eq!(
        page.headers["strict-transport-security"],
        "max-age=31536000"
    );
    assert_security_headers("/", &page);
}
