//! In headless Chromium, against the real server: an organizer assigns a
//! course to their branch, then reads the completion report — the tally,
//! the chart by node, drill-down into a party group and to its members, a
//! member's 学习档案 — downloads the Excel export, saves a snapshot and
//! finds it among the snapshots; the report fits a 360 px screen. An
//! organizer of another branch gets "not found" for the first branch's
//! report.

use anyhow::Context;
use dangxiao_tests::api::Api;
use dangxiao_tests::browser::{appear, log_in, screenshots, wait_for_hydration, wait_until, Browser};
use dangxiao_tests::Server;
use reqwest::Method;
use serde_json::json;
use thirtyfour::prelude::*;

async fn run(driver: &WebDriver, script: &str) -> WebDriverResult<serde_json::Value> {
    Ok(driver.execute(script, vec![]).await?.json().clone())
}

async fn text(driver: &WebDriver, css: &str) -> WebDriverResult<String> {
    appear(driver, By::Css(css)).await?.text().await
}

fn in_a_week() -> String {
    (chrono::Utc::now() + chrono::Duration::days(7)).format("%Y-%m-%d").to_string()
}

#[tokio::test]
async fn an_organizer_reads_drills_down_exports_and_freezes_a_report() -> anyhow::Result<()> {
    let server = Server::start()?;
    let organizer = Api::login(&server.base, "organizer", "dangxiao-demo").await?;
    let org = organizer.my_org().await?;
    let course = organizer
        .post("/api/v1/courses", json!({ "org_id": org, "title": "学习党的二十大精神", "summary": "专题学习。" }))
        .await?["id"]
        .as_i64()
        .context("course id")?;
    organizer
        .post(
            &format!("/api/v1/courses/{course}/lessons"),
            json!({ "title": "第一讲", "article": "## 学习\n\n认真学习。" }),
        )
        .await?;
    organizer.post(&format!("/api/v1/courses/{course}/publish"), json!({})).await?;
    organizer
        .post(
            "/api/v1/assignments",
            json!({ "org_id": org, "course_id": course, "due_on": in_a_week(),
                    "target": { "orgs": [org], "roles": [], "people": [] } }),
        )
        .await?;

    let browser = Browser::open().await?;
    let driver = &browser.driver;
    let shots = screenshots();
    let outcome = async {
        log_in(driver, &server.base, "organizer", "/").await?;
        driver.find(By::Id("nav-reports")).await?.click().await?;
        wait_until(driver, "the report", || async { Ok(driver.find(By::Id("report-table")).await.is_ok()) }).await?;
        wait_for_hydration(driver).await?;
        // Everyone of 第一党支部 and its party group is assigned the course.
        let tally = text(driver, "#report-tally").await?;
        assert!(tally.contains('4') && tally.contains("应学人次"), "{tally}");
        let bars = driver.find_all(By::Css("#chart-completion g.bar")).await?.len();
        let rows = driver.find_all(By::Css("#report-table tbody tr")).await?.len();
        assert!(bars >= 1 && rows >= 2, "a bar per child node, a row per child and the branch's own people");
        driver.screenshot(&shots.join("reports-completion.png")).await?;

        // One course only, through the filter form.
        driver.find(By::Css(format!("#course-select option[value='{course}']"))).await?.click().await?;
        driver.find(By::Css("#course-filter button[type='submit']")).await?.click().await?;
        wait_until(driver, "the course report", || async {
            Ok(text(driver, "#report-breadcrumb").await?.contains("学习党的二十大精神"))
        })
        .await?;

        // Drill down into the party group, then to its members.
        driver.find(By::Css("#report-table a.drill")).await?.click().await?;
        wait_until(driver, "the party group", || async {
            Ok(text(driver, "#report-breadcrumb").await?.contains("第一党小组"))
        })
        .await?;
        driver.find(By::Id("tab-members")).await?.click().await?;
        wait_until(driver, "the members", || async {
            Ok(driver.find(By::Css("#members-table tr[data-login='member']")).await.is_ok())
        })
        .await?;
        driver.find(By::Css("#members-table tr[data-login='member'] a")).await?.click().await?;
        wait_until(driver, "the archive", || async { Ok(driver.find(By::Id("archive-courses")).await.is_ok()) })
            .await?;
        let archive = text(driver, "#archive-courses").await?;
        assert!(archive.contains("学习党的二十大精神") && archive.contains(&in_a_week()), "{archive}");
        assert!(text(driver, "#archive-name").await?.contains("李学习"));

        // The Excel export of the branch report downloads as a spreadsheet.
        driver.goto(format!("{}/reports", server.base)).await?;
        wait_for_hydration(driver).await?;
        let got = run(
            driver,
            "return fetch(document.getElementById('export-xlsx').href).then(r => r.blob().then(b => \
             [r.status, r.headers.get('content-type'), b.size]));",
        )
        .await?;
        assert_eq!(got[0], 200, "{got}");
        assert_eq!(got[1], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        assert!(got[2].as_u64().unwrap_or(0) > 1000, "{got}");

        // Save a snapshot; it is listed with who took it.
        driver.find(By::Id("take-snapshot")).await?.click().await?;
        wait_until(driver, "the snapshot saved", || async {
            Ok(driver.find(By::Css(".report-actions .notice.success")).await.is_ok())
        })
        .await?;
        driver.find(By::Id("tab-snapshots")).await?.click().await?;
        wait_until(driver, "the snapshot list", || async { Ok(driver.find(By::Id("snapshots")).await.is_ok()) })
            .await?;
        let listed = text(driver, "#snapshots").await?;
        assert!(listed.contains("王书记") && listed.contains("手动保存"), "{listed}");
        driver.find(By::Css("#snapshots li a")).await?.click().await?;
        wait_until(driver, "the snapshot", || async { Ok(driver.find(By::Id("frozen-notice")).await.is_ok()) }).await?;
        driver.find(By::Id("report-table")).await?;

        // A phone-sized screen: the page does not overflow sideways.
        driver.set_window_rect(0, 0, 360, 740).await?;
        driver.goto(format!("{}/reports", server.base)).await?;
        wait_for_hydration(driver).await?;
        let overflow =
            run(driver, "return document.documentElement.scrollWidth - document.documentElement.clientWidth;").await?;
        assert!(overflow.as_i64().unwrap_or(1) <= 0, "the report overflows a 360 px screen");
        driver.screenshot(&shots.join("reports-360.png")).await?;
        driver.set_window_rect(0, 0, 1280, 900).await?;

        // Another branch's organizer: not found, in the API and on the page.
        let other = Api::login(&server.base, "organizer2", "dangxiao-demo").await?;
        let r = other.request(Method::GET, &format!("/api/v1/reports?kind=org&org_id={org}")).send().await?;
        assert_eq!(r.status().as_u16(), 404);
        driver.find(By::Id("logout")).await?.click().await?;
        appear(driver, By::Id("login-form")).await?;
        // `next` travels inside the login URL's own query, so it is encoded.
        log_in(driver, &server.base, "organizer2", &format!("/reports%3Fkind%3Dorg%26org_id%3D{org}")).await?;
        wait_until(driver, "branch 1's report URL", || async {
            Ok(driver.current_url().await?.query().is_some_and(|q| q.contains(&format!("org_id={org}"))))
        })
        .await?;
        let page = appear(driver, By::Tag("main")).await?.text().await?;
        assert!(page.contains("页面不存在") && !page.contains("第一党小组"), "{page}");
        anyhow::Ok(())
    }
    .await;
    browser.close(outcome, "reports").await
}
