//! The command line: `serve` (default), `migrate`, `demo`, `import`,
//! `matches`, `propose`, `invite`, `erase`, `purge`, `admin create`.

use clap::{Parser, Subcommand};

use crate::app::{shutdown_signal, App};
use crate::clock::Clock;
use crate::config::Settings;
use crate::domain::account::{Email, NewPassword, PersonName};
use crate::store::{users, Db};

#[derive(Debug, Parser)]
#[command(
    name = "trip-planner",
    version,
    about = "Rides and beds for volunteers travelling to field offices"
)]
pub struct Cli {
    #[command(flatten)]
    pub settings: Settings,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web app (the default when no command is given).
    Serve {
        /// Load the demo data first if the database is empty.
        #[arg(long)]
        demo: bool,
    },
    /// Create the database if needed and bring its schema up to date.
    Migrate,
    /// Load the demo data into an empty database.
    Demo,
    /// Import offices, rides, stays or trips from a CSV file (all rows or none).
    Import {
        /// What the file holds.
        #[arg(value_enum)]
        kind: crate::import::Kind,
        /// The CSV file (header row first).
        file: std::path::PathBuf,
    },
    /// Print every open trip with its fitting rides and stays.
    Matches {
        /// JSON on stdout instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Propose offers for a field office's open trips, chosen together to
    /// serve the most people (then fill the most needs, then the fewest km).
    /// Changes nothing.
    Propose {
        /// The office's name.
        #[arg(long)]
        office: String,
        /// First arrival day (YYYY-MM-DD); today at the office by default.
        #[arg(long)]
        from: Option<String>,
        /// Last arrival day (YYYY-MM-DD); 14 days after --from by default.
        #[arg(long)]
        to: Option<String>,
        /// JSON on stdout instead of a summary.
        #[arg(long)]
        json: bool,
        /// Seconds the solver may take before it gives its best so far (0:
        /// the quick proposal at once, with the bound it proves).
        #[arg(long, default_value = "5", value_parser = crate::config::seconds)]
        time_limit: std::time::Duration,
    },
    /// Email a link to every imported person who has no password yet (and
    /// was not invited in the last 7 days) so they can claim their account.
    /// The emails are queued; a running `serve` sends them. Links use BASE_URL.
    Invite,
    /// Erase a person's account on their request: their bookings end (the
    /// other side is emailed), their personal details go. Without --yes,
    /// prints what it would remove and changes nothing.
    Erase {
        #[arg(long)]
        email: String,
        /// Really erase.
        #[arg(long)]
        yes: bool,
    },
    /// After the election: remove every trip, ride and stay that ended
    /// before a date, with their bookings, emails and contact reads, and every
    /// volunteer account left with nothing. Offices keep per-day arrival
    /// counts. Without --yes it is a dry run that changes nothing.
    Purge {
        /// YYYY-MM-DD: what ended before this day goes.
        #[arg(long)]
        before: chrono::NaiveDate,
        /// Only print what would be removed (the default without --yes).
        #[arg(long, conflicts_with = "yes")]
        dry_run: bool,
        /// Really remove.
        #[arg(long)]
        yes: bool,
    },
    /// Manage administrators.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an admin (or make an existing account admin). Prints a new
    /// password unless one is given in ADMIN_PASSWORD.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// The password to set; a random one is generated and printed when absent.
        #[arg(long, env = "ADMIN_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
}

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = cli.settings;
    match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Serve { demo } => serve(settings, demo).await,
        Command::Migrate => {
            if Db::create_if_missing(&settings.database_url).await? {
                eprintln!("Created the database.");
            }
            Db::connect_and_migrate(&settings.database_url, 2).await?;
            eprintln!("Database is up to date.");
            Ok(())
        }
        Command::Demo => {
            let db = Db::connect_and_migrate(&settings.database_url, 2).await?;
            if crate::demo::load_if_empty(&db, &Clock::system()).await? {
                let figures = crate::store::meta::figures(&db.pool).await?;
                println!("Demo loaded: {}.", crate::demo::describe(&figures));
                crate::demo::print_logins(&settings.public_url());
            } else {
                eprintln!("The database already has data; the demo was not loaded.");
            }
            Ok(())
        }
        Command::Import { kind, file } => import(&settings, kind, &file).await,
        Command::Matches { json } => {
            let db = Db::connect_and_migrate(&settings.database_url, 2).await?;
            let today = Clock::system().today();
            let out = if json {
                crate::report::json(&db, today).await?
            } else {
                crate::report::table(&db, today).await?
            };
            println!("{out}");
            Ok(())
        }
        Command::Propose {
            office,
            from,
            to,
            json,
            time_limit,
        } => {
            let db = Db::connect_and_migrate(&settings.database_url, 2).await?;
            let c = crate::propose::compute(
                &db,
                &office,
                from.as_deref(),
                to.as_deref(),
                Clock::system().now(),
                time_limit,
            )
            .await?;
            if json {
                println!("{}", crate::propose::json(&c)?);
            } else {
                print!("{}", crate::propose::summary(&c));
            }
            Ok(())
        }
        Command::Invite => invite(&settings).await,
        Command::Erase { email, yes } => erase(settings, &email, yes).await,
        Command::Purge {
            before,
            dry_run,
            yes,
        } => purge(settings, before, yes && !dry_run).await,
        Command::Admin {
            command:
                AdminCommand::Create {
                    email,
                    name,
                    password,
                },
        } => admin_create(&settings, &email, &name, password).await,
    }
}

async fn import(
    settings: &Settings,
    kind: crate::import::Kind,
    file: &std::path::Path,
) -> anyhow::Result<()> {
    let db = Db::connect_and_migrate(&settings.database_url, 2).await?;
    match crate::import::import_file(&db, kind, file, &Clock::system()).await {
        Ok(s) => {
            eprintln!(
                "Imported {}: {} created, {} updated, {} new people.",
                file.display(),
                s.created,
                s.updated,
                s.people_created
            );
            Ok(())
        }
        Err(crate::import::ImportError::Rows(errors)) => {
            for e in &errors {
                eprintln!("{e}");
            }
            anyhow::bail!(
                "nothing was imported: fix the {} problem(s) above",
                errors.len()
            )
        }
        Err(crate::import::ImportError::Other(e)) => Err(e),
    }
}

async fn erase(settings: Settings, email: &str, yes: bool) -> anyhow::Result<()> {
    let db = Db::connect_and_migrate(&settings.database_url, 2).await?;
    let state = crate::state::AppState::new(db, Clock::system(), settings)?;
    let email = email.trim().to_lowercase();
    let Some((id, f)) = crate::people::footprint_of(&state, &email).await? else {
        anyhow::bail!("no account has the address {email}");
    };
    println!(
        "Account {}: {} live booking(s) to cancel (the other side is emailed), {} trip(s), {} ride(s) \
         and {} stay(s) to anonymise, {} session(s) and {} email(s) to remove, {} contact read(s) to keep \
         without the name.",
        id.get(),
        f.live_bookings,
        f.trips,
        f.rides,
        f.stays,
        f.sessions,
        f.emails,
        f.contact_reads
    );
    if !yes {
        println!("Nothing was changed: run again with --yes to erase.");
        return Ok(());
    }
    crate::people::erase(&state, id).await?;
    println!("Erased: the account is now erased-{}@invalid.", id.get());
    Ok(())
}

async fn purge(settings: Settings, before: chrono::NaiveDate, yes: bool) -> anyhow::Result<()> {
    let db = Db::connect_and_migrate(&settings.database_url, 2).await?;
    let state = crate::state::AppState::new(db, Clock::system(), settings)?;
    let counts = crate::people::purge(&state, before, !yes).await?;
    let verb = if yes { "Removed" } else { "Would remove" };
    println!("{verb} what ended before {before}:");
    for (table, n) in counts {
        if table == "office_day_counts" {
            println!("  {table:<20} {n} office-day figure(s) kept");
        } else {
            println!("  {table:<20} {n}");
        }
    }
    if !yes {
        println!("Nothing was changed (dry run): run again with --yes to purge.");
    }
    Ok(())
}

async fn invite(settings: &Settings) -> anyhow::Result<()> {
    let db = Db::connect_and_migrate(&settings.database_url, 2).await?;
    if settings.base_url.is_none() {
        eprintln!(
            "Note: BASE_URL is not set, so the links point to {}.",
            settings.public_url()
        );
    }
    let n =
        crate::email::links::invite_unclaimed(&db.pool, settings, Clock::system().now()).await?;
    println!("Queued {n} invitation(s) to claim an account.");
    Ok(())
}

async fn serve(settings: Settings, demo: bool) -> anyhow::Result<()> {
    let clock = Clock::system();
    let app = App::build(settings.clone(), clock.clone()).await?;
    let loaded = demo && crate::demo::load_if_empty(&app.state.db, &clock).await?;
    crate::jobs::spawn(app.state.clone());
    // Load the offer index now rather than inside the first trip page.
    let warm = app.state.clone();
    tokio::spawn(async move {
        if let Err(e) = warm.finder.sync(warm.clock.today()).await {
            tracing::warn!(error = %e, "offer index not loaded yet; the first lookup will load it");
        }
    });
    // What the person at the terminal needs goes to stdout; logs to stderr.
    println!("{}", app.state.mailer.describe());
    let url = local_url(&settings, app.addr);
    tracing::info!(addr = %app.addr, "listening");
    println!("Trip Planner is running at {url}  (Ctrl-C to stop)");
    if demo {
        if loaded {
            let figures = crate::store::meta::figures(&app.state.db.pool).await?;
            println!("Demo loaded: {}.", crate::demo::describe(&figures));
        } else {
            println!("The database already had data, so the demo data was left alone.");
        }
        crate::demo::print_logins(&url);
    }
    app.run(shutdown_signal()).await
}

/// The address to open: `BASE_URL` when set, else the address actually bound
/// (so `BIND=127.0.0.1:0` prints the port picked, and `0.0.0.0` reads as
/// this machine).
fn local_url(settings: &Settings, addr: std::net::SocketAddr) -> String {
    if settings
        .base_url
        .as_deref()
        .is_some_and(|u| !u.trim().is_empty())
    {
        return settings.public_url();
    }
    if addr.ip().is_unspecified() {
        format!("http://127.0.0.1:{}", addr.port())
    } else {
        format!("http://{addr}")
    }
}

async fn admin_create(
    settings: &Settings,
    email: &str,
    name: &str,
    password: Option<String>,
) -> anyhow::Result<()> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("--email: {e}"))?;
    let name = PersonName::parse(name).map_err(|e| anyhow::anyhow!("--name: {e}"))?;
    let (plain, generated) = match password {
        Some(p) => (p, false),
        None => (random_password(), true),
    };
    let password = NewPassword::parse(&plain, Some(email.as_str()))
        .map_err(|e| anyhow::anyhow!("password: {e}"))?;
    let db = Db::connect_and_migrate(&settings.database_url, 2).await?;
    let hash = tokio::task::spawn_blocking(move || {
        crate::domain::account::hash_password(password.expose())
    })
    .await??;
    let now = Clock::system().now_text();
    match users::by_email(&db.pool, email.as_str()).await? {
        Some(u) => {
            users::make_admin(&db.pool, u.id, &hash).await?;
            // A new password signs the account out everywhere.
            crate::store::sessions::end_others(&db.pool, u.id, None).await?;
            eprintln!("{} is now an admin and has a new password.", email);
        }
        None => {
            users::insert(
                &db.pool,
                &users::NewUser {
                    email: &email,
                    name: name.as_str(),
                    password_hash: Some(&hash),
                    phone: None,
                    home: None,
                    is_admin: true,
                    email_verified: true,
                },
                &now,
            )
            .await?;
            eprintln!("Admin {} created.", email);
        }
    }
    if generated {
        println!("Password: {plain}");
        eprintln!("Keep it somewhere safe; it is not shown again.");
    }
    Ok(())
}

/// Four random words' worth of entropy in a readable form.
fn random_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::thread_rng();
    (0..4)
        .map(|_| {
            (0..5)
                .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}
