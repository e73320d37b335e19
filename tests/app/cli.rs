use std::process::Command;

use reqwest::StatusCode;

use crate::helpers::TestApp;

on_both_databases!(
    admin_create_prints_a_password_that_signs_in_as_admin,
    migrate_is_idempotent_and_help_describes_every_command
);

fn run(app: &TestApp, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_trip-planner"))
        .args(args)
        .env("DATABASE_URL", &app.database_url)
        .env_remove("ADMIN_PASSWORD")
        .env("RUST_LOG", "warn")
        .output()
        .expect("run trip-planner");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

async fn admin_create_prints_a_password_that_signs_in_as_admin(app: TestApp) {
    let (ok, out, err) = run(
        &app,
        &[
            "admin",
            "create",
            "--email",
            "Boss@Example.org",
            "--name",
            "Bo Boss",
        ],
    );
    assert!(ok, "{err}");
    let password = out
        .trim()
        .strip_prefix("Password: ")
        .expect("a printed password")
        .to_string();
    assert!(password.len() >= 10);
    app.login("boss@example.org", &password).await;
    assert_eq!(app.get("/admin").await.status, StatusCode::OK);

    // Running it again for the same email makes a new password, not a second account.
    let (ok, out2, _) = run(
        &app,
        &[
            "admin",
            "create",
            "--email",
            "boss@example.org",
            "--name",
            "Bo Boss",
        ],
    );
    assert!(ok);
    assert_ne!(out, out2);
    assert_eq!(app.count("users").await, 1);

    let (ok, _, err) = run(
        &app,
        &["admin", "create", "--email", "not an email", "--name", "X"],
    );
    assert!(!ok);
    assert!(err.contains("--email"), "{err}");
}

async fn migrate_is_idempotent_and_help_describes_every_command(app: TestApp) {
    let (ok, _, err) = run(&app, &["migrate"]);
    assert!(ok, "{err}");
    assert!(err.contains("up to date"));
    let (ok, help, _) = run(&app, &["--help"]);
    assert!(ok);
    for command in ["serve", "migrate", "demo", "admin", "import", "matches"] {
        assert!(help.contains(command), "{command} missing from --help");
    }
    let (ok, serve_help, _) = run(&app, &["serve", "--help"]);
    assert!(ok);
    assert!(
        serve_help.contains("--demo")
            && serve_help.contains("BIND")
            && serve_help.contains("DATABASE_URL")
    );
    let (ok, _, err) = run(&app, &["import", "planets", "x.csv"]);
    assert!(!ok);
    assert!(err.contains("planets"));
}
