//! Meetings and make-up tasks as the API shows them, and the rules that
//! count and order them: 应到 / 实到 / 已补学, who is still missing, and a
//! member's tasks with the open ones first.

use serde::{Deserialize, Serialize};

use super::{Attendance, MeetingKind};
use crate::progress::LessonKind;

/// A lesson a meeting used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingLesson {
    pub id: i64,
    pub course_id: i64,
    pub course_title: String,
    pub title: String,
    pub kind: LessonKind,
}

/// One person on a meeting's roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attendee {
    pub person_id: i64,
    pub name: String,
    pub login: String,
    pub status: Attendance,
    /// Lessons of the meeting this person has completed (at any time).
    pub lessons_completed: u32,
    /// Absent or on leave, and every lesson of the meeting completed.
    pub made_up: bool,
}

impl Attendee {
    /// Owes make-up study and has not finished it.
    pub fn missing(&self) -> bool {
        self.status.owes_makeup() && !self.made_up
    }
}

/// A meeting in a list: what it was and its 应到 / 实到 / 已补学 counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingSummary {
    pub id: i64,
    pub org_id: i64,
    /// Names from the root down to the node, joined by `/`.
    pub org_name_path: String,
    pub kind: MeetingKind,
    /// `YYYY-MM-DD`.
    pub held_on: String,
    pub topic: String,
    /// Last day of make-up study, `YYYY-MM-DD`.
    pub deadline: String,
    pub lesson_count: u32,
    /// 应到: everyone on the roster.
    pub expected: u32,
    /// 实到.
    pub present: u32,
    /// 缺席.
    pub absent: u32,
    /// 请假.
    pub on_leave: u32,
    /// 已补学: absent or on leave, and every lesson completed.
    pub made_up: u32,
    /// Unix seconds.
    pub created_at: i64,
}

/// The counts of a roster, as `(expected, present, absent, on_leave,
/// made_up)`.
pub fn tally(roster: &[Attendee]) -> (u32, u32, u32, u32, u32) {
    let n = |f: &dyn Fn(&Attendee) -> bool| u32::try_from(roster.iter().filter(|a| f(a)).count()).unwrap_or(u32::MAX);
    (
        n(&|_| true),
        n(&|a| a.status == Attendance::Present),
        n(&|a| a.status == Attendance::Absent),
        n(&|a| a.status == Attendance::Leave),
        n(&|a| a.status.owes_makeup() && a.made_up),
    )
}

/// `GET /api/v1/meetings/{id}`: the meeting with its lessons, everyone's
/// attendance and make-up progress, and who still has to make it up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingView {
    #[serde(flatten)]
    pub summary: MeetingSummary,
    pub lessons: Vec<MeetingLesson>,
    /// The whole roster, by name.
    pub attendance: Vec<Attendee>,
    /// Absent or on leave and not yet made up, by name.
    pub missing: Vec<Attendee>,
}

/// A lesson of a make-up task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MakeupLesson {
    #[serde(flatten)]
    pub lesson: MeetingLesson,
    pub completed: bool,
    /// Whether the member may open it now (its course could have been
    /// unpublished or re-aimed since the meeting).
    pub available: bool,
}

/// `GET /api/v1/me/makeups`: one meeting the member has to make up (or has
/// made up).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MakeupTask {
    pub meeting_id: i64,
    pub kind: MeetingKind,
    pub held_on: String,
    pub topic: String,
    pub org_name_path: String,
    /// Why the member owes it: `absent` or `leave`.
    pub status: Attendance,
    /// Last day, `YYYY-MM-DD` (inclusive).
    pub deadline: String,
    pub lessons: Vec<MakeupLesson>,
    /// Every lesson completed.
    pub done: bool,
    /// Not done and the deadline has passed.
    pub overdue: bool,
}

/// Open tasks first, soonest deadline first; then done ones, latest
/// deadline first. Ties by meeting, newest first.
pub fn arrange(tasks: &mut [MakeupTask]) {
    tasks.sort_by(|a, b| {
        a.done
            .cmp(&b.done)
            .then_with(|| match a.done {
                false => a.deadline.cmp(&b.deadline),
                true => b.deadline.cmp(&a.deadline),
            })
            .then(b.meeting_id.cmp(&a.meeting_id))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attendee(person_id: i64, status: Attendance, made_up: bool) -> Attendee {
        let name = format!("p{person_id}");
        Attendee { person_id, login: name.clone(), name, status, lessons_completed: 0, made_up }
    }

    #[test]
    fn the_tally_counts_expected_present_and_made_up() {
        use Attendance::*;
        let roster = [
            attendee(1, Present, false),
            attendee(2, Present, false),
            attendee(3, Absent, true),
            attendee(4, Absent, false),
            attendee(5, Leave, true),
        ];
        assert_eq!(tally(&roster), (5, 2, 2, 1, 2));
        let missing: Vec<i64> = roster.iter().filter(|a| a.missing()).map(|a| a.person_id).collect();
        assert_eq!(missing, [4]);
        assert_eq!(tally(&[]), (0, 0, 0, 0, 0));
    }

    fn task(meeting_id: i64, deadline: &str, done: bool) -> MakeupTask {
        MakeupTask {
            meeting_id,
            kind: MeetingKind::PartyLecture,
            held_on: "2026-01-01".into(),
            topic: "t".into(),
            org_name_path: "o".into(),
            status: Attendance::Absent,
            deadline: deadline.into(),
            lessons: vec![],
            done,
            overdue: false,
        }
    }

    #[test]
    fn open_tasks_come_first_by_deadline_then_done_ones() {
        let mut tasks = vec![
            task(1, "2026-02-01", true),
            task(2, "2026-03-01", false),
            task(3, "2026-01-15", false),
            task(4, "2026-04-01", true),
            task(5, "2026-03-01", false),
        ];
        arrange(&mut tasks);
        let ids: Vec<i64> = tasks.iter().map(|t| t.meeting_id).collect();
        assert_eq!(ids, [3, 5, 2, 4, 1]);
    }
}
