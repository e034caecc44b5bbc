//! Builds the application from settings and runs it.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use axum::Router;
use leptos::config::LeptosOptions;
use tokio::net::TcpListener;

use crate::config::{Settings, StorageKind};
use crate::state::AppState;
use crate::storage::{LocalStore, S3Store, Store};
use crate::{db, http};

/// Opens the configured object store.
pub async fn open_store(settings: &Settings) -> anyhow::Result<Arc<dyn Store>> {
    Ok(match settings.storage {
        StorageKind::Local => {
            let dir = settings.storage_dir();
            Arc::new(
                LocalStore::open(dir.clone())
                    .await
                    .with_context(|| format!("cannot open local storage at {}", dir.display()))?,
            )
        }
        StorageKind::S3 => Arc::new(S3Store::connect(settings.s3_config()).await.context("cannot set up S3 storage")?),
    })
}

/// Leptos' view of where the built site is.
pub fn leptos_options(settings: &Settings) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("dangxiao")
        .site_root(settings.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .site_addr(settings.listen)
        .build()
}

/// Connects to the database and storage and migrates.
pub async fn state(settings: Settings) -> anyhow::Result<AppState> {
    std::fs::create_dir_all(&settings.data_dir)
        .with_context(|| format!("cannot create data directory {}", settings.data_dir.display()))?;
    let db = db::connect(&settings.effective_database_url(), settings.database_max_connections).await?;
    db::migrate(&db).await?;
    let store = open_store(&settings).await?;
    let leptos = leptos_options(&settings);
    Ok(AppState { db, store, settings: Arc::new(settings), leptos })
}

/// A bound, ready-to-run server.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let listen = settings.listen;
        let state = state(settings).await?;
        let listener = TcpListener::bind(listen).await.with_context(|| format!("cannot listen on {listen}"))?;
        Ok(Self { listener, router: http::router(state.clone()), state })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until SIGINT or SIGTERM, then finishes in-flight requests.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let db = self.state.db.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
            loop {
                tick.tick().await;
                if let Err(e) = crate::services::auth::purge_expired(&db).await {
                    tracing::warn!(error = %e, "could not purge expired sessions");
                }
            }
        });
        axum::serve(self.listener, self.router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown_signal())
            .await
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
