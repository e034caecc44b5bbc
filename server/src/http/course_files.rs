//! Files of courses and lessons: a course's cover (`/courses/{id}/cover`), a lesson's WebVTT
//! captions (`/lessons/{id}/captions.vtt`), its attachments (`/lessons/{id}/attachments`) and
//! the companion slide deck of a mixed lesson (`/lessons/{id}/deck/…`). Uploads are the raw
//! request body, so a browser can send a `File` with `XMLHttpRequest` and show its progress.

use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::{get, put};
use axum::Router;
use axum_extra::headers::Range;
use axum_extra::TypedHeader;
use courses::course::{AttachmentView, CourseView, LessonView};
use courses::directory::ErrorBody;
use futures::TryStreamExt;
use serde::Deserialize;

use crate::error::Error;
use crate::error::Result;
use crate::http::extract::{CurrentUser, Json, Path, Query};
use crate::services::catalog::{self, files};
use crate::services::study::material::{self, LessonMedia};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/courses/{id}/cover", get(cover).put(put_cover).layer(DefaultBodyLimit::max(files::MAX_COVER_BYTES)))
        .route(
            "/lessons/{id}/captions.vtt",
            get(captions)
                .put(put_captions)
                .delete(delete_captions)
                .layer(DefaultBodyLimit::max(files::MAX_CAPTIONS_BYTES)),
        )
        .route("/lessons/{id}/attachments", put(put_attachment))
        .route("/lessons/{id}/attachments/{aid}", get(attachment).delete(delete_attachment))
        .route("/lessons/{id}/deck/{*path}", get(deck_file))
}

/// A body read under the route's limit; one over it is answered like every
/// other error (413 with `payload_too_large`), not with axum's plain text.
fn limited(body: std::result::Result<Bytes, BytesRejection>, limit: usize) -> Result<Bytes> {
    body.map_err(|r| match r.status() {
        StatusCode::PAYLOAD_TOO_LARGE => Error::TooLarge { limit: limit as u64 },
        _ => Error::Invalid(crate::error::Detail::text(
            format!("无法读取上传的内容：{}", r.body_text()),
            format!("The upload could not be read: {}", r.body_text()),
        )),
    })
}

/// Replaces the course's cover: a JPEG, PNG or WebP image (at most 10 MB,
/// 8000×8000), re-encoded to fit 960×540.
#[utoipa::path(put, path = "/api/v1/courses/{id}/cover", tag = "courses", params(("id" = i64, Path)),
    request_body(content = Vec<u8>, content_type = "image/*"),
    responses((status = 200, body = CourseView), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn put_cover(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Json<CourseView>> {
    let body = limited(body, files::MAX_COVER_BYTES)?;
    Ok(Json(catalog::put_cover(&state.db, &*state.store, &s.actor, id, body).await?))
}

#[utoipa::path(get, path = "/api/v1/courses/{id}/cover", tag = "courses", params(("id" = i64, Path)),
    responses((status = 200, content_type = "image/jpeg"), (status = 404, body = ErrorBody)))]
pub async fn cover(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    range: Option<TypedHeader<Range>>,
) -> Result<Response> {
    let key = catalog::cover_key(&state.db, &s.actor, id).await?;
    crate::http::media::serve_object(&state, &key, "cover.jpg", range).await
}

/// Replaces a video or audio lesson's captions: a WebVTT file (UTF-8, at
/// most 2 MB).
#[utoipa::path(put, path = "/api/v1/lessons/{id}/captions.vtt", tag = "courses", params(("id" = i64, Path)),
    request_body(content = String, content_type = "text/vtt"),
    responses((status = 200, body = LessonView), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn put_captions(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Json<LessonView>> {
    let body = limited(body, files::MAX_CAPTIONS_BYTES)?;
    Ok(Json(files::put_captions(&state.db, &*state.store, &s.actor, id, body).await?))
}

#[utoipa::path(delete, path = "/api/v1/lessons/{id}/captions.vtt", tag = "courses", params(("id" = i64, Path)),
    responses((status = 200, body = LessonView), (status = 404, body = ErrorBody)))]
pub async fn delete_captions(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<LessonView>> {
    Ok(Json(files::delete_captions(&state.db, &*state.store, &s.actor, id).await?))
}

#[utoipa::path(get, path = "/api/v1/lessons/{id}/captions.vtt", tag = "study", params(("id" = i64, Path)),
    responses((status = 200, content_type = "text/vtt"), (status = 404, body = ErrorBody)))]
pub async fn captions(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    range: Option<TypedHeader<Range>>,
) -> Result<Response> {
    let key = catalog::captions_key(&state.db, &s.actor, id).await?;
    crate::http::media::serve_object(&state, &key, "captions.vtt", range).await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AttachmentName {
    /// The file's name as members will download it.
    pub name: String,
}

/// Attaches a file to download (any type, at most 200 MB). The body is the
/// file; `Content-Length` is required.
#[utoipa::path(put, path = "/api/v1/lessons/{id}/attachments", tag = "courses",
    params(("id" = i64, Path), AttachmentName),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = AttachmentView), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn put_attachment(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<AttachmentName>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<AttachmentView>> {
    let (length, stream) = declared_body(&headers, body);
    Ok(Json(files::put_attachment(&state.db, &*state.store, &s.actor, id, &q.name, length, stream).await?))
}

/// A raw request body as a stream, with the length its `Content-Length`
/// declares (the store checks the body against it).
pub(crate) fn declared_body(headers: &HeaderMap, body: Body) -> (Option<u64>, crate::storage::ByteStream) {
    let length = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    let stream =
        Box::pin(body.into_data_stream().map_err(|e| std::io::Error::new(std::io::ErrorKind::ConnectionAborted, e)));
    (length, stream)
}

/// Downloads an attachment, as a file (never shown inline).
#[utoipa::path(get, path = "/api/v1/lessons/{id}/attachments/{aid}", tag = "study",
    params(("id" = i64, Path), ("aid" = i64, Path)),
    responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = ErrorBody)))]
pub async fn attachment(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path((id, aid)): Path<(i64, i64)>,
    range: Option<TypedHeader<Range>>,
) -> Result<Response> {
    let (name, key) = catalog::attachment_key(&state.db, &s.actor, id, aid).await?;
    download(&state, &key, &name, "attachment.bin", range).await
}

/// A stored file as a download named `name`, never shown inline; its type
/// is told by the extension of `type_from`.
pub(crate) async fn download(
    state: &AppState,
    key: &crate::storage::ObjectKey,
    name: &str,
    type_from: &str,
    range: Option<TypedHeader<Range>>,
) -> Result<Response> {
    let mut response = crate::http::media::serve_object(state, key, type_from, range).await?;
    if let Ok(v) = HeaderValue::from_str(&content_disposition(name)) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    response.headers_mut().insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    Ok(response)
}

/// `attachment` with an ASCII fallback name and the real name in RFC 5987
/// form, which every current browser prefers.
pub(crate) fn content_disposition(name: &str) -> String {
    let fallback: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_ ".contains(c) { c } else { '_' }).collect();
    let encoded = percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC);
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[utoipa::path(delete, path = "/api/v1/lessons/{id}/attachments/{aid}", tag = "courses",
    params(("id" = i64, Path), ("aid" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete_attachment(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path((id, aid)): Path<(i64, i64)>,
) -> Result<StatusCode> {
    catalog::delete_attachment(&state.db, &*state.store, &s.actor, id, aid).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A file of a mixed lesson's companion slide deck (slide images).
#[utoipa::path(get, path = "/api/v1/lessons/{id}/deck/{path}", tag = "study",
    params(("id" = i64, Path), ("path" = String, Path)),
    responses((status = 200), (status = 206), (status = 404, body = ErrorBody)))]
pub async fn deck_file(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path((id, path)): Path<(i64, String)>,
    range: Option<TypedHeader<Range>>,
) -> Result<Response> {
    let key = material::file_key(&state.db, &s.actor, id, LessonMedia::Deck, &path).await?;
    crate::http::media::serve_object(&state, &key, &path, range).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn chinese_names_survive_in_the_rfc5987_form() {
        let h = super::content_disposition("学习 提纲.pdf");
        assert_eq!(
            h,
            "attachment; filename=\"__ __.pdf\"; filename*=UTF-8''%E5%AD%A6%E4%B9%A0%20%E6%8F%90%E7%BA%B2%2Epdf"
        );
    }
}
