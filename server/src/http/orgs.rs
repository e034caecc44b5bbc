//! `/api/v1/orgs`: the organization tree an organizer or admin manages.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use courses::directory::{NewOrg, OrgNode, OrgPatch, PersonSummary};
use courses::OrgId;

use crate::error::Result;
use crate::http::extract::{CurrentUser, Json, Path};
use crate::services::{orgs as org_service, people as people_service};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orgs", get(list).post(create))
        .route("/orgs/{id}", get(show).patch(rename).delete(remove))
        .route("/orgs/{id}/people", get(people))
}

/// Every org the caller manages, parents before children.
#[utoipa::path(get, path = "/api/v1/orgs", tag = "orgs",
    responses((status = 200, body = Vec<OrgNode>), (status = 401, body = courses::directory::ErrorBody),
              (status = 403, body = courses::directory::ErrorBody)))]
pub async fn list(State(state): State<AppState>, CurrentUser(s): CurrentUser) -> Result<Json<Vec<OrgNode>>> {
    Ok(Json(org_service::tree(&state.db, &s.actor).await?))
}

/// Create a sub-org (or, for admins, a new root with `parent_id: null`).
#[utoipa::path(post, path = "/api/v1/orgs", tag = "orgs", request_body = NewOrg,
    responses((status = 201, body = OrgNode), (status = 403, body = courses::directory::ErrorBody),
              (status = 404, body = courses::directory::ErrorBody), (status = 409, body = courses::directory::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Json(new): Json<NewOrg>,
) -> Result<(StatusCode, Json<OrgNode>)> {
    Ok((StatusCode::CREATED, Json(org_service::create(&state.db, &s.actor, new).await?)))
}

#[utoipa::path(get, path = "/api/v1/orgs/{id}", tag = "orgs", params(("id" = i64, Path)),
    responses((status = 200, body = OrgNode), (status = 404, body = courses::directory::ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<OrgNode>> {
    Ok(Json(org_service::get(&state.db, &s.actor, OrgId(id)).await?))
}

/// Rename an org below the caller's own node.
#[utoipa::path(patch, path = "/api/v1/orgs/{id}", tag = "orgs", params(("id" = i64, Path)), request_body = OrgPatch,
    responses((status = 200, body = OrgNode), (status = 403, body = courses::directory::ErrorBody),
              (status = 404, body = courses::directory::ErrorBody), (status = 409, body = courses::directory::ErrorBody)))]
pub async fn rename(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(patch): Json<OrgPatch>,
) -> Result<Json<OrgNode>> {
    Ok(Json(org_service::rename(&state.db, &s.actor, OrgId(id), patch).await?))
}

/// Delete an empty org below the caller's own node.
#[utoipa::path(delete, path = "/api/v1/orgs/{id}", tag = "orgs", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = courses::directory::ErrorBody),
              (status = 409, body = courses::directory::ErrorBody)))]
pub async fn remove(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    org_service::delete(&state.db, &s.actor, OrgId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// People who belong directly to the org.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/people", tag = "orgs", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<PersonSummary>), (status = 404, body = courses::directory::ErrorBody)))]
pub async fn people(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Vec<PersonSummary>>> {
    Ok(Json(people_service::list_in_org(&state.db, &s.actor, OrgId(id)).await?))
}
