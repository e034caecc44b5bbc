use reqwest::StatusCode;
use rust_xlsxwriter::Workbook;
use serde_json::Value;

use crate::courses::ok;
use crate::helpers::*;
use crate::on_both_databases;

const GOOD_AND_BAD: &str = "姓名,登录名,组织路径,身份
周一,13700000001,示范市委党校党委/机关党总支/第一党支部,党员
吴二,13700000002,示范市委党校党委/机关党总支/第一党支部/第一党小组,入党积极分子
郑三,13700000001,示范市委党校党委/机关党总支/第一党支部,党员
王四,13700000004,示范市委党校党委/机关党总支/不存在的支部,党员
冯五,13700000005,示范市委党校党委/机关党总支/第二党支部,党员
陈六,x,示范市委党校党委/机关党总支/第一党支部,党员
褚七,13700000007,示范市委党校党委/机关党总支/第一党支部,管理员
卫八,member3,示范市委党校党委/机关党总支/第一党支部,党员
";

fn xlsx(rows: &[[&str; 4]]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

/// Snapshot of the people table, to prove "nothing changed".
async fn people_snapshot(app: &TestApp) -> Vec<Value> {
    let c = app.login("admin").await;
    let mut all = Vec::new();
    let tree: Vec<Value> = c.get("/api/v1/orgs").await.json().await.unwrap();
    for org in tree {
        let people: Vec<Value> = c.get(&format!("/api/v1/orgs/{}/people", org["id"])).await.json().await.unwrap();
        all.extend(people);
    }
    all
}

on_both_databases! {
    async fn good_rows_are_imported_and_each_bad_row_is_named_with_its_reason(app) {
        let c = app.login("organizer").await;
        let r = c.upload("/api/v1/people/import", "roster.csv", GOOD_AND_BAD.as_bytes().to_vec()).await;
        assert_eq!(r.status(), StatusCode::OK);
        let report: Value = r.json().await.unwrap();
        assert_eq!((report["created"].as_u64(), report["rejected"].as_u64()), (Some(2), Some(6)), "{report}");
        let rejected: Vec<(u64, String)> = report["rows"].as_array().unwrap().iter()
            .filter(|r| r["outcome"] == "rejected")
            .map(|r| (r["line"].as_u64().unwrap(), r["message"].as_str().unwrap().to_owned()))
            .collect();
        let lines: Vec<u64> = rejected.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, vec![4, 5, 6, 7, 8, 9]);
        assert!(rejected[0].1.contains("第 2 行"), "duplicate: {}", rejected[0].1);
        assert!(rejected[1].1.contains("不存在"), "unknown org: {}", rejected[1].1);
        assert!(rejected[2].1.contains("无权"), "other branch: {}", rejected[2].1);
        assert!(rejected[3].1.contains("登录名"), "bad login: {}", rejected[3].1);
        assert!(rejected[5].1.contains("member3"), "someone else's login: {}", rejected[5].1);
        let created: Vec<&Value> = report["rows"].as_array().unwrap().iter().filter(|r| r["outcome"] == "created").collect();
        let pw = created[0]["initial_password"].as_str().unwrap();
        app.login_with("13700000001", pw).await;
    }

    async fn re_importing_the_same_file_changes_nothing(app) {
        let c = app.login("organizer").await;
        c.upload("/api/v1/people/import", "roster.csv", GOOD_AND_BAD.as_bytes().to_vec()).await;
        let before = people_snapshot(&app).await;
        let report: Value = c.upload("/api/v1/people/import", "roster.csv", GOOD_AND_BAD.as_bytes().to_vec()).await.json().await.unwrap();
        assert_eq!((report["created"].as_u64(), report["updated"].as_u64(), report["unchanged"].as_u64()), (Some(0), Some(0), Some(2)), "{report}");
        assert_eq!(people_snapshot(&app).await, before);
    }

    async fn an_xlsx_roster_with_english_headers_updates_changed_rows(app) {
        let c = app.login("organizer").await;
        let file = xlsx(&[
            ["name", "login", "org_path", "role"],
            ["张红（改）", "member2", BRANCH_1, "activist"],
            ["新人", "13600000001", BRANCH_1, "member"],
        ]);
        let report: Value = c.upload("/api/v1/people/import", "roster.xlsx", file).await.json().await.unwrap();
        assert_eq!((report["created"].as_u64(), report["updated"].as_u64(), report["rejected"].as_u64()), (Some(1), Some(1), Some(0)), "{report}");
        let person: Value = c.get(&format!("/api/v1/people/{}", app.person_id("member2").await)).await.json().await.unwrap();
        assert_eq!((person["name"].as_str(), person["role"].as_str(), person["standing"].as_str()), (Some("张红（改）"), Some("member"), Some("activist")));
        // The new standing is a milestone of the import's day, by the importer.
        let standing = ok(c.get(&format!("/api/v1/people/{}/milestones", app.person_id("member2").await)).await).await;
        let m = &standing["milestones"];
        assert_eq!((m.as_array().unwrap().len(), m[0]["standing"].as_str(), m[0]["recorded_by"].as_str()), (1, Some("activist"), Some("王书记")), "{standing}");
    }

    async fn an_email_column_sets_addresses_and_an_empty_cell_keeps_them(app) {
        let c = app.login("organizer").await;
        let member2 = app.person_id("member2").await;
        let csv = format!("姓名,登录名,组织路径,身份,电子邮箱\n新人,13600000002,{BRANCH_1},党员,xin@example.org\n\
                           张红,member2,{BRANCH_1},党员,zhang@example.org\n坏人,13600000003,{BRANCH_1},党员,no-at-sign\n");
        let report: Value = c.upload("/api/v1/people/import", "roster.csv", csv.into_bytes()).await.json().await.unwrap();
        assert_eq!((report["created"].as_u64(), report["updated"].as_u64(), report["rejected"].as_u64()), (Some(1), Some(1), Some(1)), "{report}");
        let bad = report["rows"].as_array().unwrap().iter().find(|r| r["outcome"] == "rejected").unwrap();
        assert!(bad["message"].as_str().unwrap().contains("no-at-sign"), "{bad}");
        let person: Value = c.get(&format!("/api/v1/people/{member2}")).await.json().await.unwrap();
        assert_eq!(person["email"], "zhang@example.org");
        let new = app.person_id("13600000002").await;
        let person: Value = c.get(&format!("/api/v1/people/{new}")).await.json().await.unwrap();
        assert_eq!(person["email"], "xin@example.org");

        // Without an address the row changes nothing; the address stays.
        let again = format!("姓名,登录名,组织路径,身份,电子邮箱\n张红,member2,{BRANCH_1},党员,\n");
        let report: Value = c.upload("/api/v1/people/import", "roster.csv", again.into_bytes()).await.json().await.unwrap();
        assert_eq!(report["unchanged"], 1, "{report}");
        let person: Value = c.get(&format!("/api/v1/people/{member2}")).await.json().await.unwrap();
        assert_eq!(person["email"], "zhang@example.org");
    }

    async fn a_dry_run_reports_without_writing(app) {
        let c = app.login("organizer").await;
        let before = app.count("people").await;
        let report: Value = c.upload("/api/v1/people/import?dry_run=true", "roster.csv", GOOD_AND_BAD.as_bytes().to_vec()).await.json().await.unwrap();
        assert_eq!(report["dry_run"], true);
        assert_eq!(report["created"], 2);
        assert!(report["rows"].as_array().unwrap().iter().all(|r| r["initial_password"].is_null()));
        assert_eq!(app.count("people").await, before);
    }

    async fn bad_files_are_refused_whole_and_nothing_is_imported(app) {
        let c = app.login("organizer").await;
        let before = app.count("people").await;
        // Missing columns.
        let body = expect_error(c.upload("/api/v1/people/import", "a.csv", "姓名,登录名\n周一,13700000001\n".into()).await,
            StatusCode::UNPROCESSABLE_ENTITY, "import_file_invalid").await;
        assert!(body["message"].as_str().unwrap().contains("组织路径"));
        // Binary junk named .csv.
        expect_error(c.upload("/api/v1/people/import", "a.csv", vec![0u8, 159, 146, 150, 0, 1, 2]).await,
            StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_file").await;
        // A "spreadsheet" that is not a zip.
        expect_error(c.upload("/api/v1/people/import", "a.xlsx", b"PK\x03\x04 definitely not a workbook".to_vec()).await,
            StatusCode::UNPROCESSABLE_ENTITY, "import_file_invalid").await;
        // Malformed CSV: an unterminated quote swallows the rest of the file.
        let r = c.upload("/api/v1/people/import", "a.csv", "name,login,org_path,role\n\"周一,13700000001,x,党员\n".into()).await;
        assert!(r.status().is_client_error() || r.json::<Value>().await.unwrap()["created"] == 0);
        // Empty.
        expect_error(c.upload("/api/v1/people/import", "a.csv", Vec::new()).await, StatusCode::UNPROCESSABLE_ENTITY, "import_file_invalid").await;
        // No file field at all.
        let r = c.request(reqwest::Method::POST, "/api/v1/people/import").multipart(reqwest::multipart::Form::new().text("other", "x")).send().await.unwrap();
        expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        assert_eq!(app.count("people").await, before);
    }

    async fn an_oversized_file_is_refused_with_the_limit(app) {
        let c = app.login("organizer").await;
        let mut big = b"name,login,org_path,role\n".to_vec();
        big.resize(6 * 1024 * 1024, b'x');
        let r = c.upload("/api/v1/people/import", "big.csv", big).await;
        let body = expect_error(r, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
        assert!(body["message"].as_str().unwrap().contains("5.0 MiB"), "{body}");
    }

    async fn a_zip_bomb_posing_as_a_workbook_is_refused(app) {
        let c = app.login("organizer").await;
        // 200 MiB of zeros deflates to ~200 KiB.
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            zip.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
            let zeros = vec![0u8; 1024 * 1024];
            for _ in 0..200 {
                std::io::Write::write_all(&mut zip, &zeros).unwrap();
            }
            zip.finish().unwrap();
        }
        let body = expect_error(c.upload("/api/v1/people/import", "bomb.xlsx", buf.into_inner()).await,
            StatusCode::UNPROCESSABLE_ENTITY, "import_file_invalid").await;
        assert!(body["message"].as_str().unwrap().contains("解压"), "{body}");
    }

    async fn an_import_with_a_wrong_csrf_token_imports_nothing(app) {
        let mut c = app.login("organizer").await;
        c.csrf = "f".repeat(64);
        let before = app.count("people").await;
        expect_error(c.upload("/api/v1/people/import", "roster.csv", GOOD_AND_BAD.as_bytes().to_vec()).await,
            StatusCode::FORBIDDEN, "csrf_failed").await;
        assert_eq!(app.count("people").await, before);
    }
}
