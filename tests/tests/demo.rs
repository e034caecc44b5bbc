//! The quick start's demo course: `serve --demo` processes its media with
//! the real pipeline on first start and publishes it for 第一党支部, so the
//! demo member can study it at once.

use std::time::Duration;

use dangxiao_tests::api::Api;
use dangxiao_tests::Server;
use serde_json::Value;

#[tokio::test]
async fn the_demo_course_is_processed_and_published_on_first_start() -> anyhow::Result<()> {
    let server = Server::start_with(&[("DANGXIAO_DEMO_COURSE", "true")])?;
    let member = Api::login(&server.base, "member", "dangxiao-demo").await?;
    let mut course = Value::Null;
    for _ in 0..600 {
        let list = member.get("/api/v1/courses").await?;
        if let Some(c) = list.as_array().and_then(|l| l.first()) {
            course = c.clone();
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(course["title"], "学习党章 做合格党员（演示课程）", "no demo course: {course}");
    assert_eq!(course["published"], true);
    assert_eq!(course["required"], true);
    assert!(course["due_on"].as_str().is_some_and(|d| d.ends_with("-12-31")), "{course}");
    assert_eq!(course["chapters"].as_array().map(Vec::len), Some(2), "{course}");
    let kinds: Vec<&str> =
        course["lessons"].as_array().map(|l| l.iter().filter_map(|l| l["kind"].as_str()).collect()).unwrap_or_default();
    assert_eq!(kinds, ["video", "audio", "video", "slides", "article"]);
    // Every lesson opens for the member with its material ready.
    for lesson in course["lessons"].as_array().into_iter().flatten() {
        let id = lesson["id"].as_i64().unwrap_or_default();
        let page = member.get(&format!("/api/v1/lessons/{id}")).await?;
        let mixed = lesson["slides_media_id"].is_i64();
        match lesson["kind"].as_str() {
            Some("video") if mixed => {
                assert!(page["playlist_url"].is_string(), "{page}");
                let slides = page["slides"].as_array().cloned().unwrap_or_default();
                assert_eq!(slides.len(), 2, "{page}");
                let image =
                    member.request(reqwest::Method::GET, slides[0]["small_url"].as_str().unwrap_or("")).send().await?;
                assert_eq!(image.status(), 200, "the companion deck's images are served to the audience");
            }
            Some("video" | "audio") => assert!(page["playlist_url"].is_string(), "{page}"),
            Some("slides") => assert_eq!(page["slides"].as_array().map(Vec::len), Some(2), "{page}"),
            _ => assert!(page["article"]["outline"].as_array().is_some_and(|o| o.len() >= 3), "{page}"),
        }
    }
    // The first video has Chinese captions.
    let first = course["lessons"][0]["id"].as_i64().unwrap_or_default();
    let page = member.get(&format!("/api/v1/lessons/{first}")).await?;
    let captions = page["captions_url"].as_str().unwrap_or_default().to_owned();
    let vtt = member.request(reqwest::Method::GET, &captions).send().await?.text().await?;
    assert!(vtt.starts_with("WEBVTT") && vtt.contains("党章"), "{vtt}");
    // The member finds it by a two-character word and sees it as required in "my learning".
    let found = member.get("/api/v1/courses?q=%E5%85%9A%E7%AB%A0").await?;
    assert_eq!(found.as_array().map(Vec::len), Some(1), "{found}");
    let learning = member.get("/api/v1/me/learning").await?;
    assert_eq!(learning["required"][0]["id"], course["id"], "{learning}");
    // Outside 第一党支部's line the course does not exist.
    let outsider = Api::login(&server.base, "member3", "dangxiao-demo").await?;
    assert_eq!(outsider.get("/api/v1/courses").await?, serde_json::json!([]));
    Ok(())
}
