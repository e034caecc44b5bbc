//! Background work that must not run inside a request: transcoding videos,
//! converting slide decks, cleaning up abandoned uploads.
//!
//! - [`queue`]: the `jobs` table as a durable queue (enqueue, claim with
//!   `FOR UPDATE SKIP LOCKED`, heartbeat, fenced endings).
//! - [`worker`]: the loop that claims jobs and runs them with a heartbeat, a
//!   time limit, cancellation, retries with backoff and graceful shutdown.
//!   It runs inside `dangxiao serve` and as `dangxiao worker`.
//! - [`process_media`]: the job that turns an upload into HLS or slides;
//!   [`add_renditions`]: the second pass that adds a video's higher rungs.
//! - [`outputs`]: a run's files between the object store and its disk.

pub mod add_renditions;
pub mod outputs;
pub mod process_media;
pub mod queue;
pub mod worker;

use courses::media::Problem;
use dangxiao_media::Control;
use sea_orm::{DatabaseConnection, DatabaseTransaction, TransactionTrait};

use crate::state::AppState;

/// How a job run went wrong.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// The input cannot be processed; retrying will not help.
    #[error("rejected: {0}")]
    Rejected(Problem),
    /// The run stopped because its [`Control`] was cancelled.
    #[error("cancelled")]
    Cancelled,
    /// Anything else; retried with backoff until attempts run out.
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

impl From<dangxiao_media::MediaError> for JobError {
    fn from(e: dangxiao_media::MediaError) -> Self {
        match e {
            dangxiao_media::MediaError::Rejected(p) => JobError::Rejected(p),
            dangxiao_media::MediaError::Cancelled => JobError::Cancelled,
            dangxiao_media::MediaError::Failed(e) => JobError::Failed(e),
        }
    }
}

/// What the domain records when a job ends other than by success.
#[derive(Debug, Clone)]
pub enum Outcome {
    Failed(Problem),
    Cancelled,
    /// Will be tried again later.
    Retrying,
}

/// One kind of job.
#[async_trait::async_trait]
pub trait Handler: Send + Sync + 'static {
    /// The `kind` column this handler runs.
    fn kind(&self) -> &'static str;

    /// Does the work. On success the handler itself commits its results
    /// together with the ending, through [`Lease::succeed`], so that results
    /// are published only by the worker that still holds the job.
    async fn run(&self, state: &AppState, lease: &Lease, control: &Control) -> Result<(), JobError>;

    /// Records a non-success ending in the domain (e.g. marks media failed),
    /// in the transaction that writes the ending.
    async fn ended(&self, txn: &DatabaseTransaction, lease: &Lease, outcome: &Outcome) -> anyhow::Result<()>;
}

/// A claimed job and the name of the worker holding it.
#[derive(Debug, Clone)]
pub struct Lease {
    pub job: queue::ClaimedJob,
    pub worker: String,
}

impl Lease {
    /// Marks the job succeeded inside `txn`; false when the lease was lost
    /// (then roll back and discard the results).
    pub async fn succeed(&self, txn: &DatabaseTransaction) -> Result<bool, sea_orm::DbErr> {
        queue::finish(txn, self.job.id, &self.worker, &queue::Ending::Succeeded).await
    }

    /// Ends the job as succeeded with nothing to publish (its subject is
    /// gone or was replaced).
    pub async fn succeed_alone(&self, db: &DatabaseConnection) -> anyhow::Result<()> {
        let txn = db.begin().await?;
        self.succeed(&txn).await?;
        txn.commit().await?;
        Ok(())
    }

    pub fn payload<T: serde::de::DeserializeOwned>(&self) -> anyhow::Result<T> {
        serde_json::from_str(&self.job.payload)
            .map_err(|e| anyhow::anyhow!("job {} has an unreadable payload: {e}", self.job.id))
    }
}
