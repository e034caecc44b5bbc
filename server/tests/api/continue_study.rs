//! "继续学习" and the due date that binds a member, through the API:
//! `/api/v1/me/next-lesson` resumes the lesson last studied, moves on once
//! it is done and otherwise starts the most urgent course;
//! `/api/v1/me/courses/{id}/lessons` marks each lesson; neither ever shows
//! another person's progress. A course assigned to a member shows the
//! assignment's due date, named as such; everyone else sees the course's.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::courses::{new_course, ok, publish, video_lesson, watch};
use crate::helpers::{expect_error, TestApp, BRANCH_1};
use crate::on_both_databases;
use crate::study::{open, pass};

/// The date `offset` days from today in the platform's zone (UTC+8).
fn day(offset: i64) -> String {
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    (today + chrono::Duration::days(offset)).format("%Y-%m-%d").to_string()
}

/// The lesson, reason and state of a `/me/next-lesson` answer.
fn next_of(v: &Value) -> Option<(i64, String, String)> {
    let n = v.get("next").filter(|n| !n.is_null())?;
    Some((
        n["lesson_id"].as_i64().expect("lesson id"),
        n["reason"].as_str().expect("reason").to_owned(),
        n["state"].as_str().expect("state").to_owned(),
    ))
}

/// The state of each lesson in a `/me/courses/{id}/lessons` answer.
fn states(v: &Value) -> Vec<String> {
    v["lessons"].as_array().expect("lessons").iter().map(|l| l["state"].as_str().expect("state").to_owned()).collect()
}

/// Plays `from`..`to` of a video lesson in a new session, in as much time.
async fn play(app: &TestApp, c: &crate::helpers::Client, lesson: i64, from: f64, to: f64) {
    let session = open(c, lesson).await;
    pass(app, &session, ((to - from) * 1000.0) as i64).await;
    let beat = json!({ "session_id": session, "lesson_id": lesson, "seq": 1, "played": [[from, to]], "position": to,
                       "rate": 1.0, "visible": true, "idle_seconds": 1 });
    let ack = ok(c.post("/api/v1/heartbeats", beat).await).await;
    assert_eq!(ack["verdict"], "accepted", "{ack}");
}

on_both_databases! {
    async fn continue_studying_resumes_the_last_lesson_then_moves_on_and_never_shows_anyone_elses(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let course = new_course(&app, &o, BRANCH_1, "学习党章", json!({ "required": true })).await;
        let mut lessons = Vec::new();
        for _ in 0..3 {
            lessons.push(video_lesson(&app, &o, course, BRANCH_1, 100.0).await);
        }
        publish(&o, course).await;
        let m = app.login("member").await;
        let m2 = app.login("member2").await;

        // Nothing studied: the first lesson of the required course.
        let first = ok(m.get("/api/v1/me/next-lesson").await).await;
        assert_eq!(next_of(&first), Some((lessons[0], "start".into(), "not_started".into())), "{first}");

        // Part of the second lesson: that is where to continue, with how far.
        play(&app, &m, lessons[1], 0.0, 40.0).await;
        let resume = ok(m.get("/api/v1/me/next-lesson").await).await;
        assert_eq!(next_of(&resume), Some((lessons[1], "resume".into(), "in_progress".into())), "{resume}");
        let percent = resume["next"]["percent"].as_u64().expect("percent");
        assert!((40..=43).contains(&percent), "40 of the 95 s needed: {resume}");
        assert_eq!(resume["next"]["course_title"], "学习党章");

        // Finished: the next unfinished lesson after it.
        play(&app, &m, lessons[1], 40.0, 100.0).await;
        let moved = ok(m.get("/api/v1/me/next-lesson").await).await;
        assert_eq!(next_of(&moved), Some((lessons[2], "next_in_course".into(), "not_started".into())), "{moved}");
        assert_eq!(moved["next"]["lessons_completed"], 1);
        let marks = ok(m.get(&format!("/api/v1/me/courses/{course}/lessons")).await).await;
        assert_eq!(states(&marks), ["not_started", "completed", "not_started"], "{marks}");
        assert_eq!(marks["next_lesson_id"].as_i64(), Some(lessons[2]));

        // member2, in the same audience, sees only their own (no) progress,
        // even when asking for member's by id.
        let member_id = app.person_id("member").await;
        for path in ["/api/v1/me/next-lesson".to_owned(), format!("/api/v1/me/next-lesson?person_id={member_id}")] {
            let theirs = ok(m2.get(&path).await).await;
            assert_eq!(next_of(&theirs), Some((lessons[0], "start".into(), "not_started".into())), "{theirs}");
            assert_eq!(theirs["next"]["percent"], 0);
        }
        let marks2 = ok(m2.get(&format!("/api/v1/me/courses/{course}/lessons")).await).await;
        assert_eq!(states(&marks2), ["not_started"; 3], "{marks2}");

        // Outside the audience: nothing to continue, and the course is not found.
        let m3 = app.login("member3").await;
        assert_eq!(ok(m3.get("/api/v1/me/next-lesson").await).await, json!({ "next": null }));
        expect_error(m3.get(&format!("/api/v1/me/courses/{course}/lessons")).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(m.get("/api/v1/me/courses/999999/lessons").await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(app.anonymous().await.get("/api/v1/me/next-lesson").await, StatusCode::UNAUTHORIZED, "unauthenticated").await;

        // Every lesson done: nothing left to continue.
        watch(&app, &m, lessons[0], 100.0).await;
        watch(&app, &m, lessons[2], 100.0).await;
        assert_eq!(ok(m.get("/api/v1/me/next-lesson").await).await, json!({ "next": null }));
    }

    async fn a_finished_course_hands_over_to_the_most_urgent_unfinished_one(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let elective = new_course(&app, &o, BRANCH_1, "红色故事", json!({})).await;
        let story = video_lesson(&app, &o, elective, BRANCH_1, 100.0).await;
        let later = new_course(&app, &o, BRANCH_1, "后截止", json!({ "required": true })).await;
        video_lesson(&app, &o, later, BRANCH_1, 100.0).await;
        let sooner = new_course(&app, &o, BRANCH_1, "先截止", json!({ "required": true })).await;
        let urgent = video_lesson(&app, &o, sooner, BRANCH_1, 100.0).await;
        for (id, due) in [(later, "2099-12-31"), (sooner, "2099-06-30")] {
            let settings = json!({ "title": "必修课", "summary": "", "required": true, "credit_hours": 0,
                                   "due_on": due, "audience": { "orgs": [app.org_id(BRANCH_1).await] } });
            ok(o.put(&format!("/api/v1/courses/{id}"), settings).await).await;
        }
        for id in [elective, later, sooner] {
            publish(&o, id).await;
        }
        let m = app.login("member").await;
        watch(&app, &m, story, 100.0).await;

        let next = ok(m.get("/api/v1/me/next-lesson").await).await;
        assert_eq!(next_of(&next), Some((urgent, "start".into(), "not_started".into())), "{next}");
        assert_eq!(next["next"]["course_id"].as_i64(), Some(sooner));
    }

    async fn the_due_date_shown_is_the_one_that_binds_the_member_and_says_whose(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let branch = app.org_id(BRANCH_1).await;
        let course = new_course(&app, &o, BRANCH_1, "学习党章", json!({ "required": true })).await;
        video_lesson(&app, &o, course, BRANCH_1, 100.0).await;
        let settings = json!({ "title": "学习党章", "summary": "", "required": true, "credit_hours": 0,
                               "due_on": day(60), "audience": { "orgs": [branch] } });
        ok(o.put(&format!("/api/v1/courses/{course}"), settings).await).await;
        let undated = new_course(&app, &o, BRANCH_1, "不限期", json!({})).await;
        video_lesson(&app, &o, undated, BRANCH_1, 100.0).await;
        for id in [course, undated] {
            publish(&o, id).await;
        }
        let member = app.person_id("member").await;
        let assignment = json!({ "org_id": branch, "course_id": course, "target": { "people": [member] },
                                 "due_on": day(30) });
        ok(o.post("/api/v1/assignments", assignment).await).await;

        let assigned = json!({ "day": day(30), "source": "assignment" });
        let own = json!({ "day": day(60), "source": "course" });
        let m = app.login("member").await;
        // Everywhere the member sees the course: the course, the catalog, my learning.
        let shown = ok(m.get(&format!("/api/v1/courses/{course}")).await).await;
        assert_eq!((&shown["due"], &shown["due_on"]), (&assigned, &json!(day(60))), "{shown}");
        let listed = ok(m.get("/api/v1/courses").await).await;
        let in_catalog = listed.as_array().expect("list").iter().find(|c| c["id"] == course).expect("listed").clone();
        assert_eq!(in_catalog["due"], assigned);
        let learning = ok(m.get("/api/v1/me/learning").await).await;
        assert_eq!(learning["required"][0]["id"].as_i64(), Some(course));
        assert_eq!(learning["required"][0]["due"], assigned);
        let undated_view = ok(m.get(&format!("/api/v1/courses/{undated}")).await).await;
        assert!(undated_view["due"].is_null(), "{undated_view}");

        // Someone without the assignment is bound by the course's own date,
        // and the organizer's editor still holds the course's date.
        let m2 = app.login("member2").await;
        assert_eq!(ok(m2.get(&format!("/api/v1/courses/{course}")).await).await["due"], own);
        assert_eq!(ok(m2.get("/api/v1/me/learning").await).await["required"][0]["due"], own);
        assert_eq!(ok(o.get(&format!("/api/v1/courses/{course}")).await).await["due_on"], json!(day(60)));
    }
}
