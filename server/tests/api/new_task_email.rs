//! New tasks announced by e-mail where SMTP is set up (a real SMTP server:
//! Debian's python3-aiosmtpd, as in `reminder_email.rs`), and the request
//! that gives the task never waits for the SMTP server.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;

use crate::courses::ok;
use crate::helpers::{Db, TestApp, BRANCH_1};
use crate::reminders::course;
use crate::reports::day;
use crate::smtp_sink::SmtpSink;

/// Records a party lecture of branch 1 held yesterday with `member`
/// absent, made up within 14 days; answers how long the request took.
async fn lecture_missed_by_member(app: &TestApp, o: &crate::helpers::Client, lesson: i64) -> Duration {
    let mut attendance = Vec::new();
    for login in ["organizer", "member", "member2", "activist"] {
        let status = if login == "member" { "absent" } else { "present" };
        attendance.push(json!({ "person_id": app.person_id(login).await, "status": status }));
    }
    let body = json!({ "org_id": app.org_id(BRANCH_1).await, "kind": "party_lecture", "held_on": day(-1),
                       "topic": "学习新党章", "lesson_ids": [lesson], "makeup_days": 14, "attendance": attendance });
    let start = Instant::now();
    ok(o.post("/api/v1/meetings", body).await).await;
    start.elapsed()
}

async fn new_tasks_are_emailed_to_people_with_an_address(kind: Db) {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn_with(kind, |s| {
        s.smtp_url = Some(format!("smtp://127.0.0.1:{}", smtp.port));
        s.smtp_from = Some("党校 <noreply@dangxiao.test>".into());
        s.public_url = Some("https://dx.example.org".into());
    })
    .await;
    let o = app.login("organizer").await;
    let member = app.person_id("member").await;
    ok(o.patch(&format!("/api/v1/people/{member}"), json!({ "email": "li.xuexi@example.org" })).await).await;
    let (course_id, lessons) = course(&app, &o, "党章学习", &["第一讲"]).await;

    lecture_missed_by_member(&app, &o, lessons[0]).await;

    let mail = smtp.wait_for(1).await;
    assert_eq!(mail.len(), 1, "{mail:?}");
    assert_eq!(mail[0]["rcpt_tos"], json!(["li.xuexi@example.org"]));
    assert_eq!(mail[0]["subject"], "【党校】新的补学任务：学习新党章");
    let body = mail[0]["body"].as_str().unwrap();
    assert!(body.contains(&format!("须在 {} 前完成补学", day(13))), "{body}");
    assert!(body.contains(&format!("https://dx.example.org/lessons/{}", lessons[0])), "{body}");

    // An assignment of member and member2: only member has an address.
    let body = json!({ "org_id": app.org_id(BRANCH_1).await, "course_id": course_id, "due_on": day(20),
                       "target": { "people": [member, app.person_id("member2").await] } });
    ok(o.post("/api/v1/assignments", body).await).await;
    let mail = smtp.wait_for(2).await;
    assert_eq!(mail.len(), 2, "{mail:?}");
    assert_eq!(mail[1]["subject"], "【党校】新的学习任务：党章学习");
    assert!(mail[1]["body"].as_str().unwrap().contains(&format!("https://dx.example.org/courses/{course_id}")));
    // Once per task: the sweep sends nothing new, so nothing more arrives.
    let swept = dangxiao_server::services::reminders::sweep(&app.db, &app.state.settings).await.expect("sweep");
    assert_eq!(swept.notified, 0);
    assert_eq!(smtp.received().len(), 2);
}

/// An SMTP server that accepts connections and never answers: each
/// message would wait for lettre's timeout (15 s).
async fn silent_smtp() -> (u16, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    (port, task)
}

async fn giving_a_task_does_not_wait_for_a_slow_smtp_server(kind: Db) {
    let (port, silent) = silent_smtp().await;
    let app = TestApp::spawn_with(kind, |s| {
        s.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        s.smtp_from = Some("党校 <noreply@dangxiao.test>".into());
    })
    .await;
    let o = app.login("organizer").await;
    let member = app.person_id("member").await;
    ok(o.patch(&format!("/api/v1/people/{member}"), json!({ "email": "li.xuexi@example.org" })).await).await;
    let (_, lessons) = course(&app, &o, "组织生活", &["第一讲"]).await;

    let took = lecture_missed_by_member(&app, &o, lessons[0]).await;

    assert!(took < Duration::from_secs(5), "the request waited for SMTP: {took:?}");
    let notes = ok(app.login("member").await.get("/api/v1/me/notifications").await).await;
    assert_eq!(notes["items"][0]["kind"], "makeup_new", "{notes}");
    assert_eq!(app.login("member").await.get("/api/v1/me/notifications").await.status(), StatusCode::OK);
    silent.abort();
}

mod new_tasks_are_emailed_to_people_with_an_address {
    #[tokio::test]
    async fn sqlite() {
        super::new_tasks_are_emailed_to_people_with_an_address(crate::helpers::Db::Sqlite).await;
    }

    #[tokio::test]
    async fn postgres() {
        super::new_tasks_are_emailed_to_people_with_an_address(crate::helpers::Db::Postgres).await;
    }
}

mod giving_a_task_does_not_wait_for_a_slow_smtp_server {
    #[tokio::test]
    async fn sqlite() {
        super::giving_a_task_does_not_wait_for_a_slow_smtp_server(crate::helpers::Db::Sqlite).await;
    }

    #[tokio::test]
    async fn postgres() {
        super::giving_a_task_does_not_wait_for_a_slow_smtp_server(crate::helpers::Db::Postgres).await;
    }
}
