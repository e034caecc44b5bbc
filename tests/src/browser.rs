//! Helpers for the browser tests: a headless Chromium per test
//! ([`Browser`]), waiting for a condition (with a screenshot and the page's
//! console errors when it never comes), reading attributes, waiting for
//! hydration, collecting console errors, logging in through the login form.

use std::time::Duration;

use thirtyfour::error::WebDriverErrorInner;
use thirtyfour::prelude::*;

use crate::{chromium, Driver};

/// One test's headless Chromium: its own chromedriver and a throw-away
/// profile, with the page's console errors kept for failure reports.
pub struct Browser {
    pub driver: WebDriver,
    _profile: tempfile::TempDir,
    _chromedriver: Driver,
}

impl Browser {
    pub async fn open() -> anyhow::Result<Browser> {
        let chromedriver = Driver::start()?;
        let profile = tempfile::tempdir()?;
        let driver = chromium(&chromedriver, profile.path()).await?;
        capture_console_errors(&driver).await?;
        Ok(Browser { driver, _profile: profile, _chromedriver: chromedriver })
    }

    /// Ends the session and hands back what the test found. A failed test
    /// leaves `<name>-failure.png` among the screenshots first.
    pub async fn close<T>(self, outcome: anyhow::Result<T>, name: &str) -> anyhow::Result<T> {
        if outcome.is_err() {
            let _ = self.driver.screenshot(&screenshots().join(format!("{name}-failure.png"))).await;
        }
        self.driver.quit().await?;
        outcome
    }
}

/// Screenshots (test artifacts) go here.
pub fn screenshots() -> std::path::PathBuf {
    let dir = crate::workspace_root().join("target/screenshots");
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// The attribute `name` of the element with `id`, if both exist.
pub async fn attr(driver: &WebDriver, id: &str, name: &str) -> WebDriverResult<Option<String>> {
    match driver.find(By::Id(id)).await {
        Ok(e) => e.attr(name).await,
        Err(_) => Ok(None),
    }
}

/// Whether `error` only says the document changed while a check read it:
/// an element from the page before (stale), or, during a navigation,
/// Chromium's "Node with given id does not belong to the document".
fn page_changed_under(error: &WebDriverError) -> bool {
    matches!(error.as_inner(), WebDriverErrorInner::StaleElementReference(_))
        || error.to_string().contains("does not belong to the document")
}

/// The first element `by` finds, waiting for it as [`wait_until`] does. Unlike
/// thirtyfour's `query`, it keeps waiting when a navigation replaces the
/// document mid-call (a form post, a redirect) instead of failing.
pub async fn appear(driver: &WebDriver, by: By) -> WebDriverResult<WebElement> {
    let found = std::cell::RefCell::new(None);
    wait_until(driver, &format!("{by:?}"), || async {
        let first = driver.find_all(by.clone()).await?.into_iter().next();
        let seen = first.is_some();
        *found.borrow_mut() = first;
        Ok(seen)
    })
    .await?;
    match found.into_inner() {
        Some(element) => Ok(element),
        // wait_until only returns once one was found; in doubt, ask again.
        None => driver.find(by).await,
    }
}

/// Polls `check` for up to two minutes; on time-out saves `<what>.png` and
/// panics with the page's text and console errors.
pub async fn wait_until<F, Fut>(driver: &WebDriver, what: &str, mut check: F) -> WebDriverResult<()>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = WebDriverResult<bool>>,
{
    for _ in 0..1200 {
        match check().await {
            Ok(true) => return Ok(()),
            Ok(false) => {}
            // The page re-rendered or replaced what the check was reading
            // (a form's navigation can land between two calls): not yet.
            Err(e) if page_changed_under(&e) => {}
            Err(e) => return Err(e),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    timed_out(driver, what).await
}

/// Saves `timeout-<what>.png` and panics with the page's text and console errors.
async fn timed_out(driver: &WebDriver, what: &str) -> ! {
    let name: String = what.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    let _ = driver.screenshot(&screenshots().join(format!("timeout-{name}.png"))).await;
    let page = match driver.find(By::Tag("main")).await {
        Ok(main) => main.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    };
    let errors = driver
        .execute(
            "return JSON.stringify({errors: window.__dx_errors || [], resources: performance.getEntriesByType('resource').map(e => e.name)});",
            vec![],
        )
        .await
        .map(|v| v.json().to_string())
        .unwrap_or_default();
    panic!("timed out waiting for {what}; console errors: {}\nthe page shows:\n{page}", errors);
}

/// Waits until the page is hydrated and its handlers are live.
pub async fn wait_for_hydration(driver: &WebDriver) -> WebDriverResult<()> {
    wait_until(driver, "hydration", || async {
        let main = driver.find(By::Tag("main")).await?;
        Ok(main.attr("data-hydrated").await?.as_deref() == Some("true"))
    })
    .await
}

/// Waits until the lesson page's player has its stream attached.
pub async fn wait_for_player(driver: &WebDriver) -> WebDriverResult<()> {
    wait_until(driver, "the player", || async {
        Ok(attr(driver, "player", "data-ready").await?.as_deref() == Some("true"))
    })
    .await
}

/// Keeps every page's console errors in `window.__dx_errors`, so a failing
/// test can report them.
pub async fn capture_console_errors(driver: &WebDriver) -> WebDriverResult<()> {
    let devtools = thirtyfour::extensions::cdp::ChromeDevTools::new(driver.handle.clone());
    let capture = "window.__dx_errors = []; const e = console.error.bind(console); \
                   console.error = (...a) => { window.__dx_errors.push(a.map(String).join(' ')); e(...a); }; \
                   window.addEventListener('error', ev => window.__dx_errors.push(String(ev.message))); \
                   window.addEventListener('unhandledrejection', ev => window.__dx_errors.push(String(ev.reason)));";
    devtools
        .execute_cdp_with_params("Page.addScriptToEvaluateOnNewDocument", serde_json::json!({ "source": capture }))
        .await?;
    Ok(())
}

/// Logs in through the login form and lands on `next`.
pub async fn log_in(driver: &WebDriver, base: &str, login: &str, next: &str) -> WebDriverResult<()> {
    driver.goto(format!("{base}/login?next={next}")).await?;
    appear(driver, By::Id("login-form")).await?;
    driver.find(By::Id("login")).await?.send_keys(login).await?;
    driver.find(By::Id("password")).await?.send_keys("dangxiao-demo").await?;
    driver.find(By::Id("login-submit")).await?.click().await?;
    appear(driver, By::Id("logout")).await?;
    Ok(())
}
