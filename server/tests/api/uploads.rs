//! Resumable uploads through the API, on the local store and on a real S3
//! server: parts in any order, resume, exact reassembly, refusals.

use reqwest::StatusCode;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::helpers::{expect_error, Client, Db, TestApp, BRANCH_1, BRANCH_2};
use crate::on_both_databases;

const PART: u64 = 5 << 20;

fn small_parts(s: &mut dangxiao_server::config::Settings) {
    s.upload_part_bytes = PART;
    s.workers = 0;
}

/// Deterministic bytes that do not compress.
pub fn noise(len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len);
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(len);
    out
}

pub async fn start(c: &Client, org: i64, name: &str, size: usize) -> Value {
    let r = c.post("/api/v1/uploads", json!({ "org_id": org, "file_name": name, "size": size })).await;
    assert_eq!(r.status(), StatusCode::CREATED, "{}", r.text().await.unwrap_or_default());
    r.json().await.expect("upload json")
}

pub async fn send_part(c: &Client, upload: &Value, bytes: &[u8], n: u64) -> reqwest::Response {
    let part = upload["part_size"].as_u64().expect("part_size");
    let from = ((n - 1) * part) as usize;
    let to = (n * part).min(bytes.len() as u64) as usize;
    c.put_bytes(&format!("/api/v1/uploads/{}/parts/{n}", upload["id"].as_str().expect("id")), bytes[from..to].to_vec())
        .await
}

/// The whole protocol: start, every part, complete. Returns the media item.
pub async fn upload(c: &Client, org: i64, name: &str, bytes: &[u8]) -> Value {
    let u = start(c, org, name, bytes.len()).await;
    for n in 1..=u["part_count"].as_u64().expect("part_count") {
        let r = send_part(c, &u, bytes, n).await;
        assert_eq!(r.status(), StatusCode::NO_CONTENT, "{}", r.text().await.unwrap_or_default());
    }
    let r = c.post(&format!("/api/v1/uploads/{}/complete", u["id"].as_str().expect("id")), json!({})).await;
    assert_eq!(r.status(), StatusCode::ACCEPTED, "{}", r.text().await.unwrap_or_default());
    r.json().await.expect("media json")
}

async fn stored_sha256(app: &TestApp, upload_id: &str) -> String {
    let key = dangxiao_server::storage::ObjectKey::parse(&format!("sources/{upload_id}")).expect("key");
    let mut object = app.store.get(&key, None).await.expect("assembled object");
    let mut hash = Sha256::new();
    use futures::StreamExt;
    while let Some(chunk) = object.body.next().await {
        hash.update(chunk.expect("chunk"));
    }
    hex::encode(hash.finalize())
}

async fn parts_in_any_order_resume_and_assemble_exactly(app: TestApp) {
    let c = app.login("organizer").await;
    let org = app.org_id(BRANCH_1).await;
    let bytes = noise(2 * PART as usize + 12345);
    let u = start(&c, org, "第一课.mp4", bytes.len()).await;
    let id = u["id"].as_str().expect("id").to_owned();
    assert_eq!((u["part_count"].as_u64(), u["part_size"].as_u64()), (Some(3), Some(PART)));

    for n in [3, 1] {
        assert_eq!(send_part(&c, &u, &bytes, n).await.status(), StatusCode::NO_CONTENT);
    }
    // As after a reload: ask what arrived, send only the rest.
    let status: Value = c.get(&format!("/api/v1/uploads/{id}")).await.json().await.expect("status");
    assert_eq!(status["received_parts"], json!([1, 3]));
    assert_eq!(status["bytes_received"].as_u64(), Some(PART + 12345));
    let open: Value = c.get("/api/v1/uploads").await.json().await.expect("open uploads");
    assert!(open.as_array().expect("list").iter().any(|o| o["id"] == id.as_str()));

    // Sending a part again replaces it.
    assert_eq!(send_part(&c, &u, &bytes, 1).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(send_part(&c, &u, &bytes, 2).await.status(), StatusCode::NO_CONTENT);
    let r = c.post(&format!("/api/v1/uploads/{id}/complete"), json!({})).await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let media: Value = r.json().await.expect("media");
    assert_eq!(media["state"], "queued");
    assert_eq!(media["file_name"], "第一课.mp4");
    assert_eq!(media["size"].as_u64(), Some(bytes.len() as u64));

    assert_eq!(stored_sha256(&app, &id).await, hex::encode(Sha256::digest(&bytes)));
    // Completing again is harmless and returns the same item.
    let again: Value = c.post(&format!("/api/v1/uploads/{id}/complete"), json!({})).await.json().await.expect("again");
    assert_eq!(again["id"], media["id"]);
    assert_eq!(app.count("jobs").await, 1);
}

#[tokio::test]
async fn parts_in_any_order_resume_and_assemble_exactly_on_sqlite_and_local_storage() {
    parts_in_any_order_resume_and_assemble_exactly(TestApp::spawn_with(Db::Sqlite, small_parts).await).await;
}

#[tokio::test]
async fn parts_in_any_order_resume_and_assemble_exactly_on_postgres_and_s3() {
    parts_in_any_order_resume_and_assemble_exactly(TestApp::spawn_s3(Db::Postgres, small_parts).await).await;
}

#[tokio::test]
async fn with_direct_uploads_parts_go_straight_to_s3_through_presigned_urls() {
    let app = TestApp::spawn_s3(Db::Sqlite, |s| {
        small_parts(s);
        s.upload_direct = true;
    })
    .await;
    let c = app.login("organizer").await;
    let bytes = noise(PART as usize + 999);
    let u = start(&c, app.org_id(BRANCH_1).await, "talk.wav", bytes.len()).await;
    assert_eq!(u["direct"], true);
    let id = u["id"].as_str().expect("id");
    let plain = reqwest::Client::new();
    for n in 1..=2u64 {
        let url: Value =
            c.post(&format!("/api/v1/uploads/{id}/parts/{n}/url"), json!({})).await.json().await.expect("url");
        let from = ((n - 1) * PART) as usize;
        let to = (n * PART).min(bytes.len() as u64) as usize;
        let r = plain.put(url["url"].as_str().expect("url")).body(bytes[from..to].to_vec()).send().await.expect("put");
        assert!(r.status().is_success(), "S3 refused the presigned part: {}", r.text().await.unwrap_or_default());
    }
    let status: Value = c.get(&format!("/api/v1/uploads/{id}")).await.json().await.expect("status");
    assert_eq!(status["received_parts"], json!([1, 2]));
    assert_eq!(c.post(&format!("/api/v1/uploads/{id}/complete"), json!({})).await.status(), StatusCode::ACCEPTED);
    assert_eq!(stored_sha256(&app, id).await, hex::encode(Sha256::digest(&bytes)));
}

on_both_databases! {
    async fn a_part_of_the_wrong_length_is_refused_and_not_kept(app) {
        let app = app;
        let c = app.login("organizer").await;
        let u = start(&c, app.org_id(BRANCH_1).await, "a.mp4", 1000).await;
        let id = u["id"].as_str().expect("id");
        let r = c.put_bytes(&format!("/api/v1/uploads/{id}/parts/1"), vec![0; 999]).await;
        let body = expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        assert!(body["message"].as_str().unwrap_or("").contains("1000"), "{body}");
        let r = c.put_bytes(&format!("/api/v1/uploads/{id}/parts/2"), vec![0; 10]).await;
        expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        let status: Value = c.get(&format!("/api/v1/uploads/{id}")).await.json().await.expect("status");
        assert_eq!(status["received_parts"], json!([]));
    }

    async fn completing_with_parts_missing_names_them_and_creates_nothing(app) {
        let app = app;
        let c = app.login("organizer").await;
        let u = start(&c, app.org_id(BRANCH_1).await, "a.mp4", 100).await;
        let r = c.post(&format!("/api/v1/uploads/{}/complete", u["id"].as_str().expect("id")), json!({})).await;
        let body = expect_error(r, StatusCode::CONFLICT, "conflict").await;
        assert!(body["message"].as_str().unwrap_or("").contains('1'), "{body}");
        assert_eq!(app.count("media").await, 0);
        assert_eq!(app.count("jobs").await, 0);
    }

    async fn file_names_with_control_characters_or_over_255_bytes_are_refused_before_any_byte(app) {
        let app = app;
        let c = app.login("organizer").await;
        let org = app.org_id(BRANCH_1).await;
        for name in ["a\u{7}b.mp4".to_owned(), "x\ny.mp4".to_owned(), format!("{}.mp4", "长".repeat(100)), "a".repeat(300)] {
            let r = c.post("/api/v1/uploads", json!({ "org_id": org, "file_name": name, "size": 10 })).await;
            expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        }
        assert_eq!(app.count("uploads").await, 0);
    }

    async fn a_path_in_the_file_name_is_cut_to_its_last_component(app) {
        let app = app;
        let c = app.login("organizer").await;
        let u = start(&c, app.org_id(BRANCH_1).await, "../../etc/讲座.mp4", 10).await;
        assert_eq!(u["file_name"], "讲座.mp4");
    }

    async fn an_upload_over_the_size_limit_is_refused_with_the_limit(app) {
        let app = app;
        let c = app.login("organizer").await;
        let r = c
            .post("/api/v1/uploads", json!({ "org_id": app.org_id(BRANCH_1).await, "file_name": "big.mp4", "size": 9u64 << 30 }))
            .await;
        let body = expect_error(r, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
        assert!(body["message"].as_str().unwrap_or("").contains("8192"), "{body}");
    }

    async fn members_cannot_upload_and_organizers_only_into_their_own_subtree(app) {
        let app = app;
        let b1 = app.org_id(BRANCH_1).await;
        let b2 = app.org_id(BRANCH_2).await;
        let member = app.login("member").await;
        let r = member.post("/api/v1/uploads", json!({ "org_id": b1, "file_name": "a.mp4", "size": 10 })).await;
        assert!(matches!(r.status(), StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{}", r.status());
        let organizer = app.login("organizer").await;
        let r = organizer.post("/api/v1/uploads", json!({ "org_id": b2, "file_name": "a.mp4", "size": 10 })).await;
        expect_error(r, StatusCode::NOT_FOUND, "not_found").await;

        // Someone else's upload is invisible and cannot be written to.
        let other = app.login("organizer2").await;
        let u = start(&other, b2, "b.mp4", 10).await;
        let id = u["id"].as_str().expect("id");
        expect_error(organizer.get(&format!("/api/v1/uploads/{id}")).await, StatusCode::NOT_FOUND, "not_found").await;
        let r = organizer.put_bytes(&format!("/api/v1/uploads/{id}/parts/1"), vec![0; 10]).await;
        expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
        let r = organizer.post(&format!("/api/v1/uploads/{id}/complete"), json!({})).await;
        expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(organizer.delete(&format!("/api/v1/uploads/{id}")).await, StatusCode::NOT_FOUND, "not_found").await;
        let r = member.put_bytes(&format!("/api/v1/uploads/{id}/parts/1"), vec![0; 10]).await;
        assert!(matches!(r.status(), StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{}", r.status());
        // An admin may look.
        assert_eq!(app.login("admin").await.get(&format!("/api/v1/uploads/{id}")).await.status(), StatusCode::OK);
    }

    async fn parts_need_the_csrf_token(app) {
        let app = app;
        let mut c = app.login("organizer").await;
        let u = start(&c, app.org_id(BRANCH_1).await, "a.mp4", 10).await;
        c.csrf = "wrong".into();
        let r = c.put_bytes(&format!("/api/v1/uploads/{}/parts/1", u["id"].as_str().expect("id")), vec![0; 10]).await;
        expect_error(r, StatusCode::FORBIDDEN, "csrf_failed").await;
    }
}

#[tokio::test]
async fn an_abandoned_upload_is_dropped_with_its_parts_after_it_expires() {
    let app = TestApp::spawn_with(Db::Sqlite, small_parts).await;
    let c = app.login("organizer").await;
    let bytes = noise(100);
    let u = start(&c, app.org_id(BRANCH_1).await, "a.mp4", bytes.len()).await;
    let id = u["id"].as_str().expect("id");
    assert_eq!(send_part(&c, &u, &bytes, 1).await.status(), StatusCode::NO_CONTENT);
    let staged = app.data_dir().join("objects/.multipart");
    assert_eq!(std::fs::read_dir(&staged).expect("staging dir").count(), 1);

    let swept = dangxiao_server::services::uploads::expire_abandoned(&app.db, &*app.store).await.expect("sweep");
    assert_eq!(swept, 0, "a fresh upload is kept");
    use sea_orm::ConnectionTrait;
    app.db.execute_unprepared("UPDATE uploads SET expires_at = 1").await.expect("age it");
    let swept = dangxiao_server::services::uploads::expire_abandoned(&app.db, &*app.store).await.expect("sweep");
    assert_eq!(swept, 1);
    assert_eq!(std::fs::read_dir(&staged).expect("staging dir").count(), 0, "parts deleted");
    let r = c.put_bytes(&format!("/api/v1/uploads/{id}/parts/1"), bytes.clone()).await;
    expect_error(r, StatusCode::CONFLICT, "conflict").await;
}

#[tokio::test]
async fn abandoning_an_upload_on_s3_aborts_its_multipart_upload() {
    let app = TestApp::spawn_s3(Db::Sqlite, small_parts).await;
    let c = app.login("organizer").await;
    let bytes = noise(100);
    let u = start(&c, app.org_id(BRANCH_1).await, "a.mp4", bytes.len()).await;
    let id = u["id"].as_str().expect("id");
    assert_eq!(send_part(&c, &u, &bytes, 1).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(c.delete(&format!("/api/v1/uploads/{id}")).await.status(), StatusCode::NO_CONTENT);
    let key = dangxiao_server::storage::ObjectKey::parse(&format!("sources/{id}")).expect("key");
    let multipart: String = {
        use sea_orm::EntityTrait;
        dangxiao_server::db::uploads::Entity::find_by_id(id.to_owned())
            .one(&app.db)
            .await
            .expect("query")
            .and_then(|u| u.multipart_id)
            .expect("multipart id")
    };
    // AWS answers NoSuchUpload; some servers list an aborted upload as empty.
    let parts = app.store.list_parts(&key, &multipart).await.unwrap_or_default();
    assert!(parts.is_empty(), "the S3 multipart upload and its parts are gone: {parts:?}");
}

#[tokio::test]
async fn a_part_whose_connection_breaks_off_is_not_kept_and_can_be_sent_again() {
    let app = TestApp::spawn_with(Db::Sqlite, small_parts).await;
    let c = app.login("organizer").await;
    let bytes = noise(1000);
    let u = start(&c, app.org_id(BRANCH_1).await, "a.mp4", bytes.len()).await;
    let id = u["id"].as_str().expect("id");
    // Half the bytes, then the client's body fails: the connection drops.
    let half = bytes[..500].to_vec();
    let body = futures::stream::iter(vec![
        Ok::<_, std::io::Error>(half),
        Err(std::io::Error::new(std::io::ErrorKind::BrokenPipe, "network gone")),
    ]);
    let sent = c
        .request(reqwest::Method::PUT, &format!("/api/v1/uploads/{id}/parts/1"))
        .header("content-length", "1000")
        .body(reqwest::Body::wrap_stream(body))
        .send()
        .await;
    assert!(sent.map(|r| r.status() != StatusCode::NO_CONTENT).unwrap_or(true), "a broken part is never accepted");
    let status: Value = c.get(&format!("/api/v1/uploads/{id}")).await.json().await.expect("status");
    assert_eq!(status["received_parts"], json!([]));
    assert_eq!(send_part(&c, &u, &bytes, 1).await.status(), StatusCode::NO_CONTENT);
}
