//! A PostgreSQL server of a test's own, for fault tests that stop and
//! restart it (the shared test server must stay up for every other test).
//! Binaries come from Debian's package, which `scripts/test` installs;
//! PostgreSQL refuses to run as root, so as root it runs as `postgres`.

use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;
use std::process::Command;

use anyhow::{bail, Context};

pub struct Postgres {
    pub port: u16,
    bin: PathBuf,
    data: PathBuf,
    _dir: tempfile::TempDir,
}

fn newest_bin() -> anyhow::Result<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .context("PostgreSQL is not installed (scripts/test installs it)")?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("pg_ctl").exists())
        .collect();
    found.sort_by_key(|p| p.parent().and_then(|v| v.file_name()?.to_str()?.parse::<u32>().ok()).unwrap_or(0));
    found.pop().context("no PostgreSQL binaries under /usr/lib/postgresql")
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self").map(|m| m.uid() == 0).unwrap_or(false)
}

impl Postgres {
    /// Initialises a cluster in a new directory and starts it on a free port.
    pub fn start() -> anyhow::Result<Postgres> {
        let bin = newest_bin()?;
        let dir = tempfile::Builder::new().prefix("dangxiao-pg-").tempdir()?;
        let data = dir.path().join("data");
        std::fs::create_dir(&data)?;
        if is_root() {
            Command::new("chmod").args(["755"]).arg(dir.path()).status()?;
            Command::new("chown").args(["-R", "postgres:postgres"]).arg(dir.path()).status()?;
        }
        let pg = Postgres { port: super::free_port()?, bin, data, _dir: dir };
        pg.run(
            "initdb",
            &["-D", pg.data_str(), "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"],
        )?;
        pg.start_again()?;
        Ok(pg)
    }

    fn data_str(&self) -> &str {
        self.data.to_str().unwrap_or_default()
    }

    fn run(&self, tool: &str, args: &[&str]) -> anyhow::Result<()> {
        let program = self.bin.join(tool);
        let mut cmd = if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&program);
            c
        } else {
            Command::new(&program)
        };
        let out = cmd.args(args).output().with_context(|| format!("cannot run {}", program.display()))?;
        if !out.status.success() {
            bail!("{tool} failed: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        }
        Ok(())
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Starts the server (again) and waits until it accepts connections.
    pub fn start_again(&self) -> anyhow::Result<()> {
        let log = self.data.join("server.log");
        let options =
            format!("-h 127.0.0.1 -p {} -k {} -c fsync=off -c max_connections=100", self.port, self.data_str());
        self.run(
            "pg_ctl",
            &["-D", self.data_str(), "-l", log.to_str().unwrap_or_default(), "-w", "-t", "60", "-o", &options, "start"],
        )
    }

    /// Stops the server: `fast` ends every session (as a restart for an
    /// upgrade does), `immediate` is a crash.
    pub fn stop(&self, mode: &str) -> anyhow::Result<()> {
        self.run("pg_ctl", &["-D", self.data_str(), "-m", mode, "-w", "stop"])
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = self.stop("immediate");
    }
}
