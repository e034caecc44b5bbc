//! `/api/v1/…/comments`: the discussion under lessons and courses, reports,
//! moderation and its queue, a course's 先审后发 switch, and the admins'
//! sensitive-word list.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::Router;
use courses::directory::ErrorBody;
use courses::discussion::{
    CommentDraft, CommentReport, CommentView, Discussion, DiscussionSettings, Moderation, QueueItem, SensitiveWords,
};
use serde::Deserialize;

use crate::error::Result;
use crate::http::extract::{CurrentUser, Json, Path, Query};
use crate::services::discussion::{self, moderation, words, write, Target};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/lessons/{id}/comments", get(lesson_comments).post(comment_on_lesson))
        .route("/courses/{id}/comments", get(course_comments).post(comment_on_course))
        .route("/comments/{id}", delete(delete_own))
        .route("/comments/{id}/report", post(report))
        .route("/comments/{id}/moderation", post(moderate))
        .route("/comment-queue", get(queue))
        .route("/courses/{id}/discussion", get(settings).put(set_settings))
        .route("/sensitive-words", get(word_list).put(replace_words))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// Older comments than this one (the last one's id on the page before).
    pub before: Option<i64>,
}

/// The discussion under a lesson the caller may study: 50 top-level
/// comments a page, newest first, with their replies.
#[utoipa::path(get, path = "/api/v1/lessons/{id}/comments", tag = "discussion", params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = Discussion), (status = 404, body = ErrorBody)))]
pub async fn lesson_comments(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> Result<Json<Discussion>> {
    Ok(Json(discussion::page(&state.db, &s.actor, Target::Lesson(id), q.before, state.settings.time_zone()).await?))
}

/// The discussion under a course itself (not its lessons').
#[utoipa::path(get, path = "/api/v1/courses/{id}/comments", tag = "discussion", params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = Discussion), (status = 404, body = ErrorBody)))]
pub async fn course_comments(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> Result<Json<Discussion>> {
    Ok(Json(discussion::page(&state.db, &s.actor, Target::Course(id), q.before, state.settings.time_zone()).await?))
}

/// Comments on a lesson the caller may study, or replies to one of its
/// comments. It waits for approval when it matches a listed word or the
/// course reviews comments first (`state: pending`).
#[utoipa::path(post, path = "/api/v1/lessons/{id}/comments", tag = "discussion", params(("id" = i64, Path)),
    request_body = CommentDraft,
    responses((status = 201, body = CommentView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn comment_on_lesson(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(draft): Json<CommentDraft>,
) -> Result<(StatusCode, Json<CommentView>)> {
    let view =
        write::post(&state.db, &s.actor, &s.person, Target::Lesson(id), draft, state.settings.time_zone()).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Comments on a course the caller may study, or replies to one of its comments.
#[utoipa::path(post, path = "/api/v1/courses/{id}/comments", tag = "discussion", params(("id" = i64, Path)),
    request_body = CommentDraft,
    responses((status = 201, body = CommentView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn comment_on_course(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(draft): Json<CommentDraft>,
) -> Result<(StatusCode, Json<CommentView>)> {
    let view =
        write::post(&state.db, &s.actor, &s.person, Target::Course(id), draft, state.settings.time_zone()).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Its writer deletes a comment.
#[utoipa::path(delete, path = "/api/v1/comments/{id}", tag = "discussion", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn delete_own(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    write::delete_own(&state.db, &s.actor, &s.person.name, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Reports a comment to the course's moderators, with the reason.
#[utoipa::path(post, path = "/api/v1/comments/{id}/report", tag = "discussion", params(("id" = i64, Path)),
    request_body = CommentReport,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn report(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(r): Json<CommentReport>,
) -> Result<StatusCode> {
    moderation::report(&state.db, &s.actor, id, r).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Approves, hides, restores, deletes or keeps a comment (the course's
/// organizers); hiding and deleting need a reason, which is logged.
#[utoipa::path(post, path = "/api/v1/comments/{id}/moderation", tag = "discussion", params(("id" = i64, Path)),
    request_body = Moderation,
    responses((status = 200, body = CommentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn moderate(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(step): Json<Moderation>,
) -> Result<Json<CommentView>> {
    Ok(Json(moderation::moderate(&state.db, &s.actor, &s.person.name, id, step, state.settings.time_zone()).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct QueueQuery {
    /// One course's queue only.
    pub course: Option<i64>,
}

/// Comments waiting for approval or reported, in the courses the caller
/// manages, oldest first (at most 200).
#[utoipa::path(get, path = "/api/v1/comment-queue", tag = "discussion", params(QueueQuery),
    responses((status = 200, body = Vec<QueueItem>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn queue(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Query(q): Query<QueueQuery>,
) -> Result<Json<Vec<QueueItem>>> {
    Ok(Json(moderation::queue(&state.db, &s.actor, q.course, state.settings.time_zone()).await?))
}

#[utoipa::path(get, path = "/api/v1/courses/{id}/discussion", tag = "discussion", params(("id" = i64, Path)),
    responses((status = 200, body = DiscussionSettings), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn settings(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<DiscussionSettings>> {
    Ok(Json(moderation::settings(&state.db, &s.actor, id).await?))
}

/// Turns 先审后发 (every comment approved before it is published) on or off.
#[utoipa::path(put, path = "/api/v1/courses/{id}/discussion", tag = "discussion", params(("id" = i64, Path)),
    request_body = DiscussionSettings,
    responses((status = 200, body = DiscussionSettings), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn set_settings(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(new): Json<DiscussionSettings>,
) -> Result<Json<DiscussionSettings>> {
    Ok(Json(moderation::set_settings(&state.db, &s.actor, id, new).await?))
}

/// The sensitive-word list (admins).
#[utoipa::path(get, path = "/api/v1/sensitive-words", tag = "discussion",
    responses((status = 200, body = SensitiveWords), (status = 403, body = ErrorBody)))]
pub async fn word_list(State(state): State<AppState>, CurrentUser(s): CurrentUser) -> Result<Json<SensitiveWords>> {
    Ok(Json(words::list(&state.db, &s.actor).await?))
}

/// Replaces the sensitive-word list (admins). Comments already posted are
/// not checked again.
#[utoipa::path(put, path = "/api/v1/sensitive-words", tag = "discussion", request_body = SensitiveWords,
    responses((status = 200, body = SensitiveWords), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn replace_words(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Json(new): Json<SensitiveWords>,
) -> Result<Json<SensitiveWords>> {
    Ok(Json(words::replace(&state.db, &s.actor, new).await?))
}
