//! Server functions of the assignment pages. An assignment's target is a
//! structured value (nodes, roles, people), so they take JSON.

use courses::assignment::{AssignmentSummary, AssignmentView, NewAssignment};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::api::AppError;

/// Assignments of the nodes the caller manages, newest first.
#[server(name = ListAssignments, input = Json, prefix = "/api/fn", endpoint = "assignments")]
pub async fn list_assignments() -> Result<Vec<AssignmentSummary>, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.assignments(&caller, Default::default()).await.map_err(AppError::from_backend)
}

/// One assignment with every member's progress.
#[server(name = GetAssignment, input = Json, prefix = "/api/fn", endpoint = "assignment")]
pub async fn get_assignment(id: i64) -> Result<AssignmentView, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.assignment(&caller, id).await.map_err(AppError::from_backend)
}

/// Assigns a course.
#[server(name = CreateAssignment, input = Json, prefix = "/api/fn", endpoint = "create_assignment")]
pub async fn create_assignment(csrf: String, new: NewAssignment) -> Result<AssignmentView, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.create_assignment(&caller, &csrf, new).await.map_err(AppError::from_backend)
}

/// Moves the due day and answers with the assignment as it now is.
#[server(name = SetAssignmentDue, input = Json, prefix = "/api/fn", endpoint = "set_assignment_due")]
pub async fn set_assignment_due(csrf: String, id: i64, due_on: String) -> Result<AssignmentView, AppError> {
    use courses::assignment::DueUpdate;
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.set_assignment_due(&caller, &csrf, id, DueUpdate { due_on }).await.map_err(AppError::from_backend)
}

/// Deletes an assignment.
#[server(name = DeleteAssignment, input = Json, prefix = "/api/fn", endpoint = "delete_assignment")]
pub async fn delete_assignment(csrf: String, id: i64) -> Result<(), AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.delete_assignment(&caller, &csrf, id).await.map_err(AppError::from_backend)
}
