//! In headless Chromium, against the real server and media transcoded by
//! its worker: a member finds the course, plays a video lesson over HLS
//! (heartbeats are stored), seeks inside what was watched (allowed) and
//! beyond it (refused), reloads and resumes where they were, does it again
//! on a 360×740 phone screen, and pages through a slide deck with
//! per-slide progress, and reads an article (its outline, its questions and
//! answers, reading time credited). A member outside the course's audience gets neither
//! the catalog entry nor the lesson page.

use std::time::Duration;

use anyhow::Context;
use dangxiao_tests::api::Api;
use dangxiao_tests::browser::{
    appear, attr, log_in, screenshots, wait_for_hydration, wait_for_player, wait_until, Browser,
};
use dangxiao_tests::Server;
use serde_json::{json, Value};
use thirtyfour::prelude::*;

/// The player's state: `[currentTime, paused]`.
async fn player(driver: &WebDriver) -> WebDriverResult<(f64, bool)> {
    let v = driver
        .execute("const v = document.getElementById('player'); return [v.currentTime, v.paused];", vec![])
        .await?;
    let v = v.json();
    Ok((v[0].as_f64().unwrap_or(-1.0), v[1].as_bool().unwrap_or(true)))
}

async fn run(driver: &WebDriver, script: &str) -> WebDriverResult<()> {
    driver.execute(script, vec![]).await.map(drop)
}

async fn play_until(driver: &WebDriver, seconds: f64) -> WebDriverResult<()> {
    run(driver, "const v = document.getElementById('player'); v.muted = true; v.play();").await?;
    wait_until(driver, &format!("playback past {seconds} s"), || async { Ok(player(driver).await?.0 >= seconds) })
        .await?;
    run(driver, "document.getElementById('player').pause();").await
}

/// The member's stored progress in `lesson`, as the API reports it.
async fn progress(member: &Api, lesson: i64) -> anyhow::Result<Value> {
    member.get(&format!("/api/v1/lessons/{lesson}/progress")).await
}

async fn wait_stored(member: &Api, lesson: i64, what: &str, check: impl Fn(&Value) -> bool) -> anyhow::Result<Value> {
    for _ in 0..150 {
        let p = progress(member, lesson).await?;
        if check(&p) {
            return Ok(p);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    anyhow::bail!("the server never stored {what}: {}", progress(member, lesson).await?)
}

fn watched_until(p: &Value) -> f64 {
    p["watched"].as_array().and_then(|w| w.first()).and_then(|r| r[1].as_f64()).unwrap_or(0.0)
}

async fn overflow(driver: &WebDriver) -> WebDriverResult<i64> {
    let v = driver
        .execute("return document.documentElement.scrollWidth - document.documentElement.clientWidth;", vec![])
        .await?;
    Ok(v.json().as_i64().unwrap_or(1))
}

#[tokio::test]
async fn a_member_studies_a_video_lesson_and_a_slide_deck() -> anyhow::Result<()> {
    let server = Server::start()?;
    let organizer = Api::login(&server.base, "organizer", "dangxiao-demo").await?;
    let org = organizer.my_org().await?;
    let video = organizer.upload_fixture(org, "media/Big_Buck_Bunny_180_10s.webm").await?;
    let deck = organizer.upload_fixture(org, "slides/chinese-2-slides.pptx").await?;
    organizer.wait_processed(video).await?;
    organizer.wait_processed(deck).await?;
    let course = organizer
        .post("/api/v1/courses", json!({ "org_id": org, "title": "党章学习专题", "summary": "学习党章，遵守党章。" }))
        .await?["id"]
        .as_i64()
        .context("course id")?;
    let lessons = format!("/api/v1/courses/{course}/lessons");
    let video_lesson = organizer.post(&lessons, json!({ "title": "第一讲", "media_id": video })).await?["id"]
        .as_i64()
        .context("id")?;
    let deck_lesson = organizer.post(&lessons, json!({ "title": "第二讲 课件", "media_id": deck })).await?["id"]
        .as_i64()
        .context("id")?;
    let article = "## 一、为什么要学党章\n\n党章是党的根本大法。\n\n\
                   <details><summary>问：什么是“三会一课”？</summary>\n\n答：支部党员大会、支委会、党小组会和党课。\n\n</details>\n\n\
                   ## 二、怎样学\n\n逐章学习，联系实际。\n";
    let article_lesson = organizer.post(&lessons, json!({ "title": "第三讲 导读", "article": article })).await?["id"]
        .as_i64()
        .context("id")?;
    organizer.post(&format!("/api/v1/courses/{course}/publish"), json!({})).await?;
    let member = Api::login(&server.base, "member", "dangxiao-demo").await?;

    let browser = Browser::open().await?;
    let driver = &browser.driver;
    let shots = screenshots();
    let outcome = async {
        log_in(driver, &server.base, "member", "/courses").await?;
        let list = appear(driver, By::Id("courses")).await?.text().await?;
        assert!(list.contains("党章学习专题"), "the catalog lists the course: {list}");
        driver.find(By::LinkText("党章学习专题")).await?.click().await?;
        appear(driver, By::Id("lessons")).await?;
        driver.screenshot(&shots.join("course.png")).await?;

        // Play over HLS; the heartbeats reach the database.
        driver.goto(format!("{}/lessons/{video_lesson}", server.base)).await?;
        wait_for_hydration(driver).await?;
        wait_for_player(driver).await?;
        play_until(driver, 4.0).await?;
        let stored = wait_stored(&member, video_lesson, "the watched part", |p| watched_until(p) >= 3.0).await?;
        assert!(stored["percent"].as_u64().unwrap_or(0) >= 30, "{stored}");
        wait_until(driver, "the page's progress", || async {
            Ok(attr(driver, "lesson-progress", "data-percent").await?.and_then(|p| p.parse::<u32>().ok()) >= Some(30))
        })
        .await?;

        // Seeking inside the watched part is free…
        run(driver, "document.getElementById('player').currentTime = 1.0;").await?;
        wait_until(driver, "the seek to 1 s", || async { Ok((player(driver).await?.0 - 1.0).abs() < 0.3) }).await?;
        // …beyond it, on first viewing, is refused.
        run(driver, "document.getElementById('player').currentTime = 9.0;").await?;
        wait_until(driver, "the refusal", || async { Ok(attr(driver, "lesson-notice", "hidden").await?.is_none()) })
            .await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let (at, _) = player(driver).await?;
        assert!(at < 5.0, "a seek past the watched part went through, to {at} s");
        assert!(watched_until(&progress(&member, video_lesson).await?) < 8.0, "nothing past 8 s is credited");
        driver.screenshot(&shots.join("lesson-video.png")).await?;

        // Play on, stop, reload: the lesson resumes where it stopped.
        play_until(driver, 3.0).await?;
        let stopped = player(driver).await?.0;
        wait_stored(&member, video_lesson, "the position", |p| {
            (p["position"].as_f64().unwrap_or(0.0) - stopped).abs() < 0.5
        })
        .await?;
        driver.refresh().await?;
        wait_for_hydration(driver).await?;
        wait_for_player(driver).await?;
        // No video is fetched before the member presses play; then it
        // starts where it stopped, not from the beginning.
        run(driver, "const v = document.getElementById('player'); v.muted = true; v.play();").await?;
        wait_until(driver, "playback after the reload", || async { Ok(player(driver).await?.0 > 0.0) }).await?;
        let resumed = player(driver).await?.0;
        assert!((resumed - stopped).abs() < 1.0, "resumed at {resumed} s, stopped at {stopped} s");
        run(driver, "document.getElementById('player').pause();").await?;

        // The same on a phone screen.
        driver.set_window_rect(0, 0, 360, 740).await?;
        driver.refresh().await?;
        wait_for_hydration(driver).await?;
        wait_for_player(driver).await?;
        let before = player(driver).await?.0;
        play_until(driver, before + 2.0).await?;
        assert!(overflow(driver).await? <= 0, "the lesson page overflows a 360 px screen");
        driver.screenshot(&shots.join("lesson-video-360.png")).await?;
        driver.set_window_rect(0, 0, 1280, 900).await?;

        // A slide deck: buttons and keys, per-slide progress, text for screen readers.
        driver.goto(format!("{}/lessons/{deck_lesson}", server.base)).await?;
        wait_for_hydration(driver).await?;
        let counter = driver.find(By::Id("slide-counter")).await?;
        assert_eq!(counter.text().await?, "第 1 / 2 页");
        let text = driver.find(By::Id("slide-text")).await?.prop("textContent").await?.unwrap_or_default();
        assert!(text.chars().count() > "本页文字: ".chars().count(), "slide text for screen readers: {text:?}");
        // The course's rule: each slide shown at least 5 s.
        tokio::time::sleep(Duration::from_secs(6)).await;
        driver.find(By::Id("slide-next")).await?.click().await?;
        wait_until(driver, "the second slide", || async { Ok(counter.text().await? == "第 2 / 2 页") }).await?;
        wait_until(driver, "the first slide to count", || async {
            let dots = driver.find_all(By::Css("#slide-dots li.done")).await?;
            Ok(dots.len() == 1)
        })
        .await?;
        let stored = progress(&member, deck_lesson).await?;
        assert!(stored["slide_seconds"][0].as_f64().unwrap_or(0.0) >= 5.0, "{stored}");
        driver.find(By::Id("slides")).await?.send_keys(Key::Left).await?;
        wait_until(driver, "the first slide again", || async { Ok(counter.text().await? == "第 1 / 2 页") }).await?;
        driver.set_window_rect(0, 0, 360, 740).await?;
        assert!(overflow(driver).await? <= 0, "the slide viewer overflows a 360 px screen");
        driver.screenshot(&shots.join("lesson-slides-360.png")).await?;

        // An article: its outline, its Q&A, reading time credited.
        driver.goto(format!("{}/lessons/{article_lesson}", server.base)).await?;
        wait_for_hydration(driver).await?;
        let outline = driver.find(By::Id("article-outline")).await?.text().await?;
        assert!(outline.contains("一、为什么要学党章") && outline.contains("二、怎样学"), "{outline}");
        let qa = driver.find(By::Css("#article details summary")).await?.text().await?;
        assert_eq!(qa, "问：什么是“三会一课”？");
        let read = wait_stored(&member, article_lesson, "reading time", |p| {
            p["visible_seconds"].as_f64().unwrap_or(0.0) > 0.0
        })
        .await?;
        assert!(read["visible_seconds"].as_f64().unwrap_or(0.0) <= 20.0, "{read}");
        driver.screenshot(&shots.join("lesson-article-360.png")).await?;

        // Outside the audience: no catalog entry, no lesson page.
        let outsider = Api::login(&server.base, "member3", "dangxiao-demo").await?;
        let visible = outsider.get("/api/v1/courses").await?;
        assert!(visible.as_array().is_some_and(|c| c.iter().all(|c| c["id"] != course)), "{visible}");
        driver.delete_all_cookies().await?;
        log_in(driver, &server.base, "member3", "/courses").await?;
        driver.goto(format!("{}/lessons/{video_lesson}", server.base)).await?;
        let notice = appear(driver, By::Css("main .notice.error")).await?;
        assert_eq!(notice.attr("data-code").await?.as_deref(), Some("not_found"));
        assert!(driver.find_all(By::Id("player")).await?.is_empty());
        anyhow::Ok(())
    }
    .await;
    browser.close(outcome, "study").await
}
