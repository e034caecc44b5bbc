//! Notifications: the bell in the header (how many are unread), the
//! `/notifications` page (the caller's own, newest first, marked read one
//! by one or all at once), and the one-click reminder (一键提醒) that the
//! meeting page and the assignment page embed ([`RemindButton`]).
//!
//! The unread count lives in a context signal ([`provide_unread`], once in
//! the app) that the bell fills in the browser and the page lowers as
//! notifications are read, so the two agree without a reload.

mod api;
mod bell;
mod page;
mod remind;

pub use bell::NotificationBell;
pub use page::NotificationsPage;
pub use remind::RemindButton;

use leptos::prelude::*;

/// The caller's unread count as the browser last learned it (`None`: not yet).
#[derive(Clone, Copy)]
struct Unread(RwSignal<Option<u64>>);

/// Shares the unread count between the header's bell and the page; call once,
/// at the top of the app.
pub fn provide_unread() {
    provide_context(Unread(RwSignal::new(None)));
}

fn use_unread() -> RwSignal<Option<u64>> {
    use_context::<Unread>().map(|u| u.0).unwrap_or_else(|| RwSignal::new(None))
}

/// `YYYY-MM-DD HH:MM` of Unix ms in the platform's zone (UTC+8).
fn local_time(ms: i64) -> String {
    let zone = chrono::FixedOffset::east_opt(8 * 3600);
    match (chrono::DateTime::from_timestamp_millis(ms), zone) {
        (Some(at), Some(zone)) => at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string(),
        _ => String::new(),
    }
}
