use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{json, Value};

use crate::helpers::*;
use crate::on_both_databases;

on_both_databases! {
    async fn an_organizer_builds_and_prunes_their_subtree(app) {
        let c = app.login("organizer").await;
        let branch = app.org_id(BRANCH_1).await;
        let r = c.post("/api/v1/orgs", json!({"parent_id": branch, "name": "第二党小组", "kind": "group"})).await;
        assert_eq!(r.status(), StatusCode::CREATED);
        let group: Value = r.json().await.unwrap();
        assert_eq!(group["name_path"], format!("{BRANCH_1}/第二党小组"));
        assert_eq!(group["path"], format!("/1/2/3/{}/", group["id"]));
        let id = group["id"].as_i64().unwrap();

        expect_error(c.post("/api/v1/orgs", json!({"parent_id": branch, "name": "第二党小组", "kind": "group"})).await,
            StatusCode::CONFLICT, "conflict").await;

        let renamed: Value = c.patch(&format!("/api/v1/orgs/{id}"), json!({"name": "青年党小组"})).await.json().await.unwrap();
        assert_eq!(renamed["name"], "青年党小组");

        assert_eq!(c.delete(&format!("/api/v1/orgs/{id}")).await.status(), StatusCode::NO_CONTENT);
        expect_error(c.get(&format!("/api/v1/orgs/{id}")).await, StatusCode::NOT_FOUND, "not_found").await;
    }

    async fn an_org_with_people_or_children_cannot_be_deleted(app) {
        let c = app.login("admin").await;
        let group = app.org_id(&format!("{BRANCH_1}/第一党小组")).await;
        expect_error(c.delete(&format!("/api/v1/orgs/{group}")).await, StatusCode::CONFLICT, "org_not_empty").await;
        let general = app.org_id("示范市委党校党委/机关党总支").await;
        expect_error(c.delete(&format!("/api/v1/orgs/{general}")).await, StatusCode::CONFLICT, "org_not_empty").await;
    }

    async fn malformed_org_requests_are_rejected_with_reasons(app) {
        let c = app.login("admin").await;
        let branch = app.org_id(BRANCH_1).await;
        for body in [
            json!({"parent_id": branch, "name": "", "kind": "group"}),
            json!({"parent_id": branch, "name": "a/b", "kind": "group"}),
            json!({"parent_id": branch, "name": "小组", "kind": "platoon"}),
            json!({"parent_id": branch}),
        ] {
            expect_error(c.post("/api/v1/orgs", body.clone()).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        }
        // Not JSON at all, and ids that are not numbers: still the API's error shape.
        let r = c.request(reqwest::Method::POST, "/api/v1/orgs").header("content-type", "application/json").body("{oops").send().await.unwrap();
        expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input").await;
        expect_error(c.get("/api/v1/orgs/abc").await, StatusCode::NOT_FOUND, "not_found").await;
        expect_error(c.post("/api/v1/orgs", json!({"parent_id": 999999, "name": "小组", "kind": "group"})).await,
            StatusCode::NOT_FOUND, "not_found").await;
    }

    async fn the_subtree_query_is_an_index_range_scan(app) {
        let (low, high) = courses::OrgPath::root(courses::OrgId(1)).subtree_range();
        let backend = app.db.get_database_backend();
        let plan: String = match app.kind {
            Db::Sqlite => {
                let sql = format!("EXPLAIN QUERY PLAN SELECT * FROM orgs WHERE path >= '{low}' AND path < '{high}'");
                let rows = app.db.query_all_raw(Statement::from_string(backend, sql)).await.unwrap();
                rows.iter().map(|r| r.try_get::<String>("", "detail").unwrap()).collect::<Vec<_>>().join("\n")
            }
            Db::Postgres => {
                // Tiny tables make a sequential scan cheaper; forbid it to see
                // whether the index *can* serve the range (it needs the C collation).
                let txn = sea_orm::TransactionTrait::begin(&app.db).await.unwrap();
                txn.execute_unprepared("SET LOCAL enable_seqscan = off").await.unwrap();
                let sql = format!("EXPLAIN SELECT * FROM orgs WHERE path >= '{low}' AND path < '{high}'");
                let rows = txn.query_all_raw(Statement::from_string(backend, sql)).await.unwrap();
                rows.iter().map(|r| r.try_get::<String>("", "QUERY PLAN").unwrap()).collect::<Vec<_>>().join("\n")
            }
        };
        assert!(plan.contains("orgs_path"), "plan does not use the path index:\n{plan}");
        assert!(!plan.contains("Seq Scan") && !plan.contains("SCAN orgs\n") && plan.trim() != "SCAN orgs", "{plan}");
    }
}
