//! Messages for meeting errors, in Chinese and English.

use super::check::MeetingError;
use crate::i18n::{Lang, Localize};

impl Localize for MeetingError {
    fn localize(&self, lang: Lang) -> String {
        let fixed = |zh: &str, en: &str| lang.pick(zh, en).to_owned();
        match self {
            Self::BadKind => fixed(
                "会议类型须为 branch_assembly（支部党员大会）、branch_committee（支委会）、group_meeting（党小组会）、\
                 party_lecture（党课）或 theme_day（主题党日）。",
                "kind must be branch_assembly, branch_committee, group_meeting, party_lecture or theme_day.",
            ),
            Self::BadDate => fixed(
                "会议日期须写作 YYYY-MM-DD，例如 2026-03-15。",
                "The meeting date must be written YYYY-MM-DD, for example 2026-03-15.",
            ),
            Self::FutureDate => fixed(
                "会议日期不能晚于今天：会议召开后再登记。",
                "The meeting date cannot be later than today: record a meeting once it has been held.",
            ),
            Self::BadTopic => fixed(
                "会议主题须为 1–200 个字符，且不能包含控制字符。",
                "A topic must be 1–200 characters without control characters.",
            ),
            Self::NoLessons => fixed(
                "请至少选择一个课时作为会议资料，供缺席和请假人员补学。",
                "Choose at least one lesson as the meeting's material, for absent members to make up.",
            ),
            Self::TooManyLessons => fixed("一次会议最多选择 20 个课时。", "A meeting may use at most 20 lessons."),
            Self::DuplicateLesson => fixed("同一课时被选择了两次。", "The same lesson is chosen twice."),
            Self::BadMakeupDays => fixed("补学期限须为 1–365 天。", "The make-up period must be 1–365 days."),
            Self::BadDeadline => fixed(
                "补学截止日期须写作 YYYY-MM-DD，且在会议当天至会后 365 天之内。",
                "The make-up deadline must be written YYYY-MM-DD, from the meeting's date to 365 days after it.",
            ),
            Self::BadStatus => fixed(
                "出席情况须为 present（出席）、absent（缺席）或 leave（请假）。",
                "Attendance must be present, absent or leave.",
            ),
            Self::DuplicatePerson => fixed("名单中同一人员出现了两次。", "The same person is listed twice."),
            Self::NoChanges => {
                fixed("请至少修改一名人员的出席情况。", "List at least one person whose attendance changes.")
            }
            Self::NotOnRoster { count } => {
                match lang {
                    Lang::Zh => format!("名单中有 {count} 人不存在，或不属于该组织及其下级组织。"),
                    Lang::En => {
                        format!("{count} listed people do not exist or do not belong to the org node or the nodes below it.")
                    }
                }
            }
            Self::MissingFromRoster { names } => match lang {
                Lang::Zh => format!("名单须包含该组织的全体人员，缺少 {} 人：{}。", names.len(), names.join("、")),
                Lang::En => format!(
                    "The attendance must list everyone of the org node; {} missing: {}.",
                    names.len(),
                    names.join(", ")
                ),
            },
            Self::NotAttendee { count } => match lang {
                Lang::Zh => format!("名单中有 {count} 人不在本次会议的应到人员中。"),
                Lang::En => format!("{count} listed people were not on this meeting's roster."),
            },
            Self::UnknownLesson => fixed(
                "所选课时不存在，或不属于您管理的课程。",
                "A chosen lesson does not exist or belongs to a course you do not manage.",
            ),
            Self::UnpublishedCourse { lesson } => match lang {
                Lang::Zh => format!("课时“{lesson}”所在的课程尚未发布，缺席人员无法补学；请先发布课程。"),
                Lang::En => format!(
                    "The course of the lesson `{lesson}` is not published, so absent members could not study it; \
                     publish it first."
                ),
            },
            Self::NotInAudience { lesson, person } => match lang {
                Lang::Zh => format!(
                    "{person} 不在课时“{lesson}”所在课程的学习对象中，无法补学；请调整课程的学习对象或另选课时。"
                ),
                Lang::En => format!(
                    "{person} is not in the audience of the course of the lesson `{lesson}` and could not make it \
                     up; widen the course's audience or choose another lesson."
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
            MeetingError::BadKind,
            MeetingError::BadDate,
            MeetingError::FutureDate,
            MeetingError::BadTopic,
            MeetingError::NoLessons,
            MeetingError::TooManyLessons,
            MeetingError::DuplicateLesson,
            MeetingError::BadMakeupDays,
            MeetingError::BadDeadline,
            MeetingError::BadStatus,
            MeetingError::DuplicatePerson,
            MeetingError::NoChanges,
            MeetingError::NotOnRoster { count: 2 },
            MeetingError::MissingFromRoster { names: vec!["张红".into(), "李学习".into()] },
            MeetingError::NotAttendee { count: 1 },
            MeetingError::UnknownLesson,
            MeetingError::UnpublishedCourse { lesson: "第一讲".into() },
            MeetingError::NotInAudience { lesson: "第一讲".into(), person: "刘青".into() },
        ];
        for e in all {
            let (zh, en) = (e.localize(Lang::Zh), e.localize(Lang::En));
            assert!(!zh.is_empty() && !en.is_empty() && zh != en, "{e:?}");
        }
        let missing = MeetingError::MissingFromRoster { names: vec!["张红".into(), "李学习".into()] };
        assert!(missing.localize(Lang::Zh).contains("张红、李学习"));
    }
}
