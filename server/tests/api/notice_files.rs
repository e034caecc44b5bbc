//! Files attached to notices (issue 26): downloaded by whoever may read the
//! notice, changed only while the notice may change (an openness item
//! only before its review), gone for readers once it is withdrawn.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::courses::ok;
use crate::helpers::{expect_error, Client, BRANCH_1};
use crate::notices::general_organizer;
use crate::on_both_databases;

async fn attach(c: &Client, notice: i64, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    c.request(Method::PUT, &format!("/api/v1/notices/{notice}/attachments"))
        .query(&[("name", name)])
        .body(bytes)
        .send()
        .await
        .expect("request")
}

on_both_databases! {
    async fn a_notice_carries_files_for_its_readers_until_it_is_withdrawn(app) {
        let app: crate::helpers::TestApp = app;
        let o = app.login("organizer").await;
        let branch = app.org_id(BRANCH_1).await;
        let notice = o.post("/api/v1/notices", json!({ "org_id": branch, "title": "关于学习材料的通知", "body": "见附件。" })).await;
        assert_eq!(notice.status(), StatusCode::CREATED);
        let id = notice.json::<serde_json::Value>().await.unwrap()["id"].as_i64().unwrap();
        let bytes = crate::uploads::noise(120_000);
        let file = ok(attach(&o, id, "学习材料.docx", bytes.clone()).await).await;
        let url = file["url"].as_str().unwrap().to_owned();
        assert_eq!((file["file_name"].as_str(), file["size_bytes"].as_i64()), (Some("学习材料.docx"), Some(120_000)));

        let m = app.login("member").await;
        let seen = ok(m.get(&format!("/api/v1/notices/{id}")).await).await;
        assert_eq!(seen["attachments"], json!([file]));
        let r = m.get(&url).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert!(r.headers()["content-disposition"].to_str().unwrap().starts_with("attachment;"));
        assert_eq!(r.bytes().await.unwrap().as_ref(), bytes.as_slice());

        // Not for those it is not for; readers do not change it.
        expect_error(app.login("member3").await.get(&url).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(app.anonymous().await.get(&url).await, StatusCode::UNAUTHORIZED, "unauthenticated").await;
        expect_error(attach(&m, id, "x.txt", vec![1, 2, 3]).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(attach(&app.login("organizer2").await, id, "x.txt", vec![1]).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(m.delete(&url).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(attach(&o, id, "", vec![1]).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        assert_eq!(app.count("notice_attachments").await, 1);

        // Withdrawn: readers lose the file; the notice's files are frozen.
        ok(o.post(&format!("/api/v1/notices/{id}/withdraw"), json!({ "reason": "材料有误" })).await).await;
        assert_eq!(ok(m.get(&format!("/api/v1/notices/{id}")).await).await["attachments"], json!([]));
        expect_error(m.get(&url).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(attach(&o, id, "新材料.pdf", vec![1]).await, StatusCode::CONFLICT, "conflict").await;
        expect_error(o.delete(&url).await, StatusCode::CONFLICT, "conflict").await;
    }

    async fn an_openness_items_files_are_what_was_reviewed(app) {
        let app: crate::helpers::TestApp = app;
        let o = app.login("organizer").await;
        let branch = app.org_id(BRANCH_1).await;
        let item = o.post("/api/v1/notices", json!({ "org_id": branch, "title": "党费收缴情况公示", "body": "明细见附件。", "openness": true })).await;
        let id = item.json::<serde_json::Value>().await.unwrap()["id"].as_i64().unwrap();
        let file = ok(attach(&o, id, "明细.xlsx", vec![7; 1000]).await).await;
        let removed = ok(attach(&o, id, "错误版本.xlsx", vec![8; 10]).await).await;
        assert_eq!(o.delete(removed["url"].as_str().unwrap()).await.status(), StatusCode::NO_CONTENT);
        let reviewer = general_organizer(&app).await;
        let seen = ok(reviewer.get(&format!("/api/v1/notices/{id}")).await).await;
        assert_eq!(seen["attachments"], json!([file]), "the reviewer sees the files under review");
        ok(reviewer.post(&format!("/api/v1/notices/{id}/decision"), json!({ "accept": true, "note": "已做保密审查" })).await).await;
        expect_error(attach(&o, id, "补充.xlsx", vec![1]).await, StatusCode::CONFLICT, "conflict").await;
        expect_error(o.delete(file["url"].as_str().unwrap()).await, StatusCode::CONFLICT, "conflict").await;
        assert_eq!(app.count("notice_attachments").await, 1);
    }
}
