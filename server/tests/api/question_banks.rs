//! Question banks (issue 24): banks of an org node, questions with
//! versions, import from the fixtures in every format with a dry run and
//! no change on a second import, bad rows and broken files, export read
//! back, and who may see and change a bank.
//!
//! The fixtures are `tests/fixtures/exams/` (an original 100-question 党章
//! bank; see its README for what each faulty file holds).

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::course_files::fixture;
use crate::courses::ok;
use crate::helpers::{expect_error, Client, TestApp, BRANCH_1, BRANCH_2};
use crate::on_both_databases;

async fn new_bank(app: &TestApp, c: &Client, org: &str, name: &str) -> i64 {
    let r = c.post("/api/v1/question-banks", json!({ "org_id": app.org_id(org).await, "name": name })).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.expect("bank")["id"].as_i64().expect("id")
}

async fn import(c: &Client, bank: i64, name: &str, bytes: Vec<u8>, dry_run: bool) -> Value {
    ok(c.upload(&format!("/api/v1/question-banks/{bank}/import?dry_run={dry_run}"), name, bytes).await).await
}

fn counts(report: &Value) -> (u64, u64, u64) {
    (report["created"].as_u64().unwrap(), report["unchanged"].as_u64().unwrap(), report["rejected"].as_u64().unwrap())
}

async fn questions(c: &Client, bank: i64) -> Vec<Value> {
    ok(c.get(&format!("/api/v1/question-banks/{bank}/questions")).await).await.as_array().expect("list").clone()
}

fn exams(name: &str) -> Vec<u8> {
    fixture(&format!("exams/{name}"))
}

/// A single choice question as the API takes it.
fn single(stem: &str, correct: u16) -> Value {
    json!({ "kind": "single", "stem": stem, "difficulty": 2, "categories": ["党章"],
            "options": [{ "id": 1, "text": "一年" }, { "id": 2, "text": "两年" }, { "id": 3, "text": "半年" }],
            "correct": [correct], "explanation": "党章第七条。" })
}

on_both_databases! {
    async fn the_bank_imports_in_every_format_with_a_dry_run_and_a_second_import_adds_nothing(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let bank = new_bank(&app, &o, BRANCH_1, "党章知识题库").await;

        let dry = import(&o, bank, "bank.csv", exams("bank.csv"), true).await;
        assert_eq!((dry["dry_run"].as_bool(), counts(&dry)), (Some(true), (100, 0, 0)), "{dry}");
        assert!(questions(&o, bank).await.is_empty(), "a dry run writes nothing");

        let first = import(&o, bank, "bank.csv", exams("bank.csv"), false).await;
        assert_eq!(counts(&first), (100, 0, 0));
        assert_eq!(first["rows"][99]["location"], json!({ "kind": "row", "row": 101 }));
        let list = questions(&o, bank).await;
        assert_eq!(list.len(), 100);
        // The order and content of the file; the key is there for organizers.
        assert_eq!(list[0]["kind"], "single");
        assert_eq!(list[0]["version"], 1);
        assert!(list[0]["data"]["correct"].as_array().is_some_and(|c| c.len() == 1), "{}", list[0]);
        let summary = ok(o.get(&format!("/api/v1/question-banks/{bank}")).await).await;
        assert_eq!(summary["questions"], 100);

        // The same questions again, in every encoding and container.
        assert_eq!(counts(&import(&o, bank, "bank.csv", exams("bank.csv"), false).await), (0, 100, 0));
        assert_eq!(counts(&import(&o, bank, "题库.csv", exams("bank-gb18030.csv"), false).await), (0, 100, 0));
        assert_eq!(counts(&import(&o, bank, "bank.xlsx", exams("bank.xlsx"), false).await), (0, 100, 0));
        // A workbook is known by its content, whatever its name says.
        assert_eq!(counts(&import(&o, bank, "bank.csv", exams("bank.xlsx"), false).await), (0, 100, 0));
        // GIFT holds 98 of them, each under its first category only: the one
        // with two categories (65) is a different question to the bank.
        let gift = import(&o, bank, "bank.gift", exams("bank.gift"), false).await;
        assert_eq!(counts(&gift), (1, 97, 0), "{gift}");
        assert_eq!(questions(&o, bank).await.len(), 101);
        assert_eq!(app.count("question_versions").await, 101);

        // Aiken carries no difficulty, category or explanation: its 50
        // questions are new to a bank, and only once.
        let aiken_bank = new_bank(&app, &o, BRANCH_1, "Aiken").await;
        assert_eq!(counts(&import(&o, aiken_bank, "bank.aiken.txt", exams("bank.aiken.txt"), false).await), (50, 0, 0));
        assert_eq!(counts(&import(&o, aiken_bank, "bank.aiken.txt", exams("bank.aiken.txt"), false).await), (0, 50, 0));
    }

    async fn bad_rows_and_questions_are_reported_one_by_one_in_the_callers_language(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let bank = new_bank(&app, &o, BRANCH_1, "练习").await;

        let report = import(&o, bank, "bad-rows.csv", exams("bad-rows.csv"), false).await;
        assert_eq!(counts(&report), (5, 0, 5), "{report}");
        let rejected: Vec<(u64, Vec<String>)> = report["rows"].as_array().unwrap().iter()
            .filter(|r| r["outcome"] == "rejected")
            .map(|r| (r["location"]["row"].as_u64().unwrap(),
                      r["codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned()).collect()))
            .collect();
        assert_eq!(rejected, vec![
            (3, vec!["answer_not_an_option".to_owned()]),
            (5, vec!["duplicate_option".to_owned()]),
            (7, vec!["empty_stem".to_owned()]),
            (8, vec!["unknown_kind".to_owned()]),
            (10, vec!["difficulty_out_of_range".to_owned()]),
        ]);
        let message = |report: &Value, row: u64| report["rows"].as_array().unwrap().iter()
            .find(|r| r["location"]["row"] == row).unwrap()["messages"][0].as_str().unwrap().to_owned();
        assert!(message(&report, 8).contains("连线题"), "{report}");
        let mut english = app.login("organizer").await;
        english.lang = Some("en");
        let report = import(&english, bank, "bad-rows.csv", exams("bad-rows.csv"), true).await;
        assert_eq!(counts(&report), (0, 5, 5), "the good rows are there already");
        assert!(message(&report, 3).starts_with("The answer"), "{report}");

        let gift = import(&o, bank, "bad.gift", exams("bad.gift"), false).await;
        assert_eq!(counts(&gift), (2, 0, 6), "{gift}");
        let aiken = import(&o, bank, "bad.aiken.txt", exams("bad.aiken.txt"), false).await;
        assert_eq!(counts(&aiken), (2, 0, 5), "{aiken}");
        assert_eq!(questions(&o, bank).await.len(), 9);
    }

    async fn broken_and_hostile_files_are_refused_and_store_nothing(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let bank = new_bank(&app, &o, BRANCH_1, "空题库").await;
        let path = format!("/api/v1/question-banks/{bank}/import");

        for (name, bytes) in [("malformed.xlsx", exams("malformed.xlsx")), ("not-a-workbook.xlsx", exams("not-a-workbook.xlsx"))] {
            expect_error(o.upload(&path, name, bytes).await, StatusCode::UNPROCESSABLE_ENTITY, "import_file_invalid").await;
        }
        for name in ["junk.csv", "junk.gift", "junk.txt"] {
            expect_error(o.upload(&path, name, exams("junk.bin")).await, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_file").await;
        }
        // A zip bomb posing as a workbook: 200 MiB of zeros in ~200 KiB.
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
        let body = expect_error(o.upload(&path, "bomb.xlsx", buf.into_inner()).await,
            StatusCode::UNPROCESSABLE_ENTITY, "import_file_invalid").await;
        assert!(body["message"].as_str().unwrap().contains("解压"), "{body}");
        // No 题干 column; no questions at all; a file whose name says nothing.
        expect_error(o.upload(&path, "x.csv", "题型,答案\n单选题,A\n".as_bytes().to_vec()).await,
            StatusCode::UNPROCESSABLE_ENTITY, "import_file_invalid").await;
        expect_error(o.upload(&path, "x.gift", "// nothing here\n".as_bytes().to_vec()).await,
            StatusCode::UNPROCESSABLE_ENTITY, "import_file_invalid").await;
        expect_error(o.upload(&path, "questions", exams("bank.csv")).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        // Larger than the import limit.
        let huge = vec![b'a'; usize::try_from(app.state.settings.import_max_bytes).unwrap() + 1];
        expect_error(o.upload(&path, "big.csv", huge).await, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;

        assert_eq!(app.count("questions").await, 0);
        assert_eq!(app.count("question_versions").await, 0);
    }

    async fn an_edit_changes_a_question_in_place_until_an_attempt_showed_it_then_makes_a_version(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let bank = new_bank(&app, &o, BRANCH_1, "版本").await;
        let r = o.post(&format!("/api/v1/question-banks/{bank}/questions"), single("预备党员的预备期为多长时间？", 1)).await;
        assert_eq!(r.status(), StatusCode::CREATED);
        let q = r.json::<Value>().await.unwrap();
        let (id, first_version) = (q["id"].as_i64().unwrap(), q["version_id"].as_i64().unwrap());
        let url = format!("/api/v1/question-banks/{bank}/questions/{id}");

        // Not yet shown: changed in place, still version 1.
        let edited = ok(o.put(&url, single("预备党员的预备期是多长时间？", 1)).await).await;
        assert_eq!((edited["outcome"].as_str(), edited["question"]["version"].as_i64()), (Some("changed_in_place"), Some(1)));
        assert_eq!(edited["question"]["version_id"].as_i64(), Some(first_version));
        assert_eq!(ok(o.put(&url, single("预备党员的预备期是多长时间？", 1)).await).await["outcome"], "unchanged");

        // A submitted attempt showed version 1 (the exam API sets this flag
        // when an attempt is submitted; set here directly).
        sea_orm::ConnectionTrait::execute_unprepared(&app.db,
            &format!("UPDATE question_versions SET shown = TRUE WHERE id = {first_version}")).await.unwrap();
        // Only the key changed: what takers saw is the same, so the shown
        // version is corrected in place (its attempts would be regraded).
        let corrected = ok(o.put(&url, single("预备党员的预备期是多长时间？", 2)).await).await;
        assert_eq!((corrected["outcome"].as_str(), corrected["question"]["version_id"].as_i64(), corrected["regraded"].as_u64()),
                   (Some("key_corrected"), Some(first_version), Some(0)), "{corrected}");
        assert_eq!(app.count("question_key_changes").await, 1, "the correction has its audit line");
        // The stem changed: a new version; the shown one keeps what it asked.
        let changed = ok(o.put(&url, single("预备党员的预备期为多长时间？（修订）", 2)).await).await;
        assert_eq!((changed["outcome"].as_str(), changed["question"]["version"].as_i64()), (Some("new_version"), Some(2)));
        let second_version = changed["question"]["version_id"].as_i64().unwrap();
        assert_ne!(second_version, first_version);
        assert_eq!(app.number(&format!("SELECT COUNT(*) AS n FROM question_versions WHERE id = {first_version} AND data LIKE '%是多长时间%'")).await, 1);
        assert_eq!(ok(o.get(&url).await).await["data"]["stem"], "预备党员的预备期为多长时间？（修订）");

        // A bad edit names its problem and changes nothing.
        let body = expect_error(o.put(&url, single("预备党员的预备期为多长时间？（修订）", 7)).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        assert!(body["message"].as_str().unwrap().contains('7') || body["message"].as_str().unwrap().contains('G'), "{body}");
        assert_eq!(ok(o.get(&url).await).await["version_id"].as_i64(), Some(second_version));

        // Retired, not deleted: the attempt's version stays; the bank keeps it too.
        assert_eq!(o.delete(&url).await.status(), StatusCode::NO_CONTENT);
        assert_eq!(o.get(&url).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.count("question_versions").await, 2);
        assert_eq!(ok(o.get(&format!("/api/v1/question-banks/{bank}")).await).await["questions"], 0);
        expect_error(o.delete(&format!("/api/v1/question-banks/{bank}")).await, StatusCode::CONFLICT, "conflict").await;
        // A question never shown is deleted outright, and so is a bank without shown ones.
        let other = new_bank(&app, &o, BRANCH_1, "可删").await;
        let q = o.post(&format!("/api/v1/question-banks/{other}/questions"), single("党的最高领导机关是什么？", 1)).await.json::<Value>().await.unwrap();
        assert_eq!(o.delete(&format!("/api/v1/question-banks/{other}/questions/{}", q["id"])).await.status(), StatusCode::NO_CONTENT);
        assert_eq!(app.count("question_versions").await, 2);
        assert_eq!(o.delete(&format!("/api/v1/question-banks/{other}")).await.status(), StatusCode::NO_CONTENT);
    }

    async fn an_exported_bank_reads_back_as_the_same_questions(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let bank = new_bank(&app, &o, BRANCH_1, "原题库").await;
        import(&o, bank, "bank.csv", exams("bank.csv"), false).await;
        let export = |format: &'static str| {
            let o = &o;
            async move {
                let r = o.get(&format!("/api/v1/question-banks/{bank}/export?format={format}")).await;
                assert_eq!(r.status(), StatusCode::OK, "{format}");
                assert!(r.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
                let left_out: u64 = r.headers()["x-left-out"].to_str().unwrap().parse().unwrap();
                (r.bytes().await.unwrap().to_vec(), left_out)
            }
        };
        let (csv, left) = export("csv").await;
        assert_eq!(left, 0);
        assert_eq!(counts(&import(&o, bank, "export.csv", csv.clone(), true).await), (0, 100, 0), "CSV reads back unchanged");
        let copy = new_bank(&app, &o, BRANCH_1, "副本").await;
        assert_eq!(counts(&import(&o, copy, "export.csv", csv, false).await), (100, 0, 0));
        let (xlsx, _) = export("xlsx").await;
        assert!(xlsx.starts_with(b"PK\x03\x04"));
        assert_eq!(counts(&import(&o, copy, "export.xlsx", xlsx, false).await), (0, 100, 0));
        let (gift, left) = export("gift").await;
        let gift_report = import(&o, copy, "export.gift", gift, true).await;
        assert_eq!(gift_report["rows"].as_array().unwrap().len() as u64, 100 - left, "{gift_report}");
        assert_eq!(gift_report["rejected"], 0);
        let (aiken, left) = export("aiken").await;
        assert_eq!(left, 50, "Aiken holds the 50 single choice questions only");
        let aiken_report = import(&o, copy, "export.txt", aiken, true).await;
        assert_eq!((aiken_report["rows"].as_array().unwrap().len(), aiken_report["rejected"].as_u64()), (50, Some(0)));
    }

    async fn a_bank_is_seen_and_changed_only_by_organizers_of_its_node_and_above(app) {
        let app: TestApp = app;
        let o = app.login("organizer").await;
        let bank = new_bank(&app, &o, BRANCH_1, "第一支部题库").await;
        let q = o.post(&format!("/api/v1/question-banks/{bank}/questions"), single("预备党员的预备期为多长时间？", 1)).await.json::<Value>().await.unwrap();
        let qid = q["id"].as_i64().unwrap();

        // Another branch's organizer: nothing exists.
        let o2 = app.login("organizer2").await;
        assert!(ok(o2.get("/api/v1/question-banks").await).await.as_array().unwrap().is_empty());
        for path in [format!("/api/v1/question-banks/{bank}"), format!("/api/v1/question-banks/{bank}/questions"),
                     format!("/api/v1/question-banks/{bank}/questions/{qid}"), format!("/api/v1/question-banks/{bank}/export?format=csv")] {
            expect_error(o2.get(&path).await, StatusCode::NOT_FOUND, "not_found").await;
        }
        expect_error(o2.patch(&format!("/api/v1/question-banks/{bank}"), json!({ "name": "改名" })).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(o2.put(&format!("/api/v1/question-banks/{bank}/questions/{qid}"), single("改", 2)).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(o2.delete(&format!("/api/v1/question-banks/{bank}/questions/{qid}")).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(o2.upload(&format!("/api/v1/question-banks/{bank}/import"), "bank.csv", exams("bank.csv")).await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(o2.delete(&format!("/api/v1/question-banks/{bank}")).await, StatusCode::NOT_FOUND, "not_found").await;
        // Nor may they make a bank for a node outside their subtree.
        expect_error(o2.post("/api/v1/question-banks", json!({ "org_id": app.org_id(BRANCH_1).await, "name": "越权" })).await,
            StatusCode::NOT_FOUND, "not_found").await;
        // Members and activists never see keys.
        for login in ["member", "activist"] {
            let c = app.login(login).await;
            expect_error(c.get("/api/v1/question-banks").await, StatusCode::FORBIDDEN, "forbidden").await;
            expect_error(c.get(&format!("/api/v1/question-banks/{bank}/questions")).await, StatusCode::FORBIDDEN, "forbidden").await;
            expect_error(c.post("/api/v1/question-banks", json!({ "org_id": app.org_id(BRANCH_1).await, "name": "我的" })).await,
                StatusCode::FORBIDDEN, "forbidden").await;
        }
        // The admin sees every bank; the node's own organizer renames it.
        let all = ok(app.login("admin").await.get("/api/v1/question-banks").await).await;
        assert_eq!(all.as_array().unwrap().len(), 1);
        assert_eq!(ok(o.patch(&format!("/api/v1/question-banks/{bank}"), json!({ "name": "支部题库" })).await).await["name"], "支部题库");
        // Names: unique per node, not empty, not endless.
        new_bank(&app, &o2, BRANCH_2, "支部题库").await;
        expect_error(o.post("/api/v1/question-banks", json!({ "org_id": app.org_id(BRANCH_1).await, "name": "支部题库" })).await,
            StatusCode::CONFLICT, "conflict").await;
        expect_error(o.post("/api/v1/question-banks", json!({ "org_id": app.org_id(BRANCH_1).await, "name": "  " })).await,
            StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        expect_error(o.post("/api/v1/question-banks", json!({ "org_id": app.org_id(BRANCH_1).await, "name": "题".repeat(101) })).await,
            StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
    }
}
