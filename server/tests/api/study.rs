//! Studying through the API: courses and lessons, playback sessions,
//! heartbeats (credit, discards with reasons, bad input), resume, the 学时
//! receipt and totals, the conversion rules and the xAPI export.
//!
//! Time: the server measures elapsed wall-clock time itself. Instead of
//! sleeping, tests move a playback session's clock back ("it was opened 60 s
//! ago"), which is exactly what the server would see had the time passed.

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{json, Value};

use crate::helpers::{expect_error, Client, TestApp, BRANCH_1, BRANCH_2};
use crate::on_both_databases;

/// A processed video of `seconds` in `org`: arranged as the media pipeline
/// leaves it (the pipeline itself is tested in `pipeline.rs`).
pub async fn ready_video(app: &TestApp, org: &str, seconds: f64) -> i64 {
    let org_id = app.org_id(org).await;
    let sql = format!(
        "INSERT INTO media (org_id, uploader_name, file_name, size, source_key, kind, state, percent, duration_seconds, \
         renditions, created_at, updated_at) VALUES ({org_id}, 'test', 'lecture.mp4', 1, 'sources/x', 'video', 'ready', 100, \
         {seconds}, '360', 0, 0)"
    );
    app.db.execute_unprepared(&sql).await.expect("insert media");
    latest_media(app).await
}

/// The id of the newest media item.
pub async fn latest_media(app: &TestApp) -> i64 {
    let row = app
        .db
        .query_one_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT MAX(id) AS id FROM media".to_owned(),
        ))
        .await
        .expect("query")
        .expect("row");
    row.try_get::<i64>("", "id").expect("id")
}

/// A published course of `org` with one video lesson of `seconds`; returns
/// (course id, lesson id).
pub async fn video_course(app: &TestApp, organizer: &Client, org: &str, seconds: f64, rules: Value) -> (i64, i64) {
    let media = ready_video(app, org, seconds).await;
    let r = organizer
        .post(
            "/api/v1/courses",
            json!({ "org_id": app.org_id(org).await, "title": "学习党章", "summary": "", "rules": rules }),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap_or_default());
    let course: Value = r.json().await.expect("course");
    let id = course["id"].as_i64().expect("id");
    let r =
        organizer.post(&format!("/api/v1/courses/{id}/lessons"), json!({ "title": "第一讲", "media_id": media })).await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap_or_default());
    let lesson: Value = r.json().await.expect("lesson");
    assert_eq!(organizer.post(&format!("/api/v1/courses/{id}/publish"), json!({})).await.status(), StatusCode::OK);
    (id, lesson["id"].as_i64().expect("lesson id"))
}

/// Opens the lesson; returns the playback session id.
pub async fn open(c: &Client, lesson: i64) -> String {
    let r = c.post(&format!("/api/v1/lessons/{lesson}/sessions"), json!({})).await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap_or_default());
    let s: Value = r.json().await.expect("session");
    s["session_id"].as_str().expect("session id").to_owned()
}

/// Pretends `ms` more passed since the session's last heartbeat.
pub async fn pass(app: &TestApp, session: &str, ms: i64) {
    let sql = format!(
        "UPDATE playback_sessions SET opened_at_ms = opened_at_ms - {ms}, last_beat_at_ms = last_beat_at_ms - {ms} \
         WHERE id = '{session}'"
    );
    app.db.execute_unprepared(&sql).await.expect("age session");
}

/// Opens the lesson and watches its first `seconds`, in as much wall-clock
/// time, reported in one heartbeat; returns the playback session id.
pub async fn watch_from_start(app: &TestApp, c: &Client, lesson: i64, seconds: f64) -> String {
    let s = open(c, lesson).await;
    pass(app, &s, (seconds * 1000.0) as i64).await;
    send(c, beat(&s, lesson, 1, &[[0.0, seconds]], seconds)).await;
    s
}

pub fn beat(session: &str, lesson: i64, seq: u32, played: &[[f64; 2]], position: f64) -> Value {
    json!({ "session_id": session, "lesson_id": lesson, "seq": seq, "played": played, "position": position,
            "rate": 1.0, "visible": true, "idle_seconds": 3 })
}

async fn send(c: &Client, body: Value) -> Value {
    let r = c.post("/api/v1/heartbeats", body).await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap_or_default());
    r.json().await.expect("ack")
}

fn reasons(ack: &Value) -> Vec<String> {
    ack["discarded"]
        .as_array()
        .expect("discarded")
        .iter()
        .map(|d| d["reason"].as_str().expect("reason").to_owned())
        .collect()
}

on_both_databases! {
    async fn watching_a_video_credits_unique_time_and_completes_it_at_95_percent(app) {
        let app: TestApp = app;
        let (course, lesson) = video_course(&app, &app.login("organizer").await, BRANCH_1, 100.0, json!(null)).await;
        let m = app.login("member").await;
        let s = open(&m, lesson).await;

        pass(&app, &s, 60_000).await;
        let a = send(&m, beat(&s, lesson, 1, &[[0.0, 60.0]], 60.0)).await;
        assert_eq!((a["verdict"].as_str(), a["credited_seconds"].as_f64()), (Some("accepted"), Some(60.0)));
        assert_eq!(a["progress"]["completed"], false);
        // Back to 50 s, then on to 96 s: 46 s of playback.
        pass(&app, &s, 46_000).await;
        let b = send(&m, beat(&s, lesson, 2, &[[50.0, 96.0]], 96.0)).await;

        assert_eq!(b["credited_seconds"].as_f64(), Some(36.0), "{b}");
        assert_eq!(reasons(&b), vec!["already_watched"]);
        assert_eq!(b["progress"]["completed"], true);
        assert_eq!(b["progress"]["watched"], json!([[0.0, 96.0]]));
        let hours: Value = m.get("/api/v1/study/hours").await.json().await.expect("hours");
        assert_eq!(hours["courses"][0]["course_id"].as_i64(), Some(course));
        assert_eq!(hours["courses"][0]["credited_seconds"].as_f64(), Some(96.0));
        assert_eq!(hours["courses"][0]["lessons"][0]["completed"], true);
        assert_eq!(hours["total"]["credited_ms"].as_u64(), Some(96_000));
        let receipt: Value = m.get("/api/v1/study/receipt").await.json().await.expect("receipt");
        let lines = receipt["lines"].as_array().expect("lines");
        let credited: f64 = lines.iter().filter(|l| l["credited"] == true).map(|l| l["seconds"].as_f64().unwrap_or(0.0)).sum();
        assert_eq!(credited, 96.0);
        assert!(lines.iter().any(|l| l["reason"] == "already_watched" && l["media"] == json!([50.0, 60.0])), "{receipt}");
    }

    async fn a_replayed_heartbeat_is_answered_again_but_never_credited_twice(app) {
        let app: TestApp = app;
        let (_, lesson) = video_course(&app, &app.login("organizer").await, BRANCH_1, 100.0, json!(null)).await;
        let m = app.login("member").await;
        let s = open(&m, lesson).await;
        pass(&app, &s, 20_000).await;

        let first = send(&m, beat(&s, lesson, 1, &[[0.0, 20.0]], 20.0)).await;
        let again = send(&m, beat(&s, lesson, 1, &[[0.0, 20.0]], 20.0)).await;
        pass(&app, &s, 10_000).await;
        send(&m, beat(&s, lesson, 2, &[[20.0, 30.0]], 30.0)).await;
        let late = send(&m, beat(&s, lesson, 1, &[[0.0, 20.0]], 20.0)).await;

        assert_eq!(first["credited_seconds"].as_f64(), Some(20.0));
        assert_eq!((again["verdict"].as_str(), again["credited_seconds"].as_f64()), (Some("duplicate"), Some(0.0)));
        assert_eq!(late["verdict"], "out_of_order");
        assert_eq!(app.count("heartbeats").await, 2);
        let hours: Value = m.get("/api/v1/study/hours").await.json().await.expect("hours");
        assert_eq!(hours["total"]["credited_ms"].as_u64(), Some(30_000));
    }

    async fn opening_the_lesson_elsewhere_takes_over_and_the_first_session_stops_earning(app) {
        let app: TestApp = app;
        let (_, lesson) = video_course(&app, &app.login("organizer").await, BRANCH_1, 100.0, json!(null)).await;
        let phone = app.login("member").await;
        let pc = app.login("member").await;
        let s1 = open(&phone, lesson).await;
        pass(&app, &s1, 30_000).await;
        send(&phone, beat(&s1, lesson, 1, &[[0.0, 30.0]], 30.0)).await;

        let s2 = open(&pc, lesson).await;
        let resumed: Value = pc.get(&format!("/api/v1/lessons/{lesson}/progress")).await.json().await.expect("progress");
        pass(&app, &s1, 10_000).await;
        let stale = send(&phone, beat(&s1, lesson, 2, &[[30.0, 40.0]], 40.0)).await;

        assert_eq!(resumed["position"].as_f64(), Some(30.0));
        assert_ne!(s1, s2);
        assert_eq!(stale["verdict"], "superseded");
        assert_eq!(reasons(&stale), vec!["second_session"]);
        assert_eq!(stale["credited_seconds"].as_f64(), Some(0.0));
        let receipt: Value = phone.get("/api/v1/study/receipt").await.json().await.expect("receipt");
        assert!(receipt["lines"].as_array().expect("lines").iter().any(|l| l["reason"] == "second_session"));
    }

    async fn hidden_idle_skipped_and_implausible_time_is_discarded_with_its_reason(app) {
        let app: TestApp = app;
        let (_, lesson) = video_course(&app, &app.login("organizer").await, BRANCH_1, 600.0, json!({ "idle_minutes": 5 })).await;
        let m = app.login("member").await;
        let s = open(&m, lesson).await;

        pass(&app, &s, 10_000).await;
        let mut hidden = beat(&s, lesson, 1, &[[0.0, 10.0]], 10.0);
        hidden["visible"] = json!(false);
        let hidden = send(&m, hidden).await;
        pass(&app, &s, 10_000).await;
        let mut idle = beat(&s, lesson, 2, &[[0.0, 10.0]], 10.0);
        idle["idle_seconds"] = json!(301);
        let idle = send(&m, idle).await;
        pass(&app, &s, 10_000).await;
        let skipped = send(&m, beat(&s, lesson, 3, &[[300.0, 310.0]], 310.0)).await;
        pass(&app, &s, 10_000).await;
        let jump = send(&m, beat(&s, lesson, 4, &[[0.0, 120.0]], 120.0)).await;

        assert_eq!(reasons(&hidden), vec!["page_hidden"]);
        assert_eq!(reasons(&idle), vec!["idle"]);
        assert_eq!(reasons(&skipped), vec!["skipped_ahead"]);
        assert!(reasons(&jump).contains(&"implausible_jump".to_string()), "{jump}");
        // 10 s passed (plus the moments the requests took).
        assert!(jump["credited_seconds"].as_f64().expect("credited") < 10.5, "{jump}");
        // Resume does not land in the skipped-to part.
        let p: Value = m.get(&format!("/api/v1/lessons/{lesson}/progress")).await.json().await.expect("progress");
        assert!(p["position"].as_f64().expect("position") < 12.0, "{p}");
        let zh: Value = m.get("/api/v1/study/receipt").await.json().await.expect("receipt");
        let texts: Vec<&str> = zh["lines"].as_array().expect("lines").iter().filter_map(|l| l["reason_text"].as_str()).collect();
        assert!(texts.contains(&"页面不在前台，不计学时"), "{texts:?}");
    }

    async fn impossible_or_foreign_heartbeats_are_refused_and_store_nothing(app) {
        let app: TestApp = app;
        let (_, lesson) = video_course(&app, &app.login("organizer").await, BRANCH_1, 100.0, json!(null)).await;
        let (_, other_lesson) = video_course(&app, &app.login("organizer").await, BRANCH_1, 50.0, json!(null)).await;
        let m = app.login("member").await;
        let s = open(&m, lesson).await;
        let m2 = app.login("member2").await;
        let s2 = open(&m2, lesson).await;
        let good = beat(&s, lesson, 1, &[[0.0, 5.0]], 5.0);

        let with = |k: &str, v: Value| { let mut b = good.clone(); b[k] = v; b };
        for body in [
            with("played", json!([[5.0, 2.0]])),
            with("played", json!([[-1.0, 2.0]])),
            with("rate", json!(16)),
            with("rate", json!(0)),
            with("position", json!(-4)),
            with("seq", json!(0)),
            with("completed", json!(true)),
            with("session_id", json!("not-a-session")),
            with("played", json!(vec![[0.0, 1.0]; 65])),
            with("lesson_id", json!(other_lesson)),
        ] {
            let r = m.post("/api/v1/heartbeats", body.clone()).await;
            let e = expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
            assert!(!e["message"].as_str().unwrap_or("").is_empty(), "{body}");
        }
        let huge = with("played", json!(vec![[0.123456789, 1.123456789]; 1000]));
        expect_error(m.post("/api/v1/heartbeats", huge).await, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
        // Another member's session, a made-up one: as if they did not exist.
        expect_error(m.post("/api/v1/heartbeats", beat(&s2, lesson, 1, &[], 0.0)).await, StatusCode::NOT_FOUND, "not_found").await;
        let made_up = beat("0f8fad5b-d9cb-469f-a165-70867728950e", lesson, 1, &[], 0.0);
        expect_error(m.post("/api/v1/heartbeats", made_up).await, StatusCode::NOT_FOUND, "not_found").await;
        let r = app.anonymous().await.post("/api/v1/heartbeats", good.clone()).await;
        expect_error(r, StatusCode::UNAUTHORIZED, "unauthenticated").await;
        let r = m.http.post(format!("{}/api/v1/heartbeats", m.base)).header("x-csrf-token", "wrong").json(&good).send().await.expect("send");
        expect_error(r, StatusCode::FORBIDDEN, "csrf_failed").await;

        assert_eq!(app.count("heartbeats").await, 0);
        assert_eq!(app.count("study_entries").await, 0);
        assert_eq!(app.count("lesson_progress").await, 0);
    }

    async fn lessons_outside_the_audience_cannot_be_opened_or_read(app) {
        let app: TestApp = app;
        let o1 = app.login("organizer").await;
        let (course, lesson) = video_course(&app, &o1, BRANCH_1, 100.0, json!(null)).await;
        let outsider = app.login("member3").await;
        let o2 = app.login("organizer2").await;

        for c in [&outsider, &o2] {
            expect_error(c.post(&format!("/api/v1/lessons/{lesson}/sessions"), json!({})).await, StatusCode::NOT_FOUND, "not_found").await;
            expect_error(c.get(&format!("/api/v1/lessons/{lesson}/progress")).await, StatusCode::NOT_FOUND, "not_found").await;
            expect_error(c.get(&format!("/api/v1/courses/{course}")).await, StatusCode::NOT_FOUND, "not_found").await;
        }
        let r = o2.put(&format!("/api/v1/courses/{course}/rules"), json!({ "coverage_percent": 50 })).await;
        expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
        let member = app.login("member").await;
        let r = member.post("/api/v1/courses", json!({ "org_id": app.org_id(BRANCH_1).await, "title": "x" })).await;
        expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
        let r = o1.post("/api/v1/courses", json!({ "org_id": app.org_id(BRANCH_2).await, "title": "x" })).await;
        expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
        assert_eq!(o1.post(&format!("/api/v1/courses/{course}/unpublish"), json!({})).await.status(), StatusCode::OK);
        expect_error(member.post(&format!("/api/v1/lessons/{lesson}/sessions"), json!({})).await, StatusCode::NOT_FOUND, "not_found").await;
        let r = o1.put(&format!("/api/v1/courses/{course}/rules"), json!({ "coverage_percent": 20 })).await;
        expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
    }

    async fn records_are_private_to_the_member_and_organizers_in_scope(app) {
        let app: TestApp = app;
        let (_, lesson) = video_course(&app, &app.login("organizer").await, BRANCH_1, 100.0, json!(null)).await;
        let m = app.login("member").await;
        watch_from_start(&app, &m, lesson, 10.0).await;
        let id = app.person_id("member").await;

        for path in [format!("/api/v1/study/hours?person_id={id}"), format!("/api/v1/study/receipt?person_id={id}"),
                     format!("/api/v1/xapi/statements?person_id={id}")] {
            assert_eq!(app.login("organizer").await.get(&path).await.status(), StatusCode::OK, "{path}");
            expect_error(app.login("organizer2").await.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
            expect_error(app.login("member2").await.get(&path).await, StatusCode::FORBIDDEN, "forbidden").await;
        }
    }

    async fn admins_edit_the_hour_rules_and_totals_are_restated(app) {
        let app: TestApp = app;
        let (_, lesson) = video_course(&app, &app.login("organizer").await, BRANCH_1, 3000.0, json!(null)).await;
        let m = app.login("member").await;
        watch_from_start(&app, &m, lesson, 2700.0).await;

        let before: Value = m.get("/api/v1/study/hours").await.json().await.expect("hours");
        let r = m.put("/api/v1/study/rules", json!({ "minutes_per_hour": 30 })).await;
        expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
        let admin = app.login("admin").await;
        let r = admin.put("/api/v1/study/rules", json!({ "minutes_per_hour": 0 })).await;
        expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        let r = admin.put("/api/v1/study/rules", json!({ "minutes_per_hour": 30, "daily_cap_minutes": 40, "member_target_hours": 10 })).await;
        assert_eq!(r.status(), StatusCode::OK);
        let after: Value = m.get("/api/v1/study/hours").await.json().await.expect("hours");
        let rules: Value = m.get("/api/v1/study/rules").await.json().await.expect("rules");

        assert_eq!(before["total"]["hours"].as_f64(), Some(1.0));
        assert_eq!(after["total"]["hours"].as_f64(), Some(1.33), "{after}");
        assert_eq!(after["total"]["over_cap_ms"].as_u64(), Some(5 * 60_000));
        assert_eq!(after["total"]["target_hours"].as_u64(), Some(10));
        assert_eq!(rules["minutes_per_hour"].as_u64(), Some(30));
    }

    async fn the_record_exports_as_xapi_video_statements(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (course, lesson) = video_course(&app, &o, BRANCH_1, 20.0, json!(null)).await;
        let m = app.login("member").await;
        let s = watch_from_start(&app, &m, lesson, 10.0).await;
        pass(&app, &s, 10_000).await;
        let mut end = beat(&s, lesson, 2, &[[10.0, 20.0]], 20.0);
        end["event"] = json!("ended");
        send(&m, end).await;

        let mine: Value = m.get("/api/v1/xapi/statements").await.json().await.expect("statements");
        let all: Value = o.get(&format!("/api/v1/xapi/statements?course_id={course}")).await.json().await.expect("statements");
        expect_error(app.login("organizer2").await.get(&format!("/api/v1/xapi/statements?course_id={course}")).await,
            StatusCode::NOT_FOUND, "not_found").await;
        expect_error(m.get(&format!("/api/v1/xapi/statements?course_id={course}")).await, StatusCode::FORBIDDEN, "forbidden").await;

        let verbs: Vec<&str> = mine["statements"].as_array().expect("statements").iter()
            .filter_map(|st| st["verb"]["id"].as_str()).collect();
        assert_eq!(verbs, vec![
            "http://adlnet.gov/expapi/verbs/initialized",
            "https://w3id.org/xapi/video/verbs/played",
            "https://w3id.org/xapi/video/verbs/paused",
            "http://adlnet.gov/expapi/verbs/completed",
        ]);
        let played = &mine["statements"][1];
        assert_eq!(played["result"]["extensions"]["https://w3id.org/xapi/video/extensions/played-segments"], "0.000[.]10.000");
        assert_eq!(played["context"]["extensions"]["https://w3id.org/xapi/video/extensions/length"].as_f64(), Some(20.0));
        assert_eq!(played["actor"]["account"]["name"], "member");
        assert_eq!(mine["statements"][3]["result"]["completion"], true);
        assert_eq!(all["statements"], mine["statements"]);
        assert_eq!(mine["more"], "");
    }

    async fn the_openapi_document_describes_the_study_endpoints(app) {
        let app: TestApp = app;
        let doc: Value = app.anonymous().await.get("/api/v1/openapi.json").await.json().await.expect("doc");
        for path in ["/api/v1/heartbeats", "/api/v1/lessons/{id}/sessions", "/api/v1/lessons/{id}/progress",
                     "/api/v1/study/receipt", "/api/v1/study/hours", "/api/v1/study/rules", "/api/v1/xapi/statements",
                     "/api/v1/courses", "/api/v1/lessons/{id}", "/api/v1/lessons/{id}/files/{path}"] {
            assert!(doc["paths"][path].is_object(), "{path} missing");
        }
        assert!(doc["components"]["schemas"]["HeartbeatIn"].is_object());
    }

    async fn material_used_by_a_lesson_cannot_be_deleted_from_under_it(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (course, _) = video_course(&app, &o, BRANCH_1, 100.0, json!(null)).await;
        let view: Value = o.get(&format!("/api/v1/courses/{course}")).await.json().await.expect("course");
        let media = view["lessons"][0]["media_id"].as_i64().expect("media id");

        let r = o.delete(&format!("/api/v1/media/{media}")).await;

        expect_error(r, StatusCode::CONFLICT, "conflict").await;
        assert_eq!(o.get(&format!("/api/v1/media/{media}")).await.status(), StatusCode::OK);
    }

    async fn the_same_heartbeat_sent_many_times_at_once_is_credited_once(app) {
        let app: TestApp = app;
        let (_, lesson) = video_course(&app, &app.login("organizer").await, BRANCH_1, 100.0, json!(null)).await;
        let m = app.login("member").await;
        let s = open(&m, lesson).await;
        pass(&app, &s, 20_000).await;
        let body = beat(&s, lesson, 1, &[[0.0, 20.0]], 20.0);

        let answers = futures::future::join_all((0..12).map(|_| send(&m, body.clone()))).await;

        let verdicts: Vec<&str> = answers.iter().filter_map(|a| a["verdict"].as_str()).collect();
        assert_eq!(verdicts.iter().filter(|v| **v == "accepted").count(), 1, "{verdicts:?}");
        assert_eq!(verdicts.iter().filter(|v| **v == "duplicate").count(), 11, "{verdicts:?}");
        assert_eq!(app.count("heartbeats").await, 1);
        let hours: Value = m.get("/api/v1/study/hours").await.json().await.expect("hours");
        assert_eq!(hours["total"]["credited_ms"].as_u64(), Some(20_000));
        let rolled = app
            .db
            .query_one_raw(Statement::from_string(
                app.db.get_database_backend(),
                "SELECT CAST(SUM(credited_ms) AS BIGINT) AS ms FROM study_days".to_owned(),
            ))
            .await
            .expect("query")
            .expect("row");
        assert_eq!(rolled.try_get::<i64>("", "ms").expect("ms"), 20_000, "the day's roll-up, once");
    }

    async fn deleting_a_member_or_an_unstudied_lesson_deletes_its_study_logs(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (_, lesson) = video_course(&app, &o, BRANCH_1, 100.0, json!(null)).await;
        let (member, member2) = (app.person_id("member").await, app.person_id("member2").await);
        watch_from_start(&app, &app.login("member").await, lesson, 20.0).await;
        watch_from_start(&app, &app.login("member2").await, lesson, 20.0).await;
        let this = &app;
        let rows = |table: &str, column: &str, id: i64| {
            let sql = format!("SELECT COUNT(*) AS n FROM {table} WHERE {column} = {id}");
            async move { this.number(&sql).await }
        };
        for table in ["heartbeats", "study_entries", "playback_sessions"] {
            assert!(rows(table, "person_id", member).await > 0, "{table}");
        }

        assert_eq!(o.delete(&format!("/api/v1/people/{member}")).await.status(), StatusCode::NO_CONTENT);
        for table in ["heartbeats", "study_entries", "playback_sessions"] {
            assert_eq!(rows(table, "person_id", member).await, 0, "{table} of the deleted member");
            assert!(rows(table, "person_id", member2).await > 0, "{table} of another member");
        }

        // A lesson opened and beaten on, but with nothing credited or
        // discarded, may still be deleted; its heartbeats go with it.
        let (_, unstudied) = video_course(&app, &o, BRANCH_1, 100.0, json!(null)).await;
        let m2 = app.login("member2").await;
        let s = open(&m2, unstudied).await;
        send(&m2, beat(&s, unstudied, 1, &[], 0.0)).await;
        assert_eq!(rows("heartbeats", "lesson_id", unstudied).await, 1);
        assert_eq!(rows("study_entries", "lesson_id", unstudied).await, 0);
        assert_eq!(o.delete(&format!("/api/v1/lessons/{unstudied}")).await.status(), StatusCode::NO_CONTENT);
        assert_eq!(rows("heartbeats", "lesson_id", unstudied).await, 0);
        assert!(rows("heartbeats", "lesson_id", lesson).await > 0, "the other lesson's heartbeats stay");
    }

    async fn app_servers_sharing_the_database_keep_the_ledger_and_the_receipts_in_step(app) {
        let app: TestApp = app;
        let peer = app.spawn_peer().await;
        // Free seeking, so that a beat that overtakes its predecessor is
        // credited too.
        let rules = json!({ "seek": "free" });
        let (_, lesson) = video_course(&app, &app.login("organizer").await, BRANCH_1, 1000.0, rules).await;
        let m = app.login("member").await;
        let m_on_peer = m.on(&peer);
        let s = open(&m, lesson).await;

        // Consecutive heartbeats of one session reach two app servers at
        // once, as they can behind a load balancer: both servers read the
        // session before either writes. Only one may build on what it read.
        let mut verdicts = Vec::new();
        for round in 0..20u32 {
            pass(&app, &s, 10_000).await;
            let t = f64::from(round) * 10.0;
            let (a, b) = tokio::join!(
                send(&m, beat(&s, lesson, 2 * round + 1, &[[t, t + 5.0]], t + 5.0)),
                send(&m_on_peer, beat(&s, lesson, 2 * round + 2, &[[t + 5.0, t + 10.0]], t + 10.0)),
            );
            verdicts.extend([a, b].map(|ack| ack["verdict"].as_str().expect("verdict").to_owned()));
        }
        assert!(verdicts.iter().any(|v| v == "accepted"), "{verdicts:?}");

        // What the accepted heartbeats credited is exactly what the ledger and
        // the study-hour roll-up hold: no server's write overwrote another's.
        let credited = app.number("SELECT CAST(SUM(credited_ms) AS BIGINT) AS n FROM heartbeats").await;
        let ledger = app.number("SELECT CAST(SUM(study_ms) AS BIGINT) AS n FROM lesson_progress").await;
        let days = app.number("SELECT CAST(SUM(credited_ms) AS BIGINT) AS n FROM study_days").await;
        assert!(credited > 0, "{verdicts:?}");
        assert_eq!(ledger, credited, "the ledger against the heartbeats; verdicts {verdicts:?}");
        assert_eq!(days, credited, "the day roll-up against the heartbeats");
    }
}
