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
    for command in [
        "serve", "migrate", "demo", "admin", "import", "matches", "propose",
    ] {
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

/// `serve --demo` on a fresh database tells the person at the terminal, on
/// stdout, where the site is, how big the demo is and how to log in; the
/// README and the home page give the same figures.
#[tokio::test]
async fn serve_demo_prints_its_url_figures_and_logins_on_stdout() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    use std::sync::mpsc;
    use std::time::Duration;

    let dir = tempfile::tempdir().unwrap();
    let db_url = format!("sqlite://{}?mode=rwc", dir.path().join("demo.db").display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_trip-planner"))
        .args(["serve", "--demo"])
        .env("DATABASE_URL", &db_url)
        .env("BIND", "127.0.0.1:0")
        .env("MAIL_DIR", dir.path().join("mail"))
        .env("RUST_LOG", "warn")
        .env_remove("BASE_URL")
        .env_remove("SMTP_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start serve");
    let stdout = child.stdout.take().unwrap();
    // Stops the server however the test ends, failed assertions included.
    struct Stop(std::process::Child);
    impl Drop for Stop {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let _server = Stop(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    // Up to a minute for the demo to load (a slow, shared machine); the lines
    // arrive as they are printed.
    let mut lines = vec![];
    let opened = loop {
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(line) => {
                let done = line.starts_with("Open ");
                lines.push(line);
                if done {
                    break true;
                }
            }
            Err(_) => break false,
        }
    };
    let printed = lines.join("\n");
    assert!(opened, "no login lines on stdout:\n{printed}");
    let url = printed
        .lines()
        .find_map(|l| l.strip_prefix("Trip Planner is running at "))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or_else(|| panic!("no URL on stdout:\n{printed}"))
        .to_string();
    assert!(
        url.starts_with("http://127.0.0.1:") && !url.ends_with(":0"),
        "the bound port, not 0: {url}"
    );
    for login in [
        trip_planner::demo::ADMIN_EMAIL,
        trip_planner::demo::STAFF_EMAIL,
        trip_planner::demo::VOLUNTEER_EMAIL,
        trip_planner::demo::DEMO_PASSWORD,
    ] {
        assert!(printed.contains(login), "{login} missing:\n{printed}");
    }
    let figures = printed
        .lines()
        .find_map(|l| l.strip_prefix("Demo loaded: "))
        .unwrap_or_else(|| panic!("no figures on stdout:\n{printed}"))
        .trim_end_matches('.')
        .to_string();
    // The README quotes the same line (wrapped anywhere).
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        readme.contains(&format!("Demo loaded: {figures}.")),
        "README does not state the demo's figures: {figures}"
    );
    // The home page counts the same offices and people.
    let home = reqwest::get(format!("{url}/"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let page = crate::helpers::Page {
        status: StatusCode::OK,
        headers: Default::default(),
        body: home,
    };
    let counts = page.texts("main > p.muted").join(" ");
    let mut words = figures.split(", ");
    let (offices, people) = (words.next().unwrap(), words.next().unwrap());
    assert!(
        counts.contains(offices) && counts.contains(people),
        "home page says {counts:?}, the demo {figures}"
    );
}
