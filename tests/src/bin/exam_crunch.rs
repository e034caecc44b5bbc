//! `exam-crunch`: a branch-wide exam crunch against a running `dangxiao
//! serve --demo`, printing `key=value` lines for `scripts/bench exams`.
//!
//! Setup (not measured): as the demo admin, a question bank of the demo
//! root org from `tests/fixtures/exams/bank.csv` and a published exam drawn
//! from it as a real party-class final is (30 single choice × 2 points,
//! 5 multiple choice × 3, 25 true/false × 1: 60 questions, 40 minutes);
//! the takers and their login sessions are seeded into the database.
//!
//! Then every taker, on a schedule (open loop: the load does not slow down
//! when the server does): starts the exam at a random moment of the first
//! `--start-window` seconds, saves an answer every `--save-every` seconds
//! (the first at a random offset), and submits at a random moment of the
//! last 60 s of `--exam-seconds`. Meanwhile `/healthz` is sampled ten times
//! a second, the server's responsiveness under the same load.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::Parser;
use dangxiao_tests::api::Api;
use dangxiao_tests::seed;
use hdrhistogram::Histogram;
use rand::Rng;
use reqwest::header::{HeaderValue, CONTENT_TYPE, COOKIE};
use reqwest::Method;
use serde_json::{json, Value};

#[derive(Parser, Debug)]
#[command(about = "Exam crunch load generator for dangxiao")]
struct Args {
    #[arg(long)]
    base_url: String,
    /// The server's database, for seeding the takers.
    #[arg(long)]
    database_url: String,
    /// The question bank to import (the table layout).
    #[arg(long, default_value = "tests/fixtures/exams/bank.csv")]
    bank: std::path::PathBuf,
    #[arg(long, default_value_t = 2000)]
    takers: usize,
    /// Everyone starts within this many seconds.
    #[arg(long, default_value_t = 60)]
    start_window: u64,
    /// Each taker saves an answer this often, in seconds.
    #[arg(long, default_value_t = 20)]
    save_every: u64,
    /// From the first start to the last submit; everyone submits in its
    /// last 60 s.
    #[arg(long, default_value_t = 240)]
    exam_seconds: u64,
    #[arg(long, default_value = "admin")]
    admin_login: String,
    #[arg(long, default_value = "dangxiao-demo")]
    admin_password: String,
}

/// Latencies and failures of one kind of request.
#[derive(Default)]
struct Tally {
    latencies: Vec<u64>,
    failures: BTreeMap<String, usize>,
}

type Tallies = Arc<Mutex<BTreeMap<&'static str, Tally>>>;

fn record(tallies: &Tallies, what: &'static str, started: Instant, outcome: Result<(), String>) {
    let us = started.elapsed().as_micros() as u64;
    let mut t = tallies.lock().unwrap_or_else(|p| p.into_inner());
    let tally = t.entry(what).or_default();
    match outcome {
        Ok(()) => tally.latencies.push(us),
        Err(e) => *tally.failures.entry(e).or_default() += 1,
    }
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    tokio::runtime::Builder::new_current_thread().enable_all().build()?.block_on(run(args))
}

async fn setup_exam(args: &Args) -> anyhow::Result<i64> {
    let api = Api::login(&args.base_url, &args.admin_login, &args.admin_password).await?;
    let org_id = api.my_org().await?;
    let bank = api
        .post(
            "/api/v1/question-banks",
            json!({ "org_id": org_id, "name": format!("压测题库-{}", seed::random_hex(3)) }),
        )
        .await?["id"]
        .as_i64()
        .context("bank id")?;
    let bytes = std::fs::read(&args.bank).with_context(|| format!("reading {}", args.bank.display()))?;
    let form =
        reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(bytes).file_name("bank.csv"));
    let r = api.request(Method::POST, &format!("/api/v1/question-banks/{bank}/import")).multipart(form).send().await?;
    if !r.status().is_success() {
        bail!("importing the bank: {} {}", r.status(), r.text().await?);
    }
    let draft = json!({
        "org_id": org_id, "title": "入党积极分子培训班结业考试（压测）", "banks": [bank],
        "paper": { "mode": "drawn", "rules": [
            { "count": 30, "kind": "single", "points_each": 20 },
            { "count": 5, "kind": "multiple", "points_each": 30 },
            { "count": 25, "kind": "true_false", "points_each": 10 } ] },
        "settings": { "time_limit_minutes": 40, "window": null, "attempts_allowed": 1, "counting": "highest",
            "pass_mark": { "unit": "percent", "value": 60 }, "multiple_scoring": "all_or_nothing",
            "shuffle": { "questions": true, "options": true }, "review": "after_submit",
            "prerequisites": { "courses": [], "credited_hours": 0 }, "practice": false }
    });
    let exam = api.post("/api/v1/exams", draft).await?["id"].as_i64().context("exam id")?;
    let r = api
        .request(Method::PUT, &format!("/api/v1/exams/{exam}/publish"))
        .json(&json!({ "published": true }))
        .send()
        .await?;
    if !r.status().is_success() {
        bail!("publishing the exam: {}", r.status());
    }
    Ok(exam)
}

/// An answer to a question as the page shows it: the first option, or true.
fn some_answer(q: &Value) -> Value {
    let first = q["options"][0]["id"].clone();
    match q["kind"].as_str() {
        Some("single") => json!({ "kind": "single", "option": first }),
        Some("multiple") => json!({ "kind": "multiple", "options": [first] }),
        _ => json!({ "kind": "true_false", "value": true }),
    }
}

struct Taker {
    cookie: HeaderValue,
    csrf: HeaderValue,
    holder: String,
}

impl Taker {
    async fn send(&self, http: &reqwest::Client, method: Method, url: String, body: Value) -> Result<Value, String> {
        let r = http
            .request(method, url)
            .header(COOKIE, self.cookie.clone())
            .header("x-csrf-token", self.csrf.clone())
            .header(CONTENT_TYPE, "application/json")
            .body(body.to_string())
            .send()
            .await
            .map_err(|e| format!("transport: {e}"))?;
        let status = r.status();
        let text = r.text().await.map_err(|e| format!("body: {e}"))?;
        if !status.is_success() {
            return Err(format!("{status}: {}", text.chars().take(120).collect::<String>()));
        }
        serde_json::from_str(&text).or(Ok(Value::Null))
    }
}

async fn run(args: Args) -> anyhow::Result<()> {
    if args.exam_seconds < args.start_window + 60 {
        bail!("--exam-seconds must leave the last 60 s for submitting after --start-window");
    }
    let base = args.base_url.trim_end_matches('/').to_owned();
    eprintln!("exam-crunch: setting up the exam and {} takers", args.takers);
    let exam = setup_exam(&args).await?;
    let db = seed::connect(&args.database_url).await?;
    let logins = seed::learners(&db, &args.admin_login, args.takers).await?;
    seed::analyze(&db).await?;
    db.close().await?;
    let http = reqwest::Client::builder()
        .http1_only()
        .tcp_nodelay(true)
        .no_proxy()
        .pool_max_idle_per_host(512)
        .timeout(Duration::from_secs(120))
        .build()?;

    let tallies: Tallies = Arc::new(Mutex::new(BTreeMap::new()));
    let t0 = tokio::time::Instant::now() + Duration::from_secs(2);
    let end = t0 + Duration::from_secs(args.exam_seconds);
    let mut tasks = tokio::task::JoinSet::new();
    let mut rng = rand::thread_rng();
    for (i, login) in logins.into_iter().enumerate() {
        let taker = Taker {
            cookie: HeaderValue::from_str(&format!("dx_session={}", login.token))?,
            csrf: HeaderValue::from_str(&login.csrf)?,
            holder: format!("crunch-{i:06}-{}", seed::random_hex(6)),
        };
        let start_at = t0 + Duration::from_millis(rng.gen_range(0..args.start_window * 1000));
        let submit_at = end - Duration::from_millis(rng.gen_range(0..60_000));
        let first_save = start_at + Duration::from_millis(rng.gen_range(0..args.save_every * 1000));
        let (http, base, tallies) = (http.clone(), base.clone(), tallies.clone());
        let save_every = Duration::from_secs(args.save_every);
        tasks.spawn(async move {
            tokio::time::sleep_until(start_at).await;
            let started = Instant::now();
            let attempt = taker
                .send(&http, Method::POST, format!("{base}/api/v1/exams/{exam}/attempts"), json!({ "holder": taker.holder }))
                .await;
            let attempt = match attempt {
                Ok(a) => {
                    record(&tallies, "start", started, Ok(()));
                    a
                }
                Err(e) => {
                    record(&tallies, "start", started, Err(e));
                    return;
                }
            };
            let id = attempt["id"].as_i64().unwrap_or_default();
            let questions = attempt["questions"].as_array().cloned().unwrap_or_default();
            let mut next = first_save;
            let mut seq = 0usize;
            while next < submit_at && !questions.is_empty() {
                tokio::time::sleep_until(next).await;
                let position = seq % questions.len();
                seq += 1;
                let body = json!({ "holder": taker.holder, "seq": seq, "answer": some_answer(&questions[position]["question"]) });
                let started = Instant::now();
                let r = taker.send(&http, Method::PUT, format!("{base}/api/v1/attempts/{id}/answers/{position}"), body).await;
                record(&tallies, "save", started, r.map(|_| ()));
                next += save_every;
            }
            tokio::time::sleep_until(submit_at).await;
            let started = Instant::now();
            let r = taker
                .send(&http, Method::POST, format!("{base}/api/v1/attempts/{id}/submit"), json!({ "holder": taker.holder }))
                .await;
            record(&tallies, "submit", started, r.map(|_| ()));
        });
    }
    // /healthz ten times a second while the crunch runs.
    {
        let (http, base, tallies) = (http.clone(), base.clone(), tallies.clone());
        tasks.spawn(async move {
            let mut tick = tokio::time::interval_at(t0, Duration::from_millis(100));
            while tokio::time::Instant::now() < end {
                tick.tick().await;
                let started = Instant::now();
                let ok = http.get(format!("{base}/healthz")).send().await.map(|r| r.status().is_success());
                record(
                    &tallies,
                    "healthz",
                    started,
                    if matches!(ok, Ok(true)) { Ok(()) } else { Err("healthz".into()) },
                );
            }
        });
    }
    eprintln!("exam-crunch: running for {} s", args.exam_seconds + 2);
    while let Some(done) = tasks.join_next().await {
        done?;
    }

    println!("takers={}", args.takers);
    println!("questions=60");
    println!("start_window_s={}", args.start_window);
    println!("save_every_s={}", args.save_every);
    println!("exam_seconds={}", args.exam_seconds);
    let tallies = tallies.lock().unwrap_or_else(|p| p.into_inner());
    let mut errors = 0;
    for what in ["start", "save", "submit", "healthz"] {
        let Some(t) = tallies.get(what) else { continue };
        let mut h = Histogram::<u64>::new_with_bounds(1, 300_000_000, 3)?;
        for us in &t.latencies {
            h.record((*us).clamp(1, 300_000_000))?;
        }
        let ms = |q: f64| h.value_at_quantile(q) as f64 / 1000.0;
        let failed: usize = t.failures.values().sum();
        if what != "healthz" {
            errors += failed;
        }
        println!("{what}_ok={}", t.latencies.len());
        println!("{what}_p50_ms={:.2}", ms(0.5));
        println!("{what}_p99_ms={:.2}", ms(0.99));
        println!("{what}_max_ms={:.2}", ms(1.0));
        println!("{what}_errors={failed}");
        for (e, n) in &t.failures {
            eprintln!("exam-crunch: {what}: {n} × {e}");
        }
    }
    println!("errors={errors}");
    Ok(())
}
