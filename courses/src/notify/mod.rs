//! Reminders and in-app notifications.
//!
//! A notification is stored as a [`NotificationKind`] and a [`Payload`]
//! (what it is about, as facts: ids, titles, dates) and rendered in the
//! reader's language when read ([`render`]), so switching the UI language
//! also switches old notifications. The same rendering gives the e-mail
//! ([`email`]), which goes out in Chinese with the English text below it.
//!
//! Reminders come in two ways:
//! - **Automatic**: a make-up task (补学) or an assigned course not done
//!   whose deadline is a few days away (due soon) or has passed (overdue);
//!   each person gets each of these once per subject.
//! - **By an organizer** (一键提醒): everyone still overdue on a meeting or
//!   an assignment, at most once per subject within a cooldown.

use serde::{Deserialize, Serialize};

use crate::meeting::MeetingKind;

mod render;
pub mod views;

pub use render::{cooldown, email, render, Mail, Message};
pub use views::{
    MarkRead, NotificationList, NotificationQuery, NotificationView, RemindOutcome, ReminderLogEntry, ReminderQuery,
    UnreadCount,
};

/// What a reminder is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    /// A meeting's make-up study (补学).
    Meeting,
    /// An assigned course.
    Assignment,
    /// A notice to read.
    Notice,
}

impl SubjectKind {
    pub const ALL: [SubjectKind; 3] = [Self::Meeting, Self::Assignment, Self::Notice];

    /// The code stored in `reminder_log` and `reminders_sent`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Meeting => "meeting",
            Self::Assignment => "assignment",
            Self::Notice => "notice",
        }
    }

    pub fn parse(code: &str) -> Option<SubjectKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == code.trim())
    }
}

/// Why an automatic reminder goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The deadline is today or within the configured number of days.
    DueSoon,
    /// The deadline has passed.
    Overdue,
    /// The task was just given (a meeting recorded the person absent, or
    /// an organizer assigned a course): told at once, not only when due.
    New,
}

impl Reason {
    /// The code stored in `reminders_sent`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DueSoon => "due_soon",
            Self::Overdue => "overdue",
            Self::New => "new",
        }
    }

    pub const ALL: [Reason; 3] = [Self::DueSoon, Self::Overdue, Self::New];

    /// Whether a task due on `deadline` and not done warrants a reminder
    /// `today`, and which: overdue once the day has passed, due soon from
    /// `due_soon_days` days before it up to the day itself.
    pub fn on(today: crate::meeting::Date, deadline: crate::meeting::Date, due_soon_days: u32) -> Option<Reason> {
        let left = today.days_until(deadline);
        if left < 0 {
            Some(Self::Overdue)
        } else if left <= i64::from(due_soon_days) {
            Some(Self::DueSoon)
        } else {
            None
        }
    }
}

/// The kinds of notifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    MakeupDueSoon,
    MakeupOverdue,
    AssignmentDueSoon,
    AssignmentOverdue,
    /// An organizer reminded everyone overdue (一键提醒).
    OrganizerReminder,
    /// A make-up task was just given.
    MakeupNew,
    /// A course was just assigned.
    AssignmentNew,
    /// A notice was published for the person.
    NoticeNew,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 8] = [
        Self::MakeupDueSoon,
        Self::MakeupOverdue,
        Self::AssignmentDueSoon,
        Self::AssignmentOverdue,
        Self::OrganizerReminder,
        Self::MakeupNew,
        Self::AssignmentNew,
        Self::NoticeNew,
    ];

    /// The code stored in `notifications.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MakeupDueSoon => "makeup_due_soon",
            Self::MakeupOverdue => "makeup_overdue",
            Self::AssignmentDueSoon => "assignment_due_soon",
            Self::AssignmentOverdue => "assignment_overdue",
            Self::OrganizerReminder => "organizer_reminder",
            Self::MakeupNew => "makeup_new",
            Self::AssignmentNew => "assignment_new",
            Self::NoticeNew => "notice_new",
        }
    }

    pub fn parse(code: &str) -> Option<NotificationKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == code.trim())
    }

    /// The kind of an automatic reminder.
    pub fn automatic(subject: SubjectKind, reason: Reason) -> NotificationKind {
        match (subject, reason) {
            (SubjectKind::Meeting, Reason::DueSoon) => Self::MakeupDueSoon,
            (SubjectKind::Meeting, Reason::Overdue) => Self::MakeupOverdue,
            (SubjectKind::Assignment, Reason::DueSoon) => Self::AssignmentDueSoon,
            (SubjectKind::Assignment, Reason::Overdue) => Self::AssignmentOverdue,
            (SubjectKind::Meeting, Reason::New) => Self::MakeupNew,
            (SubjectKind::Assignment, Reason::New) => Self::AssignmentNew,
            // A notice has no due-soon or overdue reminder of its own: its
            // unread readers are reminded by hand.
            (SubjectKind::Notice, _) => Self::NoticeNew,
        }
    }
}

/// What a notification is about, as stored (JSON in `notifications.payload`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Subject {
    /// Make-up study of a meeting the person missed.
    Makeup {
        meeting_id: i64,
        meeting_kind: MeetingKind,
        topic: String,
        held_on: String,
        deadline: String,
        /// Where to start: the first lesson not yet completed when sent.
        lesson_id: Option<i64>,
    },
    /// A course assigned to the person.
    Assignment { assignment_id: i64, course_id: i64, course_title: String, due_on: String },
    /// A notice for the person to read (by `read_by`, if must-read).
    Notice { notice_id: i64, title: String, must_read: bool, read_by: Option<String> },
}

impl Subject {
    pub fn kind(&self) -> SubjectKind {
        match self {
            Self::Makeup { .. } => SubjectKind::Meeting,
            Self::Assignment { .. } => SubjectKind::Assignment,
            Self::Notice { .. } => SubjectKind::Notice,
        }
    }

    /// Where the person goes to do it: the lesson to study or the course
    /// (members cannot open `/meetings/...`); without a lesson, the home
    /// page, which lists make-up tasks first.
    pub fn link(&self) -> String {
        match self {
            Self::Makeup { lesson_id: Some(id), .. } => format!("/lessons/{id}"),
            Self::Makeup { lesson_id: None, .. } => "/".to_owned(),
            Self::Assignment { course_id, .. } => format!("/courses/{course_id}"),
            Self::Notice { notice_id, .. } => format!("/notices/{notice_id}"),
        }
    }
}

/// A notification's stored facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payload {
    pub subject: Subject,
    /// The organizer's name, for a reminder sent by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meeting::Date;

    #[test]
    fn codes_are_stable_and_round_trip() {
        for k in NotificationKind::ALL {
            assert_eq!(NotificationKind::parse(k.as_str()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
        for k in SubjectKind::ALL {
            assert_eq!(SubjectKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(Reason::Overdue.as_str(), "overdue");
        assert_eq!(
            NotificationKind::automatic(SubjectKind::Assignment, Reason::DueSoon).as_str(),
            "assignment_due_soon"
        );
    }

    #[test]
    fn due_soon_starts_the_configured_days_before_and_overdue_the_day_after() {
        let d = |s| Date::parse(s).unwrap();
        let deadline = d("2026-03-20");
        assert_eq!(Reason::on(d("2026-03-16"), deadline, 3), None);
        assert_eq!(Reason::on(d("2026-03-17"), deadline, 3), Some(Reason::DueSoon));
        assert_eq!(Reason::on(d("2026-03-20"), deadline, 3), Some(Reason::DueSoon));
        assert_eq!(Reason::on(d("2026-03-21"), deadline, 3), Some(Reason::Overdue));
        assert_eq!(Reason::on(d("2026-03-20"), deadline, 0), Some(Reason::DueSoon));
    }

    #[test]
    fn payloads_round_trip_and_members_are_linked_to_what_they_study() {
        let p = Payload {
            subject: Subject::Makeup {
                meeting_id: 4,
                meeting_kind: MeetingKind::PartyLecture,
                topic: "学习新党章".into(),
                held_on: "2026-03-01".into(),
                deadline: "2026-03-15".into(),
                lesson_id: Some(9),
            },
            from: None,
        };
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<Payload>(&json).unwrap(), p);
        assert!(!json.contains("from"), "{json}");
        assert_eq!(p.subject.link(), "/lessons/9");
        let a = Subject::Assignment {
            assignment_id: 1,
            course_id: 7,
            course_title: "党章".into(),
            due_on: "2026-04-01".into(),
        };
        assert_eq!(a.link(), "/courses/7");
        assert_eq!(a.kind(), SubjectKind::Assignment);
    }
}
