//! Setup before anything is measured: the course the learners study, the
//! learners with their logins, and one playback session each.
//!
//! Learners and login sessions go straight into the database in multi-row
//! INSERTs (argon2 logins for 10,000 people would take minutes); everything
//! else goes through the API as a real client would do it.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context};
use dangxiao_tests::api::Api;
use rand::RngCore;
use reqwest::header::{HeaderValue, CONTENT_TYPE, COOKIE};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, Statement, TransactionTrait, Value};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::drive::Learner;

/// Rows per INSERT: 8 columns x 500 stays far below SQLite's 32,766
/// parameters.
const ROWS_PER_INSERT: usize = 500;
/// Login sessions last this long, so the server never extends them (an
/// UPDATE per batch) during a run; the same as its default `session_hours`.
const SESSION_SECONDS: i64 = 12 * 3600;

/// A small pool on the server's database, for seeding and statistics.
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.max_connections(2).min_connections(1).sqlx_logging(false);
    if url.starts_with("sqlite:") {
        opts.map_sqlx_sqlite_opts(|o| o.busy_timeout(Duration::from_secs(30)));
    }
    Database::connect(opts).await.context("cannot connect to the database")
}

fn unix_seconds() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

fn random_hex(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

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

/// A learner's login: the cookie value and the CSRF token.
pub struct Login {
    token: String,
    csrf: String,
}

/// Runs `INSERT INTO {into} VALUES …` for `rows` of `width` values each,
/// `ROWS_PER_INSERT` rows per statement.
async fn insert_rows(
    db: &impl ConnectionTrait,
    into: &str,
    width: usize,
    rows: impl Iterator<Item = Vec<Value>>,
) -> anyhow::Result<()> {
    let mut rows = rows.peekable();
    while rows.peek().is_some() {
        let mut sql = format!("INSERT INTO {into} VALUES ");
        let mut values = Vec::with_capacity(ROWS_PER_INSERT * width);
        for (n, row) in rows.by_ref().take(ROWS_PER_INSERT).enumerate() {
            sql.push_str(if n == 0 { "(" } else { ",(" });
            for c in 0..width {
                let _ = write!(sql, "{}${}", if c == 0 { "" } else { "," }, values.len() + c + 1);
            }
            sql.push(')');
            values.extend(row);
        }
        db.execute_raw(Statement::from_sql_and_values(db.get_database_backend(), sql, values))
            .await
            .with_context(|| format!("INSERT INTO {into}"))?;
    }
    Ok(())
}

/// Seeds `count` members in the admin's org (the demo root), each with a
/// live login session, in one transaction; returns their logins.
pub async fn learners(db: &DatabaseConnection, admin: &str, count: usize) -> anyhow::Result<Vec<Login>> {
    let backend = db.get_database_backend();
    let admin_row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            "SELECT org_id, password_hash FROM people WHERE login = $1",
            [Value::from(admin)],
        ))
        .await?
        .with_context(|| format!("no person with login {admin}"))?;
    let org_id: i64 = admin_row.try_get("", "org_id")?;
    let password_hash: String = admin_row.try_get("", "password_hash")?;
    // A tag per run, so runs against the same database do not collide.
    let prefix = format!("hl-{}-", random_hex(3));
    let now = unix_seconds();

    let txn = db.begin().await?;
    insert_rows(
        &txn,
        "people (login, name, role, org_id, password_hash, must_change_password, created_at, updated_at)",
        8,
        (0..count).map(|i| {
            vec![
                format!("{prefix}{i:05}").into(),
                format!("压测学员{i}").into(),
                "member".into(),
                org_id.into(),
                password_hash.clone().into(),
                false.into(),
                now.into(),
                now.into(),
            ]
        }),
    )
    .await?;
    let rows = txn
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            "SELECT id FROM people WHERE login LIKE $1 ORDER BY login",
            [Value::from(format!("{prefix}%"))],
        ))
        .await?;
    let ids = rows.iter().map(|r| r.try_get::<i64>("", "id")).collect::<Result<Vec<_>, _>>()?;
    if ids.len() != count {
        bail!("seeded {count} learners but found {}", ids.len());
    }
    let logins: Vec<Login> = ids.iter().map(|_| Login { token: random_hex(32), csrf: random_hex(32) }).collect();
    insert_rows(
        &txn,
        "sessions (token_hash, person_id, csrf_token, created_at, expires_at)",
        5,
        ids.iter().zip(&logins).map(|(&id, l)| {
            vec![
                hex::encode(Sha256::digest(l.token.as_bytes())).into(),
                id.into(),
                l.csrf.clone().into(),
                now.into(),
                (now + SESSION_SECONDS).into(),
            ]
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(logins)
}

/// Refreshes the planner statistics after seeding, as a platform in use has
/// them: PostgreSQL's autovacuum analyzes within a minute (with the
/// statistics of the near-empty tables the server started on, the planner
/// scans all 10,000 logins sequentially for each batch instead of using the
/// primary keys), and on SQLite the server's pooled connections run `PRAGMA
/// optimize` as they are retired (`db::connect`), which samples about 400
/// rows per index as the limit here does.
pub async fn analyze(db: &DatabaseConnection) -> anyhow::Result<()> {
    let sql = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => "ANALYZE",
        _ => "PRAGMA analysis_limit = 400; ANALYZE",
    };
    db.execute_unprepared(sql).await.context("ANALYZE")?;
    Ok(())
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
