//! The test harness: a real app on 127.0.0.1:0 with a fresh database per
//! test, and a cookie-keeping client that posts forms like a browser.

use reqwest::header::{HeaderMap, HeaderValue, LOCATION};
use reqwest::redirect::Policy;
use reqwest::StatusCode;
use scraper::{Html, Selector};
use sqlx::Row;
use tokio::sync::{Mutex, OnceCell};
use trip_planner::app::App;
use trip_planner::clock::Clock;
use trip_planner::config::Settings;
use trip_planner::domain::account::{hash_password, Email};
use trip_planner::store::{users, Db};

/// Which database a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running app and a browser-like client signed in as nobody.
pub struct TestApp {
    /// The database URL the app uses (for running the CLI against it).
    pub database_url: String,
    pub base: String,
    pub client: reqwest::Client,
    pub db: Db,
    pub clock: Clock,
    /// The running app's state (for `trip_planner::jobs::run_once`).
    pub state: trip_planner::app::AppState,
    _dir: Option<tempfile::TempDir>,
}

/// A response with its body read.
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    /// The redirect target, if any.
    pub fn location(&self) -> Option<&str> {
        self.headers.get(LOCATION).and_then(|v| v.to_str().ok())
    }

    /// Trimmed text of every element matching a CSS selector.
    pub fn texts(&self, css: &str) -> Vec<String> {
        let doc = Html::parse_document(&self.body);
        let sel = Selector::parse(css).expect("valid selector");
        doc.select(&sel)
            .map(|e| {
                e.text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    /// Text of the first match, or "" when there is none.
    pub fn text(&self, css: &str) -> String {
        self.texts(css).into_iter().next().unwrap_or_default()
    }

    /// Value of an attribute on the first match.
    pub fn attr(&self, css: &str, attr: &str) -> Option<String> {
        let doc = Html::parse_document(&self.body);
        let sel = Selector::parse(css).expect("valid selector");
        doc.select(&sel)
            .next()
            .and_then(|e| e.value().attr(attr).map(str::to_string))
    }
}

pub fn new_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .expect("client")
}

static PG_TEMPLATE: OnceCell<String> = OnceCell::const_new();
static PG_CREATE: Mutex<()> = Mutex::const_new(());

/// A fresh, migrated PostgreSQL database cloned from a template made once per run.
async fn fresh_postgres(server_url: &str) -> String {
    let template = PG_TEMPLATE
        .get_or_init(|| async {
            let name = format!("tp_tpl_{}_{}", std::process::id(), rand_suffix());
            let admin = Db::connect(server_url, 1)
                .await
                .expect("connect to TEST_DATABASE_URL");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&admin.pool)
                .await
                .expect("create template database");
            admin.pool.close().await;
            let db = Db::connect_and_migrate(&with_database(server_url, &name), 1)
                .await
                .expect("migrate template");
            db.pool.close().await;
            name
        })
        .await;
    let name = format!("tp_t_{}_{}", std::process::id(), rand_suffix());
    {
        // CREATE DATABASE … TEMPLATE refuses while another copy is being made.
        let _guard = PG_CREATE.lock().await;
        let admin = Db::connect(server_url, 1).await.expect("connect");
        sqlx::query(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .execute(&admin.pool)
            .await
            .expect("create test database");
        admin.pool.close().await;
    }
    with_database(server_url, &name)
}

fn rand_suffix() -> String {
    use rand::Rng;
    format!("{:016x}", rand::thread_rng().gen::<u64>())
}

/// Replaces the database name in a PostgreSQL URL.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let cut = base
        .rfind('/')
        .filter(|&i| i > "postgres://".len())
        .unwrap_or(base.len());
    format!("{}/{}{}", &base[..cut], name, query)
}

/// The PostgreSQL server for tests, if configured. In CI its absence is a failure.
pub fn postgres_url() -> Option<String> {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(u) if !u.is_empty() => Some(u),
        _ => {
            if std::env::var("CI").is_ok_and(|v| !v.is_empty()) {
                panic!("TEST_DATABASE_URL must be set in CI so the PostgreSQL tests run");
            }
            eprintln!("skipped: set TEST_DATABASE_URL to run this test on PostgreSQL");
            None
        }
    }
}

/// A fresh database URL of the given kind (None: PostgreSQL not configured).
pub async fn fresh_database(backend: Backend) -> Option<(String, Option<tempfile::TempDir>)> {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
            Some((url, Some(dir)))
        }
        Backend::Postgres => {
            let server = postgres_url()?;
            Some((fresh_postgres(&server).await, None))
        }
    }
}

impl TestApp {
    /// Starts the app on a fresh database; None when that database is not configured.
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_with(backend, |_| {}).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    async fn read(resp: reqwest::Response) -> Page {
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = resp.text().await.expect("body");
        Page {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        self.get_with(&self.client, path).await
    }

    pub async fn get_with(&self, client: &reqwest::Client, path: &str) -> Page {
        Self::read(client.get(self.url(path)).send().await.expect("GET")).await
    }

    /// Posts a urlencoded form the way a same-origin browser form does.
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        self.post_with(&self.client, path, form).await
    }

    pub async fn post_with(
        &self,
        client: &reqwest::Client,
        path: &str,
        form: &[(&str, &str)],
    ) -> Page {
        let body = serde_urlencode(form);
        let resp = client
            .post(self.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", HeaderValue::from_str(&self.base).expect("origin"))
            .header("sec-fetch-site", "same-origin")
            .body(body)
            .send()
            .await
            .expect("POST");
        Self::read(resp).await
    }

    /// Follows a redirect response with a GET.
    pub async fn follow(&self, page: &Page) -> Page {
        self.follow_with(&self.client, page).await
    }

    pub async fn follow_with(&self, client: &reqwest::Client, page: &Page) -> Page {
        let to = page.location().expect("a redirect");
        self.get_with(client, to).await
    }

    /// Creates a verified account directly in the store.
    pub async fn create_user(
        &self,
        email: &str,
        name: &str,
        password: &str,
        zip: &str,
        is_admin: bool,
    ) -> i64 {
        let hash = hash_password(password).expect("hash");
        let home = trip_planner::places::Gazetteer::embedded()
            .parse(zip)
            .expect("zip");
        users::insert(
            &self.db.pool,
            &users::NewUser {
                email: &Email::parse(email).expect("email"),
                name,
                password_hash: Some(&hash),
                phone: Some("(555) 123-4567"),
                home: Some(&home),
                is_admin,
                email_verified: true,
            },
            &self.clock.now_text(),
        )
        .await
        .expect("insert user")
    }

    /// Logs the shared client in; panics if that fails.
    pub async fn login(&self, email: &str, password: &str) {
        self.login_with(&self.client, email, password).await
    }

    pub async fn login_with(&self, client: &reqwest::Client, email: &str, password: &str) {
        let page = self
            .post_with(
                client,
                "/login",
                &[("email", email), ("password", password), ("next", "/")],
            )
            .await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "login failed: {}",
            page.body
        );
        // A browser follows the redirect, which also shows (and clears) the flash.
        let to = page.location().expect("redirect").to_string();
        self.get_with(client, &to).await;
    }

    /// A signed-in admin on the shared client.
    pub async fn as_admin(&self) -> i64 {
        let id = self
            .create_user("root@example.org", "Robin Root", PASSWORD, "60601", true)
            .await;
        self.login("root@example.org", PASSWORD).await;
        id
    }

    /// A signed-in volunteer on the shared client.
    pub async fn as_volunteer(&self) -> i64 {
        let id = self
            .create_user("vol@example.org", "Vera Vol", PASSWORD, "94110", false)
            .await;
        self.login("vol@example.org", PASSWORD).await;
        id
    }

    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query(&format!("SELECT COUNT(*) AS n FROM {table}"))
            .fetch_one(&self.db.pool)
            .await
            .expect("count")
            .try_get("n")
            .expect("n")
    }
}

/// A password that passes the strength rules.
pub const PASSWORD: &str = "correct horse battery";

fn serde_urlencode(form: &[(&str, &str)]) -> String {
    form.iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Runs each named `async fn(TestApp)` on SQLite and, when configured, on PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let app = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Sqlite).await.expect("sqlite");
                    super::$name(app).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Postgres).await {
                        super::$name(app).await
                    }
                }
            }
        )*
    };
}

impl TestApp {
    /// Another running instance of the app on this app's database (the
    /// scale-out setup), with its own pool, caches and client.
    pub async fn second_instance(&self) -> TestApp {
        let settings = Settings::for_database(&self.database_url);
        let app = App::build(settings, self.clock.clone())
            .await
            .expect("second instance builds");
        let addr = app.addr;
        let db = app.state.db.clone();
        let state = app.state.clone();
        tokio::spawn(app.run(std::future::pending()));
        TestApp {
            database_url: self.database_url.clone(),
            base: format!("http://{addr}"),
            client: new_client(),
            db,
            clock: self.clock.clone(),
            state,
            _dir: None,
        }
    }

    /// Like [`TestApp::spawn`], with settings adjusted first (SMTP_URL, MAIL_DIR, …).
    pub async fn spawn_with(
        backend: Backend,
        adjust: impl FnOnce(&mut Settings),
    ) -> Option<TestApp> {
        let (url, dir) = fresh_database(backend).await?;
        let clock = Clock::system();
        let mut settings = Settings::for_database(&url);
        adjust(&mut settings);
        let app = App::build(settings, clock.clone())
            .await
            .expect("app builds");
        let addr = app.addr;
        let db = app.state.db.clone();
        let state = app.state.clone();
        tokio::spawn(app.run(std::future::pending()));
        Some(TestApp {
            database_url: url,
            base: format!("http://{addr}"),
            client: new_client(),
            db,
            clock,
            state,
            _dir: dir,
        })
    }
}
