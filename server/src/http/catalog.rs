//! `/api/v1/courses`: the course catalog, courses and their lessons. Organizers create, edit
//! and publish them for their node; members read the ones they may study.

use axum::extract::State;
use axum::routing::{get, post, put};
use axum::Router;
use courses::course::{CourseView, LessonView, NewCourse, NewLesson};
use courses::directory::ErrorBody;
use courses::progress::CompletionRules;

use crate::error::Result;
use crate::http::extract::{CurrentUser, Json, Path};
use crate::services::catalog;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/courses", get(list).post(create))
        .route("/courses/{id}", get(show))
        .route("/courses/{id}/rules", put(set_rules))
        .route("/courses/{id}/publish", post(publish))
        .route("/courses/{id}/unpublish", post(unpublish))
        .route("/courses/{id}/lessons", post(add_lesson))
}

/// Courses the caller may study, and those they manage.
#[utoipa::path(get, path = "/api/v1/courses", tag = "courses",
    responses((status = 200, body = Vec<CourseView>), (status = 401, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, CurrentUser(s): CurrentUser) -> Result<Json<Vec<CourseView>>> {
    Ok(Json(catalog::list(&state.db, &s.actor).await?))
}

/// A new, unpublished course owned by an org node the caller manages.
#[utoipa::path(post, path = "/api/v1/courses", tag = "courses", request_body = NewCourse,
    responses((status = 200, body = CourseView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Json(new): Json<NewCourse>,
) -> Result<Json<CourseView>> {
    Ok(Json(catalog::create(&state.db, &s.actor, new).await?))
}

#[utoipa::path(get, path = "/api/v1/courses/{id}", tag = "courses", params(("id" = i64, Path)),
    responses((status = 200, body = CourseView), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<CourseView>> {
    Ok(Json(catalog::get(&state.db, &s.actor, id).await?))
}

/// Replaces the course's completion rules.
#[utoipa::path(put, path = "/api/v1/courses/{id}/rules", tag = "courses", params(("id" = i64, Path)),
    request_body = CompletionRules,
    responses((status = 200, body = CourseView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_rules(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(rules): Json<CompletionRules>,
) -> Result<Json<CourseView>> {
    Ok(Json(catalog::set_rules(&state.db, &s.actor, id, rules).await?))
}

/// Makes the course visible to everyone in its node's subtree.
#[utoipa::path(post, path = "/api/v1/courses/{id}/publish", tag = "courses", params(("id" = i64, Path)),
    responses((status = 200, body = CourseView), (status = 404, body = ErrorBody)))]
pub async fn publish(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<CourseView>> {
    Ok(Json(catalog::set_published(&state.db, &s.actor, id, true).await?))
}

#[utoipa::path(post, path = "/api/v1/courses/{id}/unpublish", tag = "courses", params(("id" = i64, Path)),
    responses((status = 200, body = CourseView), (status = 404, body = ErrorBody)))]
pub async fn unpublish(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<CourseView>> {
    Ok(Json(catalog::set_published(&state.db, &s.actor, id, false).await?))
}

/// Adds a lesson at the end: processed material (`media_id`) or an article.
#[utoipa::path(post, path = "/api/v1/courses/{id}/lessons", tag = "courses", params(("id" = i64, Path)),
    request_body = NewLesson,
    responses((status = 200, body = LessonView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_lesson(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(new): Json<NewLesson>,
) -> Result<Json<LessonView>> {
    Ok(Json(catalog::add_lesson(&state.db, &s.actor, id, new).await?))
}
