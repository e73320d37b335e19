//! Builds the app from settings: database, state, router, listener.

use std::future::Future;
use std::net::SocketAddr;

use anyhow::Context;
use tokio::net::TcpListener;

use crate::clock::Clock;
use crate::config::Settings;
use crate::store::Db;

pub use crate::state::AppState;

/// A bound, ready-to-serve app.
pub struct App {
    pub state: AppState,
    listener: TcpListener,
    pub addr: SocketAddr,
}

impl App {
    /// Opens and migrates the database, warms the gazetteer and binds the port
    /// (`127.0.0.1:0` picks a free one, as tests do).
    pub async fn build(settings: Settings, clock: Clock) -> anyhow::Result<App> {
        let db = Db::connect_and_migrate(&settings.database_url, settings.db_pool_size).await?;
        App::build_with_db(settings, clock, db).await
    }

    /// Like [`App::build`] over an already migrated database.
    pub async fn build_with_db(settings: Settings, clock: Clock, db: Db) -> anyhow::Result<App> {
        // Parse the embedded gazetteer now, not inside the first request.
        crate::places::Gazetteer::embedded();
        let listener = TcpListener::bind(&settings.bind)
            .await
            .with_context(|| format!("could not listen on {}", settings.bind))?;
        let addr = listener.local_addr()?;
        Ok(App {
            state: AppState::new(db, clock, settings)?,
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
