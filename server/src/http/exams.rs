//! `/api/v1/exams` and `/api/v1/attempts`: exams organizers set up for the
//! nodes they manage, and taking them: the standing before a start, an
//! attempt's questions (never a key), saving each answer, submitting, and
//! the page's visibility log. The rules are in `services::exams`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use courses::directory::ErrorBody;
use courses::exam::api::{
    AttemptView, ExamDraft, ExamStanding, ExamView, Holder, MarkAnswer, MyExam, PendingAnswer, Publish, SaveAnswer,
    SavedAnswer, StartAttempt, Visibility,
};
use courses::exam::report::{ExamQuestionReport, ExamResultsReport};
use courses::exam::AttemptScore;
use courses::report::Format;
use serde::Deserialize;

use crate::error::Result;
use crate::http::extract::{ClientLang, CurrentUser, Json, Path, Query};
use crate::http::reports::file_response;
use crate::services::exams::{self, attempts, marking, report as exam_report};
use crate::services::reports::export;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/exams", get(list).post(create))
        .route("/exams/{id}", get(show).put(replace).delete(remove))
        .route("/exams/{id}/publish", put(publish))
        .route("/exams/{id}/standing", get(standing))
        .route("/exams/{id}/attempts", post(start))
        .route("/attempts/{id}", get(attempt))
        .route("/attempts/{id}/answers/{position}", put(save))
        .route("/attempts/{id}/submit", post(submit))
        .route("/attempts/{id}/visibility", post(visibility))
        .route("/exams/{id}/grading", get(grading_queue))
        .route("/exams/{id}/report", get(report))
        .route("/me/exams", get(my_exams))
        .route("/attempts/{id}/answers/{position}/grade", put(grade_answer))
}

/// Exams of the nodes the caller manages, newest first.
#[utoipa::path(get, path = "/api/v1/exams", tag = "exams",
    responses((status = 200, body = Vec<ExamView>), (status = 403, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, CurrentUser(s): CurrentUser) -> Result<Json<Vec<ExamView>>> {
    Ok(Json(exams::list(&state.db, &s.actor).await?))
}

/// A new exam (unpublished) of a node the caller manages. The paper must
/// be drawable from the banks now: enough questions for every rule.
#[utoipa::path(post, path = "/api/v1/exams", tag = "exams", request_body = ExamDraft,
    responses((status = 201, body = ExamView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Json(draft): Json<ExamDraft>,
) -> Result<(StatusCode, Json<ExamView>)> {
    Ok((StatusCode::CREATED, Json(exams::create(&state.db, &s.actor, draft).await?)))
}

#[utoipa::path(get, path = "/api/v1/exams/{id}", tag = "exams", params(("id" = i64, Path)),
    responses((status = 200, body = ExamView), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<ExamView>> {
    Ok(Json(exams::get(&state.db, &s.actor, id).await?))
}

/// Replaces an exam's settings and paper; attempts started keep theirs.
#[utoipa::path(put, path = "/api/v1/exams/{id}", tag = "exams", params(("id" = i64, Path)), request_body = ExamDraft,
    responses((status = 200, body = ExamView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn replace(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(draft): Json<ExamDraft>,
) -> Result<Json<ExamView>> {
    Ok(Json(exams::replace(&state.db, &s.actor, id, draft).await?))
}

#[utoipa::path(put, path = "/api/v1/exams/{id}/publish", tag = "exams", params(("id" = i64, Path)), request_body = Publish,
    responses((status = 200, body = ExamView), (status = 404, body = ErrorBody)))]
pub async fn publish(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(p): Json<Publish>,
) -> Result<Json<ExamView>> {
    Ok(Json(exams::publish(&state.db, &s.actor, id, p.published).await?))
}

/// The exam as a taker sees it: rules, attempts, the result that counts,
/// and why a new attempt cannot start now.
#[utoipa::path(get, path = "/api/v1/exams/{id}/standing", tag = "exams", params(("id" = i64, Path)),
    responses((status = 200, body = ExamStanding), (status = 404, body = ErrorBody)))]
pub async fn standing(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ClientLang(lang): ClientLang,
    Path(id): Path<i64>,
) -> Result<Json<ExamStanding>> {
    Ok(Json(attempts::standing(&state.db, state.settings.time_zone(), &s.actor, id, lang).await?))
}

/// Starts an attempt (the paper drawn and kept now), or resumes the open
/// one, taking it over from any other page.
#[utoipa::path(post, path = "/api/v1/exams/{id}/attempts", tag = "exams", params(("id" = i64, Path)),
    request_body = StartAttempt,
    responses((status = 200, body = AttemptView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn start(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<StartAttempt>,
) -> Result<Json<AttemptView>> {
    Ok(Json(attempts::start(&state.db, state.settings.time_zone(), &s.actor, id, body).await?))
}

/// The caller's attempt: questions without keys, saved answers, the
/// server's clock and deadline; the result once submitted.
#[utoipa::path(get, path = "/api/v1/attempts/{id}", tag = "exams", params(("id" = i64, Path)),
    responses((status = 200, body = AttemptView), (status = 404, body = ErrorBody)))]
pub async fn attempt(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<AttemptView>> {
    Ok(Json(attempts::view(&state.db, state.settings.time_zone(), &s.actor, id).await?))
}

/// Saves the answer at `position` (0-based) with a sequence number above
/// the saved one, from the page that holds the attempt.
#[utoipa::path(put, path = "/api/v1/attempts/{id}/answers/{position}", tag = "exams",
    params(("id" = i64, Path), ("position" = i32, Path)), request_body = SaveAnswer,
    responses((status = 200, body = SavedAnswer), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn save(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path((id, position)): Path<(i64, i32)>,
    Json(body): Json<SaveAnswer>,
) -> Result<Json<SavedAnswer>> {
    Ok(Json(attempts::save(&state.db, state.settings.time_zone(), &s.actor, id, position, body).await?))
}

#[utoipa::path(post, path = "/api/v1/attempts/{id}/submit", tag = "exams", params(("id" = i64, Path)),
    request_body = Holder,
    responses((status = 200, body = AttemptView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn submit(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<Holder>,
) -> Result<Json<AttemptView>> {
    Ok(Json(attempts::submit(&state.db, state.settings.time_zone(), &s.actor, id, body).await?))
}

/// The page was hidden or shown again; the grader sees these times.
#[utoipa::path(post, path = "/api/v1/attempts/{id}/visibility", tag = "exams", params(("id" = i64, Path)),
    request_body = Visibility, responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn visibility(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<Visibility>,
) -> Result<StatusCode> {
    attempts::visibility(&state.db, state.settings.time_zone(), &s.actor, id, body).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Short answers of the exam waiting for a grader, with the reference
/// answer and when each taker's page was hidden (for the exam's organizers).
#[utoipa::path(get, path = "/api/v1/exams/{id}/grading", tag = "exams", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<PendingAnswer>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn grading_queue(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Vec<PendingAnswer>>> {
    Ok(Json(marking::queue(&state.db, &s.actor, id).await?))
}

/// Scores a short answer by hand; answers the attempt's score, final once
/// nothing is pending.
#[utoipa::path(put, path = "/api/v1/attempts/{id}/answers/{position}/grade", tag = "exams",
    params(("id" = i64, Path), ("position" = i32, Path)), request_body = MarkAnswer,
    responses((status = 200, body = AttemptScore), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn grade_answer(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path((id, position)): Path<(i64, i32)>,
    Json(body): Json<MarkAnswer>,
) -> Result<Json<AttemptScore>> {
    Ok(Json(marking::mark(&state.db, state.settings.time_zone(), &s.actor, id, position, body).await?))
}

/// Which exam report, where, in which format.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ExamReportQuery {
    /// `results` (by org node) or `questions` (per question).
    pub kind: ExamReportKind,
    /// The node to report below (results only); default: the exam's node.
    pub org_id: Option<i64>,
    #[serde(default)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExamReportKind {
    Results,
    Questions,
}

/// An exam's results by org node (pass rate, average score, drill-down by
/// `org_id`) or per question (share correct, how often each wrong option
/// was chosen), as JSON, CSV or XLSX.
#[utoipa::path(get, path = "/api/v1/exams/{id}/report", tag = "exams", params(("id" = i64, Path), ExamReportQuery),
    responses((status = 200, body = ExamResultsReport), (status = 200, body = ExamQuestionReport),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn report(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ClientLang(lang): ClientLang,
    Path(id): Path<i64>,
    Query(q): Query<ExamReportQuery>,
) -> Result<Response> {
    let (json, table) = match q.kind {
        ExamReportKind::Results => {
            let r = exam_report::results(&state.db, &s.actor, id, q.org_id).await?;
            let table = r.to_table(lang);
            (serde_json::to_value(r), table)
        }
        ExamReportKind::Questions => {
            let r = exam_report::questions(&state.db, &s.actor, id).await?;
            let table = r.to_table(lang);
            (serde_json::to_value(r), table)
        }
    };
    if q.format == Format::Json {
        let json = json.map_err(|e| crate::error::Error::Internal(e.into()))?;
        return Ok(Json(json).into_response());
    }
    file_response(export::render(&table, q.format)?)
}

/// The published exams the caller may take, with their attempts and the
/// result that counts.
#[utoipa::path(get, path = "/api/v1/me/exams", tag = "exams",
    responses((status = 200, body = Vec<MyExam>), (status = 401, body = ErrorBody)))]
pub async fn my_exams(State(state): State<AppState>, CurrentUser(s): CurrentUser) -> Result<Json<Vec<MyExam>>> {
    Ok(Json(attempts::mine(&state.db, &s.actor).await?))
}

/// Deletes an exam nobody has started (409 once someone has: unpublish it).
#[utoipa::path(delete, path = "/api/v1/exams/{id}", tag = "exams", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn remove(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    exams::delete(&state.db, &s.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
