use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::on_both_databases;

on_both_databases! {
    async fn a_member_logs_in_and_sees_who_they_are(app) {
        let c = app.login("member").await;
        let me: Value = c.get("/api/v1/me").await.json().await.unwrap();
        assert_eq!(me["login"], "member");
        assert_eq!(me["role"], "member");
        assert_eq!(me["org_name_path"], "示范市委党校党委/机关党总支/第一党支部/第一党小组");
        assert_eq!(me["csrf_token"].as_str().unwrap().len(), 64);
    }

    async fn the_session_cookie_is_http_only_and_same_site(app) {
        let c = app.anonymous().await;
        let r = c.post("/api/v1/session", json!({"login": "member", "password": PASSWORD})).await;
        let cookies: Vec<String> = r.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
        let session = cookies.iter().find(|c| c.starts_with("dx_session=")).expect("session cookie");
        assert!(session.contains("HttpOnly") && session.contains("SameSite=Lax"), "{session}");
        assert!(!session.contains("Secure"), "no TLS in tests: {session}");
        let csrf = cookies.iter().find(|c| c.starts_with("dx_csrf=")).expect("csrf cookie");
        assert!(!csrf.contains("HttpOnly"), "scripts must read the CSRF cookie: {csrf}");
    }

    async fn a_wrong_password_is_refused_in_the_callers_language(app) {
        let mut c = app.anonymous().await;
        let body = expect_error(c.post("/api/v1/session", json!({"login": "member", "password": "nope-nope"})).await,
            StatusCode::UNAUTHORIZED, "bad_credentials").await;
        assert_eq!(body["message"], "登录名或密码不正确。");
        c.lang = Some("en-US,en;q=0.9");
        let body = expect_error(c.post("/api/v1/session", json!({"login": "member", "password": "nope-nope"})).await,
            StatusCode::UNAUTHORIZED, "bad_credentials").await;
        assert_eq!(body["message"], "Wrong login or password.");
        // An unknown login looks exactly the same.
        expect_error(c.post("/api/v1/session", json!({"login": "nobody", "password": "nope-nope"})).await,
            StatusCode::UNAUTHORIZED, "bad_credentials").await;
    }

    async fn repeated_failures_lock_the_login_for_a_while(app) {
        let c = app.anonymous().await;
        for _ in 0..5 {
            let r = c.post("/api/v1/session", json!({"login": "member", "password": "wrong-guess"})).await;
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        }
        // Even the right password now waits: guessing gains nothing.
        let r = c.post("/api/v1/session", json!({"login": "member", "password": PASSWORD})).await;
        let retry: i64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!(retry > 0 && retry <= 15 * 60);
        expect_error(r, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
        // Other accounts are unaffected.
        app.login("member2").await;
    }

    async fn logging_out_ends_the_session(app) {
        let c = app.login("member").await;
        assert_eq!(c.delete("/api/v1/session").await.status(), StatusCode::NO_CONTENT);
        expect_error(c.get("/api/v1/me").await, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    }

    async fn a_password_change_needs_the_current_password_and_a_strong_new_one(app) {
        let c = app.login("member").await;
        expect_error(c.put("/api/v1/me/password", json!({"current_password": "wrong-one", "new_password": "brand-new-pass"})).await,
            StatusCode::UNAUTHORIZED, "bad_credentials").await;
        expect_error(c.put("/api/v1/me/password", json!({"current_password": PASSWORD, "new_password": "12345678"})).await,
            StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        let r = c.put("/api/v1/me/password", json!({"current_password": PASSWORD, "new_password": "brand-new-pass"})).await;
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
        let fresh = app.anonymous().await;
        let r = fresh.post("/api/v1/session", json!({"login": "member", "password": PASSWORD})).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        app.login_with("member", "brand-new-pass").await;
    }

    async fn a_new_person_must_change_the_initial_password_before_anything_else(app) {
        let org = app.org_id(BRANCH_1).await;
        let organizer = app.login("organizer").await;
        let created: Value = organizer.post("/api/v1/people", json!({"login": "13800000009", "name": "新党员", "role": "member", "org_id": org})).await.json().await.unwrap();
        let initial = created["initial_password"].as_str().unwrap();
        let newcomer = app.login_with("13800000009", initial).await;
        let me: Value = newcomer.get("/api/v1/me").await.json().await.unwrap();
        assert_eq!(me["must_change_password"], true);
        expect_error(newcomer.get("/api/v1/orgs").await, StatusCode::FORBIDDEN, "password_change_required").await;
        let r = newcomer.put("/api/v1/me/password", json!({"current_password": initial, "new_password": "my-own-secret"})).await;
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
        let me: Value = newcomer.get("/api/v1/me").await.json().await.unwrap();
        assert_eq!(me["must_change_password"], false);
    }
}
