//! The 书记信箱 on a phone (issue 26): a member sends an anonymous
//! suggestion to their branch over a weak link; the branch secretary reads
//! it without the sender's name, replies and sees the counts; the member
//! sees the reply. Screenshots at 360 × 780 and 1280 × 800.

use dangxiao_tests::browser::{appear, capture_console_errors, log_in, screenshots, wait_for_hydration, wait_until};
use dangxiao_tests::network::{chromium_not_waiting, emulate, LOOPBACK, WEAK};
use dangxiao_tests::{Driver, Server};
use thirtyfour::prelude::*;

async fn press(driver: &WebDriver, element: &WebElement) -> anyhow::Result<()> {
    driver.execute("arguments[0].scrollIntoView({ block: 'center' });", vec![element.to_json()?]).await?;
    element.click().await?;
    Ok(())
}

async fn shoot(driver: &WebDriver, name: &str) -> anyhow::Result<()> {
    let shots = screenshots();
    driver.set_window_rect(0, 0, 1280, 800).await?;
    driver.screenshot(&shots.join(format!("suggestion-{name}-1280.png"))).await?;
    driver.set_window_rect(0, 0, 360, 780).await?;
    driver.screenshot(&shots.join(format!("suggestion-{name}-360.png"))).await?;
    let wide = driver.execute("return document.documentElement.scrollWidth;", vec![]).await?;
    anyhow::ensure!(wide.json().as_f64().unwrap_or(0.0) <= 360.0, "{name} scrolls sideways at 360 px");
    Ok(())
}

#[tokio::test]
async fn an_anonymous_suggestion_is_answered_without_its_sender_shown() -> anyhow::Result<()> {
    let server = Server::start()?;
    let chromedriver = Driver::start()?;
    let profile = tempfile::tempdir()?;
    let driver = chromium_not_waiting(&chromedriver, profile.path(), 360, 780, &[]).await?;
    capture_console_errors(&driver).await?;
    let shots = screenshots();
    let outcome = async {
        log_in(&driver, &server.base, "member", "/suggestions").await?;
        emulate(&driver, WEAK).await?;
        driver.goto(format!("{}/suggestions", server.base)).await?;
        // Typed before the page is live: nothing is lost.
        appear(&driver, By::Id("suggestion-title")).await?.send_keys("建议增加夜间学习时段").await?;
        driver
            .find(By::Id("suggestion-body"))
            .await?
            .send_keys("轮班的同志白天难以参加集中学习，建议每周增设一次晚间学习。")
            .await?;
        wait_for_hydration(&driver).await?;
        // The branch, above the member's own group.
        appear(&driver, By::Css("#suggestion-to option:nth-child(2)")).await?.click().await?;
        press(&driver, &driver.find(By::Id("suggestion-anonymous")).await?).await?;
        let note = driver.find(By::Id("suggestion-anonymous-note")).await?.text().await?;
        assert!(note.contains("管理员"), "the note says admins can see the sender: {note}");
        shoot(&driver, "form").await?;
        press(&driver, &driver.find(By::Id("suggestion-submit")).await?).await?;
        appear(&driver, By::Css("#my-suggestions li.suggestion-item[data-state='received']")).await?;
        emulate(&driver, LOOPBACK).await?;

        // The secretary reads it without a name and replies.
        driver.delete_all_cookies().await?;
        log_in(&driver, &server.base, "organizer", "/manage/suggestions").await?;
        let item = appear(&driver, By::Css("#suggestion-inbox li.suggestion-item")).await?;
        let text = item.text().await?;
        assert!(text.contains("夜间学习") && !text.contains("李学习"), "{text}");
        let id = item.id().await?.context_free();
        wait_for_hydration(&driver).await?;
        driver
            .find(By::Id(format!("suggestion-reply-{id}")))
            .await?
            .send_keys("支部将于每周四晚增设学习，感谢建议。")
            .await?;
        press(&driver, &driver.find(By::Id(format!("suggestion-reply-send-{id}"))).await?).await?;
        appear(&driver, By::Css(format!("#suggestion-{id}[data-state='replied']"))).await?;
        // The counts follow: received 1, replied 1.
        wait_until(&driver, "the counts after the reply", || async {
            let replied = driver.find(By::Css("#suggestion-stats tfoot tr > :nth-child(3)")).await?.text().await?;
            Ok(replied.trim() == "1")
        })
        .await?;
        shoot(&driver, "inbox").await?;

        // The member sees the reply.
        driver.delete_all_cookies().await?;
        log_in(&driver, &server.base, "member", "/suggestions").await?;
        let mine = appear(&driver, By::Css(format!("#suggestion-{id}[data-state='replied']"))).await?;
        wait_until(&driver, "the reply", || async { Ok(mine.text().await?.contains("每周四晚")) }).await?;
        shoot(&driver, "replied").await?;
        anyhow::Ok(())
    }
    .await;
    if outcome.is_err() {
        let _ = driver.screenshot(&shots.join("suggestion-failure.png")).await;
    }
    driver.quit().await?;
    outcome
}

/// `suggestion-{id}` → `{id}`.
trait ContextFree {
    fn context_free(self) -> String;
}

impl ContextFree for Option<String> {
    fn context_free(self) -> String {
        self.unwrap_or_default().trim_start_matches("suggestion-").to_owned()
    }
}
