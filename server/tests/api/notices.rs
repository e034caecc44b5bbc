//! Notices and 党务公开 (issue 26): an ordinary notice is published at
//! once, told to its readers and read once each; an openness item goes
//! from its author's proposal through a review and an approval from above
//! before anyone reads it; read rates roll up the tree; the unread are
//! reminded; a withdrawn notice says so. Every refusal stores nothing.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::courses::ok;
use crate::helpers::{expect_error, Client, TestApp, BRANCH_1, BRANCH_2};
use crate::on_both_databases;

const GENERAL: &str = "示范市委党校党委/机关党总支";

/// An organizer of 机关党总支 (the node above both branches), logged in.
pub async fn general_organizer(app: &TestApp) -> Client {
    let admin = app.login("admin").await;
    let org = app.org_id(GENERAL).await;
    let created = admin
        .post("/api/v1/people", json!({ "login": "13800000077", "name": "孙总支", "role": "organizer", "org_id": org }))
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let initial = created.json::<Value>().await.unwrap()["initial_password"].as_str().unwrap().to_owned();
    let c = app.login_with("13800000077", &initial).await;
    let r =
        c.put("/api/v1/me/password", json!({ "current_password": initial, "new_password": "zongzhi-secret-1" })).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    app.login_with("13800000077", "zongzhi-secret-1").await
}

fn draft(app_org: i64, extra: Value) -> Value {
    let mut body = json!({ "org_id": app_org, "title": "关于开展主题党日活动的通知",
        "body": "各党小组：\n\n请于本月底前组织学习**党章**。<script>alert(1)</script>" });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

async fn created(r: reqwest::Response) -> Value {
    let status = r.status();
    let body: Value = r.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

on_both_databases! {
    async fn a_must_read_notice_is_told_read_once_each_rolled_up_and_the_unread_reminded(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let branch = app.org_id(BRANCH_1).await;
        let notice = created(o.post("/api/v1/notices", draft(branch, json!({ "must_read": true, "read_by": "2026-12-31" }))).await).await;
        let id = notice["id"].as_i64().unwrap();
        assert_eq!(notice["state"], "published");
        assert!(notice["body_html"].as_str().unwrap().contains("<strong>党章</strong>"));
        assert!(!notice["body_html"].as_str().unwrap().contains("<script"), "the Markdown is sanitized");

        // The member of a group under the branch is told and sees it listed.
        let m = app.login("member").await;
        let listed = ok(m.get("/api/v1/me/notices").await).await;
        assert_eq!((listed[0]["id"].as_i64(), listed[0]["read_at_ms"].is_null()), (Some(id), true), "{listed}");
        let told = ok(m.get("/api/v1/me/notifications").await).await;
        assert!(told.to_string().contains("关于开展主题党日活动的通知"), "{told}");
        // Someone of another branch does not see it anywhere.
        let other = app.login("member3").await;
        assert_eq!(ok(other.get("/api/v1/me/notices").await).await, json!([]));
        expect_error(other.get(&format!("/api/v1/notices/{id}")).await, StatusCode::NOT_FOUND, "not_found").await;
        assert!(!ok(other.get("/api/v1/me/notifications").await).await.to_string().contains("主题党日"));

        // Opening it is the read receipt; the first one counts.
        let first = ok(m.get(&format!("/api/v1/notices/{id}")).await).await["read_at_ms"].as_i64().unwrap();
        let again = ok(m.get(&format!("/api/v1/notices/{id}")).await).await["read_at_ms"].as_i64().unwrap();
        assert_eq!(first, again);
        assert_eq!(app.count("notice_reads").await, 1);

        // The read rate, rolled up: the branch, its group, its own people.
        let reads = ok(o.get(&format!("/api/v1/notices/{id}/reads")).await).await;
        let recipients = reads["total"]["recipients"].as_i64().unwrap();
        assert_eq!(reads["total"]["read"], 1, "{reads}");
        assert!(recipients >= 3, "{reads}");
        assert_eq!((reads["children"][0]["org"]["name"].as_str(), reads["children"][0]["read"].as_i64()), (Some("第一党小组"), Some(1)));
        let group = reads["children"][0]["org"]["id"].as_i64().unwrap();
        let drilled = ok(o.get(&format!("/api/v1/notices/{id}/reads?org={group}")).await).await;
        assert_eq!(drilled["total"]["read"], 1);
        expect_error(m.get(&format!("/api/v1/notices/{id}/reads")).await, StatusCode::FORBIDDEN, "forbidden").await;
        expect_error(app.login("organizer2").await.get(&format!("/api/v1/notices/{id}/reads")).await, StatusCode::NOT_FOUND, "not_found").await;

        // One click reminds everyone who has not read it, once in a while.
        let reminded = ok(o.post(&format!("/api/v1/notices/{id}/remind"), json!({})).await).await;
        assert_eq!(reminded["reminded"].as_i64(), Some(recipients - 1), "{reminded}");
        expect_error(o.post(&format!("/api/v1/notices/{id}/remind"), json!({})).await, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
        expect_error(app.login("organizer2").await.post(&format!("/api/v1/notices/{id}/remind"), json!({})).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(m.post(&format!("/api/v1/notices/{id}/remind"), json!({})).await, StatusCode::FORBIDDEN, "forbidden").await;

        // Withdrawn: its readers see that it was, not its text, not a 404.
        expect_error(o.post(&format!("/api/v1/notices/{id}/withdraw"), json!({ "reason": " " })).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        expect_error(m.post(&format!("/api/v1/notices/{id}/withdraw"), json!({ "reason": "x" })).await, StatusCode::FORBIDDEN, "forbidden").await;
        ok(o.post(&format!("/api/v1/notices/{id}/withdraw"), json!({ "reason": "活动时间调整，另行通知" })).await).await;
        let seen = ok(app.login("member2").await.get(&format!("/api/v1/notices/{id}")).await).await;
        assert_eq!((seen["state"].as_str(), seen["body_html"].as_str()), (Some("withdrawn"), Some("")), "{seen}");
        assert_eq!(seen["reason"], "活动时间调整，另行通知");
        assert_eq!(app.count("notice_reads").await, 1, "a withdrawn notice is not read");
        expect_error(o.post(&format!("/api/v1/notices/{id}/withdraw"), json!({ "reason": "again" })).await, StatusCode::CONFLICT, "conflict").await;
    }

    async fn an_openness_item_is_reviewed_and_approved_from_above_before_anyone_reads_it(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let branch = app.org_id(BRANCH_1).await;
        let item = created(o.post("/api/v1/notices", draft(branch, json!({ "openness": true, "title": "2026年党费收缴情况公示" }))).await).await;
        let id = item["id"].as_i64().unwrap();
        assert_eq!(item["state"], "proposed");
        let m = app.login("member").await;
        expect_error(m.get(&format!("/api/v1/notices/{id}")).await, StatusCode::NOT_FOUND, "not_found").await;
        assert_eq!(ok(m.get("/api/v1/me/notices").await).await, json!([]));
        let decision = format!("/api/v1/notices/{id}/decision");
        // Not its author; not an organizer beside it; not a member.
        expect_error(o.post(&decision, json!({ "accept": true })).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        expect_error(app.login("organizer2").await.post(&decision, json!({ "accept": true })).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(m.post(&decision, json!({ "accept": true })).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(app.anonymous().await.post(&decision, json!({ "accept": true })).await, StatusCode::UNAUTHORIZED, "unauthenticated").await;

        let general = general_organizer(&app).await;
        let reviewed = ok(general.post(&decision, json!({ "accept": true, "note": "保密审查：不涉密" })).await).await;
        assert_eq!(reviewed["state"], "reviewed");
        // The reviewer does not approve too.
        expect_error(general.post(&decision, json!({ "accept": true })).await, StatusCode::CONFLICT, "conflict").await;
        let admin = app.login("admin").await;
        let published = ok(admin.post(&decision, json!({ "accept": true })).await).await;
        assert_eq!(published["state"], "published");
        let steps: Vec<(String, String)> = published["steps"].as_array().unwrap().iter()
            .map(|s| (s["kind"].as_str().unwrap().to_owned(), s["by_name"].as_str().unwrap().to_owned())).collect();
        assert_eq!(steps, [("proposed".into(), "王书记".into()), ("reviewed".into(), "孙总支".into()),
                           ("approved".into(), "系统管理员".into()), ("published".into(), "系统管理员".into())]);
        assert_eq!(published["steps"][1]["note"], "保密审查：不涉密");
        // Nobody decides their own item, even one who may decide others'.
        let top = app.org_id("示范市委党校党委").await;
        let own = created(admin.post("/api/v1/notices", draft(top, json!({ "openness": true }))).await).await;
        expect_error(admin.post(&format!("/api/v1/notices/{}/decision", own["id"]), json!({ "accept": true })).await,
            StatusCode::CONFLICT, "conflict").await;
        // A second approval finds nothing waiting.
        expect_error(admin.post(&decision, json!({ "accept": true })).await, StatusCode::CONFLICT, "conflict").await;
        assert_eq!(ok(m.get(&format!("/api/v1/notices/{id}")).await).await["state"], "published");

        // Sent back with a reason to its author, who may change it and propose it again.
        let other = created(o.post("/api/v1/notices", draft(branch, json!({ "openness": true, "title": "党员发展情况公示" }))).await).await;
        let other = other["id"].as_i64().unwrap();
        let decision = format!("/api/v1/notices/{other}/decision");
        expect_error(general.post(&decision, json!({ "accept": false, "note": "" })).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        let back = ok(general.post(&decision, json!({ "accept": false, "note": "含有个人身份证号，请删去后再提交" })).await).await;
        assert_eq!((back["state"].as_str(), back["reason"].as_str()), (Some("rejected"), Some("含有个人身份证号，请删去后再提交")));
        let mut changed = draft(branch, json!({ "title": "党员发展情况公示（修订）" }));
        changed["body"] = json!("已删去个人信息。");
        expect_error(app.login("organizer2").await.put(&format!("/api/v1/notices/{other}"), changed.clone()).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(general.put(&format!("/api/v1/notices/{other}"), changed.clone()).await, StatusCode::FORBIDDEN, "forbidden").await;
        let again = ok(o.put(&format!("/api/v1/notices/{other}"), changed).await).await;
        assert_eq!((again["state"].as_str(), again["title"].as_str()), (Some("proposed"), Some("党员发展情况公示（修订）")));
        // The organizer's list has both, in their states.
        let listed = ok(o.get("/api/v1/notices").await).await;
        let states: Vec<&str> = listed.as_array().unwrap().iter().map(|n| n["state"].as_str().unwrap()).collect();
        assert_eq!(states, ["proposed", "published"], "the organizer's own nodes only, not the committee's item");
        expect_error(m.get("/api/v1/notices").await, StatusCode::FORBIDDEN, "forbidden").await;
    }

    async fn bad_notices_are_refused_with_a_reason_and_nothing_is_stored(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let branch = app.org_id(BRANCH_1).await;
        for bad in [
            json!({ "title": "  " }),
            json!({ "body": "长".repeat(20_001) }),
            json!({ "read_by": "2026-12-31" }),
            json!({ "must_read": true, "read_by": "下周五" }),
            json!({ "targets": [app.org_id(BRANCH_2).await] }),
            json!({ "targets": [999_999] }),
        ] {
            expect_error(o.post("/api/v1/notices", draft(branch, bad.clone())).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        }
        expect_error(o.post("/api/v1/notices", draft(app.org_id(BRANCH_2).await, json!({}))).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(app.login("member").await.post("/api/v1/notices", draft(branch, json!({}))).await, StatusCode::FORBIDDEN, "forbidden").await;
        expect_error(app.anonymous().await.get("/api/v1/me/notices").await, StatusCode::UNAUTHORIZED, "unauthenticated").await;
        let unknown = o.post("/api/v1/notices", json!({ "org_id": branch, "title": "x", "body": "y", "pinned": true })).await;
        assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!((app.count("notices").await, app.count("notice_steps").await, app.count("notifications").await), (0, 0, 0));
    }
}
