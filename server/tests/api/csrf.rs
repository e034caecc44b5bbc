use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::*;
use crate::on_both_databases;

on_both_databases! {
    async fn a_change_without_the_csrf_token_is_refused_and_changes_nothing(app) {
        let c = app.login("organizer").await;
        let parent = app.org_id(BRANCH_1).await;
        let before = app.count("orgs").await;
        let r = c.http.post(format!("{}/api/v1/orgs", c.base)).json(&json!({"parent_id": parent, "name": "新小组", "kind": "group"})).send().await.unwrap();
        expect_error(r, StatusCode::FORBIDDEN, "csrf_failed").await;
        assert_eq!(app.count("orgs").await, before);
    }

    async fn a_wrong_csrf_token_is_refused(app) {
        let mut c = app.login("organizer").await;
        let parent = app.org_id(BRANCH_1).await;
        c.csrf = "0".repeat(64);
        expect_error(c.post("/api/v1/orgs", json!({"parent_id": parent, "name": "新小组", "kind": "group"})).await,
            StatusCode::FORBIDDEN, "csrf_failed").await;
        expect_error(c.delete(&format!("/api/v1/people/{}", app.person_id("member2").await)).await,
            StatusCode::FORBIDDEN, "csrf_failed").await;
        assert!(app.person_id("member2").await > 0);
    }

    async fn the_anonymous_token_does_not_work_once_logged_in(app) {
        let mut c = app.anonymous().await;
        let anonymous_token = c.csrf.clone();
        let r = c.post("/api/v1/session", json!({"login": "organizer", "password": PASSWORD})).await;
        assert_eq!(r.status(), StatusCode::OK);
        c.csrf = anonymous_token;
        let parent = app.org_id(BRANCH_1).await;
        expect_error(c.post("/api/v1/orgs", json!({"parent_id": parent, "name": "x组", "kind": "group"})).await,
            StatusCode::FORBIDDEN, "csrf_failed").await;
    }

    async fn logging_in_needs_the_double_submit_token(app) {
        let c = app.anonymous().await;
        let r = c.http.request(Method::POST, format!("{}/api/v1/session", c.base))
            .json(&json!({"login": "member", "password": PASSWORD})).send().await.unwrap();
        expect_error(r, StatusCode::FORBIDDEN, "csrf_failed").await;
    }

    async fn html_forms_check_the_token_too(app) {
        let c = app.anonymous().await;
        let r = c.http.post(format!("{}/login", c.base))
            .form(&[("login", "member"), ("password", PASSWORD), ("csrf_token", "bogus")]).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(r.headers()["location"], "/login?error=csrf_failed");
        assert!(c.cookie("dx_session").is_none());
        let r = c.http.post(format!("{}/login", c.base))
            .form(&[("login", "member"), ("password", PASSWORD), ("csrf_token", c.csrf.as_str()), ("next", "/orgs")]).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(r.headers()["location"], "/orgs");
        assert!(c.cookie("dx_session").is_some());
    }
}
