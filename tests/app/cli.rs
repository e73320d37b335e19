use reqwest::StatusCode;

use crate::helpers::TestApp;

on_both_databases!(
    admin_create_prints_a_password_that_signs_in_as_admin,
    migrate_is_idempotent_and_help_describes_every_command
);

async fn admin_create_prints_a_password_that_signs_in_as_admin(app: TestApp) {
    let (ok, out, err) = app.cli(&[
        "admin",
        "create",
        "--email",
        "Boss@Example.org",
        "--name",
        "Bo Boss",
    ]);
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
    let (ok, out2, _) = app.cli(&[
        "admin",
        "create",
        "--email",
        "boss@example.org",
        "--name",
        "Bo Boss",
    ]);
    assert!(ok);
    assert_ne!(out, out2);
    assert_eq!(app.count("users").await, 1);

    let (ok, _, err) = app.cli(&["admin", "create", "--email", "not an email", "--name", "X"]);
    assert!(!ok);
    assert!(err.contains("--email"), "{err}");
}

async fn migrate_is_idempotent_and_help_describes_every_command(app: TestApp) {
    let (ok, _, err) = app.cli(&["migrate"]);
    assert!(ok, "{err}");
    assert!(err.contains("up to date"));
    let (ok, help, _) = app.cli(&["--help"]);
    assert!(ok);
    for command in ["serve", "migrate", "demo", "admin", "import", "matches"] {
        assert!(help.contains(command), "{command} missing from --help");
    }
    let (ok, serve_help, _) = app.cli(&["serve", "--help"]);
    assert!(ok);
    assert!(
        serve_help.contains("--demo")
            && serve_help.contains("BIND")
            && serve_help.contains("DATABASE_URL")
    );
    let (ok, _, err) = app.cli(&["import", "planets", "x.csv"]);
    assert!(!ok);
    assert!(err.contains("planets"));
}
