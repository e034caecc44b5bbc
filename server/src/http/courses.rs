//! `/api/v1/courses`: the course catalog, courses, their chapters and lessons. Organizers
//! create, edit, order and publish them for their node; members find and read the ones they
//! may study. Files of courses and lessons (covers, captions, attachments) are in
//! `course_files.rs`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::Router;
use courses::course::{
    ChapterIn, ChapterView, ContinueStudy, CourseOrder, CourseQuery, CourseSettings, CourseStanding, CourseView,
    LessonEdit, LessonView, MyLearning, NewCourse, NewLesson,
};
use courses::directory::ErrorBody;
use courses::progress::CompletionRules;
use serde::Deserialize;

use crate::error::Result;
use crate::http::extract::{CurrentUser, Json, Path, Query};
use crate::services::catalog;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/courses", get(list).post(create))
        .route("/courses/{id}", get(show).put(update))
        .route("/courses/{id}/rules", put(set_rules))
        .route("/courses/{id}/publish", post(publish))
        .route("/courses/{id}/unpublish", post(unpublish))
        .route("/courses/{id}/lessons", post(add_lesson))
        .route("/courses/{id}/chapters", post(add_chapter))
        .route("/courses/{id}/order", put(reorder))
        .route("/chapters/{id}", put(rename_chapter).delete(delete_chapter))
        .route("/lessons/{id}", put(edit_lesson).delete(delete_lesson))
        .route("/me/learning", get(my_learning))
        .route("/me/next-lesson", get(next_lesson))
        .route("/me/courses/{id}/lessons", get(course_standing))
}

/// Courses the caller may study, and those they manage, newest first:
/// all of them, or those matching the search words and filters. Chinese
/// is matched by substring, so `党章` finds "学习党章".
#[utoipa::path(get, path = "/api/v1/courses", tag = "courses", params(CourseQuery),
    responses((status = 200, body = Vec<CourseView>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Query(query): Query<CourseQuery>,
) -> Result<Json<Vec<CourseView>>> {
    Ok(Json(catalog::list(&state.db, &s.actor, &query).await?))
}

/// Replaces the course's settings: title, summary, 必修/选修, credit hours,
/// due date and audience (org nodes with their subtrees, roles, named
/// people; all inside the course's node).
#[utoipa::path(put, path = "/api/v1/courses/{id}", tag = "courses", params(("id" = i64, Path)),
    request_body = CourseSettings,
    responses((status = 200, body = CourseView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(settings): Json<CourseSettings>,
) -> Result<Json<CourseView>> {
    Ok(Json(catalog::update(&state.db, &s.actor, id, settings).await?))
}

/// A new chapter at the end of the course.
#[utoipa::path(post, path = "/api/v1/courses/{id}/chapters", tag = "courses", params(("id" = i64, Path)),
    request_body = ChapterIn,
    responses((status = 200, body = ChapterView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_chapter(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(new): Json<ChapterIn>,
) -> Result<Json<ChapterView>> {
    Ok(Json(catalog::add_chapter(&state.db, &s.actor, id, new).await?))
}

#[utoipa::path(put, path = "/api/v1/chapters/{id}", tag = "courses", params(("id" = i64, Path)),
    request_body = ChapterIn,
    responses((status = 200, body = ChapterView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn rename_chapter(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(new): Json<ChapterIn>,
) -> Result<Json<ChapterView>> {
    Ok(Json(catalog::rename_chapter(&state.db, &s.actor, id, new).await?))
}

/// Deletes a chapter; its lessons stay, before the first chapter.
#[utoipa::path(delete, path = "/api/v1/chapters/{id}", tag = "courses", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete_chapter(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    catalog::delete_chapter(&state.db, &s.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Puts every chapter and lesson of the course in the given order.
#[utoipa::path(put, path = "/api/v1/courses/{id}/order", tag = "courses", params(("id" = i64, Path)),
    request_body = CourseOrder,
    responses((status = 200, body = CourseView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reorder(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(order): Json<CourseOrder>,
) -> Result<Json<CourseView>> {
    Ok(Json(catalog::reorder(&state.db, &s.actor, id, order).await?))
}

/// Renames a lesson; replaces an article lesson's text.
#[utoipa::path(put, path = "/api/v1/lessons/{id}", tag = "courses", params(("id" = i64, Path)),
    request_body = LessonEdit,
    responses((status = 200, body = LessonView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn edit_lesson(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(edit): Json<LessonEdit>,
) -> Result<Json<LessonView>> {
    Ok(Json(catalog::edit_lesson(&state.db, &s.actor, id, edit).await?))
}

/// Deletes a lesson nobody has studied yet (409 otherwise: unpublish the
/// course instead, so no study record is lost).
#[utoipa::path(delete, path = "/api/v1/lessons/{id}", tag = "courses", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete_lesson(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    catalog::delete_lesson(&state.db, &*state.store, &s.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct YearQuery {
    /// Calendar year; this year when absent.
    pub year: Option<i32>,
}

/// The caller's learning: required courses by due date, courses in
/// progress, completed courses, and this year's 学时 against the target.
#[utoipa::path(get, path = "/api/v1/me/learning", tag = "courses", params(YearQuery),
    responses((status = 200, body = MyLearning), (status = 401, body = ErrorBody)))]
pub async fn my_learning(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Query(q): Query<YearQuery>,
) -> Result<Json<MyLearning>> {
    let year = q.year.unwrap_or_else(|| crate::http::study_hours::this_year(&state));
    Ok(Json(catalog::my_learning(&state.db, &s.actor, year).await?))
}

/// "继续学习": the caller's next lesson. The one they last studied if it is
/// unfinished, else the next unfinished lesson of that course, else the
/// first unfinished lesson of their most urgent course. Always the
/// caller's own: there is no way to ask for someone else's.
#[utoipa::path(get, path = "/api/v1/me/next-lesson", tag = "courses",
    responses((status = 200, body = ContinueStudy), (status = 401, body = ErrorBody)))]
pub async fn next_lesson(State(state): State<AppState>, CurrentUser(s): CurrentUser) -> Result<Json<ContinueStudy>> {
    Ok(Json(ContinueStudy { next: catalog::next_lesson_for(&state.db, &s.actor).await? }))
}

/// The caller's standing in each lesson of a course they may study
/// (done, in progress with percent, not started) and the lesson to study
/// next in it.
#[utoipa::path(get, path = "/api/v1/me/courses/{id}/lessons", tag = "courses", params(("id" = i64, Path)),
    responses((status = 200, body = CourseStanding), (status = 404, body = ErrorBody)))]
pub async fn course_standing(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<CourseStanding>> {
    Ok(Json(catalog::course_standing(&state.db, &s.actor, id).await?))
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
