//! Backups of the embedded default (issue 27): `admin backup` copies the
//! SQLite database and the local object store while heartbeats keep
//! arriving; `admin restore` brings the copy back into a new data dir,
//! which then serves everything acknowledged before the backup began.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use dangxiao_server::backup;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::courses::ok;
use crate::helpers::{Db, TestApp, BRANCH_1};
use crate::study::{beat, open, video_course};

#[tokio::test]
async fn a_backup_taken_under_heartbeats_restores_every_acknowledged_one() {
    let app = TestApp::spawn(Db::Sqlite).await;
    let o = app.login("organizer").await;
    let (_, lesson) = video_course(&app, &o, BRANCH_1, 600.0, json!({})).await;
    let file = crate::uploads::noise(50_000);
    let attachment = o
        .request(Method::PUT, &format!("/api/v1/lessons/{lesson}/attachments"))
        .query(&[("name", "提纲.pdf")])
        .body(file.clone())
        .send()
        .await
        .unwrap();
    let url = ok(attachment).await["url"].as_str().unwrap().to_owned();
    let m = app.login("member").await;
    let session = open(&m, lesson).await;

    // Heartbeats, one after another, each counted once acknowledged.
    let acked = Arc::new(AtomicU32::new(0));
    let stop = Arc::new(AtomicU32::new(0));
    let beats = {
        let (acked, stop, session) = (acked.clone(), stop.clone(), session.clone());
        tokio::spawn(async move {
            let mut seq = 1u32;
            while stop.load(Ordering::SeqCst) == 0 {
                let at = f64::from(seq);
                let r = m.post("/api/v1/heartbeats", beat(&session, lesson, seq, &[[at - 1.0, at]], at)).await;
                assert_eq!(r.status(), StatusCode::OK);
                acked.store(seq, Ordering::SeqCst);
                seq += 1;
            }
        })
    };
    while acked.load(Ordering::SeqCst) < 20 {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let before = acked.load(Ordering::SeqCst);
    let target = tempfile::tempdir().unwrap();
    let dir = target.path().join("backup");
    let manifest = backup::backup(app.settings(), &app.db, &dir).await.expect("backup");
    let during = acked.load(Ordering::SeqCst);
    stop.store(1, Ordering::SeqCst);
    beats.await.unwrap();
    assert!(during > before, "heartbeats were answered while the backup ran ({before} → {during})");
    assert!(manifest.objects >= 1 && manifest.database_bytes > 0, "{manifest:?}");
    let again = backup::backup(app.settings(), &app.db, &dir).await.expect_err("a used directory is refused");
    assert!(again.to_string().contains("not empty"), "{again}");

    // Restored into a new data dir, it serves.
    let fresh = tempfile::tempdir().unwrap();
    let restored_db = format!("sqlite://{}?mode=rwc", fresh.path().join("test.db").display());
    let mut settings = app.settings().clone();
    settings.data_dir = fresh.path().to_path_buf();
    settings.database_url = Some(restored_db.clone());
    settings.storage_dir = None;
    backup::restore(&settings, &dir).expect("restore");
    let refused = backup::restore(&settings, &dir).expect_err("a data dir with a database is refused");
    assert!(refused.to_string().contains("already exists"), "{refused}");
    let path = fresh.path().to_path_buf();
    let back = TestApp::spawn_with(Db::Sqlite, move |s| {
        s.data_dir = path;
        s.database_url = Some(restored_db);
    })
    .await;
    let stored = back
        .number(&format!(
            "SELECT COUNT(DISTINCT seq) AS n FROM heartbeats WHERE session_id = '{session}' AND seq <= {before}"
        ))
        .await;
    assert_eq!(stored, i64::from(before), "every heartbeat acknowledged before the backup began is restored");
    let m = back.login("member").await;
    let r = m.get(&url).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.bytes().await.unwrap().as_ref(), file.as_slice(), "the object store came back too");
}

#[tokio::test]
async fn postgres_and_s3_are_backed_up_with_their_own_tools() {
    let app = TestApp::spawn(Db::Postgres).await;
    let dir = tempfile::tempdir().unwrap();
    let refused = backup::backup(app.settings(), &app.db, &dir.path().join("b")).await.expect_err("refused");
    assert!(refused.to_string().contains("pg_dump"), "{refused}");
    let missing = backup::restore(app.settings(), dir.path()).expect_err("not a backup");
    assert!(missing.to_string().contains("backup.json"), "{missing}");
}
