//! SQLite's WAL under a steady heartbeat load: the committer writes batch
//! after batch without a pause, so a background checkpoint never catches
//! up and the WAL file would only grow. The committer lets it start over
//! once it passes `sqlite_wal_restart_mib` (`db::WalRestart`).

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Db, TestApp, BRANCH_1};
use crate::study::{open, video_course};

/// Heartbeats sent at once: enough that the committer always finds the
/// next batch waiting when it finishes one.
const SENDERS: usize = 32;
/// How long the load runs.
const LOAD: Duration = Duration::from_secs(6);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_steady_heartbeat_load_keeps_the_sqlite_wal_near_its_restart_size() {
    let app = TestApp::spawn_with(Db::Sqlite, |s| s.sqlite_wal_restart_mib = 1).await;
    let (_, lesson) = video_course(&app, &app.login("organizer").await, BRANCH_1, 36_000.0, json!(null)).await;
    let mut sessions = Vec::new();
    for login in ["member", "member2", "activist", "organizer"] {
        let c = Arc::new(app.login(login).await);
        let session = open(&c, lesson).await;
        sessions.push((c, session, Arc::new(AtomicU32::new(0))));
    }

    let answered = Arc::new(AtomicU64::new(0));
    let until = Instant::now() + LOAD;
    let senders: Vec<_> = (0..SENDERS)
        .map(|i| {
            let (c, session, seq) = sessions[i % sessions.len()].clone();
            let answered = answered.clone();
            tokio::spawn(async move {
                while Instant::now() < until {
                    // Senders share a session's sequence, so some heartbeats
                    // arrive out of order and are discarded: written all the same.
                    let n = seq.fetch_add(1, Ordering::Relaxed) + 1;
                    let at = f64::from(n) * 0.01;
                    let body = json!({ "session_id": session, "lesson_id": lesson, "seq": n,
                        "played": [[at, at + 0.01]], "position": at + 0.01, "rate": 1.0,
                        "visible": true, "idle_seconds": 0 });
                    let r = c.post("/api/v1/heartbeats", body).await;
                    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap_or_default());
                    answered.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for s in senders {
        s.await.expect("sender");
    }

    let wal = std::fs::metadata(app.data_dir().join("test.db-wal")).expect("the WAL file").len();
    let logged = app.number("SELECT COUNT(*) AS n FROM heartbeats").await;
    let answered = answered.load(Ordering::Relaxed);
    println!("{answered} heartbeats answered, {logged} logged; WAL file {} KiB", wal / 1024);
    assert!(logged > 1000, "the load was too light to tell: {logged} heartbeats logged");
    // The background checkpoint looks every 250 ms, so the file ends up to
    // about a quarter second's writes past the 1 MiB restart size (under
    // 11 MiB here). Without restarts this load grew it to over 150 MiB.
    assert!(wal < 32 << 20, "the WAL file grew to {} KiB under a 1 MiB restart size", wal / 1024);
}
