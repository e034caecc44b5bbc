//! The study record: `/api/v1/study/hours` (学时 per year, course and
//! lesson), `/api/v1/study/receipt` (every credited and discarded piece of
//! time, with reasons), `/api/v1/study/rules` (the conversion rules; admins
//! change them) and `/api/v1/xapi/statements` (the record as xAPI).

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use chrono::Datelike;
use courses::directory::ErrorBody;
use courses::progress::api::{Receipt, StudyHours};
use courses::progress::StudyHourRules;
use serde::Deserialize;

use crate::error::Result;
use crate::http::extract::{ClientLang, CurrentUser, Json, Query};
use crate::services::study::hours::{self, ReceiptQuery};
use crate::services::study::xapi::{self, ExportQuery, StatementResult};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/study/hours", get(hours))
        .route("/study/receipt", get(receipt))
        .route("/study/rules", get(rules).put(set_rules))
        .route("/xapi/statements", get(statements))
}

/// The current year in the platform's time zone.
pub fn this_year(state: &AppState) -> i32 {
    chrono::Utc::now().with_timezone(&state.settings.time_zone()).year()
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct HoursQuery {
    /// Whose (default: the caller). Organizers: anyone in their subtree.
    pub person_id: Option<i64>,
    /// Default: this year.
    pub year: Option<i32>,
}

/// 学时 for a year: the total after the daily cap against the yearly
/// target, and credited time per course and lesson.
#[utoipa::path(get, path = "/api/v1/study/hours", tag = "records", params(HoursQuery),
    responses((status = 200, body = StudyHours), (status = 404, body = ErrorBody)))]
pub async fn hours(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Query(q): Query<HoursQuery>,
) -> Result<Json<StudyHours>> {
    let year = q.year.unwrap_or_else(|| this_year(&state));
    Ok(Json(hours::hours(&state.db, &s.actor, q.person_id, year).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ReceiptParams {
    /// Whose (default: the caller). Organizers: anyone in their subtree.
    pub person_id: Option<i64>,
    /// Default: this year.
    pub year: Option<i32>,
    /// Only this course.
    pub course_id: Option<i64>,
    /// The previous page's `next_after`.
    pub after: Option<i64>,
    /// Lines per page, at most 2000 (default 500).
    pub limit: Option<u64>,
}

/// The 学时 receipt: every credited interval and every discarded one with
/// its reason, oldest first.
#[utoipa::path(get, path = "/api/v1/study/receipt", tag = "records", params(ReceiptParams),
    responses((status = 200, body = Receipt), (status = 404, body = ErrorBody)))]
pub async fn receipt(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    ClientLang(lang): ClientLang,
    Query(q): Query<ReceiptParams>,
) -> Result<Json<Receipt>> {
    let query = ReceiptQuery {
        person_id: q.person_id,
        year: q.year.unwrap_or_else(|| this_year(&state)),
        course_id: q.course_id,
        after: q.after,
        limit: q.limit,
    };
    Ok(Json(hours::receipt(&state.db, &s.actor, query, lang).await?))
}

/// The 学时 conversion rules in force.
#[utoipa::path(get, path = "/api/v1/study/rules", tag = "records",
    responses((status = 200, body = StudyHourRules), (status = 401, body = ErrorBody)))]
pub async fn rules(State(state): State<AppState>, CurrentUser(_caller): CurrentUser) -> Result<Json<StudyHourRules>> {
    Ok(Json(hours::rules(&state.db).await?))
}

/// Replaces the 学时 conversion rules (admins only). Totals are restated
/// under the new rules; the credited time itself does not change.
#[utoipa::path(put, path = "/api/v1/study/rules", tag = "records", request_body = StudyHourRules,
    responses((status = 200, body = StudyHourRules), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_rules(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Json(new): Json<StudyHourRules>,
) -> Result<Json<StudyHourRules>> {
    Ok(Json(hours::set_rules(&state.db, &s.actor, new).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct StatementsQuery {
    /// Whose (default: the caller, unless `course_id` alone is given).
    pub person_id: Option<i64>,
    /// A course; alone, the whole course (for those who manage it).
    pub course_id: Option<i64>,
    /// Continue after this heartbeat (from `more`).
    pub after: Option<i64>,
    /// Heartbeats per page, at most 1000 (default 500).
    pub limit: Option<u64>,
}

/// xAPI statements (video profile: played segments, progress, completion)
/// for a person or a course.
#[utoipa::path(get, path = "/api/v1/xapi/statements", tag = "records", params(StatementsQuery),
    responses((status = 200, body = StatementResult), (status = 404, body = ErrorBody)))]
pub async fn statements(
    State(state): State<AppState>,
    CurrentUser(s): CurrentUser,
    Query(q): Query<StatementsQuery>,
) -> Result<Json<StatementResult>> {
    let base = state.settings.public_base();
    let query = ExportQuery { person_id: q.person_id, course_id: q.course_id, after: q.after, limit: q.limit };
    Ok(Json(xapi::export(&state.db, &s.actor, &base, query).await?))
}
