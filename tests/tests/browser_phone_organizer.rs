//! A 360 × 780 phone, in headless Chromium against the real server: the
//! header is one slim bar (at most 56 px) for a member and an organizer,
//! with a tab bar at the bottom that covers no content; the menu opens and
//! reaches an organizer page with script switched off and after hydration;
//! /reports shows every figure on screen (nothing wider than the screen),
//! the unfinished list is one tap away, and the 学习档案 says its states in
//! words, exam results included. Screenshots of each page for member, organizer and admin at
//! 360 × 780 and 1280 × 800 are left in `target/screenshots/phone-*.png`.

use anyhow::Context;
use dangxiao_tests::api::Api;
use dangxiao_tests::browser::{appear, log_in, screenshots, wait_for_hydration, wait_until, Browser};
use dangxiao_tests::Server;
use serde_json::json;
use thirtyfour::extensions::cdp::ChromeDevTools;
use thirtyfour::prelude::*;

const COURSE: &str = "学习党章 手机测试";

async fn run(driver: &WebDriver, script: &str) -> WebDriverResult<serde_json::Value> {
    Ok(driver.execute(script, vec![]).await?.json().clone())
}

fn in_a_week() -> String {
    (chrono::Utc::now() + chrono::Duration::days(7)).format("%Y-%m-%d").to_string()
}

/// The header's height (the tab bar and the closed menu are fixed or
/// hidden, so this is the top bar).
async fn header_height(driver: &WebDriver) -> WebDriverResult<f64> {
    let h = run(driver, "return document.getElementById('site-header').getBoundingClientRect().height;").await?;
    Ok(h.as_f64().unwrap_or(f64::MAX))
}

/// What sticks out sideways: the page's overflow and every element inside
/// `<main>` whose right edge is past the screen's.
async fn sideways(driver: &WebDriver) -> WebDriverResult<serde_json::Value> {
    run(
        driver,
        "const w = window.innerWidth; \
         const out = [...document.querySelectorAll('main *')] \
           .filter(e => e.getClientRects().length > 0 && e.getBoundingClientRect().right > w + 0.5) \
           .map(e => e.tagName + ' ' + (e.id || '') + ' ' + (e.getAttribute('class') || '')); \
         return {scroll: document.documentElement.scrollWidth - w, n: out.length, out: out.slice(0, 10)};",
    )
    .await
}

async fn assert_fits(driver: &WebDriver, what: &str) -> anyhow::Result<()> {
    let s = sideways(driver).await?;
    assert!(s["scroll"].as_f64().unwrap_or(1.0) <= 0.0, "{what} scrolls sideways: {s}");
    assert_eq!(s["n"], 0, "{what} has elements past the screen's right edge: {s}");
    Ok(())
}

/// Whether the element `css` is shown, inside the screen's width.
async fn on_screen(driver: &WebDriver, css: &str) -> WebDriverResult<bool> {
    let script = format!(
        "const e = document.querySelector({css:?}); if (!e) return false; const r = e.getBoundingClientRect(); \
         return e.getClientRects().length > 0 && r.width > 0 && r.left >= 0 && r.right <= window.innerWidth;"
    );
    Ok(run(driver, &script).await?.as_bool() == Some(true))
}

/// The tab bar is at the bottom and the last of the page scrolls clear of it.
async fn assert_tabbar_covers_nothing(driver: &WebDriver) -> anyhow::Result<()> {
    let got = run(
        driver,
        "window.scrollTo(0, document.documentElement.scrollHeight); \
         const bar = document.getElementById('tabbar').getBoundingClientRect(); \
         const main = document.querySelector('main'); \
         const last = [...main.querySelectorAll('*')].filter(e => e.getClientRects().length > 0) \
            .reduce((m, e) => Math.max(m, e.getBoundingClientRect().bottom), 0); \
         const r = [bar.top, bar.bottom, window.innerHeight, last]; window.scrollTo(0, 0); return r;",
    )
    .await?;
    let v: Vec<f64> = got.as_array().context("numbers")?.iter().filter_map(|n| n.as_f64()).collect();
    assert!((v[1] - v[2]).abs() < 1.0, "the tab bar sits at the bottom of the screen: {got}");
    assert!(v[3] <= v[0] + 0.5, "the end of the page is hidden behind the tab bar: {got}");
    Ok(())
}

/// The page's viewport: `w` × `h` CSS pixels, as a phone (`mobile`) or a PC.
async fn viewport(driver: &WebDriver, w: u32, h: u32, mobile: bool) -> anyhow::Result<()> {
    let devtools = ChromeDevTools::new(driver.handle.clone());
    devtools
        .execute_cdp_with_params(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": w, "height": h, "deviceScaleFactor": 1, "mobile": mobile }),
        )
        .await?;
    Ok(())
}

async fn shot(driver: &WebDriver, name: &str) -> WebDriverResult<()> {
    driver.screenshot(&screenshots().join(format!("phone-{name}.png"))).await
}

async fn open_menu(driver: &WebDriver) -> anyhow::Result<()> {
    driver.find(By::Id("menu-button")).await?.click().await?;
    let menu = driver.find(By::Id("site-menu")).await?;
    assert!(menu.is_displayed().await?, "the menu opens");
    Ok(())
}

/// An exam of one single choice question (10 points) over the fixture bank,
/// which `member` takes and passes; answers the exam's id.
async fn exam_taken_by(organizer: &Api, member: &Api, org: i64) -> anyhow::Result<i64> {
    let bank = organizer.post("/api/v1/question-banks", json!({ "org_id": org, "name": "手机测试题库" })).await?["id"]
        .as_i64()
        .context("bank id")?;
    let csv = std::fs::read(dangxiao_tests::workspace_root().join("tests/fixtures/exams/bank.csv"))?;
    let form = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(csv).file_name("bank.csv"));
    let r = organizer
        .request(reqwest::Method::POST, &format!("/api/v1/question-banks/{bank}/import"))
        .multipart(form)
        .send()
        .await?;
    anyhow::ensure!(r.status().is_success(), "import: {}", r.status());
    let questions = organizer.get(&format!("/api/v1/question-banks/{bank}/questions")).await?;
    let single = questions.as_array().context("questions")?.iter().find(|q| q["kind"] == "single").context("single")?;
    let settings = json!({ "time_limit_minutes": 40, "window": null, "attempts_allowed": 1, "counting": "highest",
        "pass_mark": { "unit": "percent", "value": 60 }, "multiple_scoring": "all_or_nothing",
        "shuffle": { "questions": false, "options": false }, "review": "after_submit",
        "prerequisites": { "courses": [], "credited_hours": 0 }, "practice": false });
    let exam = organizer
        .post(
            "/api/v1/exams",
            json!({ "org_id": org, "title": "党章知识测验", "settings": settings, "banks": [bank],
            "paper": { "mode": "fixed", "items": [{ "question": single["id"], "points": 100 }] } }),
        )
        .await?["id"]
        .as_i64()
        .context("exam id")?;
    let r = organizer
        .request(reqwest::Method::PUT, &format!("/api/v1/exams/{exam}/publish"))
        .json(&json!({ "published": true }))
        .send()
        .await?;
    anyhow::ensure!(r.status().is_success(), "publish: {}", r.status());
    let holder = "phone-test-holder-0001";
    let attempt = member.post(&format!("/api/v1/exams/{exam}/attempts"), json!({ "holder": holder })).await?;
    let id = attempt["id"].as_i64().context("attempt id")?;
    let answer =
        json!({ "holder": holder, "seq": 1, "answer": { "kind": "single", "option": single["data"]["correct"][0] } });
    let r =
        member.request(reqwest::Method::PUT, &format!("/api/v1/attempts/{id}/answers/0")).json(&answer).send().await?;
    anyhow::ensure!(r.status().is_success(), "save: {}", r.status());
    member.post(&format!("/api/v1/attempts/{id}/submit"), json!({ "holder": holder })).await?;
    Ok(exam)
}

#[tokio::test]
async fn a_phone_shows_a_slim_header_a_working_menu_and_whole_reports() -> anyhow::Result<()> {
    let server = Server::start()?;
    let base = server.base.clone();
    let organizer = Api::login(&base, "organizer", "dangxiao-demo").await?;
    let org = organizer.my_org().await?;
    let course = organizer
        .post("/api/v1/courses", json!({ "org_id": org, "title": COURSE, "summary": "手机上查看报表。" }))
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
    let member = Api::login(&base, "member", "dangxiao-demo").await?;
    let member_id = member.get("/api/v1/me").await?["id"].as_i64().context("member id")?;
    let exam = exam_taken_by(&organizer, &member, org).await?;

    let browser = Browser::open().await?;
    let driver = &browser.driver;
    let outcome = async {
        viewport(driver, 360, 780, true).await?;

        // A member: one slim bar, the tab bar marks the page, covers nothing.
        log_in(driver, &base, "member", "/").await?;
        wait_for_hydration(driver).await?;
        let h = header_height(driver).await?;
        assert!(h <= 56.0, "the member's header is {h} px tall");
        assert_eq!(driver.find(By::Id("tabbar-home")).await?.attr("aria-current").await?.as_deref(), Some("page"));
        assert!(driver.find(By::Id("nav-notifications")).await?.is_displayed().await?, "the bell is in the bar");
        assert_tabbar_covers_nothing(driver).await?;
        assert_fits(driver, "the member's home").await?;
        shot(driver, "member-home-360").await?;
        open_menu(driver).await?;
        assert!(driver.find_all(By::Id("nav-reports")).await?.is_empty(), "members have no reports link");
        assert!(driver.find(By::Id("logout")).await?.is_displayed().await?);
        shot(driver, "member-menu-360").await?;
        driver.goto(format!("{base}/reports/people/{member_id}")).await?;
        appear(driver, By::Id("archive-courses")).await?;
        assert_fits(driver, "the member's own 学习档案").await?;
        shot(driver, "member-archive-360").await?;
        // In English too, the bar stays one line on the screen.
        driver.goto(format!("{base}/")).await?;
        open_menu(driver).await?;
        driver.find(By::Id("lang-en")).await?.click().await?;
        wait_until(driver, "English", || async {
            Ok(driver.find(By::Tag("html")).await?.attr("lang").await?.as_deref() == Some("en"))
        })
        .await?;
        let h = header_height(driver).await?;
        assert!(h <= 56.0, "the English header is {h} px tall");
        assert_fits(driver, "the English home").await?;
        let right = run(driver, "return document.getElementById('menu-button').getBoundingClientRect().right;").await?;
        assert!(right.as_f64().unwrap_or(f64::MAX) <= 360.0, "the menu button is on screen: {right}");
        shot(driver, "member-home-en-360").await?;
        open_menu(driver).await?;
        driver.find(By::Id("lang-zh")).await?.click().await?;
        wait_until(driver, "Chinese", || async {
            Ok(driver.find(By::Tag("html")).await?.attr("lang").await?.as_deref() == Some("zh-CN"))
        })
        .await?;
        driver.delete_all_cookies().await?;

        // An organizer, with script switched off: the menu still opens and
        // reaches the reports (a slow link's taps are not lost).
        log_in(driver, &base, "organizer", "/").await?;
        let h = header_height(driver).await?;
        assert!(h <= 56.0, "the organizer's header is {h} px tall");
        let devtools = ChromeDevTools::new(driver.handle.clone());
        devtools.execute_cdp_with_params("Emulation.setScriptExecutionDisabled", json!({ "value": true })).await?;
        driver.goto(format!("{base}/")).await?;
        appear(driver, By::Id("menu-button")).await?;
        open_menu(driver).await?;
        shot(driver, "organizer-menu-360").await?;
        driver.find(By::Id("nav-reports")).await?.click().await?;
        appear(driver, By::Id("report-table")).await?;
        devtools.execute_cdp_with_params("Emulation.setScriptExecutionDisabled", json!({ "value": false })).await?;

        // And hydrated: the menu reaches the meetings.
        driver.goto(format!("{base}/")).await?;
        wait_for_hydration(driver).await?;
        shot(driver, "organizer-home-360").await?;
        open_menu(driver).await?;
        driver.find(By::Id("nav-meetings")).await?.click().await?;
        wait_until(driver, "the meetings page", || async { Ok(driver.current_url().await?.path() == "/meetings") })
            .await?;
        assert_eq!(driver.find(By::Id("nav-meetings")).await?.attr("aria-current").await?.as_deref(), Some("page"));

        // /reports: every figure on screen, nothing sideways.
        driver.find(By::Id("tabbar-reports")).await?.click().await?;
        appear(driver, By::Id("report-table")).await?;
        wait_for_hydration(driver).await?;
        assert_fits(driver, "/reports").await?;
        assert_tabbar_covers_nothing(driver).await?;
        let hint = driver.find(By::Id("assigned-hint")).await?.text().await?;
        assert!(hint.contains("应学人次只计已布置"), "{hint}");
        for label in ["已完成", "逾期", "完成率"] {
            let css = format!("#report-table tbody tr:first-child td[data-label='{label}']");
            assert!(on_screen(driver, &css).await?, "{label} is on screen");
        }
        shot(driver, "organizer-reports-360").await?;
        run(driver, "document.getElementById('report-table').scrollIntoView();").await?;
        shot(driver, "organizer-reports-table-360").await?;

        // The unfinished list: one tap.
        driver.find(By::Id("show-unfinished")).await?.click().await?;
        let list = appear(driver, By::Id("unfinished-list")).await?;
        assert!(list.find(By::Css("li[data-login='member']")).await.is_ok(), "the member has not finished");
        assert_eq!(driver.find(By::Id("tab-unfinished")).await?.attr("aria-current").await?.as_deref(), Some("page"));
        assert_fits(driver, "the unfinished list").await?;
        shot(driver, "organizer-unfinished-360").await?;

        // The members' 学时 are on screen too.
        driver.find(By::Id("tab-members")).await?.click().await?;
        appear(driver, By::Css("#members-table tr[data-login='member']")).await?;
        for label in ["已完成", "逾期", "学时"] {
            let css = format!("#members-table tr[data-login='member'] td[data-label='{label}']");
            assert!(on_screen(driver, &css).await?, "the member's {label} is on screen");
        }
        assert_fits(driver, "the members report").await?;

        // The hours chart: bars proportional to an axis of at least 1 学时.
        driver.find(By::Id("tab-hours")).await?.click().await?;
        let chart = appear(driver, By::Id("chart-hours")).await?;
        let axis: f64 = chart.attr("data-axis-max").await?.context("axis")?.parse()?;
        assert!(axis >= 1.0, "axis {axis}");
        for bar in driver.find_all(By::Css("#chart-hours g.bar")).await? {
            let value: f64 = bar.attr("data-value").await?.context("value")?.parse()?;
            let share: f64 = bar.attr("data-share").await?.context("share")?.parse()?;
            assert!((share - (value / axis).min(1.0)).abs() < 1e-3, "bar {value} of {axis} drawn as {share}");
        }
        // A row for 第一党支部's own people (those of no 党小组), with its
        // figures labelled as on every card, and the rows adding up to the total.
        let hours = organizer.get("/api/v1/reports?kind=hours").await?;
        let own_people = hours["report"]["own"]["people"].as_u64().context("the API's own row")?;
        assert!(own_people >= 1, "第一党支部 has people of its own: {hours}");
        let own = driver.find(By::Css("#hours-table tbody tr.own")).await?;
        assert!(own.find(By::Css(".row-title")).await?.text().await?.contains("第一党支部（本级）"));
        let people = |row: WebElement| async move {
            let n = row.find(By::Css("td[data-label='人数']")).await?.text().await?;
            anyhow::Ok(n.trim().parse::<u64>()?)
        };
        assert_eq!(people(own.clone()).await?, own_people);
        let mut listed = 0;
        for row in driver.find_all(By::Css("#hours-table tbody tr")).await? {
            listed += people(row).await?;
        }
        let total = people(driver.find(By::Css("#hours-table tfoot tr")).await?).await?;
        assert_eq!(listed, total, "the rows add up to the total");
        assert!(on_screen(driver, "#hours-table tbody tr.own td[data-label='人数']").await?);
        assert_fits(driver, "the hours report").await?;
        run(driver, "document.getElementById('hours-table').scrollIntoView();").await?;
        shot(driver, "organizer-hours-360").await?;

        // The 学习档案: states in words, each under its heading.
        driver.goto(format!("{base}/reports/people/{member_id}")).await?;
        let row = appear(driver, By::Css(format!("#archive-courses tr[data-id='{course}']"))).await?;
        let cell = |label: &'static str| {
            let row = row.clone();
            async move { row.find(By::Css(format!("td[data-label='{label}']"))).await?.text().await }
        };
        assert!(cell("学习类型").await?.contains("指派必学"));
        assert!(cell("状态").await?.contains("未完成"));
        let archive = driver.find(By::Id("archive-courses")).await?.text().await?;
        assert!(!archive.contains('是') && !archive.contains('否'), "{archive}");
        let exam_row = appear(driver, By::Css(format!("#archive-exams tr[data-id='{exam}']"))).await?;
        let result = exam_row.find(By::Css("td[data-label='结果']")).await?.text().await?;
        assert!(result.contains("通过") && !result.contains("未通过"), "{result}");
        assert!(exam_row.find(By::Css("td[data-label='成绩']")).await?.text().await?.contains("10 / 10"));
        assert_fits(driver, "the 学习档案").await?;
        shot(driver, "organizer-archive-360").await?;
        run(driver, "document.getElementById('archive-exams').scrollIntoView();").await?;
        shot(driver, "organizer-archive-exams-360").await?;
        driver.delete_all_cookies().await?;

        // An admin on a phone, then everyone on a PC (screenshots to look at).
        log_in(driver, &base, "admin", "/").await?;
        let h = header_height(driver).await?;
        assert!(h <= 56.0, "the admin's header is {h} px tall");
        shot(driver, "admin-home-360").await?;
        open_menu(driver).await?;
        shot(driver, "admin-menu-360").await?;
        driver.goto(format!("{base}/reports")).await?;
        appear(driver, By::Id("report-table")).await?;
        assert_fits(driver, "the admin's /reports").await?;
        shot(driver, "admin-reports-360").await?;
        driver.goto(format!("{base}/reports/people/{member_id}")).await?;
        appear(driver, By::Id("archive-courses")).await?;
        shot(driver, "admin-archive-360").await?;

        viewport(driver, 1280, 800, false).await?;
        for login in ["admin", "organizer", "member"] {
            driver.delete_all_cookies().await?;
            log_in(driver, &base, login, "/").await?;
            assert!(!driver.find(By::Id("tabbar")).await?.is_displayed().await?, "no tab bar on a PC");
            assert!(!driver.find(By::Id("menu-button")).await?.is_displayed().await?, "no menu button on a PC");
            assert!(driver.find(By::Id("nav-courses")).await?.is_displayed().await?, "the links are in the bar");
            let color = run(driver, "return getComputedStyle(document.getElementById('nav-courses')).color;").await?;
            assert_eq!(color, "rgb(255, 255, 255)", "the bar's links are white on red");
            shot(driver, &format!("{login}-home-1280")).await?;
            driver.goto(format!("{base}/reports")).await?;
            appear(driver, By::Tag("h1")).await?;
            shot(driver, &format!("{login}-reports-1280")).await?;
            if login == "organizer" {
                driver.goto(format!("{base}/reports?kind=hours")).await?;
                run(driver, "document.getElementById('hours-table').scrollIntoView();").await?;
                shot(driver, "organizer-hours-1280").await?;
            }
            driver.goto(format!("{base}/reports/people/{member_id}")).await?;
            appear(driver, By::Id("archive-courses")).await?;
            shot(driver, &format!("{login}-archive-1280")).await?;
        }
        anyhow::Ok(())
    }
    .await;
    browser.close(outcome, "phone-organizer").await
}
