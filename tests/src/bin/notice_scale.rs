//! The notices benchmark: a must-read notice to a whole organization of
//! 100,000 members (the reports benchmark's shape), read by 20,000 of them
//! within five minutes.
//!
//! Generates the organization in the database of a running dangxiao
//! (set-based SQL, not timed) and login sessions for the readers; then,
//! over HTTP: the admin publishes the notice to the root (timed: writing it
//! and one notification per member); the readers open it at an even pace
//! over `--seconds`, at most `--concurrency` at once (each opening is the
//! read receipt; latency per request); then the read-rate report, rolled
//! up, for the whole organization, one 党总支 and one branch, `--runs`
//! times each. Prints `key=value` lines.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Parser;
use dangxiao_tests::api::Api;
use dangxiao_tests::seed::{self, organization, OrgShape};
use dangxiao_tests::timing::median_and_max;
use reqwest::header::{HeaderValue, COOKIE};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

#[derive(Parser)]
struct Args {
    #[arg(long)]
    base_url: String,
    #[arg(long)]
    database_url: String,
    #[arg(long, default_value = "admin")]
    admin: String,
    #[arg(long, default_value = "dangxiao-demo")]
    password: String,
    #[arg(long, default_value_t = 20)]
    generals: i64,
    #[arg(long, default_value_t = 100)]
    branches_per_general: i64,
    #[arg(long, default_value_t = 50)]
    members_per_branch: i64,
    /// People who read the notice.
    #[arg(long, default_value_t = 20_000)]
    readers: usize,
    /// Over how long they read it.
    #[arg(long, default_value_t = 300)]
    seconds: u64,
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    #[arg(long, default_value_t = 15)]
    runs: usize,
}

const BASE_ID: i64 = 1_000_000;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let db = seed::connect(&args.database_url).await?;
    let admin = Api::login(&args.base_url, &args.admin, &args.password).await?;
    let root = admin.my_org().await?;
    let root_path: String = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT path FROM orgs WHERE id = {root}"),
        ))
        .await?
        .context("root org")?
        .try_get_by_index(0)?;
    let started = Instant::now();
    let shape = OrgShape {
        generals: args.generals,
        branches_per_general: args.branches_per_general,
        members_per_branch: args.members_per_branch,
    };
    let org = organization(&db, root, &root_path, shape, BASE_ID, seed::unix_seconds()).await?;
    // Readers spread over the whole organization: every fifth person.
    let step = (org.people.len() / args.readers.max(1)).max(1);
    let readers: Vec<i64> = org.people.iter().step_by(step).take(args.readers).copied().collect();
    let logins = seed::sessions(&db, &readers).await?;
    seed::analyze(&db).await?;
    println!("generate_seconds={:.1}", started.elapsed().as_secs_f64());
    let people: i64 = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), "SELECT COUNT(*) FROM people".to_owned()))
        .await?
        .context("count")?
        .try_get_by_index(0)?;
    println!("people={people}");

    let started = Instant::now();
    let notice = admin
        .post(
            "/api/v1/notices",
            json!({ "org_id": root, "title": "关于认真学习贯彻全会精神的通知", "must_read": true, "read_by": "2026-12-31",
                    "body": "各级党组织：\n\n请组织党员认真学习全会精神，**按时完成**学习任务。" }),
        )
        .await?;
    println!("publish_ms={:.1}", started.elapsed().as_secs_f64() * 1000.0);
    let id = notice["id"].as_i64().context("notice id")?;

    // The readers, at an even pace.
    let client = reqwest::Client::builder().pool_max_idle_per_host(args.concurrency).build()?;
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(logins.len())));
    let errors = Arc::new(Mutex::new(0u64));
    let gate = Arc::new(tokio::sync::Semaphore::new(args.concurrency));
    let interval = Duration::from_secs_f64(args.seconds as f64 / logins.len().max(1) as f64);
    let url = format!("{}/api/v1/notices/{id}", args.base_url);
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(logins.len());
    for (i, login) in logins.iter().enumerate() {
        let due = started + interval * u32::try_from(i).unwrap_or(u32::MAX);
        tokio::time::sleep_until(due.into()).await;
        let permit = gate.clone().acquire_owned().await?;
        let cookie = HeaderValue::from_str(&format!("dx_session={}", login.token))?;
        let (client, url, latencies, errors) = (client.clone(), url.clone(), latencies.clone(), errors.clone());
        tasks.push(tokio::spawn(async move {
            let sent = Instant::now();
            let ok = match client.get(&url).header(COOKIE, cookie).send().await {
                Ok(r) => r.status().is_success(),
                Err(_) => false,
            };
            let ms = sent.elapsed().as_secs_f64() * 1000.0;
            if ok {
                latencies.lock().map(|mut l| l.push(ms)).ok();
            } else {
                errors.lock().map(|mut e| *e += 1).ok();
            }
            drop(permit);
        }));
    }
    for t in tasks {
        t.await?;
    }
    let took = started.elapsed().as_secs_f64();
    let mut ms = latencies.lock().map(|l| l.clone()).unwrap_or_default();
    ms.sort_by(f64::total_cmp);
    println!("reads={}", ms.len());
    println!("read_errors={}", errors.lock().map(|e| *e).unwrap_or(0));
    println!("reads_seconds={took:.1}");
    println!("read_p50_ms={:.1}", percentile(&ms, 50.0));
    println!("read_p99_ms={:.1}", percentile(&ms, 99.0));
    println!("read_max_ms={:.1}", percentile(&ms, 100.0));

    let general = org.generals[0];
    let branch = org.branches[0];
    for (name, path) in [
        ("rate_org", format!("/api/v1/notices/{id}/reads")),
        ("rate_general", format!("/api/v1/notices/{id}/reads?org={general}")),
        ("rate_branch", format!("/api/v1/notices/{id}/reads?org={branch}")),
    ] {
        let (median, max) = median_and_max(&admin, &path, args.runs, "total").await?;
        println!("{name}_ms={median:.1}");
        println!("{name}_max_ms={max:.1}");
    }
    let total = admin.get(&format!("/api/v1/notices/{id}/reads")).await?;
    println!("rate_org_read={}", total["total"]["read"]);
    println!("rate_org_recipients={}", total["total"]["recipients"]);
    Ok(())
}
