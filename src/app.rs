//! Builds the app from settings: listener, mailer, database, state, router.

use std::future::Future;
use std::io::ErrorKind;
use std::net::SocketAddr;

use anyhow::Context;
use tokio::net::TcpListener;

use crate::clock::Clock;
use crate::config::Settings;
use crate::email::mailer::Mailer;
use crate::store::Db;

pub use crate::state::AppState;

/// A bound, ready-to-serve app.
pub struct App {
    pub state: AppState,
    listener: TcpListener,
    pub addr: SocketAddr,
}

impl App {
    /// Binds the port (`127.0.0.1:0` picks a free one, as tests do), checks
    /// where email goes, then opens and migrates the database and warms the
    /// gazetteer. The port and the mail settings come first, so a start that
    /// fails on them leaves no new database file behind.
    pub async fn build(settings: Settings, clock: Clock) -> anyhow::Result<App> {
        let listener = listen(&settings.bind).await?;
        let addr = listener.local_addr()?;
        let mailer = Mailer::from_settings(&settings)?;
        let db = Db::connect_and_migrate(&settings.database_url, settings.db_pool_size).await?;
        // Parse the embedded gazetteer now, not inside the first request.
        crate::places::Gazetteer::embedded();
        Ok(App {
            state: AppState::with_mailer(db, clock, settings, mailer),
            listener,
            addr,
        })
    }

    /// Serves until `shutdown` completes, then finishes requests in flight.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let router = crate::web::router(self.state.clone());
        axum::serve(
            self.listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
        .context("server error")
    }
}

/// The listener on `bind`, or an error that says what to change.
async fn listen(bind: &str) -> anyhow::Result<TcpListener> {
    TcpListener::bind(bind).await.map_err(|e| {
        let hint = match e.kind() {
            ErrorKind::AddrInUse => {
                "another program (perhaps another Trip Planner) is using that port: \
                 stop it, or set BIND (or --bind) to a free address, like 127.0.0.1:3001"
            }
            ErrorKind::AddrNotAvailable => {
                "this machine has no such address: set BIND (or --bind) to one it has, \
                 like 127.0.0.1:3000 or 0.0.0.0:3000"
            }
            ErrorKind::PermissionDenied => {
                "ports below 1024 need special rights: set BIND (or --bind) to a port \
                 above 1024, like 127.0.0.1:3000"
            }
            _ => "set BIND (or --bind) to a host:port to listen on, like 127.0.0.1:3000",
        };
        anyhow::anyhow!("could not listen on {bind} ({e}): {hint}")
    })
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
