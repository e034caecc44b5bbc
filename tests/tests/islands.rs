//! The organizers' pages hand their islands the data they start from in
//! the islands' props, never as resources created inside an island.
//!
//! Why it matters: leptos matches a resource created inside an island with
//! the value the server sent by creation order across the page. The server
//! can render an island inside waiting views more than once per request
//! (each render numbering its resources anew) while the browser hydrates it
//! once, so the browser could read a dropped render's values, find none and
//! fail to hydrate: the course editor did, now and then. Any value the page
//! sends that way shows as a `__RESOLVED_RESOURCES[n] = …` line, so there
//! must be none, however often the page is loaded. Pages load what they
//! render without resources too (a page's resource is written into the page
//! whenever it is created while another thread renders an island), so no
//! page sends any.

use dangxiao_tests::api::Api;
use dangxiao_tests::Server;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn organizer_pages_give_their_islands_data_as_props() -> anyhow::Result<()> {
    let server = Server::start()?;
    let organizer = Api::login(&server.base, "organizer", "dangxiao-demo").await?;
    let org = organizer.my_org().await?;
    let course =
        organizer.post("/api/v1/courses", json!({ "title": "岛屿测试课程", "summary": "", "org_id": org })).await?;
    let course = course["id"].as_i64().expect("course id");
    // Pages whose islands take the org tree, then other pages with islands.
    let with_tree = [
        "/media".to_owned(),
        "/orgs".to_owned(),
        format!("/orgs?org={org}"),
        "/meetings".to_owned(),
        "/assignments".to_owned(),
        format!("/manage/courses/{course}"),
    ];
    let others = ["/", "/learning", "/notifications", "/reports", "/manage/courses", "/exams", "/manage/exams"]
        .map(str::to_owned);
    for page in with_tree.iter().chain(&others) {
        for round in 0..10 {
            let response = organizer.request(Method::GET, page).send().await?;
            assert!(response.status().is_success(), "{page}: {}", response.status());
            let html = response.text().await?;
            assert!(html.contains("<leptos-island"), "{page} has no island");
            assert!(
                !html.contains("__RESOLVED_RESOURCES["),
                "{page} (load {round}) sends resource values for an island"
            );
            // The org tree reaches the island in its props (HTML-escaped JSON).
            assert!(
                others.contains(page) || html.contains("&quot;tree&quot;:{&quot;Ok&quot;:[{&quot;id&quot;:"),
                "{page}: no org tree in the props"
            );
        }
    }
    Ok(())
}
