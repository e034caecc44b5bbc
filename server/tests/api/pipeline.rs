//! Uploads processed end to end by the in-process worker with the real
//! media pipeline (ffmpeg-next, LibreOffice, poppler), on the local store
//! with SQLite and on a real S3 server with PostgreSQL; and bad input,
//! each refused with a reason while the worker goes on to the next job.

use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{Client, Db, TestApp, BRANCH_1};
use crate::uploads::upload;

fn fixture(rel: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures").join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}

fn processing(s: &mut dangxiao_server::config::Settings) {
    s.workers = 1;
}

/// Polls until the item is ready with its whole ladder, failed or cancelled.
async fn settled(c: &Client, media: &Value) -> Value {
    let id = media["id"].as_i64().expect("id");
    let start = Instant::now();
    let mut seen_percent = Vec::new();
    loop {
        let m: Value = c.get(&format!("/api/v1/media/{id}")).await.json().await.expect("media json");
        seen_percent.push(m["percent"].as_u64().unwrap_or(0));
        match m["state"].as_str() {
            // Playable in its lowest rendition; the rest on its way.
            Some("ready") if m["ladder"] == "pending" => tokio::time::sleep(Duration::from_millis(250)).await,
            Some("ready" | "failed" | "cancelled") => return m,
            _ if start.elapsed() > Duration::from_secs(300) => panic!("media {id} still {m} after 5 minutes"),
            _ => tokio::time::sleep(Duration::from_millis(250)).await,
        }
    }
}

async fn fetch(c: &Client, url: &str) -> reqwest::Response {
    let r = c.get(url).await;
    assert_eq!(r.status(), StatusCode::OK, "GET {url}");
    r
}

/// The master playlist lists `heights`, and each rendition's playlist and
/// its first segment can be fetched (the latter by range).
async fn check_video(c: &Client, m: &Value, heights: &[u64]) {
    assert_eq!(m["kind"], "video", "{m}");
    let got: Vec<u64> = m["renditions"].as_array().expect("renditions").iter().filter_map(Value::as_u64).collect();
    assert_eq!(got, heights, "{m}");
    let master_url = m["playlist_url"].as_str().expect("playlist url");
    let master = fetch(c, master_url).await.text().await.expect("master");
    assert_eq!(master.matches("#EXT-X-STREAM-INF").count(), heights.len(), "{master}");
    let base = master_url.rsplit_once('/').expect("dir").0;
    let first = master.lines().find(|l| !l.starts_with('#') && !l.is_empty()).expect("a variant");
    let variant_url = format!("{base}/{first}");
    let variant = fetch(c, &variant_url).await.text().await.expect("variant");
    assert!(variant.contains("#EXT-X-ENDLIST"), "{variant}");
    let vbase = variant_url.rsplit_once('/').expect("dir").0;
    let segment = variant.lines().find(|l| !l.starts_with('#') && !l.is_empty()).expect("a segment");
    let r = c.request(reqwest::Method::GET, &format!("{vbase}/{segment}")).header("range", "bytes=0-99").send().await;
    let r = r.expect("range request");
    assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(r.bytes().await.expect("bytes").len(), 100);
    let poster = fetch(c, m["poster_url"].as_str().expect("poster")).await;
    assert_eq!(poster.headers()["content-type"], "image/jpeg");
    assert!(!poster.bytes().await.expect("poster").is_empty());
}

async fn check_slides(c: &Client, m: &Value, count: usize, text: Option<&str>) {
    assert_eq!(m["kind"], "slides", "{m}");
    assert_eq!(m["slide_count"].as_u64(), Some(count as u64), "{m}");
    let slides: Value = fetch(c, &format!("/api/v1/media/{}/slides", m["id"])).await.json().await.expect("slides");
    let slides = slides.as_array().expect("array");
    assert_eq!(slides.len(), count);
    for s in slides {
        for url in [&s["small_url"], &s["large_url"]] {
            let bytes = fetch(c, url.as_str().expect("url")).await.bytes().await.expect("image");
            assert!(bytes.starts_with(b"\x89PNG"), "slide image is a PNG");
        }
    }
    if let Some(text) = text {
        assert!(slides.iter().any(|s| s["text"].as_str().unwrap_or("").contains(text)), "{slides:?}");
    }
}

#[tokio::test]
async fn videos_recordings_and_decks_are_published_on_sqlite_and_local_storage() {
    let app = TestApp::spawn_with(Db::Sqlite, processing).await;
    let c = app.login("organizer").await;
    let org = app.org_id(BRANCH_1).await;
    let mp4 = upload(&c, org, "讲座.mp4", &fixture("media/video-1080p-60fps-2s.mp4")).await;
    let webm = upload(&c, org, "bunny.webm", &fixture("media/Big_Buck_Bunny_180_10s.webm")).await;
    let avi = upload(&c, org, "indeo.avi", &fixture("media/video-3s.avi")).await;
    let wav = upload(&c, org, "报告录音.wav", &fixture("media/audio-3s.wav")).await;
    let deck = upload(&c, org, "党课.pptx", &fixture("slides/chinese-2-slides.pptx")).await;
    let pdf = upload(&c, org, "讲义.pdf", &fixture("slides/chinese-2-slides.pdf")).await;

    check_video(&c, &settled(&c, &mp4).await, &[1080, 720, 480, 360, 240]).await;
    check_video(&c, &settled(&c, &webm).await, &[180]).await;
    check_video(&c, &settled(&c, &avi).await, &[240]).await;
    let wav = settled(&c, &wav).await;
    assert_eq!(wav["kind"], "audio", "{wav}");
    assert!((wav["duration_seconds"].as_f64().unwrap_or(0.0) - 3.07).abs() < 0.5, "{wav}");
    let master = fetch(&c, wav["playlist_url"].as_str().expect("playlist")).await.text().await.expect("master");
    assert!(master.contains("#EXT-X-STREAM-INF") && !master.contains("RESOLUTION"), "{master}");
    check_slides(&c, &settled(&c, &deck).await, 2, Some("党")).await;
    check_slides(&c, &settled(&c, &pdf).await, 2, Some("党")).await;
}

#[tokio::test]
async fn a_video_and_a_deck_are_published_on_postgres_and_s3() {
    let app = TestApp::spawn_s3(Db::Postgres, processing).await;
    let c = app.login("organizer").await;
    let org = app.org_id(BRANCH_1).await;
    let mp4 = upload(&c, org, "讲座.mp4", &fixture("media/video-1s.mp4")).await;
    let deck = upload(&c, org, "charts.pptx", &fixture("slides/cht-charts.pptx")).await;
    let mp4 = settled(&c, &mp4).await;
    check_video(&c, &mp4, &[240]).await;
    let deck = settled(&c, &deck).await;
    assert_eq!(deck["state"], "ready", "{deck}");
    let n = deck["slide_count"].as_u64().expect("count") as usize;
    check_slides(&c, &deck, n, None).await;
    let id = mp4["id"].as_i64().expect("id");
    assert!(!app.store.list(&format!("media/{id}/")).await.expect("list").is_empty(), "outputs are in the bucket");
}

fn zip_bomb() -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        zip.start_file("ppt/presentation.xml", options).expect("entry");
        let block = vec![0u8; 1 << 20];
        for _ in 0..3 * 1024 {
            zip.write_all(&block).expect("write");
        }
        zip.finish().expect("finish");
    }
    out.into_inner()
}

fn long_video() -> Vec<u8> {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("long.mp4");
    let status = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-f", "lavfi", "-i", "testsrc2=size=64x64:rate=5", "-t", "65", "-c:v", "libx264"])
        .arg(&out)
        .status()
        .expect("ffmpeg runs");
    assert!(status.success());
    std::fs::read(out).expect("long video")
}

#[tokio::test]
async fn bad_files_fail_with_a_reason_nothing_is_published_and_the_worker_goes_on() {
    let app = TestApp::spawn_with(Db::Sqlite, |s| {
        processing(s);
        s.video_max_minutes = 1;
    })
    .await;
    let mut c = app.login("organizer").await;
    let org = app.org_id(BRANCH_1).await;
    let mp4 = fixture("media/video-1080p-60fps-2s.mp4");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.mp4", Vec::new(), "empty_file"),
        ("notes.mp4", "这是一个文本文件，不是视频。\n".repeat(50).into_bytes(), "unrecognized_type"),
        ("cut.mp4", mp4[..mp4.len() / 2].to_vec(), "damaged"),
        ("deck.pptx", b"PK? no, just text pretending to be a deck".to_vec(), "not_a_package"),
        ("bomb.pptx", zip_bomb(), "zip_bomb"),
        ("locked.pptx", fixture("slides/password-secret.pptx"), "password_protected"),
        ("locked.pdf", fixture("slides/password-secret.pdf"), "password_protected"),
        ("long.mp4", long_video(), "too_long"),
    ];
    let mut items = Vec::new();
    for (name, bytes, code) in cases {
        items.push((upload(&c, org, name, &bytes).await, code));
    }
    let good = upload(&c, org, "good.mp4", &fixture("media/video-1s.mp4")).await;

    for (item, code) in &items {
        let m = settled(&c, item).await;
        assert_eq!((m["state"].as_str(), m["problem"]["code"].as_str()), (Some("failed"), Some(*code)), "{m}");
        assert!(m["problem_message"].as_str().is_some_and(|s| !s.is_empty()));
        assert!(m["playlist_url"].is_null() && m["poster_url"].is_null(), "nothing published: {m}");
        let id = m["id"].as_i64().expect("id");
        assert!(app.store.list(&format!("media/{id}/")).await.expect("list").is_empty(), "no outputs left: {m}");
    }
    // The same reason in English for an English reader.
    c.lang = Some("en");
    let m: Value = c.get(&format!("/api/v1/media/{}", items[0].0["id"])).await.json().await.expect("json");
    assert!(m["problem_message"].as_str().unwrap_or("").contains("empty"), "{m}");
    assert_eq!(settled(&c, &good).await["state"], "ready", "the worker took the next job");
    let leftovers = std::fs::read_dir(app.data_dir().join("work")).map(|d| d.count()).unwrap_or(0);
    assert_eq!(leftovers, 0, "work directories are removed on every path");
}

#[tokio::test]
async fn a_type_the_installation_does_not_accept_is_refused_by_its_content() {
    let app = TestApp::spawn_with(Db::Sqlite, |s| {
        processing(s);
        s.upload_accepted_types = vec!["video/".into()];
    })
    .await;
    let c = app.login("organizer").await;
    let org = app.org_id(BRANCH_1).await;
    // A PDF named like a video is still a PDF.
    let pdf = upload(&c, org, "lecture.mp4", &fixture("slides/chinese-2-slides.pdf")).await;
    let m = settled(&c, &pdf).await;
    assert_eq!(
        (m["state"].as_str(), m["problem"]["code"].as_str()),
        (Some("failed"), Some("type_not_accepted")),
        "{m}"
    );
    assert_eq!(m["problem"]["detected"], "application/pdf");
    let video = upload(&c, org, "lecture.mp4", &fixture("media/video-1s.mp4")).await;
    assert_eq!(settled(&c, &video).await["state"], "ready");
}
