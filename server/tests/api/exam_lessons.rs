//! Quiz lessons (issue 24): an exam inside a course, complete when passed,
//! open to the course's audience; the passed-exam 学时 as a rule stored as
//! data; a result that stops being a pass takes both back.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::courses::{add_lesson, article_lesson, new_course, ok, publish};
use crate::exams::{bank, exam, fixed, right_answer, save, start, HOLDER_A};
use crate::helpers::{expect_error, Client, TestApp, BRANCH_1, BRANCH_2};
use crate::on_both_databases;

/// Answers every question of a fresh attempt right and submits it.
async fn pass(c: &Client, exam: i64, keys: &[Value]) -> Value {
    let attempt = ok(start(c, exam, HOLDER_A).await).await;
    let id = attempt["id"].as_i64().unwrap();
    for (i, q) in attempt["questions"].as_array().unwrap().iter().enumerate() {
        ok(save(c, id, i, HOLDER_A, 1, right_answer(keys, &q["question"])).await).await;
    }
    ok(c.post(&format!("/api/v1/attempts/{id}/submit"), json!({ "holder": HOLDER_A })).await).await
}

async fn progress(c: &Client, course: i64) -> (u64, u64) {
    let view = ok(c.get(&format!("/api/v1/courses/{course}")).await).await;
    let p = &view["progress"];
    (p["lessons_completed"].as_u64().unwrap(), p["lessons_total"].as_u64().unwrap())
}

async fn hours(c: &Client) -> f64 {
    ok(c.get("/api/v1/study/hours").await).await["total"]["hours"].as_f64().unwrap()
}

on_both_databases! {
    async fn a_quiz_lesson_is_complete_when_passed_and_earns_the_rules_hours(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (bank, keys) = bank(&app, &o).await;
        let quiz = exam(&app, &o, bank, fixed(&keys, &["single", "true_false"]), json!({ "time_limit_minutes": null })).await;
        let course = new_course(&app, &o, BRANCH_1, "党章学习", json!({})).await;
        article_lesson(&o, course, "读党章", "中国共产党是中国工人阶级的先锋队。").await;
        let lesson = add_lesson(&o, course, json!({ "title": "党章小测", "exam_id": quiz })).await;
        assert_eq!((lesson["kind"].as_str(), lesson["exam_id"].as_i64()), (Some("exam"), Some(quiz)), "{lesson}");
        let lesson = lesson["id"].as_i64().unwrap();
        publish(&o, course).await;

        let a = app.login("activist").await;
        assert_eq!(progress(&a, course).await, (0, 2));
        // A quiz records no study time: no playback session.
        expect_error(a.post(&format!("/api/v1/lessons/{lesson}/sessions"), json!({})).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        let page = ok(a.get(&format!("/api/v1/lessons/{lesson}")).await).await;
        assert_eq!(page["lesson"]["exam_id"].as_i64(), Some(quiz), "the lesson page links the exam");

        let done = pass(&a, quiz, &keys).await;
        assert_eq!(done["result"]["score"]["outcome"], "passed", "{done}");
        assert_eq!(progress(&a, course).await, (1, 2), "the pass completes the quiz lesson");
        assert_eq!(hours(&a).await, 0.5, "a passed test is worth 0.5 学时 by default");
        let study = ok(a.get("/api/v1/study/hours").await).await;
        let line = &study["courses"][0]["lessons"][0];
        assert_eq!((line["lesson_id"].as_i64(), line["hours"].as_f64(), line["completed"].as_bool()), (Some(lesson), Some(0.5), Some(true)), "{study}");

        // The rule is data: changing it restates the hours, in the
        // person's view and in the yearly roll-up the reports read.
        let admin = app.login("admin").await;
        let mut rules = ok(admin.get("/api/v1/study/rules").await).await;
        rules["passed_exam_hours"] = json!(1.0);
        ok(admin.put("/api/v1/study/rules", rules.clone()).await).await;
        assert_eq!(hours(&a).await, 1.0);
        dangxiao_server::startup::report_upkeep_once(&app.state).await;
        let activist = app.person_id("activist").await;
        assert_eq!(app.number(&format!("SELECT counted_ms AS n FROM study_years WHERE person_id = {activist}")).await, 45 * 60_000);
        rules["passed_exam_hours"] = json!(0.33);
        expect_error(admin.put("/api/v1/study/rules", rules).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;

        // The key was wrong after all: the pass goes, and what it earned.
        let q = keys.iter().find(|q| q["kind"] == "true_false").unwrap();
        let mut corrected = q["data"].clone();
        corrected["truth"] = json!(!q["data"]["truth"].as_bool().unwrap());
        ok(o.put(&format!("/api/v1/question-banks/{bank}/questions/{}", q["id"]), corrected).await).await;
        let standing = ok(a.get(&format!("/api/v1/exams/{quiz}/standing")).await).await;
        assert_eq!(standing["result"]["outcome"], "failed", "{standing}");
        assert_eq!(progress(&a, course).await, (0, 2));
        assert_eq!(hours(&a).await, 0.0);
        dangxiao_server::startup::report_upkeep_once(&app.state).await;
        assert_eq!(app.number(&format!("SELECT counted_ms AS n FROM study_years WHERE person_id = {activist}")).await, 0);
        // A lesson with a result behind it is not deleted (its attempts stay the record).
        assert_eq!(app.count("exam_credits").await, 0);
    }

    async fn a_quiz_is_open_to_the_courses_audience_and_only_usable_where_the_tree_allows(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (bank, keys) = bank(&app, &o).await;
        // The exam alone names nobody but member2; as a quiz lesson of a
        // branch course, the branch may take it.
        let body = json!({ "org_id": app.org_id(BRANCH_1).await, "title": "小测", "settings": crate::exams::settings(json!({})),
                           "paper": fixed(&keys, &["single"]), "banks": [bank],
                           "audience": { "orgs": [], "roles": [], "people": [app.person_id("member2").await] } });
        let quiz = ok_created(o.post("/api/v1/exams", body).await).await;
        ok(o.put(&format!("/api/v1/exams/{quiz}/publish"), json!({ "published": true })).await).await;
        let a = app.login("activist").await;
        expect_error(start(&a, quiz, HOLDER_A).await, StatusCode::NOT_FOUND, "not_found").await;

        let course = new_course(&app, &o, BRANCH_1, "党章学习", json!({})).await;
        let lessons_before = app.count("lessons").await;
        // Another branch's exam, a made-up id: not usable here.
        let o2 = app.login("organizer2").await;
        let (bank2, keys2) = bank_of(&app, &o2, BRANCH_2).await;
        let other = exam_of(&app, &o2, BRANCH_2, bank2, &keys2).await;
        for id in [other, 999_999] {
            expect_error(o.post(&format!("/api/v1/courses/{course}/lessons"), json!({ "title": "测", "exam_id": id })).await,
                         StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        }
        // Both an article and an exam.
        expect_error(o.post(&format!("/api/v1/courses/{course}/lessons"), json!({ "title": "测", "exam_id": quiz, "article": "x" })).await,
                     StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        let lesson = add_lesson(&o, course, json!({ "title": "党章小测", "exam_id": quiz })).await;
        // The quiz's exam stays while the lesson does.
        expect_error(o.delete(&format!("/api/v1/exams/{quiz}")).await, StatusCode::CONFLICT, "conflict").await;
        assert_eq!(lesson["exam_id"].as_i64(), Some(quiz));
        // One lesson per exam.
        expect_error(o.post(&format!("/api/v1/courses/{course}/lessons"), json!({ "title": "再测", "exam_id": quiz })).await,
                     StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        assert_eq!(app.count("lessons").await, lessons_before + 1, "refused lessons are not stored");

        // Not before the course is published.
        expect_error(start(&a, quiz, HOLDER_A).await, StatusCode::NOT_FOUND, "not_found").await;
        publish(&o, course).await;
        assert_eq!(pass(&a, quiz, &keys).await["result"]["score"]["outcome"], "passed");
        // Outside the course's audience: still nothing.
        let outsider = app.login("member3").await;
        expect_error(start(&outsider, quiz, HOLDER_A).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(outsider.get(&format!("/api/v1/exams/{quiz}/standing")).await, StatusCode::NOT_FOUND, "not_found").await;
    }
}

async fn ok_created(r: reqwest::Response) -> i64 {
    let status = r.status();
    let body: Value = r.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_i64().unwrap()
}

/// A bank of `org` with the fixture questions.
async fn bank_of(app: &TestApp, o: &Client, org: &str) -> (i64, Vec<Value>) {
    let r = o.post("/api/v1/question-banks", json!({ "org_id": app.org_id(org).await, "name": "题库" })).await;
    let bank = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    ok(o.upload(
        &format!("/api/v1/question-banks/{bank}/import"),
        "bank.csv",
        crate::course_files::fixture("exams/bank.csv"),
    )
    .await)
    .await;
    let list = ok(o.get(&format!("/api/v1/question-banks/{bank}/questions")).await).await;
    (bank, list.as_array().unwrap().clone())
}

async fn exam_of(app: &TestApp, o: &Client, org: &str, bank: i64, keys: &[Value]) -> i64 {
    let body = json!({ "org_id": app.org_id(org).await, "title": "他支部测验", "settings": crate::exams::settings(json!({})),
                       "paper": fixed(keys, &["single"]), "banks": [bank] });
    ok_created(o.post("/api/v1/exams", body).await).await
}
