//! A member on a 360 px phone, in headless Chromium against the real
//! server: the home page's "继续学习" opens the lesson they last studied
//! (not merely the first unfinished one), the course page marks each lesson
//! and continues there too, and the 学时 receipt fits the screen with
//! nothing hidden sideways. Progress is recorded through the API first, as
//! the lesson page would send it.

use std::time::Duration;

use anyhow::Context;
use dangxiao_tests::api::Api;
use dangxiao_tests::browser::{appear, log_in, screenshots, wait_until, Browser};
use dangxiao_tests::Server;
use serde_json::{json, Value};
use thirtyfour::prelude::*;

/// Opens the article lesson and reports `seconds` of reading after as much
/// wall-clock time, in one heartbeat, as the lesson page does; then, if
/// `hidden_ms` > 0, that much time with the page in the background (not
/// credited, and worth a note on the receipt).
async fn read_for(member: &Api, lesson: i64, seconds: u64, hidden_ms: u64) -> anyhow::Result<()> {
    let session = member.post(&format!("/api/v1/lessons/{lesson}/sessions"), json!({})).await?;
    let id = session["session_id"].as_str().context("session id")?.to_owned();
    tokio::time::sleep(Duration::from_millis(seconds * 1000 + 150)).await;
    let beat = json!({ "session_id": id, "lesson_id": lesson, "seq": 1, "position": 0.2, "visible": true,
                       "idle_seconds": 1, "visible_seconds": seconds });
    member.post("/api/v1/heartbeats", beat).await?;
    if hidden_ms > 0 {
        tokio::time::sleep(Duration::from_millis(hidden_ms)).await;
        let beat = json!({ "session_id": id, "lesson_id": lesson, "seq": 2, "position": 0.2, "visible": false,
                           "idle_seconds": 1, "visible_seconds": hidden_ms as f64 / 1000.0 });
        let ack = member.post("/api/v1/heartbeats", beat).await?;
        anyhow::ensure!(ack["discarded"][0]["reason"] == "page_hidden", "{ack}");
    }
    Ok(())
}

/// How far content inside `<main>` reaches past the viewport's right edge,
/// and the page's sideways overflow, in px (neither above 0 when
/// everything fits). The viewport is the width left of the scrollbar, which
/// headless Chromium draws (a phone's overlays the page).
async fn overflow(driver: &WebDriver) -> anyhow::Result<(i64, i64)> {
    let v = driver
        .execute(
            "const w = Math.min(window.innerWidth, document.documentElement.clientWidth); let worst = 0; \
             for (const e of document.querySelectorAll('main *')) { \
               const r = e.getBoundingClientRect(); \
               if (r.width > 0 && r.right - w > worst) worst = Math.ceil(r.right - w); } \
             return [worst, document.documentElement.scrollWidth - w];",
            vec![],
        )
        .await?;
    let a = v.json().as_array().context("two numbers")?.clone();
    Ok((a[0].as_i64().unwrap_or(i64::MAX), a[1].as_i64().unwrap_or(i64::MAX)))
}

/// Screenshots at 360x780 and 1280x800, scrolled to the element `at`.
async fn shoot(driver: &WebDriver, name: &str, at: &str) -> anyhow::Result<()> {
    for (w, h, size) in [(360, 780, "360"), (1280, 800, "1280")] {
        driver.set_window_rect(0, 0, w, h).await?;
        driver.execute(&format!("document.getElementById('{at}').scrollIntoView();"), vec![]).await?;
        tokio::time::sleep(Duration::from_millis(200)).await;
        driver.screenshot(&screenshots().join(format!("continue-{name}-{size}.png"))).await?;
    }
    driver.set_window_rect(0, 0, 360, 780).await?;
    Ok(())
}

#[tokio::test]
async fn continue_studying_opens_the_last_lesson_and_the_receipt_fits_a_phone() -> anyhow::Result<()> {
    let server = Server::start()?;
    let organizer = Api::login(&server.base, "organizer", "dangxiao-demo").await?;
    let org = organizer.my_org().await?;
    let course = organizer
        .post(
            "/api/v1/courses",
            json!({ "org_id": org, "title": "深入学习贯彻党的二十大精神专题课程", "required": true }),
        )
        .await?["id"]
        .as_i64()
        .context("course id")?;
    let settings = json!({ "title": "深入学习贯彻党的二十大精神专题课程", "summary": "逐讲学习。", "required": true,
                           "credit_hours": 2.0, "due_on": "2099-12-31", "audience": { "orgs": [org] } });
    let r =
        organizer.request(reqwest::Method::PUT, &format!("/api/v1/courses/{course}")).json(&settings).send().await?;
    anyhow::ensure!(r.status().is_success(), "settings: {}", r.text().await?);
    let text = format!(
        "## 一、学习党章\n\n坚持和发展中国特色社会主义，必须全面从严治党。\n\n## 二、遵守党章\n\n{}",
        "党员必须自觉遵守党的纪律，首先是政治纪律和政治规矩。".repeat(60)
    );
    let mut lessons = Vec::new();
    for title in ["第一讲 总纲", "第二讲 党员的义务和权利", "第三讲 坚定不移走中国特色社会主义政治发展道路"]
    {
        let lesson = organizer
            .post(&format!("/api/v1/courses/{course}/lessons"), json!({ "title": title, "article": text }))
            .await?;
        lessons.push(lesson["id"].as_i64().context("lesson id")?);
    }
    organizer.post(&format!("/api/v1/courses/{course}/publish"), json!({})).await?;

    // The member read a little of the first lesson, then of the third: the
    // third is where to continue, though the second is the first unfinished.
    let member = Api::login(&server.base, "member", "dangxiao-demo").await?;
    read_for(&member, lessons[0], 2, 1500).await?;
    read_for(&member, lessons[2], 2, 0).await?;
    let next = member.get("/api/v1/me/next-lesson").await?;
    assert_eq!(next["next"]["lesson_id"].as_i64(), Some(lessons[2]), "{next}");

    let browser = Browser::open().await?;
    let driver = &browser.driver;
    let outcome = async {
        driver.set_window_rect(0, 0, 360, 780).await?;
        log_in(driver, &server.base, "member", "/").await?;
        let card = appear(driver, By::Id("continue")).await?;
        assert_eq!(card.attr("data-lesson-id").await?, Some(lessons[2].to_string()));
        let card_text = card.text().await?;
        assert!(card_text.contains("坚定不移走中国特色社会主义政治发展道路"), "{card_text}");
        assert!(card_text.contains("深入学习贯彻党的二十大精神专题课程"), "{card_text}");
        assert!(card_text.contains("已开始"), "how far they got (two seconds of a long article): {card_text}");
        // One tap, visible without scrolling on the phone.
        let button = driver.find(By::Id("continue-study")).await?;
        let bottom = driver
            .execute("return document.getElementById('continue-study').getBoundingClientRect().bottom;", vec![])
            .await?;
        assert!(bottom.json().as_f64().unwrap_or(f64::MAX) <= 780.0, "the continue button is below the fold");
        let (edge, scroll) = overflow(driver).await?;
        assert!(edge <= 0 && scroll <= 0, "home is wider than the phone: {edge} / {scroll} px");
        shoot(driver, "home", "continue").await?;
        button.click().await?;
        let lesson_path = format!("/lessons/{}", lessons[2]);
        wait_until(driver, "the lesson page", || async { Ok(driver.current_url().await?.path() == lesson_path) })
            .await?;
        appear(driver, By::Id("article")).await?;

        // The course page: each lesson marked in words, and continue there.
        driver.goto(format!("{}/courses/{course}", server.base)).await?;
        let states = driver
            .execute(
                "return [...document.querySelectorAll('#lessons li[data-lesson-id]')].map(li => li.dataset.state);",
                vec![],
            )
            .await?;
        assert_eq!(states.json(), &json!(["in-progress", "not-started", "in-progress"]));
        let marks = driver.find_all(By::Css("#lessons .lesson-mark")).await?;
        assert_eq!(marks[1].text().await?, "未开始");
        assert_eq!(marks[0].text().await?, "已开始", "two seconds of a long article");
        let due = driver.find(By::Id("course-due")).await?.text().await?;
        assert_eq!(due, "截止 2099年12月31日（课程）");
        let go = driver.find(By::Id("course-continue")).await?;
        assert_eq!(go.attr("data-lesson-id").await?, Some(lessons[2].to_string()));
        let (edge, scroll) = overflow(driver).await?;
        assert!(edge <= 0 && scroll <= 0, "the course page is wider than the phone: {edge} / {scroll} px");
        shoot(driver, "course", "course-title").await?;

        // The receipt: a list that fits, labelled columns on a PC.
        driver.goto(format!("{}/learning", server.base)).await?;
        let entries = appear(driver, By::Css("#receipt .receipt-entry")).await?;
        assert!(entries.text().await?.contains("第一讲 总纲"));
        // Time left out is named with its reason, in neutral words.
        let note = driver.find(By::Css("#receipt .receipt-entry.has-note .receipt-note")).await?.text().await?;
        assert!(note.contains("未计入：页面在后台"), "{note}");
        let (edge, scroll) = overflow(driver).await?;
        assert!(edge <= 0 && scroll <= 0, "the receipt is wider than the phone: {edge} / {scroll} px");
        let when = driver.find(By::Css("#receipt .receipt-entry .receipt-when")).await?;
        let (h, line) = driver
            .execute(
                "const e = document.querySelector('#receipt .receipt-when'); \
                 return [e.getBoundingClientRect().height, parseFloat(getComputedStyle(e).lineHeight)];",
                vec![],
            )
            .await
            .map(|v| {
                let a = v.json().as_array().cloned().unwrap_or_default();
                (a.first().and_then(Value::as_f64).unwrap_or(0.0), a.get(1).and_then(Value::as_f64).unwrap_or(1.0))
            })?;
        assert!(h < line * 1.5, "the date and time wrap: {} ({h} px)", when.text().await?);
        shoot(driver, "learning", "receipt").await?;
        driver.set_window_rect(0, 0, 1280, 800).await?;
        let head = driver.find(By::Css("#receipt .receipt-head")).await?;
        assert!(head.is_displayed().await?, "a PC shows the column labels");
        assert!(head.text().await?.contains("计入学习时间"));
        driver.set_window_rect(0, 0, 360, 780).await?;

        // The organizer's home, for the screenshots.
        driver.delete_all_cookies().await?;
        log_in(driver, &server.base, "organizer", "/").await?;
        let (edge, scroll) = overflow(driver).await?;
        assert!(edge <= 0 && scroll <= 0, "the organizer's home is wider than the phone: {edge} / {scroll} px");
        shoot(driver, "organizer-home", "home-greeting").await?;
        anyhow::Ok(())
    }
    .await;
    browser.close(outcome, "phone-member").await
}
