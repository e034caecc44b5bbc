//! Reminder e-mail delivered to a real SMTP server (Debian's
//! python3-aiosmtpd, started by the test): the sweep and the one-click
//! reminder e-mail people who gave an address, in Chinese, with a link to
//! the site; the address is set through the people API.

use dangxiao_server::services::reminders;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::courses::ok;
use crate::helpers::{TestApp, BRANCH_1};
use crate::reminders::{course, meeting, reminder_log};
use crate::smtp_sink::SmtpSink;

async fn reminders_are_emailed_to_people_with_an_address(kind: crate::helpers::Db) {
    let smtp = SmtpSink::start().await;
    let app = TestApp::spawn_with(kind, |s| {
        s.smtp_url = Some(format!("smtp://127.0.0.1:{}", smtp.port));
        s.smtp_from = Some("党校 <noreply@dangxiao.test>".into());
        s.public_url = Some("https://dx.example.org".into());
    })
    .await;
    let o = app.login("organizer").await;
    let member = app.person_id("member").await;
    // The address is set (and checked) through the people API.
    let bad = o.patch(&format!("/api/v1/people/{member}"), json!({ "email": "li at example" })).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let set = ok(o.patch(&format!("/api/v1/people/{member}"), json!({ "email": "li.xuexi@example.org" })).await).await;
    assert_eq!(set["email"], "li.xuexi@example.org");
    let (_, lessons) = course(&app, &o, "组织生活", &["第一讲"]).await;
    let m = meeting(&app, &o, -20, 14, lessons[0], "学习新党章").await;

    let swept = reminders::sweep(&app.db, &app.state.settings).await.expect("sweep");

    assert_eq!((swept.notified, swept.emailed), (2, 1), "member2 has no address");
    let mail = smtp.received();
    assert_eq!(mail.len(), 1, "{mail:?}");
    assert_eq!(mail[0]["rcpt_tos"], json!(["li.xuexi@example.org"]));
    assert_eq!(mail[0]["mail_from"], "noreply@dangxiao.test");
    assert_eq!(mail[0]["subject"], "【党校】补学已逾期：学习新党章");
    let body = mail[0]["body"].as_str().unwrap();
    assert!(
        body.contains(&format!("https://dx.example.org/lessons/{}", lessons[0])) && body.contains("has passed"),
        "{body}"
    );
    let log = ok(reminder_log(&o, "meeting", m).await).await;
    assert_eq!((log[0]["recipients"].as_u64(), log[0]["emailed"].as_u64()), (Some(2), Some(1)), "{log}");

    // The one-click reminder e-mails too; removing the address stops it.
    let sent = ok(o.post(&format!("/api/v1/meetings/{m}/remind"), json!({})).await).await;
    assert_eq!((sent["reminded"].as_u64(), sent["emailed"].as_u64()), (Some(2), Some(1)), "{sent}");
    let mail = smtp.received();
    assert_eq!(mail.len(), 2);
    assert_eq!(mail[1]["subject"], "【党校】组织提醒：学习新党章");
    assert!(mail[1]["body"].as_str().unwrap().starts_with("王书记提醒您："), "{}", mail[1]["body"]);
    let cleared = ok(o.patch(&format!("/api/v1/people/{member}"), json!({ "email": null })).await).await;
    assert!(cleared.get("email").is_none(), "{cleared}");
    // A person created with an address.
    let created = o.post("/api/v1/people", json!({ "login": "wang.wu", "name": "王五", "role": "member",
                                                  "org_id": app.org_id(BRANCH_1).await, "email": "wang.wu@example.org" })).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.expect("created");
    assert_eq!(created["person"]["email"], "wang.wu@example.org");
}

mod reminders_are_emailed_to_people_with_an_address {
    #[tokio::test]
    async fn sqlite() {
        super::reminders_are_emailed_to_people_with_an_address(crate::helpers::Db::Sqlite).await;
    }

    #[tokio::test]
    async fn postgres() {
        super::reminders_are_emailed_to_people_with_an_address(crate::helpers::Db::Postgres).await;
    }
}
