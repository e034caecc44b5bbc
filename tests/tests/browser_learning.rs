//! In headless Chromium, against the real server and media transcoded by
//! its worker: a member searches the catalog in Chinese and filters it,
//! studies a mixed video + slides lesson with captions and an attachment,
//! and finds the required course, this year's 学时 and the receipt in "my
//! learning"; the organizer sees the same lesson as a preview.

use anyhow::Context;
use dangxiao_tests::api::Api;
use dangxiao_tests::browser::{appear, log_in, screenshots, wait_for_hydration, wait_for_player, wait_until, Browser};
use dangxiao_tests::Server;
use reqwest::Method;
use serde_json::{json, Value};
use thirtyfour::prelude::*;

async fn put(api: &Api, path: &str, body: impl Into<reqwest::Body>) -> anyhow::Result<Value> {
    let r = api.request(Method::PUT, path).body(body).send().await?;
    anyhow::ensure!(r.status().is_success(), "PUT {path}: {} {}", r.status(), r.text().await?);
    Ok(r.json().await?)
}

/// Ids of the course cards on the page.
async fn listed(driver: &WebDriver) -> WebDriverResult<Vec<String>> {
    let mut ids = Vec::new();
    for card in driver.find_all(By::Css("#courses .course-card")).await? {
        ids.push(card.attr("data-course-id").await?.unwrap_or_default());
    }
    Ok(ids)
}

#[tokio::test]
async fn a_member_searches_studies_a_mixed_lesson_and_sees_their_learning() -> anyhow::Result<()> {
    let server = Server::start()?;
    let organizer = Api::login(&server.base, "organizer", "dangxiao-demo").await?;
    let org = organizer.my_org().await?;
    let video = organizer.upload_fixture(org, "media/Big_Buck_Bunny_180_10s.webm").await?;
    let deck = organizer.upload_fixture(org, "slides/chinese-2-slides.pptx").await?;
    organizer.wait_processed(video).await?;
    organizer.wait_processed(deck).await?;

    let required = organizer
        .post(
            "/api/v1/courses",
            json!({ "org_id": org, "title": "新党章专题学习", "required": true, "credit_hours": 2.0 }),
        )
        .await?["id"]
        .as_i64()
        .context("course id")?;
    let settings = json!({
        "title": "新党章专题学习", "summary": "逐章学习党章。", "required": true, "credit_hours": 2.0,
        "due_on": "2099-06-30", "audience": { "orgs": [org] }
    });
    let r = organizer.request(Method::PUT, &format!("/api/v1/courses/{required}")).json(&settings).send().await?;
    anyhow::ensure!(r.status().is_success(), "settings: {}", r.text().await?);
    let chapter =
        organizer.post(&format!("/api/v1/courses/{required}/chapters"), json!({ "title": "第一章 总纲" })).await?["id"]
            .as_i64()
            .context("chapter id")?;
    let mixed = organizer
        .post(
            &format!("/api/v1/courses/{required}/lessons"),
            json!({ "title": "总纲讲解（视频+课件）", "media_id": video, "slides_media_id": deck, "chapter_id": chapter }),
        )
        .await?["id"]
        .as_i64()
        .context("lesson id")?;
    let vtt = std::fs::read(dangxiao_tests::workspace_root().join("tests/fixtures/captions/demo-zh.vtt"))?;
    put(&organizer, &format!("/api/v1/lessons/{mixed}/captions.vtt"), vtt).await?;
    put(
        &organizer,
        &format!("/api/v1/lessons/{mixed}/attachments?name=%E5%AD%A6%E4%B9%A0%E6%8F%90%E7%BA%B2.txt"),
        "一、总纲\n",
    )
    .await?;
    let elective = organizer
        .post("/api/v1/courses", json!({ "org_id": org, "title": "红色故事选读", "summary": "革命先辈的故事。" }))
        .await?["id"]
        .as_i64()
        .context("course id")?;
    organizer
        .post(
            &format!("/api/v1/courses/{elective}/lessons"),
            json!({ "title": "故事一", "article": "## 故事\n\n井冈山。" }),
        )
        .await?;
    for id in [required, elective] {
        organizer.post(&format!("/api/v1/courses/{id}/publish"), json!({})).await?;
    }
    let member = Api::login(&server.base, "member", "dangxiao-demo").await?;

    let browser = Browser::open().await?;
    let driver = &browser.driver;
    let shots = screenshots();
    let outcome = async {
        log_in(driver, &server.base, "member", "/courses").await?;
        let mut all = listed(driver).await?;
        all.sort();
        let mut expected = vec![required.to_string(), elective.to_string()];
        expected.sort();
        assert_eq!(all, expected);

        // A two-character Chinese word finds the course by its title; the
        // search is a plain form, so its results have a URL.
        driver.find(By::Id("search-q")).await?.send_keys("党章").await?;
        driver.find(By::Id("search-go")).await?.click().await?;
        wait_until(driver, "the search results", || async { Ok(listed(driver).await? == [required.to_string()]) })
            .await?;
        assert!(driver.current_url().await?.as_str().contains("q=%E5%85%9A%E7%AB%A0"));
        // A word only in the elective's article, and the kind filter.
        driver.goto(format!("{}/courses?q=井冈山", server.base)).await?;
        wait_until(driver, "the article match", || async { Ok(listed(driver).await? == [elective.to_string()]) })
            .await?;
        driver.goto(format!("{}/courses?kind=required", server.base)).await?;
        wait_until(driver, "the required filter", || async { Ok(listed(driver).await? == [required.to_string()]) })
            .await?;
        driver.goto(format!("{}/courses?q=不存在的词语", server.base)).await?;
        appear(driver, By::Id("no-courses")).await?;

        // The course page groups lessons by chapter.
        driver.goto(format!("{}/courses/{required}", server.base)).await?;
        let chapter_heading = driver.find(By::Css(format!("section[data-chapter-id='{chapter}'] h2"))).await?;
        assert_eq!(chapter_heading.text().await?, "第一章 总纲");

        // The mixed lesson: video and slides side by side, captions, attachment.
        driver.goto(format!("{}/lessons/{mixed}", server.base)).await?;
        wait_for_hydration(driver).await?;
        wait_for_player(driver).await?;
        driver.find(By::Css("#mixed #player")).await?;
        let counter = driver.find(By::Css("#mixed #slide-counter")).await?;
        assert_eq!(counter.text().await?, "第 1 / 2 页");
        driver.find(By::Id("slide-next")).await?.click().await?;
        wait_until(driver, "the second slide", || async { Ok(counter.text().await? == "第 2 / 2 页") }).await?;
        let track = driver.find(By::Css("#player track")).await?;
        assert_eq!(track.attr("kind").await?.as_deref(), Some("captions"));
        let cues = driver
            .execute(
                "const t = document.getElementById('player').textTracks[0]; t.mode = 'showing'; \
                 return new Promise(r => setTimeout(() => r(t.cues ? t.cues.length : -1), 1500));",
                vec![],
            )
            .await?;
        assert_eq!(cues.json().as_i64(), Some(3), "the browser read the three captions");
        let link = driver.find(By::Css("#attachments a")).await?;
        assert_eq!(link.text().await?, "学习提纲.txt");
        assert!(driver.find_all(By::Id("preview-banner")).await?.is_empty(), "members see no preview banner");
        driver.execute("const v = document.getElementById('player'); v.muted = true; v.play();", vec![]).await?;
        wait_until(driver, "playback", || async {
            let t = driver.execute("return document.getElementById('player').currentTime;", vec![]).await?;
            Ok(t.json().as_f64().unwrap_or(0.0) >= 3.0)
        })
        .await?;
        driver.execute("document.getElementById('player').pause();", vec![]).await?;
        driver.screenshot(&shots.join("lesson-mixed.png")).await?;
        driver.set_window_rect(0, 0, 360, 740).await?;
        let overflow = driver
            .execute("return document.documentElement.scrollWidth - document.documentElement.clientWidth;", vec![])
            .await?;
        assert!(overflow.json().as_i64().unwrap_or(1) <= 0, "the mixed lesson overflows a 360 px screen");
        driver.screenshot(&shots.join("lesson-mixed-360.png")).await?;
        driver.set_window_rect(0, 0, 1280, 900).await?;
        // Wait until the heartbeats are in, so the receipt has lines.
        for _ in 0..100 {
            let receipt = member.get("/api/v1/study/receipt").await?;
            if receipt["lines"].as_array().is_some_and(|l| !l.is_empty()) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }

        // My learning: the required course with its due date, the year's
        // hours against the target, the receipt.
        driver.goto(format!("{}/learning", server.base)).await?;
        let section = driver.find(By::Id("required")).await?;
        let card = section.find(By::Css(format!(".course-card[data-course-id='{required}']"))).await?;
        assert!(card.text().await?.contains("截止 2099年6月30日（课程）"), "the course's own due date, named as such");
        assert!(driver.find(By::Css(format!("#in-progress .course-card[data-course-id='{elective}']"))).await.is_err());
        assert_eq!(driver.find(By::Id("hours")).await?.attr("data-target").await?.as_deref(), Some("32"));
        let rows = driver.find_all(By::Css("#receipt .receipt-entry")).await?;
        assert!(!rows.is_empty(), "the receipt lists what was studied");
        assert!(rows[0].text().await?.contains("总纲讲解"));
        driver.set_window_rect(0, 0, 360, 740).await?;
        driver.screenshot(&shots.join("learning-360.png")).await?;
        driver.set_window_rect(0, 0, 1280, 900).await?;

        // The organizer opens the same lesson as a preview.
        driver.delete_all_cookies().await?;
        log_in(driver, &server.base, "organizer", &format!("/lessons/{mixed}")).await?;
        appear(driver, By::Id("preview-banner")).await?;
        anyhow::Ok(())
    }
    .await;
    browser.close(outcome, "learning").await
}
