//! page-weight: what a member's browser downloads to open a video lesson,
//! before pressing play, with an empty cache: the HTML, the CSS, the wasm
//! and its JS glue, hls.js, the API calls and the playlists. Prints
//! `key=value` lines and one line per resource.
//!
//! Against a running `dangxiao serve --demo` (the bench starts the release
//! build): as the demo organizer it uploads a fixture video, waits for the
//! worker, and publishes a course with it; as the demo member it opens the
//! lesson in headless Chromium.

use std::time::Duration;

use clap::Parser;
use dangxiao_tests::api::Api;
use dangxiao_tests::browser::{capture_console_errors, log_in, wait_for_hydration, wait_for_player};
use dangxiao_tests::{chromium, Driver};
use thirtyfour::extensions::cdp::ChromeDevTools;

#[derive(Parser)]
struct Args {
    #[arg(long)]
    base_url: String,
    /// A video under tests/fixtures/.
    #[arg(long, default_value = "media/Big_Buck_Bunny_180_10s.webm")]
    video: String,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let base = args.base_url.trim_end_matches('/');
    let organizer = Api::login(base, "organizer", "dangxiao-demo").await?;
    let org = organizer.my_org().await?;
    let video = organizer.upload_fixture(org, &args.video).await?;
    organizer.wait_processed(video).await?;
    let lesson = organizer.publish_course("页面重量", &[video]).await?[0];

    let chromedriver = Driver::start()?;
    let profile = tempfile::tempdir()?;
    let driver = chromium(&chromedriver, profile.path()).await?;
    capture_console_errors(&driver).await?;
    let outcome = async {
        log_in(&driver, base, "member", "/").await?;
        let devtools = ChromeDevTools::new(driver.handle.clone());
        devtools.execute_cdp("Network.enable").await?;
        devtools.execute_cdp("Network.clearBrowserCache").await?;
        driver.goto(format!("{base}/lessons/{lesson}")).await?;
        wait_for_hydration(&driver).await?;
        wait_for_player(&driver).await?;
        // Let anything the page fetches on its own arrive.
        tokio::time::sleep(Duration::from_secs(2)).await;
        let entries = driver
            .execute(
                "return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))\
                 .map(e => [e.name, e.transferSize, e.decodedBodySize]);",
                vec![],
            )
            .await?;
        let entries: Vec<(String, f64, f64)> = serde_json::from_value(entries.json().clone())?;
        let total: f64 = entries.iter().map(|e| e.1).sum();
        println!("lesson_page_kb={:.1}", total / 1024.0);
        println!("lesson_page_requests={}", entries.len());
        for (name, transferred, decoded) in &entries {
            let path = name.strip_prefix(base).unwrap_or(name);
            println!("resource transferred_bytes={transferred:.0} decoded_bytes={decoded:.0} {path}");
        }
        anyhow::Ok(())
    }
    .await;
    driver.quit().await?;
    outcome
}
