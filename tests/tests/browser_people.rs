//! In headless Chromium, against the real server: an organizer adds a person
//! with an e-mail address on the people page (where reminders go when SMTP
//! is configured), is told plainly when an address is malformed, changes
//! the address in the person's edit form, and the API agrees.

use anyhow::Context;
use dangxiao_tests::api::Api;
use dangxiao_tests::browser::{log_in, screenshots, wait_for_hydration, wait_until, Browser};
use dangxiao_tests::Server;
use thirtyfour::prelude::*;

/// Fills the add-person form and submits it.
async fn add(driver: &WebDriver, login: &str, name: &str, email: &str) -> WebDriverResult<()> {
    let form = driver.find(By::Id("add-person-form")).await?;
    for (field, value) in [("login", login), ("name", name), ("email", email)] {
        let input = form.find(By::Css(format!("input[name='{field}']"))).await?;
        input.clear().await?;
        input.send_keys(value).await?;
    }
    form.find(By::Css("button[type='submit']")).await?.click().await
}

/// The e-mail cell of `login`'s row in the people table.
async fn email_cell(driver: &WebDriver, login: &str) -> WebDriverResult<Option<String>> {
    for row in driver.find_all(By::Css("#people-table tbody tr")).await? {
        if row.find(By::Css("td.login")).await?.text().await? == login {
            return Ok(Some(row.find(By::Css("td.email")).await?.text().await?));
        }
    }
    Ok(None)
}

#[tokio::test]
async fn an_organizer_sets_and_changes_a_persons_email_on_the_people_page() -> anyhow::Result<()> {
    let server = Server::start()?;
    let organizer = Api::login(&server.base, "organizer", "dangxiao-demo").await?;
    let org = organizer.my_org().await?;

    let browser = Browser::open().await?;
    let driver = &browser.driver;
    let shots = screenshots();
    let outcome = async {
        log_in(driver, &server.base, "organizer", &format!("/orgs?org={org}")).await?;
        wait_for_hydration(driver).await?;

        // A malformed address: the server's message, nobody added. (The
        // input's own `type=email` check is lifted so the server's is seen.)
        driver.execute("document.querySelector('#add-person-form input[name=email]').type = 'text'", vec![]).await?;
        add(driver, "13500000001", "刘新", "not-an-address").await?;
        wait_until(driver, "the e-mail error", || async {
            Ok(match driver.find_all(By::Css("#people-section .notice.error")).await?.first() {
                Some(e) => e.text().await?.contains("邮箱"),
                None => false,
            })
        })
        .await?;
        assert_eq!(email_cell(driver, "13500000001").await?, None, "nobody is added with a bad address");

        add(driver, "13500000001", "刘新", "liu@example.org").await?;
        wait_until(driver, "the new person in the table", || async {
            Ok(email_cell(driver, "13500000001").await?.as_deref() == Some("liu@example.org"))
        })
        .await?;
        driver.find(By::Id("initial-password")).await?;
        driver.screenshot(&shots.join("people-email.png")).await?;

        // Change it in the row's edit form.
        let row = {
            let mut found = None;
            for row in driver.find_all(By::Css("#people-table tbody tr")).await? {
                if row.find(By::Css("td.login")).await?.text().await? == "13500000001" {
                    found = Some(row);
                }
            }
            found.context("the new person's row")?
        };
        row.find(By::Css("details.row-tools summary")).await?.click().await?;
        let input = row.find(By::Css("details.row-tools input[name='email']")).await?;
        assert_eq!(input.value().await?.as_deref(), Some("liu@example.org"), "the form shows the address");
        input.clear().await?;
        input.send_keys("liu.xin@example.org").await?;
        row.find(By::Css("details.row-tools button[type='submit']")).await?.click().await?;
        wait_until(driver, "the changed address", || async {
            Ok(email_cell(driver, "13500000001").await?.as_deref() == Some("liu.xin@example.org"))
        })
        .await?;
        Ok::<(), anyhow::Error>(())
    }
    .await;
    browser.close(outcome, "people").await?;

    let people = organizer.get(&format!("/api/v1/orgs/{org}/people")).await?;
    let liu = people
        .as_array()
        .context("people")?
        .iter()
        .find(|p| p["login"] == "13500000001")
        .context("the person added in the browser")?;
    assert_eq!(liu["email"], "liu.xin@example.org");
    Ok(())
}

/// The standing cell of `login`'s row in the people table.
async fn standing_cell(driver: &WebDriver, login: &str) -> WebDriverResult<Option<String>> {
    for row in driver.find_all(By::Css("#people-table tbody tr")).await? {
        if row.find(By::Css("td.login")).await?.text().await? == login {
            return Ok(Some(row.find(By::Css("td.standing")).await?.text().await?));
        }
    }
    Ok(None)
}

/// An organizer records that the activist was named a candidate on a day,
/// on a phone: the table shows the new standing, the API the milestone
/// with who recorded it; a day in the future is refused with a reason.
#[tokio::test]
async fn an_organizer_records_a_change_of_standing_on_the_people_page() -> anyhow::Result<()> {
    let server = Server::start()?;
    let organizer = Api::login(&server.base, "organizer", "dangxiao-demo").await?;
    let org = organizer.my_org().await?;
    let activist = Api::login(&server.base, "activist", "dangxiao-demo").await?;
    let me = activist.get("/api/v1/me").await?;
    let id = me["id"].as_i64().context("id")?;

    let browser = Browser::open().await?;
    let driver = &browser.driver;
    let shots = screenshots();
    let outcome = async {
        driver.set_window_rect(0, 0, 360, 780).await?;
        log_in(driver, &server.base, "organizer", &format!("/orgs?org={org}")).await?;
        wait_for_hydration(driver).await?;
        assert_eq!(standing_cell(driver, "activist").await?.as_deref(), Some("入党积极分子"));
        // The person's edit tools, opened afresh (the table reloads after each try).
        let submit = |standing: &'static str, day: String| async move {
            let row = driver.find(By::Css(format!("#people-table tr[data-person-id='{id}']"))).await?;
            let summary = row.find(By::Css("details.row-tools summary")).await?;
            driver.execute("arguments[0].scrollIntoView({ block: 'center' });", vec![summary.to_json()?]).await?;
            if row.find(By::Css("details.row-tools")).await?.attr("open").await?.is_none() {
                summary.click().await?;
            }
            let form = row.find(By::Css("form.milestone-form")).await?;
            form.find(By::Css("select[name='standing']")).await?.send_keys(standing).await?;
            driver
                .execute(
                    "arguments[0].querySelector('input[name=on]').value = arguments[1];",
                    vec![form.to_json()?, serde_json::json!(day)],
                )
                .await?;
            form.find(By::Css("button[type='submit']")).await?.click().await?;
            anyhow::Ok(())
        };
        let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
        submit("发展对象", (today + chrono::Duration::days(3)).format("%Y-%m-%d").to_string()).await?;
        wait_until(driver, "the refusal", || async {
            Ok(match driver.find_all(By::Css("#people-section .notice.error")).await?.first() {
                Some(e) => e.text().await?.contains("不能晚于今天"),
                None => false,
            })
        })
        .await?;
        submit("发展对象", today.format("%Y-%m-%d").to_string()).await?;
        wait_until(driver, "the new standing", || async {
            Ok(standing_cell(driver, "activist").await?.as_deref() == Some("发展对象"))
        })
        .await?;
        let row = driver.find(By::Css(format!("#people-table tr[data-person-id='{id}']"))).await?;
        driver.execute("arguments[0].scrollIntoView({ block: 'start' });", vec![row.to_json()?]).await?;
        driver.screenshot(&shots.join("people-standing-360.png")).await?;
        let view = organizer.get(&format!("/api/v1/people/{id}/milestones")).await?;
        assert_eq!(view["milestones"][0]["recorded_by"], "王书记", "{view}");
        driver.set_window_rect(0, 0, 1280, 800).await?;
        let row = driver.find(By::Css(format!("#people-table tr[data-person-id='{id}']"))).await?;
        driver.execute("arguments[0].scrollIntoView({ block: 'center' });", vec![row.to_json()?]).await?;
        driver.screenshot(&shots.join("people-standing-1280.png")).await?;
        anyhow::Ok(())
    }
    .await;
    browser.close(outcome, "people-standing").await
}
