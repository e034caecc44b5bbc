//! nginx from Debian in front of the app servers (and, on a second port, in
//! front of the Garage nodes' S3 APIs), as a deployment puts it: the load
//! balancer the cluster tests kill app servers and storage nodes behind.
//! The configuration a deployment would use, with TLS, is in the README
//! ("Production topology").

use std::os::unix::fs::MetadataExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

pub struct Nginx {
    pub port: u16,
    pub s3_port: u16,
    process: Child,
    _dir: tempfile::TempDir,
}

fn servers(ports: &[u16]) -> String {
    ports.iter().map(|p| format!("    server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;\n")).collect()
}

impl Nginx {
    /// Balances `apps` (app servers' ports, which may start listening
    /// later) on `port` and `objects` (S3 API ports) on `s3_port`.
    pub fn start(port: u16, s3_port: u16, apps: &[u16], objects: &[u16]) -> anyhow::Result<Nginx> {
        let dir = tempfile::Builder::new().prefix("dangxiao-nginx-").tempdir()?;
        let root = std::fs::metadata("/proc/self").map(|m| m.uid() == 0).unwrap_or(false);
        let d = dir.path().display();
        let config = format!(
            "{user}worker_processes 1;\nerror_log {d}/error.log warn;\npid {d}/nginx.pid;\n\
             events {{ worker_connections 2048; }}\n\
             http {{\n  access_log off;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n\
             fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n\
             upstream dangxiao {{\n{apps}    keepalive 64;\n  }}\n\
             upstream objects {{\n{objects}    keepalive 16;\n  }}\n\
             server {{\n    listen 127.0.0.1:{port};\n    client_max_body_size 0;\n    proxy_request_buffering off;\n\
             proxy_read_timeout 300s;\n    proxy_send_timeout 300s;\n    location / {{\n      proxy_pass http://dangxiao;\n\
             proxy_http_version 1.1;\n      proxy_set_header Connection \"\";\n      proxy_set_header Host $http_host;\n\
             proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n      proxy_set_header X-Forwarded-Proto $scheme;\n\
             proxy_next_upstream error timeout;\n    }}\n  }}\n\
             server {{\n    listen 127.0.0.1:{s3_port};\n    client_max_body_size 0;\n    proxy_request_buffering off;\n\
             proxy_buffering off;\n    location / {{\n      proxy_pass http://objects;\n      proxy_http_version 1.1;\n\
             proxy_set_header Connection \"\";\n      proxy_set_header Host $http_host;\n\
             proxy_next_upstream error timeout;\n    }}\n  }}\n}}\n",
            user = if root { "user root root;\n" } else { "" },
            apps = servers(apps),
            objects = servers(objects),
        );
        let path = dir.path().join("nginx.conf");
        std::fs::write(&path, config)?;
        let process = Command::new("nginx")
            .arg("-c")
            .arg(&path)
            .arg("-p")
            .arg(dir.path())
            .args(["-g", "daemon off;"])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .context("cannot start nginx (Debian package nginx-light; scripts/test installs it)")?;
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                bail!("nginx did not listen on port {port}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(Nginx { port, s3_port, process, _dir: dir })
    }
}

impl Drop for Nginx {
    /// SIGTERM: nginx's fast shutdown, which stops its worker processes too
    /// (SIGKILL would stop the master alone and leave the workers behind).
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.process.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.process.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}
