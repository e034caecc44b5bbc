//! `/api/v1/people`: creating, changing and removing people, and bulk import.

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use courses::directory::{CreatedPerson, ImportReport, NewPerson, PersonPatch, PersonSummary};
use courses::standing::{NewMilestone, StandingView};
use courses::PersonId;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::error::{Error, Result};
use crate::http::extract::{ClientLang, CurrentUser, Json, Path, Query};
use crate::http::form_file;
use crate::services::{decode, import, people as people_service, standing};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/people", post(create))
        .route("/people/import", post(import_members))
        .route("/people/{id}", get(show).patch(update).delete(remove))
        .route("/people/{id}/milestones", get(milestones).post(record_milestone))
}

/// Create a person; the response carries their one-time initial password.
#[utoipa::path(post, path = "/api/v1/people", tag = "people", request_body = NewPerson,
    responses((status = 201, body = CreatedPerson), (status = 403, body = courses::directory::ErrorBody),
              (status = 404, body = courses::directory::ErrorBody), (status = 409, body = courses::directory::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Json(new): Json<NewPerson>,
) -> Result<(StatusCode, Json<CreatedPerson>)> {
    Ok((StatusCode::CREATED, Json(people_service::create(&state.db, &state.settings, &s.actor, new).await?)))
}

#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "people", params(("id" = i64, Path)),
    responses((status = 200, body = PersonSummary), (status = 404, body = courses::directory::ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<PersonSummary>> {
    Ok(Json(people_service::get(&state.db, &s.actor, PersonId(id)).await?))
}

/// Change a person's name, role or org.
#[utoipa::path(patch, path = "/api/v1/people/{id}", tag = "people", params(("id" = i64, Path)), request_body = PersonPatch,
    responses((status = 200, body = PersonSummary), (status = 403, body = courses::directory::ErrorBody),
              (status = 404, body = courses::directory::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(patch): Json<PersonPatch>,
) -> Result<Json<PersonSummary>> {
    Ok(Json(people_service::update(&state.db, &state.settings, &s.actor, PersonId(id), patch).await?))
}

#[utoipa::path(delete, path = "/api/v1/people/{id}", tag = "people", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = courses::directory::ErrorBody), (status = 404, body = courses::directory::ErrorBody)))]
pub async fn remove(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    people_service::delete(&state.db, &s.actor, PersonId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A person's party standing and the milestones that led to it (their
/// organizers, and the person themselves).
#[utoipa::path(get, path = "/api/v1/people/{id}/milestones", tag = "people", params(("id" = i64, Path)),
    responses((status = 200, body = StandingView), (status = 404, body = courses::directory::ErrorBody)))]
pub async fn milestones(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<StandingView>> {
    Ok(Json(standing::view(&state.db, &s.actor, PersonId(id)).await?))
}

/// Records a change of standing on the day it happened (not in the future,
/// not before the last one); it becomes the person's standing.
#[utoipa::path(post, path = "/api/v1/people/{id}/milestones", tag = "people", params(("id" = i64, Path)),
    request_body = NewMilestone,
    responses((status = 201, body = StandingView), (status = 403, body = courses::directory::ErrorBody),
              (status = 404, body = courses::directory::ErrorBody), (status = 422, body = courses::directory::ErrorBody)))]
pub async fn record_milestone(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(new): Json<NewMilestone>,
) -> Result<(StatusCode, Json<StandingView>)> {
    let view = standing::record(&state.db, &state.settings, &s.actor, PersonId(id), new).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[derive(Deserialize, IntoParams)]
pub struct ImportQuery {
    /// Check every row and report, but write nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// Multipart form with one field `file` (CSV or XLSX).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ImportUpload {
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    file: String,
}

/// Import members from CSV or XLSX with columns name, login, org_path,
/// role (Chinese headers 姓名, 登录名, 组织路径, 身份 work too). Good rows
/// are written in one transaction; each bad row is reported with its reason.
#[utoipa::path(post, path = "/api/v1/people/import", tag = "people", params(ImportQuery),
    request_body(content = ImportUpload, content_type = "multipart/form-data"),
    responses((status = 200, body = ImportReport), (status = 413, body = courses::directory::ErrorBody),
              (status = 415, body = courses::directory::ErrorBody), (status = 422, body = courses::directory::ErrorBody)))]
pub async fn import_members(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ClientLang(lang): ClientLang,
    Query(q): Query<ImportQuery>,
    mut multipart: Multipart,
) -> Result<Json<ImportReport>> {
    if !s.actor.role.manages_people() {
        return Err(Error::Forbidden);
    }
    let bytes = form_file::read(&mut multipart, state.settings.import_max_bytes).await?.bytes;
    let rows =
        tokio::task::spawn_blocking(move || decode::table(&bytes)).await.map_err(|e| Error::Internal(e.into()))??;
    Ok(Json(import::import(&state.db, &state.settings, &s.actor, &rows, q.dry_run, lang).await?))
}
