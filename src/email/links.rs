//! The emails that carry a single-use link (confirm an address, reset a
//! password, claim an imported account, switch to a new address) and the
//! notice to an old address. Each function makes the token, composes the
//! message and queues it in the caller's transaction, so the link exists
//! exactly when the change that asked for it is committed.

use chrono::{DateTime, Duration, Utc};
use sqlx::AnyConnection;

use crate::clock::timestamp_text;
use crate::config::Settings;
use crate::domain::account::first_name;
use crate::domain::ids::UserId;
use crate::email::{compose, domain_of, enqueue, Content};
use crate::store::tokens::{self, NewToken, Purpose};
use crate::store::users;

/// How long an email-confirmation link works.
pub const VERIFY_DAYS: i64 = 7;
/// How long a claim invitation works.
pub const CLAIM_DAYS: i64 = 14;
/// How long a password-reset link works.
pub const RESET_HOURS: i64 = 1;
/// How long a link to switch to a new address works.
pub const CHANGE_HOURS: i64 = 24;
/// Reset (or claim) emails one account may be sent per hour, whether asked
/// for on the forgotten-password page or caused by a sign-up with its
/// address; more requests get the same answer and no email, so the forms
/// cannot be used to flood an inbox.
pub const RESETS_PER_HOUR: i64 = 3;

/// Who a message is for.
pub struct Person<'a> {
    pub id: UserId,
    pub email: &'a str,
    pub name: &'a str,
}

fn greeting(name: &str) -> String {
    match first_name(name) {
        "" => "Hello,".to_string(),
        first => format!("Hi {first},"),
    }
}

/// Makes a token and queues `content` (with the link as its button) to `to`.
#[allow(clippy::too_many_arguments)]
async fn send_link(
    conn: &mut AnyConnection,
    settings: &Settings,
    now: DateTime<Utc>,
    token: NewToken<'_>,
    path: &str,
    to: &str,
    subject: &str,
    mut content: Content,
    button: &str,
) -> anyhow::Result<()> {
    let now_text = timestamp_text(now);
    if let Some(id) = token.user_id {
        content.lang = users::language_of(&mut *conn, id).await?;
    }
    let raw = tokens::create(&mut *conn, &token, &now_text).await?;
    let url = format!("{}{path}{raw}", settings.public_url());
    content.action = Some((button.to_string(), url));
    let email = compose(to, subject, &content)?;
    enqueue(conn, &email, &now_text, &domain_of(&settings.public_url())).await?;
    Ok(())
}

/// "Confirm your email address", sent at sign-up and on request.
pub async fn send_verification(
    conn: &mut AnyConnection,
    settings: &Settings,
    now: DateTime<Utc>,
    p: &Person<'_>,
) -> anyhow::Result<()> {
    let expires = timestamp_text(now + Duration::days(VERIFY_DAYS));
    send_link(
        conn,
        settings,
        now,
        NewToken {
            purpose: Purpose::VerifyEmail,
            user_id: Some(p.id),
            booking_id: None,
            // The address being confirmed: the link does nothing once the
            // account uses another one.
            new_email: Some(p.email),
            expires_at: &expires,
        },
        "/verify/",
        p.email,
        "Confirm your email address",
        Content {
            greeting: greeting(p.name),
            paragraphs: vec![
                "Thanks for joining Trip Planner. Please confirm that this is your email address: \
                 then you can offer rides and beds and ask for them."
                    .into(),
            ],
            footer: vec![format!(
                "The link works for {VERIFY_DAYS} days. If you did not sign up, ignore this email and nothing happens."
            )],
            ..Content::default()
        },
        "Confirm my email address",
    )
    .await
}

/// "Reset your password", sent from the forgotten-password page.
pub async fn send_password_reset(
    conn: &mut AnyConnection,
    settings: &Settings,
    now: DateTime<Utc>,
    p: &Person<'_>,
) -> anyhow::Result<()> {
    let expires = timestamp_text(now + Duration::hours(RESET_HOURS));
    send_link(
        conn,
        settings,
        now,
        NewToken {
            purpose: Purpose::ResetPassword,
            user_id: Some(p.id),
            booking_id: None,
            new_email: None,
            expires_at: &expires,
        },
        "/password/reset/",
        p.email,
        "Reset your Trip Planner password",
        Content {
            greeting: greeting(p.name),
            paragraphs: vec![
                "Someone, hopefully you, asked to reset the password of the Trip Planner account for this address."
                    .into(),
            ],
            footer: vec![
                "The link works once, for one hour. If you did not ask for it, ignore this email: your password stays as it is."
                    .into(),
            ],
            ..Content::default()
        },
        "Choose a new password",
    )
    .await
}

/// "Your account is ready": the invitation to an imported person.
pub async fn send_claim_invitation(
    conn: &mut AnyConnection,
    settings: &Settings,
    now: DateTime<Utc>,
    p: &Person<'_>,
) -> anyhow::Result<()> {
    let expires = timestamp_text(now + Duration::days(CLAIM_DAYS));
    send_link(
        conn,
        settings,
        now,
        NewToken {
            purpose: Purpose::ClaimAccount,
            user_id: Some(p.id),
            booking_id: None,
            new_email: Some(p.email),
            expires_at: &expires,
        },
        "/claim/",
        p.email,
        "Your Trip Planner account is ready",
        Content {
            greeting: greeting(p.name),
            paragraphs: vec![
                "A field office added you to Trip Planner, where campaign volunteers share rides and beds \
                 on their way to the field offices. Your rides, stays and trips are already there."
                    .into(),
                "Choose a password to see them and to keep them up to date.".into(),
            ],
            footer: vec![format!(
                "The link works for {CLAIM_DAYS} days. If you do not want an account, ignore this email."
            )],
            ..Content::default()
        },
        "Choose my password",
    )
    .await
}

/// "Confirm your new address", sent to the new address only.
pub async fn send_email_change(
    conn: &mut AnyConnection,
    settings: &Settings,
    now: DateTime<Utc>,
    p: &Person<'_>,
    new_email: &str,
) -> anyhow::Result<()> {
    let expires = timestamp_text(now + Duration::hours(CHANGE_HOURS));
    send_link(
        conn,
        settings,
        now,
        NewToken {
            purpose: Purpose::ChangeEmail,
            user_id: Some(p.id),
            booking_id: None,
            new_email: Some(new_email),
            expires_at: &expires,
        },
        "/account/email/confirm/",
        new_email,
        "Confirm your new email address",
        Content {
            greeting: greeting(p.name),
            paragraphs: vec![
                "You asked to use this address for your Trip Planner account. Confirm it, and we will write to you here from now on."
                    .into(),
            ],
            footer: vec![format!(
                "The link works for {CHANGE_HOURS} hours. If you did not ask for this, ignore this email: nothing changes."
            )],
            ..Content::default()
        },
        "Use this address",
    )
    .await
}

/// Tells the old address that the account moved to a new one.
pub async fn send_email_changed_notice(
    conn: &mut AnyConnection,
    settings: &Settings,
    now: DateTime<Utc>,
    p: &Person<'_>,
    new_email: &str,
) -> anyhow::Result<()> {
    let lang = users::language_of(&mut *conn, p.id).await?;
    let content = Content {
        greeting: greeting(p.name),
        paragraphs: vec![
            lang.t_args("email-changed-text", &[("email", &new_email)]),
            "If you did not make this change, contact your field office straight away.".into(),
        ],
        lang,
        ..Content::default()
    };
    let email = compose(
        p.email,
        "Your Trip Planner email address was changed",
        &content,
    )?;
    enqueue(
        conn,
        &email,
        &timestamp_text(now),
        &domain_of(&settings.public_url()),
    )
    .await?;
    Ok(())
}

/// Tells the owner of an address that someone tried to move another account
/// to it, and how to get into their own. The form answers as if the address
/// were free, so it does not reveal who has an account; only the address's
/// owner learns it.
pub async fn send_address_in_use(
    conn: &mut AnyConnection,
    settings: &Settings,
    now: DateTime<Utc>,
    p: &Person<'_>,
) -> anyhow::Result<()> {
    let base = settings.public_url();
    let lang = users::language_of(&mut *conn, p.id).await?;
    let content = Content {
        lang,
        greeting: greeting(p.name),
        paragraphs: vec![
            "Someone signed in to another Trip Planner account asked to use this address for it. \
             It already belongs to your account, so nothing changed."
                .into(),
            "If it was you, log in with this address. If you don't know your password, choose a new one with “Forgot your password?” on the login page."
                .into(),
        ],
        action: Some(("Log in".into(), format!("{base}/login"))),
        footer: vec![
            lang.t_args("email-forgot-link", &[("url", &format!("{base}/password/forgot"))]),
            "If it wasn't you, you can ignore this email: your account is as it was.".into(),
        ],
    };
    let email = compose(p.email, "Someone tried to use your address", &content)?;
    enqueue(conn, &email, &timestamp_text(now), &domain_of(&base)).await?;
    Ok(())
}

/// Tells the owner of an address that someone tried to sign up with it,
/// with a link to get in: a password-reset link, or the claim link for an
/// imported account without a password. Sign-up answers the same whether or
/// not the address has an account, so only the address's owner learns it.
pub async fn send_signup_attempt(
    conn: &mut AnyConnection,
    settings: &Settings,
    now: DateTime<Utc>,
    p: &Person<'_>,
    has_password: bool,
) -> anyhow::Result<()> {
    let base = settings.public_url();
    // The lines with a link in them are written here in the account's
    // language; `compose` translates the others.
    let lang = users::language_of(&mut *conn, p.id).await?;
    let first = "Someone, maybe you, tried to sign up for Trip Planner with this address. \
                 It already belongs to your account, so no new account was made."
        .to_string();
    let (purpose, expires, path, line, button, lasts) = if has_password {
        (
            Purpose::ResetPassword,
            now + Duration::hours(RESET_HOURS),
            "/password/reset/",
            lang.t_args("email-signup-if-you", &[("url", &format!("{base}/login"))]),
            "Choose a new password",
            "The link works once, for one hour.",
        )
    } else {
        (
            Purpose::ClaimAccount,
            now + Duration::days(CLAIM_DAYS),
            "/claim/",
            "A field office made this account for you. Choose a password with the button below to use it."
                .to_string(),
            "Choose my password",
            "The link works once.",
        )
    };
    let expires = timestamp_text(expires);
    send_link(
        conn,
        settings,
        now,
        NewToken {
            purpose,
            user_id: Some(p.id),
            booking_id: None,
            // As the claim invitation: the link is for this address only.
            new_email: (!has_password).then_some(p.email),
            expires_at: &expires,
        },
        path,
        p.email,
        "Someone tried to sign up with your address",
        Content {
            greeting: greeting(p.name),
            paragraphs: vec![first, line],
            footer: vec![format!(
                "{} {}",
                lang.translate_english(lasts),
                lang.t("email-if-not-you-ignore")
            )],
            ..Content::default()
        },
        button,
    )
    .await
}

/// Days before `trip-planner invite` writes again to someone it invited.
pub const REINVITE_DAYS: i64 = 7;

/// Queues a claim invitation for every imported person who has no password
/// and was not invited in the last [`REINVITE_DAYS`] days; returns how many.
pub async fn invite_unclaimed(
    pool: &sqlx::AnyPool,
    settings: &Settings,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let since = timestamp_text(now - Duration::days(REINVITE_DAYS));
    let people = crate::store::users::unclaimed_not_invited_since(pool, &since).await?;
    for u in &people {
        let mut tx = pool.begin().await?;
        send_claim_invitation(
            &mut tx,
            settings,
            now,
            &Person {
                id: u.id,
                email: &u.email,
                name: &u.name,
            },
        )
        .await?;
        tx.commit().await?;
    }
    Ok(people.len())
}
