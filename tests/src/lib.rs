//! Helpers for the end-to-end tests in `tests/tests/`: start the real
//! `dangxiao` binary (as built by `cargo leptos build`) with demo data on a
//! fresh data directory, and a ChromeDriver for headless Chromium.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

/// The workspace root (this crate lives in `<root>/tests`).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().map(PathBuf::from).unwrap_or_default()
}

/// Kills the child process when dropped, so a failing test leaves nothing running.
pub struct Running {
    child: Child,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A running dangxiao with demo data.
pub struct Server {
    pub base: String,
    /// Process id, e.g. to read its memory use from `/proc`.
    pub pid: u32,
    _process: Running,
    data: tempfile::TempDir,
}

/// The `dangxiao` binary under test.
pub fn dangxiao_bin() -> PathBuf {
    std::env::var("DANGXIAO_E2E_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|_| workspace_root().join("target/debug/dangxiao"))
}

/// Starts another `dangxiao` process (e.g. `worker`) on the same data
/// directory as `server`; it is killed when dropped.
pub fn spawn_alongside(server: &Server, args: &[&str], env: &[(&str, &str)]) -> anyhow::Result<Running> {
    let mut cmd = Command::new(dangxiao_bin());
    cmd.args(args).env("DANGXIAO_DATA_DIR", server.data_dir()).env("RUST_LOG", "warn");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let child = cmd.stdout(Stdio::null()).stderr(Stdio::inherit()).spawn().context("cannot start dangxiao")?;
    Ok(Running { child })
}

impl Running {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL: no chance to clean up, as when a machine dies.
    pub fn kill_hard(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `target/debug/dangxiao serve --demo` (or `$DANGXIAO_E2E_BIN`)
    /// on a free loopback port with the site built in `target/site`.
    pub fn start() -> anyhow::Result<Server> {
        Server::start_with(&[])
    }

    /// Like `start`, with extra `DANGXIAO_*` settings.
    pub fn start_with(env: &[(&str, &str)]) -> anyhow::Result<Server> {
        let root = workspace_root();
        let bin = dangxiao_bin();
        let site = root.join("target/site");
        if !bin.exists() || !site.join("pkg").exists() {
            bail!(
                "{} or {} is missing: build the server with `cargo build` and the site with `cargo leptos build` (scripts/test does both)",
                bin.display(),
                site.display()
            );
        }
        let data = tempfile::tempdir()?;
        let mut child = Command::new(&bin)
            .args(["serve", "--demo"])
            .env("DANGXIAO_LISTEN", "127.0.0.1:0")
            .env("DANGXIAO_DATA_DIR", data.path())
            .env("DANGXIAO_SITE_ROOT", &site)
            .env("RUST_LOG", "warn")
            // The demo course keeps the worker busy on start; tests that
            // want it ask for it.
            .env("DANGXIAO_DEMO_COURSE", "false")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("cannot start {}", bin.display()))?;
        let pid = child.id();
        let stdout = child.stdout.take().context("no stdout")?;
        let process = Running { child };
        // The demo banner names the address the server bound.
        let mut lines = BufReader::new(stdout).lines();
        let mut base = None;
        for line in lines.by_ref() {
            let line = line?;
            if let Some(rest) = line.trim().strip_prefix("dangxiao is running at ") {
                base = Some(rest.trim_end_matches('/').to_owned());
                break;
            }
        }
        let base = base.context("dangxiao exited before printing its address")?;
        // Keep draining stdout so the server never writes into a closed pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Ok(Server { base, pid, _process: process, data })
    }

    pub fn data_dir(&self) -> &std::path::Path {
        self.data.path()
    }

    /// SIGKILL: the server gets no chance to finish anything.
    pub fn kill_hard(&mut self) {
        self._process.kill_hard();
    }
}

/// Peak resident memory of a process so far (`VmHWM`), in KiB.
pub fn peak_rss_kib(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).context("no VmHWM")?;
    line.split_whitespace().nth(1).context("no value")?.parse().context("not a number")
}

pub mod api;
pub mod browser;
pub mod cluster;
pub mod garage;
pub mod network;
pub mod nginx;
pub mod postgres;
pub mod seed;
pub mod timing;

pub(crate) fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// A ChromeDriver on a free loopback port.
pub struct Driver {
    pub url: String,
    _process: Running,
}

impl Driver {
    pub fn start() -> anyhow::Result<Driver> {
        let port = free_port()?;
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("cannot start chromedriver (Debian package chromium-driver; scripts/test installs it)")?;
        let process = Running { child };
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                bail!("chromedriver did not listen on port {port}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(Driver { url: format!("http://127.0.0.1:{port}"), _process: process })
    }
}

/// A headless Chromium session through `driver`, with a fresh profile in
/// `profile` (keep it alive as long as the session).
pub async fn chromium(driver: &Driver, profile: &std::path::Path) -> anyhow::Result<thirtyfour::WebDriver> {
    use thirtyfour::{ChromiumLikeCapabilities, DesiredCapabilities};
    let mut caps = DesiredCapabilities::chrome();
    caps.set_binary("/usr/bin/chromium")?;
    for arg in chromium_args(profile) {
        caps.add_arg(&arg)?;
    }
    Ok(thirtyfour::WebDriver::new(&driver.url, caps).await?)
}

/// Chromium flags that work in this sandbox: headless, no sandbox (root),
/// no background traffic to the internet, a fresh profile.
pub fn chromium_args(profile: &std::path::Path) -> Vec<String> {
    [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--lang=zh-CN",
        "--window-size=1280,900",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain(std::iter::once(format!("--user-data-dir={}", profile.display())))
    .collect()
}
