//! The job table as a queue: idempotent enqueueing, claiming with
//! `FOR UPDATE SKIP LOCKED` (PostgreSQL; SQLite serializes writers anyway),
//! heartbeats, and endings that only the worker holding the lease can write.
//!
//! A lease is the pair (job id, worker name) on a `running` row. A worker
//! that stops heart-beating loses it: after `stale_after` another worker may
//! claim the job again, and every write of the old worker then matches no
//! row, so a job's outcome is written once.

use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr, FromQueryResult, Statement, Value};

use crate::db::now;

/// The states of a job row.
pub mod state {
    pub const QUEUED: &str = "queued";
    pub const RUNNING: &str = "running";
    pub const SUCCEEDED: &str = "succeeded";
    pub const FAILED: &str = "failed";
    pub const CANCELLED: &str = "cancelled";
}

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

fn stmt(db: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> Statement {
    let backend = db.get_database_backend();
    // Written with `$n` placeholders, numbered in order of first use in
    // every statement: SQLite numbers `$n` parameters by appearance.
    Statement::from_sql_and_values(backend, sql, values)
}

/// Adds the job unless one with its key exists; returns the job's id.
pub async fn enqueue(db: &impl ConnectionTrait, job: NewJob) -> Result<i64, DbErr> {
    let t = now();
    let sql =
        "INSERT INTO jobs (kind, dedupe_key, payload, state, attempts, max_attempts, run_after, timeout_seconds, \
               progress, cancel_requested, created_at, updated_at) \
               VALUES ($1, $2, $3, 'queued', 0, $4, $5, $6, 0, false, $5, $5) \
               ON CONFLICT (dedupe_key) DO NOTHING";
    db.execute_raw(stmt(
        db,
        sql,
        vec![
            job.kind.into(),
            job.dedupe_key.clone().into(),
            job.payload.to_string().into(),
            job.max_attempts.into(),
            t.into(),
            (job.timeout.as_secs() as i64).into(),
        ],
    ))
    .await?;
    id_of(db, &job.dedupe_key).await?.ok_or_else(|| DbErr::RecordNotFound(format!("job {}", job.dedupe_key)))
}

async fn id_of(db: &impl ConnectionTrait, key: &str) -> Result<Option<i64>, DbErr> {
    let row = db.query_one_raw(stmt(db, "SELECT id FROM jobs WHERE dedupe_key = $1", vec![key.into()])).await?;
    row.map(|r| r.try_get::<i64>("", "id")).transpose()
}

/// Puts a finished (failed or cancelled) job back in the queue with fresh
/// attempts. Returns false when the job is not in such a state.
pub async fn requeue(db: &impl ConnectionTrait, key: &str) -> Result<bool, DbErr> {
    let t = now();
    let sql = "UPDATE jobs SET state = 'queued', attempts = 0, run_after = $1, progress = 0, worker = NULL, \
               heartbeat_at = NULL, cancel_requested = false, last_error = NULL, finished_at = NULL, updated_at = $1 \
               WHERE dedupe_key = $2 AND state IN ('failed', 'cancelled')";
    Ok(db.execute_raw(stmt(db, sql, vec![t.into(), key.into()])).await?.rows_affected() == 1)
}

/// Cancels a job: a queued one at once, a running one by asking its worker
/// (which sees the request at its next heartbeat). Returns the state after.
pub async fn request_cancel(db: &impl ConnectionTrait, key: &str) -> Result<Option<String>, DbErr> {
    let t = now();
    db.execute_raw(stmt(
        db,
        "UPDATE jobs SET state = 'cancelled', finished_at = $1, updated_at = $1 WHERE dedupe_key = $2 AND state = 'queued'",
        vec![t.into(), key.into()],
    ))
    .await?;
    db.execute_raw(stmt(
        db,
        "UPDATE jobs SET cancel_requested = true, updated_at = $1 WHERE dedupe_key = $2 AND state = 'running'",
        vec![t.into(), key.into()],
    ))
    .await?;
    let row = db.query_one_raw(stmt(db, "SELECT state FROM jobs WHERE dedupe_key = $1", vec![key.into()])).await?;
    row.map(|r| r.try_get::<String>("", "state")).transpose()
}

/// Removes the job with this key, whatever its state. A worker still
/// running it loses its lease.
pub async fn delete(db: &impl ConnectionTrait, key: &str) -> Result<(), DbErr> {
    db.execute_raw(stmt(db, "DELETE FROM jobs WHERE dedupe_key = $1", vec![key.into()])).await.map(|_| ())
}

/// Takes the next due job (or one whose worker stopped heart-beating more
/// than `stale_after` ago) and leases it to `worker`.
pub async fn claim(
    db: &impl ConnectionTrait,
    worker: &str,
    stale_after: Duration,
) -> Result<Option<ClaimedJob>, DbErr> {
    let t = now();
    let stale = t - stale_after.as_secs() as i64;
    let lock = match db.get_database_backend() {
        DatabaseBackend::Postgres => "FOR UPDATE SKIP LOCKED",
        _ => "",
    };
    let sql = format!(
        "UPDATE jobs SET state = 'running', worker = $1, heartbeat_at = $2, attempts = attempts + 1, progress = 0, \
         cancel_requested = false, updated_at = $2 \
         WHERE id = (SELECT id FROM jobs \
                     WHERE (state = 'queued' AND run_after <= $2) OR (state = 'running' AND heartbeat_at < $3) \
                     ORDER BY run_after, id LIMIT 1 {lock}) \
         RETURNING id, kind, payload, attempts, max_attempts, timeout_seconds"
    );
    let row = db.query_one_raw(stmt(db, &sql, vec![worker.into(), t.into(), stale.into()])).await?;
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

/// Records that `worker` is alive and how far it got.
pub async fn heartbeat(db: &impl ConnectionTrait, id: i64, worker: &str, percent: u8) -> Result<Beat, DbErr> {
    let t = now();
    let row = db
        .query_one_raw(stmt(
            db,
            "UPDATE jobs SET heartbeat_at = $1, progress = $2, updated_at = $1 \
             WHERE id = $3 AND worker = $4 AND state = 'running' RETURNING cancel_requested",
            vec![t.into(), i16::from(percent.min(100)).into(), id.into(), worker.into()],
        ))
        .await?;
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
    // Placeholders are numbered in order of first use: SQLite numbers
    // `$n` parameters by appearance.
    let (sql, values): (&str, Vec<Value>) = match ending {
        Ending::Succeeded => (
            "UPDATE jobs SET state = 'succeeded', progress = 100, finished_at = $1, updated_at = $1, last_error = NULL \
             WHERE id = $2 AND worker = $3 AND state = 'running'",
            vec![t.into(), id.into(), worker.into()],
        ),
        Ending::Failed { error } => (
            "UPDATE jobs SET state = 'failed', finished_at = $1, updated_at = $1, last_error = $2 \
             WHERE id = $3 AND worker = $4 AND state = 'running'",
            vec![t.into(), error.clone().into(), id.into(), worker.into()],
        ),
        Ending::Cancelled => (
            "UPDATE jobs SET state = 'cancelled', finished_at = $1, updated_at = $1 \
             WHERE id = $2 AND worker = $3 AND state = 'running'",
            vec![t.into(), id.into(), worker.into()],
        ),
        Ending::Retry { delay, error } => (
            "UPDATE jobs SET state = 'queued', worker = NULL, heartbeat_at = NULL, progress = 0, updated_at = $1, \
             run_after = $2, last_error = $3 WHERE id = $4 AND worker = $5 AND state = 'running'",
            vec![t.into(), (t + delay.as_secs() as i64).into(), error.clone().into(), id.into(), worker.into()],
        ),
        Ending::Release => (
            "UPDATE jobs SET state = 'queued', worker = NULL, heartbeat_at = NULL, progress = 0, run_after = $1, \
             updated_at = $1, attempts = attempts - 1 WHERE id = $2 AND worker = $3 AND state = 'running'",
            vec![t.into(), id.into(), worker.into()],
        ),
    };
    Ok(db.execute_raw(stmt(db, sql, values)).await?.rows_affected() == 1)
}

/// Exponential backoff: 30 s, 1 min, 2 min, ... capped at 30 min.
pub fn backoff(attempt: i32) -> Duration {
    let exp = attempt.clamp(1, 7) as u32 - 1;
    Duration::from_secs((30u64 << exp).min(1800))
}

/// The progress and state of the job with this key, if any.
pub async fn progress_of(db: &impl ConnectionTrait, keys: &[String]) -> Result<Vec<(String, String, i16)>, DbErr> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=keys.len()).map(|i| format!("${i}")).collect();
    let sql = format!("SELECT dedupe_key, state, progress FROM jobs WHERE dedupe_key IN ({})", placeholders.join(", "));
    let rows = db.query_all_raw(stmt(db, &sql, keys.iter().map(|k| k.clone().into()).collect())).await?;
    rows.into_iter()
        .map(|r| Ok((r.try_get("", "dedupe_key")?, r.try_get("", "state")?, r.try_get("", "progress")?)))
        .collect()
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
