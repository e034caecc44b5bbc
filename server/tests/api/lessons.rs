//! The lesson page's API: `GET /api/v1/lessons/{id}` (the lesson in its
//! course, media URLs, slides, progress) and the lesson's media files under
//! `/api/v1/lessons/{id}/files/…`, which its audience may read without any
//! access to the material library, and nobody else may.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{expect_error, TestApp, BRANCH_1};
use crate::on_both_databases;
use crate::study::{open, video_course};

const PLAYLIST: &[u8] = b"#EXTM3U\n#EXT-X-VERSION:7\n";

/// Gives the newest media item published outputs: a master playlist and a
/// slide page in the object store, as the pipeline would leave them.
async fn publish_outputs(app: &TestApp) -> i64 {
    use sea_orm::ConnectionTrait;
    let prefix = "outputs/test-run/";
    for (rel, body) in [("master.m3u8", PLAYLIST), ("slides/1-small.jpg", b"jpeg" as &[u8])] {
        let key = dangxiao_server::storage::ObjectKey::parse(&format!("{prefix}{rel}")).expect("key");
        let body = dangxiao_server::storage::bytes_stream(bytes::Bytes::copy_from_slice(body));
        app.store.put(&key, body, None).await.expect("put");
    }
    let media = crate::study::latest_media(app).await;
    app.db
        .execute_unprepared(&format!(
            "UPDATE media SET output_prefix = '{prefix}', playlist = 'master.m3u8', poster = 'poster.jpg' WHERE id = {media}"
        ))
        .await
        .expect("update media");
    media
}

on_both_databases! {
    async fn the_audience_gets_the_lesson_page_and_its_files(app) {
        let app: TestApp = app;
        let organizer = app.login("organizer").await;
        let (course, lesson) = video_course(&app, &organizer, BRANCH_1, 120.0, json!(null)).await;
        let media = publish_outputs(&app).await;
        let member = app.login("member").await;

        let r = member.get(&format!("/api/v1/lessons/{lesson}")).await;
        assert_eq!(r.status(), StatusCode::OK);
        let page: Value = r.json().await.expect("lesson page");
        assert_eq!(page["lesson"]["id"], lesson);
        assert_eq!(page["lesson"]["course_id"], course);
        assert_eq!(page["course_title"], "学习党章");
        assert_eq!(page["playlist_url"], format!("/api/v1/lessons/{lesson}/files/master.m3u8"));
        assert_eq!(page["siblings"].as_array().map(Vec::len), Some(1));
        assert_eq!(page["progress"]["percent"], 0);

        // The member reads the playlist through the lesson, not the library.
        let r = member.get(&format!("/api/v1/lessons/{lesson}/files/master.m3u8")).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-type"], "application/vnd.apple.mpegurl");
        assert_eq!(r.bytes().await.expect("body").as_ref(), PLAYLIST);
        expect_error(member.get(&format!("/api/v1/media/{media}/files/master.m3u8")).await, StatusCode::FORBIDDEN, "forbidden").await;
        // Paths stay inside the media's outputs.
        for bad in ["../../sources/x", "%2e%2e/%2e%2e/sources/x", "nothing.m3u8"] {
            let r = member.get(&format!("/api/v1/lessons/{lesson}/files/{bad}")).await;
            assert_eq!(r.status(), StatusCode::NOT_FOUND, "{bad}");
        }

        // Resume: the page carries the progress the heartbeats made.
        let session = open(&member, lesson).await;
        crate::study::pass(&app, &session, 30_000).await;
        let ack: Value = member
            .post("/api/v1/heartbeats", json!({"session_id": session, "lesson_id": lesson, "seq": 1,
                "played": [[0.0, 25.0]], "position": 25.0, "visible": true}))
            .await
            .json()
            .await
            .expect("ack");
        assert_eq!(ack["verdict"], "accepted", "{ack}");
        let page: Value = member.get(&format!("/api/v1/lessons/{lesson}")).await.json().await.expect("page");
        assert_eq!(page["progress"]["position"], 25.0);
        assert_eq!(page["progress"]["watched"], json!([[0.0, 25.0]]));
    }

    async fn an_article_comes_rendered_sanitized_and_with_its_outline(app) {
        let app: TestApp = app;
        let organizer = app.login("organizer").await;
        let (course, _) = video_course(&app, &organizer, BRANCH_1, 60.0, json!(null)).await;
        let markdown = "## 一、为什么学\n\n正文<script>alert(1)</script>\n\n\
                        <details><summary>问：什么是“三会一课”？</summary>\n\n答：……\n\n</details>\n\n## 二、怎么学\n";
        let r = organizer
            .post(&format!("/api/v1/courses/{course}/lessons"), json!({ "title": "导读", "article": markdown }))
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        let lesson = r.json::<Value>().await.expect("lesson")["id"].as_i64().expect("id");
        let member = app.login("member").await;
        let page: Value = member.get(&format!("/api/v1/lessons/{lesson}")).await.json().await.expect("page");
        assert_eq!(page["lesson"]["kind"], "article");
        let html = page["article"]["html"].as_str().expect("html");
        assert!(html.contains(r#"<h2 id="sec-1">一、为什么学</h2>"#), "{html}");
        assert!(html.contains("<details><summary>问：什么是“三会一课”？</summary>"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        let outline: Vec<&str> =
            page["article"]["outline"].as_array().expect("outline").iter().filter_map(|e| e["title"].as_str()).collect();
        assert_eq!(outline, ["一、为什么学", "二、怎么学"]);
        assert_eq!(page["siblings"].as_array().map(Vec::len), Some(2));
    }

    async fn nobody_outside_the_audience_gets_the_lesson_page_or_its_files(app) {
        let app: TestApp = app;
        let organizer = app.login("organizer").await;
        let (course, lesson) = video_course(&app, &organizer, BRANCH_1, 120.0, json!(null)).await;
        publish_outputs(&app).await;
        let outsider = app.login("member3").await;
        let other_organizer = app.login("organizer2").await;
        for c in [&outsider, &other_organizer] {
            expect_error(c.get(&format!("/api/v1/lessons/{lesson}")).await, StatusCode::NOT_FOUND, "not_found").await;
            let r = c.get(&format!("/api/v1/lessons/{lesson}/files/master.m3u8")).await;
            expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
        }
        let anonymous = app.anonymous().await;
        expect_error(anonymous.get(&format!("/api/v1/lessons/{lesson}")).await, StatusCode::UNAUTHORIZED, "unauthenticated").await;
        let r = anonymous.get(&format!("/api/v1/lessons/{lesson}/files/master.m3u8")).await;
        expect_error(r, StatusCode::UNAUTHORIZED, "unauthenticated").await;

        // Unpublished, the course is gone for its members too.
        assert_eq!(organizer.post(&format!("/api/v1/courses/{course}/unpublish"), json!({})).await.status(), StatusCode::OK);
        let member = app.login("member").await;
        expect_error(member.get(&format!("/api/v1/lessons/{lesson}")).await, StatusCode::NOT_FOUND, "not_found").await;
        let r = member.get(&format!("/api/v1/lessons/{lesson}/files/master.m3u8")).await;
        expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
        // Its organizer still previews it.
        assert_eq!(organizer.get(&format!("/api/v1/lessons/{lesson}")).await.status(), StatusCode::OK);
    }
}
