//! Meetings (三会一课) and make-up study (补学) through the API: recording a
//! meeting with everyone's attendance, the tasks it gives absent and
//! on-leave members, 应到 / 实到 / 已补学 as they study, withdrawing a task
//! while keeping progress, the deadline, bad input that stores nothing, and
//! who may see and change what.
//!
//! The roster of 第一党支部: organizer (王书记), member (李学习, in its
//! 第一党小组), member2 (张红), activist (赵进步).

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::courses::{add_lesson, article_lesson, new_course, ok, publish, video_lesson, GROUP_1};
use crate::helpers::{expect_error, Client, TestApp, BRANCH_1, BRANCH_2};
use crate::on_both_databases;
use crate::study::{open, pass};

/// The date `offset` days from today in the platform's zone (UTC+8).
fn day(offset: i64) -> String {
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    (today + chrono::Duration::days(offset)).format("%Y-%m-%d").to_string()
}

/// A published course of `org` with an article and a video lesson;
/// returns (course, article lesson, video lesson).
async fn material(app: &TestApp, c: &Client, org: &str) -> (i64, i64, i64) {
    let course = new_course(app, c, org, "组织生活资料", json!({})).await;
    let article = article_lesson(c, course, "会议讲稿", "## 学习党章\n\n认真学习。").await;
    let video = video_lesson(app, c, course, org, 60.0).await;
    publish(c, course).await;
    (course, article, video)
}

/// The attendance list for `(login, status)` pairs.
async fn attendance(app: &TestApp, who: &[(&str, &str)]) -> Value {
    let mut list = Vec::new();
    for (login, status) in who {
        list.push(json!({ "person_id": app.person_id(login).await, "status": status }));
    }
    Value::Array(list)
}

/// Branch 1's whole roster: member absent, member2 on leave, the others present.
async fn branch_1_attendance(app: &TestApp) -> Value {
    attendance(app, &[("organizer", "present"), ("member", "absent"), ("member2", "leave"), ("activist", "present")])
        .await
}

fn meeting(org: i64, held_on: &str, lessons: &[i64], attendance: &Value) -> Value {
    json!({ "org_id": org, "kind": "party_lecture", "held_on": held_on, "topic": "学习新党章",
            "lesson_ids": lessons, "attendance": attendance })
}

async fn record(c: &Client, body: Value) -> Value {
    ok(c.post("/api/v1/meetings", body).await).await
}

/// Reads an article lesson long enough to complete it.
async fn read(app: &TestApp, c: &Client, lesson: i64) {
    let session = open(c, lesson).await;
    pass(app, &session, 31_000).await;
    let beat = json!({ "session_id": session, "lesson_id": lesson, "seq": 1, "position": 1.0, "visible": true,
                       "idle_seconds": 1, "visible_seconds": 31 });
    let ack = ok(c.post("/api/v1/heartbeats", beat).await).await;
    assert_eq!(ack["progress"]["completed"], true, "{ack}");
}

async fn makeups(c: &Client) -> Vec<Value> {
    ok(c.get("/api/v1/me/makeups").await).await.as_array().expect("a list").clone()
}

fn names(people: &Value) -> Vec<&str> {
    people.as_array().expect("a list").iter().map(|p| p["name"].as_str().expect("name")).collect()
}

fn counts(m: &Value) -> [u64; 5] {
    ["expected", "present", "absent", "on_leave", "made_up"].map(|k| m[k].as_u64().expect(k))
}

on_both_databases! {
    async fn absent_and_on_leave_members_get_make_up_tasks_and_present_ones_none(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (course, article, video) = material(&app, &o, BRANCH_1).await;
        let branch = app.org_id(BRANCH_1).await;

        let m = record(&o, meeting(branch, &day(-3), &[video, article], &branch_1_attendance(&app).await)).await;

        assert_eq!((m["kind"].as_str(), m["topic"].as_str(), m["held_on"].as_str()), (Some("party_lecture"), Some("学习新党章"), Some(day(-3).as_str())));
        assert_eq!(m["deadline"], day(11), "14 days after the meeting by default");
        assert_eq!(counts(&m), [4, 2, 1, 1, 0], "{m}");
        // By pinyin (li before zhang), not by code point (张 U+5F20 before 李 U+674E).
        assert_eq!(names(&m["missing"]), ["李学习", "张红"]);
        let lessons: Vec<(i64, &str, i64)> = m["lessons"].as_array().unwrap().iter()
            .map(|l| (l["id"].as_i64().unwrap(), l["kind"].as_str().unwrap(), l["course_id"].as_i64().unwrap())).collect();
        assert_eq!(lessons, [(video, "video", course), (article, "article", course)]);
        assert_eq!(ok(o.get(&format!("/api/v1/meetings/{}", m["id"])).await).await, m);

        let tasks = makeups(&app.login("member").await).await;
        assert_eq!(tasks.len(), 1, "{tasks:?}");
        let t = &tasks[0];
        assert_eq!((t["meeting_id"].as_i64(), t["status"].as_str(), t["deadline"].as_str()), (m["id"].as_i64(), Some("absent"), Some(day(11).as_str())));
        assert_eq!((t["done"].as_bool(), t["overdue"].as_bool(), t["topic"].as_str()), (Some(false), Some(false), Some("学习新党章")));
        let flags: Vec<(i64, bool, bool)> = t["lessons"].as_array().unwrap().iter()
            .map(|l| (l["id"].as_i64().unwrap(), l["completed"].as_bool().unwrap(), l["available"].as_bool().unwrap())).collect();
        assert_eq!(flags, [(video, false, true), (article, false, true)]);
        assert_eq!(makeups(&app.login("member2").await).await[0]["status"], "leave");
        assert!(makeups(&app.login("activist").await).await.is_empty());
        assert!(makeups(&o).await.is_empty());

        // A custom period; an older meeting past its deadline is overdue and comes first.
        let mut custom = meeting(branch, &day(-2), &[article], &branch_1_attendance(&app).await);
        custom["makeup_days"] = json!(30);
        let later = record(&o, custom).await;
        assert_eq!(later["deadline"], day(28));
        let mut old = meeting(branch, &day(-40), &[article], &branch_1_attendance(&app).await);
        old["kind"] = json!("theme_day");
        let overdue = record(&o, old).await;
        let tasks = makeups(&app.login("member").await).await;
        let order: Vec<(i64, bool)> = tasks.iter().map(|t| (t["meeting_id"].as_i64().unwrap(), t["overdue"].as_bool().unwrap())).collect();
        assert_eq!(order, [(overdue["id"].as_i64().unwrap(), true), (m["id"].as_i64().unwrap(), false), (later["id"].as_i64().unwrap(), false)]);
    }

    async fn an_absentee_who_completes_the_material_counts_as_made_up(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (_, article, video) = material(&app, &o, BRANCH_1).await;
        let branch = app.org_id(BRANCH_1).await;
        let reading = record(&o, meeting(branch, &day(-3), &[article], &branch_1_attendance(&app).await)).await;
        let watching = record(&o, meeting(branch, &day(-1), &[video], &branch_1_attendance(&app).await)).await;
        let member = app.login("member").await;

        read(&app, &member, article).await;

        let m = ok(o.get(&format!("/api/v1/meetings/{}", reading["id"])).await).await;
        assert_eq!(counts(&m), [4, 2, 1, 1, 1], "{m}");
        assert_eq!(names(&m["missing"]), ["张红"]);
        let li = m["attendance"].as_array().unwrap().iter().find(|a| a["login"] == "member").unwrap();
        assert_eq!((li["status"].as_str(), li["lessons_completed"].as_u64(), li["made_up"].as_bool()), (Some("absent"), Some(1), Some(true)));
        let listed = ok(o.get("/api/v1/meetings").await).await;
        let made_up: Vec<(i64, u64)> = listed.as_array().unwrap().iter().map(|s| (s["id"].as_i64().unwrap(), s["made_up"].as_u64().unwrap())).collect();
        assert_eq!(made_up, [(watching["id"].as_i64().unwrap(), 0), (reading["id"].as_i64().unwrap(), 1)], "newest first");
        // The open task comes before the one done.
        let tasks = makeups(&member).await;
        let order: Vec<(i64, bool)> = tasks.iter().map(|t| (t["meeting_id"].as_i64().unwrap(), t["done"].as_bool().unwrap())).collect();
        assert_eq!(order, [(watching["id"].as_i64().unwrap(), false), (reading["id"].as_i64().unwrap(), true)]);
        assert_eq!(tasks[1]["lessons"][0]["completed"], true);
    }

    async fn marking_an_absentee_present_withdraws_the_task_and_keeps_their_progress(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (course, article, _) = material(&app, &o, BRANCH_1).await;
        let branch = app.org_id(BRANCH_1).await;
        let m = record(&o, meeting(branch, &day(-3), &[article], &branch_1_attendance(&app).await)).await;
        let path = format!("/api/v1/meetings/{}", m["id"]);
        let member = app.login("member").await;
        read(&app, &member, article).await;

        let present = ok(o.put(&format!("{path}/attendance"), json!({ "attendance": attendance(&app, &[("member", "present")]).await })).await).await;

        assert_eq!(counts(&present), [4, 3, 0, 1, 0], "{present}");
        assert!(makeups(&member).await.is_empty());
        let progress = ok(member.get(&format!("/api/v1/lessons/{article}/progress")).await).await;
        assert_eq!(progress["completed"], true, "progress stays: {progress}");
        // Absent again: the task is back, already made up.
        let again = ok(o.put(&format!("{path}/attendance"), json!({ "attendance": attendance(&app, &[("member", "absent"), ("member2", "present")]).await })).await).await;
        assert_eq!(counts(&again), [4, 3, 1, 0, 1], "{again}");
        assert_eq!(makeups(&member).await[0]["done"], true);
        assert!(makeups(&app.login("member2").await).await.is_empty());

        // The deadline moves within a year of the meeting.
        let moved = ok(o.put(&format!("{path}/deadline"), json!({ "deadline": day(60) })).await).await;
        assert_eq!(moved["deadline"], day(60));
        assert_eq!(makeups(&member).await[0]["deadline"], day(60));
        for bad in [day(-4), day(363), "soon".to_owned()] {
            expect_error(o.put(&format!("{path}/deadline"), json!({ "deadline": bad })).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        }
        // Refused attendance changes change nothing.
        ok(o.put(&format!("/api/v1/courses/{course}"), json!({ "title": "组织生活资料", "audience": { "orgs": [branch], "standings": ["full"] } })).await).await;
        let outsider = app.person_id("member3").await;
        for bad in [
            json!({ "attendance": [{ "person_id": outsider, "status": "absent" }] }),
            json!({ "attendance": attendance(&app, &[("member2", "late")]).await }),
            json!({ "attendance": [] }),
            json!({ "attendance": attendance(&app, &[("activist", "absent")]).await }),
        ] {
            let e = expect_error(o.put(&format!("{path}/attendance"), bad.clone()).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
            assert!(!e["message"].as_str().unwrap().is_empty(), "{bad}");
        }
        assert_eq!(ok(o.get(&path).await).await, moved);
    }

    async fn bad_meetings_are_refused_with_a_message_and_nothing_is_stored(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (_, article, video) = material(&app, &o, BRANCH_1).await;
        let branch = app.org_id(BRANCH_1).await;
        let good = meeting(branch, &day(-3), &[article], &branch_1_attendance(&app).await);
        let with = |k: &str, v: Value| { let mut b = good.clone(); b[k] = v; b };
        let o2 = app.login("organizer2").await;
        let (_, foreign, _) = material(&app, &o2, BRANCH_2).await;
        let draft = new_course(&app, &o, BRANCH_1, "草稿", json!({})).await;
        let unpublished = article_lesson(&o, draft, "未发布", "正文").await;
        let members_only = new_course(&app, &o, BRANCH_1, "党员专题", json!({})).await;
        let not_for_activists = add_lesson(&o, members_only, json!({ "title": "党员课", "article": "正文" })).await["id"].as_i64().unwrap();
        ok(o.put(&format!("/api/v1/courses/{members_only}"), json!({ "title": "党员专题", "audience": { "orgs": [branch], "standings": ["full"] } })).await).await;
        publish(&o, members_only).await;
        let activist_absent = attendance(&app, &[("organizer", "present"), ("member", "present"), ("member2", "present"), ("activist", "absent")]).await;

        let cases = [
            (with("kind", json!("dinner")), "branch_assembly"),
            (with("held_on", json!("2026-02-30")), "YYYY-MM-DD"),
            (with("held_on", json!(day(1))), "今天"),
            (with("topic", json!("  ")), "主题"),
            (with("lesson_ids", json!([])), "至少"),
            (with("lesson_ids", json!((1..=21).collect::<Vec<i64>>())), "20"),
            (with("lesson_ids", json!([article, article])), "两次"),
            (with("makeup_days", json!(0)), "1–365"),
            (with("makeup_days", json!(366)), "1–365"),
            (with("attendance", attendance(&app, &[("organizer", "present"), ("member", "absent"), ("member2", "leave"), ("activist", "late")]).await), "present"),
            (with("attendance", attendance(&app, &[("organizer", "present"), ("member", "absent"), ("member", "leave"), ("member2", "leave"), ("activist", "present")]).await), "两次"),
            (with("attendance", attendance(&app, &[("organizer", "present"), ("member", "absent"), ("member2", "leave")]).await), "赵进步"),
            (with("attendance", attendance(&app, &[("organizer", "present"), ("member", "absent"), ("member2", "leave"), ("activist", "present"), ("member3", "absent")]).await), "不属于"),
            (with("lesson_ids", json!([foreign])), "不属于您管理"),
            (with("lesson_ids", json!([video, unpublished])), "未发布"),
            (with("lesson_ids", json!([not_for_activists])).tap(|b| b["attendance"] = activist_absent.clone()), "赵进步"),
            (with("surprise", json!(true)), "JSON"),
        ];
        for (body, says) in cases {
            let e = expect_error(o.post("/api/v1/meetings", body.clone()).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
            assert!(e["message"].as_str().unwrap().contains(says), "{body}: {e}");
        }
        for table in ["meetings", "meeting_lessons", "meeting_attendance"] {
            assert_eq!(app.count(table).await, 0, "{table}");
        }
        // English too; and the same lesson is fine when the activist attended.
        let mut en = app.login("organizer").await;
        en.lang = Some("en");
        let e = expect_error(en.post("/api/v1/meetings", with("lesson_ids", json!([not_for_activists])).tap(|b| b["attendance"] = activist_absent.clone())).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        assert!(e["message"].as_str().unwrap().contains("audience"), "{e}");
        record(&o, with("lesson_ids", json!([not_for_activists]))).await;
    }

    async fn organizers_see_and_change_only_meetings_of_their_subtree(app) {
        let app: TestApp = app;
        let (o, o2, admin) = (app.login("organizer").await, app.login("organizer2").await, app.login("admin").await);
        let (_, article, _) = material(&app, &o, BRANCH_1).await;
        let (_, article2, _) = material(&app, &o2, BRANCH_2).await;
        let a = record(&o, meeting(app.org_id(BRANCH_1).await, &day(-5), &[article], &branch_1_attendance(&app).await)).await;
        let mut in_group = meeting(app.org_id(GROUP_1).await, &day(-4), &[article], &attendance(&app, &[("member", "present")]).await);
        in_group["kind"] = json!("group_meeting");
        let g = record(&o, in_group).await;
        let roster_2 = attendance(&app, &[("organizer2", "present"), ("member3", "absent")]).await;
        let b = record(&o2, meeting(app.org_id(BRANCH_2).await, &day(-2), &[article2], &roster_2)).await;
        let ids = |list: Value| list.as_array().unwrap().iter().map(|m| m["id"].as_i64().unwrap()).collect::<Vec<_>>();
        let (a_id, g_id, b_id) = (a["id"].as_i64().unwrap(), g["id"].as_i64().unwrap(), b["id"].as_i64().unwrap());

        assert_eq!(ids(ok(o.get("/api/v1/meetings").await).await), [g_id, a_id]);
        assert_eq!(ids(ok(o2.get("/api/v1/meetings").await).await), [b_id]);
        assert_eq!(ids(ok(admin.get("/api/v1/meetings").await).await), [b_id, g_id, a_id]);
        assert_eq!(ids(ok(o.get(&format!("/api/v1/meetings?org_id={}", app.org_id(GROUP_1).await)).await).await), [g_id]);
        assert_eq!(ids(ok(admin.get(&format!("/api/v1/meetings?org_id={}", app.org_id(BRANCH_2).await)).await).await), [b_id]);
        expect_error(o2.get(&format!("/api/v1/meetings?org_id={}", app.org_id(BRANCH_1).await)).await, StatusCode::NOT_FOUND, "not_found").await;
        let path = format!("/api/v1/meetings/{a_id}");
        for (method, url, body) in [
            (Method::GET, path.clone(), json!(null)),
            (Method::PUT, format!("{path}/attendance"), json!({ "attendance": attendance(&app, &[("member", "present")]).await })),
            (Method::PUT, format!("{path}/deadline"), json!({ "deadline": day(30) })),
            (Method::DELETE, path.clone(), json!(null)),
        ] {
            expect_error(o2.request(method.clone(), &url).json(&body).send().await.unwrap(), StatusCode::NOT_FOUND, "not_found").await;
        }
        let outside = meeting(app.org_id(BRANCH_1).await, &day(-1), &[article2], &branch_1_attendance(&app).await);
        expect_error(o2.post("/api/v1/meetings", outside).await, StatusCode::NOT_FOUND, "not_found").await;

        // Deleting takes the tasks with it; the study progress stays.
        let member = app.login("member").await;
        read(&app, &member, article).await;
        assert_eq!(o.delete(&path).await.status(), StatusCode::NO_CONTENT);
        expect_error(o.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
        assert!(makeups(&member).await.is_empty());
        assert_eq!(ok(member.get(&format!("/api/v1/lessons/{article}/progress")).await).await["completed"], true);
        assert_eq!(app.count("meeting_attendance").await, 3, "the group's and branch 2's rows remain");
    }

    async fn members_get_403_on_organizer_endpoints_and_anonymous_callers_401(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (_, article, _) = material(&app, &o, BRANCH_1).await;
        let body = meeting(app.org_id(BRANCH_1).await, &day(-3), &[article], &branch_1_attendance(&app).await);
        let id = record(&o, body.clone()).await["id"].as_i64().unwrap();
        let calls = [
            (Method::GET, "/api/v1/meetings".to_owned(), json!(null)),
            (Method::POST, "/api/v1/meetings".to_owned(), body),
            (Method::GET, format!("/api/v1/meetings/{id}"), json!(null)),
            (Method::GET, "/api/v1/meetings/999999".to_owned(), json!(null)),
            (Method::PUT, format!("/api/v1/meetings/{id}/attendance"), json!({ "attendance": attendance(&app, &[("member", "present")]).await })),
            (Method::PUT, format!("/api/v1/meetings/{id}/deadline"), json!({ "deadline": day(30) })),
            (Method::DELETE, format!("/api/v1/meetings/{id}"), json!(null)),
        ];
        let member = app.login("member").await;
        let anonymous = app.anonymous().await;
        for (method, url, body) in &calls {
            expect_error(member.request(method.clone(), url).json(body).send().await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;
            expect_error(anonymous.request(method.clone(), url).json(body).send().await.unwrap(), StatusCode::UNAUTHORIZED, "unauthenticated").await;
        }
        expect_error(anonymous.get("/api/v1/me/makeups").await, StatusCode::UNAUTHORIZED, "unauthenticated").await;
        assert_eq!(makeups(&member).await.len(), 1, "nothing changed");
        assert!(makeups(&app.login("member3").await).await.is_empty(), "only one's own tasks");
    }

    async fn the_openapi_document_describes_the_meeting_endpoints(app) {
        let app: TestApp = app;
        let doc: Value = app.anonymous().await.get("/api/v1/openapi.json").await.json().await.expect("doc");
        for path in ["/api/v1/meetings", "/api/v1/meetings/{id}", "/api/v1/meetings/{id}/attendance",
                     "/api/v1/meetings/{id}/deadline", "/api/v1/me/makeups"] {
            assert!(doc["paths"][path].is_object(), "{path} missing");
        }
        let schemas = &doc["components"]["schemas"];
        for name in ["NewMeeting", "MeetingView", "MeetingSummary", "MakeupTask", "MeetingKind", "Attendance"] {
            assert!(schemas[name].is_object(), "{name} missing");
        }
        // The meeting page's schema is the summary's fields plus its lists.
        assert_eq!(schemas["MeetingView"]["allOf"][0]["$ref"], "#/components/schemas/MeetingSummary");
    }
}

/// Changes a JSON value in place and returns it, for one-line case tables.
trait Tap: Sized {
    fn tap(self, f: impl FnOnce(&mut Self)) -> Self;
}

impl Tap for Value {
    fn tap(mut self, f: impl FnOnce(&mut Self)) -> Self {
        f(&mut self);
        self
    }
}
