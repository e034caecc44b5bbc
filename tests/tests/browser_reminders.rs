//! In headless Chromium, against the real server: an organizer reminds
//! everyone overdue on a meeting's make-up study from the meeting page (一键
//! 提醒), sees how many were reminded and the log, and is told to wait when
//! trying again; the absent member sees the bell's unread count in the
//! header, reads the reminder on `/notifications`, and marks it read.

use anyhow::Context;
use dangxiao_tests::api::Api;
use dangxiao_tests::browser::{appear, attr, log_in, screenshots, wait_for_hydration, wait_until, Browser};
use dangxiao_tests::Server;
use serde_json::{json, Value};
use thirtyfour::prelude::*;

/// The date `offset` days from today in the platform's zone (UTC+8).
fn day(offset: i64) -> String {
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    (today + chrono::Duration::days(offset)).format("%Y-%m-%d").to_string()
}

/// Everyone of the organizer's branch and the nodes below it, absent if
/// `absent`, else present.
async fn attendance(organizer: &Api, absent: &str) -> anyhow::Result<Vec<Value>> {
    let mut out = Vec::new();
    for node in organizer.get("/api/v1/orgs").await?.as_array().context("org list")? {
        let id = node["id"].as_i64().context("org id")?;
        for p in organizer.get(&format!("/api/v1/orgs/{id}/people")).await?.as_array().context("people")? {
            let status = if p["login"] == absent { "absent" } else { "present" };
            out.push(json!({ "person_id": p["id"], "status": status }));
        }
    }
    Ok(out)
}

async fn text(driver: &WebDriver, id: &str) -> WebDriverResult<String> {
    driver.find(By::Id(id)).await?.text().await
}

#[tokio::test]
async fn an_organizer_reminds_the_overdue_and_the_member_reads_it_under_the_bell() -> anyhow::Result<()> {
    let server = Server::start()?;
    let organizer = Api::login(&server.base, "organizer", "dangxiao-demo").await?;
    let org = organizer.my_org().await?;
    let course = organizer.post("/api/v1/courses", json!({ "org_id": org, "title": "党章学习" })).await?["id"]
        .as_i64()
        .context("course id")?;
    let lesson = organizer
        .post(&format!("/api/v1/courses/{course}/lessons"), json!({ "title": "总纲", "article": "## 总纲\n\n学习。" }))
        .await?["id"]
        .as_i64()
        .context("lesson id")?;
    organizer.post(&format!("/api/v1/courses/{course}/publish"), json!({})).await?;
    let meeting = organizer
        .post(
            "/api/v1/meetings",
            json!({ "org_id": org, "kind": "party_lecture", "held_on": day(-20), "topic": "学习新党章",
                    "lesson_ids": [lesson], "makeup_days": 14, "attendance": attendance(&organizer, "member").await? }),
        )
        .await?["id"]
        .as_i64()
        .context("meeting id")?;

    let browser = Browser::open().await?;
    let driver = &browser.driver;
    let shots = screenshots();
    let outcome = async {
        log_in(driver, &server.base, "organizer", &format!("/meetings/{meeting}")).await?;
        wait_for_hydration(driver).await?;
        // The log is read once the page is live.
        appear(driver, By::Id("no-reminders")).await?;
        driver.find(By::Id("remind-overdue")).await?.click().await?;
        wait_until(driver, "the reminder's outcome", || async {
            Ok(text(driver, "remind-outcome").await?.contains("已提醒 1 人"))
        })
        .await?;
        wait_until(driver, "the reminder log", || async {
            Ok(driver.find_all(By::Css("#reminder-log li")).await?.len() == 1)
        })
        .await?;
        let line = driver.find(By::Css("#reminder-log li")).await?.text().await?;
        assert!(line.contains("王书记") && line.contains("提醒 1 人"), "{line}");
        driver.find(By::Id("remind-overdue")).await?.click().await?;
        wait_until(driver, "the cooldown", || async {
            Ok(text(driver, "remind-outcome").await?.contains("刚刚已经提醒过")
                && text(driver, "remind-outcome").await?.contains("分钟后再试"))
        })
        .await?;
        // The refused reminder was answered 429, not a bare 500.
        let statuses = driver
            .execute(
                "return performance.getEntriesByType('resource')\
                   .filter(e => e.name.endsWith('/api/fn/remind')).map(e => e.responseStatus);",
                vec![],
            )
            .await?;
        assert_eq!(statuses.json(), &serde_json::json!([200, 429]));
        driver.screenshot(&shots.join("meeting-remind.png")).await?;
        driver.find(By::Id("logout")).await?.click().await?;
        appear(driver, By::Id("login-form")).await?;

        // The member: one unread under the bell, read on the page.
        log_in(driver, &server.base, "member", "/").await?;
        wait_for_hydration(driver).await?;
        wait_until(driver, "the unread count", || async {
            Ok(attr(driver, "nav-notifications", "data-unread").await?.as_deref() == Some("1"))
        })
        .await?;
        assert_eq!(text(driver, "unread-count").await?, "1");
        driver.find(By::Id("nav-notifications")).await?.click().await?;
        wait_until(driver, "the notifications page", || async {
            Ok(driver.find_all(By::Css("#notifications li.notification")).await?.len() == 1)
        })
        .await?;
        wait_for_hydration(driver).await?;
        let note = driver.find(By::Css("#notifications li.notification")).await?;
        assert_eq!(note.attr("data-kind").await?.as_deref(), Some("organizer_reminder"));
        assert_eq!(note.attr("data-read").await?.as_deref(), Some("false"));
        let body = note.text().await?;
        assert!(body.contains("王书记提醒您") && body.contains("学习新党章"), "{body}");
        let link = note.find(By::Css("a.notification-link")).await?.attr("href").await?;
        assert_eq!(link, Some(format!("/lessons/{lesson}")));
        driver.screenshot(&shots.join("notifications.png")).await?;
        driver.find(By::Id("mark-all-read")).await?.click().await?;
        wait_until(driver, "the bell to clear", || async {
            Ok(attr(driver, "nav-notifications", "data-unread").await?.as_deref() == Some("0"))
        })
        .await?;
        assert!(driver.find_all(By::Id("unread-count")).await?.is_empty());
        let read = driver.find(By::Css("#notifications li.notification")).await?.attr("data-read").await?;
        assert_eq!(read.as_deref(), Some("true"));
        Ok::<(), anyhow::Error>(())
    }
    .await;
    browser.close(outcome, "reminders").await
}
