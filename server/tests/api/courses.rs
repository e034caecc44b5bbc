//! The course editor's API: a course's settings (必修/选修, 学时, due date,
//! audience), chapters and the order of chapters and lessons, lesson edits
//! and deletion, the catalog's search and filters, "my learning", and who
//! may change any of it. Files of courses and lessons (covers, captions,
//! attachments, the mixed lesson's deck) are in `course_files.rs`.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{expect_error, Client, TestApp, BRANCH_1, BRANCH_2};
use crate::on_both_databases;
use crate::study::{open, pass, ready_video};

pub const GENERAL: &str = "示范市委党校党委/机关党总支";
pub const GROUP_1: &str = "示范市委党校党委/机关党总支/第一党支部/第一党小组";

/// Asserts a 200 and returns the JSON body.
pub async fn ok(r: reqwest::Response) -> Value {
    let status = r.status();
    let text = r.text().await.unwrap_or_default();
    assert_eq!(status, StatusCode::OK, "{text}");
    serde_json::from_str(&text).expect("json body")
}

/// A new, unpublished course of `org`; `more` adds fields such as
/// `required` or `credit_hours`.
pub async fn new_course(app: &TestApp, c: &Client, org: &str, title: &str, more: Value) -> i64 {
    let mut body = json!({ "org_id": app.org_id(org).await, "title": title });
    if let Value::Object(extra) = more {
        for (k, v) in extra {
            body[k] = v;
        }
    }
    ok(c.post("/api/v1/courses", body).await).await["id"].as_i64().expect("course id")
}

pub async fn publish(c: &Client, course: i64) {
    ok(c.post(&format!("/api/v1/courses/{course}/publish"), json!({})).await).await;
}

/// Adds a lesson described by `body` (title and media_id, article,
/// chapter_id, slides_media_id); returns its view.
pub async fn add_lesson(c: &Client, course: i64, body: Value) -> Value {
    ok(c.post(&format!("/api/v1/courses/{course}/lessons"), body).await).await
}

/// Adds a video lesson of `seconds` from fresh processed material of `org`.
pub async fn video_lesson(app: &TestApp, c: &Client, course: i64, org: &str, seconds: f64) -> i64 {
    let media = ready_video(app, org, seconds).await;
    add_lesson(c, course, json!({ "title": "视频课", "media_id": media })).await["id"].as_i64().expect("lesson id")
}

pub async fn article_lesson(c: &Client, course: i64, title: &str, text: &str) -> i64 {
    add_lesson(c, course, json!({ "title": title, "article": text })).await["id"].as_i64().expect("lesson id")
}

/// A heartbeat reporting that `from`..`to` of the media was played.
fn beat(session: &str, lesson: i64, seq: u32, from: f64, to: f64) -> Value {
    json!({ "session_id": session, "lesson_id": lesson, "seq": seq, "played": [[from, to]], "position": to,
            "rate": 1.0, "visible": true, "idle_seconds": 1 })
}

/// Plays the first `seconds` of a video lesson, credited in one heartbeat.
pub async fn watch(app: &TestApp, c: &Client, lesson: i64, seconds: f64) {
    let session = open(c, lesson).await;
    pass(app, &session, (seconds * 1000.0) as i64).await;
    let ack = ok(c.post("/api/v1/heartbeats", beat(&session, lesson, 1, 0.0, seconds)).await).await;
    assert_eq!(ack["verdict"], "accepted", "{ack}");
}

/// The ids in a list of courses, in order.
pub fn ids(list: &Value) -> Vec<i64> {
    list.as_array().expect("a list").iter().map(|c| c["id"].as_i64().expect("id")).collect()
}

/// The ids of the courses `c` finds in the catalog with these parameters.
pub async fn catalog(c: &Client, params: &[(&str, &str)]) -> Vec<i64> {
    let r = c.request(Method::GET, "/api/v1/courses").query(params).send().await.expect("request");
    ids(&ok(r).await)
}

pub async fn search(c: &Client, q: &str) -> Vec<i64> {
    catalog(c, &[("q", q)]).await
}

/// A 422 with a message for a catalog query with these parameters.
async fn refused_filter(c: &Client, params: &[(&str, &str)]) -> Value {
    let r = c.request(Method::GET, "/api/v1/courses").query(params).send().await.expect("request");
    expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await
}

pub async fn new_chapter(c: &Client, course: i64, title: &str) -> i64 {
    let chapter = ok(c.post(&format!("/api/v1/courses/{course}/chapters"), json!({ "title": title })).await).await;
    chapter["id"].as_i64().expect("chapter id")
}

/// A course of branch 1 with these settings and one video lesson of 100 s;
/// returns (course id, lesson id).
async fn course_with(app: &TestApp, c: &Client, settings: Value) -> (i64, i64) {
    let title = settings["title"].as_str().expect("title");
    let id = new_course(app, c, BRANCH_1, title, json!({})).await;
    ok(c.put(&format!("/api/v1/courses/{id}"), settings.clone()).await).await;
    (id, video_lesson(app, c, id, BRANCH_1, 100.0).await)
}

/// The settings body of `PUT /api/v1/courses/{id}`.
fn settings(title: &str, audience: Value) -> Value {
    json!({ "title": title, "summary": "", "required": false, "credit_hours": 0, "due_on": null, "audience": audience })
}

async fn set_audience(c: &Client, course: i64, audience: Value) -> reqwest::Response {
    c.put(&format!("/api/v1/courses/{course}"), settings("学习党章", audience)).await
}

/// What `c` can reach of a course and its lesson: listed in the catalog,
/// the course, the lesson page, a playback session (each true when found).
async fn reach(c: &Client, course: i64, lesson: i64) -> [bool; 4] {
    let listed = catalog(c, &[]).await.contains(&course);
    let found = |r: reqwest::Response| {
        let status = r.status();
        assert!(status == StatusCode::OK || status == StatusCode::NOT_FOUND, "{status}");
        status == StatusCode::OK
    };
    [
        listed,
        found(c.get(&format!("/api/v1/courses/{course}")).await),
        found(c.get(&format!("/api/v1/lessons/{lesson}")).await),
        found(c.post(&format!("/api/v1/lessons/{lesson}/sessions"), json!({})).await),
    ]
}

const SEEN: [bool; 4] = [true; 4];
const UNSEEN: [bool; 4] = [false; 4];

on_both_databases! {
    async fn an_organizer_edits_a_course_s_settings_and_bad_values_are_refused(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let branch = app.org_id(BRANCH_1).await;
        let course = new_course(&app, &o, BRANCH_1, "学习党章", json!({ "summary": "导读", "required": true, "credit_hours": 2.5 })).await;
        let created = ok(o.get(&format!("/api/v1/courses/{course}")).await).await;
        assert_eq!((created["required"].as_bool(), created["credit_hours"].as_f64()), (Some(true), Some(2.5)), "{created}");
        assert_eq!(created["audience"], json!({ "orgs": [branch], "roles": [], "standings": [], "people": [] }));
        assert_eq!((created["published"].as_bool(), created["due_on"].is_null()), (Some(false), true));

        let mut edit = settings("  党章学习（修订）  ", json!({ "orgs": [branch] }));
        edit["summary"] = json!("新的简介");
        edit["credit_hours"] = json!(4.5);
        edit["due_on"] = json!("2026-12-31");
        let saved = ok(o.put(&format!("/api/v1/courses/{course}"), edit.clone()).await).await;

        assert_eq!(saved["title"], "党章学习（修订）");
        assert_eq!((saved["summary"].as_str(), saved["required"].as_bool()), (Some("新的简介"), Some(false)));
        assert_eq!((saved["credit_hours"].as_f64(), saved["due_on"].as_str()), (Some(4.5), Some("2026-12-31")));
        let stored = ok(o.get(&format!("/api/v1/courses/{course}")).await).await;
        assert_eq!(stored, saved);
        let with = |k: &str, v: Value| { let mut b = edit.clone(); b[k] = v; b };
        for bad in [
            with("credit_hours", json!(1.25)), with("credit_hours", json!(-1)), with("credit_hours", json!(200.5)),
            with("due_on", json!("2026-13-01")), with("due_on", json!("31/12/2026")), with("title", json!("   ")),
            with("surprise", json!(true)),
        ] {
            let e = expect_error(o.put(&format!("/api/v1/courses/{course}"), bad.clone()).await,
                StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
            assert!(!e["message"].as_str().unwrap_or("").is_empty(), "{bad}");
        }
        assert_eq!(ok(o.get(&format!("/api/v1/courses/{course}")).await).await, saved, "refused edits change nothing");
        let r = o.post("/api/v1/courses", json!({ "org_id": branch, "title": "x", "credit_hours": 0.3 })).await;
        expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        // Members read the course, not who it is for.
        publish(&o, course).await;
        let seen = ok(app.login("member").await.get(&format!("/api/v1/courses/{course}")).await).await;
        assert_eq!((seen["can_manage"].as_bool(), seen["audience"].is_null()), (Some(false), true), "{seen}");
    }

    async fn a_course_aimed_at_a_sibling_node_is_invisible_to_the_rest_of_its_subtree(app) {
        let app: TestApp = app;
        let admin = app.login("admin").await;
        let course = new_course(&app, &admin, GENERAL, "第二支部专题", json!({})).await;
        let lesson = video_lesson(&app, &admin, course, GENERAL, 60.0).await;
        publish(&admin, course).await;
        let (member, member3) = (app.login("member").await, app.login("member3").await);
        assert_eq!(reach(&member, course, lesson).await, SEEN, "the whole general branch at first");

        ok(set_audience(&admin, course, json!({ "orgs": [app.org_id(BRANCH_2).await] })).await).await;

        assert_eq!(reach(&member3, course, lesson).await, SEEN);
        assert_eq!(reach(&member, course, lesson).await, UNSEEN);
        assert_eq!(reach(&app.login("organizer").await, course, lesson).await, UNSEEN);
    }

    async fn a_course_for_activists_is_invisible_to_members_of_the_same_branch(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let course = new_course(&app, &o, BRANCH_1, "入党积极分子培训", json!({})).await;
        let lesson = video_lesson(&app, &o, course, BRANCH_1, 60.0).await;
        publish(&o, course).await;

        let saved = ok(set_audience(&o, course, json!({ "orgs": [app.org_id(BRANCH_1).await], "standings": ["activist"] })).await).await;

        assert_eq!(saved["audience"]["standings"], json!(["activist"]));
        assert_eq!(reach(&app.login("activist").await, course, lesson).await, SEEN);
        assert_eq!(reach(&app.login("member").await, course, lesson).await, UNSEEN);
        assert_eq!(reach(&app.login("member2").await, course, lesson).await, UNSEEN);
        // Its organizer still previews it.
        assert_eq!(o.get(&format!("/api/v1/lessons/{lesson}")).await.status(), StatusCode::OK);
    }

    async fn heartbeats_stop_counting_once_the_member_is_left_out_of_the_audience(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let course = new_course(&app, &o, BRANCH_1, "学习党章", json!({})).await;
        let lesson = video_lesson(&app, &o, course, BRANCH_1, 100.0).await;
        publish(&o, course).await;
        let m = app.login("member").await;
        let session = open(&m, lesson).await;
        pass(&app, &session, 10_000).await;
        let first = ok(m.post("/api/v1/heartbeats", beat(&session, lesson, 1, 0.0, 10.0)).await).await;
        assert_eq!(first["verdict"], "accepted", "{first}");
        let entries = app.count("study_entries").await;

        ok(set_audience(&o, course, json!({ "orgs": [app.org_id(BRANCH_1).await], "standings": ["activist"] })).await).await;
        pass(&app, &session, 10_000).await;
        let r = m.post("/api/v1/heartbeats", beat(&session, lesson, 2, 10.0, 20.0)).await;

        expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
        assert_eq!(app.count("study_entries").await, entries);
        let hours = ok(m.get("/api/v1/study/hours").await).await;
        assert_eq!(hours["total"]["credited_ms"].as_u64(), Some(10_000), "{hours}");
    }

    async fn a_named_person_joins_the_audience_whatever_their_node(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let course = new_course(&app, &o, BRANCH_1, "党小组学习", json!({})).await;
        let lesson = video_lesson(&app, &o, course, BRANCH_1, 60.0).await;
        publish(&o, course).await;
        let member2 = app.person_id("member2").await;

        ok(set_audience(&o, course, json!({ "orgs": [app.org_id(GROUP_1).await], "people": [member2] })).await).await;

        assert_eq!(reach(&app.login("member").await, course, lesson).await, SEEN, "in the group");
        assert_eq!(reach(&app.login("member2").await, course, lesson).await, SEEN, "named");
        assert_eq!(reach(&app.login("activist").await, course, lesson).await, UNSEEN);
        ok(set_audience(&o, course, json!({ "people": [app.person_id("activist").await] })).await).await;
        assert_eq!(reach(&app.login("activist").await, course, lesson).await, SEEN, "only named");
        assert_eq!(reach(&app.login("member").await, course, lesson).await, UNSEEN);
    }

    async fn an_audience_outside_the_course_s_node_or_empty_is_refused(app) {
        let app: TestApp = app;
        let branch = app.org_id(BRANCH_1).await;
        for login in ["organizer", "admin"] {
            let c = app.login(login).await;
            let course = new_course(&app, &c, BRANCH_1, "学习党章", json!({})).await;
            for audience in [
                json!({ "orgs": [app.org_id(BRANCH_2).await] }),
                json!({ "orgs": [app.org_id(GENERAL).await] }),
                json!({ "orgs": [branch], "people": [app.person_id("member3").await] }),
                json!({ "people": [app.person_id("teacher").await] }),
                json!({ "orgs": [999_999] }),
                json!({ "orgs": [branch], "people": [999_999] }),
                json!({ "orgs": [], "people": [] }),
                json!({ "standings": ["full"] }),
            ] {
                let e = expect_error(set_audience(&c, course, audience.clone()).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
                assert!(!e["message"].as_str().unwrap_or("").is_empty(), "{login}: {audience}");
            }
            let view = ok(c.get(&format!("/api/v1/courses/{course}")).await).await;
            assert_eq!(view["audience"], json!({ "orgs": [branch], "roles": [], "standings": [], "people": [] }), "{login}");
        }
    }

    async fn chapters_are_added_renamed_and_deleted_and_their_lessons_stay(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let course = new_course(&app, &o, BRANCH_1, "学习党章", json!({})).await;
        let other = new_course(&app, &o, BRANCH_1, "另一门课", json!({})).await;
        let path = format!("/api/v1/courses/{course}/chapters");
        let first = ok(o.post(&path, json!({ "title": "第一章" })).await).await;
        let second = ok(o.post(&path, json!({ "title": "第二章" })).await).await;
        let foreign = ok(o.post(&format!("/api/v1/courses/{other}/chapters"), json!({ "title": "别的章" })).await).await;
        assert_eq!((first["position"].as_i64(), second["position"].as_i64()), (Some(1), Some(2)));
        let (ch1, ch2) = (first["id"].as_i64().expect("id"), second["id"].as_i64().expect("id"));
        let in_ch1 = add_lesson(&o, course, json!({ "title": "总纲", "article": "正文", "chapter_id": ch1 })).await;
        assert_eq!(in_ch1["chapter_id"].as_i64(), Some(ch1));
        let r = o.post(&format!("/api/v1/courses/{course}/lessons"), json!({ "title": "x", "article": "正文", "chapter_id": foreign["id"] })).await;
        expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        expect_error(o.post(&path, json!({ "title": "" })).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;

        let renamed = ok(o.put(&format!("/api/v1/chapters/{ch1}"), json!({ "title": "第一章 总论" })).await).await;
        assert_eq!(renamed["title"], "第一章 总论");
        expect_error(o.put(&format!("/api/v1/chapters/{ch1}"), json!({ "title": " " })).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        assert_eq!(o.delete(&format!("/api/v1/chapters/{ch1}")).await.status(), StatusCode::NO_CONTENT);

        let view = ok(o.get(&format!("/api/v1/courses/{course}")).await).await;
        let chapters: Vec<(i64, &str)> = view["chapters"].as_array().expect("chapters").iter()
            .map(|c| (c["id"].as_i64().expect("id"), c["title"].as_str().expect("title"))).collect();
        assert_eq!(chapters, vec![(ch2, "第二章")]);
        assert_eq!(ids(&view["lessons"]), vec![in_ch1["id"].as_i64().expect("id")]);
        assert!(view["lessons"][0]["chapter_id"].is_null(), "{view}");
        expect_error(o.delete(&format!("/api/v1/chapters/{ch1}")).await, StatusCode::NOT_FOUND, "not_found").await;
        assert_eq!(app.count("lessons").await, 1);
    }

    async fn reordering_moves_chapters_and_lessons_and_a_wrong_order_changes_nothing(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let course = new_course(&app, &o, BRANCH_1, "学习党章", json!({})).await;
        let other = new_course(&app, &o, BRANCH_1, "另一门课", json!({})).await;
        let (ch1, ch2) = (new_chapter(&o, course, "第一章").await, new_chapter(&o, course, "第二章").await);
        let foreign = new_chapter(&o, other, "别的章").await;
        let mut in_chapter = Vec::new();
        for (title, chapter) in [("一", ch1), ("二", ch1), ("三", ch2)] {
            let l = add_lesson(&o, course, json!({ "title": title, "article": title, "chapter_id": chapter })).await;
            in_chapter.push(l["id"].as_i64().expect("id"));
        }
        let [l1, l2, l3] = in_chapter[..] else { unreachable!("three lessons") };
        let foreign_lesson = article_lesson(&o, other, "外", "外").await;
        let path = format!("/api/v1/courses/{course}/order");

        let view = ok(o.put(&path, json!({ "chapters": [ch2, ch1], "lessons": [
            { "id": l3, "chapter_id": ch2 }, { "id": l1, "chapter_id": ch2 }, { "id": l2, "chapter_id": ch1 }] })).await).await;

        let chapters: Vec<(i64, i64)> = view["chapters"].as_array().expect("chapters").iter()
            .map(|c| (c["id"].as_i64().expect("id"), c["position"].as_i64().expect("position"))).collect();
        assert_eq!(chapters, vec![(ch2, 1), (ch1, 2)]);
        let lessons: Vec<(i64, i64, i64)> = view["lessons"].as_array().expect("lessons").iter()
            .map(|l| (l["id"].as_i64().expect("id"), l["position"].as_i64().expect("position"), l["chapter_id"].as_i64().unwrap_or(0))).collect();
        assert_eq!(lessons, vec![(l3, 1, ch2), (l1, 2, ch2), (l2, 3, ch1)]);
        assert_eq!(ok(o.get(&format!("/api/v1/courses/{course}")).await).await, view);
        let lesson_page = ok(o.get(&format!("/api/v1/lessons/{l1}")).await).await;
        assert_eq!(ids(&lesson_page["siblings"]), vec![l3, l1, l2]);

        let all = json!([{ "id": l1, "chapter_id": ch1 }, { "id": l2, "chapter_id": null }, { "id": l3, "chapter_id": ch2 }]);
        for (why, bad) in [
            ("a lesson missing", json!({ "chapters": [ch1, ch2], "lessons": [{ "id": l1 }, { "id": l2 }] })),
            ("a lesson twice", json!({ "chapters": [ch1, ch2], "lessons": [{ "id": l1 }, { "id": l1 }, { "id": l2 }, { "id": l3 }] })),
            ("a chapter missing", json!({ "chapters": [ch1], "lessons": all })),
            ("a chapter twice", json!({ "chapters": [ch1, ch2, ch1], "lessons": all })),
            ("another course's chapter listed", json!({ "chapters": [ch1, ch2, foreign], "lessons": all })),
            ("a lesson put in another course's chapter", json!({ "chapters": [ch1, ch2],
                "lessons": [{ "id": l1, "chapter_id": foreign }, { "id": l2 }, { "id": l3 }] })),
            ("another course's lesson", json!({ "chapters": [ch1, ch2], "lessons": [{ "id": l1 }, { "id": l2 }, { "id": l3 }, { "id": foreign_lesson }] })),
        ] {
            let r = o.put(&path, bad).await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{why}");
            expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        }
        assert_eq!(ok(o.get(&format!("/api/v1/courses/{course}")).await).await, view, "nothing changed");
        let other_view = ok(o.get(&format!("/api/v1/courses/{other}")).await).await;
        assert_eq!(ids(&other_view["lessons"]), vec![foreign_lesson]);
    }

    async fn lessons_are_renamed_and_only_article_lessons_take_text(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let course = new_course(&app, &o, BRANCH_1, "学习党章", json!({})).await;
        let article = article_lesson(&o, course, "导读", "短文").await;
        let video = video_lesson(&app, &o, course, BRANCH_1, 60.0).await;

        let edited = ok(o.put(&format!("/api/v1/lessons/{article}"), json!({ "title": "导读（修订）", "article": "## 新的正文\n\n学习党章。" })).await).await;
        let renamed = ok(o.put(&format!("/api/v1/lessons/{video}"), json!({ "title": "第一讲 党章总纲" })).await).await;
        let refused = o.put(&format!("/api/v1/lessons/{video}"), json!({ "title": "改名", "article": "视频没有正文" })).await;

        assert_eq!((edited["title"].as_str(), edited["article_chars"].as_u64()), (Some("导读（修订）"), Some(11)), "{edited}");
        let page = ok(o.get(&format!("/api/v1/lessons/{article}")).await).await;
        assert!(page["article"]["html"].as_str().unwrap_or("").contains("学习党章。"), "{page}");
        assert_eq!((renamed["title"].as_str(), renamed["kind"].as_str()), (Some("第一讲 党章总纲"), Some("video")));
        expect_error(refused, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        expect_error(o.put(&format!("/api/v1/lessons/{article}"), json!({ "title": "" })).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        let view = ok(o.get(&format!("/api/v1/courses/{course}")).await).await;
        let titles: Vec<&str> = view["lessons"].as_array().expect("lessons").iter().filter_map(|l| l["title"].as_str()).collect();
        assert_eq!(titles, ["导读（修订）", "第一讲 党章总纲"]);
    }

    async fn a_lesson_nobody_studied_can_be_deleted_and_a_studied_one_cannot(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let course = new_course(&app, &o, BRANCH_1, "学习党章", json!({})).await;
        let unstudied = video_lesson(&app, &o, course, BRANCH_1, 60.0).await;
        let studied = video_lesson(&app, &o, course, BRANCH_1, 60.0).await;
        publish(&o, course).await;
        watch(&app, &app.login("member").await, studied, 10.0).await;
        assert!(app.count("study_entries").await > 0, "the heartbeat left a study entry");

        assert_eq!(o.delete(&format!("/api/v1/lessons/{unstudied}")).await.status(), StatusCode::NO_CONTENT);
        let e = expect_error(o.delete(&format!("/api/v1/lessons/{studied}")).await, StatusCode::CONFLICT, "conflict").await;

        assert!(!e["message"].as_str().unwrap_or("").is_empty());
        expect_error(o.get(&format!("/api/v1/lessons/{unstudied}")).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(o.delete(&format!("/api/v1/lessons/{unstudied}")).await, StatusCode::NOT_FOUND, "not_found").await;
        assert_eq!(ids(&ok(o.get(&format!("/api/v1/courses/{course}")).await).await["lessons"]), vec![studied]);
    }

    async fn the_catalog_finds_chinese_words_in_titles_summaries_lessons_and_articles(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let charter = new_course(&app, &o, BRANCH_1, "学习党章", json!({ "summary": "坚持和加强党的全面领导" })).await;
        add_lesson(&o, charter, json!({ "title": "第一讲：党的历史", "article": "## 不忘初心\n\n牢记使命，走好新时代的**长征路**。" })).await;
        let history = new_course(&app, &o, BRANCH_1, "党史学习教育", json!({ "summary": "回顾百年党史" })).await;
        let english = new_course(&app, &o, BRANCH_1, "PPT 制作技巧", json!({})).await;
        for c in [charter, history, english] { publish(&o, c).await; }
        new_course(&app, &o, BRANCH_1, "党章草稿", json!({})).await;
        let o2 = app.login("organizer2").await;
        let elsewhere = new_course(&app, &o2, BRANCH_2, "第二支部学习党章", json!({})).await;
        publish(&o2, elsewhere).await;
        let m = app.login("member").await;

        assert_eq!(search(&m, "党章").await, vec![charter], "a two-character word; drafts and other branches stay out");
        assert_eq!(search(&m, "全面领导").await, vec![charter], "the summary");
        assert_eq!(search(&m, "党的历史").await, vec![charter], "a lesson title");
        assert_eq!(search(&m, "牢记使命").await, vec![charter], "article text");
        assert_eq!(search(&m, "长征路").await, vec![charter], "article text in bold");
        assert_eq!(search(&m, "不忘初心").await, vec![charter], "an article heading");
        assert_eq!(search(&m, "百年党史").await, vec![history]);
        assert_eq!(search(&m, "学习").await, vec![history, charter], "newest first");
        assert_eq!(search(&m, "学习 党章").await, vec![charter], "every word must occur");
        assert_eq!(search(&m, "党章，党史").await, Vec::<i64>::new());
        assert_eq!(search(&m, "ppt").await, vec![english], "ignoring case");
        assert_eq!(search(&m, "不存在的词").await, Vec::<i64>::new());
        assert_eq!(search(&o2, "党章").await, vec![elsewhere]);
    }

    async fn the_search_follows_edits_to_titles_articles_and_lessons(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let course = new_course(&app, &o, BRANCH_1, "学习党章", json!({})).await;
        let lesson = article_lesson(&o, course, "导读", "旧的正文讲组织生活").await;
        publish(&o, course).await;
        let m = app.login("member").await;
        assert_eq!(search(&m, "组织生活").await, vec![course]);

        ok(o.put(&format!("/api/v1/lessons/{lesson}"), json!({ "title": "导读", "article": "新的正文讲民主集中制" })).await).await;
        assert_eq!(search(&m, "组织生活").await, Vec::<i64>::new());
        assert_eq!(search(&m, "民主集中制").await, vec![course]);

        ok(o.put(&format!("/api/v1/courses/{course}"), settings("两学一做", json!({ "orgs": [app.org_id(BRANCH_1).await] }))).await).await;
        assert_eq!(search(&m, "两学一做").await, vec![course]);
        assert_eq!(search(&m, "党章").await, Vec::<i64>::new());

        assert_eq!(o.delete(&format!("/api/v1/lessons/{lesson}")).await.status(), StatusCode::NO_CONTENT);
        assert_eq!(search(&m, "民主集中制").await, Vec::<i64>::new());
    }

    async fn article_words_are_found_across_their_inline_markup(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let course = new_course(&app, &o, BRANCH_1, "主题教育", json!({})).await;
        article_lesson(&o, course, "导读", "**牢记**使命，*不忘*初心，[学习](https://example.org/)党章。").await;
        publish(&o, course).await;
        let m = app.login("member").await;

        let mut missed = Vec::new();
        for phrase in ["牢记使命", "不忘初心", "学习党章"] {
            if search(&m, phrase).await != vec![course] {
                missed.push(phrase);
            }
        }

        assert!(missed.is_empty(), "not found though the article reads them: {missed:?}");
    }

    async fn percent_and_underscore_in_a_search_are_not_wildcards(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let percent = new_course(&app, &o, BRANCH_1, "合格率达到100%", json!({})).await;
        let thousand = new_course(&app, &o, BRANCH_1, "培训党员1000名", json!({})).await;
        let snake = new_course(&app, &o, BRANCH_1, "file_name 命名规范", json!({})).await;
        let plain = new_course(&app, &o, BRANCH_1, "filesname 命名规范", json!({})).await;
        for c in [percent, thousand, snake, plain] { publish(&o, c).await; }
        let m = app.login("member").await;

        let mut wrong = Vec::new();
        for (q, want) in [("%", vec![percent]), ("_", vec![snake]), ("100%", vec![percent]), ("file_name", vec![snake])] {
            let got = search(&m, q).await;
            if got != want {
                wrong.push(format!("{q:?} found {got:?}, not {want:?}"));
            }
        }

        assert!(wrong.is_empty(), "courses: 100% {percent}, 1000 {thousand}, file_name {snake}, filesname {plain}: {wrong:#?}");
    }

    async fn a_bad_kind_or_status_filter_is_refused_with_a_message(app) {
        let app: TestApp = app;
        let mut m = app.login("member").await;

        let kind = refused_filter(&m, &[("kind", "compulsory")]).await;
        let status = refused_filter(&m, &[("status", "done")]).await;
        refused_filter(&m, &[("sort", "newest")]).await;
        m.lang = Some("en");
        let english = refused_filter(&m, &[("kind", "x")]).await;

        assert!(kind["message"].as_str().unwrap_or("").contains("elective"), "{kind}");
        assert!(status["message"].as_str().unwrap_or("").contains("in_progress"), "{status}");
        assert_eq!(english["message"], "kind must be required or elective.");
    }

    async fn a_bad_year_for_my_learning_is_refused_with_a_message(app) {
        let app: TestApp = app;
        let m = app.login("member").await;
        let r = m.get("/api/v1/me/learning?year=last").await;
        expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
    }

    async fn the_catalog_filters_by_kind_and_by_the_member_s_own_progress(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let m = app.login("member").await;
        let mut lessons = Vec::new();
        let mut courses = Vec::new();
        for (title, required) in [("必修课", true), ("在学选修", false), ("学完选修", false), ("未学选修", false)] {
            let c = new_course(&app, &o, BRANCH_1, title, json!({ "required": required })).await;
            lessons.push(video_lesson(&app, &o, c, BRANCH_1, 10.0).await);
            publish(&o, c).await;
            courses.push(c);
        }
        let [required, started, done, untouched] = courses[..] else { unreachable!() };
        watch(&app, &m, lessons[1], 4.0).await;
        watch(&app, &m, lessons[2], 10.0).await;

        assert_eq!(catalog(&m, &[("kind", "required")]).await, vec![required]);
        assert_eq!(catalog(&m, &[("kind", "elective")]).await, vec![untouched, done, started]);
        assert_eq!(catalog(&m, &[("status", "not_started")]).await, vec![untouched, required]);
        assert_eq!(catalog(&m, &[("status", "in_progress")]).await, vec![started]);
        assert_eq!(catalog(&m, &[("status", "completed")]).await, vec![done]);
        assert_eq!(catalog(&m, &[("kind", "elective"), ("status", "not_started"), ("q", "选修")]).await, vec![untouched]);
        let m2 = app.login("member2").await;
        assert_eq!(catalog(&m2, &[("status", "not_started")]).await, vec![untouched, done, started, required], "progress is per person");
    }

    async fn my_learning_lists_required_courses_by_due_date_then_started_and_completed_ones_with_hours(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let m = app.login("member").await;
        let branch = app.org_id(BRANCH_1).await;
        let course = |title: &'static str, required: bool, due_on: Option<&'static str>| {
            let mut s = settings(title, json!({ "orgs": [branch] }));
            s["required"] = json!(required);
            s["due_on"] = json!(due_on);
            course_with(&app, &o, s)
        };
        let late = course("年底必修", true, Some("2026-12-31")).await;
        let soon = course("年中必修", true, Some("2026-06-30")).await;
        let undated = course("无期限必修", true, None).await;
        let started = course("在学选修", false, None).await;
        let done = new_course(&app, &o, BRANCH_1, "学完选修", json!({})).await;
        let done_lesson = video_lesson(&app, &o, done, BRANCH_1, 10.0).await;
        let untouched = course("未学选修", false, None).await;
        let draft = course("草稿必修", true, Some("2026-01-01")).await;
        for (c, _) in [late, soon, undated, started, (done, done_lesson), untouched] { publish(&o, c).await; }
        watch(&app, &m, soon.1, 20.0).await;
        watch(&app, &m, started.1, 30.0).await;
        watch(&app, &m, done_lesson, 10.0).await;

        let learning = ok(m.get("/api/v1/me/learning").await).await;

        assert_eq!(ids(&learning["required"]), vec![soon.0, late.0, undated.0], "{learning}");
        assert_eq!(ids(&learning["in_progress"]), vec![started.0]);
        assert_eq!(ids(&learning["completed"]), vec![done]);
        assert_eq!(learning["hours"]["credited_ms"].as_u64(), Some(60_000), "{}", learning["hours"]);
        assert!(learning["hours"]["hours"].as_f64().is_some_and(|h| h > 0.0), "{}", learning["hours"]);
        assert!(learning["year"].as_i64().is_some_and(|y| y >= 2025));
        assert!(!ids(&learning["required"]).contains(&draft.0));
        let other = ok(app.login("member3").await.get("/api/v1/me/learning").await).await;
        assert_eq!((other["required"].as_array().map(Vec::len), other["hours"]["credited_ms"].as_u64()), (Some(0), Some(0)));
    }
}

/// A body for one of the calls below.
#[derive(Clone)]
enum Body {
    None,
    Json(Value),
    Bytes(Vec<u8>),
}

/// A course of branch 1 with a chapter, a video lesson with captions and an
/// attachment, and an article lesson: every kind of thing the editor
/// changes.
struct Fixture {
    course: i64,
    chapter: i64,
    video: i64,
    article: i64,
    attachment: i64,
}

async fn fixture(app: &TestApp) -> Fixture {
    let o = app.login("organizer").await;
    let course = new_course(app, &o, BRANCH_1, "学习党章", json!({})).await;
    let chapter = new_chapter(&o, course, "第一章").await;
    let video = video_lesson(app, &o, course, BRANCH_1, 60.0).await;
    let article = article_lesson(&o, course, "导读", "正文").await;
    ok(o.put_bytes(&format!("/api/v1/lessons/{video}/captions.vtt"), crate::course_files::vtt()).await).await;
    let r = o
        .request(Method::PUT, &format!("/api/v1/lessons/{video}/attachments"))
        .query(&[("name", "提纲.pdf")])
        .body(b"%PDF".to_vec());
    let attachment = ok(r.send().await.expect("request")).await["id"].as_i64().expect("attachment id");
    publish(&o, course).await;
    Fixture { course, chapter, video, article, attachment }
}

/// Every call that changes a course, aimed at the fixture.
async fn changes(app: &TestApp, f: &Fixture) -> Vec<(Method, String, Body)> {
    let Fixture { course, chapter, video, article, attachment } = *f;
    let branch = app.org_id(BRANCH_1).await;
    let order =
        json!({ "chapters": [chapter], "lessons": [{ "id": article }, { "id": video, "chapter_id": chapter }] });
    vec![
        (Method::POST, "/api/v1/courses".into(), Body::Json(json!({ "org_id": branch, "title": "新课" }))),
        (Method::PUT, format!("/api/v1/courses/{course}"), Body::Json(settings("改名", json!({ "orgs": [branch] })))),
        (Method::PUT, format!("/api/v1/courses/{course}/rules"), Body::Json(json!({ "coverage_percent": 60 }))),
        (Method::POST, format!("/api/v1/courses/{course}/unpublish"), Body::Json(json!({}))),
        (Method::POST, format!("/api/v1/courses/{course}/publish"), Body::Json(json!({}))),
        (Method::POST, format!("/api/v1/courses/{course}/chapters"), Body::Json(json!({ "title": "第二章" }))),
        (Method::PUT, format!("/api/v1/chapters/{chapter}"), Body::Json(json!({ "title": "改名" }))),
        (Method::DELETE, format!("/api/v1/chapters/{chapter}"), Body::None),
        (Method::PUT, format!("/api/v1/courses/{course}/order"), Body::Json(order)),
        (
            Method::POST,
            format!("/api/v1/courses/{course}/lessons"),
            Body::Json(json!({ "title": "新课时", "article": "x" })),
        ),
        (Method::PUT, format!("/api/v1/lessons/{article}"), Body::Json(json!({ "title": "改名", "article": "改写" }))),
        (Method::DELETE, format!("/api/v1/lessons/{article}"), Body::None),
        (Method::PUT, format!("/api/v1/courses/{course}/cover"), Body::Bytes(crate::course_files::png(320, 180))),
        (Method::PUT, format!("/api/v1/lessons/{video}/captions.vtt"), Body::Bytes(crate::course_files::vtt())),
        (Method::DELETE, format!("/api/v1/lessons/{video}/captions.vtt"), Body::None),
        (Method::PUT, format!("/api/v1/lessons/{video}/attachments?name=x.pdf"), Body::Bytes(b"%PDF-1.4".to_vec())),
        (Method::DELETE, format!("/api/v1/lessons/{video}/attachments/{attachment}"), Body::None),
    ]
}

async fn send(c: &Client, method: &Method, path: &str, body: &Body) -> reqwest::Response {
    let r = c.request(method.clone(), path);
    let r = match body {
        Body::None => r,
        Body::Json(v) => r.json(v),
        Body::Bytes(b) => r.header("content-type", "application/octet-stream").body(b.clone()),
    };
    r.send().await.expect("request")
}

/// Everything the calls could have changed, as its organizer sees it.
async fn snapshot(app: &TestApp, f: &Fixture) -> Value {
    let o = app.login("organizer").await;
    let mut tables = serde_json::Map::new();
    for table in ["courses", "chapters", "lessons", "lesson_attachments"] {
        tables.insert(table.into(), json!(app.count(table).await));
    }
    json!({
        "course": ok(o.get(&format!("/api/v1/courses/{}", f.course)).await).await,
        "video": ok(o.get(&format!("/api/v1/lessons/{}", f.video)).await).await,
        "article": ok(o.get(&format!("/api/v1/lessons/{}", f.article)).await).await,
        "counts": tables,
    })
}

/// Sends every change as `c` and asserts each gets `status` and `code`,
/// and that nothing changed.
async fn every_change_is_refused(app: &TestApp, c: &Client, status: StatusCode, code: &str) {
    let f = fixture(app).await;
    let before = snapshot(app, &f).await;
    for (method, path, body) in changes(app, &f).await {
        let r = send(c, &method, &path, &body).await;
        let actual = r.status();
        let body: Value = r.json().await.unwrap_or(Value::Null);
        assert_eq!((actual, body["code"].as_str()), (status, Some(code)), "{method} {path}: {body}");
    }
    assert_eq!(snapshot(app, &f).await, before, "nothing changed");
}

on_both_databases! {
    async fn a_member_may_change_no_course(app) {
        let app: TestApp = app;
        every_change_is_refused(&app, &app.login("member").await, StatusCode::FORBIDDEN, "forbidden").await;
    }

    async fn an_organizer_of_another_branch_finds_no_course_to_change(app) {
        let app: TestApp = app;
        every_change_is_refused(&app, &app.login("organizer2").await, StatusCode::NOT_FOUND, "not_found").await;
    }

    async fn without_a_session_every_course_change_says_401(app) {
        let app: TestApp = app;
        every_change_is_refused(&app, &app.anonymous().await, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    }

    async fn a_course_change_without_the_csrf_token_is_refused(app) {
        let app: TestApp = app;
        let mut o = app.login("organizer").await;
        let f = fixture(&app).await;
        let before = snapshot(&app, &f).await;
        o.csrf = "0".repeat(64);
        let r = o.put(&format!("/api/v1/courses/{}", f.course), settings("改名", json!({ "orgs": [app.org_id(BRANCH_1).await] }))).await;
        expect_error(r, StatusCode::FORBIDDEN, "csrf_failed").await;
        let r = o.put_bytes(&format!("/api/v1/courses/{}/cover", f.course), crate::course_files::png(320, 180)).await;
        expect_error(r, StatusCode::FORBIDDEN, "csrf_failed").await;
        assert_eq!(snapshot(&app, &f).await, before);
    }
}
