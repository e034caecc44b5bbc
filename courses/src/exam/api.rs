//! Exams as the API shows them: an organizer's exam with its settings and
//! paper, a taker's standing, an attempt with its questions (never a key),
//! the saves and the result with its review.

use serde::{Deserialize, Serialize};

use super::grade::{Answer, Grade};
use super::paper::PaperSpec;
use super::points::Points;
use super::question::{QuestionData, QuestionForTaker};
use super::score::AttemptScore;
use super::settings::ExamSettings;
use crate::course::Audience;
use crate::OrgId;

/// Longest exam title, in characters.
pub const MAX_EXAM_TITLE_CHARS: usize = 200;
/// Seconds a save may arrive after the deadline: the network's delay, not
/// extra time.
pub const SAVE_GRACE_SECONDS: i64 = 10;

/// An exam to create or replace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExamDraft {
    pub org_id: OrgId,
    pub title: String,
    pub settings: ExamSettings,
    pub paper: PaperSpec,
    /// Banks the paper draws from (its node's, or of a node above).
    pub banks: Vec<i64>,
    /// Who may take it; none given: everyone in the exam's node and below.
    #[serde(default)]
    pub audience: Option<Audience>,
}

/// An exam as its organizers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExamView {
    pub id: i64,
    pub org_id: OrgId,
    pub title: String,
    pub settings: ExamSettings,
    pub paper: PaperSpec,
    pub banks: Vec<i64>,
    pub audience: Audience,
    pub published: bool,
}

/// Whether an exam may be taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Publish {
    pub published: bool,
}

/// One attempt in a taker's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttemptSummary {
    pub id: i64,
    pub number: i32,
    pub practice: bool,
    pub open: bool,
    pub started_at_ms: i64,
    pub submitted_at_ms: Option<i64>,
    /// Once submitted.
    pub score: Option<AttemptScore>,
}

/// What a taker sees before starting: the rules, what they used, and why
/// they may not start now, if so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExamStanding {
    pub id: i64,
    pub title: String,
    pub settings: ExamSettings,
    pub questions: usize,
    pub max_points: Points,
    pub attempts: Vec<AttemptSummary>,
    /// The attempt being answered, if any: starting again resumes it.
    pub open_attempt: Option<i64>,
    /// The result that counts (highest or last, as the exam says).
    pub result: Option<AttemptScore>,
    /// Why a new attempt cannot start now, in the caller's language.
    pub refusal: Option<String>,
    pub refusal_code: Option<String>,
}

/// An exam the caller may take, in their list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyExam {
    pub id: i64,
    pub title: String,
    pub org_name: String,
    pub practice: bool,
    pub questions: usize,
    pub max_points: Points,
    pub time_limit_minutes: Option<u32>,
    pub window: Option<super::settings::Window>,
    pub attempts_allowed: Option<u32>,
    /// Attempts started, practice or not as the exam is.
    pub attempts_used: u32,
    pub open_attempt: Option<i64>,
    /// The result that counts, once there is one.
    pub result: Option<AttemptScore>,
}

/// Starting (or resuming) an attempt from one page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StartAttempt {
    /// A token the page made up (16–64 letters, digits, `-` or `_`): the
    /// page holding the attempt. A start from another page takes it over.
    pub holder: String,
}

/// One question of an attempt, as the taker sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttemptQuestion {
    pub position: i32,
    pub points: Points,
    pub question: QuestionForTaker,
    /// The stem rendered from its Markdown and sanitized as articles are.
    #[serde(default)]
    pub stem_html: String,
    /// The answer saved last.
    pub answer: Option<Answer>,
    /// Its sequence number; a save must carry a higher one.
    pub seq: i64,
}

/// An attempt, as its taker sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttemptView {
    pub id: i64,
    pub exam_id: i64,
    pub title: String,
    pub practice: bool,
    pub open: bool,
    /// The page holding it.
    pub holder: String,
    /// The server's clock when this was read, so the page counts down
    /// from it and not from its own clock.
    pub server_now_ms: i64,
    pub started_at_ms: i64,
    pub deadline_ms: Option<i64>,
    pub questions: Vec<AttemptQuestion>,
    /// Once submitted.
    pub result: Option<AttemptResult>,
}

/// A save of one answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaveAnswer {
    pub holder: String,
    /// Higher than the saved answer's: the page counts its saves.
    pub seq: i64,
    /// None clears the answer.
    pub answer: Option<Answer>,
}

/// A save the server kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavedAnswer {
    pub position: i32,
    pub seq: i64,
    pub saved_at_ms: i64,
    /// Practice attempts: how the answer was graded, at once.
    pub feedback: Option<ReviewItem>,
}

/// The page that holds an attempt: to submit it or log visibility.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Holder {
    pub holder: String,
}

/// The page was hidden (`hidden: true`) or shown again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Visibility {
    pub holder: String,
    pub hidden: bool,
}

/// One question's grade in the review, with the answer and explanation
/// when the exam's review policy allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewItem {
    pub position: i32,
    pub grade: Grade,
    /// The question with its key and 解析; None when the review hides it.
    pub key: Option<QuestionData>,
}

/// A submitted attempt's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttemptResult {
    pub score: AttemptScore,
    pub submitted_at_ms: i64,
    /// The server submitted it when the time was up.
    pub by_deadline: bool,
    /// Per question; the keys only when the review shows answers.
    pub review: Vec<ReviewItem>,
}

/// Whether a holder token is well formed.
pub fn valid_holder(holder: &str) -> bool {
    (16..=64).contains(&holder.len()) && holder.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A time the page of an attempt was hidden.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HiddenSpan {
    pub hidden_at_ms: i64,
    /// None: never shown again before the attempt ended.
    pub visible_at_ms: Option<i64>,
}

/// A short answer waiting for a grader, with what the grader needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PendingAnswer {
    pub attempt_id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub position: i32,
    /// The question's worth.
    pub points: Points,
    pub stem: String,
    /// The reference answer and 解析.
    pub reference: String,
    pub explanation: String,
    pub answer: String,
    pub submitted_at_ms: i64,
    /// When the page was hidden during the attempt. Shown to the grader;
    /// it never fails anyone by itself.
    pub hidden: Vec<HiddenSpan>,
}

/// A grader's score for one answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarkAnswer {
    /// In tenths of a point, at most the question's worth.
    pub points: Points,
}
