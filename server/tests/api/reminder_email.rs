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

/// A real SMTP server (Debian's python3-aiosmtpd) on a free loopback port
/// that writes each message it accepts to `dir` as JSON, with the headers
/// decoded. Stopped when dropped.
struct SmtpSink {
    port: u16,
    dir: tempfile::TempDir,
    _child: tokio::process::Child,
}

const SINK: &str = r#"
import asyncio, email, email.policy, json, os, sys
from aiosmtpd.smtp import SMTP

out = sys.argv[1]

class Keep:
    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = msg.get_body(("plain",))
        record = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos, "to": str(msg["to"]),
                  "subject": str(msg["subject"]), "body": body.get_content() if body else ""}
        n = len([f for f in os.listdir(out) if f.endswith(".json")])
        tmp = os.path.join(out, f".{n}.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.rename(tmp, os.path.join(out, f"{n:04}.json"))
        return "250 OK"

async def main():
    server = await asyncio.get_running_loop().create_server(lambda: SMTP(Keep()), "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()

asyncio.run(main())
"#;

impl SmtpSink {
    async fn start() -> SmtpSink {
        use tokio::io::AsyncBufReadExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let script = dir.path().join("sink.py");
        std::fs::write(&script, SINK).expect("write sink");
        let mails = dir.path().join("mail");
        std::fs::create_dir(&mails).expect("mail dir");
        // Debian's interpreter: python3-aiosmtpd is installed for it (scripts/lib/install.sh).
        let python = if std::path::Path::new("/usr/bin/python3").exists() { "/usr/bin/python3" } else { "python3" };
        let mut child = tokio::process::Command::new(python)
            .arg(&script)
            .arg(&mails)
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("start the SMTP sink (python3-aiosmtpd)");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        let mut reader = tokio::io::BufReader::new(stdout);
        let read = reader.read_line(&mut line);
        tokio::time::timeout(std::time::Duration::from_secs(20), read).await.expect("SMTP sink ready").expect("port");
        let port = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("SMTP sink printed {line:?}: is python3-aiosmtpd installed?"));
        SmtpSink { port, dir, _child: child }
    }

    /// The messages received so far, oldest first.
    fn received(&self) -> Vec<Value> {
        let mut files: Vec<_> = std::fs::read_dir(self.dir.path().join("mail"))
            .expect("mail dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        files.iter().map(|p| serde_json::from_str(&std::fs::read_to_string(p).expect("read")).expect("json")).collect()
    }
}

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
