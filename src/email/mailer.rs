//! Hands a finished message to the mail system: an SMTP server (lettre, with
//! a connection pool) when SMTP_URL is set, otherwise an `.eml` file in
//! MAIL_DIR for the demo and development. Built once per app, at start.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::Context;
use lettre::message::header::{ContentTransferEncoding, HeaderName, HeaderValue};
use lettre::message::{Body, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::Settings;
pub use crate::store::outbox::Outgoing;

/// Why a message was not handed over.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The message itself is unusable (a bad address); retrying cannot help.
    #[error("message could not be built: {0}")]
    Unsendable(String),
    /// The mail system answered and did not take this message (refused it,
    /// failed on it); retry it later, after a wait that grows per failure.
    #[error("{0}")]
    Failed(String),
    /// The mail system could not be reached at all (connection refused or
    /// lost, timed out, TLS failed; MAIL_DIR not writable): not this
    /// message's fault, and every other message would fail the same way.
    #[error("{0}")]
    Unreachable(String),
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

/// Sends messages through the configured transport.
pub struct Mailer {
    from: Mailbox,
    transport: Transport,
    describe: String,
}

impl Mailer {
    /// Reads SMTP_URL, MAIL_FROM and MAIL_DIR. A bad SMTP_URL or MAIL_FROM is
    /// an error at start, not a string of failed deliveries later. Call it
    /// inside the Tokio runtime: the SMTP pool starts a cleanup task.
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Mailer> {
        let from: Mailbox = settings.mail_from.parse().context(
            "MAIL_FROM is not a valid address, like `Trip Planner <noreply@example.org>`",
        )?;
        let smtp_url = settings
            .smtp_url
            .as_ref()
            .map(|u| u.expose().trim())
            .filter(|u| !u.is_empty());
        let (transport, describe) = match smtp_url {
            Some(url) => {
                // lettre's URL form (checked in lettre 0.11's connection_url.rs):
                // `smtp://` is plain SMTP (port 25), `?tls=required` adds
                // STARTTLS (port 587), `smtps://` is TLS from the start (465).
                let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    // lettre's message names the part that is wrong, never the password.
                    .map_err(|e| anyhow::anyhow!("SMTP_URL is not usable: {e}"))?;
                (
                    Transport::Smtp(builder.build()),
                    format!("Emails are sent through {}.", crate::store::db::redact(url)),
                )
            }
            None => (
                Transport::Files(writable_dir(&settings.mail_dir)?),
                format!(
                    "No SMTP_URL is set: emails are written as .eml files to {}",
                    std::path::absolute(&settings.mail_dir)
                        .unwrap_or_else(|_| settings.mail_dir.clone())
                        .display()
                ),
            ),
        };
        Ok(Mailer {
            from,
            transport,
            describe,
        })
    }

    /// One line for the start-up log saying where email goes.
    pub fn describe(&self) -> &str {
        &self.describe
    }

    /// The MIME message for an outbox row: From, To, Subject, the stored
    /// Message-ID, Date, and the text and HTML parts as alternatives.
    pub fn message(&self, m: &Outgoing) -> Result<Message, SendError> {
        // Over SMTP the parts are quoted-printable (lettre's choice, safe for
        // any server). In a file they stay 8-bit, so a link can be copied
        // straight out of the `.eml` in a text editor during a demo.
        let readable = matches!(self.transport, Transport::Files(_));
        let to: Mailbox =
            m.to.parse()
                .map_err(|e| SendError::Unsendable(format!("recipient: {e}")))?;
        let date = chrono::DateTime::parse_from_rfc3339(&m.created_at)
            .map(SystemTime::from)
            .unwrap_or_else(|_| SystemTime::now());
        let mut builder = Message::builder();
        if let Some(url) = &m.unsubscribe {
            // RFC 8058: a mail client may offer "unsubscribe" and POST
            // `List-Unsubscribe=One-Click` to the address, no page needed.
            builder = builder
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe"),
                    format!("<{url}>"),
                ))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".into(),
                ));
        }
        builder
            .message_id(Some(m.message_id.clone()))
            .date(date)
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone())
            .multipart(
                MultiPart::alternative()
                    .singlepart(SinglePart::plain(body(&m.text, readable)))
                    .singlepart(SinglePart::html(body(&m.html, readable))),
            )
            .map_err(|e| SendError::Unsendable(e.to_string()))
    }

    /// Hands one message over; `Ok` means the SMTP server accepted it (or
    /// the file is complete on disk).
    pub async fn send(&self, m: &Outgoing) -> Result<(), SendError> {
        let message = self.message(m)?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| {
                // An SMTP reply (4xx, 5xx) or a client-side refusal is about
                // this message; anything else never got an answer.
                if e.is_transient() || e.is_permanent() || e.is_client() || e.is_response() {
                    SendError::Failed(e.to_string())
                } else {
                    SendError::Unreachable(e.to_string())
                }
            }),
            Transport::Files(dir) => write_eml(dir, m, &message.formatted())
                .await
                .map_err(|e| SendError::Unreachable(format!("{e:#}"))),
        }
    }
}

/// MAIL_DIR, created if needed, once a file could be written there: found
/// at start rather than when the first email fails.
fn writable_dir(dir: &Path) -> anyhow::Result<PathBuf> {
    let shown = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    // Unique per call: apps of one process (tests) may check one directory at once.
    let probe = dir.join(format!(
        ".write-check-{}-{:016x}",
        std::process::id(),
        rand::random::<u64>()
    ));
    std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(&probe, b""))
        .and_then(|()| std::fs::remove_file(&probe))
        .map_err(|e| {
            anyhow::anyhow!(
                "MAIL_DIR {} is not writable ({e}): set MAIL_DIR to a directory this user \
                 can write to, or set SMTP_URL to send email through a server",
                shown.display()
            )
        })?;
    Ok(dir.to_path_buf())
}

/// A part's body: 8-bit when asked and valid (no NUL, lines under 998
/// bytes), otherwise the encoding lettre picks (quoted-printable for text).
fn body(s: &str, eight_bit: bool) -> Body {
    let valid = !s.contains('\0') && s.lines().all(|l| l.len() < 998);
    if eight_bit && valid {
        let crlf = s.replace("\r\n", "\n").replace('\n', "\r\n");
        return Body::dangerous_pre_encoded(crlf.into_bytes(), ContentTransferEncoding::EightBit);
    }
    Body::new(s.to_string())
}

/// Writes `DIR/<queued-at>-<outbox id>.eml` through a temporary file and a
/// rename, so a reader never sees half a message and a retry overwrites the
/// same file instead of adding a second one.
async fn write_eml(dir: &Path, m: &Outgoing, bytes: &[u8]) -> anyhow::Result<()> {
    tokio::fs::create_dir_all(dir)
        .await
        .with_context(|| format!("could not create MAIL_DIR {}", dir.display()))?;
    let stamp: String = m
        .created_at
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let name = format!("{stamp}-{:06}.eml", m.id);
    let tmp = dir.join(format!(".{name}.tmp"));
    tokio::fs::write(&tmp, bytes)
        .await
        .with_context(|| format!("could not write to {}", tmp.display()))?;
    tokio::fs::rename(&tmp, dir.join(&name))
        .await
        .with_context(|| format!("could not rename {}", tmp.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outgoing() -> Outgoing {
        Outgoing {
            id: 7,
            message_id: "<abc123@trip.example.org>".into(),
            to: "ana@example.org".into(),
            subject: "Confirm your email address".into(),
            text: "Hi Ana,\n\nplain part".into(),
            html: "<p>Hi Ana,</p><p>html part</p>".into(),
            created_at: "2026-03-14T10:15:00Z".into(),
            attempts: 0,
            unsubscribe: None,
        }
    }

    #[tokio::test]
    async fn an_alert_carries_the_one_click_unsubscribe_headers_and_nothing_else_does() {
        let mailer = Mailer::from_settings(&Settings::for_database("sqlite::memory:")).unwrap();
        let plain = String::from_utf8(mailer.message(&outgoing()).unwrap().formatted()).unwrap();
        assert!(!plain.contains("List-Unsubscribe"), "{plain}");
        let mut alert = outgoing();
        alert.unsubscribe = Some(format!(
            "https://trip.example.org/alerts/{}",
            "b".repeat(64)
        ));
        let raw = String::from_utf8(mailer.message(&alert).unwrap().formatted()).unwrap();
        assert!(
            raw.contains(&format!(
                "List-Unsubscribe: <https://trip.example.org/alerts/{}>",
                "b".repeat(64)
            )),
            "{raw}"
        );
        assert!(
            raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
            "{raw}"
        );
    }

    #[tokio::test]
    async fn a_message_has_the_stored_id_both_parts_and_the_sender() {
        let mut settings = Settings::for_database("sqlite::memory:");
        settings.mail_from = "Field Team <team@example.org>".into();
        let mailer = Mailer::from_settings(&settings).unwrap();
        let raw = String::from_utf8(mailer.message(&outgoing()).unwrap().formatted()).unwrap();
        assert!(
            raw.contains("Message-ID: <abc123@trip.example.org>"),
            "{raw}"
        );
        assert!(
            raw.contains("From: \"Field Team\" <team@example.org>"),
            "{raw}"
        );
        assert!(raw.contains("To: ana@example.org"), "{raw}");
        assert!(raw.contains("Subject: Confirm your email address"), "{raw}");
        assert!(
            raw.contains("Date: Sat, 14 Mar 2026 10:15:00 +0000"),
            "{raw}"
        );
        assert!(raw.contains("multipart/alternative"), "{raw}");
        assert!(raw.contains("text/plain"), "{raw}");
        assert!(raw.contains("text/html"), "{raw}");
        // In a file the parts stay readable; over SMTP lettre encodes them.
        assert!(raw.contains("Content-Transfer-Encoding: 8bit"), "{raw}");
        settings.smtp_url = Some("smtp://127.0.0.1:2525".into());
        let smtp = Mailer::from_settings(&settings).unwrap();
        let mut long = outgoing();
        long.text = format!("Open https://trip.example.org/verify/{}", "a".repeat(64));
        let raw = String::from_utf8(smtp.message(&long).unwrap().formatted()).unwrap();
        assert!(!raw.contains("8bit"), "{raw}");
    }

    #[tokio::test]
    async fn bad_settings_are_refused_at_start() {
        let mut settings = Settings::for_database("sqlite::memory:");
        settings.mail_from = "not an address".into();
        assert!(Mailer::from_settings(&settings).is_err());
        let mut settings = Settings::for_database("sqlite::memory:");
        settings.smtp_url = Some("smtp://localhost?tls=none".into());
        let e = Mailer::from_settings(&settings).err().expect("refused");
        assert!(e.to_string().contains("SMTP_URL"), "{e}");
        settings.smtp_url = Some("smtp://user:secret@localhost:2525".into());
        let m = Mailer::from_settings(&settings).unwrap();
        assert!(!m.describe().contains("secret"), "{}", m.describe());
    }

    #[tokio::test]
    async fn an_unusable_recipient_is_not_retried() {
        let mailer = Mailer::from_settings(&Settings::for_database("sqlite::memory:")).unwrap();
        let mut m = outgoing();
        m.to = "not an address".into();
        assert!(matches!(mailer.message(&m), Err(SendError::Unsendable(_))));
    }
}
