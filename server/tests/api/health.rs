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
