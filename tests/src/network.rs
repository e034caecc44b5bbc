//! A phone on a weak link, in headless Chromium: network emulation through
//! the DevTools protocol, a browser that does not wait for pages to load
//! (so a test can act while one is still arriving), and touch taps.

use serde_json::json;
use thirtyfour::extensions::cdp::ChromeDevTools;
use thirtyfour::prelude::*;

use crate::{chromium_args, Driver};

/// A network as Chromium emulates it: added latency per request, and
/// throughput shared by every request of the page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    /// Short name for result keys, e.g. `1mbps`.
    pub name: &'static str,
    pub latency_ms: u32,
    /// Download and upload throughput in kbit/s; 0: no limit.
    pub kbps: u32,
}

pub const LOOPBACK: Link = Link { name: "loopback", latency_ms: 0, kbps: 0 };
pub const FAST: Link = Link { name: "10mbps", latency_ms: 50, kbps: 10_000 };
pub const SLOW: Link = Link { name: "1mbps", latency_ms: 150, kbps: 1_000 };
pub const WEAK: Link = Link { name: "400kbps", latency_ms: 400, kbps: 400 };

/// Headless Chromium whose WebDriver commands return at once instead of
/// waiting for the page to load (`pageLoadStrategy: none`), `width` ×
/// `height` CSS pixels, with `extra` Chromium flags.
pub async fn chromium_not_waiting(
    driver: &Driver,
    profile: &std::path::Path,
    width: u32,
    height: u32,
    extra: &[&str],
) -> anyhow::Result<WebDriver> {
    use thirtyfour::common::capabilities::desiredcapabilities::PageLoadStrategy;
    use thirtyfour::{ChromiumLikeCapabilities, DesiredCapabilities};
    let mut caps = DesiredCapabilities::chrome();
    caps.set_binary("/usr/bin/chromium")?;
    for arg in chromium_args(profile) {
        if !arg.starts_with("--window-size") {
            caps.add_arg(&arg)?;
        }
    }
    caps.add_arg(&format!("--window-size={width},{height}"))?;
    for arg in extra {
        caps.add_arg(arg)?;
    }
    caps.set_page_load_strategy(PageLoadStrategy::None)?;
    let browser = WebDriver::new(&driver.url, caps).await?;
    // Headless Chromium lays out at least 500 px wide from --window-size;
    // resizing the window afterwards gets a phone's width.
    browser.set_window_rect(0, 0, width, height).await?;
    Ok(browser)
}

/// Applies `link` to the page's requests from now on.
pub async fn emulate(driver: &WebDriver, link: Link) -> anyhow::Result<()> {
    let devtools = ChromeDevTools::new(driver.handle.clone());
    devtools.execute_cdp("Network.enable").await?;
    let throughput = if link.kbps == 0 { -1.0 } else { f64::from(link.kbps) * 1000.0 / 8.0 };
    devtools
        .execute_cdp_with_params(
            "Network.emulateNetworkConditions",
            json!({
                "offline": false,
                "latency": link.latency_ms,
                "downloadThroughput": throughput,
                "uploadThroughput": throughput,
            }),
        )
        .await?;
    Ok(())
}

/// Empties the browser's HTTP cache (the cookies stay: still logged in).
pub async fn clear_cache(driver: &WebDriver) -> anyhow::Result<()> {
    let devtools = ChromeDevTools::new(driver.handle.clone());
    devtools.execute_cdp("Network.enable").await?;
    devtools.execute_cdp("Network.clearBrowserCache").await?;
    Ok(())
}

/// A finger's tap at the centre of `element` (touch events, as a phone
/// sends them; the browser makes the click of them).
pub async fn tap(driver: &WebDriver, element: &WebElement) -> anyhow::Result<()> {
    let centre = driver
        .execute(
            "const r = arguments[0].getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2];",
            vec![element.to_json()?],
        )
        .await?;
    let centre = centre.json();
    let (x, y) = (centre[0].as_f64().unwrap_or(0.0), centre[1].as_f64().unwrap_or(0.0));
    let devtools = ChromeDevTools::new(driver.handle.clone());
    devtools
        .execute_cdp_with_params("Emulation.setTouchEmulationEnabled", json!({ "enabled": true, "maxTouchPoints": 1 }))
        .await?;
    for kind in ["touchStart", "touchEnd"] {
        let points = if kind == "touchEnd" { json!([]) } else { json!([{ "x": x, "y": y }]) };
        devtools
            .execute_cdp_with_params("Input.dispatchTouchEvent", json!({ "type": kind, "touchPoints": points }))
            .await?;
    }
    Ok(())
}
