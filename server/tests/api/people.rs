use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::on_both_databases;

on_both_databases! {
    async fn an_organizer_adds_changes_and_removes_a_member(app) {
        let c = app.login("organizer").await;
        let branch = app.org_id(BRANCH_1).await;
        let group = app.org_id(&format!("{BRANCH_1}/第一党小组")).await;
        let r = c.post("/api/v1/people", json!({"login": "13900000001", "name": "孙新", "role": "member", "standing": "activist", "org_id": branch})).await;
        assert_eq!(r.status(), StatusCode::CREATED);
        let created: Value = r.json().await.unwrap();
        let id = created["person"]["id"].as_i64().unwrap();
        assert_eq!(created["person"]["org_name_path"], BRANCH_1);
        assert_eq!(created["initial_password"].as_str().unwrap().len(), 12);
        assert_eq!(created["person"]["standing"], "activist");
        expect_error(c.post("/api/v1/people", json!({"login": "13900000009", "name": "旧", "role": "activist", "org_id": branch})).await,
            StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;

        let changed: Value = c.patch(&format!("/api/v1/people/{id}"), json!({"role": "member", "org_id": group})).await.json().await.unwrap();
        assert_eq!(changed["role"], "member");
        assert_eq!(changed["org_id"], group);

        let listed: Vec<Value> = c.get(&format!("/api/v1/orgs/{group}/people")).await.json().await.unwrap();
        assert!(listed.iter().any(|p| p["login"] == "13900000001"));

        assert_eq!(c.delete(&format!("/api/v1/people/{id}")).await.status(), StatusCode::NO_CONTENT);
        expect_error(c.get(&format!("/api/v1/people/{id}")).await, StatusCode::NOT_FOUND, "not_found").await;
    }

    async fn a_login_can_only_be_used_once(app) {
        let c = app.login("organizer").await;
        let branch = app.org_id(BRANCH_1).await;
        // Logins are case-insensitive: MEMBER2 is member2.
        let body = expect_error(c.post("/api/v1/people", json!({"login": "MEMBER2", "name": "重复", "role": "member", "org_id": branch})).await,
            StatusCode::CONFLICT, "conflict").await;
        assert!(body["message"].as_str().unwrap().contains("member2"));
    }

    async fn malformed_people_are_rejected_before_anything_is_written(app) {
        let c = app.login("organizer").await;
        let branch = app.org_id(BRANCH_1).await;
        let before = app.count("people").await;
        for body in [
            json!({"login": "a b", "name": "某", "role": "member", "org_id": branch}),
            json!({"login": "valid1", "name": "", "role": "member", "org_id": branch}),
            json!({"login": "valid2", "name": "某", "role": "chairman", "org_id": branch}),
            json!({"login": "valid3", "name": "某", "role": "member"}),
        ] {
            expect_error(c.post("/api/v1/people", body.clone()).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        }
        assert_eq!(app.count("people").await, before);
    }
}
