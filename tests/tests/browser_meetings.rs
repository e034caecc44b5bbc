//! In headless Chromium, against the real server and media transcoded by
//! its worker: an organizer records a 党课 through the meeting form with
//! `member` absent (and changes someone's attendance on the meeting page);
//! `member` finds the make-up task first on the home page, opens its video
//! lesson and watches it to the end; the meeting page then shows `member`
//! as made up and nobody missing. An organizer of another branch gets "not
//! found" for that meeting.

use std::time::Duration;

use anyhow::Context;
use dangxiao_tests::api::Api;
use dangxiao_tests::browser::{
    appear, attr, log_in, screenshots, wait_for_hydration, wait_for_player, wait_until, Browser,
};
use dangxiao_tests::Server;
use reqwest::Method;
use serde_json::json;
use thirtyfour::prelude::*;

const TOPIC: &str = "学习新修订的党章";

async fn run(driver: &WebDriver, script: &str) -> WebDriverResult<serde_json::Value> {
    Ok(driver.execute(script, vec![]).await?.json().clone())
}

async fn overflow(driver: &WebDriver) -> WebDriverResult<i64> {
    let v = run(driver, "return document.documentElement.scrollWidth - document.documentElement.clientWidth;").await?;
    Ok(v.as_i64().unwrap_or(1))
}

async fn log_out(driver: &WebDriver) -> WebDriverResult<()> {
    driver.find(By::Id("logout")).await?.click().await?;
    appear(driver, By::Id("login-form")).await?;
    Ok(())
}

/// A `data-count` of the meeting page's tally.
async fn count(driver: &WebDriver, id: &str) -> WebDriverResult<Option<u32>> {
    Ok(attr(driver, id, "data-count").await?.and_then(|c| c.parse().ok()))
}

/// The `data-status` of someone's row on the meeting page.
async fn row_status(driver: &WebDriver, login: &str) -> WebDriverResult<Option<String>> {
    let css = format!("#roster li[data-login='{login}']");
    match driver.find(By::Css(css)).await {
        Ok(row) => row.attr("data-status").await,
        Err(_) => Ok(None),
    }
}

#[tokio::test]
async fn an_absent_member_makes_up_a_meeting_and_the_organizer_sees_it() -> anyhow::Result<()> {
    let server = Server::start()?;
    let organizer = Api::login(&server.base, "organizer", "dangxiao-demo").await?;
    let org = organizer.my_org().await?;
    let video = organizer.upload_fixture(org, "media/Big_Buck_Bunny_180_10s.webm").await?;
    organizer.wait_processed(video).await?;
    let course = organizer
        .post("/api/v1/courses", json!({ "org_id": org, "title": "党章学习专题", "summary": "学习党章。" }))
        .await?["id"]
        .as_i64()
        .context("course id")?;
    let lesson = organizer
        .post(&format!("/api/v1/courses/{course}/lessons"), json!({ "title": "第一讲 党章总纲", "media_id": video }))
        .await?["id"]
        .as_i64()
        .context("lesson id")?;
    organizer.post(&format!("/api/v1/courses/{course}/publish"), json!({})).await?;
    let member = Api::login(&server.base, "member", "dangxiao-demo").await?;

    let browser = Browser::open().await?;
    let driver = &browser.driver;
    let shots = screenshots();
    let outcome = async {
        // The organizer records the meeting: everyone present but `member`.
        log_in(driver, &server.base, "organizer", "/meetings").await?;
        wait_for_hydration(driver).await?;
        let nav = driver.find(By::Id("nav-meetings")).await?.text().await?;
        assert_eq!(nav, "会议");
        appear(driver, By::Css("#meeting-roster li[data-login='member']")).await?;
        appear(driver, By::Css(format!("input.lesson-choice[data-lesson='{lesson}']"))).await?;
        driver.find(By::Css("#meeting-kind option[value='party_lecture']")).await?.click().await?;
        driver.find(By::Id("meeting-topic")).await?.send_keys(TOPIC).await?;
        driver.find(By::Css(format!("input.lesson-choice[data-lesson='{lesson}']"))).await?.click().await?;
        let absent = "#meeting-roster li[data-login='member'] input[value='absent']";
        driver.find(By::Css(absent)).await?.click().await?;
        assert!(driver.find(By::Css(absent)).await?.is_selected().await?);
        // `member` sits in a party group below the branch: the roster
        // includes the whole subtree.
        let roster = driver.find_all(By::Css("#meeting-roster li.attendance-row")).await?.len();
        assert!(roster >= 4, "organizer, member, member2 and activist at least: {roster}");
        driver.screenshot(&shots.join("meetings-record.png")).await?;
        driver.find(By::Id("record-meeting-submit")).await?.click().await?;
        wait_until(driver, "the meeting page", || async { Ok(count(driver, "count-expected").await?.is_some()) })
            .await?;
        let url = driver.current_url().await?;
        let meeting: i64 = url.path().trim_start_matches("/meetings/").parse().context("meeting id in the URL")?;
        wait_for_hydration(driver).await?;
        let expected = count(driver, "count-expected").await?.unwrap_or(0);
        assert_eq!(expected as usize, roster);
        assert_eq!(count(driver, "count-present").await?, Some(expected - 1));
        assert_eq!(count(driver, "count-made-up").await?, Some(0));
        let missing = driver.find(By::Id("missing")).await?.text().await?;
        assert!(missing.contains("李学习"), "member is missing: {missing}");
        let title = driver.find(By::Id("meeting-title")).await?.text().await?;
        assert_eq!(title, format!("党课 · {TOPIC}"));

        // Attendance can be changed on the page, and back.
        driver.find(By::Css("#roster li[data-login='member2'] button[data-status='leave']")).await?.click().await?;
        wait_until(driver, "member2 on leave", || async {
            Ok(row_status(driver, "member2").await?.as_deref() == Some("leave"))
        })
        .await?;
        assert_eq!(count(driver, "count-present").await?, Some(expected - 2));
        driver.find(By::Css("#roster li[data-login='member2'] button[data-status='present']")).await?.click().await?;
        wait_until(driver, "member2 present again", || async {
            Ok(row_status(driver, "member2").await?.as_deref() == Some("present"))
        })
        .await?;
        driver.screenshot(&shots.join("meeting-page.png")).await?;
        driver.goto(format!("{}/meetings", server.base)).await?;
        let list = appear(driver, By::Id("meetings")).await?.text().await?;
        assert!(list.contains(TOPIC), "{list}");
        log_out(driver).await?;

        // Another branch's organizer: not found, in the API and on the page.
        let other = Api::login(&server.base, "organizer2", "dangxiao-demo").await?;
        let r = other.request(Method::GET, &format!("/api/v1/meetings/{meeting}")).send().await?;
        assert_eq!(r.status().as_u16(), 404);
        let r = other.request(Method::GET, &format!("/meetings/{meeting}")).send().await?;
        assert_eq!(r.status().as_u16(), 404);
        log_in(driver, &server.base, "organizer2", &format!("/meetings/{meeting}")).await?;
        let page = appear(driver, By::Tag("main")).await?.text().await?;
        assert!(page.contains("页面不存在"), "{page}");
        assert!(!page.contains(TOPIC), "{page}");
        log_out(driver).await?;

        // The member sees the task first on the home page.
        log_in(driver, &server.base, "member", "/").await?;
        wait_for_hydration(driver).await?;
        let first = run(driver, "return document.querySelector('main .card').id;").await?;
        assert_eq!(first.as_str(), Some("makeups"), "the make-up tasks come first");
        let task = driver.find(By::Css(format!("#makeups-open li.makeup[data-meeting='{meeting}']"))).await?;
        let text = task.text().await?;
        assert!(text.contains("党课") && text.contains(TOPIC) && text.contains("截止"), "{text}");
        driver.screenshot(&shots.join("home-makeups.png")).await?;
        task.find(By::Css(format!("a[href='/lessons/{lesson}']"))).await?.click().await?;

        // …and watches the recording to the end.
        wait_until(driver, "the lesson page", || async {
            Ok(driver.current_url().await?.path() == format!("/lessons/{lesson}"))
        })
        .await?;
        wait_for_hydration(driver).await?;
        wait_for_player(driver).await?;
        run(driver, "const v = document.getElementById('player'); v.muted = true; v.play();").await?;
        wait_until(driver, "the end of the video", || async {
            Ok(run(driver, "return document.getElementById('player').ended;").await?.as_bool() == Some(true))
        })
        .await?;
        let mut completed = false;
        for _ in 0..150 {
            let p = member.get(&format!("/api/v1/lessons/{lesson}/progress")).await?;
            if p["completed"] == true {
                completed = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        assert!(completed, "the server stored the lesson as completed");

        // Home: the task is done, listed after the open ones (none left).
        driver.goto(format!("{}/", server.base)).await?;
        wait_for_hydration(driver).await?;
        driver.find(By::Css(format!("#makeups-done li.makeup[data-meeting='{meeting}'][data-done='true']"))).await?;
        assert!(driver.find_all(By::Css("#makeups-open li")).await?.is_empty());
        driver.set_window_rect(0, 0, 360, 740).await?;
        driver.refresh().await?;
        wait_for_hydration(driver).await?;
        assert!(overflow(driver).await? <= 0, "the home page overflows a 360 px screen");
        driver.screenshot(&shots.join("home-makeups-360.png")).await?;
        driver.set_window_rect(0, 0, 1280, 900).await?;
        log_out(driver).await?;

        // The organizer's page: made up, nobody missing.
        log_in(driver, &server.base, "organizer", &format!("/meetings/{meeting}")).await?;
        wait_for_hydration(driver).await?;
        assert_eq!(count(driver, "count-made-up").await?, Some(1));
        driver.find(By::Id("nobody-missing")).await?;
        let row = driver.find(By::Css("#roster li[data-login='member']")).await?;
        assert_eq!(row.attr("data-made-up").await?.as_deref(), Some("true"));
        assert!(row.text().await?.contains("已补学"));
        driver.screenshot(&shots.join("meeting-made-up.png")).await?;
        driver.set_window_rect(0, 0, 360, 740).await?;
        driver.refresh().await?;
        wait_for_hydration(driver).await?;
        assert!(overflow(driver).await? <= 0, "the meeting page overflows a 360 px screen");
        driver.screenshot(&shots.join("meeting-made-up-360.png")).await?;
        Ok::<_, anyhow::Error>(())
    }
    .await;
    browser.close(outcome, "meetings").await
}
