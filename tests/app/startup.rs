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
