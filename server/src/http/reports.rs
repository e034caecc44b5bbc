//! `/api/v1/reports`: completion reports of the caller's part of the org
//! tree, as JSON, CSV or XLSX; and their snapshots. The rules of who sees
//! what are in `services::reports`.

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use courses::directory::ErrorBody;
use courses::report::{Format, ReportData, ReportQuery, SnapshotSummary};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::http::course_files::content_disposition;
use crate::http::extract::{ClientLang, CurrentUser, Json, Path, Query};
use crate::services::reports::{self, export, snapshots};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports", get(show))
        .route("/reports/snapshots", get(list_snapshots).post(take_snapshot))
        .route("/reports/snapshots/{id}", get(show_snapshot))
}

/// The report as JSON, or as a download.
fn respond<T: Serialize>(json: T, data: &ReportData, format: Format, lang: courses::Lang) -> Result<Response> {
    json_or_table(json, format, |_| data.to_table(lang))
}

/// `value` as JSON, or `table(&value)` as a CSV or XLSX download.
pub(crate) fn json_or_table<T: Serialize>(
    value: T,
    format: Format,
    table: impl FnOnce(&T) -> courses::report::Table,
) -> Result<Response> {
    if format == Format::Json {
        return Ok(Json(value).into_response());
    }
    file_response(export::render(&table(&value), format)?)
}

/// A file to download, never shown inline nor cached.
pub(crate) fn file_response(file: export::Download) -> Result<Response> {
    let mut response = file.bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(file.content_type));
    let disposition = HeaderValue::from_str(&content_disposition(&file.file_name))
        .map_err(|e| Error::Internal(anyhow::anyhow!("content disposition: {e}")))?;
    headers.insert(header::CONTENT_DISPOSITION, disposition);
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(response)
}

/// A report of the caller's subtree: completion rolled up (`org`, or of one
/// `course` or `assignment`), `members`, `overdue`, `hours`, a `person`'s
/// 学习档案 or a `meeting`'s make-up status. `format=csv|xlsx` downloads it
/// as a table with headers in the caller's language; text that a
/// spreadsheet would run as a formula is prefixed with `'`.
#[utoipa::path(get, path = "/api/v1/reports", tag = "reports", params(ReportQuery),
    responses((status = 200, body = ReportData), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn show(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ClientLang(lang): ClientLang,
    Query(query): Query<ReportQuery>,
) -> Result<Response> {
    let data = reports::report(&state.db, &state.settings, &s.actor, &query).await?;
    respond(&data, &data, query.format, lang)
}

/// `GET /api/v1/reports/snapshots` query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SnapshotQuery {
    /// Only snapshots of this node and those below it.
    pub org_id: Option<i64>,
}

/// Snapshots of reports the caller may read, newest first.
#[utoipa::path(get, path = "/api/v1/reports/snapshots", tag = "reports", params(SnapshotQuery),
    responses((status = 200, body = Vec<SnapshotSummary>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_snapshots(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Query(query): Query<SnapshotQuery>,
) -> Result<Json<Vec<SnapshotSummary>>> {
    Ok(Json(snapshots::list(&state.db, &s.actor, query.org_id).await?))
}

/// Freezes a report (the body is the report's query; its `format` is
/// ignored). Later study does not change what the snapshot says.
#[utoipa::path(post, path = "/api/v1/reports/snapshots", tag = "reports", request_body = ReportQuery,
    responses((status = 200, body = SnapshotSummary), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn take_snapshot(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Json(query): Json<ReportQuery>,
) -> Result<Json<SnapshotSummary>> {
    Ok(Json(snapshots::take(&state.db, &state.settings, &s.actor, &query).await?))
}

/// A snapshot and its frozen report.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Snapshot {
    pub snapshot: SnapshotSummary,
    pub report: ReportData,
}

/// `GET /api/v1/reports/snapshots/{id}` query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct FormatQuery {
    #[serde(default)]
    pub format: Format,
}

/// One snapshot, as JSON or downloaded as CSV or XLSX.
#[utoipa::path(get, path = "/api/v1/reports/snapshots/{id}", tag = "reports", params(("id" = i64, Path), FormatQuery),
    responses((status = 200, body = Snapshot), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn show_snapshot(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ClientLang(lang): ClientLang,
    Path(id): Path<i64>,
    Query(query): Query<FormatQuery>,
) -> Result<Response> {
    let (snapshot, report) = snapshots::get(&state.db, &s.actor, id).await?;
    let data = report.clone();
    respond(Snapshot { snapshot, report }, &data, query.format, lang)
}
