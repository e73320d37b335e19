//! Typed settings: every value comes from a command-line flag or the environment.

use clap::Args;

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

    /// Database connections in the pool.
    #[arg(long, global = true, env = "DB_POOL_SIZE", default_value_t = 10)]
    pub db_pool_size: u32,
}

impl Settings {
    /// Settings for tests and tools: defaults for everything but the database.
    pub fn for_database(database_url: &str) -> Settings {
        Settings {
            bind: "127.0.0.1:0".into(),
            database_url: database_url.into(),
            base_url: None,
            login_limit_per_ip: 100,
            db_pool_size: 10,
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
