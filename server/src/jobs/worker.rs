//! The worker loop: claim a job, run it with a heartbeat and a time limit,
//! write how it ended, repeat. Several loops (slots) may run in one process
//! and several processes on several machines; the queue's leases keep any
//! job from being done twice.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use courses::media::Problem;
use dangxiao_media::Control;
use sea_orm::TransactionTrait;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use super::queue::{self, Beat, Ending};
use super::{Handler, JobError, Lease, Outcome};
use crate::state::AppState;

/// How often a running job reports that it is alive.
pub const HEARTBEAT_EVERY: Duration = Duration::from_secs(2);
/// A running job whose worker has been silent this long is claimed again.
pub const STALE_AFTER: Duration = Duration::from_secs(30);
/// How long an idle worker waits before looking for work again.
const IDLE_POLL: Duration = Duration::from_millis(500);

/// Runs jobs until `shutdown` is cancelled.
#[derive(Clone)]
pub struct Worker {
    state: AppState,
    handlers: Arc<HashMap<&'static str, Arc<dyn Handler>>>,
    name: String,
}

impl Worker {
    pub fn new(state: AppState, handlers: Vec<Arc<dyn Handler>>) -> Worker {
        let host = std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_owned()).unwrap_or_default();
        let name = format!(
            "{}-{}-{}",
            if host.is_empty() { "host" } else { &host },
            std::process::id(),
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        );
        Worker { state, handlers: Arc::new(handlers.into_iter().map(|h| (h.kind(), h)).collect()), name }
    }

    /// The standard set of handlers.
    pub fn with_default_handlers(state: AppState) -> Worker {
        Worker::new(
            state,
            vec![Arc::new(super::process_media::ProcessMedia), Arc::new(super::add_renditions::AddRenditions)],
        )
    }

    /// Spawns `slots` loops; they stop claiming when `shutdown` fires and
    /// hand back (without counting an attempt) whatever they were running.
    pub fn spawn(&self, slots: u32, shutdown: CancellationToken) -> Vec<tokio::task::JoinHandle<()>> {
        (0..slots)
            .map(|slot| {
                let worker = self.clone();
                let shutdown = shutdown.clone();
                tokio::spawn(async move { worker.run_slot(slot, shutdown).await })
            })
            .collect()
    }

    async fn run_slot(&self, slot: u32, shutdown: CancellationToken) {
        let name = format!("{}-{slot}", self.name);
        tracing::info!(worker = %name, "worker started");
        let kinds: Vec<&str> = self.handlers.keys().copied().collect();
        while !shutdown.is_cancelled() {
            match queue::claim(&self.state.db, &name, STALE_AFTER, &kinds).await {
                Ok(Some(job)) => {
                    let span = tracing::info_span!("job", id = job.id, kind = %job.kind, attempt = job.attempts);
                    self.run_one(Lease { job, worker: name.clone() }, &shutdown).instrument(span).await
                }
                Ok(None) => {
                    tokio::select! {
                        _ = shutdown.cancelled() => break,
                        _ = tokio::time::sleep(IDLE_POLL) => {}
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "could not claim a job; retrying shortly");
                    tokio::time::sleep(IDLE_POLL * 4).await;
                }
            }
        }
        tracing::info!(worker = %name, "worker stopped");
    }

    async fn run_one(&self, lease: Lease, shutdown: &CancellationToken) {
        let job = &lease.job;
        let Some(handler) = self.handlers.get(job.kind.as_str()).cloned() else {
            tracing::error!("no handler for this job kind");
            let error = serde_json::to_string(&Problem::Internal).unwrap_or_default();
            let _ = queue::finish(&self.state.db, job.id, &lease.worker, &Ending::Failed { error }).await;
            return;
        };
        if job.attempts > job.max_attempts {
            // Its workers kept dying (killed, out of memory) mid-run.
            tracing::warn!("attempts exhausted by lost workers");
            self.end(&*handler, &lease, Outcome::Failed(Problem::WorkerLost)).await;
            return;
        }
        tracing::info!("job started");
        let control = Control::new();
        let limit = Duration::from_secs(job.timeout_seconds.max(1) as u64);
        let run = handler.run(&self.state, &lease, &control);
        tokio::pin!(run);
        let mut beat = tokio::time::interval(HEARTBEAT_EVERY);
        let deadline = tokio::time::sleep(limit);
        tokio::pin!(deadline);
        let mut why_stopped: Option<Stop> = None;
        let result = loop {
            tokio::select! {
                result = &mut run => break result,
                _ = beat.tick() => {
                    match queue::heartbeat(&self.state.db, job.id, &lease.worker, control.percent()).await {
                        Ok(Beat::Continue) => {}
                        Ok(Beat::CancelRequested) => { why_stopped.get_or_insert(Stop::Requested); control.cancel(); }
                        Ok(Beat::Lost) => { why_stopped.get_or_insert(Stop::Lost); control.cancel(); }
                        Err(e) => tracing::warn!(error = %e, "heartbeat failed"),
                    }
                }
                _ = &mut deadline, if why_stopped.is_none() => { why_stopped = Some(Stop::TimedOut); control.cancel(); }
                _ = shutdown.cancelled(), if why_stopped.is_none() => { why_stopped = Some(Stop::Shutdown); control.cancel(); }
            }
        };
        match (result, why_stopped) {
            (Ok(()), _) => tracing::info!("job succeeded"),
            (Err(_), Some(Stop::Lost)) => tracing::warn!("lease lost (job reclaimed or deleted); results discarded"),
            (Err(JobError::Cancelled), Some(Stop::Requested)) => self.end(&*handler, &lease, Outcome::Cancelled).await,
            (Err(JobError::Cancelled), Some(Stop::TimedOut)) => {
                let problem = Problem::TimedOut { limit_seconds: limit.as_secs() };
                self.end(&*handler, &lease, Outcome::Failed(problem)).await
            }
            (Err(JobError::Cancelled), Some(Stop::Shutdown)) => {
                tracing::info!("handing the job back for another worker");
                let _ = queue::finish(&self.state.db, job.id, &lease.worker, &Ending::Release).await;
            }
            (Err(JobError::Rejected(problem)), _) => {
                tracing::info!(problem = problem.code(), "input rejected");
                self.end(&*handler, &lease, Outcome::Failed(problem)).await
            }
            (Err(e), _) => {
                tracing::error!(error = ?e, "job failed");
                if job.attempts < job.max_attempts {
                    self.end_with(&*handler, &lease, Outcome::Retrying, Some(format!("{e:#}"))).await
                } else {
                    self.end(&*handler, &lease, Outcome::Failed(Problem::Internal)).await
                }
            }
        }
    }

    async fn end(&self, handler: &dyn Handler, lease: &Lease, outcome: Outcome) {
        self.end_with(handler, lease, outcome, None).await
    }

    /// Writes the ending and the handler's domain record in one transaction.
    async fn end_with(&self, handler: &dyn Handler, lease: &Lease, outcome: Outcome, detail: Option<String>) {
        let ending = match &outcome {
            Outcome::Failed(problem) => Ending::Failed { error: serde_json::to_string(problem).unwrap_or_default() },
            Outcome::Cancelled => Ending::Cancelled,
            Outcome::Retrying => {
                Ending::Retry { delay: queue::backoff(lease.job.attempts), error: detail.unwrap_or_default() }
            }
        };
        let result = async {
            let txn = self.state.db.begin().await?;
            if queue::finish(&txn, lease.job.id, &lease.worker, &ending).await? {
                handler.ended(&txn, lease, &outcome).await?;
                txn.commit().await?;
            }
            anyhow::Ok(())
        }
        .await;
        if let Err(e) = result {
            tracing::error!(error = ?e, "could not record how the job ended; it will be retried when its lease goes stale");
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Stop {
    Requested,
    Lost,
    TimedOut,
    Shutdown,
}
