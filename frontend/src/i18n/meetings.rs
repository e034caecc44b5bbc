//! UI text of the meeting pages (三会一课) and of the make-up tasks (补学)
//! on the home page. Kinds and attendance statuses are named by the domain
//! (`MeetingKind::name`, `Attendance::name`).

use courses::Lang;

/// A fixed piece of meeting text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingText {
    Title,
    NoPermission,
    ListHeading,
    NoMeetings,
    RecordHeading,
    Node,
    Kind,
    Date,
    Topic,
    Lessons,
    NoLessonsToPick,
    MakeupDays,
    Attendance,
    NoRoster,
    AllPresent,
    Record,
    Expected,
    Present,
    MadeUp,
    Deadline,
    Roster,
    ColName,
    ColStatus,
    ColMadeUp,
    ColChange,
    NotMadeUp,
    Missing,
    NobodyMissing,
    BackToList,
    Open,
    Changed,
    // Home page.
    MakeupsHeading,
    MakeupsIntro,
    Overdue,
    Done,
    DoneTasks,
    LessonDone,
    LessonTodo,
    Unavailable,
}

impl MeetingText {
    /// The text in `lang`.
    pub fn get(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Self::Title => ("会议", "Meetings"),
            Self::NoPermission => (
                "您没有权限管理会议，此功能仅向组织员和管理员开放。",
                "You are not allowed to manage meetings; this is for organizers and administrators.",
            ),
            Self::ListHeading => ("会议记录", "Recorded meetings"),
            Self::NoMeetings => ("暂无会议记录。", "No meetings recorded yet."),
            Self::RecordHeading => ("记录会议", "Record a meeting"),
            Self::Node => ("组织", "Organization"),
            Self::Kind => ("会议类型", "Kind"),
            Self::Date => ("日期", "Date"),
            Self::Topic => ("主题", "Topic"),
            Self::Lessons => ("学习内容（缺席者须补学）", "Material (those absent make it up)"),
            Self::NoLessonsToPick => (
                "暂无可选课时：请先发布本组织的课程。",
                "No lessons to choose: publish a course of your organization first.",
            ),
            Self::MakeupDays => ("补学期限（天）", "Days to make it up"),
            Self::Attendance => ("出席情况", "Attendance"),
            Self::NoRoster => ("该组织下暂无人员。", "Nobody belongs to this organization."),
            Self::AllPresent => ("全部出席", "All present"),
            Self::Record => ("保存会议记录", "Save the meeting"),
            Self::Expected => ("应到", "Expected"),
            Self::Present => ("实到", "Present"),
            Self::MadeUp => ("已补学", "Made up"),
            Self::Deadline => ("补学截止", "Make-up deadline"),
            Self::Roster => ("参会人员", "Roster"),
            Self::ColName => ("姓名", "Name"),
            Self::ColStatus => ("出席情况", "Attendance"),
            Self::ColMadeUp => ("补学", "Make-up"),
            Self::ColChange => ("更改", "Change"),
            Self::NotMadeUp => ("未补学", "Not yet"),
            Self::Missing => ("尚未补学", "Still to make it up"),
            Self::NobodyMissing => ("无人待补学。", "Nobody is missing."),
            Self::BackToList => ("返回会议列表", "Back to the meetings"),
            Self::Open => ("查看", "Open"),
            Self::Changed => ("已更改。", "Changed."),
            Self::MakeupsHeading => ("补学任务", "Make-up study"),
            Self::MakeupsIntro => (
                "您缺席或请假的会议，请在截止日期前学完以下内容。",
                "Meetings you missed: study their material by the deadline.",
            ),
            Self::Overdue => ("已逾期", "Overdue"),
            Self::Done => ("已完成", "Done"),
            Self::DoneTasks => ("已完成的补学", "Make-up study done"),
            Self::LessonDone => ("已学完", "Completed"),
            Self::LessonTodo => ("未学完", "Not completed"),
            Self::Unavailable => ("暂不可学习", "Not available now"),
        };
        lang.pick(zh, en)
    }
}

/// "截止 2026-03-29".
pub fn due_by(deadline: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("截止 {deadline}"),
        Lang::En => format!("Due {deadline}"),
    }
}

/// 应到 / 实到 / 已补学 in one line.
pub fn counts(expected: u32, present: u32, made_up: u32, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("应到 {expected} 人，实到 {present} 人，已补学 {made_up} 人"),
        Lang::En => format!("{expected} expected, {present} present, {made_up} made up"),
    }
}

/// How many of a meeting's lessons someone completed.
pub fn lessons_done(done: u32, total: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("已学 {done}/{total}"),
        Lang::En => format!("{done}/{total} done"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_as_organizers_say_them() {
        assert_eq!(counts(5, 3, 1, Lang::Zh), "应到 5 人，实到 3 人，已补学 1 人");
        assert_eq!(counts(5, 3, 1, Lang::En), "5 expected, 3 present, 1 made up");
        assert_eq!(due_by("2026-03-29", Lang::Zh), "截止 2026-03-29");
        assert_eq!(lessons_done(1, 2, Lang::En), "1/2 done");
    }

    #[test]
    fn every_text_differs_between_languages() {
        for t in [MeetingText::Title, MeetingText::MakeupsHeading, MeetingText::Overdue, MeetingText::MadeUp] {
            assert_ne!(t.get(Lang::Zh), t.get(Lang::En));
        }
    }
}
