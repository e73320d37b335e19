//! People's data: the privacy page, who read my details, export, erase, purge.

use reqwest::StatusCode;

use sqlx::Row;

use crate::helpers::{Backend, TestApp, PASSWORD};

/// Tia's own phone (built accounts share one by default).
const TIA_PHONE: &str = "(555) 987-0011";

on_both_backends!(
    deleting_my_account_cancels_bookings_and_leaves_nothing_personal,
    the_jobs_purge_daily_what_ended_purge_after_days_ago,
    sent_emails_are_kept_seven_days,
);

on_both_databases!(
    the_privacy_page_says_who_sees_what_and_is_linked_from_footer_and_signup,
    the_account_page_lists_staff_who_read_my_contact_details,
    download_my_data_gives_one_json_file_with_every_section,
    download_my_data_needs_a_login,
    erase_from_the_command_line_previews_then_erases,
    purge_dry_runs_then_removes_what_ended_and_keeps_counts,
    wrong_passwords_on_the_delete_form_are_throttled_like_logins,
);

struct Scene {
    office: i64,
    driver: (i64, reqwest::Client),
    traveller: (i64, reqwest::Client),
    staff: (i64, reqwest::Client),
    booking: i64,
}

/// A Chicago driver and traveller to Milwaukee, the ride accepted, and a
/// Milwaukee staff member who opened the booking (and so read both contacts).
async fn scene(app: &TestApp) -> Scene {
    let office = app.office("Milwaukee Field Office", "53202").create().await;
    let driver = app.user("Dee Driver").home("60601").signed_in().await;
    let ride = app.ride(office).seats(3).create(&driver.1).await;
    let traveller = app.user("Tia Traveller").signed_in().await;
    sqlx::query("UPDATE users SET phone = $1 WHERE id = $2")
        .bind(TIA_PHONE)
        .bind(traveller.0)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let trip = app.trip(office).create(&traveller.1).await;
    let page = app
        .post_with(
            &traveller.1,
            &format!("/trips/{trip}/requests"),
            &[
                ("kind", "ride"),
                ("offer_id", &ride.to_string()),
                ("message", "I can share fuel"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let booking = page.redirect_id("/bookings/");
    let accepted = app
        .post_with(&driver.1, &format!("/bookings/{booking}/accept"), &[])
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);
    let staff = app
        .user("Stef Staff")
        .home("53202")
        .staff_of(office)
        .signed_in()
        .await;
    let read = app
        .get_with(&staff.1, &format!("/bookings/{booking}"))
        .await;
    assert!(read.body.contains("tia@example.org"));
    Scene {
        office,
        driver,
        traveller,
        staff,
        booking,
    }
}

async fn the_account_page_lists_staff_who_read_my_contact_details(app: TestApp) {
    let s = scene(&app).await;
    for client in [&s.traveller.1, &s.driver.1] {
        let page = app.get_with(client, "/account").await;
        assert_eq!(page.texts("#contact-reads td.staff"), vec!["Stef Staff"]);
        assert_eq!(
            page.texts("#contact-reads td.office"),
            vec!["Milwaukee Field Office"]
        );
        let when = page.text("#contact-reads td.at");
        assert_eq!(when.len(), 16, "{when}");
        assert!(page
            .body
            .contains(&app.clock.now().format("%Y-%m-%d").to_string()));
    }
    let staff_page = app.get_with(&s.staff.1, "/account").await;
    assert!(staff_page.texts("#contact-reads td").is_empty());
    assert!(staff_page.text("#no-reads").contains("No office staff"));
    let _ = (s.office, s.booking);
}

async fn the_privacy_page_says_who_sees_what_and_is_linked_from_footer_and_signup(app: TestApp) {
    let page = app.get("/privacy").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text("h1"), "Privacy: what we keep about you");
    let headings = page.texts("h2");
    for h in [
        "What we collect",
        "Who sees what, and when",
        "How long we keep it",
        "Getting your data, or deleting it",
    ] {
        assert!(headings.iter().any(|x| x == h), "{h} in {headings:?}");
    }
    assert!(page
        .text("#who-sees + ul")
        .contains("first name and your town"));
    assert!(page.text("#kept + ul").contains("7 days"));
    assert_eq!(
        page.attr("footer a.privacy-link", "href").as_deref(),
        Some("/privacy")
    );
    let signup = app.get("/signup").await;
    assert_eq!(
        signup.attr("form a.privacy-link", "href").as_deref(),
        Some("/privacy")
    );
}

async fn download_my_data_gives_one_json_file_with_every_section(app: TestApp) {
    let s = scene(&app).await;
    let account = app.get_with(&s.traveller.1, "/account").await;
    assert_eq!(
        account.attr("#download-data", "href").as_deref(),
        Some("/account/data.json")
    );
    let res = s
        .traveller
        .1
        .get(app.url("/account/data.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let header = |n: &str| {
        res.headers()
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    assert!(header("content-disposition").starts_with("attachment"));
    assert_eq!(header("cache-control"), "no-store");
    assert!(header("content-type").starts_with("application/json"));
    let data: serde_json::Value = res.json().await.unwrap();

    assert_eq!(data["account"]["id"], s.traveller.0);
    assert_eq!(data["account"]["name"], "Tia Traveller");
    assert_eq!(data["account"]["email"], "tia@example.org");
    let trips = data["trips"].as_array().unwrap();
    assert_eq!(trips.len(), 1);
    assert!(data["offers"]["rides"].as_array().unwrap().is_empty());
    assert!(data["offers"]["stays"].as_array().unwrap().is_empty());
    let bookings = data["bookings"].as_array().unwrap();
    assert_eq!(bookings.len(), 1);
    assert_eq!(bookings[0]["id"], s.booking);
    assert_eq!(bookings[0]["role"], "traveller");
    assert_eq!(bookings[0]["other_first_name"], "Dee");
    assert_eq!(bookings[0]["status"], "accepted");
    // The emails may name the other side in full once accepted (they were
    // sent so); the bookings section itself names them by first name only.
    let text = data["bookings"].to_string();
    assert!(
        !text.contains("Driver"),
        "the other side by first name only"
    );
    assert!(!text.contains("dee@example.org"));
    assert_eq!(data["alerts"], serde_json::json!([]));
    let emails = data["emails"].as_array().unwrap();
    let expected = app
        .outbox()
        .await
        .into_iter()
        .filter(|m| m.to == "tia@example.org")
        .count();
    assert!(expected > 0);
    assert_eq!(emails.len(), expected);
    assert!(emails.iter().all(|m| m["to_email"] == "tia@example.org"));
    let reads = data["contact_reads"].as_array().unwrap();
    assert_eq!(reads.len(), 1);
    assert_eq!(reads[0]["staff_name"], "Stef Staff");
    assert_eq!(reads[0]["office_name"], "Milwaukee Field Office");

    // The driver's file has the ride, the same booking from the other side.
    let driver: serde_json::Value = s
        .driver
        .1
        .get(app.url("/account/data.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(driver["offers"]["rides"].as_array().unwrap().len(), 1);
    assert_eq!(driver["bookings"][0]["role"], "host");
    assert_eq!(driver["bookings"][0]["other_first_name"], "Tia");
    assert!(driver["trips"].as_array().unwrap().is_empty());
    let _ = s.office;
}

async fn download_my_data_needs_a_login(app: TestApp) {
    let page = app.get("/account/data.json").await;
    assert_ne!(page.status, StatusCode::OK);
    assert!(!page.body.contains("\"account\""));
}

/// Every text of every column of every table, as the database holds it.
async fn dump(app: &TestApp) -> Vec<(String, String, String)> {
    let tables: Vec<String> = match app.db.backend {
        trip_planner::store::Backend::Sqlite => sqlx::query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        ),
        trip_planner::store::Backend::Postgres => sqlx::query(
            "SELECT CAST(table_name AS TEXT) AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
        ),
    }
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
    .iter()
    .map(|r| r.get::<String, _>("name"))
    .collect();
    assert!(tables.iter().any(|t| t == "users"), "{tables:?}");
    let mut out = Vec::new();
    for t in tables {
        let cols: Vec<String> = match app.db.backend {
            trip_planner::store::Backend::Sqlite => {
                sqlx::query(&format!("SELECT name FROM pragma_table_info('{t}')"))
                    .fetch_all(&app.db.pool)
                    .await
            }
            trip_planner::store::Backend::Postgres => {
                sqlx::query(
                    "SELECT CAST(column_name AS TEXT) AS name FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1",
                )
                .bind(&t)
                .fetch_all(&app.db.pool)
                .await
            }
        }
        .unwrap()
        .iter()
        .map(|r| r.get::<String, _>("name"))
        .collect();
        for c in cols {
            // Bytes on SQLite (a stored value need not be UTF-8), text on PostgreSQL.
            let sqlite = app.db.backend == trip_planner::store::Backend::Sqlite;
            let ty = if sqlite { "BLOB" } else { "TEXT" };
            let rows = sqlx::query(&format!("SELECT CAST(\"{c}\" AS {ty}) AS v FROM \"{t}\""))
                .fetch_all(&app.db.pool)
                .await
                .unwrap();
            for r in rows {
                let v = if sqlite {
                    r.get::<Option<Vec<u8>>, _>("v")
                        .map(|b| String::from_utf8_lossy(&b).into_owned())
                } else {
                    r.get::<Option<String>, _>("v")
                };
                if let Some(v) = v {
                    out.push((t.clone(), c.clone(), v));
                }
            }
        }
    }
    out
}

/// Fails naming the table and column where any of `needles` is still held.
async fn assert_nowhere(app: &TestApp, needles: &[&str]) {
    let all = dump(app).await;
    assert!(all.len() > 50, "the dump reads the database");
    for (t, c, v) in all {
        let low = v.to_lowercase();
        for n in needles {
            assert!(
                !low.contains(&n.to_lowercase()),
                "{n:?} is still in {t}.{c}: {v}"
            );
        }
    }
}

async fn deleting_my_account_cancels_bookings_and_leaves_nothing_personal(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let mail_dir = dir.path().join("mail");
    let md = mail_dir.clone();
    let Some(app) = TestApp::spawn_with(backend, |s| s.mail_dir = md).await else {
        return;
    };
    let s = scene(&app).await;
    trip_planner::jobs::run_once(&app.state).await.unwrap();
    let files_about_tia = || {
        std::fs::read_dir(&mail_dir)
            .map(|d| {
                d.flatten()
                    .filter(|e| {
                        std::fs::read_to_string(e.path())
                            .unwrap_or_default()
                            .contains("tia@example.org")
                    })
                    .count()
            })
            .unwrap_or(0)
    };
    assert!(files_about_tia() > 0, "the mailer wrote Tia's emails");
    let mails_before = app.outbox().await.len();

    let form = app.get_with(&s.traveller.1, "/account/delete").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.attr("form#delete-account", "action").is_some());
    let wrong = app
        .post_with(&s.traveller.1, "/account/delete", &[("password", "not it")])
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(app
        .get_with(&s.traveller.1, "/account")
        .await
        .body
        .contains("tia@example.org"));

    let done = app
        .post_with(&s.traveller.1, "/account/delete", &[("password", PASSWORD)])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), Some("/"));
    let home = app.follow_with(&s.traveller.1, &done).await;
    assert!(home.texts(".flash.ok").join(" ").contains("deleted"));
    assert_ne!(
        app.get_with(&s.traveller.1, "/account").await.status,
        StatusCode::OK
    );

    // Dee is told, by Tia's first name only, and the seat is free again.
    let told = app.outbox().await;
    assert!(!told.is_empty() && told.len() < mails_before + 2);
    let to_dee = app.last_mail_to("dee@example.org").await.unwrap();
    assert!(
        to_dee.subject.starts_with("Cancelled"),
        "{}",
        to_dee.subject
    );
    assert!(to_dee.text.contains("Tia"));
    let status: String = sqlx::query("SELECT status FROM bookings WHERE id = $1")
        .bind(s.booking)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get("status");
    assert_eq!(status, "cancelled");

    let row = sqlx::query(
        "SELECT email, name, phone, password_hash, home_zip, home_lat FROM users WHERE id = $1",
    )
    .bind(s.traveller.0)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(
        row.get::<String, _>("email"),
        format!("erased-{}@invalid", s.traveller.0)
    );
    assert_eq!(row.get::<String, _>("name"), "Deleted volunteer");
    assert!(row.get::<Option<String>, _>("phone").is_none());
    assert!(row.get::<Option<String>, _>("password_hash").is_none());
    assert!(row.get::<Option<String>, _>("home_zip").is_none());
    assert!(row.get::<Option<f64>, _>("home_lat").is_none());
    let trip = sqlx::query("SELECT from_zip, from_city, notes FROM trips WHERE owner_id = $1")
        .bind(s.traveller.0)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(trip.get::<Option<String>, _>("from_zip").is_none());
    assert_eq!(trip.get::<String, _>("from_city"), "Chicago");
    assert_eq!(trip.get::<String, _>("notes"), "");
    assert_eq!(
        sqlx::query("SELECT staff_id FROM contact_reads WHERE traveller_id = $1")
            .bind(s.traveller.0)
            .fetch_all(&app.db.pool)
            .await
            .unwrap()
            .len(),
        1,
        "staff access stays accountable"
    );
    for table in ["sessions", "tokens", "calendar_feeds"] {
        let n: i64 = sqlx::query(&format!(
            "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM {table} WHERE user_id = $1"
        ))
        .bind(s.traveller.0)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get("n");
        assert_eq!(n, 0, "{table}");
    }
    assert_nowhere(
        &app,
        &["Tia Traveller", "tia@example.org", TIA_PHONE, "Traveller"],
    )
    .await;
    assert_eq!(files_about_tia(), 0, "her .eml files are gone");

    // The address can sign up again.
    app.user("Tia Traveller").sign_up().await;
    let again = sqlx::query("SELECT id FROM users WHERE email = 'tia@example.org'")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(again.len(), 1);
    let _ = (s.office, s.staff);
}

async fn erase_from_the_command_line_previews_then_erases(app: TestApp) {
    let s = scene(&app).await;
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().to_string_lossy().into_owned();
    let env = [("MAIL_DIR", md.as_str())];
    let (ok, _, err) = app.cli_with(&env, &["erase", "--email", "nobody@example.org"]);
    assert!(!ok, "an unknown address is an error");
    assert!(err.contains("no account"), "{err}");

    let (ok, out, err) = app.cli_with(&env, &["erase", "--email", "tia@example.org"]);
    assert!(ok, "{err}");
    assert!(out.contains("1 live booking"), "{out}");
    assert!(out.contains("Nothing was changed"), "{out}");
    let name: String = sqlx::query("SELECT name FROM users WHERE id = $1")
        .bind(s.traveller.0)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get("name");
    assert_eq!(name, "Tia Traveller");

    let (ok, out, err) = app.cli_with(&env, &["erase", "--email", "tia@example.org", "--yes"]);
    assert!(ok, "{err}");
    assert!(out.contains("Erased"), "{out}");
    assert_nowhere(&app, &["Tia Traveller", "tia@example.org", TIA_PHONE]).await;
    let (ok, _, _) = app.cli_with(&env, &["erase", "--email", "tia@example.org"]);
    assert!(!ok, "gone");
    let _ = (s.office, s.driver, s.staff, s.booking);
}

async fn sent_emails_are_kept_seven_days(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let mail_dir = dir.path().join("mail");
    let md = mail_dir.clone();
    let Some(app) = TestApp::spawn_with(backend, |s| s.mail_dir = md).await else {
        return;
    };
    let files = || std::fs::read_dir(&mail_dir).map(|d| d.count()).unwrap_or(0);
    let _ = app.user("Ann Lee").create().await;
    app.user("Bo Sign").sign_up().await;
    trip_planner::jobs::run_once(&app.state).await.unwrap();
    let sent = app.outbox().await;
    assert!(!sent.is_empty() && sent.iter().all(|m| m.sent_at.is_some()));
    let start = app.clock.now();
    app.clock.set(start + chrono::Duration::days(6));
    app.user("Cy Later").sign_up().await;
    let ran = trip_planner::jobs::run_once(&app.state).await.unwrap();
    assert_eq!(ran.emails_forgotten, 0);
    assert_eq!(app.outbox().await.len(), sent.len() + 1);
    assert_eq!(files(), sent.len() + 1);
    app.clock
        .set(start + chrono::Duration::days(7) + chrono::Duration::minutes(1));
    let ran = trip_planner::jobs::run_once(&app.state).await.unwrap();
    assert_eq!(ran.emails_forgotten, sent.len() as u64);
    assert_eq!(files(), 1, "the forgotten emails' files went too");
    let left = app.outbox().await;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].to, "cy@example.org");
}

async fn count_where(app: &TestApp, sql: &str) -> i64 {
    sqlx::query(sql)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get::<i64, _>(0)
}

async fn purge_dry_runs_then_removes_what_ended_and_keeps_counts(app: TestApp) {
    let s = scene(&app).await;
    let hal = app.user("Hal Host").home("53202").signed_in().await;
    app.stay().create(&hal.1).await;
    let sam = app.user("Sam Nothing").create().await;
    let fay = app.user("Fay Future").signed_in().await;
    let fay_trip = app.trip(s.office).days(40, 44).create(&fay.1).await;
    let admin = app.as_admin().await;
    let before = crate::helpers::day(&app, 30).to_string();
    let totals = || async {
        (
            count_where(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM trips").await,
            count_where(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM users").await,
            count_where(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM bookings").await,
        )
    };
    let at_start = totals().await;

    let (ok, out, err) = app.cli(&["purge", "--before", &before]);
    assert!(ok, "{err}");
    assert!(out.contains("Would remove"), "{out}");
    assert!(out.contains("Nothing was changed"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["trips", "1"]),
        "{out}"
    );
    assert_eq!(totals().await, at_start, "a dry run changes nothing");
    let (ok, out, _) = app.cli(&["purge", "--before", &before, "--dry-run"]);
    assert!(ok && out.contains("Would remove"), "{out}");
    assert_eq!(totals().await, at_start);

    let (ok, out, err) = app.cli(&["purge", "--before", &before, "--yes"]);
    assert!(ok, "{err}");
    assert!(out.contains("Removed"), "{out}");
    for (table, n) in [
        ("trips", "1"),
        ("rides", "1"),
        ("stays", "1"),
        ("bookings", "1"),
        ("users", "4"),
    ] {
        assert!(
            out.lines()
                .any(|l| l.split_whitespace().collect::<Vec<_>>() == [table, n]),
            "{table} {n} in {out}"
        );
    }
    // What is left: the future trip and its owner, staff and admins.
    let trips: Vec<i64> = sqlx::query("SELECT id FROM trips")
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get("id"))
        .collect();
    assert_eq!(trips, vec![fay_trip]);
    let mut users: Vec<i64> = sqlx::query("SELECT id FROM users")
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get("id"))
        .collect();
    users.sort();
    let mut kept = vec![s.staff.0, fay.0, admin];
    kept.sort();
    assert_eq!(users, kept);
    assert!(![s.traveller.0, s.driver.0, hal.0, sam]
        .iter()
        .any(|u| users.contains(u)));
    // The office's figures survive, anonymous.
    let row = sqlx::query("SELECT office_id, day, trips, people FROM office_day_counts")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(row.len(), 1);
    assert_eq!(row[0].get::<i64, _>("office_id"), s.office);
    assert_eq!(
        row[0].get::<String, _>("day"),
        crate::helpers::day(&app, 10).to_string()
    );
    assert_eq!(row[0].get::<i64, _>("trips"), 1);
    assert_eq!(row[0].get::<i64, _>("people"), 1);
    assert_nowhere(
        &app,
        &[
            "Tia Traveller",
            "tia@example.org",
            TIA_PHONE,
            "Dee Driver",
            "dee@example.org",
            "Hal Host",
            "hal@example.org",
            "Sam Nothing",
            "sam@example.org",
        ],
    )
    .await;
    let _ = s.booking;
}

async fn the_jobs_purge_daily_what_ended_purge_after_days_ago(backend: Backend) {
    let Some(app) = TestApp::spawn_with(backend, |s| s.purge_after_days = Some(3)).await else {
        return;
    };
    let s = scene(&app).await;
    let trips = "SELECT CAST(COUNT(*) AS BIGINT) FROM trips";
    assert!(
        trip_planner::jobs::run_once(&app.state)
            .await
            .unwrap()
            .purged
    );
    assert_eq!(count_where(&app, trips).await, 1, "nothing has ended yet");
    // The trip leaves on day 14: three days later it is still kept…
    let start = app.clock.now();
    app.clock.set(start + chrono::Duration::days(17));
    assert!(
        trip_planner::jobs::run_once(&app.state)
            .await
            .unwrap()
            .purged
    );
    assert_eq!(count_where(&app, trips).await, 1);
    // …and it goes the day after; the next run that day does nothing more.
    app.clock.set(start + chrono::Duration::days(18));
    assert!(
        trip_planner::jobs::run_once(&app.state)
            .await
            .unwrap()
            .purged
    );
    assert_eq!(count_where(&app, trips).await, 0);
    assert!(
        !trip_planner::jobs::run_once(&app.state)
            .await
            .unwrap()
            .purged
    );
    let _ = (s.office, s.booking);
}

async fn wrong_passwords_on_the_delete_form_are_throttled_like_logins(app: TestApp) {
    let (id, client) = app.user("Wes Wrong").signed_in().await;
    for _ in 0..trip_planner::web::auth::ACCOUNT_FAILURE_LIMIT {
        let page = app
            .post_with(&client, "/account/delete", &[("password", "guess")])
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    // Even the right password is not checked now, and nothing is erased.
    let page = app
        .post_with(&client, "/account/delete", &[("password", PASSWORD)])
        .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    let name: String = sqlx::query("SELECT name FROM users WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get("name");
    assert_eq!(name, "Wes Wrong");
}
