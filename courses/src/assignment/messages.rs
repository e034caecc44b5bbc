//! Messages for assignment errors, in Chinese and English.

use super::check::AssignmentError;
use crate::i18n::{Lang, Localize};

impl Localize for AssignmentError {
    fn localize(&self, lang: Lang) -> String {
        let fixed = |zh: &str, en: &str| lang.pick(zh, en).to_owned();
        match self {
            Self::BadDueDate => fixed(
                "截止日期须写作 YYYY-MM-DD，例如 2026-12-31。",
                "The due date must be written YYYY-MM-DD, for example 2026-12-31.",
            ),
            Self::PastDueDate => fixed("截止日期不能早于今天。", "The due date cannot be before today."),
            Self::DueTooFar => {
                fixed("截止日期最多只能设在三年之后。", "The due date can be at most three years ahead.")
            }
            Self::EmptyTarget => fixed(
                "请至少选择一个组织或一名人员作为学习对象。",
                "Choose at least one org node or one person to assign the course to.",
            ),
            Self::TargetTooLarge => fixed(
                "指派对象的组织、角色或人员各不能超过 500 个。",
                "A target may list at most 500 org nodes, roles or people.",
            ),
            Self::BadTarget => fixed(
                "指派对象中有不存在或不在所选组织范围内的组织或人员，请重新选择。",
                "The target names an org node or person that does not exist or lies outside the chosen org node; \
                 choose again.",
            ),
            Self::UnknownCourse => fixed(
                "所选课程不存在，或您无权指派该课程。",
                "The chosen course does not exist or you may not assign it.",
            ),
            Self::UnpublishedCourse { course } => match lang {
                Lang::Zh => format!("课程“{course}”尚未发布，指派后无人能学习；请先发布课程。"),
                Lang::En => {
                    format!("The course `{course}` is not published, so nobody could study it; publish it first.")
                }
            },
            Self::NobodyAssigned => fixed(
                "所选组织和角色下没有任何人员，请调整指派对象。",
                "Nobody matches the chosen org nodes and roles; change the target.",
            ),
            Self::CannotStudy { count, names } => match lang {
                Lang::Zh => format!(
                    "指派对象中有 {count} 人不在该课程的学习对象中，无法学习（{}）；请调整课程的学习对象或指派对象。",
                    names.join("、")
                ),
                Lang::En => format!(
                    "{count} of the people assigned are not in the course's audience and could not study it ({}); \
                     widen the course's audience or narrow the target.",
                    names.join(", ")
                ),
            },
            Self::AlreadyAssigned { due_on } => match lang {
                Lang::Zh => format!(
                    "该组织已把这门课程指派给相同的学习对象（截止日期 {due_on}），本次没有重复指派。\
                     如需调整期限，请在原有指派中修改截止日期。"
                ),
                Lang::En => format!(
                    "This org node has already assigned this course to the same people (due {due_on}), so it was not \
                     assigned again. To change the deadline, change the due date of the existing assignment."
                ),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_reads_in_both_languages() {
        let all = [
            AssignmentError::BadDueDate,
            AssignmentError::PastDueDate,
            AssignmentError::DueTooFar,
            AssignmentError::EmptyTarget,
            AssignmentError::TargetTooLarge,
            AssignmentError::BadTarget,
            AssignmentError::UnknownCourse,
            AssignmentError::UnpublishedCourse { course: "党章".into() },
            AssignmentError::NobodyAssigned,
            AssignmentError::CannotStudy { count: 2, names: vec!["张红".into(), "李学习".into()] },
            AssignmentError::AlreadyAssigned { due_on: "2026-12-20".into() },
        ];
        for e in all {
            let (zh, en) = (e.localize(Lang::Zh), e.localize(Lang::En));
            assert!(!zh.is_empty() && !en.is_empty() && zh != en, "{e:?}");
        }
        let cannot = AssignmentError::CannotStudy { count: 2, names: vec!["张红".into(), "李学习".into()] };
        assert!(cannot.localize(Lang::Zh).contains("2 人") && cannot.localize(Lang::Zh).contains("张红、李学习"));
    }
}
