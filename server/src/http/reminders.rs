//! Reminders organizers send by hand (一键提醒) and the log of every
//! round: `POST /api/v1/meetings/{id}/remind` (everyone overdue on the
//! meeting's make-up study), `POST /api/v1/assignments/{id}/remind`
//! (everyone overdue on the assigned course), `GET /api/v1/reminders`.
//! The rules are in `services::reminders`.

use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;
use courses::directory::ErrorBody;
use courses::notify::{RemindOutcome, ReminderLogEntry, ReminderQuery, SubjectKind};

use crate::error::Result;
use crate::http::extract::{CurrentUser, Json, Path, Query};
use crate::services::reminders;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/meetings/{id}/remind", post(remind_meeting))
        .route("/assignments/{id}/remind", post(remind_assignment))
        .route("/reminders", get(log))
}

/// Notifies everyone whose make-up study of the meeting is overdue
/// (deadline passed, lessons not all completed), in the app and, when SMTP
/// is configured, by e-mail. Once per meeting every
/// `reminder_manual_cooldown_minutes` (429 with `Retry-After`); logged.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/remind", tag = "reminders", params(("id" = i64, Path)),
    responses((status = 200, body = RemindOutcome), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn remind_meeting(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<RemindOutcome>> {
    let outcome =
        reminders::remind(&state.db, &state.settings, &s.actor, &s.person.name, SubjectKind::Meeting, id).await?;
    Ok(Json(outcome))
}

/// Notifies every member of the assignment who has not completed the
/// course after its due day, like the meeting reminder.
#[utoipa::path(post, path = "/api/v1/assignments/{id}/remind", tag = "reminders", params(("id" = i64, Path)),
    responses((status = 200, body = RemindOutcome), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn remind_assignment(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<RemindOutcome>> {
    let outcome =
        reminders::remind(&state.db, &state.settings, &s.actor, &s.person.name, SubjectKind::Assignment, id).await?;
    Ok(Json(outcome))
}

/// Every round of reminders about a meeting or an assignment the caller
/// manages, automatic and by hand, newest first.
#[utoipa::path(get, path = "/api/v1/reminders", tag = "reminders", params(ReminderQuery),
    responses((status = 200, body = Vec<ReminderLogEntry>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn log(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Query(q): Query<ReminderQuery>,
) -> Result<Json<Vec<ReminderLogEntry>>> {
    Ok(Json(reminders::log(&state.db, &state.settings, &s.actor, q.subject_kind, q.subject_id).await?))
}
