//! The OpenAPI document, generated from the handlers' annotations and served
//! at `/api/v1/openapi.json`.

use axum::Json;
use utoipa::OpenApi;

use crate::http::{auth, media, orgs, people, uploads};

#[derive(OpenApi)]
#[openapi(
    info(title = "dangxiao API", description = "党校 online party school. Errors are `{code, message}` with stable codes; \
        state-changing requests need the CSRF token (the `dx_csrf` cookie) in `X-CSRF-Token`."),
    paths(
        auth::login, auth::logout, auth::me, auth::change_password,
        orgs::list, orgs::create, orgs::show, orgs::rename, orgs::remove, orgs::people,
        people::create, people::show, people::update, people::remove, people::import_members,
        uploads::create, uploads::list_open, uploads::show, uploads::put_part, uploads::part_url, uploads::complete,
        uploads::abort,
        media::list, media::show, media::cancel, media::retry, media::remove, media::slides, media::file,
    ),
    components(schemas(courses::directory::ErrorBody, courses::i18n::ErrorCode)),
    tags((name = "session", description = "Logging in and out"),
         (name = "orgs", description = "The organization tree"),
         (name = "people", description = "People and member import"),
         (name = "uploads", description = "Resumable chunked uploads of videos, recordings and slide decks"),
         (name = "media", description = "Uploaded material, its processing (percent, failures) and published files"))
)]
pub struct ApiDoc;

pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
