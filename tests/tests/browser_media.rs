//! In headless Chromium: an organizer uploads on the 教学资料 page, sees
//! the progress bar, pauses, reloads the page, picks the same file again and
//! the upload resumes with only the missing parts; the item is then
//! transcoded and shows as ready. A 1080p lecture shows as playable in 240p
//! while its higher renditions are made.

use std::time::Duration;

use dangxiao_tests::browser::{appear, attr, wait_for_hydration, wait_until, Browser};
use dangxiao_tests::Server;
use thirtyfour::prelude::*;

/// Requests for upload parts this page has made (since it was loaded).
async fn part_requests(driver: &WebDriver) -> WebDriverResult<i64> {
    let v = driver
        .execute(
            "return performance.getEntriesByType('resource').filter(e => e.name.includes('/parts/')).length;",
            vec![],
        )
        .await?;
    Ok(v.json().as_i64().unwrap_or(-1))
}

#[tokio::test]
async fn an_organizer_uploads_pauses_reloads_resumes_and_sees_the_video_processed() -> anyhow::Result<()> {
    let server = Server::start_with(&[("DANGXIAO_UPLOAD_PART_BYTES", "5242880")])?;
    let files = tempfile::tempdir()?;
    // A real video padded to 30 MiB would not be a video; send the lecture
    // itself (one part) and a 30 MiB recording made of noise for resuming.
    let video = dangxiao_tests::workspace_root().join("tests/fixtures/media/video-1s.mp4");
    let big = files.path().join("大文件.bin");
    let mut noise = Vec::with_capacity(30 << 20);
    let mut x: u32 = 12345;
    while noise.len() < 30 << 20 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        noise.extend_from_slice(&x.to_le_bytes());
    }
    std::fs::write(&big, &noise)?;
    // Long enough that its second pass outlasts a few of the list's reloads.
    let lecture = files.path().join("十分钟讲座节选.mp4");
    let made = std::process::Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30"])
        .args(["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "20"])
        .args(["-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest"])
        .arg(&lecture)
        .status()?;
    assert!(made.success(), "ffmpeg made the lecture");

    let browser = Browser::open().await?;
    let driver = &browser.driver;
    let devtools = thirtyfour::extensions::cdp::ChromeDevTools::new(driver.handle.clone());
    let outcome = async {
        driver.goto(format!("{}/login?next=/media", server.base)).await?;
        appear(driver, By::Id("login-form")).await?;
        driver.find(By::Id("login")).await?.send_keys("organizer").await?;
        driver.find(By::Id("password")).await?.send_keys("dangxiao-demo").await?;
        driver.find(By::Id("login-submit")).await?.click().await?;
        appear(driver, By::Id("logout")).await?;
        driver.goto(format!("{}/media", server.base)).await?;
        wait_for_hydration(driver).await?;

        // Start the big upload, pause it part-way, reload. Over loopback
        // 30 MiB would be gone before the pause button is pressed, so the
        // browser's uplink is throttled (to 6 MiB/s) until the pause.
        devtools.execute_cdp("Network.enable").await?;
        let uplink = |bytes_per_second: i64| {
            serde_json::json!({ "offline": false, "latency": 0, "downloadThroughput": -1, "uploadThroughput": bytes_per_second })
        };
        devtools.execute_cdp_with_params("Network.emulateNetworkConditions", uplink(6 << 20)).await?;
        driver.find(By::Id("upload-file")).await?.send_keys(big.to_string_lossy().as_ref()).await?;
        driver.find(By::Id("upload-start")).await?.click().await?;
        wait_until(driver, "some progress", || async {
            let pct = attr(driver, "upload-status", "data-percent").await?;
            Ok(pct.and_then(|p| p.parse::<f64>().ok()).is_some_and(|p| p >= 20.0))
        })
        .await?;
        driver.find(By::Id("upload-pause")).await?.click().await?;
        wait_until(driver, "paused", || async {
            Ok(attr(driver, "upload-status", "data-phase").await?.as_deref() == Some("paused"))
        })
        .await?;
        devtools.execute_cdp_with_params("Network.emulateNetworkConditions", uplink(-1)).await?;
        let shots = dangxiao_tests::workspace_root().join("target/screenshots");
        std::fs::create_dir_all(&shots)?;
        driver.screenshot(&shots.join("media-upload-paused.png")).await?;

        driver.refresh().await?;
        let open = appear(driver, By::Id("open-uploads")).await?;
        assert!(open.text().await?.contains("大文件.bin"), "the unfinished upload is offered after a reload");
        wait_for_hydration(driver).await?;
        driver.find(By::Id("upload-file")).await?.send_keys(big.to_string_lossy().as_ref()).await?;
        if attr(driver, "upload-status", "data-phase").await?.as_deref() != Some("sending") {
            driver.find(By::Id("upload-start")).await?.click().await?;
        }
        wait_until(driver, "the resumed upload to finish", || async {
            Ok(attr(driver, "upload-status", "data-phase").await?.as_deref() == Some("done"))
        })
        .await?;
        let sent_after_reload = part_requests(driver).await?;
        assert!(
            (1..6).contains(&sent_after_reload),
            "after the reload only the missing parts of 6 were sent, not {sent_after_reload}"
        );

        // Then the lecture video, processed by the worker.
        driver.find(By::Id("upload-file")).await?.send_keys(video.to_string_lossy().as_ref()).await?;
        driver.find(By::Id("upload-start")).await?.click().await?;
        wait_until(driver, "the video to be processed", || async {
            let rows = driver.find_all(By::Css("#media-list [data-state='ready']")).await?;
            Ok(!rows.is_empty())
        })
        .await?;
        let list = driver.find(By::Id("media-list")).await?.text().await?;
        assert!(list.contains("video-1s.mp4") && list.contains("大文件.bin"), "{list}");
        // The noise file is refused by the worker with a reason.
        wait_until(driver, "the noise file to fail", || async {
            Ok(!driver.find_all(By::Css("#media-list [data-state='failed']")).await?.is_empty())
        })
        .await?;
        driver.screenshot(&shots.join("media-list.png")).await?;

        // A 1080p lecture plays in 240p first: the list says so, with the
        // progress of the renditions above it, until they are made.
        driver.find(By::Id("upload-file")).await?.send_keys(lecture.to_string_lossy().as_ref()).await?;
        driver.find(By::Id("upload-start")).await?.click().await?;
        let pending = "#media-list [data-state='ready'] [data-ladder='pending']";
        wait_until(driver, "the lecture to play in its lowest rendition", || async {
            Ok(!driver.find_all(By::Css(pending)).await?.is_empty())
        })
        .await?;
        let line = driver.find(By::Css(pending)).await?.text().await?;
        assert!(line.contains("240p") && line.contains("更高清晰度转码中"), "{line}");
        for (width, height, name) in [(360, 780, "media-ladder-pending-360.png"), (1280, 800, "media-ladder-pending.png")] {
            driver.set_window_rect(0, 0, width, height).await?;
            driver.find(By::Css(pending)).await?.scroll_into_view().await?;
            driver.screenshot(&shots.join(name)).await?;
        }
        wait_until(driver, "the lecture's higher renditions", || async {
            Ok(driver.find_all(By::Css("#media-list [data-ladder]")).await?.is_empty())
        })
        .await?;

        driver.set_window_rect(0, 0, 360, 740).await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let overflow = driver
            .execute("return document.documentElement.scrollWidth - document.documentElement.clientWidth;", vec![])
            .await?;
        assert!(overflow.json().as_i64().unwrap_or(1) <= 0, "the page overflows a 360px screen");
        driver.screenshot(&shots.join("media-list-360.png")).await?;
        anyhow::Ok(())
    }
    .await;
    browser.close(outcome, "media").await
}
