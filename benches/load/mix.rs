//! The election-week mix: virtual users of six kinds, each a loop of pages
//! with think times between them, talking HTTP to the app's instances in
//! turn. Every response is timed per page and sorted into ok, refused (an
//! answer the product gives on purpose: the seat went meanwhile) or error.
//! Every write the app acknowledged is remembered for the check afterwards.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::Row;

use trip_planner::store::Db;

use crate::seed::{Seeded, PASSWORD};

/// The kinds of virtual user, their share of the users and their mean
/// think time between two pages (README: "The election-week load test").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Visitor,
    Traveller,
    Owner,
    Staff,
    Calendar,
    Newcomer,
}

/// One user in twenty of each kind, in this order: 8 visitors, 5 travellers,
/// 2 owners, 2 staff, 2 calendar apps, 1 newcomer.
const PATTERN: [Kind; 20] = {
    use Kind::*;
    [
        Visitor, Traveller, Visitor, Owner, Visitor, Traveller, Staff, Visitor, Calendar,
        Traveller, Visitor, Newcomer, Visitor, Traveller, Owner, Visitor, Staff, Calendar, Visitor,
        Traveller,
    ]
};

impl Kind {
    pub fn of(i: usize) -> Kind {
        PATTERN[i % PATTERN.len()]
    }

    /// Mean think time, before the run's scale is applied.
    fn think_ms(self) -> u64 {
        match self {
            Kind::Visitor => 4_000,
            Kind::Traveller => 5_000,
            Kind::Owner => 6_000,
            Kind::Staff => 3_000,
            Kind::Calendar => 4_000,
            Kind::Newcomer => 8_000,
        }
    }
}

/// Where requests go: the instances in turn.
pub struct Target {
    bases: Vec<String>,
    next: AtomicUsize,
}

impl Target {
    pub fn new(bases: Vec<String>) -> Target {
        Target {
            bases,
            next: AtomicUsize::new(0),
        }
    }

    fn url(&self, path: &str) -> String {
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.bases.len();
        format!("{}{path}", self.bases[i])
    }
}

/// One page's figures in a run.
#[derive(Default, Clone)]
pub struct PageStats {
    pub micros: Vec<u32>,
    pub refused: u64,
    pub errors: u64,
}

impl PageStats {
    pub fn percentile(&self, p: f64) -> f64 {
        if self.micros.is_empty() {
            return 0.0;
        }
        let mut v = self.micros.clone();
        v.sort_unstable();
        let i = ((v.len() as f64 * p).ceil() as usize).clamp(1, v.len()) - 1;
        f64::from(v[i]) / 1000.0
    }
}

/// What a run saw, page by page, and the first few errors in words.
#[derive(Default)]
pub struct Stats {
    pub pages: Mutex<HashMap<&'static str, PageStats>>,
    pub samples: Mutex<Vec<String>>,
}

impl Stats {
    fn record(&self, page: &'static str, took: Duration, outcome: Outcome, what: &str) {
        let mut pages = self.pages.lock().expect("stats");
        let s = pages.entry(page).or_default();
        match outcome {
            Outcome::Ok => {}
            Outcome::Refused => s.refused += 1,
            Outcome::Error => {
                s.errors += 1;
                let mut samples = self.samples.lock().expect("samples");
                if samples.len() < 8 {
                    samples.push(format!("{page}: {what}"));
                }
            }
        }
        s.micros
            .push(u32::try_from(took.as_micros()).unwrap_or(u32::MAX));
    }

    pub fn totals(&self) -> (u64, u64, u64) {
        let pages = self.pages.lock().expect("stats");
        pages.values().fold((0, 0, 0), |(n, r, e), s| {
            (n + s.micros.len() as u64, r + s.refused, e + s.errors)
        })
    }

    /// p99 over every response.
    pub fn p99(&self) -> f64 {
        let pages = self.pages.lock().expect("stats");
        let all = PageStats {
            micros: pages.values().flat_map(|s| s.micros.clone()).collect(),
            ..PageStats::default()
        };
        all.percentile(0.99)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Ok,
    Refused,
    Error,
}

/// The writes the app acknowledged (a redirect or page saying it is done).
#[derive(Default)]
pub struct Acks {
    pub trips: Mutex<Vec<i64>>,
    pub bookings: Mutex<Vec<i64>>,
    /// Booking id and the status its owner's answer gave it.
    pub answers: Mutex<Vec<(i64, &'static str)>>,
    pub checkins: Mutex<Vec<i64>>,
    pub verified: Mutex<Vec<String>>,
}

/// What the users hand each other during a run: requests waiting for their
/// owner, calendar feed addresses handed to calendar apps.
#[derive(Default)]
pub struct Shared {
    waiting: Mutex<VecDeque<i64>>,
    /// Each traveller's current feed: a new one turns the old one off (404).
    feeds: Mutex<HashMap<i64, String>>,
    newcomers: AtomicUsize,
}

/// Everything a virtual user needs.
pub struct World {
    pub target: Target,
    pub stats: Stats,
    pub acks: Arc<Acks>,
    pub shared: Shared,
    pub seeded: Arc<Seeded>,
    /// The database, read as a mail client would read the inbox: the
    /// outbox holds the links the app emailed.
    pub db: Db,
    pub think_scale: f64,
    pub deadline: Instant,
    pub run_tag: String,
}

struct Resp {
    status: u16,
    location: String,
    body: String,
}

struct Vu {
    w: Arc<World>,
    client: reqwest::Client,
    rng: StdRng,
    kind: Kind,
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .expect("http client")
}

/// Runs user `i` until the world's deadline.
pub async fn run_user(w: Arc<World>, i: usize) {
    let mut vu = Vu {
        client: client(),
        rng: StdRng::seed_from_u64(i as u64 * 7919 + w.run_tag.len() as u64),
        kind: Kind::of(i),
        w,
    };
    // Users start spread over one mean think time, not all at once.
    let first = vu.rng.gen_range(0..vu.think_mean().as_millis() as u64 + 1);
    tokio::time::sleep(Duration::from_millis(first)).await;
    while vu.live() {
        match vu.kind {
            Kind::Visitor => vu.visitor().await,
            Kind::Traveller => vu.traveller().await,
            Kind::Owner => vu.owner().await,
            Kind::Staff => vu.staff().await,
            Kind::Calendar => vu.calendar().await,
            Kind::Newcomer => vu.newcomer().await,
        }
    }
}

/// `(kind, offer id)` of every request form on a trip page.
fn request_forms(body: &str) -> Vec<(String, String)> {
    let mut out = vec![];
    let mut rest = body;
    while let Some(at) = rest.find(r#"name="kind" value=""#) {
        rest = &rest[at + 19..];
        let kind: String = rest.chars().take_while(|c| *c != '"').collect();
        if let Some(o) = rest.find(r#"name="offer_id" value=""#) {
            let id: String = rest[o + 23..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            out.push((kind, id));
        }
    }
    out
}

/// The numbers following each `marker` in `body`.
fn ids_after(body: &str, marker: &str) -> Vec<String> {
    body.match_indices(marker)
        .map(|(at, _)| {
            body[at + marker.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

/// The first `prefix` + 64-hex-digit token path in an email text.
fn link(text: &str, prefix: &str) -> Option<String> {
    let at = text.find(prefix)?;
    let token: String = text[at + prefix.len()..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    (token.len() == 64).then(|| format!("{prefix}{token}"))
}

impl Vu {
    fn live(&self) -> bool {
        Instant::now() < self.w.deadline
    }

    fn think_mean(&self) -> Duration {
        Duration::from_millis((self.kind.think_ms() as f64 * self.w.think_scale) as u64)
    }

    /// An exponential pause around the kind's mean (people are bursty).
    async fn think(&mut self) {
        let mean = self.think_mean().as_secs_f64();
        let u: f64 = self.rng.gen_range(0.0001..1.0);
        let pause = (-u.ln() * mean).min(mean * 5.0);
        tokio::time::sleep(Duration::from_secs_f64(pause)).await;
    }

    async fn send(
        &mut self,
        page: &'static str,
        req: reqwest::RequestBuilder,
        ok: &[u16],
        refusable: bool,
    ) -> Option<Resp> {
        let started = Instant::now();
        let sent = async {
            let r = req.send().await?;
            let status = r.status().as_u16();
            let location = r
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .unwrap_or("")
                .to_string();
            let body = r.text().await?;
            Ok::<_, reqwest::Error>(Resp {
                status,
                location,
                body,
            })
        }
        .await;
        let took = started.elapsed();
        match sent {
            Ok(r) if ok.contains(&r.status) => {
                self.w.stats.record(page, took, Outcome::Ok, "");
                Some(r)
            }
            Ok(r) if refusable && (r.status == 409 || r.status == 422) => {
                self.w.stats.record(page, took, Outcome::Refused, "");
                None
            }
            Ok(r) => {
                let what = format!(
                    "HTTP {} {}",
                    r.status,
                    r.body.chars().take(200).collect::<String>()
                );
                self.w.stats.record(page, took, Outcome::Error, &what);
                None
            }
            Err(e) => {
                self.w
                    .stats
                    .record(page, took, Outcome::Error, &format!("{e:#}"));
                None
            }
        }
    }

    async fn get(&mut self, page: &'static str, path: &str) -> Option<Resp> {
        let req = self.client.get(self.w.target.url(path));
        self.send(page, req, &[200], false).await
    }

    async fn post(
        &mut self,
        page: &'static str,
        path: &str,
        form: &[(&str, &str)],
        ok: &[u16],
        refusable: bool,
    ) -> Option<Resp> {
        let req = self.client.post(self.w.target.url(path)).form(form);
        self.send(page, req, ok, refusable).await
    }

    async fn log_in(&mut self, email: &str) -> bool {
        let form = [("email", email), ("password", PASSWORD), ("next", "/me")];
        self.post("POST /login", "/login", &form, &[303], false)
            .await
            .is_some()
    }

    async fn log_out(&mut self) {
        self.post("POST /logout", "/logout", &[], &[303], false)
            .await;
    }

    fn office(&mut self) -> i64 {
        let o = &self.w.seeded.offices;
        o[self.rng.gen_range(0..o.len())]
    }

    /// Anonymous: the home page, the offices, an office's page, sometimes
    /// the log-in or sign-up form.
    async fn visitor(&mut self) {
        let r = self.rng.gen_range(0..100);
        match r {
            0..=34 => self.get("GET /", "/").await,
            35..=69 => {
                let o = self.office();
                self.get("GET /offices/{id}", &format!("/offices/{o}"))
                    .await
            }
            70..=84 => self.get("GET /offices", "/offices").await,
            85..=94 => self.get("GET /login", "/login").await,
            _ => self.get("GET /signup", "/signup").await,
        };
        self.think().await;
    }

    /// A traveller's visit: log in, look at their trip and My trips, ask
    /// for a match now and then, plan another trip or make a calendar feed
    /// sometimes, log out.
    async fn traveller(&mut self) {
        let t = &self.w.seeded.travellers;
        let (trip, email) = t[self.rng.gen_range(0..t.len())].clone();
        if !self.log_in(&email).await {
            self.think().await;
            return;
        }
        self.get("GET /me", "/me").await;
        self.think().await;
        for _ in 0..6 {
            if !self.live() {
                break;
            }
            match self.rng.gen_range(0..100) {
                0..=49 => {
                    self.get("GET /trips/{id}", &format!("/trips/{trip}")).await;
                }
                50..=64 => self.request(trip).await,
                65..=84 => {
                    self.get("GET /me", "/me").await;
                }
                85..=94 => {
                    self.plan_trip().await;
                }
                _ => self.make_feed(trip).await,
            }
            self.think().await;
        }
        self.log_out().await;
    }

    /// Opens the trip page and asks for one of its matches.
    async fn request(&mut self, trip: i64) {
        let Some(page) = self.get("GET /trips/{id}", &format!("/trips/{trip}")).await else {
            return;
        };
        let forms = request_forms(&page.body);
        if forms.is_empty() {
            return;
        }
        self.think().await;
        let (kind, offer) = forms[self.rng.gen_range(0..forms.len())].clone();
        let form = [
            ("kind", kind.as_str()),
            ("offer_id", offer.as_str()),
            ("message", "I can share fuel."),
        ];
        let path = format!("/trips/{trip}/requests");
        let Some(done) = self
            .post("POST /trips/{id}/requests", &path, &form, &[303], true)
            .await
        else {
            return;
        };
        let Some(id) = done
            .location
            .strip_prefix("/bookings/")
            .and_then(|i| i.parse::<i64>().ok())
        else {
            return;
        };
        self.w.acks.bookings.lock().expect("acks").push(id);
        if let Some(page) = self.get("GET /bookings/{id}", &done.location).await {
            if page.body.contains(r#"id="booking-status">Requested"#)
                || page.body.contains("Request sent to")
            {
                self.w.shared.waiting.lock().expect("queue").push_back(id);
            }
        }
    }

    /// Plans a new trip through the form and opens it.
    async fn plan_trip(&mut self) -> Option<i64> {
        let office = self.office().to_string();
        let arrive = self.w.seeded.today + chrono::Days::new(self.rng.gen_range(1..15));
        let leave = arrive + chrono::Days::new(self.rng.gen_range(1..5));
        let (arrive, leave) = (arrive.to_string(), leave.to_string());
        let from = crate::common::HOME_ZIPS[self.rng.gen_range(0..crate::common::HOME_ZIPS.len())];
        let form = [
            ("office_id", office.as_str()),
            ("from", from),
            ("arrive", arrive.as_str()),
            ("leave", leave.as_str()),
            ("party_size", "1"),
            ("flex_days", "1"),
            ("max_stay_km", ""),
            ("notes", ""),
            ("needs_ride", "on"),
            ("needs_bed", "on"),
        ];
        let done = self
            .post("POST /trips", "/trips", &form, &[303], false)
            .await?;
        let id = done.location.strip_prefix("/trips/")?.parse::<i64>().ok()?;
        self.w.acks.trips.lock().expect("acks").push(id);
        self.get("GET /trips/{id}", &done.location).await;
        Some(id)
    }

    /// Makes a private calendar feed and hands it to a calendar app.
    async fn make_feed(&mut self, traveller: i64) {
        let Some(page) = self
            .post("POST /calendar/feed", "/calendar/feed", &[], &[200], false)
            .await
        else {
            return;
        };
        let Some(at) = page.body.find("id=\"feed-url\" type=\"text\" value=\"") else {
            return;
        };
        let url: String = page.body[at + 33..]
            .chars()
            .take_while(|c| *c != '"')
            .collect();
        if let Some(p) = url.find("/calendar/") {
            self.w
                .shared
                .feeds
                .lock()
                .expect("feeds")
                .insert(traveller, url[p..].to_string());
        }
    }

    /// An offer's owner answers a waiting request: on the site from My
    /// trips, or from the link in the email (without logging in).
    async fn owner(&mut self) {
        let next = self.w.shared.waiting.lock().expect("queue").pop_front();
        let Some(booking) = next else {
            // Nothing to answer: an owner glances at their offers.
            let t = &self.w.seeded.travellers;
            let email = t[self.rng.gen_range(0..t.len())].1.clone();
            if self.log_in(&email).await {
                self.get("GET /me", "/me").await;
                self.log_out().await;
            }
            self.think().await;
            return;
        };
        let accept = self.rng.gen_bool(0.8);
        if self.rng.gen_bool(0.5) {
            self.answer_on_site(booking, accept).await;
        } else {
            self.answer_by_email(booking, accept).await;
        }
        self.think().await;
    }

    /// The texts of the newest `n` emails the app queued to `to`.
    async fn inbox(&self, to: &str, n: i64) -> Vec<String> {
        sqlx::query("SELECT body_text FROM outbox WHERE to_email = $1 ORDER BY id DESC LIMIT $2")
            .bind(to)
            .bind(n)
            .fetch_all(&self.w.db.pool)
            .await
            .map(|rows| rows.iter().map(|r| r.get::<String, _>(0)).collect())
            .unwrap_or_default()
    }

    async fn owner_email(&self, booking: i64) -> Option<String> {
        sqlx::query(
            "SELECT u.email FROM bookings b JOIN users u ON u.id = b.owner_id WHERE b.id = $1",
        )
        .bind(booking)
        .fetch_optional(&self.w.db.pool)
        .await
        .ok()
        .flatten()
        .map(|r| r.get::<String, _>(0))
    }

    async fn answer_on_site(&mut self, booking: i64, accept: bool) {
        let Some(email) = self.owner_email(booking).await else {
            return;
        };
        if !self.log_in(&email).await {
            return;
        }
        self.get("GET /me", "/me").await;
        self.think().await;
        let (action, status) = if accept {
            ("accept", "accepted")
        } else {
            ("decline", "declined")
        };
        let path = format!("/bookings/{booking}/{action}");
        if self
            .post(
                "POST /bookings/{id}/{action}",
                &path,
                &[("reason", "")],
                &[303],
                true,
            )
            .await
            .is_some()
        {
            self.w
                .acks
                .answers
                .lock()
                .expect("acks")
                .push((booking, status));
        }
        self.log_out().await;
    }

    /// Finds the owner's email about this booking (the accept link is the
    /// first one, decline the second) and follows it.
    async fn answer_by_email(&mut self, booking: i64, accept: bool) {
        let Some(email) = self.owner_email(booking).await else {
            return;
        };
        let mails = self.inbox(&email, 50).await;
        for text in mails {
            let Some(accept_link) = link(&text, "/b/") else {
                continue;
            };
            let decline_at = text.find(&accept_link).map_or(0, |i| i + accept_link.len());
            let chosen = if accept {
                Some(accept_link.clone())
            } else {
                link(&text[decline_at..], "/b/")
            };
            let Some(chosen) = chosen else { continue };
            let token = accept_link.trim_start_matches("/b/");
            let hash = format!(
                "{:x}",
                <sha2::Sha256 as sha2::Digest>::digest(token.as_bytes())
            );
            let of: Option<i64> =
                sqlx::query("SELECT booking_id FROM tokens WHERE token_hash = $1")
                    .bind(hash)
                    .fetch_optional(&self.w.db.pool)
                    .await
                    .ok()
                    .flatten()
                    .and_then(|r| r.get::<Option<i64>, _>(0));
            if of != Some(booking) {
                continue;
            }
            if self.get("GET /b/{token}", &chosen).await.is_none() {
                return;
            }
            self.think().await;
            // A 200 is the link's page saying why it no longer works (the
            // request was withdrawn or answered meanwhile): a refusal.
            let done = self
                .post("POST /b/{token}", &chosen, &[], &[200, 303], true)
                .await;
            if done.is_some_and(|r| r.status == 303) {
                let status = if accept { "accepted" } else { "declined" };
                self.w
                    .acks
                    .answers
                    .lock()
                    .expect("acks")
                    .push((booking, status));
            }
            return;
        }
    }

    /// Office staff: the summary, a day's arrivals and check-ins.
    async fn staff(&mut self) {
        let s = &self.w.seeded.staff;
        // Half the staff work at the busiest office.
        let (office, email) = if self.rng.gen_bool(0.5) {
            s.iter()
                .find(|(o, _)| *o == self.w.seeded.busy_office)
                .cloned()
                .expect("staff at the busy office")
        } else {
            s[self.rng.gen_range(0..s.len())].clone()
        };
        if !self.log_in(&email).await {
            self.think().await;
            return;
        }
        for _ in 0..6 {
            if !self.live() {
                break;
            }
            let r = self.rng.gen_range(0..100);
            if r < 40 {
                self.get(
                    "GET /offices/{id}/dashboard",
                    &format!("/offices/{office}/dashboard"),
                )
                .await;
            } else {
                let today = self.w.seeded.today.to_string();
                let day_path = format!("/offices/{office}/dashboard/day/{today}");
                let page = self
                    .get("GET /offices/{id}/dashboard/day/{day}", &day_path)
                    .await;
                if r >= 70 {
                    if let Some(page) = page {
                        self.check_in(office, &today, &page.body).await;
                    }
                }
            }
            self.think().await;
        }
        self.log_out().await;
    }

    async fn check_in(&mut self, office: i64, day: &str, body: &str) {
        let marker = format!(
            r#"action="/offices/{office}/checkins" class="inline"><input type="hidden" name="trip_id" value=""#
        );
        let open = ids_after(body, &marker);
        if open.is_empty() {
            return;
        }
        let trip = open[self.rng.gen_range(0..open.len())].clone();
        let status = if self.rng.gen_bool(0.9) {
            "arrived"
        } else {
            "no_show"
        };
        let form = [("trip_id", trip.as_str()), ("status", status), ("day", day)];
        let path = format!("/offices/{office}/checkins");
        if self
            .post("POST /offices/{id}/checkins", &path, &form, &[303], true)
            .await
            .is_some()
        {
            if let Ok(id) = trip.parse() {
                self.w.acks.checkins.lock().expect("acks").push(id);
            }
        }
    }

    /// A calendar app polling a feed it was given.
    async fn calendar(&mut self) {
        let feed = {
            let feeds = self.w.shared.feeds.lock().expect("feeds");
            let n = feeds.len();
            (n > 0)
                .then(|| feeds.values().nth(self.rng.gen_range(0..n)).cloned())
                .flatten()
        };
        if let Some(feed) = feed {
            self.get("GET /calendar/{file}", &feed).await;
        }
        self.think().await;
    }

    /// A new volunteer: signs up, confirms by the emailed link (which logs
    /// them in), plans a trip and opens it.
    async fn newcomer(&mut self) {
        let n = self.w.shared.newcomers.fetch_add(1, Ordering::Relaxed);
        let email = format!("new{n}.{}@example.com", self.w.run_tag);
        self.get("GET /signup", "/signup").await;
        self.think().await;
        let home = crate::common::HOME_ZIPS[n % crate::common::HOME_ZIPS.len()];
        let form = [
            ("name", "Nova Newcomer"),
            ("email", email.as_str()),
            ("new_password", PASSWORD),
            ("home", home),
            ("phone", ""),
        ];
        if self
            .post("POST /signup", "/signup", &form, &[200], false)
            .await
            .is_none()
        {
            self.think().await;
            return;
        }
        let text = self.inbox(&email, 1).await.into_iter().next();
        let Some(verify) = text.as_deref().and_then(|t| link(t, "/verify/")) else {
            let took = Duration::ZERO;
            self.w
                .stats
                .record("email: confirmation link", took, Outcome::Error, &email);
            return;
        };
        self.think().await;
        if self.get("GET /verify/{token}", &verify).await.is_none() {
            return;
        }
        if self
            .post("POST /verify/{token}", &verify, &[], &[303], false)
            .await
            .is_none()
        {
            return;
        }
        self.w.acks.verified.lock().expect("acks").push(email);
        self.think().await;
        self.plan_trip().await;
        self.think().await;
        self.log_out().await;
    }
}
