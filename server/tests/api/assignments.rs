//! Course assignments through the API: assigning a course to a node, a
//! role or named people and who that resolves to; counts of done and
//! overdue; bad input that stores nothing; memberships and records that
//! follow a person who moves, changes role or joins; "my learning"; and who
//! may see and change what.
//!
//! The demo tree: 第一党支部 has organizer (王书记), member2 (张红), activist
//! (赵进步) and, in its 第一党小组, member (李学习); 第二党支部 has organizer2
//! (陈书记) and member3 (刘青).

use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{json, Value};

use crate::courses::{article_lesson, new_course, ok, publish, GROUP_1};
use crate::helpers::{expect_error, Client, TestApp, BRANCH_1, BRANCH_2};
use crate::on_both_databases;
use crate::study::{open, pass};

/// The date `offset` days from today in the platform's zone (UTC+8).
fn day(offset: i64) -> String {
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    (today + chrono::Duration::days(offset)).format("%Y-%m-%d").to_string()
}

/// A published course of `org` with one article lesson; (course, lesson).
async fn course(app: &TestApp, c: &Client, org: &str, title: &str) -> (i64, i64) {
    let course = new_course(app, c, org, title, json!({})).await;
    let lesson = article_lesson(c, course, "第一讲", "## 学习党章\n\n认真学习。").await;
    publish(c, course).await;
    (course, lesson)
}

fn assignment(org: i64, course: i64, target: Value, due_on: &str) -> Value {
    json!({ "org_id": org, "course_id": course, "target": target, "due_on": due_on })
}

async fn assign(c: &Client, body: Value) -> Value {
    ok(c.post("/api/v1/assignments", body).await).await
}

/// Member names of an assignment view, sorted.
fn members(a: &Value) -> Vec<String> {
    let mut names: Vec<String> = a["members"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| m["name"].as_str().expect("name").to_owned())
        .collect();
    names.sort();
    names
}

fn sorted(names: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

async fn show(c: &Client, id: &Value) -> Value {
    ok(c.get(&format!("/api/v1/assignments/{id}")).await).await
}

/// Reads an article lesson long enough to complete it.
pub(crate) async fn read(app: &TestApp, c: &Client, lesson: i64) {
    let session = open(c, lesson).await;
    pass(app, &session, 31_000).await;
    let beat = json!({ "session_id": session, "lesson_id": lesson, "seq": 1, "position": 1.0, "visible": true,
                       "idle_seconds": 1, "visible_seconds": 31 });
    assert_eq!(ok(c.post("/api/v1/heartbeats", beat).await).await["progress"]["completed"], true);
}

/// A person's course record after a refresh: (node, due day, assigned).
async fn record(app: &TestApp, login: &str, course: i64) -> Option<(i64, Option<String>, bool)> {
    dangxiao_server::services::course_records::refresh(&app.db).await.expect("refresh");
    let sql = format!(
        "SELECT org_id, due_on, assigned FROM course_records WHERE person_id = {} AND course_id = {course}",
        app.person_id(login).await
    );
    let row = app.db.query_one_raw(Statement::from_string(app.db.get_database_backend(), sql)).await.expect("query")?;
    Some((row.try_get("", "org_id").unwrap(), row.try_get("", "due_on").unwrap(), row.try_get("", "assigned").unwrap()))
}

/// Course ids and the due days that bind the caller, of their required
/// courses.
async fn required(c: &Client) -> Vec<(i64, Option<String>)> {
    let learning = ok(c.get("/api/v1/me/learning").await).await;
    learning["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_i64().unwrap(), c["due"]["day"].as_str().map(str::to_owned)))
        .collect()
}

on_both_databases! {
    async fn a_course_assigned_to_a_node_a_role_or_people_reaches_exactly_them(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (course, _) = course(&app, &o, BRANCH_1, "学习党章").await;
        let branch = app.org_id(BRANCH_1).await;
        let (member2, activist) = (app.person_id("member2").await, app.person_id("activist").await);

        let node = assign(&o, assignment(branch, course, json!({ "orgs": [branch] }), &day(30))).await;
        let role = assign(&o, assignment(branch, course, json!({ "orgs": [branch], "roles": ["member"], "standings": ["full"] }), &day(20))).await;
        let group = assign(&o, assignment(branch, course, json!({ "orgs": [app.org_id(GROUP_1).await] }), &day(10))).await;
        let named = assign(&o, assignment(branch, course, json!({ "people": [activist, member2] }), &day(40))).await;

        assert_eq!(members(&node), sorted(&["王书记", "张红", "赵进步", "李学习"]));
        assert_eq!(members(&role), sorted(&["张红", "李学习"]));
        assert_eq!(members(&group), sorted(&["李学习"]));
        assert_eq!(members(&named), sorted(&["张红", "赵进步"]));
        assert_eq!((node["course_title"].as_str(), node["due_on"].as_str()), (Some("学习党章"), Some(day(30).as_str())));
        let n = |k: &str| node[k].as_u64().unwrap();
        assert_eq!((n("member_count"), n("done"), n("overdue"), node["past_due"].as_bool()), (4, 0, 0, Some(false)));
        assert_eq!(node["target"]["orgs"][0]["name"], "第一党支部");
        assert_eq!(role["target"]["standings"], json!(["full"]));
        assert_eq!(named["target"]["people"].as_array().unwrap().len(), 2);
        assert_eq!(show(&o, &node["id"]).await, node);
        assert_eq!(app.count("assignment_members").await, 4 + 2 + 1 + 2);
        let listed = ok(o.get("/api/v1/assignments").await).await;
        let order: Vec<&Value> = listed.as_array().unwrap().iter().map(|a| &a["id"]).collect();
        assert_eq!(order, [&named["id"], &group["id"], &role["id"], &node["id"]], "newest first");
        // The record carries the earliest due day of the person's assignments.
        assert_eq!(record(&app, "member", course).await, Some((app.org_id(GROUP_1).await, Some(day(10)), true)));
        assert_eq!(record(&app, "activist", course).await, Some((branch, Some(day(30)), true)));
        assert_eq!(record(&app, "member3", course).await, None);
    }

    async fn done_and_overdue_members_are_counted_from_their_progress(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (course, lesson) = course(&app, &o, BRANCH_1, "学习党章").await;
        let branch = app.org_id(BRANCH_1).await;
        let a = assign(&o, assignment(branch, course, json!({ "orgs": [branch], "roles": ["member"], "standings": ["full"] }), &day(5))).await;

        read(&app, &app.login("member").await, lesson).await;

        let done = show(&o, &a["id"]).await;
        assert_eq!((done["done"].as_u64(), done["overdue"].as_u64()), (Some(1), Some(0)));
        let li = &done["members"][1];
        assert_eq!((li["name"].as_str(), li["done"].as_bool(), li["lessons_done"].as_u64()), (Some("李学习"), Some(true), Some(1)));
        assert_eq!(li["completed_on"], day(0));
        // Time passes: the due day is behind us, and who is not done is overdue (listed first).
        app.db.execute_unprepared(&format!("UPDATE assignments SET due_on = '{}' WHERE id = {}", day(-1), a["id"])).await.unwrap();
        let late = show(&o, &a["id"]).await;
        assert_eq!((late["done"].as_u64(), late["overdue"].as_u64(), late["past_due"].as_bool()), (Some(1), Some(1), Some(true)));
        let flags: Vec<(&str, bool, bool)> = late["members"].as_array().unwrap().iter()
            .map(|m| (m["name"].as_str().unwrap(), m["done"].as_bool().unwrap(), m["overdue"].as_bool().unwrap())).collect();
        assert_eq!(flags, [("张红", false, true), ("李学习", true, false)]);
        let listed = &ok(o.get("/api/v1/assignments").await).await[0];
        assert_eq!((listed["member_count"].as_u64(), listed["done"].as_u64(), listed["overdue"].as_u64()), (Some(2), Some(1), Some(1)));
    }

    async fn bad_assignments_are_refused_with_a_message_and_nothing_is_stored(app) {
        let app: TestApp = app;
        let (o, o2) = (app.login("organizer").await, app.login("organizer2").await);
        let (good_course, _) = course(&app, &o, BRANCH_1, "学习党章").await;
        let (foreign, _) = course(&app, &o2, BRANCH_2, "二支部课程").await;
        let draft = new_course(&app, &o, BRANCH_1, "草稿", json!({})).await;
        let (members_only, _) = course(&app, &o, BRANCH_1, "党员专题").await;
        let branch = app.org_id(BRANCH_1).await;
        ok(o.put(&format!("/api/v1/courses/{members_only}"), json!({ "title": "党员专题", "audience": { "orgs": [branch], "standings": ["full"] } })).await).await;
        let whole = json!({ "orgs": [branch] });
        let good = assignment(branch, good_course, whole.clone(), &day(30));
        let with = |k: &str, v: Value| { let mut b = good.clone(); b[k] = v; b };
        let member3 = app.person_id("member3").await;

        let cases = [
            (with("due_on", json!("2026-02-30")), "YYYY-MM-DD"),
            (with("due_on", json!(day(-1))), "早于今天"),
            (with("due_on", json!(day(1200))), "三年"),
            (with("target", json!({})), "至少"),
            (with("target", json!({ "orgs": [app.org_id(BRANCH_2).await] })), "不在所选组织范围内"),
            (with("target", json!({ "orgs": [999_999] })), "不在所选组织范围内"),
            (with("target", json!({ "people": [member3] })), "不在所选组织范围内"),
            (with("target", json!({ "people": [999_999] })), "不在所选组织范围内"),
            (with("target", json!({ "orgs": [branch], "roles": ["admin"] })), "没有任何人员"),
            (with("course_id", json!(999_999)), "无权指派"),
            (with("course_id", json!(foreign)), "无权指派"),
            (with("course_id", json!(draft)), "尚未发布"),
            (with("course_id", json!(members_only)), "1 人"),
            (with("surprise", json!(true)), "JSON"),
        ];
        for (body, says) in cases {
            let e = expect_error(o.post("/api/v1/assignments", body.clone()).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
            assert!(e["message"].as_str().unwrap().contains(says), "{body}: {e}");
        }
        // A node the organizer does not manage is not found, as elsewhere.
        let outside = assignment(app.org_id(BRANCH_2).await, foreign, json!({ "orgs": [app.org_id(BRANCH_2).await] }), &day(30));
        expect_error(o.post("/api/v1/assignments", outside).await, StatusCode::NOT_FOUND, "not_found").await;
        for table in ["assignments", "assignment_members"] {
            assert_eq!(app.count(table).await, 0, "{table}");
        }
        // English too, naming who cannot study; a target without the activist is fine.
        let mut en = app.login("organizer").await;
        en.lang = Some("en");
        let e = expect_error(en.post("/api/v1/assignments", with("course_id", json!(members_only))).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        assert!(e["message"].as_str().unwrap().contains("赵进步") && e["message"].as_str().unwrap().contains("audience"), "{e}");
        assign(&o, assignment(branch, members_only, json!({ "orgs": [branch], "roles": ["member"], "standings": ["full"] }), &day(30))).await;
    }

    async fn memberships_and_records_follow_people_who_move_change_role_or_join(app) {
        let app: TestApp = app;
        let (o, o2, admin) = (app.login("organizer").await, app.login("organizer2").await, app.login("admin").await);
        let (b1, b2) = (app.org_id(BRANCH_1).await, app.org_id(BRANCH_2).await);
        let (course_1, lesson_1) = course(&app, &o, BRANCH_1, "一支部课程").await;
        let (course_2, _) = course(&app, &o2, BRANCH_2, "二支部课程").await;
        let a1 = assign(&o, assignment(b1, course_1, json!({ "orgs": [b1] }), &day(30))).await;
        let members_1 = assign(&o, assignment(b1, course_1, json!({ "orgs": [b1], "roles": ["member"], "standings": ["full"] }), &day(20))).await;
        let a2 = assign(&o2, assignment(b2, course_2, json!({ "orgs": [b2] }), &day(25))).await;
        let named_2 = assign(&o2, assignment(b2, course_2, json!({ "people": [app.person_id("member3").await] }), &day(15))).await;
        let member2 = app.login("member2").await;
        read(&app, &member2, lesson_1).await;

        // 组织关系转接: 张红 moves from branch 1 to branch 2.
        ok(admin.patch(&format!("/api/v1/people/{}", app.person_id("member2").await), json!({ "org_id": b2 })).await).await;

        assert_eq!(members(&show(&o, &a1["id"]).await), sorted(&["王书记", "赵进步", "李学习"]));
        assert_eq!(members(&show(&o, &members_1["id"]).await), sorted(&["李学习"]));
        assert_eq!(members(&show(&o2, &a2["id"]).await), sorted(&["陈书记", "刘青", "张红"]));
        // Her record of branch 1's course stays hers (she studied it), now unassigned, in her new branch.
        assert_eq!(record(&app, "member2", course_1).await, Some((b2, None, false)));
        assert_eq!(record(&app, "member2", course_2).await, Some((b2, Some(day(25)), true)));
        assert_eq!(required(&member2).await, [(course_2, Some(day(25)))]);

        // A named person who leaves the node leaves the assignment too.
        ok(admin.patch(&format!("/api/v1/people/{}", app.person_id("member3").await), json!({ "org_id": b1 })).await).await;
        assert_eq!(members(&show(&o2, &named_2["id"]).await), Vec::<String>::new());
        assert_eq!(members(&show(&o2, &a2["id"]).await), sorted(&["陈书记", "张红"]));
        assert_eq!(members(&show(&o, &a1["id"]).await), sorted(&["王书记", "赵进步", "李学习", "刘青"]));
        assert_eq!(record(&app, "member3", course_2).await, None);
        // A new standing, and a new person, join what now covers them.
        let full = json!({ "standing": "full", "on": day(0) });
        assert_eq!(o.post(&format!("/api/v1/people/{}/milestones", app.person_id("activist").await), full).await.status(), StatusCode::CREATED);
        let created = o.post("/api/v1/people", json!({ "login": "13900000001", "name": "新党员", "role": "member", "org_id": app.org_id(GROUP_1).await })).await;
        assert_eq!(created.status(), StatusCode::CREATED);
        assert_eq!(members(&show(&o, &members_1["id"]).await), sorted(&["李学习", "刘青", "赵进步", "新党员"]));
        // An assignment past its due day takes nobody new.
        app.db.execute_unprepared(&format!("UPDATE assignments SET due_on = '{}' WHERE id = {}", day(-1), a2["id"])).await.unwrap();
        ok(admin.patch(&format!("/api/v1/people/{}", app.person_id("member").await), json!({ "org_id": b2 })).await).await;
        assert_eq!(members(&show(&o2, &a2["id"]).await), sorted(&["陈书记", "张红"]));
        assert_eq!(record(&app, "member", course_1).await, None, "no progress and no longer assigned");
    }

    async fn organizers_see_and_change_only_assignments_of_their_subtree(app) {
        let app: TestApp = app;
        let (o, o2, admin) = (app.login("organizer").await, app.login("organizer2").await, app.login("admin").await);
        let (b1, b2) = (app.org_id(BRANCH_1).await, app.org_id(BRANCH_2).await);
        let (course_1, _) = course(&app, &o, BRANCH_1, "一支部课程").await;
        let (course_2, _) = course(&app, &o2, BRANCH_2, "二支部课程").await;
        let a = assign(&o, assignment(b1, course_1, json!({ "orgs": [b1] }), &day(30))).await;
        let b = assign(&o2, assignment(b2, course_2, json!({ "orgs": [b2] }), &day(30))).await;
        let ids = |list: Value| list.as_array().unwrap().iter().map(|a| a["id"].clone()).collect::<Vec<_>>();

        assert_eq!(ids(ok(o.get("/api/v1/assignments").await).await), [a["id"].clone()]);
        assert_eq!(ids(ok(o2.get("/api/v1/assignments").await).await), [b["id"].clone()]);
        assert_eq!(ids(ok(admin.get("/api/v1/assignments").await).await), [b["id"].clone(), a["id"].clone()]);
        assert_eq!(ids(ok(admin.get(&format!("/api/v1/assignments?org_id={b1}")).await).await), [a["id"].clone()]);
        expect_error(o2.get(&format!("/api/v1/assignments?org_id={b1}")).await, StatusCode::NOT_FOUND, "not_found").await;
        let path = format!("/api/v1/assignments/{}", a["id"]);
        for (method, url, body) in [
            (Method::GET, path.clone(), json!(null)),
            (Method::PUT, format!("{path}/due"), json!({ "due_on": day(60) })),
            (Method::DELETE, path.clone(), json!(null)),
        ] {
            expect_error(o2.request(method, &url).json(&body).send().await.unwrap(), StatusCode::NOT_FOUND, "not_found").await;
        }

        // The due day moves (not into the past); the records take it up.
        let moved = ok(o.put(&format!("{path}/due"), json!({ "due_on": day(60) })).await).await;
        assert_eq!(moved["due_on"], day(60));
        assert_eq!(record(&app, "member2", course_1).await, Some((b1, Some(day(60)), true)));
        expect_error(o.put(&format!("{path}/due"), json!({ "due_on": day(-1) })).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        // Deleting takes the memberships and the assigned records with it.
        assert_eq!(o.delete(&path).await.status(), StatusCode::NO_CONTENT);
        expect_error(o.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
        assert_eq!(record(&app, "member2", course_1).await, None);
        assert_eq!(app.count("assignment_members").await, 2, "branch 2's remain");
    }

    async fn members_get_403_and_anonymous_callers_401(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let branch = app.org_id(BRANCH_1).await;
        let (course, _) = course(&app, &o, BRANCH_1, "学习党章").await;
        let body = assignment(branch, course, json!({ "orgs": [branch] }), &day(30));
        let id = assign(&o, body.clone()).await["id"].as_i64().unwrap();
        let calls = [
            (Method::GET, "/api/v1/assignments".to_owned(), json!(null)),
            (Method::POST, "/api/v1/assignments".to_owned(), body),
            (Method::GET, format!("/api/v1/assignments/{id}"), json!(null)),
            (Method::GET, "/api/v1/assignments/999999".to_owned(), json!(null)),
            (Method::PUT, format!("/api/v1/assignments/{id}/due"), json!({ "due_on": day(9) })),
            (Method::DELETE, format!("/api/v1/assignments/{id}"), json!(null)),
        ];
        let (member, anonymous) = (app.login("member").await, app.anonymous().await);
        for (method, url, body) in &calls {
            expect_error(member.request(method.clone(), url).json(body).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;
            expect_error(anonymous.request(method.clone(), url).json(body).send().await.unwrap(), StatusCode::UNAUTHORIZED, "unauthenticated").await;
        }
        assert_eq!(show(&o, &json!(id)).await["due_on"], day(30), "nothing changed");
        assert_eq!(app.count("assignments").await, 1);
    }

    async fn my_learning_shows_an_assigned_course_as_required_by_its_earliest_due_day(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let branch = app.org_id(BRANCH_1).await;
        let (course, _) = course(&app, &o, BRANCH_1, "选修课").await;
        let member = app.login("member").await;
        assert!(required(&member).await.is_empty(), "an elective is not required");

        assign(&o, assignment(branch, course, json!({ "orgs": [branch] }), &day(20))).await;
        assert_eq!(required(&member).await, [(course, Some(day(20)))]);
        assign(&o, assignment(branch, course, json!({ "orgs": [app.org_id(GROUP_1).await] }), &day(10))).await;
        assert_eq!(required(&member).await, [(course, Some(day(10)))]);
        let learning = ok(member.get("/api/v1/me/learning").await).await;
        assert_eq!(learning["required"][0]["required"], true);
        assert!(required(&app.login("member3").await).await.is_empty(), "not assigned to branch 2");
    }

    async fn the_openapi_document_describes_the_assignment_endpoints(app) {
        let app: TestApp = app;
        let doc: Value = app.anonymous().await.get("/api/v1/openapi.json").await.json().await.expect("doc");
        for path in ["/api/v1/assignments", "/api/v1/assignments/{id}", "/api/v1/assignments/{id}/due"] {
            assert!(doc["paths"][path].is_object(), "{path} missing");
        }
        let schemas = &doc["components"]["schemas"];
        for name in ["NewAssignment", "AssignmentView", "AssignmentSummary", "AssignmentMember", "DueUpdate"] {
            assert!(schemas[name].is_object(), "{name} missing");
        }
    }
}
