//! UI text of the notification bell, the `/notifications` page and the
//! one-click reminder (一键提醒). The notifications' own text comes from
//! the server, already in the reader's language.

use courses::Lang;

/// A fixed piece of notification text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotifyText {
    Title,
    Empty,
    Unread,
    MarkRead,
    MarkAllRead,
    Open,
    Remind,
    RemindHint,
    Reminding,
    LogHeading,
    NoLog,
    Automatic,
}

impl NotifyText {
    /// The text in `lang`.
    pub fn get(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Self::Title => ("通知", "Notifications"),
            Self::Empty => ("暂无通知。", "No notifications."),
            Self::Unread => ("未读", "Unread"),
            Self::MarkRead => ("标为已读", "Mark read"),
            Self::MarkAllRead => ("全部标为已读", "Mark all read"),
            Self::Open => ("去完成", "Go to it"),
            Self::Remind => ("一键提醒逾期人员", "Remind everyone overdue"),
            Self::RemindHint => (
                "向已过截止日期、仍未完成的人员发送站内通知；填写了电子邮箱的人员同时收到邮件。",
                "Notifies everyone past the deadline who has not finished, in the app and by e-mail where an \
                 address is known.",
            ),
            Self::Reminding => ("正在发送提醒……", "Sending reminders…"),
            Self::LogHeading => ("提醒记录", "Reminders sent"),
            Self::NoLog => ("暂无提醒记录。", "No reminders sent yet."),
            Self::Automatic => ("系统自动提醒", "Automatic"),
        };
        lang.pick(zh, en)
    }
}

/// The bell's accessible name: how many are unread.
pub fn bell_label(unread: u64, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("通知：{unread} 条未读"),
        Lang::En => format!("Notifications: {unread} unread"),
    }
}

/// What a one-click reminder did; `again_at` is when it may be sent again.
pub fn reminded(reminded: u32, emailed: u32, again_at: &str, lang: Lang) -> String {
    match (reminded, lang) {
        (0, Lang::Zh) => "目前没有逾期未完成的人员，未发送提醒。".to_owned(),
        (0, Lang::En) => "Nobody is overdue; no reminder was sent.".to_owned(),
        (n, Lang::Zh) => format!("已提醒 {n} 人，其中 {emailed} 人同时收到邮件。{again_at} 后可再次提醒。"),
        (n, Lang::En) => format!("Reminded {n}; {emailed} of them also by e-mail. Can be sent again after {again_at}."),
    }
}

/// One line of the reminder log.
pub fn log_line(sent_at: &str, who: &str, recipients: u32, emailed: u32, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{sent_at} · {who} · 提醒 {recipients} 人（邮件 {emailed} 封）"),
        Lang::En => format!("{sent_at} · {who} · {recipients} reminded ({emailed} by e-mail)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_in_both_languages() {
        assert_eq!(reminded(3, 1, "15:30", Lang::Zh), "已提醒 3 人，其中 1 人同时收到邮件。15:30 后可再次提醒。");
        assert!(reminded(0, 0, "", Lang::En).starts_with("Nobody"));
        assert_eq!(bell_label(2, Lang::En), "Notifications: 2 unread");
        assert!(log_line("2026-03-01 10:00", "王书记", 2, 0, Lang::Zh).contains("提醒 2 人"));
    }
}
