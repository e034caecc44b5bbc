//! UI text of the assignment pages: organizers assign a course to nodes,
//! roles or people by a due day and follow their members' progress.

use courses::assignment::TargetView;
use courses::Lang;

use super::role_title;

/// A fixed piece of assignment text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignmentText {
    Title,
    NoPermission,
    ListHeading,
    NoAssignments,
    CreateHeading,
    Node,
    Course,
    PickCourse,
    NoCourses,
    Target,
    TargetHelp,
    TargetNodes,
    TargetRoles,
    TargetPeople,
    PickNode,
    NoPeopleChosen,
    RemovePerson,
    DueOn,
    Assign,
    BackToList,
    Members,
    Done,
    Overdue,
    NotDone,
    NobodyAssigned,
    MoreMembers,
    ChangeDue,
    DueChanged,
    Delete,
    ConfirmDelete,
    Cancel,
}

impl AssignmentText {
    /// The text in `lang`.
    pub fn get(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Self::Title => ("课程指派", "Assignments"),
            Self::NoPermission => (
                "您没有权限指派课程，此功能仅向组织员和管理员开放。",
                "You are not allowed to assign courses; this is for organizers and administrators.",
            ),
            Self::ListHeading => ("已指派的课程", "Assigned courses"),
            Self::NoAssignments => ("暂无指派。", "Nothing assigned yet."),
            Self::CreateHeading => ("指派课程", "Assign a course"),
            Self::Node => ("组织", "Organization"),
            Self::Course => ("课程", "Course"),
            Self::PickCourse => ("请选择课程", "Choose a course"),
            Self::NoCourses => (
                "暂无可指派的课程：请先发布课程。",
                "No course to assign: publish a course first.",
            ),
            Self::Target => ("指派对象", "Assigned to"),
            Self::TargetHelp => (
                "所选组织包含其下级组织；勾选角色则只指派这些角色的人员；另可指定人员。",
                "An organization includes those below it; ticked roles narrow it to those roles; people can be added by name.",
            ),
            Self::TargetNodes => ("组织", "Organizations"),
            Self::TargetRoles => ("角色（不选为全部）", "Roles (none: everyone)"),
            Self::TargetPeople => ("指定人员", "People by name"),
            Self::PickNode => ("从组织中选择人员…", "Pick people from…"),
            Self::NoPeopleChosen => ("未指定人员。", "Nobody named."),
            Self::RemovePerson => ("移除", "Remove"),
            Self::DueOn => ("截止日期", "Due date"),
            Self::Assign => ("指派", "Assign"),
            Self::BackToList => ("返回指派列表", "Back to the assignments"),
            Self::Members => ("学习人员", "Members"),
            Self::Done => ("已完成", "Done"),
            Self::Overdue => ("已逾期", "Overdue"),
            Self::NotDone => ("未完成", "Not done"),
            Self::NobodyAssigned => ("当前没有人员。", "Nobody is assigned now."),
            Self::MoreMembers => (
                "仅列出前 500 人（未完成的在前）；全部人员请看学习报表或导出。",
                "Only the first 500 are listed (those not done first); the report and its exports list everyone.",
            ),
            Self::ChangeDue => ("修改截止日期", "Change the due date"),
            Self::DueChanged => ("截止日期已修改。", "The due date has been changed."),
            Self::Delete => ("删除指派", "Delete the assignment"),
            Self::ConfirmDelete => ("确认删除（学习进度会保留）", "Delete it (study progress is kept)"),
            Self::Cancel => ("取消", "Cancel"),
        };
        lang.pick(zh, en)
    }
}

/// Who an assignment is for, in one line.
pub fn target_text(t: &TargetView, lang: Lang) -> String {
    let sep = lang.pick("、", ", ");
    let join = |names: Vec<&str>| names.join(sep);
    let mut parts = Vec::new();
    if !t.orgs.is_empty() {
        let nodes = join(t.orgs.iter().map(|o| o.name.as_str()).collect());
        parts.push(match lang {
            Lang::Zh => format!("{nodes}（含下级）"),
            Lang::En => format!("{nodes} and below"),
        });
        if !t.roles.is_empty() || !t.standings.is_empty() {
            let roles = t.roles.iter().map(|r| role_title(*r, lang));
            let roles = join(t.standings.iter().map(|s| s.name(lang)).chain(roles).collect());
            parts.push(match lang {
                Lang::Zh => format!("仅{roles}"),
                Lang::En => format!("{roles} only"),
            });
        }
    }
    if !t.people.is_empty() {
        let people = join(t.people.iter().map(|p| p.name.as_str()).collect());
        parts.push(match (lang, t.orgs.is_empty()) {
            (Lang::Zh, true) => people,
            (Lang::Zh, false) => format!("另加：{people}"),
            (Lang::En, true) => people,
            (Lang::En, false) => format!("plus {people}"),
        });
    }
    parts.join(" · ")
}

/// How far the members are, in one line.
pub fn progress(done: u32, members: u32, overdue: u32, lang: Lang) -> String {
    match (lang, overdue) {
        (Lang::Zh, 0) => format!("已完成 {done}/{members} 人"),
        (Lang::Zh, _) => format!("已完成 {done}/{members} 人，逾期 {overdue} 人"),
        (Lang::En, 0) => format!("{done} of {members} done"),
        (Lang::En, _) => format!("{done} of {members} done, {overdue} overdue"),
    }
}

/// "截止 2026-03-29".
pub fn due_by(day: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("截止 {day}"),
        Lang::En => format!("Due {day}"),
    }
}

/// A member's lessons done, or the day they completed the course.
pub fn member_progress(done: u32, total: u32, completed_on: Option<&str>, lang: Lang) -> String {
    match (completed_on, lang) {
        (Some(day), Lang::Zh) => format!("{day} 完成"),
        (Some(day), Lang::En) => format!("completed {day}"),
        (None, Lang::Zh) => format!("已学 {done}/{total} 课时"),
        (None, Lang::En) => format!("{done}/{total} lessons"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use courses::assignment::NamedRef;
    use courses::Role;

    fn named(id: i64, name: &str) -> NamedRef {
        NamedRef { id, name: name.into() }
    }

    #[test]
    fn targets_read_as_organizers_say_them() {
        let t = TargetView {
            orgs: vec![named(1, "第一党支部"), named(2, "第二党支部")],
            roles: vec![Role::Member],
            standings: vec![courses::Standing::Activist, courses::Standing::Candidate],
            people: vec![named(9, "刘青")],
        };
        assert_eq!(
            target_text(&t, Lang::Zh),
            "第一党支部、第二党支部（含下级） · 仅入党积极分子、发展对象、学员 · 另加：刘青"
        );
        assert_eq!(
            target_text(&t, Lang::En),
            "第一党支部, 第二党支部 and below · Activist, Candidate for membership, Learner only · plus 刘青"
        );
        let only_people = TargetView { people: vec![named(9, "刘青")], ..TargetView::default() };
        assert_eq!(target_text(&only_people, Lang::Zh), "刘青");
    }

    #[test]
    fn progress_mentions_overdue_only_when_there_are_some() {
        assert_eq!(progress(3, 10, 0, Lang::Zh), "已完成 3/10 人");
        assert_eq!(progress(3, 10, 2, Lang::En), "3 of 10 done, 2 overdue");
        assert_eq!(member_progress(1, 4, None, Lang::Zh), "已学 1/4 课时");
        assert_eq!(member_progress(4, 4, Some("2026-03-01"), Lang::En), "completed 2026-03-01");
    }

    #[test]
    fn every_text_differs_between_languages() {
        for t in [AssignmentText::Title, AssignmentText::Assign, AssignmentText::Overdue, AssignmentText::DueOn] {
            assert_ne!(t.get(Lang::Zh), t.get(Lang::En));
        }
    }
}
