//! `cargo bench --bench accepts`: how many booking accepts per second the
//! real app serves (`POST /bookings/{id}/accept` over HTTP, 8 in flight)
//! against the same transaction written directly with sqlx on the same
//! SQLite file (no HTTP, no session, no loading, no templates). In between:
//! `bookings::act` called directly (the domain function without HTTP). And
//! the raw transaction once more through a second pool of one connection, to
//! show what SQLite's busy-wait between competing writers costs.
//!
//! Setup (not timed): a fresh SQLite file, one office, one driver with rides
//! of 40 seats (enough rides that seats never run out), and one traveller per
//! booking, each with a trip and a requested booking as `bookings::request`
//! leaves it (event, accept/decline tokens, the email to the driver).
//! The app is built with `App::build` on 127.0.0.1:0 and served in this
//! process; the driver logs in over HTTP once.
//!
//! Each timed round accepts fresh bookings in each of the three ways (the
//! order rotates between rounds), then a serial breakdown (1 in flight) times
//! the pieces of one HTTP accept separately, interleaved call by call. All of
//! it runs twice: on the schema as migrated, then again after adding an index
//! on `tokens (booking_id)` to this temporary database (`tokens::
//! retire_for_booking`, inside every accept's transaction, scans the whole
//! table without it).
//!
//! Sessions: each HTTP accept is sent with its own session, minted (outside
//! the timing) with exactly the data of the driver's real logged-in session,
//! so every request loads a session as a browser's would. (The accept's
//! confirmation travels in the redirect, `?done=accepted`; it once was a
//! flash saved in the session, which is why sessions are not shared.)
//!
//! `ACCEPTS_ROUNDS`, `ACCEPTS_PER_ROUND`, `ACCEPTS_IN_FLIGHT` override the
//! defaults (5, 400, 8). Without `--bench` (`cargo test --benches`) it runs
//! one small round of each as a check.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use trip_planner::domain::ids::*;

use chrono::Days;
use reqwest::header::LOCATION;
use reqwest::StatusCode;
use sqlx::Row;
use tokio::task::JoinSet;
use tower::Service;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::SessionStore;

use trip_planner::app::{App, AppState};
use trip_planner::bookings;
use trip_planner::clock::{timestamp_text, Clock};
use trip_planner::config::Settings;
use trip_planner::domain::account::{first_name, hash_password, Email as Address};
use trip_planner::domain::booking::{Action, BookingStatus};
use trip_planner::domain::offer::Direction;
use trip_planner::domain::office::default_time_zone;
use trip_planner::email::{self, Content, Email};
use trip_planner::places::Gazetteer;
use trip_planner::store::bookings::{self as store, NewBooking, Offer};
use trip_planner::store::rides::{self, RideFields};
use trip_planner::store::sessions::DbSessionStore;
use trip_planner::store::tokens::{self, NewToken, Purpose};
use trip_planner::store::trips::{self, TripFields};
use trip_planner::store::{offices, users, Db};

const PASSWORD: &str = "correct horse battery";
const DRIVER_EMAIL: &str = "dee@example.org";
const SEATS_PER_RIDE: i32 = 40;
/// Bookings per loading transaction.
const LOAD_BATCH: usize = 500;

/// How to accept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Mode {
    /// `POST /bookings/{id}/accept` with the driver's session.
    Http,
    /// `bookings::act(state, Some(driver), id, Accept, ..)`: no HTTP, no session.
    Act,
    /// The bare transaction with the store's statements and pre-rendered emails.
    Raw,
    /// The same, on a second pool of one connection to the same file: the
    /// writers queue in the pool instead of in SQLite's busy handler.
    RawOneWriter,
}

impl Mode {
    const ALL: [Mode; 4] = [Mode::Http, Mode::Act, Mode::Raw, Mode::RawOneWriter];

    fn label(self) -> &'static str {
        match self {
            Mode::Http => "HTTP POST /bookings/{id}/accept",
            Mode::Act => "bookings::act (no HTTP/session)",
            Mode::Raw => "raw sqlx transaction",
            Mode::RawOneWriter => "raw, through a 1-connection pool",
        }
    }
}

/// A requested booking waiting to be accepted.
#[derive(Clone, Copy, Debug)]
struct Pending {
    id: i64,
    ride_id: i64,
}

/// One accept to do: the booking and, over HTTP, the session cookie to send.
struct Job {
    booking: Pending,
    session: Option<String>,
}

/// Everything the workers share.
struct Ctx {
    state: AppState,
    base: String,
    driver: i64,
    client: reqwest::Client,
    /// What `notify` queues on an accept (to the traveller, to the driver),
    /// rendered once for the raw transaction.
    mails: [Email; 2],
    domain: String,
    /// A pool of one connection to the same database file.
    writer: Db,
    /// The data of the driver's real logged-in session, for minting more.
    session_data: HashMap<String, serde_json::Value>,
}

/// The bookings not yet used, in order.
struct Queue {
    pending: Vec<Pending>,
    next: usize,
}

impl Queue {
    fn take(&mut self, n: usize) -> Vec<Pending> {
        let end = self.next + n;
        assert!(end <= self.pending.len(), "ran out of requested bookings");
        let out = self.pending[self.next..end].to_vec();
        self.next = end;
        out
    }
}

struct Plan {
    rounds: usize,
    per_round: usize,
    in_flight: usize,
    warm_up: usize,
    serial: usize,
}

impl Plan {
    fn from_env(bench_mode: bool) -> Plan {
        let var = |name: &str, default: usize| {
            std::env::var(name)
                .ok()
                .map(|v| v.trim().replace('_', "").parse().expect("a number"))
                .unwrap_or(default)
        };
        if bench_mode {
            Plan {
                rounds: var("ACCEPTS_ROUNDS", 5),
                per_round: var("ACCEPTS_PER_ROUND", 400),
                in_flight: var("ACCEPTS_IN_FLIGHT", 8),
                warm_up: 50,
                serial: 200,
            }
        } else {
            Plan {
                rounds: 1,
                per_round: 16,
                in_flight: 4,
                warm_up: 4,
                serial: 4,
            }
        }
    }

    /// Bookings the whole run uses: timed rounds, warm-up and serial runs of
    /// each mode, twice (without and with the tokens index), plus one for the
    /// login check.
    fn bookings_needed(&self) -> usize {
        let modes = Mode::ALL.len();
        2 * (modes * (self.rounds * self.per_round + self.warm_up) + 4 * self.serial) + 1
    }
}

/// Loads the office, the driver, the rides and `n` travellers with a trip
/// and a requested booking each. Returns the driver's id and the bookings.
async fn load(state: &AppState, n: usize) -> (i64, Vec<Pending>) {
    let db = &state.db;
    let gaz = Gazetteer::embedded();
    let now = state.clock.now_text();
    let expires = timestamp_text(state.clock.now() + chrono::Duration::days(3));
    let office_place = gaz.zip("53202").expect("Milwaukee ZIP");
    let chicago = gaz.zip("60601").expect("Chicago ZIP");
    let depart = state.clock.today() + Days::new(14);

    let mut tx = db.pool.begin().await.expect("begin");
    let office = offices::insert(
        &mut *tx,
        &offices::OfficeFields {
            name: "Milwaukee Field Office",
            place: &office_place,
            timezone: default_time_zone(&office_place.state).name(),
            contact_email: None,
            needed_per_day: Some(20),
        },
        &now,
    )
    .await
    .expect("office");
    let hash = hash_password(PASSWORD).expect("hash");
    let driver = users::insert(
        &mut *tx,
        &users::NewUser {
            email: &Address::parse(DRIVER_EMAIL).expect("email"),
            name: "Dee Driver",
            password_hash: Some(&hash),
            phone: Some("(555) 123-4567"),
            home: Some(&chicago),
            is_admin: false,
            email_verified: true,
        },
        &now,
    )
    .await
    .expect("driver");
    let n_rides = n.div_ceil(SEATS_PER_RIDE as usize);
    let mut ride_ids = Vec::with_capacity(n_rides);
    for _ in 0..n_rides {
        let fields = RideFields {
            office_id: office,
            from: chicago.clone(),
            depart_date: depart,
            depart_time: "08:00".into(),
            direction: Direction::ToOffice,
            seats: SEATS_PER_RIDE,
            max_detour_km: 30.0,
            luggage: true,
            smoking: false,
            pets_welcome: false,
            step_free: false,
            instant_accept: false,
            notes: String::new(),
        };
        ride_ids.push(
            rides::insert(&mut *tx, driver, &fields, &now)
                .await
                .expect("ride"),
        );
    }
    tx.commit().await.expect("commit");

    // The email `bookings::request` queues for the driver, rendered once.
    let asks = email::compose(
        DRIVER_EMAIL,
        "Tia asks for a seat on Dee's ride to Milwaukee Field Office",
        &Content {
            lang: Default::default(),
            greeting: "Hello Dee,".into(),
            paragraphs: vec![
                "Tia from Chicago asks for a seat on Dee's ride to Milwaukee Field Office.".into(),
                "Their message: “I can share fuel”".into(),
                "Please answer within 3 days; the request expires after that.".into(),
            ],
            action: Some(("Accept".into(), format!("http://x/b/{}", "0".repeat(64)))),
            footer: vec![format!("Decline: http://x/b/{}", "0".repeat(64))],
        },
    )
    .expect("compose");

    let mut pending = Vec::with_capacity(n);
    let mut done = 0;
    while done < n {
        let mut tx = db.pool.begin().await.expect("begin");
        for i in done..(done + LOAD_BATCH).min(n) {
            let traveller = users::insert(
                &mut *tx,
                &users::NewUser {
                    email: &Address::parse(&format!("traveller{i}@example.net")).expect("email"),
                    name: &format!("Tia Traveller{i}"),
                    password_hash: None,
                    phone: Some("(555) 765-4321"),
                    home: Some(&chicago),
                    is_admin: false,
                    email_verified: true,
                },
                &now,
            )
            .await
            .expect("traveller");
            let trip = trips::insert(
                &mut *tx,
                traveller,
                &TripFields {
                    office_id: office,
                    from: chicago.clone(),
                    arrive: depart,
                    leave: depart + Days::new(3),
                    party_size: 1,
                    needs_ride: true,
                    needs_bed: false,
                    needs_ride_home: false,
                    flex_days: 1,
                    max_stay_km: 40.0,
                    need_step_free: false,
                    need_no_pets: false,
                    need_no_smoking: false,
                    notes: String::new(),
                },
                &now,
            )
            .await
            .expect("trip");
            let ride_id = ride_ids[i / SEATS_PER_RIDE as usize];
            let id = store::insert(
                &mut tx,
                &NewBooking {
                    trip_id: trip,
                    traveller_id: traveller,
                    owner_id: driver,
                    offer: Offer::Ride(ride_id),
                    leg: trip_planner::domain::leg::Leg::RideThere,
                    party_size: 1,
                    nights: None,
                    message: "I can share fuel",
                    expires_at: &expires,
                },
                &now,
            )
            .await
            .expect("booking");
            store::record_event(
                &mut tx,
                id,
                None,
                BookingStatus::Requested,
                Some(traveller),
                "",
                &now,
            )
            .await
            .expect("event");
            for purpose in [Purpose::AcceptBooking, Purpose::DeclineBooking] {
                tokens::create(
                    &mut tx,
                    &NewToken {
                        purpose,
                        user_id: Some(driver),
                        booking_id: Some(id),
                        new_email: None,
                        expires_at: &expires,
                    },
                    &now,
                )
                .await
                .expect("token");
            }
            email::enqueue(&mut tx, &asks, &now, "127.0.0.1")
                .await
                .expect("outbox");
            pending.push(Pending {
                id: id.get(),
                ride_id: ride_id.get(),
            });
        }
        tx.commit().await.expect("commit");
        done = (done + LOAD_BATCH).min(n);
    }
    (driver.get(), pending)
}

/// The two emails `notify` queues when a driver accepts, composed the way it
/// does (same templates, same text), for booking `p`.
fn accept_mails(state: &AppState, p: &bookings::Parties) -> [Email; 2] {
    let t_first = first_name(&p.traveller.name).to_string();
    let o_first = first_name(&p.owner.name).to_string();
    let link = |path: String| format!("{}{}", state.settings.public_url(), path);
    let contact = |u: &users::User| {
        let mut lines = vec![format!("{}: {}", u.name, u.email)];
        if let Some(phone) = &u.phone {
            lines.push(format!("Phone: {phone}"));
        }
        lines
    };
    let mut to_traveller = vec![format!("{o_first} accepted your request: {}.", p.what())];
    to_traveller.extend(contact(&p.owner));
    let mut to_owner = vec![format!(
        "You have a confirmed guest: {t_first} ({}).",
        p.what()
    )];
    to_owner.extend(contact(&p.traveller));
    [
        email::compose(
            &p.traveller.email,
            &format!("Confirmed: {}", p.what()),
            &Content {
                lang: Default::default(),
                greeting: format!("Hello {t_first},"),
                paragraphs: to_traveller,
                action: Some((
                    "See your trip".into(),
                    link(format!("/trips/{}", p.trip.id)),
                )),
                footer: vec![],
            },
        )
        .expect("compose"),
        email::compose(
            &p.owner.email,
            &format!("{t_first} is booked: {}", p.what()),
            &Content {
                lang: Default::default(),
                greeting: format!("Hello {o_first},"),
                paragraphs: to_owner,
                action: Some((
                    "See the booking".into(),
                    link(format!("/bookings/{}", p.booking.id)),
                )),
                footer: vec![],
            },
        )
        .expect("compose"),
    ]
}

/// The accept transaction without anything around it: the statements of
/// `bookings::act` for a ride accept, in its order, with the emails already
/// rendered.
async fn accept_raw(ctx: &Ctx, db: &Db, b: Pending) {
    let now = ctx.state.clock.now_text();
    let mut tx = db.pool.begin().await.expect("begin");
    assert!(
        store::move_status(
            &mut tx,
            BookingId(b.id),
            BookingStatus::Requested,
            BookingStatus::Accepted,
            None,
            &now,
        )
        .await
        .expect("move_status"),
        "booking {} was not requested",
        b.id
    );
    assert!(
        store::take_seats(&mut tx, RideId(b.ride_id), 1)
            .await
            .expect("take_seats"),
        "ride {} is full",
        b.ride_id
    );
    store::record_event(
        &mut tx,
        BookingId(b.id),
        Some(BookingStatus::Requested),
        BookingStatus::Accepted,
        Some(UserId(ctx.driver)),
        "",
        &now,
    )
    .await
    .expect("record_event");
    tokens::retire_for_booking(&mut tx, BookingId(b.id), &now)
        .await
        .expect("retire tokens");
    for mail in &ctx.mails {
        email::enqueue(&mut tx, mail, &now, &ctx.domain)
            .await
            .expect("enqueue");
    }
    tx.commit().await.expect("commit");
}

async fn accept_http(ctx: &Ctx, b: Pending, session: &str) {
    let resp = ctx
        .client
        .post(format!("{}/bookings/{}/accept", ctx.base, b.id))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", format!("tp_session={session}"))
        .header("origin", &ctx.base)
        .header("sec-fetch-site", "same-origin")
        .body("")
        .send()
        .await
        .expect("POST");
    let status = resp.status();
    let location = resp
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = resp.text().await.expect("body");
    assert_eq!(status, StatusCode::SEE_OTHER, "accept {}: {body}", b.id);
    assert_eq!(
        location.as_deref(),
        Some(format!("/bookings/{}?done=accepted", b.id).as_str())
    );
}

async fn accept_one(ctx: &Ctx, mode: Mode, job: &Job) {
    match mode {
        Mode::Http => accept_http(ctx, job.booking, job.session.as_deref().expect("session")).await,
        Mode::Act => {
            let to = bookings::act(
                &ctx.state,
                Some(UserId(ctx.driver)),
                BookingId(job.booking.id),
                Action::Accept,
                Some(""),
                None,
            )
            .await
            .expect("act");
            assert_eq!(to, BookingStatus::Accepted);
        }
        Mode::Raw => accept_raw(ctx, &ctx.state.db, job.booking).await,
        Mode::RawOneWriter => accept_raw(ctx, &ctx.writer, job.booking).await,
    }
}

/// New sessions holding what the driver's real session holds.
async fn mint_sessions(ctx: &Ctx, n: usize) -> Vec<String> {
    let sessions = DbSessionStore::new(ctx.state.db.clone(), ctx.state.clock.clone());
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let mut record = Record {
            id: Id::default(),
            data: ctx.session_data.clone(),
            expiry_date: time::OffsetDateTime::now_utc() + time::Duration::days(14),
        };
        sessions.create(&mut record).await.expect("session");
        out.push(record.id.to_string());
    }
    out
}

/// Accepts `bookings` in `mode` with `in_flight` workers; the wall-clock time.
async fn run_batch(
    ctx: &Arc<Ctx>,
    mode: Mode,
    bookings: Vec<Pending>,
    in_flight: usize,
) -> Duration {
    let sessions = if mode == Mode::Http {
        mint_sessions(ctx, bookings.len())
            .await
            .into_iter()
            .map(Some)
            .collect()
    } else {
        vec![None; bookings.len()]
    };
    let jobs: Arc<Vec<Job>> = Arc::new(
        bookings
            .into_iter()
            .zip(sessions)
            .map(|(booking, session)| Job { booking, session })
            .collect(),
    );
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = JoinSet::new();
    for _ in 0..in_flight.min(jobs.len()) {
        let (ctx, jobs, next) = (ctx.clone(), jobs.clone(), next.clone());
        workers.spawn(async move {
            while let Some(job) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) {
                accept_one(&ctx, mode, job).await;
            }
        });
    }
    while let Some(done) = workers.join_next().await {
        done.expect("a worker panicked");
    }
    started.elapsed()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query(sql)
        .fetch_one(&db.pool)
        .await
        .expect(sql)
        .try_get(0)
        .expect("a count")
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

/// Logs the driver in with a cookie-keeping client as a browser does (and
/// follows the redirect, which clears the flash); accepts one booking with
/// that session and checks the booking page. Returns the session's data.
async fn login_check(
    state: &AppState,
    base: &str,
    b: Pending,
) -> HashMap<String, serde_json::Value> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let resp = client
        .post(format!("{base}/login"))
        .header("origin", base)
        .header("sec-fetch-site", "same-origin")
        .form(&[
            ("email", DRIVER_EMAIL),
            ("password", PASSWORD),
            ("next", "/"),
        ])
        .send()
        .await
        .expect("login");
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "login failed");
    client.get(format!("{base}/")).send().await.expect("GET /");
    let resp = client
        .post(format!("{base}/bookings/{}/accept", b.id))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", base)
        .header("sec-fetch-site", "same-origin")
        .body("")
        .send()
        .await
        .expect("POST accept");
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let page = client
        .get(format!("{base}/bookings/{}?done=accepted", b.id))
        .send()
        .await
        .expect("GET booking")
        .text()
        .await
        .expect("body");
    assert!(
        page.contains("Accepted."),
        "the booking page confirms the accept"
    );
    let rows = sqlx::query("SELECT data FROM sessions")
        .fetch_all(&state.db.pool)
        .await
        .expect("sessions");
    assert_eq!(rows.len(), 1, "one logged-in session");
    let data: String = rows[0].try_get("data").expect("data");
    serde_json::from_str(&data).expect("session data")
}

/// The timed rounds: each way accepts `per_round` fresh bookings per round,
/// the order rotating between rounds. Prints them; returns the median rates.
async fn rounds(ctx: &Arc<Ctx>, queue: &mut Queue, plan: &Plan) -> HashMap<Mode, f64> {
    for mode in Mode::ALL {
        run_batch(ctx, mode, queue.take(plan.warm_up), plan.in_flight).await;
    }
    let mut rates: HashMap<Mode, Vec<f64>> = HashMap::new();
    for round in 0..plan.rounds {
        for k in 0..Mode::ALL.len() {
            let mode = Mode::ALL[(round + k) % Mode::ALL.len()];
            let took = run_batch(ctx, mode, queue.take(plan.per_round), plan.in_flight).await;
            rates
                .entry(mode)
                .or_default()
                .push(plan.per_round as f64 / took.as_secs_f64());
        }
    }
    println!(
        "accepts per second, {} in flight, {} round(s) of {} fresh bookings per way (wall clock \
         over each round):",
        plan.in_flight, plan.rounds, plan.per_round
    );
    let mut medians = HashMap::new();
    for mode in Mode::ALL {
        let v = rates.remove(&mode).unwrap_or_default();
        let m = median(v.clone());
        medians.insert(mode, m);
        println!(
            "  {:<34} median {:>6.0}/s   rounds: {}",
            mode.label(),
            m,
            v.iter()
                .map(|r| format!("{r:.0}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    let ratio = medians[&Mode::Http] / medians[&Mode::Raw];
    println!(
        "  HTTP / raw = {:.0} %  (target ≥ 60 %: {})   act / raw = {:.0} %   HTTP / act = {:.0} %",
        100.0 * ratio,
        if ratio >= 0.6 { "met" } else { "MISSED" },
        100.0 * medians[&Mode::Act] / medians[&Mode::Raw],
        100.0 * medians[&Mode::Http] / medians[&Mode::Act],
    );
    println!(
        "  HTTP / raw through 1 connection = {:.0} %",
        100.0 * medians[&Mode::Http] / medians[&Mode::RawOneWriter],
    );
    medians
}

/// One at a time, the three ways and each piece of an HTTP accept alone,
/// interleaved call by call so that other load on the machine hits all alike.
async fn breakdown(ctx: &Arc<Ctx>, queue: &mut Queue, plan: &Plan, sample: &bookings::Parties) {
    const PIECES: [&str; 12] = [
        "HTTP POST /bookings/{id}/accept",
        "bookings::act (no HTTP/session)",
        "raw sqlx transaction",
        "POST accept through the router in-process (no TCP, no client)",
        "GET /healthz (HTTP stack + client + SELECT 1, no session)",
        "GET /healthz through the router in-process",
        "session load (1 SELECT on sessions)",
        "Viewer: users::with_staff_offices (1 SELECT)",
        "bookings::load (4 SELECTs: booking, trip, ride, users)",
        "compose the 2 emails (askama text + HTML)",
        "session save (1 upsert; no longer on the accept path)",
        "SELECT tokens WHERE booking_id = ? (retire's lookup)",
    ];
    let m = plan.serial;
    let done: Vec<Pending> = queue.pending[1..queue.next].to_vec();
    let (http_jobs, act_jobs, raw_jobs) = (queue.take(m), queue.take(m), queue.take(m));
    let router_jobs = queue.take(m);
    let cookies = mint_sessions(ctx, m).await;
    let router_cookies = mint_sessions(ctx, m).await;
    let mut router = trip_planner::web::router(ctx.state.clone());
    let state = &ctx.state;
    let db = &state.db;
    let sessions = DbSessionStore::new(db.clone(), state.clock.clone());
    let sid: Id = mint_sessions(ctx, 1).await[0].parse().expect("id");
    let record = sessions.load(&sid).await.expect("load").expect("session");
    let mut t: Vec<Vec<f64>> = vec![Vec::with_capacity(m); PIECES.len()];
    macro_rules! time {
        ($i:expr, $e:expr) => {{
            let started = Instant::now();
            $e;
            t[$i].push(started.elapsed().as_secs_f64() * 1e6);
        }};
    }
    for i in 0..m {
        let old = done[i % done.len()].id;
        time!(0, accept_http(ctx, http_jobs[i], &cookies[i]).await);
        time!(
            1,
            accept_one(
                ctx,
                Mode::Act,
                &Job {
                    booking: act_jobs[i],
                    session: None
                }
            )
            .await
        );
        time!(2, accept_raw(ctx, db, raw_jobs[i]).await);
        time!(3, {
            let resp = router
                .call(
                    axum::http::Request::post(format!("/bookings/{}/accept", router_jobs[i].id))
                        .header("content-type", "application/x-www-form-urlencoded")
                        .header("cookie", format!("tp_session={}", router_cookies[i]))
                        .body(axum::body::Body::empty())
                        .expect("request"),
                )
                .await
                .expect("infallible");
            assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        });
        time!(4, {
            let resp = ctx
                .client
                .get(format!("{}/healthz", ctx.base))
                .send()
                .await
                .expect("GET");
            assert_eq!(resp.status(), StatusCode::OK);
            resp.bytes().await.expect("body");
        });
        time!(5, {
            let resp = router
                .call(
                    axum::http::Request::get("/healthz")
                        .body(axum::body::Body::empty())
                        .expect("request"),
                )
                .await
                .expect("infallible");
            assert_eq!(resp.status(), StatusCode::OK);
        });
        time!(
            6,
            sessions.load(&sid).await.expect("load").expect("session")
        );
        time!(
            7,
            users::with_staff_offices(&db.pool, UserId(ctx.driver))
                .await
                .expect("user")
        );
        time!(8, bookings::load(db, BookingId(old)).await.expect("load"));
        time!(9, accept_mails(state, sample));
        time!(10, sessions.save(&record).await.expect("save"));
        time!(
            11,
            sqlx::query("SELECT COUNT(*) FROM tokens WHERE booking_id = $1 AND used_at IS NULL")
                .bind(old)
                .fetch_one(&db.pool)
                .await
                .expect("scan")
        );
    }
    let med: Vec<f64> = t.iter().map(|v| median(v.clone())).collect();
    println!("one at a time, interleaved (µs per accept or per call, median and mean of {m}):");
    for (k, what) in PIECES.iter().enumerate() {
        if k == 3 {
            println!(
                "  HTTP / raw one at a time = {:.0} %; HTTP − act = {:.0} µs, act − raw = {:.0} µs \
                 (medians); the pieces:",
                100.0 * med[2] / med[0],
                med[0] - med[1],
                med[1] - med[2]
            );
        }
        let indent = if k < 3 { "  " } else { "    " };
        let rate = if k < 3 {
            format!("  ({:.0}/s)", 1e6 / med[k])
        } else {
            String::new()
        };
        println!(
            "{indent}{what:<60} {:>6.0} µs (mean {:>6.0}){rate}",
            med[k],
            mean(&t[k])
        );
    }
    let plan_rows = sqlx::query(
        "EXPLAIN QUERY PLAN UPDATE tokens SET used_at = 'x' WHERE booking_id = 1 AND used_at IS NULL",
    )
    .persistent(false)
    .fetch_all(&db.pool)
    .await
    .expect("query plan");
    println!(
        "  query plan of tokens::retire_for_booking's UPDATE: {}",
        plan_rows
            .iter()
            .filter_map(|r| r.try_get::<String, _>("detail").ok())
            .collect::<Vec<_>>()
            .join("; ")
    );
}

async fn bench(plan: Plan) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("accepts.db").display()
    );
    let clock = Clock::system();
    let app = App::build(Settings::for_database(&url), clock.clone())
        .await
        .expect("app builds");
    let base = format!("http://{}", app.addr);
    let state = app.state.clone();
    let pool_size = state.settings.db_pool_size;

    let n = plan.bookings_needed();
    let loading = Instant::now();
    let (driver, pending) = load(&state, n).await;
    println!(
        "loaded 1 office, 1 driver, {} rides of {SEATS_PER_RIDE} seats, {n} travellers with a trip \
         and a requested booking each ({n} events, {} tokens, {n} outbox rows) in {:.1} s",
        n.div_ceil(SEATS_PER_RIDE as usize),
        2 * n,
        loading.elapsed().as_secs_f64()
    );
    tokio::spawn(app.run(std::future::pending()));

    let mut queue = Queue { pending, next: 0 };
    let session_data = login_check(&state, &base, queue.take(1)[0]).await;
    let sample = bookings::load(&state.db, BookingId(queue.pending[queue.next].id))
        .await
        .expect("a booking");
    let ctx = Arc::new(Ctx {
        mails: accept_mails(&state, &sample),
        domain: email::domain_of(&state.settings.public_url()),
        writer: Db::connect(&url, 1).await.expect("writer pool"),
        state: state.clone(),
        base: base.clone(),
        driver,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
        session_data,
    });
    println!(
        "machine: {} cores ({}), load average before: {}; SQLite WAL (synchronous=NORMAL), pool \
         of {pool_size}, server and load generator in one tokio runtime with 2 workers",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        cpu_model(),
        load_average()
    );

    println!("\n== the schema as migrated ==");
    rounds(&ctx, &mut queue, &plan).await;
    breakdown(&ctx, &mut queue, &plan, &sample).await;

    // What if `tokens.booking_id` were indexed (only in this temporary database).
    sqlx::query("CREATE INDEX bench_tokens_booking ON tokens (booking_id)")
        .execute(&state.db.pool)
        .await
        .expect("index");
    println!("\n== with CREATE INDEX ON tokens (booking_id), this database only ==");
    rounds(&ctx, &mut queue, &plan).await;
    breakdown(&ctx, &mut queue, &plan, &sample).await;

    // Nothing oversold, every accept recorded.
    let db = &state.db;
    let accepted = queue.next as i64;
    assert_eq!(
        count(
            db,
            "SELECT COUNT(*) FROM bookings WHERE status = 'accepted'"
        )
        .await,
        accepted
    );
    assert_eq!(
        count(db, "SELECT COALESCE(SUM(seats_taken), 0) FROM rides").await,
        accepted
    );
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM rides WHERE seats_taken > seats").await,
        0
    );
    assert_eq!(
        count(db, "SELECT COUNT(*) FROM outbox").await,
        n as i64 + 2 * accepted
    );
    println!(
        "\nchecked: {accepted} accepted, {accepted} seats taken, none oversold, 2 emails queued \
         per accept; tokens table {} rows; load average after: {}",
        count(db, "SELECT COUNT(*) FROM tokens").await,
        load_average()
    );
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "?".into())
}

fn main() {
    let bench_mode = std::env::args().any(|a| a == "--bench");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    rt.block_on(bench(Plan::from_env(bench_mode)));
}
