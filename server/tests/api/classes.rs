//! Party classes (issue 25): a class of a node with its 班主任, and
//! enrolment of the node's activists and candidates; every refusal stores
//! nothing and reveals nothing outside the caller's subtree.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::courses::{new_course, ok};
use crate::helpers::{expect_error, Client, TestApp, BRANCH_1, BRANCH_2};
use crate::on_both_databases;

fn draft(org: i64, teachers: &[i64]) -> Value {
    json!({ "org_id": org, "name": "2026年第二期入党积极分子培训班", "term_from": "2026-09-01", "term_to": "2026-12-31",
            "teachers": teachers, "required_hours": 40, "weights": { "exam": 70, "essays": 20, "attendance": 10 },
            "thresholds": { "excellent": 90, "pass": 60 }, "resit_allowed": true })
}

async fn created(r: reqwest::Response) -> Value {
    let status = r.status();
    let body: Value = r.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

async fn enrol(c: &Client, class: i64, people: &[i64]) -> reqwest::Response {
    c.post(&format!("/api/v1/classes/{class}/students"), json!({ "people": people })).await
}

fn names(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap().to_owned()).collect()
}

on_both_databases! {
    async fn a_class_enrols_the_activists_and_candidates_of_its_node_and_nobody_else(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let branch = app.org_id(BRANCH_1).await;
        let organizer = app.person_id("organizer").await;
        let class = created(o.post("/api/v1/classes", draft(branch, &[organizer])).await).await;
        assert_eq!(names(&class["teachers"]), ["王书记"]);
        assert_eq!((class["weights"]["exam"].as_u64(), class["min_essay_chars"].as_u64()), (Some(70), Some(1500)), "{class}");
        let id = class["id"].as_i64().unwrap();

        let activist = app.person_id("activist").await;
        let view = ok(enrol(&o, id, &[activist]).await).await;
        assert_eq!((names(&view["students"]), view["students"][0]["standing"].as_str()), (vec!["赵进步".to_owned()], Some("activist")));
        ok(enrol(&o, id, &[activist]).await).await;
        assert_eq!(app.count("class_students").await, 1, "enrolling again changes nothing");

        // A full member is not for the class; the whole request is refused.
        let member2 = app.person_id("member2").await;
        let body = expect_error(enrol(&o, id, &[activist, member2]).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        assert!(body["message"].as_str().unwrap().contains("张红"), "{body}");
        // Someone of another branch: unknown to this organizer, outside the class for an admin.
        let member3 = app.person_id("member3").await;
        let body = expect_error(enrol(&o, id, &[member3]).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        assert!(!body["message"].as_str().unwrap().contains("刘青"), "nothing outside the subtree is revealed: {body}");
        let admin = app.login("admin").await;
        created(admin.post(&format!("/api/v1/people/{member3}/milestones"), json!({ "standing": "candidate", "on": "2026-01-05" })).await).await;
        let body = expect_error(enrol(&admin, id, &[member3]).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        assert!(body["message"].as_str().unwrap().contains("刘青"), "{body}");
        expect_error(enrol(&o, id, &[]).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        assert_eq!(app.count("class_students").await, 1, "no refused enrolment stored anything");

        // Only those who manage the class's node see it.
        expect_error(app.login("organizer2").await.get(&format!("/api/v1/classes/{id}")).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(enrol(&app.login("organizer2").await, id, &[activist]).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(app.login("activist").await.get(&format!("/api/v1/classes/{id}")).await, StatusCode::FORBIDDEN, "forbidden").await;
        assert_eq!(ok(o.get("/api/v1/classes").await).await.as_array().unwrap().len(), 1);
        assert!(ok(app.login("organizer2").await.get("/api/v1/classes").await).await.as_array().unwrap().is_empty());

        let view = ok(o.delete(&format!("/api/v1/classes/{id}/students/{activist}")).await).await;
        assert!(view["students"].as_array().unwrap().is_empty());
        expect_error(o.delete(&format!("/api/v1/classes/{id}/students/{activist}")).await, StatusCode::NOT_FOUND, "not_found").await;
    }

    async fn the_final_exam_opens_to_a_student_only_with_the_class_s_courses_done(app) {
        use crate::exams::{bank, exam, fixed, start, HOLDER_A};
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let branch = app.org_id(BRANCH_1).await;
        let (bank, keys) = bank(&app, &o).await;
        let final_exam = exam(&app, &o, bank, fixed(&keys, &["single"]), json!({ "attempts_allowed": 1 })).await;
        let practice = exam(&app, &o, bank, fixed(&keys, &["single"]), json!({ "practice": true, "attempts_allowed": null })).await;
        let course = new_course(&app, &o, BRANCH_1, "党的基本知识", json!({})).await;
        let lesson = crate::courses::article_lesson(&o, course, "第一讲", "## 党的性质\n\n中国共产党是中国工人阶级的先锋队。").await;
        crate::courses::publish(&o, course).await;
        let mut body = draft(branch, &[app.person_id("organizer").await]);
        body["required_courses"] = json!([course]);
        body["required_hours"] = json!(0);
        body["final_exam_id"] = json!(final_exam);
        let class = created(o.post("/api/v1/classes", body).await).await["id"].as_i64().unwrap();
        ok(enrol(&o, class, &[app.person_id("activist").await]).await).await;

        let a = app.login("activist").await;
        let standing = ok(a.get(&format!("/api/v1/exams/{final_exam}/standing")).await).await;
        assert_eq!(standing["refusal_code"], "exam_courses_missing", "{standing}");
        expect_error(start(&a, final_exam, HOLDER_A).await, StatusCode::CONFLICT, "conflict").await;
        // Practice stays open; someone not in the class is not gated by it.
        ok(start(&a, practice, HOLDER_A).await).await;
        ok(start(&app.login("member2").await, final_exam, HOLDER_A).await).await;

        crate::assignments::read(&app, &a, lesson).await;
        dangxiao_server::services::course_records::refresh(&app.db).await.expect("refresh");
        let standing = ok(a.get(&format!("/api/v1/exams/{final_exam}/standing")).await).await;
        assert!(standing["refusal"].is_null(), "{standing}");
        // The class allows a resit: after a failed attempt, exactly one more.
        let attempt = ok(start(&a, final_exam, "page-activist-final-01").await).await;
        let id = attempt["id"].as_i64().unwrap();
        ok(a.post(&format!("/api/v1/attempts/{id}/submit"), json!({ "holder": "page-activist-final-01" })).await).await;
        let standing = ok(a.get(&format!("/api/v1/exams/{final_exam}/standing")).await).await;
        assert_eq!((standing["result"]["outcome"].as_str(), standing["refusal"].as_str()), (Some("failed"), None), "{standing}");
        let again = ok(start(&a, final_exam, "page-activist-final-02").await).await["id"].as_i64().unwrap();
        ok(a.post(&format!("/api/v1/attempts/{again}/submit"), json!({ "holder": "page-activist-final-02" })).await).await;
        let standing = ok(a.get(&format!("/api/v1/exams/{final_exam}/standing")).await).await;
        assert_eq!(standing["refusal_code"], "exam_no_attempts_left", "{standing}");
    }

    async fn students_hand_in_essays_of_the_asked_length_and_the_teacher_accepts_or_returns_them(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let branch = app.org_id(BRANCH_1).await;
        let class = created(o.post("/api/v1/classes", draft(branch, &[app.person_id("organizer").await])).await).await;
        let class = class["id"].as_i64().unwrap();
        let activist = app.person_id("activist").await;
        ok(enrol(&o, class, &[activist]).await).await;
        let task = created(o.post(&format!("/api/v1/classes/{class}/essays"), json!({ "title": "学习党章心得体会", "kind": "reflection" })).await).await;
        assert_eq!(task["min_chars"], 1500, "the class's own minimum");
        let task = task["id"].as_i64().unwrap();

        let a = app.login("activist").await;
        let mine = ok(a.get("/api/v1/me/classes").await).await;
        assert_eq!(mine[0]["id"].as_i64(), Some(class));
        // Chinese is counted by character, whitespace not at all.
        let short = format!("{} {}", "学".repeat(1000), "习".repeat(499));
        let body = expect_error(a.put(&format!("/api/v1/essay-tasks/{task}/essay"), json!({ "text": short })).await,
            StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        assert!(body["message"].as_str().unwrap().contains("1499"), "{body}");
        assert_eq!(app.count("class_essays").await, 0);
        let text = "学".repeat(1500);
        let view = ok(a.put(&format!("/api/v1/essay-tasks/{task}/essay"), json!({ "text": text })).await).await;
        assert_eq!((view["essays"][0]["chars"].as_u64(), view["essays"][0]["state"].as_str()), (Some(1500), Some("submitted")));
        // Someone outside the class: nothing to hand in, nothing to read.
        expect_error(app.login("member2").await.put(&format!("/api/v1/essay-tasks/{task}/essay"), json!({ "text": text })).await,
            StatusCode::NOT_FOUND, "not_found").await;
        expect_error(app.login("member2").await.get(&format!("/api/v1/classes/{class}/essays")).await, StatusCode::NOT_FOUND, "not_found").await;

        // Returned needs a reason; then the student hands in again; then accepted, it stays.
        let review = |accept: bool, comment: &str| json!({ "accept": accept, "comment": comment });
        let url = format!("/api/v1/essay-tasks/{task}/essays/{activist}/review");
        expect_error(o.put(&url, review(false, " ")).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        expect_error(a.put(&url, review(true, "")).await, StatusCode::FORBIDDEN, "forbidden").await;
        let returned = ok(o.put(&url, review(false, "请结合本支部实际再谈体会。")).await).await;
        assert_eq!(returned["essays"][0]["state"], "returned");
        let own = ok(a.get(&format!("/api/v1/classes/{class}/essays")).await).await;
        assert_eq!(own[0]["essays"][0]["comment"], "请结合本支部实际再谈体会。");
        ok(a.put(&format!("/api/v1/essay-tasks/{task}/essay"), json!({ "text": "党".repeat(1600) })).await).await;
        let accepted = ok(o.put(&url, review(true, "")).await).await;
        assert_eq!((accepted["essays"][0]["state"].as_str(), accepted["essays"][0]["chars"].as_u64()), (Some("accepted"), Some(1600)));
        expect_error(a.put(&format!("/api/v1/essay-tasks/{task}/essay"), json!({ "text": "党".repeat(1700) })).await,
            StatusCode::CONFLICT, "conflict").await;
        expect_error(app.login("organizer2").await.put(&url, review(false, "x")).await, StatusCode::NOT_FOUND, "not_found").await;
    }

    async fn the_class_report_says_what_each_student_still_needs(app) {
        use crate::exams::{bank, exam, fixed, right_answer, save, start, HOLDER_A};
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let branch = app.org_id(BRANCH_1).await;
        let (bank, keys) = bank(&app, &o).await;
        let final_exam = exam(&app, &o, bank, fixed(&keys, &["single"]), json!({})).await;
        let course = new_course(&app, &o, BRANCH_1, "党的基本知识", json!({})).await;
        let lesson = crate::courses::article_lesson(&o, course, "第一讲", "## 党的性质\n\n中国共产党是中国工人阶级的先锋队。").await;
        crate::courses::publish(&o, course).await;
        let mut body = draft(branch, &[app.person_id("organizer").await]);
        body["required_courses"] = json!([course]);
        body["required_hours"] = json!(0);
        body["final_exam_id"] = json!(final_exam);
        body["min_essay_chars"] = json!(10);
        let class = created(o.post("/api/v1/classes", body).await).await["id"].as_i64().unwrap();
        let (activist, member2) = (app.person_id("activist").await, app.person_id("member2").await);
        created(o.post(&format!("/api/v1/people/{member2}/milestones"), json!({ "standing": "candidate", "on": "2026-01-05" })).await).await;
        ok(enrol(&o, class, &[activist, member2]).await).await;
        let task = created(o.post(&format!("/api/v1/classes/{class}/essays"), json!({ "title": "心得体会", "kind": "reflection" })).await).await;
        let task = task["id"].as_i64().unwrap();

        // The activist does everything: the course, the essay, the exam.
        let a = app.login("activist").await;
        crate::assignments::read(&app, &a, lesson).await;
        dangxiao_server::services::course_records::refresh(&app.db).await.expect("refresh");
        ok(a.put(&format!("/api/v1/essay-tasks/{task}/essay"), json!({ "text": "学习党章，坚定理想信念。" })).await).await;
        ok(o.put(&format!("/api/v1/essay-tasks/{task}/essays/{activist}/review"), json!({ "accept": true })).await).await;
        let attempt = ok(start(&a, final_exam, HOLDER_A).await).await;
        let id = attempt["id"].as_i64().unwrap();
        ok(save(&a, id, 0, HOLDER_A, 1, right_answer(&keys, &attempt["questions"][0]["question"])).await).await;
        ok(a.post(&format!("/api/v1/attempts/{id}/submit"), json!({ "holder": HOLDER_A })).await).await;

        let report = ok(o.get(&format!("/api/v1/classes/{class}/report")).await).await;
        let row = |name: &str| report["students"].as_array().unwrap().iter().find(|s| s["name"] == name).unwrap().clone();
        assert_eq!(row("赵进步")["blocked"], json!([]), "{report}");
        assert_eq!(row("赵进步")["exam"]["outcome"], "passed");
        let zhang = row("张红");
        let kinds: Vec<&str> = zhang["blocked"].as_array().unwrap().iter().map(|b| b["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds, ["courses_missing", "essays_missing", "exam_not_passed"]);
        let csv = o.get(&format!("/api/v1/classes/{class}/report?format=csv")).await.text().await.unwrap();
        assert!(csv.lines().any(|l| l.starts_with("赵进步") && l.contains("可以结业")), "{csv}");
        assert!(csv.lines().any(|l| l.starts_with("张红") && l.contains("结业考试未通过")), "{csv}");
        expect_error(app.login("organizer2").await.get(&format!("/api/v1/classes/{class}/report")).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(a.get(&format!("/api/v1/classes/{class}/report")).await, StatusCode::FORBIDDEN, "forbidden").await;

        // The grade weighs exam 70 %, essays 20 %, attendance 10 %: all full here.
        assert_eq!((row("赵进步")["score"].as_f64(), row("赵进步")["grade"].as_str()), (Some(100.0), Some("excellent")));
        // Graduation: only who has nothing left, each refusal named, nothing stored then.
        let graduates = format!("/api/v1/classes/{class}/graduates");
        let body = expect_error(o.post(&graduates, json!({ "people": [activist, member2] })).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        assert!(body["message"].as_str().unwrap().contains("张红尚不能结业"), "{body}");
        expect_error(o.post(&graduates, json!({ "people": [app.person_id("member").await] })).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        assert_eq!(app.count("class_graduates").await, 0);
        let after = ok(o.post(&graduates, json!({ "people": [activist] })).await).await;
        let zhao = after["students"].as_array().unwrap().iter().find(|s| s["name"] == "赵进步").unwrap().clone();
        assert_eq!(zhao["graduated"], "excellent");
        // The class and the graduation are in the 学习档案 (page data and file).
        let archive = ok(o.get(&format!("/api/v1/reports?kind=person&person_id={activist}")).await).await;
        let classes = &archive["report"]["classes"];
        assert_eq!((classes[0]["class"]["id"].as_i64(), classes[0]["graduated"].as_str()), (Some(class), Some("excellent")), "{archive}");
        let csv = o.get(&format!("/api/v1/reports?kind=person&person_id={activist}&format=csv")).await.text().await.unwrap();
        assert!(csv.lines().any(|l| l.starts_with("2026年第二期入党积极分子培训班") && l.contains("优秀")), "{csv}");
        expect_error(app.login("organizer2").await.post(&graduates, json!({ "people": [activist] })).await, StatusCode::NOT_FOUND, "not_found").await;
    }

    async fn class_sessions_take_the_class_roster_give_make_ups_and_count_absence(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let branch = app.org_id(BRANCH_1).await;
        let course = new_course(&app, &o, BRANCH_1, "集中学习资料", json!({})).await;
        let lesson = crate::courses::article_lesson(&o, course, "第一讲", "## 党的纪律\n\n党的纪律是党的各级组织和全体党员必须遵守的行为规则。").await;
        crate::courses::publish(&o, course).await;
        let class = created(o.post("/api/v1/classes", draft(branch, &[app.person_id("organizer").await])).await).await;
        let class = class["id"].as_i64().unwrap();
        let (activist, member2) = (app.person_id("activist").await, app.person_id("member2").await);
        created(o.post(&format!("/api/v1/people/{member2}/milestones"), json!({ "standing": "candidate", "on": "2026-01-05" })).await).await;
        ok(enrol(&o, class, &[activist, member2]).await).await;
        let session = |attendance: Value, minutes: u32| json!({ "org_id": branch, "kind": "party_lecture", "held_on": "2026-11-20",
            "topic": "第一次集中学习", "lesson_ids": [lesson], "attendance": attendance, "class_id": class, "minutes": minutes });
        let both = json!([{ "person_id": activist, "status": "present" }, { "person_id": member2, "status": "absent" }]);

        // The roster is the class's students: the branch's other people are not on it.
        let with_member = json!([{ "person_id": activist, "status": "present" }, { "person_id": member2, "status": "absent" },
                                 { "person_id": app.person_id("member").await, "status": "present" }]);
        let meetings = app.count("meetings").await;
        expect_error(o.post("/api/v1/meetings", session(with_member, 120)).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        expect_error(o.post("/api/v1/meetings", session(both.clone(), 0)).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        assert_eq!(app.count("meetings").await, meetings);
        ok(o.post("/api/v1/meetings", session(both, 120)).await).await;

        // The absent student makes the session up, and is over the absence limit.
        let makeups = ok(app.login("member2").await.get("/api/v1/me/makeups").await).await;
        assert_eq!(makeups.as_array().unwrap().len(), 1, "{makeups}");
        let report = ok(o.get(&format!("/api/v1/classes/{class}/report")).await).await;
        assert_eq!(report["session_minutes"], 120);
        let zhang = report["students"].as_array().unwrap().iter().find(|s| s["person_id"] == member2).unwrap().clone();
        assert_eq!(zhang["absent_minutes"], 120);
        assert!(zhang["blocked"].as_array().unwrap().iter().any(|b| b["kind"] == "absent_too_often"), "{zhang}");
        let zhao = report["students"].as_array().unwrap().iter().find(|s| s["person_id"] == activist).unwrap().clone();
        assert!(!zhao["blocked"].as_array().unwrap().iter().any(|b| b["kind"] == "absent_too_often"), "{zhao}");
        // A session attended is class 学时: 120 minutes at 45 minutes a 学时.
        assert_eq!((zhao["hours"].as_f64(), zhang["hours"].as_f64()), (Some(2.66), Some(0.0)));
    }

    async fn class_hours_are_earned_in_the_class_s_term_and_gate_the_final_exam(app) {
        use crate::exams::{bank, exam, fixed, right_answer, save, start, HOLDER_A};
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let branch = app.org_id(BRANCH_1).await;
        let (bank, keys) = bank(&app, &o).await;
        let quiz = exam(&app, &o, bank, fixed(&keys, &["single"]), json!({})).await;
        let final_exam = exam(&app, &o, bank, fixed(&keys, &["true_false"]), json!({})).await;
        // The activist passes a quiz today: half a 学时 by the default rules.
        let a = app.login("activist").await;
        let attempt = ok(start(&a, quiz, HOLDER_A).await).await;
        let id = attempt["id"].as_i64().unwrap();
        ok(save(&a, id, 0, HOLDER_A, 1, right_answer(&keys, &attempt["questions"][0]["question"])).await).await;
        ok(a.post(&format!("/api/v1/attempts/{id}/submit"), json!({ "holder": HOLDER_A })).await).await;
        let today = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap()).date_naive();
        let organizer = app.person_id("organizer").await;
        let class_in = |from: chrono::NaiveDate, to: chrono::NaiveDate, exam: Option<i64>| {
            let mut body = draft(branch, &[organizer]);
            body["term_from"] = json!(from.to_string());
            body["term_to"] = json!(to.to_string());
            body["required_hours"] = json!(1);
            body["final_exam_id"] = json!(exam);
            body
        };
        let past = class_in(today - chrono::Days::new(60), today - chrono::Days::new(30), Some(final_exam));
        let current = class_in(today - chrono::Days::new(10), today + chrono::Days::new(10), None);
        let past = created(o.post("/api/v1/classes", past).await).await["id"].as_i64().unwrap();
        let current = created(o.post("/api/v1/classes", current).await).await["id"].as_i64().unwrap();
        let activist = app.person_id("activist").await;
        ok(enrol(&o, past, &[activist]).await).await;
        ok(enrol(&o, current, &[activist]).await).await;
        let hours = |report: &Value| report["students"][0]["hours"].as_f64();
        assert_eq!(hours(&ok(o.get(&format!("/api/v1/classes/{past}/report")).await).await), Some(0.0));
        assert_eq!(hours(&ok(o.get(&format!("/api/v1/classes/{current}/report")).await).await), Some(0.5));
        // The final exam of the past class stays shut: its 学时 are missing.
        let standing = ok(a.get(&format!("/api/v1/exams/{final_exam}/standing")).await).await;
        assert_eq!(standing["refusal_code"], "exam_hours_missing", "{standing}");
        expect_error(start(&a, final_exam, "page-activist-final-01").await, StatusCode::CONFLICT, "conflict").await;
    }

    async fn bad_classes_are_refused_with_a_reason_and_nothing_is_stored(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let branch = app.org_id(BRANCH_1).await;
        let organizer = app.person_id("organizer").await;
        let other_course = new_course(&app, &app.login("organizer2").await, BRANCH_2, "二支部课程", json!({})).await;
        let with = |key: &str, value: Value| {
            let mut d = draft(branch, &[organizer]);
            d[key] = value;
            d
        };
        for (body, why) in [
            (with("weights", json!({ "exam": 70, "essays": 20, "attendance": 0 })), "权重"),
            (with("thresholds", json!({ "excellent": 50, "pass": 60 })), "优秀"),
            (with("term_to", json!("2026-08-01")), "培训时间"),
            (with("required_hours", json!(501)), "学时"),
            (with("teachers", json!([])), "班主任"),
            (with("teachers", json!([app.person_id("member2").await])), "张红"),
            (with("teachers", json!([app.person_id("organizer2").await])), "陈书记"),
            (with("required_courses", json!([other_course])), "课程"),
            (with("name", json!("")), "名称"),
        ] {
            let err = expect_error(o.post("/api/v1/classes", body).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
            assert!(err["message"].as_str().unwrap().contains(why), "{why}: {err}");
        }
        // A class of another branch's node: not the organizer's to see.
        expect_error(o.post("/api/v1/classes", draft(app.org_id(BRANCH_2).await, &[organizer])).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(app.login("member").await.post("/api/v1/classes", draft(branch, &[organizer])).await, StatusCode::FORBIDDEN, "forbidden").await;
        assert_eq!(app.count("party_classes").await, 0);
        assert_eq!(app.count("class_teachers").await, 0);
    }
}
