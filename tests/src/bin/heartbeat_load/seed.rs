//! Setup before anything is measured: the course the learners study and
//! one playback session each. The learners and their logins are seeded by
//! `dangxiao_tests::seed`; everything else goes through the API as a real
//! client would do it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context};
use dangxiao_tests::api::Api;
use dangxiao_tests::seed::unix_seconds;
pub use dangxiao_tests::seed::{analyze, connect, learners, Login};
use reqwest::header::{HeaderValue, CONTENT_TYPE, COOKIE};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement, Value};
use serde_json::json;

use crate::drive::Learner;

/// A published course on the admin's org (the demo root) with one ready
/// video lesson of `seconds`; returns the lesson id.
pub async fn video_lesson(
    base: &str,
    db: &DatabaseConnection,
    admin: &str,
    password: &str,
    seconds: u32,
) -> anyhow::Result<i64> {
    let api = Api::login(base, admin, password).await?;
    let org_id = api.my_org().await?;
    // A transcoded video as the media worker leaves it; no files are needed
    // to study it through the API.
    let now = unix_seconds();
    let sql = "INSERT INTO media (org_id, uploader_name, file_name, size, source_key, kind, state, percent, \
               duration_seconds, renditions, created_at, updated_at) \
               VALUES ($1, 'heartbeat-load', 'lecture.mp4', 1, 'sources/heartbeat-load', 'video', 'ready', 100, \
               $2, '360', $3, $4) RETURNING id";
    let values: [Value; 4] = [org_id.into(), f64::from(seconds).into(), now.into(), now.into()];
    let row = db
        .query_one_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, values))
        .await?
        .context("INSERT INTO media returned no row")?;
    let media_id: i64 = row.try_get("", "id")?;

    let course =
        api.post("/api/v1/courses", json!({ "org_id": org_id, "title": "心跳压测课程", "summary": "" })).await?;
    let course_id = course["id"].as_i64().context("course id")?;
    let lesson = api
        .post(&format!("/api/v1/courses/{course_id}/lessons"), json!({ "title": "第一讲", "media_id": media_id }))
        .await?;
    api.post(&format!("/api/v1/courses/{course_id}/publish"), json!({})).await?;
    lesson["id"].as_i64().context("lesson id")
}

/// The learners with their playback sessions open, and how fast they opened.
pub struct Opened {
    pub learners: Vec<Learner>,
    pub per_second: f64,
}

/// Opens `lesson` once per login over HTTP, `concurrency` at a time.
pub async fn open_sessions(
    http: &reqwest::Client,
    base: &str,
    lesson: i64,
    logins: Vec<Login>,
    concurrency: usize,
) -> anyhow::Result<Opened> {
    let url = reqwest::Url::parse(&format!("{base}/api/v1/lessons/{lesson}/sessions"))?;
    let logins = Arc::new(logins);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency.min(logins.len()).max(1) {
        let (http, url, logins, next) = (http.clone(), url.clone(), logins.clone(), next.clone());
        tasks.spawn(async move {
            let mut opened = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(login) = logins.get(i) else { return anyhow::Ok(opened) };
                let cookie = HeaderValue::from_str(&format!("dx_session={}", login.token))?;
                let csrf = HeaderValue::from_str(&login.csrf)?;
                let r = http
                    .post(url.clone())
                    .header(COOKIE, cookie.clone())
                    .header("x-csrf-token", csrf.clone())
                    .header(CONTENT_TYPE, "application/json")
                    .body("{}")
                    .send()
                    .await?;
                let status = r.status();
                if !status.is_success() {
                    bail!("opening the lesson as learner {i}: {status} {}", r.text().await.unwrap_or_default());
                }
                let body: serde_json::Value = r.json().await?;
                let session_id = body["session_id"].as_str().context("session_id")?.to_owned();
                let position_s = body["progress"]["position"].as_f64().unwrap_or(0.0);
                let position_ms = (position_s * 1000.0).round() as u64;
                opened.push((i, Learner::new(cookie, csrf, session_id, position_ms, Instant::now())));
            }
        });
    }
    let mut all = Vec::with_capacity(logins.len());
    while let Some(done) = tasks.join_next().await {
        all.extend(done??);
    }
    let per_second = all.len() as f64 / started.elapsed().as_secs_f64();
    all.sort_by_key(|(i, _)| *i);
    Ok(Opened { learners: all.into_iter().map(|(_, l)| l).collect(), per_second })
}
