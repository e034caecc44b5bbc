//! The negative cases: every people/org endpoint refuses callers outside
//! the target's subtree (404, so existence is not revealed), members (403)
//! and anonymous callers (401).

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::*;
use crate::on_both_databases;

/// Every people/org endpoint aimed at branch 2 and its people.
async fn endpoints_for_branch_2(app: &TestApp) -> Vec<(Method, String, Option<Value>)> {
    let org = app.org_id(BRANCH_2).await;
    let person = app.person_id("member3").await;
    let own_person = app.person_id("member2").await;
    vec![
        (Method::GET, format!("/api/v1/orgs/{org}"), None),
        (Method::GET, format!("/api/v1/orgs/{org}/people"), None),
        (Method::POST, "/api/v1/orgs".into(), Some(json!({"parent_id": org, "name": "渗透小组", "kind": "group"}))),
        (Method::PATCH, format!("/api/v1/orgs/{org}"), Some(json!({"name": "改名"}))),
        (Method::DELETE, format!("/api/v1/orgs/{org}"), None),
        (
            Method::POST,
            "/api/v1/people".into(),
            Some(json!({"login": "intruder1", "name": "某", "role": "member", "org_id": org})),
        ),
        (Method::GET, format!("/api/v1/people/{person}"), None),
        (Method::PATCH, format!("/api/v1/people/{person}"), Some(json!({"name": "改名"}))),
        (Method::DELETE, format!("/api/v1/people/{person}"), None),
        // Moving one's own member into someone else's branch.
        (Method::PATCH, format!("/api/v1/people/{own_person}"), Some(json!({"org_id": org}))),
    ]
}

async fn send(c: &Client, method: &Method, path: &str, body: &Option<Value>) -> reqwest::Response {
    let mut r = c.request(method.clone(), path);
    if let Some(b) = body {
        r = r.json(b);
    }
    r.send().await.unwrap()
}

on_both_databases! {
    async fn an_organizer_of_branch_1_cannot_reach_branch_2(app) {
        let c = app.login("organizer").await;
        let (orgs_before, people_before) = (app.count("orgs").await, app.count("people").await);
        for (method, path, body) in endpoints_for_branch_2(&app).await {
            let r = send(&c, &method, &path, &body).await;
            let status = r.status();
            assert!(status == StatusCode::NOT_FOUND || status == StatusCode::FORBIDDEN, "{method} {path} gave {status}");
            let body: Value = r.json().await.unwrap();
            assert!(body["code"] == "not_found" || body["code"] == "forbidden", "{method} {path}: {body}");
        }
        assert_eq!((app.count("orgs").await, app.count("people").await), (orgs_before, people_before));
        let r: Value = c.get(&format!("/api/v1/people/{}", app.person_id("member3").await)).await.json().await.unwrap();
        assert_eq!(r["code"], "not_found");
    }

    async fn an_organizer_sees_only_their_subtree(app) {
        let c = app.login("organizer").await;
        let tree: Vec<Value> = c.get("/api/v1/orgs").await.json().await.unwrap();
        let names: Vec<&str> = tree.iter().map(|o| o["name_path"].as_str().unwrap()).collect();
        assert_eq!(names, vec![BRANCH_1, "示范市委党校党委/机关党总支/第一党支部/第一党小组"]);
        // The organizer's own node belongs to the level above: no renaming it.
        let own = app.org_id(BRANCH_1).await;
        expect_error(c.patch(&format!("/api/v1/orgs/{own}"), json!({"name": "改名"})).await, StatusCode::FORBIDDEN, "forbidden").await;
    }

    async fn a_member_gets_403_on_every_organizer_endpoint(app) {
        let c = app.login("member").await;
        let own_org = app.org_id(BRANCH_1).await;
        let peer = app.person_id("member2").await;
        let calls = vec![
            (Method::GET, "/api/v1/orgs".to_string(), None),
            (Method::GET, format!("/api/v1/orgs/{own_org}"), None),
            (Method::GET, format!("/api/v1/orgs/{own_org}/people"), None),
            (Method::POST, "/api/v1/orgs".into(), Some(json!({"parent_id": own_org, "name": "x组", "kind": "group"}))),
            (Method::POST, "/api/v1/people".into(), Some(json!({"login": "sneaky", "name": "某", "role": "member", "org_id": own_org}))),
            (Method::GET, format!("/api/v1/people/{peer}"), None),
            (Method::PATCH, format!("/api/v1/people/{peer}"), Some(json!({"role": "organizer"}))),
            (Method::DELETE, format!("/api/v1/people/{peer}"), None),
        ];
        for (method, path, body) in calls {
            let r = send(&c, &method, &path, &body).await;
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{method} {path}");
        }
        let r = c.upload("/api/v1/people/import", "a.csv", b"name,login,org_path,role\n".to_vec()).await;
        expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    }

    async fn without_a_session_every_endpoint_says_401(app) {
        let c = app.anonymous().await;
        let mut calls = endpoints_for_branch_2(&app).await;
        calls.push((Method::GET, "/api/v1/orgs".into(), None));
        calls.push((Method::GET, "/api/v1/me".into(), None));
        calls.push((Method::PUT, "/api/v1/me/password".into(), Some(json!({"current_password": "a", "new_password": "b"}))));
        for (method, path, body) in calls {
            let r = send(&c, &method, &path, &body).await;
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{method} {path}");
        }
    }

    async fn an_organizer_cannot_make_an_admin_or_change_themselves(app) {
        let c = app.login("organizer").await;
        let org = app.org_id(BRANCH_1).await;
        expect_error(c.post("/api/v1/people", json!({"login": "wannabe", "name": "某", "role": "admin", "org_id": org})).await,
            StatusCode::FORBIDDEN, "forbidden").await;
        let me = app.person_id("organizer").await;
        expect_error(c.patch(&format!("/api/v1/people/{me}"), json!({"role": "admin"})).await, StatusCode::FORBIDDEN, "forbidden").await;
        expect_error(c.delete(&format!("/api/v1/people/{me}")).await, StatusCode::FORBIDDEN, "forbidden").await;
    }

    async fn an_admin_reaches_every_branch(app) {
        let c = app.login("admin").await;
        let tree: Vec<Value> = c.get("/api/v1/orgs").await.json().await.unwrap();
        assert_eq!(tree.len(), 6);
        let r = c.get(&format!("/api/v1/orgs/{}/people", app.org_id(BRANCH_2).await)).await;
        assert_eq!(r.status(), StatusCode::OK);
    }

    async fn a_sibling_whose_id_starts_like_the_organizers_node_stays_out_of_their_subtree(app) {
        // The organizer sits at /1/2/3/. Give the general branch (/1/2/)
        // children until ids in the 30s exist: /1/2/30/ shares the text
        // prefix "/1/2/3" but is not inside /1/2/3/.
        let admin = app.login("admin").await;
        let general = app.org_id("示范市委党校党委/机关党总支").await;
        let mut ids = Vec::new();
        for i in 0..32 {
            let o: Value = admin.post("/api/v1/orgs", json!({"parent_id": general, "name": format!("支部{i}"), "kind": "branch"})).await.json().await.unwrap();
            ids.push(o["id"].as_i64().unwrap());
        }
        assert!(ids.iter().any(|id| (30..40).contains(id)), "{ids:?}");
        let tree: Vec<Value> = app.login("organizer").await.get("/api/v1/orgs").await.json().await.unwrap();
        assert_eq!(tree.len(), 2, "{tree:?}");
    }
}
