//! The job queue on both databases: idempotent enqueueing, claims that never
//! hand one job to two workers, reclaiming the jobs of silent workers, and
//! fenced endings.

use std::collections::HashSet;
use std::time::Duration;

use dangxiao_server::jobs::queue::{self, Beat, Ending, JobState, NewJob};
use sea_orm::ConnectionTrait;

use crate::on_both_databases;

fn job(key: &str) -> NewJob {
    NewJob {
        kind: "test",
        dedupe_key: key.to_owned(),
        payload: serde_json::json!({ "key": key }),
        max_attempts: 3,
        timeout: Duration::from_secs(60),
    }
}

const STALE: Duration = Duration::from_secs(30);

on_both_databases! {
    async fn enqueueing_the_same_key_twice_makes_one_job(app) {
        let a = queue::enqueue(&app.db, job("k")).await.expect("enqueue");
        let b = queue::enqueue(&app.db, job("k")).await.expect("enqueue again");
        assert_eq!(a, b);
        assert_eq!(app.count("jobs").await, 1);
    }

    async fn concurrent_workers_never_claim_the_same_job(app) {
        for i in 0..40 {
            queue::enqueue(&app.db, job(&format!("job-{i}"))).await.expect("enqueue");
        }
        let mut tasks = Vec::new();
        for w in 0..6 {
            let db = app.db.clone();
            tasks.push(tokio::spawn(async move {
                let mut mine = Vec::new();
                loop {
                    match queue::claim(&db, &format!("worker-{w}"), STALE, &["test"]).await {
                        Ok(Some(j)) => mine.push(j.id),
                        Ok(None) => break,
                        // SQLite may report a busy database under contention; try again.
                        Err(_) => tokio::time::sleep(Duration::from_millis(5)).await,
                    }
                }
                mine
            }));
        }
        let mut all = Vec::new();
        for t in tasks {
            all.extend(t.await.expect("task"));
        }
        let unique: HashSet<i64> = all.iter().copied().collect();
        assert_eq!(all.len(), 40, "every job claimed exactly once");
        assert_eq!(unique.len(), 40);
    }

    async fn a_job_whose_worker_went_silent_is_claimed_again_and_the_old_worker_can_no_longer_end_it(app) {
        queue::enqueue(&app.db, job("slow")).await.expect("enqueue");
        assert!(
            queue::claim(&app.db, "a", STALE, &["other"]).await.expect("claim").is_none(),
            "a worker claims only the kinds it runs"
        );
        let first = queue::claim(&app.db, "a", STALE, &["test"]).await.expect("claim").expect("a job");
        assert_eq!(first.attempts, 1);
        assert!(queue::claim(&app.db, "b", STALE, &["test"]).await.expect("claim").is_none(), "a live lease is respected");

        app.db.execute_unprepared("UPDATE jobs SET heartbeat_at = heartbeat_at - 60").await.expect("age heartbeat");
        let second = queue::claim(&app.db, "b", STALE, &["test"]).await.expect("claim").expect("reclaimed");
        assert_eq!((second.id, second.attempts), (first.id, 2));

        assert_eq!(queue::heartbeat(&app.db, first.id, "a", 50).await.expect("beat"), Beat::Lost);
        assert!(!queue::finish(&app.db, first.id, "a", &Ending::Succeeded).await.expect("finish"));
        assert!(queue::finish(&app.db, first.id, "b", &Ending::Succeeded).await.expect("finish"));
    }

    async fn a_retry_waits_for_its_backoff_and_a_release_does_not_count_an_attempt(app) {
        queue::enqueue(&app.db, job("flaky")).await.expect("enqueue");
        let j = queue::claim(&app.db, "a", STALE, &["test"]).await.expect("claim").expect("job");
        let retry = Ending::Retry { delay: Duration::from_secs(3600), error: "boom".into() };
        assert!(queue::finish(&app.db, j.id, "a", &retry).await.expect("retry"));
        assert!(queue::claim(&app.db, "a", STALE, &["test"]).await.expect("claim").is_none(), "not before its backoff");
        app.db.execute_unprepared("UPDATE jobs SET run_after = 0").await.expect("fast forward");
        let j = queue::claim(&app.db, "a", STALE, &["test"]).await.expect("claim").expect("due again");
        assert_eq!(j.attempts, 2);
        assert!(queue::finish(&app.db, j.id, "a", &Ending::Release).await.expect("release"));
        let j = queue::claim(&app.db, "b", STALE, &["test"]).await.expect("claim").expect("handed back");
        assert_eq!(j.attempts, 2, "a release gives the attempt back");
    }

    async fn cancelling_a_queued_job_ends_it_and_a_running_one_is_asked_at_its_next_heartbeat(app) {
        queue::enqueue(&app.db, job("q")).await.expect("enqueue");
        assert_eq!(queue::request_cancel(&app.db, "q").await.expect("cancel"), Some(JobState::Cancelled));
        assert!(queue::claim(&app.db, "a", STALE, &["test"]).await.expect("claim").is_none());
        assert!(queue::requeue(&app.db, "q").await.expect("requeue"));

        let j = queue::claim(&app.db, "a", STALE, &["test"]).await.expect("claim").expect("job");
        assert_eq!(queue::request_cancel(&app.db, "q").await.expect("cancel"), Some(JobState::Running));
        assert_eq!(queue::heartbeat(&app.db, j.id, "a", 10).await.expect("beat"), Beat::CancelRequested);
    }
}
