//! Files in party classes (issue 25): enrolling from a table of logins, and
//! an essay handed in as a Word or text document. Each refusal stores
//! nothing (no enrolment, no essay, no object left in the store) and
//! reveals nobody outside the caller's part of the tree.

use std::io::{Cursor, Write};

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::courses::ok;
use crate::helpers::{expect_error, Client, TestApp, BRANCH_1};
use crate::on_both_databases;

async fn class(app: &TestApp, o: &Client, min_chars: u32) -> (i64, i64) {
    let body = json!({ "org_id": app.org_id(BRANCH_1).await, "name": "2026年第二期入党积极分子培训班",
        "term_from": "2026-09-01", "term_to": "2026-12-31", "teachers": [app.person_id("organizer").await],
        "min_essay_chars": min_chars });
    let r = o.post("/api/v1/classes", body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let class = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let r =
        o.post(&format!("/api/v1/classes/{class}/essays"), json!({ "title": "心得体会", "kind": "reflection" })).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let task = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    (class, task)
}

/// A Word file with these paragraphs, as Word writes the body.
fn docx(paragraphs: &[&str]) -> Vec<u8> {
    let body: String = paragraphs.iter().map(|p| format!("<w:p><w:r><w:t>{p}</w:t></w:r></w:p>")).collect();
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document \
         xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let mut out = Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    zip.start_file("[Content_Types].xml", zip::write::SimpleFileOptions::default()).unwrap();
    zip.write_all(b"<Types/>").unwrap();
    zip.start_file("word/document.xml", zip::write::SimpleFileOptions::default()).unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap();
    out.into_inner()
}

async fn essay_objects(app: &TestApp) -> usize {
    app.store.list("essays/").await.expect("list").len()
}

on_both_databases! {
    async fn a_table_of_logins_enrols_all_or_none_naming_each_bad_row(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (class, _) = class(&app, &o, 10).await;
        let url = format!("/api/v1/classes/{class}/students/import");
        // member2 is a full member; member3 is in another branch the
        // organizer cannot see; nobody is "ghost".
        let body = expect_error(o.upload(&url, "学员.csv", "姓名,登录名\n赵进步,activist\n张红,member2\n,\n某人,ghost\n刘青,member3\n".as_bytes().to_vec()).await,
            StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        let message = body["message"].as_str().unwrap();
        assert!(message.contains("第 5 行") && message.contains("ghost") && message.contains("第 6 行"), "{message}");
        assert!(!message.contains("刘青"), "someone outside the caller's view is not named: {message}");
        assert_eq!(app.count("class_students").await, 0);
        let body = expect_error(o.upload(&url, "学员.csv", "登录名\nactivist\nmember2\n".as_bytes().to_vec()).await,
            StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        assert!(body["message"].as_str().unwrap().contains("张红"), "{body}");
        assert_eq!(app.count("class_students").await, 0);
        expect_error(o.upload(&url, "junk.csv", vec![0, 1, 2, 0, 159]).await, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_file").await;
        expect_error(o.upload(&url, "empty.csv", b"\xef\xbb\xbf\n".to_vec()).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        // A first column of logins with no header will do.
        let view = ok(o.upload(&url, "学员.csv", b"activist\n".to_vec()).await).await;
        assert_eq!(view["students"][0]["name"], "赵进步");
        expect_error(app.login("organizer2").await.upload(&url, "学员.csv", b"activist\n".to_vec()).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(app.login("activist").await.upload(&url, "学员.csv", b"activist\n".to_vec()).await, StatusCode::FORBIDDEN, "forbidden").await;
    }

    async fn an_essay_handed_in_as_a_document_is_read_counted_and_kept_to_download(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (class, task) = class(&app, &o, 20).await;
        let activist = app.person_id("activist").await;
        ok(o.post(&format!("/api/v1/classes/{class}/students"), json!({ "people": [activist] })).await).await;
        let a = app.login("activist").await;
        let url = format!("/api/v1/essay-tasks/{task}/essay/file");

        // Too short, a PDF, an old .doc, too large: refused, nothing kept.
        let body = expect_error(a.upload(&url, "短.docx", docx(&["太短了"])).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        assert!(body["message"].as_str().unwrap().contains('3'), "{body}");
        let body = expect_error(a.upload(&url, "心得.pdf", b"%PDF-1.7\n...".to_vec()).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        assert!(body["message"].as_str().unwrap().contains("PDF"), "{body}");
        expect_error(a.upload(&url, "心得.doc", vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        expect_error(a.upload(&url, "大.txt", vec![b'a'; 10 * 1024 * 1024 + 1]).await, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
        assert_eq!((app.count("class_essays").await, essay_objects(&app).await), (0, 0));
        // Someone not in the class: as if the task did not exist.
        expect_error(app.login("member").await.upload(&url, "心得.docx", docx(&["入党积极分子培训使我对党的性质有了更深的认识。"])).await,
            StatusCode::NOT_FOUND, "not_found").await;

        let paragraphs = ["入党积极分子培训使我对党的性质有了更深的认识。", "我将以党员标准严格要求自己。"];
        let document = docx(&paragraphs);
        let view = ok(a.upload(&url, "C:\\我的文档\\学习心得.docx", document.clone()).await).await;
        let essay = &view["essays"][0];
        assert_eq!(essay["text"], paragraphs.join("\n"));
        assert_eq!(essay["chars"], 37, "{essay}");
        assert_eq!(essay["file_name"], "学习心得.docx");
        let file_url = essay["file_url"].as_str().unwrap().to_owned();
        let r = a.get(&file_url).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert!(r.headers()["content-disposition"].to_str().unwrap().contains("attachment"));
        assert_eq!(r.bytes().await.unwrap().to_vec(), document);
        assert_eq!(o.get(&file_url).await.status(), StatusCode::OK);
        expect_error(app.login("organizer2").await.get(&file_url).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(app.login("member").await.get(&file_url).await, StatusCode::NOT_FOUND, "not_found").await;

        // Handing in again replaces the document; typed text drops it.
        let (gb, _, _) = encoding_rs::GB18030.encode("通过培训，我更加坚定了共产主义远大理想和中国特色社会主义共同理想。");
        let view = ok(a.upload(&url, "思想汇报.txt", gb.to_vec()).await).await;
        assert_eq!(view["essays"][0]["file_name"], "思想汇报.txt");
        assert_eq!(essay_objects(&app).await, 1, "the replaced document is deleted");
        let view = ok(a.put(&format!("/api/v1/essay-tasks/{task}/essay"), json!({ "text": "学习党章，坚定理想信念，努力向党组织靠拢。" })).await).await;
        assert!(view["essays"][0]["file_url"].is_null());

        // Once accepted it cannot change, by document either.
        ok(a.upload(&url, "学习心得.docx", document.clone()).await).await;
        ok(o.put(&format!("/api/v1/essay-tasks/{task}/essays/{activist}/review"), json!({ "accept": true })).await).await;
        let objects = essay_objects(&app).await;
        expect_error(a.upload(&url, "学习心得.docx", document).await, StatusCode::CONFLICT, "conflict").await;
        assert_eq!(essay_objects(&app).await, objects);
    }
}
