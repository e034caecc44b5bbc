//! Names that look like SQL: an org node, a member and a course whose
//! names hold quotes, `--`, `;` and a backslash go in through the import
//! and the API, and come back intact, with the right counts, from every
//! report, its exports and the catalog's search (every statement binds
//! its values).

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::courses::{ok, search};
use crate::helpers::{Client, TestApp, BRANCH_1};
use crate::on_both_databases;
use crate::reports::{assign, course, day, read, report, rows};

const ORG: &str = r#"第三小组' "引号" -- ; \反斜杠"#;
const PERSON: &str = r#"王'"--;\五"#;
const TITLE: &str = r#"党课' OR '1'='1"; -- DROP TABLE courses; \末"#;

/// A roster of two people in the node `ORG` under branch 1, written by a
/// CSV writer, so the quotes are quoted as a spreadsheet would.
fn roster() -> Vec<u8> {
    let path = format!("{BRANCH_1}/{ORG}");
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["姓名", "登录名", "组织路径", "身份"]).expect("header");
    w.write_record([PERSON, "13900000001", &path, "党员"]).expect("a row");
    w.write_record(["赵六", "13900000002", &path, "党员"]).expect("a row");
    w.into_inner().expect("csv")
}

async fn download(c: &Client, path: &str) -> Vec<u8> {
    let r = c.get(path).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    r.bytes().await.expect("body").to_vec()
}

fn xlsx_cells(bytes: Vec<u8>) -> Vec<String> {
    let mut book = Xlsx::new(Cursor::new(bytes)).expect("an XLSX file");
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).expect("first sheet");
    range
        .rows()
        .flat_map(|r| r.iter().cloned())
        .filter_map(|d| match d {
            Data::String(s) => Some(s),
            _ => None,
        })
        .collect()
}

fn csv_lines(bytes: &[u8]) -> Vec<csv::StringRecord> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    csv::Reader::from_reader(body).records().map(|r| r.expect("a line")).collect()
}

on_both_databases! {
    async fn names_that_look_like_sql_come_back_intact_from_import_reports_exports_and_search(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let branch = app.org_id(BRANCH_1).await;
        let r = o.post("/api/v1/orgs", json!({ "parent_id": branch, "name": ORG, "kind": "group" })).await;
        assert_eq!(r.status(), StatusCode::CREATED);
        let group: Value = r.json().await.expect("json");
        assert_eq!(group["name"], ORG);
        let group = group["id"].as_i64().expect("id");
        let imported: Value = ok(o.upload("/api/v1/people/import", "roster.csv", roster()).await).await;
        assert_eq!((imported["created"].as_u64(), imported["rejected"].as_u64()), (Some(2), Some(0)), "{imported}");
        let password = imported["rows"].as_array().expect("rows").iter()
            .find(|r| r["login"] == "13900000001").and_then(|r| r["initial_password"].as_str()).expect("a password");
        let (course_id, [a, b]) = course(&app, &o, BRANCH_1, TITLE).await;
        // Due two days ago: whoever has not finished is overdue.
        let assignment = assign(&app, BRANCH_1, course_id, &day(-2)).await;
        let first = app.login_with("13900000001", password).await;
        let changed = first.put("/api/v1/me/password", json!({ "current_password": password, "new_password": "a-new-secret" })).await;
        assert_eq!(changed.status(), StatusCode::NO_CONTENT);
        let member = app.login_with("13900000001", "a-new-secret").await;
        read(&app, &member, a).await;
        read(&app, &member, b).await;
        let hostile = app.person_id("13900000001").await;

        let org = report(&o, &format!("kind=org&org_id={branch}")).await;
        let by_course = report(&o, &format!("kind=course&org_id={branch}&course_id={course_id}")).await;
        let by_assignment = report(&o, &format!("kind=assignment&org_id={branch}&assignment_id={assignment}")).await;
        let members = report(&o, &format!("kind=members&org_id={group}")).await;
        let overdue = report(&o, &format!("kind=overdue&org_id={group}")).await;
        let hours = report(&o, &format!("kind=hours&org_id={branch}")).await;
        let archive = report(&o, &format!("kind=person&person_id={hostile}")).await;

        // Two people, both assigned, one done, the other overdue.
        let ours = (ORG.to_owned(), 2, 2, 1, 1);
        assert!(rows(&org).contains(&ours), "{org}");
        assert!(rows(&by_course).contains(&ours), "{by_course}");
        assert!(rows(&by_assignment).contains(&ours), "{by_assignment}");
        assert_eq!((&by_course["course"]["name"], &by_assignment["assignment"]["name"]), (&json!(TITLE), &json!(TITLE)));
        let listed: Vec<(&str, &str, u64, u64)> = members["rows"].as_array().expect("rows").iter()
            .map(|m| (m["name"].as_str().unwrap_or_default(), m["org"]["name"].as_str().unwrap_or_default(),
                      m["counts"]["assigned"].as_u64().unwrap_or(9), m["counts"]["assigned_done"].as_u64().unwrap_or(9)))
            .collect();
        assert_eq!(listed.len(), 2, "{members}");
        assert!(listed.contains(&(PERSON, ORG, 1, 1)) && listed.contains(&("赵六", ORG, 1, 0)), "{listed:?}");
        let late: Vec<(&str, &str, &str)> = overdue["rows"].as_array().expect("rows").iter()
            .map(|x| (x["name"].as_str().unwrap_or_default(), x["org"]["name"].as_str().unwrap_or_default(),
                      x["subject"]["name"].as_str().unwrap_or_default()))
            .collect();
        assert_eq!(late, [("赵六", ORG, TITLE)], "{overdue}");
        let child = hours["children"].as_array().expect("children").iter().find(|c| c["org"]["name"] == ORG)
            .expect("the hostile node");
        assert_eq!(child["people"], 2, "{hours}");
        assert_eq!((&archive["name"], &archive["org"]["name"]), (&json!(PERSON), &json!(ORG)));
        let studied: Vec<&Value> = archive["courses"].as_array().expect("courses").iter().map(|c| &c["course"]["name"]).collect();
        assert_eq!(studied, [&json!(TITLE)], "{archive}");

        // Exports: the CSV of the roll-up, the XLSX of the members, the
        // CSV of the overdue list.
        let lines = csv_lines(&download(&o, &format!("/api/v1/reports?kind=org&org_id={branch}&format=csv")).await);
        let line = lines.iter().find(|l| &l[0] == ORG).expect("the hostile node's line");
        assert_eq!((&line[1], &line[2], &line[3]), ("2", "2", "1"), "{line:?}");
        let cells = xlsx_cells(download(&o, &format!("/api/v1/reports?kind=members&org_id={group}&format=xlsx")).await);
        assert!(cells.iter().any(|c| c == PERSON) && cells.iter().any(|c| c == ORG), "{cells:?}");
        let lines = csv_lines(&download(&o, &format!("/api/v1/reports?kind=overdue&org_id={group}&format=csv")).await);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].iter().any(|c| c == TITLE) && lines[0].iter().any(|c| c == ORG), "{lines:?}");

        // Search: every word of the title, and the one with the backslash.
        assert_eq!(search(&member, TITLE).await, vec![course_id]);
        assert_eq!(search(&member, r"\末").await, vec![course_id]);
        assert_eq!(search(&member, "-- DROP").await, vec![course_id]);
    }
}
