//! Files of courses and lessons through the API: a course's cover, a
//! lesson's WebVTT captions and attachments, and the mixed video + slides
//! lesson, whose companion deck (processed by the real pipeline) is served
//! under the lesson to its audience and found by its slide text.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::courses::{add_lesson, article_lesson, new_chapter, new_course, ok, publish, search, video_lesson};
use crate::helpers::{expect_error, Client, Db, TestApp, BRANCH_1, BRANCH_2};
use crate::on_both_databases;
use crate::study::{latest_media, ready_video};

pub fn fixture(rel: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures").join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}

/// Chinese WebVTT captions with three cues.
pub fn vtt() -> Vec<u8> {
    fixture("captions/demo-zh.vtt")
}

fn encoded(width: u32, height: u32, format: image::ImageFormat) -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(pixels).write_to(&mut out, format).expect("encode image");
    out.into_inner()
}

/// A PNG image of `width`×`height`.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    encoded(width, height, image::ImageFormat::Png)
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    encoded(width, height, image::ImageFormat::Jpeg)
}

/// Fetches `url` as `c`, expecting a 200 of `content_type`; returns the body.
async fn download(c: &Client, url: &str, content_type: &str) -> Vec<u8> {
    let r = c.get(url).await;
    assert_eq!(r.status(), StatusCode::OK, "GET {url}");
    let actual = r.headers()["content-type"].to_str().expect("ascii").to_owned();
    assert!(actual.starts_with(content_type), "GET {url}: {actual}");
    r.bytes().await.expect("body").to_vec()
}

/// Material of `org` as the pipeline leaves it, without outputs.
async fn material(app: &TestApp, org: &str, kind: &str, state: &str) -> i64 {
    use sea_orm::ConnectionTrait;
    let org_id = app.org_id(org).await;
    let (seconds, slides) = if kind == "slides" { ("NULL", "2") } else { ("60", "NULL") };
    let sql = format!(
        "INSERT INTO media (org_id, uploader_name, file_name, size, source_key, kind, state, percent, duration_seconds, \
         slide_count, created_at, updated_at) VALUES ({org_id}, 'test', 'x', 1, 'sources/x', '{kind}', '{state}', 100, \
         {seconds}, {slides}, 0, 0)"
    );
    app.db.execute_unprepared(&sql).await.expect("insert media");
    latest_media(app).await
}

/// Uploads the Chinese two-slide PPTX and waits until the worker has
/// converted it; returns its media id.
async fn processed_deck(app: &TestApp, c: &Client) -> i64 {
    let org = app.org_id(BRANCH_1).await;
    let item = crate::uploads::upload(c, org, "党课.pptx", &fixture("slides/chinese-2-slides.pptx")).await;
    let id = item["id"].as_i64().expect("media id");
    let start = Instant::now();
    loop {
        let m = ok(c.get(&format!("/api/v1/media/{id}")).await).await;
        match m["state"].as_str() {
            Some("ready") => return id,
            Some("failed" | "cancelled") => panic!("the deck was not processed: {m}"),
            _ if start.elapsed() > Duration::from_secs(300) => panic!("the deck is still {m} after 5 minutes"),
            _ => tokio::time::sleep(Duration::from_millis(250)).await,
        }
    }
}

/// Like `on_both_databases!`, with a worker running the real media
/// pipeline.
macro_rules! with_the_pipeline {
    ($(async fn $name:ident($app:ident) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;
                #[tokio::test]
                async fn sqlite() {
                    let $app = TestApp::spawn_with(Db::Sqlite, |s| s.workers = 1).await;
                    $body
                }
                #[tokio::test]
                async fn postgres() {
                    let $app = TestApp::spawn_with(Db::Postgres, |s| s.workers = 1).await;
                    $body
                }
            }
        )*
    };
}

on_both_databases! {
    async fn a_cover_is_re_encoded_as_a_jpeg_and_served_to_the_audience_only(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let course = new_course(&app, &o, BRANCH_1, "学习党章", json!({})).await;
        publish(&o, course).await;
        let m = app.login("member").await;
        expect_error(m.get(&format!("/api/v1/courses/{course}/cover")).await, StatusCode::NOT_FOUND, "not_found").await;

        let wide = ok(o.put_bytes(&format!("/api/v1/courses/{course}/cover"), png(1920, 1080)).await).await;
        let wide_url = wide["cover_url"].as_str().expect("cover url").to_owned();
        let wide_jpeg = download(&m, &wide_url, "image/jpeg").await;
        let tall = ok(o.put_bytes(&format!("/api/v1/courses/{course}/cover"), jpeg(600, 1200)).await).await;
        let tall_url = tall["cover_url"].as_str().expect("cover url").to_owned();
        let tall_jpeg = download(&m, &tall_url, "image/jpeg").await;

        assert!(wide_url.starts_with(&format!("/api/v1/courses/{course}/cover?v=")), "{wide_url}");
        assert_ne!(wide_url, tall_url, "a new cover has a new URL");
        assert!(wide_jpeg.starts_with(&[0xff, 0xd8]), "served as a JPEG");
        let dimensions = |bytes: &[u8]| {
            let image = image::load_from_memory_with_format(bytes, image::ImageFormat::Jpeg).expect("a JPEG");
            (image.width(), image.height())
        };
        assert_eq!(dimensions(&wide_jpeg), (960, 540), "fitted into 960×540");
        assert_eq!(dimensions(&tall_jpeg), (270, 540));
        let seen = ok(m.get(&format!("/api/v1/courses/{course}")).await).await;
        assert_eq!(seen["cover_url"].as_str(), Some(tall_url.as_str()));
        expect_error(app.login("member3").await.get(&tall_url).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(app.anonymous().await.get(&tall_url).await, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    }

    async fn a_cover_that_is_no_image_is_refused(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let course = new_course(&app, &o, BRANCH_1, "学习党章", json!({})).await;
        let path = format!("/api/v1/courses/{course}/cover");
        let mut cut = png(640, 360);
        cut.truncate(cut.len() / 2);

        for (why, bytes) in [
            ("text", "这不是图片".as_bytes().to_vec()),
            ("a truncated PNG", cut),
            ("more than 8000 pixels wide", png(8001, 1)),
            ("empty", Vec::new()),
        ] {
            let r = o.put_bytes(&path, bytes).await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{why}");
            expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        }

        assert!(ok(o.get(&format!("/api/v1/courses/{course}")).await).await["cover_url"].is_null());
        expect_error(o.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
    }

    async fn a_cover_over_10_mb_is_refused_as_too_large(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let course = new_course(&app, &o, BRANCH_1, "学习党章", json!({})).await;

        let r = o.put_bytes(&format!("/api/v1/courses/{course}/cover"), vec![0; 10 * 1024 * 1024 + 1]).await;

        expect_error(r, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
        assert!(ok(o.get(&format!("/api/v1/courses/{course}")).await).await["cover_url"].is_null());
    }

    async fn webvtt_captions_are_served_with_the_lesson_and_can_be_removed(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let course = new_course(&app, &o, BRANCH_1, "学习党章", json!({})).await;
        let lesson = video_lesson(&app, &o, course, BRANCH_1, 60.0).await;
        publish(&o, course).await;
        let path = format!("/api/v1/lessons/{lesson}/captions.vtt");
        let m = app.login("member").await;

        let saved = ok(o.put_bytes(&path, vtt()).await).await;
        let page = ok(m.get(&format!("/api/v1/lessons/{lesson}")).await).await;
        let served = download(&m, &path, "text/vtt").await;

        assert_eq!(saved["has_captions"], true);
        assert_eq!(page["captions_url"].as_str(), Some(path.as_str()));
        assert_eq!(page["lesson"]["has_captions"], true);
        assert_eq!(served, vtt());
        expect_error(app.login("member3").await.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(app.anonymous().await.get(&path).await, StatusCode::UNAUTHORIZED, "unauthenticated").await;

        let replacement = "WEBVTT\n\n00:00.000 --> 00:02.000\n第二版字幕\n";
        ok(o.put_bytes(&path, replacement.as_bytes().to_vec()).await).await;
        assert_eq!(download(&m, &path, "text/vtt").await, replacement.as_bytes());

        let removed = ok(o.delete(&path).await).await;
        assert_eq!(removed["has_captions"], false);
        let page = ok(m.get(&format!("/api/v1/lessons/{lesson}")).await).await;
        assert!(page["captions_url"].is_null(), "{page}");
        expect_error(m.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
    }

    async fn captions_must_be_webvtt_for_a_video_or_audio_lesson(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let course = new_course(&app, &o, BRANCH_1, "学习党章", json!({})).await;
        let video = video_lesson(&app, &o, course, BRANCH_1, 60.0).await;
        let article = article_lesson(&o, course, "导读", "正文").await;
        let path = format!("/api/v1/lessons/{video}/captions.vtt");

        for (why, bytes) in [
            ("SRT", "1\n00:00:01,000 --> 00:00:02,000\n同志们好\n".as_bytes().to_vec()),
            ("not UTF-8", vec![0xff, 0xfe, 0x57, 0x00]),
            ("a cue ending before it starts", b"WEBVTT\n\n00:05.000 --> 00:01.000\nbackwards\n".to_vec()),
            ("no cues", b"WEBVTT\n".to_vec()),
            ("text", "同志们好".as_bytes().to_vec()),
        ] {
            let r = o.put_bytes(&path, bytes).await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{why}");
            expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        }
        let r = o.put_bytes(&format!("/api/v1/lessons/{article}/captions.vtt"), vtt()).await;
        expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;

        let view = ok(o.get(&format!("/api/v1/courses/{course}")).await).await;
        let with_captions: Vec<&Value> = view["lessons"].as_array().expect("lessons").iter().filter(|l| l["has_captions"] == true).collect();
        assert!(with_captions.is_empty(), "{view}");
    }

    async fn captions_over_2_mb_are_refused_as_too_large(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let course = new_course(&app, &o, BRANCH_1, "学习党章", json!({})).await;
        let video = video_lesson(&app, &o, course, BRANCH_1, 60.0).await;
        let mut huge = b"WEBVTT\n\n".to_vec();
        while huge.len() <= 2 * 1024 * 1024 {
            huge.extend_from_slice("00:00.000 --> 00:01.000\n同志们好\n\n".as_bytes());
        }

        let r = o.put_bytes(&format!("/api/v1/lessons/{video}/captions.vtt"), huge).await;

        expect_error(r, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
        assert_eq!(ok(o.get(&format!("/api/v1/lessons/{video}")).await).await["lesson"]["has_captions"], false);
    }

    async fn an_attachment_downloads_with_its_chinese_name_to_the_audience_only(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let course = new_course(&app, &o, BRANCH_1, "学习党章", json!({})).await;
        let lesson = video_lesson(&app, &o, course, BRANCH_1, 60.0).await;
        publish(&o, course).await;
        let bytes = crate::uploads::noise(300_000);
        let m = app.login("member").await;

        let r = o.request(Method::PUT, &format!("/api/v1/lessons/{lesson}/attachments"))
            .query(&[("name", "学习提纲.pdf")]).body(bytes.clone()).send().await.expect("request");
        let attachment = ok(r).await;
        let url = attachment["url"].as_str().expect("url").to_owned();
        let page = ok(m.get(&format!("/api/v1/lessons/{lesson}")).await).await;
        let r = m.get(&url).await;

        assert_eq!((attachment["file_name"].as_str(), attachment["size_bytes"].as_u64()), (Some("学习提纲.pdf"), Some(300_000)));
        assert_eq!(url, format!("/api/v1/lessons/{lesson}/attachments/{}", attachment["id"]));
        assert_eq!(page["attachments"], json!([attachment]));
        assert_eq!(r.status(), StatusCode::OK);
        let disposition = r.headers()["content-disposition"].to_str().expect("ascii").to_owned();
        assert_eq!(r.headers()["x-content-type-options"], "nosniff");
        assert_eq!(r.bytes().await.expect("body").as_ref(), bytes.as_slice());
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        let encoded = disposition.split("filename*=UTF-8''").nth(1).expect("an RFC 5987 name");
        assert_eq!(percent_encoding::percent_decode_str(encoded).decode_utf8().expect("UTF-8"), "学习提纲.pdf");
        let r = m.request(Method::GET, &url).header("range", "bytes=0-9").send().await.expect("range request");
        assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
        assert_eq!(r.bytes().await.expect("body").as_ref(), &bytes[..10]);

        expect_error(app.login("member3").await.get(&url).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(app.anonymous().await.get(&url).await, StatusCode::UNAUTHORIZED, "unauthenticated").await;
        assert_eq!(o.delete(&url).await.status(), StatusCode::NO_CONTENT);
        expect_error(m.get(&url).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(o.delete(&url).await, StatusCode::NOT_FOUND, "not_found").await;
        let page = ok(m.get(&format!("/api/v1/lessons/{lesson}")).await).await;
        assert_eq!(page["attachments"], json!([]));
    }

    async fn an_attachment_needs_a_name_and_its_declared_length(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let course = new_course(&app, &o, BRANCH_1, "学习党章", json!({})).await;
        let lesson = video_lesson(&app, &o, course, BRANCH_1, 60.0).await;
        let other = article_lesson(&o, course, "导读", "正文").await;
        let path = format!("/api/v1/lessons/{lesson}/attachments");
        let put = |name: &str| o.request(Method::PUT, &path).query(&[("name", name)]);

        for name in ["", "..", "提纲\u{7}.pdf"] {
            let r = put(name).body(b"%PDF".to_vec()).send().await.expect("request");
            expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        }
        let chunks: Vec<Result<Vec<u8>, std::io::Error>> = vec![Ok(b"%PDF".to_vec()), Ok(b"-1.4".to_vec())];
        let r = put("提纲.pdf").body(reqwest::Body::wrap_stream(futures::stream::iter(chunks))).send().await.expect("request");
        expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        assert_eq!(app.count("lesson_attachments").await, 0, "nothing stored");
        // A path is cut to its last part.
        let r = put("../../etc/提纲.pdf").body(b"%PDF".to_vec()).send().await.expect("request");
        let saved = ok(r).await;
        assert_eq!(saved["file_name"], "提纲.pdf");
        // An attachment belongs to its own lesson only.
        let foreign = format!("/api/v1/lessons/{other}/attachments/{}", saved["id"]);
        expect_error(o.get(&foreign).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(o.delete(&foreign).await, StatusCode::NOT_FOUND, "not_found").await;
        assert_eq!(app.count("lesson_attachments").await, 1);
    }

    async fn an_attachment_without_a_name_is_refused_with_a_message(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let course = new_course(&app, &o, BRANCH_1, "学习党章", json!({})).await;
        let lesson = video_lesson(&app, &o, course, BRANCH_1, 60.0).await;

        let r = o.request(Method::PUT, &format!("/api/v1/lessons/{lesson}/attachments")).body(b"%PDF".to_vec()).send().await;

        expect_error(r.expect("request"), StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        assert_eq!(app.count("lesson_attachments").await, 0);
    }

    async fn a_companion_deck_goes_only_beside_a_video_and_only_once_processed(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let course = new_course(&app, &o, BRANCH_1, "学习党章", json!({})).await;
        let video = ready_video(&app, BRANCH_1, 60.0).await;
        let audio = material(&app, BRANCH_1, "audio", "ready").await;
        let deck = material(&app, BRANCH_1, "slides", "ready").await;
        let unprocessed = material(&app, BRANCH_1, "slides", "processing").await;
        let elsewhere = material(&app, BRANCH_2, "slides", "ready").await;
        let path = format!("/api/v1/courses/{course}/lessons");

        for (why, body) in [
            ("beside audio", json!({ "title": "x", "media_id": audio, "slides_media_id": deck })),
            ("beside slides", json!({ "title": "x", "media_id": deck, "slides_media_id": deck })),
            ("beside an article", json!({ "title": "x", "article": "正文", "slides_media_id": deck })),
            ("a video as the deck", json!({ "title": "x", "media_id": video, "slides_media_id": video })),
            ("a deck still processing", json!({ "title": "x", "media_id": video, "slides_media_id": unprocessed })),
        ] {
            let r = o.post(&path, body).await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{why}");
            expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        }
        let r = o.post(&path, json!({ "title": "x", "media_id": video, "slides_media_id": elsewhere })).await;
        expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
        assert_eq!(app.count("lessons").await, 0);

        let mixed = add_lesson(&o, course, json!({ "title": "视频配课件", "media_id": video, "slides_media_id": deck })).await;
        assert_eq!((mixed["kind"].as_str(), mixed["media_id"].as_i64(), mixed["slides_media_id"].as_i64()),
            (Some("video"), Some(video), Some(deck)));
    }
}

with_the_pipeline! {
    async fn a_mixed_lesson_serves_its_companion_deck_to_its_audience_only(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let deck = processed_deck(&app, &o).await;
        let course = new_course(&app, &o, BRANCH_1, "学习党章", json!({})).await;
        let chapter = new_chapter(&o, course, "第一章").await;
        let video = ready_video(&app, BRANCH_1, 60.0).await;
        let plain = video_lesson(&app, &o, course, BRANCH_1, 60.0).await;
        let lesson = add_lesson(&o, course, json!({ "title": "视频配课件", "media_id": video, "slides_media_id": deck, "chapter_id": chapter })).await;
        let lesson = lesson["id"].as_i64().expect("lesson id");
        publish(&o, course).await;
        let m = app.login("member").await;

        let page = ok(m.get(&format!("/api/v1/lessons/{lesson}")).await).await;

        assert_eq!((page["lesson"]["kind"].as_str(), page["lesson"]["chapter_id"].as_i64()), (Some("video"), Some(chapter)));
        let slides = page["slides"].as_array().expect("slides");
        assert_eq!(slides.len(), 2, "{page}");
        assert_eq!(slides[1]["text"], "为人民服务");
        let deck_prefix = format!("/api/v1/lessons/{lesson}/deck/");
        for slide in slides {
            for url in [&slide["small_url"], &slide["large_url"]] {
                let url = url.as_str().expect("url");
                assert!(url.starts_with(&deck_prefix), "{url}");
                assert!(download(&m, url, "image/").await.starts_with(b"\x89PNG"), "{url}");
            }
        }
        let first = slides[0]["small_url"].as_str().expect("url");
        let outsider = app.login("member3").await;
        expect_error(outsider.get(&format!("/api/v1/lessons/{lesson}")).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(outsider.get(first).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(app.anonymous().await.get(first).await, StatusCode::UNAUTHORIZED, "unauthenticated").await;
        // The deck is reached through this lesson only: not through a lesson
        // without one, not outside its outputs, not through the library.
        let rel = first.strip_prefix(&deck_prefix).expect("relative path");
        expect_error(m.get(&format!("/api/v1/lessons/{plain}/deck/{rel}")).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(m.get(&format!("{deck_prefix}../../sources/x")).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(m.get(&format!("/api/v1/media/{deck}/slides")).await, StatusCode::FORBIDDEN, "forbidden").await;
    }

    async fn slide_text_of_a_processed_deck_is_found_by_search(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let deck = processed_deck(&app, &o).await;
        let slides = new_course(&app, &o, BRANCH_1, "课件学习", json!({})).await;
        add_lesson(&o, slides, json!({ "title": "课件", "media_id": deck })).await;
        let mixed = new_course(&app, &o, BRANCH_1, "视频学习", json!({})).await;
        let video = ready_video(&app, BRANCH_1, 60.0).await;
        add_lesson(&o, mixed, json!({ "title": "视频", "media_id": video, "slides_media_id": deck })).await;
        let unrelated = new_course(&app, &o, BRANCH_1, "其他课程", json!({ "summary": "人民" })).await;
        for c in [slides, mixed, unrelated] { publish(&o, c).await; }
        let m = app.login("member").await;

        assert_eq!(search(&m, "为人民服务").await, vec![mixed, slides], "slide 2, in both decks");
        assert_eq!(search(&m, "中国共产党党课").await, vec![mixed, slides], "slide 1");
        assert_eq!(search(&m, "人民 服务").await, vec![mixed, slides], "two-character words");
        assert_eq!(search(&m, "人民").await, vec![unrelated, mixed, slides]);
        assert_eq!(search(&app.login("member3").await, "为人民服务").await, Vec::<i64>::new());
    }
}
