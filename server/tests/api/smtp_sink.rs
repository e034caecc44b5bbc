//! A real SMTP server for the e-mail tests (reminders, new tasks): Debian's
//! python3-aiosmtpd, started per test on a free loopback port.

use std::time::{Duration, Instant};

use serde_json::Value;

/// A real SMTP server (Debian's python3-aiosmtpd) on a free loopback port
/// that writes each message it accepts to `dir` as JSON, with the headers
/// decoded. Stopped when dropped.
pub struct SmtpSink {
    pub port: u16,
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
    pub async fn start() -> SmtpSink {
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
        tokio::time::timeout(Duration::from_secs(20), read).await.expect("SMTP sink ready").expect("port");
        let port = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("SMTP sink printed {line:?}: is python3-aiosmtpd installed?"));
        SmtpSink { port, dir, _child: child }
    }

    /// The messages received so far, oldest first.
    pub fn received(&self) -> Vec<Value> {
        let mut files: Vec<_> = std::fs::read_dir(self.dir.path().join("mail"))
            .expect("mail dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        files.iter().map(|p| serde_json::from_str(&std::fs::read_to_string(p).expect("read")).expect("json")).collect()
    }

    /// Waits (up to 20 s) until `n` messages arrived: they go out after
    /// the request answered.
    pub async fn wait_for(&self, n: usize) -> Vec<Value> {
        let start = Instant::now();
        loop {
            let mail = self.received();
            if mail.len() >= n || start.elapsed() > Duration::from_secs(20) {
                return mail;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
