//! `first-playable`: how soon an uploaded lecture plays, for `scripts/bench
//! first-playable` (issue 27), printed as `key=value` lines.
//!
//! One 1080p30 lecture (ffmpeg's `testsrc2` and a tone, made once) is
//! uploaded to `dangxiao serve` on the embedded default with its one
//! in-process worker; from the moment the upload completes, the media item
//! is polled until it is ready (its lowest rendition plays) and until its
//! ladder is complete. The reference, in the same run: the whole ladder in
//! one pass (`dangxiao-transcode`, the transcoder as it ran before lessons
//! were published early), on the same file.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::Parser;
use dangxiao_tests::api::Api;
use dangxiao_tests::Server;

const PASSWORD: &str = "dangxiao-demo";

#[derive(Parser, Debug)]
struct Args {
    /// Length of the lecture, in seconds.
    #[arg(long, default_value_t = 600)]
    seconds: u32,
    /// The `dangxiao-transcode` binary (the one-pass reference).
    #[arg(long)]
    transcoder: PathBuf,
    #[arg(long)]
    work: PathBuf,
}

fn lecture(path: &Path, seconds: u32) -> anyhow::Result<()> {
    if path.exists() {
        return Ok(());
    }
    let partial = path.with_extension("partial.mp4");
    let status = Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30"])
        .args(["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", &seconds.to_string()])
        .args(["-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p"])
        .args(["-c:a", "aac", "-b:a", "128k", "-shortest", "-movflags", "+faststart"])
        .arg(&partial)
        .status()?;
    if !status.success() {
        bail!("ffmpeg could not make {}", path.display());
    }
    std::fs::rename(&partial, path)?;
    Ok(())
}

fn one_pass(transcoder: &Path, source: &Path, work: &Path) -> anyhow::Result<f64> {
    let out = work.join("one-pass");
    let _ = std::fs::remove_dir_all(&out);
    let started = Instant::now();
    let status = Command::new(transcoder).arg(source).arg(&out).stdout(std::process::Stdio::null()).status()?;
    let seconds = started.elapsed().as_secs_f64();
    if !status.success() {
        bail!("{} failed on {}", transcoder.display(), source.display());
    }
    let _ = std::fs::remove_dir_all(&out);
    Ok(seconds)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    std::fs::create_dir_all(&args.work)?;
    let source = args.work.join(format!("lecture-1080p30-{}s.mp4", args.seconds));
    eprintln!("first-playable: making the {} s lecture once (not timed)", args.seconds);
    lecture(&source, args.seconds)?;
    let bytes = std::fs::read(&source)?;

    eprintln!("first-playable: the whole ladder in one pass (reference)");
    let reference = one_pass(&args.transcoder, &source, &args.work)?;

    eprintln!("first-playable: uploading to dangxiao serve and polling");
    let server = Server::start().context("server")?;
    let api = Api::login(&server.base, "organizer", PASSWORD).await?;
    let org = api.my_org().await?;
    let uploading = Instant::now();
    let media = api.upload(org, "十分钟讲座.mp4", &bytes).await?;
    let upload_seconds = uploading.elapsed().as_secs_f64();
    let id = media["id"].as_i64().context("media id")?;
    let uploaded = Instant::now();
    let mut playable = None;
    let complete = loop {
        let m = api.get(&format!("/api/v1/media/{id}")).await?;
        if m["state"] == "failed" || m["ladder"] == "failed" {
            bail!("the lecture failed: {m}");
        }
        if m["state"] == "ready" && playable.is_none() {
            playable = Some((uploaded.elapsed().as_secs_f64(), m["renditions"].clone()));
        }
        if m["state"] == "ready" && m["ladder"] != "pending" {
            break (uploaded.elapsed().as_secs_f64(), m["renditions"].clone());
        }
        if uploaded.elapsed() > Duration::from_secs(3 * 3600) {
            bail!("not done after three hours: {m}");
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    let (first, first_renditions) = playable.context("never ready")?;
    println!("lecture_seconds={}", args.seconds);
    println!("source_mb={:.0}", bytes.len() as f64 / 1e6);
    println!("upload_s={upload_seconds:.1}");
    println!("one_pass_full_ladder_s={reference:.1}");
    println!("first_playable_s={first:.1}");
    println!("first_playable_renditions={first_renditions}");
    println!("full_ladder_s={:.1}", complete.0);
    println!("full_ladder_renditions={}", complete.1);
    println!("RESULT first_playable_vs_full_ladder={:.3}", first / complete.0);
    println!("RESULT full_ladder_two_passes_vs_one_pass={:.3}", complete.0 / reference);
    Ok(())
}
