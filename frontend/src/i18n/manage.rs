//! UI text of the organizers' course editor: `/manage/courses` and
//! `/manage/courses/{id}`.

use courses::Lang;

/// A fixed piece of course-editor text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManageText {
    Title,
    NoPermission,
    MyCourses,
    NoCourses,
    NewCourse,
    CourseTitle,
    Summary,
    Kind,
    Required,
    Elective,
    CreditHours,
    CreditHint,
    Org,
    Create,
    Created,
    Published,
    Unpublished,
    Edit,
    Preview,
    BackToList,
    Settings,
    DueOn,
    SaveSettings,
    Audience,
    AudienceHelp,
    AudienceOrgs,
    AudienceRoles,
    AudiencePeople,
    NoPeopleChosen,
    PickOrg,
    RemovePerson,
    Publishing,
    Publish,
    Unpublish,
    PublishedHint,
    UnpublishedHint,
    PreviewCourse,
    Cover,
    CoverHelp,
    NoCover,
    UploadCover,
    Structure,
    NoChapter,
    NoLessons,
    MoveUp,
    MoveDown,
    LessonTitle,
    ChapterTitle,
    Rename,
    Delete,
    AddChapter,
    AddLessonHeading,
    Source,
    SourceArticle,
    Companion,
    NoCompanion,
    Chapter,
    ArticleText,
    ArticleHelp,
    ArticleReplace,
    SaveArticle,
    AddLesson,
    Mixed,
    Captions,
    HasCaptions,
    UploadCaptions,
    RemoveCaptions,
    Attachments,
    NoAttachments,
    UploadAttachment,
    MaterialHelp,
    Processing,
    Moved,
    Uploaded,
    Close,
    Saved,
    Deleted,
    ChooseTitle,
}

impl ManageText {
    /// The text in `lang`.
    pub fn get(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Self::Title => ("课程管理", "Manage courses"),
            Self::NoPermission => (
                "您没有权限管理课程，此功能仅向组织员和管理员开放。",
                "You are not allowed to manage courses; this is for organizers and administrators.",
            ),
            Self::MyCourses => ("我管理的课程", "Courses you manage"),
            Self::NoCourses => ("还没有课程，请先新建一门。", "No courses yet; create one first."),
            Self::NewCourse => ("新建课程", "New course"),
            Self::CourseTitle => ("课程名称", "Title"),
            Self::Summary => ("简介", "Summary"),
            Self::Kind => ("类型", "Kind"),
            Self::Required => ("必修", "Required"),
            Self::Elective => ("选修", "Elective"),
            Self::CreditHours => ("学时", "Credit hours"),
            Self::CreditHint => ("0–200，以 0.5 为单位", "0–200, in steps of 0.5"),
            Self::Org => ("所属组织", "Organization"),
            Self::Create => ("创建课程", "Create course"),
            Self::Created => ("课程已创建。", "The course was created."),
            Self::Published => ("已发布", "Published"),
            Self::Unpublished => ("未发布", "Not published"),
            Self::Edit => ("编辑", "Edit"),
            Self::Preview => ("预览", "Preview"),
            Self::BackToList => ("返回课程管理", "Back to course management"),
            Self::Settings => ("基本设置", "Settings"),
            Self::DueOn => ("截止日期（选填）", "Due date (optional)"),
            Self::SaveSettings => ("保存设置", "Save settings"),
            Self::Audience => ("学习对象", "Audience"),
            Self::AudienceHelp => (
                "勾选的组织含其全部下级组织；身份不勾选即为全部身份；指定人员不受组织和身份限制。",
                "A ticked organization includes all its sub-organizations; no role ticked means every role; named people are included whatever their organization or role.",
            ),
            Self::AudienceOrgs => ("组织", "Organizations"),
            Self::AudienceRoles => ("身份", "Roles"),
            Self::AudiencePeople => ("指定人员", "Named people"),
            Self::NoPeopleChosen => ("未指定人员。", "Nobody named."),
            Self::PickOrg => ("从组织中挑选人员…", "Pick people from an organization…"),
            Self::RemovePerson => ("移除", "Remove"),
            Self::Publishing => ("发布与封面", "Publishing and cover"),
            Self::Publish => ("发布课程", "Publish"),
            Self::Unpublish => ("取消发布", "Unpublish"),
            Self::PublishedHint => (
                "学习对象可以在“课程学习”中看到并学习本课程。",
                "The audience can find and study this course under Courses.",
            ),
            Self::UnpublishedHint => (
                "发布前只有管理者能看到和预览本课程。",
                "Until it is published, only those who manage it can see and preview this course.",
            ),
            Self::PreviewCourse => ("预览课程", "Preview the course"),
            Self::Cover => ("封面", "Cover"),
            Self::CoverHelp => ("JPEG、PNG 或 WebP 图片，不超过 10 MB。", "A JPEG, PNG or WebP image of at most 10 MB."),
            Self::NoCover => ("尚未上传封面。", "No cover yet."),
            Self::UploadCover => ("上传封面图片", "Upload a cover image"),
            Self::Structure => ("章节与课时", "Chapters and lessons"),
            Self::NoChapter => ("未分章节", "Not in a chapter"),
            Self::NoLessons => ("还没有课时。", "No lessons yet."),
            Self::MoveUp => ("上移", "Move up"),
            Self::MoveDown => ("下移", "Move down"),
            Self::LessonTitle => ("课时标题", "Lesson title"),
            Self::ChapterTitle => ("章节标题", "Chapter title"),
            Self::Rename => ("保存标题", "Save title"),
            Self::Delete => ("删除", "Delete"),
            Self::AddChapter => ("添加章节", "Add chapter"),
            Self::AddLessonHeading => ("添加课时", "Add a lesson"),
            Self::Source => ("内容", "Content"),
            Self::SourceArticle => ("文章（Markdown）", "Article (Markdown)"),
            Self::Companion => ("配套课件（与视频同步显示）", "Companion slides (shown with the video)"),
            Self::NoCompanion => ("无", "None"),
            Self::Chapter => ("章节", "Chapter"),
            Self::ArticleText => ("正文（Markdown）", "Text (Markdown)"),
            Self::ArticleHelp => (
                "“##”“###”标题生成目录；问答可写作 <details><summary>问：…</summary> 答：…</details>。",
                "“##” and “###” headings make the outline; write questions and answers as <details><summary>Q: …</summary> A: …</details>.",
            ),
            Self::ArticleReplace => (
                "在此输入新的正文，保存后替换现有正文。",
                "Type the new text here; saving replaces the current text.",
            ),
            Self::SaveArticle => ("保存正文", "Save text"),
            Self::AddLesson => ("添加课时", "Add lesson"),
            Self::Mixed => ("视频+课件", "Video + slides"),
            Self::Captions => ("字幕（WebVTT）", "Captions (WebVTT)"),
            Self::HasCaptions => ("有字幕", "Captioned"),
            Self::UploadCaptions => ("上传字幕文件（.vtt）", "Upload a captions file (.vtt)"),
            Self::RemoveCaptions => ("删除字幕", "Remove captions"),
            Self::Attachments => ("附件", "Attachments"),
            Self::NoAttachments => ("暂无附件。", "No attachments."),
            Self::UploadAttachment => ("上传附件", "Upload an attachment"),
            Self::MaterialHelp => (
                "新资料上传并处理完成后，即可在“添加课时”中选用。",
                "Once new material is uploaded and processed, choose it under “Add a lesson”.",
            ),
            Self::Processing => ("资料处理进度", "Material being processed"),
            Self::Moved => ("顺序已保存。", "The order was saved."),
            Self::Uploaded => ("上传完成。", "Uploaded."),
            Self::Close => ("关闭", "Close"),
            Self::Saved => ("已保存。", "Saved."),
            Self::Deleted => ("已删除。", "Deleted."),
            Self::ChooseTitle => ("请填写标题。", "Enter a title."),
        };
        lang.pick(zh, en)
    }
}

/// "2.5 学时" / "2.5 credit hours".
pub fn credit_hours(hours: f64, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{hours} 学时"),
        Lang::En => format!("{hours} credit hours"),
    }
}

/// "截止 2026-12-31" / "due 2026-12-31".
pub fn due_on(date: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("截止 {date}"),
        Lang::En => format!("due {date}"),
    }
}

/// A move button's accessible name: "上移：第一课" / "Move up: Lesson 1".
pub fn move_label(up: bool, title: &str, lang: Lang) -> String {
    let verb = if up { ManageText::MoveUp } else { ManageText::MoveDown }.get(lang);
    match lang {
        Lang::Zh => format!("{verb}：{title}"),
        Lang::En => format!("{verb}: {title}"),
    }
}

/// The question before deleting a chapter or lesson.
pub fn confirm_delete(title: &str, chapter: bool, lang: Lang) -> String {
    match (lang, chapter) {
        (Lang::Zh, true) => format!("确定删除章节“{title}”吗？其中的课时会移到“未分章节”。"),
        (Lang::En, true) => format!("Delete the chapter “{title}”? Its lessons move to “Not in a chapter”."),
        (Lang::Zh, false) => format!("确定删除课时“{title}”及其字幕和附件吗？此操作无法撤销。"),
        (Lang::En, false) => {
            format!("Delete the lesson “{title}” with its captions and attachments? This cannot be undone.")
        }
    }
}

/// "上传中 42 %" / "Uploading 42 %" for a file sent to the server.
pub fn file_progress(name: &str, percent: u8, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{name}：{percent} %"),
        Lang::En => format!("{name}: {percent} %"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_default_to_chinese() {
        assert_eq!(ManageText::Title.get(Lang::default()), "课程管理");
        assert_eq!(credit_hours(2.5, Lang::Zh), "2.5 学时");
        assert_eq!(move_label(true, "第一课", Lang::Zh), "上移：第一课");
        assert_eq!(move_label(false, "Lesson 1", Lang::En), "Move down: Lesson 1");
    }
}
