//! In headless Chromium, against the real server, at 360 x 780 and
//! 1280 x 800, as an organizer and as an admin: /orgs counts each node's
//! whole subtree (机关党总支 is not "0 人"), with the direct people beside
//! it; the assignment form shows why assigning the same course to the same
//! people again is refused. Screenshots under target/screenshots/.

use anyhow::Context;
use dangxiao_tests::api::Api;
use dangxiao_tests::browser::{appear, log_in, screenshots, wait_for_hydration, wait_until, Browser};
use dangxiao_tests::Server;
use serde_json::json;
use thirtyfour::prelude::*;

const SIZES: [(u32, u32); 2] = [(360, 780), (1280, 800)];

/// The date `offset` days from today in the platform's zone (UTC+8).
fn day(offset: i64) -> String {
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    (today + chrono::Duration::days(offset)).format("%Y-%m-%d").to_string()
}

async fn overflow(driver: &WebDriver) -> WebDriverResult<i64> {
    let v = driver
        .execute("return document.documentElement.scrollWidth - document.documentElement.clientWidth;", vec![])
        .await?;
    Ok(v.json().as_i64().unwrap_or(1))
}

/// The text of the tree row of the node named `name`.
async fn tree_row(driver: &WebDriver, name: &str) -> WebDriverResult<String> {
    for li in driver.find_all(By::Css("#org-tree li")).await? {
        let text = li.text().await?;
        if text.starts_with(name) {
            return Ok(text);
        }
    }
    Ok(String::new())
}

#[tokio::test]
async fn orgs_count_subtrees_and_the_form_explains_a_duplicate_assignment() -> anyhow::Result<()> {
    let server = Server::start()?;
    let organizer = Api::login(&server.base, "organizer", "dangxiao-demo").await?;
    let admin = Api::login(&server.base, "admin", "dangxiao-demo").await?;
    let branch = organizer.my_org().await?;
    let root = admin.my_org().await?;
    // A course for each one's own node, already assigned to it: what the
    // form will try again.
    let mut courses = Vec::new();
    for (api, org) in [(&organizer, branch), (&admin, root)] {
        let course = api.post("/api/v1/courses", json!({ "org_id": org, "title": "党章学习" })).await?["id"]
            .as_i64()
            .context("id")?;
        api.post(
            &format!("/api/v1/courses/{course}/lessons"),
            json!({ "title": "第一讲", "article": "## 学习\n\n正文。" }),
        )
        .await?;
        api.post(&format!("/api/v1/courses/{course}/publish"), json!({})).await?;
        let body = json!({ "org_id": org, "course_id": course, "target": { "orgs": [org] }, "due_on": day(20) });
        api.post("/api/v1/assignments", body).await?;
        courses.push(course);
    }

    let browser = Browser::open().await?;
    let driver = &browser.driver;
    let outcome = async {
        for (login, course) in ["organizer", "admin"].into_iter().zip(courses.iter().copied()) {
            log_in(driver, &server.base, login, "/orgs").await?;
            for (w, h) in SIZES {
                driver.set_window_rect(0, 0, w, h).await?;
                driver.goto(format!("{}/orgs", server.base)).await?;
                wait_for_hydration(driver).await?;
                let general = tree_row(driver, "第一党支部").await?;
                assert!(general.contains("4 人") && general.contains("直属 3 人"), "{general}");
                if login == "admin" {
                    let general = tree_row(driver, "机关党总支").await?;
                    assert!(general.contains("6 人（直属 0 人）"), "{general}");
                }
                assert!(overflow(driver).await? <= 0, "/orgs overflows at {w} px");
                driver.screenshot(&screenshots().join(format!("orgs-{login}-{w}.png"))).await?;

                driver.goto(format!("{}/assignments", server.base)).await?;
                wait_for_hydration(driver).await?;
                appear(driver, By::Css(format!("#assignment-course option[value='{course}']"))).await?;
                // Chosen and typed the way a picker does (an option under the
                // phone's tab bar cannot be clicked; typing a date depends on
                // the browser's locale).
                let script = format!(
                    "const c = document.getElementById('assignment-course'); c.value = '{course}'; \
                     c.dispatchEvent(new Event('change', {{ bubbles: true }})); \
                     const e = document.getElementById('assignment-due'); e.value = '{}'; \
                     e.dispatchEvent(new Event('input', {{ bubbles: true }})); \
                     document.getElementById('assignment-submit').scrollIntoView({{ block: 'center' }});",
                    day(40)
                );
                driver.execute(&script, vec![]).await?;
                driver.find(By::Id("assignment-submit")).await?.click().await?;
                wait_until(driver, "the duplicate's message", || async {
                    Ok(driver.find_all(By::Css("#assignment-form .notice.error[data-code='conflict']")).await?.len()
                        == 1)
                })
                .await?;
                let notice = driver.find(By::Css("#assignment-form .notice.error")).await?;
                let text = notice.text().await?;
                assert!(text.contains("已把这门课程指派给相同的学习对象") && text.contains(&day(20)), "{text}");
                driver.execute("arguments[0].scrollIntoView({ block: 'center' });", vec![notice.to_json()?]).await?;
                assert!(notice.is_displayed().await?);
                assert!(overflow(driver).await? <= 0, "the form overflows at {w} px");
                driver.screenshot(&screenshots().join(format!("assignment-duplicate-{login}-{w}.png"))).await?;
            }
            driver.delete_all_cookies().await?;
        }
        Ok::<_, anyhow::Error>(())
    }
    .await;
    browser.close(outcome, "organizer-views").await
}
