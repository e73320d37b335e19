//! A log-in storm: password hashes run a bounded number at a time, and a
//! request that cannot get a turn within PASSWORD_WAIT_MS gets a friendly
//! "busy, try again" page (503 with Retry-After) that changes nothing.

use std::sync::Arc;

use reqwest::StatusCode;

use crate::helpers::{Backend, TestApp, PASSWORD};

/// Runs `async fn(TestApp)` on SQLite and, when configured, on PostgreSQL,
/// with a password wait of a few milliseconds.
macro_rules! with_a_short_password_wait {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    if let Some(app) = super::spawn(super::Backend::Sqlite).await {
                        super::$name(app).await
                    }
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = super::spawn(super::Backend::Postgres).await {
                        super::$name(app).await
                    }
                }
            }
        )*
    };
}

with_a_short_password_wait!(
    a_login_waiting_too_long_for_a_hasher_is_told_to_try_again,
    a_sign_up_waiting_too_long_creates_nothing,
);

async fn spawn(backend: Backend) -> Option<TestApp> {
    TestApp::spawn_with(backend, |s| s.password_wait_ms = 30).await
}

/// Takes every hasher permit of the app, as a storm of other log-ins would.
async fn hold_every_hasher(app: &TestApp) -> tokio::sync::OwnedSemaphorePermit {
    let permits = app.state.passwords.permits();
    let n = permits.available_permits() as u32;
    assert!(n >= 1);
    Arc::clone(permits)
        .acquire_many_owned(n)
        .await
        .expect("permits")
}

async fn a_login_waiting_too_long_for_a_hasher_is_told_to_try_again(app: TestApp) {
    app.user("Ana Lee").email("ana@example.org").create().await;
    let held = hold_every_hasher(&app).await;

    let form = [
        ("email", "ana@example.org"),
        ("password", PASSWORD),
        ("next", "/"),
    ];
    let busy = app.post("/login", &form).await;
    assert_eq!(
        busy.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        busy.body
    );
    assert_eq!(
        busy.headers
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("5")
    );
    assert!(busy.text("h1").contains("busy"), "{}", busy.text("h1"));
    assert!(
        busy.text("main").contains("try again"),
        "{}",
        busy.text("main")
    );
    // Not signed in, and not counted as a failed log-in either.
    assert_eq!(app.count("login_failures").await, 0);
    assert_eq!(app.get("/me").await.status, StatusCode::SEE_OTHER);

    // A hasher is free again: the same log-in goes through.
    drop(held);
    let page = app.post("/login", &form).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(app.get("/me").await.status, StatusCode::OK);
}

async fn a_sign_up_waiting_too_long_creates_nothing(app: TestApp) {
    let held = hold_every_hasher(&app).await;
    let busy = app
        .post(
            "/signup",
            &[
                ("name", "Bo Busy"),
                ("email", "bo@example.org"),
                ("new_password", PASSWORD),
                ("home", "60616"),
                ("phone", ""),
            ],
        )
        .await;
    assert_eq!(
        busy.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        busy.body
    );
    assert!(busy.headers.contains_key("retry-after"));
    assert_eq!(app.count("users").await, 0);
    assert_eq!(app.count("outbox").await, 0);
    drop(held);
    app.user("Bo Busy").sign_up().await;
    assert_eq!(app.count("users").await, 1);
}
