//! `/api/v1/suggestions`: 合理化建议 / 书记信箱: sending (openly or
//! anonymously towards the readers), the readers' inbox, replies, closing,
//! counts and reply times, and an admin's lookup of an anonymous sender.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use courses::directory::ErrorBody;
use courses::suggestion::{
    Addressee, SenderLookup, SuggestionDraft, SuggestionReply, SuggestionState, SuggestionStats, SuggestionView,
};
use courses::OrgId;
use serde::Deserialize;

use crate::error::Result;
use crate::http::extract::{CurrentUser, Json, Path, Query};
use crate::services::suggestions::{answer, send, stats};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/suggestions", get(inbox).post(create))
        .route("/suggestions/{id}", get(show))
        .route("/suggestions/{id}/reply", post(reply))
        .route("/suggestions/{id}/close", post(close))
        .route("/suggestions/{id}/sender", get(sender))
        .route("/me/suggestions", get(mine))
        .route("/me/suggestion-addressees", get(addressees))
        .route("/orgs/{id}/suggestion-stats", get(org_stats))
}

/// Sends a suggestion to the caller's own node or one above it.
#[utoipa::path(post, path = "/api/v1/suggestions", tag = "suggestions", request_body = SuggestionDraft,
    responses((status = 201, body = SuggestionView), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Json(draft): Json<SuggestionDraft>,
) -> Result<(StatusCode, Json<SuggestionView>)> {
    let view = send::send(&state.db, &s.actor, &s.person, draft, state.settings.time_zone()).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct InboxQuery {
    /// Suggestions to this node's subtree (default: all the caller manages).
    pub org: Option<i64>,
    pub state: Option<SuggestionState>,
}

/// Suggestions to the nodes the caller manages, newest first (at most 200).
#[utoipa::path(get, path = "/api/v1/suggestions", tag = "suggestions", params(InboxQuery),
    responses((status = 200, body = Vec<SuggestionView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn inbox(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Query(q): Query<InboxQuery>,
) -> Result<Json<Vec<SuggestionView>>> {
    Ok(Json(answer::inbox(&state.db, &s.actor, q.org.map(OrgId), q.state, state.settings.time_zone()).await?))
}

#[utoipa::path(get, path = "/api/v1/suggestions/{id}", tag = "suggestions", params(("id" = i64, Path)),
    responses((status = 200, body = SuggestionView), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<SuggestionView>> {
    Ok(Json(answer::show(&state.db, &s.actor, id, state.settings.time_zone()).await?))
}

/// Replies to a suggestion (its readers), replacing an earlier reply.
#[utoipa::path(post, path = "/api/v1/suggestions/{id}/reply", tag = "suggestions", params(("id" = i64, Path)),
    request_body = SuggestionReply,
    responses((status = 200, body = SuggestionView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reply(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(r): Json<SuggestionReply>,
) -> Result<Json<SuggestionView>> {
    Ok(Json(answer::reply(&state.db, &s.actor, &s.person.name, id, r, state.settings.time_zone()).await?))
}

/// Closes a suggestion (办结): its sender or its readers.
#[utoipa::path(post, path = "/api/v1/suggestions/{id}/close", tag = "suggestions", params(("id" = i64, Path)),
    responses((status = 200, body = SuggestionView), (status = 404, body = ErrorBody)))]
pub async fn close(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<SuggestionView>> {
    Ok(Json(answer::close(&state.db, &s.actor, id, state.settings.time_zone()).await?))
}

/// Who sent a suggestion, anonymous or not: admins only, for abuse
/// handling; each lookup is logged.
#[utoipa::path(get, path = "/api/v1/suggestions/{id}/sender", tag = "suggestions", params(("id" = i64, Path)),
    responses((status = 200, body = SenderLookup), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn sender(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<SenderLookup>> {
    Ok(Json(answer::sender(&state.db, &s.actor, id).await?))
}

/// The caller's own suggestions, with replies and where each stands.
#[utoipa::path(get, path = "/api/v1/me/suggestions", tag = "suggestions",
    responses((status = 200, body = Vec<SuggestionView>)))]
pub async fn mine(State(state): State<AppState>, CurrentUser(s): CurrentUser) -> Result<Json<Vec<SuggestionView>>> {
    Ok(Json(send::mine(&state.db, &s.actor, state.settings.time_zone()).await?))
}

/// Where the caller may send a suggestion: their own node, then each above.
#[utoipa::path(get, path = "/api/v1/me/suggestion-addressees", tag = "suggestions",
    responses((status = 200, body = Vec<Addressee>)))]
pub async fn addressees(State(state): State<AppState>, CurrentUser(s): CurrentUser) -> Result<Json<Vec<Addressee>>> {
    Ok(Json(send::addressees(&state.db, &s.actor).await?))
}

/// Counts and reply times of the suggestions to a node's subtree and to
/// each child's.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/suggestion-stats", tag = "suggestions", params(("id" = i64, Path)),
    responses((status = 200, body = SuggestionStats), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn org_stats(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<SuggestionStats>> {
    Ok(Json(stats::stats(&state.db, &s.actor, OrgId(id)).await?))
}
