//! The test harness: a real app on 127.0.0.1:0 with a fresh database per
//! test, and a cookie-keeping client that posts forms like a browser; the
//! small helpers the test files share (`day`, `Page::redirect_id`, the
//! outbox, the CLI); and builders for what a test sets up: `app.user(..)`,
//! `app.office(..)`, `app.ride(..)`, `app.stay()` and `app.trip(..)`.

use std::process::Command;
use std::sync::OnceLock;
use trip_planner::domain::ids::*;

use chrono::{Days, NaiveDate};
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
use trip_planner::domain::offer::Direction;
use trip_planner::places::Gazetteer;
use trip_planner::store::{offices, rides, stays, trips, users, Db};

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

    /// The id a redirect points at: `/bookings/7` with prefix `/bookings/` is 7.
    pub fn redirect_id(&self, prefix: &str) -> i64 {
        let to = self.location().unwrap_or_else(|| {
            panic!(
                "a redirect to {prefix}…, got {}: {}",
                self.status, self.body
            )
        });
        to.strip_prefix(prefix)
            .and_then(|id| id.parse().ok())
            .unwrap_or_else(|| panic!("a redirect to {prefix}{{id}}, got {to}"))
    }

    /// The path of the feed address in `#feed-url`, from `marker` on
    /// (`/calendar/`, `/office-feeds/`): the tests' app has no BASE_URL.
    pub fn feed_path(&self, marker: &str) -> String {
        assert_eq!(self.status, StatusCode::OK, "{}", self.body);
        let url = self.attr("#feed-url", "value").expect("the feed address");
        let at = url.find(marker).expect("a feed path");
        url[at..].to_string()
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

/// A new, empty database of the given kind (no schema; None: PostgreSQL not
/// configured), for tests of the migrations themselves.
pub async fn empty_database(backend: Backend) -> Option<(String, Option<tempfile::TempDir>)> {
    match backend {
        Backend::Sqlite => fresh_database(backend).await,
        Backend::Postgres => {
            let server = postgres_url()?;
            let name = format!("tp_e_{}_{}", std::process::id(), rand_suffix());
            let admin = Db::connect(&server, 1).await.expect("connect");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&admin.pool)
                .await
                .expect("create empty database");
            admin.pool.close().await;
            Some((with_database(&server, &name), None))
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
            .user("Robin Root")
            .email("root@example.org")
            .home("60601")
            .admin()
            .create()
            .await;
        self.login("root@example.org", PASSWORD).await;
        id
    }

    /// A signed-in volunteer on the shared client.
    pub async fn as_volunteer(&self) -> i64 {
        let id = self
            .user("Vera Vol")
            .email("vol@example.org")
            .home("94110")
            .create()
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
                #[cfg_attr(no_test_database, ignore = "needs TEST_DATABASE_URL")]
                async fn postgres() {
                    if let Some(app) = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Postgres).await {
                        super::$name(app).await
                    }
                }
            }
        )*
    };
}

/// Runs `async fn(Backend)` on SQLite and, when configured, on PostgreSQL:
/// for tests that start their app themselves, with settings of their own.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::helpers::Backend::Sqlite).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                #[cfg_attr(no_test_database, ignore = "needs TEST_DATABASE_URL")]
                async fn postgres() {
                    super::$name($crate::helpers::Backend::Postgres).await
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

// ---------------------------------------------------------------------------
// Small shared helpers

/// The day `n` days after today on the app's clock.
pub fn day(app: &TestApp, n: u64) -> NaiveDate {
    app.clock.today().checked_add_days(Days::new(n)).unwrap()
}

/// A local port held closed: bound but not listening, so a connection to
/// it is refused, and no other test's server can be given it meanwhile (a
/// port only found free can go to the next app that binds port 0).
pub struct ClosedPort(tokio::net::TcpSocket);

impl ClosedPort {
    pub fn reserve() -> ClosedPort {
        let socket = tokio::net::TcpSocket::new_v4().expect("socket");
        socket
            .bind(([127, 0, 0, 1], 0).into())
            .expect("bind a local port");
        ClosedPort(socket)
    }

    pub fn port(&self) -> u16 {
        self.0.local_addr().expect("local addr").port()
    }

    /// From now on the port accepts connections (a blocking listener).
    pub fn open(self) -> std::net::TcpListener {
        let listener = self
            .0
            .listen(128)
            .and_then(|l| l.into_std())
            .expect("listen");
        listener.set_nonblocking(false).expect("blocking listener");
        listener
    }
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

/// The path of the first link in `text` starting with `prefix` and a token.
pub fn link_path(text: &str, prefix: &str) -> Option<String> {
    let start = text.find(prefix)?;
    let token: String = text[start + prefix.len()..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    (token.len() == 64).then(|| format!("{prefix}{token}"))
}

/// One queued email (an outbox row).
#[derive(Debug)]
pub struct Mail {
    pub message_id: String,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub attempts: i64,
    pub next_attempt_at: String,
    pub sent_at: Option<String>,
    pub failed_at: Option<String>,
    pub last_error: Option<String>,
}

impl TestApp {
    /// Every queued email, oldest first.
    pub async fn outbox(&self) -> Vec<Mail> {
        sqlx::query(
            "SELECT message_id, to_email, subject, body_text, attempts, next_attempt_at, \
             sent_at, failed_at, last_error FROM outbox ORDER BY id",
        )
        .fetch_all(&self.db.pool)
        .await
        .expect("outbox")
        .iter()
        .map(|r| Mail {
            message_id: r.get("message_id"),
            to: r.get("to_email"),
            subject: r.get("subject"),
            text: r.get("body_text"),
            attempts: r.get("attempts"),
            next_attempt_at: r.get("next_attempt_at"),
            sent_at: r.get("sent_at"),
            failed_at: r.get("failed_at"),
            last_error: r.get("last_error"),
        })
        .collect()
    }

    /// The newest email queued to `to`.
    pub async fn last_mail_to(&self, to: &str) -> Option<Mail> {
        self.outbox().await.into_iter().rev().find(|m| m.to == to)
    }

    /// Whether the account with this email has confirmed it.
    pub async fn email_verified(&self, email: &str) -> bool {
        users::by_email(&self.db.pool, email)
            .await
            .expect("user")
            .expect("exists")
            .email_verified
    }

    /// `client` asks for an offer (`kind` "ride" or "stay") on `trip`.
    pub async fn ask(&self, client: &reqwest::Client, trip: i64, kind: &str, offer: i64) -> Page {
        self.post_with(
            client,
            &format!("/trips/{trip}/requests"),
            &[
                ("kind", kind),
                ("offer_id", &offer.to_string()),
                ("message", ""),
            ],
        )
        .await
    }

    /// `client` asks for an offer on `trip` and its `owner` accepts: the
    /// booking's id.
    pub async fn booked(
        &self,
        client: &reqwest::Client,
        trip: i64,
        kind: &str,
        offer: i64,
        owner: &reqwest::Client,
    ) -> i64 {
        let asked = self.ask(client, trip, kind, offer).await;
        assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
        let booking = asked.redirect_id("/bookings/");
        let accepted = self
            .post_with(owner, &format!("/bookings/{booking}/accept"), &[])
            .await;
        assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
        booking
    }

    /// Runs the real binary against this app's database: (success, stdout, stderr).
    pub fn cli(&self, args: &[&str]) -> (bool, String, String) {
        self.cli_with(&[], args)
    }

    /// Like [`TestApp::cli`], with more environment variables.
    pub fn cli_with(&self, env: &[(&str, &str)], args: &[&str]) -> (bool, String, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_trip-planner"))
            .args(args)
            .env("DATABASE_URL", &self.database_url)
            .env_remove("ADMIN_PASSWORD")
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .output()
            .expect("run trip-planner");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

// ---------------------------------------------------------------------------
// Builders: `app.user(..)`, `app.office(..)`, `app.ride(..)`, `app.stay()`,
// `app.trip(..)`. Offers and trips go through the site's forms (`post`,
// `create`, as the person on a client) or straight into the store (`insert`,
// for an owner's id); their defaults are the same either way.

impl TestApp {
    /// A person named `name`; see [`UserBuilder`] for the defaults.
    pub fn user(&self, name: &str) -> UserBuilder<'_> {
        let first = name.split(' ').next().unwrap_or(name).to_lowercase();
        UserBuilder {
            app: self,
            name: name.to_string(),
            email: format!("{first}@example.org"),
            home: "60616".to_string(),
            phone: Some("(555) 123-4567"),
            admin: false,
            staff_of: vec![],
        }
    }

    /// A field office named `name` at a ZIP, in America/Chicago's time, with no target.
    pub fn office(&self, name: &str, zip: &str) -> OfficeBuilder<'_> {
        OfficeBuilder {
            app: self,
            name: name.to_string(),
            zip: zip.to_string(),
            timezone: "America/Chicago",
            needed_per_day: None,
        }
    }

    /// A ride to `office`: from Chicago (60601) on day 10 at 08:30, 3 seats,
    /// the default detour.
    pub fn ride(&self, office: i64) -> RideBuilder<'_> {
        RideBuilder {
            app: self,
            office,
            from: "60601".to_string(),
            depart: day(self, 10),
            depart_time: "08:30".to_string(),
            seats: 3,
            max_detour_km: None,
            luggage: false,
            smoking: false,
            instant: false,
            notes: String::new(),
            direction: Direction::ToOffice,
            back: None,
            raw: vec![],
        }
    }

    /// Beds at 12 Elm St, Milwaukee (53202): 2 beds, nights 5 to 20.
    pub fn stay(&self) -> StayBuilder<'_> {
        StayBuilder {
            app: self,
            place: "53202".to_string(),
            beds: 2,
            first_night: day(self, 5),
            last_night: day(self, 20),
            blocked: vec![],
            pets_in_home: false,
            smoking: false,
            children_welcome: false,
            instant: false,
        }
    }

    /// A trip to `office` from Chicago (60616), arriving on day 10 and leaving
    /// on day 14, a party of 1 needing a ride and a bed, default flexibility.
    pub fn trip(&self, office: i64) -> TripBuilder<'_> {
        TripBuilder {
            app: self,
            office,
            arrive: day(self, 10),
            leave: day(self, 14),
            party: 1,
            flex_days: None,
            needs_ride: true,
            needs_bed: true,
            needs_ride_home: false,
            need_no_smoking: false,
        }
    }
}

/// PASSWORD hashed once: every built account signs in with it.
fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_password(PASSWORD).expect("hash"))
}

/// Form fields in order; setting one again replaces it.
#[derive(Default)]
struct Fields(Vec<(String, String)>);

impl Fields {
    fn set(&mut self, name: &str, value: impl Into<String>) {
        self.0.retain(|(n, _)| n != name);
        self.0.push((name.to_string(), value.into()));
    }

    /// A checkbox: sent as "on" when ticked, left out otherwise.
    fn tick(&mut self, name: &str, on: bool) {
        if on {
            self.set(name, "on");
        }
    }

    fn pairs(&self) -> Vec<(&str, &str)> {
        self.0
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect()
    }
}

fn zip(code: &str) -> trip_planner::places::Place {
    Gazetteer::embedded()
        .zip(code)
        .unwrap_or_else(|| panic!("{code} in the gazetteer"))
}

/// A person: by default `first-name@example.org` (the first word of the name
/// in lower case), home 60616 (Chicago), phone (555) 123-4567, password
/// [`PASSWORD`], not an admin, staff of no office.
pub struct UserBuilder<'a> {
    app: &'a TestApp,
    name: String,
    email: String,
    home: String,
    phone: Option<&'static str>,
    admin: bool,
    staff_of: Vec<i64>,
}

impl UserBuilder<'_> {
    pub fn email(mut self, email: &str) -> Self {
        self.email = email.to_string();
        self
    }

    /// The home ZIP.
    pub fn home(mut self, zip: &str) -> Self {
        self.home = zip.to_string();
        self
    }

    pub fn no_phone(mut self) -> Self {
        self.phone = None;
        self
    }

    pub fn admin(mut self) -> Self {
        self.admin = true;
        self
    }

    pub fn staff_of(mut self, office: i64) -> Self {
        self.staff_of.push(office);
        self
    }

    /// A verified account straight in the store; its id.
    pub async fn create(self) -> i64 {
        let app = self.app;
        let home = zip(&self.home);
        let id = users::insert(
            &app.db.pool,
            &users::NewUser {
                email: &Email::parse(&self.email).expect("email"),
                name: &self.name,
                password_hash: Some(password_hash()),
                phone: self.phone,
                home: Some(&home),
                is_admin: self.admin,
                email_verified: true,
            },
            &app.clock.now_text(),
        )
        .await
        .expect("insert user");
        for office in self.staff_of {
            offices::add_staff(&app.db.pool, OfficeId(office), id)
                .await
                .expect("add staff");
        }
        id.get()
    }

    /// [`UserBuilder::create`], then signed in on a client of their own.
    pub async fn signed_in(self) -> (i64, reqwest::Client) {
        let (app, email) = (self.app, self.email.clone());
        let id = self.create().await;
        let client = new_client();
        app.login_with(&client, &email, PASSWORD).await;
        (id, client)
    }

    /// Signs up through the form on the app's shared client, which leaves the
    /// account unconfirmed, queues the confirmation email and signs nobody in
    /// (log in, or follow the emailed link). The form's phone is optional and
    /// left empty.
    pub async fn sign_up(self) {
        assert!(
            !self.admin && self.staff_of.is_empty(),
            "the sign-up form makes neither admins nor staff"
        );
        let page = self
            .app
            .post(
                "/signup",
                &[
                    ("name", &self.name),
                    ("email", &self.email),
                    ("new_password", PASSWORD),
                    ("home", &self.home),
                    ("phone", ""),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.text("#check-inbox").contains("Check your inbox"));
    }
}

pub struct OfficeBuilder<'a> {
    app: &'a TestApp,
    name: String,
    zip: String,
    timezone: &'static str,
    needed_per_day: Option<i64>,
}

impl OfficeBuilder<'_> {
    pub fn timezone(mut self, timezone: &'static str) -> Self {
        self.timezone = timezone;
        self
    }

    /// The arrivals target per day.
    pub fn needed_per_day(mut self, n: i64) -> Self {
        self.needed_per_day = Some(n);
        self
    }

    /// The office, straight in the store; its id.
    pub async fn create(self) -> i64 {
        let place = zip(&self.zip);
        offices::insert(
            &self.app.db.pool,
            &offices::OfficeFields {
                name: &self.name,
                place: &place,
                timezone: self.timezone,
                contact_email: None,
                needed_per_day: self.needed_per_day,
            },
            &self.app.clock.now_text(),
        )
        .await
        .expect("insert office")
        .get()
    }
}

pub struct RideBuilder<'a> {
    app: &'a TestApp,
    office: i64,
    from: String,
    depart: NaiveDate,
    depart_time: String,
    seats: i32,
    max_detour_km: Option<f64>,
    luggage: bool,
    smoking: bool,
    instant: bool,
    notes: String,
    /// Stored rides only; the form makes a ride home with `back`.
    direction: Direction,
    back: Option<NaiveDate>,
    raw: Vec<(String, String)>,
}

impl RideBuilder<'_> {
    /// A ride home from the office to `from` (stored rides only: the form
    /// makes rides home with [`RideBuilder::back`]).
    pub fn home(mut self) -> Self {
        self.direction = Direction::Home;
        self
    }

    /// "And I drive back on `date`" on the form.
    pub fn back(mut self, date: NaiveDate) -> Self {
        self.back = Some(date);
        self
    }

    /// The ZIP it leaves from.
    pub fn from(mut self, zip: &str) -> Self {
        self.from = zip.to_string();
        self
    }

    pub fn depart(mut self, date: NaiveDate) -> Self {
        self.depart = date;
        self
    }

    pub fn depart_time(mut self, hh_mm: &str) -> Self {
        self.depart_time = hh_mm.to_string();
        self
    }

    pub fn seats(mut self, n: i32) -> Self {
        self.seats = n;
        self
    }

    pub fn max_detour_km(mut self, km: f64) -> Self {
        self.max_detour_km = Some(km);
        self
    }

    pub fn luggage(mut self) -> Self {
        self.luggage = true;
        self
    }

    pub fn smoking(mut self) -> Self {
        self.smoking = true;
        self
    }

    /// Requests are accepted at once.
    pub fn instant(mut self) -> Self {
        self.instant = true;
        self
    }

    pub fn notes(mut self, notes: &str) -> Self {
        self.notes = notes.to_string();
        self
    }

    /// A form field sent as typed, whatever it holds (forms only).
    pub fn field(mut self, name: &str, value: &str) -> Self {
        self.raw.push((name.to_string(), value.to_string()));
        self
    }

    /// Posts the ride form as the person on `client`.
    pub async fn post(self, client: &reqwest::Client) -> Page {
        let mut f = Fields::default();
        f.set("office_id", self.office.to_string());
        f.set("from", self.from);
        f.set("depart_date", self.depart.to_string());
        f.set("depart_time", self.depart_time);
        f.set("seats", self.seats.to_string());
        f.set(
            "max_detour_km",
            self.max_detour_km
                .map(|k| k.to_string())
                .unwrap_or_default(),
        );
        assert_eq!(
            self.direction,
            Direction::ToOffice,
            "the form offers rides there"
        );
        f.set(
            "return_date",
            self.back.map(|d| d.to_string()).unwrap_or_default(),
        );
        f.set("notes", self.notes);
        f.tick("luggage", self.luggage);
        f.tick("smoking", self.smoking);
        f.tick("instant_accept", self.instant);
        for (name, value) in &self.raw {
            f.set(name, value.as_str());
        }
        self.app.post_with(client, "/rides", &f.pairs()).await
    }

    /// [`RideBuilder::post`]; the new ride's id.
    pub async fn create(self, client: &reqwest::Client) -> i64 {
        self.post(client).await.redirect_id("/rides/")
    }

    /// The ride straight in the store for `owner`; its id.
    pub async fn insert(self, owner: i64) -> i64 {
        assert!(self.raw.is_empty(), "raw fields only go through the form");
        let app = self.app;
        rides::insert(
            &app.db.pool,
            UserId(owner),
            &rides::RideFields {
                office_id: OfficeId(self.office),
                from: zip(&self.from),
                depart_date: self.depart,
                depart_time: self.depart_time,
                direction: self.direction,
                seats: self.seats,
                max_detour_km: self.max_detour_km.unwrap_or(25.0),
                luggage: self.luggage,
                smoking: self.smoking,
                pets_welcome: false,
                step_free: false,
                instant_accept: self.instant,
                notes: self.notes,
            },
            &app.clock.now_text(),
        )
        .await
        .expect("insert ride")
        .get()
    }
}

pub struct StayBuilder<'a> {
    app: &'a TestApp,
    place: String,
    beds: i32,
    first_night: NaiveDate,
    last_night: NaiveDate,
    blocked: Vec<NaiveDate>,
    pets_in_home: bool,
    smoking: bool,
    children_welcome: bool,
    instant: bool,
}

impl StayBuilder<'_> {
    /// The ZIP of the home (the street stays 12 Elm St).
    pub fn place(mut self, zip: &str) -> Self {
        self.place = zip.to_string();
        self
    }

    pub fn beds(mut self, n: i32) -> Self {
        self.beds = n;
        self
    }

    pub fn first_night(mut self, date: NaiveDate) -> Self {
        self.first_night = date;
        self
    }

    pub fn last_night(mut self, date: NaiveDate) -> Self {
        self.last_night = date;
        self
    }

    /// Nights the beds are not free.
    pub fn blocked(mut self, nights: &[NaiveDate]) -> Self {
        self.blocked = nights.to_vec();
        self
    }

    pub fn pets_in_home(mut self) -> Self {
        self.pets_in_home = true;
        self
    }

    pub fn smoking(mut self) -> Self {
        self.smoking = true;
        self
    }

    pub fn children_welcome(mut self) -> Self {
        self.children_welcome = true;
        self
    }

    /// Requests are accepted at once.
    pub fn instant(mut self) -> Self {
        self.instant = true;
        self
    }

    /// Posts the stay form as the person on `client`.
    pub async fn post(self, client: &reqwest::Client) -> Page {
        let blocked: Vec<String> = self.blocked.iter().map(|d| d.to_string()).collect();
        let mut f = Fields::default();
        f.set("place", self.place);
        f.set("street", "12 Elm St");
        f.set("beds", self.beds.to_string());
        f.set("first_night", self.first_night.to_string());
        f.set("last_night", self.last_night.to_string());
        f.set("blocked_nights", blocked.join(", "));
        f.set("notes", "");
        f.tick("pets_in_home", self.pets_in_home);
        f.tick("smoking", self.smoking);
        f.tick("children_welcome", self.children_welcome);
        f.tick("instant_accept", self.instant);
        self.app.post_with(client, "/stays", &f.pairs()).await
    }

    /// [`StayBuilder::post`]; the new stay's id.
    pub async fn create(self, client: &reqwest::Client) -> i64 {
        self.post(client).await.redirect_id("/stays/")
    }

    /// The stay straight in the store for `owner`; its id.
    pub async fn insert(self, owner: i64) -> i64 {
        let app = self.app;
        let mut conn = app.db.pool.acquire().await.expect("connection");
        stays::insert(
            &mut conn,
            UserId(owner),
            &stays::StayFields {
                place: zip(&self.place),
                street: Some("12 Elm St".into()),
                beds: self.beds,
                first_night: self.first_night,
                last_night: self.last_night,
                pets_in_home: self.pets_in_home,
                smoking: self.smoking,
                children_welcome: self.children_welcome,
                step_free: false,
                instant_accept: self.instant,
                notes: String::new(),
                blocked: self.blocked.into_iter().collect(),
            },
            &app.clock.now_text(),
        )
        .await
        .expect("insert stay")
        .get()
    }
}

pub struct TripBuilder<'a> {
    app: &'a TestApp,
    office: i64,
    arrive: NaiveDate,
    leave: NaiveDate,
    party: i32,
    flex_days: Option<i32>,
    needs_ride: bool,
    needs_bed: bool,
    needs_ride_home: bool,
    need_no_smoking: bool,
}

impl TripBuilder<'_> {
    /// The trip also needs a ride home.
    pub fn ride_home(mut self) -> Self {
        self.needs_ride_home = true;
        self
    }

    pub fn arrive(mut self, date: NaiveDate) -> Self {
        self.arrive = date;
        self
    }

    pub fn leave(mut self, date: NaiveDate) -> Self {
        self.leave = date;
        self
    }

    /// Arrives and leaves so many days from today.
    pub fn days(self, arrive: u64, leave: u64) -> Self {
        let app = self.app;
        self.arrive(day(app, arrive)).leave(day(app, leave))
    }

    pub fn party(mut self, size: i32) -> Self {
        self.party = size;
        self
    }

    /// How many days early a ride may leave.
    pub fn flex_days(mut self, n: i32) -> Self {
        self.flex_days = Some(n);
        self
    }

    pub fn no_ride(mut self) -> Self {
        self.needs_ride = false;
        self
    }

    pub fn no_bed(mut self) -> Self {
        self.needs_bed = false;
        self
    }

    pub fn need_no_smoking(mut self) -> Self {
        self.need_no_smoking = true;
        self
    }

    /// Posts the trip form as the person on `client`.
    pub async fn post(self, client: &reqwest::Client) -> Page {
        let mut f = Fields::default();
        f.set("office_id", self.office.to_string());
        f.set("from", "60616");
        f.set("arrive", self.arrive.to_string());
        f.set("leave", self.leave.to_string());
        f.set("party_size", self.party.to_string());
        f.set(
            "flex_days",
            self.flex_days.map(|n| n.to_string()).unwrap_or_default(),
        );
        f.set("max_stay_km", "");
        f.set("notes", "");
        f.tick("needs_ride", self.needs_ride);
        f.tick("needs_bed", self.needs_bed);
        f.tick("needs_ride_home", self.needs_ride_home);
        f.tick("need_no_smoking", self.need_no_smoking);
        self.app.post_with(client, "/trips", &f.pairs()).await
    }

    /// [`TripBuilder::post`]; the new trip's id.
    pub async fn create(self, client: &reqwest::Client) -> i64 {
        self.post(client).await.redirect_id("/trips/")
    }

    /// The trip straight in the store for `owner`; its id.
    pub async fn insert(self, owner: i64) -> i64 {
        let app = self.app;
        trips::insert(
            &app.db.pool,
            UserId(owner),
            &trips::TripFields {
                office_id: OfficeId(self.office),
                from: zip("60616"),
                arrive: self.arrive,
                leave: self.leave,
                party_size: self.party,
                needs_ride: self.needs_ride,
                needs_ride_home: self.needs_ride_home,
                needs_bed: self.needs_bed,
                flex_days: self.flex_days.unwrap_or(1),
                max_stay_km: 40.0,
                need_step_free: false,
                need_no_pets: false,
                need_no_smoking: self.need_no_smoking,
                notes: String::new(),
            },
            &app.clock.now_text(),
        )
        .await
        .expect("insert trip")
        .get()
    }
}
