//! The authorization matrix of every endpoint of notices' files, the
//! discussion and suggestions (issue 26), aimed at what the first branch
//! owns: an organizer of the second branch (foreign ids) and a member of it
//! get 404 or 403, anonymous callers 401, and nothing changes.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::courses::{article_lesson, new_course, ok, publish};
use crate::helpers::{Client, TestApp, BRANCH_1};
use crate::on_both_databases;

/// Every new endpoint, with ids of the first branch's notice, course,
/// lesson, comment and suggestion.
async fn endpoints(app: &TestApp) -> Vec<(Method, String, Option<Value>)> {
    let o = app.login("organizer").await;
    let branch = app.org_id(BRANCH_1).await;
    let notice: Value = o
        .post("/api/v1/notices", json!({ "org_id": branch, "title": "通知", "body": "正文" }))
        .await
        .json()
        .await
        .unwrap();
    let notice = notice["id"].as_i64().unwrap();
    let file = o
        .request(Method::PUT, &format!("/api/v1/notices/{notice}/attachments"))
        .query(&[("name", "a.txt")])
        .body(vec![1, 2, 3])
        .send()
        .await
        .unwrap();
    let file = ok(file).await["id"].as_i64().unwrap();
    let course = new_course(app, &o, BRANCH_1, "学习党章", json!({})).await;
    let lesson = article_lesson(&o, course, "第一章", "正文").await;
    publish(&o, course).await;
    let m = app.login("member").await;
    let comment: Value =
        m.post(&format!("/api/v1/lessons/{lesson}/comments"), json!({ "body": "学习了" })).await.json().await.unwrap();
    let comment = comment["id"].as_i64().unwrap();
    let suggestion: Value = m
        .post("/api/v1/suggestions", json!({ "to_org_id": branch, "title": "建议", "body": "内容" }))
        .await
        .json()
        .await
        .unwrap();
    let suggestion = suggestion["id"].as_i64().unwrap();
    let some = |v: Value| Some(v);
    vec![
        (Method::GET, format!("/api/v1/notices/{notice}/attachments/{file}"), None),
        (Method::DELETE, format!("/api/v1/notices/{notice}/attachments/{file}"), None),
        (Method::GET, format!("/api/v1/lessons/{lesson}/comments"), None),
        (Method::POST, format!("/api/v1/lessons/{lesson}/comments"), some(json!({ "body": "闯入" }))),
        (Method::GET, format!("/api/v1/courses/{course}/comments"), None),
        (Method::POST, format!("/api/v1/courses/{course}/comments"), some(json!({ "body": "闯入" }))),
        (Method::DELETE, format!("/api/v1/comments/{comment}"), None),
        (Method::POST, format!("/api/v1/comments/{comment}/report"), some(json!({ "reason": "广告" }))),
        (
            Method::POST,
            format!("/api/v1/comments/{comment}/moderation"),
            some(json!({ "action": "hide", "reason": "x" })),
        ),
        (Method::GET, format!("/api/v1/comment-queue?course={course}"), None),
        (Method::GET, format!("/api/v1/courses/{course}/discussion"), None),
        (Method::PUT, format!("/api/v1/courses/{course}/discussion"), some(json!({ "review_first": true }))),
        (Method::PUT, "/api/v1/sensitive-words".into(), some(json!({ "words": ["学习"] }))),
        (Method::GET, "/api/v1/sensitive-words".into(), None),
        (Method::GET, format!("/api/v1/suggestions/{suggestion}"), None),
        (Method::GET, format!("/api/v1/suggestions?org={branch}"), None),
        (Method::POST, format!("/api/v1/suggestions/{suggestion}/reply"), some(json!({ "text": "答复" }))),
        (Method::POST, format!("/api/v1/suggestions/{suggestion}/close"), some(json!({}))),
        (Method::GET, format!("/api/v1/suggestions/{suggestion}/sender"), None),
        (Method::POST, "/api/v1/suggestions".into(), some(json!({ "to_org_id": branch, "title": "t", "body": "b" }))),
        (Method::GET, format!("/api/v1/orgs/{branch}/suggestion-stats"), None),
    ]
}

async fn send(c: &Client, method: &Method, path: &str, body: &Option<Value>) -> reqwest::Response {
    let mut r = c.request(method.clone(), path);
    if let Some(b) = body {
        r = r.json(b);
    }
    r.send().await.unwrap()
}

/// What the endpoints could change, counted.
async fn state(app: &TestApp) -> Vec<i64> {
    let mut out = Vec::new();
    for table in
        ["notice_attachments", "comments", "comment_reports", "comment_steps", "sensitive_words", "suggestions"]
    {
        out.push(app.count(table).await);
    }
    for sql in [
        "SELECT COUNT(*) AS n FROM comments WHERE state <> 'published'",
        "SELECT COUNT(*) AS n FROM courses WHERE comments_reviewed",
        "SELECT COUNT(*) AS n FROM suggestions WHERE state <> 'received'",
    ] {
        out.push(app.number(sql).await);
    }
    out
}

on_both_databases! {
    async fn outsiders_reach_nothing_of_the_first_branchs_voice(app) {
        let app: TestApp = app;
        let list = endpoints(&app).await;
        let before = state(&app).await;
        for (who, c) in [("organizer2", app.login("organizer2").await), ("member3", app.login("member3").await)] {
            for (method, path, body) in &list {
                let r = send(&c, method, path, body).await;
                let status = r.status();
                let answer: Value = r.json().await.unwrap_or(Value::Null);
                // Suggesting to a node that is not one's own or above is bad input.
                let expected: &[StatusCode] = if path == "/api/v1/suggestions" {
                    &[StatusCode::UNPROCESSABLE_ENTITY]
                } else {
                    &[StatusCode::NOT_FOUND, StatusCode::FORBIDDEN]
                };
                assert!(expected.contains(&status), "{who}: {method} {path} gave {status}: {answer}");
            }
        }
        let anonymous = app.anonymous().await;
        for (method, path, body) in &list {
            let status = send(&anonymous, method, path, body).await.status();
            assert_eq!(status, StatusCode::UNAUTHORIZED, "anonymous: {method} {path}");
        }
        for path in ["/api/v1/me/suggestions", "/api/v1/me/suggestion-addressees", "/api/v1/comment-queue"] {
            assert_eq!(anonymous.get(path).await.status(), StatusCode::UNAUTHORIZED, "{path}");
        }
        assert_eq!(state(&app).await, before, "nothing changed");
    }

    async fn the_openapi_document_describes_the_new_endpoints(app) {
        let app: TestApp = app;
        let doc: Value = app.anonymous().await.get("/api/v1/openapi.json").await.json().await.expect("doc");
        for path in ["/api/v1/lessons/{id}/comments", "/api/v1/comments/{id}/moderation", "/api/v1/comment-queue",
            "/api/v1/suggestions", "/api/v1/orgs/{id}/suggestion-stats", "/api/v1/notices/{id}/attachments"] {
            assert!(doc["paths"][path].is_object(), "{path} missing");
        }
        // A comment's replies are comments: the schema refers to itself.
        assert!(doc["components"]["schemas"]["CommentView"].is_object());
    }

    async fn members_are_refused_the_organizers_endpoints(app) {
        let app: TestApp = app;
        let list = endpoints(&app).await;
        let before = state(&app).await;
        let member = app.login("member2").await;
        for (method, path, _) in &list {
            let organizers_only = path.contains("/moderation") || path.contains("comment-queue") || path.contains("/discussion")
                || path.contains("sensitive-words") || path.contains("suggestion-stats") || path.ends_with("/sender")
                || path.starts_with("/api/v1/suggestions?") || path.contains("/reply");
            if !organizers_only {
                continue;
            }
            let body = list.iter().find(|(m, p, _)| m == method && p == path).and_then(|(_, _, b)| b.clone());
            let status = send(&member, method, path, &body).await.status();
            assert!(status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND, "member: {method} {path} gave {status}");
        }
        assert_eq!(state(&app).await, before);
    }
}
