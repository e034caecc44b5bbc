//! Where the CPU went during a measured window: this generator, the server,
//! PostgreSQL (every process named `postgres`) and the machine as a whole,
//! read from `/proc`. On a shared 2-core machine this tells whether the
//! server was starved by the generator, the database or someone's build.

use std::collections::HashMap;
use std::time::Instant;

use anyhow::Context;

/// `/proc` counts CPU time in USER_HZ ticks, 100 per second on Linux
/// whatever the kernel's own tick rate (it is part of the ABI).
const TICKS_PER_SECOND: f64 = 100.0;

/// CPU ticks used so far.
pub struct Snapshot {
    at: Instant,
    generator: u64,
    server: Option<u64>,
    postgres: HashMap<u32, u64>,
    machine_busy: u64,
}

/// Cores used on average between two snapshots.
pub struct Usage {
    pub generator: f64,
    pub server: Option<f64>,
    pub postgres: f64,
    pub machine_busy: f64,
}

/// User + system ticks of a process from `/proc/<pid>/stat`.
fn process_ticks(pid: &str) -> anyhow::Result<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // The command name may hold spaces; fields after it start with state.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).context("malformed stat")?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11).context("no utime")?.parse()?;
    let stime: u64 = fields.get(12).context("no stime")?.parse()?;
    Ok(utime + stime)
}

/// Busy ticks of all CPUs together, from the first line of `/proc/stat`.
fn machine_busy() -> anyhow::Result<u64> {
    let stat = std::fs::read_to_string("/proc/stat")?;
    let line = stat.lines().next().context("empty /proc/stat")?;
    let v: Vec<u64> = line.split_whitespace().skip(1).map(|f| f.parse().unwrap_or(0)).collect();
    // user nice system idle iowait irq softirq steal (guest is inside user).
    Ok([0, 1, 2, 5, 6, 7].iter().filter_map(|&i| v.get(i)).sum())
}

fn postgres_ticks() -> HashMap<u32, u64> {
    let mut out = HashMap::new();
    let Ok(dir) = std::fs::read_dir("/proc") else { return out };
    for entry in dir.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.parse::<u32>().ok()) else { continue };
        let is_pg = std::fs::read_to_string(entry.path().join("comm")).is_ok_and(|c| c.trim() == "postgres");
        if is_pg {
            if let Ok(t) = process_ticks(&pid.to_string()) {
                out.insert(pid, t);
            }
        }
    }
    out
}

pub fn sample(server_pid: Option<u32>) -> anyhow::Result<Snapshot> {
    Ok(Snapshot {
        at: Instant::now(),
        generator: process_ticks("self")?,
        server: server_pid.and_then(|p| process_ticks(&p.to_string()).ok()),
        postgres: postgres_ticks(),
        machine_busy: machine_busy()?,
    })
}

pub fn usage(a: &Snapshot, b: &Snapshot) -> Usage {
    let secs = b.at.duration_since(a.at).as_secs_f64().max(1e-3);
    let cores = |ticks: u64| ticks as f64 / TICKS_PER_SECOND / secs;
    // A backend that started during the window counts from zero.
    let postgres: u64 =
        b.postgres.iter().map(|(pid, t)| t.saturating_sub(a.postgres.get(pid).copied().unwrap_or(0))).sum();
    Usage {
        generator: cores(b.generator.saturating_sub(a.generator)),
        server: a.server.zip(b.server).map(|(x, y)| cores(y.saturating_sub(x))),
        postgres: cores(postgres),
        machine_busy: cores(b.machine_busy.saturating_sub(a.machine_busy)),
    }
}
