//! The cluster survives the failures a transcode meets (issue 27): once the
//! lecture plays in its lowest rendition, the worker making the renditions
//! above it is killed with SIGKILL and one of the three Garage nodes is
//! stopped; another worker finishes the job, the
//! lesson plays from the two nodes left (segments by presigned URLs through
//! nginx) and goes on playing when, halfway, that node is back and another
//! one stops; each segment is published once, and nothing of the killed
//! attempt stays in the bucket beside what was published.

use std::time::{Duration, Instant};

use dangxiao_tests::api::Api;
use dangxiao_tests::cluster::Cluster;
use dangxiao_tests::{garage, spawn_alongside};
use serde_json::Value;

const PASSWORD: &str = "dangxiao-demo";

fn lecture(dir: &std::path::Path) -> Vec<u8> {
    let out = dir.join("lecture.mp4");
    let status = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-f", "lavfi", "-i"])
        .args(["sine=frequency=440:sample_rate=48000", "-t", "30", "-c:v", "libx264", "-preset", "ultrafast"])
        .args(["-c:a", "aac", "-shortest"])
        .arg(&out)
        .status()
        .expect("ffmpeg runs");
    assert!(status.success());
    std::fs::read(out).expect("video")
}

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_worker_and_a_stopped_storage_node_do_not_stop_a_lecture() {
    let mut cluster = Cluster::start(2, 1).expect("cluster");
    let api = Api::login(&cluster.base, "organizer", PASSWORD).await.expect("login");
    let org = api.my_org().await.expect("org");
    let tmp = tempfile::tempdir().unwrap();
    let media = api.upload(org, "讲座.mp4", &lecture(tmp.path())).await.expect("upload through nginx into Garage");
    let id = media["id"].as_i64().unwrap();

    // The lesson is published with its lowest rendition; the worker making
    // the rungs above it is killed, and a storage node stopped, mid-way.
    let first = wait_for(&api, id, "playable", |m| {
        m["state"] == "failed" || (m["ladder"] == "pending" && m["ladder_percent"].as_u64().unwrap_or(0) >= 5)
    })
    .await;
    assert_eq!(first["renditions"], serde_json::json!([240]), "{first}");
    let first_prefix = published_prefixes(&cluster, id).await;
    cluster.workers[0].kill_hard();
    cluster.garage.stop(2);
    let _second = spawn_alongside(&cluster.apps[1], &["worker"], &cluster.env()).expect("second worker");
    let done = wait_for(&api, id, "settled", |m| m["ladder"] == "complete" || m["ladder"] == "failed").await;
    assert_eq!(done["ladder"], "complete", "{done}");
    assert_eq!(done["renditions"], serde_json::json!([720, 480, 360, 240]), "{done}");

    // It plays with one node down: the master playlist through nginx and an
    // app server, each rendition's segments straight from the store.
    let lessons = api.publish_course("集群讲座", &[id]).await.expect("course");
    let member = Api::login(&cluster.base, "member", PASSWORD).await.expect("member");
    let page = member.get(&format!("/api/v1/lessons/{}", lessons[0])).await.expect("lesson page");
    let master_url = page["playlist_url"].as_str().expect("playlist").to_owned();
    let master = member.request(reqwest::Method::GET, &master_url).send().await.unwrap().text().await.unwrap();
    let variant = master.lines().find(|l| l.ends_with(".m3u8")).expect("a variant").to_owned();
    let dir = master_url.rsplit_once('/').unwrap().0;
    let playlist =
        member.request(reqwest::Method::GET, &format!("{dir}/{variant}")).send().await.unwrap().text().await.unwrap();
    let segments: Vec<&str> = playlist.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).collect();
    assert!(segments.len() >= 5, "{playlist}");
    let plain = reqwest::Client::new();
    let mut retried = 0;
    for (i, s) in segments.iter().enumerate() {
        if i == segments.len() / 2 {
            // Mid-playback, the stopped node comes back and another stops.
            cluster.garage.restart(2).expect("node 2 back");
            cluster.garage.stop(0);
        }
        assert!(s.starts_with(&cluster.s3), "segments come from the store: {s}");
        // As a player does (hls.js retries a segment a few times): while the
        // node that came back rejoins, a read may find no quorum for a moment.
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            // As the page's player asks: from the site's origin.
            let r = plain.get(*s).header("origin", &cluster.base).send().await.unwrap();
            if r.status() == reqwest::StatusCode::OK {
                let allowed = r.headers().get("access-control-allow-origin").and_then(|v| v.to_str().ok());
                assert!(matches!(allowed, Some(o) if o == cluster.base || o == "*"), "CORS for the site: {allowed:?}");
                assert!(!r.bytes().await.unwrap().is_empty());
                break;
            }
            assert!(r.status().is_server_error() && Instant::now() < deadline, "{s}: {}", r.status());
            retried += 1;
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
    println!("{} segments played, {retried} retries while the storage nodes changed", segments.len());
    let names: std::collections::HashSet<&str> =
        segments.iter().map(|s| s.split('?').next().unwrap().rsplit('/').next().unwrap()).collect();
    assert_eq!(names.len(), segments.len(), "each segment is listed once");

    // In the bucket: the lowest rung's outputs and the higher rungs of the
    // second attempt, which finished; nothing of the killed one.
    assert_eq!(published_prefixes(&cluster, id).await, first_prefix);
    let prefix = first_prefix.iter().next().unwrap();
    let keys = garage::list(&cluster.s3, &format!("media/{id}/{prefix}/")).await.expect("list");
    let ladder: std::collections::HashSet<String> = keys
        .iter()
        .filter_map(|k| k.strip_prefix(&format!("media/{id}/{prefix}/")))
        .filter(|rel| !rel.starts_with("v240/"))
        .filter_map(|rel| {
            rel.split('/').next().map(|d| d.trim_start_matches("master-").trim_end_matches(".m3u8").to_owned())
        })
        .filter(|d| d.starts_with('j'))
        .collect();
    assert_eq!(ladder.len(), 1, "the higher rungs of one attempt only: {ladder:?}");
    assert!(ladder.iter().all(|a| a.ends_with("a2")), "the second attempt's: {ladder:?}");
}

/// The first directory level under the item's outputs: one per publication.
async fn published_prefixes(cluster: &Cluster, id: i64) -> std::collections::HashSet<String> {
    let keys = garage::list(&cluster.s3, &format!("media/{id}/")).await.expect("list");
    keys.iter().filter_map(|k| Some(k.strip_prefix(&format!("media/{id}/"))?.split('/').next()?.to_owned())).collect()
}
