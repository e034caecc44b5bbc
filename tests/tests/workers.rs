//! The media pipeline as separate processes, the way production runs it:
//! the real `dangxiao serve` and `dangxiao worker` binaries sharing one
//! database and object store.
//!
//! - Uploading a large file keeps the server's peak memory flat.
//! - A worker killed with SIGKILL in the middle of a transcode (the first
//!   pass, which publishes the lesson) leaves its job to another worker,
//!   which finishes it and then the rungs above the lowest.

use std::time::{Duration, Instant};

use dangxiao_tests::api::Api;
use dangxiao_tests::{peak_rss_kib, spawn_alongside, Server};
use serde_json::Value;

const PASSWORD: &str = "dangxiao-demo";

async fn wait_for(api: &Api, id: i64, what: &str, done: impl Fn(&Value) -> bool) -> Value {
    let start = Instant::now();
    loop {
        let m = api.get(&format!("/api/v1/media/{id}")).await.expect("media");
        if done(&m) {
            return m;
        }
        assert!(start.elapsed() < Duration::from_secs(600), "media {id} never {what}: {m}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn uploading_a_gigabyte_keeps_the_server_memory_flat() {
    let server = Server::start().expect("server");
    let api = Api::login(&server.base, "organizer", PASSWORD).await.expect("login");
    let org = api.my_org().await.expect("org");
    // Warm up every code path once with a small file.
    api.upload_with(org, "warmup.bin", 20 << 20, |_, len| vec![7; len]).await.expect("warm-up upload");
    let before = peak_rss_kib(server.pid).expect("rss");

    let size: u64 = 1 << 30;
    api.upload_with(org, "big.bin", size, |offset, len| vec![(offset >> 20) as u8; len]).await.expect("1 GiB upload");
    let after = peak_rss_kib(server.pid).expect("rss");
    let grew_mib = (after.saturating_sub(before)) / 1024;
    println!("peak RSS: {} MiB after a 20 MiB upload, {} MiB after 1 GiB more", before / 1024, after / 1024);
    assert!(grew_mib < 64, "peak memory grew by {grew_mib} MiB while 1 GiB streamed through");
}

fn lecture_video(dir: &std::path::Path) -> Vec<u8> {
    // Long enough at 720p that a transcode takes tens of seconds here.
    let out = dir.join("lecture.mp4");
    let status = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-f", "lavfi", "-i"])
        .args(["sine=frequency=440:sample_rate=48000", "-t", "40", "-c:v", "libx264", "-preset", "ultrafast"])
        .args(["-c:a", "aac", "-shortest"])
        .arg(&out)
        .status()
        .expect("ffmpeg runs");
    assert!(status.success(), "ffmpeg made the test video");
    std::fs::read(out).expect("video")
}

#[tokio::test]
async fn a_job_whose_worker_is_killed_mid_transcode_is_finished_by_another_worker() {
    // The web server runs no jobs; workers are separate processes.
    let server = Server::start_with(&[("DANGXIAO_WORKERS", "0")]).expect("server");
    let api = Api::login(&server.base, "organizer", PASSWORD).await.expect("login");
    let org = api.my_org().await.expect("org");
    let tmp = tempfile::tempdir().expect("tmp");
    let media = api.upload(org, "讲座.mp4", &lecture_video(tmp.path())).await.expect("upload");
    let id = media["id"].as_i64().expect("id");

    let mut first = spawn_alongside(&server, &["worker"], &[]).expect("first worker");
    // Killed while it makes the lowest rendition, the one that publishes.
    let progressed =
        wait_for(&api, id, "started", |m| m["state"] == "processing" && m["percent"].as_u64().unwrap_or(0) >= 5).await;
    assert_eq!(progressed["state"], "processing");
    first.kill_hard();

    let _second = spawn_alongside(&server, &["worker"], &[]).expect("second worker");
    let done = wait_for(&api, id, "settled", |m| {
        m["state"] == "failed" || (m["state"] == "ready" && m["ladder"] != "pending")
    })
    .await;
    assert_eq!(done["state"], "ready", "{done}");
    assert_eq!(done["ladder"], "complete", "{done}");
    assert_eq!(done["renditions"], serde_json::json!([720, 480, 360, 240]));
}
