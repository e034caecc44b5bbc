//! UI text of the study pages: the catalog, a course, a lesson.

use courses::progress::LessonKind;
use courses::Lang;

/// A fixed piece of study-page text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StudyText {
    CatalogTitle,
    CatalogLink,
    NoCourses,
    Unpublished,
    LessonsHeading,
    NoLessons,
    Quality,
    QualityAuto,
    Speed,
    WatchedBar,
    Completed,
    SeekRefused,
    Superseded,
    StillStudying,
    StillStudyingBody,
    Continue,
    PreviousSlide,
    NextSlide,
    SlideText,
    NotReady,
    PlayerFailed,
    OpenFailed,
    Offline,
    Required,
    Elective,
    Search,
    SearchPlaceholder,
    AllKinds,
    AnyStatus,
    NotStarted,
    InProgress,
    NoMatches,
    Preview,
    Manage,
    Attachments,
    Captions,
    CompanionSlides,
    MyLearning,
    RequiredDue,
    NothingRequired,
    NothingInProgress,
    NothingCompleted,
    HoursThisYear,
    Receipt,
    ReceiptEmpty,
    ReceiptMore,
    Credited,
    UngroupedLessons,
}

impl StudyText {
    /// The text in `lang`.
    pub fn get(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Self::CatalogTitle => ("课程", "Courses"),
            Self::CatalogLink => ("课程学习", "Courses"),
            Self::NoCourses => ("暂时没有您可以学习的课程。", "There are no courses for you to study yet."),
            Self::Unpublished => ("未发布", "Not published"),
            Self::LessonsHeading => ("课时", "Lessons"),
            Self::NoLessons => ("这门课程还没有课时。", "This course has no lessons yet."),
            Self::Quality => ("清晰度", "Quality"),
            Self::QualityAuto => ("自动", "Auto"),
            Self::Speed => ("倍速", "Speed"),
            Self::WatchedBar => ("已观看的部分", "Parts watched"),
            Self::Completed => ("已完成", "Completed"),
            Self::SeekRefused => (
                "首次学习时不能跳到尚未观看的部分，已回到原来的位置。",
                "On first viewing you cannot skip to parts you have not watched; playback went back to where it was.",
            ),
            Self::Superseded => (
                "本课时已在其他设备或窗口打开，这里不再记录学习时间。",
                "This lesson was opened on another device or tab; this page no longer records study time.",
            ),
            Self::StillStudying => ("还在学习吗？", "Still studying?"),
            Self::StillStudyingBody => (
                "您已较长时间没有操作，播放已暂停；这段时间不计入学时。",
                "You have not interacted for a while, so playback is paused; this time is not credited.",
            ),
            Self::Continue => ("继续学习", "Continue studying"),
            Self::PreviousSlide => ("上一页", "Previous"),
            Self::NextSlide => ("下一页", "Next"),
            Self::SlideText => ("本页文字", "Text of this slide"),
            Self::NotReady => {
                ("资料还在处理中，请稍后再来。", "The material is still being processed; come back later.")
            }
            Self::PlayerFailed => ("无法播放：", "Cannot play: "),
            Self::OpenFailed => ("无法开始学习：", "Cannot start studying: "),
            Self::Offline => (
                "暂时无法保存学习进度，恢复连接后会自动补交。",
                "Progress cannot be saved right now; it is sent again once the connection is back.",
            ),
            Self::Required => ("必修", "Required"),
            Self::Elective => ("选修", "Elective"),
            Self::Search => ("搜索", "Search"),
            Self::SearchPlaceholder => ("搜索课程、文章、课件文字", "Search courses, articles, slide text"),
            Self::AllKinds => ("必修和选修", "Required and elective"),
            Self::AnyStatus => ("全部状态", "Any status"),
            Self::NotStarted => ("未开始", "Not started"),
            Self::InProgress => ("学习中", "In progress"),
            Self::NoMatches => ("没有符合条件的课程。", "No course matches."),
            Self::Preview => (
                "预览：这是学员看到的页面。您的学习记录同样会被记录。",
                "Preview: this is the page as members see it. Your own study is recorded too.",
            ),
            Self::Manage => ("编辑课程", "Edit course"),
            Self::Attachments => ("附件下载", "Attachments"),
            Self::Captions => ("中文字幕", "Captions"),
            Self::CompanionSlides => ("配套课件", "Slides"),
            Self::MyLearning => ("我的学习", "My learning"),
            Self::RequiredDue => ("必修课程", "Required courses"),
            Self::NothingRequired => ("没有待完成的必修课程。", "No required course is waiting."),
            Self::NothingInProgress => ("没有正在学习的选修课程。", "No elective course in progress."),
            Self::NothingCompleted => ("还没有完成的课程。", "No course completed yet."),
            Self::HoursThisYear => ("本年度学时", "Study hours this year"),
            Self::Receipt => ("学时明细", "Study-hour receipt"),
            Self::ReceiptEmpty => ("本年度还没有学习记录。", "Nothing studied this year yet."),
            Self::ReceiptMore => ("更多记录", "More"),
            Self::Credited => ("计入", "Credited"),
            Self::UngroupedLessons => ("课时", "Lessons"),
        };
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// The name of a lesson kind.
pub fn kind_name(kind: LessonKind, lang: Lang) -> &'static str {
    let (zh, en) = match kind {
        LessonKind::Video => ("视频", "Video"),
        LessonKind::Audio => ("音频", "Audio"),
        LessonKind::Slides => ("课件", "Slides"),
        LessonKind::Article => ("文章", "Article"),
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// "完成 42%" / "42% done".
pub fn percent_done(percent: u8, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("完成 {percent}%"),
        Lang::En => format!("{percent}% done"),
    }
}

/// A lesson's length: "12 分钟" / "12 min"; slides: "8 页" / "8 slides".
pub fn lesson_length(kind: LessonKind, seconds: f64, slides: u32, lang: Lang) -> String {
    match (kind, lang) {
        (LessonKind::Slides, Lang::Zh) => format!("{slides} 页"),
        (LessonKind::Slides, Lang::En) => format!("{slides} slides"),
        (LessonKind::Article, _) => String::new(),
        (_, Lang::Zh) => format!("{} 分钟", (seconds / 60.0).ceil().max(1.0)),
        (_, Lang::En) => format!("{} min", (seconds / 60.0).ceil().max(1.0)),
    }
}

/// "4 个课时" / "4 lessons".
pub fn lesson_count(n: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{n} 个课时"),
        Lang::En => format!("{n} lessons"),
    }
}

/// "第 3 / 12 页" / "Slide 3 of 12".
pub fn slide_counter(number: usize, total: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("第 {number} / {total} 页"),
        Lang::En => format!("Slide {number} of {total}"),
    }
}

/// "必修" / "选修".
pub fn kind_tag(required: bool, lang: Lang) -> &'static str {
    if required {
        StudyText::Required.get(lang)
    } else {
        StudyText::Elective.get(lang)
    }
}

/// The name of a study status.
pub fn status_name(status: courses::course::StudyStatus, lang: Lang) -> &'static str {
    use courses::course::StudyStatus;
    match status {
        StudyStatus::NotStarted => StudyText::NotStarted.get(lang),
        StudyStatus::InProgress => StudyText::InProgress.get(lang),
        StudyStatus::Completed => StudyText::Completed.get(lang),
    }
}

/// "2 学时" / "2 study hours".
pub fn credit_hours(hours: f64, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{hours} 学时"),
        Lang::En => format!("{hours} study hours"),
    }
}

/// "截止 2026-12-31" / "Due 2026-12-31".
pub fn due_on(date: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("截止 {date}"),
        Lang::En => format!("Due {date}"),
    }
}

/// "已完成 2 / 5 个课时" / "2 of 5 lessons completed".
pub fn lessons_done(done: u32, total: u32, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("已完成 {done} / {total} 个课时"),
        Lang::En => format!("{done} of {total} lessons completed"),
    }
}

/// "12.5 / 32 学时" / "12.5 of 32 study hours".
pub fn hours_of_target(hours: f64, target: u32, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{hours:.2} / {target} 学时"),
        Lang::En => format!("{hours:.2} of {target} study hours"),
    }
}

/// A file size: "1.2 MB".
pub fn file_size(bytes: i64) -> String {
    let b = bytes.max(0) as f64;
    if b >= 1024.0 * 1024.0 {
        format!("{:.1} MB", b / 1024.0 / 1024.0)
    } else {
        format!("{:.0} KB", (b / 1024.0).ceil())
    }
}
