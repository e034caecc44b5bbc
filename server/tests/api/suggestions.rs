//! Suggestions (合理化建议, issue 26): a member writes to their own node or
//! one above, openly or anonymously towards the readers; the organizers of
//! the node (and above) read and reply; the sender sees the reply and the
//! state; counts and reply times per subtree; only admins can look up an
//! anonymous sender. Every refusal stores nothing.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::courses::{ok, GENERAL};
use crate::helpers::{expect_error, TestApp, BRANCH_1, BRANCH_2};
use crate::notices::general_organizer;
use crate::on_both_databases;

async fn created(r: reqwest::Response) -> Value {
    let status = r.status();
    let body: Value = r.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

fn draft(to: i64, anonymous: bool) -> Value {
    json!({ "to_org_id": to, "title": "建议增加夜间学习时段", "body": "轮班的同志白天难以参加集中学习。", "anonymous": anonymous })
}

on_both_databases! {
    async fn a_suggestion_goes_up_the_tree_anonymously_and_is_answered(app) {
        let app: TestApp = app;
        let m = app.login("member").await;
        let branch = app.org_id(BRANCH_1).await;
        let general = app.org_id(GENERAL).await;
        let names: Vec<String> = ok(m.get("/api/v1/me/suggestion-addressees").await).await.as_array().unwrap()
            .iter().map(|a| a["name"].as_str().unwrap().to_owned()).collect();
        assert_eq!(names, vec!["第一党小组", "第一党支部", "机关党总支", "示范市委党校党委"]);

        // Not to a node beside or below; bad drafts; nothing stored.
        expect_error(m.post("/api/v1/suggestions", draft(app.org_id(BRANCH_2).await, false)).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        let mut bad = draft(branch, false);
        bad["title"] = json!("");
        expect_error(m.post("/api/v1/suggestions", bad).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        let mut bad = draft(branch, false);
        bad["body"] = json!("字".repeat(5001));
        expect_error(m.post("/api/v1/suggestions", bad).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        expect_error(app.anonymous().await.post("/api/v1/suggestions", draft(branch, false)).await, StatusCode::UNAUTHORIZED, "unauthenticated").await;
        assert_eq!(app.count("suggestions").await, 0);

        let anonymous = created(m.post("/api/v1/suggestions", draft(branch, true)).await).await;
        let a = anonymous["id"].as_i64().unwrap();
        assert_eq!((anonymous["state"].as_str(), anonymous["mine"].as_bool()), (Some("received"), Some(true)));
        let open = created(m.post("/api/v1/suggestions", json!({ "to_org_id": general, "title": "关于党费缴纳方式",
            "body": "希望支持线上缴纳。" })).await).await;
        let g = open["id"].as_i64().unwrap();

        // The branch's organizer reads the anonymous one without its sender,
        // and not the one sent above the branch.
        let o = app.login("organizer").await;
        let inbox = ok(o.get("/api/v1/suggestions").await).await;
        assert_eq!(inbox.as_array().unwrap().len(), 1, "{inbox}");
        assert_eq!((inbox[0]["anonymous"].as_bool(), inbox[0]["sender"].is_null()), (Some(true), true));
        assert!(!inbox.to_string().contains("李学习"), "{inbox}");
        expect_error(o.get(&format!("/api/v1/suggestions/{g}")).await, StatusCode::NOT_FOUND, "not_found").await;
        // The 总支's organizer reads both, the open one with its sender.
        let go = general_organizer(&app).await;
        let seen = ok(go.get(&format!("/api/v1/suggestions/{g}")).await).await;
        assert_eq!(seen["sender"]["name"], "李学习");
        assert_eq!(ok(go.get(&format!("/api/v1/suggestions?org={general}&state=received")).await).await.as_array().unwrap().len(), 2);
        assert_eq!(ok(go.get(&format!("/api/v1/suggestions?org={branch}")).await).await.as_array().unwrap().len(), 1);
        // Nobody else: another branch's organizer, another member, anonymous.
        let o2 = app.login("organizer2").await;
        expect_error(o2.get(&format!("/api/v1/suggestions/{a}")).await, StatusCode::NOT_FOUND, "not_found").await;
        assert_eq!(ok(o2.get("/api/v1/suggestions").await).await, json!([]));
        expect_error(o2.get(&format!("/api/v1/suggestions?org={branch}")).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(app.login("member2").await.get(&format!("/api/v1/suggestions/{a}")).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(m.get("/api/v1/suggestions").await, StatusCode::FORBIDDEN, "forbidden").await;
        expect_error(app.anonymous().await.get(&format!("/api/v1/suggestions/{a}")).await, StatusCode::UNAUTHORIZED, "unauthenticated").await;

        // Replies: its readers only, while it is open; the sender sees them.
        let reply = format!("/api/v1/suggestions/{a}/reply");
        expect_error(m.post(&reply, json!({ "text": "自问自答" })).await, StatusCode::FORBIDDEN, "forbidden").await;
        expect_error(o2.post(&reply, json!({ "text": "x" })).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(o.post(&reply, json!({ "text": " " })).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        let replied = ok(o.post(&reply, json!({ "text": "支部将在周四晚增设学习时段。" })).await).await;
        assert_eq!((replied["state"].as_str(), replied["replied_by"].as_str()), (Some("replied"), Some("王书记")));
        let mine = ok(m.get("/api/v1/me/suggestions").await).await;
        let listed = mine.as_array().unwrap().iter().find(|s| s["id"] == a).unwrap().clone();
        assert_eq!((listed["state"].as_str(), listed["reply"].as_str()), (Some("replied"), Some("支部将在周四晚增设学习时段。")));
        expect_error(o2.post(&format!("/api/v1/suggestions/{a}/close"), json!({})).await, StatusCode::NOT_FOUND, "not_found").await;
        assert_eq!(ok(m.post(&format!("/api/v1/suggestions/{a}/close"), json!({})).await).await["state"], "closed");
        expect_error(o.post(&reply, json!({ "text": "补充" })).await, StatusCode::CONFLICT, "conflict").await;

        // Only admins look the anonymous sender up.
        let sender = format!("/api/v1/suggestions/{a}/sender");
        expect_error(o.get(&sender).await, StatusCode::FORBIDDEN, "forbidden").await;
        expect_error(go.get(&sender).await, StatusCode::FORBIDDEN, "forbidden").await;
        expect_error(m.get(&sender).await, StatusCode::FORBIDDEN, "forbidden").await;
        assert_eq!(ok(app.login("admin").await.get(&sender).await).await["login"], "member");

        // Counts and reply times per subtree.
        let stats = ok(go.get(&format!("/api/v1/orgs/{general}/suggestion-stats")).await).await;
        assert_eq!((stats["total"]["received"].as_i64(), stats["total"]["replied"].as_i64(), stats["total"]["closed"].as_i64(), stats["total"]["open"].as_i64()),
            (Some(2), Some(1), Some(1), Some(1)), "{stats}");
        assert!(stats["total"]["median_reply_hours"].as_f64().is_some());
        assert!(stats["total"]["oldest_open_hours"].as_f64().is_some());
        let first = stats["children"].as_array().unwrap().iter().find(|c| c["org"]["id"] == branch).unwrap().clone();
        assert_eq!((first["received"].as_i64(), first["has_children"].as_bool()), (Some(1), Some(true)));
        expect_error(o.get(&format!("/api/v1/orgs/{general}/suggestion-stats")).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(m.get(&format!("/api/v1/orgs/{branch}/suggestion-stats")).await, StatusCode::FORBIDDEN, "forbidden").await;
        assert_eq!(ok(o.get(&format!("/api/v1/orgs/{branch}/suggestion-stats")).await).await["total"]["received"], 1);
    }
}
