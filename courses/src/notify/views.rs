//! What the API and the UI exchange about notifications and reminders.

use serde::{Deserialize, Serialize};

use super::{NotificationKind, SubjectKind};

/// Most notifications one request lists.
pub const MAX_LIST: u64 = 200;
/// Notifications listed unless the caller asks for another number.
pub const DEFAULT_LIST: u64 = 50;

/// One notification, in the caller's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationView {
    pub id: i64,
    pub kind: NotificationKind,
    pub title: String,
    pub body: String,
    /// Where to do what it asks: a path on this site.
    pub link: String,
    pub created_at_ms: i64,
    /// `YYYY-MM-DD HH:MM` in the platform's time zone.
    pub created_at: String,
    pub read: bool,
}

/// `GET /api/v1/me/notifications`: the newest first, and how many are unread
/// in all (not only among those listed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationList {
    pub items: Vec<NotificationView>,
    pub unread: u64,
}

/// `GET /api/v1/me/notifications` query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(default, deny_unknown_fields)]
pub struct NotificationQuery {
    /// How many (1–200, default 50).
    pub limit: Option<u64>,
    /// Only those older than this notification id (the next page).
    pub before: Option<i64>,
    /// Only unread ones.
    pub unread: Option<bool>,
}

impl NotificationQuery {
    /// The number to list, within bounds.
    pub fn limit(&self) -> u64 {
        self.limit.unwrap_or(DEFAULT_LIST).clamp(1, MAX_LIST)
    }
}

/// `POST /api/v1/me/notifications/read`: `all`, or the listed `ids` (ids
/// that are not the caller's are ignored).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct MarkRead {
    pub ids: Vec<i64>,
    pub all: bool,
}

/// How many of the caller's notifications are unread.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnreadCount {
    pub unread: u64,
}

/// What a one-click reminder (一键提醒) did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RemindOutcome {
    /// People notified in the app: everyone still overdue.
    pub reminded: u32,
    /// Of those, people also e-mailed (SMTP configured, address known, sent).
    pub emailed: u32,
    /// When this subject may be reminded by hand again (Unix ms); 0 when
    /// nobody was overdue (nothing was sent, so no wait).
    pub next_allowed_at_ms: i64,
}

/// `GET /api/v1/reminders` query: the subject whose reminders to list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct ReminderQuery {
    /// `meeting` or `assignment`.
    pub subject_kind: SubjectKind,
    pub subject_id: i64,
}

/// One round of reminders about a subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReminderLogEntry {
    pub id: i64,
    pub subject_kind: SubjectKind,
    pub subject_id: i64,
    /// Sent by the platform (due soon, overdue), not by a person.
    pub automatic: bool,
    pub sent_by: Option<i64>,
    pub sent_by_name: Option<String>,
    pub sent_at_ms: i64,
    /// `YYYY-MM-DD HH:MM` in the platform's time zone.
    pub sent_at: String,
    pub recipients: u32,
    pub emailed: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_limit_stays_within_bounds() {
        let q = |limit| NotificationQuery { limit, ..Default::default() };
        assert_eq!(q(None).limit(), 50);
        assert_eq!(q(Some(0)).limit(), 1);
        assert_eq!(q(Some(10_000)).limit(), 200);
    }

    #[test]
    fn marking_read_defaults_to_nothing() {
        let m: MarkRead = serde_json::from_str("{}").unwrap();
        assert_eq!(m, MarkRead::default());
        assert!(serde_json::from_str::<MarkRead>(r#"{"id": 1}"#).is_err());
    }
}
