//! Taking a timed quiz on a phone (issue 24): an activist opens the quiz
//! lesson of a course, starts the exam over a weak link (400 kbit/s, 400 ms) and answers some
//! questions; the network is cut (Chromium's offline emulation) and they
//! answer more, which the page keeps and marks as not yet saved; the
//! network returns and the page is reloaded: every answer is there, and on
//! the server. They submit and see the score and the explanations the
//! review allows. Screenshots at 360 × 780 and 1280 × 800.

use anyhow::Context;
use dangxiao_tests::api::Api;
use dangxiao_tests::browser::{appear, capture_console_errors, log_in, screenshots, wait_for_hydration, wait_until};
use dangxiao_tests::network::{chromium_not_waiting, emulate, LOOPBACK, WEAK};
use dangxiao_tests::{Driver, Server};
use serde_json::{json, Value};
use thirtyfour::extensions::cdp::ChromeDevTools;
use thirtyfour::prelude::*;

/// The quiz's five questions, one of each kind the page shows with inputs.
fn questions() -> Vec<Value> {
    let q = |kind: &str, stem: &str, extra: Value| {
        let mut q = json!({ "kind": kind, "stem": stem, "difficulty": 2, "categories": ["党章"],
                            "explanation": format!("依据党章：{stem}") });
        for (k, v) in extra.as_object().unwrap() {
            q[k] = v.clone();
        }
        q
    };
    let options = |texts: &[&str]| -> Value {
        json!(texts.iter().enumerate().map(|(i, t)| json!({ "id": i + 1, "text": t })).collect::<Vec<_>>())
    };
    vec![
        q(
            "single",
            "中国共产党的最高理想和最终目标是什么？",
            json!({ "options": options(&["实现共产主义", "实现小康", "发展经济", "改革开放"]), "correct": [1] }),
        ),
        q(
            "single",
            "党的最高领导机关是？",
            json!({ "options": options(&["党的全国代表大会和它所产生的中央委员会", "中央政治局", "中央书记处", "中央军委"]), "correct": [1] }),
        ),
        q(
            "multiple",
            "党员必须履行的义务包括哪些？",
            json!({ "options": options(&["认真学习", "全心全意为人民服务", "追求个人利益", "坚持党和人民的利益高于一切"]), "correct": [1, 2, 4] }),
        ),
        q("true_false", "预备党员的预备期为一年。", json!({ "truth": true })),
        q("fill_in", "党的根本宗旨是____。", json!({ "blanks": [["全心全意为人民服务"]] })),
    ]
}

async fn offline(driver: &WebDriver, off: bool) -> anyhow::Result<()> {
    let devtools = ChromeDevTools::new(driver.handle.clone());
    devtools.execute_cdp("Network.enable").await?;
    devtools
        .execute_cdp_with_params(
            "Network.emulateNetworkConditions",
            json!({ "offline": off, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1 }),
        )
        .await?;
    Ok(())
}

/// How many squares of the question map carry `class`.
async fn cells(driver: &WebDriver, class: &str) -> WebDriverResult<u64> {
    let v = driver.execute(&format!("return document.querySelectorAll('.map-cell.{class}').length;"), vec![]).await?;
    Ok(v.json().as_u64().unwrap_or(0))
}

/// Scrolls `element` to the middle of the screen (clear of the phone's
/// tab bar, as a thumb would) and taps it.
async fn press(driver: &WebDriver, element: &WebElement) -> anyhow::Result<()> {
    driver.execute("arguments[0].scrollIntoView({ block: 'center' });", vec![element.to_json()?]).await?;
    element.click().await?;
    Ok(())
}

async fn go_to_question(driver: &WebDriver, position: usize) -> anyhow::Result<()> {
    let cell = driver.find(By::Css(format!(".map-cell[data-position='{position}']"))).await?;
    press(driver, &cell).await?;
    wait_until(driver, "the question to show", || async {
        let q = driver.find(By::Id("question")).await?;
        Ok(q.attr("data-position").await?.as_deref() == Some(position.to_string().as_str()))
    })
    .await?;
    Ok(())
}

/// Taps the `k`th choice (0-based) of the question on screen.
async fn choose(driver: &WebDriver, k: usize) -> anyhow::Result<()> {
    let choices = driver.find_all(By::Css("#question label.choice")).await?;
    press(driver, choices.get(k).context("no such choice")?).await?;
    Ok(())
}

#[tokio::test]
async fn an_activist_takes_a_quiz_through_a_network_cut_and_a_reload_and_loses_nothing() -> anyhow::Result<()> {
    let server = Server::start()?;
    let organizer = Api::login(&server.base, "organizer", "dangxiao-demo").await?;
    let org = organizer.my_org().await?;
    let bank = organizer.post("/api/v1/question-banks", json!({ "org_id": org, "name": "党章基础" })).await?;
    let bank = bank["id"].as_i64().context("bank id")?;
    let mut items = Vec::new();
    for q in questions() {
        let created = organizer.post(&format!("/api/v1/question-banks/{bank}/questions"), q).await?;
        items.push(json!({ "question": created["id"], "points": 200 }));
    }
    let settings = json!({
        "time_limit_minutes": 20, "window": null, "attempts_allowed": 1, "counting": "highest",
        "pass_mark": { "unit": "percent", "value": 60 }, "multiple_scoring": "all_or_nothing",
        "shuffle": { "questions": false, "options": false }, "review": "after_submit",
        "prerequisites": { "courses": [], "credited_hours": 0 }, "practice": false
    });
    let exam = organizer
        .post(
            "/api/v1/exams",
            json!({ "org_id": org, "title": "党章知识小测", "settings": settings,
                                        "paper": { "mode": "fixed", "items": items }, "banks": [bank] }),
        )
        .await?;
    let exam = exam["id"].as_i64().context("exam id")?;
    organizer.put(&format!("/api/v1/exams/{exam}/publish"), json!({ "published": true })).await?;
    let course = organizer.post("/api/v1/courses", json!({ "org_id": org, "title": "党章学习" })).await?;
    let course = course["id"].as_i64().context("course id")?;
    let lesson = organizer
        .post(&format!("/api/v1/courses/{course}/lessons"), json!({ "title": "党章小测", "exam_id": exam }))
        .await?;
    let lesson = lesson["id"].as_i64().context("lesson id")?;
    organizer.post(&format!("/api/v1/courses/{course}/publish"), json!({})).await?;
    let activist = Api::login(&server.base, "activist", "dangxiao-demo").await?;

    let chromedriver = Driver::start()?;
    let profile = tempfile::tempdir()?;
    let driver = chromium_not_waiting(&chromedriver, profile.path(), 360, 780, &[]).await?;
    capture_console_errors(&driver).await?;
    let shots = screenshots();
    let outcome = async {
        log_in(&driver, &server.base, "activist", "/").await?;
        emulate(&driver, WEAK).await?;
        // The quiz lesson leads to the exam.
        driver.goto(format!("{}/lessons/{lesson}", server.base)).await?;
        let enter = appear(&driver, By::Id("enter-quiz")).await?;
        wait_for_hydration(&driver).await?;
        driver.screenshot(&shots.join("exam-quiz-lesson-360.png")).await?;
        press(&driver, &enter).await?;
        let start = appear(&driver, By::Id("exam-start")).await?;
        wait_for_hydration(&driver).await?;
        driver.screenshot(&shots.join("exam-rules-360.png")).await?;
        press(&driver, &start).await?;
        appear(&driver, By::Id("paper")).await?;

        // Two answers online: each is saved as it is given.
        choose(&driver, 0).await?;
        go_to_question(&driver, 1).await?;
        choose(&driver, 0).await?;
        wait_until(&driver, "two saved answers", || async {
            Ok(cells(&driver, "answered").await? == 2 && cells(&driver, "unsaved").await? == 0)
        })
        .await?;
        driver.screenshot(&shots.join("exam-paper-360.png")).await?;

        // The network goes: two more answers stay on the device, marked.
        offline(&driver, true).await?;
        go_to_question(&driver, 2).await?;
        choose(&driver, 0).await?;
        choose(&driver, 1).await?;
        choose(&driver, 3).await?;
        go_to_question(&driver, 3).await?;
        choose(&driver, 0).await?;
        appear(&driver, By::Id("offline-notice")).await?;
        wait_until(&driver, "two answers waiting", || async { Ok(cells(&driver, "unsaved").await? == 2) }).await?;
        driver.screenshot(&shots.join("exam-offline-360.png")).await?;
        let attempt_id = driver
            .execute("return Object.keys(localStorage).find(k => k.startsWith('dangxiao.exam.'));", vec![])
            .await?;
        let key = attempt_id.json().as_str().context("the queue is in localStorage")?.to_owned();
        let attempt: i64 = key.split('.').nth(2).and_then(|n| n.parse().ok()).context("attempt id")?;
        let stored = activist.get(&format!("/api/v1/attempts/{attempt}")).await?;
        let on_server = stored["questions"].as_array().unwrap().iter().filter(|q| !q["answer"].is_null()).count();
        assert_eq!(on_server, 2, "offline answers cannot have reached the server");

        // The network returns and the page is reloaded at once.
        offline(&driver, false).await?;
        emulate(&driver, LOOPBACK).await?;
        driver.refresh().await?;
        appear(&driver, By::Id("paper")).await?;
        wait_until(&driver, "every answer back and saved", || async {
            Ok(cells(&driver, "answered").await? == 4 && cells(&driver, "unsaved").await? == 0)
        })
        .await?;
        let stored = activist.get(&format!("/api/v1/attempts/{attempt}")).await?;
        let answers: Vec<&Value> = stored["questions"].as_array().unwrap().iter().map(|q| &q["answer"]).collect();
        assert_eq!(answers[2], &json!({ "kind": "multiple", "options": [1, 2, 4] }), "{stored}");
        assert_eq!(answers[3], &json!({ "kind": "true_false", "value": true }), "{stored}");

        // The last one, a blank to fill; then submit.
        go_to_question(&driver, 4).await?;
        let blank = driver.find(By::Css("#question label.blank input")).await?;
        blank.send_keys("全心全意为人民服务").await?;
        blank.send_keys(Key::Tab).await?;
        wait_until(&driver, "five saved answers", || async {
            Ok(cells(&driver, "answered").await? == 5 && cells(&driver, "unsaved").await? == 0)
        })
        .await?;
        driver.set_window_rect(0, 0, 1280, 800).await?;
        driver.screenshot(&shots.join("exam-paper-1280.png")).await?;
        driver.set_window_rect(0, 0, 360, 780).await?;
        press(&driver, &driver.find(By::Id("exam-submit")).await?).await?;
        driver.accept_alert().await?;
        let done = appear(&driver, By::Id("exam-done")).await?;
        assert_eq!(done.attr("data-outcome").await?.as_deref(), Some("passed"));
        let score = driver.find(By::Id("exam-score")).await?.text().await?;
        assert!(score.contains("100 / 100"), "{score}");
        let explanations = driver.find_all(By::Css("#review .explanation")).await?;
        assert_eq!(explanations.len(), 5, "the review shows each 解析 after submitting");
        driver.screenshot(&shots.join("exam-result-360.png")).await?;
        driver.set_window_rect(0, 0, 1280, 800).await?;
        driver.screenshot(&shots.join("exam-result-1280.png")).await?;
        // Nothing sits sideways out of the phone's view.
        driver.set_window_rect(0, 0, 360, 780).await?;
        let wide = driver.execute("return document.documentElement.scrollWidth;", vec![]).await?;
        assert!(wide.json().as_f64().unwrap_or(0.0) <= 360.0, "the page scrolls sideways: {wide:?}");
        // The pass completes the quiz lesson.
        let course_view = activist.get(&format!("/api/v1/courses/{course}")).await?;
        assert_eq!(course_view["progress"]["lessons_completed"], 1, "{course_view}");
        anyhow::Ok(())
    }
    .await;
    if outcome.is_err() {
        let _ = driver.screenshot(&shots.join("exam-failure.png")).await;
    }
    driver.quit().await?;
    outcome
}
