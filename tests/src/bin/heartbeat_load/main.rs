//! `heartbeat-load`: drives heartbeats from many simulated learners against
//! a running `dangxiao serve --demo`, then `/healthz` on the same server, and
//! prints what it measured as `key=value` lines for `scripts/bench`.
//!
//! Setup is not measured: as the demo admin it creates a published course
//! on the demo root org with one video lesson, seeds the learners and their
//! login sessions straight into the database (argon2 logins would take
//! minutes), and opens the lesson once per learner over HTTP. Then a closed
//! loop of `--concurrency` requests in flight sends each learner's next
//! heartbeat in turn, each reporting exactly the media time that elapsed
//! since that learner's previous one, so every beat is plausible and
//! credited like a real player's.

mod cpu;
mod drive;
mod seed;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;

use drive::{Phase, Report, Workload};

#[derive(Parser, Debug)]
#[command(about = "Heartbeat load generator for dangxiao")]
struct Args {
    /// The server, e.g. http://127.0.0.1:3000.
    #[arg(long)]
    base_url: String,
    /// The server's database, for seeding learners (sqlite://… or postgres://…).
    #[arg(long)]
    database_url: String,
    /// Simulated learners, each with its own login and playback session.
    #[arg(long, default_value_t = 10_000)]
    learners: usize,
    /// Requests in flight at once (closed loop).
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Measured seconds per phase.
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// Unmeasured seconds before each phase's measurement starts.
    #[arg(long, default_value_t = 5)]
    warmup: u64,
    /// Runtime threads for the generator; 1 leaves the other cores to the
    /// server and the database.
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// Length of the lesson's video, in seconds (long enough that no learner
    /// reaches its end during a run).
    #[arg(long, default_value_t = 7200)]
    lesson_seconds: u32,
    /// The server's process id, to report its CPU use during measurement.
    #[arg(long)]
    server_pid: Option<u32>,
    #[arg(long, default_value = "admin")]
    admin_login: String,
    #[arg(long, default_value = "dangxiao-demo")]
    admin_password: String,
    /// Skip the `/healthz` phase.
    #[arg(long)]
    no_healthz: bool,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let runtime = if args.threads <= 1 {
        tokio::runtime::Builder::new_current_thread().enable_all().build()?
    } else {
        tokio::runtime::Builder::new_multi_thread().worker_threads(args.threads).enable_all().build()?
    };
    runtime.block_on(run(args))
}

async fn run(args: Args) -> anyhow::Result<()> {
    let base = args.base_url.trim_end_matches('/').to_owned();
    let http = reqwest::Client::builder()
        .http1_only()
        .tcp_nodelay(true)
        .no_proxy()
        .pool_max_idle_per_host(args.concurrency)
        .timeout(Duration::from_secs(60))
        .build()?;

    if args.concurrency == 0 || args.concurrency > args.learners {
        anyhow::bail!("--concurrency must be between 1 and --learners ({})", args.learners);
    }
    eprintln!("heartbeat-load: setting up {} learners", args.learners);
    let db = seed::connect(&args.database_url).await?;
    let lesson = seed::video_lesson(&base, &db, &args.admin_login, &args.admin_password, args.lesson_seconds).await?;
    let logins = seed::learners(&db, &args.admin_login, args.learners).await?;
    let opened = seed::open_sessions(&http, &base, lesson, logins, args.concurrency).await?;
    seed::analyze(&db).await?;
    println!("learners={}", opened.learners.len());
    println!("lesson_id={lesson}");
    println!("open_sessions_per_s={:.0}", opened.per_second);

    let phase = Phase {
        concurrency: args.concurrency,
        warmup: Duration::from_secs(args.warmup),
        measure: Duration::from_secs(args.seconds),
        server_pid: args.server_pid,
    };
    println!("concurrency={}", phase.concurrency);
    println!("seconds={}", args.seconds);
    println!("warmup_seconds={}", args.warmup);
    println!("generator_threads={}", args.threads);

    eprintln!("heartbeat-load: heartbeats, {} s warm-up + {} s measured", args.warmup, args.seconds);
    let fleet = Arc::new(opened.learners);
    let beats = drive::run(&http, &base, Workload::Heartbeats { fleet, lesson }, &phase, Some(&db)).await?;
    print_report("heartbeats", &beats);
    println!("heartbeat_credited_share={:.4}", beats.credited_share());
    if let Some(commits) = beats.db_commits {
        println!("db_commits_per_s={:.0}", commits as f64 / beats.seconds);
        if commits > 0 {
            println!("heartbeats_per_commit={:.1}", beats.ok as f64 / commits as f64);
        }
    }

    if !args.no_healthz {
        eprintln!("heartbeat-load: /healthz, {} s warm-up + {} s measured", args.warmup, args.seconds);
        let health = drive::run(&http, &base, Workload::Healthz, &phase, None).await?;
        print_report("healthz", &health);
    }
    db.close().await.context("closing the database connection")?;
    Ok(())
}

/// Prints one phase's figures as `PREFIX_key=value` lines.
fn print_report(prefix: &str, r: &Report) {
    println!("{prefix}_ok={}", r.ok);
    println!("{prefix}_per_s={:.0}", r.ok as f64 / r.seconds);
    println!("{prefix}_p50_ms={:.2}", r.quantile_ms(0.50));
    println!("{prefix}_p90_ms={:.2}", r.quantile_ms(0.90));
    println!("{prefix}_p99_ms={:.2}", r.quantile_ms(0.99));
    println!("{prefix}_max_ms={:.2}", r.quantile_ms(1.0));
    println!("{prefix}_errors={}", r.errors());
    for (what, n) in &r.failures {
        println!("{prefix}_error[{what}]={n}");
    }
    if let Some(cpu) = &r.cpu {
        println!("{prefix}_cpu_generator_cores={:.2}", cpu.generator);
        if let Some(server) = cpu.server {
            println!("{prefix}_cpu_server_cores={server:.2}");
        }
        println!("{prefix}_cpu_postgres_cores={:.2}", cpu.postgres);
        println!("{prefix}_cpu_machine_busy_cores={:.2}", cpu.machine_busy);
    }
}
