//! Reminders and notifications through the API: the automatic sweep (due
//! soon, overdue, each once), the one-click reminder (exactly those
//! overdue, rate-limited, logged), who may remind and read the log, that
//! notifications are private. E-mail to a real SMTP server: `reminder_email.rs`.
//!
//! The roster of 第一党支部: organizer (王书记), member (李学习), member2
//! (张红), activist (赵进步). Assignments are written straight into their
//! tables (the assignment API has its own tests); meetings go through the
//! API.

use dangxiao_server::db::{assignment_members, assignments};
use dangxiao_server::services::{course_records, reminders};
use reqwest::StatusCode;
use sea_orm::{EntityTrait, Set};
use serde_json::{json, Value};

use crate::courses::{article_lesson, new_course, ok, publish};
use crate::helpers::{expect_error, Client, TestApp, BRANCH_1, BRANCH_2};
use crate::on_both_databases;
use crate::study::{open, pass};

/// The date `offset` days from today in the platform's zone (UTC+8).
pub fn day(offset: i64) -> String {
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    (today + chrono::Duration::days(offset)).format("%Y-%m-%d").to_string()
}

/// A published course of branch 1 with one article lesson per title;
/// returns (course, lessons).
pub async fn course(app: &TestApp, o: &Client, title: &str, lessons: &[&str]) -> (i64, Vec<i64>) {
    let course = new_course(app, o, BRANCH_1, title, json!({})).await;
    let mut ids = Vec::new();
    for l in lessons {
        ids.push(article_lesson(o, course, l, "## 学习\n\n认真学习。").await);
    }
    publish(o, course).await;
    (course, ids)
}

/// Records a party lecture of branch 1 held `held` days from today, made
/// up within `days`: member absent, member2 on leave, the others present.
pub async fn meeting(app: &TestApp, o: &Client, held: i64, days: u32, lesson: i64, topic: &str) -> i64 {
    let mut attendance = Vec::new();
    for (login, status) in
        [("organizer", "present"), ("member", "absent"), ("member2", "leave"), ("activist", "present")]
    {
        attendance.push(json!({ "person_id": app.person_id(login).await, "status": status }));
    }
    let body = json!({ "org_id": app.org_id(BRANCH_1).await, "kind": "party_lecture", "held_on": day(held),
                       "topic": topic, "lesson_ids": [lesson], "makeup_days": days, "attendance": attendance });
    ok(o.post("/api/v1/meetings", body).await).await["id"].as_i64().expect("meeting id")
}

/// Assigns `course` of branch 1 to `logins`, due `due` days from today.
async fn assign(app: &TestApp, course: i64, due: i64, logins: &[&str]) -> i64 {
    let org = app.org_id(BRANCH_1).await;
    let now = chrono::Utc::now().timestamp();
    let row = assignments::ActiveModel {
        course_id: Set(course),
        org_id: Set(org),
        target: Set(json!({ "orgs": [], "roles": [], "people": [] }).to_string()),
        due_on: Set(day(due)),
        created_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let id = assignments::Entity::insert(row).exec(&app.db).await.expect("assignment").last_insert_id;
    for login in logins {
        let member =
            assignment_members::ActiveModel { assignment_id: Set(id), person_id: Set(app.person_id(login).await) };
        assignment_members::Entity::insert(member).exec(&app.db).await.expect("member");
    }
    course_records::mark_assignment(&app.db, id).await.expect("mark");
    id
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

async fn notifications(c: &Client) -> Value {
    ok(c.get("/api/v1/me/notifications").await).await
}

/// (kind, link) of each notification, sorted.
fn kinds(list: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|n| (n["kind"].as_str().unwrap().to_owned(), n["link"].as_str().unwrap().to_owned()))
        .collect();
    out.sort();
    out
}

fn pair(kind: &str, link: String) -> (String, String) {
    (kind.to_owned(), link)
}

pub async fn reminder_log(c: &Client, kind: &str, id: i64) -> reqwest::Response {
    c.get(&format!("/api/v1/reminders?subject_kind={kind}&subject_id={id}")).await
}

on_both_databases! {
    async fn the_sweep_sends_due_soon_and_overdue_reminders_once(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (_, lessons) = course(&app, &o, "组织生活", &["第一讲", "第二讲", "第三讲"]).await;
        let (a_course, a_lessons) = course(&app, &o, "党章学习", &["总纲"]).await;
        let (late_course, _) = course(&app, &o, "党史", &["开篇"]).await;
        let overdue = meeting(&app, &o, -20, 14, lessons[0], "学习新党章").await;
        let soon = meeting(&app, &o, -10, 12, lessons[1], "主题党日活动").await;
        let _later = meeting(&app, &o, -1, 14, lessons[2], "党课").await;
        let due_soon = assign(&app, a_course, 1, &["member", "member2", "activist"]).await;
        let _late = assign(&app, late_course, -2, &["member"]).await;
        let (member, member2) = (app.login("member").await, app.login("member2").await);
        // member2 made up the second meeting; the activist completed the course.
        read(&app, &member2, lessons[1]).await;
        read(&app, &app.login("activist").await, a_lessons[0]).await;

        // Two app servers sweeping at the same moment, then once more.
        let settings = &app.state.settings;
        let (one, two) = tokio::join!(reminders::sweep(&app.db, settings), reminders::sweep(&app.db, settings));
        let (one, two) = (one.expect("sweep"), two.expect("sweep"));
        let again = reminders::sweep(&app.db, settings).await.expect("sweep again");

        assert_eq!((one.notified + two.notified, one.emailed + two.emailed), (6, 0), "no SMTP: in-app only");
        assert_eq!(again.notified, 0, "each reminder goes out once");
        // The sweep's 6, and the 4 make-up tasks announced when the two
        // meetings still open were recorded (the overdue one was not: its
        // overdue reminder tells of it).
        assert_eq!(app.count("notifications").await, 6 + 4);
        let mine = notifications(&member).await;
        assert_eq!(kinds(&mine), [
            pair("assignment_due_soon", format!("/courses/{a_course}")),
            pair("assignment_overdue", format!("/courses/{late_course}")),
            pair("makeup_due_soon", format!("/lessons/{}", lessons[1])),
            pair("makeup_new", format!("/lessons/{}", lessons[1])),
            pair("makeup_new", format!("/lessons/{}", lessons[2])),
            pair("makeup_overdue", format!("/lessons/{}", lessons[0])),
        ]);
        assert_eq!(mine["unread"], 4 + 2);
        let overdue_note = mine["items"].as_array().unwrap().iter().find(|n| n["kind"] == "makeup_overdue").unwrap();
        assert_eq!(overdue_note["title"], "补学已逾期");
        assert!(overdue_note["body"].as_str().unwrap().contains(&format!("党课“学习新党章”（{}）补学截止日期 {} 已过", day(-20), day(-6))), "{overdue_note}");
        assert_eq!(kinds(&notifications(&member2).await), [
            pair("assignment_due_soon", format!("/courses/{a_course}")),
            pair("makeup_new", format!("/lessons/{}", lessons[1])),
            pair("makeup_new", format!("/lessons/{}", lessons[2])),
            pair("makeup_overdue", format!("/lessons/{}", lessons[0])),
        ]);
        for login in ["activist", "organizer"] {
            assert_eq!(notifications(&app.login(login).await).await["items"], json!([]), "{login}");
        }
        // Rendered in the reader's language when read.
        let mut english = app.login("member").await;
        english.lang = Some("en");
        let en = notifications(&english).await;
        assert!(en["items"].as_array().unwrap().iter().any(|n| n["title"] == "Make-up study overdue"), "{en}");
        // One automatic round logged per subject.
        for (kind, id, recipients) in [("meeting", overdue, 2), ("meeting", soon, 1), ("assignment", due_soon, 2)] {
            let log = ok(reminder_log(&o, kind, id).await).await;
            assert_eq!(log.as_array().unwrap().len(), 1, "{kind} {id}: {log}");
            assert_eq!((log[0]["automatic"].as_bool(), log[0]["recipients"].as_u64(), log[0]["emailed"].as_u64()), (Some(true), Some(recipients), Some(0)), "{log}");
        }
        assert_eq!(app.count("reminder_log").await, 4);
        assert_eq!(app.count("reminders_sent").await, 6 + 4);
    }

    async fn one_click_reminds_exactly_the_overdue_and_is_rate_limited_and_logged(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (course_id, lessons) = course(&app, &o, "组织生活", &["第一讲", "第二讲"]).await;
        let overdue = meeting(&app, &o, -20, 14, lessons[0], "学习新党章").await;
        let open_still = meeting(&app, &o, -2, 14, lessons[1], "主题党日").await;
        let (member, member2) = (app.login("member").await, app.login("member2").await);
        read(&app, &member2, lessons[0]).await;

        let sent = ok(o.post(&format!("/api/v1/meetings/{overdue}/remind"), json!({})).await).await;

        assert_eq!((sent["reminded"].as_u64(), sent["emailed"].as_u64()), (Some(1), Some(0)), "{sent}");
        assert!(sent["next_allowed_at_ms"].as_i64().unwrap() > chrono::Utc::now().timestamp_millis() + 3_500_000);
        let note = &notifications(&member).await["items"][0];
        assert_eq!((note["kind"].as_str(), note["title"].as_str()), (Some("organizer_reminder"), Some("组织提醒")));
        assert!(note["body"].as_str().unwrap().starts_with("王书记提醒您："), "{note}");
        // Only told of the open meeting's task when it was recorded.
        assert_eq!(kinds(&notifications(&member2).await), [pair("makeup_new", format!("/lessons/{}", lessons[1]))], "made up: not reminded");
        // Again within the cooldown: 429 with Retry-After, nothing sent.
        let r = o.post(&format!("/api/v1/meetings/{overdue}/remind"), json!({})).await;
        let retry: i64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((3500..=3600).contains(&retry), "{retry}");
        expect_error(r, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
        assert_eq!(notifications(&member).await["items"].as_array().unwrap().len(), 1 + 1, "the reminder and the open task");
        // The log says who sent it, to how many.
        let log = ok(reminder_log(&o, "meeting", overdue).await).await;
        assert_eq!(log.as_array().unwrap().len(), 1, "{log}");
        assert_eq!((log[0]["automatic"].as_bool(), log[0]["sent_by"].as_i64(), log[0]["sent_by_name"].as_str(), log[0]["recipients"].as_u64()),
                   (Some(false), Some(app.person_id("organizer").await), Some("王书记"), Some(1)), "{log}");
        // Before the deadline nobody is overdue: nothing sent, logged or waited for.
        let none = ok(o.post(&format!("/api/v1/meetings/{open_still}/remind"), json!({})).await).await;
        assert_eq!((none["reminded"].as_u64(), none["next_allowed_at_ms"].as_i64()), (Some(0), Some(0)), "{none}");
        assert_eq!(ok(reminder_log(&o, "meeting", open_still).await).await, json!([]));

        // An assignment: those who completed the course are left out.
        let assignment = assign(&app, course_id, -1, &["member", "member2", "activist"]).await;
        read(&app, &member2, lessons[1]).await;
        let sent = ok(o.post(&format!("/api/v1/assignments/{assignment}/remind"), json!({})).await).await;
        assert_eq!(sent["reminded"], 2, "member and activist: {sent}");
        let note = &notifications(&app.login("activist").await).await["items"][0];
        assert!(note["body"].as_str().unwrap().contains("课程《组织生活》的完成期限"), "{note}");
        assert_eq!(note["link"], format!("/courses/{course_id}"));
        expect_error(o.post(&format!("/api/v1/assignments/{assignment}/remind"), json!({})).await, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
        // The admin manages everything, and shares the subject's cooldown.
        let admin = app.login("admin").await;
        expect_error(admin.post(&format!("/api/v1/meetings/{overdue}/remind"), json!({})).await, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
        assert_eq!(ok(reminder_log(&admin, "assignment", assignment).await).await.as_array().unwrap().len(), 1);
    }

    async fn only_those_who_manage_the_subject_may_remind_or_read_the_log(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (course_id, lessons) = course(&app, &o, "组织生活", &["第一讲"]).await;
        let m = meeting(&app, &o, -20, 14, lessons[0], "学习新党章").await;
        let a = assign(&app, course_id, -1, &["member"]).await;
        let o2 = app.login("organizer2").await;

        for (kind, id) in [("meetings", m), ("assignments", a)] {
            let path = format!("/api/v1/{kind}/{id}/remind");
            expect_error(o2.post(&path, json!({})).await, StatusCode::NOT_FOUND, "not_found").await;
            expect_error(app.login("member").await.post(&path, json!({})).await, StatusCode::FORBIDDEN, "forbidden").await;
            expect_error(app.anonymous().await.post(&path, json!({})).await, StatusCode::UNAUTHORIZED, "unauthenticated").await;
            let mut no_token = app.login("organizer").await;
            no_token.csrf = String::new();
            expect_error(no_token.post(&path, json!({})).await, StatusCode::FORBIDDEN, "csrf_failed").await;
        }
        // Nothing was sent by any of those.
        assert_eq!(app.count("notifications").await, 0);
        assert_eq!(app.count("reminder_log").await, 0);
        ok(o.post(&format!("/api/v1/meetings/{m}/remind"), json!({})).await).await;
        // Another branch's subjects, and ones that do not exist, look alike.
        for (kind, id) in [("meeting", m), ("assignment", a), ("meeting", 999_999)] {
            expect_error(reminder_log(&o2, kind, id).await, StatusCode::NOT_FOUND, "not_found").await;
            expect_error(reminder_log(&app.login("member").await, kind, id).await, StatusCode::FORBIDDEN, "forbidden").await;
        }
        expect_error(reminder_log(&app.anonymous().await, "meeting", m).await, StatusCode::UNAUTHORIZED, "unauthenticated").await;
        expect_error(reminder_log(&o, "lecture", m).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        // Branch 2's organizer reminds their own meetings only, and branch 1's cannot read that log.
        let c2 = new_course(&app, &o2, BRANCH_2, "二支部学习", json!({})).await;
        let l2 = article_lesson(&o2, c2, "第一讲", "正文").await;
        publish(&o2, c2).await;
        let roster2 = json!([{ "person_id": app.person_id("organizer2").await, "status": "present" },
                             { "person_id": app.person_id("member3").await, "status": "absent" }]);
        let m2 = ok(o2.post("/api/v1/meetings", json!({ "org_id": app.org_id(BRANCH_2).await, "kind": "party_lecture",
            "held_on": day(-20), "topic": "二支部党课", "lesson_ids": [l2], "makeup_days": 14, "attendance": roster2 })).await).await["id"].as_i64().unwrap();
        assert_eq!(ok(o2.post(&format!("/api/v1/meetings/{m2}/remind"), json!({})).await).await["reminded"], 1);
        expect_error(o.post(&format!("/api/v1/meetings/{m2}/remind"), json!({})).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(reminder_log(&o, "meeting", m2).await, StatusCode::NOT_FOUND, "not_found").await;
    }

    async fn notifications_are_private_to_their_owner(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (_, lessons) = course(&app, &o, "组织生活", &["第一讲", "第二讲"]).await;
        meeting(&app, &o, -20, 14, lessons[0], "学习新党章").await;
        // Both overdue when recorded: two reminders each, none announced as new.
        meeting(&app, &o, -16, 14, lessons[1], "主题党日").await;
        reminders::sweep(&app.db, &app.state.settings).await.expect("sweep");
        let (member, member2) = (app.login("member").await, app.login("member2").await);
        let mine = notifications(&member).await;
        let ids: Vec<i64> = mine["items"].as_array().unwrap().iter().map(|n| n["id"].as_i64().unwrap()).collect();
        assert_eq!(ids.len(), 2);
        let theirs: Vec<i64> = notifications(&member2).await["items"].as_array().unwrap().iter().map(|n| n["id"].as_i64().unwrap()).collect();
        assert!(theirs.iter().all(|id| !ids.contains(id)), "{ids:?} {theirs:?}");

        // Someone else's ids change nothing.
        let r = ok(member2.post("/api/v1/me/notifications/read", json!({ "ids": ids })).await).await;
        assert_eq!(r["unread"], 2, "member2's own are still unread");
        assert_eq!(ok(member.get("/api/v1/me/notifications/unread").await).await["unread"], 2);
        // One, then all.
        assert_eq!(ok(member.post("/api/v1/me/notifications/read", json!({ "ids": [ids[0]] })).await).await["unread"], 1);
        let unread_only = ok(member.get("/api/v1/me/notifications?unread=true").await).await;
        assert_eq!(unread_only["items"].as_array().unwrap().len(), 1);
        assert_eq!(unread_only["items"][0]["id"], ids[1]);
        assert_eq!(ok(member.post("/api/v1/me/notifications/read", json!({ "all": true })).await).await["unread"], 0);
        assert!(notifications(&member).await["items"].as_array().unwrap().iter().all(|n| n["read"] == true));
        assert_eq!(ok(member2.get("/api/v1/me/notifications/unread").await).await["unread"], 2);
        // Paging: newest first, `before` the next page.
        let page = ok(member.get(&format!("/api/v1/me/notifications?limit=1&before={}", ids[0])).await).await;
        assert_eq!(page["items"].as_array().unwrap().len(), 1);
        assert_eq!(page["items"][0]["id"], ids[1]);
        // Without a session: 401; a change without the CSRF token: 403.
        expect_error(app.anonymous().await.get("/api/v1/me/notifications").await, StatusCode::UNAUTHORIZED, "unauthenticated").await;
        let mut no_token = app.login("member2").await;
        no_token.csrf = String::new();
        expect_error(no_token.post("/api/v1/me/notifications/read", json!({ "all": true })).await, StatusCode::FORBIDDEN, "csrf_failed").await;
    }

    async fn the_openapi_document_describes_notifications_and_reminders(app) {
        let app: TestApp = app;
        let doc: Value = app.anonymous().await.get("/api/v1/openapi.json").await.json().await.expect("doc");
        for path in ["/api/v1/me/notifications", "/api/v1/me/notifications/unread", "/api/v1/me/notifications/read",
                     "/api/v1/meetings/{id}/remind", "/api/v1/assignments/{id}/remind", "/api/v1/reminders"] {
            assert!(doc["paths"][path].is_object(), "{path} missing");
        }
        let schemas = &doc["components"]["schemas"];
        for name in ["NotificationList", "NotificationView", "NotificationKind", "MarkRead", "UnreadCount",
                     "RemindOutcome", "ReminderLogEntry", "SubjectKind"] {
            assert!(schemas[name].is_object(), "{name} missing");
        }
    }
}
