//! 三会一课: meetings of an org node and the make-up study (补学) they
//! assign.
//!
//! An organizer records a meeting of a node they manage: its kind, date,
//! topic, the lessons used, and the attendance of everyone on the node's
//! roster (the people of the node and of every node below it). Everyone
//! absent or on leave owes make-up study of exactly those lessons by the
//! meeting's deadline; marking them present withdraws it (their study
//! progress stays, it belongs to the lessons). Made up means every lesson of
//! the meeting completed, whenever that happened.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

pub mod check;
pub mod date;
mod messages;
pub mod views;

pub use check::{CheckedMeeting, MeetingError};
pub use date::Date;
pub use views::{Attendee, MakeupLesson, MakeupTask, MeetingLesson, MeetingSummary, MeetingView};

/// Most lessons one meeting may use.
pub const MAX_LESSONS: usize = 20;
/// Days to make up a meeting unless the organizer says otherwise.
pub const DEFAULT_MAKEUP_DAYS: u32 = 14;
/// Longest make-up period, in days after the meeting.
pub const MAX_MAKEUP_DAYS: u32 = 365;

/// The kinds of 三会一课 meetings (and the 主题党日).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MeetingKind {
    /// 支部党员大会.
    BranchAssembly,
    /// 支委会.
    BranchCommittee,
    /// 党小组会.
    GroupMeeting,
    /// 党课.
    PartyLecture,
    /// 主题党日.
    ThemeDay,
}

impl MeetingKind {
    pub const ALL: [MeetingKind; 5] =
        [Self::BranchAssembly, Self::BranchCommittee, Self::GroupMeeting, Self::PartyLecture, Self::ThemeDay];

    /// The stable code stored and sent over the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BranchAssembly => "branch_assembly",
            Self::BranchCommittee => "branch_committee",
            Self::GroupMeeting => "group_meeting",
            Self::PartyLecture => "party_lecture",
            Self::ThemeDay => "theme_day",
        }
    }

    pub fn parse(code: &str) -> Option<MeetingKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == code.trim())
    }

    /// What people call it.
    pub fn name(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Self::BranchAssembly => ("支部党员大会", "Branch general meeting"),
            Self::BranchCommittee => ("支委会", "Branch committee meeting"),
            Self::GroupMeeting => ("党小组会", "Party group meeting"),
            Self::PartyLecture => ("党课", "Party lecture"),
            Self::ThemeDay => ("主题党日", "Themed Party Day"),
        };
        lang.pick(zh, en)
    }
}

/// Whether someone on the roster attended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    /// 出席.
    Present,
    /// 缺席.
    Absent,
    /// 请假.
    Leave,
}

impl Attendance {
    pub const ALL: [Attendance; 3] = [Self::Present, Self::Absent, Self::Leave];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Present => "present",
            Self::Absent => "absent",
            Self::Leave => "leave",
        }
    }

    pub fn parse(code: &str) -> Option<Attendance> {
        Self::ALL.into_iter().find(|a| a.as_str() == code.trim())
    }

    /// Absent and on-leave members make the meeting up.
    pub fn owes_makeup(self) -> bool {
        self != Self::Present
    }

    pub fn name(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Self::Present => ("出席", "Present"),
            Self::Absent => ("缺席", "Absent"),
            Self::Leave => ("请假", "On leave"),
        };
        lang.pick(zh, en)
    }
}

/// One person's attendance as the organizer sends it. The status is a
/// code (`present`, `absent`, `leave`), checked with a message naming the
/// choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AttendanceIn {
    pub person_id: i64,
    /// `present` (出席), `absent` (缺席) or `leave` (请假).
    pub status: String,
}

fn default_makeup_days() -> u32 {
    DEFAULT_MAKEUP_DAYS
}

/// `POST /api/v1/meetings`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewMeeting {
    /// The node whose meeting it is (typically a branch) that the caller
    /// manages.
    pub org_id: i64,
    /// `branch_assembly` (支部党员大会), `branch_committee` (支委会),
    /// `group_meeting` (党小组会), `party_lecture` (党课) or `theme_day`
    /// (主题党日).
    pub kind: String,
    /// `YYYY-MM-DD`, not after today.
    pub held_on: String,
    pub topic: String,
    /// 1–20 lessons of published courses the caller manages: the material
    /// absent members make up.
    pub lesson_ids: Vec<i64>,
    /// Days after the meeting to make it up, 1–365 (default 14).
    #[serde(default = "default_makeup_days")]
    pub makeup_days: u32,
    /// Everyone on the node's roster (its people and those of every node
    /// below it; a class session's: the class's students), each exactly
    /// once.
    pub attendance: Vec<AttendanceIn>,
    /// A party class's offline session (集中学习): the class, of this node.
    #[serde(default)]
    pub class_id: Option<i64>,
    /// A class session's length in minutes (1–1440), which the class's
    /// absence limit counts.
    #[serde(default)]
    pub minutes: u32,
}

/// `PUT /api/v1/meetings/{id}/attendance`: changes for some people of the
/// meeting's roster; the others stay as they are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AttendanceUpdate {
    pub attendance: Vec<AttendanceIn>,
}

/// `PUT /api/v1/meetings/{id}/deadline`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeadlineUpdate {
    /// Last day of make-up study, `YYYY-MM-DD`: from the meeting's date to
    /// 365 days after it.
    pub deadline: String,
}

/// `GET /api/v1/meetings` query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(default, deny_unknown_fields)]
pub struct MeetingQuery {
    /// Only meetings of this node and the nodes below it.
    pub org_id: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_and_round_trip() {
        for k in MeetingKind::ALL {
            assert_eq!(MeetingKind::parse(k.as_str()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
            assert_ne!(k.name(Lang::Zh), k.name(Lang::En));
        }
        for a in Attendance::ALL {
            assert_eq!(Attendance::parse(a.as_str()), Some(a));
            assert_eq!(serde_json::to_value(a).unwrap(), a.as_str());
        }
        assert_eq!(MeetingKind::parse("党课"), None);
        assert_eq!(MeetingKind::PartyLecture.name(Lang::Zh), "党课");
        assert!(!Attendance::Present.owes_makeup());
        assert!(Attendance::Absent.owes_makeup() && Attendance::Leave.owes_makeup());
    }

    #[test]
    fn makeup_days_default_to_fourteen() {
        let m: NewMeeting = serde_json::from_value(serde_json::json!({
            "org_id": 1, "kind": "party_lecture", "held_on": "2026-03-15", "topic": "t",
            "lesson_ids": [1], "attendance": []
        }))
        .unwrap();
        assert_eq!(m.makeup_days, 14);
    }
}
