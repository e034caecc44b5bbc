//! `/api/v1/me/notifications`: the caller's own in-app notifications
//! (reminders), in the caller's language, newest first; how many are
//! unread; marking them read. Nobody reads another person's.

use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;
use courses::directory::ErrorBody;
use courses::notify::{MarkRead, NotificationList, NotificationQuery, UnreadCount};

use crate::error::Result;
use crate::http::extract::{ClientLang, CurrentUser, Json, Query};
use crate::services::notifications;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me/notifications", get(list))
        .route("/me/notifications/unread", get(unread))
        .route("/me/notifications/read", post(mark_read))
}

/// The caller's notifications, newest first (`limit` 1–200, default 50;
/// `before` an id for the next page; `unread=true` for unread ones only),
/// with how many are unread in all.
#[utoipa::path(get, path = "/api/v1/me/notifications", tag = "notifications", params(NotificationQuery),
    responses((status = 200, body = NotificationList), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ClientLang(lang): ClientLang,
    Query(query): Query<NotificationQuery>,
) -> Result<Json<NotificationList>> {
    Ok(Json(notifications::list(&state.db, &state.settings, &s.actor, lang, &query).await?))
}

/// How many of the caller's notifications are unread (the header's bell).
#[utoipa::path(get, path = "/api/v1/me/notifications/unread", tag = "notifications",
    responses((status = 200, body = UnreadCount), (status = 401, body = ErrorBody)))]
pub async fn unread(State(state): State<AppState>, CurrentUser(s): CurrentUser) -> Result<Json<UnreadCount>> {
    Ok(Json(notifications::unread(&state.db, &s.actor).await?))
}

/// Marks the listed notifications (`ids`) or `all` of them read; ids that
/// are not the caller's change nothing. Answers the unread count.
#[utoipa::path(post, path = "/api/v1/me/notifications/read", tag = "notifications", request_body = MarkRead,
    responses((status = 200, body = UnreadCount), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn mark_read(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Json(which): Json<MarkRead>,
) -> Result<Json<UnreadCount>> {
    Ok(Json(notifications::mark_read(&state.db, &s.actor, &which).await?))
}
