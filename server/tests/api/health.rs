use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;
use crate::on_both_databases;

on_both_databases! {
    async fn healthz_and_readyz_answer_when_everything_is_up(app) {
        let c = app.anonymous().await;
        let r = c.get("/healthz").await;
        assert_eq!(r.status(), StatusCode::OK);
        let r = c.get("/readyz").await;
        assert_eq!(r.status(), StatusCode::OK);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body, serde_json::json!({"database": "ok", "storage": "ok"}));
    }

    async fn readyz_reports_storage_that_is_gone(app) {
        std::fs::remove_dir_all(app.data_dir().join("objects")).unwrap();
        let r = app.anonymous().await.get("/readyz").await;
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["storage"], "unavailable");
        assert_eq!(body["database"], "ok");
    }

    async fn the_openapi_document_describes_the_api(app) {
        let r = app.anonymous().await.get("/api/v1/openapi.json").await;
        assert_eq!(r.status(), StatusCode::OK);
        let doc: Value = r.json().await.unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        for path in ["/api/v1/session", "/api/v1/me", "/api/v1/orgs", "/api/v1/orgs/{id}/people", "/api/v1/people/import"] {
            assert!(doc["paths"].get(path).is_some(), "{path} missing from OpenAPI");
        }
        assert!(doc["components"]["schemas"].get("ErrorBody").is_some());
    }

    async fn unknown_api_paths_answer_with_the_error_shape(app) {
        let c = app.login("organizer").await;
        expect_error(c.get("/api/v1/nothing-here").await, StatusCode::NOT_FOUND, "not_found").await;
    }
}

/// SQLite's checkpoints run on a background task, not inside whichever
/// commit (often a heartbeat batch) crosses the WAL's size threshold: the
/// pool's connections never checkpoint on their own, and yet committed
/// pages reach the database file within moments.
#[tokio::test]
async fn sqlite_checkpoints_in_the_background() {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    let app = TestApp::spawn(Db::Sqlite).await;
    let row = app
        .db
        .query_one_raw(Statement::from_string(DbBackend::Sqlite, "PRAGMA wal_autocheckpoint"))
        .await
        .unwrap()
        .expect("a row");
    assert_eq!(row.try_get_by_index::<i64>(0).unwrap(), 0, "connections must leave checkpoints to the background");

    let file = app.data_dir().join("test.db");
    let before = std::fs::metadata(&file).unwrap().len();
    app.db.execute_unprepared("CREATE TABLE checkpoint_probe (b BLOB)").await.unwrap();
    // 4 MiB in 8 commits: below the 1,000-page threshold SQLite would
    // checkpoint at by itself, so only the background task moves it.
    for _ in 0..8 {
        app.db
            .execute_unprepared(
                "INSERT INTO checkpoint_probe SELECT randomblob(4096) FROM \
                 (WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 128) SELECT x FROM n)",
            )
            .await
            .unwrap();
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let now = std::fs::metadata(&file).unwrap().len();
        if now >= before + 4 * 1024 * 1024 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the database file stayed at {now} bytes: no checkpoint ran");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
