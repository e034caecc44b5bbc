//! Server functions of the organizers' exam pages. A bank's file import
//! goes to the REST endpoint from the browser (a file does not fit a
//! server function's encoding).

use courses::exam::api::{ExamDraft, ExamView, MarkAnswer, PendingAnswer};
use courses::exam::bank::{BankQuestion, BankSummary, NewBank};
use courses::exam::report::{ExamQuestionReport, ExamResultsReport};
use courses::exam::AttemptScore;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::api::AppError;

/// Exams of the nodes the caller manages, newest first.
#[server(name = ListManagedExams, input = Json, prefix = "/api/fn", endpoint = "managed_exams")]
pub async fn managed_exams() -> Result<Vec<ExamView>, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.managed_exams(&caller).await.map_err(AppError::from_backend)
}

/// Question banks the caller manages.
#[server(name = ListBanks, input = Json, prefix = "/api/fn", endpoint = "question_banks")]
pub async fn question_banks() -> Result<Vec<BankSummary>, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.question_banks(&caller).await.map_err(AppError::from_backend)
}

#[server(name = CreateBank, input = Json, prefix = "/api/fn", endpoint = "create_bank")]
pub async fn create_bank(csrf: String, new: NewBank) -> Result<BankSummary, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.create_bank(&caller, &csrf, new).await.map_err(AppError::from_backend)
}

/// A bank with its questions and keys.
#[server(name = GetBankQuestions, input = Json, prefix = "/api/fn", endpoint = "bank_questions")]
pub async fn bank_questions(id: i64) -> Result<(BankSummary, Vec<BankQuestion>), AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.bank_questions(&caller, id).await.map_err(AppError::from_backend)
}

#[server(name = CreateExam, input = Json, prefix = "/api/fn", endpoint = "create_exam")]
pub async fn create_exam(csrf: String, draft: ExamDraft) -> Result<ExamView, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.create_exam(&caller, &csrf, draft).await.map_err(AppError::from_backend)
}

#[server(name = PublishExam, input = Json, prefix = "/api/fn", endpoint = "publish_exam")]
pub async fn publish_exam(csrf: String, id: i64, published: bool) -> Result<ExamView, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.publish_exam(&caller, &csrf, id, published).await.map_err(AppError::from_backend)
}

/// An exam's results below `org` (default: the exam's node).
#[server(name = GetExamResults, input = Json, prefix = "/api/fn", endpoint = "exam_results")]
pub async fn exam_results(id: i64, org: Option<i64>) -> Result<ExamResultsReport, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.exam_results(&caller, id, org).await.map_err(AppError::from_backend)
}

/// How each question went, hardest first.
#[server(name = GetExamQuestions, input = Json, prefix = "/api/fn", endpoint = "exam_questions")]
pub async fn exam_questions(id: i64) -> Result<ExamQuestionReport, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.exam_questions(&caller, id).await.map_err(AppError::from_backend)
}

/// Short answers waiting for a grader.
#[server(name = GetGradingQueue, input = Json, prefix = "/api/fn", endpoint = "grading_queue")]
pub async fn grading_queue(id: i64) -> Result<Vec<PendingAnswer>, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.grading_queue(&caller, id).await.map_err(AppError::from_backend)
}

#[server(name = GradeAnswer, input = Json, prefix = "/api/fn", endpoint = "grade_answer")]
pub async fn grade_answer(
    csrf: String,
    attempt: i64,
    position: i32,
    mark: MarkAnswer,
) -> Result<AttemptScore, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.grade_answer(&caller, &csrf, attempt, position, mark).await.map_err(AppError::from_backend)
}
