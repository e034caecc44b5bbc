//! Benchmark harness for the HLS transcoder (run by `scripts/bench`).
//!
//! ```text
//! bench-transcode --source SRC.mp4 --work DIR --transcoder PATH/dangxiao-transcode [--runs N]
//! bench-transcode measure LOG -- CMD [ARGS...]     (internal)
//! ```
//!
//! Runs, one after another and `--runs` times each, three ways of turning the
//! same source into the same four-rung HLS ladder with the same x264 settings:
//!
//! - dangxiao: `dangxiao-transcode` (decode once, one thread per rendition);
//! - ffmpeg (one process): the ffmpeg CLI with `split=4` and four HLS outputs;
//! - ffmpeg (per rendition): four ffmpeg CLI processes at once, each decoding
//!   the source for its own rendition.
//!
//! and two parts that every decode-once transcoder has to pay for, measured
//! alone to bound what any of them can reach on this machine:
//!
//! - x264 alone: the four encodes at once with the same settings, fed frames
//!   decoded and scaled beforehand (raw files, read from the page cache), and
//!   their output thrown away: no decoding, scaling, audio or muxing;
//! - decoding alone: the source's video decoded with dangxiao's decoder
//!   threads, nothing else.
//!
//! Each command runs under `measure`, a copy of this binary that spawns it,
//! waits, and reports its user+system CPU time and peak RSS from
//! `getrusage(RUSAGE_CHILDREN)` — exactly that one child's figures. Wall time
//! is measured here around all of a contender's commands. Prints a Markdown
//! table and the `RESULT` lines (medians over the runs) on stdout.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use anyhow::{bail, Context as _, Result};
use dangxiao_media::video::{probe, VideoSettings};
use nix::sys::resource::{getrusage, UsageWho};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("measure") => measure(&args[1..]),
        _ => bench(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench-transcode: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// `measure LOG -- CMD...`: run CMD with its output in LOG, then print
/// `<user seconds> <system seconds> <max RSS KiB>`.
fn measure(args: &[String]) -> Result<()> {
    let [log, dashdash, cmd @ ..] = args else { bail!("usage: measure LOG -- CMD [ARGS...]") };
    if dashdash != "--" || cmd.is_empty() {
        bail!("usage: measure LOG -- CMD [ARGS...]");
    }
    let log = std::fs::File::create(log).with_context(|| format!("creating {log}"))?;
    let status = Command::new(&cmd[0])
        .args(&cmd[1..])
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .status()
        .with_context(|| format!("running {}", cmd[0]))?;
    if !status.success() {
        bail!("{} exited with {status}", cmd.join(" "));
    }
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN)?;
    let secs = |t: nix::sys::time::TimeVal| t.tv_sec() as f64 + t.tv_usec() as f64 / 1e6;
    println!("{:.3} {:.3} {}", secs(usage.user_time()), secs(usage.system_time()), usage.max_rss());
    Ok(())
}

struct Args {
    source: PathBuf,
    work: PathBuf,
    transcoder: PathBuf,
    runs: usize,
}

fn parse_args(args: &[String]) -> Result<Args> {
    let mut it = args.iter();
    let (mut source, mut work, mut transcoder, mut runs) = (None, None, None, 1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--source" => source = Some(PathBuf::from(value()?)),
            "--work" => work = Some(PathBuf::from(value()?)),
            "--transcoder" => transcoder = Some(PathBuf::from(value()?)),
            "--runs" => runs = value()?.parse().context("--runs")?,
            other => bail!("unknown argument {other}"),
        }
    }
    Ok(Args {
        source: source.context("--source is required")?,
        work: work.context("--work is required")?,
        transcoder: transcoder.context("--transcoder is required")?,
        runs: runs.max(1),
    })
}

/// One rung as both transcoders are told to encode it.
struct Rung {
    width: u32,
    height: u32,
    kbps: u32,
}

#[derive(Clone, Copy)]
struct Sample {
    wall: f64,
    cpu: f64,
    /// Sum of the processes' peak RSS (they run at the same time), KiB.
    rss_kib: u64,
}

/// The three ways of making the ladder, then the two parts measured alone.
#[derive(Clone, Copy)]
enum Contender {
    Dangxiao,
    FfmpegOneProcess,
    FfmpegPerRendition,
    X264Alone,
    DecodeAlone,
}

impl Contender {
    const ALL: [Contender; 5] = [
        Contender::Dangxiao,
        Contender::FfmpegOneProcess,
        Contender::FfmpegPerRendition,
        Contender::X264Alone,
        Contender::DecodeAlone,
    ];

    fn name(self) -> &'static str {
        match self {
            Contender::Dangxiao => "dangxiao (in-process, decode once, thread per rendition)",
            Contender::FfmpegOneProcess => "(a) ffmpeg CLI, one process, split=4",
            Contender::FfmpegPerRendition => "(b) ffmpeg CLI, one process per rendition (concurrent)",
            Contender::X264Alone => "part: libx264 alone, 4 encodes at once from raw frames, no output",
            Contender::DecodeAlone => "part: decoding the source's video alone",
        }
    }

    /// Whether it makes the whole ladder (and so leaves playlists to check).
    fn makes_ladder(self) -> bool {
        !matches!(self, Contender::X264Alone | Contender::DecodeAlone)
    }
}

/// Everything needed to build a contender's command lines.
struct Plan {
    source: String,
    transcoder: String,
    rungs: Vec<Rung>,
    x264: X264,
    audio_kbps: u32,
    /// Where each rung's frames are stored decoded and scaled (raw YUV 4:2:0).
    raw: PathBuf,
    fps: f64,
    /// Frame threads dangxiao decodes with.
    decoder_threads: usize,
}

impl Plan {
    fn commands(&self, contender: Contender, dir: &Path) -> Vec<Vec<String>> {
        match contender {
            Contender::Dangxiao => vec![vec![self.transcoder.clone(), self.source.clone(), path(dir)]],
            Contender::FfmpegOneProcess => {
                vec![ffmpeg_split(&self.source, dir, &self.rungs, &self.x264, self.audio_kbps)]
            }
            Contender::FfmpegPerRendition => {
                self.rungs.iter().map(|r| ffmpeg_one(&self.source, dir, r, &self.x264, self.audio_kbps)).collect()
            }
            Contender::X264Alone => {
                self.rungs.iter().map(|r| x264_alone(&self.raw_file(r), r, self.fps, &self.x264)).collect()
            }
            Contender::DecodeAlone => vec![decode_alone(&self.source, self.decoder_threads)],
        }
    }

    fn raw_file(&self, r: &Rung) -> String {
        path(&self.raw.join(format!("{}x{}.yuv", r.width, r.height)))
    }

    /// Decodes and scales the source once per rung into `raw` (not timed).
    /// Bilinear, as dangxiao scales, so x264 sees the same pictures.
    fn prepare_raw_frames(&self) -> Result<()> {
        std::fs::create_dir_all(&self.raw)?;
        for r in &self.rungs {
            let status = Command::new("ffmpeg")
                .args(["-nostdin", "-v", "error", "-y", "-i", &self.source, "-an", "-vf"])
                .arg(format!("scale={}:{}:flags=bilinear", r.width, r.height))
                .args(["-pix_fmt", "yuv420p", "-f", "rawvideo", &self.raw_file(r)])
                .status()
                .context("running ffmpeg to prepare raw frames")?;
            if !status.success() {
                bail!("ffmpeg could not prepare the raw frames for {}p ({status})", r.height);
            }
        }
        Ok(())
    }
}

fn bench(args: &[String]) -> Result<()> {
    let args = parse_args(args)?;
    let source = args.source.canonicalize().with_context(|| format!("source {}", args.source.display()))?;
    let info = probe(&source).map_err(|e| anyhow::anyhow!("probing the source: {e}"))?;
    let (sw, sh) = info.video.context("the benchmark source has no video")?;
    let settings = VideoSettings::default();
    let fps = 30.0;
    let gop = (fps * f64::from(settings.segment_seconds)).round() as u32;
    // The same rungs and sizes as `ladder::plan` for a square-pixel source.
    let rungs: Vec<Rung> = settings
        .ladder
        .iter()
        .filter(|r| r.height <= sh)
        .map(|r| Rung {
            width: ((f64::from(r.height) * f64::from(sw) / f64::from(sh) / 2.0).round() as u32) * 2,
            height: r.height,
            kbps: r.video_kbps,
        })
        .collect();
    let plan = Plan {
        source: path(&source),
        transcoder: path(&args.transcoder),
        rungs,
        x264: X264 { preset: settings.x264_preset.clone(), gop, segment: settings.segment_seconds },
        audio_kbps: settings.audio_kbps,
        raw: args.work.join("raw"),
        fps,
        decoder_threads: settings.decoder_threads,
    };
    eprintln!("preparing raw frames for the x264-alone measurement (not timed)");
    plan.prepare_raw_frames()?;

    let mut samples: Vec<Vec<Sample>> = vec![Vec::new(); Contender::ALL.len()];
    for run in 0..args.runs {
        for (i, c) in Contender::ALL.into_iter().enumerate() {
            let dir = args.work.join(format!("out-{i}"));
            if dir.exists() {
                std::fs::remove_dir_all(&dir)?;
            }
            // Logs next to, not inside, the output: dangxiao-transcode wants
            // an empty directory.
            let hls = dir.join("hls");
            std::fs::create_dir_all(&hls)?;
            let sample = run_contender(&dir, &plan.commands(c, &hls))?;
            if c.makes_ladder() {
                check_outputs(&hls, &plan.rungs)?;
            }
            eprintln!(
                "run {}/{}: {:<60} wall {:6.2} s  cpu {:6.2} s  rss {:5} MiB",
                run + 1,
                args.runs,
                c.name(),
                sample.wall,
                sample.cpu,
                sample.rss_kib / 1024
            );
            samples[i].push(sample);
        }
    }
    // Gigabytes of raw frames: not worth keeping once measured.
    std::fs::remove_dir_all(&plan.raw)?;
    let med: Vec<Sample> = samples.iter().map(|s| median(s)).collect();
    // `ALL` lists the contenders in declaration order.
    let of = |c: Contender| med[c as usize];

    println!(
        "Source: {sw}x{sh} {fps} fps, {:.1} s, with AAC audio; median of {} run(s).",
        info.duration_seconds, args.runs
    );
    println!();
    println!("| transcoder | wall s | CPU s (user+sys) | peak RSS MiB |");
    println!("|---|---:|---:|---:|");
    for (c, s) in Contender::ALL.into_iter().zip(&med) {
        println!("| {} | {:.2} | {:.2} | {} |", c.name(), s.wall, s.cpu, s.rss_kib / 1024);
    }
    println!();
    let (ours, one, per) =
        (of(Contender::Dangxiao), of(Contender::FfmpegOneProcess), of(Contender::FfmpegPerRendition));
    println!("RESULT transcode_wall_vs_ffmpeg_one_process={:.3}", ours.wall / one.wall);
    println!("RESULT transcode_cpu_vs_ffmpeg_per_rendition={:.3}", ours.cpu / per.cpu);
    // A decode-once transcoder has at least the x264 work and one decode to
    // do; on `cores` cores that takes at least their CPU time / cores, and at
    // least x264's own wall time (its encoders already run at once).
    let (x264, decode) = (of(Contender::X264Alone), of(Contender::DecodeAlone));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
    let bound = x264.wall.max((x264.cpu + decode.cpu) / cores);
    println!();
    let verdict = if bound / one.wall > 0.7 {
        "so a wall-time ratio of 0.7 cannot be reached on this machine with these x264 settings"
    } else {
        "so this bound does not rule out a wall-time ratio of 0.7"
    };
    println!(
        "Bound for any decode-once transcoder here: max(x264 alone's wall, (x264 + decoding CPU) / {cores} \
         cores) = {bound:.2} s, {:.3} of (a)'s wall ({verdict}); x264 alone's wall is {:.3} of it.",
        bound / one.wall,
        x264.wall / one.wall
    );
    Ok(())
}

fn median(samples: &[Sample]) -> Sample {
    let pick = |f: fn(&Sample) -> f64| {
        let mut v: Vec<f64> = samples.iter().map(f).collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    Sample { wall: pick(|s| s.wall), cpu: pick(|s| s.cpu), rss_kib: pick(|s| s.rss_kib as f64) as u64 }
}

/// Runs `commands` at the same time, each under `measure`.
fn run_contender(dir: &Path, commands: &[Vec<String>]) -> Result<Sample> {
    let me = std::env::current_exe()?;
    let started = Instant::now();
    let children = commands
        .iter()
        .enumerate()
        .map(|(i, cmd)| {
            let log = dir.join(format!("log-{i}.txt"));
            Command::new(&me)
                .arg("measure")
                .arg(&log)
                .arg("--")
                .args(cmd)
                .stdout(Stdio::piped())
                .spawn()
                .with_context(|| format!("starting {}", cmd.join(" ")))
        })
        .collect::<Result<Vec<_>>>()?;
    let outputs = children.into_iter().map(|c| c.wait_with_output()).collect::<std::io::Result<Vec<_>>>()?;
    let wall = started.elapsed().as_secs_f64();
    let mut sample = Sample { wall, cpu: 0.0, rss_kib: 0 };
    for (i, out) in outputs.iter().enumerate() {
        if !out.status.success() {
            bail!("command {i} failed; see {}", dir.join(format!("log-{i}.txt")).display());
        }
        let line = String::from_utf8_lossy(&out.stdout);
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [user, sys, rss] = fields.as_slice() else { bail!("measure printed {line:?}") };
        sample.cpu += user.parse::<f64>()? + sys.parse::<f64>()?;
        sample.rss_kib += rss.parse::<u64>()?;
    }
    Ok(sample)
}

/// Every contender must leave four playable media playlists behind.
fn check_outputs(dir: &Path, rungs: &[Rung]) -> Result<()> {
    for r in rungs {
        let playlist = dir.join(format!("v{}", r.height)).join("index.m3u8");
        let text = std::fs::read_to_string(&playlist).with_context(|| format!("reading {}", playlist.display()))?;
        if !text.contains("#EXT-X-ENDLIST") {
            bail!("{} is incomplete", playlist.display());
        }
    }
    Ok(())
}

/// The x264 settings dangxiao's `encode.rs` uses, as ffmpeg CLI arguments.
#[derive(Clone)]
struct X264 {
    preset: String,
    gop: u32,
    segment: u32,
}

impl X264 {
    /// Arguments for output video stream `v` (`-c:v:0` etc. are per output).
    fn args(&self, kbps: u32) -> Vec<String> {
        let g = self.gop.to_string();
        // maxrate and bufsize as in ladder.rs: 1.1x the target, 2 s of it.
        let list = [
            "-c:v",
            "libx264",
            "-preset",
            &self.preset,
            "-profile:v",
            "high",
            "-b:v",
            &format!("{kbps}k"),
            "-maxrate",
            &format!("{}k", kbps * 11 / 10),
            "-bufsize",
            &format!("{}k", kbps * 2),
            "-g",
            &g,
            "-keyint_min",
            &g,
            "-sc_threshold",
            "0",
            "-force_key_frames",
            &format!("expr:gte(t,n_forced*{})", self.segment),
            "-forced-idr",
            "1",
        ];
        owned(&list)
    }
}

fn hls_args(dir: &Path, height: u32, segment: u32) -> Vec<String> {
    let rdir = dir.join(format!("v{height}"));
    let _ = std::fs::create_dir_all(&rdir);
    let list = [
        "-f",
        "hls",
        "-hls_time",
        &segment.to_string(),
        "-hls_playlist_type",
        "vod",
        "-hls_list_size",
        "0",
        "-hls_segment_type",
        "fmp4",
        "-hls_flags",
        "independent_segments",
        "-start_number",
        "1",
        "-hls_segment_filename",
        &path(&rdir.join("seg_%05d.m4s")),
        &path(&rdir.join("index.m3u8")),
    ];
    owned(&list)
}

fn audio_args(kbps: u32) -> Vec<String> {
    owned(&["-c:a", "aac", "-b:a", &format!("{kbps}k"), "-ac", "2"])
}

fn ffmpeg_split(src: &str, dir: &Path, rungs: &[Rung], x264: &X264, audio_kbps: u32) -> Vec<String> {
    let n = rungs.len();
    let mut graph = format!("[0:v]split={n}{}", (0..n).map(|i| format!("[s{i}]")).collect::<String>());
    for (i, r) in rungs.iter().enumerate() {
        graph.push_str(&format!(";[s{i}]scale={}:{}[v{i}]", r.width, r.height));
    }
    let mut cmd = owned(&["ffmpeg", "-nostdin", "-y", "-i", src, "-filter_complex", &graph]);
    for (i, r) in rungs.iter().enumerate() {
        cmd.extend(["-map".to_string(), format!("[v{i}]"), "-map".to_string(), "0:a".to_string()]);
        cmd.extend(x264.args(r.kbps));
        cmd.extend(audio_args(audio_kbps));
        cmd.extend(hls_args(dir, r.height, x264.segment));
    }
    cmd
}

fn ffmpeg_one(src: &str, dir: &Path, r: &Rung, x264: &X264, audio_kbps: u32) -> Vec<String> {
    let mut cmd = owned(&["ffmpeg", "-nostdin", "-y", "-i", src, "-map", "0:v", "-map", "0:a", "-vf"]);
    cmd.push(format!("scale={}:{}", r.width, r.height));
    cmd.extend(x264.args(r.kbps));
    cmd.extend(audio_args(audio_kbps));
    cmd.extend(hls_args(dir, r.height, x264.segment));
    cmd
}

/// libx264 with the ladder's settings on raw frames, output discarded.
fn x264_alone(raw: &str, r: &Rung, fps: f64, x264: &X264) -> Vec<String> {
    let (size, rate) = (format!("{}x{}", r.width, r.height), fps.to_string());
    let mut cmd = owned(&[
        "ffmpeg", "-nostdin", "-y", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", &size, "-r", &rate, "-i", raw,
    ]);
    cmd.extend(x264.args(r.kbps));
    cmd.extend(owned(&["-f", "null", "-"]));
    cmd
}

/// Decoding the source's video with dangxiao's decoder threads, and nothing else.
fn decode_alone(src: &str, threads: usize) -> Vec<String> {
    let threads = threads.max(1).to_string();
    owned(&["ffmpeg", "-nostdin", "-y", "-threads", &threads, "-i", src, "-an", "-f", "null", "-"])
}

/// A command line's words as owned strings.
fn owned(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

fn path(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}
