//! Completion reports through the API: the roll-up by org node with
//! drill-down to members, per course and assignment, overdue lists, study
//! hours, a member's 学习档案; exports read back (CSV, XLSX) and compared
//! with the JSON; snapshots that do not change; a transferred member's
//! record; and that an organizer of one branch never sees another's.
//!
//! Assignments are made here by writing their rows directly (the
//! assignments API has its own tests); everything else goes through HTTP.

use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::{json, Value};

use crate::courses::{article_lesson, new_course, ok, publish};
use crate::helpers::{expect_error, Client, TestApp, BRANCH_1};
use crate::on_both_databases;
use crate::study::{open, pass, video_course, watch_from_start};

const GENERAL: &str = "示范市委党校党委/机关党总支";

/// The date `offset` days from today in the platform's zone (UTC+8).
pub fn day(offset: i64) -> String {
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    (today + chrono::Duration::days(offset)).format("%Y-%m-%d").to_string()
}

/// A published course of `org` with two short articles; (course, lessons).
pub async fn course(app: &TestApp, c: &Client, org: &str, title: &str) -> (i64, [i64; 2]) {
    let id = new_course(app, c, org, title, json!({})).await;
    let a = article_lesson(c, id, "第一讲", "## 党章\n\n认真学习。").await;
    let b = article_lesson(c, id, "第二讲", "## 党史\n\n认真学习。").await;
    publish(c, id).await;
    (id, [a, b])
}

/// Reads an article long enough to complete it.
pub async fn read(app: &TestApp, c: &Client, lesson: i64) {
    let session = open(c, lesson).await;
    pass(app, &session, 31_000).await;
    let beat = json!({ "session_id": session, "lesson_id": lesson, "seq": 1, "position": 1.0, "visible": true,
                       "idle_seconds": 1, "visible_seconds": 31 });
    let ack = ok(c.post("/api/v1/heartbeats", beat).await).await;
    assert_eq!(ack["progress"]["completed"], true, "{ack}");
}

/// Assigns `course` to everyone in `org`'s subtree, due `due_on`, as the
/// assignments service would store it.
pub async fn assign(app: &TestApp, org: &str, course: i64, due_on: &str) -> i64 {
    let org_id = app.org_id(org).await;
    let target = json!({ "orgs": [org_id], "roles": [], "people": [] }).to_string();
    app.db
        .execute_unprepared(&format!(
            "INSERT INTO assignments (course_id, org_id, target, due_on, created_at, updated_at) \
             VALUES ({course}, {org_id}, '{target}', '{due_on}', 0, 0)"
        ))
        .await
        .expect("assignment");
    let row = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT MAX(id) AS id FROM assignments".to_owned(),
        ))
        .await
        .expect("query")
        .expect("row");
    let id: i64 = row.try_get("", "id").expect("id");
    let path: String = {
        let row = app
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                app.db.get_database_backend(),
                format!("SELECT path FROM orgs WHERE id = {org_id}"),
            ))
            .await
            .expect("query")
            .expect("row");
        row.try_get("", "path").expect("path")
    };
    app.db
        .execute_unprepared(&format!(
            "INSERT INTO assignment_members (assignment_id, person_id) SELECT {id}, p.id FROM people p \
             JOIN orgs o ON o.id = p.org_id WHERE o.path LIKE '{path}%'"
        ))
        .await
        .expect("members");
    dangxiao_server::services::course_records::mark_assignment(&app.db, id).await.expect("mark");
    id
}

pub async fn report(c: &Client, query: &str) -> Value {
    ok(c.get(&format!("/api/v1/reports?{query}")).await).await["report"].clone()
}

/// (name, people, assigned, done, overdue) of each child and the total.
pub fn rows(r: &Value) -> Vec<(String, u64, u64, u64, u64)> {
    let row = |n: &Value| {
        let c = &n["counts"];
        (
            n["org"]["name"].as_str().unwrap_or_default().to_owned(),
            n["people"].as_u64().unwrap_or(0),
            c["assigned"].as_u64().unwrap_or(0),
            c["assigned_done"].as_u64().unwrap_or(0),
            c["overdue"].as_u64().unwrap_or(0),
        )
    };
    let mut out: Vec<_> = r["children"].as_array().expect("children").iter().map(row).collect();
    out.push(row(&r["total"]));
    out
}

/// A member's 学时 this year as they see it (computed from their receipt).
async fn own_hours(c: &Client) -> Value {
    c.get("/api/v1/study/hours").await.json::<Value>().await.expect("hours")["total"]["hours"].clone()
}

fn row_of<'a>(r: &'a Value, login: &str) -> &'a Value {
    r["rows"].as_array().expect("rows").iter().find(|m| m["login"] == login).expect("member listed")
}

on_both_databases! {
    async fn completion_rolls_up_by_branch_and_drills_down_to_members(app) {
        let app: TestApp = app;
        let admin = app.login("admin").await;
        let (course, [a, b]) = course(&app, &admin, GENERAL, "学习二十大精神").await;
        assign(&app, GENERAL, course, &day(10)).await;
        let general = app.org_id(GENERAL).await;
        // A report before anyone studies: the assignment's records are
        // computed now, so what follows must reach them through the marks
        // the heartbeats make.
        let before = report(&admin, &format!("kind=org&org_id={general}")).await;
        assert_eq!((before["total"]["counts"]["assigned"].as_u64(), before["total"]["counts"]["started"].as_u64()), (Some(6), Some(0)));
        let member = app.login("member").await;
        read(&app, &member, a).await;
        read(&app, &member, b).await;
        read(&app, &app.login("member3").await, a).await;

        let r = report(&admin, &format!("kind=org&org_id={general}")).await;

        assert_eq!(r["org"]["name"], "机关党总支");
        assert_eq!(rows(&r), [
            ("第一党支部".to_owned(), 4, 4, 1, 0),
            ("第二党支部".to_owned(), 2, 2, 0, 0),
            ("机关党总支".to_owned(), 6, 6, 1, 0),
        ]);
        assert_eq!(r["total"]["counts"]["started"], 2, "member and member3 started");
        assert_eq!(r["children"][0]["has_children"], true, "第一党支部 has 第一党小组");
        let by_course = report(&admin, &format!("kind=course&org_id={general}&course_id={course}")).await;
        assert_eq!(rows(&by_course), rows(&r));
        assert_eq!(by_course["course"]["name"], "学习二十大精神");

        // Drill down: the branch, then its people.
        let branch = app.org_id(BRANCH_1).await;
        let down = report(&admin, &format!("kind=org&org_id={branch}")).await;
        assert_eq!(down["breadcrumb"].as_array().map(Vec::len), Some(2), "党委 and 总支 above it: {down}");
        let people = report(&admin, &format!("kind=members&org_id={branch}")).await;
        let logins: Vec<&str> = people["rows"].as_array().unwrap().iter().map(|m| m["login"].as_str().unwrap()).collect();
        assert_eq!(logins.len(), 4, "{logins:?}");
        let li = row_of(&people, "member");
        assert_eq!((li["counts"]["assigned"].as_u64(), li["counts"]["assigned_done"].as_u64()), (Some(1), Some(1)));
        assert!(li["hours"].as_f64().is_some_and(|h| h > 0.0), "{li}");
        assert_eq!(row_of(&people, "member2")["counts"]["assigned_done"], 0);
    }

    async fn overdue_lists_assigned_courses_and_make_up_study_past_their_deadline(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (course, [a, _]) = course(&app, &o, BRANCH_1, "党规党纪").await;
        let assignment = assign(&app, BRANCH_1, course, &day(5)).await;
        // Time passes: the due day is behind us. (The meeting's deadline, 14
        // days after it was held 30 days ago, is 16 days behind.)
        app.db.execute_unprepared(&format!("UPDATE assignments SET due_on = '{}' WHERE id = {assignment}", day(-3)))
            .await.expect("age");
        dangxiao_server::services::course_records::mark_assignment(&app.db, assignment).await.expect("mark");
        let branch = app.org_id(BRANCH_1).await;
        let people = json!([
            { "person_id": app.person_id("organizer").await, "status": "present" },
            { "person_id": app.person_id("member").await, "status": "absent" },
            { "person_id": app.person_id("member2").await, "status": "present" },
            { "person_id": app.person_id("activist").await, "status": "present" },
        ]);
        let meeting = ok(o.post("/api/v1/meetings", json!({ "org_id": branch, "kind": "party_lecture",
            "held_on": day(-30), "topic": "专题党课", "lesson_ids": [a], "attendance": people })).await).await;

        let r = report(&o, "kind=overdue").await;

        let listed: Vec<(String, String, String, u64)> = r["rows"].as_array().unwrap().iter().map(|x| (
            x["name"].as_str().unwrap().to_owned(), x["source"].as_str().unwrap().to_owned(),
            x["subject"]["name"].as_str().unwrap().to_owned(), x["days_overdue"].as_u64().unwrap())).collect();
        assert!(listed.contains(&("李学习".into(), "meeting".into(), "专题党课".into(), 16)), "{listed:?}");
        assert!(listed.contains(&("张红".into(), "assignment".into(), "党规党纪".into(), 3)), "{listed:?}");
        assert_eq!(listed.iter().filter(|x| x.1 == "assignment").count(), 4, "everyone assigned: {listed:?}");
        let makeup = r["rows"].as_array().unwrap().iter().find(|x| x["source"] == "meeting").expect("the make-up");
        assert_eq!(makeup["subject"]["id"], meeting["id"]);
        let org = report(&o, "kind=org").await;
        assert_eq!(org["total"]["counts"]["overdue"], 4);

        // Once done, off the list.
        let member = app.login("member").await;
        read(&app, &member, a).await;
        let r = report(&o, "kind=overdue").await;
        assert!(!r["rows"].as_array().unwrap().iter().any(|x| x["source"] == "meeting"), "{r}");
    }

    async fn study_hours_count_against_the_yearly_target(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (_, [a, b]) = course(&app, &o, BRANCH_1, "理论学习").await;
        let member = app.login("member").await;
        read(&app, &member, a).await;
        read(&app, &member, b).await;

        let r = report(&o, "kind=hours").await;

        assert_eq!(r["total"]["people"], 4);
        assert_eq!(r["member_target_hours"], 32);
        let months = r["months"].as_array().expect("months");
        assert_eq!(months.len(), 12);
        let month = (chrono::Utc::now() + chrono::Duration::hours(8)).format("%m").to_string();
        let this_month = months[month.parse::<usize>().unwrap() - 1].as_f64().unwrap();
        // 62 s credited: under one 学时 of 45 minutes, above zero.
        assert!(this_month > 0.0 && this_month < 1.0, "{months:?}");
        assert_eq!(r["total"]["reached"], 0);
    }

    async fn report_hours_agree_with_the_members_own_total_and_follow_a_new_daily_cap(app) {
        let app: TestApp = app;
        let (_, lesson) = video_course(&app, &app.login("organizer").await, BRANCH_1, 3000.0, json!(null)).await;
        let m = app.login("member").await;
        watch_from_start(&app, &m, lesson, 2700.0).await;
        let o = app.login("organizer").await;
        let branch = app.org_id(BRANCH_1).await;
        let month = (chrono::Utc::now() + chrono::Duration::hours(8)).format("%m").to_string();
        let month = month.parse::<usize>().unwrap() - 1;

        // 45 minutes: one 学时, in the members list, the month and the average.
        let people = report(&o, &format!("kind=members&org_id={branch}")).await;
        assert_eq!(row_of(&people, "member")["hours"], own_hours(&m).await);
        assert_eq!(own_hours(&m).await.as_f64(), Some(1.0));
        let hours = report(&o, "kind=hours").await;
        assert_eq!(hours["months"][month].as_f64(), Some(1.0), "{hours}");
        assert_eq!(hours["total"]["average_hours"].as_f64(), Some(0.25), "one of four: {hours}");

        // 30 minutes a 学时, at most 40 a day: the capped total is recounted.
        let admin = app.login("admin").await;
        let r = admin.put("/api/v1/study/rules", json!({ "minutes_per_hour": 30, "daily_cap_minutes": 40 })).await;
        assert_eq!(r.status(), StatusCode::OK);
        let people = report(&o, &format!("kind=members&org_id={branch}")).await;
        assert_eq!(own_hours(&m).await.as_f64(), Some(1.33));
        assert_eq!(row_of(&people, "member")["hours"], own_hours(&m).await);
        let hours = report(&o, "kind=hours").await;
        assert_eq!(hours["months"][month].as_f64(), Some(1.5), "the month is not capped: {hours}");
        assert_eq!(hours["total"]["average_hours"].as_f64(), Some(0.33), "{hours}");
    }

    async fn a_members_archive_lists_courses_hours_and_make_ups(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (course, [a, _]) = course(&app, &o, BRANCH_1, "党史学习").await;
        assign(&app, BRANCH_1, course, &day(7)).await;
        let member = app.login("member").await;
        read(&app, &member, a).await;
        let id = app.person_id("member").await;

        let mine = report(&member, &format!("kind=person&person_id={id}")).await;
        let theirs = report(&o, &format!("kind=person&person_id={id}")).await;

        assert_eq!(mine, theirs);
        let c = &mine["courses"][0];
        assert_eq!((c["course"]["name"].as_str(), c["assigned"].as_bool(), c["lessons_done"].as_u64(), c["lessons_total"].as_u64()),
            (Some("党史学习"), Some(true), Some(1), Some(2)));
        assert_eq!(c["due_on"], day(7));
        assert!(c["started_on"].is_string() && c["completed_on"].is_null(), "{c}");
        assert!(mine["years"][0]["hours"].as_f64().is_some());
        // Someone else's archive: members may not, other branches cannot see it exists.
        let other = app.person_id("member2").await;
        expect_error(member.get(&format!("/api/v1/reports?kind=person&person_id={other}")).await, StatusCode::FORBIDDEN, "forbidden").await;
        expect_error(app.login("organizer2").await.get(&format!("/api/v1/reports?kind=person&person_id={id}")).await,
            StatusCode::NOT_FOUND, "not_found").await;
    }

    async fn the_study_hour_roll_up_ends_while_members_keep_studying(app) {
        let app: TestApp = app;
        // 1,200 members (more than two refresh batches), each with a credited day.
        add_members(&app, "steady", 1200).await;
        app.db.execute_unprepared(
            "INSERT INTO study_days (person_id, day, year, credited_ms, dirty) \
             SELECT id, '2026-11-24', 2026, 60000, TRUE FROM people WHERE login LIKE 'steady%'",
        ).await.expect("days");
        let credit_again = || app.db.execute_unprepared(
            "UPDATE study_days SET credited_ms = credited_ms + 1000, dirty = TRUE",
        );

        // Every member is credited again (as heartbeats would, marking the
        // day each time) before the pass and after each of its batches. The
        // app's own loops are off, so this pass is the only one.
        credit_again().await.expect("credit");
        let mut pass = dangxiao_server::services::study::rollup::Pass::default();
        let mut batches = Vec::new();
        while let Some(written) = pass.next_batch(&app.db).await.expect("refresh batch") {
            batches.push(written);
            assert!(batches.len() <= 3, "the pass starts over: {batches:?}");
            credit_again().await.expect("credit");
        }
        // One pass: each member's year written once, though all were marked
        // again after every batch.
        assert!(batches.iter().sum::<usize>() <= 1200, "{batches:?}");
        assert_eq!(batches, [500, 500, 200], "the pass found every member marked");
        // Once they stop, the next refresh catches up with every day.
        dangxiao_server::services::study::rollup::refresh(&app.db).await.expect("refresh");
        let sum = |table: &str| format!("SELECT CAST(COALESCE(SUM(credited_ms), 0) AS BIGINT) AS ms FROM {table}");
        let (days, years) = (scalar(&app, &sum("study_days")).await, scalar(&app, &sum("study_years")).await);
        assert_eq!(days, years);
        assert_eq!(scalar(&app, "SELECT COUNT(*) AS ms FROM study_days WHERE dirty").await, 0);
    }

    async fn an_assignment_page_lists_its_first_500_members_not_done_first(app) {
        let app: TestApp = app;
        let admin = app.login("admin").await;
        add_members(&app, "bulk", 520).await;
        let (course, [a, b]) = course(&app, &admin, GENERAL, "大规模指派").await;
        let id = assign(&app, GENERAL, course, &day(5)).await;
        let member3 = app.login("member3").await;
        read(&app, &member3, a).await;
        read(&app, &member3, b).await;

        let page = ok(admin.get(&format!("/api/v1/assignments/{id}")).await).await;

        let members = page["members"].as_array().expect("members");
        assert_eq!(members.len(), 500);
        assert_eq!(page["truncated"], true);
        assert!(members.iter().all(|m| m["done"] == false), "those not done come first");
        let all = report(&admin, &format!("kind=members&assignment_id={id}&org_id={}", app.org_id(GENERAL).await)).await;
        assert_eq!(all["rows"].as_array().map(Vec::len), Some(526), "the report lists everyone");
    }
}

/// The `ms` column of a one-row query.
async fn scalar(app: &TestApp, sql: &str) -> i64 {
    let row = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(app.db.get_database_backend(), sql.to_owned()))
        .await
        .expect("query")
        .expect("row");
    row.try_get::<i64>("", "ms").expect("ms")
}

/// Adds `n` members to branch 2 directly in the database (no passwords to
/// hash): logins `{prefix}0`, `{prefix}1`, …, names 成员0000, 成员0001, ….
async fn add_members(app: &TestApp, prefix: &str, n: usize) {
    let branch_2 = app.org_id(crate::helpers::BRANCH_2).await;
    let rows: Vec<String> =
        (0..n).map(|i| format!("('{prefix}{i}', '成员{i:04}', 'member', {branch_2}, 'x', FALSE, 0, 0)")).collect();
    app.db
        .execute_unprepared(&format!(
            "INSERT INTO people (login, name, role, org_id, password_hash, must_change_password, created_at, \
             updated_at) VALUES {}",
            rows.join(", ")
        ))
        .await
        .expect("people");
}

/// PostgreSQL: the study-hour roll-up never waits for a day a heartbeat
/// batch holds locked (it waited, while that batch waited for a day the
/// roll-up held: a deadlock, which PostgreSQL broke after a second by
/// failing one side). The held day stays marked for the next refresh.
#[tokio::test]
async fn the_roll_up_skips_days_a_heartbeat_batch_holds() {
    use sea_orm::TransactionTrait;
    let app = TestApp::spawn(crate::helpers::Db::Postgres).await;
    add_members(&app, "held", 3).await;
    app.db
        .execute_unprepared(
            "INSERT INTO study_days (person_id, day, year, credited_ms, dirty) \
             SELECT id, '2026-11-24', 2026, 60000, TRUE FROM people WHERE login LIKE 'held%'",
        )
        .await
        .expect("days");
    let held = app.number("SELECT id AS n FROM people WHERE login = 'held1'").await;
    // As a batch's upsert does, until its statement commits.
    let batch = app.db.begin().await.expect("begin");
    batch
        .execute_unprepared(&format!("UPDATE study_days SET credited_ms = credited_ms WHERE person_id = {held}"))
        .await
        .expect("lock the day");

    let refresh = dangxiao_server::services::study::rollup::refresh(&app.db);
    tokio::time::timeout(std::time::Duration::from_secs(20), refresh)
        .await
        .expect("the roll-up waited for the locked day")
        .expect("refresh");
    let ours = "person_id IN (SELECT id FROM people WHERE login LIKE 'held%')";
    assert_eq!(
        app.number(&format!("SELECT COUNT(*) AS n FROM study_days WHERE dirty AND person_id = {held}")).await,
        1
    );
    assert_eq!(app.number(&format!("SELECT COUNT(*) AS n FROM study_days WHERE dirty AND {ours}")).await, 1);
    assert_eq!(app.number(&format!("SELECT COUNT(*) AS n FROM study_years WHERE {ours}")).await, 3);
    batch.rollback().await.expect("rollback");
}

/// With the background loops on, as in production, marked study days are
/// rolled up without anyone asking. Every other API test turns them off
/// and runs the steps itself.
#[tokio::test]
async fn with_background_loops_on_the_study_hour_roll_up_catches_up_by_itself() {
    let app = TestApp::spawn_with(crate::helpers::Db::Sqlite, |s| s.background_loops = true).await;
    add_members(&app, "looped", 3).await;
    app.db
        .execute_unprepared(
            "INSERT INTO study_days (person_id, day, year, credited_ms, dirty) \
             SELECT id, '2026-11-24', 2026, 60000, TRUE FROM people WHERE login LIKE 'looped%'",
        )
        .await
        .expect("days");

    // A second app server runs its upkeep as it starts (the first one's
    // next round is up to 15 s away).
    app.spawn_peer().await;

    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while app.number("SELECT COUNT(*) AS n FROM study_days WHERE dirty").await > 0 {
        assert!(std::time::Instant::now() < deadline, "no loop rolled the marked days up");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let ours = "person_id IN (SELECT id FROM people WHERE login LIKE 'looped%')";
    let years = format!("SELECT CAST(SUM(credited_ms) AS BIGINT) AS n FROM study_years WHERE {ours}");
    assert_eq!(app.number(&years).await, 3 * 60000);
}
