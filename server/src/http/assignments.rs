//! `/api/v1/assignments`: courses organizers require of people of the
//! nodes they manage (a node with its subtree, roles, named people) by a
//! due day, with every member's progress. The rules are in
//! `services::assignments`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::Router;
use courses::assignment::{AssignmentQuery, AssignmentSummary, AssignmentView, DueUpdate, NewAssignment};
use courses::directory::ErrorBody;

use crate::error::Result;
use crate::http::extract::{CurrentUser, Json, Path, Query};
use crate::services::assignments;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/assignments", get(list).post(create))
        .route("/assignments/{id}", get(show).delete(remove))
        .route("/assignments/{id}/due", put(set_due))
}

/// Assignments of the nodes the caller manages, newest first, each with
/// how many members are done and overdue; `org_id` narrows to one node and
/// those below it.
#[utoipa::path(get, path = "/api/v1/assignments", tag = "assignments", params(AssignmentQuery),
    responses((status = 200, body = Vec<AssignmentSummary>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Query(query): Query<AssignmentQuery>,
) -> Result<Json<Vec<AssignmentSummary>>> {
    Ok(Json(assignments::list(&state.db, &state.settings, &s.actor, &query).await?))
}

/// Assigns a course to people of a node the caller manages: nodes of its
/// subtree (each with everything below), optionally narrowed to roles, plus
/// named people, by a due day (today or later). The course must be
/// published, one the caller manages or may study, and open to everyone
/// the target covers; a target that covers nobody is refused.
#[utoipa::path(post, path = "/api/v1/assignments", tag = "assignments", request_body = NewAssignment,
    responses((status = 200, body = AssignmentView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Json(new): Json<NewAssignment>,
) -> Result<Json<AssignmentView>> {
    Ok(Json(assignments::create(&state.db, &state.settings, &s.actor, new).await?))
}

/// The assignment page: what, for whom, by when, and every member's
/// progress (overdue first).
#[utoipa::path(get, path = "/api/v1/assignments/{id}", tag = "assignments", params(("id" = i64, Path)),
    responses((status = 200, body = AssignmentView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<AssignmentView>> {
    Ok(Json(assignments::get(&state.db, &state.settings, &s.actor, id).await?))
}

/// Moves the due day (today or later).
#[utoipa::path(put, path = "/api/v1/assignments/{id}/due", tag = "assignments", params(("id" = i64, Path)),
    request_body = DueUpdate,
    responses((status = 200, body = AssignmentView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_due(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(update): Json<DueUpdate>,
) -> Result<Json<AssignmentView>> {
    Ok(Json(assignments::set_due(&state.db, &state.settings, &s.actor, id, update).await?))
}

/// Deletes the assignment; the members' study progress stays.
#[utoipa::path(delete, path = "/api/v1/assignments/{id}", tag = "assignments", params(("id" = i64, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn remove(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    assignments::delete(&state.db, &s.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
