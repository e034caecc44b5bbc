//! Notices and discussion on a phone (issue 26): an organizer writes a
//! must-read 党务公开 item in the page; an organizer of the node above
//! reviews it and the admin approves it in the page; a member finds it on
//! the home page over a weak link and reads it, then comments on a lesson,
//! and a comment with a listed word waits for moderation until the
//! organizer approves it in the queue; the organizer sees the read rate per
//! node and reminds the unread. Screenshots at 360 × 780 and 1280 × 800.

use anyhow::Context;
use dangxiao_tests::api::Api;
use dangxiao_tests::browser::{appear, capture_console_errors, log_in, screenshots, wait_for_hydration, wait_until};
use dangxiao_tests::network::{chromium_not_waiting, emulate, LOOPBACK, SLOW, WEAK};
use dangxiao_tests::{Driver, Server};
use serde_json::json;
use thirtyfour::prelude::*;

const PASSWORD: &str = "dangxiao-demo";

async fn press(driver: &WebDriver, element: &WebElement) -> anyhow::Result<()> {
    driver.execute("arguments[0].scrollIntoView({ block: 'center' });", vec![element.to_json()?]).await?;
    element.click().await?;
    Ok(())
}

async fn shoot(driver: &WebDriver, name: &str) -> anyhow::Result<()> {
    let shots = screenshots();
    driver.set_window_rect(0, 0, 1280, 800).await?;
    driver.screenshot(&shots.join(format!("notice-{name}-1280.png"))).await?;
    driver.set_window_rect(0, 0, 360, 780).await?;
    driver.screenshot(&shots.join(format!("notice-{name}-360.png"))).await?;
    let wide = driver.execute("return document.documentElement.scrollWidth;", vec![]).await?;
    anyhow::ensure!(wide.json().as_f64().unwrap_or(0.0) <= 360.0, "{name} scrolls sideways at 360 px");
    Ok(())
}

/// Passes the step the notice waits for, in the page.
async fn decide(driver: &WebDriver, note: &str) -> anyhow::Result<()> {
    let pass = appear(driver, By::Id("decision-pass")).await?;
    wait_for_hydration(driver).await?;
    driver.find(By::Id("decision-note")).await?.send_keys(note).await?;
    press(driver, &pass).await?;
    Ok(())
}

#[tokio::test]
async fn a_must_read_openness_item_is_approved_from_above_read_on_a_phone_and_its_read_rate_shown() -> anyhow::Result<()>
{
    let server = Server::start()?;
    // An organizer of 机关党总支, the node above the branch.
    let admin = Api::login(&server.base, "admin", PASSWORD).await?;
    let orgs = admin.get("/api/v1/orgs").await?;
    let general = orgs.as_array().context("orgs")?.iter().find(|o| o["name"] == "机关党总支").context("机关党总支")?
        ["id"]
        .as_i64()
        .context("id")?;
    let created = admin
        .post(
            "/api/v1/people",
            json!({ "login": "13800000077", "name": "孙总支", "role": "organizer", "org_id": general }),
        )
        .await?;
    let initial = created["initial_password"].as_str().context("initial password")?.to_owned();
    let zongzhi = Api::login(&server.base, "13800000077", &initial).await?;
    let changed = zongzhi
        .request(reqwest::Method::PUT, "/api/v1/me/password")
        .json(&json!({ "current_password": initial, "new_password": "zongzhi-secret-1" }))
        .send()
        .await?;
    anyhow::ensure!(changed.status().is_success(), "password change: {}", changed.status());

    // A lesson to discuss, and the admins' word list.
    let secretary = Api::login(&server.base, "organizer", PASSWORD).await?;
    let branch = secretary.my_org().await?;
    let course = secretary.post("/api/v1/courses", json!({ "org_id": branch, "title": "学习党章" })).await?;
    let course = course["id"].as_i64().context("course")?;
    let lesson = secretary
        .post(
            &format!("/api/v1/courses/{course}/lessons"),
            json!({ "title": "第一章 党员", "article": "党员是中国工人阶级的有组织觉悟的先锋战士。" }),
        )
        .await?["id"]
        .as_i64()
        .context("lesson")?;
    secretary.post(&format!("/api/v1/courses/{course}/publish"), json!({})).await?;
    admin.put("/api/v1/sensitive-words", json!({ "words": ["赌博"] })).await?;

    let chromedriver = Driver::start()?;
    let profile = tempfile::tempdir()?;
    let driver = chromium_not_waiting(&chromedriver, profile.path(), 360, 780, &[]).await?;
    capture_console_errors(&driver).await?;
    let shots = screenshots();
    let outcome = async {
        // The branch secretary writes it on a phone, over a 1 Mbit/s link.
        log_in(&driver, &server.base, "organizer", "/manage/notices").await?;
        emulate(&driver, SLOW).await?;
        let form = appear(&driver, By::Id("new-notice")).await?;
        wait_for_hydration(&driver).await?;
        driver.find(By::Id("notice-title-input")).await?.send_keys("2026年第四季度党费收缴情况公示").await?;
        driver
            .find(By::Id("notice-body-input"))
            .await?
            .send_keys("各位党员：\n\n本季度应缴党费的党员**全部按时缴纳**。如有疑问，请联系支部组织委员。")
            .await?;
        press(&driver, &driver.find(By::Id("notice-must-read")).await?).await?;
        press(&driver, &driver.find(By::Id("notice-openness")).await?).await?;
        driver.screenshot(&shots.join("notice-new-360.png")).await?;
        let _ = form;
        press(&driver, &driver.find(By::Id("notice-submit")).await?).await?;
        let notice = appear(&driver, By::Css("#notice[data-state='proposed']")).await?;
        let id: i64 =
            driver.current_url().await?.path().rsplit('/').next().and_then(|s| s.parse().ok()).context("id")?;
        let _ = notice;
        emulate(&driver, LOOPBACK).await?;

        // Reviewed from the node above, then approved by the admin.
        driver.delete_all_cookies().await?;
        driver.goto(format!("{}/login?next=/notices/{id}", server.base)).await?;
        appear(&driver, By::Id("login-form")).await?;
        driver.find(By::Id("login")).await?.send_keys("13800000077").await?;
        driver.find(By::Id("password")).await?.send_keys("zongzhi-secret-1").await?;
        driver.find(By::Id("login-submit")).await?.click().await?;
        decide(&driver, "保密审查：不涉密").await?;
        appear(&driver, By::Css("#notice[data-state='reviewed']")).await?;
        shoot(&driver, "reviewed").await?;
        driver.delete_all_cookies().await?;
        log_in(&driver, &server.base, "admin", &format!("/notices/{id}")).await?;
        decide(&driver, "同意公开").await?;
        appear(&driver, By::Css("#notice[data-state='published']")).await?;
        let steps = driver.find(By::Id("notice-steps")).await?.text().await?;
        assert!(steps.contains("孙总支") && steps.contains("系统管理员") && steps.contains("保密审查"), "{steps}");

        // A member finds it on the home page over a weak link, and reads it.
        driver.delete_all_cookies().await?;
        log_in(&driver, &server.base, "member", "/").await?;
        emulate(&driver, WEAK).await?;
        driver.goto(format!("{}/", server.base)).await?;
        let item = appear(&driver, By::Css(format!("#home-notices li[data-notice='{id}'].unread"))).await?;
        shoot(&driver, "home").await?;
        press(&driver, &item.find(By::Tag("a")).await?).await?;
        appear(&driver, By::Id("notice-read")).await?;
        let body = driver.find(By::Id("notice-body")).await?.text().await?;
        assert!(body.contains("全部按时缴纳"), "{body}");
        shoot(&driver, "read").await?;

        // Still on the weak link, the member comments on a lesson; a comment
        // with a listed word (in traditional characters) waits.
        driver.goto(format!("{}/lessons/{lesson}", server.base)).await?;
        appear(&driver, By::Css("#discussion[data-loaded='true']")).await?;
        driver.find(By::Id("comment-body")).await?.send_keys("学习了，党员要时刻牢记身份。").await?;
        press(&driver, &driver.find(By::Id("comment-submit")).await?).await?;
        appear(&driver, By::Css("li.comment[data-state='published'][data-mine='true']")).await?;
        driver.find(By::Id("comment-body")).await?.send_keys("周末去賭 博吗").await?;
        press(&driver, &driver.find(By::Id("comment-submit")).await?).await?;
        let held = appear(&driver, By::Css("li.comment[data-state='pending']")).await?;
        let why = held.find(By::Css(".comment-held")).await?.attr("data-held-for").await?;
        assert_eq!(why.as_deref(), Some("listed_word"));
        shoot(&driver, "discussion").await?;
        emulate(&driver, LOOPBACK).await?;

        // Another member sees the first comment, not the waiting one.
        driver.delete_all_cookies().await?;
        log_in(&driver, &server.base, "member2", &format!("/lessons/{lesson}")).await?;
        let list = appear(&driver, By::Css("#discussion[data-loaded='true']")).await?;
        let seen = list.text().await?;
        assert!(seen.contains("牢记身份") && !seen.contains("賭"), "{seen}");

        // The secretary approves it in the moderation queue.
        driver.delete_all_cookies().await?;
        log_in(&driver, &server.base, "organizer", "/manage/discussion").await?;
        let item = appear(&driver, By::Css("li.queue-item[data-why='pending']")).await?;
        assert!(item.text().await?.contains("赌博"), "the matched word is shown");
        shoot(&driver, "queue").await?;
        wait_for_hydration(&driver).await?;
        press(&driver, &item.find(By::Css("button[data-action='approve']")).await?).await?;
        appear(&driver, By::Css(".queue-done")).await?;
        let approved = Api::login(&server.base, "member2", PASSWORD).await?;
        let page = approved.get(&format!("/api/v1/lessons/{lesson}/comments")).await?;
        assert!(page.to_string().contains("賭 博"), "published once approved: {page}");

        // The secretary sees who read it, per node, and reminds the rest.
        driver.delete_all_cookies().await?;
        log_in(&driver, &server.base, "organizer", &format!("/notices/{id}")).await?;
        let total = appear(&driver, By::Id("reads-total")).await?.text().await?;
        // The member and the secretary, who opened it himself just now.
        assert!(total.contains("已读 2"), "{total}");
        let group = driver.find(By::Css("#notice-reads li.read-row")).await?.text().await?;
        assert!(group.contains("第一党小组") && group.contains("1 / 1"), "{group}");
        shoot(&driver, "reads").await?;
        wait_for_hydration(&driver).await?;
        press(&driver, &driver.find(By::Id("remind-overdue")).await?).await?;
        wait_until(&driver, "the reminder sent", || async {
            Ok(!driver.find(By::Id("remind-outcome")).await?.text().await?.trim().is_empty())
        })
        .await?;
        anyhow::Ok(())
    }
    .await;
    if outcome.is_err() {
        let _ = driver.screenshot(&shots.join("notice-failure.png")).await;
    }
    driver.quit().await?;
    outcome
}
