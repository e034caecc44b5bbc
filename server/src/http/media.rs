//! `/api/v1/media`: uploaded material and its processing, for organizers;
//! the published files (HLS playlists and segments, posters, slide images).

use std::ops::Bound;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_extra::headers::Range;
use axum_extra::TypedHeader;
use courses::directory::ErrorBody;
use courses::media::{MediaSummary, SlideView};
use courses::OrgId;
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::http::extract::{ClientLang, CurrentUser, Json, Path, Query};
use crate::services::media as media_service;
use crate::state::AppState;
use crate::storage::{ByteRange, StorageError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/media", get(list))
        .route("/media/{id}", get(show).delete(remove))
        .route("/media/{id}/cancel", post(cancel))
        .route("/media/{id}/retry", post(retry))
        .route("/media/{id}/slides", get(slides))
        .route("/media/{id}/files/{*path}", get(file))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// Only this org node and its subtree.
    pub org_id: Option<i64>,
}

/// Material in the caller's part of the tree, newest first, with its
/// processing state and percent.
#[utoipa::path(get, path = "/api/v1/media", tag = "media", params(ListQuery),
    responses((status = 200, body = Vec<MediaSummary>), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ClientLang(lang): ClientLang,
    Query(q): Query<ListQuery>,
) -> Result<Json<Vec<MediaSummary>>> {
    Ok(Json(media_service::list(&state.db, &s.actor, q.org_id.map(OrgId), lang).await?))
}

#[utoipa::path(get, path = "/api/v1/media/{id}", tag = "media", params(("id" = i64, Path)),
    responses((status = 200, body = MediaSummary), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ClientLang(lang): ClientLang,
    Path(id): Path<i64>,
) -> Result<Json<MediaSummary>> {
    Ok(Json(media_service::get_in(&state.db, &s.actor, id, lang).await?))
}

/// Stop processing (queued: at once; running: within seconds).
#[utoipa::path(post, path = "/api/v1/media/{id}/cancel", tag = "media", params(("id" = i64, Path)),
    responses((status = 200, body = MediaSummary), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn cancel(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ClientLang(lang): ClientLang,
    Path(id): Path<i64>,
) -> Result<Json<MediaSummary>> {
    Ok(Json(media_service::cancel(&state.db, &s.actor, id, lang).await?))
}

/// Queue a failed or cancelled item again.
#[utoipa::path(post, path = "/api/v1/media/{id}/retry", tag = "media", params(("id" = i64, Path)),
    responses((status = 200, body = MediaSummary), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn retry(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ClientLang(lang): ClientLang,
    Path(id): Path<i64>,
) -> Result<Json<MediaSummary>> {
    Ok(Json(media_service::retry(&state.db, &s.actor, id, lang).await?))
}

/// Delete the item with its original and outputs.
#[utoipa::path(delete, path = "/api/v1/media/{id}", tag = "media", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn remove(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    media_service::delete(&state.db, &*state.store, &s.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The pages of a converted deck: image URLs and text.
#[utoipa::path(get, path = "/api/v1/media/{id}/slides", tag = "media", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<SlideView>), (status = 404, body = ErrorBody)))]
pub async fn slides(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Vec<SlideView>>> {
    Ok(Json(media_service::slides(&state.db, &s.actor, id).await?))
}

/// A published file (playlist, segment, poster, slide image), with byte
/// ranges.
#[utoipa::path(get, path = "/api/v1/media/{id}/files/{path}", tag = "media",
    params(("id" = i64, Path), ("path" = String, Path)),
    responses((status = 200), (status = 206), (status = 404, body = ErrorBody), (status = 416)))]
pub async fn file(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path((id, path)): Path<(i64, String)>,
    range: Option<TypedHeader<Range>>,
) -> Result<Response> {
    let key = media_service::file_key(&state.db, &s.actor, id, &path).await?;
    serve_object(&state, &key, &path, range).await
}

/// Answers with a stored object (whole or the requested byte range), typed
/// by `path`'s extension unless the store knows its type.
pub async fn serve_object(
    state: &AppState,
    key: &crate::storage::ObjectKey,
    path: &str,
    range: Option<TypedHeader<Range>>,
) -> Result<Response> {
    // The suffix form (`bytes=-N`) needs the size to resolve.
    let range = match range {
        Some(TypedHeader(r)) => {
            let size = match state.store.head(key).await {
                Ok(meta) => meta.size,
                Err(StorageError::NotFound(_)) => return Err(Error::NotFound),
                Err(e) => return Err(e.into()),
            };
            match r.satisfiable_ranges(size).next() {
                Some((Bound::Included(a), Bound::Included(b))) => Some(ByteRange::Inclusive(a, b)),
                Some((Bound::Included(a), Bound::Unbounded)) => Some(ByteRange::From(a)),
                _ => Some(ByteRange::From(size)), // unsatisfiable: answered with 416 below
            }
        }
        None => None,
    };
    let object = match state.store.get(key, range).await {
        Ok(o) => o,
        Err(StorageError::NotFound(_)) => return Err(Error::NotFound),
        Err(StorageError::RangeNotSatisfiable { size }) => {
            let mut r = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
            if let Ok(v) = HeaderValue::from_str(&format!("bytes */{size}")) {
                r.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            return Ok(r);
        }
        Err(e) => return Err(e.into()),
    };
    let content_type =
        object.meta.content_type.clone().unwrap_or_else(|| crate::jobs::outputs::content_type_of(path).into_owned());
    let (first, last) = object.range;
    let size = object.meta.size;
    let length = if size == 0 { 0 } else { last - first + 1 };
    let mut response = Response::new(Body::from_stream(object.body));
    let headers = response.headers_mut();
    let mut set = |name, value: String| {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(name, v);
        }
    };
    set(header::CONTENT_TYPE, content_type);
    set(header::CONTENT_LENGTH, length.to_string());
    set(header::ACCEPT_RANGES, "bytes".to_owned());
    // Outputs never change under a URL (a new run writes a new prefix), but
    // they are private: cache in the browser only.
    set(header::CACHE_CONTROL, "private, max-age=3600".to_owned());
    if range.is_some() && size > 0 {
        set(header::CONTENT_RANGE, format!("bytes {first}-{last}/{size}"));
        *response.status_mut() = StatusCode::PARTIAL_CONTENT;
    }
    Ok(response)
}
