//! Exams (issue 24): drawing a paper once per attempt with no key in what
//! the page receives, saving answers with sequence numbers, takeover by
//! another page, the server's deadline (with or without the page open),
//! grading and the review, and every refusal the issue lists, each
//! storing nothing and changing no other attempt.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::course_files::fixture;
use crate::courses::ok;
use crate::helpers::{expect_error, Client, TestApp, BRANCH_1};
use crate::on_both_databases;

pub(crate) const HOLDER_A: &str = "page-aaaaaaaaaaaaaaaa";
pub(crate) const HOLDER_B: &str = "page-bbbbbbbbbbbbbbbb";

/// A bank of branch 1 holding the 100 fixture questions; (bank, questions
/// with their keys as the organizer sees them).
pub(crate) async fn bank(app: &TestApp, o: &Client) -> (i64, Vec<Value>) {
    let r = o.post("/api/v1/question-banks", json!({ "org_id": app.org_id(BRANCH_1).await, "name": "党章题库" })).await;
    let bank = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let report =
        ok(o.upload(&format!("/api/v1/question-banks/{bank}/import"), "bank.csv", fixture("exams/bank.csv")).await)
            .await;
    assert_eq!(report["created"], 100);
    let list = ok(o.get(&format!("/api/v1/question-banks/{bank}/questions")).await).await;
    (bank, list.as_array().unwrap().clone())
}

pub(crate) fn settings(extra: Value) -> Value {
    let mut s = json!({
        "time_limit_minutes": 40, "window": null, "attempts_allowed": 2, "counting": "highest",
        "pass_mark": { "unit": "percent", "value": 60 }, "multiple_scoring": "all_or_nothing",
        "shuffle": { "questions": true, "options": true }, "review": "after_submit",
        "prerequisites": { "courses": [], "credited_hours": 0 }, "practice": false
    });
    for (k, v) in extra.as_object().unwrap() {
        s[k] = v.clone();
    }
    s
}

/// A published exam of branch 1 over `bank` with `paper` and `extra` settings.
pub(crate) async fn exam(app: &TestApp, o: &Client, bank: i64, paper: Value, extra: Value) -> i64 {
    let body = json!({ "org_id": app.org_id(BRANCH_1).await, "title": "党章知识测试", "settings": settings(extra),
                       "paper": paper, "banks": [bank] });
    let r = o.post("/api/v1/exams", body).await;
    let status = r.status();
    let created: Value = r.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().unwrap();
    ok(o.put(&format!("/api/v1/exams/{id}/publish"), json!({ "published": true })).await).await;
    id
}

fn drawn() -> Value {
    json!({ "mode": "drawn", "rules": [
        { "count": 10, "kind": "single", "points_each": 20 },
        { "count": 3, "kind": "multiple", "points_each": 30 },
        { "count": 5, "kind": "true_false", "points_each": 10 } ] })
}

/// A fixed paper of the first question of each kind given, 10 points each.
pub(crate) fn fixed(questions: &[Value], kinds: &[&str]) -> Value {
    let items: Vec<Value> = kinds
        .iter()
        .map(|k| {
            let q = questions.iter().find(|q| q["kind"] == *k).unwrap();
            json!({ "question": q["id"], "points": 100 })
        })
        .collect();
    json!({ "mode": "fixed", "items": items })
}

/// The right answer to a question the page shows, from the organizer's keys.
pub(crate) fn right_answer(keys: &[Value], shown: &Value) -> Value {
    let key = &keys.iter().find(|k| k["data"]["stem"] == shown["stem"]).expect("the question is in the bank")["data"];
    match key["kind"].as_str().unwrap() {
        "single" => json!({ "kind": "single", "option": key["correct"][0] }),
        "multiple" => json!({ "kind": "multiple", "options": key["correct"] }),
        "true_false" => json!({ "kind": "true_false", "value": key["truth"] }),
        "fill_in" => {
            json!({ "kind": "fill_in", "blanks": key["blanks"].as_array().unwrap().iter().map(|b| b[0].clone()).collect::<Vec<_>>() })
        }
        _ => json!({ "kind": "short_answer", "text": "党员必须全心全意为人民服务。" }),
    }
}

pub(crate) async fn start(c: &Client, exam: i64, holder: &str) -> reqwest::Response {
    c.post(&format!("/api/v1/exams/{exam}/attempts"), json!({ "holder": holder })).await
}

pub(crate) async fn save(
    c: &Client,
    attempt: i64,
    position: usize,
    holder: &str,
    seq: i64,
    answer: Value,
) -> reqwest::Response {
    c.put(
        &format!("/api/v1/attempts/{attempt}/answers/{position}"),
        json!({ "holder": holder, "seq": seq, "answer": answer }),
    )
    .await
}

async fn set_deadline_passed(app: &TestApp, attempt: i64) {
    let past = chrono::Utc::now().timestamp_millis() - 60_000;
    sea_orm::ConnectionTrait::execute_unprepared(
        &app.db,
        &format!("UPDATE exam_attempts SET deadline_ms = {past} WHERE id = {attempt}"),
    )
    .await
    .unwrap();
}

/// The stored answers of an attempt, to compare before and after a refusal.
async fn answers(app: &TestApp, attempt: i64) -> String {
    use sea_orm::ConnectionTrait;
    let sql =
        format!("SELECT position, answer, seq FROM attempt_answers WHERE attempt_id = {attempt} ORDER BY position");
    let rows = app.db.query_all_raw(sea_orm::Statement::from_string(app.db.get_database_backend(), sql)).await.unwrap();
    let rows: Vec<(i32, Option<String>, i64)> = rows
        .iter()
        .map(|r| (r.try_get("", "position").unwrap(), r.try_get("", "answer").unwrap(), r.try_get("", "seq").unwrap()))
        .collect();
    format!("{rows:?}")
}

on_both_databases! {
    async fn an_activist_takes_a_drawn_exam_and_no_key_reaches_the_page(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (bank, keys) = bank(&app, &o).await;
        let exam = exam(&app, &o, bank, drawn(), json!({})).await;
        let a = app.login("activist").await;

        let standing = ok(a.get(&format!("/api/v1/exams/{exam}/standing")).await).await;
        assert_eq!((standing["questions"].as_u64(), standing["max_points"].as_u64()), (Some(18), Some(340)), "{standing}");
        assert!(standing["refusal"].is_null() && standing["open_attempt"].is_null(), "{standing}");

        let r = start(&a, exam, HOLDER_A).await;
        assert_eq!(r.status(), StatusCode::OK);
        let text = r.text().await.unwrap();
        for field in ["\"correct\"", "\"truth\"", "\"explanation\"", "\"reference\"", "\"grade\""] {
            assert!(!text.contains(field), "the page received {field}: {text}");
        }
        let attempt: Value = serde_json::from_str(&text).unwrap();
        let id = attempt["id"].as_i64().unwrap();
        let questions = attempt["questions"].as_array().unwrap().clone();
        assert_eq!(questions.len(), 18);
        assert!(attempt["deadline_ms"].as_i64().unwrap() - attempt["server_now_ms"].as_i64().unwrap() > 39 * 60_000);
        // The paper is drawn once: reading it again, or starting again from
        // the same page, gives the same questions in the same order.
        let again = ok(start(&a, exam, HOLDER_A).await).await;
        assert_eq!((again["id"].as_i64(), &again["questions"]), (Some(id), &attempt["questions"]));

        for (i, q) in questions.iter().enumerate() {
            let saved = ok(save(&a, id, i, HOLDER_A, 1, right_answer(&keys, &q["question"])).await).await;
            assert_eq!(saved["seq"], 1);
            assert!(saved["feedback"].is_null(), "no feedback outside practice");
        }
        let reloaded = ok(a.get(&format!("/api/v1/attempts/{id}")).await).await;
        assert!(reloaded["questions"].as_array().unwrap().iter().all(|q| q["seq"] == 1 && !q["answer"].is_null()));

        let done = ok(a.post(&format!("/api/v1/attempts/{id}/submit"), json!({ "holder": HOLDER_A })).await).await;
        let score = &done["result"]["score"];
        assert_eq!((score["total"].as_u64(), score["max"].as_u64(), score["outcome"].as_str()), (Some(340), Some(340), Some("passed")), "{done}");
        // The review shows answers and 解析 after submitting, as set.
        assert!(done["result"]["review"].as_array().unwrap().iter().all(|r| !r["key"]["explanation"].is_null()));
        let standing = ok(a.get(&format!("/api/v1/exams/{exam}/standing")).await).await;
        assert_eq!(standing["result"]["outcome"], "passed");
        assert_eq!(standing["attempts"].as_array().unwrap().len(), 1);
        // The xAPI export ends with the result: passed, with the score.
        let xapi = ok(a.get("/api/v1/xapi/statements").await).await;
        let passed: Vec<&Value> = xapi["statements"].as_array().unwrap().iter()
            .filter(|s| s["object"]["id"].as_str().is_some_and(|o| o.ends_with(&format!("/exams/{exam}")))).collect();
        assert_eq!(passed.len(), 1, "{xapi}");
        assert_eq!(passed[0]["verb"]["id"], "http://adlnet.gov/expapi/verbs/passed");
        assert_eq!((passed[0]["result"]["score"]["raw"].as_f64(), passed[0]["result"]["success"].as_bool()), (Some(34.0), Some(true)));
    }

    async fn saves_are_refused_when_stale_taken_over_late_or_malformed_and_change_nothing(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (bank, keys) = bank(&app, &o).await;
        let exam = exam(&app, &o, bank, fixed(&keys, &["single", "fill_in", "short_answer"]), json!({ "shuffle": { "questions": false, "options": false } })).await;
        let a = app.login("activist").await;
        let attempt = ok(start(&a, exam, HOLDER_A).await).await;
        let id = attempt["id"].as_i64().unwrap();
        let single = &attempt["questions"][0]["question"];
        let right = right_answer(&keys, single);
        let wrong_option = single["options"].as_array().unwrap().iter()
            .find(|opt| opt["id"] != right["option"]).unwrap()["id"].clone();
        ok(save(&a, id, 0, HOLDER_A, 2, json!({ "kind": "single", "option": wrong_option })).await).await;
        let before = answers(&app, id).await;

        // A stale page's older save.
        expect_error(save(&a, id, 0, HOLDER_A, 1, right.clone()).await, StatusCode::CONFLICT, "conflict").await;
        expect_error(save(&a, id, 0, HOLDER_A, 2, right.clone()).await, StatusCode::CONFLICT, "conflict").await;
        // A question not in the paper; an option of another question; the wrong kind.
        expect_error(save(&a, id, 3, HOLDER_A, 5, right.clone()).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        expect_error(save(&a, id, 0, HOLDER_A, 5, json!({ "kind": "single", "option": 99 })).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        expect_error(save(&a, id, 0, HOLDER_A, 5, json!({ "kind": "true_false", "value": true })).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        // An answer of 1 MB.
        let huge = "党".repeat(350_000);
        expect_error(save(&a, id, 2, HOLDER_A, 5, json!({ "kind": "short_answer", "text": huge })).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        expect_error(save(&a, id, 1, HOLDER_A, 5, json!({ "kind": "fill_in", "blanks": ["一".repeat(400_000)] })).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        // A malformed holder.
        expect_error(save(&a, id, 0, "x", 5, right.clone()).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        // Someone else's attempt.
        let m = app.login("member2").await;
        expect_error(m.get(&format!("/api/v1/attempts/{id}")).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(save(&m, id, 0, HOLDER_A, 9, right.clone()).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(m.post(&format!("/api/v1/attempts/{id}/submit"), json!({ "holder": HOLDER_A })).await, StatusCode::NOT_FOUND, "not_found").await;
        assert_eq!(answers(&app, id).await, before, "no refused save changed anything");

        // Another page takes the attempt over: the old page can no longer save.
        let on_b = ok(start(&a, exam, HOLDER_B).await).await;
        assert_eq!((on_b["id"].as_i64(), on_b["holder"].as_str()), (Some(id), Some(HOLDER_B)));
        assert_eq!(on_b["questions"][0]["seq"], 2, "the new page sees the saved answer and its number");
        expect_error(save(&a, id, 0, HOLDER_A, 3, right.clone()).await, StatusCode::CONFLICT, "conflict").await;
        assert_eq!(answers(&app, id).await, before);
        // A client's own score or verdict is ignored.
        let cheat = json!({ "holder": HOLDER_B, "seq": 3, "answer": { "kind": "single", "option": wrong_option }, "score": 100, "correct": true });
        ok(a.put(&format!("/api/v1/attempts/{id}/answers/0"), cheat).await).await;
        ok(save(&a, id, 2, HOLDER_B, 1, json!({ "kind": "short_answer", "text": "坚持全心全意为人民服务的根本宗旨。" })).await).await;
        let done = ok(a.post(&format!("/api/v1/attempts/{id}/submit"), json!({ "holder": HOLDER_B })).await).await;
        assert_eq!(done["result"]["review"][0]["grade"]["correctness"], "wrong", "{done}");
        // The short answer waits for a grader, so the result is not final.
        assert_eq!((done["result"]["score"]["outcome"].as_str(), done["result"]["score"]["pending"].as_u64()), (Some("pending"), Some(1)));
        // After submitting, nothing changes.
        expect_error(save(&a, id, 0, HOLDER_B, 9, right.clone()).await, StatusCode::CONFLICT, "conflict").await;
    }

    async fn the_server_submits_at_the_deadline_with_or_without_the_page(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (bank, keys) = bank(&app, &o).await;
        let exam = exam(&app, &o, bank, fixed(&keys, &["single", "true_false"]), json!({ "attempts_allowed": 3, "time_limit_minutes": 1 })).await;
        let a = app.login("activist").await;

        // Nobody has the page open: the sweep submits what was saved.
        let first = ok(start(&a, exam, HOLDER_A).await).await;
        let id = first["id"].as_i64().unwrap();
        let position = first["questions"].as_array().unwrap().iter().position(|x| x["question"]["kind"] == "single").unwrap();
        ok(save(&a, id, position, HOLDER_A, 1, right_answer(&keys, &first["questions"][position]["question"])).await).await;
        set_deadline_passed(&app, id).await;
        assert_eq!(dangxiao_server::services::exams::attempts::submit_overdue(&app.db, app.state.settings.time_zone()).await.unwrap(), 1);
        assert_eq!(dangxiao_server::services::exams::attempts::submit_overdue(&app.db, app.state.settings.time_zone()).await.unwrap(), 0, "once");
        let seen = ok(a.get(&format!("/api/v1/attempts/{id}")).await).await;
        assert_eq!((seen["open"].as_bool(), seen["result"]["by_deadline"].as_bool()), (Some(false), Some(true)));
        assert_eq!(seen["result"]["score"]["total"], 100, "the saved answer counted: {seen}");

        // A late save from an open page: refused, and the attempt is submitted then.
        let second = ok(start(&a, exam, HOLDER_A).await).await;
        let id2 = second["id"].as_i64().unwrap();
        assert_ne!(id2, id);
        set_deadline_passed(&app, id2).await;
        let before = answers(&app, id2).await;
        expect_error(save(&a, id2, 0, HOLDER_A, 1, json!({ "kind": "true_false", "value": true })).await, StatusCode::CONFLICT, "conflict").await;
        assert_eq!(answers(&app, id2).await, before);
        let seen = ok(a.get(&format!("/api/v1/attempts/{id2}")).await).await;
        assert_eq!(seen["result"]["by_deadline"], true);
        assert_eq!(app.number(&format!("SELECT COUNT(*) AS n FROM exam_attempts WHERE id = {id} AND state = 'submitted'")).await, 1, "the other attempt is untouched");
    }

    async fn starts_beyond_the_limit_or_before_the_prerequisites_are_refused(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (bank, keys) = bank(&app, &o).await;
        let once = exam(&app, &o, bank, fixed(&keys, &["single"]), json!({ "attempts_allowed": 1 })).await;
        let a = app.login("activist").await;
        let id = ok(start(&a, once, HOLDER_A).await).await["id"].as_i64().unwrap();
        ok(a.post(&format!("/api/v1/attempts/{id}/submit"), json!({ "holder": HOLDER_A })).await).await;
        let attempts = app.count("exam_attempts").await;
        let body = expect_error(start(&a, once, HOLDER_A).await, StatusCode::CONFLICT, "conflict").await;
        assert!(body["message"].as_str().unwrap().contains("1 次"), "{body}");
        assert_eq!(ok(a.get(&format!("/api/v1/exams/{once}/standing")).await).await["refusal_code"], "exam_no_attempts_left");

        let gated = exam(&app, &o, bank, fixed(&keys, &["single"]), json!({ "prerequisites": { "courses": [], "credited_hours": 20 } })).await;
        let body = expect_error(start(&a, gated, HOLDER_A).await, StatusCode::CONFLICT, "conflict").await;
        assert!(body["message"].as_str().unwrap().contains("20 学时"), "{body}");
        let mut en = app.login("activist").await;
        en.lang = Some("en");
        let standing = ok(en.get(&format!("/api/v1/exams/{gated}/standing")).await).await;
        assert!(standing["refusal"].as_str().unwrap().contains("20 credited study hours"), "{standing}");
        assert_eq!(app.count("exam_attempts").await, attempts, "no attempt was made");
    }

    async fn practice_gives_feedback_after_each_question_and_counts_for_nothing(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (bank, keys) = bank(&app, &o).await;
        let practice = exam(&app, &o, bank, fixed(&keys, &["true_false"]), json!({ "practice": true, "attempts_allowed": null, "review": "never" })).await;
        let a = app.login("activist").await;
        let attempt = ok(start(&a, practice, HOLDER_A).await).await;
        let id = attempt["id"].as_i64().unwrap();
        let saved = ok(save(&a, id, 0, HOLDER_A, 1, right_answer(&keys, &attempt["questions"][0]["question"])).await).await;
        assert_eq!(saved["feedback"]["grade"]["correctness"], "correct", "{saved}");
        assert!(!saved["feedback"]["key"]["explanation"].is_null());
        ok(a.post(&format!("/api/v1/attempts/{id}/submit"), json!({ "holder": HOLDER_A })).await).await;
        let standing = ok(a.get(&format!("/api/v1/exams/{practice}/standing")).await).await;
        assert!(standing["result"].is_null(), "practice never counts: {standing}");
        // Unlimited practice runs.
        for _ in 0..2 {
            let id = ok(start(&a, practice, HOLDER_A).await).await["id"].as_i64().unwrap();
            ok(a.post(&format!("/api/v1/attempts/{id}/submit"), json!({ "holder": HOLDER_A })).await).await;
        }
    }

    async fn an_edit_after_an_attempt_makes_a_version_and_the_attempt_keeps_its_own(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (bank, keys) = bank(&app, &o).await;
        let q = keys.iter().find(|q| q["kind"] == "single").unwrap().clone();
        let exam = exam(&app, &o, bank, fixed(&keys, &["single"]), json!({})).await;
        let a = app.login("activist").await;
        let attempt = ok(start(&a, exam, HOLDER_A).await).await;
        let id = attempt["id"].as_i64().unwrap();
        ok(a.post(&format!("/api/v1/attempts/{id}/submit"), json!({ "holder": HOLDER_A })).await).await;

        let mut changed = q["data"].clone();
        changed["stem"] = json!(format!("{}（修订）", q["data"]["stem"].as_str().unwrap()));
        let edited = ok(o.put(&format!("/api/v1/question-banks/{bank}/questions/{}", q["id"]), changed).await).await;
        assert_eq!((edited["outcome"].as_str(), edited["question"]["version"].as_i64()), (Some("new_version"), Some(2)));
        let seen = ok(a.get(&format!("/api/v1/attempts/{id}")).await).await;
        assert_eq!(seen["questions"][0]["question"]["stem"], q["data"]["stem"], "the attempt shows what it showed");
        assert_eq!(seen["result"]["review"][0]["key"]["stem"], q["data"]["stem"]);
    }

    async fn exams_are_set_up_and_taken_only_where_the_tree_allows(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (bank, keys) = bank(&app, &o).await;
        let branch = app.org_id(BRANCH_1).await;
        let draft = json!({ "org_id": branch, "title": "测试", "settings": settings(json!({})), "paper": fixed(&keys, &["single"]), "banks": [bank] });
        // Members and activists set up nothing.
        expect_error(app.login("member").await.post("/api/v1/exams", draft.clone()).await, StatusCode::FORBIDDEN, "forbidden").await;
        // Another branch's organizer: not their node, nor their bank.
        let o2 = app.login("organizer2").await;
        expect_error(o2.post("/api/v1/exams", draft.clone()).await, StatusCode::NOT_FOUND, "not_found").await;
        let mut theirs = draft.clone();
        theirs["org_id"] = json!(app.org_id(crate::helpers::BRANCH_2).await);
        expect_error(o2.post("/api/v1/exams", theirs).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        // Bad settings and papers are named.
        let mut bad = draft.clone();
        bad["settings"]["time_limit_minutes"] = json!(0);
        expect_error(o.post("/api/v1/exams", bad).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        let mut too_many = draft.clone();
        too_many["paper"] = json!({ "mode": "drawn", "rules": [{ "count": 51, "kind": "single", "points_each": 10 }] });
        let body = expect_error(o.post("/api/v1/exams", too_many).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        assert!(body["message"].as_str().unwrap().contains("50"), "{body}");

        let r = o.post("/api/v1/exams", draft).await;
        assert_eq!(r.status(), StatusCode::CREATED);
        let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        expect_error(o2.get(&format!("/api/v1/exams/{id}")).await, StatusCode::NOT_FOUND, "not_found").await;
        // Unpublished: no taker sees it.
        expect_error(app.login("activist").await.get(&format!("/api/v1/exams/{id}/standing")).await, StatusCode::NOT_FOUND, "not_found").await;
        ok(o.put(&format!("/api/v1/exams/{id}/publish"), json!({ "published": true })).await).await;
        ok(app.login("activist").await.get(&format!("/api/v1/exams/{id}/standing")).await).await;
        // Each taker's list shows it, with nothing used yet; member3's does not.
        let mine = ok(app.login("activist").await.get("/api/v1/me/exams").await).await;
        let listed = mine.as_array().unwrap().iter().find(|e| e["id"] == id).expect("listed").clone();
        assert_eq!((listed["questions"].as_u64(), listed["attempts_used"].as_u64(), listed["open_attempt"].is_null()), (Some(1), Some(0), true));
        assert!(ok(app.login("member3").await.get("/api/v1/me/exams").await).await.as_array().unwrap().iter().all(|e| e["id"] != id));
        // Published, but for branch 1: member3 of branch 2 cannot take it.
        let m3 = app.login("member3").await;
        expect_error(m3.get(&format!("/api/v1/exams/{id}/standing")).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(start(&m3, id, HOLDER_A).await, StatusCode::NOT_FOUND, "not_found").await;

        // Deleting: not another branch's, not once someone started; else gone.
        expect_error(o2.delete(&format!("/api/v1/exams/{id}")).await, StatusCode::NOT_FOUND, "not_found").await;
        ok(start(&app.login("activist").await, id, HOLDER_A).await).await;
        expect_error(o.delete(&format!("/api/v1/exams/{id}")).await, StatusCode::CONFLICT, "conflict").await;
        let draft = json!({ "org_id": branch, "title": "草稿", "settings": settings(json!({})), "paper": fixed(&keys, &["single"]), "banks": [bank] });
        let unused = o.post("/api/v1/exams", draft).await.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        assert_eq!(o.delete(&format!("/api/v1/exams/{unused}")).await.status(), StatusCode::NO_CONTENT);
        expect_error(o.get(&format!("/api/v1/exams/{unused}")).await, StatusCode::NOT_FOUND, "not_found").await;
    }

    async fn a_grader_scores_short_answers_and_only_then_is_the_result_final(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (bank, keys) = bank(&app, &o).await;
        let exam = exam(&app, &o, bank, fixed(&keys, &["single", "short_answer"]), json!({ "shuffle": { "questions": false, "options": false } })).await;
        let a = app.login("activist").await;
        let attempt = ok(start(&a, exam, HOLDER_A).await).await;
        let id = attempt["id"].as_i64().unwrap();
        ok(save(&a, id, 0, HOLDER_A, 1, right_answer(&keys, &attempt["questions"][0]["question"])).await).await;
        ok(save(&a, id, 1, HOLDER_A, 1, json!({ "kind": "short_answer", "text": "坚持全心全意为人民服务的根本宗旨。" })).await).await;
        for hidden in [true, true, false] {
            let r = a.post(&format!("/api/v1/attempts/{id}/visibility"), json!({ "holder": HOLDER_A, "hidden": hidden })).await;
            assert_eq!(r.status(), StatusCode::NO_CONTENT);
        }
        let done = ok(a.post(&format!("/api/v1/attempts/{id}/submit"), json!({ "holder": HOLDER_A })).await).await;
        assert_eq!(done["result"]["score"]["outcome"], "pending");
        assert_eq!(ok(a.get(&format!("/api/v1/exams/{exam}/standing")).await).await["result"]["outcome"], "pending");

        // Only the exam's organizers see the queue.
        expect_error(a.get(&format!("/api/v1/exams/{exam}/grading")).await, StatusCode::FORBIDDEN, "forbidden").await;
        let o2 = app.login("organizer2").await;
        expect_error(o2.get(&format!("/api/v1/exams/{exam}/grading")).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(o2.put(&format!("/api/v1/attempts/{id}/answers/1/grade"), json!({ "points": 50 })).await, StatusCode::NOT_FOUND, "not_found").await;
        let queue = ok(o.get(&format!("/api/v1/exams/{exam}/grading")).await).await;
        let items = queue.as_array().unwrap();
        assert_eq!(items.len(), 1, "{queue}");
        assert_eq!((items[0]["position"].as_i64(), items[0]["person_name"].as_str()), (Some(1), Some("赵进步")));
        assert!(items[0]["answer"].as_str().unwrap().contains("根本宗旨"));
        assert_eq!(items[0]["hidden"].as_array().unwrap().len(), 1, "one hidden span, its time of return logged: {queue}");
        assert!(items[0]["hidden"][0]["visible_at_ms"].as_i64().is_some());

        // More than the question is worth; a question graded automatically.
        expect_error(o.put(&format!("/api/v1/attempts/{id}/answers/1/grade"), json!({ "points": 101 })).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        expect_error(o.put(&format!("/api/v1/attempts/{id}/answers/0/grade"), json!({ "points": 50 })).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        let score = ok(o.put(&format!("/api/v1/attempts/{id}/answers/1/grade"), json!({ "points": 80 })).await).await;
        assert_eq!((score["total"].as_u64(), score["pending"].as_u64(), score["outcome"].as_str()), (Some(180), Some(0), Some("passed")), "{score}");
        assert!(ok(o.get(&format!("/api/v1/exams/{exam}/grading")).await).await.as_array().unwrap().is_empty());
        assert_eq!(ok(a.get(&format!("/api/v1/exams/{exam}/standing")).await).await["result"]["outcome"], "passed");
    }

    async fn a_key_correction_regrades_the_attempts_that_used_it_with_an_audit_line(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (bank, keys) = bank(&app, &o).await;
        let q = keys.iter().find(|q| q["kind"] == "single").unwrap().clone();
        let exam = exam(&app, &o, bank, fixed(&keys, &["single"]), json!({})).await;
        let a = app.login("activist").await;
        let attempt = ok(start(&a, exam, HOLDER_A).await).await;
        let id = attempt["id"].as_i64().unwrap();
        let chosen = attempt["questions"][0]["question"]["options"].as_array().unwrap().iter()
            .find(|opt| opt["id"] != q["data"]["correct"][0]).unwrap()["id"].clone();
        ok(save(&a, id, 0, HOLDER_A, 1, json!({ "kind": "single", "option": chosen })).await).await;
        let done = ok(a.post(&format!("/api/v1/attempts/{id}/submit"), json!({ "holder": HOLDER_A })).await).await;
        assert_eq!(done["result"]["score"]["outcome"], "failed");

        // The key was wrong: the organizer corrects it to what was chosen.
        let mut corrected = q["data"].clone();
        corrected["correct"] = json!([chosen]);
        let edited = ok(o.put(&format!("/api/v1/question-banks/{bank}/questions/{}", q["id"]), corrected).await).await;
        assert_eq!((edited["outcome"].as_str(), edited["regraded"].as_u64()), (Some("key_corrected"), Some(1)), "{edited}");
        let seen = ok(a.get(&format!("/api/v1/attempts/{id}")).await).await;
        assert_eq!((seen["result"]["score"]["total"].as_u64(), seen["result"]["score"]["outcome"].as_str()), (Some(100), Some("passed")), "{seen}");
        assert_eq!(seen["result"]["review"][0]["grade"]["correctness"], "correct");
        let organizer = app.person_id("organizer").await;
        assert_eq!(app.number(&format!("SELECT COUNT(*) AS n FROM question_key_changes WHERE question_id = {} AND changed_by = {organizer} AND regraded = 1", q["id"])).await, 1);
    }

    async fn the_report_rolls_results_up_by_node_and_shows_which_wrong_options_were_chosen(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (bank, keys) = bank(&app, &o).await;
        let exam = exam(&app, &o, bank, fixed(&keys, &["single", "true_false"]), json!({ "shuffle": { "questions": false, "options": false } })).await;
        let single = keys.iter().find(|q| q["kind"] == "single").unwrap();
        let wrong = single["data"]["options"].as_array().unwrap().iter().find(|opt| opt["id"] != single["data"]["correct"][0]).unwrap()["id"].clone();
        // activist: both right (100 %); member2: the single wrong (50 %); member: both wrong (0 %).
        for (login, single_right, tf_right) in [("activist", true, true), ("member2", false, true), ("member", false, false)] {
            let c = app.login(login).await;
            let attempt = ok(start(&c, exam, HOLDER_A).await).await;
            let id = attempt["id"].as_i64().unwrap();
            let answer = if single_right { right_answer(&keys, &attempt["questions"][0]["question"]) } else { json!({ "kind": "single", "option": wrong }) };
            ok(save(&c, id, 0, HOLDER_A, 1, answer).await).await;
            let mut tf = right_answer(&keys, &attempt["questions"][1]["question"]);
            if !tf_right {
                tf["value"] = json!(!tf["value"].as_bool().unwrap());
            }
            ok(save(&c, id, 1, HOLDER_A, 1, tf).await).await;
            ok(c.post(&format!("/api/v1/attempts/{id}/submit"), json!({ "holder": HOLDER_A })).await).await;
        }

        let r = ok(o.get(&format!("/api/v1/exams/{exam}/report?kind=results")).await).await;
        let counts = |row: &Value| (row["counts"]["audience"].as_u64(), row["counts"]["takers"].as_u64(), row["counts"]["passed"].as_u64(), row["counts"]["failed"].as_u64());
        assert_eq!(counts(&r["total"]), (Some(4), Some(3), Some(1), Some(2)), "{r}");
        assert_eq!((r["total"]["pass_rate_percent"].as_f64(), r["total"]["average_percent"].as_f64()), (Some(33.3), Some(50.0)));
        assert_eq!(r["children"][0]["org"]["name"], "第一党小组");
        assert_eq!(counts(&r["children"][0]), (Some(1), Some(1), Some(0), Some(1)));
        assert_eq!(counts(&r["own"]), (Some(3), Some(2), Some(1), Some(1)));
        let group = app.org_id(crate::courses::GROUP_1).await;
        let drill = ok(o.get(&format!("/api/v1/exams/{exam}/report?kind=results&org_id={group}")).await).await;
        assert_eq!(counts(&drill["total"]), (Some(1), Some(1), Some(0), Some(1)));

        let q = ok(o.get(&format!("/api/v1/exams/{exam}/report?kind=questions")).await).await;
        let first = &q["questions"][0];
        assert_eq!((first["kind"].as_str(), first["shown"].as_u64(), first["correct"].as_u64(), first["wrong"].as_u64()), (Some("single"), Some(3), Some(1), Some(2)), "hardest first: {q}");
        let chosen = first["options"].as_array().unwrap().iter().find(|opt| opt["id"] == wrong).unwrap();
        assert_eq!((chosen["chosen"].as_u64(), chosen["correct"].as_bool()), (Some(2), Some(false)));

        let csv = o.get(&format!("/api/v1/exams/{exam}/report?kind=results&format=csv")).await;
        assert_eq!(csv.status(), StatusCode::OK);
        let csv = csv.text().await.unwrap();
        assert!(csv.trim_start_matches('\u{feff}').starts_with("组织,应考人数"), "{csv}");
        assert!(csv.lines().any(|l| l.starts_with("合计,4,3,1,2,0,33.3,50")), "{csv}");
        let xlsx = o.get(&format!("/api/v1/exams/{exam}/report?kind=questions&format=xlsx")).await.bytes().await.unwrap();
        assert!(xlsx.starts_with(b"PK\x03\x04"));

        // Each person's 学习档案 lists the result that counts.
        let activist = app.person_id("activist").await;
        let archive = ok(o.get(&format!("/api/v1/reports?kind=person&person_id={activist}")).await).await;
        let exams = archive["report"]["exams"].as_array().or_else(|| archive["exams"].as_array()).expect("exams").clone();
        assert_eq!(exams.len(), 1, "{archive}");
        assert_eq!((exams[0]["exam"]["id"].as_i64(), exams[0]["attempts"].as_u64(), exams[0]["result"]["outcome"].as_str()),
                   (Some(exam), Some(1), Some("passed")));
        let csv = o.get(&format!("/api/v1/reports?kind=person&person_id={activist}&format=csv")).await.text().await.unwrap();
        assert!(csv.lines().any(|l| l.starts_with("考试,成绩,满分,结果,作答次数,交卷日期")), "{csv}");
        assert!(csv.lines().any(|l| l.starts_with("党章知识测试,20,20,通过,1,")), "{csv}");
        let member = app.person_id("member").await;
        let own = ok(app.login("member").await.get(&format!("/api/v1/reports?kind=person&person_id={member}")).await).await;
        let own_exams = own["report"]["exams"].as_array().or_else(|| own["exams"].as_array()).expect("exams").clone();
        assert_eq!(own_exams[0]["result"]["outcome"], "failed", "{own}");

        expect_error(app.login("member").await.get(&format!("/api/v1/exams/{exam}/report?kind=results")).await, StatusCode::FORBIDDEN, "forbidden").await;
        expect_error(app.login("organizer2").await.get(&format!("/api/v1/exams/{exam}/report?kind=questions")).await, StatusCode::NOT_FOUND, "not_found").await;
        let elsewhere = app.org_id(crate::helpers::BRANCH_2).await;
        expect_error(o.get(&format!("/api/v1/exams/{exam}/report?kind=results&org_id={elsewhere}")).await, StatusCode::NOT_FOUND, "not_found").await;
    }

    async fn a_question_edited_or_taken_out_during_an_open_attempt_leaves_the_attempt_as_drawn(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (bank, keys) = bank(&app, &o).await;
        let exam = exam(&app, &o, bank, fixed(&keys, &["single", "true_false"]), json!({ "shuffle": { "questions": false, "options": false } })).await;
        let a = app.login("activist").await;
        let attempt = ok(start(&a, exam, HOLDER_A).await).await;
        let id = attempt["id"].as_i64().unwrap();
        let single = keys.iter().find(|q| q["kind"] == "single").unwrap().clone();
        let tf = keys.iter().find(|q| q["kind"] == "true_false").unwrap().clone();

        // The organizer drops an option of the single choice question and
        // takes the true/false one out of the bank, mid-attempt.
        let mut fewer = single["data"].clone();
        let correct = fewer["correct"][0].clone();
        let dropped = fewer["options"].as_array().unwrap().iter().find(|opt| opt["id"] != correct).unwrap()["id"].clone();
        fewer["options"] = json!(fewer["options"].as_array().unwrap().iter().filter(|opt| opt["id"] != dropped).cloned().collect::<Vec<_>>());
        let edited = ok(o.put(&format!("/api/v1/question-banks/{bank}/questions/{}", single["id"]), fewer).await).await;
        assert_eq!(edited["outcome"], "new_version", "a drawn question is kept as drawn: {edited}");
        assert_eq!(o.delete(&format!("/api/v1/question-banks/{bank}/questions/{}", tf["id"])).await.status(), StatusCode::NO_CONTENT);

        // The taker still sees, answers and is graded on the paper as drawn.
        let seen = ok(a.get(&format!("/api/v1/attempts/{id}")).await).await;
        assert_eq!(seen["questions"], attempt["questions"]);
        ok(save(&a, id, 0, HOLDER_A, 1, json!({ "kind": "single", "option": dropped })).await).await;
        ok(save(&a, id, 1, HOLDER_A, 1, right_answer(&keys, &attempt["questions"][1]["question"])).await).await;
        let done = ok(a.post(&format!("/api/v1/attempts/{id}/submit"), json!({ "holder": HOLDER_A })).await).await;
        assert_eq!(done["result"]["score"]["total"], 100, "{done}");
        assert_eq!(done["result"]["review"][0]["grade"]["correctness"], "wrong");
    }
}
