//! The closed loop: `concurrency` tasks, each sending its next request as
//! soon as the previous one is answered, for a warm-up and then a measured
//! window. Only requests answered inside the window count, and their
//! latency (send to last byte of the answer) goes into an HDR histogram.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use hdrhistogram::Histogram;
use reqwest::header::{HeaderValue, CONTENT_TYPE, COOKIE};
use reqwest::{StatusCode, Url};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use serde::Deserialize;

use crate::cpu;

/// Failures printed in full to stderr, per phase; the rest are only counted.
const FAILURES_SHOWN: usize = 5;
/// Highest latency the histogram holds, in µs (larger ones are clamped).
const LATENCY_MAX_US: u64 = 120_000_000;

/// One simulated learner: a login and an open playback session.
pub struct Learner {
    cookie: HeaderValue,
    csrf: HeaderValue,
    session_id: String,
    /// A beat of this learner is in flight: the next must wait for its
    /// answer, as a player's does, or it could arrive out of order.
    busy: AtomicBool,
    player: Mutex<Player>,
}

/// Where a learner's video is.
struct Player {
    seq: u32,
    position_ms: u64,
    /// When the media time reported so far had elapsed.
    clock: Instant,
}

impl Learner {
    pub fn new(
        cookie: HeaderValue,
        csrf: HeaderValue,
        session_id: String,
        position_ms: u64,
        opened: Instant,
    ) -> Learner {
        Learner {
            cookie,
            csrf,
            session_id,
            busy: AtomicBool::new(false),
            player: Mutex::new(Player { seq: 0, position_ms, clock: opened }),
        }
    }

    /// The next heartbeat: the media played since the previous one, exactly
    /// as long as the wall time that passed (whole ms, the rest carried
    /// over). Returns the body and the ms claimed.
    fn next_beat(&self, lesson: i64) -> (String, u64) {
        let mut p = self.player.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let elapsed = p.clock.elapsed().as_millis() as u64;
        p.clock += Duration::from_millis(elapsed);
        p.seq += 1;
        let (from, to) = (p.position_ms, p.position_ms + elapsed);
        p.position_ms = to;
        let body = format!(
            r#"{{"session_id":"{}","lesson_id":{lesson},"seq":{},"event":"tick","played":[[{}.{:03},{}.{:03}]],"position":{}.{:03},"rate":1.0,"visible":true,"idle_seconds":1.0}}"#,
            self.session_id,
            p.seq,
            from / 1000,
            from % 1000,
            to / 1000,
            to % 1000,
            to / 1000,
            to % 1000,
        );
        (body, elapsed)
    }
}

/// What the phase sends.
pub enum Workload {
    /// Each learner's next heartbeat, learners in turn.
    Heartbeats { fleet: Arc<Vec<Learner>>, lesson: i64 },
    /// `GET /healthz`.
    Healthz,
}

/// How long and how hard.
pub struct Phase {
    pub concurrency: usize,
    pub warmup: Duration,
    pub measure: Duration,
    pub server_pid: Option<u32>,
}

/// What one phase measured.
pub struct Report {
    pub seconds: f64,
    /// Requests answered as hoped inside the window (200, heartbeat accepted).
    pub ok: u64,
    /// Every other answer inside the window, by kind.
    pub failures: BTreeMap<String, u64>,
    latency_us: Histogram<u64>,
    claimed_ms: u64,
    credited_ms: u64,
    pub cpu: Option<cpu::Usage>,
    /// PostgreSQL transactions committed during the window (all of them).
    pub db_commits: Option<u64>,
}

impl Report {
    /// Latency at `q` (0–1) of every request answered in the window.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        self.latency_us.value_at_quantile(q) as f64 / 1000.0
    }

    pub fn errors(&self) -> u64 {
        self.failures.values().sum()
    }

    /// Share of the media time the accepted heartbeats reported that the
    /// server credited as study time.
    pub fn credited_share(&self) -> f64 {
        if self.claimed_ms == 0 {
            0.0
        } else {
            self.credited_ms as f64 / self.claimed_ms as f64
        }
    }
}

/// One task's counts.
struct Tally {
    ok: u64,
    failures: BTreeMap<String, u64>,
    latency_us: Histogram<u64>,
    claimed_ms: u64,
    credited_ms: u64,
}

/// How one request went.
enum Outcome {
    Ok { claimed_ms: u64, credited_ms: u64 },
    Failed(String),
}

#[derive(Deserialize)]
struct Ack<'a> {
    verdict: &'a str,
    credited_seconds: f64,
}

struct Shared {
    http: reqwest::Client,
    url: Url,
    workload: Workload,
    next: AtomicUsize,
    shown: AtomicUsize,
    window: (Instant, Instant),
}

/// Runs one phase and reports it. `db`, if PostgreSQL, is asked how many
/// transactions committed during the window.
pub async fn run(
    http: &reqwest::Client,
    base: &str,
    workload: Workload,
    phase: &Phase,
    db: Option<&DatabaseConnection>,
) -> anyhow::Result<Report> {
    let path = match workload {
        Workload::Heartbeats { .. } => "/api/v1/heartbeats",
        Workload::Healthz => "/healthz",
    };
    let start = Instant::now();
    let window = (start + phase.warmup, start + phase.warmup + phase.measure);
    let shared = Arc::new(Shared {
        http: http.clone(),
        url: Url::parse(&format!("{base}{path}"))?,
        workload,
        next: AtomicUsize::new(0),
        shown: AtomicUsize::new(0),
        window,
    });
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..phase.concurrency {
        tasks.spawn(worker(shared.clone()));
    }
    let pg = db.filter(|d| d.get_database_backend() == DbBackend::Postgres);

    if let Some(db) = db {
        // Part way through the warm-up, every learner has a ledger row that
        // did not exist at the first ANALYZE; refresh the statistics again,
        // as autovacuum (or SQLite's `PRAGMA optimize`) would once that many
        // rows changed, so the measured window runs on the plans a platform
        // in use gets.
        tokio::time::sleep_until((start + phase.warmup * 3 / 5).into()).await;
        crate::seed::analyze(db).await?;
    }
    tokio::time::sleep_until(window.0.into()).await;
    let cpu_before = cpu::sample(phase.server_pid);
    let commits_before = match pg {
        Some(db) => Some(commits(db).await?),
        None => None,
    };
    tokio::time::sleep_until(window.1.into()).await;
    let cpu_after = cpu::sample(phase.server_pid);
    let commits_after = match pg {
        Some(db) => Some(commits(db).await?),
        None => None,
    };

    let mut report = Report {
        seconds: phase.measure.as_secs_f64(),
        ok: 0,
        failures: BTreeMap::new(),
        latency_us: histogram(),
        claimed_ms: 0,
        credited_ms: 0,
        cpu: match (cpu_before, cpu_after) {
            (Ok(a), Ok(b)) => Some(cpu::usage(&a, &b)),
            _ => None,
        },
        db_commits: commits_before.zip(commits_after).map(|(a, b)| b.saturating_sub(a)),
    };
    while let Some(tally) = tasks.join_next().await {
        let tally = tally.context("a load task panicked")?;
        report.ok += tally.ok;
        report.claimed_ms += tally.claimed_ms;
        report.credited_ms += tally.credited_ms;
        report.latency_us.add(&tally.latency_us)?;
        for (k, n) in tally.failures {
            *report.failures.entry(k).or_default() += n;
        }
    }
    Ok(report)
}

fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, LATENCY_MAX_US, 3).expect("1 µs to 2 min at 3 significant digits are valid bounds")
}

/// Transactions committed in the current PostgreSQL database so far.
/// The statistics lag by up to a second per backend.
async fn commits(db: &DatabaseConnection) -> anyhow::Result<u64> {
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()",
        ))
        .await?
        .context("no pg_stat_database row")?;
    Ok(row.try_get::<i64>("", "xact_commit")?.max(0) as u64)
}

async fn worker(shared: Arc<Shared>) -> Tally {
    let mut tally = Tally { ok: 0, failures: BTreeMap::new(), latency_us: histogram(), claimed_ms: 0, credited_ms: 0 };
    let (from, until) = shared.window;
    while Instant::now() < until {
        let sent = Instant::now();
        let outcome = match &shared.workload {
            Workload::Heartbeats { fleet, lesson } => heartbeat(&shared, fleet, *lesson).await,
            Workload::Healthz => healthz(&shared).await,
        };
        let answered = Instant::now();
        if answered < from || answered > until {
            continue;
        }
        tally.latency_us.saturating_record(answered.duration_since(sent).as_micros() as u64);
        match outcome {
            Outcome::Ok { claimed_ms, credited_ms } => {
                tally.ok += 1;
                tally.claimed_ms += claimed_ms;
                tally.credited_ms += credited_ms;
            }
            Outcome::Failed(kind) => *tally.failures.entry(kind).or_default() += 1,
        }
    }
    tally
}

impl Shared {
    /// Counts a failure under `kind`, printing the first few in full.
    fn failed(&self, kind: String, detail: &str) -> Outcome {
        if self.shown.fetch_add(1, Ordering::Relaxed) < FAILURES_SHOWN {
            eprintln!("heartbeat-load: {kind}: {}", detail.chars().take(300).collect::<String>());
        }
        Outcome::Failed(kind)
    }
}

async fn heartbeat(shared: &Shared, fleet: &[Learner], lesson: i64) -> Outcome {
    // Fewer requests are in flight than there are learners, so a learner
    // with no beat in flight turns up within `concurrency` tries.
    let learner = loop {
        let i = shared.next.fetch_add(1, Ordering::Relaxed) % fleet.len();
        if fleet[i].busy.compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed).is_ok() {
            break &fleet[i];
        }
    };
    let (body, claimed_ms) = learner.next_beat(lesson);
    let sent = shared
        .http
        .post(shared.url.clone())
        .header(COOKIE, learner.cookie.clone())
        .header("x-csrf-token", learner.csrf.clone())
        .header(CONTENT_TYPE, "application/json")
        .body(body)
        .send()
        .await;
    let outcome = match sent {
        Ok(r) => {
            let status = r.status();
            match r.bytes().await {
                Ok(b) if status == StatusCode::OK => match serde_json::from_slice::<Ack>(&b) {
                    Ok(ack) if ack.verdict == "accepted" => {
                        Outcome::Ok { claimed_ms, credited_ms: (ack.credited_seconds * 1000.0).round() as u64 }
                    }
                    Ok(ack) => shared.failed(format!("verdict {}", ack.verdict), &String::from_utf8_lossy(&b)),
                    Err(e) => shared.failed("unreadable answer".into(), &e.to_string()),
                },
                Ok(b) => shared.failed(format!("HTTP {}", status.as_u16()), &String::from_utf8_lossy(&b)),
                Err(e) => shared.failed("transport".into(), &e.to_string()),
            }
        }
        Err(e) => shared.failed("transport".into(), &e.to_string()),
    };
    learner.busy.store(false, Ordering::Release);
    outcome
}

async fn healthz(shared: &Shared) -> Outcome {
    match shared.http.get(shared.url.clone()).send().await {
        Ok(r) => {
            let status = r.status();
            match r.bytes().await {
                Ok(_) if status == StatusCode::OK => Outcome::Ok { claimed_ms: 0, credited_ms: 0 },
                Ok(b) => shared.failed(format!("HTTP {}", status.as_u16()), &String::from_utf8_lossy(&b)),
                Err(e) => shared.failed("transport".into(), &e.to_string()),
            }
        }
        Err(e) => shared.failed("transport".into(), &e.to_string()),
    }
}
