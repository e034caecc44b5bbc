//! Party standing (issue 25): apart from the role, changed only by dated
//! milestones that say who recorded them; audiences and assignments that
//! aim at a standing; and the migration of the old `activist` role.

use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::{json, Value};

use crate::courses::{new_course, ok, publish};
use crate::helpers::{expect_error, Client, TestApp, BRANCH_1, BRANCH_2};
use crate::on_both_databases;

/// The date `offset` days from today in the platform's zone (UTC+8).
fn day(offset: i64) -> String {
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    (today + chrono::Duration::days(offset)).format("%Y-%m-%d").to_string()
}

fn today() -> String {
    day(0)
}

async fn record(c: &Client, person: i64, standing: &str, on: &str) -> reqwest::Response {
    c.post(&format!("/api/v1/people/{person}/milestones"), json!({ "standing": standing, "on": on })).await
}

on_both_databases! {
    async fn milestones_change_the_standing_with_a_date_and_who_recorded_it(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let activist = app.person_id("activist").await;
        let me = ok(app.login("activist").await.get("/api/v1/me").await).await;
        assert_eq!((me["role"].as_str(), me["standing"].as_str()), (Some("member"), Some("activist")));

        let r = record(&o, activist, "candidate", &day(-30)).await;
        assert_eq!(r.status(), StatusCode::CREATED);
        let view: Value = r.json().await.unwrap();
        assert_eq!(view["standing"], "candidate");
        assert_eq!((view["milestones"][0]["on"].as_str(), view["milestones"][0]["recorded_by"].as_str()), (Some(day(-30).as_str()), Some("王书记")));
        let stored = app.count("party_milestones").await;

        // Refused, each with a reason, storing nothing: the future, before
        // the last milestone, no change, not a date, not a standing.
        for (standing, on, code) in [
            ("probationary", day(1), "invalid_input"),
            ("probationary", day(-31), "invalid_input"),
            ("candidate", today(), "invalid_input"),
            ("probationary", "2026-02-30".to_owned(), "invalid_input"),
        ] {
            let body = expect_error(record(&o, activist, standing, &on).await, StatusCode::UNPROCESSABLE_ENTITY, code).await;
            assert!(!body["message"].as_str().unwrap().is_empty());
        }
        expect_error(o.post(&format!("/api/v1/people/{activist}/milestones"), json!({ "standing": "chairman", "on": today() })).await,
            StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        // Only the person's organizers: another branch's finds nobody; a member may not.
        expect_error(record(&app.login("organizer2").await, activist, "probationary", &today()).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(record(&app.login("member").await, activist, "probationary", &today()).await, StatusCode::FORBIDDEN, "forbidden").await;
        assert_eq!(app.count("party_milestones").await, stored);
        assert_eq!(ok(o.get(&format!("/api/v1/people/{activist}")).await).await["standing"], "candidate");

        // The person reads their own; another member does not.
        let own = ok(app.login("activist").await.get(&format!("/api/v1/people/{activist}/milestones")).await).await;
        assert_eq!(own["milestones"].as_array().unwrap().len(), 1);
        expect_error(app.login("member2").await.get(&format!("/api/v1/people/{activist}/milestones")).await, StatusCode::FORBIDDEN, "forbidden").await;

        // Milestones follow the person to another node (组织关系转接).
        let admin = app.login("admin").await;
        ok(admin.patch(&format!("/api/v1/people/{activist}"), json!({ "org_id": app.org_id(BRANCH_2).await })).await).await;
        let moved = ok(app.login("organizer2").await.get(&format!("/api/v1/people/{activist}/milestones")).await).await;
        assert_eq!((moved["standing"].as_str(), moved["milestones"].as_array().unwrap().len()), (Some("candidate"), 1));
    }

    async fn a_course_and_an_assignment_aimed_at_candidates_reach_them_when_named(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let branch = app.org_id(BRANCH_1).await;
        let course = new_course(&app, &o, BRANCH_1, "发展对象培训", json!({})).await;
        ok(o.put(&format!("/api/v1/courses/{course}"), json!({ "title": "发展对象培训", "audience": { "orgs": [branch], "standings": ["candidate"] } })).await).await;
        crate::courses::article_lesson(&o, course, "党的基本知识", "党的性质和宗旨。").await;
        publish(&o, course).await;
        // member2 is named a candidate first: an assignment needs someone in it.
        assert_eq!(record(&o, app.person_id("member2").await, "candidate", &day(-3)).await.status(), StatusCode::CREATED);
        let body = json!({ "org_id": branch, "course_id": course, "target": { "orgs": [branch], "standings": ["candidate"] }, "due_on": day(20) });
        ok(o.post("/api/v1/assignments", body).await).await;

        let a = app.login("activist").await;
        expect_error(a.get(&format!("/api/v1/courses/{course}")).await, StatusCode::NOT_FOUND, "not_found").await;
        let activist = app.person_id("activist").await;
        let members = |n: i64| format!("SELECT COUNT(*) AS n FROM assignment_members WHERE person_id = {n}");
        assert_eq!(app.number(&members(activist)).await, 0);

        assert_eq!(record(&o, activist, "candidate", &today()).await.status(), StatusCode::CREATED);
        ok(a.get(&format!("/api/v1/courses/{course}")).await).await;
        assert_eq!(app.number(&members(activist)).await, 1, "named a candidate, they join the assignment");
        // A full member of the branch is not in it.
        expect_error(app.login("member").await.get(&format!("/api/v1/courses/{course}")).await, StatusCode::NOT_FOUND, "not_found").await;
    }

    async fn the_migration_turns_the_activist_role_into_a_standing_and_keeps_every_audience(app) {
        use migrations::{Migrator, MigratorTrait};
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let branch = app.org_id(BRANCH_1).await;
        let for_activists = new_course(&app, &o, BRANCH_1, "积极分子课程", json!({})).await;
        let for_members = new_course(&app, &o, BRANCH_1, "党员课程", json!({})).await;
        crate::courses::article_lesson(&o, for_members, "党章", "党章全文。").await;
        publish(&o, for_members).await;
        let activist = app.person_id("activist").await;
        let people = app.count("people").await;
        let url = app.state.settings.effective_database_url();
        let one = sea_orm::Database::connect(sea_orm::ConnectOptions::new(url).max_connections(1).to_owned()).await.expect("connect");
        let applied = Migrator::get_applied_migrations(&one).await.expect("applied");
        let names: Vec<String> = applied.iter().map(|m| m.name().to_owned()).collect();
        let at = names.iter().position(|n| n.contains("party_standing")).expect("the migration ran");
        Migrator::down(&one, Some((names.len() - at) as u32)).await.expect("down");
        // What the old schema held: the role, and role filters.
        assert_eq!(app.number(&format!("SELECT COUNT(*) AS n FROM people WHERE id = {activist} AND role = 'activist'")).await, 1, "down restores the role");
        let old = |roles: &str| format!(r#"{{"orgs":[{branch}],"roles":{roles},"people":[]}}"#);
        one.execute_unprepared(&format!("UPDATE courses SET audience = '{}' WHERE id = {for_activists}", old(r#"["activist"]"#))).await.unwrap();
        one.execute_unprepared(&format!("UPDATE courses SET audience = '{}' WHERE id = {for_members}", old(r#"["member"]"#))).await.unwrap();
        one.execute_unprepared(&format!("INSERT INTO assignments (course_id, org_id, target, target_key, due_on, created_at, updated_at) \
            VALUES ({for_members}, {branch}, '{}', 'x', '{}', 0, 0)", old(r#"["member"]"#), day(9))).await.unwrap();
        Migrator::up(&one, None).await.expect("up again");
        one.close().await.expect("close");

        let person = ok(o.get(&format!("/api/v1/people/{activist}")).await).await;
        assert_eq!((person["role"].as_str(), person["standing"].as_str()), (Some("member"), Some("activist")));
        assert_eq!(app.number("SELECT COUNT(*) AS n FROM people WHERE standing = 'full'").await, people - 1);
        let course_of = |id: i64| format!("/api/v1/courses/{id}");
        assert_eq!(ok(o.get(&course_of(for_activists)).await).await["audience"], json!({ "orgs": [branch], "roles": ["member"], "standings": ["activist"], "people": [] }));
        assert_eq!(ok(o.get(&course_of(for_members)).await).await["audience"], json!({ "orgs": [branch], "roles": ["member"], "standings": ["applicant", "candidate", "probationary", "full"], "people": [] }));
        // The assignment's key is what the server computes: the same target again is a duplicate.
        let r = o.post("/api/v1/assignments", json!({ "org_id": branch, "course_id": for_members, "due_on": day(30),
            "target": { "orgs": [branch], "roles": ["member"], "standings": ["applicant", "candidate", "probationary", "full"] } })).await;
        expect_error(r, StatusCode::CONFLICT, "conflict").await;
    }
}
