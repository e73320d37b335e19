//! Email: messages are composed from templates and written to the `outbox`
//! table in the same transaction as the change that causes them; the worker
//! in `worker.rs` sends them later, with retries.

use askama::Template;
use sqlx::AnyConnection;

use crate::i18n::Lang;
use crate::store::outbox;

pub mod links;
pub mod mailer;
pub mod worker;

/// One message, ready for the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The RFC 8058 one-click unsubscribe address (POST) of an alert: it
    /// goes in the `List-Unsubscribe` header. None for every other email.
    pub unsubscribe: Option<String>,
}

/// What a message says: a greeting, paragraphs and at most one button.
#[derive(Clone, Debug, Default)]
pub struct Content {
    pub greeting: String,
    pub paragraphs: Vec<String>,
    /// (label, absolute URL)
    pub action: Option<(String, String)>,
    /// Extra lines shown small under the button, e.g. a second link.
    pub footer: Vec<String>,
    /// The recipient's language: [`compose`] shows every text the English
    /// catalogue has in it (see `Lang::translate_english`).
    pub lang: Lang,
}

#[derive(Template)]
#[template(path = "email/message.txt")]
struct TextPart<'a> {
    c: &'a Content,
}

impl Content {
    /// The same message in its language: texts the catalogue knows are
    /// translated, names and links are left as they are.
    fn translated(&self) -> Content {
        let lang = self.lang;
        let tr = |s: &String| lang.translate_english(s);
        // The greeting is "Hi <first name>," or "Hello," (`links::greeting`).
        let greeting = match self
            .greeting
            .strip_prefix("Hi ")
            .and_then(|g| g.strip_suffix(','))
        {
            Some(name) => lang.t_args("email-greeting", &[("name", &name)]),
            None => tr(&self.greeting),
        };
        Content {
            greeting,
            paragraphs: self.paragraphs.iter().map(tr).collect(),
            action: self
                .action
                .as_ref()
                .map(|(label, url)| (tr(label), url.clone())),
            footer: self.footer.iter().map(tr).collect(),
            lang,
        }
    }
}

#[derive(Template)]
#[template(path = "email/message.html")]
struct HtmlPart<'a> {
    c: &'a Content,
    subject: &'a str,
}

/// "Hello Ann," in `lang`, from a person's full name.
pub fn hello(lang: Lang, name: &str) -> String {
    lang.t_args(
        "email-hello-name",
        &[("name", &crate::domain::account::first_name(name))],
    )
}

/// Renders both parts of a message, in the content's language.
pub fn compose(to: &str, subject: &str, content: &Content) -> anyhow::Result<Email> {
    let content = &content.translated();
    let subject = &content.lang.translate_english(subject);
    Ok(Email {
        to: to.to_string(),
        subject: subject.to_string(),
        text: TextPart { c: content }.render()?,
        html: HtmlPart {
            c: content,
            subject,
        }
        .render()?,
        unsubscribe: None,
    })
}

/// Queues a message in the caller's transaction. The Message-ID is fixed
/// now, so a resend after a crash carries the same id and mail systems can
/// drop the duplicate.
pub async fn enqueue(
    conn: &mut AnyConnection,
    email: &Email,
    now: &str,
    domain: &str,
) -> sqlx::Result<()> {
    let message_id = format!("<{}@{}>", crate::store::tokens::random_token(), domain);
    outbox::insert(
        conn,
        &outbox::NewMessage {
            message_id: &message_id,
            to: &email.to,
            subject: &email.subject,
            text: &email.text,
            html: &email.html,
            unsubscribe: email.unsubscribe.as_deref(),
        },
        now,
    )
    .await
}

/// The host part of the public URL, for Message-IDs.
pub fn domain_of(base_url: &str) -> String {
    base_url
        .split("://")
        .nth(1)
        .unwrap_or(base_url)
        .split(['/', ':'])
        .next()
        .filter(|h| !h.is_empty())
        .unwrap_or("trip-planner.local")
        .to_string()
}
