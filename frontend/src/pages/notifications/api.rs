//! Server functions of notifications and reminders. They take JSON (a
//! subject kind, a list of ids).

use courses::notify::{NotificationList, RemindOutcome, ReminderLogEntry, SubjectKind, UnreadCount};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::api::AppError;

/// The caller's notifications, newest first, with the unread count.
#[server(name = ListNotifications, input = Json, prefix = "/api/fn", endpoint = "notifications")]
pub async fn list_notifications() -> Result<NotificationList, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.notifications(&caller, courses::notify::NotificationQuery::default()).await.map_err(AppError::from_backend)
}

/// How many of the caller's notifications are unread.
#[server(name = UnreadNotifications, input = Json, prefix = "/api/fn", endpoint = "unread_notifications")]
pub async fn unread_notifications() -> Result<UnreadCount, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.unread_notifications(&caller).await.map_err(AppError::from_backend)
}

/// Marks `ids` (or `all`) of the caller's notifications read.
#[server(name = MarkNotificationsRead, input = Json, prefix = "/api/fn", endpoint = "mark_notifications_read")]
pub async fn mark_read(csrf: String, ids: Vec<i64>, all: bool) -> Result<UnreadCount, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    let which = courses::notify::MarkRead { ids, all };
    backend.mark_notifications_read(&caller, &csrf, which).await.map_err(AppError::from_backend)
}

/// Reminds everyone overdue on a meeting or an assignment (一键提醒).
#[server(name = Remind, input = Json, prefix = "/api/fn", endpoint = "remind")]
pub async fn remind(csrf: String, kind: SubjectKind, id: i64) -> Result<RemindOutcome, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.remind(&caller, &csrf, kind, id).await.map_err(AppError::from_backend)
}

/// The rounds of reminders about a meeting or an assignment.
#[server(name = ReminderLog, input = Json, prefix = "/api/fn", endpoint = "reminder_log")]
pub async fn reminder_log(kind: SubjectKind, id: i64) -> Result<Vec<ReminderLogEntry>, AppError> {
    let (backend, caller) = crate::api::ssr::context().await?;
    backend.reminder_log(&caller, kind, id).await.map_err(AppError::from_backend)
}
