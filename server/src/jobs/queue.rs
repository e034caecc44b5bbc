//! The job table as a queue: idempotent enqueueing, claiming with
//! `FOR UPDATE SKIP LOCKED` (PostgreSQL; SQLite serializes writers anyway),
//! heartbeats, and endings that only the worker holding the lease can write.
//!
//! A lease is the pair (job id, worker name) on a `running` row. A worker
//! that stops heart-beating loses it: after `stale_after` another worker may
//! claim the job again, and every write of the old worker then matches no
//! row, so a job's outcome is written once.

use std::time::Duration;

use sea_orm::sea_query::{self, Expr};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, FromQueryResult, QueryFilter,
    QuerySelect, QueryTrait, Statement, UpdateMany,
};

pub use crate::db::jobs::JobState;
use crate::db::{jobs, now};

/// Work to enqueue.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: &'static str,
    /// At most one job per key: enqueueing a key that exists does nothing.
    pub dedupe_key: String,
    pub payload: serde_json::Value,
    pub max_attempts: i32,
    pub timeout: Duration,
}

/// A job this worker holds the lease on.
#[derive(Debug, Clone, FromQueryResult)]
pub struct ClaimedJob {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    /// Including this one.
    pub attempts: i32,
    pub max_attempts: i32,
    pub timeout_seconds: i64,
}

/// Adds the job unless one with its key exists; returns the job's id.
pub async fn enqueue(db: &impl ConnectionTrait, job: NewJob) -> Result<i64, DbErr> {
    let t = now();
    let row = jobs::ActiveModel {
        kind: Set(job.kind.to_owned()),
        dedupe_key: Set(job.dedupe_key.clone()),
        payload: Set(job.payload.to_string()),
        state: Set(JobState::Queued),
        attempts: Set(0),
        max_attempts: Set(job.max_attempts),
        run_after: Set(t),
        timeout_seconds: Set(job.timeout.as_secs() as i64),
        progress: Set(0),
        worker: Set(None),
        heartbeat_at: Set(None),
        cancel_requested: Set(false),
        last_error: Set(None),
        created_at: Set(t),
        updated_at: Set(t),
        finished_at: Set(None),
        ..Default::default()
    };
    jobs::Entity::insert(row).on_conflict_do_nothing_on([jobs::Column::DedupeKey]).exec_without_returning(db).await?;
    jobs::Entity::find()
        .select_only()
        .column(jobs::Column::Id)
        .filter(jobs::Column::DedupeKey.eq(&job.dedupe_key))
        .into_tuple::<i64>()
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("job {}", job.dedupe_key)))
}

/// An update of the job with this key.
fn update_by_key(key: &str) -> UpdateMany<jobs::Entity> {
    jobs::Entity::update_many().filter(jobs::Column::DedupeKey.eq(key))
}

/// Puts a finished (failed or cancelled) job back in the queue with fresh
/// attempts. Returns false when the job is not in such a state.
pub async fn requeue(db: &impl ConnectionTrait, key: &str) -> Result<bool, DbErr> {
    let t = now();
    let result = update_by_key(key)
        .col_expr(jobs::Column::State, JobState::Queued.into())
        .col_expr(jobs::Column::Attempts, 0.into())
        .col_expr(jobs::Column::RunAfter, t.into())
        .col_expr(jobs::Column::Progress, 0i16.into())
        .col_expr(jobs::Column::Worker, Option::<String>::None.into())
        .col_expr(jobs::Column::HeartbeatAt, Option::<i64>::None.into())
        .col_expr(jobs::Column::CancelRequested, false.into())
        .col_expr(jobs::Column::LastError, Option::<String>::None.into())
        .col_expr(jobs::Column::FinishedAt, Option::<i64>::None.into())
        .col_expr(jobs::Column::UpdatedAt, t.into())
        .filter(jobs::Column::State.is_in([JobState::Failed, JobState::Cancelled]))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Cancels a job: a queued one at once, a running one by asking its worker
/// (which sees the request at its next heartbeat). Returns the state after.
pub async fn request_cancel(db: &impl ConnectionTrait, key: &str) -> Result<Option<JobState>, DbErr> {
    let t = now();
    update_by_key(key)
        .col_expr(jobs::Column::State, JobState::Cancelled.into())
        .col_expr(jobs::Column::FinishedAt, t.into())
        .col_expr(jobs::Column::UpdatedAt, t.into())
        .filter(jobs::Column::State.eq(JobState::Queued))
        .exec(db)
        .await?;
    update_by_key(key)
        .col_expr(jobs::Column::CancelRequested, true.into())
        .col_expr(jobs::Column::UpdatedAt, t.into())
        .filter(jobs::Column::State.eq(JobState::Running))
        .exec(db)
        .await?;
    jobs::Entity::find()
        .select_only()
        .column(jobs::Column::State)
        .filter(jobs::Column::DedupeKey.eq(key))
        .into_tuple::<JobState>()
        .one(db)
        .await
}

/// Removes the job with this key, whatever its state. A worker still
/// running it loses its lease.
pub async fn delete(db: &impl ConnectionTrait, key: &str) -> Result<(), DbErr> {
    jobs::Entity::delete_many().filter(jobs::Column::DedupeKey.eq(key)).exec(db).await.map(|_| ())
}

/// The claim: one statement that picks the next due job (or one whose
/// worker went quiet) and leases it, so two workers never take the same
/// job. Raw SQL because the sub-select locks with `FOR UPDATE SKIP LOCKED`
/// on PostgreSQL, which sea-orm cannot put inside an `UPDATE`'s sub-query;
/// SQLite has no row locks and needs none (it serializes writers).
/// The statement is for a worker that runs `kinds` kinds of job.
/// Placeholders are numbered in order of first use: SQLite numbers `$n`
/// parameters by appearance.
fn claim_sql(backend: DatabaseBackend, kinds: usize) -> String {
    let kind_params: Vec<String> = (0..kinds).map(|i| format!("${}", 6 + i)).collect();
    let lock = match backend {
        DatabaseBackend::Postgres => "FOR UPDATE SKIP LOCKED",
        _ => "",
    };
    format!(
        "UPDATE jobs SET state = $1, worker = $2, heartbeat_at = $3, attempts = attempts + 1, progress = 0, \
         cancel_requested = false, updated_at = $3 \
         WHERE id = (SELECT id FROM jobs \
         WHERE ((state = $4 AND run_after <= $3) OR (state = $1 AND heartbeat_at < $5)) AND kind IN ({}) \
         ORDER BY run_after, id LIMIT 1 {lock}) \
         RETURNING id, kind, payload, attempts, max_attempts, timeout_seconds",
        kind_params.join(", ")
    )
}

/// Takes the next due job of one of `kinds` (or one whose worker stopped
/// heart-beating more than `stale_after` ago) and leases it to `worker`.
/// Only the kinds the worker can run: during a rolling upgrade an older
/// worker leaves a new kind of job to the newer ones.
pub async fn claim(
    db: &impl ConnectionTrait,
    worker: &str,
    stale_after: Duration,
    kinds: &[&str],
) -> Result<Option<ClaimedJob>, DbErr> {
    if kinds.is_empty() {
        return Ok(None);
    }
    let t = now();
    let stale = t - stale_after.as_secs() as i64;
    let backend = db.get_database_backend();
    let mut values = vec![JobState::Running.into(), worker.into(), t.into(), JobState::Queued.into(), stale.into()];
    values.extend(kinds.iter().map(|k| (*k).into()));
    let row =
        db.query_one_raw(Statement::from_sql_and_values(backend, claim_sql(backend, kinds.len()), values)).await?;
    row.map(|r| ClaimedJob::from_query_result(&r, "")).transpose()
}

/// What a heartbeat learned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Beat {
    Continue,
    /// Someone asked to cancel the job.
    CancelRequested,
    /// The lease is gone (the job was reclaimed or deleted): stop, write nothing.
    Lost,
}

/// An update of job `id` that matches only while `worker` holds its lease.
fn update_leased(id: i64, worker: &str) -> UpdateMany<jobs::Entity> {
    jobs::Entity::update_many()
        .filter(jobs::Column::Id.eq(id))
        .filter(jobs::Column::Worker.eq(worker))
        .filter(jobs::Column::State.eq(JobState::Running))
}

/// Records that `worker` is alive and how far it got.
pub async fn heartbeat(db: &impl ConnectionTrait, id: i64, worker: &str, percent: u8) -> Result<Beat, DbErr> {
    let t = now();
    let mut update = update_leased(id, worker)
        .col_expr(jobs::Column::HeartbeatAt, t.into())
        .col_expr(jobs::Column::Progress, i16::from(percent.min(100)).into())
        .col_expr(jobs::Column::UpdatedAt, t.into())
        .into_query();
    // `RETURNING` by hand: sea-orm's `exec_with_returning` refuses SQLite
    // unless the `sqlite-use-returning-for-3_35` feature changes every
    // insert too, and the write and the read must be one statement.
    update.returning_col(jobs::Column::CancelRequested);
    let row = db.query_one(&update).await?;
    Ok(match row {
        None => Beat::Lost,
        Some(r) if r.try_get::<bool>("", "cancel_requested")? => Beat::CancelRequested,
        Some(_) => Beat::Continue,
    })
}

/// How a leased job ends.
#[derive(Debug, Clone)]
pub enum Ending {
    Succeeded,
    /// Permanently failed; `error` is shown to people (JSON of a Problem).
    Failed {
        error: String,
    },
    Cancelled,
    /// Try again after `delay`; `error` is kept for operators.
    Retry {
        delay: Duration,
        error: String,
    },
    /// Give the job back without counting this attempt (worker shutting down).
    Release,
}

/// Writes the ending if `worker` still holds the lease; returns whether it
/// did. Call it inside the transaction that publishes the job's results, so
/// results and ending commit together or not at all.
pub async fn finish(db: &impl ConnectionTrait, id: i64, worker: &str, ending: &Ending) -> Result<bool, DbErr> {
    let t = now();
    let update = update_leased(id, worker).col_expr(jobs::Column::UpdatedAt, t.into());
    let ended = |update: UpdateMany<jobs::Entity>, state: JobState| {
        update.col_expr(jobs::Column::State, state.into()).col_expr(jobs::Column::FinishedAt, t.into())
    };
    let back_in_queue = |update: UpdateMany<jobs::Entity>, run_after: i64| {
        update
            .col_expr(jobs::Column::State, JobState::Queued.into())
            .col_expr(jobs::Column::Worker, Option::<String>::None.into())
            .col_expr(jobs::Column::HeartbeatAt, Option::<i64>::None.into())
            .col_expr(jobs::Column::Progress, 0i16.into())
            .col_expr(jobs::Column::RunAfter, run_after.into())
    };
    let update = match ending {
        Ending::Succeeded => ended(update, JobState::Succeeded)
            .col_expr(jobs::Column::Progress, 100i16.into())
            .col_expr(jobs::Column::LastError, Option::<String>::None.into()),
        Ending::Failed { error } => {
            ended(update, JobState::Failed).col_expr(jobs::Column::LastError, error.clone().into())
        }
        Ending::Cancelled => ended(update, JobState::Cancelled),
        Ending::Retry { delay, error } => {
            back_in_queue(update, t + delay.as_secs() as i64).col_expr(jobs::Column::LastError, error.clone().into())
        }
        Ending::Release => back_in_queue(update, t)
            .col_expr(jobs::Column::Attempts, sea_query::ExprTrait::sub(Expr::col(jobs::Column::Attempts), 1)),
    };
    Ok(update.exec(db).await?.rows_affected == 1)
}

/// Exponential backoff: 30 s, 1 min, 2 min, ... capped at 30 min.
pub fn backoff(attempt: i32) -> Duration {
    let exp = attempt.clamp(1, 7) as u32 - 1;
    Duration::from_secs((30u64 << exp).min(1800))
}

/// A job's key, state and progress.
#[derive(Debug, Clone, FromQueryResult)]
pub struct JobProgress {
    pub dedupe_key: String,
    pub state: JobState,
    pub progress: i16,
}

/// The progress and state of the jobs with these keys that exist.
pub async fn progress_of(db: &impl ConnectionTrait, keys: &[String]) -> Result<Vec<JobProgress>, DbErr> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    jobs::Entity::find()
        .select_only()
        .columns([jobs::Column::DedupeKey, jobs::Column::State, jobs::Column::Progress])
        .filter(jobs::Column::DedupeKey.is_in(keys))
        .into_model::<JobProgress>()
        .all(db)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(1), Duration::from_secs(30));
        assert_eq!(backoff(2), Duration::from_secs(60));
        assert_eq!(backoff(3), Duration::from_secs(120));
        assert_eq!(backoff(50), Duration::from_secs(1800));
    }
}
