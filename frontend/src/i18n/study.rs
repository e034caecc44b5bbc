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
    /// The big button over the poster.
    PlayStart,
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
            Self::PlayStart => ("播放", "Play"),
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
        LessonKind::Exam => ("测验", "Quiz"),
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
        (LessonKind::Article | LessonKind::Exam, _) => String::new(),
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

/// Text of "继续学习" (home and course page), lesson standings, binding due
/// dates and the 学时 receipt list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressText {
    ContinueHeading,
    ContinueButton,
    StartButton,
    LessonDone,
    LessonNotStarted,
    ReceiptWhen,
    ReceiptLesson,
    ReceiptCredited,
    ReceiptNote,
}

impl ProgressText {
    /// The text in `lang`.
    pub fn get(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Self::ContinueHeading => ("继续学习", "Continue studying"),
            Self::ContinueButton => ("继续学习", "Continue"),
            Self::StartButton => ("开始学习", "Start"),
            Self::LessonDone => ("已完成", "Done"),
            Self::LessonNotStarted => ("未开始", "Not started"),
            Self::ReceiptWhen => ("时间", "When"),
            Self::ReceiptLesson => ("课时", "Lesson"),
            Self::ReceiptCredited => ("计入学习时间", "Time credited"),
            Self::ReceiptNote => ("说明", "Note"),
        };
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// A lesson in progress: "已学 35%" / "35% done"; "已开始" / "Started"
/// while it is still under 1%.
pub fn lesson_percent(percent: u8, lang: Lang) -> String {
    match (lang, percent) {
        (Lang::Zh, 0) => "已开始".to_owned(),
        (Lang::En, 0) => "Started".to_owned(),
        (Lang::Zh, p) => format!("已学 {p}%"),
        (Lang::En, p) => format!("{p}% done"),
    }
}

/// The due date that binds the member and whose it is:
/// "截止 2026年12月20日（任务）" / "Due 2026-12-20 (assignment)".
pub fn due_text(due: &courses::course::DueDate, lang: Lang) -> String {
    use courses::course::DueSource;
    let day = match (lang, due.day.splitn(3, '-').collect::<Vec<_>>().as_slice()) {
        (Lang::Zh, [y, m, d]) => format!("{y}年{}月{}日", m.trim_start_matches('0'), d.trim_start_matches('0')),
        _ => due.day.clone(),
    };
    match (lang, due.source) {
        (Lang::Zh, DueSource::Assignment) => format!("截止 {day}（任务）"),
        (Lang::Zh, DueSource::Course) => format!("截止 {day}（课程）"),
        (Lang::En, DueSource::Assignment) => format!("Due {day} (assignment)"),
        (Lang::En, DueSource::Course) => format!("Due {day} (course)"),
    }
}

/// A length of time as people say it, to the second: "1 小时 5 分",
/// "3 分 12 秒", "45 秒" / "1 h 5 min", "3 min 12 s", "45 s".
pub fn duration(seconds: f64, lang: Lang) -> String {
    let s = seconds.max(0.0).round() as u64;
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    let parts: Vec<String> = match lang {
        Lang::Zh if h > 0 => vec![format!("{h} 小时"), format!("{m} 分")],
        Lang::Zh if m > 0 => vec![format!("{m} 分"), format!("{sec} 秒")],
        Lang::Zh => vec![format!("{sec} 秒")],
        Lang::En if h > 0 => vec![format!("{h} h"), format!("{m} min")],
        Lang::En if m > 0 => vec![format!("{m} min"), format!("{sec} s")],
        Lang::En => vec![format!("{sec} s")],
    };
    parts.into_iter().filter(|p| !p.starts_with("0 ") || s == 0).collect::<Vec<_>>().join(" ")
}

/// Why some time was not credited, in neutral words (the receipt's note).
pub fn not_credited(reason: courses::progress::DiscardReason, seconds: f64, lang: Lang) -> String {
    use courses::progress::DiscardReason as R;
    let (zh, en) = match reason {
        R::PageHidden => ("页面在后台", "the page was in the background"),
        R::Idle => ("较长时间没有操作", "no interaction for a while"),
        R::AlreadyWatched => ("重看已学过的部分", "parts already studied, watched again"),
        R::SecondSession => ("已在其他设备或窗口学习", "another device or tab was studying"),
        R::BeyondDuration => ("超出课时长度", "beyond the lesson's length"),
        R::ImplausibleJump => ("超过实际经过的时间", "more than the time that had passed"),
        R::SkippedAhead => ("首次学习时跳过的部分", "skipped on first viewing"),
        R::OutOfOrder => ("晚到的进度记录", "progress that arrived late"),
    };
    match lang {
        Lang::Zh => format!("{}未计入：{zh}", duration(seconds, lang)),
        Lang::En => format!("{} not credited: {en}", duration(seconds, lang)),
    }
}

#[cfg(test)]
mod progress_text_tests {
    use super::*;
    use courses::course::{DueDate, DueSource};

    #[test]
    fn a_due_date_says_whose_it_is() {
        let due = |source| DueDate { day: "2026-02-05".into(), source };
        assert_eq!(due_text(&due(DueSource::Assignment), Lang::Zh), "截止 2026年2月5日（任务）");
        assert_eq!(due_text(&due(DueSource::Course), Lang::Zh), "截止 2026年2月5日（课程）");
        assert_eq!(due_text(&due(DueSource::Assignment), Lang::En), "Due 2026-02-05 (assignment)");
    }

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(duration(0.4, Lang::Zh), "0 秒");
        assert_eq!(duration(45.0, Lang::Zh), "45 秒");
        assert_eq!(duration(192.4, Lang::Zh), "3 分 12 秒");
        assert_eq!(duration(180.0, Lang::Zh), "3 分");
        assert_eq!(duration(3900.0, Lang::En), "1 h 5 min");
        assert_eq!(duration(3600.0, Lang::En), "1 h");
    }

    #[test]
    fn a_note_names_the_time_and_the_reason_without_blame() {
        let n = not_credited(courses::progress::DiscardReason::PageHidden, 20.0, Lang::Zh);
        assert_eq!(n, "20 秒未计入：页面在后台");
        assert_eq!(lesson_percent(35, Lang::En), "35% done");
        assert_eq!(lesson_percent(0, Lang::Zh), "已开始");
    }
}
