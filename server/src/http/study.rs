//! Studying a lesson: `GET /api/v1/lessons/{id}` is what its page shows,
//! `GET /api/v1/lessons/{id}/files/…` serves its media to its audience,
//! `POST /api/v1/lessons/{id}/sessions` opens it on this device, `POST
//! /api/v1/heartbeats` reports what happened ([`heartbeat_route`]), and
//! `GET /api/v1/lessons/{id}/progress` tells where to resume.

use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use axum_extra::headers::Range;
use axum_extra::TypedHeader;
use courses::course::LessonStudy;
use courses::directory::{cookies, ErrorBody, CSRF_HEADER};
use courses::progress::api::{HeartbeatAck, LessonProgress, OpenedSession};
use courses::progress::{Heartbeat, HeartbeatIn};

use crate::error::{Detail, Error, Result};
use crate::http::extract::{request_lang, CurrentUser, Json, Path};
use crate::http::session::cookie;
use crate::services::auth::hash_token;
use crate::services::heartbeats::group_commit::Submission;
use crate::services::study;
use crate::state::AppState;

/// Largest heartbeat body accepted; a real one is well under 4 KiB.
pub const HEARTBEAT_MAX_BYTES: usize = 16 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/lessons/{id}", get(lesson))
        .route("/lessons/{id}/files/{*path}", get(file))
        .route("/lessons/{id}/sessions", post(open_session))
        .route("/lessons/{id}/progress", get(progress))
}

/// `POST /api/v1/heartbeats`, mounted outside the session layer: the group
/// commit authenticates a whole batch in one query.
pub fn heartbeat_route() -> MethodRouter<AppState> {
    post(heartbeat).layer(DefaultBodyLimit::max(HEARTBEAT_MAX_BYTES))
}

/// What the lesson page shows: the lesson in its course, its media URLs,
/// the slides of a deck, and the caller's progress.
#[utoipa::path(get, path = "/api/v1/lessons/{id}", tag = "study", params(("id" = i64, Path)),
    responses((status = 200, body = LessonStudy), (status = 404, body = ErrorBody)))]
pub async fn lesson(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<LessonStudy>> {
    Ok(Json(study::material::lesson_page(&state.db, &s.actor, id).await?))
}

/// A file of the lesson's media (playlist, segment, poster, slide image),
/// with byte ranges, for whoever may study the lesson.
#[utoipa::path(get, path = "/api/v1/lessons/{id}/files/{path}", tag = "study",
    params(("id" = i64, Path), ("path" = String, Path)),
    responses((status = 200), (status = 206), (status = 404, body = ErrorBody), (status = 416)))]
pub async fn file(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path((id, path)): Path<(i64, String)>,
    range: Option<TypedHeader<Range>>,
) -> Result<Response> {
    let key = study::material::file_key(&state.db, &s.actor, id, study::material::LessonMedia::Main, &path).await?;
    if state.settings.media_direct && path.ends_with(".m3u8") {
        if let Some(response) = signed_playlist(&state, &key).await? {
            return Ok(response);
        }
    }
    crate::http::media::serve_object(&state, &key, &path, range).await
}

/// A media playlist with presigned segment URLs (`media_direct`), never
/// cached: its URLs expire.
async fn signed_playlist(state: &AppState, key: &crate::storage::ObjectKey) -> Result<Option<Response>> {
    use axum::http::{header, HeaderValue};
    use axum::response::IntoResponse;
    let bytes = crate::storage::read_all(&*state.store, key, 4 << 20).await?;
    let text = String::from_utf8_lossy(&bytes);
    let expires = std::time::Duration::from_secs(u64::from(state.settings.media_url_seconds));
    let Some(signed) = study::playlist::signed(&*state.store, key, &text, expires).await? else {
        return Ok(None);
    };
    let mut response = signed.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/vnd.apple.mpegurl"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(Some(response))
}

/// Opens a lesson on this device. Any other playback session of the
/// caller stops earning (one active session per member).
#[utoipa::path(post, path = "/api/v1/lessons/{id}/sessions", tag = "study", params(("id" = i64, Path)),
    responses((status = 200, body = OpenedSession), (status = 404, body = ErrorBody)))]
pub async fn open_session(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<OpenedSession>> {
    Ok(Json(study::open_session(&state.db, &s.actor, id).await?))
}

/// The caller's progress in a lesson: resume position, watched ranges,
/// completion.
#[utoipa::path(get, path = "/api/v1/lessons/{id}/progress", tag = "study", params(("id" = i64, Path)),
    responses((status = 200, body = LessonProgress), (status = 404, body = ErrorBody)))]
pub async fn progress(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<LessonProgress>> {
    Ok(Json(study::progress(&state.db, &s.actor, id).await?))
}

/// Reports what happened in a lesson since the previous heartbeat. Send
/// every 10–15 s while the lesson is open, and on pause, seek, end, rate
/// change and page hide; repeat a `seq` that got no answer. The answer
/// comes once the heartbeat is committed; it says what was credited, what
/// was not and why, and the lesson's progress. `verdict: superseded` means
/// another device or tab took over: stop sending.
#[utoipa::path(post, path = "/api/v1/heartbeats", tag = "study", request_body = HeartbeatIn,
    responses((status = 200, body = HeartbeatAck), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "no such playback session for the caller, or lesson not accessible"),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn heartbeat(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: std::result::Result<axum::Json<HeartbeatIn>, JsonRejection>,
) -> Result<Json<HeartbeatAck>> {
    let received_at = crate::db::now_ms();
    let token_hash = cookie(&headers, cookies::SESSION).filter(|t| t.len() == 64).map(|t| hash_token(&t));
    if token_hash.is_none() {
        return Err(Error::Unauthenticated);
    }
    let axum::Json(raw) = body.map_err(|r| match r.status() {
        StatusCode::PAYLOAD_TOO_LARGE => Error::TooLarge { limit: HEARTBEAT_MAX_BYTES as u64 },
        _ => Error::from(r),
    })?;
    let beat = Heartbeat::parse(&raw).map_err(|e| Error::Invalid(Detail::of(&e)))?;
    let csrf = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let lang = request_lang(&headers);
    let ack = state.heartbeats.submit(Submission { token_hash, csrf, beat, received_at, lang }).await?;
    Ok(Json(ack))
}
