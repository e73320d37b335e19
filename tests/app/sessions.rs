//! Sessions: a new password or email address signs the account out
//! everywhere else; logging out retires the session id; a session ends
//! after 14 idle days or 30 days in all, by the app's clock.

use chrono::Duration;
use reqwest::StatusCode;

use sqlx::Row;

use crate::helpers::{link_path, new_client, TestApp, PASSWORD};

on_both_databases!(
    a_password_reset_ends_every_session_opened_before_it,
    changing_the_password_ends_the_other_sessions_and_keeps_this_one,
    changing_the_email_address_ends_the_other_sessions_and_keeps_this_one,
    logging_out_retires_the_session_id,
    a_session_ends_after_fourteen_idle_days,
    a_session_ends_thirty_days_after_login_however_active,
);

/// Whether `client` reaches its own page (else it is sent to log in).
async fn signed_in(app: &TestApp, client: &reqwest::Client) -> bool {
    let page = app.get_with(client, "/me").await;
    match page.status {
        StatusCode::OK => true,
        StatusCode::SEE_OTHER => {
            assert!(page.location().unwrap_or("").starts_with("/login"));
            false
        }
        other => panic!("/me answered {other}"),
    }
}

async fn a_password_reset_ends_every_session_opened_before_it(app: TestApp) {
    let (_, laptop) = app.user("Ana Lopez").signed_in().await;
    let phone = new_client();
    app.login_with(&phone, "ana@example.org", PASSWORD).await;
    // Someone else on the same site keeps their session.
    let (_, other) = app.user("Bo Other").signed_in().await;
    assert!(signed_in(&app, &laptop).await && signed_in(&app, &phone).await);

    let browser = new_client();
    app.post_with(
        &browser,
        "/password/forgot",
        &[("email", "ana@example.org")],
    )
    .await;
    let mail = app.last_mail_to("ana@example.org").await.expect("email");
    let link = link_path(&mail.text, "/password/reset/").expect("link");
    let done = app
        .post_with(&browser, &link, &[("new_password", "a brand new phrase")])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);

    assert!(!signed_in(&app, &laptop).await, "the laptop was signed out");
    assert!(!signed_in(&app, &phone).await, "the phone was signed out");
    assert!(signed_in(&app, &browser).await, "the reset signs in");
    assert!(
        signed_in(&app, &other).await,
        "other accounts are untouched"
    );
}

async fn changing_the_password_ends_the_other_sessions_and_keeps_this_one(app: TestApp) {
    let (_, laptop) = app.user("Ana Lopez").signed_in().await;
    let phone = new_client();
    app.login_with(&phone, "ana@example.org", PASSWORD).await;
    let account = app.get_with(&laptop, "/account").await;
    assert_eq!(
        account
            .attr("a[href='/account/password']", "href")
            .as_deref(),
        Some("/account/password")
    );
    assert_eq!(
        app.get_with(&laptop, "/account/password").await.status,
        StatusCode::OK
    );

    let wrong = app
        .post_with(
            &laptop,
            "/account/password",
            &[
                ("password", "not my password"),
                ("new_password", "a brand new phrase"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.text("#e-password").contains("current password"));
    assert!(signed_in(&app, &phone).await, "nothing changed");

    let done = app
        .post_with(
            &laptop,
            "/account/password",
            &[
                ("password", PASSWORD),
                ("new_password", "a brand new phrase"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), Some("/account"));
    assert!(app
        .follow_with(&laptop, &done)
        .await
        .text(".flash.ok")
        .contains("new password is saved"));

    assert!(signed_in(&app, &laptop).await, "this session stays");
    assert!(!signed_in(&app, &phone).await, "the other one ended");
    let refused = app
        .post_with(
            &new_client(),
            "/login",
            &[("email", "ana@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    app.login_with(&new_client(), "ana@example.org", "a brand new phrase")
        .await;
}

async fn changing_the_email_address_ends_the_other_sessions_and_keeps_this_one(app: TestApp) {
    let (_, laptop) = app.user("Ana Lopez").signed_in().await;
    let phone = new_client();
    app.login_with(&phone, "ana@example.org", PASSWORD).await;
    app.post_with(
        &laptop,
        "/account/email",
        &[("new_email", "ana@new.example.org"), ("password", PASSWORD)],
    )
    .await;
    assert!(
        signed_in(&app, &phone).await,
        "nothing changes until the link"
    );
    let mail = app
        .last_mail_to("ana@new.example.org")
        .await
        .expect("email");
    let link = link_path(&mail.text, "/account/email/confirm/").expect("link");
    let done = app.post_with(&laptop, &link, &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);

    assert!(signed_in(&app, &laptop).await, "this session stays");
    assert!(!signed_in(&app, &phone).await, "the other one ended");
}

/// The session id a response sets, if any.
fn session_cookie(page: &crate::helpers::Page) -> Option<String> {
    page.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("tp_session="))
        .map(|c| c.split(';').next().unwrap_or("").to_string())
}

/// Whether a browser holding only this session id reaches its own page.
async fn id_signed_in(app: &TestApp, id: &str) -> bool {
    let page = app
        .client
        .get(app.url("/me"))
        .header("cookie", format!("tp_session={id}"))
        .send()
        .await
        .expect("GET /me");
    page.status() == StatusCode::OK
}

async fn logging_out_retires_the_session_id(app: TestApp) {
    app.user("Ana Lopez").create().await;
    let client = new_client();
    let login = app
        .post_with(
            &client,
            "/login",
            &[("email", "ana@example.org"), ("password", PASSWORD)],
        )
        .await;
    let signed_in_id = session_cookie(&login).expect("a session");
    assert!(id_signed_in(&app, &signed_in_id).await);

    let out = app.post_with(&client, "/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    // The goodbye message lives in a session of its own, under a new id.
    let after = session_cookie(&out).expect("a session for the goodbye message");
    assert_ne!(after, signed_in_id);
    assert!(app
        .follow_with(&client, &out)
        .await
        .text(".flash.ok")
        .contains("logged out"));
    assert!(!id_signed_in(&app, &signed_in_id).await);
    assert!(!id_signed_in(&app, &after).await);
    let count: i64 = sqlx::query("SELECT COUNT(*) AS n FROM sessions WHERE id = $1")
        .bind(&signed_in_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get("n");
    assert_eq!(count, 0, "the signed-in session is gone");
}

/// A request that writes the session (a message for the next page).
async fn touch(app: &TestApp, client: &reqwest::Client) {
    let page = app.post_with(client, "/account/verify/resend", &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    app.follow_with(client, &page).await;
}

async fn a_session_ends_after_fourteen_idle_days(app: TestApp) {
    let t0 = chrono::Utc::now();
    app.clock.set(t0);
    let (_, client) = app.user("Ana Lopez").signed_in().await;
    app.clock.set(t0 + Duration::days(13));
    assert!(signed_in(&app, &client).await);
    app.clock.set(t0 + Duration::days(15));
    assert!(!signed_in(&app, &client).await);
}

async fn a_session_ends_thirty_days_after_login_however_active(app: TestApp) {
    let t0 = chrono::Utc::now();
    app.clock.set(t0);
    let (_, client) = app.user("Ana Lopez").signed_in().await;
    for days in [10, 20, 29] {
        app.clock.set(t0 + Duration::days(days));
        touch(&app, &client).await;
        assert!(signed_in(&app, &client).await, "day {days}");
    }
    app.clock.set(t0 + Duration::days(31));
    assert!(!signed_in(&app, &client).await, "30 days are the most");
    // Logging in again starts a new session.
    app.login_with(&client, "ana@example.org", PASSWORD).await;
    assert!(signed_in(&app, &client).await);
}
