//! `cluster-bench`: the production shape's figures for `scripts/bench
//! cluster` (issue 27), printed as `key=value` lines.
//!
//! - Transcoding: eight short videos queued with no worker running, then
//!   one worker (or two) started and timed until every one is ready with
//!   its whole ladder (both passes).
//! - Heartbeats through nginx with one app server and with two
//!   (`heartbeat-load` against nginx and the cluster's PostgreSQL).
//! - Media: viewers watch a lecture's lowest rendition to its end, once
//!   with segments proxied through the app server and once with presigned
//!   URLs straight from the store (`media_direct`); the app servers' CPU
//!   time and the bytes they sent, per viewer-minute.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context};
use clap::Parser;
use dangxiao_tests::api::Api;
use dangxiao_tests::cluster::Cluster;
use dangxiao_tests::spawn_alongside;

const PASSWORD: &str = "dangxiao-demo";
const VIEWERS: [&str; 6] = ["member", "member2", "activist", "organizer2", "member3", "teacher"];

#[derive(Parser, Debug)]
struct Args {
    /// Videos in the transcoding queue.
    #[arg(long, default_value_t = 8)]
    videos: usize,
    /// Length of each, in seconds (720p30).
    #[arg(long, default_value_t = 10)]
    video_seconds: u32,
    /// The `heartbeat-load` binary.
    #[arg(long)]
    heartbeat_load: PathBuf,
    #[arg(long, default_value_t = 2000)]
    hb_learners: usize,
    #[arg(long, default_value_t = 15)]
    hb_seconds: u64,
    #[arg(long, default_value_t = 5)]
    hb_warmup: u64,
    /// Length of the lecture the viewers watch, in seconds.
    #[arg(long, default_value_t = 60)]
    lecture_seconds: u32,
    /// Times each viewer watches it.
    #[arg(long, default_value_t = 2)]
    rounds: usize,
    #[arg(long)]
    work: PathBuf,
    /// Which measurements to take.
    #[arg(long, value_delimiter = ',', default_value = "transcode,heartbeats,media")]
    phases: Vec<String>,
}

fn video(path: &Path, seconds: u32, size: &str) -> anyhow::Result<Vec<u8>> {
    if !path.exists() {
        let status = Command::new("ffmpeg")
            .args(["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", &format!("testsrc2=size={size}:rate=30")])
            .args(["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", &seconds.to_string()])
            .args(["-c:v", "libx264", "-preset", "veryfast", "-c:a", "aac", "-shortest"])
            .arg(path)
            .status()?;
        if !status.success() {
            bail!("ffmpeg could not make {}", path.display());
        }
    }
    Ok(std::fs::read(path)?)
}

/// CPU seconds a process used so far (user + system).
fn cpu_seconds(pid: u32) -> anyhow::Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    let rest = stat.rsplit_once(')').map(|(_, r)| r).context("malformed stat")?;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = f.get(11).context("utime")?.parse::<u64>()? + f.get(12).context("stime")?.parse::<u64>()?;
    Ok(ticks as f64 / 100.0)
}

async fn transcode(args: &Args, workers: usize) -> anyhow::Result<f64> {
    let cluster = Cluster::start(1, 0)?;
    let api = Api::login(&cluster.base, "organizer", PASSWORD).await?;
    let org = api.my_org().await?;
    let mut ids = Vec::new();
    for i in 0..args.videos {
        let bytes = video(&args.work.join(format!("clip{i}.mp4")), args.video_seconds, "1280x720")?;
        ids.push(api.upload(org, &format!("片段{i}.mp4"), &bytes).await?["id"].as_i64().context("id")?);
    }
    let started = Instant::now();
    let mut running = Vec::new();
    for _ in 0..workers {
        running.push(spawn_alongside(&cluster.apps[0], &["worker"], &cluster.env())?);
    }
    for id in ids {
        api.wait_processed(id).await?;
    }
    Ok(started.elapsed().as_secs_f64())
}

async fn heartbeats(args: &Args, apps: usize) -> anyhow::Result<String> {
    let cluster = Cluster::start(apps, 0)?;
    let out = Command::new(&args.heartbeat_load)
        .args(["--base-url", &cluster.base, "--database-url", &cluster.postgres.url()])
        .args(["--learners", &args.hb_learners.to_string(), "--seconds", &args.hb_seconds.to_string()])
        .args(["--warmup", &args.hb_warmup.to_string(), "--no-healthz"])
        .output()?;
    if !out.status.success() {
        bail!("heartbeat-load: {}", String::from_utf8_lossy(&out.stderr));
    }
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.lines()
        .find_map(|l| l.strip_prefix("heartbeat_per_s=").or_else(|| l.strip_prefix("heartbeats_per_s=")))
        .map(str::to_owned)
        .context("heartbeat-load printed no rate")
}

/// (app CPU seconds, bytes the app sent, bytes from the store) per viewer-minute.
async fn media(args: &Args, direct: bool) -> anyhow::Result<(f64, f64, f64)> {
    let cluster = Cluster::start_with(1, 1, &[("DANGXIAO_MEDIA_DIRECT", if direct { "true" } else { "false" })])?;
    // The admin's course is on the root node: every viewer is in its audience.
    let organizer = Api::login(&cluster.base, "admin", PASSWORD).await?;
    let org = organizer.my_org().await?;
    let bytes = video(&args.work.join("lecture.mp4"), args.lecture_seconds, "1280x720")?;
    let id = organizer.upload(org, "讲座.mp4", &bytes).await?["id"].as_i64().context("id")?;
    organizer.wait_processed(id).await?;
    let lesson = organizer.publish_course("党课讲座", &[id]).await?[0];
    let mut viewers = Vec::new();
    for login in VIEWERS {
        viewers.push(Api::login(&cluster.base, login, PASSWORD).await?);
    }
    let pid = cluster.apps[0].pid;
    let plain = reqwest::Client::new();
    let (mut app_bytes, mut store_bytes) = (0u64, 0u64);
    let cpu_before = cpu_seconds(pid)?;
    for _ in 0..args.rounds {
        for v in &viewers {
            let page = v.get(&format!("/api/v1/lessons/{lesson}")).await?;
            let master_url = page["playlist_url"].as_str().context("playlist")?.to_owned();
            let master = v.request(reqwest::Method::GET, &master_url).send().await?.text().await?;
            app_bytes += master.len() as u64;
            // The lowest rendition: the last variant listed.
            let variant = master.lines().rfind(|l| l.ends_with(".m3u8")).context("variant")?.to_owned();
            let dir = master_url.rsplit_once('/').context("dir")?.0.to_owned();
            let playlist = v.request(reqwest::Method::GET, &format!("{dir}/{variant}")).send().await?.text().await?;
            app_bytes += playlist.len() as u64;
            let variant_dir = format!("{dir}/{}", variant.rsplit_once('/').map(|(d, _)| d).unwrap_or(""));
            let mut uris: Vec<String> =
                playlist.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).map(str::to_owned).collect();
            if let Some(init) = playlist.split("URI=\"").nth(1).and_then(|s| s.split('"').next()) {
                uris.insert(0, init.to_owned());
            }
            for u in uris {
                if u.starts_with("http") {
                    store_bytes += plain.get(&u).send().await?.error_for_status()?.bytes().await?.len() as u64;
                } else {
                    let r = v.request(reqwest::Method::GET, &format!("{variant_dir}/{u}")).send().await?;
                    app_bytes += r.error_for_status()?.bytes().await?.len() as u64;
                }
            }
        }
    }
    let cpu = cpu_seconds(pid)? - cpu_before;
    let minutes = (VIEWERS.len() * args.rounds) as f64 * f64::from(args.lecture_seconds) / 60.0;
    Ok((cpu / minutes, app_bytes as f64 / minutes, store_bytes as f64 / minutes))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    std::fs::create_dir_all(&args.work)?;
    let wants = |p: &str| args.phases.iter().any(|w| w == p);
    if wants("transcode") {
        eprintln!("cluster-bench: transcoding {} videos with one worker, then two", args.videos);
        let one = transcode(&args, 1).await?;
        let two = transcode(&args, 2).await?;
        println!("videos={}", args.videos);
        println!("video_seconds={}", args.video_seconds);
        println!("transcode_one_worker_s={one:.1}");
        println!("transcode_two_workers_s={two:.1}");
        println!("transcode_two_workers_vs_one={:.2}", one / two);
    }
    if wants("heartbeats") {
        eprintln!("cluster-bench: heartbeats through nginx, one app server, then two");
        println!("hb_learners={}", args.hb_learners);
        println!("hb_per_s_one_app={}", heartbeats(&args, 1).await?);
        println!("hb_per_s_two_apps={}", heartbeats(&args, 2).await?);
    }
    if wants("media") {
        eprintln!("cluster-bench: media proxied, then direct");
        let (pc, pb, ps) = media(&args, false).await?;
        let (dc, db, ds) = media(&args, true).await?;
        println!("viewer_minutes={:.0}", (VIEWERS.len() * args.rounds) as f64 * f64::from(args.lecture_seconds) / 60.0);
        println!("proxied_app_cpu_s_per_viewer_minute={pc:.4}");
        println!("proxied_app_bytes_per_viewer_minute={pb:.0}");
        println!("proxied_store_bytes_per_viewer_minute={ps:.0}");
        println!("direct_app_cpu_s_per_viewer_minute={dc:.4}");
        println!("direct_app_bytes_per_viewer_minute={db:.0}");
        println!("direct_store_bytes_per_viewer_minute={ds:.0}");
    }
    Ok(())
}
