//! The worker loop with stand-in handlers: time limits, retries with
//! backoff, cancellation of a running job, and handing a job back on
//! shutdown.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use courses::media::Problem;
use dangxiao_media::Control;
use dangxiao_server::jobs::queue::{self, NewJob};
use dangxiao_server::jobs::worker::Worker;
use dangxiao_server::jobs::{Handler, JobError, Lease, Outcome};
use dangxiao_server::state::AppState;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect};
use tokio_util::sync::CancellationToken;

use crate::helpers::{Db, TestApp};

/// Runs until cancelled, or fails as its payload says; records how each
/// job ended.
#[derive(Default, Clone)]
struct Stubborn {
    endings: Arc<Mutex<Vec<String>>>,
}

#[async_trait::async_trait]
impl Handler for Stubborn {
    fn kind(&self) -> &'static str {
        "stubborn"
    }

    async fn run(&self, _state: &AppState, lease: &Lease, control: &Control) -> Result<(), JobError> {
        let payload: serde_json::Value = lease.payload().map_err(JobError::Failed)?;
        if payload["fail"] == true {
            return Err(JobError::Failed(anyhow::anyhow!("a flaky dependency")));
        }
        loop {
            control.check().map_err(|_| JobError::Cancelled)?;
            control.set_progress(0.5);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn ended(&self, txn: &DatabaseTransaction, lease: &Lease, outcome: &Outcome) -> anyhow::Result<()> {
        let what = match outcome {
            Outcome::Failed(p) => p.code().to_owned(),
            Outcome::Cancelled => "cancelled".into(),
            Outcome::Retrying => "retrying".into(),
        };
        let _ = (txn, lease);
        self.endings.lock().expect("endings").push(what);
        Ok(())
    }
}

fn job(key: &str, timeout: Duration, fail: bool) -> NewJob {
    NewJob {
        kind: "stubborn",
        dedupe_key: key.to_owned(),
        payload: serde_json::json!({ "fail": fail }),
        max_attempts: 3,
        timeout,
    }
}

async fn row(app: &TestApp, key: &str) -> (String, i32, i64) {
    use dangxiao_server::db::jobs;
    // The state as the text stored, so the assertions read as the column does.
    jobs::Entity::find()
        .select_only()
        .columns([jobs::Column::State, jobs::Column::Attempts, jobs::Column::RunAfter])
        .filter(jobs::Column::DedupeKey.eq(key))
        .into_tuple::<(String, i32, i64)>()
        .one(&app.db)
        .await
        .expect("query")
        .expect("row")
}

async fn until_state(app: &TestApp, key: &str, state: &str) -> (String, i32, i64) {
    for _ in 0..200 {
        let r = row(app, key).await;
        if r.0 == state {
            return r;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("job {key} never reached {state}: {:?}", row(app, key).await);
}

fn start_worker(app: &TestApp, handler: &Stubborn) -> (CancellationToken, Vec<tokio::task::JoinHandle<()>>) {
    let stop = CancellationToken::new();
    let handles = Worker::new(app.state.clone(), vec![Arc::new(handler.clone())]).spawn(1, stop.clone());
    (stop, handles)
}

async fn until_ended(handler: &Stubborn) -> String {
    for _ in 0..200 {
        if let Some(last) = handler.endings.lock().expect("endings").last() {
            return last.clone();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the job never ended");
}

#[tokio::test]
async fn a_job_past_its_time_limit_is_stopped_and_fails_with_the_limit() {
    let app = TestApp::spawn(Db::Sqlite).await;
    queue::enqueue(&app.db, job("slow", Duration::from_secs(1), false)).await.expect("enqueue");
    let handler = Stubborn::default();
    let (_stop, _workers) = start_worker(&app, &handler);
    assert_eq!(until_ended(&handler).await, Problem::TimedOut { limit_seconds: 1 }.code());
    until_state(&app, "slow", "failed").await;
}

#[tokio::test]
async fn a_failing_job_is_retried_later_with_backoff() {
    let app = TestApp::spawn(Db::Postgres).await;
    queue::enqueue(&app.db, job("flaky", Duration::from_secs(60), true)).await.expect("enqueue");
    let handler = Stubborn::default();
    let (_stop, _workers) = start_worker(&app, &handler);
    assert_eq!(until_ended(&handler).await, "retrying");
    // Back in the queue, due only after the first backoff (30 s).
    let (state, attempts, run_after) = row(&app, "flaky").await;
    assert_eq!((state.as_str(), attempts), ("queued", 1));
    assert!(run_after >= dangxiao_server::db::now() + 20, "retried too soon");
}

#[tokio::test]
async fn cancelling_a_running_job_stops_its_worker_within_seconds() {
    let app = TestApp::spawn(Db::Sqlite).await;
    queue::enqueue(&app.db, job("long", Duration::from_secs(600), false)).await.expect("enqueue");
    let handler = Stubborn::default();
    let (_stop, _workers) = start_worker(&app, &handler);
    until_state(&app, "long", "running").await;
    queue::request_cancel(&app.db, "long").await.expect("cancel");
    assert_eq!(until_ended(&handler).await, "cancelled");
    until_state(&app, "long", "cancelled").await;
}

#[tokio::test]
async fn a_worker_shutting_down_hands_its_job_back_without_using_an_attempt() {
    let app = TestApp::spawn(Db::Sqlite).await;
    queue::enqueue(&app.db, job("handed", Duration::from_secs(600), false)).await.expect("enqueue");
    let handler = Stubborn::default();
    let (stop, workers) = start_worker(&app, &handler);
    until_state(&app, "handed", "running").await;
    stop.cancel();
    for w in workers {
        w.await.expect("worker stops");
    }
    let (state, attempts, _) = row(&app, "handed").await;
    assert_eq!((state.as_str(), attempts), ("queued", 0));
    assert!(handler.endings.lock().expect("endings").is_empty(), "a hand-back is not an ending");
}
