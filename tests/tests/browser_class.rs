//! A party class from start to certificate (issue 25), in headless
//! Chromium. A 班主任 sets up the class in the page and enrols two
//! activists, one picked from the list and one from a table of logins. One of them studies the class's required course (its chapter
//! quiz earns the 学时 the class asks for), writes the 心得体会 on a phone
//! over a weak link, has it accepted, passes the final exam in the page,
//! is confirmed as a graduate and downloads the certificate. The other is
//! shown as blocked, with the reason. Without logging in, the certificate's
//! verification page confirms it. Screenshots at 360 × 780 and 1280 × 800.

use anyhow::Context;
use dangxiao_tests::api::Api;
use dangxiao_tests::browser::{appear, capture_console_errors, log_in, screenshots, wait_for_hydration, wait_until};
use dangxiao_tests::network::{chromium_not_waiting, emulate, LOOPBACK, WEAK};
use dangxiao_tests::{Driver, Server};
use serde_json::{json, Value};
use thirtyfour::prelude::*;

const PASSWORD: &str = "dangxiao-demo";

/// An exam of one single-choice question of `bank`, published.
async fn one_question_exam(organizer: &Api, org: i64, bank: i64, question: i64, title: &str) -> anyhow::Result<i64> {
    let settings = json!({
        "time_limit_minutes": 20, "window": null, "attempts_allowed": 2, "counting": "highest",
        "pass_mark": { "unit": "percent", "value": 60 }, "multiple_scoring": "all_or_nothing",
        "shuffle": { "questions": false, "options": false }, "review": "after_submit",
        "prerequisites": { "courses": [], "credited_hours": 0 }, "practice": false
    });
    let exam = organizer
        .post(
            "/api/v1/exams",
            json!({ "org_id": org, "title": title, "settings": settings, "banks": [bank],
                    "paper": { "mode": "fixed", "items": [{ "question": question, "points": 100 }] } }),
        )
        .await?;
    let exam = exam["id"].as_i64().context("exam id")?;
    organizer.put(&format!("/api/v1/exams/{exam}/publish"), json!({ "published": true })).await?;
    Ok(exam)
}

/// Sets an input's value as typing would (date inputs take no keys in a
/// locale-independent way).
async fn set_value(driver: &WebDriver, id: &str, value: &str) -> anyhow::Result<()> {
    let input = driver.find(By::Id(id)).await?;
    driver
        .execute(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', { bubbles: true }));",
            vec![input.to_json()?, json!(value)],
        )
        .await?;
    Ok(())
}

async fn press(driver: &WebDriver, element: &WebElement) -> anyhow::Result<()> {
    driver.execute("arguments[0].scrollIntoView({ block: 'center' });", vec![element.to_json()?]).await?;
    element.click().await?;
    Ok(())
}

/// Whether the page is wider than the window (scrolls sideways).
async fn scrolls_sideways(driver: &WebDriver, width: f64) -> anyhow::Result<bool> {
    let wide = driver.execute("return document.documentElement.scrollWidth;", vec![]).await?;
    Ok(wide.json().as_f64().unwrap_or(0.0) > width)
}

/// Both widths, in that order, ending at 360, with `at` (a CSS selector)
/// scrolled into view.
async fn shoot(driver: &WebDriver, name: &str, at: &str) -> anyhow::Result<()> {
    let shots = screenshots();
    let scroll = format!("document.querySelector({at:?}).scrollIntoView({{ block: 'start' }});");
    driver.set_window_rect(0, 0, 1280, 800).await?;
    driver.execute(&scroll, vec![]).await?;
    driver.screenshot(&shots.join(format!("class-{name}-1280.png"))).await?;
    driver.set_window_rect(0, 0, 360, 780).await?;
    driver.execute(&scroll, vec![]).await?;
    driver.screenshot(&shots.join(format!("class-{name}-360.png"))).await?;
    anyhow::ensure!(!scrolls_sideways(driver, 360.0).await?, "{name} scrolls sideways at 360 px");
    Ok(())
}

#[tokio::test]
async fn a_class_takes_one_activist_to_a_verified_certificate_and_shows_why_the_other_is_blocked() -> anyhow::Result<()>
{
    let server = Server::start()?;
    let admin = Api::login(&server.base, "admin", PASSWORD).await?;
    // A passed quiz is worth one 学时 here, so a quiz is enough study for a
    // class asking for one.
    let mut rules = admin.get("/api/v1/study/rules").await?;
    rules["passed_exam_hours"] = json!(1.0);
    admin.put("/api/v1/study/rules", rules).await?;

    let organizer = Api::login(&server.base, "organizer", PASSWORD).await?;
    let org = organizer.my_org().await?;
    let second = organizer
        .post(
            "/api/v1/people",
            json!({ "login": "activist2", "name": "钱向党", "role": "member",
                                         "standing": "activist", "org_id": org }),
        )
        .await?;
    let second = second["person"]["id"].as_i64().context("second activist")?;
    let bank = organizer.post("/api/v1/question-banks", json!({ "org_id": org, "name": "党章基础" })).await?;
    let bank = bank["id"].as_i64().context("bank id")?;
    let mut questions = Vec::new();
    for (stem, right) in
        [("党的最高理想和最终目标是什么？", "实现共产主义"), ("党的根本宗旨是什么？", "全心全意为人民服务")]
    {
        let q = json!({ "kind": "single", "stem": stem, "difficulty": 2, "categories": ["党章"], "explanation": "党章总纲",
                        "options": [{ "id": 1, "text": right }, { "id": 2, "text": "发展经济" }], "correct": [1] });
        let created = organizer.post(&format!("/api/v1/question-banks/{bank}/questions"), q).await?;
        questions.push(created["id"].as_i64().context("question id")?);
    }
    let quiz = one_question_exam(&organizer, org, bank, questions[0], "第一章小测").await?;
    let final_exam = one_question_exam(&organizer, org, bank, questions[1], "结业考试").await?;
    let course = organizer.post("/api/v1/courses", json!({ "org_id": org, "title": "入党积极分子必修课" })).await?;
    let course = course["id"].as_i64().context("course id")?;
    organizer
        .post(&format!("/api/v1/courses/{course}/lessons"), json!({ "title": "第一章小测", "exam_id": quiz }))
        .await?;
    organizer.post(&format!("/api/v1/courses/{course}/publish"), json!({})).await?;
    let activist = Api::login(&server.base, "activist", PASSWORD).await?;
    let first: i64 = activist.get("/api/v1/me").await?["id"].as_i64().context("me")?;

    let chromedriver = Driver::start()?;
    let profile = tempfile::tempdir()?;
    let driver = chromium_not_waiting(&chromedriver, profile.path(), 1280, 800, &[]).await?;
    capture_console_errors(&driver).await?;
    let shots = screenshots();
    let outcome = async {
        // 1. The 班主任 sets up the class in the page and enrols both activists.
        log_in(&driver, &server.base, "organizer", "/manage/classes").await?;
        appear(&driver, By::Id("new-class")).await?;
        wait_for_hydration(&driver).await?;
        driver.find(By::Id("class-name-input")).await?.send_keys("2026年第二期入党积极分子培训班").await?;
        // Class 学时 are earned in the class's term: it runs around today.
        let today = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).context("offset")?).date_naive();
        set_value(&driver, "class-from", &(today - chrono::Days::new(30)).to_string()).await?;
        set_value(&driver, "class-to", &(today + chrono::Days::new(30)).to_string()).await?;
        set_value(&driver, "class-hours", "1").await?;
        set_value(&driver, "class-essay-chars", "300").await?;
        let course_box = driver.find(By::Css(format!("input.class-course[value='{course}']"))).await?;
        press(&driver, &course_box).await?;
        driver.find(By::Css(format!("#class-exam option[value='{final_exam}']"))).await?.click().await?;
        driver.screenshot(&shots.join("class-new-1280.png")).await?;
        driver.set_window_rect(0, 0, 360, 780).await?;
        driver.screenshot(&shots.join("class-new-360.png")).await?;
        anyhow::ensure!(!scrolls_sideways(&driver, 360.0).await?, "the new-class form scrolls sideways at 360 px");
        driver.set_window_rect(0, 0, 1280, 800).await?;
        press(&driver, &driver.find(By::Id("create-class")).await?).await?;
        appear(&driver, By::Id("enrol")).await?;
        wait_for_hydration(&driver).await?;
        let class: i64 = driver.current_url().await?.path().rsplit('/').next().and_then(|s| s.parse().ok()).context("class id")?;
        // One picked from the list, the other from a table of logins.
        press(&driver, &driver.find(By::Css(format!("input.enrol-person[data-person='{first}']"))).await?).await?;
        press(&driver, &driver.find(By::Id("enrol-submit")).await?).await?;
        appear(&driver, By::Css(format!("li.student-row[data-person='{first}']"))).await?;
        wait_for_hydration(&driver).await?;
        let table = profile.path().join("学员名单.csv");
        std::fs::write(&table, "姓名,登录名\n钱向党,activist2\n")?;
        driver.find(By::Id("enrol-file")).await?.send_keys(table.to_string_lossy()).await?;
        press(&driver, &driver.find(By::Id("enrol-import-submit")).await?).await?;
        appear(&driver, By::Css(format!("li.student-row[data-person='{second}']"))).await?;
        wait_for_hydration(&driver).await?;
        driver.find(By::Id("essay-task-title")).await?.send_keys("学习党章心得体会").await?;
        press(&driver, &driver.find(By::Id("essay-task-submit")).await?).await?;
        appear(&driver, By::Css("#class-essays article.essay-task")).await?;
        shoot(&driver, "desk-enrolled", "#class-essays").await?;

        // 2. The first activist studies: the course's quiz earns the 学时.
        let attempt = activist.post(&format!("/api/v1/exams/{quiz}/attempts"), json!({ "holder": "page-cccccccccccccccc" })).await?;
        let id = attempt["id"].as_i64().context("attempt")?;
        activist
            .put(&format!("/api/v1/attempts/{id}/answers/0"),
                 json!({ "holder": "page-cccccccccccccccc", "seq": 1, "answer": { "kind": "single", "option": 1 } }))
            .await?;
        activist.post(&format!("/api/v1/attempts/{id}/submit"), json!({ "holder": "page-cccccccccccccccc" })).await?;

        // ... then, on a phone over a weak link, writes the essay.
        driver.delete_all_cookies().await?;
        driver.set_window_rect(0, 0, 360, 780).await?;
        log_in(&driver, &server.base, "activist", "/classes").await?;
        emulate(&driver, WEAK).await?;
        let link = appear(&driver, By::Css(format!("a[href='/classes/{class}']"))).await?;
        press(&driver, &link).await?;
        appear(&driver, By::Id("requirements")).await?;
        let hours = driver.find(By::Id("req-hours")).await?;
        assert_eq!(hours.attr("data-met").await?.as_deref(), Some("true"), "{}", hours.text().await?);
        appear(&driver, By::Id("open-exam")).await?;
        let needed = driver.find(By::Id("still-needed")).await?.text().await?;
        assert!(needed.contains("心得未通过") && needed.contains("结业考试未通过"), "{needed}");
        let essay = "入党积极分子培训使我对党的性质、宗旨和奋斗目标有了更深的认识。".repeat(12);
        let text = appear(&driver, By::Css("textarea.essay-text")).await?;
        wait_for_hydration(&driver).await?;
        driver
            .execute(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', { bubbles: true }));",
                vec![text.to_json()?, json!(essay)],
            )
            .await?;
        let count = driver.find(By::Css(".essay-count")).await?.text().await?;
        assert!(count.parse::<usize>().unwrap_or(0) >= 300, "counted {count}");
        shoot(&driver, "student-essay", "#class-essays").await?;
        press(&driver, &driver.find(By::Css("button.essay-submit")).await?).await?;
        wait_until(&driver, "the essay handed in", || async {
            Ok(driver.find(By::Css(".essay-state")).await?.attr("data-state").await?.as_deref() == Some("submitted"))
        })
        .await?;
        emulate(&driver, LOOPBACK).await?;

        // The 班主任 accepts it.
        driver.delete_all_cookies().await?;
        log_in(&driver, &server.base, "organizer", &format!("/manage/classes/{class}")).await?;
        let accept = appear(&driver, By::Css(format!(".essay-review[data-person='{first}'] button.accept-essay"))).await?;
        wait_for_hydration(&driver).await?;
        press(&driver, &accept).await?;
        appear(&driver, By::Css(format!(".essay-review[data-person='{first}'][data-state='accepted']"))).await?;

        // The student passes the final exam in the page.
        driver.delete_all_cookies().await?;
        log_in(&driver, &server.base, "activist", &format!("/classes/{class}")).await?;
        let open = appear(&driver, By::Id("open-exam")).await?;
        press(&driver, &open).await?;
        let start = appear(&driver, By::Id("exam-start")).await?;
        wait_for_hydration(&driver).await?;
        press(&driver, &start).await?;
        appear(&driver, By::Id("paper")).await?;
        let choices = driver.find_all(By::Css("#question label.choice")).await?;
        press(&driver, choices.first().context("a choice")?).await?;
        wait_until(&driver, "the answer saved", || async {
            let n = driver.execute("return document.querySelectorAll('.map-cell.answered').length - document.querySelectorAll('.map-cell.unsaved').length;", vec![]).await?;
            Ok(n.json().as_i64() == Some(1))
        })
        .await?;
        press(&driver, &driver.find(By::Id("exam-submit")).await?).await?;
        driver.accept_alert().await?;
        let done = appear(&driver, By::Id("exam-done")).await?;
        assert_eq!(done.attr("data-outcome").await?.as_deref(), Some("passed"));

        // 3. The 班主任 confirms the graduate; the other is blocked, and why.
        driver.delete_all_cookies().await?;
        log_in(&driver, &server.base, "organizer", &format!("/manage/classes/{class}")).await?;
        let blocked = appear(&driver, By::Css(format!("li.student-row[data-person='{second}']"))).await?;
        assert_eq!(blocked.attr("data-blocked").await?.as_deref(), Some("true"));
        let why = blocked.text().await?;
        assert!(why.contains("学时不足") && why.contains("心得未通过") && why.contains("结业考试未通过"), "{why}");
        let ready = driver.find(By::Css(format!("li.student-row[data-person='{first}']"))).await?;
        assert_eq!(ready.attr("data-blocked").await?.as_deref(), Some("false"), "{}", ready.text().await?);
        let graduates = driver.find_all(By::Css("#graduation input.graduate")).await?;
        assert_eq!(graduates.len(), 1, "only the ready student is offered");
        wait_for_hydration(&driver).await?;
        shoot(&driver, "desk-ready", "#class-report").await?;
        press(&driver, &driver.find(By::Id("confirm-graduates")).await?).await?;
        let row = appear(&driver, By::Css("#class-certificates .certificate-row")).await?;
        let serial = row.attr("data-serial").await?.context("serial")?;
        shoot(&driver, "desk-certificates", "#graduation").await?;
        // The branch's students in all its classes, as a file.
        driver.goto(format!("{}/manage/classes", server.base)).await?;
        let csv = appear(&driver, By::Id("branch-csv")).await?.attr("href").await?.context("csv link")?;
        let text = driver
            .execute_async("const done = arguments[1]; fetch(arguments[0]).then(r => r.text()).then(done);", vec![json!(csv)])
            .await?;
        let text = text.json().as_str().unwrap_or_default().to_owned();
        assert!(text.lines().count() == 3 && text.contains("赵进步") && text.contains("钱向党"), "{text}");
        shoot(&driver, "list", "#branch-report").await?;

        // The graduate downloads the certificate.
        driver.delete_all_cookies().await?;
        log_in(&driver, &server.base, "activist", &format!("/classes/{class}")).await?;
        let pdf = appear(&driver, By::Id("certificate-pdf")).await?;
        let href = pdf.attr("href").await?.context("pdf link")?;
        let fetched = driver
            .execute_async(
                "const done = arguments[1]; fetch(arguments[0]).then(async r => { const b = new Uint8Array(await r.arrayBuffer()); \
                 done([r.status, r.headers.get('content-type'), b.length, String.fromCharCode(...b.slice(0, 5))]); });",
                vec![json!(href)],
            )
            .await?;
        let fetched: Value = fetched.json().clone();
        assert_eq!(fetched[0], 200, "{fetched}");
        assert_eq!(fetched[1], "application/pdf");
        assert_eq!(fetched[3], "%PDF-");
        assert!(fetched[2].as_u64().unwrap_or(u64::MAX) < 200_000, "{fetched}");
        shoot(&driver, "student-certificate", "#my-certificate").await?;

        // 4. Anyone may check it, without logging in.
        driver.delete_all_cookies().await?;
        driver.goto(format!("{}/verify/{serial}", server.base)).await?;
        let result = appear(&driver, By::Id("verify-result")).await?;
        assert_eq!(result.attr("data-state").await?.as_deref(), Some("valid"));
        assert_eq!(driver.find(By::Id("verify-name")).await?.text().await?, "赵*步");
        assert_eq!(driver.find(By::Id("verify-class")).await?.text().await?, "2026年第二期入党积极分子培训班");
        let page = driver.source().await?;
        assert!(!page.contains("赵进步"), "the full name is not public");
        shoot(&driver, "verify", "h1").await?;
        driver.goto(format!("{}/verify/DX2026-1-9999-AAAAAAAAAA", server.base)).await?;
        let unknown = appear(&driver, By::Id("verify-result")).await?;
        assert_eq!(unknown.attr("data-state").await?.as_deref(), Some("unknown"));
        anyhow::Ok(())
    }
    .await;
    if outcome.is_err() {
        let _ = driver.screenshot(&shots.join("class-failure.png")).await;
    }
    driver.quit().await?;
    outcome
}
