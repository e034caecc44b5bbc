//! Report exports, snapshots and who may read them: the XLSX and CSV read
//! back and compared with the JSON report; formula injection neutralized;
//! snapshots that keep what they froze (also across a member's transfer);
//! and branch A's organizer never seeing branch B in a report, an export
//! or a snapshot.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::courses::ok;
use crate::helpers::{expect_error, Client, TestApp, BRANCH_1, BRANCH_2};
use crate::on_both_databases;
use crate::reports::{assign, course, day, read, report, rows};

async fn download(c: &Client, path: &str) -> (String, String, Vec<u8>) {
    let r = c.get(path).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    let header = |name: &str| r.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let (kind, disposition) = (header("content-type"), header("content-disposition"));
    (kind, disposition, r.bytes().await.expect("body").to_vec())
}

fn sheet(bytes: Vec<u8>) -> Vec<Vec<Data>> {
    let mut book = Xlsx::new(Cursor::new(bytes)).expect("an XLSX file");
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).expect("first sheet");
    range.rows().map(|r| r.to_vec()).collect()
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// Branch 1 with an assigned course that `member` started; answers branch
/// 2's organizer, branch 1's id, the course and `member`'s id.
async fn branch_1_studied(app: &TestApp) -> (Client, i64, i64, i64) {
    let a = app.login("organizer").await;
    let (course_a, [lesson, _]) = course(app, &a, BRANCH_1, "第一支部专题").await;
    assign(app, BRANCH_1, course_a, &day(3)).await;
    read(app, &app.login("member").await, lesson).await;
    (app.login("organizer2").await, app.org_id(BRANCH_1).await, course_a, app.person_id("member").await)
}

on_both_databases! {
    async fn exports_open_and_say_what_the_report_says(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (course_id, [a, _]) = course(&app, &o, BRANCH_1, "学习党章").await;
        assign(&app, BRANCH_1, course_id, &day(9)).await;
        read(&app, &app.login("member").await, a).await;
        // A member whose name a spreadsheet would run as a formula.
        let group = app.org_id(crate::courses::GROUP_1).await;
        let created = o.post("/api/v1/people", json!({ "login": "evil", "name": "=HYPERLINK(\"http://x\")",
            "role": "member", "org_id": group })).await;
        assert_eq!(created.status(), StatusCode::CREATED);
        let branch = app.org_id(BRANCH_1).await;

        let live = report(&o, &format!("kind=members&org_id={branch}")).await;
        let (kind, disposition, bytes) = download(&o, &format!("/api/v1/reports?kind=members&org_id={branch}&format=xlsx")).await;

        assert_eq!(kind, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        assert!(disposition.starts_with("attachment;") && disposition.contains("filename*=UTF-8''"), "{disposition}");
        let table = sheet(bytes);
        assert_eq!(text(&table[0][0]), "姓名");
        assert_eq!(table.len() - 1, live["rows"].as_array().unwrap().len(), "one line per member");
        for (line, m) in table[1..].iter().zip(live["rows"].as_array().unwrap()) {
            let name = m["name"].as_str().unwrap();
            let expected = if name.starts_with('=') { format!("'{name}") } else { name.to_owned() };
            assert_eq!(text(&line[0]), expected);
            assert_eq!(text(&line[1]), m["login"].as_str().unwrap());
            assert_eq!(line[3], Data::Float(m["counts"]["assigned"].as_f64().unwrap()), "{line:?}");
            assert_eq!(line[4], Data::Float(m["counts"]["assigned_done"].as_f64().unwrap()), "{line:?}");
        }
        assert!(table.iter().any(|l| text(&l[0]) == "'=HYPERLINK(\"http://x\")"), "neutralized");

        // CSV: a byte-order mark, the same rows, English headers when asked.
        let r = o.request(reqwest::Method::GET, &format!("/api/v1/reports?kind=org&org_id={branch}&format=csv"))
            .header("accept-language", "en").send().await.expect("csv");
        assert_eq!(r.status(), StatusCode::OK);
        let body = r.bytes().await.unwrap();
        assert!(body.starts_with(b"\xEF\xBB\xBF"));
        let mut csv = csv::Reader::from_reader(&body[3..]);
        assert_eq!(csv.headers().unwrap().get(0), Some("Org node"));
        let lines: Vec<csv::StringRecord> = csv.records().map(|r| r.expect("a line")).collect();
        let org = report(&o, &format!("kind=org&org_id={branch}")).await;
        let total = lines.last().expect("a total line");
        assert_eq!((&total[0], &total[1], &total[2], &total[3]), ("Total", &*org["total"]["people"].to_string(),
            &*org["total"]["counts"]["assigned"].to_string(), &*org["total"]["counts"]["assigned_done"].to_string()));
        // The 学习档案 says its states in words, as its page does, never a bare 是 / 否.
        let member = app.person_id("member").await;
        let (_, _, bytes) = download(&o, &format!("/api/v1/reports?kind=person&person_id={member}&format=csv")).await;
        let mut csv = csv::Reader::from_reader(&bytes[3..]);
        assert_eq!(csv.headers().unwrap().iter().take(3).collect::<Vec<_>>(), ["课程", "学习类型", "状态"]);
        let lines: Vec<csv::StringRecord> = csv.records().map(|r| r.expect("a line")).collect();
        let line = lines.iter().find(|l| &l[0] == "学习党章").expect("the assigned course");
        assert_eq!((&line[1], &line[2], &line[3]), ("指派必学", "未完成", day(9).as_str()), "{line:?}");
        assert!(lines.iter().flat_map(|l| l.iter()).all(|c| c != "是" && c != "否"), "{lines:?}");
        expect_error(o.get("/api/v1/reports?kind=org&format=pdf").await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
    }

    async fn a_snapshot_keeps_what_it_froze_also_after_a_member_transfers(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let (course_id, [a, b]) = course(&app, &o, BRANCH_1, "党史").await;
        assign(&app, BRANCH_1, course_id, &day(9)).await;
        let member = app.login("member").await;
        read(&app, &member, a).await;
        read(&app, &member, b).await;
        let branch = app.org_id(BRANCH_1).await;

        let snap = ok(o.post("/api/v1/reports/snapshots", json!({ "kind": "org", "org_id": branch })).await).await;
        let frozen = rows(&report(&o, &format!("kind=org&org_id={branch}")).await);
        // 李学习 moves to 第二党支部 (组织关系转接).
        let id = app.person_id("member").await;
        let branch_2 = app.org_id(BRANCH_2).await;
        ok(app.login("admin").await.patch(&format!("/api/v1/people/{id}"), json!({ "org_id": branch_2 })).await).await;

        let now = report(&o, &format!("kind=org&org_id={branch}")).await;
        assert_eq!(now["total"]["people"], 3);
        assert_eq!(now["total"]["counts"]["assigned_done"], 0, "the record left with the member: {now}");
        let kept = ok(o.get(&format!("/api/v1/reports/snapshots/{}", snap["id"])).await).await;
        assert_eq!(rows(&kept["report"]["report"]), frozen, "the snapshot is as it was");
        assert_eq!((kept["snapshot"]["reason"].as_str(), kept["snapshot"]["taken_by"].as_str()), (Some("manual"), Some("王书记")));
        let listed = ok(o.get("/api/v1/reports/snapshots").await).await;
        assert_eq!(listed.as_array().map(Vec::len), Some(1));
        // The new branch sees the member with their record.
        let theirs = report(&app.login("organizer2").await, &format!("kind=members&org_id={branch_2}")).await;
        let li = theirs["rows"].as_array().unwrap().iter().find(|m| m["login"] == "member").expect("moved in");
        assert_eq!(li["counts"]["completed"], 1, "{li}");

        // Deadlines freeze the report once, whoever runs the sweep.
        let (course_2, _) = course(&app, &o, BRANCH_1, "党规").await;
        let due = assign(&app, BRANCH_1, course_2, &day(1)).await;
        app.db.execute_unprepared(&format!("UPDATE assignments SET due_on = '{}' WHERE id = {due}", day(-1))).await.unwrap();
        let settings = &app.state.settings;
        assert_eq!(dangxiao_server::services::reports::snapshots::at_deadlines(&app.db, settings).await.unwrap(), 1);
        assert_eq!(dangxiao_server::services::reports::snapshots::at_deadlines(&app.db, settings).await.unwrap(), 0);
        let listed = ok(o.get("/api/v1/reports/snapshots").await).await;
        let deadline = listed.as_array().unwrap().iter().find(|s| s["reason"] == "deadline").expect("deadline snapshot");
        assert_eq!((deadline["kind"].as_str(), deadline["due_on"].as_str()), (Some("assignment"), Some(day(-1).as_str())));
    }

    async fn branch_a_never_sees_branch_b_in_any_report(app) {
        let app: TestApp = app;
        let (b, branch_1, course_a, member) = branch_1_studied(&app).await;
        for path in [
            format!("/api/v1/reports?kind=org&org_id={branch_1}"),
            format!("/api/v1/reports?kind=members&org_id={branch_1}"),
            format!("/api/v1/reports?kind=overdue&org_id={branch_1}"),
            format!("/api/v1/reports?kind=hours&org_id={branch_1}"),
            format!("/api/v1/reports?kind=course&course_id={course_a}"),
            format!("/api/v1/reports?kind=person&person_id={member}"),
        ] {
            expect_error(b.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
        }
        // What branch 2 reads of itself holds nobody of branch 1.
        let mine = report(&b, "kind=members").await;
        let names: Vec<&str> = mine["rows"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(!names.contains(&"李学习"));
        let overdue = report(&b, "kind=overdue").await;
        assert!(overdue["rows"].as_array().unwrap().is_empty(), "{overdue}");
        // Members read no organization reports; nobody reads without a session.
        let m = app.login("member").await;
        expect_error(m.get("/api/v1/reports?kind=org").await, StatusCode::FORBIDDEN, "forbidden").await;
        expect_error(app.anonymous().await.get("/api/v1/reports?kind=org").await, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    }

    async fn branch_a_never_sees_branch_b_in_any_export(app) {
        let app: TestApp = app;
        let (b, branch_1, course_a, member) = branch_1_studied(&app).await;
        for format in ["csv", "xlsx"] {
            for path in [
                format!("/api/v1/reports?kind=org&org_id={branch_1}&format={format}"),
                format!("/api/v1/reports?kind=members&org_id={branch_1}&format={format}"),
                format!("/api/v1/reports?kind=course&course_id={course_a}&format={format}"),
                format!("/api/v1/reports?kind=person&person_id={member}&format={format}"),
            ] {
                expect_error(b.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
            }
        }
        // Branch 2's own export lists branch 2's people only.
        let (_, _, bytes) = download(&b, "/api/v1/reports?kind=members&format=csv").await;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        assert!(text.contains("刘青") && !text.contains("李学习") && !text.contains("王书记"), "{text}");
    }

    async fn branch_a_never_sees_branch_b_in_any_snapshot(app) {
        let app: TestApp = app;
        let (b, branch_1, _, _) = branch_1_studied(&app).await;
        let a = app.login("organizer").await;
        let snap = ok(a.post("/api/v1/reports/snapshots", json!({ "kind": "members", "org_id": branch_1 })).await).await;
        for path in [
            format!("/api/v1/reports/snapshots/{}", snap["id"]),
            format!("/api/v1/reports/snapshots/{}?format=xlsx", snap["id"]),
            format!("/api/v1/reports/snapshots?org_id={branch_1}"),
        ] {
            expect_error(b.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
        }
        expect_error(b.post("/api/v1/reports/snapshots", json!({ "kind": "org", "org_id": branch_1 })).await,
            StatusCode::NOT_FOUND, "not_found").await;
        assert!(ok(b.get("/api/v1/reports/snapshots").await).await.as_array().unwrap().is_empty());
        // Branch 2's own snapshot is listed for branch 2 and not for branch 1.
        ok(b.post("/api/v1/reports/snapshots", json!({ "kind": "org" })).await).await;
        assert_eq!(ok(b.get("/api/v1/reports/snapshots").await).await.as_array().map(Vec::len), Some(1));
        assert_eq!(ok(a.get("/api/v1/reports/snapshots").await).await.as_array().map(Vec::len), Some(1));
        expect_error(app.login("member").await.get("/api/v1/reports/snapshots").await, StatusCode::FORBIDDEN, "forbidden").await;
    }
}
