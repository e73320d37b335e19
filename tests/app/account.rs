//! The flows behind emailed links: confirming an address, resetting a
//! password, changing the email address, and claiming an imported account
//! (via `trip-planner invite`). Links are read from the outbox, as the
//! worker would send them.

use chrono::Duration;
use reqwest::StatusCode;
use sqlx::Row;
use trip_planner::domain::ids::*;
use trip_planner::store::users;

use crate::helpers::{link_path, new_client, TestApp, PASSWORD};

on_both_databases!(
    a_verification_link_asks_first_then_confirms_once,
    an_expired_verification_link_says_so_and_changes_nothing,
    an_unverified_person_sees_a_notice_and_can_resend_a_few_times,
    a_verification_link_for_an_old_address_does_nothing,
    password_reset_never_reveals_whether_an_account_exists,
    a_reset_link_sets_a_new_password_once_and_retires_older_links,
    a_reset_link_expires_after_an_hour,
    changing_email_confirms_the_new_address_and_tells_the_old_one,
    an_address_taken_by_another_account_gets_the_same_answer_and_its_owner_is_told,
    wrong_current_passwords_count_towards_the_login_throttle,
    an_imported_person_claims_their_account_from_the_invitation,
    account_pages_need_sign_in,
    account_links_and_forms_survive_hostile_values,
);

/// The link path (`/verify/…`) in the newest message to `to`.
async fn link_to(app: &TestApp, to: &str, prefix: &str) -> String {
    let text = app.last_mail_to(to).await.expect("an email").text;
    link_path(&text, prefix).unwrap_or_else(|| panic!("no {prefix} link in {text}"))
}

async fn emails_to(app: &TestApp, to: &str) -> usize {
    app.outbox().await.iter().filter(|m| m.to == to).count()
}

async fn a_verification_link_asks_first_then_confirms_once(app: TestApp) {
    app.user("Ana López").home("94110").sign_up().await;
    let subject = app
        .last_mail_to("ana@example.org")
        .await
        .expect("queued")
        .subject;
    assert_eq!(subject, "Confirm your email address");
    let link = link_to(&app, "ana@example.org", "/verify/").await;

    // A link scanner's GET changes nothing.
    let page = app.get_with(&new_client(), &link).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text("#confirm").contains("ana@example.org"));
    assert_eq!(
        page.attr("#confirm form", "action").as_deref(),
        Some(link.as_str())
    );
    assert!(!app.email_verified("ana@example.org").await);

    let done = app.post(&link, &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(done.location(), Some("/account"));
    let account = app.follow(&done).await;
    assert!(account
        .texts(".flash.ok")
        .join(" ")
        .contains("is confirmed"));
    assert!(account.text("#verify-notice").is_empty());
    assert!(account.text("#account-email").contains("confirmed"));
    assert!(app.email_verified("ana@example.org").await);

    let again = app.post(&link, &[]).await;
    assert_eq!(again.status, StatusCode::GONE);
    assert!(again.text("#link-problem").contains("already been used"));
    let again = app.get(&link).await;
    assert!(again.text("#link-problem").contains("already been used"));

    let bogus = app.get(&format!("/verify/{}", "ab".repeat(32))).await;
    assert_eq!(bogus.status, StatusCode::NOT_FOUND);
    assert!(bogus.text("#link-problem").contains("not valid"));
}

async fn an_expired_verification_link_says_so_and_changes_nothing(app: TestApp) {
    app.user("Ana López").home("94110").sign_up().await;
    let link = link_to(&app, "ana@example.org", "/verify/").await;
    app.clock.set(chrono::Utc::now() + Duration::days(8));
    let page = app.get(&link).await;
    assert_eq!(page.status, StatusCode::GONE);
    assert!(page.text("#link-problem").contains("expired"));
    let post = app.post(&link, &[]).await;
    assert_eq!(post.status, StatusCode::GONE);
    assert!(post.text("#link-problem").contains("expired"));
    assert!(!app.email_verified("ana@example.org").await);
}

async fn an_unverified_person_sees_a_notice_and_can_resend_a_few_times(app: TestApp) {
    app.user("Ana López").home("94110").sign_up().await;
    app.login("ana@example.org", PASSWORD).await;
    let home = app.get("/offices").await;
    assert!(home
        .text("#verify-notice")
        .contains("Check your inbox to confirm your email"));
    assert_eq!(
        home.attr("#verify-notice form", "action").as_deref(),
        Some("/account/verify/resend")
    );
    assert_eq!(emails_to(&app, "ana@example.org").await, 1);

    let resent = app.post("/account/verify/resend", &[]).await;
    assert_eq!(resent.status, StatusCode::SEE_OTHER);
    assert!(app
        .follow(&resent)
        .await
        .text(".flash.ok")
        .contains("sent a new link"));
    assert_eq!(emails_to(&app, "ana@example.org").await, 2);
    app.post("/account/verify/resend", &[]).await;
    assert_eq!(emails_to(&app, "ana@example.org").await, 3);

    // Three links within the hour are enough.
    let refused = app.post("/account/verify/resend", &[]).await;
    assert!(app
        .follow(&refused)
        .await
        .text(".flash.error")
        .contains("several links"));
    assert_eq!(emails_to(&app, "ana@example.org").await, 3);

    // Any of the links works; a verified person sees no notice.
    let link = link_to(&app, "ana@example.org", "/verify/").await;
    app.post(&link, &[]).await;
    assert!(app.get("/offices").await.text("#verify-notice").is_empty());

    // Verified people created directly get no notice either.
    let (_, client) = app.user("Vera").home("94110").signed_in().await;
    assert!(app
        .get_with(&client, "/offices")
        .await
        .text("#verify-notice")
        .is_empty());
}

async fn a_verification_link_for_an_old_address_does_nothing(app: TestApp) {
    app.user("Ana López").home("94110").sign_up().await;
    app.login("ana@example.org", PASSWORD).await;
    let old_link = link_to(&app, "ana@example.org", "/verify/").await;
    app.post(
        "/account/email",
        &[("new_email", "ana@new.example.org"), ("password", PASSWORD)],
    )
    .await;
    let change = link_to(&app, "ana@new.example.org", "/account/email/confirm/").await;
    app.post(&change, &[]).await;
    // The old address's link was retired when the address changed.
    let page = app.post(&old_link, &[]).await;
    assert_eq!(page.status, StatusCode::GONE);
}

async fn password_reset_never_reveals_whether_an_account_exists(app: TestApp) {
    app.user("Ana").home("94110").create().await;
    assert_eq!(
        app.get("/login")
            .await
            .attr("a[href='/password/forgot']", "href")
            .as_deref(),
        Some("/password/forgot")
    );
    assert_eq!(app.get("/password/forgot").await.status, StatusCode::OK);

    let unknown = app
        .post("/password/forgot", &[("email", "nobody@example.org")])
        .await;
    let unknown_text = app.follow(&unknown).await.text(".flash.ok");
    let known = app
        .post("/password/forgot", &[("email", "ANA@example.org")])
        .await;
    let known_text = app.follow(&known).await.text(".flash.ok");
    assert_eq!(unknown.status, known.status);
    assert_eq!(unknown.status, StatusCode::SEE_OTHER);
    assert_eq!(unknown.location(), known.location());
    assert_eq!(unknown_text, known_text);
    assert!(known_text.contains("If an account uses that address"));

    assert_eq!(emails_to(&app, "nobody@example.org").await, 0);
    assert_eq!(app.count("outbox").await, 1);
    let subject = app.last_mail_to("ana@example.org").await.unwrap().subject;
    assert_eq!(subject, "Reset your Trip Planner password");

    let bad = app
        .post("/password/forgot", &[("email", "not an email")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!bad.text("#e-email").is_empty());
}

async fn a_reset_link_sets_a_new_password_once_and_retires_older_links(app: TestApp) {
    app.user("Ana").home("94110").create().await;
    app.post("/password/forgot", &[("email", "ana@example.org")])
        .await;
    let older = link_to(&app, "ana@example.org", "/password/reset/").await;
    app.post("/password/forgot", &[("email", "ana@example.org")])
        .await;
    let link = link_to(&app, "ana@example.org", "/password/reset/").await;
    assert_ne!(older, link);

    let form = app.get(&link).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("ana@example.org"));

    let weak = app.post(&link, &[("new_password", "short")]).await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.text("#e-new_password").contains("10 characters"));

    let new_password = "a brand new phrase";
    let done = app.post(&link, &[("new_password", new_password)]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), Some("/me"));
    assert_eq!(app.follow(&done).await.text(".who"), "Hi, Ana");

    // Single use, and the older link was retired with it.
    assert_eq!(
        app.post(&link, &[("new_password", "yet another phrase")])
            .await
            .status,
        StatusCode::GONE
    );
    let old = app
        .post(&older, &[("new_password", "yet another phrase")])
        .await;
    assert_eq!(old.status, StatusCode::GONE);
    assert!(old.text("#link-problem").contains("already been used"));

    let client = new_client();
    let refused = app
        .post_with(
            &client,
            "/login",
            &[("email", "ana@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    app.login_with(&client, "ana@example.org", new_password)
        .await;
}

async fn a_reset_link_expires_after_an_hour(app: TestApp) {
    app.user("Ana").home("94110").create().await;
    app.post("/password/forgot", &[("email", "ana@example.org")])
        .await;
    let link = link_to(&app, "ana@example.org", "/password/reset/").await;
    app.clock.set(chrono::Utc::now() + Duration::minutes(61));
    let page = app
        .post(&link, &[("new_password", "a brand new phrase")])
        .await;
    assert_eq!(page.status, StatusCode::GONE);
    assert!(page.text("#link-problem").contains("expired"));
    app.login_with(&new_client(), "ana@example.org", PASSWORD)
        .await;
}

async fn changing_email_confirms_the_new_address_and_tells_the_old_one(app: TestApp) {
    let id = app.as_volunteer().await;
    let account = app.get("/account").await;
    assert_eq!(account.status, StatusCode::OK);
    assert_eq!(account.text("#account-name"), "Vera Vol");
    assert!(account.text("#account-email").contains("vol@example.org"));
    assert_eq!(account.text("#account-phone"), "(555) 123-4567");
    assert_eq!(
        account.attr("a[href='/account/email']", "href").as_deref(),
        Some("/account/email")
    );
    assert_eq!(app.get("/account/email").await.status, StatusCode::OK);

    let wrong = app
        .post(
            "/account/email",
            &[
                ("new_email", "vera@new.example.org"),
                ("password", "not my password"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.text("#e-password").contains("current password"));
    assert_eq!(
        wrong.attr("#f-new_email", "value").as_deref(),
        Some("vera@new.example.org")
    );
    assert_eq!(app.count("outbox").await, 0);

    let asked = app
        .post(
            "/account/email",
            &[
                ("new_email", "Vera@New.example.org"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    assert!(app
        .follow(&asked)
        .await
        .text(".flash.ok")
        .contains("vera@new.example.org"));
    // Only the new address hears about it so far, and nothing changed yet.
    assert_eq!(app.count("outbox").await, 1);
    let subject = app
        .last_mail_to("vera@new.example.org")
        .await
        .unwrap()
        .subject;
    assert_eq!(subject, "Confirm your new email address");
    let user = users::by_id(&app.db.pool, UserId(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.email, "vol@example.org");

    let link = link_to(&app, "vera@new.example.org", "/account/email/confirm/").await;
    let page = app.get_with(&new_client(), &link).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text("#confirm").contains("vera@new.example.org"));
    assert_eq!(
        users::by_id(&app.db.pool, UserId(id))
            .await
            .unwrap()
            .unwrap()
            .email,
        "vol@example.org"
    );

    let done = app.post(&link, &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert!(app
        .follow(&done)
        .await
        .text(".flash.ok")
        .contains("now vera@new.example.org"));
    let user = users::by_id(&app.db.pool, UserId(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.email, "vera@new.example.org");
    assert!(user.email_verified);

    let mail = app.last_mail_to("vol@example.org").await.expect("notice");
    let (subject, text) = (mail.subject, mail.text);
    assert_eq!(subject, "Your Trip Planner email address was changed");
    assert!(text.contains("vera@new.example.org"));

    assert_eq!(app.post(&link, &[]).await.status, StatusCode::GONE);
    let client = new_client();
    app.login_with(&client, "vera@new.example.org", PASSWORD)
        .await;
}

async fn an_address_taken_by_another_account_gets_the_same_answer_and_its_owner_is_told(
    app: TestApp,
) {
    let id = app.as_volunteer().await;
    app.user("Tai Taken")
        .email("taken@example.org")
        .home("10001")
        .create()
        .await;
    let asked = |to: &'static str| {
        let app = &app;
        async move {
            let page = app
                .post(
                    "/account/email",
                    &[("new_email", to), ("password", PASSWORD)],
                )
                .await;
            let next = app.follow(&page).await;
            (page.status, page.location().map(str::to_string), next)
        }
    };
    let (free_status, free_to, free_page) = asked("free@example.org").await;
    let (taken_status, taken_to, taken_page) = asked("taken@example.org").await;
    assert_eq!(free_status, StatusCode::SEE_OTHER);
    assert_eq!((taken_status, &taken_to), (free_status, &free_to));
    assert_eq!(
        taken_page.text(".flash.ok").replace("taken@", "free@"),
        free_page.text(".flash.ok")
    );
    assert!(free_page.text(".flash.ok").contains("We sent a link"));

    // The free address gets its link; the taken one's owner is told, with no link.
    assert_eq!(
        app.last_mail_to("free@example.org").await.unwrap().subject,
        "Confirm your new email address"
    );
    let notice = app
        .last_mail_to("taken@example.org")
        .await
        .expect("a notice");
    assert_eq!(notice.subject, "Someone tried to use your address");
    assert!(notice.text.contains("already belongs to your account"));
    assert!(notice.text.contains("/password/forgot"));
    assert!(link_path(&notice.text, "/account/email/confirm/").is_none());
    assert_eq!(emails_to(&app, "taken@example.org").await, 1);

    let same = app
        .post(
            "/account/email",
            &[("new_email", "vol@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(same.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(emails_to(&app, "vol@example.org").await, 0);

    // Taken between the request and the click: the database refuses it.
    app.post(
        "/account/email",
        &[("new_email", "late@example.org"), ("password", PASSWORD)],
    )
    .await;
    let link = link_to(&app, "late@example.org", "/account/email/confirm/").await;
    app.user("Lee")
        .email("late@example.org")
        .home("10001")
        .create()
        .await;
    let page = app.post(&link, &[]).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(page
        .text("#link-problem")
        .contains("Another account already uses late@example.org"));
    let user = users::by_id(&app.db.pool, UserId(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.email, "vol@example.org");
    assert_eq!(emails_to(&app, "vol@example.org").await, 0, "no notice");
}

async fn wrong_current_passwords_count_towards_the_login_throttle(app: TestApp) {
    app.as_volunteer().await;
    for _ in 0..5 {
        let wrong = app
            .post(
                "/account/email",
                &[
                    ("new_email", "new@example.org"),
                    ("password", "a wrong guess"),
                ],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    // The right password is not even checked now, here or at the login.
    let locked = app
        .post(
            "/account/email",
            &[("new_email", "new@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(locked
        .text("#e-password")
        .contains("Too many failed attempts"));
    let login = app
        .post_with(
            &new_client(),
            "/login",
            &[("email", "vol@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(login.status, StatusCode::TOO_MANY_REQUESTS);
    let password = app
        .post(
            "/account/password",
            &[
                ("password", PASSWORD),
                ("new_password", "a brand new phrase"),
            ],
        )
        .await;
    assert_eq!(password.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(app.count("outbox").await, 0);

    // And the other way round: failed logins lock the form too, until the window ends.
    app.clock.set(chrono::Utc::now() + Duration::minutes(16));
    let ok = app
        .post(
            "/account/email",
            &[("new_email", "new@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    for _ in 0..5 {
        app.post_with(
            &new_client(),
            "/login",
            &[("email", "vol@example.org"), ("password", "a wrong guess")],
        )
        .await;
    }
    let locked = app
        .post(
            "/account/email",
            &[("new_email", "other@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
}

fn invite(app: &TestApp) -> (bool, String, String) {
    app.cli_with(&[("BASE_URL", "https://trips.example.org")], &["invite"])
}

async fn an_imported_person_claims_their_account_from_the_invitation(app: TestApp) {
    // As `trip-planner import` creates people: no password, no home, not verified.
    // (Plain SQL: sqlx 0.8.6's `Any` binds a NULL f64 as float4 on PostgreSQL and
    // caches the statement, which breaks the next insert with a home.)
    let id: i64 = sqlx::query(
        "INSERT INTO users (email, name, is_admin, email_verified, created_at) \
         VALUES ($1, $2, 0, 0, $3) RETURNING id",
    )
    .bind("imported@example.org")
    .bind("Ida Imported")
    .bind(app.clock.now_text())
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
    .get("id");
    app.user("Vera").home("94110").create().await;

    // Before claiming, logging in reveals nothing about the account.
    let login = app
        .post(
            "/login",
            &[
                ("email", "imported@example.org"),
                ("password", "anything at all"),
            ],
        )
        .await;
    assert_eq!(login.status, StatusCode::UNAUTHORIZED);
    assert!(login.text(".flash.error").contains("don't match"));

    let (ok, out, err) = invite(&app);
    assert!(ok, "{err}");
    assert!(out.contains("Queued 1 invitation"), "{out}");
    let (ok, out, _) = invite(&app);
    assert!(ok);
    assert!(
        out.contains("Queued 0 invitation"),
        "invited once a week: {out}"
    );
    assert_eq!(app.count("outbox").await, 1);
    let mail = app.last_mail_to("imported@example.org").await.unwrap();
    let (subject, text) = (mail.subject, mail.text);
    assert_eq!(subject, "Your Trip Planner account is ready");
    assert!(text.contains("https://trips.example.org/claim/"), "{text}");

    let link = link_to(&app, "imported@example.org", "/claim/").await;
    let page = app.get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("imported@example.org"));
    let weak = app.post(&link, &[("new_password", "short")]).await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    let done = app
        .post(&link, &[("new_password", "my own phrase here")])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(app.follow(&done).await.text(".who"), "Hi, Ida");
    let user = users::by_id(&app.db.pool, UserId(id))
        .await
        .unwrap()
        .unwrap();
    assert!(user.email_verified, "the claim link confirms the address");
    assert!(user.password_hash.is_some());

    assert_eq!(
        app.post(&link, &[("new_password", "another phrase here")])
            .await
            .status,
        StatusCode::GONE
    );
    app.login_with(&new_client(), "imported@example.org", "my own phrase here")
        .await;
    // Claimed accounts are not invited again.
    let (_, out, _) = invite(&app);
    assert!(out.contains("Queued 0 invitation"), "{out}");
}

async fn account_pages_need_sign_in(app: TestApp) {
    for path in ["/account", "/account/email"] {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
        assert!(page.location().unwrap().starts_with("/login?next="));
    }
    let page = app
        .post(
            "/account/email",
            &[("new_email", "x@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.post("/account/verify/resend", &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(app.count("outbox").await, 0);
}

async fn account_links_and_forms_survive_hostile_values(app: TestApp) {
    const EVIL: &[&str] = &[
        "<script>alert('x')</script>",
        "\u{0}nul\u{0}",
        "'; DROP TABLE users; --",
        "%00%ZZ",
        "\r\nSet-Cookie: x=1",
        "../../etc/passwd",
    ];
    let long = "x".repeat(100_000);
    let check = |what: String, page: crate::helpers::Page| {
        assert!(
            page.status.is_client_error()
                || page.status.is_redirection()
                || page.status.is_success(),
            "{what}: {}",
            page.status
        );
        assert!(!page.body.contains("<script>alert"), "{what} reflected raw");
    };
    for evil in EVIL.iter().copied().chain([long.as_str()]) {
        check(
            format!("forgot {evil:?}"),
            app.post("/password/forgot", &[("email", evil)]).await,
        );
        // (A 100,000-character path is not even a valid URI for the client.)
        if evil.len() > 1000 {
            continue;
        }
        for prefix in [
            "/verify/",
            "/password/reset/",
            "/claim/",
            "/account/email/confirm/",
        ] {
            let path = format!("{prefix}{}", segment(evil));
            check(format!("GET {path}"), app.get(&path).await);
            check(
                format!("POST {path}"),
                app.post(&path, &[("new_password", evil)]).await,
            );
        }
    }
    app.as_volunteer().await;
    for evil in EVIL.iter().copied().chain([long.as_str()]) {
        check(
            format!("email change {evil:?}"),
            app.post("/account/email", &[("new_email", evil), ("password", evil)])
                .await,
        );
    }
    assert_eq!(app.count("outbox").await, 0);
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
}

/// Percent-encodes a path segment.
fn segment(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
