//! Notifications: the bell in the header (how many are unread), the
//! `/notifications` page (the caller's own, newest first, marked read one
//! by one or all at once), and the one-click reminder (一键提醒) that the
//! meeting page and the assignment page embed ([`RemindButton`]).
//!
//! The server counts the unread ones for each page load; the page, an
//! island of its own, tells the bell's island the new count as
//! notifications are read (a window event), so the two agree without a
//! reload.

mod api;
mod bell;
mod page;
mod remind;

pub use api::unread_notifications;
pub use bell::NotificationBell;
pub use page::NotificationsPage;
pub use remind::RemindButton;

/// `YYYY-MM-DD HH:MM` of Unix ms in the platform's zone (UTC+8).
fn local_time(ms: i64) -> String {
    let zone = chrono::FixedOffset::east_opt(8 * 3600);
    match (chrono::DateTime::from_timestamp_millis(ms), zone) {
        (Some(at), Some(zone)) => at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string(),
        _ => String::new(),
    }
}
