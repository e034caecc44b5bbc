//! The organizers' exam pages on a phone (issue 24): a branch secretary
//! makes a question bank, imports the 党章 bank from Excel (a dry run
//! first), sets up an exam drawn from it with a short answer, publishes
//! it; once an activist has submitted, grades the short answer by hand and
//! sees the result in the report. Screenshots at 360 × 780 and 1280 × 800.

use anyhow::Context;
use dangxiao_tests::api::Api;
use dangxiao_tests::browser::{appear, log_in, screenshots, wait_for_hydration, wait_until, Browser};
use serde_json::json;
use thirtyfour::prelude::*;

async fn press(driver: &WebDriver, element: &WebElement) -> anyhow::Result<()> {
    driver.execute("arguments[0].scrollIntoView({ block: 'center' });", vec![element.to_json()?]).await?;
    element.click().await?;
    Ok(())
}

async fn text_of(driver: &WebDriver, id: &str) -> WebDriverResult<String> {
    driver.find(By::Id(id)).await?.text().await
}

#[tokio::test]
async fn an_organizer_imports_a_bank_sets_up_an_exam_and_grades_a_short_answer() -> anyhow::Result<()> {
    let server = dangxiao_tests::Server::start()?;
    let browser = Browser::open().await?;
    let driver = &browser.driver;
    let shots = screenshots();
    let outcome = async {
        driver.set_window_rect(0, 0, 360, 780).await?;
        log_in(driver, &server.base, "organizer", "/manage/exams").await?;
        appear(driver, By::Id("new-bank-form")).await?;
        wait_for_hydration(driver).await?;
        driver.find(By::Id("new-bank-name")).await?.send_keys("党章基础题库").await?;
        press(driver, &driver.find(By::Id("create-bank")).await?).await?;

        // The bank's page: a dry run of the Excel file, then the import.
        appear(driver, By::Id("bank-import-form")).await?;
        wait_for_hydration(driver).await?;
        let file = dangxiao_tests::workspace_root().join("tests/fixtures/exams/bank.xlsx");
        driver.find(By::Id("bank-file")).await?.send_keys(file.display().to_string()).await?;
        press(driver, &driver.find(By::Id("bank-upload")).await?).await?;
        let summary = appear(driver, By::Id("bank-import-summary")).await?;
        assert_eq!(summary.attr("data-dry-run").await?.as_deref(), Some("true"));
        assert!(summary.text().await?.contains("新增 100"), "{}", summary.text().await?);
        press(driver, &driver.find(By::Id("bank-dry-run")).await?).await?;
        press(driver, &driver.find(By::Id("bank-upload")).await?).await?;
        wait_until(driver, "the real import", || async {
            Ok(driver.find(By::Id("bank-import-summary")).await?.attr("data-dry-run").await?.as_deref()
                == Some("false"))
        })
        .await?;
        driver.screenshot(&shots.join("exam-bank-import-360.png")).await?;
        driver.refresh().await?;
        let listed = driver.find_all(By::Css("#bank-questions li")).await?;
        assert_eq!(listed.len(), 100);

        // A new exam: three single-choice questions and one short answer.
        driver.goto(format!("{}/manage/exams", server.base)).await?;
        appear(driver, By::Id("new-exam-form")).await?;
        wait_for_hydration(driver).await?;
        driver.find(By::Id("new-exam-title")).await?.send_keys("支部党章测验").await?;
        let first = driver.find(By::Css(".rule-row")).await?;
        let inputs = first.find_all(By::Css("input")).await?;
        inputs[0].clear().await?;
        inputs[0].send_keys("3").await?;
        inputs[2].clear().await?;
        inputs[2].send_keys("30").await?;
        press(driver, &driver.find(By::Id("add-rule")).await?).await?;
        wait_until(driver, "a second rule", || async { Ok(driver.find_all(By::Css(".rule-row")).await?.len() == 2) })
            .await?;
        let second = driver.find_all(By::Css(".rule-row")).await?.remove(1);
        let inputs = second.find_all(By::Css("input")).await?;
        inputs[0].clear().await?;
        inputs[0].send_keys("1").await?;
        inputs[2].clear().await?;
        inputs[2].send_keys("10").await?;
        second.find(By::Css("select")).await?.send_keys("简答题").await?;
        driver.screenshot(&shots.join("exam-new-form-360.png")).await?;
        press(driver, &driver.find(By::Id("create-exam")).await?).await?;
        appear(driver, By::Id("exam-results")).await?;
        let url = driver.current_url().await?;
        let exam: i64 = url.path().rsplit('/').next().and_then(|s| s.parse().ok()).context("exam id in the URL")?;

        // Publish it from the list.
        driver.goto(format!("{}/manage/exams", server.base)).await?;
        appear(driver, By::Id("managed-exams")).await?;
        wait_for_hydration(driver).await?;
        let card = driver.find(By::Css(format!("li[data-exam='{exam}']"))).await?;
        press(driver, &card.find(By::Css(".publish button")).await?).await?;
        wait_until(driver, "published", || async {
            let tag = driver.find(By::Css(format!("li[data-exam='{exam}'] .publish .tag"))).await?;
            Ok(tag.attr("data-published").await?.as_deref() == Some("true"))
        })
        .await?;
        driver.screenshot(&shots.join("exam-list-360.png")).await?;

        // An activist takes it (through the API) and submits.
        let activist = Api::login(&server.base, "activist", "dangxiao-demo").await?;
        let holder = "page-organizer-test-0001";
        let attempt = activist.post(&format!("/api/v1/exams/{exam}/attempts"), json!({ "holder": holder })).await?;
        let id = attempt["id"].as_i64().context("attempt id")?;
        for q in attempt["questions"].as_array().context("questions")? {
            let answer = match q["question"]["kind"].as_str() {
                Some("short_answer") => json!({ "kind": "short_answer", "text": "党员要吃苦在前，享受在后。" }),
                _ => json!({ "kind": "single", "option": q["question"]["options"][0]["id"] }),
            };
            activist
                .put(
                    &format!("/api/v1/attempts/{id}/answers/{}", q["position"]),
                    json!({ "holder": holder, "seq": 1, "answer": answer }),
                )
                .await?;
        }
        let done = activist.post(&format!("/api/v1/attempts/{id}/submit"), json!({ "holder": holder })).await?;
        assert_eq!(done["result"]["score"]["outcome"], "pending");

        // The organizer grades the short answer.
        driver.goto(format!("{}/manage/exams/{exam}", server.base)).await?;
        let item = appear(driver, By::Css(".grading-item")).await?;
        wait_for_hydration(driver).await?;
        assert!(item.text().await?.contains("党员要吃苦在前"), "the grader sees the answer");
        assert!(text_of(driver, "exam-results").await?.contains("1"), "the taker is counted");
        driver.screenshot(&shots.join("exam-grading-360.png")).await?;
        item.find(By::Css(".grade-input")).await?.send_keys("8").await?;
        press(driver, &item.find(By::Css(".grade-button")).await?).await?;
        let graded = appear(driver, By::Css(".graded")).await?;
        assert!(graded.text().await?.contains("已评分"), "{}", graded.text().await?);
        let standing = activist.get(&format!("/api/v1/exams/{exam}/standing")).await?;
        assert_ne!(standing["result"]["outcome"], "pending", "the result is final once graded: {standing}");
        driver.refresh().await?;
        appear(driver, By::Id("nothing-to-grade")).await?;
        driver.set_window_rect(0, 0, 1280, 800).await?;
        driver.screenshot(&shots.join("exam-report-1280.png")).await?;
        driver.goto(format!("{}/manage/exams", server.base)).await?;
        appear(driver, By::Id("new-exam-form")).await?;
        driver.screenshot(&shots.join("exam-list-1280.png")).await?;
        // A member has no such page.
        anyhow::Ok(())
    }
    .await;
    browser.close(outcome, "exam-organizer").await
}
