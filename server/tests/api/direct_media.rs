//! Media served by the object store (issue 27, `media_direct`): on S3 the
//! app checks access once per playlist and answers the media playlist with
//! each segment as a presigned URL; the segments then come straight from
//! the bucket. A URL stops working when it expires, and cannot be turned
//! into another lesson's file. The local backend keeps serving through the
//! app.

use bytes::Bytes;
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::courses::{add_lesson, new_course, publish};
use crate::helpers::{expect_error, Db, TestApp, BRANCH_1};
use crate::study::latest_media;

const MASTER: &str =
    "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-STREAM-INF:BANDWIDTH=500000,RESOLUTION=640x360\nv360/index.m3u8\n";
const MEDIA: &str = "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:6\n#EXT-X-PLAYLIST-TYPE:VOD\n\
#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:6.000,\nseg0.m4s\n#EXTINF:4.000,\nseg1.m4s\n#EXT-X-ENDLIST\n";

/// A ready video whose outputs (a master playlist, one rendition's playlist,
/// its init section and two segments) are stored under `outputs/<name>/`;
/// returns a published lesson of it.
async fn lesson_with_outputs(app: &TestApp, name: &str) -> i64 {
    let prefix = format!("outputs/{name}/");
    for (rel, body) in [
        ("master.m3u8", Bytes::from(MASTER)),
        ("v360/index.m3u8", Bytes::from(MEDIA)),
        ("v360/init.mp4", Bytes::from(format!("init of {name}"))),
        ("v360/seg0.m4s", Bytes::from(format!("segment 0 of {name}"))),
        ("v360/seg1.m4s", Bytes::from(format!("segment 1 of {name}"))),
    ] {
        let key = dangxiao_server::storage::ObjectKey::parse(&format!("{prefix}{rel}")).unwrap();
        app.store.put(&key, dangxiao_server::storage::bytes_stream(body), None).await.unwrap();
    }
    let org = app.org_id(BRANCH_1).await;
    app.db
        .execute_unprepared(&format!(
            "INSERT INTO media (org_id, uploader_name, file_name, size, source_key, kind, state, percent, \
             duration_seconds, renditions, output_prefix, playlist, created_at, updated_at) VALUES ({org}, 'test', \
             'lecture.mp4', 1, 'sources/{name}', 'video', 'ready', 100, 10, '360', '{prefix}', 'master.m3u8', 0, 0)"
        ))
        .await
        .unwrap();
    let media = latest_media(app).await;
    let o = app.login("organizer").await;
    let course = new_course(app, &o, BRANCH_1, &format!("课程{name}"), json!({})).await;
    let lesson = add_lesson(&o, course, json!({ "title": "第一讲", "media_id": media })).await["id"].as_i64().unwrap();
    publish(&o, course).await;
    lesson
}

fn uris(playlist: &str) -> Vec<String> {
    playlist.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).map(str::to_owned).collect()
}

#[tokio::test]
async fn on_s3_segments_come_from_the_bucket_by_urls_that_expire_and_fit_one_file() {
    let app = TestApp::spawn_s3(Db::Sqlite, |s| {
        s.media_direct = true;
        s.media_url_seconds = 3;
    })
    .await;
    let a = lesson_with_outputs(&app, "a").await;
    lesson_with_outputs(&app, "b").await;
    let m = app.login("member").await;

    // The master playlist is as stored: its variants come back to the app.
    let master = m.get(&format!("/api/v1/lessons/{a}/files/master.m3u8")).await;
    assert_eq!(master.status(), StatusCode::OK);
    assert_eq!(master.text().await.unwrap(), MASTER);

    let r = m.get(&format!("/api/v1/lessons/{a}/files/v360/index.m3u8")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["cache-control"], "private, no-store");
    assert_eq!(r.headers()["content-type"], "application/vnd.apple.mpegurl");
    let playlist = r.text().await.unwrap();
    let segments = uris(&playlist);
    assert_eq!(segments.len(), 2, "{playlist}");
    assert!(segments.iter().all(|u| u.contains("X-Amz-Signature=")), "{playlist}");
    let init = playlist.split("URI=\"").nth(1).and_then(|s| s.split('"').next()).unwrap().to_owned();
    assert!(init.contains("outputs/a/v360/init.mp4") && init.contains("X-Amz-Signature="), "{init}");
    assert!(playlist.contains("#EXTINF:6.000,") && playlist.contains("#EXT-X-ENDLIST"), "the tags are kept");

    // Straight from the bucket, without the app's cookie.
    let bucket = reqwest::Client::new();
    let got = bucket.get(&segments[0]).send().await.unwrap();
    assert_eq!(got.status(), StatusCode::OK);
    assert_eq!(got.text().await.unwrap(), "segment 0 of a");
    // One lesson's URL does not open another lesson's file.
    let other = segments[0].replace("outputs/a/", "outputs/b/");
    assert_eq!(bucket.get(&other).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    // Only the lesson's audience gets the playlist at all.
    expect_error(
        app.login("member3").await.get(&format!("/api/v1/lessons/{a}/files/v360/index.m3u8")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // Expired, it is refused.
    tokio::time::sleep(std::time::Duration::from_secs(4)).await;
    assert_eq!(bucket.get(&segments[1]).send().await.unwrap().status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn on_the_local_backend_the_app_serves_every_file() {
    let app = TestApp::spawn_with(Db::Sqlite, |s| s.media_direct = true).await;
    let a = lesson_with_outputs(&app, "a").await;
    let m = app.login("member").await;
    let playlist = m.get(&format!("/api/v1/lessons/{a}/files/v360/index.m3u8")).await.text().await.unwrap();
    assert_eq!(playlist, MEDIA);
    let segment = m.get(&format!("/api/v1/lessons/{a}/files/v360/seg0.m4s")).await;
    assert_eq!(segment.text().await.unwrap(), "segment 0 of a");
}
