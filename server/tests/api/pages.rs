//! How pages and the site's files may be cached: a signed-in page never
//! (Back after logout on a shared PC), a versioned file for good, an unknown
//! address gets a real not-found page that is not kept either.

use reqwest::header::CACHE_CONTROL;
use reqwest::StatusCode;

use crate::helpers::*;
use crate::on_both_databases;

fn cache_control(r: &reqwest::Response) -> String {
    r.headers().get(CACHE_CONTROL).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

on_both_databases! {
    async fn signed_in_pages_are_never_stored(app) {
        let member = app.login("member").await;
        for page in ["/", "/learning", "/courses"] {
            let r = member.get(page).await;
            assert_eq!(r.status(), StatusCode::OK, "{page}");
            assert_eq!(cache_control(&r), "private, no-store", "{page}");
        }
        let r = member.get("/api/v1/me").await;
        assert_eq!(cache_control(&r), "private, no-store", "the API's answers are a person's data too");
    }

    async fn an_unknown_address_gets_a_not_found_page_with_a_way_back(app) {
        let member = app.login("member").await;
        let r = member.get("/no/such/page").await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert_eq!(cache_control(&r), "no-store");
        assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        let html = r.text().await.unwrap();
        assert!(html.contains("页面不存在"), "{html}");
        assert!(html.contains("href=\"/\""), "a link back home: {html}");
        // Also without a session.
        let r = app.anonymous().await.get("/nothing.js").await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert_eq!(cache_control(&r), "no-store");
    }
}

/// Files under the current version are kept for a year; under another
/// version they are served but revalidated; pages link them versioned.
#[tokio::test]
async fn site_files_are_immutable_under_the_version_of_their_content() {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("pkg")).unwrap();
    std::fs::create_dir_all(site.path().join("vendor")).unwrap();
    std::fs::write(site.path().join("pkg/dangxiao.css"), "body { color: red }").unwrap();
    std::fs::write(site.path().join("vendor/hls.light.min.js"), "var Hls;").unwrap();
    let root = site.path().to_path_buf();
    let app = TestApp::spawn_with(Db::Sqlite, move |s| s.site_root = root).await;
    let version = app.state.site_version.to_string();
    assert_eq!(version.len(), 16, "{version}");
    let c = app.anonymous().await;

    let r = c.get(&format!("/v/{version}/vendor/hls.light.min.js")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(cache_control(&r), "public, max-age=31536000, immutable");
    assert_eq!(r.text().await.unwrap(), "var Hls;");

    let r = c.get("/v/0123456789abcdef/vendor/hls.light.min.js").await;
    assert_eq!(r.status(), StatusCode::OK, "a page of an older build still gets the file");
    assert_eq!(cache_control(&r), "public, no-cache");

    let r = c.get(&format!("/v/{version}/vendor/nothing.js")).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(cache_control(&r), "no-store");
    let r = c.get(&format!("/v/{version}/../Cargo.toml")).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "nothing outside the site");

    let html = c.get("/login").await.text().await.unwrap();
    assert!(html.contains(&format!("href=\"/v/{version}/pkg/dangxiao.css\"")), "{html}");
}
