//! The OpenAPI document, generated from the handlers' annotations and served
//! at `/api/v1/openapi.json`.

use axum::Json;
use utoipa::OpenApi;

use crate::http::{auth, orgs, people};

#[derive(OpenApi)]
#[openapi(
    info(title = "dangxiao API", description = "党校 online party school. Errors are `{code, message}` with stable codes; \
        state-changing requests need the CSRF token (the `dx_csrf` cookie) in `X-CSRF-Token`."),
    paths(
        auth::login, auth::logout, auth::me, auth::change_password,
        orgs::list, orgs::create, orgs::show, orgs::rename, orgs::remove, orgs::people,
        people::create, people::show, people::update, people::remove, people::import_members,
    ),
    components(schemas(courses::directory::ErrorBody, courses::i18n::ErrorCode)),
    tags((name = "session", description = "Logging in and out"),
         (name = "orgs", description = "The organization tree"),
         (name = "people", description = "People and member import"))
)]
pub struct ApiDoc;

pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
