//! In headless Chromium, against the real server: an organizer assigns a
//! course to the members of their branch through the form (node, course,
//! role, due day), sees the assignment page with its members, moves the due
//! day; `member` finds the course required in "my learning" by that day;
//! another branch's organizer gets "not found"; the organizer deletes it.
//! Both pages fit a 360 px phone.

use anyhow::Context;
use dangxiao_tests::api::Api;
use dangxiao_tests::browser::{appear, attr, log_in, screenshots, wait_for_hydration, wait_until, Browser};
use dangxiao_tests::Server;
use reqwest::Method;
use serde_json::json;
use thirtyfour::prelude::*;

const COURSE: &str = "党史学习教育专题";

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

/// Types a date into a date input the way a picker does (typing into one
/// depends on the browser's locale).
async fn set_date(driver: &WebDriver, id: &str, day: &str) -> WebDriverResult<()> {
    let script = format!(
        "const e = document.getElementById('{id}'); e.value = '{day}'; \
         e.dispatchEvent(new Event('input', {{ bubbles: true }}));"
    );
    run(driver, &script).await.map(|_| ())
}

/// The date `offset` days from today in the platform's zone (UTC+8).
fn day(offset: i64) -> String {
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    (today + chrono::Duration::days(offset)).format("%Y-%m-%d").to_string()
}

/// `day(offset)` as the Chinese pages write it: "2026年12月7日".
fn zh_day(offset: i64) -> String {
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    (today + chrono::Duration::days(offset)).format("%Y年%-m月%-d日").to_string()
}

async fn fits_a_phone(driver: &WebDriver, shot: &str) -> anyhow::Result<()> {
    driver.set_window_rect(0, 0, 360, 740).await?;
    driver.refresh().await?;
    wait_for_hydration(driver).await?;
    assert!(overflow(driver).await? <= 0, "{shot} overflows a 360 px screen");
    driver.screenshot(&screenshots().join(shot)).await?;
    driver.set_window_rect(0, 0, 1280, 900).await?;
    Ok(())
}

#[tokio::test]
async fn an_organizer_assigns_a_course_and_the_member_finds_it_required() -> anyhow::Result<()> {
    let server = Server::start()?;
    let organizer = Api::login(&server.base, "organizer", "dangxiao-demo").await?;
    let org = organizer.my_org().await?;
    let course = organizer.post("/api/v1/courses", json!({ "org_id": org, "title": COURSE })).await?["id"]
        .as_i64()
        .context("course id")?;
    organizer
        .post(
            &format!("/api/v1/courses/{course}/lessons"),
            json!({ "title": "第一讲", "article": "## 学习\n\n正文。" }),
        )
        .await?;
    organizer.post(&format!("/api/v1/courses/{course}/publish"), json!({})).await?;

    let browser = Browser::open().await?;
    let driver = &browser.driver;
    let outcome = async {
        log_in(driver, &server.base, "organizer", "/assignments").await?;
        wait_for_hydration(driver).await?;
        assert_eq!(driver.find(By::Id("nav-assignments")).await?.text().await?, "课程指派");
        appear(driver, By::Css(format!("#assignment-course option[value='{course}']"))).await?.click().await?;
        // The branch itself is the target to begin with; narrowed to
        // learners who are full members (not the activist, not the secretary).
        let branch = driver.find(By::Css(format!("#target-orgs input[value='{org}']"))).await?;
        assert!(branch.is_selected().await?);
        driver.find(By::Css("#target input[name='target-role'][value='member']")).await?.click().await?;
        driver.find(By::Css("#target input[name='target-standing'][value='full']")).await?.click().await?;
        set_date(driver, "assignment-due", &day(30)).await?;
        driver.screenshot(&screenshots().join("assignments-form.png")).await?;
        driver.find(By::Id("assignment-submit")).await?.click().await?;

        wait_until(driver, "the assignment page", || async {
            Ok(attr(driver, "count-members", "data-count").await?.is_some())
        })
        .await?;
        let id: i64 = driver.current_url().await?.path().trim_start_matches("/assignments/").parse()?;
        wait_for_hydration(driver).await?;
        assert_eq!(attr(driver, "count-members", "data-count").await?.as_deref(), Some("2"));
        assert_eq!(driver.find(By::Id("assignment-title")).await?.text().await?, COURSE);
        for login in ["member", "member2"] {
            driver.find(By::Css(format!("#assignment-members li[data-login='{login}']"))).await?;
        }
        assert!(driver.find(By::Id("assignment-target")).await?.text().await?.contains("仅正式党员"));

        // The due day moves.
        set_date(driver, "assignment-new-due", &day(20)).await?;
        driver.find(By::Id("assignment-due-submit")).await?.click().await?;
        wait_until(driver, "the new due day", || async {
            Ok(driver.find(By::Id("assignment-due-on")).await?.text().await? == day(20))
        })
        .await?;
        fits_a_phone(driver, "assignment-page-360.png").await?;
        driver.goto(format!("{}/assignments", server.base)).await?;
        let list = appear(driver, By::Id("assignments")).await?.text().await?;
        assert!(list.contains(COURSE) && list.contains("已完成 0/2 人"), "{list}");
        fits_a_phone(driver, "assignments-360.png").await?;
        log_out(driver).await?;

        // Another branch's organizer: not found.
        let other = Api::login(&server.base, "organizer2", "dangxiao-demo").await?;
        let r = other.request(Method::GET, &format!("/api/v1/assignments/{id}")).send().await?;
        assert_eq!(r.status().as_u16(), 404);

        // The member: required, by the assignment's day, said to be the assignment's.
        log_in(driver, &server.base, "member", "/learning").await?;
        wait_for_hydration(driver).await?;
        let required = driver.find(By::Id("required")).await?.text().await?;
        let due = format!("截止 {}（任务）", zh_day(20));
        assert!(required.contains(COURSE) && required.contains(&due), "{due} in {required}");
        log_out(driver).await?;

        // The organizer deletes it, in two steps.
        log_in(driver, &server.base, "organizer", &format!("/assignments/{id}")).await?;
        wait_for_hydration(driver).await?;
        driver.find(By::Id("assignment-delete")).await?.click().await?;
        appear(driver, By::Id("assignment-delete-confirm")).await?.click().await?;
        wait_until(driver, "the list again", || async { Ok(driver.current_url().await?.path() == "/assignments") })
            .await?;
        let r = organizer.request(Method::GET, &format!("/api/v1/assignments/{id}")).send().await?;
        assert_eq!(r.status().as_u16(), 404);
        Ok::<_, anyhow::Error>(())
    }
    .await;
    browser.close(outcome, "assignments").await
}
