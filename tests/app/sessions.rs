//! Sessions: a new password or email address signs the account out
//! everywhere else.

use reqwest::StatusCode;

use crate::helpers::{link_path, new_client, TestApp, PASSWORD};

on_both_databases!(
    a_password_reset_ends_every_session_opened_before_it,
    changing_the_password_ends_the_other_sessions_and_keeps_this_one,
    changing_the_email_address_ends_the_other_sessions_and_keeps_this_one,
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
