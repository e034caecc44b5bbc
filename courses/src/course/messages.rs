//! Messages for course errors, in Chinese and English.

use super::audience::AudienceError;
use super::find::QueryError;
use super::CourseError;
use crate::i18n::{Lang, Localize};

impl Localize for CourseError {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            Self::BadTitle => (
                "标题须为 1–200 个字符，且不能包含控制字符。",
                "A title must be 1–200 characters without control characters.",
            ),
            Self::TextTooLong => ("内容超过 200,000 个字符。", "The text is longer than 200,000 characters."),
            Self::NeedsOneSource => (
                "课时须指定一个资料（media_id）、一篇文章（article）或一场考试（exam_id），三者取其一。",
                "A lesson needs exactly one of media_id, article or exam_id.",
            ),
            Self::MediaNotReady => (
                "该资料尚未处理完成，请等处理完成后再添加。",
                "The material has not finished processing; add it once it is ready.",
            ),
            Self::BadCreditHours => ("学时须在 0 到 200 之间，以 0.5 为单位。", "Credit hours must be between 0 and 200 in steps of 0.5."),
            Self::BadDueDate => ("截止日期须写作 YYYY-MM-DD，例如 2026-12-31。", "The due date must be written YYYY-MM-DD, for example 2026-12-31."),
            Self::OrderMismatch => (
                "排序须恰好列出本课程的每个章节和课时各一次，请刷新页面后重试。",
                "The order must list every chapter and lesson of the course exactly once; reload the page and try again.",
            ),
            Self::BadCompanion => (
                "配套课件只能用于视频课时，且须是已处理完成的幻灯片。",
                "A companion slide deck goes with a video lesson and must be processed slides.",
            ),
            Self::NotAnArticle => ("只有文章课时才有正文。", "Only article lessons have article text."),
            Self::LessonStudied => (
                "已有学员学习过该课时，不能删除；如需下线，请取消发布课程。",
                "Members have studied this lesson, so it cannot be deleted; unpublish the course instead.",
            ),
            Self::ForeignChapter => ("该章节不属于本课程。", "The chapter belongs to another course."),
            Self::BadExam => (
                "测验须是本课程所属组织或其上级组织的考试，且未用于其他课时。",
                "The quiz must be an exam of the course's node or a node above it, not used by another lesson.",
            ),
        };
        lang.pick(zh, en).to_owned()
    }
}

impl Localize for AudienceError {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            Self::Empty => (
                "学习对象须至少包含一个组织或一名人员。",
                "An audience needs at least one org node or one named person.",
            ),
            Self::TooLarge => (
                "学习对象的组织、角色或人员各不能超过 500 个。",
                "An audience may list at most 500 org nodes, roles or people.",
            ),
        };
        lang.pick(zh, en).to_owned()
    }
}

impl Localize for QueryError {
    fn localize(&self, lang: Lang) -> String {
        let (zh, en) = match self {
            Self::BadKind => {
                ("课程类型须为 required（必修）或 elective（选修）。", "kind must be required or elective.")
            }
            Self::BadStatus => (
                "学习状态须为 not_started、in_progress 或 completed。",
                "status must be not_started, in_progress or completed.",
            ),
        };
        lang.pick(zh, en).to_owned()
    }
}
