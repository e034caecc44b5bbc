//! In headless Chromium: log in as the demo member, see the home page in
//! Chinese, switch to English, and check the page fits a 360 px phone.

use std::time::Duration;

use dangxiao_tests::browser::{appear, Browser};
use dangxiao_tests::Server;
use thirtyfour::prelude::*;

async fn html_lang(driver: &WebDriver) -> WebDriverResult<String> {
    let v = driver.execute("return document.documentElement.lang;", vec![]).await?;
    Ok(v.json().as_str().unwrap_or_default().to_owned())
}

async fn wait_for_lang(driver: &WebDriver, lang: &str) -> WebDriverResult<()> {
    for _ in 0..100 {
        if html_lang(driver).await? == lang {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("page language never became {lang}");
}

#[tokio::test]
async fn a_member_logs_in_sees_chinese_and_switches_to_english() -> anyhow::Result<()> {
    let server = Server::start()?;
    let browser = Browser::open().await?;
    let driver = &browser.driver;
    let outcome = async {
        // Anonymous visitors are sent to the login page.
        driver.goto(format!("{}/", server.base)).await?;
        appear(driver, By::Id("login-form")).await?;
        assert!(driver.current_url().await?.path().starts_with("/login"));

        driver.find(By::Id("login")).await?.send_keys("member").await?;
        driver.find(By::Id("password")).await?.send_keys("dangxiao-demo").await?;
        driver.find(By::Id("login-submit")).await?.click().await?;

        let greeting = appear(driver, By::Id("home-greeting")).await?;
        assert_eq!(greeting.text().await?, "李学习同志，您好！");
        assert_eq!(html_lang(driver).await?, "zh-CN");
        let body = driver.find(By::Tag("body")).await?.text().await?;
        assert!(body.contains("我的学习"), "home page is not in Chinese: {body}");
        // Kept for people to look at; not compared.
        let shots = dangxiao_tests::workspace_root().join("target/screenshots");
        std::fs::create_dir_all(&shots)?;
        driver.screenshot(&shots.join("home-zh.png")).await?;

        driver.find(By::Id("lang-en")).await?.click().await?;
        wait_for_lang(driver, "en").await?;
        let greeting = appear(driver, By::Id("home-greeting")).await?;
        assert_eq!(greeting.text().await?, "Hello, 李学习!");
        let body = driver.find(By::Tag("body")).await?.text().await?;
        assert!(body.contains("What to study"), "home page is not in English: {body}");

        // The choice is remembered.
        driver.refresh().await?;
        wait_for_lang(driver, "en").await?;

        // A 360 px phone shows the page without sideways scrolling.
        driver.set_window_rect(0, 0, 360, 740).await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let overflow = driver
            .execute("return document.documentElement.scrollWidth - document.documentElement.clientWidth;", vec![])
            .await?;
        assert!(overflow.json().as_i64().unwrap_or(1) <= 0, "page overflows a 360px screen by {:?}px", overflow.json());
        driver.screenshot(&shots.join("home-en-360.png")).await?;

        // The browser half loaded and hydrated the page: an effect ran.
        let mut hydrated = None;
        for _ in 0..300 {
            hydrated = driver.find(By::Tag("main")).await?.attr("data-hydrated").await?;
            if hydrated.as_deref() == Some("true") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(hydrated.as_deref(), Some("true"), "the page never hydrated (is the wasm served?)");
        anyhow::Ok(())
    }
    .await;
    browser.close(outcome, "home").await
}
