//! Typed settings: every value comes from a command-line flag or the environment.
//! Passwords and tokens among them are [`Secret`]s, so printing the settings with
//! `{:?}` (or a log line that does) never shows them.

use std::fmt;

use clap::Args;

/// A value that must never reach a log: its `Debug` shows `[redacted]`, it has no
/// `Display`, and the value only comes out through [`Secret::expose`], which makes each
/// use easy to find.
#[derive(Clone)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    /// The value itself. Don't format it into messages.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

// clap's `value_parser!` picks `From<String>`, so flags and environment variables parse
// straight into a `Secret`.
impl From<String> for Secret<String> {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret<String> {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

/// Settings shared by `serve` and the other commands that touch the database.
#[derive(Clone, Debug, Args)]
pub struct Settings {
    /// Address to listen on (`host:port`).
    #[arg(long, global = true, env = "BIND", default_value = "127.0.0.1:3000")]
    pub bind: String,

    /// `sqlite://FILE?mode=rwc` (default, embedded) or `postgres://…`.
    #[arg(
        long,
        global = true,
        env = "DATABASE_URL",
        default_value = "sqlite://trip-planner.db?mode=rwc"
    )]
    pub database_url: String,

    /// Public address of the site, used in links; an `https` one makes
    /// cookies `Secure`. Defaults to `http://` + BIND.
    #[arg(long, global = true, env = "BASE_URL")]
    pub base_url: Option<String>,

    /// Failed logins allowed from one IP address per 15 minutes before it is
    /// refused for a while. Generous because a field office shares one address.
    #[arg(long, global = true, env = "LOGIN_LIMIT_PER_IP", default_value_t = 100)]
    pub login_limit_per_ip: i64,

    /// SMTP server in lettre's URL form: `smtps://user:pass@host` is TLS from
    /// the start (port 465), `smtp://user:pass@host?tls=required` upgrades with
    /// STARTTLS (port 587), `smtp://host:port` without `tls` is plain SMTP (port
    /// 25; local relays and tests). Unset: emails are written as `.eml` files
    /// to MAIL_DIR.
    #[arg(long, global = true, env = "SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<Secret<String>>,

    /// The From address of every email.
    #[arg(
        long,
        global = true,
        env = "MAIL_FROM",
        default_value = "Trip Planner <noreply@trip-planner.local>"
    )]
    pub mail_from: String,

    /// Where emails are written when no SMTP_URL is set.
    #[arg(long, global = true, env = "MAIL_DIR", default_value = "mail")]
    pub mail_dir: std::path::PathBuf,

    /// Seconds between background job runs (email delivery, booking reminders and expiries).
    #[arg(long, global = true, env = "JOB_INTERVAL_SECS", default_value_t = 5)]
    pub job_interval_secs: u64,

    /// Milliseconds a log-in, sign-up or password change waits for a free
    /// password hasher (one per core) before it is answered "busy, try
    /// again" (503 with Retry-After).
    #[arg(
        long,
        global = true,
        env = "PASSWORD_WAIT_MS",
        default_value_t = 10_000
    )]
    pub password_wait_ms: u64,

    /// Database connections in the pool.
    #[arg(long, global = true, env = "DB_POOL_SIZE", default_value_t = 10)]
    pub db_pool_size: u32,

    /// How log lines on stderr are written: `text` (coloured only on a
    /// terminal) or `json` (one object per line, for log collectors).
    /// RUST_LOG picks what is logged.
    #[arg(long, global = true, env = "LOG_FORMAT", value_enum, default_value_t)]
    pub log_format: crate::logging::LogFormat,
    /// When set, the background jobs purge every day what ended this many
    /// days ago (as `trip-planner purge --before`). Unset: only the command purges.
    #[arg(long, global = true, env = "PURGE_AFTER_DAYS")]
    pub purge_after_days: Option<u32>,

    /// Turns on `GET /metrics` (Prometheus text format), which then requires
    /// `Authorization: Bearer <this token>`. Unset: no metrics are collected
    /// and /metrics is a 404.
    #[arg(long, global = true, env = "METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<Secret<String>>,

    /// Seconds the dashboard's "Propose matches" page waits for the solver
    /// before it shows the best proposal found with the bound it proved
    /// (0: the quick proposal at once), as `propose --time-limit`.
    #[arg(long, global = true, env = "PROPOSE_WAIT_SECS", default_value = "5", value_parser = seconds)]
    pub propose_wait: std::time::Duration,
}

/// A number of seconds from 0 to a day (`--time-limit`, `PROPOSE_WAIT_SECS`).
pub fn seconds(s: &str) -> Result<std::time::Duration, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if (0.0..=86_400.0).contains(&v) => Ok(std::time::Duration::from_secs_f64(v)),
        _ => Err("a number of seconds from 0 to 86400".into()),
    }
}

impl Settings {
    /// Settings for tests and tools: defaults for everything but the database.
    pub fn for_database(database_url: &str) -> Settings {
        Settings {
            bind: "127.0.0.1:0".into(),
            database_url: database_url.into(),
            base_url: None,
            login_limit_per_ip: 100,
            smtp_url: None,
            mail_from: "Trip Planner <noreply@trip-planner.local>".into(),
            mail_dir: std::env::temp_dir().join("trip-planner-mail"),
            job_interval_secs: 5,
            password_wait_ms: 10_000,
            db_pool_size: 10,
            log_format: crate::logging::LogFormat::Text,
            purge_after_days: None,
            metrics_token: None,
            propose_wait: std::time::Duration::from_secs(5),
        }
    }

    /// Whether cookies must carry the `Secure` attribute.
    pub fn secure_cookies(&self) -> bool {
        self.public_url().starts_with("https://")
    }

    /// The site's public address without a trailing slash.
    pub fn public_url(&self) -> String {
        match &self.base_url {
            Some(u) if !u.trim().is_empty() => u.trim().trim_end_matches('/').to_string(),
            _ => format!("http://{}", self.bind),
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Flags {
        #[command(flatten)]
        settings: Settings,
    }

    fn parse(args: &[&str]) -> Settings {
        Flags::parse_from(std::iter::once("trip-planner").chain(args.iter().copied())).settings
    }

    #[test]
    fn secrets_parse_from_flags() {
        let settings = parse(&[
            "--smtp-url",
            "smtps://mailer:hunter2@mail.example.org",
            "--metrics-token",
            "t0ps3cret",
        ]);
        assert_eq!(
            settings.smtp_url.as_ref().map(|u| u.expose().as_str()),
            Some("smtps://mailer:hunter2@mail.example.org")
        );
        assert_eq!(
            settings.metrics_token.as_ref().map(|t| t.expose().as_str()),
            Some("t0ps3cret")
        );
    }

    #[test]
    fn printed_settings_show_no_secrets() {
        let settings = parse(&[
            "--smtp-url",
            "smtps://mailer:hunter2@mail.example.org",
            "--metrics-token",
            "t0ps3cret",
        ]);
        for printed in [format!("{settings:?}"), format!("{settings:#?}")] {
            assert!(!printed.contains("hunter2"), "{printed}");
            assert!(!printed.contains("t0ps3cret"), "{printed}");
            assert!(printed.contains("smtp_url: Some("), "{printed}");
            assert!(printed.contains("[redacted]"), "{printed}");
        }
    }

    #[test]
    fn unset_secrets_stay_unset() {
        let settings = parse(&[]);
        assert!(settings.smtp_url.is_none());
        assert!(settings.metrics_token.is_none());
        assert!(format!("{settings:?}").contains("metrics_token: None"));
    }

    #[test]
    fn the_proposal_wait_is_five_seconds_unless_set_from_none_to_a_day() {
        assert_eq!(parse(&[]).propose_wait, std::time::Duration::from_secs(5));
        assert_eq!(
            parse(&["--propose-wait", "0"]).propose_wait,
            std::time::Duration::ZERO
        );
        assert_eq!(seconds(" 2.5 "), Ok(std::time::Duration::from_millis(2500)));
        for bad in ["-3", "soon", "NaN", "inf", "86401", ""] {
            assert!(seconds(bad).is_err(), "{bad:?}");
        }
    }
}
