//! Starting up: instances starting together on a new database, and the
//! checks that stop a misconfigured start with a message saying what to change.

use trip_planner::store::Db;

use crate::helpers::{empty_database, Backend};

/// Four instances starting at once on a new database all come up with one
/// schema (SQLite has no migration lock of its own in sqlx; ours is the
/// database's write lock, taken before the applied migrations are read).
async fn instances_starting_together_migrate_once(backend: Backend) {
    for round in 0..3 {
        let Some((url, _dir)) = empty_database(backend).await else {
            return;
        };
        let starts: Vec<_> = (0..4)
            .map(|_| {
                let url = url.clone();
                tokio::spawn(async move { Db::connect_and_migrate(&url, 2).await })
            })
            .collect();
        let mut dbs = vec![];
        for (i, start) in starts.into_iter().enumerate() {
            match start.await.expect("task") {
                Ok(db) => dbs.push(db),
                Err(e) => panic!("round {round}: instance {i} failed to start: {e:#}"),
            }
        }
        for db in &dbs {
            let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
                .fetch_one(&db.pool)
                .await
                .expect("migrations table");
            assert!(applied >= 7, "round {round}: {applied} migrations applied");
            assert!(db.ping().await);
        }
        for db in dbs {
            db.pool.close().await;
        }
    }
}

mod instances_starting_together_on_a_new_database_all_start {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sqlite() {
        instances_starting_together_migrate_once(Backend::Sqlite).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn postgres() {
        instances_starting_together_migrate_once(Backend::Postgres).await
    }
}

/// The real binary serving on a fresh SQLite file with extra environment,
/// its stderr going to a file (not a terminal).
struct Served {
    child: std::process::Child,
    port: u16,
    log: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Served {
    fn start(env: &[(&str, &str)]) -> Served {
        let dir = tempfile::tempdir().unwrap();
        let port = crate::helpers::free_port();
        let log = dir.path().join("stderr.log");
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_trip-planner"))
            .arg("serve")
            .env(
                "DATABASE_URL",
                format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display()),
            )
            .env("BIND", format!("127.0.0.1:{port}"))
            .env("MAIL_DIR", dir.path().join("mail"))
            .env_remove("RUST_LOG")
            .env_remove("LOG_FORMAT")
            .envs(env.iter().copied())
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("start trip-planner serve");
        Served {
            child,
            port,
            log,
            _dir: dir,
        }
    }

    /// GET `path` once the server accepts connections (it is starting up).
    async fn get(&self, path: &str) -> reqwest::StatusCode {
        let url = format!("http://127.0.0.1:{}{path}", self.port);
        for _ in 0..600 {
            if let Ok(r) = reqwest::get(&url).await {
                return r.status();
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("the server did not start: {}", self.stderr());
    }

    fn stderr(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Stops the server; what it wrote on stderr.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.stderr()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_into_a_file_have_no_colour_codes_and_a_line_per_request() {
    let served = Served::start(&[]);
    assert_eq!(served.get("/healthz").await, reqwest::StatusCode::OK);
    let log = served.stop();
    assert!(!log.contains('\u{1b}'), "escape codes in a file: {log}");
    assert!(
        log.lines()
            .any(|l| l.contains("trip_planner::request") && l.contains("status=200")),
        "{log}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_format_json_writes_one_object_per_line() {
    let served = Served::start(&[("LOG_FORMAT", "json")]);
    assert_eq!(served.get("/healthz").await, reqwest::StatusCode::OK);
    let log = served.stop();
    let lines: Vec<serde_json::Value> = log
        .lines()
        .filter(|l| !l.trim().is_empty() && l.trim_start().starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let request = lines
        .iter()
        .find(|v| v["target"] == "trip_planner::request")
        .unwrap_or_else(|| panic!("no request line: {log}"));
    assert_eq!(request["level"], "INFO");
    assert_eq!(request["fields"]["status"], 200);
    assert_eq!(request["span"]["route"], "/healthz");
    assert!(!log.contains('\u{1b}'), "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_lines_can_be_turned_down_by_their_target() {
    let served = Served::start(&[("RUST_LOG", "info,sqlx=warn,trip_planner::request=warn")]);
    assert_eq!(served.get("/healthz").await, reqwest::StatusCode::OK);
    assert_eq!(
        served.get("/no-such-page").await,
        reqwest::StatusCode::NOT_FOUND
    );
    let log = served.stop();
    assert!(!log.contains("trip_planner::request"), "{log}");
    assert!(log.contains("listening"), "other INFO lines stay: {log}");
}

/// Runs the real binary with only these settings in its environment (plus a
/// quiet log): (success, stdout, stderr).
fn run_binary(env: &[(&str, &str)], args: &[&str]) -> (bool, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_trip-planner"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("BIND")
        .env_remove("SMTP_URL")
        .env_remove("MAIL_DIR")
        .env("RUST_LOG", "warn")
        .envs(env.iter().copied())
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run trip-planner");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every file in a directory (the database and its -wal/-shm would show here).
fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_busy_port_names_bind_and_leaves_no_database_behind() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("new.db").display());
    let mail = dir.path().join("mail");
    let (ok, _, err) = run_binary(
        &[
            ("DATABASE_URL", &url),
            ("BIND", &addr),
            ("MAIL_DIR", mail.to_str().unwrap()),
        ],
        &["serve"],
    );
    assert!(!ok, "{err}");
    assert!(err.contains(&addr), "{err}");
    assert!(err.contains("BIND"), "says which setting to change: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(files_in(dir.path()), Vec::<String>::new(), "{err}");
    drop(taken);
}

#[test]
fn an_unwritable_mail_dir_stops_the_start_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    // A directory inside a plain file can never be made, even by root.
    let blocker = dir.path().join("not-a-directory");
    std::fs::write(&blocker, "").unwrap();
    let mail = blocker.join("mail");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("new.db").display());
    let bind = format!("127.0.0.1:{}", crate::helpers::free_port());
    let (ok, _, err) = run_binary(
        &[
            ("DATABASE_URL", &url),
            ("BIND", &bind),
            ("MAIL_DIR", mail.to_str().unwrap()),
        ],
        &["serve"],
    );
    assert!(!ok, "{err}");
    assert!(err.contains("MAIL_DIR"), "{err}");
    assert!(err.contains("not writable"), "{err}");
    assert!(err.contains("SMTP_URL"), "says the other way: {err}");
    assert_eq!(files_in(dir.path()), vec!["not-a-directory".to_string()]);
}

#[test]
fn an_unreachable_postgresql_is_named_with_its_address() {
    let port = crate::helpers::free_port();
    let url = format!("postgres://postgres@127.0.0.1:{port}/trip");
    let dir = tempfile::tempdir().unwrap();
    let mail = dir.path().join("mail");
    let bind = format!("127.0.0.1:{}", crate::helpers::free_port());
    for args in [&["serve"][..], &["migrate"][..]] {
        let (ok, _, err) = run_binary(
            &[
                ("DATABASE_URL", &url),
                ("BIND", &bind),
                ("MAIL_DIR", mail.to_str().unwrap()),
            ],
            args,
        );
        assert!(!ok, "{args:?}: {err}");
        assert!(
            err.contains(&format!("connection refused at 127.0.0.1:{port}")),
            "{args:?}: {err}"
        );
        assert!(err.contains("DATABASE_URL"), "{args:?}: {err}");
        assert!(!err.contains("timed out"), "{args:?}: {err}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_creates_a_missing_postgresql_database() {
    let Some(server) = crate::helpers::postgres_url() else {
        return;
    };
    let name = format!("tp_m_{}_{}", std::process::id(), free_suffix());
    let (base, _) = server
        .rsplit_once('/')
        .expect("a database in TEST_DATABASE_URL");
    let url = format!("{base}/{name}");
    let bind = format!("127.0.0.1:{}", crate::helpers::free_port());
    let env = [("DATABASE_URL", url.as_str()), ("BIND", bind.as_str())];

    let (ok, _, err) = run_binary(&env, &["migrate"]);
    assert!(ok, "{err}");
    assert!(err.contains("Created the database"), "{err}");
    assert!(err.contains("up to date"), "{err}");
    let db = Db::connect(&url, 1).await.expect("the database exists now");
    let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert!(applied >= 7);
    db.pool.close().await;

    let (ok, _, err) = run_binary(&env, &["migrate"]);
    assert!(ok, "{err}");
    assert!(!err.contains("Created"), "only once: {err}");
}

fn free_suffix() -> String {
    use rand::Rng;
    format!("{:08x}", rand::thread_rng().gen::<u32>())
}
