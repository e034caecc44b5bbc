//! Operator tool: transcode one file the way the worker does, with the
//! default settings, printing progress.
//!
//! ```text
//! dangxiao-transcode INPUT OUTDIR
//! ```
//!
//! OUTDIR is created if missing and must be empty. Exit status: 0 done,
//! 1 refused input (the reason is printed), 2 usage, 3 internal failure.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use dangxiao_media::video::{transcode, VideoSettings};
use dangxiao_media::{Control, MediaError};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, out_dir] = args.as_slice() else {
        eprintln!("usage: dangxiao-transcode INPUT OUTDIR");
        return ExitCode::from(2);
    };
    let (input, out_dir) = (PathBuf::from(input), PathBuf::from(out_dir));
    if let Err(e) = std::fs::create_dir_all(&out_dir) {
        eprintln!("cannot create {}: {e}", out_dir.display());
        return ExitCode::from(3);
    }
    // libav* would otherwise log every segment it opens.
    ffmpeg_next::util::log::set_level(ffmpeg_next::util::log::Level::Warning);

    let control = Control::new();
    let settings = VideoSettings::default();
    let started = Instant::now();
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let reporter = {
        let control = control.clone();
        std::thread::spawn(move || {
            let mut last = None;
            while done_rx.recv_timeout(Duration::from_millis(500)).is_err() {
                let percent = control.percent();
                if last != Some(percent) {
                    eprintln!("{percent:3}%  {:6.1} s", started.elapsed().as_secs_f64());
                    last = Some(percent);
                }
            }
        })
    };
    let result = transcode(&input, &out_dir, &settings, &control);
    let _ = done_tx.send(());
    let _ = reporter.join();

    match result {
        Ok(out) => {
            println!("kind: {}", out.kind.as_str());
            println!("duration: {:.3} s", out.duration_seconds);
            for r in &out.renditions {
                println!("rendition: {}x{} {} kbit/s {}", r.width, r.height, r.bandwidth / 1000, r.playlist.display());
            }
            println!("master: {}", out.master_playlist.display());
            println!("poster: {}", out.poster.display());
            if let Some(t) = &out.thumbnails {
                println!("thumbnails: {}", t.display());
            }
            println!("wall: {:.2} s", started.elapsed().as_secs_f64());
            ExitCode::SUCCESS
        }
        Err(MediaError::Rejected(problem)) => {
            eprintln!("refused ({}): {problem}", problem.code());
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("failed: {e:#}");
            ExitCode::from(3)
        }
    }
}
