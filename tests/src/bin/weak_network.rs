//! weak-network: a member's phone (360 × 780) on four links (loopback,
//! 10 Mbit/s + 50 ms, 1 Mbit/s + 150 ms, 400 kbit/s + 400 ms), in headless
//! Chromium with its network emulation and an empty cache each time:
//!
//! - the lesson page: time from navigation to the first video frame, with
//!   ▶ pressed the moment it shows (an in-page observer presses it, so no
//!   WebDriver round trip sits in the figure), time to interactive (islands
//!   hydrated), requests and bytes;
//! - the home page and /learning: time to interactive, requests, bytes;
//! - a second visit to the lesson page with the cache kept: how many of the
//!   site's files (wasm, scripts, CSS) went to the network again.
//!
//! Prints `RESULT key=value` lines (medians over `--runs`) and one line per
//! resource of the last loopback lesson run. Against a running
//! `dangxiao serve --demo` (`scripts/bench weak-network` starts the release
//! build): as the demo organizer it uploads `--video`, waits for the worker
//! and publishes a course with it.

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::Parser;
use dangxiao_tests::api::Api;
use dangxiao_tests::browser::log_in;
use dangxiao_tests::network::{chromium_not_waiting, clear_cache, emulate, Link, FAST, LOOPBACK, SLOW, WEAK};
use dangxiao_tests::Driver;
use serde_json::{json, Value};
use thirtyfour::extensions::cdp::ChromeDevTools;
use thirtyfour::prelude::*;

#[derive(Parser)]
struct Args {
    #[arg(long)]
    base_url: String,
    /// The demo course's video (a path, or one under tests/fixtures/).
    #[arg(long, default_value = "media/Big_Buck_Bunny_180_10s.webm")]
    video: String,
    /// A second video measured the same way (the lesson page only), e.g. a
    /// 720p lecture with the whole ladder.
    #[arg(long)]
    lecture: Option<String>,
    /// Cold-cache runs per link and page (the median is reported).
    #[arg(long, default_value_t = 3)]
    runs: usize,
}

/// Records, in the page's own clock (ms since navigation start), when the
/// big ▶ shows (and presses it at once), when the video first advances, and
/// when the islands are hydrated.
const PROBE: &str = r#"
(() => {
  const p = window.__dxProbe = {};
  const check = () => {
    const b = document.getElementById('play-start');
    if (b && p.visible === undefined && b.getClientRects().length > 0) {
      p.visible = performance.now();
      b.click();
      const v = document.getElementById('player');
      v.addEventListener('timeupdate', () => {
        if (p.frame === undefined && v.currentTime > 0) p.frame = performance.now();
      });
    }
    const m = document.querySelector('main');
    if (m && m.dataset.hydrated === 'true' && p.hydrated === undefined) p.hydrated = performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
})();
"#;

const ENTRIES: &str =
    "return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))\
                       .map(e => [e.name, e.transferSize, e.decodedBodySize]);";

struct Visit {
    /// Seconds since navigation start.
    first_frame: Option<f64>,
    interactive: f64,
    requests: usize,
    bytes: f64,
    entries: Vec<(String, f64, f64)>,
}

async fn probe(driver: &WebDriver) -> anyhow::Result<Value> {
    Ok(driver.execute("return window.__dxProbe || {};", vec![]).await?.json().clone())
}

/// Opens `path` and waits for hydration (and, for a lesson, the first frame)
/// plus a second for stragglers.
async fn visit(driver: &WebDriver, base: &str, path: &str, lesson: bool) -> anyhow::Result<Visit> {
    driver.goto(format!("{base}{path}")).await?;
    let started = Instant::now();
    let (frame, interactive) = loop {
        if started.elapsed() > Duration::from_secs(120) {
            bail!("{path}: not ready after 120 s: {}", probe(driver).await.unwrap_or_default());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        // The page may be between documents right after the navigation.
        let Ok(p) = probe(driver).await else { continue };
        let hydrated = p["hydrated"].as_f64();
        let frame = p["frame"].as_f64();
        if let Some(h) = hydrated {
            if !lesson || frame.is_some() {
                break (frame, h);
            }
        }
    };
    tokio::time::sleep(Duration::from_secs(1)).await;
    let entries: Vec<(String, f64, f64)> =
        serde_json::from_value(driver.execute(ENTRIES, vec![]).await?.json().clone())?;
    Ok(Visit {
        first_frame: frame.map(|ms| ms / 1000.0),
        interactive: interactive / 1000.0,
        requests: entries.len(),
        bytes: entries.iter().map(|e| e.1).sum(),
        entries,
    })
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// The site's own files (wasm, its JS, CSS, scripts), as opposed to the
/// page, API answers and media.
fn static_file(url: &str) -> bool {
    url.contains("/v/") || url.contains("/pkg/") || url.contains("/vendor/")
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let base = args.base_url.trim_end_matches('/');
    let organizer = Api::login(base, "organizer", "dangxiao-demo").await?;
    let lesson_path = publish(&organizer, &args.video, "弱网测试").await?;
    let lecture_path = match &args.lecture {
        Some(video) => Some(publish(&organizer, video, "弱网测试（720p 讲座）").await?),
        None => None,
    };

    let chromedriver = Driver::start()?;
    let profile = tempfile::tempdir()?;
    // The probe presses ▶ from the page itself, as the member's tap would.
    let driver =
        chromium_not_waiting(&chromedriver, profile.path(), 360, 780, &["--autoplay-policy=no-user-gesture-required"])
            .await?;
    let outcome = async {
        log_in(&driver, base, "member", "/").await?;
        let devtools = ChromeDevTools::new(driver.handle.clone());
        devtools.execute_cdp_with_params("Page.addScriptToEvaluateOnNewDocument", json!({ "source": PROBE })).await?;
        let mut last_lesson = None;
        for link in [LOOPBACK, FAST, SLOW, WEAK] {
            let mut pages: Vec<(&str, &str, bool)> =
                vec![("lesson", &lesson_path, true), ("home", "/", false), ("learning", "/learning", false)];
            if let Some(path) = &lecture_path {
                pages.push(("lecture", path, true));
            }
            for (name, path, is_lesson) in pages {
                let mut runs = Vec::new();
                for _ in 0..args.runs {
                    emulate(&driver, LOOPBACK).await?;
                    driver.goto("about:blank").await?;
                    clear_cache(&driver).await?;
                    emulate(&driver, link).await?;
                    runs.push(visit(&driver, base, path, is_lesson).await?);
                }
                report(link, name, &runs);
                if name == "lesson" && link == LOOPBACK {
                    last_lesson = runs.pop();
                }
            }
        }

        // A second visit, cache kept: the site's files come from the cache.
        emulate(&driver, LOOPBACK).await?;
        driver.goto("about:blank").await?;
        clear_cache(&driver).await?;
        visit(&driver, base, &lesson_path, true).await?;
        driver.goto("about:blank").await?;
        let again = visit(&driver, base, &lesson_path, true).await?;
        let refetched: Vec<&(String, f64, f64)> =
            again.entries.iter().filter(|e| static_file(&e.0) && e.1 > 0.0).collect();
        println!("RESULT second_visit_static_requests={}", refetched.len());
        println!("RESULT second_visit_kb={:.1}", again.bytes / 1024.0);
        for e in refetched {
            println!("refetched transferred_bytes={:.0} {}", e.1, e.0.strip_prefix(base).unwrap_or(&e.0));
        }
        if let Some(v) = last_lesson {
            for (name, transferred, decoded) in &v.entries {
                let path = name.strip_prefix(base).unwrap_or(name);
                println!("resource transferred_bytes={transferred:.0} decoded_bytes={decoded:.0} {path}");
            }
        }
        anyhow::Ok(())
    }
    .await;
    driver.quit().await?;
    outcome
}

/// Uploads `video` (a path, or one under tests/fixtures/), waits for the
/// worker, publishes a course with it as its one lesson; the lesson's path.
async fn publish(organizer: &Api, video: &str, title: &str) -> anyhow::Result<String> {
    let org = organizer.my_org().await?;
    let media = if std::path::Path::new(video).is_file() {
        let bytes = std::fs::read(video).with_context(|| format!("reading {video}"))?;
        let name = std::path::Path::new(video).file_name().and_then(|n| n.to_str()).unwrap_or("lecture.mp4");
        organizer.upload(org, name, &bytes).await?["id"].as_i64().context("media id")?
    } else {
        organizer.upload_fixture(org, video).await?
    };
    organizer.wait_processed(media).await?;
    let lesson = organizer.publish_course(title, &[media]).await?[0];
    Ok(format!("/lessons/{lesson}"))
}

fn report(link: Link, page: &str, runs: &[Visit]) {
    let key = |what: &str| format!("{page}_{what}_{}", link.name);
    if page == "lesson" || page == "lecture" {
        let frames: Vec<f64> = runs.iter().filter_map(|r| r.first_frame).collect();
        let prefix = if page == "lesson" { "first_frame_s".to_owned() } else { format!("{page}_first_frame_s") };
        println!("RESULT {prefix}_{}={:.2}", link.name, median(frames.clone()));
        println!("runs {prefix}_{}={:?}", link.name, frames);
    }
    println!("RESULT {}={:.2}", key("tti_s"), median(runs.iter().map(|r| r.interactive).collect()));
    println!("RESULT {}={:.0}", key("requests"), median(runs.iter().map(|r| r.requests as f64).collect()));
    println!("RESULT {}={:.1}", key("kb"), median(runs.iter().map(|r| r.bytes / 1024.0).collect()));
}
