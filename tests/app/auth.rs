use chrono::Duration;
use reqwest::StatusCode;

use crate::helpers::{link_path, new_client, TestApp, PASSWORD};

on_both_databases!(
    signing_up_sends_a_link_that_confirms_the_address_and_signs_in,
    signing_up_with_a_taken_address_answers_the_same_and_tells_its_owner,
    bad_signup_input_gets_messages_beside_each_field,
    a_wrong_password_fails_without_saying_which_part_was_wrong,
    logging_out_ends_the_session,
    repeated_failed_logins_lock_the_account_for_a_while,
    parallel_wrong_passwords_get_five_checks_and_a_reset_lifts_the_lock,
    a_cross_site_post_is_refused_and_changes_nothing,
    hostile_input_is_never_reflected_raw,
    login_never_redirects_off_site,
);

async fn signing_up_sends_a_link_that_confirms_the_address_and_signs_in(app: TestApp) {
    assert_eq!(app.get("/signup").await.status, StatusCode::OK);
    let page = app
        .post(
            "/signup",
            &[
                ("name", "Ana López"),
                ("email", " Ana@Example.org "),
                ("new_password", PASSWORD),
                ("home", "94110-1234"),
                ("phone", ""),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.text("#check-inbox").contains("ana@example.org"));
    assert!(page.headers.get("set-cookie").is_none(), "nobody signed in");
    assert!(app.get("/").await.texts(".who").is_empty());

    let user = trip_planner::store::users::by_email(&app.db.pool, "ana@example.org")
        .await
        .unwrap()
        .expect("stored");
    assert!(!user.email_verified);
    assert_eq!(user.home.unwrap().zip.as_deref(), Some("94110"));
    let hash = user.password_hash.unwrap();
    assert_ne!(hash, PASSWORD);
    assert!(hash.starts_with("$argon2"));

    // The emailed link confirms the address and signs in.
    let mail = app.last_mail_to("ana@example.org").await.expect("email");
    assert_eq!(mail.subject, "Confirm your email address");
    let link = link_path(&mail.text, "/verify/").expect("a link");
    let done = app.post(&link, &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let cookie = done
        .headers
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    let next = app.follow(&done).await;
    assert_eq!(next.text(".who"), "Hi, Ana");
    assert!(next.texts(".flash.ok").join(" ").contains("logged in"));
    assert!(app.email_verified("ana@example.org").await);
}

async fn signing_up_with_a_taken_address_answers_the_same_and_tells_its_owner(app: TestApp) {
    app.user("Ana").home("94110").create().await;
    let sign_up = |email: &'static str| {
        let app = &app;
        async move {
            app.post_with(
                &new_client(),
                "/signup",
                &[
                    ("name", "Another Ana"),
                    ("email", email),
                    ("new_password", PASSWORD),
                    ("home", "10001"),
                    ("phone", ""),
                ],
            )
            .await
        }
    };
    let free = sign_up("new@example.org").await;
    let taken = sign_up("ANA@example.org").await;
    assert_eq!(free.status, StatusCode::OK);
    assert_eq!(taken.status, free.status);
    assert_eq!(
        taken.body.replace("ana@example.org", "ADDRESS"),
        free.body.replace("new@example.org", "ADDRESS"),
        "the same page apart from the address typed"
    );
    assert!(free.headers.get("set-cookie").is_none());
    assert!(taken.headers.get("set-cookie").is_none());
    assert_eq!(app.count("users").await, 2, "ana and new");

    // The owner hears about it, with a way in; their account is unchanged.
    let mail = app.last_mail_to("ana@example.org").await.expect("a notice");
    assert_eq!(mail.subject, "Someone tried to sign up with your address");
    assert!(mail.text.contains("already belongs to your account"));
    let reset = link_path(&mail.text, "/password/reset/").expect("a reset link");
    let user = trip_planner::store::users::by_email(&app.db.pool, "ana@example.org")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.name, "Ana");
    app.login_with(&new_client(), "ana@example.org", PASSWORD)
        .await;
    assert_eq!(app.get(&reset).await.status, StatusCode::OK);

    // A few notices an hour at most, however often someone tries.
    for _ in 0..4 {
        assert_eq!(sign_up("ana@example.org").await.status, StatusCode::OK);
    }
    let notices = app
        .outbox()
        .await
        .iter()
        .filter(|m| m.to == "ana@example.org")
        .count();
    assert_eq!(notices, 3);
}

async fn bad_signup_input_gets_messages_beside_each_field(app: TestApp) {
    let page = app
        .post(
            "/signup",
            &[
                ("name", ""),
                ("email", "not-an-email"),
                ("new_password", "short"),
                ("home", "Nowhereville, ZZ"),
                ("phone", "call me"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.text("#e-name").contains("name"));
    assert!(page.text("#e-email").contains("valid email"));
    assert!(page.text("#e-new_password").contains("10 characters"));
    assert!(!page.text("#e-home").is_empty());
    assert!(!page.text("#e-phone").is_empty());
    assert_eq!(
        page.attr("#f-home", "value").as_deref(),
        Some("Nowhereville, ZZ")
    );
    assert_eq!(app.count("users").await, 0);

    let weak = app
        .post(
            "/signup",
            &[
                ("name", "Bo"),
                ("email", "bo@example.org"),
                ("new_password", "password123"),
                ("home", "10001"),
                ("phone", ""),
            ],
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.text("#e-new_password").contains("too easy"));
    assert_eq!(app.count("users").await, 0);
}

async fn a_wrong_password_fails_without_saying_which_part_was_wrong(app: TestApp) {
    app.user("Ana").home("94110").create().await;
    let wrong_pw = app
        .post(
            "/login",
            &[
                ("email", "ana@example.org"),
                ("password", "wrong password!"),
            ],
        )
        .await;
    let no_such = app
        .post(
            "/login",
            &[("email", "nobody@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(wrong_pw.status, StatusCode::UNAUTHORIZED);
    assert_eq!(no_such.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong_pw.text(".flash.error"), no_such.text(".flash.error"));
    assert!(wrong_pw.text(".flash.error").contains("don't match"));
    assert_eq!(
        wrong_pw.attr("#f-email", "value").as_deref(),
        Some("ana@example.org")
    );
    assert!(app.get("/").await.texts(".who").is_empty());
}

async fn logging_out_ends_the_session(app: TestApp) {
    app.user("Ana Lopez").home("94110").create().await;
    app.login("ana@example.org", PASSWORD).await;
    assert_eq!(app.get("/").await.text(".who"), "Hi, Ana");
    let out = app.post("/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let home = app.follow(&out).await;
    assert!(home.texts(".who").is_empty());
    assert!(home.texts(".flash.ok").join(" ").contains("logged out"));
    let admin = app.get("/admin").await;
    assert_eq!(admin.status, StatusCode::SEE_OTHER);
    assert_eq!(admin.location(), Some("/login?next=/admin"));
}

async fn repeated_failed_logins_lock_the_account_for_a_while(app: TestApp) {
    app.user("Ana").home("94110").create().await;
    for _ in 0..5 {
        let p = app
            .post(
                "/login",
                &[
                    ("email", "ana@example.org"),
                    ("password", "not the password"),
                ],
            )
            .await;
        assert_eq!(p.status, StatusCode::UNAUTHORIZED);
    }
    let locked = app
        .post(
            "/login",
            &[("email", "ana@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(locked
        .text(".flash.error")
        .contains("Too many failed attempts"));

    // Another account from the same address is not affected (offices share one IP).
    app.user("Bo").home("10001").create().await;
    app.login_with(&new_client(), "bo@example.org", PASSWORD)
        .await;

    app.clock.set(chrono::Utc::now() + Duration::minutes(16));
    app.login("ana@example.org", PASSWORD).await;
}

async fn parallel_wrong_passwords_get_five_checks_and_a_reset_lifts_the_lock(app: TestApp) {
    app.user("Ana").home("94110").create().await;
    let second = app.second_instance().await;

    // 40 guesses at once, half through each instance, each from its own client.
    let mut guesses = tokio::task::JoinSet::new();
    for i in 0..40 {
        let base = if i % 2 == 0 { &app.base } else { &second.base }.clone();
        guesses.spawn(async move {
            new_client()
                .post(format!("{base}/login"))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("origin", &base)
                .header("sec-fetch-site", "same-origin")
                .body(format!("email=ana%40example.org&password=guess+number+{i}"))
                .send()
                .await
                .expect("POST /login")
                .status()
        });
    }
    let statuses: Vec<StatusCode> = guesses.join_all().await;
    let wrong = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((wrong, refused), (5, 35), "{statuses:?}");

    // The owner is locked out too, but the reset link always works and lifts the lock.
    let locked = app
        .post(
            "/login",
            &[("email", "ana@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    app.post("/password/forgot", &[("email", "ana@example.org")])
        .await;
    let mail = app
        .last_mail_to("ana@example.org")
        .await
        .expect("a reset email");
    let link = link_path(&mail.text, "/password/reset/").expect("a reset link");
    let done = app
        .post(&link, &[("new_password", "a brand new phrase")])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(app.follow(&done).await.text(".who"), "Hi, Ana");
    app.login_with(&new_client(), "ana@example.org", "a brand new phrase")
        .await;
}

async fn a_cross_site_post_is_refused_and_changes_nothing(app: TestApp) {
    let resp = app
        .client
        .post(app.url("/signup"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .body("name=Eve&email=eve%40example.org&new_password=correct+horse+battery&home=94110")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("sent from another site"));
    assert_eq!(app.count("users").await, 0);

    // An old browser without Fetch Metadata, from another origin: refused too.
    let resp = app
        .client
        .post(app.url("/signup"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", "https://evil.example")
        .body("name=Eve&email=eve%40example.org&new_password=correct+horse+battery&home=94110")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("users").await, 0);
}

async fn hostile_input_is_never_reflected_raw(app: TestApp) {
    let evil = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>";
    let page = app
        .post(
            "/signup",
            &[
                ("name", evil),
                ("email", evil),
                ("new_password", "x"),
                ("home", evil),
                ("phone", evil),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!page.body.contains("<script>alert(1)"));
    assert!(!page.body.contains("<img src=x"));
    assert!(page.body.contains("&lt;script&gt;") || page.body.contains("&#60;script&#62;"));

    for path in [
        "/offices/abc",
        "/offices/99999999999999999999999",
        "/offices/%3Cscript%3E",
        "/admin/offices/-1/edit",
    ] {
        let p = app.get(path).await;
        assert!(
            p.status.is_client_error() || p.status.is_redirection(),
            "{path}: {}",
            p.status
        );
        assert!(!p.body.contains("<script>"), "{path}");
    }
    let garbled = app
        .client
        .post(app.url("/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("email=%ZZ%3Cscript%3E&password[]=<b>")
        .send()
        .await
        .unwrap();
    assert!(garbled.status().is_client_error());
    assert!(!garbled.text().await.unwrap().contains("<script>"));
}

async fn login_never_redirects_off_site(app: TestApp) {
    app.user("Ana").home("94110").create().await;
    let page = app
        .post(
            "/login",
            &[
                ("email", "ana@example.org"),
                ("password", PASSWORD),
                ("next", "//evil.example/x"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), Some("/me"), "where a volunteer lands");
    let page2 = app.get("/login?next=/offices").await;
    assert_eq!(
        page2.status,
        StatusCode::SEE_OTHER,
        "already signed in goes on"
    );
    assert_eq!(page2.location(), Some("/offices"));
}
