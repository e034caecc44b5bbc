//! Managing uploaded material through the API: who sees and changes what,
//! cancel, retry and delete (with workers off, so items stay queued).

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{expect_error, TestApp, BRANCH_1, BRANCH_2};
use crate::on_both_databases;
use crate::uploads::upload;

on_both_databases! {
    async fn organizers_see_only_material_of_their_subtree_and_members_none(app) {
        let app: TestApp = app;
        let o1 = app.login("organizer").await;
        let o2 = app.login("organizer2").await;
        let m1 = upload(&o1, app.org_id(BRANCH_1).await, "一.mp4", b"hello").await;
        let m2 = upload(&o2, app.org_id(BRANCH_2).await, "二.mp4", b"hello").await;

        let list: Value = o1.get("/api/v1/media").await.json().await.expect("list");
        let ids: Vec<i64> = list.as_array().expect("array").iter().filter_map(|m| m["id"].as_i64()).collect();
        assert_eq!(ids, vec![m1["id"].as_i64().expect("id")]);
        let all: Value = app.login("admin").await.get("/api/v1/media").await.json().await.expect("list");
        assert_eq!(all.as_array().expect("array").len(), 2);
        let r = o1.get(&format!("/api/v1/media?org_id={}", app.org_id(BRANCH_2).await)).await;
        expect_error(r, StatusCode::NOT_FOUND, "not_found").await;

        let other = m2["id"].as_i64().expect("id");
        for path in [format!("/api/v1/media/{other}"), format!("/api/v1/media/{other}/slides"),
                     format!("/api/v1/media/{other}/files/master.m3u8")] {
            expect_error(o1.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
        }
        for path in [format!("/api/v1/media/{other}/cancel"), format!("/api/v1/media/{other}/retry")] {
            expect_error(o1.post(&path, json!({})).await, StatusCode::NOT_FOUND, "not_found").await;
        }
        expect_error(o1.delete(&format!("/api/v1/media/{other}")).await, StatusCode::NOT_FOUND, "not_found").await;

        let member = app.login("member").await;
        expect_error(member.get("/api/v1/media").await, StatusCode::FORBIDDEN, "forbidden").await;
        let r = member.get(&format!("/api/v1/media/{}", m1["id"])).await;
        expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
        expect_error(app.anonymous().await.get("/api/v1/media").await, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    }

    async fn a_queued_item_can_be_cancelled_retried_and_deleted_with_its_original(app) {
        let app: TestApp = app;
        let c = app.login("organizer").await;
        let m = upload(&c, app.org_id(BRANCH_1).await, "a.mp4", b"bytes").await;
        let id = m["id"].as_i64().expect("id");

        let cancelled: Value = c.post(&format!("/api/v1/media/{id}/cancel"), json!({})).await.json().await.expect("json");
        assert_eq!(cancelled["state"], "cancelled");
        expect_error(c.post(&format!("/api/v1/media/{id}/cancel"), json!({})).await, StatusCode::CONFLICT, "conflict").await;
        let retried: Value = c.post(&format!("/api/v1/media/{id}/retry"), json!({})).await.json().await.expect("json");
        assert_eq!(retried["state"], "queued");
        expect_error(c.post(&format!("/api/v1/media/{id}/retry"), json!({})).await, StatusCode::CONFLICT, "conflict").await;

        assert_eq!(app.store.list("sources/").await.expect("list").len(), 1);
        assert_eq!(c.delete(&format!("/api/v1/media/{id}")).await.status(), StatusCode::NO_CONTENT);
        expect_error(c.get(&format!("/api/v1/media/{id}")).await, StatusCode::NOT_FOUND, "not_found").await;
        assert_eq!(app.count("jobs").await, 0);
        assert!(app.store.list("sources/").await.expect("list").is_empty(), "the original is deleted");
    }
}
