//! Heartbeat durability, with the real server process: members stream
//! heartbeats as fast as the server answers, the server is killed with
//! SIGKILL mid-stream, and every heartbeat it acknowledged must be in the
//! database afterwards — on SQLite and on PostgreSQL. (Acknowledged means
//! committed: heartbeats are answered only after their group commit.)

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dangxiao_tests::api::Api;
use dangxiao_tests::Server;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::{json, Value};

const PASSWORD: &str = "dangxiao-demo";
/// Demo people inside the root org, where the test course lives.
const LEARNERS: [&str; 8] = ["admin", "organizer", "member", "member2", "activist", "organizer2", "member3", "teacher"];

async fn fresh_postgres() -> Option<String> {
    let admin_url = std::env::var("DANGXIAO_TEST_DATABASE_URL").ok()?;
    let admin = Database::connect(&admin_url).await.expect("connect to the test PostgreSQL");
    let name = format!("dx_{:016x}", rand::random::<u64>());
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create database");
    Some(format!("{}/{name}", admin_url.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin_url)))
}

/// A published course on the root org with one article lesson.
async fn article_lesson(admin: &Api) -> i64 {
    let org = admin.my_org().await.expect("org");
    let course = admin.post("/api/v1/courses", json!({ "org_id": org, "title": "党章学习" })).await.expect("course");
    let id = course["id"].as_i64().expect("course id");
    let text = "坚持和发展中国特色社会主义。".repeat(400);
    let lesson = admin
        .post(&format!("/api/v1/courses/{id}/lessons"), json!({ "title": "第一章", "article": text }))
        .await
        .expect("lesson");
    admin.post(&format!("/api/v1/courses/{id}/publish"), json!({})).await.expect("publish");
    lesson["id"].as_i64().expect("lesson id")
}

/// Sends heartbeats one after another until told to stop; records each
/// (session, seq) the server acknowledged.
async fn stream(
    api: Api,
    lesson: i64,
    acked: Arc<Mutex<Vec<(String, i64)>>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
) {
    let opened = api.post(&format!("/api/v1/lessons/{lesson}/sessions"), json!({})).await.expect("open");
    let session = opened["session_id"].as_str().expect("session id").to_owned();
    let mut seq = 1;
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        let beat = json!({ "session_id": session, "lesson_id": lesson, "seq": seq, "position": 0.1,
                           "visible": true, "visible_seconds": 0.05 });
        let sent = api.request(reqwest::Method::POST, "/api/v1/heartbeats").json(&beat).send().await;
        match sent {
            Ok(r) if r.status().is_success() => {
                let ack: Value = match r.json().await {
                    Ok(v) => v,
                    Err(_) => break,
                };
                assert_eq!(ack["verdict"], "accepted", "{ack}");
                acked.lock().expect("lock").push((session.clone(), seq));
                seq += 1;
            }
            Ok(r) => panic!("heartbeat refused: {} {}", r.status(), r.text().await.unwrap_or_default()),
            // The server is gone.
            Err(_) => break,
        }
    }
}

async fn stored(db: &DatabaseConnection) -> HashSet<(String, i64)> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT session_id, seq FROM heartbeats".to_owned(),
        ))
        .await
        .expect("read heartbeats");
    rows.iter()
        .map(|r| {
            (
                r.try_get::<String>("", "session_id").expect("session"),
                i64::from(r.try_get::<i32>("", "seq").expect("seq")),
            )
        })
        .collect()
}

async fn acknowledged_heartbeats_survive_sigkill(database_url: Option<String>) {
    let env: Vec<(&str, &str)> = database_url.iter().map(|u| ("DANGXIAO_DATABASE_URL", u.as_str())).collect();
    let mut server = Server::start_with(&env).expect("server");
    let admin = Api::login(&server.base, "admin", PASSWORD).await.expect("login");
    let lesson = article_lesson(&admin).await;
    let acked = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut tasks = Vec::new();
    for login in LEARNERS {
        // Several tabs per person would supersede each other; one each.
        let api = Api::login(&server.base, login, PASSWORD).await.expect("login");
        tasks.push(tokio::spawn(stream(api, lesson, acked.clone(), stop.clone())));
    }

    tokio::time::sleep(Duration::from_millis(2500)).await;
    server.kill_hard();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for t in tasks {
        t.await.expect("stream task");
    }

    let url =
        database_url.unwrap_or_else(|| format!("sqlite://{}?mode=rw", server.data_dir().join("dangxiao.db").display()));
    let db = Database::connect(&url).await.expect("open the database after the kill");
    let stored = stored(&db).await;
    let acked = acked.lock().expect("lock").clone();
    let lost: Vec<_> = acked.iter().filter(|a| !stored.contains(a)).collect();
    println!("{} heartbeats acknowledged before SIGKILL, {} stored", acked.len(), stored.len());
    assert!(lost.is_empty(), "{} acknowledged heartbeats lost, e.g. {:?}", lost.len(), &lost[..lost.len().min(5)]);
    assert!(acked.len() > 100, "too little load to mean anything: {}", acked.len());

    // Nothing half-written: each ledger equals the sum of its credited lines.
    let ledgers = totals_against_receipt(
        &db,
        "SELECT p.visible_ms AS total, (SELECT CAST(COALESCE(SUM(e.wall_ms), 0) AS BIGINT) FROM study_entries e \
         WHERE e.person_id = p.person_id AND e.lesson_id = p.lesson_id AND e.credited) AS lines FROM lesson_progress p",
        "a ledger",
    )
    .await;
    assert_eq!(ledgers, LEARNERS.len());
    // The study-hour roll-up was written in the same transactions.
    let days = totals_against_receipt(
        &db,
        "SELECT d.credited_ms AS total, (SELECT CAST(COALESCE(SUM(e.wall_ms), 0) AS BIGINT) FROM study_entries e \
         WHERE e.person_id = d.person_id AND e.day = d.day AND e.credited) AS lines FROM study_days d",
        "a study day",
    )
    .await;
    assert!(days > 0, "no study day rolled up");
}

/// Checks that each row of `sql` has its `total` equal to the sum of its
/// receipt `lines`; answers how many rows there were.
async fn totals_against_receipt(db: &DatabaseConnection, sql: &str, what: &str) -> usize {
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql.to_owned()))
        .await
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    for row in &rows {
        let (total, lines) =
            (row.try_get::<i64>("", "total").expect("total"), row.try_get::<i64>("", "lines").expect("lines"));
        assert_eq!(total, lines, "{what} disagrees with its receipt");
    }
    rows.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_heartbeats_survive_sigkill_on_sqlite() {
    acknowledged_heartbeats_survive_sigkill(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_heartbeats_survive_sigkill_on_postgres() {
    let url = fresh_postgres().await.expect("DANGXIAO_TEST_DATABASE_URL is not set: run the tests with scripts/test");
    acknowledged_heartbeats_survive_sigkill(Some(url)).await;
}
