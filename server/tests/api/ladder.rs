//! A video is published with its lowest rendition, and the rungs above it
//! join later (issue 27): each pass is run by a worker that handles only
//! its own job kind, so what a member gets in between is seen for certain.
//! On SQLite with the local store, and on PostgreSQL with S3 serving the
//! segments directly; then a second pass that fails leaves the lesson
//! playing in its lowest rendition, and a retry completes it.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use dangxiao_server::jobs::add_renditions::AddRenditions;
use dangxiao_server::jobs::process_media::ProcessMedia;
use dangxiao_server::jobs::worker::Worker;
use dangxiao_server::jobs::Handler;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;

use crate::helpers::{Client, Db, TestApp, BRANCH_1};
use crate::uploads::upload;

fn fixture(rel: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures").join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}

/// Runs one worker slot with `handler` only, until `until` holds for the item.
async fn run_until(
    app: &TestApp,
    c: &Client,
    id: i64,
    handler: Arc<dyn Handler>,
    until: impl Fn(&Value) -> bool,
) -> Value {
    let stop = CancellationToken::new();
    let handles = Worker::new(app.state.clone(), vec![handler]).spawn(1, stop.clone());
    let start = Instant::now();
    let m = loop {
        let m: Value = c.get(&format!("/api/v1/media/{id}")).await.json().await.expect("media json");
        if until(&m) {
            break m;
        }
        assert!(start.elapsed() < Duration::from_secs(300), "media {id}: {m}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    stop.cancel();
    for h in handles {
        h.await.expect("worker slot");
    }
    m
}

async fn text(c: &Client, url: &str) -> String {
    let r = c.get(url).await;
    assert_eq!(r.status(), StatusCode::OK, "GET {url}");
    r.text().await.expect("text")
}

/// The URIs a playlist lists (variants of a master, segments of a media one).
fn uris(playlist: &str) -> Vec<String> {
    playlist.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).map(str::to_owned).collect()
}

/// Fetches the first segment of the variant `variant` of the master at
/// `master_url`, through the app or, when presigned, from the store.
async fn first_segment(c: &Client, master_url: &str, variant: &str) -> usize {
    let base = master_url.rsplit_once('/').expect("dir").0;
    let playlist_url = format!("{base}/{variant}");
    let playlist = text(c, &playlist_url).await;
    assert!(playlist.contains("#EXT-X-ENDLIST"), "{playlist}");
    let segment = uris(&playlist).into_iter().next().expect("a segment");
    let r = if segment.starts_with("http") {
        reqwest::get(&segment).await.expect("segment from the store")
    } else {
        c.get(&format!("{}/{segment}", playlist_url.rsplit_once('/').expect("dir").0)).await
    };
    assert_eq!(r.status(), StatusCode::OK, "{segment}");
    r.bytes().await.expect("segment").len()
}

async fn lowest_first_then_the_ladder(app: &TestApp) {
    let c = app.login("organizer").await;
    let org = app.org_id(BRANCH_1).await;
    let item = upload(&c, org, "讲座.mp4", &fixture("media/video-1080p-60fps-2s.mp4")).await;
    let id = item["id"].as_i64().expect("id");

    let first =
        run_until(app, &c, id, Arc::new(ProcessMedia), |m| m["state"] != "queued" && m["state"] != "processing").await;
    assert_eq!(first["state"], "ready", "{first}");
    assert_eq!(first["renditions"], json!([240]), "published with the lowest rendition: {first}");
    assert_eq!(first["ladder"], "pending", "{first}");
    let first_master_url = first["playlist_url"].as_str().expect("playlist").to_owned();
    let first_master = text(&c, &first_master_url).await;
    assert_eq!(uris(&first_master), ["v240/index.m3u8"], "{first_master}");
    assert!(first_segment(&c, &first_master_url, "v240/index.m3u8").await > 0);
    assert!(first["poster_url"].is_string(), "the poster comes with the first pass: {first}");

    let done = run_until(app, &c, id, Arc::new(AddRenditions), |m| m["ladder"] != "pending").await;
    assert_eq!(done["ladder"], "complete", "{done}");
    assert_eq!(done["ladder_percent"], 100);
    assert_eq!(done["renditions"], json!([1080, 720, 480, 360, 240]), "{done}");
    assert_eq!(done["duration_seconds"], first["duration_seconds"]);
    let master_url = done["playlist_url"].as_str().expect("playlist").to_owned();
    assert_ne!(master_url, first_master_url, "a new master, switched to in one step");
    let master = text(&c, &master_url).await;
    let variants = uris(&master);
    assert_eq!(variants.len(), 5, "{master}");
    assert_eq!(variants.last().map(String::as_str), Some("v240/index.m3u8"), "the lowest is shared: {master}");
    let attempt = variants[0].split('/').next().expect("attempt dir").to_owned();
    assert!(variants[..4].iter().all(|v| v.starts_with(&format!("{attempt}/v"))), "{master}");
    assert!(master.contains("RESOLUTION=1920x1080") && master.contains("RESOLUTION=426x240"), "{master}");
    for variant in &variants {
        assert!(first_segment(&c, &master_url, variant).await > 0, "{variant}");
    }
    // A player that loaded the first master keeps playing from it.
    assert_eq!(text(&c, &first_master_url).await, first_master);
}

#[tokio::test]
async fn a_video_plays_in_its_lowest_rendition_first_then_gets_its_ladder_on_sqlite() {
    let app = TestApp::spawn(Db::Sqlite).await;
    lowest_first_then_the_ladder(&app).await;
}

#[tokio::test]
async fn a_video_plays_in_its_lowest_rendition_first_then_gets_its_ladder_on_postgres_and_s3() {
    let app = TestApp::spawn_s3(Db::Postgres, |s| s.media_direct = true).await;
    lowest_first_then_the_ladder(&app).await;
}

#[tokio::test]
async fn a_failed_second_pass_keeps_the_lesson_playing_and_can_be_retried() {
    let app = TestApp::spawn(Db::Sqlite).await;
    let c = app.login("organizer").await;
    let org = app.org_id(BRANCH_1).await;
    let item = upload(&c, org, "讲座.mp4", &fixture("media/video-1080p-60fps-2s.mp4")).await;
    let id = item["id"].as_i64().expect("id");
    let first = run_until(&app, &c, id, Arc::new(ProcessMedia), |m| m["ladder"] == "pending").await;

    // The source is gone when the second pass runs, on its last attempt.
    let key = sea_orm::ConnectionTrait::query_one_raw(
        &app.db,
        sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            format!("SELECT source_key FROM media WHERE id = {id}"),
        ),
    )
    .await
    .expect("query")
    .expect("row")
    .try_get::<String>("", "source_key")
    .expect("source key");
    let key = dangxiao_server::storage::ObjectKey::parse(&key).expect("key");
    let source = dangxiao_server::storage::read_all(&*app.store, &key, 64 << 20).await.expect("source");
    app.store.delete(&key).await.expect("delete the source");
    sea_orm::ConnectionTrait::execute_unprepared(
        &app.db,
        "UPDATE jobs SET max_attempts = 1 WHERE kind = 'add_renditions'",
    )
    .await
    .expect("one attempt");
    let failed = run_until(&app, &c, id, Arc::new(AddRenditions), |m| m["ladder"] != "pending").await;
    assert_eq!(failed["ladder"], "failed", "{failed}");
    assert_eq!(failed["state"], "ready", "{failed}");
    assert_eq!(failed["renditions"], json!([240]), "{failed}");
    assert_eq!(failed["playlist_url"], first["playlist_url"], "still the first master");
    assert!(first_segment(&c, failed["playlist_url"].as_str().unwrap(), "v240/index.m3u8").await > 0);
    let listed = app.store.list(&format!("media/{id}/")).await.expect("list");
    assert!(
        listed.iter().all(|o| !o.key.as_str().contains("/master-")
            && o.key.as_str().split('/').nth(3).is_none_or(|d| !d.starts_with('j'))),
        "nothing of the failed pass is left: {listed:?}"
    );

    // An organizer of another branch cannot retry it; its own can.
    let other = app.login("organizer2").await;
    assert_eq!(other.post(&format!("/api/v1/media/{id}/retry"), json!({})).await.status(), StatusCode::NOT_FOUND);
    app.store.put(&key, dangxiao_server::storage::bytes_stream(source.into()), None).await.expect("source back");
    let retried: Value = c.post(&format!("/api/v1/media/{id}/retry"), json!({})).await.json().await.expect("json");
    assert_eq!(retried["ladder"], "pending", "{retried}");
    let done = run_until(&app, &c, id, Arc::new(AddRenditions), |m| m["ladder"] != "pending").await;
    assert_eq!(done["ladder"], "complete", "{done}");
    assert_eq!(done["renditions"], json!([1080, 720, 480, 360, 240]), "{done}");
}
