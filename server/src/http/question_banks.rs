//! `/api/v1/question-banks`: question banks (题库) of the nodes the caller
//! manages, their questions with keys and versions, import from a file
//! (CSV, XLSX, GIFT, Aiken) with a dry run, and export. The rules are in
//! `services::question_banks`.

use axum::extract::{Multipart, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use courses::directory::ErrorBody;
use courses::exam::bank::{
    BankFormat, BankPatch, BankQuestion, BankSummary, EditedQuestion, NewBank, QuestionImportReport,
};
use courses::exam::QuestionData;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::error::Result;
use crate::http::extract::{ClientLang, CurrentUser, Json, Path, Query};
use crate::http::form_file;
use crate::http::reports::file_response;
use crate::services::question_banks::{self as banks, export, import, questions};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/question-banks", get(list).post(create))
        .route("/question-banks/{id}", get(show).patch(update).delete(remove))
        .route("/question-banks/{id}/questions", get(list_questions).post(add_question))
        .route("/question-banks/{id}/questions/{qid}", get(show_question).put(edit_question).delete(retire_question))
        .route("/question-banks/{id}/import", post(import_questions))
        .route("/question-banks/{id}/export", get(export_questions))
}

/// Banks of the nodes the caller manages (organizers and admins).
#[utoipa::path(get, path = "/api/v1/question-banks", tag = "exams",
    responses((status = 200, body = Vec<BankSummary>), (status = 403, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, CurrentUser(s): CurrentUser) -> Result<Json<Vec<BankSummary>>> {
    Ok(Json(banks::list(&state.db, &s.actor).await?))
}

/// A new bank of a node the caller manages; names are unique per node.
#[utoipa::path(post, path = "/api/v1/question-banks", tag = "exams", request_body = NewBank,
    responses((status = 201, body = BankSummary), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Json(new): Json<NewBank>,
) -> Result<(StatusCode, Json<BankSummary>)> {
    Ok((StatusCode::CREATED, Json(banks::create(&state.db, &s.actor, new).await?)))
}

#[utoipa::path(get, path = "/api/v1/question-banks/{id}", tag = "exams", params(("id" = i64, Path)),
    responses((status = 200, body = BankSummary), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<BankSummary>> {
    Ok(Json(banks::get(&state.db, &s.actor, id).await?))
}

#[utoipa::path(patch, path = "/api/v1/question-banks/{id}", tag = "exams", params(("id" = i64, Path)),
    request_body = BankPatch,
    responses((status = 200, body = BankSummary), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(patch): Json<BankPatch>,
) -> Result<Json<BankSummary>> {
    Ok(Json(banks::update(&state.db, &s.actor, id, patch).await?))
}

/// Deletes a bank and its questions; refused (409) once an exam showed
/// one of them.
#[utoipa::path(delete, path = "/api/v1/question-banks/{id}", tag = "exams", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn remove(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    banks::delete(&state.db, &s.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The bank's questions with their keys, in the order they were added.
#[utoipa::path(get, path = "/api/v1/question-banks/{id}/questions", tag = "exams", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<BankQuestion>), (status = 404, body = ErrorBody)))]
pub async fn list_questions(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Vec<BankQuestion>>> {
    Ok(Json(questions::list(&state.db, &s.actor, id).await?))
}

/// Adds a question; every problem of it is named (422).
#[utoipa::path(post, path = "/api/v1/question-banks/{id}/questions", tag = "exams", params(("id" = i64, Path)),
    request_body = QuestionData,
    responses((status = 201, body = BankQuestion), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_question(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(data): Json<QuestionData>,
) -> Result<(StatusCode, Json<BankQuestion>)> {
    Ok((StatusCode::CREATED, Json(questions::create(&state.db, &s.actor, id, data).await?)))
}

#[utoipa::path(get, path = "/api/v1/question-banks/{id}/questions/{qid}", tag = "exams",
    params(("id" = i64, Path), ("qid" = i64, Path)),
    responses((status = 200, body = BankQuestion), (status = 404, body = ErrorBody)))]
pub async fn show_question(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path((id, qid)): Path<(i64, i64)>,
) -> Result<Json<BankQuestion>> {
    Ok(Json(questions::get(&state.db, &s.actor, id, qid).await?))
}

/// Changes a question: in place until an attempt's paper holds it, then as
/// a new version (the attempts keep theirs), or, for a key correction
/// alone, in place with the attempts that used it regraded.
#[utoipa::path(put, path = "/api/v1/question-banks/{id}/questions/{qid}", tag = "exams",
    params(("id" = i64, Path), ("qid" = i64, Path)), request_body = QuestionData,
    responses((status = 200, body = EditedQuestion), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn edit_question(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path((id, qid)): Path<(i64, i64)>,
    Json(data): Json<QuestionData>,
) -> Result<Json<EditedQuestion>> {
    Ok(Json(questions::edit(&state.db, state.settings.time_zone(), &s.actor, id, qid, data).await?))
}

/// Takes a question out of the bank (kept for the attempts that showed it).
#[utoipa::path(delete, path = "/api/v1/question-banks/{id}/questions/{qid}", tag = "exams",
    params(("id" = i64, Path), ("qid" = i64, Path)), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn retire_question(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path((id, qid)): Path<(i64, i64)>,
) -> Result<StatusCode> {
    questions::retire(&state.db, &s.actor, id, qid).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
pub struct ImportQuery {
    /// Check every question and report, but write nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// The file's format when its name does not say (a ZIP is always XLSX).
    pub format: Option<BankFormat>,
}

/// Multipart form with one field `file`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct QuestionUpload {
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    file: String,
}

/// Imports questions: the table layout (题型, 题干, 选项A…选项H, 答案, 解析,
/// 难度, 分类) as CSV in UTF-8 or GB18030 or as XLSX, Moodle GIFT, or
/// Aiken. Each question is reported created, unchanged (the bank already
/// holds it) or rejected with every reason, in the caller's language.
#[utoipa::path(post, path = "/api/v1/question-banks/{id}/import", tag = "exams", params(("id" = i64, Path), ImportQuery),
    request_body(content = QuestionUpload, content_type = "multipart/form-data"),
    responses((status = 200, body = QuestionImportReport), (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn import_questions(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ClientLang(lang): ClientLang,
    Path(id): Path<i64>,
    Query(q): Query<ImportQuery>,
    mut multipart: Multipart,
) -> Result<Json<QuestionImportReport>> {
    // Refuse a stranger before reading their file.
    banks::get(&state.db, &s.actor, id).await?;
    let file = form_file::read(&mut multipart, state.settings.import_max_bytes).await?;
    let upload = import::Upload { bytes: file.bytes, file_name: file.name, format: q.format };
    Ok(Json(import::import(&state.db, &s.actor, id, upload, q.dry_run, lang).await?))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    pub format: BankFormat,
}

/// The bank as a file in one of the import formats. `X-Left-Out` counts
/// the questions the format cannot hold (GIFT: short answers and fill-ins
/// of several blanks; Aiken: everything but single choice).
#[utoipa::path(get, path = "/api/v1/question-banks/{id}/export", tag = "exams", params(("id" = i64, Path), ExportQuery),
    responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = ErrorBody)))]
pub async fn export_questions(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<ExportQuery>,
) -> Result<Response> {
    let exported = export::export(&state.db, &s.actor, id, q.format).await?;
    let mut response = file_response(exported.file)?;
    response.headers_mut().insert("x-left-out", HeaderValue::from(exported.left_out));
    Ok(response)
}
