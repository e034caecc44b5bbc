//! `/api/v1/classes`: party classes, their 班主任 and students.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::Router;
use courses::class::{ClassDraft, ClassView, Enrolment};

use crate::error::Result;
use crate::http::extract::{CurrentUser, Json, Path};
use crate::services::classes::{self, enrol};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/classes", get(list).post(create))
        .route("/classes/{id}", get(show))
        .route("/classes/{id}/students", post(add_students))
        .route("/classes/{id}/students/{person}", delete(remove_student))
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
