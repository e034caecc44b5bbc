//! `/api/v1/classes`: party classes, their 班主任 and students.

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{delete, get, post, put};
use axum::Router;
use courses::class::{ClassDraft, ClassView, Enrolment, MyClass};
use courses::class_report::{BranchClassReport, ClassReport, MyClassStatus};
use courses::essay::{EssayIn, EssayReview, EssayTaskView, NewEssayTask};
use courses::report::Format;

use crate::error::Result;
use crate::http::course_files::download;
use crate::http::extract::{ClientLang, CurrentUser, Json, Path, Query};
use crate::http::form_file;
use crate::http::reports::json_or_table;
use crate::services::classes::{self, enrol, essay_file, essays, graduation};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/classes", get(list).post(create))
        .route("/classes/{id}", get(show))
        .route("/classes/{id}/students", post(add_students))
        .route("/classes/{id}/students/import", post(import_students))
        .route("/classes/{id}/students/{person}", delete(remove_student))
        .route("/classes/{id}/essays", get(essay_tasks).post(set_essay_task))
        .route("/essay-tasks/{id}/essay", put(hand_in))
        .route("/essay-tasks/{id}/essay/file", post(hand_in_file))
        .route("/essay-tasks/{id}/essays/{person}/file", get(essay_document))
        .route("/essay-tasks/{id}/essays/{person}/review", put(review_essay))
        .route("/me/classes", get(my_classes))
        .route("/me/classes/{id}", get(my_class))
        .route("/orgs/{id}/class-students", get(branch_report))
        .route("/classes/{id}/report", get(class_report))
        .route("/classes/{id}/graduates", post(confirm_graduates))
}

/// The classes of the nodes the caller manages, newest first.
#[utoipa::path(get, path = "/api/v1/classes", tag = "classes",
    responses((status = 200, body = Vec<ClassView>), (status = 403, body = courses::directory::ErrorBody)))]
pub async fn list(State(state): State<AppState>, CurrentUser(s): CurrentUser) -> Result<Json<Vec<ClassView>>> {
    Ok(Json(classes::list(&state.db, &s.actor).await?))
}

/// Sets up a class of a node the caller manages, with its 班主任 (organizers
/// who manage the node), required courses and 学时, final exam and grading.
#[utoipa::path(post, path = "/api/v1/classes", tag = "classes", request_body = ClassDraft,
    responses((status = 201, body = ClassView), (status = 403, body = courses::directory::ErrorBody),
              (status = 404, body = courses::directory::ErrorBody), (status = 422, body = courses::directory::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Json(draft): Json<ClassDraft>,
) -> Result<(StatusCode, Json<ClassView>)> {
    Ok((StatusCode::CREATED, Json(classes::create(&state.db, &s.actor, draft).await?)))
}

#[utoipa::path(get, path = "/api/v1/classes/{id}", tag = "classes", params(("id" = i64, Path)),
    responses((status = 200, body = ClassView), (status = 404, body = courses::directory::ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<ClassView>> {
    Ok(Json(classes::view(&state.db, &s.actor, id).await?))
}

/// Enrols activists and candidates of the class's node and below; all or
/// none, each refusal named.
#[utoipa::path(post, path = "/api/v1/classes/{id}/students", tag = "classes", params(("id" = i64, Path)),
    request_body = Enrolment,
    responses((status = 200, body = ClassView), (status = 404, body = courses::directory::ErrorBody),
              (status = 422, body = courses::directory::ErrorBody)))]
pub async fn add_students(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(who): Json<Enrolment>,
) -> Result<Json<ClassView>> {
    Ok(Json(enrol::enrol(&state.db, &s.actor, id, who).await?))
}

#[utoipa::path(delete, path = "/api/v1/classes/{id}/students/{person}", tag = "classes",
    params(("id" = i64, Path), ("person" = i64, Path)),
    responses((status = 200, body = ClassView), (status = 404, body = courses::directory::ErrorBody)))]
pub async fn remove_student(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path((id, person)): Path<(i64, i64)>,
) -> Result<Json<ClassView>> {
    Ok(Json(enrol::withdraw(&state.db, &s.actor, id, person).await?))
}

/// The classes the caller studies in.
#[utoipa::path(get, path = "/api/v1/me/classes", tag = "classes",
    responses((status = 200, body = Vec<MyClass>), (status = 401, body = courses::directory::ErrorBody)))]
pub async fn my_classes(State(state): State<AppState>, CurrentUser(s): CurrentUser) -> Result<Json<Vec<MyClass>>> {
    Ok(Json(classes::mine(&state.db, &s.actor).await?))
}

/// The class's written work: every essay for those who manage the class,
/// the caller's own for a student.
#[utoipa::path(get, path = "/api/v1/classes/{id}/essays", tag = "classes", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<EssayTaskView>), (status = 404, body = courses::directory::ErrorBody)))]
pub async fn essay_tasks(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Vec<EssayTaskView>>> {
    Ok(Json(essays::list(&state.db, &s.actor, id).await?))
}

/// Sets a 心得体会 or 思想汇报 for the class, with its shortest length.
#[utoipa::path(post, path = "/api/v1/classes/{id}/essays", tag = "classes", params(("id" = i64, Path)),
    request_body = NewEssayTask,
    responses((status = 201, body = EssayTaskView), (status = 404, body = courses::directory::ErrorBody),
              (status = 422, body = courses::directory::ErrorBody)))]
pub async fn set_essay_task(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(new): Json<NewEssayTask>,
) -> Result<(StatusCode, Json<EssayTaskView>)> {
    Ok((StatusCode::CREATED, Json(essays::create(&state.db, &s.actor, id, new).await?)))
}

/// A student hands in their essay (again, after it was returned).
#[utoipa::path(put, path = "/api/v1/essay-tasks/{id}/essay", tag = "classes", params(("id" = i64, Path)),
    request_body = EssayIn,
    responses((status = 200, body = EssayTaskView), (status = 404, body = courses::directory::ErrorBody),
              (status = 409, body = courses::directory::ErrorBody), (status = 422, body = courses::directory::ErrorBody)))]
pub async fn hand_in(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(essay): Json<EssayIn>,
) -> Result<Json<EssayTaskView>> {
    Ok(Json(essays::submit(&state.db, &s.actor, id, essay).await?))
}

/// The 班主任 accepts an essay, or returns it with a comment.
#[utoipa::path(put, path = "/api/v1/essay-tasks/{id}/essays/{person}/review", tag = "classes",
    params(("id" = i64, Path), ("person" = i64, Path)), request_body = EssayReview,
    responses((status = 200, body = EssayTaskView), (status = 404, body = courses::directory::ErrorBody),
              (status = 422, body = courses::directory::ErrorBody)))]
pub async fn review_essay(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path((id, person)): Path<(i64, i64)>,
    Json(review): Json<EssayReview>,
) -> Result<Json<EssayTaskView>> {
    Ok(Json(essays::review(&state.db, &s.actor, id, person, review).await?))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    #[serde(default)]
    pub format: Format,
}

/// Each student's 学时, required courses done, essays accepted, final exam
/// result, and what still blocks them, as JSON, CSV or XLSX.
#[utoipa::path(get, path = "/api/v1/classes/{id}/report", tag = "classes", params(("id" = i64, Path), ReportQuery),
    responses((status = 200, body = ClassReport), (status = 404, body = courses::directory::ErrorBody)))]
pub async fn class_report(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ClientLang(lang): ClientLang,
    Path(id): Path<i64>,
    Query(q): Query<ReportQuery>,
) -> Result<Response> {
    let report = classes::report::report(&state.db, &s.actor, id).await?;
    json_or_table(report, q.format, |r| r.to_table(lang))
}

/// The 班主任 confirms who graduates (结业): students with nothing left to
/// do and a grade of 合格 or better; answers the class report.
#[utoipa::path(post, path = "/api/v1/classes/{id}/graduates", tag = "classes", params(("id" = i64, Path)),
    request_body = Enrolment,
    responses((status = 200, body = ClassReport), (status = 404, body = courses::directory::ErrorBody),
              (status = 422, body = courses::directory::ErrorBody)))]
pub async fn confirm_graduates(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(who): Json<Enrolment>,
) -> Result<Json<ClassReport>> {
    Ok(Json(graduation::confirm(&state.db, &s.actor, id, who, state.settings.time_zone()).await?))
}

/// The caller's own progress in a class they study in: the class's
/// requirements, their row (what still blocks them), the final exam and
/// their certificate.
#[utoipa::path(get, path = "/api/v1/me/classes/{id}", tag = "classes", params(("id" = i64, Path)),
    responses((status = 200, body = MyClassStatus), (status = 404, body = courses::directory::ErrorBody)))]
pub async fn my_class(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<MyClassStatus>> {
    Ok(Json(classes::report::mine(&state.db, &s.actor, id).await?))
}

/// A node's students in every party class, for those who manage the node,
/// as JSON, CSV or XLSX.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/class-students", tag = "classes", params(("id" = i64, Path), ReportQuery),
    responses((status = 200, body = BranchClassReport), (status = 403, body = courses::directory::ErrorBody),
              (status = 404, body = courses::directory::ErrorBody)))]
pub async fn branch_report(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ClientLang(lang): ClientLang,
    Path(id): Path<i64>,
    Query(q): Query<ReportQuery>,
) -> Result<Response> {
    let report = classes::report::branch(&state.db, &s.actor, id).await?;
    json_or_table(report, q.format, |r| r.to_table(lang))
}

/// A student hands in their essay as a document (multipart field `file`):
/// Word (.docx) or plain text, at most 10 MB; its text becomes the essay.
#[utoipa::path(post, path = "/api/v1/essay-tasks/{id}/essay/file", tag = "classes", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data"),
    responses((status = 200, body = EssayTaskView), (status = 404, body = courses::directory::ErrorBody),
              (status = 409, body = courses::directory::ErrorBody), (status = 413, body = courses::directory::ErrorBody),
              (status = 422, body = courses::directory::ErrorBody)))]
pub async fn hand_in_file(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<Json<EssayTaskView>> {
    let file = form_file::read(&mut multipart, essay_file::MAX_ESSAY_FILE_BYTES).await?;
    let view = essay_file::submit(&state.db, &*state.store, &s.actor, id, file.name.as_deref(), file.bytes).await?;
    Ok(Json(view))
}

/// The document an essay was handed in as, for its writer and those who
/// manage the class.
#[utoipa::path(get, path = "/api/v1/essay-tasks/{id}/essays/{person}/file", tag = "classes",
    params(("id" = i64, Path), ("person" = i64, Path)),
    responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = courses::directory::ErrorBody)))]
pub async fn essay_document(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path((id, person)): Path<(i64, i64)>,
) -> Result<Response> {
    let (name, key) = essay_file::file(&state.db, &s.actor, id, person).await?;
    download(&state, &key, &name, &name, None).await
}

/// Enrols the people a CSV or XLSX table names by login (a column headed
/// 登录名, else the first): all or none, each refusal named by its row.
#[utoipa::path(post, path = "/api/v1/classes/{id}/students/import", tag = "classes", params(("id" = i64, Path)),
    request_body(content_type = "multipart/form-data"),
    responses((status = 200, body = ClassView), (status = 404, body = courses::directory::ErrorBody),
              (status = 413, body = courses::directory::ErrorBody), (status = 422, body = courses::directory::ErrorBody)))]
pub async fn import_students(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<Json<ClassView>> {
    let file = form_file::read(&mut multipart, state.settings.import_max_bytes).await?;
    Ok(Json(enrol::import(&state.db, &s.actor, id, &file.bytes).await?))
}
