//! UI text of the report pages (完成情况, 人员, 逾期, 学时, 学习档案,
//! 快照). Export headers are the domain's (`courses::report::table`).

use courses::Lang;

/// A fixed piece of report text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportText {
    Title,
    NoPermission,
    TabCompletion,
    TabMembers,
    TabOverdue,
    TabHours,
    TabSnapshots,
    AllCourses,
    /// Under the course filter: what 应学人次 counts.
    AssignedHint,
    Course,
    Show,
    Org,
    People,
    Assigned,
    Completed,
    Rate,
    Overdue,
    Started,
    OwnMembers,
    Total,
    ChartCompletion,
    ChartHours,
    Name,
    Role,
    Hours,
    Target,
    Subject,
    Due,
    DaysOverdue,
    Lessons,
    Makeup,
    AssignedCourse,
    NoRows,
    Truncated,
    Reached,
    Average,
    ExportCsv,
    ExportXlsx,
    TakeSnapshot,
    SnapshotTaken,
    NoSnapshots,
    TakenAt,
    Reason,
    ReasonManual,
    ReasonDeadline,
    SnapshotOf,
    FrozenNotice,
    Archive,
    Courses,
    StartedOn,
    CompletedOn,
    Years,
    Makeups,
    // A member's exam results in the 学习档案.
    Exams,
    Standing,
    Classes,
    NotGraduated,
    Certificate,
    Revoked,
    Exam,
    Score,
    ExamResult,
    Attempts,
    SubmittedOn,
    Passed,
    Failed,
    AwaitingGrading,
    AsOf,
    Drill,
    // The unfinished list (未完成名单).
    TabUnfinished,
    NoUnfinished,
    NobodyAssigned,
    RemindAt,
    RemindOnAssignments,
    // 学习档案: what each course and make-up is, in words.
    StudyType,
    TypeAssigned,
    TypeSelf,
    Status,
    NotDone,
    OverdueNotDone,
    MadeUp,
    NotMadeUp,
    OverdueNotMadeUp,
    HoursUnit,
    HeldOn,
    Topic,
    Attendance,
}

impl ReportText {
    /// The text in `lang`.
    pub fn get(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Self::Title => ("学习报表", "Reports"),
            Self::NoPermission => (
                "您没有权限查看组织报表，此功能仅向组织员和管理员开放。",
                "You are not allowed to read organization reports; they are for organizers and administrators.",
            ),
            Self::TabCompletion => ("完成情况", "Completion"),
            Self::TabMembers => ("人员", "Members"),
            Self::TabOverdue => ("逾期名单", "Overdue"),
            Self::TabHours => ("年度学时", "Study hours"),
            Self::TabSnapshots => ("报表快照", "Snapshots"),
            // What 应学人次 counts: courses assigned (布置) by a due day. A
            // 必修 course for an audience counts once it is assigned.
            Self::AllCourses => ("全部已布置课程", "All assigned courses"),
            Self::AssignedHint => (
                "应学人次只计已布置的学习任务；必修课程布置后才计入。",
                "Assigned counts courses assigned by a due date; a required course counts once it is assigned.",
            ),
            Self::Course => ("课程", "Course"),
            Self::Show => ("查看", "Show"),
            Self::Org => ("组织", "Org node"),
            Self::People => ("人数", "People"),
            Self::Assigned => ("应学人次", "Assigned"),
            Self::Completed => ("已完成", "Completed"),
            Self::Rate => ("完成率", "Completion"),
            Self::Overdue => ("逾期", "Overdue"),
            Self::Started => ("已开始", "Started"),
            Self::OwnMembers => ("（本级）", " (own members)"),
            Self::Total => ("合计", "Total"),
            Self::ChartCompletion => ("各组织完成率", "Completion by org node"),
            Self::ChartHours => ("各月学时", "Study hours by month"),
            Self::Name => ("姓名", "Name"),
            Self::Role => ("身份", "Role"),
            Self::Hours => ("学时", "Hours"),
            Self::Target => ("目标", "Target"),
            Self::Subject => ("课程或会议", "Course or meeting"),
            Self::Due => ("截止日期", "Due"),
            Self::DaysOverdue => ("逾期天数", "Days overdue"),
            Self::Lessons => ("课时进度", "Lessons"),
            Self::Makeup => ("会议补学", "Meeting make-up"),
            Self::AssignedCourse => ("课程任务", "Assigned course"),
            Self::NoRows => ("暂无数据。", "Nothing to show."),
            Self::Truncated => {
                ("仅显示前 2000 条，请导出查看全部。", "Only the first 2,000 rows are shown; export for all.")
            }
            Self::Reached => ("达标人数", "Reached target"),
            Self::Average => ("人均学时", "Average hours"),
            Self::ExportCsv => ("导出 CSV", "Export CSV"),
            Self::ExportXlsx => ("导出 Excel", "Export Excel"),
            Self::TakeSnapshot => ("保存快照", "Save a snapshot"),
            Self::SnapshotTaken => ("快照已保存。", "Snapshot saved."),
            Self::NoSnapshots => ("还没有快照。", "No snapshots yet."),
            Self::TakenAt => ("保存时间", "Taken"),
            Self::Reason => ("来源", "Source"),
            Self::ReasonManual => ("手动保存", "By hand"),
            Self::ReasonDeadline => ("截止日自动保存", "At the deadline"),
            Self::SnapshotOf => ("报表快照", "Report snapshot"),
            Self::FrozenNotice => (
                "这是保存时的报表，之后的学习和人员变动不会改变它。",
                "This is the report as it was when saved; later study and transfers do not change it.",
            ),
            Self::Archive => ("学习档案", "Learning record"),
            Self::Courses => ("课程", "Courses"),
            Self::StartedOn => ("开始日期", "Started"),
            Self::CompletedOn => ("完成日期", "Completed"),
            Self::Years => ("各年度学时", "Study hours by year"),
            Self::Makeups => ("会议补学", "Meeting make-ups"),
            Self::Exams => ("考试", "Exams"),
            Self::Standing => ("党员身份", "Party standing"),
            Self::Classes => ("培训班", "Party classes"),
            Self::NotGraduated => ("未结业", "Not yet graduated"),
            Self::Certificate => ("结业证书", "Certificate"),
            Self::Revoked => ("已撤销", "Revoked"),
            Self::Exam => ("考试名称", "Exam"),
            Self::Score => ("成绩", "Score"),
            Self::ExamResult => ("结果", "Result"),
            Self::Attempts => ("作答次数", "Attempts"),
            Self::SubmittedOn => ("交卷日期", "Submitted"),
            Self::Passed => ("通过", "Passed"),
            Self::Failed => ("未通过", "Failed"),
            Self::AwaitingGrading => ("待评分", "Awaiting grading"),
            Self::AsOf => ("统计日期", "As of"),
            Self::Drill => ("下级", "Below"),
            Self::TabUnfinished => ("未完成名单", "Not finished"),
            Self::NoUnfinished => ("应学人员都已完成。", "Everyone assigned has finished."),
            Self::NobodyAssigned => ("这里没有人需要学习所选课程。", "Nobody here is assigned what is chosen."),
            Self::RemindAt => ("提醒逾期人员", "Remind the overdue"),
            Self::RemindOnAssignments => {
                ("到课程指派页一键提醒逾期人员", "Remind the overdue from the assignments page")
            }
            Self::StudyType => ("学习类型", "Type"),
            Self::TypeAssigned => ("指派必学", "Assigned"),
            Self::TypeSelf => ("自主学习", "Self-chosen"),
            Self::Status => ("状态", "Status"),
            Self::NotDone => ("未完成", "Not finished"),
            Self::OverdueNotDone => ("逾期未完成", "Overdue"),
            Self::MadeUp => ("已补学", "Made up"),
            Self::NotMadeUp => ("未补学", "Not made up"),
            Self::OverdueNotMadeUp => ("逾期未补学", "Overdue"),
            Self::HoursUnit => (" 学时", " h"),
            Self::HeldOn => ("会议日期", "Held on"),
            Self::Topic => ("会议主题", "Topic"),
            Self::Attendance => ("出席情况", "Attendance"),
        };
        lang.pick(zh, en)
    }
}

/// "3 / 5".
pub fn of(done: u32, total: u32) -> String {
    format!("{done} / {total}")
}

/// A completion rate, or a dash when nothing was assigned.
pub fn rate(percent: Option<f64>) -> String {
    percent.map(|p| format!("{p:.1}%")).unwrap_or_else(|| "—".to_owned())
}

/// "共 3 人未完成" above the unfinished list.
pub fn unfinished_count(people: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("共 {people} 人未完成"),
        Lang::En => format!("{people} not finished"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_course_filter_says_it_counts_assigned_courses_only() {
        // 应学人次 counts assignments (tested in the API's organizer_views);
        // "必学" promised every required course, assigned or not.
        let zh = ReportText::AllCourses.get(Lang::Zh);
        assert!(zh.contains("已布置") && !zh.contains("必学"), "{zh}");
        assert_eq!(ReportText::AllCourses.get(Lang::En), "All assigned courses");
        assert!(ReportText::AssignedHint.get(Lang::Zh).contains("布置后才计入"));
    }
}
