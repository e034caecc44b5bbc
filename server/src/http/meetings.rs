//! `/api/v1/meetings`: meetings (三会一课) organizers record for the nodes
//! they manage, with attendance and the make-up study (补学) it assigns;
//! `/api/v1/me/makeups`: the caller's own make-up tasks. The rules are in
//! `services::meetings`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::Router;
use courses::directory::ErrorBody;
use courses::meeting::{
    AttendanceUpdate, DeadlineUpdate, MakeupTask, MeetingQuery, MeetingSummary, MeetingView, NewMeeting,
};

use crate::error::Result;
use crate::http::extract::{CurrentUser, Json, Path, Query};
use crate::services::meetings;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/meetings", get(list).post(create))
        .route("/meetings/{id}", get(show).delete(remove))
        .route("/meetings/{id}/attendance", put(set_attendance))
        .route("/meetings/{id}/deadline", put(set_deadline))
        .route("/me/makeups", get(my_makeups))
}

/// Meetings of the nodes the caller manages, newest first, with 应到 /
/// 实到 / 已补学; `org_id` narrows to one node and those below it.
#[utoipa::path(get, path = "/api/v1/meetings", tag = "meetings", params(MeetingQuery),
    responses((status = 200, body = Vec<MeetingSummary>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Query(query): Query<MeetingQuery>,
) -> Result<Json<Vec<MeetingSummary>>> {
    Ok(Json(meetings::list(&state.db, &s.actor, &query).await?))
}

/// Records a meeting that was held: its kind, date, topic, the lessons
/// used and everyone's attendance (the whole roster of the node and the
/// nodes below it, each once). Absent and on-leave people receive a make-up
/// task of those lessons, due `makeup_days` (default 14) after the meeting.
/// Each lesson's course must be published and open to every one of them.
#[utoipa::path(post, path = "/api/v1/meetings", tag = "meetings", request_body = NewMeeting,
    responses((status = 200, body = MeetingView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Json(new): Json<NewMeeting>,
) -> Result<Json<MeetingView>> {
    let today = meetings::today(&state.settings)?;
    Ok(Json(meetings::record(&state.db, &state.settings, &s.actor, today, new).await?))
}

/// The meeting page: lessons, everyone's attendance with make-up progress,
/// 应到 / 实到 / 已补学, and who still has to make it up.
#[utoipa::path(get, path = "/api/v1/meetings/{id}", tag = "meetings", params(("id" = i64, Path)),
    responses((status = 200, body = MeetingView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<MeetingView>> {
    Ok(Json(meetings::get(&state.db, &s.actor, id).await?))
}

/// Changes the attendance of some people on the meeting's roster:
/// `present` withdraws their make-up task (progress is kept), `absent` or
/// `leave` assigns it again.
#[utoipa::path(put, path = "/api/v1/meetings/{id}/attendance", tag = "meetings", params(("id" = i64, Path)),
    request_body = AttendanceUpdate,
    responses((status = 200, body = MeetingView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn set_attendance(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(update): Json<AttendanceUpdate>,
) -> Result<Json<MeetingView>> {
    Ok(Json(meetings::set_attendance(&state.db, &state.settings, &s.actor, id, update).await?))
}

/// Moves the make-up deadline (from the meeting's date to 365 days after).
#[utoipa::path(put, path = "/api/v1/meetings/{id}/deadline", tag = "meetings", params(("id" = i64, Path)),
    request_body = DeadlineUpdate,
    responses((status = 200, body = MeetingView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn set_deadline(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(update): Json<DeadlineUpdate>,
) -> Result<Json<MeetingView>> {
    Ok(Json(meetings::set_deadline(&state.db, &s.actor, id, update).await?))
}

/// Deletes the meeting and its make-up tasks; study progress stays.
#[utoipa::path(delete, path = "/api/v1/meetings/{id}", tag = "meetings", params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    meetings::delete(&state.db, &s.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's make-up tasks: open ones first, soonest deadline first,
/// then those done; each lesson with whether it is completed.
#[utoipa::path(get, path = "/api/v1/me/makeups", tag = "meetings",
    responses((status = 200, body = Vec<MakeupTask>), (status = 401, body = ErrorBody)))]
pub async fn my_makeups(State(state): State<AppState>, CurrentUser(s): CurrentUser) -> Result<Json<Vec<MakeupTask>>> {
    let today = meetings::today(&state.settings)?;
    Ok(Json(meetings::my_makeups(&state.db, &s.actor, today).await?))
}
