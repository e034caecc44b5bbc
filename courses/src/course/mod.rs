//! Courses and lessons as the API shows them. A course belongs to an org
//! node; once published, everyone in that node's subtree may study it.

use serde::{Deserialize, Serialize};

use crate::progress::{CompletionRules, LessonKind};

pub mod audience;
pub mod edit;
pub mod find;
pub mod learning;
mod messages;
pub mod next;

pub use audience::{Audience, AudienceError};
pub use edit::{AttachmentView, ChapterIn, ChapterView, CourseOrder, CourseSettings, LessonEdit, LessonPlace};
pub use find::{CourseFilter, CourseProgress, CourseQuery, QueryError, StudyStatus};
pub use learning::{DueDate, DueSource, MyLearning};
pub use next::{ContinueStudy, CourseStanding, LessonStanding, LessonState, NextLesson, NextReason};

/// Longest course or lesson title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest course summary or article, in characters.
pub const MAX_TEXT_CHARS: usize = 200_000;

/// A title: trimmed, 1–200 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Title(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CourseError {
    #[error("a title must be 1–200 characters without control characters")]
    BadTitle,
    #[error("text is longer than 200,000 characters")]
    TextTooLong,
    #[error("a lesson needs exactly one of media_id, article or exam_id")]
    NeedsOneSource,
    #[error("the media is not ready yet; wait until it has been processed")]
    MediaNotReady,
    #[error("credit hours must be between 0 and 200 in steps of 0.5")]
    BadCreditHours,
    #[error("the due date must be a date written YYYY-MM-DD")]
    BadDueDate,
    #[error("the order must list every chapter and lesson of the course exactly once")]
    OrderMismatch,
    #[error("a companion slide deck goes with a video lesson; choose processed slides")]
    BadCompanion,
    #[error("only article lessons have article text")]
    NotAnArticle,
    #[error("the lesson has study records; unpublish the course instead of deleting it")]
    LessonStudied,
    #[error("the chapter belongs to another course")]
    ForeignChapter,
    #[error("the exam must be of the course's node or a node above it, and not in another lesson")]
    BadExam,
}

impl Title {
    pub fn parse(raw: &str) -> Result<Title, CourseError> {
        let t = raw.trim();
        let n = t.chars().count();
        if n == 0 || n > MAX_TITLE_CHARS || t.chars().any(char::is_control) {
            return Err(CourseError::BadTitle);
        }
        Ok(Title(t.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Title {
    type Error = CourseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Title::parse(&value)
    }
}

impl From<Title> for String {
    fn from(t: Title) -> Self {
        t.0
    }
}

/// Checks a summary or article body.
pub fn check_text(text: &str) -> Result<(), CourseError> {
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(CourseError::TextTooLong);
    }
    Ok(())
}

/// `POST /api/v1/courses`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewCourse {
    pub org_id: i64,
    pub title: String,
    #[serde(default)]
    pub summary: String,
    /// Completion rules; defaults when absent.
    #[serde(default)]
    pub rules: Option<CompletionRules>,
    /// 必修 (true) or 选修 (false, the default).
    #[serde(default)]
    pub required: bool,
    /// 学时 for completing the course, 0–200 in steps of 0.5.
    #[serde(default)]
    pub credit_hours: f64,
}

/// `POST /api/v1/courses/{id}/lessons`: a lesson from processed media, or an
/// article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewLesson {
    pub title: String,
    #[serde(default)]
    pub media_id: Option<i64>,
    /// Markdown.
    #[serde(default)]
    pub article: Option<String>,
    /// A processed slide deck shown beside the video (`media_id` must be a
    /// video): the mixed video + slides lesson.
    #[serde(default)]
    pub slides_media_id: Option<i64>,
    /// The chapter to add it to; none: before the first chapter.
    #[serde(default)]
    pub chapter_id: Option<i64>,
    /// An exam of the course's node or a node above: a quiz lesson,
    /// complete when passed. Instead of `media_id` or `article`.
    #[serde(default)]
    pub exam_id: Option<i64>,
}

/// A lesson as listed in its course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LessonView {
    pub id: i64,
    pub course_id: i64,
    pub position: i32,
    pub title: String,
    pub kind: LessonKind,
    pub media_id: Option<i64>,
    pub duration_seconds: f64,
    pub slide_count: u32,
    pub article_chars: u32,
    pub chapter_id: Option<i64>,
    /// The slide deck beside the video of a mixed lesson.
    pub slides_media_id: Option<i64>,
    /// Whether WebVTT captions were uploaded.
    pub has_captions: bool,
    /// The exam of a quiz lesson.
    #[serde(default)]
    pub exam_id: Option<i64>,
}

/// A course with its lessons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CourseView {
    pub id: i64,
    pub org_id: i64,
    pub title: String,
    pub summary: String,
    pub published: bool,
    pub rules: CompletionRules,
    pub required: bool,
    pub credit_hours: f64,
    /// The course's own due date, as its settings hold it.
    pub due_on: Option<String>,
    /// The due date that binds the caller: their assignment's when the
    /// course is assigned to them, else the course's own.
    #[serde(default)]
    pub due: Option<DueDate>,
    /// The cover image, if one was uploaded.
    pub cover_url: Option<String>,
    pub chapters: Vec<ChapterView>,
    pub lessons: Vec<LessonView>,
    /// Whether the caller may edit the course.
    pub can_manage: bool,
    /// Who the course is for; shown to those who manage it only.
    pub audience: Option<Audience>,
    /// The caller's progress through the course.
    pub progress: Option<CourseProgress>,
}

/// What a lesson page needs: the lesson in its course, where to fetch what
/// it plays or shows, and the member's progress. Media URLs are under
/// `/api/v1/lessons/{id}/files/`, readable by whoever may study the lesson.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LessonStudy {
    pub lesson: LessonView,
    pub course_title: String,
    pub rules: CompletionRules,
    /// HLS master playlist (video, audio).
    pub playlist_url: Option<String>,
    /// Poster image (video) or waveform (audio).
    pub poster_url: Option<String>,
    /// Heights of the video renditions, highest first.
    pub renditions: Vec<u32>,
    /// The deck's pages (slide lessons, and mixed lessons' companion deck).
    pub slides: Vec<crate::media::SlideView>,
    /// WebVTT captions (video, audio).
    pub captions_url: Option<String>,
    pub attachments: Vec<AttachmentView>,
    /// The caller manages the course: the page is a preview.
    pub preview: bool,
    /// The article's Markdown, for those who manage the course (to edit it).
    pub article_source: Option<String>,
    /// The article (article lessons), rendered and sanitized.
    pub article: Option<ArticleView>,
    /// The course's lessons in order, for navigation.
    pub siblings: Vec<LessonView>,
    pub chapters: Vec<ChapterView>,
    pub progress: crate::progress::api::LessonProgress,
}

/// An article as a page shows it: HTML rendered from its Markdown with
/// everything that could run or load from elsewhere removed, and its
/// outline (the menu-style summary) from its headings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArticleView {
    pub html: String,
    pub outline: Vec<OutlineEntry>,
}

/// One heading of an article: level 2 or 3, its text, and the `id` of the
/// heading in `html`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutlineEntry {
    pub level: u8,
    pub title: String,
    pub anchor: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_trimmed_and_bounded() {
        assert_eq!(Title::parse("  学习党章  ").unwrap().as_str(), "学习党章");
        assert!(Title::parse("   ").is_err());
        assert!(Title::parse(&"党".repeat(201)).is_err());
        assert!(Title::parse(&"党".repeat(200)).is_ok());
        assert!(Title::parse("a\u{7}b").is_err());
    }
}
