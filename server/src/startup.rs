//! Builds the application from settings and runs it.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use axum::Router;
use leptos::config::LeptosOptions;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::jobs::worker::Worker;
use crate::services::heartbeats::group_commit::{CommitSettings, HeartbeatLog};

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
        StorageKind::S3 => {
            let store = S3Store::connect(settings.s3_config()).await.context("cannot set up S3 storage")?;
            if settings.s3_set_cors {
                let origin = settings.public_base();
                store.allow_origin(&origin).await.with_context(|| format!("cannot let {origin} use the bucket"))?;
            }
            Arc::new(store)
        }
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
    let wal = db::checkpoint_in_background(&db, u64::from(settings.sqlite_wal_restart_mib) << 20);
    let store = open_store(&settings).await?;
    let leptos = leptos_options(&settings);
    let heartbeats = HeartbeatLog::start(
        db.clone(),
        wal,
        CommitSettings {
            batch_max: settings.heartbeat_batch_max as usize,
            committers: settings.heartbeat_committers as usize,
            batch_min: settings.heartbeat_batch_min as usize,
            gather: std::time::Duration::from_millis(settings.heartbeat_gather_ms),
            session_hours: settings.session_hours,
            zone: settings.time_zone(),
        },
    )
    .context("cannot start the heartbeat committer")?;
    let site_version = crate::http::assets::site_version(&settings.site_root).into();
    Ok(AppState {
        db,
        store,
        settings: Arc::new(settings),
        leptos,
        heartbeats,
        site_version,
        certificate_font: Arc::default(),
    })
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
    /// Runs `settings.workers` job slots alongside, which hand their jobs
    /// back on shutdown.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        if self.state.settings.background_loops {
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
        }
        let stop_jobs = CancellationToken::new();
        let workers = spawn_background(&self.state, self.state.settings.workers, stop_jobs.clone());
        let served = axum::serve(self.listener, self.router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown_signal())
            .await;
        stop_jobs.cancel();
        for w in workers {
            let _ = w.await;
        }
        served
    }
}

/// Starts `slots` job workers and, with `background_loops` on, the sweeper
/// of abandoned uploads, the report upkeep and the reminders; all stop when
/// `shutdown` fires.
pub fn spawn_background(state: &AppState, slots: u32, shutdown: CancellationToken) -> Vec<tokio::task::JoinHandle<()>> {
    if slots > 0 {
        dangxiao_media::video::quiet_libav_logs();
        crate::jobs::outputs::remove_orphaned_work_dirs(&state.settings.data_dir);
    }
    let mut handles = Worker::with_default_handlers(state.clone()).spawn(slots, shutdown.clone());
    if !state.settings.background_loops {
        return handles;
    }
    let upkeep = spawn_report_upkeep(state.clone(), shutdown.clone());
    // Every app server and worker sweeps; `reminders_sent` keeps each reminder single.
    handles.push(crate::services::reminders::spawn(state.clone(), shutdown.clone()));
    handles.push(crate::services::exams::deadline::spawn(state.clone(), shutdown.clone()));
    let state = state.clone();
    handles.push(tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => break,
                _ = tick.tick() => {}
            }
            match crate::services::uploads::expire_abandoned(&state.db, &*state.store).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(count = n, "dropped abandoned uploads"),
                Err(e) => tracing::warn!(error = %e, "could not sweep abandoned uploads"),
            }
        }
    }));
    handles.push(upkeep);
    handles
}

/// Runs [`report_upkeep_once`] every 15 s.
fn spawn_report_upkeep(state: AppState, shutdown: CancellationToken) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(15));
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => break,
                _ = tick.tick() => {}
            }
            report_upkeep_once(&state).await;
        }
    })
}

/// Keeps the derived course records and study-hour roll-up current (so
/// reports read few marked rows) and takes the snapshots of deadlines that
/// passed. Failures are logged: the next round tries again.
pub async fn report_upkeep_once(state: &AppState) {
    let started = std::time::Instant::now();
    match crate::services::course_records::refresh(&state.db).await {
        Ok(n) => {
            tracing::debug!(records = n, ms = started.elapsed().as_millis() as u64, "course records refreshed")
        }
        Err(e) => tracing::warn!(error = %e, "could not refresh course records"),
    }
    let started = std::time::Instant::now();
    match crate::services::study::rollup::refresh(&state.db).await {
        Ok(n) => tracing::debug!(years = n, ms = started.elapsed().as_millis() as u64, "study-hour roll-up refreshed"),
        Err(e) => tracing::warn!(error = %e, "could not refresh the study-hour roll-up"),
    }
    match crate::services::reports::snapshots::at_deadlines(&state.db, &state.settings).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(count = n, "took deadline snapshots"),
        Err(e) => tracing::warn!(error = %e, "could not take deadline snapshots"),
    }
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
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
