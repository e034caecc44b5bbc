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
