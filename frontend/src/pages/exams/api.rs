//! Server functions of the exam pages. Taking an attempt goes through the
//! REST API from the browser (`/api/v1/exams/…`, `/api/v1/attempts/…`),
//! whose saves carry sequence numbers and survive a dropped network.

use courses::exam::api::{ExamStanding, MyExam};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::api::AppError;

/// An exam's rules and the caller's attempts, result and standing.
#[server(name = GetExamStanding, input = Json, prefix = "/api/fn", endpoint = "exam_standing")]
pub async fn exam_standing(id: i64) -> Result<ExamStanding, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.exam_standing(&caller, id).await.map_err(AppError::from_backend)
}

/// The published exams the caller may take.
#[server(name = GetMyExams, input = Json, prefix = "/api/fn", endpoint = "my_exams")]
pub async fn my_exams() -> Result<Vec<MyExam>, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.my_exams(&caller).await.map_err(AppError::from_backend)
}
