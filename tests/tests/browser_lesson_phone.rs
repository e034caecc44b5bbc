//! The lesson page on a phone. A member on a slow link taps ▶ while the
//! page is still arriving, before its islands are hydrated: playback
//! starts, and the part played before hydration is credited once the page
//! is live. A seek refused during playback is said over the picture and
//! stays readable. A slide's dot fills the moment it has been shown long
//! enough, not at the next heartbeat. Also: Back after logging out shows
//! the login page, not the previous person's page, and an unknown address
//! gets a real not-found page.

use anyhow::Context;
use dangxiao_tests::api::Api;
use dangxiao_tests::browser::{
    appear, capture_console_errors, log_in, screenshots, wait_for_hydration, wait_until, Browser,
};
use dangxiao_tests::network::{chromium_not_waiting, clear_cache, emulate, tap, SLOW};
use dangxiao_tests::{Driver, Server};
use serde_json::{json, Value};
use thirtyfour::prelude::*;

async fn hydrated(driver: &WebDriver) -> WebDriverResult<bool> {
    let v = driver
        .execute("const m = document.querySelector('main'); return !!m && m.dataset.hydrated === 'true';", vec![])
        .await?;
    Ok(v.json().as_bool().unwrap_or(false))
}

async fn current_time(driver: &WebDriver) -> WebDriverResult<f64> {
    let v =
        driver.execute("const v = document.getElementById('player'); return v ? v.currentTime : -1;", vec![]).await?;
    Ok(v.json().as_f64().unwrap_or(-1.0))
}

#[tokio::test]
async fn a_tap_on_play_before_hydration_on_a_slow_link_starts_playback_and_is_credited() -> anyhow::Result<()> {
    let server = Server::start()?;
    let organizer = Api::login(&server.base, "organizer", "dangxiao-demo").await?;
    let org = organizer.my_org().await?;
    let video = organizer.upload_fixture(org, "media/Big_Buck_Bunny_180_10s.webm").await?;
    organizer.wait_processed(video).await?;
    let lesson = organizer.publish_course("弱网学习", &[video]).await?[0];
    let member = Api::login(&server.base, "member", "dangxiao-demo").await?;

    let chromedriver = Driver::start()?;
    let profile = tempfile::tempdir()?;
    let driver = chromium_not_waiting(&chromedriver, profile.path(), 360, 780, &[]).await?;
    capture_console_errors(&driver).await?;
    let outcome = async {
        log_in(&driver, &server.base, "member", "/").await?;
        clear_cache(&driver).await?;
        emulate(&driver, SLOW).await?;
        driver.goto(format!("{}/lessons/{lesson}", server.base)).await?;
        // The member taps as soon as the big ▶ shows.
        let button = appear(&driver, By::Id("play-start")).await?;
        assert!(!hydrated(&driver).await?, "the page was hydrated before the tap: the test proves nothing");
        tap(&driver, &button).await?;
        let tapped_early = !hydrated(&driver).await?;
        assert!(tapped_early, "the tap reached the page only after hydration");
        wait_until(&driver, "playback after the early tap", || async { Ok(current_time(&driver).await? > 1.0) })
            .await?;
        driver.screenshot(&screenshots().join("weak-network-playing-360.png")).await?;

        // Once the page is live, what played before is reported and credited.
        wait_for_hydration(&driver).await?;
        wait_until(&driver, "the island to take over", || async {
            let v =
                driver.execute("return document.getElementById('player').dataset.adopted === 'true';", vec![]).await?;
            Ok(v.json().as_bool().unwrap_or(false))
        })
        .await?;
        wait_until(&driver, "more playback", || async { Ok(current_time(&driver).await? > 4.0) }).await?;
        driver.execute("document.getElementById('player').pause();", vec![]).await?;
        let mut stored = Value::Null;
        for _ in 0..150 {
            stored = member.get(&format!("/api/v1/lessons/{lesson}/progress")).await?;
            let first = stored["watched"].as_array().and_then(|w| w.first()).cloned().unwrap_or(Value::Null);
            if first[0].as_f64().is_some_and(|a| a <= 1.0) && first[1].as_f64().is_some_and(|b| b >= 3.5) {
                return anyhow::Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        anyhow::bail!("the part played before hydration was not credited: {stored}")
    }
    .await;
    if outcome.is_err() {
        let _ = driver.screenshot(&screenshots().join("weak-network-failure.png")).await;
    }
    driver.quit().await?;
    outcome
}

#[tokio::test]
async fn back_after_logout_shows_the_login_page_not_the_previous_persons_page() -> anyhow::Result<()> {
    let server = Server::start()?;
    let browser = Browser::open().await?;
    let driver = &browser.driver;
    let outcome = async {
        log_in(driver, &server.base, "member", "/learning").await?;
        driver.goto(format!("{}/learning", server.base)).await?;
        appear(driver, By::Id("logout")).await?;
        driver.find(By::Id("logout")).await?.click().await?;
        appear(driver, By::Id("login-form")).await?;
        driver.back().await?;
        wait_until(driver, "the login page after Back", || async {
            Ok(driver.find_all(By::Id("login-form")).await?.len() == 1
                && driver.find_all(By::Id("logout")).await?.is_empty())
        })
        .await?;
        let url = driver.current_url().await?;
        assert!(url.path().starts_with("/login"), "Back went to {url}");
        driver.screenshot(&screenshots().join("back-after-logout.png")).await?;
        anyhow::Ok(())
    }
    .await;
    browser.close(outcome, "back-after-logout").await
}

#[tokio::test]
async fn an_unknown_address_shows_a_not_found_page_with_a_way_home() -> anyhow::Result<()> {
    let server = Server::start()?;
    let browser = Browser::open().await?;
    let driver = &browser.driver;
    let outcome = async {
        log_in(driver, &server.base, "member", "/").await?;
        driver.set_window_rect(0, 0, 360, 780).await?;
        driver.goto(format!("{}/courses/no/such/page", server.base)).await?;
        let main = appear(driver, By::Tag("main")).await?.text().await?;
        assert!(main.contains("页面不存在"), "{main}");
        driver.screenshot(&screenshots().join("not-found-360.png")).await?;
        driver.find(By::LinkText("返回首页")).await?.click().await?;
        wait_until(driver, "the home page", || async { Ok(driver.current_url().await?.path() == "/") }).await?;
        anyhow::Ok(())
    }
    .await;
    browser.close(outcome, "not-found").await
}

#[tokio::test]
async fn a_refused_seek_is_said_over_the_playing_video_and_a_slide_dot_fills_at_once() -> anyhow::Result<()> {
    let server = Server::start()?;
    let organizer = Api::login(&server.base, "organizer", "dangxiao-demo").await?;
    let org = organizer.my_org().await?;
    let video = organizer.upload_fixture(org, "media/Big_Buck_Bunny_180_10s.webm").await?;
    let deck = organizer.upload_fixture(org, "slides/chinese-2-slides.pptx").await?;
    organizer.wait_processed(video).await?;
    organizer.wait_processed(deck).await?;
    let lessons = organizer.publish_course("手机学习", &[video, deck]).await?;
    let (video_lesson, deck_lesson) = (lessons[0], lessons[1]);
    let member = Api::login(&server.base, "member", "dangxiao-demo").await?;

    let browser = Browser::open().await?;
    let driver = &browser.driver;
    let outcome = async {
        log_in(driver, &server.base, "member", "/").await?;
        driver.set_window_rect(0, 0, 360, 780).await?;
        driver.goto(format!("{}/lessons/{video_lesson}", server.base)).await?;
        wait_for_hydration(driver).await?;
        driver.execute("const v = document.getElementById('player'); v.muted = true; v.play();", vec![]).await?;
        wait_until(driver, "playback", || async { Ok(current_time(driver).await? > 1.5) }).await?;
        // On first viewing a seek past what was watched is refused…
        driver.execute("document.getElementById('player').currentTime = 9.0;", vec![]).await?;
        wait_until(driver, "the refusal", || async {
            Ok(driver.find(By::Id("lesson-notice")).await?.attr("hidden").await?.is_none())
        })
        .await?;
        // …and said over the picture while it plays on, long enough to read.
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        let shown = driver
            .execute(
                "const n = document.getElementById('lesson-notice'), v = document.getElementById('player'); \
                 const a = n.getBoundingClientRect(), b = v.getBoundingClientRect(); \
                 return [!n.hidden, n.classList.contains('toast'), !v.paused, a.top >= b.top && a.bottom <= b.bottom];",
                vec![],
            )
            .await?;
        assert_eq!(shown.json(), &json!([true, true, true, true]), "notice shown, over the video, while playing");
        driver.screenshot(&screenshots().join("seek-refused-360.png")).await?;
        driver.execute("document.getElementById('player').pause();", vec![]).await?;

        // A slide counts after the course's 5 s; its dot fills then, well
        // before the next periodic heartbeat (every 12 s) would say so.
        driver.goto(format!("{}/lessons/{deck_lesson}", server.base)).await?;
        wait_for_hydration(driver).await?;
        let opened = std::time::Instant::now();
        wait_until(driver, "the first slide's dot", || async {
            Ok(!driver.find_all(By::Css("#slide-dots li.done")).await?.is_empty())
        })
        .await?;
        let after = opened.elapsed().as_secs_f64();
        assert!(after < 9.0, "the dot filled {after:.1} s after the page was live");
        // The server confirms it.
        for _ in 0..50 {
            let p = member.get(&format!("/api/v1/lessons/{deck_lesson}/progress")).await?;
            if p["slide_seconds"][0].as_f64().unwrap_or(0.0) >= 5.0 {
                return anyhow::Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        anyhow::bail!("the server never credited the first slide")
    }
    .await;
    browser.close(outcome, "lesson-phone").await
}

#[tokio::test]
async fn continue_from_home_resumes_the_video_where_the_member_stopped() -> anyhow::Result<()> {
    let server = Server::start()?;
    let organizer = Api::login(&server.base, "organizer", "dangxiao-demo").await?;
    let org = organizer.my_org().await?;
    let video = organizer.upload_fixture(org, "media/Big_Buck_Bunny_180_10s.webm").await?;
    organizer.wait_processed(video).await?;
    let lesson = organizer.publish_course("接着学", &[video]).await?[0];
    // The member watched the first 4 s elsewhere and stopped there.
    let member = Api::login(&server.base, "member", "dangxiao-demo").await?;
    let session = member.post(&format!("/api/v1/lessons/{lesson}/sessions"), json!({})).await?;
    let id = session["session_id"].as_str().context("session id")?.to_owned();
    tokio::time::sleep(std::time::Duration::from_millis(4300)).await;
    let beat = json!({ "session_id": id, "lesson_id": lesson, "seq": 1, "event": "pause", "played": [[0.0, 4.0]],
                       "position": 4.0, "rate": 1.0, "visible": true, "idle_seconds": 1 });
    member.post("/api/v1/heartbeats", beat).await?;
    let stored = member.get(&format!("/api/v1/lessons/{lesson}/progress")).await?;
    anyhow::ensure!(stored["position"].as_f64().is_some_and(|p| p >= 3.9), "position not stored: {stored}");

    let browser = Browser::open().await?;
    let driver = &browser.driver;
    let outcome = async {
        driver.set_window_rect(0, 0, 360, 780).await?;
        log_in(driver, &server.base, "member", "/").await?;
        appear(driver, By::Id("continue-study")).await?.click().await?;
        let path = format!("/lessons/{lesson}");
        wait_until(driver, "the lesson page", || async { Ok(driver.current_url().await?.path() == path) }).await?;
        // One tap on the picture plays, from where the member stopped.
        let button = appear(driver, By::Id("play-start")).await?;
        driver.execute("document.getElementById('player').muted = true;", vec![]).await?;
        button.click().await?;
        wait_until(driver, "playback", || async { Ok(current_time(driver).await? > 0.0) }).await?;
        let at = current_time(driver).await?;
        assert!(at >= 3.5, "the lesson started at {at} s, not where the member stopped (4 s)");
        driver.screenshot(&screenshots().join("continue-video-360.png")).await?;
        anyhow::Ok(())
    }
    .await;
    browser.close(outcome, "continue-video").await
}
