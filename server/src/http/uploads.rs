//! `/api/v1/uploads`: resumable, chunked uploads of teaching material.
//!
//! 1. `POST /uploads` with the file's name, size and target org → the part
//!    size and count.
//! 2. `PUT /uploads/{id}/parts/{n}` with each part's bytes, in any order,
//!    again after a failure (or `POST .../parts/{n}/url` and `PUT` straight to
//!    object storage when `direct` is true).
//! 3. `GET /uploads/{id}` after a reload or a dropped connection says which
//!    parts arrived; send the others.
//! 4. `POST /uploads/{id}/complete` → the media item, queued for processing.

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::routing::{get, post, put};
use axum::Router;
use courses::directory::ErrorBody;
use courses::media::{MediaSummary, NewUpload, PartUrl, UploadStatus};
use futures::TryStreamExt;

use crate::error::Result;
use crate::http::extract::{CurrentUser, Json, Path};
use crate::services::uploads as upload_service;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/uploads", post(create).get(list_open))
        .route("/uploads/{id}", get(show).delete(abort))
        .route("/uploads/{id}/parts/{n}", put(put_part))
        .route("/uploads/{id}/parts/{n}/url", post(part_url))
        .route("/uploads/{id}/complete", post(complete))
}

/// Start an upload. Size and name are checked here, before any byte is sent;
/// the content is checked by the processing job.
#[utoipa::path(post, path = "/api/v1/uploads", tag = "uploads", request_body = NewUpload,
    responses((status = 201, body = UploadStatus), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Json(new): Json<NewUpload>,
) -> Result<(StatusCode, Json<UploadStatus>)> {
    let status = upload_service::create(&state.db, &*state.store, &state.settings, &s, new).await?;
    Ok((StatusCode::CREATED, Json(status)))
}

/// The caller's unfinished uploads, to resume after a reload.
#[utoipa::path(get, path = "/api/v1/uploads", tag = "uploads", responses((status = 200, body = Vec<UploadStatus>)))]
pub async fn list_open(State(state): State<AppState>, CurrentUser(s): CurrentUser) -> Result<Json<Vec<UploadStatus>>> {
    Ok(Json(upload_service::open_of(&state.db, &*state.store, &state.settings, &s).await?))
}

/// Which parts have arrived.
#[utoipa::path(get, path = "/api/v1/uploads/{id}", tag = "uploads", params(("id" = String, Path)),
    responses((status = 200, body = UploadStatus), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<UploadStatus>> {
    Ok(Json(upload_service::get(&state.db, &*state.store, &state.settings, &s.actor, &id).await?))
}

/// Send part `n` (1-based): exactly `part_size` bytes (the last part: the
/// rest). Sending a part again replaces it.
#[utoipa::path(put, path = "/api/v1/uploads/{id}/parts/{n}", tag = "uploads",
    params(("id" = String, Path), ("n" = u32, Path)), request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_part(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path((id, n)): Path<(String, u32)>,
    headers: HeaderMap,
    body: Body,
) -> Result<StatusCode> {
    let length = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    // A body that breaks off (a paused or dropped upload) is the client's
    // doing: the service answers it as "send this part again", not a 500.
    let stream =
        Box::pin(body.into_data_stream().map_err(|e| std::io::Error::new(std::io::ErrorKind::ConnectionAborted, e)));
    upload_service::put_part(&state.db, &*state.store, &s.actor, &id, n, length, stream).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A presigned URL to `PUT` part `n` straight to object storage (only when
/// the upload says `direct`).
#[utoipa::path(post, path = "/api/v1/uploads/{id}/parts/{n}/url", tag = "uploads",
    params(("id" = String, Path), ("n" = u32, Path)),
    responses((status = 200, body = PartUrl), (status = 409, body = ErrorBody)))]
pub async fn part_url(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path((id, n)): Path<(String, u32)>,
) -> Result<Json<PartUrl>> {
    Ok(Json(upload_service::part_url(&state.db, &*state.store, &state.settings, &s.actor, &id, n).await?))
}

/// Assemble the parts and queue the file for processing.
#[utoipa::path(post, path = "/api/v1/uploads/{id}/complete", tag = "uploads", params(("id" = String, Path)),
    responses((status = 202, body = MediaSummary), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn complete(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<MediaSummary>)> {
    let media = upload_service::complete(&state.db, &*state.store, &state.settings, &s, &id).await?;
    Ok((StatusCode::ACCEPTED, Json(media)))
}

/// Abandon the upload and drop its parts.
#[utoipa::path(delete, path = "/api/v1/uploads/{id}", tag = "uploads", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn abort(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    upload_service::abort(&state.db, &*state.store, &s.actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
