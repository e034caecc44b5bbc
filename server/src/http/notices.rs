//! `/api/v1/notices`: notices (通知公告) and items of 党务公开: writing,
//! review and approval, withdrawal, reading, who read them, reminding
//! those who have not.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{delete, get, post, put};
use axum::Router;
use axum_extra::headers::Range;
use axum_extra::TypedHeader;
use courses::course::AttachmentView;
use courses::notice::{Decision, NoticeDraft, NoticeSummary, NoticeView, ReadReport, Withdrawal};
use courses::notify::{RemindOutcome, SubjectKind};
use courses::OrgId;

use crate::error::Result;
use crate::http::course_files::AttachmentName;
use crate::http::extract::{CurrentUser, Json, Path, Query};
use crate::services::notices::{chain, files, reads, write};
use crate::services::reminders;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/notices", get(managed).post(create))
        .route("/notices/{id}", get(open).put(propose_again))
        .route("/notices/{id}/decision", post(decide))
        .route("/notices/{id}/withdraw", post(withdraw))
        .route("/notices/{id}/reads", get(read_report))
        .route("/notices/{id}/remind", post(remind))
        .route("/notices/{id}/attachments", put(put_attachment))
        .route("/notices/{id}/attachments/{aid}", get(attachment))
        .route("/notices/{id}/attachments/{aid}", delete(delete_attachment))
        .route("/me/notices", get(mine))
}

/// Notices of the nodes the caller manages, in every state.
#[utoipa::path(get, path = "/api/v1/notices", tag = "notices",
    responses((status = 200, body = Vec<NoticeSummary>), (status = 403, body = courses::directory::ErrorBody)))]
pub async fn managed(State(state): State<AppState>, CurrentUser(s): CurrentUser) -> Result<Json<Vec<NoticeSummary>>> {
    Ok(Json(reads::managed(&state.db, &s.actor, state.settings.time_zone()).await?))
}

/// Writes a notice for nodes of the caller's subtree. An ordinary notice is
/// published at once; an openness item (`openness: true`) is proposed for
/// review by an organizer of a node above.
#[utoipa::path(post, path = "/api/v1/notices", tag = "notices", request_body = NoticeDraft,
    responses((status = 201, body = NoticeView), (status = 403, body = courses::directory::ErrorBody),
              (status = 404, body = courses::directory::ErrorBody), (status = 422, body = courses::directory::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Json(draft): Json<NoticeDraft>,
) -> Result<(StatusCode, Json<NoticeView>)> {
    Ok((
        StatusCode::CREATED,
        Json(write::create(&state.db, &s.actor, &s.person.name, draft, state.settings.time_zone()).await?),
    ))
}

/// A notice. Opening a published one the caller is to read records their
/// reading (once); a withdrawn one says so, without its text.
#[utoipa::path(get, path = "/api/v1/notices/{id}", tag = "notices", params(("id" = i64, Path)),
    responses((status = 200, body = NoticeView), (status = 404, body = courses::directory::ErrorBody)))]
pub async fn open(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<NoticeView>> {
    Ok(Json(reads::open(&state.db, &s.actor, id, state.settings.time_zone()).await?))
}

/// The author changes a sent-back openness item and proposes it again.
#[utoipa::path(put, path = "/api/v1/notices/{id}", tag = "notices", params(("id" = i64, Path)), request_body = NoticeDraft,
    responses((status = 200, body = NoticeView), (status = 404, body = courses::directory::ErrorBody),
              (status = 409, body = courses::directory::ErrorBody), (status = 422, body = courses::directory::ErrorBody)))]
pub async fn propose_again(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(draft): Json<NoticeDraft>,
) -> Result<Json<NoticeView>> {
    Ok(Json(write::propose_again(&state.db, &s.actor, &s.person.name, id, draft, state.settings.time_zone()).await?))
}

/// Reviews (with the secrecy review) or approves an openness item,
/// whichever step it waits for, or sends it back with the reason.
#[utoipa::path(post, path = "/api/v1/notices/{id}/decision", tag = "notices", params(("id" = i64, Path)),
    request_body = Decision,
    responses((status = 200, body = NoticeView), (status = 404, body = courses::directory::ErrorBody),
              (status = 409, body = courses::directory::ErrorBody), (status = 422, body = courses::directory::ErrorBody)))]
pub async fn decide(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(decision): Json<Decision>,
) -> Result<Json<NoticeView>> {
    Ok(Json(chain::decide(&state.db, &s.actor, &s.person.name, id, decision, state.settings.time_zone()).await?))
}

/// Withdraws a published notice, with the reason.
#[utoipa::path(post, path = "/api/v1/notices/{id}/withdraw", tag = "notices", params(("id" = i64, Path)),
    request_body = Withdrawal,
    responses((status = 200, body = NoticeView), (status = 404, body = courses::directory::ErrorBody),
              (status = 409, body = courses::directory::ErrorBody), (status = 422, body = courses::directory::ErrorBody)))]
pub async fn withdraw(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Json(why): Json<Withdrawal>,
) -> Result<Json<NoticeView>> {
    Ok(Json(chain::withdraw(&state.db, &s.actor, &s.person.name, id, why, state.settings.time_zone()).await?))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ReadsQuery {
    /// A node to drill into (default: the notice's node).
    pub org: Option<i64>,
}

/// Who read the notice, per node, rolled up the tree.
#[utoipa::path(get, path = "/api/v1/notices/{id}/reads", tag = "notices", params(("id" = i64, Path), ReadsQuery),
    responses((status = 200, body = ReadReport), (status = 403, body = courses::directory::ErrorBody),
              (status = 404, body = courses::directory::ErrorBody)))]
pub async fn read_report(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<ReadsQuery>,
) -> Result<Json<ReadReport>> {
    Ok(Json(reads::report(&state.db, &s.actor, id, q.org.map(OrgId)).await?))
}

/// Reminds everyone who has not read a published must-read notice (一键提醒).
#[utoipa::path(post, path = "/api/v1/notices/{id}/remind", tag = "notices", params(("id" = i64, Path)),
    responses((status = 200, body = RemindOutcome), (status = 404, body = courses::directory::ErrorBody),
              (status = 429, body = courses::directory::ErrorBody)))]
pub async fn remind(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<RemindOutcome>> {
    let outcome =
        reminders::remind(&state.db, &state.settings, &s.actor, &s.person.name, SubjectKind::Notice, id).await?;
    Ok(Json(outcome))
}

/// The notices for the caller, newest first, with whether they read each.
#[utoipa::path(get, path = "/api/v1/me/notices", tag = "notices",
    responses((status = 200, body = Vec<NoticeSummary>), (status = 401, body = courses::directory::ErrorBody)))]
pub async fn mine(State(state): State<AppState>, CurrentUser(s): CurrentUser) -> Result<Json<Vec<NoticeSummary>>> {
    Ok(Json(reads::mine(&state.db, &s.actor, state.settings.time_zone()).await?))
}

/// Attaches a file to download with a notice (any type, at most 50 MB, 20
/// per notice): an ordinary notice's while it is published, an openness
/// item's before its review. The body is the file; `Content-Length` is
/// required.
#[utoipa::path(put, path = "/api/v1/notices/{id}/attachments", tag = "notices",
    params(("id" = i64, Path), AttachmentName),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = AttachmentView), (status = 404, body = courses::directory::ErrorBody),
              (status = 409, body = courses::directory::ErrorBody), (status = 413, body = courses::directory::ErrorBody),
              (status = 422, body = courses::directory::ErrorBody)))]
pub async fn put_attachment(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<AttachmentName>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<AttachmentView>> {
    let (length, stream) = crate::http::course_files::declared_body(&headers, body);
    Ok(Json(files::put(&state.db, &*state.store, &s.actor, id, &q.name, length, stream).await?))
}

/// Downloads an attachment of a notice the caller may read, as a file.
#[utoipa::path(get, path = "/api/v1/notices/{id}/attachments/{aid}", tag = "notices",
    params(("id" = i64, Path), ("aid" = i64, Path)),
    responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = courses::directory::ErrorBody)))]
pub async fn attachment(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path((id, aid)): Path<(i64, i64)>,
    range: Option<TypedHeader<Range>>,
) -> Result<Response> {
    let (name, key) = files::key(&state.db, &s.actor, id, aid).await?;
    crate::http::course_files::download(&state, &key, &name, "attachment.bin", range).await
}

#[utoipa::path(delete, path = "/api/v1/notices/{id}/attachments/{aid}", tag = "notices",
    params(("id" = i64, Path), ("aid" = i64, Path)),
    responses((status = 204), (status = 404, body = courses::directory::ErrorBody),
              (status = 409, body = courses::directory::ErrorBody)))]
pub async fn delete_attachment(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Path((id, aid)): Path<(i64, i64)>,
) -> Result<StatusCode> {
    files::delete(&state.db, &*state.store, &s.actor, id, aid).await?;
    Ok(StatusCode::NO_CONTENT)
}
