//! Discussion under lessons and courses (issue 26): comments seen exactly
//! by the course's audience, one level of replies, surname-only display;
//! a listed word (in any of its disguises) or 先审后发 holds a comment for
//! the course's organizers; reports join their queue; each moderation step
//! is logged with its reason. Every refusal stores nothing.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::courses::{article_lesson, new_course, ok, publish};
use crate::helpers::{expect_error, Client, TestApp, BRANCH_1};
use crate::on_both_databases;

/// A published course of the first branch with one article lesson.
async fn course_with_lesson(app: &TestApp, o: &Client) -> (i64, i64) {
    let course = new_course(app, o, BRANCH_1, "学习党章", json!({})).await;
    let lesson = article_lesson(o, course, "第一章 党员", "党员是中国工人阶级的有组织觉悟的先锋战士。").await;
    publish(o, course).await;
    (course, lesson)
}

async fn created(r: reqwest::Response) -> Value {
    let status = r.status();
    let body: Value = r.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body
}

async fn comment(c: &Client, lesson: i64, body: Value) -> Value {
    created(c.post(&format!("/api/v1/lessons/{lesson}/comments"), body).await).await
}

fn texts(discussion: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for c in discussion["comments"].as_array().unwrap() {
        out.push(c["body"].as_str().unwrap().to_owned());
        for r in c["replies"].as_array().unwrap() {
            out.push(format!("↳{}", r["body"].as_str().unwrap()));
        }
    }
    out
}

async fn moderate(c: &Client, id: i64, action: &str, reason: &str) -> reqwest::Response {
    c.post(&format!("/api/v1/comments/{id}/moderation"), json!({ "action": action, "reason": reason })).await
}

on_both_databases! {
    async fn the_audience_discusses_a_lesson_with_one_level_of_replies_and_nobody_else_sees_it(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (course, lesson) = course_with_lesson(&app, &o).await;
        let m = app.login("member").await;
        let m2 = app.login("member2").await;
        let first = comment(&m, lesson, json!({ "body": "  学习了，很受启发。<b>好</b>  " })).await;
        let id = first["id"].as_i64().unwrap();
        assert_eq!((first["state"].as_str(), first["body"].as_str()), (Some("published"), Some("学习了，很受启发。<b>好</b>")));
        assert_eq!(first["author"]["name"], "李学习");
        let reply = comment(&m2, lesson, json!({ "body": "同感", "reply_to": id, "surname_only": true })).await;
        // Surname only: the full name stays on the server.
        assert_eq!((reply["author"]["name"].is_null(), reply["author"]["surname"].as_str()), (true, Some("张")), "{reply}");
        assert!(!reply["author"]["branch"].as_str().unwrap().is_empty());
        let seen = ok(m.get(&format!("/api/v1/lessons/{lesson}/comments")).await).await;
        assert_eq!(texts(&seen), vec!["学习了，很受启发。<b>好</b>", "↳同感"]);
        assert!(!seen.to_string().contains("张红"), "a surname-only writer's name is not sent: {seen}");
        assert_eq!(seen["moderator"], false);

        // A comment under the course itself is not one of the lesson's.
        created(m.post(&format!("/api/v1/courses/{course}/comments"), json!({ "body": "课程整体很好" })).await).await;
        assert_eq!(texts(&ok(m.get(&format!("/api/v1/courses/{course}/comments")).await).await), vec!["课程整体很好"]);
        assert_eq!(texts(&ok(m.get(&format!("/api/v1/lessons/{lesson}/comments")).await).await).len(), 2);

        // Refusals store nothing.
        let stored = app.count("comments").await;
        let path = format!("/api/v1/lessons/{lesson}/comments");
        let reply_id = reply["id"].as_i64().unwrap();
        expect_error(m.post(&path, json!({ "body": "回复的回复", "reply_to": reply_id })).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        expect_error(m.post(&path, json!({ "body": "   " })).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        expect_error(m.post(&path, json!({ "body": "长".repeat(1001) })).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        expect_error(m.post(&path, json!({ "body": "x", "reply_to": 999_999 })).await, StatusCode::NOT_FOUND, "not_found").await;
        let other_lesson = article_lesson(&o, course, "第二章", "正文").await;
        expect_error(m.post(&format!("/api/v1/lessons/{other_lesson}/comments"), json!({ "body": "x", "reply_to": id })).await, StatusCode::NOT_FOUND, "not_found").await;
        let outsider = app.login("member3").await;
        expect_error(outsider.post(&path, json!({ "body": "我也来说两句" })).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(outsider.post(&format!("/api/v1/courses/{course}/comments"), json!({ "body": "x" })).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(app.anonymous().await.post(&path, json!({ "body": "x" })).await, StatusCode::UNAUTHORIZED, "unauthenticated").await;
        assert_eq!(app.count("comments").await, stored);

        // Outside the audience nothing is seen: not the list, not a comment
        // through reporting or deleting it, not a notification, not search.
        expect_error(outsider.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(outsider.get(&format!("/api/v1/courses/{course}/comments")).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(outsider.post(&format!("/api/v1/comments/{id}/report"), json!({ "reason": "广告" })).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(outsider.delete(&format!("/api/v1/comments/{id}")).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(app.login("organizer2").await.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(app.anonymous().await.get(&path).await, StatusCode::UNAUTHORIZED, "unauthenticated").await;
        assert!(!ok(outsider.get("/api/v1/me/notifications").await).await.to_string().contains("启发"));
        assert!(crate::courses::search(&outsider, "启发").await.is_empty());
        assert_eq!(app.count("comment_reports").await, 0);

        // Unpublished, the course's discussion closes to its members too.
        ok(o.post(&format!("/api/v1/courses/{course}/unpublish"), json!({})).await).await;
        expect_error(m.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
        assert_eq!(ok(o.get(&path).await).await["moderator"], true, "its organizers still see it");
    }

    async fn a_listed_word_in_any_disguise_waits_for_a_moderator_who_logs_each_step(app) {
        let app: TestApp = app;
        let admin = app.login("admin").await;
        let o = app.login("organizer").await;
        let m = app.login("member").await;
        // Only admins keep the list.
        expect_error(o.put("/api/v1/sensitive-words", json!({ "words": ["赌博"] })).await, StatusCode::FORBIDDEN, "forbidden").await;
        expect_error(m.get("/api/v1/sensitive-words").await, StatusCode::FORBIDDEN, "forbidden").await;
        expect_error(app.anonymous().await.get("/api/v1/sensitive-words").await, StatusCode::UNAUTHORIZED, "unauthenticated").await;
        expect_error(admin.put("/api/v1/sensitive-words", json!({ "words": ["赌博", "长".repeat(41)] })).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        expect_error(admin.put("/api/v1/sensitive-words", json!({ "words": ["？！"] })).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        assert_eq!(app.count("sensitive_words").await, 0);
        let list = ok(admin.put("/api/v1/sensitive-words", json!({ "words": [" 赌博 ", "代开发票", "赌博"] })).await).await;
        assert_eq!(list["words"], json!(["代开发票", "赌博"]));

        let (_, lesson) = course_with_lesson(&app, &o).await;
        let held = comment(&m, lesson, json!({ "body": "周末一起去賭 博吧" })).await;
        let id = held["id"].as_i64().unwrap();
        assert_eq!((held["state"].as_str(), held["held_for"].as_str()), (Some("pending"), Some("listed_word")), "{held}");
        assert_eq!(held["matched"], json!([]), "the writer is not told which word");
        for body in ["代 开 发 票", "ＡＢ代開發票", "赌\u{200b}博"] {
            assert_eq!(comment(&m, lesson, json!({ "body": body })).await["state"], "pending", "{body}");
        }
        assert_eq!(comment(&m, lesson, json!({ "body": "认真学习党章" })).await["state"], "published");
        let path = format!("/api/v1/lessons/{lesson}/comments");
        let m2 = app.login("member2").await;
        assert_eq!(texts(&ok(m2.get(&path).await).await), vec!["认真学习党章"], "others do not see it yet");
        assert_eq!(texts(&ok(m.get(&path).await).await).len(), 5, "its writer does");
        expect_error(m2.post(&format!("/api/v1/comments/{id}/report"), json!({ "reason": "x" })).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(m2.post(&path, json!({ "body": "x", "reply_to": id })).await, StatusCode::NOT_FOUND, "not_found").await;

        // The course's organizers see it, what it matched, and their queue.
        let queue = ok(o.get("/api/v1/comment-queue").await).await;
        assert_eq!(queue.as_array().unwrap().len(), 4, "{queue}");
        assert_eq!((queue[0]["comment"]["matched"].clone(), queue[0]["real_name"].as_str()), (json!(["赌博"]), Some("李学习")));
        assert_eq!(queue[0]["course_title"], "学习党章");
        assert_eq!(ok(app.login("organizer2").await.get("/api/v1/comment-queue").await).await, json!([]));
        expect_error(m.get("/api/v1/comment-queue").await, StatusCode::FORBIDDEN, "forbidden").await;
        // Nobody else moderates: not an organizer beside it, not a member.
        expect_error(moderate(&app.login("organizer2").await, id, "approve", "").await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(moderate(&m, id, "approve", "").await, StatusCode::FORBIDDEN, "forbidden").await;
        expect_error(moderate(&m2, id, "approve", "").await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(app.anonymous().await.post(&format!("/api/v1/comments/{id}/moderation"), json!({ "action": "approve" })).await, StatusCode::UNAUTHORIZED, "unauthenticated").await;
        assert_eq!(app.count("comment_steps").await, 0);

        let approved = ok(moderate(&o, id, "approve", "").await).await;
        assert_eq!((approved["state"].as_str(), approved["held_for"].is_null()), (Some("published"), true));
        expect_error(moderate(&o, id, "approve", "").await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        assert!(texts(&ok(m2.get(&path).await).await).contains(&"周末一起去賭 博吧".to_owned()));

        // Hiding and deleting need a reason, which is logged and shown to the writer.
        expect_error(moderate(&o, id, "hide", " ").await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        let hidden = ok(moderate(&o, id, "hide", "涉及不当内容").await).await;
        assert_eq!(hidden["state"], "hidden");
        assert!(!texts(&ok(m2.get(&path).await).await).contains(&"周末一起去賭 博吧".to_owned()));
        let own = ok(m.get(&path).await).await;
        let mine = own["comments"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap().clone();
        assert_eq!((mine["state"].as_str(), mine["moderation_reason"].as_str()), (Some("hidden"), Some("涉及不当内容")));
        ok(moderate(&o, id, "restore", "").await).await;
        let deleted = ok(moderate(&o, id, "delete", "违反讨论规则").await).await;
        assert_eq!((deleted["state"].as_str(), deleted["body"].as_str()), (Some("deleted"), Some("")));
        assert_eq!(app.number(&format!("SELECT COUNT(*) AS n FROM comments WHERE id = {id} AND body = ''")).await, 1, "the text is gone");
        expect_error(moderate(&o, id, "restore", "").await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        assert_eq!(app.number(&format!("SELECT COUNT(*) AS n FROM comment_steps WHERE comment_id = {id}")).await, 4);
        assert_eq!(app.number(&format!("SELECT COUNT(*) AS n FROM comment_steps WHERE comment_id = {id} AND reason = '违反讨论规则' AND by_name = '王书记'")).await, 1);
    }

    async fn review_first_holds_every_comment_and_reports_join_the_queue(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (course, lesson) = course_with_lesson(&app, &o).await;
        let m = app.login("member").await;
        let m2 = app.login("member2").await;
        let settings = format!("/api/v1/courses/{course}/discussion");
        expect_error(m.put(&settings, json!({ "review_first": true })).await, StatusCode::FORBIDDEN, "forbidden").await;
        expect_error(app.login("organizer2").await.put(&settings, json!({ "review_first": true })).await, StatusCode::NOT_FOUND, "not_found").await;
        assert_eq!(ok(o.get(&settings).await).await["review_first"], false);
        ok(o.put(&settings, json!({ "review_first": true })).await).await;
        let held = comment(&m, lesson, json!({ "body": "请问第二章什么时候上线？" })).await;
        assert_eq!((held["state"].as_str(), held["held_for"].as_str()), (Some("pending"), Some("review_first")));
        assert_eq!(ok(m.get(&format!("/api/v1/lessons/{lesson}/comments")).await).await["review_first"], true);
        ok(o.put(&settings, json!({ "review_first": false })).await).await;
        let open = comment(&m2, lesson, json!({ "body": "加微信领资料" })).await;
        let open_id = open["id"].as_i64().unwrap();
        assert_eq!(open["state"], "published");

        // Reports: with a reason, once per person, never one's own.
        let report = format!("/api/v1/comments/{open_id}/report");
        expect_error(m.post(&report, json!({ "reason": "" })).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        expect_error(m2.post(&report, json!({ "reason": "自己举报自己" })).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        assert_eq!(m.post(&report, json!({ "reason": "广告" })).await.status(), StatusCode::NO_CONTENT);
        assert_eq!(m.post(&report, json!({ "reason": "广告" })).await.status(), StatusCode::NO_CONTENT);
        assert_eq!(app.count("comment_reports").await, 1);
        let seen = ok(m.get(&format!("/api/v1/lessons/{lesson}/comments")).await).await;
        let listed = seen["comments"].as_array().unwrap().iter().find(|c| c["id"] == open_id).unwrap().clone();
        assert_eq!((listed["reported_by_me"].as_bool(), listed["reports"].as_i64()), (Some(true), Some(0)), "{listed}");
        let queue = ok(o.get(&format!("/api/v1/comment-queue?course={course}")).await).await;
        assert_eq!(queue.as_array().unwrap().len(), 2, "{queue}");
        let reported = queue.as_array().unwrap().iter().find(|q| q["comment"]["id"] == open_id).unwrap().clone();
        assert_eq!((reported["comment"]["reports"].as_i64(), reported["report_reasons"].clone()), (Some(1), json!(["广告"])));
        expect_error(app.login("organizer2").await.get(&format!("/api/v1/comment-queue?course={course}")).await, StatusCode::NOT_FOUND, "not_found").await;

        // Kept: it stays up and leaves the queue.
        ok(moderate(&o, open_id, "dismiss", "").await).await;
        let queue = ok(o.get(&format!("/api/v1/comment-queue?course={course}")).await).await;
        assert_eq!(queue.as_array().unwrap().len(), 1);
        assert_eq!(app.number("SELECT COUNT(*) AS n FROM comment_reports WHERE open").await, 0);

        // Writers delete their own, nobody else's.
        let held_id = held["id"].as_i64().unwrap();
        expect_error(m2.delete(&format!("/api/v1/comments/{held_id}")).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(m.delete(&format!("/api/v1/comments/{open_id}")).await, StatusCode::NOT_FOUND, "not_found").await;
        assert_eq!(m.delete(&format!("/api/v1/comments/{held_id}")).await.status(), StatusCode::NO_CONTENT);
        assert_eq!(ok(o.get(&format!("/api/v1/comment-queue?course={course}")).await).await, json!([]));
        expect_error(m.delete(&format!("/api/v1/comments/{held_id}")).await, StatusCode::NOT_FOUND, "not_found").await;
    }
}
