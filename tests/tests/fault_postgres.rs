//! PostgreSQL restarts under heartbeat load (issue 27): members stream
//! heartbeats through two app servers on one database; the database is
//! stopped and started again. The app servers reconnect by themselves;
//! every heartbeat answered 2xx before the stop is stored; a heartbeat that
//! meets the outage is answered 503 with `Retry-After` (never 500), and
//! sent again, as the study page does, it is stored too.
//!
//! The outage outlasts the pool's wait for a connection (10 s): a shorter
//! restart is ridden out by requests simply waiting for the database, so
//! whether any of them is answered 503 would depend on timing.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dangxiao_tests::api::Api;
use dangxiao_tests::postgres::Postgres;
use dangxiao_tests::Server;
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::json;

const PASSWORD: &str = "dangxiao-demo";
/// Longer than the app servers' pool acquire timeout (db/connect.rs).
const OUTAGE: Duration = Duration::from_secs(13);
const LEARNERS: [&str; 6] = ["admin", "organizer", "member", "member2", "organizer2", "member3"];

#[derive(Default)]
struct Seen {
    acked: Vec<(String, i64, std::time::Instant)>,
    retryable: Vec<u16>,
    other: Vec<String>,
}

/// Sends heartbeats one after another, each until it is answered 2xx,
/// waiting `Retry-After` after a 503, as the page's queue does.
async fn stream(api: Api, lesson: i64, seen: Arc<Mutex<Seen>>, stop: Arc<std::sync::atomic::AtomicBool>) {
    let opened = api.post(&format!("/api/v1/lessons/{lesson}/sessions"), json!({})).await.expect("open");
    let session = opened["session_id"].as_str().expect("session id").to_owned();
    let mut seq = 1;
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        let beat = json!({ "session_id": session, "lesson_id": lesson, "seq": seq, "position": 0.1,
                           "visible": true, "visible_seconds": 0.05 });
        let r = api.request(reqwest::Method::POST, "/api/v1/heartbeats").json(&beat).send().await;
        match r {
            Ok(r) if r.status().is_success() => {
                seen.lock().unwrap().acked.push((session.clone(), seq, std::time::Instant::now()));
                seq += 1;
            }
            Ok(r) if r.status() == reqwest::StatusCode::SERVICE_UNAVAILABLE => {
                let wait = r.headers().get("retry-after").and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
                let body = r.text().await.unwrap_or_default();
                let Some(wait) = wait else {
                    seen.lock().unwrap().other.push(format!("503 without Retry-After: {body}"));
                    return;
                };
                seen.lock().unwrap().retryable.push(503);
                tokio::time::sleep(Duration::from_secs(wait.min(2))).await;
            }
            Ok(r) => {
                let status = r.status();
                let body = r.text().await.unwrap_or_default();
                seen.lock().unwrap().other.push(format!("{status}: {body}"));
                return;
            }
            Err(e) => {
                seen.lock().unwrap().other.push(format!("no answer: {e}"));
                return;
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_servers_ride_out_a_postgres_restart_under_heartbeats() {
    let pg = Postgres::start().expect("a PostgreSQL of the test's own");
    let url = pg.url();
    let env = [("DANGXIAO_DATABASE_URL", url.as_str())];
    let first = Server::start_with(&env).expect("first app server");
    // A second app server on the same database, as behind a load balancer.
    let second = Server::start_with(&env).expect("second app server");
    let admin = Api::login(&first.base, "admin", PASSWORD).await.expect("login");
    let org = admin.my_org().await.expect("org");
    let course = admin.post("/api/v1/courses", json!({ "org_id": org, "title": "党章学习" })).await.expect("course");
    let id = course["id"].as_i64().expect("course id");
    let lesson = admin
        .post(
            &format!("/api/v1/courses/{id}/lessons"),
            json!({ "title": "第一章", "article": "学习党章。".repeat(500) }),
        )
        .await
        .expect("lesson")["id"]
        .as_i64()
        .expect("lesson id");
    admin.post(&format!("/api/v1/courses/{id}/publish"), json!({})).await.expect("publish");

    let seen = Arc::new(Mutex::new(Seen::default()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut tasks = Vec::new();
    for (i, login) in LEARNERS.iter().enumerate() {
        let base = if i % 2 == 0 { &first.base } else { &second.base };
        let api = Api::login(base, login, PASSWORD).await.expect("login");
        tasks.push(tokio::spawn(stream(api, lesson, seen.clone(), stop.clone())));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let stopping = std::time::Instant::now();
    pg.stop("fast").expect("stop PostgreSQL");
    tokio::time::sleep(OUTAGE).await;
    pg.start_again().expect("start PostgreSQL again");
    let restarted = seen.lock().unwrap().acked.len();
    // Until every stream has been answered again after the restart.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while seen.lock().unwrap().acked.len() < restarted + 20 * LEARNERS.len() {
        assert!(std::time::Instant::now() < deadline, "heartbeats were not answered again after the restart");
        assert!(seen.lock().unwrap().other.is_empty(), "{:?}", seen.lock().unwrap().other);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for t in tasks {
        t.await.expect("stream task");
    }

    let seen = std::mem::take(&mut *seen.lock().unwrap());
    assert!(seen.other.is_empty(), "only 2xx and 503 with Retry-After: {:?}", seen.other);
    assert!(!seen.retryable.is_empty(), "some heartbeats met the outage");
    let db = Database::connect(&url).await.expect("connect");
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT session_id, seq FROM heartbeats".to_owned(),
        ))
        .await
        .expect("read heartbeats");
    let stored: HashSet<(String, i64)> = rows
        .iter()
        .map(|r| (r.try_get::<String>("", "session_id").unwrap(), i64::from(r.try_get::<i32>("", "seq").unwrap())))
        .collect();
    let before_stop = seen.acked.iter().filter(|(_, _, at)| *at < stopping).count();
    let lost: Vec<_> = seen.acked.iter().filter(|(s, q, _)| !stored.contains(&(s.clone(), *q))).collect();
    println!(
        "{} heartbeats acknowledged ({before_stop} before the stop), {} answered 503 and sent again",
        seen.acked.len(),
        seen.retryable.len()
    );
    assert!(before_stop > 50, "too little load before the stop: {before_stop}");
    assert!(lost.is_empty(), "{} acknowledged heartbeats lost, e.g. {:?}", lost.len(), &lost[..lost.len().min(3)]);
}
