//! Email delivery against a real SMTP server on 127.0.0.1 (mailin-embedded on
//! a thread): what arrives, retries while the server is down (one probe per
//! run, everything sent once it is back), a refused message waiting longer
//! each time and given up after eight attempts (and the admin page showing
//! it), two instances sharing the outbox, and the `.eml` files written when no
//! SMTP server is configured.

use std::io;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{TimeZone, Utc};
use mailin_embedded::{response, Handler, Response, Server, SslConfig};
use reqwest::StatusCode;
use trip_planner::jobs::run_once;

use crate::helpers::{link_path, Backend, ClosedPort, TestApp};

on_both_backends!(
    a_new_account_gets_a_verification_email_over_smtp,
    a_message_waits_while_the_smtp_server_is_down_and_goes_out_once,
    a_message_failing_eight_times_is_given_up_and_shown_to_admins,
    two_instances_deliver_each_message_once,
    during_an_outage_each_run_probes_once_and_the_next_run_sends_everything,
    a_refused_message_keeps_its_backoff_while_the_others_go_out,
    without_smtp_emails_are_written_as_eml_files,
);

/// A message as the SMTP server received it.
#[derive(Clone, Debug)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    /// The raw message with quoted-printable undone, so links read whole.
    pub data: String,
}

impl Received {
    /// The value of a header line (first match).
    pub fn header(&self, name: &str) -> Option<String> {
        let prefix = format!("{}: ", name.to_lowercase());
        self.data
            .lines()
            .take_while(|l| !l.is_empty())
            .find(|l| l.to_lowercase().starts_with(&prefix))
            .map(|l| l[prefix.len()..].trim().to_string())
    }
}

#[derive(Clone)]
struct Collect {
    inbox: Arc<Mutex<Vec<Received>>>,
    /// Recipients refused with a 451 (a temporary failure of this message).
    refuse: Arc<Vec<String>>,
    from: String,
    to: Vec<String>,
    data: Vec<u8>,
}

impl Handler for Collect {
    fn rcpt(&mut self, to: &str) -> Response {
        if self.refuse.iter().any(|r| to.contains(r.as_str())) {
            return response::INTERNAL_ERROR;
        }
        response::OK
    }

    fn data_start(&mut self, _domain: &str, from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.from = from.to_string();
        self.to = to.to_vec();
        self.data.clear();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let raw = String::from_utf8_lossy(&self.data);
        self.inbox.lock().expect("inbox").push(Received {
            from: self.from.clone(),
            to: self.to.clone(),
            data: undo_quoted_printable(&raw),
        });
        response::OK
    }
}

/// A real SMTP server on 127.0.0.1 that keeps what it receives.
pub struct MailServer {
    pub port: u16,
    inbox: Arc<Mutex<Vec<Received>>>,
}

impl MailServer {
    /// On a free port.
    pub fn start() -> MailServer {
        Self::serve(TcpListener::bind("127.0.0.1:0").expect("bind SMTP port"))
    }

    /// On a port held closed until now (one an app was already told about).
    pub fn start_on(port: ClosedPort) -> MailServer {
        Self::serve(port.open())
    }

    /// On a free port, answering "451 try again later" to these recipients.
    pub fn start_refusing(recipients: &[&str]) -> MailServer {
        Self::serve_refusing(
            TcpListener::bind("127.0.0.1:0").expect("bind SMTP port"),
            recipients,
        )
    }

    fn serve(listener: TcpListener) -> MailServer {
        Self::serve_refusing(listener, &[])
    }

    fn serve_refusing(listener: TcpListener, refuse: &[&str]) -> MailServer {
        let port = listener.local_addr().expect("local addr").port();
        let inbox = Arc::new(Mutex::new(Vec::new()));
        let mut server = Server::new(Collect {
            inbox: inbox.clone(),
            refuse: Arc::new(refuse.iter().map(|r| r.to_string()).collect()),
            from: String::new(),
            to: vec![],
            data: vec![],
        });
        server
            .with_name("mail.test")
            .with_num_threads(4)
            .with_tcp_listener(listener)
            .with_ssl(SslConfig::None)
            .map_err(|e| format!("SMTP server setup: {e}"))
            .expect("SMTP server");
        // serve() blocks for good; the thread ends with the test process.
        std::thread::spawn(move || {
            if let Err(e) = server.serve() {
                eprintln!("test SMTP server stopped: {e}");
            }
        });
        MailServer { port, inbox }
    }

    pub fn url(&self) -> String {
        smtp_url(self.port)
    }

    pub fn received(&self) -> Vec<Received> {
        self.inbox.lock().expect("inbox").clone()
    }

    /// Waits (a bounded while) until at least `n` messages arrived.
    pub async fn wait_for(&self, n: usize) -> Vec<Received> {
        for _ in 0..200 {
            let got = self.received();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("expected {n} message(s), got {}", self.received().len());
    }
}

/// lettre's URL for plain SMTP (no TLS) on a local port.
pub fn smtp_url(port: u16) -> String {
    format!("smtp://127.0.0.1:{port}")
}

/// Undoes quoted-printable soft line breaks and `=XX` escapes.
pub fn undo_quoted_printable(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(hi * 16 + lo);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

async fn a_new_account_gets_a_verification_email_over_smtp(backend: Backend) {
    let server = MailServer::start();
    let url = server.url();
    let Some(app) = TestApp::spawn_with(backend, |s| s.smtp_url = Some(url.into())).await else {
        return;
    };
    app.user("Ana López").home("94110").sign_up().await;
    assert!(
        server.received().is_empty(),
        "nothing is sent inside the request"
    );

    let ran = run_once(&app.state).await.expect("jobs run");
    assert_eq!(ran.emails_sent, 1);
    let mail = server.wait_for(1).await.remove(0);
    assert_eq!(mail.to, vec!["ana@example.org".to_string()]);
    assert!(
        mail.from.contains("noreply@trip-planner.local"),
        "{}",
        mail.from
    );
    assert_eq!(
        mail.header("Subject").as_deref(),
        Some("Confirm your email address")
    );
    let row = &app.outbox().await[0];
    assert_eq!(mail.header("Message-ID"), Some(row.message_id.clone()));
    assert!(row.sent_at.is_some());
    assert!(mail.data.contains("multipart/alternative"));

    // The link in the message works: the page asks, the POST confirms.
    let link = link_path(&mail.data, "/verify/").expect("a verification link");
    let page = app.get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!app.email_verified("ana@example.org").await);
    let done = app.post(&link, &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert!(app.email_verified("ana@example.org").await);

    // Nothing is sent twice.
    assert_eq!(run_once(&app.state).await.unwrap().emails_sent, 0);
    assert_eq!(server.received().len(), 1);
}

async fn a_message_waits_while_the_smtp_server_is_down_and_goes_out_once(backend: Backend) {
    let closed = ClosedPort::reserve();
    let port = closed.port();
    let Some(app) =
        TestApp::spawn_with(backend, |s| s.smtp_url = Some(smtp_url(port).into())).await
    else {
        return;
    };
    let t0 = Utc.with_ymd_and_hms(2026, 3, 14, 10, 0, 0).unwrap();
    app.clock.set(t0);
    app.user("Ana López").home("94110").sign_up().await;

    assert_eq!(run_once(&app.state).await.unwrap().emails_sent, 0);
    let rows = app.outbox().await;
    assert_eq!(rows.len(), 1, "nothing lost");
    assert_eq!(rows[0].to, "ana@example.org");
    assert_eq!(rows[0].sent_at, None);
    assert_eq!(rows[0].failed_at, None);
    assert!(!rows[0].last_error.clone().unwrap_or_default().is_empty());
    // The server being down is not the message's fault: no attempt is
    // charged and it is due again at once, so the next run tries it again.
    assert_eq!(rows[0].attempts, 0);
    assert_eq!(rows[0].next_attempt_at, "2026-03-14T10:00:01Z");
    app.clock.set(t0 + chrono::Duration::seconds(5));
    assert_eq!(run_once(&app.state).await.unwrap().emails_sent, 0);
    let row = &app.outbox().await[0];
    assert_eq!((row.attempts, row.failed_at.as_deref()), (0, None));
    assert_eq!(row.next_attempt_at, "2026-03-14T10:00:06Z");

    let server = MailServer::start_on(closed);
    app.clock.set(t0 + chrono::Duration::seconds(10));
    assert_eq!(run_once(&app.state).await.unwrap().emails_sent, 1);
    let got = server.wait_for(1).await;
    assert_eq!(got[0].to, vec!["ana@example.org".to_string()]);
    assert_eq!(run_once(&app.state).await.unwrap().emails_sent, 0);
    assert_eq!(server.received().len(), 1, "delivered exactly once");
    let row = &app.outbox().await[0];
    assert_eq!(row.sent_at.as_deref(), Some("2026-03-14T10:00:10Z"));
    assert_eq!(row.attempts, 0);
}

async fn a_message_failing_eight_times_is_given_up_and_shown_to_admins(backend: Backend) {
    let server = MailServer::start_refusing(&["ana@example.org"]);
    let url = server.url();
    let Some(app) = TestApp::spawn_with(backend, |s| s.smtp_url = Some(url.into())).await else {
        return;
    };
    let mut now = Utc.with_ymd_and_hms(2026, 3, 14, 10, 0, 0).unwrap();
    app.clock.set(now);
    app.user("Ana López").home("94110").sign_up().await;

    for attempt in 1..=8 {
        run_once(&app.state).await.unwrap();
        let row = &app.outbox().await[0];
        assert_eq!(row.attempts, attempt);
        assert_eq!(row.failed_at.is_some(), attempt == 8, "after {attempt}");
        now += chrono::Duration::minutes(61);
        app.clock.set(now);
    }
    // Given up: later runs leave it alone, with its last error kept.
    run_once(&app.state).await.unwrap();
    let row = &app.outbox().await[0];
    assert_eq!(row.attempts, 8);
    assert_eq!(row.sent_at, None);
    let error = row.last_error.clone().expect("last error kept");
    assert!(!error.is_empty());

    app.as_admin().await;
    let admin = app.get("/admin").await;
    assert_eq!(admin.status, StatusCode::OK);
    let problems = admin.text("#email-problems tr.failed");
    assert!(problems.contains("ana@example.org"), "{problems}");
    assert!(
        problems.contains("Confirm your email address"),
        "{problems}"
    );
    assert!(problems.contains('8'), "{problems}");
    assert!(
        problems.contains(error.split_whitespace().next().unwrap()),
        "{problems}"
    );
    assert!(admin.text("#outbox-depth").starts_with("0 emails waiting"));
    assert!(
        !admin.body.contains("Thanks for joining"),
        "bodies are not shown"
    );
}

async fn two_instances_deliver_each_message_once(backend: Backend) {
    let server = MailServer::start();
    let url = server.url();
    let Some(app) = TestApp::spawn_with(backend, |s| s.smtp_url = Some(url.clone().into())).await
    else {
        return;
    };
    let mut settings = trip_planner::config::Settings::for_database(&app.database_url);
    settings.smtp_url = Some(url.into());
    let second = trip_planner::app::App::build(settings, app.clock.clone())
        .await
        .expect("second instance");
    let n = 12;
    for i in 0..n {
        queue(&app, &format!("person{i}@example.org")).await;
    }
    let (a, b) = tokio::join!(run_once(&app.state), run_once(&second.state));
    assert_eq!(a.unwrap().emails_sent + b.unwrap().emails_sent, n);
    let got = server.wait_for(n).await;
    let mut to: Vec<String> = got.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    to.dedup();
    assert_eq!(to.len(), n, "every message once");
    assert_eq!(got.len(), n);
}

async fn without_smtp_emails_are_written_as_eml_files(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let mail_dir = dir.path().join("mail");
    let md = mail_dir.clone();
    let Some(app) = TestApp::spawn_with(backend, |s| s.mail_dir = md).await else {
        return;
    };
    app.user("Ana López").home("94110").sign_up().await;
    assert_eq!(run_once(&app.state).await.unwrap().emails_sent, 1);
    let files: Vec<_> = std::fs::read_dir(&mail_dir)
        .expect("MAIL_DIR created")
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0].extension().and_then(|e| e.to_str()), Some("eml"));
    let eml = std::fs::read_to_string(&files[0]).unwrap();
    let row = &app.outbox().await[0];
    assert!(
        eml.contains(&format!("Message-ID: {}", row.message_id)),
        "{eml}"
    );
    assert!(eml.contains("To: ana@example.org"), "{eml}");
    // Written 8-bit, so the link can be copied straight out of the file.
    assert!(link_path(&eml, "/verify/").is_some(), "{eml}");
    assert_eq!(run_once(&app.state).await.unwrap().emails_sent, 0);
    assert_eq!(std::fs::read_dir(&mail_dir).unwrap().count(), 1);
}

/// Queues a short message straight into the outbox.
async fn queue(app: &TestApp, to: &str) {
    let mut conn = app.db.pool.acquire().await.unwrap();
    let email = trip_planner::email::compose(
        to,
        "Hello",
        &trip_planner::email::Content {
            greeting: "Hi,".into(),
            ..Default::default()
        },
    )
    .unwrap();
    trip_planner::email::enqueue(&mut conn, &email, &app.clock.now_text(), "test.example")
        .await
        .unwrap();
}

async fn during_an_outage_each_run_probes_once_and_the_next_run_sends_everything(backend: Backend) {
    let closed = ClosedPort::reserve();
    let port = closed.port();
    let Some(app) =
        TestApp::spawn_with(backend, |s| s.smtp_url = Some(smtp_url(port).into())).await
    else {
        return;
    };
    let t0 = Utc.with_ymd_and_hms(2026, 3, 14, 10, 0, 0).unwrap();
    app.clock.set(t0);
    let n = 20;
    for i in 0..n {
        queue(&app, &format!("person{i:02}@example.org")).await;
    }
    // The server is down for two minutes of runs, every 5 seconds: each run
    // tries one message and stops; none is charged an attempt or made to
    // wait longer (with a backoff, the first tried would now wait minutes).
    let mut now = t0;
    for run in 1..=24 {
        assert_eq!(run_once(&app.state).await.unwrap().emails_sent, 0);
        let rows = app.outbox().await;
        let tried = rows.iter().filter(|r| r.last_error.is_some()).count();
        assert_eq!(tried, run.min(n), "one probe per run, the messages in turn");
        assert!(rows
            .iter()
            .all(|r| r.attempts == 0 && r.failed_at.is_none()));
        now += chrono::Duration::seconds(5);
        app.clock.set(now);
    }

    // The server is back: the next run sends every message, with no wait.
    let server = MailServer::start_on(closed);
    app.clock.set(now + chrono::Duration::seconds(5));
    assert_eq!(run_once(&app.state).await.unwrap().emails_sent, n);
    assert_eq!(server.wait_for(n).await.len(), n);
    assert!(app.outbox().await.iter().all(|r| r.sent_at.is_some()));
}

async fn a_refused_message_keeps_its_backoff_while_the_others_go_out(backend: Backend) {
    let server = MailServer::start_refusing(&["bounce@example.org"]);
    let url = server.url();
    let Some(app) = TestApp::spawn_with(backend, |s| s.smtp_url = Some(url.into())).await else {
        return;
    };
    let t0 = Utc.with_ymd_and_hms(2026, 3, 14, 10, 0, 0).unwrap();
    app.clock.set(t0);
    for to in ["bounce@example.org", "ana@example.org", "bo@example.org"] {
        queue(&app, to).await;
    }
    assert_eq!(run_once(&app.state).await.unwrap().emails_sent, 2);
    assert_eq!(server.wait_for(2).await.len(), 2);
    let bounce = &app.outbox().await[0];
    assert_eq!(bounce.sent_at, None);
    assert_eq!(bounce.attempts, 1);
    assert_eq!(bounce.next_attempt_at, "2026-03-14T10:01:00Z");
    assert!(bounce.last_error.as_deref().unwrap_or("").contains("451"));

    // Waiting its minute: the next run leaves it alone.
    app.clock.set(t0 + chrono::Duration::seconds(30));
    assert_eq!(run_once(&app.state).await.unwrap().emails_sent, 0);
    assert_eq!(app.outbox().await[0].attempts, 1);
}
