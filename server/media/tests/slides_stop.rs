//! Stopping a slide conversion stops LibreOffice: on cancellation, on
//! timeout and when the conversion future is dropped, every LibreOffice
//! process of the job is gone and the output directory is empty.
//!
//! These tests look at this test process's children in `/proc`, so they live
//! in their own test binary and take turns: a LibreOffice started by another
//! test would be indistinguishable from the one under test.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use courses::media::Problem;
use dangxiao_media::slides::{convert, SlideSettings};
use dangxiao_media::sniff::Format;
use dangxiao_media::{Control, MediaError};
use tempfile::TempDir;

static BUSY: AtomicBool = AtomicBool::new(false);

/// Held by the test whose turn it is.
struct Turn;

impl Drop for Turn {
    fn drop(&mut self) {
        BUSY.store(false, Ordering::SeqCst);
    }
}

async fn my_turn() -> Turn {
    while BUSY.swap(true, Ordering::SeqCst) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Turn
}

fn deck() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/slides/dml-fill.pptx")
}

/// `(pid, parent pid, state, name)` of every process, from `/proc/<pid>/stat`.
fn processes() -> Vec<(u32, u32, char, String)> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        // "pid (name) state ppid ...": the name may hold spaces and parens.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else { continue };
        let mut rest = stat[close + 1..].split_whitespace();
        let state = rest.next().and_then(|s| s.chars().next()).unwrap_or('?');
        let ppid = rest.next().and_then(|s| s.parse().ok()).unwrap_or(0);
        all.push((pid, ppid, state, stat[open + 1..close].to_owned()));
    }
    all
}

/// Live LibreOffice processes descended from this test process.
fn our_libreoffice() -> Vec<u32> {
    let all = processes();
    let mut ours = vec![std::process::id()];
    let mut grew = true;
    while grew {
        grew = false;
        for (pid, ppid, _, _) in &all {
            if ours.contains(ppid) && !ours.contains(pid) {
                ours.push(*pid);
                grew = true;
            }
        }
    }
    all.iter()
        .filter(|(pid, _, state, name)| ours.contains(pid) && *state != 'Z' && name.starts_with("soffice"))
        .map(|(pid, ..)| *pid)
        .collect()
}

/// Waits until `soffice.bin` (the real LibreOffice, forked by the launcher)
/// runs; returns every LibreOffice process seen.
async fn libreoffice_started() -> Vec<u32> {
    let start = Instant::now();
    loop {
        let pids = our_libreoffice();
        let names: Vec<String> = processes().into_iter().filter(|p| pids.contains(&p.0)).map(|p| p.3).collect();
        if names.iter().any(|n| n == "soffice.bin") {
            return pids;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "LibreOffice did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Asserts that none of `pids` runs any more (a killed process may take a
/// moment to be reaped).
async fn assert_gone(pids: &[u32]) {
    let start = Instant::now();
    loop {
        let alive: Vec<u32> = processes()
            .into_iter()
            .filter(|(pid, _, state, _)| pids.contains(pid) && *state != 'Z')
            .map(|(pid, ..)| pid)
            .collect();
        if alive.is_empty() {
            return;
        }
        assert!(start.elapsed() < Duration::from_secs(5), "LibreOffice processes {alive:?} survived");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn assert_empty(dir: &Path) {
    let left: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

#[tokio::test]
async fn cancelling_a_conversion_kills_libreoffice_and_leaves_the_output_directory_empty() {
    let _turn = my_turn().await;
    let out = TempDir::new().unwrap();
    let control = Control::new();
    let job = {
        let (out, control) = (out.path().to_path_buf(), control.clone());
        tokio::spawn(async move { convert(&deck(), Format::Pptx, &out, &SlideSettings::default(), &control).await })
    };

    let running = libreoffice_started().await;
    control.cancel();
    let result = job.await.unwrap();

    assert!(matches!(result, Err(MediaError::Cancelled)), "{result:?}");
    assert_gone(&running).await;
    assert_empty(out.path());
}

#[tokio::test]
async fn a_conversion_past_its_time_limit_is_killed_and_timed_out() {
    let _turn = my_turn().await;
    let out = TempDir::new().unwrap();
    // Far below LibreOffice's own start-up time, so the limit always strikes
    // mid-conversion however fast the machine is.
    let settings = SlideSettings { convert_timeout: Duration::from_millis(400), ..SlideSettings::default() };
    let job = {
        let out = out.path().to_path_buf();
        tokio::spawn(async move { convert(&deck(), Format::Pptx, &out, &settings, &Control::new()).await })
    };

    let mut seen = Vec::new();
    while !job.is_finished() {
        seen.extend(our_libreoffice());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let result = job.await.unwrap();

    assert!(matches!(result, Err(MediaError::Rejected(Problem::TimedOut { .. }))), "{result:?}");
    assert!(!seen.is_empty(), "LibreOffice was started");
    seen.sort_unstable();
    seen.dedup();
    assert_gone(&seen).await;
    assert!(our_libreoffice().is_empty(), "no LibreOffice of ours is left");
    assert_empty(out.path());
}

#[tokio::test]
async fn dropping_a_conversion_kills_libreoffice() {
    let _turn = my_turn().await;
    let out = TempDir::new().unwrap();
    let control = Control::new();
    let (input, settings) = (deck(), SlideSettings::default());
    let conversion = convert(&input, Format::Pptx, out.path(), &settings, &control);
    let watcher = async {
        let running = libreoffice_started().await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        running
    };

    let running = tokio::select! {
        result = conversion => panic!("finished before it could be dropped: {result:?}"),
        running = watcher => running,
    };

    assert_gone(&running).await;
    assert_empty(out.path());
}
