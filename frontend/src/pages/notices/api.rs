//! Server functions of the notice pages.

use courses::notice::{Decision, NoticeDraft, NoticeSummary, NoticeView, ReadReport, Withdrawal};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::api::AppError;

#[server(name = GetMyNotices, input = Json, prefix = "/api/fn", endpoint = "my_notices")]
pub async fn my_notices() -> Result<Vec<NoticeSummary>, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.my_notices(&caller).await.map_err(AppError::from_backend)
}

#[server(name = OpenNotice, input = Json, prefix = "/api/fn", endpoint = "open_notice")]
pub async fn open_notice(id: i64) -> Result<NoticeView, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.open_notice(&caller, id).await.map_err(AppError::from_backend)
}

#[server(name = ListManagedNotices, input = Json, prefix = "/api/fn", endpoint = "managed_notices")]
pub async fn managed_notices() -> Result<Vec<NoticeSummary>, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.managed_notices(&caller).await.map_err(AppError::from_backend)
}

#[server(name = CreateNotice, input = Json, prefix = "/api/fn", endpoint = "create_notice")]
pub async fn create_notice(csrf: String, draft: NoticeDraft) -> Result<NoticeView, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.create_notice(&caller, &csrf, draft).await.map_err(AppError::from_backend)
}

#[server(name = DecideNotice, input = Json, prefix = "/api/fn", endpoint = "decide_notice")]
pub async fn decide_notice(csrf: String, id: i64, decision: Decision) -> Result<NoticeView, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.decide_notice(&caller, &csrf, id, decision).await.map_err(AppError::from_backend)
}

#[server(name = WithdrawNotice, input = Json, prefix = "/api/fn", endpoint = "withdraw_notice")]
pub async fn withdraw_notice(csrf: String, id: i64, why: Withdrawal) -> Result<NoticeView, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.withdraw_notice(&caller, &csrf, id, why).await.map_err(AppError::from_backend)
}

#[server(name = GetNoticeReads, input = Json, prefix = "/api/fn", endpoint = "notice_reads")]
pub async fn notice_reads(id: i64, org: Option<i64>) -> Result<ReadReport, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.notice_reads(&caller, id, org).await.map_err(AppError::from_backend)
}
