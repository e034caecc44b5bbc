//! Server functions of the report pages. A report query is structured, so
//! they take JSON.

use courses::report::{ReportData, ReportQuery, SnapshotSummary};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::api::AppError;

/// A report of the caller's subtree.
#[server(name = GetReport, input = Json, prefix = "/api/fn", endpoint = "report")]
pub async fn get_report(query: ReportQuery) -> Result<ReportData, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.report(&caller, query).await.map_err(AppError::from_backend)
}

/// Snapshots the caller may read, newest first.
#[server(name = ListSnapshots, input = Json, prefix = "/api/fn", endpoint = "snapshots")]
pub async fn list_snapshots() -> Result<Vec<SnapshotSummary>, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.snapshots(&caller, None).await.map_err(AppError::from_backend)
}

/// Freezes the report `query` asks for.
#[server(name = TakeSnapshot, input = Json, prefix = "/api/fn", endpoint = "take_snapshot")]
pub async fn take_snapshot(csrf: String, query: ReportQuery) -> Result<SnapshotSummary, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.take_snapshot(&caller, &csrf, query).await.map_err(AppError::from_backend)
}

/// One snapshot and its frozen report.
#[server(name = GetSnapshot, input = Json, prefix = "/api/fn", endpoint = "snapshot")]
pub async fn get_snapshot(id: i64) -> Result<(SnapshotSummary, ReportData), AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.snapshot(&caller, id).await.map_err(AppError::from_backend)
}
