//! Submitting attempts whose time is up, whether or not anyone has the
//! page open: every app server and worker sweeps every few seconds (an
//! attempt is claimed from the open state once, so sweeping twice is
//! harmless). Reading or saving an overdue attempt also submits it first,
//! so nobody sees it open between sweeps.

use tokio_util::sync::CancellationToken;

use crate::state::AppState;

/// How often the sweep runs.
const EVERY: std::time::Duration = std::time::Duration::from_secs(5);

pub fn spawn(state: AppState, shutdown: CancellationToken) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => break,
                _ = tick.tick() => {}
            }
            match super::attempts::submit_overdue(&state.db, state.settings.time_zone()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(count = n, "submitted attempts whose time was up"),
                Err(e) => tracing::warn!(error = %e, "could not submit overdue attempts"),
            }
        }
    })
}
